//! `HadoopConfDriverFeatureStep`, for an existing ConfigMap
//! (`spark.kubernetes.hadoop.configMapName`): mounted at `/opt/hadoop/conf` with
//! `HADOOP_CONF_DIR` pointing there, and handed on to executors. (Shipping the submitter's
//! `HADOOP_CONF_DIR` files is refused before the steps run.)

use k8s_openapi::api::core::v1::{ConfigMapVolumeSource, Volume};

use crate::conf::keys;
use crate::error::Result;
use crate::kubernetes_conf::DriverConf;
use crate::pod::{self, SparkPod};
use crate::steps::FeatureStep;

/// The Hadoop configuration volume's name.
pub const HADOOP_CONF_VOLUME: &str = "hadoop-properties";
/// Where the Hadoop configuration is mounted.
pub const HADOOP_CONF_DIR_PATH: &str = "/opt/hadoop/conf";

/// The Hadoop configuration step.
#[derive(Debug, Clone)]
pub struct HadoopConfStep {
    config_map: Option<String>,
}

impl HadoopConfStep {
    /// Reads `spark.kubernetes.hadoop.configMapName`.
    pub fn new(conf: &DriverConf<'_>) -> Self {
        HadoopConfStep {
            config_map: conf.conf.get(keys::HADOOP_CONFIG_MAP).map(str::to_owned),
        }
    }
}

impl FeatureStep for HadoopConfStep {
    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if let Some(name) = &self.config_map {
            mount_hadoop_config_map(p, name);
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        self.config_map
            .iter()
            .map(|name| (keys::EXECUTOR_HADOOP_CONFIG_MAP.to_owned(), name.clone()))
            .collect()
    }
}

/// Mounts a Hadoop configuration ConfigMap at `/opt/hadoop/conf` and points `HADOOP_CONF_DIR`
/// there (`HadoopBootstrapUtil.bootstrapHadoopConfDir` for an existing ConfigMap).
fn mount_hadoop_config_map(p: &mut SparkPod, name: &str) {
    p.add_volume(Volume {
        name: HADOOP_CONF_VOLUME.into(),
        config_map: Some(ConfigMapVolumeSource {
            name: name.to_owned(),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    });
    p.add_volume_mount(pod::mount(HADOOP_CONF_VOLUME, HADOOP_CONF_DIR_PATH));
    p.add_env([pod::env("HADOOP_CONF_DIR", HADOOP_CONF_DIR_PATH)]);
}

/// `HadoopConfExecutorFeatureStep`: executors mount the ConfigMap the driver names in
/// `spark.kubernetes.executor.hadoopConfigMapName`.
#[derive(Debug, Clone)]
pub struct HadoopConfExecutorStep {
    config_map: Option<String>,
}

impl HadoopConfExecutorStep {
    /// Reads `spark.kubernetes.executor.hadoopConfigMapName`.
    pub fn new(conf: &crate::SparkConf) -> Self {
        HadoopConfExecutorStep {
            config_map: conf
                .get(keys::EXECUTOR_HADOOP_CONFIG_MAP)
                .map(str::to_owned),
        }
    }
}

impl FeatureStep for HadoopConfExecutorStep {
    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if let Some(name) = &self.config_map {
            mount_hadoop_config_map(p, name);
        }
        Ok(())
    }
}
