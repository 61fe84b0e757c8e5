//! `PodTemplateConfigMapStep`: the executor pod template travels with the driver — in the
//! `<prefix>-driver-podspec-conf-map` ConfigMap, mounted at `/opt/spark/pod-template` — and the
//! driver's `spark.kubernetes.executor.podTemplateFile` points at that copy.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, ConfigMapVolumeSource, KeyToPath, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::config::keys;
use crate::constants::{
    EXECUTOR_POD_SPEC_TEMPLATE_FILE_NAME, EXECUTOR_POD_SPEC_TEMPLATE_MOUNTPATH, POD_TEMPLATE_KEY,
    POD_TEMPLATE_VOLUME,
};
use crate::error::Result;
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The pod template ConfigMap step.
#[derive(Debug, Clone)]
pub struct PodTemplateConfigMapStep {
    config_map_name: String,
    template_text: Option<String>,
}

impl PodTemplateConfigMapStep {
    /// Reads the executor pod template, if the conf names one.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        let template_text = match conf.conf.get(keys::EXECUTOR_POD_TEMPLATE_FILE) {
            Some(path) => Some(
                conf.inputs
                    .file_text(keys::EXECUTOR_POD_TEMPLATE_FILE, path)?
                    .to_owned(),
            ),
            None => None,
        };
        Ok(PodTemplateConfigMapStep {
            config_map_name: format!("{}-driver-podspec-conf-map", conf.resource_name_prefix),
            template_text,
        })
    }
}

impl FeatureStep for PodTemplateConfigMapStep {
    fn name(&self) -> &'static str {
        "PodTemplateConfigMapStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if self.template_text.is_some() {
            p.add_volume(Volume {
                name: POD_TEMPLATE_VOLUME.into(),
                config_map: Some(ConfigMapVolumeSource {
                    name: self.config_map_name.clone(),
                    items: Some(vec![KeyToPath {
                        key: POD_TEMPLATE_KEY.into(),
                        path: EXECUTOR_POD_SPEC_TEMPLATE_FILE_NAME.into(),
                        mode: None,
                    }]),
                    ..ConfigMapVolumeSource::default()
                }),
                ..Volume::default()
            });
            p.add_volume_mount(pod::mount(
                POD_TEMPLATE_VOLUME,
                EXECUTOR_POD_SPEC_TEMPLATE_MOUNTPATH,
            ));
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        match self.template_text {
            Some(_) => vec![(
                keys::EXECUTOR_POD_TEMPLATE_FILE.into(),
                format!(
                    "{}/{}",
                    EXECUTOR_POD_SPEC_TEMPLATE_MOUNTPATH, EXECUTOR_POD_SPEC_TEMPLATE_FILE_NAME
                ),
            )],
            None => Vec::new(),
        }
    }

    fn additional_resources(&self) -> Vec<Resource> {
        match &self.template_text {
            Some(text) => vec![Resource::ConfigMap(ConfigMap {
                metadata: ObjectMeta {
                    name: Some(self.config_map_name.clone()),
                    ..ObjectMeta::default()
                },
                immutable: Some(true),
                data: Some(BTreeMap::from([(
                    POD_TEMPLATE_KEY.to_owned(),
                    text.clone(),
                )])),
                ..ConfigMap::default()
            })],
            None => Vec::new(),
        }
    }
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for PodTemplateConfigMapStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
