//! `KerberosConfDriverFeatureStep`, for an existing krb5 ConfigMap
//! (`spark.kubernetes.kerberos.krb5.configMapName`): mounted as `/etc/krb5.conf`. (A local
//! krb5 file, keytabs and delegation-token secrets are refused before the steps run.)

use k8s_openapi::api::core::v1::{ConfigMapVolumeSource, Volume, VolumeMount};

use crate::conf::keys;
use crate::error::Result;
use crate::kubernetes_conf::DriverConf;
use crate::pod::SparkPod;
use crate::steps::FeatureStep;

/// The krb5 volume's name.
pub const KRB_FILE_VOLUME: &str = "krb5-file";

/// The Kerberos configuration step.
#[derive(Debug, Clone)]
pub struct KerberosConfStep {
    krb5_config_map: Option<String>,
}

impl KerberosConfStep {
    /// Reads `spark.kubernetes.kerberos.krb5.configMapName`.
    pub fn new(conf: &DriverConf<'_>) -> Self {
        KerberosConfStep {
            krb5_config_map: conf.conf.get(keys::KRB5_CONFIG_MAP).map(str::to_owned),
        }
    }
}

impl FeatureStep for KerberosConfStep {
    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if let Some(name) = &self.krb5_config_map {
            p.add_volume(Volume {
                name: KRB_FILE_VOLUME.into(),
                config_map: Some(ConfigMapVolumeSource {
                    name: name.clone(),
                    ..ConfigMapVolumeSource::default()
                }),
                ..Volume::default()
            });
            p.add_volume_mount(VolumeMount {
                name: KRB_FILE_VOLUME.into(),
                mount_path: "/etc/krb5.conf".into(),
                sub_path: Some("krb5.conf".into()),
                ..VolumeMount::default()
            });
        }
        Ok(())
    }
}
