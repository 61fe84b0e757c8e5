//! The spark-submit command line the controller runs for a `SparkApplication`
//! (`internal/controller/sparkapplication/submission.go`, `buildSparkSubmitArgs`), and the pod
//! template files it writes for it. One function per option function of the operator, in its
//! order.

use crate::config::keys;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use super::spec::{RoleSpec, SecretInfo, SparkApplication};
use super::{go_quantity, go_yaml, semver, OperatorError};

/// The driver container's name in the templates the operator writes.
pub const DRIVER_CONTAINER: &str = "spark-kubernetes-driver";
/// The executor container's name in the templates the operator writes.
pub const EXECUTOR_CONTAINER: &str = "spark-kubernetes-executor";
/// The prefix of the volumes the operator hands to Spark (`spark.kubernetes.*.volumes.*`);
/// the webhook mounts the others.
pub const LOCAL_DIR_VOLUME_PREFIX: &str = "spark-local-dir-";
/// Labels of these prefixes are not copied from the application's metadata to its pods.
const KUEUE_LABEL_PREFIX: &str = "kueue.x-k8s.io/";

/// What the controller hands to spark-submit: its arguments and the files it wrote first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmitCommand {
    /// spark-submit's arguments (without the program name).
    pub args: Vec<String>,
    /// The files the arguments name (the pod templates), by path.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// An option function: the arguments it adds, and the files it writes.
type OptionFn = fn(
    &SparkApplication,
    &Context,
    &mut BTreeMap<String, Vec<u8>>,
) -> Result<Vec<String>, OperatorError>;

/// What the option functions read besides the application.
#[derive(Debug, Clone)]
pub struct Context {
    /// `k8s://https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` of the operator's pod.
    pub master: String,
    /// The operator release.
    pub release: super::OperatorRelease,
}

/// The option functions, in `buildSparkSubmitArgs`'s order, with their Go names.
pub const OPTIONS: &[(&str, OptionFn)] = &[
    ("masterOption", master_option),
    ("deployModeOption", deploy_mode_option),
    ("mainClassOption", main_class_option),
    ("nameOption", name_option),
    // loadSparkDefaultsOption: `--load-spark-defaults` only with the LoadSparkDefaults feature
    // gate, off by default.
    ("dependenciesOption", dependencies_option),
    ("namespaceOption", namespace_option),
    ("imageOption", image_option),
    ("pythonVersionOption", python_version_option),
    ("memoryOverheadFactorOption", memory_overhead_factor_option),
    (
        "submissionWaitAppCompletionOption",
        wait_app_completion_option,
    ),
    ("sparkConfOption", spark_conf_option),
    ("hadoopConfOption", hadoop_conf_option),
    ("driverPodTemplateOption", driver_pod_template_option),
    ("driverPodNameOption", driver_pod_name_option),
    ("driverConfOption", driver_conf_option),
    ("driverEnvOption", driver_env_option),
    ("driverSecretOption", driver_secret_option),
    ("driverVolumeMountsOption", driver_volume_mounts_option),
    ("executorPodTemplateOption", executor_pod_template_option),
    ("executorConfOption", executor_conf_option),
    ("executorEnvOption", executor_env_option),
    ("executorSecretOption", executor_secret_option),
    ("executorVolumeMountsOption", executor_volume_mounts_option),
    ("nodeSelectorOption", node_selector_option),
    ("dynamicAllocationOption", dynamic_allocation_option),
    ("proxyUserOption", proxy_user_option),
    ("mainApplicationFileOption", main_application_file_option),
    ("applicationOption", application_option),
];

/// `buildSparkSubmitArgs`: every option function's arguments, in order.
pub fn build_spark_submit_args(
    app: &SparkApplication,
    context: &Context,
) -> Result<SubmitCommand, OperatorError> {
    let mut command = SubmitCommand::default();
    for (_, option) in OPTIONS {
        let args = option(app, context, &mut command.files)?;
        command.args.extend(args);
    }
    Ok(command)
}

/// The arguments of the option function named `name` (its Go name) alone, with the files it
/// writes.
pub fn option(
    name: &str,
    app: &SparkApplication,
    context: &Context,
) -> Result<SubmitCommand, OperatorError> {
    let (_, option) = OPTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| OperatorError(format!("no option function {name}")))?;
    let mut files = BTreeMap::new();
    let args = option(app, context, &mut files)?;
    Ok(SubmitCommand { args, files })
}

/// The conf keys of one role.
struct RoleKeys {
    label: &'static str,
    secrets: &'static str,
    volumes: &'static str,
    template_file: &'static str,
    template_container: &'static str,
}

fn role_keys(role: &str) -> RoleKeys {
    if role == "driver" {
        RoleKeys {
            label: keys::DRIVER_LABEL_PREFIX,
            secrets: keys::DRIVER_SECRETS_PREFIX,
            volumes: keys::DRIVER_VOLUMES_PREFIX,
            template_file: keys::DRIVER_POD_TEMPLATE_FILE,
            template_container: keys::DRIVER_POD_TEMPLATE_CONTAINER_NAME,
        }
    } else {
        RoleKeys {
            label: keys::EXECUTOR_LABEL_PREFIX,
            secrets: keys::EXECUTOR_SECRETS_PREFIX,
            volumes: keys::EXECUTOR_VOLUMES_PREFIX,
            template_file: keys::EXECUTOR_POD_TEMPLATE_FILE,
            template_container: keys::EXECUTOR_POD_TEMPLATE_CONTAINER_NAME,
        }
    }
}

/// The driver pod's name: `spec.driver.podName`, else the sparkConf value, else
/// `<name>-driver` (`util.GetDriverPodName`).
pub fn driver_pod_name(app: &SparkApplication) -> String {
    if let Some(name) = app
        .spec
        .driver
        .pod_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        return name.to_owned();
    }
    if let Some(name) = conf(app, DRIVER_POD_NAME).filter(|n| !n.is_empty()) {
        return name.to_owned();
    }
    format!("{}-driver", app.name())
}

/// The ownerReference the operator gives its objects (`util.GetOwnerReference`).
pub fn owner_reference(app: &SparkApplication) -> OwnerReference {
    OwnerReference {
        api_version: super::spec::API_VERSION.to_owned(),
        kind: "SparkApplication".to_owned(),
        name: app.name().to_owned(),
        uid: app.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

// Conf keys of `pkg/common/spark.go`.
const DRIVER_POD_NAME: &str = keys::DRIVER_POD_NAME;

fn conf<'a>(app: &'a SparkApplication, key: &str) -> Option<&'a str> {
    app.spec.spark_conf.as_ref()?.get(key).map(String::as_str)
}

fn pair(key: impl AsRef<str>, value: impl AsRef<str>) -> [String; 2] {
    [
        "--conf".to_owned(),
        format!("{}={}", key.as_ref(), value.as_ref()),
    ]
}

fn master_option(_: &SparkApplication, c: &Context, _: &mut Files) -> Res {
    Ok(vec!["--master".into(), c.master.clone()])
}

fn deploy_mode_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(vec!["--deploy-mode".into(), app.spec.mode.clone()])
}

fn main_class_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(match &app.spec.main_class {
        Some(class) => vec!["--class".into(), class.clone()],
        None => vec![],
    })
}

fn name_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(vec!["--name".into(), app.name().to_owned()])
}

fn dependencies_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let deps = &app.spec.deps;
    let mut args = Vec::new();
    for (option, list) in [
        ("--jars", &deps.jars),
        ("--packages", &deps.packages),
        ("--exclude-packages", &deps.exclude_packages),
        ("--repositories", &deps.repositories),
        ("--py-files", &deps.py_files),
        ("--files", &deps.files),
        ("--archives", &deps.archives),
    ] {
        if !list.is_empty() {
            args.extend([option.to_owned(), list.join(",")]);
        }
    }
    Ok(args)
}

fn namespace_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(pair(keys::NAMESPACE.key, app.namespace()).to_vec())
}

fn image_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let spec = &app.spec;
    let mut args = Vec::new();
    if let Some(image) = spec.image.as_deref().filter(|i| !i.is_empty()) {
        args.extend(pair(keys::CONTAINER_IMAGE, image));
    }
    if let Some(policy) = spec.image_pull_policy.as_deref().filter(|p| !p.is_empty()) {
        args.extend(pair(keys::IMAGE_PULL_POLICY.key, policy));
    }
    if !spec.image_pull_secrets.is_empty() {
        args.extend(pair(
            keys::IMAGE_PULL_SECRETS,
            spec.image_pull_secrets.join(","),
        ));
    }
    Ok(args)
}

fn python_version_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(
        match app.spec.python_version.as_deref().filter(|v| !v.is_empty()) {
            Some(version) => pair(keys::PYSPARK_PYTHON_VERSION, version).to_vec(),
            None => vec![],
        },
    )
}

fn memory_overhead_factor_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(
        match app
            .spec
            .memory_overhead_factor
            .as_deref()
            .filter(|v| !v.is_empty())
        {
            Some(factor) => pair(keys::MEMORY_OVERHEAD_FACTOR.key, factor).to_vec(),
            None => vec![],
        },
    )
}

fn wait_app_completion_option(_: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(pair(keys::SUBMISSION_WAIT_APP_COMPLETION, "false").to_vec())
}

fn spark_conf_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let mut args = Vec::new();
    for (key, value) in app.spec.spark_conf.iter().flatten() {
        // The driver pod's name is set by its own option.
        if key != DRIVER_POD_NAME {
            args.extend(pair(key, value));
        }
    }
    Ok(args)
}

fn hadoop_conf_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let mut args = Vec::new();
    for (key, value) in app.spec.hadoop_conf.iter().flatten() {
        args.extend(pair(format!("{}{key}", keys::HADOOP_PREFIX), value));
    }
    Ok(args)
}

fn node_selector_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let mut args = Vec::new();
    for (key, value) in app.spec.node_selector.iter().flatten() {
        args.extend(pair(format!("{}{key}", keys::NODE_SELECTOR_PREFIX), value));
    }
    Ok(args)
}

fn driver_pod_name_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(pair(DRIVER_POD_NAME, driver_pod_name(app)).to_vec())
}

/// The labels both roles get, then image, resources, identity, labels and annotations of
/// `driverConfOption` / `executorConfOption`.
fn role_labels(app: &SparkApplication, role: &str, template_set: bool) -> Vec<String> {
    let label = |name: &str| format!("{}sparkoperator.k8s.io/{name}", role_keys(role).label);
    let mut args = Vec::new();
    args.extend(pair(label("app-name"), app.name()));
    args.extend(pair(label("launched-by-spark-operator"), "true"));
    // Without a template (or before Spark 3), the webhook must mutate the pod.
    if semver::compare(&app.spec.spark_version, "3.0.0").is_lt() || !template_set {
        args.extend(pair(label("mutated-by-spark-operator"), "true"));
    }
    args.extend(pair(label("submission-id"), &app.status.submission_id));
    args
}

fn role_image<'a>(app: &'a SparkApplication, spec: &'a RoleSpec) -> Option<&'a str> {
    spec.image
        .as_deref()
        .filter(|i| !i.is_empty())
        .or_else(|| app.spec.image.as_deref().filter(|i| !i.is_empty()))
}

/// The application's labels that reach its pods (Kueue's are left out).
fn app_labels(app: &SparkApplication) -> impl Iterator<Item = (&String, &String)> {
    app.metadata
        .labels
        .iter()
        .flatten()
        .filter(|(k, _)| !k.starts_with(KUEUE_LABEL_PREFIX))
}

fn driver_conf_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let d = &app.spec.driver;
    let mut args = role_labels(app, "driver", d.template.is_some());
    if let Some(image) = role_image(app, d) {
        args.extend(pair(keys::DRIVER_CONTAINER_IMAGE, image));
    }
    if let Some(cores) = d.cores {
        args.extend(pair(keys::DRIVER_CORES.key, cores.to_string()));
    }
    let optional = [
        (keys::DRIVER_REQUEST_CORES, &d.core_request),
        (keys::DRIVER_LIMIT_CORES, &d.core_limit),
        (keys::DRIVER_MEMORY.key, &d.memory),
        (keys::DRIVER_MEMORY_OVERHEAD.key, &d.memory_overhead),
        (keys::DRIVER_SERVICE_ACCOUNT, &d.service_account),
        (keys::DRIVER_EXTRA_JAVA_OPTIONS, &d.java_options),
        (keys::DRIVER_MASTER, &d.kubernetes_master),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            args.extend(pair(key, value));
        }
    }
    for (key, value) in app_labels(app) {
        args.extend(pair(format!("{}{key}", keys::DRIVER_LABEL_PREFIX), value));
    }
    let maps = [
        (keys::DRIVER_LABEL_PREFIX, &d.labels),
        (keys::DRIVER_ANNOTATION_PREFIX, &d.annotations),
        (keys::DRIVER_SERVICE_LABEL_PREFIX, &d.service_labels),
        (
            keys::DRIVER_SERVICE_ANNOTATION_PREFIX,
            &d.service_annotations,
        ),
    ];
    for (prefix, map) in maps {
        for (key, value) in map.iter().flatten() {
            args.extend(pair(format!("{prefix}{key}"), value));
        }
    }
    for (env, reference) in d.env_secret_key_refs.iter().flatten() {
        args.extend(pair(
            format!("{}{env}", keys::DRIVER_SECRET_KEY_REF_PREFIX),
            format!("{}:{}", reference.name, reference.key),
        ));
    }
    Ok(args)
}

fn executor_conf_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let e = &app.spec.executor;
    let mut args = role_labels(app, "executor", e.template.is_some());
    if let Some(instances) = e.instances {
        args.extend(pair(keys::EXECUTOR_INSTANCES.key, instances.to_string()));
    }
    if let Some(image) = role_image(app, e) {
        args.extend(pair(keys::EXECUTOR_CONTAINER_IMAGE, image));
    }
    if let Some(cores) = e.cores {
        args.extend(pair(keys::EXECUTOR_CORES.key, cores.to_string()));
    }
    let optional = [
        (keys::EXECUTOR_REQUEST_CORES, &e.core_request),
        (keys::EXECUTOR_LIMIT_CORES, &e.core_limit),
        (keys::EXECUTOR_MEMORY.key, &e.memory),
        (keys::EXECUTOR_MEMORY_OVERHEAD.key, &e.memory_overhead),
        (keys::EXECUTOR_SERVICE_ACCOUNT, &e.service_account),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            args.extend(pair(key, value));
        }
    }
    if let Some(delete) = e.delete_on_termination {
        args.extend(pair(
            keys::EXECUTOR_DELETE_ON_TERMINATION,
            delete.to_string(),
        ));
    }
    for (key, value) in app_labels(app) {
        args.extend(pair(format!("{}{key}", keys::EXECUTOR_LABEL_PREFIX), value));
    }
    let maps = [
        (keys::EXECUTOR_LABEL_PREFIX, &e.labels),
        (keys::EXECUTOR_ANNOTATION_PREFIX, &e.annotations),
    ];
    for (prefix, map) in maps {
        for (key, value) in map.iter().flatten() {
            args.extend(pair(format!("{prefix}{key}"), value));
        }
    }
    for (env, reference) in e.env_secret_key_refs.iter().flatten() {
        args.extend(pair(
            format!("{}{env}", keys::EXECUTOR_SECRET_KEY_REF_PREFIX),
            format!("{}:{}", reference.name, reference.key),
        ));
    }
    if let Some(options) = &e.java_options {
        args.extend(pair(keys::EXECUTOR_JAVA_OPTIONS, options));
    }
    Ok(args)
}

fn driver_env_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let mut args = Vec::new();
    for (key, value) in app.spec.driver.env_vars.iter().flatten() {
        args.extend(pair(format!("{}{key}", keys::DRIVER_ENV_PREFIX), value));
    }
    Ok(args)
}

fn executor_env_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let mut args = Vec::new();
    for (key, value) in app.spec.executor.env_vars.iter().flatten() {
        args.extend(pair(format!("{}{key}", keys::EXECUTOR_ENV_PREFIX), value));
    }
    Ok(args)
}

/// `driverSecretOption` / `executorSecretOption`: the secrets, and the env var a typed secret
/// adds (`env_prefix` is the role's env conf prefix).
fn secret_args(secrets: &[SecretInfo], role: &str, env_prefix: &str) -> Vec<String> {
    let mut args = Vec::new();
    for secret in secrets {
        args.extend(pair(
            format!("{}{}", role_keys(role).secrets, secret.name),
            &secret.path,
        ));
        let env = match secret.secret_type.as_str() {
            "GCPServiceAccount" => Some(("GOOGLE_APPLICATION_CREDENTIALS", "key.json")),
            "HadoopDelegationToken" => Some(("HADOOP_TOKEN_FILE_LOCATION", "hadoop.token")),
            _ => None,
        };
        if let Some((name, file)) = env {
            args.extend(pair(
                format!("{env_prefix}{name}"),
                go_path_join(&secret.path, file),
            ));
        }
    }
    args
}

/// Go's `filepath.Join(dir, file)`: joined with one `/`, then cleaned.
fn go_path_join(dir: &str, file: &str) -> String {
    let joined = if dir.is_empty() {
        file.to_owned()
    } else {
        format!("{dir}/{file}")
    };
    go_path_clean(&joined)
}

/// Go's `path.Clean`.
fn go_path_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_owned(),
        (false, false) => body,
    }
}

fn driver_secret_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(secret_args(
        &app.spec.driver.secrets,
        "driver",
        keys::DRIVER_ENV_PREFIX,
    ))
}

fn executor_secret_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(secret_args(
        &app.spec.executor.secrets,
        "executor",
        keys::EXECUTOR_ENV_PREFIX,
    ))
}

/// `driverVolumeMountsOption` / `executorVolumeMountsOption`: the `spark-local-dir-*`
/// volumes mounted by the role, as Spark volume conf.
fn volume_mount_args(
    app: &SparkApplication,
    context: &Context,
    spec: &RoleSpec,
    role: &str,
) -> Result<Vec<String>, OperatorError> {
    let volumes: BTreeMap<&str, &Volume> = app
        .spec
        .volumes
        .iter()
        .filter(|v| v.name.starts_with(LOCAL_DIR_VOLUME_PREFIX))
        .map(|v| (v.name.as_str(), v))
        .collect();
    let mut args = Vec::new();
    for mount in spec
        .volume_mounts
        .iter()
        .filter(|m| m.name.starts_with(LOCAL_DIR_VOLUME_PREFIX))
    {
        let name = mount.name.as_str();
        let volume = volumes
            .get(name)
            .ok_or_else(|| OperatorError(format!("volume {name} not found")))?;
        let kind = volume_type(volume).ok_or_else(|| {
            OperatorError(format!(
                "unsupported volume type (volume {name}: spark-local-dir-* volumes must be emptyDir, hostPath, nfs or persistentVolumeClaim)"
            ))
        })?;
        let mount_key =
            |field: &str| format!("{}{kind}.{name}.mount.{field}", role_keys(role).volumes);
        let option = |field: &str| {
            format!(
                "{}{kind}.{}.options.{field}",
                role_keys(role).volumes,
                volume.name
            )
        };
        if !mount.mount_path.is_empty() {
            args.extend(pair(mount_key("path"), &mount.mount_path));
        }
        if let Some(sub_path) = mount.sub_path.as_deref().filter(|s| !s.is_empty()) {
            args.extend(pair(mount_key("subPath"), sub_path));
        }
        if mount.read_only == Some(true) {
            args.extend(pair(mount_key("readOnly"), "true"));
        }
        if let Some(dir) = &volume.empty_dir {
            if let Some(limit) = &dir.size_limit {
                let limit = go_quantity::canonical(&limit.0).unwrap_or_else(|| limit.0.clone());
                args.extend(pair(option("sizeLimit"), limit));
            }
            let medium = dir.medium.as_deref().filter(|m| !m.is_empty());
            if let Some(medium) = medium.filter(|_| context.release.passes_empty_dir_medium) {
                args.extend(pair(option("medium"), medium));
            }
        } else if let Some(host) = &volume.host_path {
            args.extend(pair(option("path"), &host.path));
            if let Some(kind) = &host.type_ {
                args.extend(pair(option("type"), kind));
            }
        } else if let Some(nfs) = &volume.nfs {
            args.extend(pair(option("path"), &nfs.path));
            args.extend(pair(option("server"), &nfs.server));
            if nfs.read_only == Some(true) {
                args.extend(pair(option("readOnly"), "true"));
            }
        } else if let Some(claim) = &volume.persistent_volume_claim {
            args.extend(pair(option("claimName"), &claim.claim_name));
            if claim.read_only == Some(true) {
                args.extend(pair(option("readOnly"), "true"));
            }
        }
    }
    Ok(args)
}

/// The Spark volume type of a volume the operator hands to Spark, if it is one of the four.
pub fn volume_type(volume: &Volume) -> Option<&'static str> {
    if volume.empty_dir.is_some() {
        Some("emptyDir")
    } else if volume.host_path.is_some() {
        Some("hostPath")
    } else if volume.nfs.is_some() {
        Some("nfs")
    } else if volume.persistent_volume_claim.is_some() {
        Some("persistentVolumeClaim")
    } else {
        None
    }
}

fn driver_volume_mounts_option(app: &SparkApplication, context: &Context, _: &mut Files) -> Res {
    volume_mount_args(app, context, &app.spec.driver, "driver")
}

fn executor_volume_mounts_option(app: &SparkApplication, context: &Context, _: &mut Files) -> Res {
    volume_mount_args(app, context, &app.spec.executor, "executor")
}

fn dynamic_allocation_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    let Some(dynamic) = app.spec.dynamic_allocation.as_ref().filter(|d| d.enabled) else {
        return Ok(vec![]);
    };
    let mut args = pair(keys::DYN_ALLOCATION_ENABLED.key, "true").to_vec();
    let counts = [
        (
            keys::DYN_ALLOCATION_INITIAL_EXECUTORS.key,
            dynamic.initial_executors,
        ),
        (
            keys::DYN_ALLOCATION_MIN_EXECUTORS.key,
            dynamic.min_executors,
        ),
        (
            keys::DYN_ALLOCATION_MAX_EXECUTORS.key,
            dynamic.max_executors,
        ),
    ];
    for (key, count) in counts {
        if let Some(count) = count {
            args.extend(pair(key, count.to_string()));
        }
    }
    let tracking = dynamic.shuffle_tracking_enabled.unwrap_or(true);
    args.extend(pair(
        keys::DYN_ALLOCATION_SHUFFLE_TRACKING,
        tracking.to_string(),
    ));
    if let Some(timeout) = dynamic.shuffle_tracking_timeout {
        args.extend(pair(
            keys::DYN_ALLOCATION_SHUFFLE_TRACKING_TIMEOUT,
            timeout.to_string(),
        ));
    }
    Ok(args)
}

fn proxy_user_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(
        match app.spec.proxy_user.as_deref().filter(|u| !u.is_empty()) {
            Some(user) => vec!["--proxy-user".into(), user.to_owned()],
            None => vec![],
        },
    )
}

fn main_application_file_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(app.spec.main_application_file.iter().cloned().collect())
}

fn application_option(app: &SparkApplication, _: &Context, _: &mut Files) -> Res {
    Ok(app.spec.arguments.clone())
}

/// The path of a template file the operator writes for a submission.
pub fn template_path(app: &SparkApplication, role: &str) -> String {
    format!(
        "/tmp/spark/{}/{role}-pod-template.yaml",
        app.status.submission_id
    )
}

/// `driverPodTemplateOption` / `executorPodTemplateOption`: the role's template (a pod with
/// just the Spark container when there is none), owned by the application, written to a file
/// Spark is pointed at.
fn pod_template_args(
    app: &SparkApplication,
    spec: &RoleSpec,
    role: &str,
    container: &str,
    files: &mut Files,
) -> Res {
    let mut template = spec.template.clone().unwrap_or_else(|| PodTemplateSpec {
        metadata: None,
        spec: Some(PodSpec {
            containers: vec![Container {
                name: container.to_owned(),
                ..Container::default()
            }],
            ..PodSpec::default()
        }),
    });
    let mut owner = owner_reference(app);
    if role == "executor" {
        // Not the controller: other controllers (Kueue) see the executors as the
        // application's children.
        owner.controller = None;
        owner.block_owner_deletion = None;
    }
    let metadata = template.metadata.get_or_insert_with(Default::default);
    let owners = metadata.owner_references.get_or_insert_with(Vec::new);
    if !owners.contains(&owner) {
        owners.push(owner);
    }
    let path = template_path(app, role);
    files.insert(
        path.clone(),
        go_yaml::marshal_pod_template(&template).into_bytes(),
    );
    let mut args = pair(role_keys(role).template_file, &path).to_vec();
    args.extend(pair(role_keys(role).template_container, container));
    Ok(args)
}

fn driver_pod_template_option(app: &SparkApplication, _: &Context, files: &mut Files) -> Res {
    pod_template_args(app, &app.spec.driver, "driver", DRIVER_CONTAINER, files)
}

fn executor_pod_template_option(app: &SparkApplication, _: &Context, files: &mut Files) -> Res {
    pod_template_args(
        app,
        &app.spec.executor,
        "executor",
        EXECUTOR_CONTAINER,
        files,
    )
}

type Files = BTreeMap<String, Vec<u8>>;
type Res = Result<Vec<String>, OperatorError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_paths_are_joined_and_cleaned() {
        assert_eq!(
            go_path_join("/mnt/secrets", "key.json"),
            "/mnt/secrets/key.json"
        );
        assert_eq!(
            go_path_join("/mnt/secrets/", "key.json"),
            "/mnt/secrets/key.json"
        );
        assert_eq!(go_path_join("", "key.json"), "key.json");
        assert_eq!(go_path_join("a/../b", "c"), "b/c");
    }
}
