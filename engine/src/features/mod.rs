//! Spark's Kubernetes feature steps, one module each. A step has the contract of Spark's
//! `KubernetesFeatureConfigStep`: it is built from the conf (failing there on bad values, as
//! Spark's constructors do), transforms the [`SparkPod`], and may add system properties and
//! further Kubernetes objects.

pub mod basic_driver_feature_step;
pub mod basic_executor_feature_step;
pub mod driver_command_feature_step;
pub mod driver_kubernetes_credentials_feature_step;
pub mod driver_service_feature_step;
pub mod env_secrets_feature_step;
pub mod executor_kubernetes_credentials_feature_step;
pub mod hadoop_conf_driver_feature_step;
pub mod hadoop_conf_executor_feature_step;
pub mod kerberos_conf_driver_feature_step;
pub mod local_dirs_feature_step;
pub mod mount_secrets_feature_step;
pub mod mount_volumes_feature_step;
pub mod network_policy_feature_step;
pub mod pod_template_config_map_step;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::conf::SparkConf;
use crate::error::Result;
use crate::manifest::Resource;
use crate::pod::SparkPod;
use crate::provenance::Source;

/// What a step may look at to explain a field.
#[derive(Debug, Clone, Copy)]
pub struct ExplainContext<'a> {
    /// The pod's fields after the step (`pod.…`, `container.…`).
    pub fields: &'a BTreeMap<String, Value>,
    /// The conf the step read.
    pub conf: &'a SparkConf,
}

impl ExplainContext<'_> {
    /// The conf key among `keys` that is set, as a source, else `default`.
    pub fn conf_or(&self, keys: &[&str], default: impl Into<String>) -> Source {
        match keys.iter().find_map(|k| self.conf.get(k).map(|v| (*k, v))) {
            Some((k, v)) => Source::conf(k, v),
            None => Source::Default {
                detail: default.into(),
            },
        }
    }

    /// The conf entry `prefix` + `suffix`, as a source, if set.
    pub fn prefixed(&self, prefix: &str, suffix: &str) -> Option<Source> {
        let key = format!("{prefix}{suffix}");
        self.conf.get(&key).map(|v| Source::conf(&key, v))
    }

    /// The source of a pod label, annotation, node selector entry or scheduler name a basic
    /// step set, from the role's conf key families (`prefixes`: label, annotation, node
    /// selector; `scheduler`: the role's and the common scheduler key).
    pub fn pod_metadata(
        &self,
        field: &str,
        step: &str,
        prefixes: [&str; 3],
        scheduler: [&str; 2],
    ) -> Option<Source> {
        let rule = |d: String| Source::rule(step, d);
        if let Some(label) = field.strip_prefix("pod.metadata.labels.") {
            return Some(
                self.prefixed(prefixes[0], label)
                    .unwrap_or_else(|| rule(format!("Spark's own label {label}"))),
            );
        }
        if let Some(a) = field.strip_prefix("pod.metadata.annotations.") {
            return Some(
                self.prefixed(prefixes[1], a)
                    .unwrap_or_else(|| rule(String::new())),
            );
        }
        if let Some(k) = field.strip_prefix("pod.spec.nodeSelector.") {
            return Some(
                self.prefixed(prefixes[2], k)
                    .or_else(|| self.prefixed(crate::config::keys::NODE_SELECTOR_PREFIX, k))
                    .unwrap_or_else(|| rule(String::new())),
            );
        }
        (field == "pod.spec.schedulerName").then(|| self.conf_or(&scheduler, ""))
    }

}

/// One feature step: Spark's `KubernetesFeatureConfigStep`.
pub trait FeatureStep: Explain {
    /// The Spark class this step mirrors, e.g. `BasicDriverFeatureStep`.
    fn name(&self) -> &'static str;

    /// Applies the step to the pod and its Spark container.
    fn configure_pod(&self, pod: &mut SparkPod) -> Result<()>;

    /// System properties the driver gets in its `spark.properties`.
    fn system_properties(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Kubernetes objects created beside the pod.
    fn additional_resources(&self) -> Vec<Resource> {
        Vec::new()
    }
}

/// Where the fields a step set come from, for `spark-render explain`. Kept apart from the
/// step's rules: each step implements it at the end of its module.
pub trait Explain {
    /// Where a field this step set or changed comes from (`field` is `pod.…` or
    /// `container.…`).
    fn explain(&self, field: &str, ctx: &ExplainContext<'_>) -> Source;
}
