//! The `SparkApplication` of apache/spark-kubernetes-operator (`spark.apache.org/v1`, and the
//! `v1beta1` it still serves), with the field names of its JSON form: the classes of
//! `spark-operator-api/.../spec/` and the CRD
//! `build-tools/helm/spark-kubernetes-operator/crds/sparkapplications.spark.apache.org-v1.yaml`
//! at tag 1.0.0.
//!
//! The CRD is fully structural (no `x-kubernetes-preserve-unknown-fields`), so the API server
//! drops every field it does not list: a field these types do not know is reported. `v1beta1`
//! is `v1` without the Gateway API routes and some restart settings
//! ([`SparkApplication::fields_unknown_to_version`]); the CRD has no conversion webhook, so a
//! `v1beta1` object is stored and read as `v1` with the same body.
//!
//! `sparkConf` is kept ordered by key: the operator copies it from a Java `HashMap` into a
//! `SparkConf`, whose own order is what Spark iterates; the order given changes nothing.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PodTemplateSpec, ServiceSpec};
use k8s_openapi::api::networking::v1::IngressSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// `spark.apache.org/v1`, the version the operator reconciles (`Constants.API_VERSION`).
pub const API_VERSION_V1: &str = "spark.apache.org/v1";
/// `spark.apache.org/v1beta1`, served by the CRD (not stored).
pub const API_VERSION_V1BETA1: &str = "spark.apache.org/v1beta1";

/// A `SparkApplication`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SparkApplication {
    /// `apiVersion`.
    #[serde(default)]
    pub api_version: String,
    /// `kind`.
    #[serde(default)]
    pub kind: String,
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec` (required by the CRD).
    pub spec: ApplicationSpec,
    /// `status`: the operator's; only the attempt id would be read (see
    /// [`super::Options::attempt`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

impl SparkApplication {
    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }

    /// `metadata.namespace` (empty when unset).
    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or_default()
    }

    /// The fields present in this application that the CRD's version `api_version` does not
    /// have, as paths (`spec.driverHttpRouteList`): `v1beta1` lacks the Gateway API routes and
    /// the newer restart and retention settings (the API server drops them).
    pub fn fields_unknown_to_version(&self) -> Vec<String> {
        if self.api_version != API_VERSION_V1BETA1 {
            return Vec::new();
        }
        let spec = &self.spec;
        let mut fields = Vec::new();
        let mut check = |present: bool, path: &str| {
            if present {
                fields.push(path.to_owned());
            }
        };
        check(
            spec.driver_http_route_list.is_some(),
            "spec.driverHttpRouteList",
        );
        check(
            spec.driver_grpc_route_list.is_some(),
            "spec.driverGrpcRouteList",
        );
        if let Some(t) = &spec.application_tolerations {
            check(
                t.resource_retain_duration_millis.is_some(),
                "spec.applicationTolerations.resourceRetainDurationMillis",
            );
            check(
                t.ttl_after_stop_millis.is_some(),
                "spec.applicationTolerations.ttlAfterStopMillis",
            );
            if let Some(r) = &t.restart_config {
                let prefix = "spec.applicationTolerations.restartConfig";
                for (present, field) in [
                    (
                        r.restart_counter_reset_millis.is_some(),
                        "restartCounterResetMillis",
                    ),
                    (r.max_restart_on_failure.is_some(), "maxRestartOnFailure"),
                    (
                        r.restart_backoff_millis_for_failure.is_some(),
                        "restartBackoffMillisForFailure",
                    ),
                    (
                        r.max_restart_on_scheduling_failure.is_some(),
                        "maxRestartOnSchedulingFailure",
                    ),
                    (
                        r.restart_backoff_millis_for_scheduling_failure.is_some(),
                        "restartBackoffMillisForSchedulingFailure",
                    ),
                ] {
                    check(present, &format!("{prefix}.{field}"));
                }
            }
        }
        fields
    }
}

/// `spec` (`ApplicationSpec`, with `sparkConf` from `BaseSpec`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSpec {
    /// `sparkConf`: string values only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spark_conf: Option<BTreeMap<String, String>>,
    /// `mainClass`, passed to Spark as is (absent for Python apps, Spark Connect...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_class: Option<String>,
    /// `runtimeVersions` (required by the CRD).
    pub runtime_versions: RuntimeVersions,
    /// `jars`: the primary resource and `spark.jars` (the whole string, commas included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jars: Option<String>,
    /// `pyFiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub py_files: Option<String>,
    /// `sparkRFiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spark_r_files: Option<String>,
    /// `files`: in the CRD, never read by the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<String>,
    /// `deploymentMode` (default `ClusterMode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_mode: Option<DeploymentMode>,
    /// `proxyUser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_user: Option<String>,
    /// `driverArgs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_args: Option<Vec<String>>,
    /// `applicationTolerations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_tolerations: Option<ApplicationTolerations>,
    /// `driverSpec`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_spec: Option<ApplicationTemplateSpec>,
    /// `executorSpec`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_spec: Option<ApplicationTemplateSpec>,
    /// `driverServiceIngressList`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_service_ingress_list: Option<Vec<DriverServiceIngressSpec>>,
    /// `driverHttpRouteList` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_http_route_list: Option<Vec<DriverHttpRouteSpec>>,
    /// `driverGrpcRouteList` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_grpc_route_list: Option<Vec<DriverGrpcRouteSpec>>,
    /// `configMapSpecs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_specs: Option<Vec<ConfigMapSpec>>,
}

/// `runtimeVersions`: only `sparkVersion` is read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeVersions {
    /// `sparkVersion` (required; any string): replaces `{{SPARK_VERSION}}` in the image keys and
    /// is the driver's `spark-version` label.
    pub spark_version: String,
    /// `scalaVersion` (never read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scala_version: Option<String>,
    /// `jdkVersion` (never read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jdk_version: Option<String>,
}

/// `deploymentMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum DeploymentMode {
    /// The driver runs in a pod the operator creates.
    ClusterMode,
    /// Refused by the operator (`"Client mode is not supported yet."`).
    ClientMode,
}

/// `applicationTolerations`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationTolerations {
    /// `restartConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_config: Option<RestartConfig>,
    /// `applicationTimeoutConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_timeout_config: Option<ApplicationTimeoutConfig>,
    /// `instanceConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_config: Option<ExecutorInstanceConfig>,
    /// `resourceRetainPolicy` (`Always`, `Never`, `OnFailure`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_retain_policy: Option<ResourceRetainPolicy>,
    /// `resourceRetainDurationMillis` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_retain_duration_millis: Option<i64>,
    /// `ttlAfterStopMillis` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_after_stop_millis: Option<i64>,
}

/// `restartConfig`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestartConfig {
    /// `restartPolicy` (default `Never`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// `maxRestartAttempts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_restart_attempts: Option<i64>,
    /// `restartBackoffMillis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_backoff_millis: Option<i64>,
    /// `restartCounterResetMillis` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_counter_reset_millis: Option<i64>,
    /// `maxRestartOnFailure` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_restart_on_failure: Option<i64>,
    /// `restartBackoffMillisForFailure` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_backoff_millis_for_failure: Option<i64>,
    /// `maxRestartOnSchedulingFailure` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_restart_on_scheduling_failure: Option<i64>,
    /// `restartBackoffMillisForSchedulingFailure` (`v1` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_backoff_millis_for_scheduling_failure: Option<i64>,
}

/// `restartPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum RestartPolicy {
    /// Always restart.
    Always,
    /// Never restart (the default).
    Never,
    /// Restart on failure.
    OnFailure,
    /// Restart on infrastructure failure.
    OnInfrastructureFailure,
}

/// `resourceRetainPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ResourceRetainPolicy {
    /// Keep the resources.
    Always,
    /// Delete them (the default).
    Never,
    /// Keep them when the application fails.
    OnFailure,
}

/// `applicationTimeoutConfig` (milliseconds).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationTimeoutConfig {
    /// `driverStartTimeoutMillis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_start_timeout_millis: Option<i64>,
    /// `driverReadyTimeoutMillis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_ready_timeout_millis: Option<i64>,
    /// `executorStartTimeoutMillis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_start_timeout_millis: Option<i64>,
    /// `forceTerminationGracePeriodMillis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_termination_grace_period_millis: Option<i64>,
    /// `terminationRequeuePeriodMillis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_requeue_period_millis: Option<i64>,
}

/// `instanceConfig`: the executor counts the operator watches (it sets no conf from them).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutorInstanceConfig {
    /// `initExecutors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_executors: Option<i32>,
    /// `minExecutors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_executors: Option<i32>,
    /// `maxExecutors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_executors: Option<i32>,
}

/// `driverSpec` / `executorSpec` (`BaseApplicationTemplateSpec`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationTemplateSpec {
    /// `podTemplateSpec`: written to a file the conf names as the role's pod template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_template_spec: Option<PodTemplateSpec>,
}

/// A `driverServiceIngressList` entry: a Service and an Ingress to the driver.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverServiceIngressSpec {
    /// `serviceMetadata` (required by the CRD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_metadata: Option<ObjectMeta>,
    /// `serviceSpec` (required by the CRD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_spec: Option<ServiceSpec>,
    /// `ingressMetadata` (required by the CRD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_metadata: Option<ObjectMeta>,
    /// `ingressSpec`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_spec: Option<IngressSpec>,
}

/// A `driverHttpRouteList` entry: a Service and a Gateway API `HTTPRoute` to the driver. The
/// route's spec is kept as given (k8s-openapi has no Gateway API types).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverHttpRouteSpec {
    /// `serviceMetadata` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_metadata: Option<ObjectMeta>,
    /// `serviceSpec` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_spec: Option<ServiceSpec>,
    /// `httpRouteMetadata` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_route_metadata: Option<ObjectMeta>,
    /// `httpRouteSpec`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_route_spec: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A `driverGrpcRouteList` entry: a Service and a Gateway API `GRPCRoute` to the driver. The
/// route's spec is kept as given (k8s-openapi has no Gateway API types).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverGrpcRouteSpec {
    /// `serviceMetadata` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_metadata: Option<ObjectMeta>,
    /// `serviceSpec` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_spec: Option<ServiceSpec>,
    /// `grpcRouteMetadata` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_route_metadata: Option<ObjectMeta>,
    /// `grpcRouteSpec`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_route_spec: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A `configMapSpecs` entry: a ConfigMap created before the driver.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapSpec {
    /// `name` (required).
    pub name: String,
    /// `labels`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// `annotations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// `data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<BTreeMap<String, String>>,
}
