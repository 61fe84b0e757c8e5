//! Writing to standard output: a closed pipe (`spark-render all | head`) ends the process
//! quietly; reports as text; manual pages.

use std::io::Write;
use std::path::Path;

use spark_render_engine::provenance::FieldSource;

use crate::errors::CliError;

/// Writes `text` to standard output. A reader that went away is [`CliError::ClosedOutput`],
/// which ends the process with status 0 and no message, as `head` users expect.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => CliError::ClosedOutput,
            _ => CliError::Output(format!("cannot write the output: {e}")),
        })
}

/// Pretty JSON and a final newline.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|t| t + "\n")
        .map_err(|e| CliError::Output(e.to_string()))
}

/// The explanations as text: each object, then each field, its value and its source.
pub fn explain_text(explanations: &[&FieldSource]) -> String {
    let mut out = String::new();
    let mut current = "";
    for e in explanations {
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

/// `spark-render man [SUBCOMMAND|DIR]`: the main page, one subcommand's page, or every page
/// written into a directory (`spark-render.1`, `spark-render-driver.1`, ...).
pub fn man_pages(cmd: clap::Command, target: Option<&str>) -> Result<(), CliError> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let page = match target {
        None => cmd,
        Some(name) if !name.contains(['/', '.']) && cmd.find_subcommand(name).is_some() => cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| CliError::Usage(format!("no subcommand {name}")))?,
        Some(dir) => {
            let dir = Path::new(dir);
            if !dir.is_dir() {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return Err(CliError::Usage(format!(
                    "{} is neither a subcommand ({}) nor an existing directory",
                    dir.display(),
                    names.join(", ")
                )));
            }
            clap_mangen::generate_to(cmd, dir).map_err(|e| {
                CliError::Output(format!(
                    "cannot write the manual pages to {}: {e}",
                    dir.display()
                ))
            })?;
            return Ok(());
        }
    };
    let mut text = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut text)
        .map_err(|e| CliError::Output(format!("cannot render the manual page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&text))
}

/// `text` with control characters (other than line ends and tabs) shown as `\u{..}`, so that
/// what kubectl prints cannot move the cursor or recolour the terminal.
pub fn escape_control(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}
