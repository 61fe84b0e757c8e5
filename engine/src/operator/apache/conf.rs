//! The Spark conf and application the operator hands to Spark's `KubernetesDriverBuilder`:
//! `SparkAppResourceSpecFactory.overrideDependencyConf` (the operator's labels, the namespace,
//! the pod template files) followed by `SparkAppSubmissionWorker.buildDriverConf` (the
//! user's `sparkConf` with `{{SPARK_VERSION}}`, the overrides, the main resource, the master,
//! the app id and the operator's defaults), in the operator's order.
//!
//! No spark-submit runs: nothing of `SparkSubmit.prepareSubmitEnvironment` happens (no
//! `spark.submit.deployMode`, no app name from the main class, no `spark.app.submitTime`, no
//! URI resolution, `spark.driver.host` kept).

use std::collections::BTreeMap;

use super::app_id::generate_spark_app_id;
use super::keys as operator_keys;
use super::spec::{RestartPolicy, SparkApplication};
use super::template::pod_template_json;
use super::Options;
use crate::app::{Application, MainAppResource};
use crate::conf::SparkConf;
use crate::config::keys;

/// The placeholder the operator replaces by `runtimeVersions.sparkVersion` in image keys.
pub const SPARK_VERSION_PLACEHOLDER: &str = "{{SPARK_VERSION}}";

/// The main class that makes `pyFiles` a list whose first item is the resource.
const PYTHON_RUNNER: &str = "org.apache.spark.deploy.PythonRunner";

/// The master's address after `spark.master.url.prefix`, literally (no environment
/// substitution: the driver's own Kubernetes client resolves the variables).
pub const IN_CLUSTER_MASTER_ADDRESS: &str =
    "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT";

/// What the operator passes to Spark: `SparkAppDriverConf.create`'s arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverConfArgs {
    /// The conf.
    pub conf: SparkConf,
    /// The main resource, main class, arguments and proxy user.
    pub app: Application,
    /// `spark.app.id`: the app id and the stem of every driver object name.
    pub app_id: String,
    /// The pod template files the operator writes, by path: JSON text.
    pub files: BTreeMap<String, String>,
}

/// `sparkAppResourceLabels(app)`: the operator's two labels, put on the driver, its Service
/// and the executors through the conf, and on the driver pod and every object again.
pub fn resource_labels(app: &SparkApplication, options: &Options) -> Vec<(String, String)> {
    vec![
        (
            operator_keys::LABEL_OPERATOR_NAME.to_owned(),
            options.operator_name.clone(),
        ),
        (
            operator_keys::LABEL_APPLICATION_NAME.to_owned(),
            app.name().to_owned(),
        ),
    ]
}

/// Whether `key` is one of the image keys whose `{{SPARK_VERSION}}` the operator replaces:
/// `spark.kubernetes.` … `container.image`.
pub fn is_image_key(key: &str) -> bool {
    key.starts_with(keys::KUBERNETES_PREFIX) && key.ends_with("container.image")
}

/// `SparkAppResourceSpecFactory.overrideDependencyConf` and
/// `SparkAppSubmissionWorker.buildDriverConf`. `app` has its namespace and uid.
pub fn build_driver_conf(app: &SparkApplication, options: &Options) -> DriverConfArgs {
    let spec = &app.spec;
    let spark_version = spec.runtime_versions.spark_version.as_str();
    let user_conf = spec.spark_conf.clone().unwrap_or_default();

    // overrideDependencyConf: confOverrides.
    let mut overrides: Vec<(String, String)> = Vec::new();
    for (key, value) in resource_labels(app, options) {
        for prefix in [
            keys::DRIVER_LABEL_PREFIX,
            keys::DRIVER_SERVICE_LABEL_PREFIX,
            keys::EXECUTOR_LABEL_PREFIX,
        ] {
            overrides.push((format!("{prefix}{key}"), value.clone()));
        }
    }
    overrides.push((keys::NAMESPACE.key.to_owned(), app.namespace().to_owned()));
    // Only when the user set it, whatever its value: otherwise Spark's default `spark` applies.
    if user_conf.contains_key(keys::APP_NAME.key) {
        overrides.push((keys::APP_NAME.key.to_owned(), app.name().to_owned()));
    }
    let mut files = BTreeMap::new();
    let templates = [
        (
            &spec.driver_spec,
            keys::DRIVER_POD_TEMPLATE_FILE,
            "-driver-",
        ),
        (
            &spec.executor_spec,
            keys::EXECUTOR_POD_TEMPLATE_FILE,
            "-executor-",
        ),
    ];
    for (role_spec, key, suffix) in templates {
        let Some(template) = role_spec
            .as_ref()
            .and_then(|s| s.pod_template_spec.as_ref())
        else {
            continue;
        };
        // createLocalFileForPodTemplateSpec: Files.createTempFile(uid + suffix, ".json").
        let uid = app.metadata.uid.as_deref().unwrap_or_default();
        let path = format!(
            "{}/{uid}{suffix}{}.json",
            options.temp_dir.trim_end_matches('/'),
            options.temp_file_id
        );
        files.insert(path.clone(), pod_template_json(template));
        overrides.push((key.to_owned(), path));
    }

    // buildDriverConf.
    let mut conf = SparkConf::new();
    for (key, value) in &user_conf {
        let value = if is_image_key(key) {
            value.replace(SPARK_VERSION_PLACEHOLDER, spark_version)
        } else {
            value.clone()
        };
        conf.set(key, value);
    }
    for (key, value) in overrides {
        conf.set(key, value);
    }
    conf.set(keys::NAMESPACE.key, app.namespace());

    let non_empty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let main_class = spec.main_class.clone();
    let resource = if let Some(jars) = non_empty(&spec.jars) {
        set_if_missing(&mut conf, keys::JARS, &jars);
        MainAppResource::Java(Some(jars))
    } else if main_class.as_deref() == Some(PYTHON_RUNNER) {
        // `pyFiles.split(",", 2)`; a missing pyFiles is a NullPointerException, refused
        // earlier (`super::validate`).
        let py_files = spec.py_files.clone().unwrap_or_default();
        let (first, rest) = match py_files.split_once(',') {
            Some((first, rest)) => (first.to_owned(), Some(rest.to_owned())),
            None => (py_files.clone(), None),
        };
        if let Some(rest) = rest.filter(|r| !crate::java::is_blank(r)) {
            set_if_missing(&mut conf, keys::SUBMIT_PY_FILES, &rest);
        }
        MainAppResource::Python(first)
    } else if let Some(py_files) = non_empty(&spec.py_files) {
        set_if_missing(&mut conf, keys::SUBMIT_PY_FILES, &py_files);
        MainAppResource::Python(py_files)
    } else if let Some(r_files) = non_empty(&spec.spark_r_files) {
        MainAppResource::R(r_files)
    } else {
        MainAppResource::Java(None)
    };

    let prefix = conf
        .get(operator_keys::MASTER_URL_PREFIX)
        .unwrap_or("k8s://")
        .to_owned();
    let master = match options.master.strip_prefix("k8s://") {
        Some(address) => format!("{prefix}{address}"),
        None => options.master.clone(),
    };
    set_if_missing(&mut conf, keys::MASTER, &master);
    let generated = generate_spark_app_id(app.name(), app.namespace(), options.attempt);
    set_if_missing(&mut conf, keys::APP_ID, &generated);
    for (key, value) in [
        (keys::AUTHENTICATE.key, "true"),
        (operator_keys::IO_ENCRYPTION_ENABLED, "true"),
        (operator_keys::DRIVER_ANNOTATE_EXIT_EXCEPTION, "true"),
        (keys::EXECUTOR_USE_DRIVER_POD_IP.key, "true"),
    ] {
        set_if_missing(&mut conf, key, value);
    }
    // Static allocation without restarts: Kubernetes' garbage collection removes executors.
    let restart_policy = spec
        .application_tolerations
        .as_ref()
        .and_then(|t| t.restart_config.as_ref())
        .map(|r| r.restart_policy.unwrap_or(RestartPolicy::Never));
    let dynamic = conf
        .get(keys::DYN_ALLOCATION_ENABLED.key)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !dynamic && restart_policy.is_none_or(|p| p == RestartPolicy::Never) {
        set_if_missing(&mut conf, keys::EXECUTOR_DELETE_ON_TERMINATION, "false");
    }
    let app_id = conf.get(keys::APP_ID).unwrap_or(&generated).to_owned();
    DriverConfArgs {
        conf,
        app: Application {
            resource,
            // A null main class reaches the driver's args as JSON null, which the API server
            // stores as "" (Go's decoder leaves a null string element empty).
            main_class: main_class.unwrap_or_default(),
            args: spec.driver_args.clone().unwrap_or_default(),
            proxy_user: spec.proxy_user.clone(),
        },
        app_id,
        files,
    }
}

/// `SparkConf.setIfMissing`.
fn set_if_missing(conf: &mut SparkConf, key: &str, value: &str) {
    if !conf.contains(key) {
        conf.set(key, value);
    }
}
