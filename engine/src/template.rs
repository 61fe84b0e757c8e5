//! Pod templates (`spark.kubernetes.{driver,executor}.podTemplateFile`): parsing the YAML or
//! JSON a user wrote into a Pod, reporting the fields Kubernetes does not know (they are
//! dropped), and picking the Spark container (`KubernetesUtils.selectSparkContainer`).

use k8s_openapi::api::core::v1::{Container, Pod};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::pod::SparkPod;

/// Limits that keep a hostile template from costing much: its size and nesting depth. (YAML
/// alias expansion is bounded by the YAML parser's own budget.)
const MAX_TEMPLATE_BYTES: usize = 4 << 20;
const MAX_DEPTH: usize = 64;

/// A parsed pod template.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PodTemplate {
    /// The pod it describes.
    pub pod: Pod,
    /// Fields of the template Kubernetes does not know, as paths (e.g. `spec.fooBar`). They are
    /// not in [`PodTemplate::pod`].
    pub unknown_fields: Vec<String>,
}

/// Parses template `text`; `key` and `file` name it in errors.
pub fn parse(text: &str, key: &str, file: &str) -> Result<PodTemplate> {
    let bad = |reason: String| Error::InvalidValue {
        key: key.into(),
        value: file.into(),
        reason,
    };
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(bad(format!(
            "the pod template is larger than {} MiB",
            MAX_TEMPLATE_BYTES >> 20
        )));
    }
    let mut value: Value = match crate::yaml_subset::parse(text) {
        Some(v) => v,
        None => serde_saphyr::from_str(text).map_err(|e| {
            bad(format!(
                "not a valid YAML pod template: {}",
                first_line(&e.to_string())
            ))
        })?,
    };
    if depth(&value) > MAX_DEPTH {
        return Err(bad(format!(
            "the pod template nests deeper than {MAX_DEPTH} levels"
        )));
    }
    let Value::Object(map) = &value else {
        return Err(bad("the pod template is not a YAML mapping (a Pod)".into()));
    };
    if let Some(kind) = map.get("kind").and_then(Value::as_str) {
        if kind != "Pod" {
            return Err(bad(format!("the pod template is a {kind}, not a Pod")));
        }
    }
    if map.get("spec").is_none_or(Value::is_null) {
        return Err(bad(
            "the pod template has no spec (Spark fails to load it)".into()
        ));
    }
    // fabric8 accepts a container without a name; Spark then names the Spark container itself
    // (an empty name here; the basic steps replace it).
    if let Some(containers) = value
        .pointer_mut("/spec/containers")
        .and_then(Value::as_array_mut)
    {
        for c in containers.iter_mut() {
            if let Value::Object(c) = c {
                c.entry("name")
                    .or_insert_with(|| Value::String(String::new()));
            }
        }
    }
    // The fast path; on failure, deserialise again to name the field at fault.
    let pod: Pod = match Pod::deserialize(&value) {
        Ok(pod) => pod,
        Err(_) => serde_path_to_error::deserialize(&value).map_err(|e| {
            let path = e.path().to_string();
            bad(format!("field {path}: {}", e.inner()))
        })?,
    };
    let round_trip = serde_json::to_value(&pod).map_err(|e| bad(e.to_string()))?;
    let mut unknown_fields = Vec::new();
    dropped_paths(&mut Vec::new(), &value, &round_trip, &mut unknown_fields);
    Ok(PodTemplate {
        pod,
        unknown_fields,
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Paths present (and not null) in `original` but missing from `kept`. `path` holds the
/// segments down to `original`; a path is only written out for a field that was dropped.
fn dropped_paths<'a>(
    path: &mut Vec<Segment<'a>>,
    original: &'a Value,
    kept: &Value,
    out: &mut Vec<String>,
) {
    match (original, kept) {
        (Value::Object(o), Value::Object(k)) => {
            for (key, v) in o {
                path.push(Segment::Key(key));
                match k.get(key) {
                    Some(kv) => dropped_paths(path, v, kv, out),
                    None if !v.is_null() && !is_empty_collection(v) => out.push(render(path)),
                    None => {}
                }
                path.pop();
            }
        }
        (Value::Array(o), Value::Array(k)) => {
            for (i, (ov, kv)) in o.iter().zip(k).enumerate() {
                path.push(Segment::Index(i));
                dropped_paths(path, ov, kv, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// One step of a field path: a key (`spec`) or a list index (`[1]`).
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// `spec.containers[1].fooBar`
fn render(path: &[Segment<'_>]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn is_empty_collection(v: &Value) -> bool {
    matches!(v, Value::Array(a) if a.is_empty()) || matches!(v, Value::Object(o) if o.is_empty())
}

/// `KubernetesUtils.selectSparkContainer`: the container named `container_name` if exactly one
/// has that name, else the first container; it is taken out of the pod. A template without
/// containers gives an empty Spark container. Returns a warning when the named container is
/// not found.
pub fn select_spark_container(
    template: PodTemplate,
    container_name: Option<&str>,
) -> (SparkPod, Option<String>) {
    let mut pod = template.pod;
    let containers = pod
        .spec
        .as_mut()
        .map(|s| std::mem::take(&mut s.containers))
        .unwrap_or_default();
    let mut warning = None;
    let named = container_name.and_then(|name| {
        let matches: Vec<usize> = containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name == name)
            .map(|(i, _)| i)
            .collect();
        if matches.len() == 1 {
            Some(matches[0])
        } else {
            warning = Some(format!(
                "container {name:?} is not (exactly once) in the pod template; Spark takes the first container"
            ));
            None
        }
    });
    let chosen = named.or(if containers.is_empty() { None } else { Some(0) });
    let Some(index) = chosen else {
        if let Some(spec) = pod.spec.as_mut() {
            spec.containers = containers;
        }
        return (
            SparkPod {
                pod,
                container: Container::default(),
            },
            warning,
        );
    };
    let mut rest = containers;
    let container = rest.remove(index);
    if let Some(spec) = pod.spec.as_mut() {
        spec.containers = rest;
    }
    (SparkPod { pod, container }, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "
apiVersion: v1
kind: Pod
metadata:
  labels: {team: data}
spec:
  fooBar: 1
  tolerations: [{key: spot, operator: Exists}]
  containers:
  - name: sidecar
    image: envoy
  - name: spark
    env: [{name: A, value: b}]
    resources: {limits: {cpu: '2'}}
";

    #[test]
    fn parses_and_reports_unknown_fields() {
        let t = parse(TEMPLATE, "k", "t.yaml").unwrap();
        assert_eq!(t.unknown_fields, ["spec.fooBar"]);
        assert_eq!(t.pod.spec.as_ref().unwrap().containers.len(), 2);
    }

    #[test]
    fn unknown_fields_are_named_by_their_whole_path() {
        let t = parse(
            "spec:\n  containers:\n  - name: a\n  - name: b\n    fooBaz: {x: 1}\n    emptyOne: {}\n    nullOne:\n",
            "k",
            "t.yaml",
        )
        .unwrap();
        assert_eq!(t.unknown_fields, ["spec.containers[1].fooBaz"]);
    }

    #[test]
    fn picks_the_named_container_else_the_first() {
        let t = parse(TEMPLATE, "k", "t.yaml").unwrap();
        let (p, w) = select_spark_container(t.clone(), Some("spark"));
        assert_eq!(p.container.name, "spark");
        assert_eq!(p.pod.spec.as_ref().unwrap().containers[0].name, "sidecar");
        assert!(w.is_none());
        let (p, w) = select_spark_container(t.clone(), Some("nope"));
        assert_eq!(p.container.name, "sidecar");
        assert!(w.is_some());
        let (p, _) = select_spark_container(t.clone(), None);
        assert_eq!(p.container.name, "sidecar");
    }

    #[test]
    fn a_container_without_a_name_is_accepted() {
        let t = parse("spec:\n  containers:\n  - image: x\n", "k", "t.yaml").unwrap();
        let (p, _) = select_spark_container(t.clone(), None);
        assert_eq!(p.container.name, "");
        assert_eq!(p.container.image.as_deref(), Some("x"));
    }

    #[test]
    fn refuses_what_is_not_a_pod() {
        let err = parse("metadata: {name: x}\n", "k", "t.yaml").unwrap_err();
        assert!(err.to_string().contains("has no spec"), "{err}");
        let err = parse("kind: Service\n", "k", "t.yaml").unwrap_err();
        assert!(err.to_string().contains("is a Service, not a Pod"), "{err}");
        let err = parse("- a\n- b\n", "k", "t.yaml").unwrap_err();
        assert!(err.to_string().contains("not a YAML mapping"), "{err}");
        let err = parse(
            "spec: {containers: [{name: 1, ports: [{containerPort: x}]}]}",
            "k",
            "t.yaml",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("field spec.containers[0]"),
            "{err}"
        );
        let err = parse("a: [\n", "k", "t.yaml").unwrap_err();
        assert!(err.to_string().contains("not a valid YAML"), "{err}");
    }
}
