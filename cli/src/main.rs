//! `spark-render`: prints the Kubernetes objects Apache Spark would create for a spark-submit.
//! The binary reads files and the environment, calls the engine, and prints; every rule lives
//! in `spark-render-engine`.

mod apply;
mod args;
mod environment;
mod errors;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use std::collections::BTreeMap;

use spark_render_engine::conf::{keys, properties};
use spark_render_engine::{manifest, render_all, render_driver, RenderRequest, SubmitArgs};

use crate::args::{Cli, Command, DriverArgs, ExecutorOptions, OutputFormat};
use crate::errors::{CliError, EXIT_OK, EXIT_REFUSED, EXIT_USAGE};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are "errors" printed on stdout.
            let _ = err.print();
            let code = if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            return ExitCode::from(code as u8);
        }
    };
    let result = match cli.command {
        Command::Driver(args) => run(&args, None, Role::Driver),
        Command::Executor(args) => run(&args.driver, Some(&args.executors), Role::Executor),
        Command::All(args) => run(&args.driver, Some(&args.executors), Role::All),
        Command::Explain(args) => run(&args.driver, Some(&args.executors), Role::Explain),
        Command::Lint(args) => lint(&args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "spark-render", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut std::io::stdout())
            .map_err(|e| CliError::Output(format!("cannot write the manual page: {e}"))),
    };
    match result {
        Ok(()) => ExitCode::from(EXIT_OK as u8),
        Err(CliError::Kubectl { step, status }) => {
            eprintln!("spark-render: error: kubectl failed to {step}");
            ExitCode::from(u8::try_from(status).unwrap_or(1).max(1))
        }
        Err(err) => {
            eprintln!("spark-render: error: {err}");
            ExitCode::from(EXIT_REFUSED as u8)
        }
    }
}

/// Which objects to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Driver,
    Executor,
    All,
    Explain,
}

fn run(args: &DriverArgs, executors: Option<&ExecutorOptions>, role: Role) -> Result<(), CliError> {
    let mut request = render_request(args)?;
    if let Some(opts) = executors {
        if !opts.executor_id.is_empty() {
            request.executor_ids = opts.executor_id.clone();
        }
        request.inputs.executor_uids = opts.executor_uid.iter().cloned().collect();
        if let Some(ip) = &opts.driver_pod_ip {
            request.inputs.driver_pod_ip = ip.clone();
        }
        request.inputs.auth_secret = opts
            .auth_secret
            .clone()
            .unwrap_or_else(environment::random_secret);
    }
    request.explain = role == Role::Explain;
    let rendered = match role {
        Role::Driver => render_driver(&request)?,
        Role::Executor | Role::All | Role::Explain => render_all(&request)?,
    };
    for warning in &rendered.warnings {
        eprintln!("spark-render: warning: {warning}");
    }
    if args.apply.apply {
        if role == Role::Executor {
            return Err(CliError::Output(
                "--apply creates the driver's objects; the running driver creates its executors"
                    .into(),
            ));
        }
        return apply::apply_driver(&apply::Kubectl::new(&args.apply), rendered.driver_objects());
    }
    if role == Role::Explain {
        let text = match args.output {
            OutputFormat::Json => serde_json::to_string_pretty(&rendered.explanations())
                .map(|t| t + "\n")
                .map_err(|e| CliError::Output(e.to_string()))?,
            OutputFormat::Yaml => explain_text(&rendered),
        };
        return write_stdout(&text);
    }
    let objects = match role {
        Role::Driver => rendered.driver_objects().to_vec(),
        Role::Executor => rendered.executor_objects().to_vec(),
        Role::All | Role::Explain => rendered.objects(),
    };
    let text = match args.output {
        OutputFormat::Yaml => manifest::to_yaml(&objects),
        OutputFormat::Json => manifest::to_json_list(&objects),
    }
    .map_err(|e| CliError::Output(e.to_string()))?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Output(format!("cannot write the manifests: {e}")))
}

/// `spark-render lint`: findings on stdout, one a line; status 1 with `--fail-on-findings` (or
/// `--strict`) when there are any.
fn lint(args: &crate::args::LintArgs) -> Result<(), CliError> {
    let request = render_request(&args.driver)?;
    let findings = spark_render_engine::lint::lint(&request.submit);
    let text = match args.driver.output {
        OutputFormat::Json => serde_json::to_string_pretty(&findings)
            .map(|t| t + "\n")
            .map_err(|e| CliError::Output(e.to_string()))?,
        OutputFormat::Yaml => findings
            .iter()
            .map(|f| format!("{}: {}\n", f.key, f.message))
            .collect(),
    };
    write_stdout(&text)?;
    if !findings.is_empty() && (args.fail || args.driver.strict) {
        return Err(CliError::Output(format!("{} finding(s)", findings.len())));
    }
    Ok(())
}

/// The explanations as text: each object, then each field, its value and its source.
fn explain_text(rendered: &spark_render_engine::Rendered) -> String {
    let mut out = String::new();
    let mut current = "";
    for e in rendered.explanations() {
        if e.object != current {
            out.push_str(&format!("{}\n", e.object));
            current = &e.object;
        }
        let value = match &e.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let value = if value.len() > 120 {
            format!(
                "{}… ({} characters)",
                value.chars().take(100).collect::<String>(),
                value.len()
            )
        } else {
            value
        };
        out.push_str(&format!(
            "  {} = {}\n      <- {}\n",
            e.field,
            value.replace('\n', "\\n"),
            e.source
        ));
    }
    out
}

fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Output(format!("cannot write the output: {e}")))
}

/// Maps the command line to an engine request, reading the properties file.
fn render_request(args: &DriverArgs) -> Result<RenderRequest, CliError> {
    let s = &args.submit;
    let mut submit = SubmitArgs::new(args.resource.clone());
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
    submit.app_args = args.app_args.clone();
    submit.conf = s
        .conf
        .iter()
        .map(|pair| spark_render_engine::submit::parse_conf_pair(pair))
        .collect::<Result<_, _>>()?;
    let file = s.properties_file.clone().or_else(default_properties_file);
    if let Some(path) = file {
        submit.properties_file = read_properties(&path)?;
    }

    if let Some(ns) = &args.apply.namespace {
        let conf_ns = submit
            .conf
            .iter()
            .rev()
            .chain(submit.properties_file.iter().rev())
            .find(|(k, _)| k == keys::NAMESPACE)
            .map(|(_, v)| v.trim().to_owned());
        match conf_ns {
            Some(conf_ns) if &conf_ns != ns => {
                return Err(CliError::Output(format!(
                    "--namespace {ns} disagrees with {}={conf_ns}",
                    keys::NAMESPACE
                )))
            }
            Some(_) => {}
            None => submit.conf.push((keys::NAMESPACE.to_owned(), ns.clone())),
        }
    }
    let files = read_named_files(&submit)?;
    let mut request = RenderRequest::new(submit);
    request.inputs = environment::render_inputs(&args.inputs);
    request.inputs.files = files;
    if request.inputs.env.conf_dir_files.is_none() {
        // Spark's last resort: `<spark.home>/conf`.
        let spark_home = request
            .submit
            .conf
            .iter()
            .rev()
            .chain(request.submit.properties_file.iter().rev())
            .find(|(k, _)| k == "spark.home")
            .map(|(_, v)| v.trim().to_owned());
        if let Some(home) = spark_home {
            request.inputs.env.conf_dir_files =
                Some(environment::read_conf_files(&Path::new(&home).join("conf")));
        }
    }
    request.strict = args.strict;
    request.spark_version = args.inputs.spark_version.parse()?;
    Ok(request)
}

/// Reads the local files the conf names (pod templates, krb5.conf, keytab, credentials): the
/// engine takes their contents as inputs. Keys are the paths as the conf gives them.
fn read_named_files(submit: &SubmitArgs) -> Result<BTreeMap<String, Vec<u8>>, CliError> {
    let mut files = BTreeMap::new();
    for key in keys::FILE_KEYS {
        // --conf wins over the properties file, as in spark-submit.
        let Some(path) = submit
            .conf
            .iter()
            .rev()
            .chain(submit.properties_file.iter().rev())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
        else {
            continue;
        };
        let local = if let Some(rest) = path.strip_prefix("file://") {
            rest.to_owned()
        } else if let Some(rest) = path.strip_prefix("file:") {
            rest.to_owned()
        } else if path.contains("://") {
            return Err(CliError::ReadNamed {
                key: (*key).to_owned(),
                path,
                reason: "spark-render reads local files only".into(),
            });
        } else {
            path.clone()
        };
        let bytes = std::fs::read(&local).map_err(|e| CliError::ReadNamed {
            key: (*key).to_owned(),
            path: path.clone(),
            reason: e.to_string(),
        })?;
        files.insert(path, bytes);
    }
    Ok(files)
}

/// spark-submit's default: `spark-defaults.conf` in `SPARK_CONF_DIR`, else `SPARK_HOME/conf`.
fn default_properties_file() -> Option<PathBuf> {
    let file = environment::spark_conf_dir()?.join("spark-defaults.conf");
    file.is_file().then_some(file)
}

fn read_properties(path: &Path) -> Result<Vec<(String, String)>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(properties::parse(&text, &path.display().to_string())?)
}
