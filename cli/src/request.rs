//! From the command line to an engine request: spark-submit's options as `SubmitArgs`, the
//! files the submission names read from disk, and the render inputs drawn.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use spark_render_engine::conf::{self, properties};
use spark_render_engine::config::keys;
use spark_render_engine::{
    parse_conf_pair, prepare_submission, DeployMode, MainAppResource, ReleaseSource, RenderRequest,
    SubmitArgs, SubmitterEnv,
};

use crate::args::{Application, ExecutorOptions, RenderArgs, SparkOptions, SubmitOptions};
use crate::environment;
use crate::errors::CliError;
use crate::files;

/// Maps the command line to an engine request, reading the properties file and the files the
/// conf names.
pub fn render_request(
    args: &RenderArgs,
    app: &Application,
    spark: &SparkOptions,
) -> Result<RenderRequest, CliError> {
    prepare(args, app, spark, Files::Required).map(|prepared| prepared.request)
}

/// Whether a file the conf names must be read (rendering), or may be missing (linting: each
/// one that cannot be read is reported, and the rest goes on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// A file that cannot be read is an error.
    Required,
    /// A file that cannot be read is noted in [`Prepared::unread`].
    Optional,
}

/// A request, where each conf key was given, and the named files that could not be read.
pub struct Prepared {
    /// The engine request.
    pub request: RenderRequest,
    /// Conf key → where it was given: `FILE:LINE` of the properties file, or `--conf`.
    pub locations: BTreeMap<String, String>,
    /// (conf key, why its file could not be read), with [`Files::Optional`].
    pub unread: Vec<(String, String)>,
}

/// Who runs spark-submit, which decides the environment it sees and where the files it reads
/// come from.
#[derive(Debug, Clone, Copy)]
pub enum Submitter<'a> {
    /// The user, here: this process's environment, `spark-defaults.conf`, files on disk.
    Local,
    /// A Spark operator, in its pod: the image's user and working directory, no
    /// `spark-defaults.conf`, none of this process's environment, and the files it wrote.
    Operator {
        /// The files the operator wrote (pod templates), by path.
        files: &'a BTreeMap<String, Vec<u8>>,
    },
}

/// The user and working directory of the Spark image the operators run spark-submit in
/// (`USER 185`, `spark`; `WORKDIR /opt/spark/work-dir`).
const OPERATOR_USER: &str = "spark";
const OPERATOR_WORKING_DIR: &str = "/opt/spark/work-dir";

/// [`render_request`], reading the named files as `files` says, and noting where each conf
/// key was given.
pub fn prepare(
    args: &RenderArgs,
    app: &Application,
    spark: &SparkOptions,
    files: Files,
) -> Result<Prepared, CliError> {
    prepare_as(args, app, spark, files, Submitter::Local)
}

/// [`prepare`] for a submission made by `submitter`.
pub fn prepare_as(
    args: &RenderArgs,
    app: &Application,
    spark: &SparkOptions,
    files: Files,
    submitter: Submitter<'_>,
) -> Result<Prepared, CliError> {
    let local = matches!(submitter, Submitter::Local);
    let s = &args.submit;
    refuse_actions(s)?;
    let mut submit = submit_args(s, app)?;
    let file = match s.properties_file.clone() {
        Some(path) => Some((path, "--properties-file")),
        None if local => {
            default_properties_file().map(|path| (path, "the conf dir's spark-defaults.conf"))
        }
        None => None,
    };
    let mut locations = BTreeMap::new();
    if let Some((path, named_by)) = file {
        let entries = read_properties(&path, named_by)?;
        for (key, _, line) in &entries {
            locations.insert(key.clone(), format!("{}:{line}", path.display()));
        }
        submit.properties_file = entries.into_iter().map(|(k, v, _)| (k, v)).collect();
    }
    for (key, _) in &submit.conf {
        locations.insert(key.clone(), "--conf".to_owned());
    }
    if let Some(ns) = &s.namespace {
        match effective(&submit, keys::NAMESPACE.key) {
            Some(conf_ns) if &conf_ns != ns => {
                return Err(CliError::Output(format!(
                    "--namespace {ns} disagrees with {}={conf_ns}",
                    keys::NAMESPACE.key
                )))
            }
            Some(_) => {}
            None => submit
                .conf
                .push((keys::NAMESPACE.key.to_owned(), ns.clone())),
        }
    }
    let mut request = RenderRequest::new(submit);
    request.inputs = environment::render_inputs(&args.inputs);
    let provided = match submitter {
        Submitter::Local => None,
        Submitter::Operator { files } => {
            request.inputs.env = SubmitterEnv::default();
            request.inputs.working_dir = OPERATOR_WORKING_DIR.to_owned();
            request.inputs.spark_user = args
                .inputs
                .spark_user
                .clone()
                .unwrap_or_else(|| OPERATOR_USER.to_owned());
            Some(files)
        }
    };
    if s.verbose {
        // Before any file the conf names is read, as spark-submit prints before it builds.
        print_verbose(&request)?;
    }
    let (named_files, unread) = read_named_files(&request.submit, files, provided)?;
    request.inputs.files = named_files;
    if local && request.inputs.env.conf_dir_files.is_none() {
        // Spark's last resort: `<spark.home>/conf`.
        if let Some(home) = effective(&request.submit, keys::SPARK_HOME) {
            request.inputs.env.conf_dir_files =
                Some(environment::read_conf_files(&Path::new(&home).join("conf")));
        }
    }
    request.strict = spark.strict;
    let home = environment::var("SPARK_HOME")
        .map(PathBuf::from)
        .filter(|_| local);
    let choice = crate::release::choose(spark.spark_version.as_deref(), home.as_deref(), |key| {
        effective(&request.submit, key)
    })?;
    let (version, source) = &choice.submitter;
    if *source == ReleaseSource::Latest {
        eprintln!("spark-render: note: rendering Spark {version}, {source}");
    }
    request.spark_version = *version;
    if let Some((image_version, image_source)) = &choice.image {
        eprintln!(
            "spark-render: note: spark-submit is Spark {version} ({source}) and the driver image is Spark {image_version} ({image_source}): the driver's objects are rendered as Spark {version} creates them, the executors as Spark {image_version} does"
        );
        request.executor_spark_version = Some(*image_version);
    }
    request.release_source = choice.submitter.1;
    Ok(Prepared {
        request,
        locations,
        unread,
    })
}

/// spark-submit's options as the engine's [`SubmitArgs`] (the properties file is read apart).
pub fn submit_args(s: &SubmitOptions, app: &Application) -> Result<SubmitArgs, CliError> {
    let mut submit = SubmitArgs::new(app.resource());
    submit.master = s.master.clone();
    submit.deploy_mode = s.deploy_mode.clone();
    submit.name = s.name.clone();
    submit.main_class = s.main_class.clone();
    submit.jars = s.jars.clone();
    submit.files = s.files.clone();
    submit.py_files = s.py_files.clone();
    submit.archives = s.archives.clone();
    submit.driver_memory = s.driver_memory.clone();
    submit.driver_cores = s.driver_cores.clone();
    submit.executor_memory = s.executor_memory.clone();
    submit.executor_cores = s.executor_cores.clone();
    submit.num_executors = s.num_executors.clone();
    submit.proxy_user = s.proxy_user.clone();
    submit.driver_java_options = s.driver_java_options.clone();
    submit.driver_class_path = s.driver_class_path.clone();
    submit.driver_library_path = s.driver_library_path.clone();
    submit.packages = s.packages.clone();
    submit.exclude_packages = s.exclude_packages.clone();
    submit.repositories = s.repositories.clone();
    submit.principal = s.principal.clone();
    submit.keytab = s.keytab.as_ref().map(|p| p.display().to_string());
    submit.total_executor_cores = s.total_executor_cores.clone();
    submit.queue = s.queue.clone();
    submit.supervise = s.supervise;
    submit.app_args = app.args().to_vec();
    submit.conf = s
        .conf
        .iter()
        .map(|pair| parse_conf_pair(pair))
        .collect::<Result<_, _>>()?;
    Ok(submit)
}

/// `--kill`, `--status` and `--remote` act on something that already runs: nothing to render.
fn refuse_actions(s: &SubmitOptions) -> Result<(), CliError> {
    let refused = [
        (
            "--kill",
            s.kill.is_some(),
            "kills a running submission (standalone and Mesos only)",
        ),
        (
            "--status",
            s.status.is_some(),
            "asks for a running submission's status (standalone and Mesos only)",
        ),
        (
            "--remote",
            s.remote.is_some(),
            "connects to a Spark Connect server, which creates nothing on Kubernetes",
        ),
    ];
    match refused.into_iter().find(|(_, given, _)| *given) {
        Some((option, _, what)) => Err(CliError::Usage(format!(
            "{option} {what}; spark-render only shows what a new submission creates"
        ))),
        None => Ok(()),
    }
}

/// Which executors to render, and what only the running driver knows.
pub fn select_executors(request: &mut RenderRequest, opts: &ExecutorOptions) {
    request.executor_ids = opts.ids();
    request.inputs.executor_uids = opts.executor_uid.iter().cloned().collect();
    if let Some(ip) = &opts.driver_pod_ip {
        request.inputs.driver_pod_ip.clone_from(ip);
    }
    if let Some(secret) = &opts.auth_secret {
        request.inputs.auth_secret.clone_from(secret);
    }
}

/// The value of `key` as spark-submit sees it before its own options: `--conf` wins over the
/// properties file; properties-file values are trimmed.
fn effective(submit: &SubmitArgs, key: &str) -> Option<String> {
    submit
        .conf
        .iter()
        .rev()
        .chain(submit.properties_file.iter().rev())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
}

/// `--verbose`: what `spark-submit --verbose` prints of a Kubernetes submission, on stderr:
/// the class it runs, that class's arguments, and the Spark config (secrets redacted).
fn print_verbose(request: &RenderRequest) -> Result<(), CliError> {
    let submission = prepare_submission(&request.submit, &request.inputs)?;
    let app = &submission.app;
    let mut child_args: Vec<&str> = Vec::new();
    let main_class = match submission.deploy_mode {
        // Client mode: spark-submit runs the application's main class itself.
        DeployMode::Client => {
            match &app.resource {
                MainAppResource::Python(file) => child_args.extend([
                    file.as_str(),
                    submission.conf.get(keys::SUBMIT_PY_FILES).unwrap_or(""),
                ]),
                MainAppResource::R(file) => child_args.push(file),
                _ => {}
            }
            child_args.extend(app.args.iter().map(String::as_str));
            app.main_class.as_str()
        }
        DeployMode::Cluster => {
            match &app.resource {
                MainAppResource::Java(Some(jar)) => {
                    child_args.extend(["--primary-java-resource", jar])
                }
                MainAppResource::Python(file) => child_args.extend(["--primary-py-file", file]),
                MainAppResource::R(file) => child_args.extend(["--primary-r-file", file]),
                _ => {}
            }
            child_args.extend(["--main-class", &app.main_class]);
            for arg in &app.args {
                child_args.extend(["--arg", arg]);
            }
            if let Some(user) = &app.proxy_user {
                child_args.extend(["--proxy-user", user]);
            }
            "org.apache.spark.deploy.k8s.submit.KubernetesClientApplication"
        }
    };
    let mut text = format!("Main class:\n{main_class}\nArguments:\n");
    for arg in child_args {
        text.push_str(arg);
        text.push('\n');
    }
    text.push_str("Spark config:\n");
    let mut entries: Vec<(&str, &str)> = submission.conf.iter().collect();
    entries.sort_unstable();
    for (key, value) in entries {
        let value = if conf::is_redacted(key) || conf::is_redacted(value) {
            "*********(redacted)"
        } else {
            value
        };
        text.push_str(&format!("({key},{value})\n"));
    }
    eprint!("{text}");
    Ok(())
}

/// The files the conf names, by path as the conf gives it, and (conf key, why) for those that
/// could not be read.
type NamedFiles = (BTreeMap<String, Vec<u8>>, Vec<(String, String)>);

/// Reads the local files the conf names (pod templates, krb5.conf, keytab, credentials): the
/// engine takes their contents as inputs. Keys are the paths as the conf gives them.
fn read_named_files(
    submit: &SubmitArgs,
    mode: Files,
    provided: Option<&BTreeMap<String, Vec<u8>>>,
) -> Result<NamedFiles, CliError> {
    let mut files = BTreeMap::new();
    let mut unread = Vec::new();
    for key in keys::FILE_KEYS {
        // The option, else --conf, else the properties file, as in spark-submit; errors name
        // where the path was given.
        let named = match *key {
            keys::KEYTAB => submit
                .keytab
                .clone()
                .map(|path| ("--keytab", path))
                .or_else(|| effective(submit, key).map(|path| (*key, path)))
                .or_else(|| {
                    effective(submit, keys::YARN_KEYTAB).map(|path| (keys::YARN_KEYTAB, path))
                }),
            _ => effective(submit, key).map(|path| (*key, path)),
        };
        let Some((key, path)) = named else {
            continue;
        };
        if let Some(provided) = provided {
            match provided.get(&path) {
                Some(bytes) => {
                    files.insert(path, bytes.clone());
                }
                None => unreadable(
                    mode,
                    &mut unread,
                    key,
                    &path,
                    "a file in the operator's pod, which spark-render cannot read",
                )?,
            }
            continue;
        }
        let local = if let Some(rest) = path.strip_prefix("file://") {
            rest.to_owned()
        } else if let Some(rest) = path.strip_prefix("file:") {
            rest.to_owned()
        } else if path.contains("://") {
            unreadable(
                mode,
                &mut unread,
                key,
                &path,
                "spark-render reads local files only",
            )?;
            continue;
        } else {
            path.clone()
        };
        let limit = match key {
            keys::DRIVER_POD_TEMPLATE_FILE | keys::EXECUTOR_POD_TEMPLATE_FILE => {
                files::TEMPLATE_LIMIT
            }
            _ => files::OBJECT_FILE_LIMIT,
        };
        match files::read_regular(Path::new(&local), limit) {
            Ok(bytes) => {
                files.insert(path, bytes);
            }
            Err(e) => unreadable(mode, &mut unread, key, &path, &e.to_string())?,
        }
    }
    Ok((files, unread))
}

/// A file the conf names that cannot be read (`reason`): an error when it is required, else
/// noted in `unread`.
fn unreadable(
    mode: Files,
    unread: &mut Vec<(String, String)>,
    key: &str,
    path: &str,
    reason: &str,
) -> Result<(), CliError> {
    match mode {
        Files::Required => Err(CliError::ReadNamed {
            key: key.to_owned(),
            path: path.to_owned(),
            reason: reason.to_owned(),
        }),
        Files::Optional => {
            unread.push((key.to_owned(), format!("cannot read {path}: {reason}")));
            Ok(())
        }
    }
}

/// spark-submit's default: `spark-defaults.conf` in `SPARK_CONF_DIR`, else `SPARK_HOME/conf`.
fn default_properties_file() -> Option<PathBuf> {
    let file = environment::spark_conf_dir()?.join("spark-defaults.conf");
    file.is_file().then_some(file)
}

/// Reads a properties file as `Utils.getPropertiesFromFile` does: decoded as UTF-8, with
/// bytes that are not UTF-8 replaced by U+FFFD (said on stderr, which Spark does not).
fn read_properties(path: &Path, named_by: &str) -> Result<Vec<(String, String, usize)>, CliError> {
    let bytes =
        files::read_regular(path, files::PROPERTIES_LIMIT).map_err(|e| CliError::ReadNamed {
            key: named_by.to_owned(),
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    let text = String::from_utf8_lossy(&bytes);
    if let std::borrow::Cow::Owned(_) = text {
        eprintln!(
            "spark-render: warning: {} is not UTF-8: its undecodable bytes read as U+FFFD, as Spark reads them",
            path.display()
        );
    }
    Ok(properties::parse_with_lines(
        &text,
        &path.display().to_string(),
    )?)
}
