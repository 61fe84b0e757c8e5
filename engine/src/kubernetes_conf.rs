//! The driver's view of the submission (Spark's `KubernetesDriverConf`): the conf plus the app
//! id, the application and the names derived from them, with the label, annotation, node
//! selector and env maps the steps read.

use crate::app::Application;
use crate::conf::{keys, SparkConf};
use crate::error::{Error, Result};
use crate::inputs::RenderInputs;
use crate::names;
use crate::version::SparkVersion;

/// The label keys Spark reserves for itself.
pub mod labels {
    /// `spark-version`
    pub const SPARK_VERSION: &str = "spark-version";
    /// `spark-app-selector`
    pub const SPARK_APP_ID: &str = "spark-app-selector";
    /// `spark-app-name`
    pub const SPARK_APP_NAME: &str = "spark-app-name";
    /// `spark-role`
    pub const SPARK_ROLE: &str = "spark-role";
}

/// Everything the driver feature steps read.
#[derive(Debug, Clone)]
pub struct DriverConf<'a> {
    /// The submitted conf.
    pub conf: SparkConf,
    /// The application.
    pub app: Application,
    /// The render inputs.
    pub inputs: &'a RenderInputs,
    /// The Spark release mirrored.
    pub version: SparkVersion,
    /// `<app name>-<unique id>`, sanitised: the stem of every object name.
    pub resource_name_prefix: String,
}

impl<'a> DriverConf<'a> {
    /// Builds the driver conf (`KubernetesConf.createDriverConf`).
    pub fn new(
        conf: SparkConf,
        app: Application,
        inputs: &'a RenderInputs,
        version: SparkVersion,
    ) -> Self {
        let resource_name_prefix =
            names::resource_name_prefix(conf.get_or(keys::APP_NAME, "spark"), &inputs.unique_id);
        DriverConf {
            conf,
            app,
            inputs,
            version,
            resource_name_prefix,
        }
    }

    /// The application id.
    pub fn app_id(&self) -> &str {
        &self.inputs.app_id
    }

    /// `spark.app.name` (default `spark`).
    pub fn app_name(&self) -> &str {
        self.conf.get_or(keys::APP_NAME, "spark")
    }

    /// `spark.kubernetes.namespace` (default `default`).
    pub fn namespace(&self) -> &str {
        self.conf.get_or(keys::NAMESPACE, "default")
    }

    /// Entries under `prefix`, keys without it, in conf order (`parsePrefixedKeyValuePairs`).
    pub fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        self.conf
            .with_prefix(prefix)
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// The driver's labels: the user's `spark.kubernetes.driver.label.*` and Spark's preset
    /// ones. A user label with a reserved key is refused, as Spark does.
    pub fn labels(&self) -> Result<Vec<(String, String)>> {
        let preset = [
            (labels::SPARK_VERSION, self.version.to_string()),
            (labels::SPARK_APP_ID, self.app_id().to_owned()),
            (
                labels::SPARK_APP_NAME,
                names::app_name_label(self.app_name()),
            ),
            (labels::SPARK_ROLE, "driver".to_owned()),
        ];
        let custom = self.prefixed(keys::DRIVER_LABEL_PREFIX);
        for (key, _) in &preset {
            if custom.iter().any(|(k, _)| k == key) {
                return Err(Error::NotAllowed {
                    key: format!("{}{key}", keys::DRIVER_LABEL_PREFIX),
                    reason: format!("label key {key} is reserved for Spark bookkeeping operations"),
                });
            }
        }
        let mut all = custom;
        all.extend(preset.into_iter().map(|(k, v)| (k.to_owned(), v)));
        Ok(all)
    }

    /// The driver pod's annotations (`spark.kubernetes.driver.annotation.*`), raw.
    pub fn annotations(&self) -> Vec<(String, String)> {
        self.prefixed(keys::DRIVER_ANNOTATION_PREFIX)
    }

    /// `spark.kubernetes.container.image.pullPolicy`, checked.
    pub fn image_pull_policy(&self) -> Result<&str> {
        let policy = self.conf.get_or(keys::IMAGE_PULL_POLICY, "IfNotPresent");
        match policy {
            "Always" | "Never" | "IfNotPresent" => Ok(policy),
            other => Err(Error::invalid(
                keys::IMAGE_PULL_POLICY,
                other,
                "expected one of Always, Never, IfNotPresent",
            )),
        }
    }

    /// The image pull secrets, a trimmed comma list.
    pub fn image_pull_secrets(&self) -> Vec<String> {
        self.conf.get_seq(keys::IMAGE_PULL_SECRETS)
    }

    /// `spark.kubernetes.driver.scheduler.name`, else `spark.kubernetes.scheduler.name`.
    pub fn scheduler_name(&self) -> Option<&str> {
        self.conf
            .get_first(&[keys::DRIVER_SCHEDULER_NAME, keys::SCHEDULER_NAME])
    }

    /// The memory overhead factor Spark 3.5 derives when `spark.driver.memoryOverheadFactor`
    /// is not set: the legacy `spark.kubernetes.memoryOverheadFactor`, whose default is 0.4
    /// for Python and R apps and 0.1 otherwise. It also becomes a system property.
    pub fn default_overhead_factor(&self) -> Result<f64> {
        let legacy = self.conf.get_double(keys::MEMORY_OVERHEAD_FACTOR)?;
        if let (Some(f), Some(raw)) = (legacy, self.conf.get(keys::MEMORY_OVERHEAD_FACTOR)) {
            if f.is_nan() || f < 0.0 {
                return Err(Error::invalid(
                    keys::MEMORY_OVERHEAD_FACTOR,
                    raw,
                    "the memory overhead factor must be a non-negative number",
                ));
            }
        }
        Ok(match legacy {
            Some(f) => f,
            None if self.app.resource.is_non_jvm() => keys::NON_JVM_MEMORY_OVERHEAD_FACTOR,
            None => keys::DEFAULT_MEMORY_OVERHEAD_FACTOR,
        })
    }
}
