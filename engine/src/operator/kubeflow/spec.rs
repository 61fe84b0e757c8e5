//! The `sparkoperator.k8s.io/v1beta2` `SparkApplication` of kubeflow/spark-operator
//! (`api/v1beta2/sparkapplication_types.go`), with the field names of its JSON form.
//!
//! Maps are ordered by key: Go iterates maps in random order, so the order of the `--conf`
//! arguments built from them varies between submissions; spark-render fixes it (it changes
//! nothing Spark creates, each key being set once).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container, EnvFromSource, EnvVar, HostAlias, Lifecycle, PodDNSConfig,
    PodSecurityContext, PodTemplateSpec, SecurityContext, Toleration, Volume, VolumeMount,
};
use k8s_openapi::api::networking::v1::IngressTLS;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// The `apiVersion` of kubeflow's resource.
pub const API_VERSION: &str = "sparkoperator.k8s.io/v1beta2";

/// The fields of `spec` its CRD requires (`config/crd/bases/sparkoperator.k8s.io_sparkapplications.yaml`).
/// `type` is defaulted by the operator's webhook before the API server checks the schema.
pub const REQUIRED_SPEC_FIELDS: &[&str] = &[
    "driver",
    "executor",
    "mainApplicationFile",
    "sparkVersion",
    "type",
];

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
    /// `spec`.
    #[serde(default)]
    pub spec: SparkApplicationSpec,
    /// `status`: only `submissionID` and `sparkApplicationId` are read.
    #[serde(default)]
    pub status: SparkApplicationStatus,
}

impl SparkApplication {
    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }

    /// `metadata.namespace` (the API server's `default` when unset).
    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or("default")
    }
}

/// `status`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SparkApplicationStatus {
    /// `sparkApplicationId`.
    #[serde(default)]
    pub spark_application_id: String,
    /// `submissionID`: the UUID the controller draws for each submission.
    #[serde(default, rename = "submissionID")]
    pub submission_id: String,
}

/// `spec`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SparkApplicationSpec {
    /// `suspend`.
    pub suspend: Option<bool>,
    /// `Scala`, `Java`, `Python` or `R`.
    #[serde(default, rename = "type")]
    pub app_type: String,
    /// `sparkVersion`.
    #[serde(default)]
    pub spark_version: String,
    /// `cluster`, `client` or `in-cluster-client`.
    #[serde(default)]
    pub mode: String,
    /// `proxyUser`.
    pub proxy_user: Option<String>,
    /// `image`.
    pub image: Option<String>,
    /// `imagePullPolicy`.
    pub image_pull_policy: Option<String>,
    /// `imagePullSecrets`.
    #[serde(default)]
    pub image_pull_secrets: Vec<String>,
    /// `mainClass`.
    pub main_class: Option<String>,
    /// `mainApplicationFile`.
    pub main_application_file: Option<String>,
    /// `arguments`.
    #[serde(default)]
    pub arguments: Vec<String>,
    /// `sparkConf`.
    pub spark_conf: Option<BTreeMap<String, String>>,
    /// `hadoopConf`.
    pub hadoop_conf: Option<BTreeMap<String, String>>,
    /// `sparkConfigMap`.
    pub spark_config_map: Option<String>,
    /// `hadoopConfigMap`.
    pub hadoop_config_map: Option<String>,
    /// `volumes`.
    #[serde(default)]
    pub volumes: Vec<Volume>,
    /// `driver`.
    #[serde(default)]
    pub driver: RoleSpec,
    /// `executor`.
    #[serde(default)]
    pub executor: RoleSpec,
    /// `deps`.
    #[serde(default)]
    pub deps: Dependencies,
    /// `restartPolicy`.
    #[serde(default)]
    pub restart_policy: RestartPolicy,
    /// `nodeSelector`.
    pub node_selector: Option<BTreeMap<String, String>>,
    /// `failureRetries`.
    pub failure_retries: Option<i32>,
    /// `retryInterval`.
    pub retry_interval: Option<i64>,
    /// `pythonVersion`.
    pub python_version: Option<String>,
    /// `memoryOverheadFactor`.
    pub memory_overhead_factor: Option<String>,
    /// `monitoring`.
    pub monitoring: Option<MonitoringSpec>,
    /// `batchScheduler`.
    pub batch_scheduler: Option<String>,
    /// `timeToLiveSeconds`.
    pub time_to_live_seconds: Option<i64>,
    /// `batchSchedulerOptions`.
    pub batch_scheduler_options: Option<BatchSchedulerConfiguration>,
    /// `sparkUIOptions`.
    #[serde(rename = "sparkUIOptions")]
    pub spark_ui_options: Option<SparkUiConfiguration>,
    /// `driverIngressOptions`.
    #[serde(default)]
    pub driver_ingress_options: Vec<DriverIngressConfiguration>,
    /// `dynamicAllocation`.
    pub dynamic_allocation: Option<DynamicAllocation>,
}

/// `spec.restartPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestartPolicy {
    /// `type`.
    #[serde(default, rename = "type")]
    pub policy_type: String,
    /// `onSubmissionFailureRetries`.
    pub on_submission_failure_retries: Option<i32>,
    /// `onFailureRetries`.
    pub on_failure_retries: Option<i32>,
    /// `onSubmissionFailureRetryInterval`.
    pub on_submission_failure_retry_interval: Option<i64>,
    /// `onFailureRetryInterval`.
    pub on_failure_retry_interval: Option<i64>,
}

/// `spec.batchSchedulerOptions`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchSchedulerConfiguration {
    /// `queue`.
    pub queue: Option<String>,
    /// `priorityClassName`.
    pub priority_class_name: Option<String>,
    /// `resources`.
    pub resources: Option<BTreeMap<String, Quantity>>,
}

/// `spec.sparkUIOptions`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SparkUiConfiguration {
    /// `servicePort`.
    pub service_port: Option<i32>,
    /// `servicePortName`.
    pub service_port_name: Option<String>,
    /// `serviceType`.
    pub service_type: Option<String>,
    /// `serviceAnnotations`.
    pub service_annotations: Option<BTreeMap<String, String>>,
    /// `serviceLabels`.
    pub service_labels: Option<BTreeMap<String, String>>,
    /// `ingressAnnotations`.
    pub ingress_annotations: Option<BTreeMap<String, String>>,
    /// `ingressTLS`.
    #[serde(rename = "ingressTLS")]
    pub ingress_tls: Option<Vec<IngressTLS>>,
}

/// An entry of `spec.driverIngressOptions`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverIngressConfiguration {
    /// `servicePort`.
    pub service_port: Option<i32>,
    /// `servicePortName`.
    pub service_port_name: Option<String>,
    /// `serviceType`.
    pub service_type: Option<String>,
    /// `serviceAnnotations`.
    pub service_annotations: Option<BTreeMap<String, String>>,
    /// `serviceLabels`.
    pub service_labels: Option<BTreeMap<String, String>>,
    /// `ingressURLFormat`.
    #[serde(default, rename = "ingressURLFormat")]
    pub ingress_url_format: String,
    /// `ingressAnnotations`.
    pub ingress_annotations: Option<BTreeMap<String, String>>,
    /// `ingressTLS`.
    #[serde(rename = "ingressTLS")]
    pub ingress_tls: Option<Vec<IngressTLS>>,
}

/// `spec.deps`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dependencies {
    /// `jars`.
    #[serde(default)]
    pub jars: Vec<String>,
    /// `files`.
    #[serde(default)]
    pub files: Vec<String>,
    /// `pyFiles`.
    #[serde(default)]
    pub py_files: Vec<String>,
    /// `packages`.
    #[serde(default)]
    pub packages: Vec<String>,
    /// `excludePackages`.
    #[serde(default)]
    pub exclude_packages: Vec<String>,
    /// `repositories`.
    #[serde(default)]
    pub repositories: Vec<String>,
    /// `archives`.
    #[serde(default)]
    pub archives: Vec<String>,
}

/// `spec.driver` or `spec.executor`: the fields both share (`SparkPodSpec`), then those of
/// one role (`DriverSpec`, `ExecutorSpec`). A field of the other role is an unknown field
/// ([`RoleSpec::fields_of_other_role`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleSpec {
    /// `template`.
    pub template: Option<PodTemplateSpec>,
    /// `cores`.
    pub cores: Option<i32>,
    /// `coreLimit`.
    pub core_limit: Option<String>,
    /// `memory`.
    pub memory: Option<String>,
    /// `memoryLimit`.
    pub memory_limit: Option<String>,
    /// `memoryOverhead`.
    pub memory_overhead: Option<String>,
    /// `gpu`.
    pub gpu: Option<GpuSpec>,
    /// `image`.
    pub image: Option<String>,
    /// `configMaps`.
    #[serde(default)]
    pub config_maps: Vec<NamePath>,
    /// `secrets`.
    #[serde(default)]
    pub secrets: Vec<SecretInfo>,
    /// `env`.
    #[serde(default)]
    pub env: Vec<EnvVar>,
    /// `envVars`.
    pub env_vars: Option<BTreeMap<String, String>>,
    /// `envFrom`.
    #[serde(default)]
    pub env_from: Vec<EnvFromSource>,
    /// `envSecretKeyRefs`.
    pub env_secret_key_refs: Option<BTreeMap<String, NameKey>>,
    /// `labels`.
    pub labels: Option<BTreeMap<String, String>>,
    /// `annotations`.
    pub annotations: Option<BTreeMap<String, String>>,
    /// `volumeMounts`.
    #[serde(default)]
    pub volume_mounts: Vec<VolumeMount>,
    /// `affinity`.
    pub affinity: Option<Affinity>,
    /// `tolerations`.
    #[serde(default)]
    pub tolerations: Vec<Toleration>,
    /// `podSecurityContext`.
    pub pod_security_context: Option<PodSecurityContext>,
    /// `securityContext`.
    pub security_context: Option<SecurityContext>,
    /// `schedulerName`.
    pub scheduler_name: Option<String>,
    /// `sidecars`.
    #[serde(default)]
    pub sidecars: Vec<Container>,
    /// `initContainers`.
    #[serde(default)]
    pub init_containers: Vec<Container>,
    /// `hostNetwork`.
    pub host_network: Option<bool>,
    /// `nodeSelector`.
    pub node_selector: Option<BTreeMap<String, String>>,
    /// `dnsConfig`.
    pub dns_config: Option<PodDNSConfig>,
    /// `terminationGracePeriodSeconds`.
    pub termination_grace_period_seconds: Option<i64>,
    /// `serviceAccount`.
    pub service_account: Option<String>,
    /// `hostAliases`.
    #[serde(default)]
    pub host_aliases: Vec<HostAlias>,
    /// `shareProcessNamespace`.
    pub share_process_namespace: Option<bool>,
    /// `coreRequest`.
    pub core_request: Option<String>,
    /// `javaOptions`.
    pub java_options: Option<String>,
    /// `lifecycle`.
    pub lifecycle: Option<Lifecycle>,
    /// `ports`.
    #[serde(default)]
    pub ports: Vec<Port>,
    /// `priorityClassName`.
    pub priority_class_name: Option<String>,
    /// Driver only.
    pub pod_name: Option<String>,
    /// Driver only.
    pub kubernetes_master: Option<String>,
    /// Driver only.
    pub service_annotations: Option<BTreeMap<String, String>>,
    /// Driver only.
    pub service_labels: Option<BTreeMap<String, String>>,
    /// Executor only.
    pub instances: Option<i32>,
    /// Executor only.
    pub delete_on_termination: Option<bool>,
}

impl RoleSpec {
    /// The fields set here that only the other role has: `DriverSpec` has no `instances`,
    /// `ExecutorSpec` no `podName`; the API server drops them.
    pub fn fields_of_other_role(&self, driver: bool) -> Vec<&'static str> {
        let set = if driver {
            vec![
                ("instances", self.instances.is_some()),
                ("deleteOnTermination", self.delete_on_termination.is_some()),
            ]
        } else {
            vec![
                ("podName", self.pod_name.is_some()),
                ("kubernetesMaster", self.kubernetes_master.is_some()),
                ("serviceAnnotations", self.service_annotations.is_some()),
                ("serviceLabels", self.service_labels.is_some()),
            ]
        };
        set.into_iter()
            .filter(|(_, s)| *s)
            .map(|(f, _)| f)
            .collect()
    }
}

/// A ConfigMap to mount (`configMaps`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct NamePath {
    /// `name`.
    pub name: String,
    /// `path`.
    pub path: String,
}

/// A Secret to mount (`secrets`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretInfo {
    /// `name`.
    pub name: String,
    /// `path`.
    pub path: String,
    /// `GCPServiceAccount`, `HadoopDelegationToken` or `Generic`.
    #[serde(default)]
    pub secret_type: String,
}

/// A Secret key (`envSecretKeyRefs`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct NameKey {
    /// `name`.
    pub name: String,
    /// `key`.
    pub key: String,
}

/// A container port (`ports`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Port {
    /// `name`.
    pub name: String,
    /// `protocol`.
    pub protocol: String,
    /// `containerPort`.
    pub container_port: i32,
}

/// `gpu`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct GpuSpec {
    /// `name`.
    pub name: String,
    /// `quantity`.
    pub quantity: i64,
}

/// `spec.monitoring`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitoringSpec {
    /// `exposeDriverMetrics`.
    #[serde(default)]
    pub expose_driver_metrics: bool,
    /// `exposeExecutorMetrics`.
    #[serde(default)]
    pub expose_executor_metrics: bool,
    /// `metricsProperties`.
    pub metrics_properties: Option<String>,
    /// `metricsPropertiesFile`.
    pub metrics_properties_file: Option<String>,
    /// `prometheus`.
    pub prometheus: Option<PrometheusSpec>,
}

/// `spec.monitoring.prometheus`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusSpec {
    /// `jmxExporterJar`.
    #[serde(default)]
    pub jmx_exporter_jar: String,
    /// `port`.
    pub port: Option<i32>,
    /// `portName`.
    pub port_name: Option<String>,
    /// `configFile`.
    pub config_file: Option<String>,
    /// `configuration`.
    pub configuration: Option<String>,
}

/// `spec.dynamicAllocation`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicAllocation {
    /// `enabled`.
    #[serde(default)]
    pub enabled: bool,
    /// `initialExecutors`.
    pub initial_executors: Option<i32>,
    /// `minExecutors`.
    pub min_executors: Option<i32>,
    /// `maxExecutors`.
    pub max_executors: Option<i32>,
    /// `shuffleTrackingEnabled`.
    pub shuffle_tracking_enabled: Option<bool>,
    /// `shuffleTrackingTimeout`.
    pub shuffle_tracking_timeout: Option<i64>,
}
