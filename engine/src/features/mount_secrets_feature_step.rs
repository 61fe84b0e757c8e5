//! `MountSecretsFeatureStep`: `spark.kubernetes.driver.secrets.NAME=PATH` mounts Secret `NAME`
//! at `PATH` through a volume `NAME-volume`.

use k8s_openapi::api::core::v1::{SecretVolumeSource, Volume};

use crate::error::Result;
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::kubernetes_conf::KubernetesConf;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The mount-secrets step.
#[derive(Debug, Clone)]
pub struct MountSecretsFeatureStep {
    secrets: Vec<(String, String)>,
}

impl MountSecretsFeatureStep {
    /// The role's secrets (`secretNamesToMountPaths`), in Spark's order.
    pub fn new(conf: &impl KubernetesConf) -> Self {
        MountSecretsFeatureStep {
            secrets: conf.secret_names_to_mount_paths(),
        }
    }
}

impl FeatureStep for MountSecretsFeatureStep {
    fn name(&self) -> &'static str {
        "MountSecretsFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        for (secret, _) in &self.secrets {
            p.add_volume(Volume {
                name: format!("{secret}-volume"),
                secret: Some(SecretVolumeSource {
                    secret_name: Some(secret.clone()),
                    ..SecretVolumeSource::default()
                }),
                ..Volume::default()
            });
        }
        for (secret, path) in &self.secrets {
            p.add_volume_mount(pod::mount(format!("{secret}-volume"), path));
        }
        Ok(())
    }
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for MountSecretsFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
