//! `spark-render`: prints the Kubernetes objects Apache Spark would create for a spark-submit.
//! The binary reads files and the environment, calls the engine, and prints; every rule lives
//! in `spark-render-engine`.

mod args;
mod environment;
mod errors;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use spark_render_engine::conf::properties;
use spark_render_engine::{manifest, render_driver, RenderRequest, SubmitArgs};

use crate::args::{Cli, Command, DriverArgs, OutputFormat};
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
        Command::Driver(args) => driver(&args),
    };
    match result {
        Ok(()) => ExitCode::from(EXIT_OK as u8),
        Err(err) => {
            eprintln!("spark-render: error: {err}");
            ExitCode::from(EXIT_REFUSED as u8)
        }
    }
}

fn driver(args: &DriverArgs) -> Result<(), CliError> {
    let request = render_request(args)?;
    let rendered = render_driver(&request)?;
    for warning in &rendered.warnings {
        eprintln!("spark-render: warning: {warning}");
    }
    let text = match args.output {
        OutputFormat::Yaml => manifest::to_yaml(rendered.objects()),
        OutputFormat::Json => manifest::to_json_list(rendered.objects()),
    }
    .map_err(|e| CliError::Output(e.to_string()))?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Output(format!("cannot write the manifests: {e}")))
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

    let mut request = RenderRequest::new(submit);
    request.inputs = environment::render_inputs(&args.inputs);
    request.spark_version = args.inputs.spark_version.parse()?;
    Ok(request)
}

/// spark-submit's default: `spark-defaults.conf` in `SPARK_CONF_DIR`, else `SPARK_HOME/conf`.
fn default_properties_file() -> Option<PathBuf> {
    let dir = environment::var("SPARK_CONF_DIR")
        .map(PathBuf::from)
        .or_else(|| environment::var("SPARK_HOME").map(|h| Path::new(&h).join("conf")))?;
    let file = dir.join("spark-defaults.conf");
    file.is_file().then_some(file)
}

fn read_properties(path: &Path) -> Result<Vec<(String, String)>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(properties::parse(&text, &path.display().to_string())?)
}
