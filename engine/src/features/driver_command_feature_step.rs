//! `DriverCommandFeatureStep`: the driver container's arguments
//! (`driver [--proxy-user U] --properties-file … --class C RESOURCE ARGS…`), the Python
//! interpreter env of Python apps, and `spark.kubernetes.resource.type`.

use crate::app::MainAppResource;
use crate::config::keys;
use crate::constants::SPARK_CONF_PATH;
use crate::error::Result;
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::k8s_utils;
use crate::kubernetes_conf::DriverConf;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The driver command step.
#[derive(Debug, Clone)]
pub struct DriverCommandFeatureStep {
    args: Vec<String>,
    env: Vec<(String, String)>,
    resource_type: &'static str,
}

impl DriverCommandFeatureStep {
    /// Builds the driver's arguments; a local Python main file is shown at its upload URI.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        let app = &conf.app;
        let mut env = Vec::new();
        let resource = match &app.resource {
            // A local jar is already in spark.jars; the driver gets a placeholder.
            MainAppResource::Java(res) => {
                let res = res.as_deref().unwrap_or(k8s_utils::NO_RESOURCE);
                if k8s_utils::is_local_and_resolvable(res) {
                    k8s_utils::NO_RESOURCE.to_owned()
                } else {
                    res.to_owned()
                }
            }
            MainAppResource::Python(res) => {
                let submitter = &conf.inputs.env;
                let python = conf
                    .conf
                    .get(keys::PYSPARK_PYTHON)
                    .map(str::to_owned)
                    .or_else(|| submitter.pyspark_python.clone());
                let driver_python = conf
                    .conf
                    .get_first(&[keys::PYSPARK_DRIVER_PYTHON, keys::PYSPARK_PYTHON])
                    .map(str::to_owned)
                    .or_else(|| submitter.pyspark_driver_python.clone())
                    .or_else(|| submitter.pyspark_python.clone());
                if let Some(p) = python {
                    env.push(("PYSPARK_PYTHON".to_owned(), p));
                }
                if let Some(p) = driver_python {
                    env.push(("PYSPARK_DRIVER_PYTHON".to_owned(), p));
                }
                if k8s_utils::is_local_and_resolvable(res) {
                    k8s_utils::upload_file_uri(res, conf.conf, conf.inputs, "the main resource")?
                } else {
                    res.clone()
                }
            }
            MainAppResource::R(res) => res.clone(),
        };
        let mut args = vec!["driver".to_owned()];
        if let Some(user) = &app.proxy_user {
            args.extend(["--proxy-user".to_owned(), user.clone()]);
        }
        args.extend([
            "--properties-file".to_owned(),
            SPARK_CONF_PATH.to_owned(),
            "--class".to_owned(),
            app.main_class.clone(),
            resource,
        ]);
        args.extend(app.args.iter().cloned());
        Ok(DriverCommandFeatureStep {
            args,
            env,
            resource_type: app.resource.resource_type(),
        })
    }
}

impl FeatureStep for DriverCommandFeatureStep {
    fn name(&self) -> &'static str {
        "DriverCommandFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        p.container
            .args
            .get_or_insert_with(Vec::new)
            .extend(self.args.clone());
        if !self.env.is_empty() {
            p.add_env(self.env.clone().into_iter().map(|(k, v)| pod::env(k, v)));
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        vec![(keys::RESOURCE_TYPE.into(), self.resource_type.into())]
    }
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for DriverCommandFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
