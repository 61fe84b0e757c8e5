//! Objects written as the operator writes them (`util.WriteObjectToFile`: `sigs.k8s.io/yaml`,
//! i.e. Go's JSON encoding re-emitted by go-yaml v2): keys sorted, sequences flush with their
//! key, the zero values Go's encoder keeps (`creationTimestamp: null`, `resources: {}`).

use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::{Map, Value};

/// A pod template as the operator's file holds it.
pub fn marshal_pod_template(template: &PodTemplateSpec) -> String {
    let mut value = serde_json::to_value(template).unwrap_or(Value::Null);
    // Go holds quantities parsed, and writes them canonical.
    super::go_quantity::canonicalize_pod_json(&mut value);
    if let Value::Object(root) = &mut value {
        // ObjectMeta.CreationTimestamp is a struct: Go's encoder writes it as null.
        let metadata = root
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(metadata) = metadata {
            metadata.entry("creationTimestamp").or_insert(Value::Null);
        }
        // PodTemplateSpec.Spec is a struct too.
        let spec = root
            .entry("spec")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(spec) = spec {
            // Container.Resources is a struct too: `resources: {}`.
            for list in ["containers", "initContainers"] {
                if let Some(Value::Array(containers)) = spec.get_mut(list) {
                    for container in containers {
                        if let Value::Object(container) = container {
                            container
                                .entry("resources")
                                .or_insert_with(|| Value::Object(Map::new()));
                        }
                    }
                }
            }
            // PodSpec.Containers has no omitempty.
            spec.entry("containers").or_insert(Value::Null);
        }
    }
    let mut out = String::new();
    emit(&value, 0, &mut out);
    out
}

/// go-yaml v2's block style for one value at `indent`, after a key or a `- `.
fn emit(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if map.is_empty() => out.push_str(" {}\n"),
        Value::Array(items) if items.is_empty() => out.push_str(" []\n"),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut first = true;
            for key in keys {
                if !(first && out.ends_with("- ")) {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&" ".repeat(indent));
                }
                first = false;
                out.push_str(&scalar(key));
                out.push(':');
                let child = &map[key];
                match child {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        emit(child, indent + 2, out);
                    }
                    Value::Array(items) if !items.is_empty() => {
                        out.push('\n');
                        // Sequences are not indented under their key.
                        emit(child, indent, out);
                    }
                    _ => emit(child, indent + 2, out),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                match item {
                    Value::Object(m) if !m.is_empty() => emit(item, indent + 2, out),
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        emit(item, indent + 2, out);
                    }
                    _ => {
                        // A scalar after "- ": drop the space `emit` puts before it.
                        out.pop();
                        emit(item, indent + 2, out);
                    }
                }
            }
        }
        Value::Null => out.push_str(" null\n"),
        Value::Bool(b) => out.push_str(&format!(" {b}\n")),
        Value::Number(n) => out.push_str(&format!(" {n}\n")),
        Value::String(s) if style(s) == Style::Literal => literal_block(s, indent, out),
        Value::String(s) => {
            out.push(' ');
            out.push_str(&scalar(s));
            out.push('\n');
        }
    }
}

/// How go-yaml v2 writes a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// go-yaml v2's choice: a literal block for multi-line text; double quotes for text that would
/// read back as another type; plain when the emitter allows it; else single quotes (double
/// when those cannot hold it). (Its folding of plain text past 80 columns is not modelled.)
fn style(s: &str) -> Style {
    let printable = !s.chars().any(|c| c.is_control() && c != '\n');
    if s.contains('\n') {
        let trailing_space = s.split('\n').any(|line| line.ends_with(' '));
        return if printable && !trailing_space && !s.starts_with(' ') {
            Style::Literal
        } else {
            Style::DoubleQuoted
        };
    }
    if !printable || resolves_to_another_type(s) {
        return Style::DoubleQuoted;
    }
    if plain_allowed(s) {
        Style::Plain
    } else {
        Style::SingleQuoted
    }
}

/// YAML 1.1 (go-yaml's resolver) would read it as a bool, null, number or timestamp-like
/// base-60 float.
fn resolves_to_another_type(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let special = [
        "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".nan", ".inf",
        "-.inf", "+.inf",
    ];
    if special.contains(&lower.as_str()) {
        return true;
    }
    let unsigned = s.trim_start_matches(['+', '-']);
    let numeric = unsigned.replace('_', "").parse::<f64>().is_ok()
        || unsigned.starts_with("0x")
        || unsigned.starts_with("0o")
        || unsigned.starts_with("0b");
    let base60 = s.contains(':')
        && s.split(':').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        });
    numeric || base60
}

/// The emitter's plain-scalar rules for a one-line string.
fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let dash_ok = matches!(first, '-' | '?' | ':') && s.chars().nth(1).is_some_and(|c| c != ' ');
    (!indicator || dash_ok)
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
}

/// A string as go-yaml v2 writes it on one line (`literal` strings are written by
/// [`literal_block`]).
fn scalar(s: &str) -> String {
    match style(s) {
        Style::Plain => s.to_owned(),
        Style::SingleQuoted => format!("'{}'", s.replace('\'', "''")),
        Style::DoubleQuoted | Style::Literal => serde_json::to_string(s).unwrap_or_default(),
    }
}

/// A literal block (`|`, `|-` or `|+` by the text's final line breaks), its lines at `indent`.
fn literal_block(s: &str, indent: usize, out: &mut String) {
    let chomping = if !s.ends_with('\n') {
        "-"
    } else if s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    out.push_str(&format!(" |{chomping}\n"));
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    #[test]
    fn a_default_template_reads_as_the_operator_writes_it() {
        let template = PodTemplateSpec {
            metadata: Some(ObjectMeta {
                owner_references: Some(vec![OwnerReference {
                    api_version: "sparkoperator.k8s.io/v1beta2".into(),
                    kind: "SparkApplication".into(),
                    name: "spark-pi".into(),
                    uid: "u-1".into(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }]),
                ..ObjectMeta::default()
            }),
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "spark-kubernetes-driver".into(),
                    ..Container::default()
                }],
                ..PodSpec::default()
            }),
        };
        assert_eq!(
            marshal_pod_template(&template),
            "metadata:
  creationTimestamp: null
  ownerReferences:
  - apiVersion: sparkoperator.k8s.io/v1beta2
    blockOwnerDeletion: true
    controller: true
    kind: SparkApplication
    name: spark-pi
    uid: u-1
spec:
  containers:
  - name: spark-kubernetes-driver
    resources: {}
"
        );
    }

    #[test]
    fn strings_are_written_in_go_yaml_styles() {
        for s in ["", "true", "1", "1.5", "null", "yes", "1:20"] {
            assert_eq!(style(s), Style::DoubleQuoted, "{s:?}");
        }
        for s in ["- x", "a: b", "*x", " lead", "trail ", "x #y"] {
            assert_eq!(style(s), Style::SingleQuoted, "{s:?}");
        }
        for s in ["spark", "1g", "a-b", "/tmp/x", "-Dx=y", "a:b"] {
            assert_eq!(style(s), Style::Plain, "{s:?}");
        }
        assert_eq!(scalar("it's: x"), "'it''s: x'");
        let mut out = String::new();
        literal_block("set -e\n\necho hi\n", 4, &mut out);
        assert_eq!(out, " |\n    set -e\n\n    echo hi\n");
        let mut out = String::new();
        literal_block("a\nb", 2, &mut out);
        assert_eq!(out, " |-\n  a\n  b\n");
    }
}
