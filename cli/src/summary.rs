//! `spark-render summary`: the engine's [`spark_render_engine::summary`] as a table for
//! people, or as JSON.

use spark_render_engine::summary::{self, PodUsage, Summary, Usage, CLAIMS_STORAGE};

use crate::args::{SummaryArgs, TableFormat};
use crate::errors::CliError;
use crate::output::{self, write_stdout};
use crate::request;

/// Runs `summary`.
pub fn run(args: &SummaryArgs) -> Result<(), CliError> {
    let node = args
        .node
        .as_deref()
        .map(summary::parse_node)
        .transpose()
        .map_err(|reason| CliError::Usage(format!("--node: {reason}")))?;
    if !args.render.resource.filename.is_empty() {
        return run_resources(args, node.as_ref());
    }
    let request = request::render_request(&args.render, &args.app, &args.output.spark)?;
    let summary = summary::summarise(&request, node.as_ref())?;
    let text = match args.output.format {
        TableFormat::Text => text(&summary),
        TableFormat::Json => output::json(&summary)?,
    };
    write_stdout(&text)
}

/// `summary -f`: each SparkApplication's pods as its operator and Spark create them (the
/// webhook's memory limits, GPUs and sidecars included).
fn run_resources(args: &SummaryArgs, node: Option<&summary::Usage>) -> Result<(), CliError> {
    crate::operator::refuse_submit_options(&args.app)?;
    let submissions =
        crate::operator::submissions(&args.render, &args.output.spark, request::Files::Required)?;
    let mut summaries = Vec::new();
    for submission in &submissions {
        let mut request = submission.prepared.request.clone();
        request.executor_ids = vec![1];
        request.explain = false;
        let rendered = submission.render(&request, true)?;
        let conf = submission.conf()?;
        summaries.push((
            submission,
            summary::summarise_rendered(&conf, &rendered, node)?,
        ));
    }
    let text = match args.output.format {
        TableFormat::Text => summaries
            .iter()
            .map(|(s, summary)| {
                format!(
                    "# {}: SparkApplication {}\n{}",
                    s.source,
                    s.name,
                    text(summary)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        TableFormat::Json => {
            let list: Vec<&Summary> = summaries.iter().map(|(_, s)| s).collect();
            output::json(&list)?
        }
    };
    write_stdout(&text)
}

/// The resources shown, in this order: CPU, memory, then the others by name, claims last.
fn columns(summary: &Summary) -> Vec<String> {
    let mut names: Vec<String> = summary
        .requests_at_start
        .keys()
        .chain(summary.limits_at_start.keys())
        .cloned()
        .collect();
    names.sort_by_key(|n| {
        let rank = match n.as_str() {
            "cpu" => 0,
            "memory" => 1,
            CLAIMS_STORAGE => 3,
            _ => 2,
        };
        (rank, n.clone())
    });
    names.dedup();
    names
}

/// An amount of `resource` as a person reads it: cores with up to three decimals, bytes in
/// the largest binary unit that divides them exactly (as Kubernetes writes them), counts as
/// they are.
fn amount(resource: &str, value: f64) -> String {
    let bytes = matches!(resource, "memory" | "ephemeral-storage" | CLAIMS_STORAGE)
        || resource.starts_with("hugepages-");
    if bytes && value.fract() == 0.0 && value >= 1.0 {
        const UNITS: [(&str, f64); 5] = [
            ("Pi", 1_125_899_906_842_624.0),
            ("Ti", 1_099_511_627_776.0),
            ("Gi", 1_073_741_824.0),
            ("Mi", 1_048_576.0),
            ("Ki", 1024.0),
        ];
        for (unit, size) in UNITS {
            if value % size == 0.0 {
                return format!("{}{unit}", value / size);
            }
        }
        return format!("{value}");
    }
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// One table row: a label, then each column's amount (`-` when absent).
fn row(label: &str, amounts: &Usage, columns: &[String]) -> Vec<String> {
    std::iter::once(label.to_owned())
        .chain(columns.iter().map(|c| {
            amounts
                .get(c)
                .map_or_else(|| "-".to_owned(), |v| amount(c, *v))
        }))
        .collect()
}

/// The summary as text: what is counted, a table of requests and one of limits.
fn text(s: &Summary) -> String {
    let mut out = String::new();
    let executors = match (s.dynamic_allocation, s.executors_at_most) {
        (false, _) => format!("{} executors", s.executors_at_start),
        (true, Some(max)) => format!(
            "{} executors at start, at most {max} (dynamic allocation)",
            s.executors_at_start
        ),
        (true, None) => format!(
            "{} executors at start, no upper bound (dynamic allocation without spark.dynamicAllocation.maxExecutors)",
            s.executors_at_start
        ),
    };
    let pods = match (&s.driver, &s.executor) {
        (Some(d), Some(e)) => format!("driver {} and {executors} like {}", d.pod, e.pod),
        (None, Some(e)) => format!("{executors} like {} (client mode: no driver pod)", e.pod),
        (Some(d), None) => format!("driver {}, no executor pod", d.pod),
        (None, None) => "no pods".to_owned(),
    };
    out.push_str(&format!("Pods: {pods}\n"));
    let columns = columns(s);
    for (title, at_start, at_most, of_pod) in [
        (
            "Requests",
            &s.requests_at_start,
            s.requests_at_most.as_ref(),
            (|p: &PodUsage| p.requests.clone()) as fn(&PodUsage) -> Usage,
        ),
        (
            "Limits",
            &s.limits_at_start,
            s.limits_at_most.as_ref(),
            |p: &PodUsage| p.limits.clone(),
        ),
    ] {
        let mut rows: Vec<Vec<String>> = Vec::new();
        rows.push(
            std::iter::once(String::new())
                .chain(columns.iter().cloned())
                .collect(),
        );
        if let Some(d) = &s.driver {
            rows.push(row("driver", &of_pod(d), &columns));
        }
        if let Some(e) = &s.executor {
            rows.push(row("each executor", &of_pod(e), &columns));
        }
        rows.push(row(
            &format!("at start ({} executors)", s.executors_at_start),
            at_start,
            &columns,
        ));
        if s.dynamic_allocation {
            match (at_most, s.executors_at_most) {
                (Some(usage), Some(max)) => {
                    rows.push(row(&format!("at most ({max} executors)"), usage, &columns));
                }
                _ => rows.push(
                    std::iter::once("at most".to_owned())
                        .chain(columns.iter().map(|_| "no bound".to_owned()))
                        .collect(),
                ),
            }
        }
        out.push_str(&format!("\n{title}:\n{}", table(&rows)));
    }
    if let Some(fit) = &s.per_node {
        let node: Vec<String> = fit
            .node
            .iter()
            .map(|(r, v)| format!("{r}={}", amount(r, *v)))
            .collect();
        out.push_str(&format!(
            "\nOn a node with {}: {} executor{} (bound by {})\n",
            node.join(", "),
            fit.executors,
            if fit.executors == 1 { "" } else { "s" },
            fit.bound_by
        ));
    }
    if columns.iter().any(|c| c == CLAIMS_STORAGE) {
        out.push_str("\nclaims.storage: the persistent volume claims Spark creates with the pods (OnDemand).\n");
    }
    out
}

/// Rows as aligned columns: the first left-aligned, the rest right-aligned.
fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(&format!("  {cell}{}", " ".repeat(pad)));
            } else {
                line.push_str(&format!("  {}{cell}", " ".repeat(pad)));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(amount("cpu", 4.8), "4.8");
        assert_eq!(amount("cpu", 11.0), "11");
        assert_eq!(amount("memory", 1408.0 * 1_048_576.0), "1408Mi");
        assert_eq!(amount("memory", 8.0 * 1_073_741_824.0), "8Gi");
        assert_eq!(amount("memory", 1500.0), "1500");
        assert_eq!(amount("nvidia.com/gpu", 10.0), "10");
    }
}
