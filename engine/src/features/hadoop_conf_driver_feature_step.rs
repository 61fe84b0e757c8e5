//! `HadoopConfDriverFeatureStep`: the Hadoop
//! configuration — the submitter's `HADOOP_CONF_DIR` files, shipped in a ConfigMap
//! `<prefix>-hadoop-config`, or an existing ConfigMap (`spark.kubernetes.hadoop.configMapName`)
//! — mounted at `/opt/hadoop/conf` with `HADOOP_CONF_DIR` pointing there, for the driver and,
//! through `spark.kubernetes.executor.hadoopConfigMapName`, for executors.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, ConfigMapVolumeSource, KeyToPath, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::config::keys;
use crate::constants::{HADOOP_CONF_DIR_PATH, HADOOP_CONF_VOLUME};
use crate::error::{Error, Result};
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The driver's Hadoop configuration step.
#[derive(Debug, Clone)]
pub struct HadoopConfDriverFeatureStep {
    /// The ConfigMap to mount, and the files to create it from (none for an existing one).
    config_map: Option<(String, Option<BTreeMap<String, String>>)>,
    /// Whether executors are told about the ConfigMap (3.5+).
    tell_executors: bool,
}

impl HadoopConfDriverFeatureStep {
    /// Reads `spark.kubernetes.hadoop.configMapName` and the submitter's `HADOOP_CONF_DIR`;
    /// both at once are refused, as Spark does.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        let existing = conf.conf.get(keys::HADOOP_CONFIG_MAP);
        let dir = conf.inputs.env.hadoop_conf_dir.as_ref();
        let config_map = match (dir, existing) {
            (Some(_), Some(_)) => {
                return Err(Error::NotAllowed {
                    key: keys::HADOOP_CONFIG_MAP.into(),
                    reason: "do not set both HADOOP_CONF_DIR in the environment and a Hadoop ConfigMap: creating another ConfigMap when one is given is extraneous".into(),
                })
            }
            (Some(files), None) => {
                // A file whose contents were not read (too large for any ConfigMap) would ship
                // empty: Spark ships it whole, and the API server refuses the ConfigMap.
                if let Some(big) = files
                    .iter()
                    .find(|f| f.contents.as_ref().map_or(0, |c| c.len() as u64) < f.size_bytes)
                {
                    return Err(Error::InvalidInput {
                        input: "HADOOP_CONF_DIR".into(),
                        value: big.name.clone(),
                        reason: format!(
                            "the file is {} bytes: the Hadoop ConfigMap would be over 1 MiB, which the API server refuses",
                            big.size_bytes
                        ),
                    });
                }
                let data = files
                    .iter()
                    .map(|f| (f.name.clone(), f.contents.clone().unwrap_or_default()))
                    .collect();
                Some((format!("{}-hadoop-config", conf.resource_name_prefix), Some(data)))
            }
            (None, Some(name)) => Some((name.to_owned(), None)),
            (None, None) => None,
        };
        Ok(HadoopConfDriverFeatureStep {
            config_map,
            tell_executors: conf.version.release().hadoop_conf_in_executors(),
        })
    }
}

impl FeatureStep for HadoopConfDriverFeatureStep {
    fn name(&self) -> &'static str {
        "HadoopConfDriverFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if let Some((name, files)) = &self.config_map {
            let items = files.as_ref().map(|files| {
                files
                    .keys()
                    .map(|f| KeyToPath {
                        key: f.clone(),
                        path: f.clone(),
                        mode: None,
                    })
                    .collect()
            });
            mount_hadoop_config_map(p, name, items);
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        self.config_map
            .iter()
            .filter(|_| self.tell_executors)
            .map(|(name, _)| (keys::EXECUTOR_HADOOP_CONFIG_MAP.into(), name.into()))
            .collect()
    }

    fn additional_resources(&self) -> Vec<Resource> {
        match &self.config_map {
            Some((name, Some(files))) => vec![Resource::ConfigMap(ConfigMap {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    ..ObjectMeta::default()
                },
                immutable: Some(true),
                data: Some(files.clone()),
                ..ConfigMap::default()
            })],
            _ => Vec::new(),
        }
    }
}

/// Mounts a Hadoop configuration ConfigMap at `/opt/hadoop/conf` and points `HADOOP_CONF_DIR`
/// there (`HadoopBootstrapUtil.bootstrapHadoopConfDir`).
pub(crate) fn mount_hadoop_config_map(p: &mut SparkPod, name: &str, items: Option<Vec<KeyToPath>>) {
    p.add_volume(Volume {
        name: HADOOP_CONF_VOLUME.into(),
        config_map: Some(ConfigMapVolumeSource {
            name: name.to_owned(),
            items: items.filter(|i| !i.is_empty()),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    });
    p.add_volume_mount(pod::mount(HADOOP_CONF_VOLUME, HADOOP_CONF_DIR_PATH));
    p.add_env([pod::env("HADOOP_CONF_DIR", HADOOP_CONF_DIR_PATH)]);
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for HadoopConfDriverFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
