//! `HadoopConfExecutorFeatureStep`: executors mount the Hadoop configuration ConfigMap the
//! driver names for them.

use crate::config::keys;
use crate::error::Result;
use crate::features::hadoop_conf_driver_feature_step::mount_hadoop_config_map;
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::kubernetes_conf::ExecutorConf;
use crate::pod::SparkPod;
use crate::provenance::Source;

/// `HadoopConfExecutorFeatureStep`: executors mount the ConfigMap the driver names in
/// `spark.kubernetes.executor.hadoopConfigMapName`.
#[derive(Debug, Clone)]
pub struct HadoopConfExecutorFeatureStep {
    config_map: Option<String>,
}

impl HadoopConfExecutorFeatureStep {
    /// Reads `spark.kubernetes.executor.hadoopConfigMapName`.
    pub fn new(conf: &ExecutorConf<'_>) -> Self {
        HadoopConfExecutorFeatureStep {
            config_map: conf
                .conf
                .get(keys::EXECUTOR_HADOOP_CONFIG_MAP)
                .map(str::to_owned),
        }
    }
}

impl FeatureStep for HadoopConfExecutorFeatureStep {
    fn name(&self) -> &'static str {
        "HadoopConfExecutorFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if let Some(name) = &self.config_map {
            mount_hadoop_config_map(p, name, None);
        }
        Ok(())
    }
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for HadoopConfExecutorFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
