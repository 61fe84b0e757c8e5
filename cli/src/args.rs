//! Command-line arguments: spark-submit's own options (so a spark-submit command line works
//! with `spark-render driver` in place of `spark-submit`), plus the values Spark would draw
//! itself, and output options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Prints the Kubernetes objects Apache Spark would create for a spark-submit, without a JVM
/// and without a cluster.
#[derive(Debug, Parser)]
#[command(name = "spark-render", version = version_text(), about, long_about = None)]
pub struct Cli {
    /// What to render.
    #[command(subcommand)]
    pub command: Command,
}

fn version_text() -> &'static str {
    concat!(env!("CARGO_PKG_VERSION"), " (mirrors Apache Spark 3.5.3)")
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The driver Pod and its Service and ConfigMaps, as `spark-submit --deploy-mode cluster`
    /// creates them.
    #[command(after_help = DRIVER_EXAMPLES)]
    Driver(DriverArgs),
    /// The executor Pods the running driver would create, and their spark-conf ConfigMap.
    Executor(ExecutorArgs),
    /// The driver's objects, then the executors'.
    All(ExecutorArgs),
    /// Conf keys that are probably mistakes: unknown or misspelt keys (with a suggestion),
    /// deprecated keys, keys with no effect in the deploy mode.
    Lint(LintArgs),
    /// Every field of the objects `all` prints, with where it comes from: a conf key, a pod
    /// template, a Spark default, a render input or a Spark rule (`-o json` for tools).
    Explain(ExecutorArgs),
    /// Prints a shell completion script (e.g. `spark-render completions bash > /etc/bash_completion.d/spark-render`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Prints the manual page (roff), e.g. `spark-render man | man -l -`.
    Man,
}

/// Arguments of `spark-render lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Exit with status 1 when there are findings.
    #[arg(long = "fail-on-findings")]
    pub fail: bool,

    #[command(flatten)]
    pub driver: DriverArgs,
}

/// Arguments of `spark-render executor` and `spark-render all`.
#[derive(Debug, Args)]
pub struct ExecutorArgs {
    #[command(flatten)]
    pub executors: ExecutorOptions,

    #[command(flatten)]
    pub driver: DriverArgs,
}

/// Which executors to render, and what only the running driver knows.
#[derive(Debug, Args)]
#[command(next_help_heading = "Executor options")]
pub struct ExecutorOptions {
    /// An executor to render; repeatable (default: 1).
    #[arg(long = "executor-id", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub executor_id: Vec<u32>,

    /// The driver pod's IP (the image entrypoint hands it to Spark; it reaches the executors'
    /// SPARK_DRIVER_POD_IP). Default: the placeholder DRIVER_POD_IP.
    #[arg(long = "driver-pod-ip", value_name = "IP")]
    pub driver_pod_ip: Option<String>,

    /// An executor pod's UID as N=UID (repeatable), for the ownerReferences of what is created
    /// with it (on-demand claims when spark.kubernetes.driver.ownPersistentVolumeClaim=false).
    #[arg(long = "executor-uid", value_name = "N=UID", value_parser = parse_executor_uid)]
    pub executor_uid: Vec<(u32, String)>,

    /// The secret executors get with spark.authenticate=true (default: random, as Spark draws it).
    #[arg(long = "auth-secret", value_name = "HEX")]
    pub auth_secret: Option<String>,
}

const DRIVER_EXAMPLES: &str = "\
Examples:
  spark-render driver --master k8s://https://host:443 --name spark-pi \\
      --class org.apache.spark.examples.SparkPi \\
      --conf spark.kubernetes.container.image=apache/spark:3.5.3 \\
      local:///opt/spark/examples/jars/spark-examples.jar 100 | kubectl apply -f -

  spark-render driver --properties-file job.conf -o json local:///opt/app/main.py";

/// Arguments of `spark-render driver`.
#[derive(Debug, Args)]
pub struct DriverArgs {
    #[command(flatten)]
    pub submit: SubmitOptions,

    #[command(flatten)]
    pub inputs: InputOptions,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Yaml)]
    pub output: OutputFormat,

    /// Refuse pod templates with fields Kubernetes does not know, instead of warning that they
    /// are dropped.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub apply: ApplyOptions,

    /// The main resource: a jar, a .py or a .R file (local://, file://, https://, or a path).
    #[arg(value_name = "APP_RESOURCE")]
    pub resource: String,

    /// The application's arguments.
    #[arg(
        value_name = "APP_ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub app_args: Vec<String>,
}

/// spark-submit's options.
#[derive(Debug, Args)]
#[command(next_help_heading = "spark-submit options")]
pub struct SubmitOptions {
    /// k8s://https://host:port (default: spark.master, else k8s://https://kubernetes.default.svc).
    #[arg(long, value_name = "URL")]
    pub master: Option<String>,

    /// Only `cluster` has a driver pod to render.
    #[arg(long = "deploy-mode", value_name = "MODE")]
    pub deploy_mode: Option<String>,

    /// The application name (spark.app.name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// The main class of a JVM application.
    #[arg(long = "class", value_name = "CLASS")]
    pub main_class: Option<String>,

    /// A Spark property; repeatable. Wins over the properties file.
    #[arg(short = 'c', long = "conf", value_name = "KEY=VALUE")]
    pub conf: Vec<String>,

    /// A spark-defaults style file (`key=value` or `key value`, `#` comments). Without it,
    /// spark-defaults.conf from SPARK_CONF_DIR or SPARK_HOME/conf is read, as spark-submit does.
    #[arg(long = "properties-file", value_name = "FILE")]
    pub properties_file: Option<PathBuf>,

    /// Comma-separated jars (spark.jars).
    #[arg(long, value_name = "JARS")]
    pub jars: Option<String>,

    /// Comma-separated files (spark.files).
    #[arg(long, value_name = "FILES")]
    pub files: Option<String>,

    /// Comma-separated .zip, .egg or .py files (spark.submit.pyFiles).
    #[arg(long = "py-files", value_name = "PY_FILES")]
    pub py_files: Option<String>,

    /// Comma-separated archives (spark.archives).
    #[arg(long, value_name = "ARCHIVES")]
    pub archives: Option<String>,

    /// spark.driver.memory, e.g. 2g.
    #[arg(long = "driver-memory", value_name = "MEM")]
    pub driver_memory: Option<String>,

    /// spark.driver.cores.
    #[arg(long = "driver-cores", value_name = "NUM")]
    pub driver_cores: Option<String>,

    /// spark.executor.memory, e.g. 4g.
    #[arg(long = "executor-memory", value_name = "MEM")]
    pub executor_memory: Option<String>,

    /// spark.executor.cores.
    #[arg(long = "executor-cores", value_name = "NUM")]
    pub executor_cores: Option<String>,

    /// spark.executor.instances.
    #[arg(long = "num-executors", value_name = "NUM")]
    pub num_executors: Option<String>,

    /// The user to impersonate (passed to the driver).
    #[arg(long = "proxy-user", value_name = "NAME")]
    pub proxy_user: Option<String>,
}

/// The values Spark draws from randomness, the clock, the environment or the cluster. Each
/// is drawn the way spark-submit draws it when not given.
#[derive(Debug, Args)]
#[command(next_help_heading = "Render inputs (drawn like spark-submit when absent)")]
pub struct InputOptions {
    /// The application id (default: spark-<random 32 hex>).
    #[arg(long = "app-id", value_name = "ID")]
    pub app_id: Option<String>,

    /// What Spark's KubernetesUtils.uniqueID returns: names' suffix and conf-map ids
    /// (default: 6 random hex digits + the clock in hex).
    #[arg(long = "unique-id", value_name = "HEX")]
    pub unique_id: Option<String>,

    /// spark.app.submitTime in epoch milliseconds (default: now).
    #[arg(long = "submit-time", value_name = "MILLIS")]
    pub submit_time: Option<i64>,

    /// SPARK_USER (default: $SPARK_USER, else $HADOOP_USER_NAME, else the current user).
    #[arg(long = "spark-user", value_name = "NAME")]
    pub spark_user: Option<String>,

    /// The UUID of the default local dir /var/data/spark-<uuid> (default: random).
    #[arg(long = "local-dir-uuid", value_name = "UUID")]
    pub local_dir_uuid: Option<String>,

    /// The UUID of the spark-upload-<uuid> dir local files go to (default: random).
    #[arg(long = "upload-uuid", value_name = "UUID")]
    pub upload_uuid: Option<String>,

    /// The driver pod's UID, for the ownerReferences of its Service and ConfigMaps
    /// (default: none, and no ownerReferences; see the README).
    #[arg(long = "driver-uid", value_name = "UID")]
    pub driver_uid: Option<String>,

    /// The submitter's conf dir, whose files Spark ships in its ConfigMaps
    /// (default: $SPARK_CONF_DIR, else $SPARK_HOME/conf, as spark-submit's scripts set it).
    #[arg(long = "conf-dir", value_name = "DIR")]
    pub conf_dir: Option<PathBuf>,

    /// The Spark release to mirror (3.5.x).
    #[arg(
        long = "spark-version",
        value_name = "VERSION",
        default_value = "3.5.3"
    )]
    pub spark_version: String,
}

fn parse_executor_uid(s: &str) -> Result<(u32, String), String> {
    let (id, uid) = s.split_once('=').ok_or("expected N=UID")?;
    let id: u32 = id
        .parse()
        .map_err(|_| format!("{id:?} is not an executor id"))?;
    Ok((id, uid.to_owned()))
}

/// `--apply` and what is passed through to kubectl.
#[derive(Debug, Args)]
#[command(next_help_heading = "Apply through kubectl")]
pub struct ApplyOptions {
    /// Create the driver pod, then its other objects owned by it, as spark-submit does
    /// (executors are created later by the running driver).
    #[arg(long)]
    pub apply: bool,

    /// The namespace (sets spark.kubernetes.namespace; must agree with it when both are given).
    #[arg(short = 'n', long = "namespace", value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// The kubeconfig context to use.
    #[arg(long, value_name = "CONTEXT", requires = "apply")]
    pub context: Option<String>,

    /// The kubeconfig file to use.
    #[arg(long, value_name = "FILE", requires = "apply")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubectl to run (default: $KUBECTL, else kubectl from PATH).
    #[arg(long, value_name = "PATH", requires = "apply")]
    pub kubectl: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Multi-document YAML, each object after `---`.
    Yaml,
    /// A JSON `v1` `List`.
    Json,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
