//! Spark's Kubernetes feature steps, one module each. A step has the contract of Spark's
//! `KubernetesFeatureConfigStep`: it is built from the conf (failing there on bad values, as
//! Spark's constructors do), transforms the [`SparkPod`], and may add system properties and
//! further Kubernetes objects.

pub mod basic_driver;
pub mod basic_executor;
pub mod driver_command;
pub mod driver_credentials;
pub mod driver_service;
pub mod env_secrets;
pub mod executor_credentials;
pub mod hadoop_conf;
pub mod kerberos_conf;
pub mod local_dirs;
pub mod mount_secrets;
pub mod mount_volumes;
pub mod pod_template_config_map;

use crate::error::Result;
use crate::manifest::Resource;
use crate::pod::SparkPod;

/// One feature step.
pub trait FeatureStep {
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
