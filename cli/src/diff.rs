//! `spark-render diff`: two renders of one submission (two releases, two confs or templates)
//! or two manifest files, compared by the engine's [`spark_render_engine::diff`], printed for
//! people, for tools (JSON) or for a pull request (Markdown).

use std::io::IsTerminal;
use std::path::Path;

use clap::{Args, Command, FromArgMatches};
use serde_json::Value;
use spark_render_engine::config::keys;
use spark_render_engine::diff::{self, Change, ChangeKind, Report, Side};
use spark_render_engine::{render_all, RenderRequest};

use crate::args::{Application, DiffArgs, DiffFormat, RenderArgs, SparkOptions};
use crate::errors::{self, CliError};
use crate::files;
use crate::output::{self, write_stdout};
use crate::request;

/// The largest manifest file read (`kubectl get pods -o yaml` of a few hundred pods).
const MANIFEST_LIMIT: u64 = 16 << 20;

/// The longest value shown in the text and Markdown reports.
const SHOWN_VALUE_CHARS: usize = 200;

/// Runs `diff`: prints the report and returns whether the sides differ.
pub fn run(args: &DiffArgs) -> Result<bool, CliError> {
    let (left, right) = if !args.render.resource.filename.is_empty() {
        resource_sides(args)?
    } else if args.sides.compare_renders() {
        render_sides(args)?
    } else {
        file_sides(args)?
    };
    let report = diff::diff(&left, &right);
    let text = match args.output.format {
        DiffFormat::Text => {
            let mut text = String::new();
            if let (Some(a), Some(b)) = (left.version, right.version) {
                if a != b && args.sides.differ_only_by_release() {
                    text.push_str(&format!(
                        "Spark {a} → {b}, the same submission: every change below is the release's\n"
                    ));
                }
            }
            text + &text_report(&report, args.output.show_server_defaults, colour())
        }
        DiffFormat::Json => json_report(&report, args.output.show_server_defaults)?,
        DiffFormat::Markdown => markdown_report(&report, args.output.show_server_defaults),
    };
    match write_stdout(&text) {
        Ok(()) | Err(CliError::ClosedOutput) => Ok(!report.is_empty()),
        Err(e) => Err(e),
    }
}

/// Which side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Left,
    Right,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Left => "left",
            Which::Right => "right",
        }
    }
}

/// The two renders: the shared submission with each side's options, the right side drawing
/// nothing of its own (it takes the left side's ids, times and UUIDs).
fn render_sides(args: &DiffArgs) -> Result<(Side, Side), CliError> {
    let app = Application {
        resource_and_args: args.operands.clone(),
    };
    let left = side_request(args, &app, Which::Left)?;
    let mut right = side_request(args, &app, Which::Right)?;
    let files = std::mem::take(&mut right.inputs.files);
    right.inputs = left.inputs.clone();
    right.inputs.files = files;
    Ok((
        render_side(&left, Which::Left)?,
        render_side(&right, Which::Right)?,
    ))
}

/// One side's request.
fn side_request(
    args: &DiffArgs,
    app: &Application,
    which: Which,
) -> Result<RenderRequest, CliError> {
    let s = &args.sides;
    let (conf, properties, driver_template, executor_template, version) = match which {
        Which::Left => (
            &s.left_conf,
            &s.left_properties_file,
            &s.left_driver_template,
            &s.left_executor_template,
            &s.from_version,
        ),
        Which::Right => (
            &s.right_conf,
            &s.right_properties_file,
            &s.right_driver_template,
            &s.right_executor_template,
            &s.to_version,
        ),
    };
    let mut render: RenderArgs = args.render.clone();
    render.submit.conf.extend(conf.iter().cloned());
    if let Some(file) = properties {
        render.submit.properties_file = Some(file.clone());
    }
    for (key, file) in [
        (keys::DRIVER_POD_TEMPLATE_FILE, driver_template),
        (keys::EXECUTOR_POD_TEMPLATE_FILE, executor_template),
    ] {
        if let Some(file) = file {
            render.submit.conf.push(format!("{key}={}", file.display()));
        }
    }
    let spark = SparkOptions {
        spark_version: version
            .clone()
            .or_else(|| args.output.spark.spark_version.clone()),
        strict: args.output.spark.strict,
    };
    let mut request =
        request::render_request(&render, app, &spark).map_err(|e| on_side(which, &e))?;
    request::select_executors(&mut request, &args.executors);
    request.explain = true;
    Ok(request)
}

/// Two SparkApplication files (`-f OLD -f NEW`), each rendered as its operator would create it,
/// with the same drawn values; their applications are paired in file order.
fn resource_sides(args: &DiffArgs) -> Result<(Side, Side), CliError> {
    let [left_file, right_file] = &args.render.resource.filename[..] else {
        return Err(CliError::Usage(format!(
            "diff compares two SparkApplication files (-f OLD.yaml -f NEW.yaml), not {}",
            args.render.resource.filename.len()
        )));
    };
    if let Some(operand) = args.operands.first() {
        return Err(CliError::Usage(format!(
            "{operand} is given with -f: diff -f compares two SparkApplication files"
        )));
    }
    crate::operator::refuse_submit_options(&Application {
        resource_and_args: Vec::new(),
    })?;
    let mut render = args.render.clone();
    // Both sides draw the same values, so that only the change shows.
    let fixed = |given: &Option<String>| {
        given
            .clone()
            .or_else(|| Some(crate::environment::random_uuid()))
    };
    if !render.inputs.reproducible {
        render.resource.submission_id = fixed(&render.resource.submission_id);
        render.resource.app_uid = fixed(&render.resource.app_uid);
    }
    let submissions = |file: &std::path::PathBuf, which: Which| {
        let mut side = render.clone();
        side.resource.filename = vec![file.clone()];
        crate::operator::submissions(&side, &args.output.spark, request::Files::Required)
            .map_err(|e| on_side(which, &e))
    };
    let left = submissions(left_file, Which::Left)?;
    let right = submissions(right_file, Which::Right)?;
    if left.len() != right.len() {
        return Err(CliError::Usage(format!(
            "{} holds {} SparkApplication(s) and {} holds {}: diff pairs them in order",
            left_file.display(),
            left.len(),
            right_file.display(),
            right.len()
        )));
    }
    let mut sides = (Side::default(), Side::default());
    for (l, r) in left.iter().zip(&right) {
        let mut left_request = l.prepared.request.clone();
        request::select_executors(&mut left_request, &args.executors);
        left_request.explain = true;
        let mut right_request = r.prepared.request.clone();
        request::select_executors(&mut right_request, &args.executors);
        right_request.explain = true;
        let files = std::mem::take(&mut right_request.inputs.files);
        right_request.inputs = left_request.inputs.clone();
        right_request.inputs.files = files;
        for (submission, request, side, which) in [
            (l, &left_request, &mut sides.0, Which::Left),
            (r, &right_request, &mut sides.1, Which::Right),
        ] {
            let rendered = submission
                .render(request, true)
                .map_err(|e| on_side(which, &e))?;
            let part = side_of(&rendered, request, which)?;
            side.objects.extend(part.objects);
            side.explanations.extend(part.explanations);
            side.conf.extend(part.conf);
            side.version = part.version;
        }
    }
    Ok(sides)
}

/// Renders one side (the driver's objects and the executors'), with explanations.
fn render_side(request: &RenderRequest, which: Which) -> Result<Side, CliError> {
    let rendered = render_all(request).map_err(|e| on_side(which, &e))?;
    side_of(&rendered, request, which)
}

/// A side from a render of `request`.
fn side_of(
    rendered: &spark_render_engine::Rendered,
    request: &RenderRequest,
    which: Which,
) -> Result<Side, CliError> {
    for warning in &rendered.warnings {
        eprintln!("spark-render: warning: {} side: {warning}", which.name());
    }
    let objects = rendered
        .objects()
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::Output(e.to_string()))?;
    let conf = request
        .submit
        .properties_file
        .iter()
        .chain(&request.submit.conf)
        .cloned()
        .collect();
    Ok(Side {
        objects,
        explanations: rendered.explanations().into_iter().cloned().collect(),
        from_file: false,
        conf,
        version: Some(request.spark_version),
    })
}

/// An error of one side, saying which.
fn on_side(which: Which, err: &dyn std::error::Error) -> CliError {
    CliError::Output(format!(
        "the {} side: {}",
        which.name(),
        errors::with_causes(err)
    ))
}

/// The two files (`-`: standard input). Submission options have no meaning here and are
/// refused.
fn file_sides(args: &DiffArgs) -> Result<(Side, Side), CliError> {
    let e = &args.executors;
    let executor_options = !e.executor_id.is_empty()
        || e.driver_pod_ip.is_some()
        || !e.executor_uid.is_empty()
        || e.auth_secret.is_some();
    if has_submission_options(&args.render)
        || executor_options
        || args.output.spark.spark_version.is_some()
        || args.output.spark.strict
    {
        return Err(CliError::Usage(
            "comparing two files takes no submission options; to compare renders, set the sides apart with --from-version/--to-version or --left-*/--right-*".into(),
        ));
    }
    let [left, right] = &args.operands[..] else {
        return Err(CliError::Usage(format!(
            "diff takes two manifest files (or --from-version/--to-version, --left-*/--right-* and a submission), not {} operand(s)",
            args.operands.len()
        )));
    };
    if left == "-" && right == "-" {
        return Err(CliError::Usage(
            "only one side can be standard input".into(),
        ));
    }
    Ok((read_side(left)?, read_side(right)?))
}

/// Whether any submission option or render input was given.
fn has_submission_options(render: &RenderArgs) -> bool {
    let defaults = RenderArgs::augment_args(Command::new("diff"))
        .try_get_matches_from(["diff"])
        .ok()
        .and_then(|m| RenderArgs::from_arg_matches(&m).ok());
    defaults.is_some_and(|d| format!("{d:?}") != format!("{render:?}"))
}

/// The objects of a manifest file, or of standard input for `-`.
fn read_side(operand: &str) -> Result<Side, CliError> {
    let (name, bytes) = files::read_operand(Path::new(operand), MANIFEST_LIMIT, "diff")?;
    let name = name.as_str();
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Output(format!("{name} is not UTF-8 text")))?;
    Ok(Side {
        objects: diff::parse_manifests(&text, name)?,
        from_file: true,
        ..Side::default()
    })
}

/// Whether the text report is coloured: on a terminal, unless `NO_COLOR` is set.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A value as one line: strings as they are, anything else as JSON, cut to a readable length.
fn show(value: Option<&Value>) -> String {
    let text = match value {
        None => return String::new(),
        Some(Value::String(s)) if s.is_empty() => "\"\"".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let text = output_escape(&text);
    let count = text.chars().count();
    if count > SHOWN_VALUE_CHARS {
        let cut: String = text.chars().take(SHOWN_VALUE_CHARS).collect();
        format!("{cut}… ({count} characters)")
    } else {
        text
    }
}

/// Line ends and control characters shown escaped, so that a value stays on its line.
fn output_escape(text: &str) -> String {
    output::escape_control(&text.replace('\n', "\\n").replace('\t', "\\u{9}"))
}

/// The sign of a change: `+` added, `-` removed, `~` changed.
fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
    }
}

/// The changes of `report` (and the server defaults, when asked), grouped by object.
fn grouped(report: &Report, with_defaults: bool) -> Vec<(&str, Vec<&Change>)> {
    let mut groups: Vec<(&str, Vec<&Change>)> = Vec::new();
    let all = report
        .changes
        .iter()
        .chain(report.server_defaults.iter().filter(|_| with_defaults));
    for change in all {
        match groups.iter_mut().find(|(o, _)| *o == change.object) {
            Some((_, changes)) => changes.push(change),
            None => groups.push((&change.object, vec![change])),
        }
    }
    groups
}

/// The report for people.
fn text_report(report: &Report, with_defaults: bool, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    let groups = grouped(report, with_defaults);
    for (n, (object, changes)) in groups.iter().enumerate() {
        out.push_str(&paint("1", &output_escape(object)));
        out.push('\n');
        if let Some(earlier) = same_as_earlier(&groups, n) {
            out.push_str(&format!(
                "  (the same {} change{} as {earlier})\n",
                changes.len(),
                plural(changes.len())
            ));
            continue;
        }
        for c in changes {
            let code = match c.change {
                ChangeKind::Added => "32",
                ChangeKind::Removed => "31",
                ChangeKind::Changed => "33",
            };
            let what = match c.change {
                ChangeKind::Added => show(c.right.as_ref()),
                ChangeKind::Removed => show(c.left.as_ref()),
                ChangeKind::Changed => {
                    format!("{} → {}", show(c.left.as_ref()), show(c.right.as_ref()))
                }
            };
            let field = if c.field.is_empty() {
                match c.change {
                    ChangeKind::Added => "(the whole object, only on the right)".to_owned(),
                    _ => "(the whole object, only on the left)".to_owned(),
                }
            } else {
                output_escape(&c.field)
            };
            let line = if c.field.is_empty() {
                format!("  {} {field}", sign(c.change))
            } else {
                format!("  {} {field}: {what}", sign(c.change))
            };
            out.push_str(&paint(code, &line));
            out.push('\n');
            if let Some(release) = &c.release {
                out.push_str(&format!("      release: {release}\n"));
            }
            match (&c.left_source, &c.right_source) {
                (Some(l), Some(r)) if l == r => out.push_str(&format!("      why: {l}\n")),
                (l, r) => {
                    if let Some(l) = l {
                        out.push_str(&format!("      left:  {l}\n"));
                    }
                    if let Some(r) = r {
                        out.push_str(&format!("      right: {r}\n"));
                    }
                }
            }
        }
    }
    let changes = report.changes.len();
    let objects = grouped(report, false).len();
    if changes == 0 {
        out.push_str("no differences\n");
    } else {
        out.push_str(&format!(
            "{changes} change{} in {objects} object{}\n",
            plural(changes),
            plural(objects)
        ));
    }
    let defaults = report.server_defaults.len();
    if defaults > 0 && !with_defaults {
        out.push_str(&format!(
            "{defaults} field{} only a file has {} filled in by the API server, left out (--show-server-defaults lists them)\n",
            plural(defaults),
            if defaults == 1 { "is" } else { "are" }
        ));
    }
    out
}

/// An earlier object with the very same changes as the `n`th (executors 2, 3... after 1).
fn same_as_earlier<'a>(groups: &[(&'a str, Vec<&Change>)], n: usize) -> Option<&'a str> {
    let same = |a: &[&Change], b: &[&Change]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                (
                    &x.field,
                    x.change,
                    &x.left,
                    &x.right,
                    &x.left_source,
                    &x.right_source,
                ) == (
                    &y.field,
                    y.change,
                    &y.left,
                    &y.right,
                    &y.left_source,
                    &y.right_source,
                )
            })
    };
    groups[..n]
        .iter()
        .find(|(_, earlier)| same(earlier, &groups[n].1))
        .map(|(object, _)| *object)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The changes as a JSON list; server defaults (when asked) carry `"server_default": true`.
fn json_report(report: &Report, with_defaults: bool) -> Result<String, CliError> {
    /// A change, and whether it is a field the API server fills in.
    #[derive(serde::Serialize)]
    struct Listed<'a> {
        #[serde(flatten)]
        change: &'a Change,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        server_default: bool,
    }
    let defaults = report.server_defaults.iter().filter(|_| with_defaults);
    let list: Vec<Listed<'_>> = report
        .changes
        .iter()
        .map(|change| Listed {
            change,
            server_default: false,
        })
        .chain(defaults.map(|change| Listed {
            change,
            server_default: true,
        }))
        .collect();
    output::json(&list)
}

/// Markdown tables, one per object, for a pull-request comment.
fn markdown_report(report: &Report, with_defaults: bool) -> String {
    let cell = |text: &str| {
        if text.is_empty() {
            String::new()
        } else {
            format!("`{}`", text.replace('|', "\\|").replace('`', "'"))
        }
    };
    let mut out = String::new();
    if report.is_empty() {
        out.push_str("No differences.\n");
    }
    let groups = grouped(report, with_defaults);
    for (n, (object, changes)) in groups.iter().enumerate() {
        out.push_str(&format!("\n#### {}\n\n", cell(&output_escape(object))));
        if let Some(earlier) = same_as_earlier(&groups, n) {
            out.push_str(&format!("The same changes as {}.\n", cell(earlier)));
            continue;
        }
        out.push_str("| | field | left | right | why |\n| --- | --- | --- | --- | --- |\n");
        for c in changes {
            let sources = match (&c.left_source, &c.right_source) {
                (Some(l), Some(r)) if l == r => l.clone(),
                (Some(l), Some(r)) => format!("left: {l}; right: {r}"),
                (Some(l), None) => format!("left: {l}"),
                (None, Some(r)) => format!("right: {r}"),
                (None, None) => String::new(),
            };
            let why = match &c.release {
                Some(release) if sources.is_empty() => release.clone(),
                Some(release) => format!("{release}; {sources}"),
                None => sources,
            };
            let field = if c.field.is_empty() {
                "(whole object)".to_owned()
            } else {
                output_escape(&c.field)
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                sign(c.change),
                cell(&field),
                cell(&show(c.left.as_ref())),
                cell(&show(c.right.as_ref())),
                why.replace('|', "\\|")
            ));
        }
    }
    out
}
