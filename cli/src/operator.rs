//! `-f FILE`: SparkApplications rendered as their operator would submit them. The operator's
//! steps (defaults, arguments, templates, webhook, its own objects) are the engine's; here the
//! file is read, the operator's spark-submit command line goes through the same parser as a
//! user's, and the request is made as in the operator's pod.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use clap::{Args, Parser};
use spark_render_engine::config::keys;
use spark_render_engine::lint::Finding;
use spark_render_engine::operator::kubeflow::{self, Plan};
use spark_render_engine::operator::{self, Application as Resource};
use spark_render_engine::{RenderRequest, Rendered, SparkVersion};

use crate::args::{Application, RenderArgs, ResourceOptions, SparkOptions, SubmitOptions};
use crate::environment;
use crate::errors::CliError;
use crate::files;
use crate::request::{self, Files, Prepared, Submitter};

/// The largest SparkApplication file read.
const RESOURCE_LIMIT: u64 = 4 << 20;

/// The drawn values `--reproducible` fixes.
const REPRODUCIBLE_SUBMISSION_ID: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const REPRODUCIBLE_APP_UID: &str = "2c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f";

/// spark-submit's command line as the operator runs it: the same options as spark-render's.
#[derive(Debug, Parser)]
#[command(name = "spark-submit", no_binary_name = true, disable_help_flag = true)]
struct SubmitLine {
    #[command(flatten)]
    submit: SubmitOptions,

    /// The main resource and its arguments.
    #[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

/// One SparkApplication of the file, as the operator submits it.
pub struct Submission {
    /// Where it was read: the file, and the document's number when there are several.
    pub source: String,
    /// `namespace/name`.
    pub name: String,
    /// Fields the operator's API does not know (dropped by the API server).
    pub unknown_fields: Vec<String>,
    /// The operator's steps up to spark-submit.
    pub plan: Plan,
    /// Whether the webhook runs.
    pub webhook: bool,
    /// Only Spark's objects, as Spark creates them (`--spark-only`).
    pub spark_only: bool,
    /// The render request for the operator's spark-submit.
    pub prepared: Prepared,
}

impl Submission {
    /// Renders the driver's objects (and the executors' with `executors`), then what the
    /// operator does after spark-submit.
    pub fn render(&self, request: &RenderRequest, executors: bool) -> Result<Rendered, CliError> {
        let mut rendered = if executors {
            spark_render_engine::render_all(request)?
        } else {
            spark_render_engine::render_driver(request)?
        };
        if !self.spark_only {
            kubeflow::finish(&mut rendered, &self.plan, self.webhook)
                .map_err(|e| self.refused(&e.to_string()))?;
        }
        Ok(rendered)
    }

    fn refused(&self, reason: &str) -> CliError {
        CliError::Output(format!(
            "{}: SparkApplication {}: {reason}",
            self.source, self.name
        ))
    }
}

/// spark-submit's options given beside `-f` (the resource is the whole submission), as the
/// user typed them.
pub fn refuse_submit_options(app: &Application) -> Result<(), CliError> {
    let longs: Vec<String> = SubmitOptions::augment_args(clap::Command::new("spark-submit"))
        .get_arguments()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    let given: Vec<String> = std::env::args()
        .skip(2)
        .filter_map(|arg| {
            let name = arg.split('=').next().unwrap_or_default().to_owned();
            longs.contains(&name).then_some(name)
        })
        .collect();
    if let Some(option) = given.first() {
        return Err(CliError::Usage(format!(
            "{option} is given with -f: the SparkApplication is the whole submission (set it in its spec)"
        )));
    }
    if let Some(resource) = app.resource_and_args.first() {
        return Err(CliError::Usage(format!(
            "{resource} is given with -f: the SparkApplication names its application (spec.mainApplicationFile, spec.arguments)"
        )));
    }
    Ok(())
}

/// A SparkApplication read from the file.
pub struct ReadApplication {
    /// Where it was read: the file, and the document's number when there are several.
    pub source: String,
    /// `namespace/name`.
    pub name: String,
    /// The resource.
    pub app: kubeflow::spec::SparkApplication,
    /// Fields the operator's API does not know.
    pub unknown_fields: Vec<String>,
}

/// The SparkApplications of the files `-f` names, in order.
pub fn applications(options: &ResourceOptions) -> Result<Vec<ReadApplication>, CliError> {
    let mut all = Vec::new();
    for path in &options.filename {
        all.extend(file_applications(path)?);
    }
    Ok(all)
}

/// The SparkApplications of one file (other documents are skipped with a note).
pub fn file_applications(path: &Path) -> Result<Vec<ReadApplication>, CliError> {
    let (shown, text) = read(path)?;
    let documents =
        operator::documents(&text).map_err(|e| CliError::Output(format!("{shown}: {e}")))?;
    let several = documents.len() > 1;
    let mut out = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let source = if several {
            format!("{shown} (document {})", index + 1)
        } else {
            shown.clone()
        };
        if !operator::is_spark_application(document) {
            // Files often carry the ConfigMaps and Secrets an application mounts: not ours.
            eprintln!(
                "spark-render: note: {source}: {}, skipped",
                operator::describe(document)
            );
            continue;
        }
        let parsed =
            operator::parse(document).map_err(|e| CliError::Output(format!("{source}: {e}")))?;
        let Resource::Kubeflow(app) = parsed.application else {
            return Err(CliError::Output(format!("{source}: not modelled")));
        };
        out.push(ReadApplication {
            name: format!("{}/{}", app.namespace(), app.name()),
            source,
            app: *app,
            unknown_fields: parsed.unknown_fields,
        });
    }
    if out.is_empty() {
        return Err(CliError::Output(format!(
            "{shown}: no SparkApplication in the file"
        )));
    }
    Ok(out)
}

/// Reads the file `-f` names and makes each SparkApplication's request.
pub fn submissions(
    args: &RenderArgs,
    spark: &SparkOptions,
    files: Files,
) -> Result<Vec<Submission>, CliError> {
    let mut out = Vec::new();
    for read in applications(&args.resource)? {
        if spark.strict && !read.unknown_fields.is_empty() {
            return Err(CliError::Output(format!(
                "{}: SparkApplication {}: {} {} not a field of {} SparkApplication (--strict)",
                read.source,
                read.name,
                read.unknown_fields.join(", "),
                if read.unknown_fields.len() == 1 {
                    "is"
                } else {
                    "are"
                },
                kubeflow::spec::API_VERSION
            )));
        }
        out.push(submission(args, spark, files, read)?);
    }
    Ok(out)
}

/// The findings of `lint -f`: the operator's, then Spark's on the conf the operator submits.
pub fn lint(args: &RenderArgs, spark: &SparkOptions) -> Result<Vec<Finding>, CliError> {
    let mut findings = Vec::new();
    for read in applications(&args.resource)? {
        let at = format!("{}: SparkApplication {}", read.source, read.name);
        let mut own = kubeflow::lint::lint(
            &read.app,
            &read.unknown_fields,
            !args.resource.no_webhook,
            operator_release(&args.resource)?,
        );
        let conf_keys: Vec<String> = read
            .app
            .spec
            .spark_conf
            .iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        // Spark's own checks run on the rest of the conf, even when the operator refuses the
        // resource for a key it already has a finding on.
        let mut read = read;
        let namespace = read.app.namespace().to_owned();
        if let Some(conf) = read.app.spec.spark_conf.as_mut() {
            conf.retain(|key, value| {
                let denied = kubeflow::validate::DENIED_SPARK_CONF_KEYS
                    .iter()
                    .any(|(k, _)| k == key);
                let other_namespace = key == keys::NAMESPACE.key && *value != namespace;
                !denied && !other_namespace
            });
        }
        let refused_already = own.iter().any(|f| f.message.contains("refuses"));
        match submission(args, spark, Files::Optional, read) {
            Ok(submission) => {
                let prepared = &submission.prepared;
                let locations: BTreeMap<String, String> = prepared
                    .locations
                    .keys()
                    .map(|key| {
                        let place = if conf_keys.contains(key) {
                            format!("{at}: spec.sparkConf")
                        } else {
                            format!("{at}: the operator's spark-submit command line")
                        };
                        (key.clone(), place)
                    })
                    .collect();
                for (key, why) in &prepared.unread {
                    own.push(Finding::unreadable(key, why, locations.get(key)));
                }
                let spark_findings =
                    spark_render_engine::lint::lint_request(&prepared.request, &locations);
                own.extend(
                    spark_findings
                        .into_iter()
                        .filter(|f| !prepared.unread.iter().any(|(key, _)| *key == f.key)),
                );
            }
            Err(e) if !refused_already => {
                own.push(Finding::on(
                    "SparkApplication",
                    crate::errors::with_causes(&e),
                ));
            }
            Err(_) => {}
        }
        for finding in &mut own {
            finding.location.get_or_insert_with(|| at.clone());
        }
        findings.extend(own);
    }
    Ok(findings)
}

fn submission(
    args: &RenderArgs,
    spark: &SparkOptions,
    files: Files,
    read: ReadApplication,
) -> Result<Submission, CliError> {
    let options = &args.resource;
    let ReadApplication {
        source,
        name,
        app,
        unknown_fields,
    } = read;
    let refused =
        |reason: String| CliError::Output(format!("{source}: SparkApplication {name}: {reason}"));
    let release = operator_release(options)?;
    let reproducible = args.inputs.reproducible;
    let drawn = |given: &Option<String>, fixed: &str| {
        given.clone().unwrap_or_else(|| {
            if reproducible {
                fixed.to_owned()
            } else {
                environment::random_uuid()
            }
        })
    };
    let webhook = !options.no_webhook;
    let plan_options = kubeflow::Options {
        release,
        webhook,
        master: master_url(&options.kubernetes_service),
        submission_id: drawn(&options.submission_id, REPRODUCIBLE_SUBMISSION_ID),
        app_uid: drawn(&options.app_uid, REPRODUCIBLE_APP_UID),
        ui: kubeflow::web_ui::UiOptions {
            service: !options.no_ui_service,
            ingress_url_format: options.ui_ingress_url_format.clone(),
            ingress_class_name: options.ingress_class_name.clone(),
        },
    };
    let application_image = app
        .spec
        .executor
        .image
        .clone()
        .or_else(|| app.spec.image.clone());
    let declared_spark = app.spec.spark_version.clone();
    let plan = kubeflow::plan(app, &plan_options).map_err(|e| {
        refused(if webhook {
            format!("the operator refuses it: {e}")
        } else {
            format!("the operator fails to submit it: {e}")
        })
    })?;
    let line = SubmitLine::try_parse_from(&plan.command.args).map_err(|e| {
        refused(format!(
            "spark-submit refuses the operator's command line: {}",
            e.render().to_string().lines().next().unwrap_or_default()
        ))
    })?;
    let render = RenderArgs {
        resource: options.clone(),
        submit: line.submit,
        inputs: args.inputs.clone(),
    };
    let app_args = Application {
        resource_and_args: line.rest,
    };
    let operator_spark = SparkOptions {
        spark_version: Some(
            options
                .operator_spark_version
                .clone()
                .unwrap_or_else(|| release.spark.to_owned()),
        ),
        strict: spark.strict,
    };
    let mut prepared = request::prepare_as(
        &render,
        &app_args,
        &operator_spark,
        files,
        Submitter::Operator {
            files: &plan.command.files,
        },
    )
    .map_err(|e| refused(crate::errors::with_causes(&e)))?;
    let request = &mut prepared.request;
    // The executors are built by the application image's Spark.
    let executor_spark = executor_release(
        spark.spark_version.as_deref(),
        application_image.as_deref(),
        &declared_spark,
    )?;
    request.executor_spark_version = match executor_spark {
        Some((version, _)) if version != request.spark_version => Some(version),
        _ => request.executor_spark_version,
    };
    if let Some((version, from)) = executor_spark {
        if version != request.spark_version {
            eprintln!(
                "spark-render: note: {source}: the operator ({}) runs spark-submit from Spark {}: the driver's objects are rendered as it creates them, the executors as Spark {version} ({from}) does",
                release.name, request.spark_version
            );
        }
    }
    Ok(Submission {
        source,
        name,
        unknown_fields,
        plan,
        webhook,
        spark_only: options.spark_only,
        prepared,
    })
}

/// The operator release `--operator-release` names, else the latest modelled.
fn operator_release(options: &ResourceOptions) -> Result<kubeflow::OperatorRelease, CliError> {
    match &options.operator_release {
        None => Ok(kubeflow::OperatorRelease::latest()),
        Some(tag) => kubeflow::OperatorRelease::find(tag).ok_or_else(|| {
            let known: Vec<&str> = kubeflow::RELEASES.iter().map(|r| r.name).collect();
            CliError::Usage(format!(
                "--operator-release {tag}: not a modelled kubeflow/spark-operator release ({})",
                known.join(", ")
            ))
        }),
    }
}

/// The Spark that builds the executors: `--spark-version`, else the application image's tag,
/// else `spec.sparkVersion`; `None` when none names a modelled release.
fn executor_release(
    given: Option<&str>,
    image: Option<&str>,
    declared: &str,
) -> Result<Option<(SparkVersion, &'static str)>, CliError> {
    if let Some(given) = given {
        let version = given
            .parse::<SparkVersion>()
            .map_err(|e| CliError::Usage(format!("--spark-version {given}: {e}")))?;
        return Ok(Some((version, "--spark-version")));
    }
    let from_image = image
        .and_then(spark_render_engine::release_in_image)
        .and_then(|v| v.parse::<SparkVersion>().ok());
    if let Some(version) = from_image {
        return Ok(Some((version, "the application image's tag")));
    }
    Ok(declared
        .parse::<SparkVersion>()
        .ok()
        .map(|v| (v, "spec.sparkVersion")))
}

/// `k8s://https://HOST:PORT`, with an IPv6 host in brackets (`util.GetMasterURL`).
fn master_url(service: &str) -> String {
    let (host, port) = service.rsplit_once(':').unwrap_or((service, "443"));
    if host.contains(':') && !host.starts_with('[') {
        format!("k8s://https://[{host}]:{port}")
    } else {
        format!("k8s://https://{host}:{port}")
    }
}

/// The file's text, and how to name it.
fn read(path: &Path) -> Result<(String, String), CliError> {
    let (shown, bytes) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(RESOURCE_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::Output(format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > RESOURCE_LIMIT {
            return Err(CliError::Output(format!(
                "standard input is larger than {} MiB",
                RESOURCE_LIMIT >> 20
            )));
        }
        ("standard input".to_owned(), bytes)
    } else {
        let bytes = files::read_regular(path, RESOURCE_LIMIT).map_err(|e| CliError::ReadNamed {
            key: "-f".into(),
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        (path.display().to_string(), bytes)
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Output(format!("{shown}: not UTF-8 text")))?;
    Ok((shown, text))
}

/// The spark-submit command the operator runs, one option (with its value) per line.
pub fn submit_command(submission: &Submission) -> String {
    let args = &submission.plan.command.args;
    let mut lines = vec![format!(
        "# {}: SparkApplication {} (submission {})",
        submission.source, submission.name, submission.plan.app.status.submission_id
    )];
    let mut line = vec!["$SPARK_HOME/bin/spark-submit".to_owned()];
    let mut i = 0;
    let takes_value = |arg: &str| arg.starts_with("--") && arg != "--load-spark-defaults";
    let mut options_done = false;
    while i < args.len() {
        let arg = &args[i];
        if !options_done && takes_value(arg) && i + 1 < args.len() {
            lines.push(line.join(" ") + " \\");
            line = vec![format!("  {} {}", quote(arg), quote(&args[i + 1]))];
            i += 2;
            continue;
        }
        if !options_done {
            options_done = true;
            lines.push(line.join(" ") + " \\");
            line = vec!["  ".to_owned() + &quote(arg)];
        } else {
            line.push(quote(arg));
        }
        i += 1;
    }
    lines.push(line.join(" "));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The operator's command lines and the files they name, as JSON (for scripts).
pub fn submit_commands_json(submissions: &[Submission]) -> Result<String, CliError> {
    let list: Vec<serde_json::Value> = submissions
        .iter()
        .map(|s| {
            let files: serde_json::Map<String, serde_json::Value> = s
                .plan
                .command
                .files
                .iter()
                .map(|(path, bytes)| {
                    (
                        path.clone(),
                        String::from_utf8_lossy(bytes).into_owned().into(),
                    )
                })
                .collect();
            serde_json::json!({
                "source": s.source,
                "name": s.name,
                "submissionID": s.plan.app.status.submission_id,
                "args": s.plan.command.args,
                "files": files,
            })
        })
        .collect();
    serde_json::to_string_pretty(&list)
        .map(|t| t + "\n")
        .map_err(|e| CliError::Output(e.to_string()))
}

/// A shell word for `arg` (single-quoted when it holds anything the shell reads).
fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}
