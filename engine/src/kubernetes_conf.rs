//! The driver's view of the submission (Spark's `KubernetesDriverConf`): the conf plus the app
//! id, the application and the names derived from them, with the label, annotation, node
//! selector and env maps the steps read.

use crate::app::Application;
use crate::conf::SparkConf;
use crate::config::keys;
use crate::constants::labels;
use crate::error::{Error, Result};
use crate::inputs::RenderInputs;
use crate::names;
use crate::version::{Release, SparkVersion};
use crate::volume_utils::{parse_volumes, VolumeOwner, VolumeSpec};

/// What every feature step reads, whichever the role: Spark's abstract `KubernetesConf`,
/// which [`DriverConf`] and [`ExecutorConf`] extend. Steps Spark shares between the roles
/// (secrets, volumes, local dirs) are built from it.
pub trait KubernetesConf {
    /// The Spark conf.
    fn spark_conf(&self) -> &SparkConf;
    /// The render inputs.
    fn inputs(&self) -> &RenderInputs;
    /// What the mirrored release does differently.
    fn release(&self) -> Release;
    /// The application id.
    fn app_id(&self) -> &str;
    /// The stem of the role's object names (claims are named after it).
    fn resource_name_prefix(&self) -> &str;
    /// Whose pod this is.
    fn volume_owner(&self) -> VolumeOwner;
    /// The role's `spark.kubernetes.{driver,executor}.secrets.` family.
    fn secrets_prefix(&self) -> &'static str;
    /// The role's `spark.kubernetes.{driver,executor}.secretKeyRef.` family.
    fn secret_key_ref_prefix(&self) -> &'static str;
    /// The role's `spark.kubernetes.{driver,executor}.volumes.` family.
    fn volumes_prefix(&self) -> &'static str;
    /// `SPARK_LOCAL_DIRS` as the role's process sees it: the submitter's for the driver, the
    /// driver container's for executors.
    fn spark_local_dirs_env(&self) -> Option<&str>;
    /// Entries under `prefix`, keys without it, borrowed, in the order Spark iterates them.
    fn prefixed_borrowed(&self, prefix: &str) -> Vec<(&str, &str)>;

    /// Entries under `prefix`, keys without it (`parsePrefixedKeyValuePairs`), in the order
    /// Spark iterates them.
    fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        owned(self.prefixed_borrowed(prefix))
    }

    /// `secretNamesToMountPaths`.
    fn secret_names_to_mount_paths(&self) -> Vec<(String, String)> {
        self.prefixed(self.secrets_prefix())
    }

    /// `secretEnvNamesToKeyRefs`.
    fn secret_env_names_to_key_refs(&self) -> Vec<(String, String)> {
        self.prefixed(self.secret_key_ref_prefix())
    }

    /// `volumes`: the role's volumes, parsed as `KubernetesVolumeUtils` parses them.
    fn volumes(&self) -> Result<Vec<VolumeSpec>> {
        parse_volumes(
            &self.prefixed_borrowed(self.volumes_prefix()),
            self.volumes_prefix(),
            self.release(),
        )
    }
}

/// Everything the driver feature steps read.
#[derive(Debug, Clone)]
pub struct DriverConf<'a> {
    /// The submitted conf.
    pub conf: &'a SparkConf,
    /// The application.
    pub app: &'a Application,
    /// The render inputs.
    pub inputs: &'a RenderInputs,
    /// The Spark release mirrored.
    pub version: SparkVersion,
    /// `<app name>-<unique id>`, sanitised: the stem of every object name.
    pub resource_name_prefix: String,
    /// `conf`'s entries in the order `SparkConf.getAll` returns them, as positions in `conf`.
    get_all_order: Vec<usize>,
}

impl<'a> DriverConf<'a> {
    /// Builds the driver conf (`KubernetesConf.createDriverConf`).
    pub fn new(
        conf: &'a SparkConf,
        app: &'a Application,
        inputs: &'a RenderInputs,
        version: SparkVersion,
    ) -> Self {
        let resource_name_prefix = match &inputs.resource_name_prefix {
            Some(prefix) => prefix.clone(),
            None => names::resource_name_prefix(conf.read_str(&keys::APP_NAME), &inputs.unique_id),
        };
        let get_all_order = crate::hash_order::get_all_order(
            version.release().scala(),
            &conf.iter().collect::<Vec<_>>(),
        );
        DriverConf {
            conf,
            app,
            inputs,
            version,
            resource_name_prefix,
            get_all_order,
        }
    }

    /// `spark.app.name` (default `spark`).
    pub fn app_name(&self) -> &str {
        self.conf.read_str(&keys::APP_NAME)
    }

    /// `spark.kubernetes.namespace` (default `default`).
    pub fn namespace(&self) -> &str {
        self.conf.read_str(&keys::NAMESPACE)
    }

    /// The driver's labels: the user's `spark.kubernetes.driver.label.*` and Spark's preset
    /// ones. A user label with a reserved key is refused, as Spark does.
    pub fn labels(&self) -> Result<Vec<(String, String)>> {
        let version = match &self.inputs.driver_spark_version_label {
            Some(label) => label.clone(),
            None => self.version.to_string(),
        };
        let preset = [
            (labels::SPARK_VERSION, version),
            (labels::SPARK_APP_ID, self.app_id().to_owned()),
            (
                labels::SPARK_APP_NAME,
                names::app_name_label(self.app_name()),
            ),
            (labels::SPARK_ROLE, "driver".to_owned()),
        ];
        let mut labels = with_preset_labels(self.conf, keys::DRIVER_LABEL_PREFIX, preset)?;
        if self.version.release().app_id_in_labels() {
            for (_, value) in &mut labels {
                *value = crate::utils::substitute_ids(value, self.app_id(), "");
            }
        }
        Ok(labels)
    }

    /// The driver pod's annotations (`spark.kubernetes.driver.annotation.*`), raw.
    pub fn annotations(&self) -> Vec<(String, String)> {
        self.prefixed(keys::DRIVER_ANNOTATION_PREFIX)
    }

    /// `spark.kubernetes.container.image.pullPolicy`, checked.
    pub fn image_pull_policy(&self) -> Result<&str> {
        image_pull_policy(self.conf)
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
        let Some(raw) = self.conf.get(keys::MEMORY_OVERHEAD_FACTOR.key) else {
            return Ok(if self.app.resource.is_non_jvm() {
                crate::constants::NON_JVM_MEMORY_OVERHEAD_FACTOR
            } else {
                self.conf.read(&keys::MEMORY_OVERHEAD_FACTOR)?
            });
        };
        let factor = self.conf.read(&keys::MEMORY_OVERHEAD_FACTOR)?;
        if factor.is_nan() || factor < 0.0 {
            return Err(Error::invalid(
                keys::MEMORY_OVERHEAD_FACTOR.key,
                raw,
                "the memory overhead factor must be a non-negative number",
            ));
        }
        Ok(factor)
    }
}

/// Entries under `prefix`, keys without it, in conf order (`parsePrefixedKeyValuePairs`).
pub fn prefixed(conf: &SparkConf, prefix: &str) -> Vec<(String, String)> {
    owned(conf.with_prefix(prefix))
}

/// Owned copies of borrowed entries.
fn owned<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The user's labels under `prefix` followed by Spark's `preset` ones; a user label with a
/// preset key is refused, as Spark does.
pub fn with_preset_labels<const N: usize>(
    conf: &SparkConf,
    prefix: &str,
    preset: [(&str, String); N],
) -> Result<Vec<(String, String)>> {
    let custom = prefixed(conf, prefix);
    for (key, _) in &preset {
        if custom.iter().any(|(k, _)| k == key) {
            return Err(Error::NotAllowed {
                key: format!("{prefix}{key}"),
                reason: format!("label key {key} is reserved for Spark bookkeeping operations"),
            });
        }
    }
    let mut all = custom;
    all.extend(preset.map(|(k, v)| (k.to_owned(), v)));
    Ok(all)
}

/// `spark.kubernetes.container.image.pullPolicy`, checked.
pub fn image_pull_policy(conf: &SparkConf) -> Result<&str> {
    let policy = conf.read_str(&keys::IMAGE_PULL_POLICY);
    match policy {
        "Always" | "Never" | "IfNotPresent" => Ok(policy),
        other => Err(Error::invalid(
            keys::IMAGE_PULL_POLICY.key,
            other,
            "expected one of Always, Never, IfNotPresent",
        )),
    }
}

/// The driver pod as executors refer to it (their ownerReference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverPodRef {
    /// The driver pod's name.
    pub name: String,
    /// Its UID, when known.
    pub uid: Option<String>,
}

/// Everything the executor feature steps read (Spark's `KubernetesExecutorConf`).
#[derive(Debug, Clone)]
pub struct ExecutorConf<'a> {
    /// The running driver's conf.
    pub conf: &'a SparkConf,
    /// The application id.
    pub app_id: String,
    /// The executor id (`1`, `2`, ...).
    pub executor_id: String,
    /// The driver pod, in cluster mode.
    pub driver_pod: Option<DriverPodRef>,
    /// The render inputs.
    pub inputs: &'a RenderInputs,
    /// The Spark release mirrored.
    pub version: SparkVersion,
    /// `spark.kubernetes.executor.podNamePrefix`.
    pub resource_name_prefix: String,
    /// `SPARK_LOCAL_DIRS` as the driver process sees it.
    pub driver_local_dirs: Option<String>,
    /// The conf files in the driver's `SPARK_CONF_DIR`, which executors get too.
    pub conf_files: &'a std::collections::BTreeMap<String, String>,
    /// The conf in the order `SparkConf.getAll` returns it.
    pub get_all: &'a [(&'a str, &'a str)],
}

impl ExecutorConf<'_> {
    /// `spark.app.name` (default `spark`).
    pub fn app_name(&self) -> &str {
        self.conf.read_str(&keys::APP_NAME)
    }

    /// `spark.kubernetes.namespace`.
    pub fn namespace(&self) -> &str {
        self.conf.read_str(&keys::NAMESPACE)
    }

    /// The executor's labels: `spark.kubernetes.executor.label.*` and Spark's preset ones.
    pub fn labels(&self) -> Result<Vec<(String, String)>> {
        let preset = [
            (labels::SPARK_VERSION, self.version.to_string()),
            (labels::SPARK_EXECUTOR_ID, self.executor_id.clone()),
            (labels::SPARK_APP_ID, self.app_id.clone()),
            (
                labels::SPARK_APP_NAME,
                names::app_name_label(self.app_name()),
            ),
            (labels::SPARK_ROLE, "executor".to_owned()),
            (labels::SPARK_RESOURCE_PROFILE_ID, "0".to_owned()),
        ];
        let mut labels = with_preset_labels(self.conf, keys::EXECUTOR_LABEL_PREFIX, preset)?;
        if self.version.release().app_id_in_labels() {
            for (_, value) in &mut labels {
                *value = crate::utils::substitute_ids(value, &self.app_id, &self.executor_id);
            }
        }
        Ok(labels)
    }

    /// `spark.kubernetes.executor.env`: `spark.executorEnv.*` whose names Spark accepts
    /// (`[-._a-zA-Z][-._a-zA-Z0-9]*`); the others are dropped with a warning.
    pub fn environment(&self) -> (Vec<(String, String)>, Vec<String>) {
        let mut accepted = Vec::new();
        let mut warnings = Vec::new();
        for (name, value) in self.prefixed(keys::EXECUTOR_ENV_PREFIX) {
            if is_valid_env_name(&name) {
                accepted.push((name, value));
            } else {
                warnings.push(format!(
                    "{}{name} is dropped: Spark accepts executor env names matching [-._a-zA-Z][-._a-zA-Z0-9]*",
                    keys::EXECUTOR_ENV_PREFIX
                ));
            }
        }
        (accepted, warnings)
    }
}

fn is_valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    let ok_first = |c: char| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_');
    matches!(chars.next(), Some(c) if ok_first(c))
        && chars.all(|c| ok_first(c) || c.is_ascii_digit())
}

impl KubernetesConf for DriverConf<'_> {
    fn spark_conf(&self) -> &SparkConf {
        self.conf
    }

    fn inputs(&self) -> &RenderInputs {
        self.inputs
    }

    fn release(&self) -> Release {
        self.version.release()
    }

    fn app_id(&self) -> &str {
        &self.inputs.app_id
    }

    fn resource_name_prefix(&self) -> &str {
        &self.resource_name_prefix
    }

    fn volume_owner(&self) -> VolumeOwner {
        VolumeOwner::Driver
    }

    fn secrets_prefix(&self) -> &'static str {
        keys::DRIVER_SECRETS_PREFIX
    }

    fn secret_key_ref_prefix(&self) -> &'static str {
        keys::DRIVER_SECRET_KEY_REF_PREFIX
    }

    fn volumes_prefix(&self) -> &'static str {
        keys::DRIVER_VOLUMES_PREFIX
    }

    fn spark_local_dirs_env(&self) -> Option<&str> {
        self.inputs.env.spark_local_dirs.as_deref()
    }

    fn prefixed_borrowed(&self, prefix: &str) -> Vec<(&str, &str)> {
        // Only the entries under `prefix` matter to the order (usually none).
        let under_prefix: Vec<(&str, &str)> = self
            .get_all_order
            .iter()
            .filter_map(|&i| self.conf.get_index(i))
            .filter(|(k, _)| k.starts_with(prefix))
            .collect();
        crate::hash_order::prefixed_map_order(self.release().scala(), &under_prefix, prefix)
    }
}

impl KubernetesConf for ExecutorConf<'_> {
    fn spark_conf(&self) -> &SparkConf {
        self.conf
    }

    fn inputs(&self) -> &RenderInputs {
        self.inputs
    }

    fn release(&self) -> Release {
        self.version.release()
    }

    fn app_id(&self) -> &str {
        &self.app_id
    }

    fn resource_name_prefix(&self) -> &str {
        &self.resource_name_prefix
    }

    fn volume_owner(&self) -> VolumeOwner {
        VolumeOwner::Executor(self.executor_id.clone())
    }

    fn secrets_prefix(&self) -> &'static str {
        keys::EXECUTOR_SECRETS_PREFIX
    }

    fn secret_key_ref_prefix(&self) -> &'static str {
        keys::EXECUTOR_SECRET_KEY_REF_PREFIX
    }

    fn volumes_prefix(&self) -> &'static str {
        keys::EXECUTOR_VOLUMES_PREFIX
    }

    fn spark_local_dirs_env(&self) -> Option<&str> {
        self.driver_local_dirs.as_deref()
    }

    fn prefixed_borrowed(&self, prefix: &str) -> Vec<(&str, &str)> {
        crate::hash_order::prefixed_map_order(self.release().scala(), self.get_all, prefix)
    }
}
