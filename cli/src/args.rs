//! Command-line arguments: spark-submit's own options (so a spark-submit command line works
//! with `spark-render driver` in place of `spark-submit`), plus the values Spark would draw
//! itself, output options and kubectl options.
//!
//! The command line is read as `SparkSubmitOptionParser` reads it: options (`--opt value` or
//! `--opt=value`, the last one winning) in any order up to the primary resource; everything
//! after the resource is the application's arguments, verbatim, even when it looks like an
//! option.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Prints the Kubernetes objects Apache Spark would create for a spark-submit, without a JVM
/// and without a cluster.
#[derive(Debug, Parser)]
#[command(
    name = "spark-render",
    version = VERSION_TEXT,
    about,
    long_about = None,
    propagate_version = true,
    args_override_self = true
)]
pub struct Cli {
    /// What to render.
    #[command(subcommand)]
    pub command: Command,
}

/// What `--version` prints: spark-render's version and the Spark releases it mirrors.
pub const VERSION_TEXT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (mirrors Apache Spark 3.3 to 4.3: the release is --spark-version, else SPARK_HOME's, else the image tag's, else the latest, 4.3.0)"
);

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The driver Pod and its Service and ConfigMaps, as `spark-submit --deploy-mode cluster`
    /// creates them; `--apply` creates them through kubectl.
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
    /// template, a Spark default, a render input or a Spark rule.
    Explain(ExplainArgs),
    /// What changes in the cluster between two renders of a submission (two Spark releases,
    /// two confs or templates), or between two manifest files (a render and `kubectl get -o
    /// yaml`). Exit status 0 when the same, 1 when different, 2 on error.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(Box<DiffArgs>),
    /// What the job asks of the cluster: the driver's and each executor's requests and limits
    /// (CPU, memory, GPUs and other resources, claims), totals for the executors at start and,
    /// under dynamic allocation, at most; with --node, how many executors fit on a node.
    Summary(SummaryArgs),
    /// Checks the pods `all` prints against the Kubernetes Pod Security Standards (1.33):
    /// each violation with its pod, field and rule, and how to fix it with Spark's conf or a
    /// pod template. Exit status 1 when a pod violates the level.
    Check(CheckArgs),
    /// Prints a shell completion script (e.g. `spark-render completions bash > /etc/bash_completion.d/spark-render`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Prints a manual page (roff): `spark-render man | man -l -` for the main page,
    /// `spark-render man all` for a subcommand's, `spark-render man DIR` writes them all.
    Man {
        /// A subcommand (its page goes to stdout) or a directory (every page is written
        /// there as spark-render.1, spark-render-driver.1, ...). Default: the main page.
        #[arg(value_name = "SUBCOMMAND|DIR")]
        target: Option<String>,
    },
}

const DRIVER_EXAMPLES: &str = "\
Examples:
  spark-render driver --master k8s://https://host:443 --name spark-pi \\
      --class org.apache.spark.examples.SparkPi \\
      --conf spark.kubernetes.container.image=apache/spark:3.5.3 \\
      local:///opt/spark/examples/jars/spark-examples.jar 100 | kubectl apply -f -

  spark-render driver --reproducible --properties-file job.conf -o json local:///opt/app/main.py";

/// Arguments of `spark-render driver`.
#[derive(Debug, Args)]
pub struct DriverArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub output: ManifestOutput,

    #[command(flatten)]
    pub apply: ApplyOptions,

    /// Print the spark-submit command the operator runs for each SparkApplication (with -f),
    /// instead of the objects.
    #[arg(
        long = "print-submit",
        requires = "filename",
        help_heading = "SparkApplication (instead of spark-submit's options)"
    )]
    pub print_submit: bool,

    #[command(flatten)]
    pub app: Application,
}

/// Arguments of `spark-render executor` and `spark-render all`.
#[derive(Debug, Args)]
pub struct ExecutorArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub executors: ExecutorOptions,

    #[command(flatten)]
    pub output: ManifestOutput,

    #[command(flatten)]
    pub app: Application,
}

/// Arguments of `spark-render explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub executors: ExecutorOptions,

    #[command(flatten)]
    pub output: ReportOutput,

    #[command(flatten)]
    pub app: Application,
}

/// Examples of `spark-render diff`.
const DIFF_EXAMPLES: &str = "Examples:
  spark-render diff --from-version 3.5.3 --to-version 4.1.4 --properties-file job.conf local:///opt/app.jar
  spark-render diff --left-properties-file old.conf --right-properties-file new.conf local:///opt/app.jar
  spark-render diff --right-conf spark.executor.memory=8g --properties-file job.conf local:///opt/app.jar
  spark-render diff rendered.yaml live.yaml
  kubectl get pod my-driver -o yaml | spark-render diff rendered.yaml -";

/// Arguments of `spark-render diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub executors: ExecutorOptions,

    #[command(flatten)]
    pub sides: DiffSides,

    #[command(flatten)]
    pub output: DiffOutput,

    /// Comparing renders: the main resource and its arguments, as for `all`. Comparing files:
    /// the two manifest files (YAML or JSON; `-` for standard input). None with -f.
    #[arg(
        value_names = ["APP_RESOURCE|LEFT_FILE", "APP_ARGS|RIGHT_FILE"],
        required_unless_present = "filename",
        num_args = 1..,
        trailing_var_arg = true
    )]
    pub operands: Vec<String>,
}

/// What differs between the two renders `diff` compares; everything else is shared.
#[derive(Debug, Args)]
#[command(next_help_heading = "Sides (renders only)")]
pub struct DiffSides {
    /// The Spark release of the left side (default: as for `all`).
    #[arg(long = "from-version", value_name = "VERSION")]
    pub from_version: Option<String>,

    /// The Spark release of the right side (default: as for `all`).
    #[arg(long = "to-version", value_name = "VERSION")]
    pub to_version: Option<String>,

    /// A Spark property of the left side only, after the shared ones; repeatable.
    #[arg(
        long = "left-conf",
        value_name = "KEY=VALUE",
        allow_hyphen_values = true
    )]
    pub left_conf: Vec<String>,

    /// A Spark property of the right side only, after the shared ones; repeatable.
    #[arg(
        long = "right-conf",
        value_name = "KEY=VALUE",
        allow_hyphen_values = true
    )]
    pub right_conf: Vec<String>,

    /// The properties file of the left side, instead of the shared --properties-file.
    #[arg(long = "left-properties-file", value_name = "FILE")]
    pub left_properties_file: Option<PathBuf>,

    /// The properties file of the right side, instead of the shared --properties-file.
    #[arg(long = "right-properties-file", value_name = "FILE")]
    pub right_properties_file: Option<PathBuf>,

    /// The driver pod template of the left side (spark.kubernetes.driver.podTemplateFile).
    #[arg(long = "left-driver-template", value_name = "FILE")]
    pub left_driver_template: Option<PathBuf>,

    /// The driver pod template of the right side (spark.kubernetes.driver.podTemplateFile).
    #[arg(long = "right-driver-template", value_name = "FILE")]
    pub right_driver_template: Option<PathBuf>,

    /// The executor pod template of the left side (spark.kubernetes.executor.podTemplateFile).
    #[arg(long = "left-executor-template", value_name = "FILE")]
    pub left_executor_template: Option<PathBuf>,

    /// The executor pod template of the right side (spark.kubernetes.executor.podTemplateFile).
    #[arg(long = "right-executor-template", value_name = "FILE")]
    pub right_executor_template: Option<PathBuf>,
}

impl DiffSides {
    /// Whether the sides differ only in their release (no side conf, file or template).
    pub fn differ_only_by_release(&self) -> bool {
        self.left_conf.is_empty()
            && self.right_conf.is_empty()
            && self.left_properties_file.is_none()
            && self.right_properties_file.is_none()
            && self.left_driver_template.is_none()
            && self.right_driver_template.is_none()
            && self.left_executor_template.is_none()
            && self.right_executor_template.is_none()
    }

    /// Whether any option sets a side apart: the operands are then a submission, not files.
    pub fn compare_renders(&self) -> bool {
        self.from_version.is_some()
            || self.to_version.is_some()
            || !self.left_conf.is_empty()
            || !self.right_conf.is_empty()
            || self.left_properties_file.is_some()
            || self.right_properties_file.is_some()
            || self.left_driver_template.is_some()
            || self.right_driver_template.is_some()
            || self.left_executor_template.is_some()
            || self.right_executor_template.is_some()
    }
}

/// Output of `diff`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct DiffOutput {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// Also list the fields only a file has that the API server fills in with defaults
    /// (dnsPolicy, terminationMessagePath, the service-account token volume...).
    #[arg(long = "show-server-defaults")]
    pub show_server_defaults: bool,

    #[command(flatten)]
    pub spark: SparkOptions,
}

/// Formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A report for people, grouped by object (coloured on a terminal unless NO_COLOR is set).
    Text,
    /// A JSON list of changes: object, field, change, left, right, left_source, right_source.
    Json,
    /// Markdown tables, for a pull-request comment.
    Markdown,
}

/// Arguments of `spark-render check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub executors: ExecutorOptions,

    /// The Pod Security Standards level the pods must meet: `baseline` or `restricted`.
    #[arg(long = "pod-security", value_name = "LEVEL", help_heading = "Check")]
    pub pod_security: String,

    /// The Kubernetes version whose Pod Security Standards apply (1.25 to 1.37).
    #[arg(
        long = "kubernetes-version",
        value_name = "1.N",
        default_value = "1.33",
        help_heading = "Check"
    )]
    pub kubernetes_version: String,

    #[command(flatten)]
    pub output: TableOutput,

    #[command(flatten)]
    pub app: Application,
}

/// Arguments of `spark-render summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    /// A node's allocatable resources, e.g. `cpu=16,memory=64Gi,nvidia.com/gpu=4`: how many
    /// executors fit on one (by their requests; daemon sets and system reservations aside).
    #[arg(long, value_name = "RESOURCES", help_heading = "Output")]
    pub node: Option<String>,

    #[command(flatten)]
    pub output: TableOutput,

    #[command(flatten)]
    pub app: Application,
}

/// Output of `summary` and `check`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct TableOutput {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,

    #[command(flatten)]
    pub spark: SparkOptions,
}

/// Formats of `summary` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// A table for people.
    Text,
    /// JSON: amounts in base units (cores, bytes, counts).
    Json,
}

/// Arguments of `spark-render lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub output: ReportOutput,

    /// Exit with status 1 when there are findings.
    #[arg(long = "fail-on-findings", help_heading = "Output")]
    pub fail: bool,

    /// The main resource and its arguments, as for `all`; optional: without them the conf
    /// alone is checked (rendered with a placeholder application).
    #[arg(
        value_names = ["APP_RESOURCE", "APP_ARGS"],
        num_args = 0..,
        trailing_var_arg = true
    )]
    pub resource_and_args: Vec<String>,
}

/// What every rendering subcommand takes: spark-submit's options and the render inputs.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub resource: ResourceOptions,

    #[command(flatten)]
    pub submit: SubmitOptions,

    #[command(flatten)]
    pub inputs: InputOptions,
}

/// A `SparkApplication` instead of spark-submit's options: what a Spark operator submits for
/// it, and what it does around the submission.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "SparkApplication (instead of spark-submit's options)")]
pub struct ResourceOptions {
    /// A file of SparkApplications (kubeflow's sparkoperator.k8s.io/v1beta2 or Apache's
    /// spark.apache.org/v1), `-` for standard input; repeatable, each document rendered in
    /// turn. `diff` compares two: -f OLD -f NEW.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub filename: Vec<PathBuf>,

    /// The operator release whose behaviour is mirrored (kubeflow v2.4.0 to v2.5.2, Apache
    /// 1.0.0; default: the latest modelled). Its Spark builds the driver's objects; the
    /// application image's Spark (--spark-version, else its tag, else the spec's Spark version)
    /// the executors.
    #[arg(long = "operator-release", value_name = "TAG", requires = "filename")]
    pub operator_release: Option<String>,

    /// The Spark of the operator's image, when it is not the release's (a custom image).
    #[arg(
        long = "operator-spark-version",
        value_name = "VERSION",
        requires = "filename"
    )]
    pub operator_spark_version: Option<String>,

    /// The operator runs without its webhook: no admission defaults or validation, and Spark
    /// pods are not patched (affinity, tolerations, volumes... of the spec do not apply).
    #[arg(long = "no-webhook", requires = "filename")]
    pub no_webhook: bool,

    /// The submission id the controller draws (a UUID; --reproducible fixes it).
    #[arg(long = "submission-id", value_name = "UUID", requires = "filename")]
    pub submission_id: Option<String>,

    /// The SparkApplication's metadata.uid when the file has none (the API server assigns it;
    /// --reproducible fixes it).
    #[arg(long = "app-uid", value_name = "UID", requires = "filename")]
    pub app_uid: Option<String>,

    /// The API server as the operator's pod sees it ($KUBERNETES_SERVICE_HOST:PORT): the
    /// master of the submission.
    #[arg(
        long = "kubernetes-service",
        value_name = "HOST:PORT",
        default_value = "10.96.0.1:443",
        requires = "filename"
    )]
    pub kubernetes_service: String,

    /// Only what Spark creates: the pods before the webhook patches them, without the
    /// operator's own objects (the SparkApplication is still defaulted and validated).
    #[arg(long = "spark-only", requires = "filename")]
    pub spark_only: bool,

    /// The operator creates no UI Service (its chart's controller.uiService.enable=false).
    #[arg(long = "no-ui-service", requires = "filename")]
    pub no_ui_service: bool,

    /// The operator's UI Ingress URL format (controller.uiIngress.urlFormat), e.g.
    /// `{{$appName}}.example.com` or `example.com/{{$appNamespace}}/{{$appName}}`.
    #[arg(
        long = "ui-ingress-url-format",
        value_name = "FORMAT",
        requires = "filename"
    )]
    pub ui_ingress_url_format: Option<String>,

    /// The ingressClassName of the operator's Ingresses (controller.uiIngress.ingressClassName).
    #[arg(
        long = "ingress-class-name",
        value_name = "NAME",
        requires = "filename"
    )]
    pub ingress_class_name: Option<String>,
}

/// The primary resource and the application's arguments: the first argument that is not an
/// option, and everything after it.
#[derive(Debug, Args)]
pub struct Application {
    /// The main resource (a jar, a .py or a .R file: local://, file://, https://, or a path),
    /// then the application's arguments, passed on verbatim even when they look like options.
    #[arg(
        value_names = ["APP_RESOURCE", "APP_ARGS"],
        required_unless_present = "filename",
        num_args = 1..,
        trailing_var_arg = true
    )]
    pub resource_and_args: Vec<String>,
}

impl Application {
    /// The primary resource.
    pub fn resource(&self) -> &str {
        self.resource_and_args.first().map_or("", String::as_str)
    }

    /// The application's arguments.
    pub fn args(&self) -> &[String] {
        self.resource_and_args.get(1..).unwrap_or_default()
    }
}

/// spark-submit's options, with the conf keys spark-submit maps them to.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Submission options (spark-submit's)")]
pub struct SubmitOptions {
    /// k8s://https://host:port (default: spark.master, else k8s://https://kubernetes.default.svc).
    #[arg(long, value_name = "URL", allow_hyphen_values = true)]
    pub master: Option<String>,

    /// `cluster` (a driver pod) or `client` (executors only).
    #[arg(long = "deploy-mode", value_name = "MODE", allow_hyphen_values = true)]
    pub deploy_mode: Option<String>,

    /// The application name (spark.app.name).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub name: Option<String>,

    /// The main class of a JVM application.
    #[arg(long = "class", value_name = "CLASS", allow_hyphen_values = true)]
    pub main_class: Option<String>,

    /// A Spark property; repeatable. Wins over the properties file.
    #[arg(
        short = 'c',
        long = "conf",
        value_name = "KEY=VALUE",
        allow_hyphen_values = true
    )]
    pub conf: Vec<String>,

    /// A spark-defaults style file (`key=value` or `key value`, `#` comments). Without it,
    /// spark-defaults.conf from SPARK_CONF_DIR or SPARK_HOME/conf is read, as spark-submit does.
    #[arg(
        long = "properties-file",
        value_name = "FILE",
        allow_hyphen_values = true
    )]
    pub properties_file: Option<PathBuf>,

    /// The namespace (spark.kubernetes.namespace; must agree with it when both are given).
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NAMESPACE",
        allow_hyphen_values = true
    )]
    pub namespace: Option<String>,

    /// Comma-separated jars (spark.jars).
    #[arg(long, value_name = "JARS", allow_hyphen_values = true)]
    pub jars: Option<String>,

    /// Comma-separated Maven coordinates groupId:artifactId:version (spark.jars.packages).
    #[arg(long, value_name = "PACKAGES", allow_hyphen_values = true)]
    pub packages: Option<String>,

    /// Comma-separated groupId:artifactId to leave out of --packages (spark.jars.excludes).
    #[arg(
        long = "exclude-packages",
        value_name = "EXCLUDES",
        allow_hyphen_values = true
    )]
    pub exclude_packages: Option<String>,

    /// Comma-separated extra Maven repositories (spark.jars.repositories).
    #[arg(long, value_name = "REPOS", allow_hyphen_values = true)]
    pub repositories: Option<String>,

    /// Comma-separated files (spark.files).
    #[arg(long, value_name = "FILES", allow_hyphen_values = true)]
    pub files: Option<String>,

    /// Comma-separated .zip, .egg or .py files (spark.submit.pyFiles).
    #[arg(long = "py-files", value_name = "PY_FILES", allow_hyphen_values = true)]
    pub py_files: Option<String>,

    /// Comma-separated archives (spark.archives).
    #[arg(long, value_name = "ARCHIVES", allow_hyphen_values = true)]
    pub archives: Option<String>,

    /// spark.driver.memory, e.g. 2g.
    #[arg(long = "driver-memory", value_name = "MEM", allow_hyphen_values = true)]
    pub driver_memory: Option<String>,

    /// spark.driver.extraJavaOptions.
    #[arg(
        long = "driver-java-options",
        value_name = "OPTS",
        allow_hyphen_values = true
    )]
    pub driver_java_options: Option<String>,

    /// spark.driver.extraLibraryPath.
    #[arg(
        long = "driver-library-path",
        value_name = "PATH",
        allow_hyphen_values = true
    )]
    pub driver_library_path: Option<String>,

    /// spark.driver.extraClassPath.
    #[arg(
        long = "driver-class-path",
        value_name = "PATH",
        allow_hyphen_values = true
    )]
    pub driver_class_path: Option<String>,

    /// spark.driver.cores.
    #[arg(long = "driver-cores", value_name = "NUM", allow_hyphen_values = true)]
    pub driver_cores: Option<String>,

    /// spark.executor.memory, e.g. 4g.
    #[arg(
        long = "executor-memory",
        value_name = "MEM",
        allow_hyphen_values = true
    )]
    pub executor_memory: Option<String>,

    /// spark.executor.cores.
    #[arg(
        long = "executor-cores",
        value_name = "NUM",
        allow_hyphen_values = true
    )]
    pub executor_cores: Option<String>,

    /// spark.executor.instances.
    #[arg(long = "num-executors", value_name = "NUM", allow_hyphen_values = true)]
    pub num_executors: Option<String>,

    /// Standalone and Mesos only: spark-submit ignores it on Kubernetes.
    #[arg(
        long = "total-executor-cores",
        value_name = "NUM",
        allow_hyphen_values = true
    )]
    pub total_executor_cores: Option<String>,

    /// The user to impersonate (passed to the driver).
    #[arg(long = "proxy-user", value_name = "NAME", allow_hyphen_values = true)]
    pub proxy_user: Option<String>,

    /// The Kerberos principal (spark.kerberos.principal).
    #[arg(long, value_name = "PRINCIPAL", allow_hyphen_values = true)]
    pub principal: Option<String>,

    /// The keytab of --principal (spark.kerberos.keytab); read, as Spark ships it in a Secret.
    #[arg(long, value_name = "KEYTAB", allow_hyphen_values = true)]
    pub keytab: Option<PathBuf>,

    /// YARN only: spark-submit ignores it on Kubernetes.
    #[arg(long, value_name = "QUEUE", allow_hyphen_values = true)]
    pub queue: Option<String>,

    /// Standalone and Mesos only: spark-submit ignores it on Kubernetes.
    #[arg(long)]
    pub supervise: bool,

    /// Prints the parsed submission (main class, arguments, Spark config) on stderr, as
    /// spark-submit --verbose does.
    #[arg(short = 'v', long)]
    pub verbose: bool,

    /// Refused: kills a running submission (standalone and Mesos only).
    #[arg(long, value_name = "SUBMISSION_ID", allow_hyphen_values = true)]
    pub kill: Option<String>,

    /// Refused: asks for a running submission's status (standalone and Mesos only).
    #[arg(long, value_name = "SUBMISSION_ID", allow_hyphen_values = true)]
    pub status: Option<String>,

    /// Refused: connects to a Spark Connect server, which creates nothing on Kubernetes.
    #[arg(long, value_name = "URL", allow_hyphen_values = true)]
    pub remote: Option<String>,
}

/// The values Spark draws from randomness, the clock, the environment or the cluster. Each
/// is drawn the way spark-submit draws it when not given.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Render inputs (drawn like spark-submit when absent)")]
pub struct InputOptions {
    /// Pin every drawn value (ids, times, user, UUIDs, auth secret) to fixed values, so the
    /// same inputs give the same bytes on every run and machine. Flags below still win.
    #[arg(long)]
    pub reproducible: bool,

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
}

/// Output of the subcommands that print manifests.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct ManifestOutput {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Yaml)]
    pub format: OutputFormat,

    #[command(flatten)]
    pub spark: SparkOptions,
}

/// Output of `explain` and `lint`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct ReportOutput {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub spark: SparkOptions,
}

/// Which Spark is mirrored and how strictly its inputs are read.
#[derive(Debug, Clone, Args)]
pub struct SparkOptions {
    /// The Spark release to mirror: any patch release of 3.3, 3.4, 3.5, 4.0, 4.1, 4.2 or 4.3.
    /// Default: the Spark of $SPARK_HOME (its RELEASE file or spark-core jar), else the release
    /// the container image's tag names, else the latest modelled release.
    #[arg(long = "spark-version", value_name = "VERSION")]
    pub spark_version: Option<String>,

    /// Refuse pod templates with fields Kubernetes does not know, instead of warning that they
    /// are dropped (lint: exit with status 1 when there are findings).
    #[arg(long)]
    pub strict: bool,
}

/// Which executors to render, and what only the running driver knows.
#[derive(Debug, Args)]
#[command(next_help_heading = "Executors")]
pub struct ExecutorOptions {
    /// Executors to render: ids, lists and ranges (`3`, `1,4`, `1-3`); repeatable. Default:
    /// those the driver requests at start (1..N, N = Spark's initial number of executors).
    #[arg(long = "executor-id", value_name = "IDS", value_parser = parse_executor_ids)]
    pub executor_id: Vec<Vec<u32>>,

    /// The driver pod's IP (the image entrypoint hands it to Spark; it reaches the executors'
    /// SPARK_DRIVER_POD_IP). Default: the placeholder DRIVER_POD_IP.
    #[arg(long = "driver-pod-ip", value_name = "IP")]
    pub driver_pod_ip: Option<String>,

    /// An executor pod's UID as N=UID (repeatable), for the ownerReferences of what is created
    /// with it (on-demand claims when spark.kubernetes.driver.ownPersistentVolumeClaim=false).
    #[arg(long = "executor-uid", value_name = "N=UID", value_parser = parse_executor_uid)]
    pub executor_uid: Vec<(u32, String)>,

    /// The secret executors get with spark.authenticate=true (default: random, as Spark draws
    /// it; with --reproducible, a placeholder).
    #[arg(long = "auth-secret", value_name = "HEX")]
    pub auth_secret: Option<String>,
}

impl ExecutorOptions {
    /// The ids asked for, each once, in the order first given (empty: Spark's initial ones).
    pub fn ids(&self) -> Vec<u32> {
        let mut ids = Vec::new();
        for id in self.executor_id.iter().flatten() {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        ids
    }
}

/// The most executor ids one range may name (a typo like `1-1000000` is refused, not
/// rendered): the engine's limit on executors rendered at once.
const MAX_RANGE: u32 = spark_render_engine::MAX_EXECUTORS as u32;

/// Parses `3`, `1,4` or `1-3` (and mixes such as `1-3,7`) into executor ids (from 1).
fn parse_executor_ids(s: &str) -> Result<Vec<u32>, String> {
    let number = |t: &str| -> Result<u32, String> {
        match t.trim().parse::<u32>() {
            Ok(0) => Err("executor ids start at 1".to_owned()),
            Ok(n) => Ok(n),
            Err(_) => Err(format!(
                "{t:?} is not an executor id (expected ids, lists and ranges such as 3, 1,4 or 1-3)"
            )),
        }
    };
    let mut ids = Vec::new();
    for part in s.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (number(from)?, number(to)?);
                if from > to {
                    return Err(format!("the range {part:?} is empty"));
                }
                if to - from >= MAX_RANGE {
                    return Err(format!(
                        "the range {part:?} names more than {MAX_RANGE} executors"
                    ));
                }
                ids.extend(from..=to);
            }
            None => ids.push(number(part)?),
        }
    }
    Ok(ids)
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
#[command(next_help_heading = "kubectl")]
pub struct ApplyOptions {
    /// Create the driver pod, then its other objects owned by it, as spark-submit does
    /// (executors are created later by the running driver). Nothing is printed.
    #[arg(long)]
    pub apply: bool,

    /// The kubeconfig context to use.
    #[arg(long, value_name = "CONTEXT", requires = "apply")]
    pub context: Option<String>,

    /// The kubeconfig file to use.
    #[arg(long, value_name = "FILE", requires = "apply")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubectl to run (default: $KUBECTL, else kubectl from PATH).
    #[arg(long, value_name = "PATH", requires = "apply")]
    pub kubectl: Option<PathBuf>,

    /// How long each kubectl call may take before it is stopped, in seconds (Spark's client
    /// gives up after 10 s). On a timeout after the pod may exist, the pod is deleted.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = crate::apply::DEFAULT_TIMEOUT_SECS,
        value_parser = clap::value_parser!(u64).range(1..=3600),
        requires = "apply"
    )]
    pub kubectl_timeout: u64,
}

/// The first argument that is not UTF-8, named by its position (and the option before it),
/// without echoing it: clap only says that one of them is not.
pub fn non_utf8_argument(argv: &[std::ffi::OsString]) -> Option<String> {
    let (position, _) = argv
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, arg)| arg.to_str().is_none())?;
    let after = argv
        .get(position - 1)
        .and_then(|a| a.to_str())
        .filter(|a| a.starts_with('-'))
        .map(|option| format!(" (the value of {option})"))
        .unwrap_or_default();
    Some(format!(
        "argument {position}{after} is not valid UTF-8; spark-render reads its arguments as UTF-8 text"
    ))
}

/// spark-submit has no `--` separator: before the primary resource it is an unknown option
/// (`Unrecognized option: --`), after it an application argument. clap would take it as the
/// end of the options; this finds a `--` before the resource, so it can be refused as
/// spark-submit refuses it.
pub fn separator_before_resource(argv: &[std::ffi::OsString]) -> bool {
    if !argv.iter().any(|a| a == "--") {
        return false;
    }
    let cmd = <Cli as clap::CommandFactory>::command();
    let Some(sub) = argv
        .get(1)
        .and_then(|s| s.to_str())
        .and_then(|name| cmd.find_subcommand(name))
        .filter(|sub| {
            sub.get_arguments()
                .any(|a| a.get_id() == "resource_and_args")
        })
    else {
        return false;
    };
    let takes_value = |token: &str| {
        sub.get_arguments().any(|arg| {
            let named = match token.strip_prefix("--") {
                Some(long) => arg.get_long() == Some(long),
                None => token.len() == 2 && arg.get_short() == token.chars().nth(1),
            };
            named && arg.get_action().takes_values()
        })
    };
    let mut tokens = argv.iter().skip(2).map(|t| t.to_string_lossy());
    while let Some(token) = tokens.next() {
        if token == "--" {
            return true;
        }
        if !token.starts_with('-') {
            return false;
        }
        if !token.contains('=') && takes_value(&token) {
            tokens.next();
        }
    }
    false
}

/// Manifest formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Multi-document YAML, each object after `---`.
    Yaml,
    /// A JSON `v1` `List`.
    Json,
}

/// Formats of `explain` and `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Lines for people.
    Text,
    /// A YAML list of records.
    Yaml,
    /// A JSON list of records.
    Json,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("spark-render").chain(args.iter().copied()))
    }

    fn app_of(cli: &Cli) -> &Application {
        match &cli.command {
            Command::Driver(a) => &a.app,
            Command::All(a) | Command::Executor(a) => &a.app,
            Command::Explain(a) => &a.app,
            Command::Summary(a) => &a.app,
            Command::Check(a) => &a.app,
            _ => panic!("not a render subcommand"),
        }
    }

    #[test]
    fn everything_after_the_resource_is_an_application_argument() {
        let cli = parse(&[
            "driver",
            "--name",
            "first",
            "local:///opt/job.py",
            "--name",
            "daily",
            "--num-executors",
            "5",
            "-o",
            "json",
            "--",
            "--apply",
        ])
        .unwrap();
        let Command::Driver(args) = &cli.command else {
            panic!("driver expected")
        };
        assert_eq!(args.render.submit.name.as_deref(), Some("first"));
        assert_eq!(args.render.submit.num_executors, None);
        assert_eq!(args.output.format, OutputFormat::Yaml);
        assert!(!args.apply.apply);
        assert_eq!(app_of(&cli).resource(), "local:///opt/job.py");
        assert_eq!(
            app_of(&cli).args(),
            [
                "--name",
                "daily",
                "--num-executors",
                "5",
                "-o",
                "json",
                "--",
                "--apply"
            ]
        );
    }

    #[test]
    fn options_take_the_equals_form_and_the_last_one_wins() {
        let cli = parse(&[
            "all",
            "--name=a",
            "--name",
            "b",
            "--conf=spark.x=1",
            "-c",
            "spark.y=2",
            "--driver-java-options",
            "-Dfoo=bar -Dx",
            "a.jar",
        ])
        .unwrap();
        let Command::All(args) = &cli.command else {
            panic!("all expected")
        };
        let submit = &args.render.submit;
        assert_eq!(submit.name.as_deref(), Some("b"));
        assert_eq!(submit.conf, ["spark.x=1", "spark.y=2"]);
        assert_eq!(submit.driver_java_options.as_deref(), Some("-Dfoo=bar -Dx"));
    }

    #[test]
    fn unknown_options_before_the_resource_are_usage_errors() {
        let err = parse(&["driver", "--bogus", "a.jar"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
        let err = parse(&["driver", "--name"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_separator_before_the_resource_is_found() {
        let found = |args: &[&str]| {
            let argv: Vec<std::ffi::OsString> = std::iter::once("spark-render")
                .chain(args.iter().copied())
                .map(Into::into)
                .collect();
            separator_before_resource(&argv)
        };
        assert!(found(&["driver", "--name", "x", "--", "a.jar"]));
        assert!(found(&["all", "-c", "k=v", "--", "a.jar"]));
        assert!(
            !found(&["driver", "--name", "--", "a.jar"]),
            "the value of --name"
        );
        assert!(!found(&["driver", "--name=x", "a.jar", "--"]));
        assert!(!found(&["driver", "--supervise", "a.jar", "--", "x"]));
        assert!(!found(&["completions", "--", "zsh"]));
    }

    #[test]
    fn apply_is_only_offered_by_driver() {
        for sub in ["explain", "lint", "executor", "all"] {
            let err = parse(&[sub, "--apply", "a.jar"]).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::UnknownArgument,
                "{sub} --apply"
            );
        }
        assert!(parse(&["driver", "--apply", "a.jar"]).is_ok());
    }

    #[test]
    fn explain_offers_text_yaml_and_json() {
        for (flag, format) in [
            (None, ReportFormat::Text),
            (Some("yaml"), ReportFormat::Yaml),
            (Some("json"), ReportFormat::Json),
        ] {
            let mut args = vec!["explain"];
            if let Some(flag) = flag {
                args.extend(["-o", flag]);
            }
            args.push("a.jar");
            let cli = parse(&args).unwrap();
            let Command::Explain(explain) = &cli.command else {
                panic!("explain expected")
            };
            assert_eq!(explain.output.format, format);
        }
    }

    #[test]
    fn executor_ids_take_lists_and_ranges_once_each() {
        let cli = parse(&[
            "all",
            "--executor-id",
            "1-3",
            "--executor-id",
            "2,7",
            "a.jar",
        ])
        .unwrap();
        let Command::All(args) = &cli.command else {
            panic!("all expected")
        };
        assert_eq!(args.executors.ids(), [1, 2, 3, 7]);
        assert_eq!(parse_executor_ids("4"), Ok(vec![4]));
        assert!(parse_executor_ids("0").is_err());
        assert!(parse_executor_ids("3-1").is_err());
        assert!(parse_executor_ids("1-100000").is_err());
        assert!(parse_executor_ids("x").is_err());
        assert!(parse_executor_ids("1,").is_err());
    }
}
