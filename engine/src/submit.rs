//! What `spark-submit` does before Spark's Kubernetes code runs (`SparkSubmitArguments` and
//! `SparkSubmit.prepareSubmitEnvironment` for a Kubernetes master in cluster mode): merging
//! the properties file and `--conf`, mapping the command-line options to conf keys, naming the
//! app, adding the primary resource to `spark.jars`, resolving relative paths, and dropping
//! `spark.driver.host`.

use crate::app::{Application, MainAppResource};
use crate::conf::{self, SparkConf};
use crate::config::keys;
use crate::error::{Error, Result};
use crate::inputs::RenderInputs;
use crate::uri::{has_scheme, resolve_uri, resolve_uris};

/// The master spark-render assumes when neither `--master` nor `spark.master` is given (what a
/// driver inside the cluster uses).
pub const DEFAULT_MASTER: &str = "k8s://https://kubernetes.default.svc";

/// spark-submit's arguments, as a user would type them. The file and `--conf` pairs are
/// already read; everything else is kept as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubmitArgs {
    /// `--master`.
    pub master: Option<String>,
    /// `--deploy-mode` (`cluster` when absent: a driver pod exists only in cluster mode).
    pub deploy_mode: Option<String>,
    /// `--name`.
    pub name: Option<String>,
    /// `--class`.
    pub main_class: Option<String>,
    /// The entries of `--properties-file`, in file order.
    pub properties_file: Vec<(String, String)>,
    /// The `--conf KEY=VALUE` pairs, in command-line order.
    pub conf: Vec<(String, String)>,
    /// `--jars`.
    pub jars: Option<String>,
    /// `--files`.
    pub files: Option<String>,
    /// `--py-files`.
    pub py_files: Option<String>,
    /// `--archives`.
    pub archives: Option<String>,
    /// `--driver-memory`.
    pub driver_memory: Option<String>,
    /// `--driver-cores`.
    pub driver_cores: Option<String>,
    /// `--executor-memory`.
    pub executor_memory: Option<String>,
    /// `--executor-cores`.
    pub executor_cores: Option<String>,
    /// `--num-executors`.
    pub num_executors: Option<String>,
    /// `--proxy-user`.
    pub proxy_user: Option<String>,
    /// `--driver-java-options` (`spark.driver.extraJavaOptions`).
    pub driver_java_options: Option<String>,
    /// `--driver-class-path` (`spark.driver.extraClassPath`).
    pub driver_class_path: Option<String>,
    /// `--driver-library-path` (`spark.driver.extraLibraryPath`).
    pub driver_library_path: Option<String>,
    /// `--packages`: Maven coordinates (`spark.jars.packages`).
    pub packages: Option<String>,
    /// `--exclude-packages` (`spark.jars.excludes`).
    pub exclude_packages: Option<String>,
    /// `--repositories` (`spark.jars.repositories`).
    pub repositories: Option<String>,
    /// `--principal` (`spark.kerberos.principal`).
    pub principal: Option<String>,
    /// `--keytab` (`spark.kerberos.keytab`).
    pub keytab: Option<String>,
    /// `--total-executor-cores`: standalone and Mesos only; no effect on Kubernetes.
    pub total_executor_cores: Option<String>,
    /// `--queue`: YARN only; no effect on Kubernetes.
    pub queue: Option<String>,
    /// `--supervise`: standalone and Mesos only; no effect on Kubernetes.
    pub supervise: bool,
    /// The primary resource (jar, `.py` or `.R` file).
    pub primary_resource: String,
    /// The application's arguments.
    pub app_args: Vec<String>,
}

impl SubmitArgs {
    /// Arguments for `primary_resource` with everything else unset.
    pub fn new(primary_resource: impl Into<String>) -> Self {
        Self {
            primary_resource: primary_resource.into(),
            ..Self::default()
        }
    }
}

/// Where the driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployMode {
    /// In a pod spark-submit creates (`--deploy-mode cluster`).
    Cluster,
    /// Inside spark-submit's own process, outside the cluster (`--deploy-mode client`).
    Client,
}

/// A submission after spark-submit: the conf it hands to Spark's Kubernetes client and the
/// application to run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Submission {
    /// The submitted conf (`spark.*` keys only).
    pub conf: SparkConf,
    /// Where the driver runs.
    pub deploy_mode: DeployMode,
    /// The application.
    pub app: Application,
    /// Notes for the user about inputs spark-submit ignores (non-`spark.` keys, ...).
    pub warnings: Vec<String>,
}

/// Splits a `--conf` argument at its first `=` (spark-submit's `parseSparkConfProperty`).
pub fn parse_conf_pair(pair: &str) -> Result<(String, String)> {
    match pair.split_once('=') {
        Some((k, v)) => Ok((k.to_owned(), v.to_owned())),
        None => {
            // What looks like a key is shown; the rest may be a secret (`key TOKEN`,
            // `key:TOKEN`).
            let key_end = pair
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
                .unwrap_or(pair.len());
            let key = &pair[..key_end];
            let shown = if key.len() < pair.trim().len() {
                format!("{} followed by more text", crate::error::shown("", key))
            } else {
                crate::error::shown("", pair)
            };
            Err(Error::InvalidArgument {
                argument: "--conf".into(),
                reason: format!("{shown} has no '='; expected KEY=VALUE"),
            })
        }
    }
}

/// Runs spark-submit's preparation for a Kubernetes cluster-mode submission.
pub fn prepare(args: &SubmitArgs, inputs: &RenderInputs) -> Result<Submission> {
    let mut warnings = Vec::new();

    // SparkSubmitArguments: --conf wins over the properties file, whose values are trimmed
    // (`Utils.trimExceptCRLF`);
    // keys not starting with `spark.` are ignored.
    let mut conf = SparkConf::with_capacity(args.properties_file.len() + args.conf.len());
    for (k, v) in &args.properties_file {
        conf.set(k, crate::java::trim_except_crlf(v));
    }
    for (k, v) in &args.conf {
        conf.set(k, v);
    }
    for key in conf.retain_keys(|k| k.starts_with(keys::SPARK_PREFIX)) {
        warnings.push(format!(
            "ignoring non-Spark config property: {}",
            crate::error::cut(&key)
        ));
    }
    if conf.len() > conf::MAX_KEYS {
        return Err(Error::InvalidArgument {
            argument: "--conf and --properties-file".into(),
            reason: format!(
                "{} distinct keys; spark-render reads at most {}",
                conf.len(),
                conf::MAX_KEYS
            ),
        });
    }

    if args.primary_resource.is_empty() {
        return Err(Error::InvalidArgument {
            argument: "APP_RESOURCE".into(),
            reason: "a primary resource (jar, .py or .R file) is required".into(),
        });
    }

    let master = args
        .master
        .clone()
        .or_else(|| conf.get(keys::MASTER).map(str::to_owned))
        .unwrap_or_else(|| DEFAULT_MASTER.to_owned());
    let master = k8s_master_url(&master)?;

    let deploy_mode = match args.deploy_mode.as_deref() {
        None | Some("cluster") => DeployMode::Cluster,
        Some("client") => DeployMode::Client,
        Some(other) => {
            return Err(Error::InvalidArgument {
                argument: "--deploy-mode".into(),
                reason: format!("{other:?} is neither client nor cluster"),
            })
        }
    };
    if let Some(mode) = conf.get(keys::DEPLOY_MODE) {
        if mode != "cluster" && args.deploy_mode.is_none() {
            warnings.push(format!(
                "{}={mode} is overridden: spark-render renders cluster mode unless given --deploy-mode client",
                keys::DEPLOY_MODE
            ));
        }
    }
    let mode_name = match deploy_mode {
        DeployMode::Cluster => "cluster",
        DeployMode::Client => "client",
    };

    validate_sizes_and_counts(args, &conf)?;

    // SparkSubmitArguments.handleUnknown: the resource is resolved to a URI (a path becomes
    // an absolute file: URI), except spark-submit's placeholders.
    let primary_resource = if is_placeholder_resource(&args.primary_resource) {
        args.primary_resource.clone()
    } else {
        resolve_uri(&args.primary_resource, &inputs.working_dir)
    };
    let resource = MainAppResource::from_primary_resource(&primary_resource);
    let main_class = match &resource {
        MainAppResource::Python(_) => "org.apache.spark.deploy.PythonRunner".to_owned(),
        MainAppResource::R(_) => "org.apache.spark.deploy.RRunner".to_owned(),
        MainAppResource::Java(_) => args.main_class.clone().ok_or_else(|| Error::InvalidArgument {
            argument: "--class".into(),
            reason: "required for a JVM application (spark-submit would read it from the jar's manifest, which spark-render does not open)".into(),
        })?,
    };
    let user_main_class = match &resource {
        MainAppResource::Java(_) => Some(main_class.clone()),
        _ => args.main_class.clone(),
    };

    // The app name: --name, spark.app.name, the main class, then the resource's file name.
    let name = args
        .name
        .clone()
        .or_else(|| conf.get(keys::APP_NAME.key).map(str::to_owned))
        .or(user_main_class)
        .unwrap_or_else(|| file_name(&primary_resource).to_owned());

    // prepareSubmitEnvironment: options become conf keys (they win over the conf).
    conf.set(keys::MASTER, master);
    conf.set(keys::DEPLOY_MODE, mode_name);
    conf.set(keys::APP_NAME.key, name);
    let assigned = [
        (keys::DRIVER_MEMORY.key, &args.driver_memory),
        (keys::DRIVER_CORES.key, &args.driver_cores),
        (keys::EXECUTOR_MEMORY.key, &args.executor_memory),
        (keys::EXECUTOR_CORES.key, &args.executor_cores),
        (keys::EXECUTOR_INSTANCES.key, &args.num_executors),
        (keys::JARS, &args.jars),
        (keys::FILES, &args.files),
        (keys::SUBMIT_PY_FILES, &args.py_files),
        (keys::ARCHIVES, &args.archives),
        (keys::DRIVER_EXTRA_JAVA_OPTIONS, &args.driver_java_options),
        (keys::DRIVER_EXTRA_CLASS_PATH, &args.driver_class_path),
        (keys::DRIVER_EXTRA_LIBRARY_PATH, &args.driver_library_path),
    ];
    set_given(&mut conf, assigned);
    assign_submit_only_options(args, deploy_mode, &mut conf, &mut warnings)?;

    // The application jar joins spark.jars (not for Python and R apps; not spark-submit's
    // placeholder `spark-internal`, which is no user jar).
    if let MainAppResource::Java(jar) = &resource {
        let mut jars = conf.get_seq(keys::JARS);
        if let Some(jar) = jar.as_ref().filter(|j| *j != crate::k8s_utils::NO_RESOURCE) {
            jars.push(jar.clone());
        }
        conf.set(keys::JARS, jars.join(","));
    }
    // R apps: spark-submit opens every jar to look for R packages; only local files work.
    if matches!(resource, MainAppResource::R(_)) {
        for jar in conf.get_seq(keys::JARS) {
            if !crate::k8s_utils::is_local_and_resolvable(&jar) {
                return Err(Error::invalid(
                    keys::JARS,
                    &jar,
                    "for an R application spark-submit reads every jar as a local file (URI scheme must be \"file\")",
                ));
            }
        }
    }

    // Cluster mode ignores a spark.driver.host given by the user.
    if deploy_mode == DeployMode::Cluster && conf.remove(keys::DRIVER_HOST).is_some() {
        warnings.push(format!("{} is ignored in cluster mode", keys::DRIVER_HOST));
    }

    // spark-submit parses every listed URI; one with characters a URI cannot hold fails.
    for key in [
        keys::JARS,
        keys::FILES,
        keys::ARCHIVES,
        keys::SUBMIT_PY_FILES,
    ] {
        for item in conf.get_seq(key) {
            if has_scheme(&item)
                && item
                    .chars()
                    .any(|c| c.is_whitespace() || "|{}\"<>^`".contains(c))
            {
                return Err(Error::invalid(
                    key,
                    &item,
                    "not a valid URI: spaces and the characters |{}\"<>^` must be percent-encoded",
                ));
            }
        }
    }
    // spark-submit expands wildcards in local paths against the submitting machine's files
    // (Hadoop's glob); spark-render does not list the submitter's directories.
    for key in [
        keys::JARS,
        keys::FILES,
        keys::ARCHIVES,
        keys::SUBMIT_PY_FILES,
    ] {
        for item in conf.get_seq(key) {
            let local = !has_scheme(&item) || item.starts_with("file:");
            if local && item.contains(['*', '?']) {
                return Err(Error::Unsupported {
                    key: key.to_owned(),
                    feature: format!(
                        "wildcards in local paths ({item}: spark-submit expands them against the submitting machine's files)"
                    ),
                });
            }
        }
    }
    // Relative paths are resolved against the submitter's working directory.
    for key in [keys::JARS, keys::FILES, keys::ARCHIVES] {
        if let Some(value) = conf.get(key) {
            let resolved = resolve_uris(value, &inputs.working_dir);
            conf.set(key, resolved);
        }
    }
    let py_files = resolve_uris(
        &conf.get_seq(keys::SUBMIT_PY_FILES).join(","),
        &inputs.working_dir,
    );
    conf.set(keys::SUBMIT_PY_FILES, conf::split_seq(&py_files).join(","));

    if !conf.contains(keys::APP_SUBMIT_TIME) {
        conf.set(keys::APP_SUBMIT_TIME, inputs.submit_time_ms.to_string());
    }

    let app = Application {
        resource,
        main_class,
        args: args.app_args.clone(),
        proxy_user: args.proxy_user.clone(),
    };
    Ok(Submission {
        conf,
        deploy_mode,
        app,
        warnings,
    })
}

/// The options spark-submit maps to conf keys besides the common ones: Kerberos and Maven
/// (`SparkSubmitArguments.loadEnvironmentArguments` and the `OptionAssigner`s of
/// `prepareSubmitEnvironment` for a Kubernetes master), and those it ignores on Kubernetes.
fn assign_submit_only_options(
    args: &SubmitArgs,
    deploy_mode: DeployMode,
    conf: &mut SparkConf,
    warnings: &mut Vec<String>,
) -> Result<()> {
    // Kerberos: the option, else spark.kerberos.*, else the YARN-era spark.yarn.* key.
    let kerberos = [
        (keys::PRINCIPAL, &args.principal, keys::YARN_PRINCIPAL),
        (keys::KEYTAB, &args.keytab, keys::YARN_KEYTAB),
    ];
    for (key, option, legacy) in kerberos {
        let value = option
            .clone()
            .or_else(|| conf.get(key).map(str::to_owned))
            .or_else(|| conf.get(legacy).map(str::to_owned));
        if let Some(value) = value {
            conf.set(key, value);
        }
    }
    // Maven packages are assigned to the driver's conf in cluster mode only.
    if deploy_mode == DeployMode::Cluster {
        let packages = [
            (keys::JAR_PACKAGES, &args.packages),
            (keys::JAR_REPOSITORIES, &args.repositories),
            (keys::JAR_EXCLUDES, &args.exclude_packages),
        ];
        set_given(conf, packages);
    }
    for (key, shape) in [(keys::JAR_PACKAGES, 3), (keys::JAR_EXCLUDES, 2)] {
        if let Some(list) = conf.get(key).filter(|v| !v.trim().is_empty()) {
            check_maven_coordinates(key, list, shape)?;
        }
    }
    if conf
        .get(keys::JAR_PACKAGES)
        .is_some_and(|v| !v.trim().is_empty())
    {
        warnings.push(format!(
            "{}: spark-submit resolves these Maven packages (and the driver resolves them again when it starts); the objects do not depend on the resolved jars, so they are rendered without resolving them, and a package that cannot be resolved is not detected",
            keys::JAR_PACKAGES
        ));
    }
    let ignored = [
        (
            "--total-executor-cores",
            args.total_executor_cores.is_some(),
            "standalone and Mesos",
        ),
        ("--supervise", args.supervise, "standalone and Mesos"),
        ("--queue", args.queue.is_some(), "YARN"),
    ];
    for (option, given, managers) in ignored {
        if given {
            warnings.push(format!(
                "{option} is for {managers} only: spark-submit ignores it on Kubernetes"
            ));
        }
    }
    Ok(())
}

/// Sets each key whose option was given to the option's value (options win over the conf).
fn set_given<const N: usize>(conf: &mut SparkConf, options: [(&'static str, &Option<String>); N]) {
    for (key, value) in options {
        if let Some(value) = value {
            conf.set(key, value);
        }
    }
}

/// `SparkSubmitUtils.extractMavenCoordinates`: each comma-separated item is
/// `groupId:artifactId:version` (`/` may stand for `:`), or `groupId:artifactId` for
/// exclusions, with no blank part.
fn check_maven_coordinates(key: &str, list: &str, parts: usize) -> Result<()> {
    let form = if parts == 3 {
        "groupId:artifactId:version"
    } else {
        "groupId:artifactId"
    };
    for item in list.split(',') {
        let normalized = item.replace('/', ":");
        let fields: Vec<&str> = normalized.split(':').collect();
        if fields.len() != parts {
            return Err(Error::invalid(
                key,
                item,
                format!("Maven coordinates must be in the form '{form}'"),
            ));
        }
        let names = ["groupId", "artifactId", "version"];
        if let Some((_, name)) = fields
            .iter()
            .zip(names)
            .find(|(field, _)| field.trim().is_empty())
        {
            return Err(Error::invalid(
                key,
                item,
                format!("the {name} of a Maven coordinate cannot be empty or whitespace"),
            ));
        }
    }
    Ok(())
}

/// `SparkSubmitArguments.validateSubmitArguments`: memory sizes and core/executor counts must
/// be positive.
fn validate_sizes_and_counts(args: &SubmitArgs, conf: &SparkConf) -> Result<()> {
    let pick = |flag: &Option<String>, key: &str, flag_name: &str| -> Option<(String, String)> {
        match flag {
            Some(v) => Some((format!("{key} (from {flag_name})"), v.clone())),
            None => conf.get(key).map(|v| (key.to_owned(), v.to_owned())),
        }
    };
    let sizes = [
        (
            pick(
                &args.driver_memory,
                keys::DRIVER_MEMORY.key,
                "--driver-memory",
            ),
            "driver memory",
        ),
        (
            pick(
                &args.executor_memory,
                keys::EXECUTOR_MEMORY.key,
                "--executor-memory",
            ),
            "executor memory",
        ),
    ];
    for (entry, what) in sizes {
        if let Some((key, value)) = entry {
            let bytes = conf::bytes::byte_string_as(&value, conf::ByteUnit::Byte).unwrap_or(-1);
            if bytes <= 0 {
                return Err(Error::invalid(
                    &key,
                    &value,
                    format!("{what} must be a positive size such as 512m or 2g"),
                ));
            }
        }
    }
    let dynamic = conf
        .get(keys::DYN_ALLOCATION_ENABLED.key)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let counts = [
        (
            pick(&args.driver_cores, keys::DRIVER_CORES.key, "--driver-cores"),
            "driver cores",
        ),
        (
            pick(
                &args.executor_cores,
                keys::EXECUTOR_CORES.key,
                "--executor-cores",
            ),
            "executor cores",
        ),
        (
            if dynamic {
                None
            } else {
                pick(
                    &args.num_executors,
                    keys::EXECUTOR_INSTANCES.key,
                    "--num-executors",
                )
            },
            "the number of executors",
        ),
    ];
    for (entry, what) in counts {
        if let Some((key, value)) = entry {
            if value.parse::<i32>().map_or(true, |n| n <= 0) {
                return Err(Error::invalid(
                    &key,
                    &value,
                    format!("{what} must be a positive whole number"),
                ));
            }
        }
    }
    Ok(())
}

/// `Utils.checkAndGetK8sMasterUrl`: `k8s://host:port` gains `https://`; only http(s) schemes.
fn k8s_master_url(raw: &str) -> Result<String> {
    let bad = |reason: String| Error::InvalidArgument {
        argument: "--master".into(),
        reason,
    };
    let rest = raw
        .strip_prefix("k8s://")
        .ok_or_else(|| bad(format!("{raw:?}: spark-render renders Kubernetes submissions; the master URL must start with k8s://")))?;
    // `new URI(...)` refuses spaces, the characters below and unbalanced IPv6 brackets (a
    // placeholder such as `https://<host>:<port>` copied from the docs, for instance).
    if rest
        .chars()
        .any(|c| c.is_whitespace() || "<>\"{}|\\^`".contains(c))
        || rest.matches('[').count() != rest.matches(']').count()
    {
        return Err(bad(format!("{raw:?} is not a valid URL")));
    }
    if !rest.contains("://") {
        return Ok(format!("k8s://https://{rest}"));
    }
    let scheme = rest
        .split("://")
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match scheme.as_str() {
        "https" | "http" => Ok(raw.to_owned()),
        _ => Err(bad(format!(
            "invalid Kubernetes master scheme {scheme:?} in {raw:?}"
        ))),
    }
}

/// `SparkSubmit.isShell` and `isInternal`: resources that name no file.
fn is_placeholder_resource(resource: &str) -> bool {
    matches!(
        resource,
        "spark-shell" | "pyspark-shell" | "sparkr-shell" | crate::k8s_utils::NO_RESOURCE
    )
}

/// The last path segment of a resource.
fn file_name(resource: &str) -> &str {
    resource.rsplit('/').next().unwrap_or(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_urls_are_normalised() {
        assert_eq!(
            k8s_master_url("k8s://host:443").as_deref(),
            Ok("k8s://https://host:443")
        );
        assert_eq!(
            k8s_master_url("k8s://http://h").as_deref(),
            Ok("k8s://http://h")
        );
        assert!(k8s_master_url("yarn").is_err());
        assert!(k8s_master_url("k8s://ftp://h").is_err());
        assert!(k8s_master_url("k8s://https://<k8s-apiserver-host>:<port>").is_err());
    }

    #[test]
    fn relative_paths_resolve_against_the_working_dir() {
        assert_eq!(
            resolve_uri("app.jar", "/work/dir"),
            "file:/work/dir/app.jar"
        );
        assert_eq!(resolve_uri("../x/a.py", "/work/dir"), "file:/work/x/a.py");
        assert_eq!(resolve_uri("local:///a.jar", "/w"), "local:///a.jar");
        assert_eq!(resolve_uri("/abs/a.zip#env", "/w"), "file:/abs/a.zip#env");
    }

    #[test]
    fn conf_pairs_split_at_the_first_equals() {
        assert_eq!(parse_conf_pair("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert!(parse_conf_pair("novalue").is_err());
        let err = parse_conf_pair("spark.kubernetes.authenticate.driver.oauthToken TOKEN123")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("TOKEN123"), "{err}");
        assert!(err.contains("oauthToken"), "{err}");
    }
}
