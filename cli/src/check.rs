//! `spark-render check --pod-security`: the engine's
//! [`spark_render_engine::pod_security`] checks of every rendered pod, as a report for people
//! or as JSON; status 1 when a pod violates the level.

use spark_render_engine::pod_security::{self, Level};

use crate::args::{CheckArgs, TableFormat};
use crate::errors::CliError;
use crate::output::{self, write_stdout};

/// Runs `check --pod-security`: the violations, and status 1 when there are any.
pub fn run(args: &CheckArgs) -> Result<(), CliError> {
    let level: Level = args.pod_security.parse().map_err(CliError::Usage)?;
    let minor = pod_security::parse_kubernetes_version(&args.kubernetes_version)
        .map_err(|e| CliError::Usage(format!("--kubernetes-version: {e}")))?;
    let renders = crate::render_requests(
        &args.render,
        &args.app,
        Some(&args.executors),
        &args.output.spark,
        true,
    )?;
    let objects: Vec<_> = renders.iter().flat_map(|r| r.objects()).collect();
    let violations = pod_security::check(&objects, level, minor);
    let text = match args.output.format {
        TableFormat::Json => output::json(&violations)?,
        TableFormat::Text => {
            let mut out = String::new();
            let mut current = "";
            for v in &violations {
                if v.object != current {
                    out.push_str(&format!("{}\n", v.object));
                    current = &v.object;
                }
                out.push_str(&format!(
                    "  {}: {} ({} {})\n      fix: {}\n",
                    v.field, v.detail, v.level, v.check, v.fix
                ));
            }
            let pods = objects
                .iter()
                .filter(|o| matches!(o.kind(), "Pod" | "StatefulSet" | "Deployment"))
                .count();
            if violations.is_empty() {
                out.push_str(&format!(
                    "{pods} pod(s) meet the {level} Pod Security Standard\n"
                ));
            } else {
                let failing: std::collections::BTreeSet<&str> =
                    violations.iter().map(|v| v.object.as_str()).collect();
                out.push_str(&format!(
                    "{} violation(s) of the {level} Pod Security Standard of Kubernetes 1.{minor} in {} of {pods} pod(s)\n",
                    violations.len(),
                    failing.len()
                ));
            }
            out
        }
    };
    write_stdout(&text)?;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(CliError::Output(format!(
            "the pods do not meet the {level} Pod Security Standard"
        )))
    }
}
