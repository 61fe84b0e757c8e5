//! `spark-render`: prints the Kubernetes objects Apache Spark would create for a spark-submit.
//! The binary reads files and the environment, calls the engine, and prints; every rule lives
//! in `spark-render-engine`.

mod apply;
mod args;
mod check;
mod diff;
mod environment;
mod errors;
mod files;
mod operator;
mod output;
mod release;
mod request;
mod summary;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use spark_render_engine::lint::Finding;
use spark_render_engine::{manifest, render_all, render_driver, Rendered};

use crate::args::{
    Application, Cli, Command, ExecutorOptions, ManifestOutput, OutputFormat, RenderArgs,
    ReportFormat,
};
use crate::errors::{CliError, EXIT_INTERRUPTED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE};
use crate::output::write_stdout;

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(message) = args::non_utf8_argument(&argv) {
        eprintln!("spark-render: error: {message}");
        return ExitCode::from(EXIT_USAGE as u8);
    }
    if args::separator_before_resource(&argv) {
        eprintln!(
            "spark-render: error: unrecognized option '--' before the application resource (spark-submit has no separator: everything after the resource is passed to the application)"
        );
        return ExitCode::from(EXIT_USAGE as u8);
    }
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are "errors" printed on stdout.
            let code = if err.use_stderr() {
                let _ = err.print();
                EXIT_USAGE
            } else {
                match write_stdout(&err.render().to_string()) {
                    Ok(()) | Err(CliError::ClosedOutput) => EXIT_OK,
                    Err(_) => EXIT_REFUSED,
                }
            };
            return ExitCode::from(code as u8);
        }
    };
    let result = match cli.command {
        Command::Driver(args) => {
            let role = if args.apply.apply {
                Role::Apply(&args.apply)
            } else {
                Role::Driver
            };
            if args.print_submit {
                print_submit(&args.render, &args.app, &args.output)
            } else {
                render(&args.render, &args.app, None, role, &args.output)
            }
        }
        Command::Executor(args) => render(
            &args.render,
            &args.app,
            Some(&args.executors),
            Role::Executor,
            &args.output,
        ),
        Command::All(args) => render(
            &args.render,
            &args.app,
            Some(&args.executors),
            Role::All,
            &args.output,
        ),
        Command::Explain(args) => explain(&args),
        Command::Lint(args) => lint(&args),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "spark-render", &mut text);
            write_stdout(&String::from_utf8_lossy(&text))
        }
        Command::Man { target } => output::man_pages(Cli::command(), target.as_deref()),
        Command::Diff(args) => return diff_exit(diff::run(&args)),
        Command::Summary(args) => summary::run(&args),
        Command::Check(args) => check::run(&args),
    };
    match result {
        Ok(()) | Err(CliError::ClosedOutput) => ExitCode::from(EXIT_OK as u8),
        Err(CliError::Kubectl { step, status }) => {
            eprintln!("spark-render: error: kubectl failed to {step}");
            ExitCode::from(u8::try_from(status).unwrap_or(1).max(1))
        }
        Err(err @ CliError::Interrupted { .. }) => {
            eprintln!("spark-render: error: {err}");
            ExitCode::from(EXIT_INTERRUPTED as u8)
        }
        Err(err @ CliError::Usage(_)) => {
            eprintln!("spark-render: error: {err}");
            ExitCode::from(EXIT_USAGE as u8)
        }
        Err(err) => {
            eprintln!("spark-render: error: {}", errors::with_causes(&err));
            ExitCode::from(EXIT_REFUSED as u8)
        }
    }
}

/// `diff`'s exit status, like diff(1)'s: 0 the same, 1 different, 2 trouble.
fn diff_exit(result: Result<bool, CliError>) -> ExitCode {
    match result {
        Ok(different) => ExitCode::from(u8::from(different)),
        Err(err) => {
            eprintln!("spark-render: error: {}", errors::with_causes(&err));
            ExitCode::from(EXIT_USAGE as u8)
        }
    }
}

/// Which objects to print, or to create.
#[derive(Debug, Clone, Copy)]
enum Role<'a> {
    Driver,
    Apply(&'a args::ApplyOptions),
    Executor,
    All,
}

/// Renders and prints (or applies) the objects of `role`.
fn render(
    args: &RenderArgs,
    app: &Application,
    executors: Option<&ExecutorOptions>,
    role: Role<'_>,
    output: &ManifestOutput,
) -> Result<(), CliError> {
    let executors_too = matches!(role, Role::Executor | Role::All);
    let renders = render_requests(args, app, executors, &output.spark, executors_too)?;
    let mut objects = Vec::new();
    for rendered in &renders {
        print_warnings(rendered);
        match role {
            Role::Driver | Role::Apply(_) => objects.extend_from_slice(rendered.driver_objects()),
            Role::Executor => objects.extend_from_slice(rendered.executor_objects()),
            Role::All => objects.extend(rendered.objects()),
        }
        if executors_too {
            note_executor_placeholders(rendered, executors);
        }
    }
    if let Role::Apply(kubectl) = role {
        return apply::apply_driver(&apply::Kubectl::new(kubectl), &objects);
    }
    let text = match output.format {
        OutputFormat::Yaml => manifest::to_yaml(&objects),
        OutputFormat::Json => manifest::to_json_list(&objects),
    }
    .map_err(|e| CliError::Output(e.to_string()))?;
    write_stdout(&text)
}

/// The renders of the command line: one for spark-submit's options, or one per
/// SparkApplication of `-f`.
pub(crate) fn render_requests(
    args: &RenderArgs,
    app: &Application,
    executors: Option<&ExecutorOptions>,
    spark: &args::SparkOptions,
    executors_too: bool,
) -> Result<Vec<Rendered>, CliError> {
    if args.resource.filename.is_empty() {
        let mut request = request::render_request(args, app, spark)?;
        if let Some(opts) = executors {
            request::select_executors(&mut request, opts);
        }
        let rendered = if executors_too {
            render_all(&request)?
        } else {
            render_driver(&request)?
        };
        return Ok(vec![rendered]);
    }
    operator::refuse_submit_options(app)?;
    let submissions = operator::submissions(args, spark, request::Files::Required)?;
    let mut renders = Vec::new();
    for submission in &submissions {
        for field in &submission.unknown_fields {
            eprintln!(
                "spark-render: warning: {}: SparkApplication {}: {field} is not a field of the resource; the API server drops it",
                submission.source, submission.name
            );
        }
        let mut request = submission.prepared.request.clone();
        if let Some(opts) = executors {
            request::select_executors(&mut request, opts);
        }
        renders.push(submission.render(&request, executors_too)?);
    }
    Ok(renders)
}

/// `driver --print-submit`: the spark-submit command line the operator runs.
fn print_submit(
    args: &RenderArgs,
    app: &Application,
    output: &ManifestOutput,
) -> Result<(), CliError> {
    operator::refuse_submit_options(app)?;
    let submissions = operator::submissions(args, &output.spark, request::Files::Optional)?;
    let text = match output.format {
        OutputFormat::Yaml => submissions.iter().map(operator::submit_command).collect(),
        OutputFormat::Json => operator::submit_commands_json(&submissions)?,
    };
    write_stdout(&text)
}

fn print_warnings(rendered: &Rendered) {
    for warning in &rendered.warnings {
        eprintln!("spark-render: warning: {warning}");
    }
}

/// Executor pods are created by the running driver, not by `kubectl apply`: when they go to a
/// pipe with the driver pod's IP still a placeholder, say so.
fn note_executor_placeholders(rendered: &Rendered, executors: Option<&ExecutorOptions>) {
    let pods = rendered
        .executor_objects()
        .iter()
        .filter(|o| o.kind() == "Pod")
        .count();
    let placeholder_ip = executors.is_none_or(|e| e.driver_pod_ip.is_none());
    if pods > 0 && placeholder_ip && !std::io::stdout().is_terminal() {
        eprintln!(
            "spark-render: note: the running driver creates its executor pods itself; the {pods} printed here carry placeholders (SPARK_DRIVER_POD_IP=DRIVER_POD_IP, see --driver-pod-ip) and are for review, not for kubectl apply"
        );
    }
}

/// `spark-render explain`: every field with its source, as text, YAML or JSON.
fn explain(args: &args::ExplainArgs) -> Result<(), CliError> {
    let renders = if !args.render.resource.filename.is_empty() {
        operator::refuse_submit_options(&args.app)?;
        let submissions =
            operator::submissions(&args.render, &args.output.spark, request::Files::Required)?;
        let mut renders = Vec::new();
        for submission in &submissions {
            let mut request = submission.prepared.request.clone();
            request::select_executors(&mut request, &args.executors);
            request.explain = true;
            renders.push(submission.render(&request, true)?);
        }
        renders
    } else {
        let mut request = request::render_request(&args.render, &args.app, &args.output.spark)?;
        request::select_executors(&mut request, &args.executors);
        request.explain = true;
        vec![render_all(&request)?]
    };
    renders.iter().for_each(print_warnings);
    let explanations: Vec<_> = renders.iter().flat_map(|r| r.explanations()).collect();
    let text = match args.output.format {
        ReportFormat::Text => output::explain_text(&explanations),
        ReportFormat::Yaml => manifest::to_yaml_document(&explanations)
            .map_err(|e| CliError::Output(e.to_string()))?,
        ReportFormat::Json => output::json(&explanations)?,
    };
    write_stdout(&text)
}

/// `spark-render lint`: findings on stdout; status 1 with `--fail-on-findings` (or
/// `--strict`) when there are any.
fn lint(args: &args::LintArgs) -> Result<(), CliError> {
    let findings = if !args.render.resource.filename.is_empty() {
        if let Some(resource) = args.resource_and_args.first() {
            return Err(CliError::Usage(format!(
                "{resource} is given with -f: the SparkApplication names its application"
            )));
        }
        operator::refuse_submit_options(&Application {
            resource_and_args: Vec::new(),
        })?;
        operator::lint(&args.render, &args.output.spark)?
    } else {
        lint_findings(args)?
    };
    let text = match args.output.format {
        ReportFormat::Text => findings
            .iter()
            .map(|f| match &f.location {
                Some(at) => format!("{at}: {}: {}\n", f.key, f.message),
                None => format!("{}: {}\n", f.key, f.message),
            })
            .collect(),
        ReportFormat::Yaml => {
            manifest::to_yaml_document(&findings).map_err(|e| CliError::Output(e.to_string()))?
        }
        ReportFormat::Json => output::json(&findings)?,
    };
    write_stdout(&text)?;
    if !findings.is_empty() && (args.fail || args.output.spark.strict) {
        return Err(CliError::Output(format!("{} finding(s)", findings.len())));
    }
    Ok(())
}

/// The findings of `lint` on spark-submit's options.
fn lint_findings(args: &args::LintArgs) -> Result<Vec<Finding>, CliError> {
    let mut render = args.render.clone();
    // The conf alone: a placeholder JVM application stands in for the submission's.
    let resource_and_args = if args.resource_and_args.is_empty() {
        vec!["local:///opt/spark/examples/jars/spark-examples.jar".to_owned()]
    } else {
        args.resource_and_args.clone()
    };
    let resource = resource_and_args[0].to_ascii_lowercase();
    if !resource.ends_with(".py") && !resource.ends_with(".r") {
        // spark-submit would read the class from the jar's manifest; spark-render does not open
        // the jar, and a missing --class is no mistake of the conf.
        render
            .submit
            .main_class
            .get_or_insert_with(|| "org.apache.spark.examples.SparkPi".to_owned());
    }
    let app = Application { resource_and_args };
    let prepared = request::prepare(&render, &app, &args.output.spark, request::Files::Optional)?;
    let mut findings: Vec<Finding> = prepared
        .unread
        .iter()
        .map(|(key, why)| Finding::unreadable(key, why, prepared.locations.get(key)))
        .collect();
    let rest = spark_render_engine::lint::lint_request(&prepared.request, &prepared.locations);
    findings.extend(
        rest.into_iter()
            .filter(|f| !prepared.unread.iter().any(|(key, _)| *key == f.key)),
    );
    Ok(findings)
}
