//! `-f FILE`: SparkApplications rendered as their operator would submit them. The operator's
//! steps (defaults, arguments, templates, webhook, its own objects) are the engine's; here the
//! file is read, the operator's spark-submit command line goes through the same parser as a
//! user's, and the request is made as in the operator's pod.

use std::collections::BTreeMap;
use std::path::Path;

use clap::{Args, Parser};
use spark_render_engine::config::keys;
use spark_render_engine::lint::Finding;
use spark_render_engine::operator::apache;
use spark_render_engine::operator::kubeflow;
use spark_render_engine::operator::{self, Application as Resource};
use spark_render_engine::{MainAppResource, RenderRequest, Rendered, SparkVersion};

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
    /// What the operator does for it.
    pub operated: Operated,
    /// Only Spark's objects, as Spark creates them (`--spark-only`).
    pub spark_only: bool,
    /// The render request for the operator's spark-submit.
    pub prepared: Prepared,
}

/// What an operator does for a SparkApplication, up to Spark.
pub enum Operated {
    /// kubeflow/spark-operator: its steps up to spark-submit, and whether its webhook runs.
    Kubeflow {
        /// The steps.
        plan: Box<kubeflow::Plan>,
        /// The webhook runs.
        webhook: bool,
    },
    /// apache/spark-kubernetes-operator: the conf it builds for its own Spark.
    Apache(Box<apache::Plan>),
}

impl Submission {
    /// Renders the driver's objects (and the executors' with `executors`), then what the
    /// operator does after spark-submit.
    pub fn render(&self, request: &RenderRequest, executors: bool) -> Result<Rendered, CliError> {
        match &self.operated {
            Operated::Kubeflow { plan, webhook } => {
                let rendered = if executors {
                    spark_render_engine::render_all(request)
                } else {
                    spark_render_engine::render_driver(request)
                };
                let mut rendered = rendered.map_err(|e| self.refused(&e.to_string()))?;
                if !self.spark_only {
                    kubeflow::finish(&mut rendered, plan, *webhook, request.explain)
                        .map_err(|e| self.refused(&e.to_string()))?;
                }
                Ok(rendered)
            }
            Operated::Apache(plan) => {
                let mut plan = (**plan).clone();
                plan.request = request.clone();
                let mut rendered =
                    apache::render(&plan, executors).map_err(|e| self.refused(&e.to_string()))?;
                if !self.spark_only {
                    apache::finish(&mut rendered, &plan)
                        .map_err(|e| self.refused(&e.to_string()))?;
                }
                Ok(rendered)
            }
        }
    }

    /// The conf the operator submits (what the driver runs with, before Spark's own steps).
    pub fn conf(&self) -> Result<spark_render_engine::SparkConf, CliError> {
        match &self.operated {
            Operated::Kubeflow { .. } => {
                let request = &self.prepared.request;
                spark_render_engine::prepare_submission(&request.submit, &request.inputs)
                    .map(|s| s.conf)
                    .map_err(|e| self.refused(&e.to_string()))
            }
            Operated::Apache(plan) => Ok(plan.submission.conf.clone()),
        }
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
    pub app: Resource,
    /// Fields the operator's API does not know.
    pub unknown_fields: Vec<String>,
    /// Fields its CRD requires that it lacks.
    pub missing_fields: Vec<String>,
}

impl ReadApplication {
    /// The required fields the API server finds missing: those the webhook does not default.
    pub fn missing(&self, webhook: bool) -> Vec<&str> {
        self.missing_fields
            .iter()
            .map(String::as_str)
            .filter(|f| !(webhook && *f == "spec.type"))
            .collect()
    }
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
        operator::check_name(document).map_err(|e| CliError::Output(format!("{source}: {e}")))?;
        let parsed =
            operator::parse(document).map_err(|e| CliError::Output(format!("{source}: {e}")))?;
        let name = match &parsed.application {
            Resource::Kubeflow(app) => format!("{}/{}", app.namespace(), app.name()),
            Resource::Apache(app) => {
                let namespace = Some(app.namespace()).filter(|n| !n.is_empty());
                format!("{}/{}", namespace.unwrap_or("default"), app.name())
            }
            _ => return Err(CliError::Output(format!("{source}: not modelled"))),
        };
        out.push(ReadApplication {
            name,
            source,
            app: parsed.application,
            unknown_fields: parsed.unknown_fields,
            missing_fields: parsed.missing_fields,
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
                "{}: SparkApplication {}: {} {} not a field of the resource (--strict)",
                read.source,
                read.name,
                read.unknown_fields.join(", "),
                if read.unknown_fields.len() == 1 {
                    "is"
                } else {
                    "are"
                },
            )));
        }
        let missing = read.missing(!args.resource.no_webhook);
        if !missing.is_empty() {
            return Err(CliError::Output(format!(
                "{}: SparkApplication {}: {} {} required by the SparkApplication CRD: the API server refuses the resource",
                read.source,
                read.name,
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" },
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
        let Resource::Kubeflow(app) = &read.app else {
            findings.extend(apache_lint(args, spark, read, &at));
            continue;
        };
        let missing: Vec<Finding> = read
            .missing(!args.resource.no_webhook)
            .into_iter()
            .map(|field| {
                Finding::on(
                    field,
                    "required by the SparkApplication CRD: the API server refuses the resource",
                )
            })
            .collect();
        let mut own = kubeflow::lint::lint(
            app,
            &read.unknown_fields,
            !args.resource.no_webhook,
            kubeflow_release(&args.resource)?,
        );
        let refused_by_schema = !missing.is_empty();
        own.splice(0..0, missing);
        if refused_by_schema {
            // The API server refuses it before the operator sees it.
            for finding in &mut own {
                finding.location.get_or_insert_with(|| at.clone());
            }
            findings.extend(own);
            continue;
        }
        let conf_keys: Vec<String> = app
            .spec
            .spark_conf
            .iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        // Spark's own checks run on the rest of the conf, even when the operator refuses the
        // resource for a key it already has a finding on.
        let mut read = read;
        let Resource::Kubeflow(app) = &mut read.app else {
            continue;
        };
        let namespace = app.namespace().to_owned();
        if let Some(conf) = app.spec.spark_conf.as_mut() {
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
    let ReadApplication {
        source,
        name,
        app,
        unknown_fields,
        ..
    } = read;
    let read = ReadFrom {
        source,
        name,
        unknown_fields,
    };
    match app {
        Resource::Kubeflow(app) => kubeflow_submission(args, spark, files, read, *app),
        Resource::Apache(app) => apache_submission(args, spark, read, *app),
        _ => Err(CliError::Output(format!("{}: not modelled", read.source))),
    }
}

/// Where a SparkApplication was read, and what of it its API does not know.
struct ReadFrom {
    source: String,
    name: String,
    unknown_fields: Vec<String>,
}

fn kubeflow_submission(
    args: &RenderArgs,
    spark: &SparkOptions,
    files: Files,
    read: ReadFrom,
    app: kubeflow::spec::SparkApplication,
) -> Result<Submission, CliError> {
    let options = &args.resource;
    let ReadFrom {
        source,
        name,
        unknown_fields,
    } = read;
    let refused =
        |reason: String| CliError::Output(format!("{source}: SparkApplication {name}: {reason}"));
    let release = kubeflow_release(options)?;
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
    let plan = kubeflow::plan(app, &plan_options).map_err(|e| refused(e.to_string()))?;
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
        operated: Operated::Kubeflow {
            plan: Box::new(plan),
            webhook,
        },
        spark_only: options.spark_only,
        prepared,
    })
}

/// The submission of an Apache operator's SparkApplication: the conf the operator builds, and
/// the request its bundled Spark renders, with the drawn values of the command line.
fn apache_submission(
    args: &RenderArgs,
    spark: &SparkOptions,
    read: ReadFrom,
    app: apache::spec::SparkApplication,
) -> Result<Submission, CliError> {
    let options = &args.resource;
    let ReadFrom {
        source,
        name,
        unknown_fields,
    } = read;
    let release = match &options.operator_release {
        None => apache::OperatorRelease::latest(),
        Some(tag) => apache::OperatorRelease::find(tag).ok_or_else(|| {
            let known: Vec<&str> = apache::RELEASES.iter().map(|r| r.name).collect();
            CliError::Usage(format!(
                "--operator-release {tag}: not a modelled apache/spark-kubernetes-operator release ({})",
                known.join(", ")
            ))
        })?,
    };
    let mut plan_options = apache::Options::new(release);
    plan_options.app_uid = match &options.app_uid {
        Some(uid) => uid.clone(),
        None if args.inputs.reproducible => REPRODUCIBLE_APP_UID.to_owned(),
        None => environment::random_uuid(),
    };
    if !args.inputs.reproducible {
        // Files.createTempFile's random part of the template file names.
        plan_options.temp_file_id = environment::random_uuid()
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(char::from)
            .collect();
    }
    let mut plan = apache::plan(app, &plan_options).map_err(|e| {
        CliError::Output(format!(
            "{source}: SparkApplication {name}: the operator refuses it: {e}"
        ))
    })?;
    // What the cluster and the clock draw, from the command line; the app id, the names and
    // the files are the operator's.
    let drawn = environment::render_inputs(&args.inputs);
    let inputs = &mut plan.request.inputs;
    inputs.unique_id = drawn.unique_id;
    inputs.submit_time_ms = drawn.submit_time_ms;
    inputs.local_dir_uuid = drawn.local_dir_uuid;
    inputs.upload_uuid = drawn.upload_uuid;
    inputs.auth_secret = drawn.auth_secret;
    inputs.driver_uid = drawn.driver_uid;
    if let Some(user) = &args.inputs.spark_user {
        inputs.spark_user.clone_from(user);
    }
    if let Some(version) = &options.operator_spark_version {
        plan.request.spark_version = version
            .parse()
            .map_err(|e| CliError::Usage(format!("--operator-spark-version {version}: {e}")))?;
    }
    if let Some(version) = &spark.spark_version {
        let version: SparkVersion = version
            .parse()
            .map_err(|e| CliError::Usage(format!("--spark-version {version}: {e}")))?;
        plan.request.executor_spark_version =
            Some(version).filter(|v| *v != plan.request.spark_version);
    }
    plan.request.strict = spark.strict;
    let prepared = Prepared {
        request: plan.request.clone(),
        locations: BTreeMap::new(),
        unread: Vec::new(),
    };
    Ok(Submission {
        source,
        name,
        unknown_fields,
        operated: Operated::Apache(Box::new(plan)),
        spark_only: options.spark_only,
        prepared,
    })
}

/// `lint -f` of an Apache operator's SparkApplication: fields its API does not know, what it
/// refuses, then Spark's findings on the conf it builds.
fn apache_lint(
    args: &RenderArgs,
    spark: &SparkOptions,
    read: ReadApplication,
    at: &str,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = read
        .unknown_fields
        .iter()
        .map(|field| {
            Finding::on(
                field,
                "not a field of this SparkApplication version: the API server drops it (kubectl --validate=strict refuses it)",
            )
        })
        .collect();
    match submission(args, spark, Files::Optional, read) {
        Ok(Submission {
            operated: Operated::Apache(plan),
            ..
        }) => {
            let resource = match &plan.submission.app.resource {
                MainAppResource::Java(jar) => jar.clone().unwrap_or_default(),
                MainAppResource::Python(file) | MainAppResource::R(file) => file.clone(),
                _ => String::new(),
            };
            let mut submit = spark_render_engine::SubmitArgs::new(resource);
            submit.conf = plan
                .submission
                .conf
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            let locations: BTreeMap<String, String> = submit
                .conf
                .iter()
                .map(|(k, _)| (k.clone(), format!("{at}: the conf the operator builds")))
                .collect();
            findings.extend(
                spark_render_engine::lint::lint(&submit, plan.request.spark_version)
                    .into_iter()
                    .map(|mut f| {
                        f.location = locations.get(&f.key).cloned();
                        f
                    }),
            );
        }
        Ok(_) => {}
        Err(e) => findings.push(Finding::on(
            "SparkApplication",
            crate::errors::with_causes(&e),
        )),
    }
    for finding in &mut findings {
        finding.location.get_or_insert_with(|| at.to_owned());
    }
    findings
}

/// The kubeflow operator release `--operator-release` names, else the latest modelled.
fn kubeflow_release(options: &ResourceOptions) -> Result<kubeflow::OperatorRelease, CliError> {
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
    let (shown, bytes) = files::read_operand(path, RESOURCE_LIMIT, "-f")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Output(format!("{shown}: not UTF-8 text")))?;
    Ok((shown, text))
}

/// The spark-submit command the operator runs, one option (with its value) per line; for the
/// Apache operator, which runs none, the conf it hands to its Spark.
pub fn submit_command(submission: &Submission) -> String {
    let plan = match &submission.operated {
        Operated::Kubeflow { plan, .. } => plan,
        Operated::Apache(plan) => {
            let mut text = format!(
                "# {}: SparkApplication {}: the Apache Spark operator runs no spark-submit; it builds the driver in its own JVM (Spark {}) from this conf (app id {}):\n",
                submission.source, submission.name, plan.request.spark_version, plan.app_id
            );
            let mut conf: Vec<(&str, &str)> = plan.submission.conf.iter().collect();
            conf.sort_unstable();
            for (key, value) in conf {
                text.push_str(&format!("{key}={value}\n"));
            }
            return text;
        }
    };
    let args = &plan.command.args;
    let mut lines = vec![format!(
        "# {}: SparkApplication {} (submission {})",
        submission.source, submission.name, plan.app.status.submission_id
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

/// The operator's command lines and the files they name, as JSON (for scripts); for the
/// Apache operator, the conf it builds and its template files.
pub fn submit_commands_json(submissions: &[Submission]) -> Result<String, CliError> {
    let text = |files: &std::collections::BTreeMap<String, Vec<u8>>| -> serde_json::Map<String, serde_json::Value> {
        files
            .iter()
            .map(|(path, bytes)| (path.clone(), String::from_utf8_lossy(bytes).into_owned().into()))
            .collect()
    };
    let list: Vec<serde_json::Value> = submissions
        .iter()
        .map(|s| match &s.operated {
            Operated::Kubeflow { plan, .. } => serde_json::json!({
                "source": s.source,
                "name": s.name,
                "submissionID": plan.app.status.submission_id,
                "args": plan.command.args,
                "files": text(&plan.command.files),
            }),
            Operated::Apache(plan) => {
                let conf: serde_json::Map<String, serde_json::Value> = plan
                    .submission
                    .conf
                    .iter()
                    .map(|(k, v)| (k.to_owned(), v.into()))
                    .collect();
                serde_json::json!({
                    "source": s.source,
                    "name": s.name,
                    "appId": plan.app_id,
                    "conf": conf,
                    "files": text(&plan.request.inputs.files),
                })
            }
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
