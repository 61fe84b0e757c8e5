//! Pod templates (`spark.kubernetes.{driver,executor}.podTemplateFile`): parsing the YAML or
//! JSON a user wrote into a Pod, reporting the fields Kubernetes does not know (they are
//! dropped), and picking the Spark container (`KubernetesUtils.selectSparkContainer`).

use k8s_openapi::api::core::v1::{Container, Pod};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::pod::SparkPod;
use crate::yaml_subset::{de, Node, Tree};

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
    check_size(text, key, file)?;
    // The common case: plain YAML read without building a `Value`.
    let tree = crate::yaml_subset::tree(text);
    if let Some(template) = tree.as_ref().and_then(from_tree) {
        return Ok(template);
    }
    let value = match tree {
        Some(tree) => tree.into_value(),
        None => read_yaml(text, key, file)?,
    };
    from_value(value, key, file)
}

/// [`parse`] without its fast path: serde-saphyr's reading of the YAML, then the Pod read
/// from that [`Value`]. It gives what [`parse`] gives; public for the differential fuzz target
/// only.
#[doc(hidden)]
pub fn parse_by_value(text: &str, key: &str, file: &str) -> Result<PodTemplate> {
    check_size(text, key, file)?;
    from_value(read_yaml(text, key, file)?, key, file)
}

/// The error for template `file` (conf `key`).
fn invalid(key: &str, file: &str, reason: String) -> Error {
    Error::InvalidValue {
        key: key.into(),
        value: file.into(),
        reason,
    }
}

fn check_size(text: &str, key: &str, file: &str) -> Result<()> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(invalid(
            key,
            file,
            format!(
                "the pod template is larger than {} MiB",
                MAX_TEMPLATE_BYTES >> 20
            ),
        ));
    }
    Ok(())
}

/// serde-saphyr's reading of `text`.
fn read_yaml(text: &str, key: &str, file: &str) -> Result<Value> {
    serde_saphyr::from_str(text).map_err(|e| {
        invalid(
            key,
            file,
            format!(
                "not a valid YAML pod template: {}",
                first_line(&e.to_string())
            ),
        )
    })
}

/// The template `value` (the YAML document as serde-saphyr reads it) describes; `key` and
/// `file` name it in errors.
fn from_value(mut value: Value, key: &str, file: &str) -> Result<PodTemplate> {
    let bad = |reason: String| invalid(key, file, reason);
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
    name_nameless_containers(&mut value);
    // Fields Kubernetes does not know are skipped by the Pod's deserialiser: note where.
    let mut ignored: Vec<Vec<Step>> = Vec::new();
    let pod: Pod = match serde_ignored::deserialize(&value, |path| ignored.push(steps(&path))) {
        Ok(pod) => pod,
        // Deserialise again to name the field at fault.
        Err(_) => serde_path_to_error::deserialize(&value).map_err(|e| {
            let path = e.path().to_string();
            bad(format!("field {path}: {}", e.inner()))
        })?,
    };
    // A field without a value (null, `{}`, `[]`) loses nothing: not worth a report.
    let unknown_fields = ignored
        .iter()
        .filter(|path| {
            lookup(&value, path).is_some_and(|v| !v.is_null() && !is_empty_collection(v))
        })
        .map(|path| render(path))
        .collect();
    Ok(PodTemplate {
        pod,
        unknown_fields,
    })
}

/// The template read straight from the subset reader's tree, when that gives what the
/// [`Value`] path below gives: a mapping that is a Pod with a spec, every container named, and
/// nothing the fast deserialiser leaves to serde_json. `None` otherwise (the [`Value`] path then
/// words any error).
fn from_tree(tree: &Tree<'_>) -> Option<PodTemplate> {
    let root = tree.root();
    let Node::Map(_) = root else { return None };
    if matches!(tree.get(root, "kind"), Some(Node::Str(kind)) if kind != "Pod") {
        return None;
    }
    // (Nesting needs no check: the subset reader refuses what is deeper than MAX_DEPTH.)
    let spec = tree.get(root, "spec")?;
    if matches!(spec, Node::Null) {
        return None;
    }
    if let Some(Node::Seq(containers)) = tree.get(spec, "containers") {
        let nameless = |c: &Node<'_>| matches!(c, Node::Map(_)) && tree.get(c, "name").is_none();
        if tree.items(*containers).iter().any(nameless) {
            return None;
        }
    }
    let mut unknown_fields = Vec::new();
    let pod = de::from_tree(tree, &mut unknown_fields).ok()?;
    Some(PodTemplate {
        pod,
        unknown_fields,
    })
}

const _: () = assert!(crate::yaml_subset::MAX_DEPTH <= MAX_DEPTH);

/// One step of a field path: a key (`spec`) or a list index (`[1]`).
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The steps from the root to `path`.
fn steps(path: &serde_ignored::Path<'_>) -> Vec<Step> {
    let mut out = Vec::new();
    let mut at = path;
    loop {
        at = match at {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                out.push(Step::Index(*index));
                parent
            }
            serde_ignored::Path::Map { parent, key } => {
                out.push(Step::Key(key.clone()));
                parent
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => parent,
        };
    }
    out.reverse();
    out
}

/// The value at `path` in `value`.
fn lookup<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(key) => v.get(key.as_str()),
        Step::Index(i) => v.get(*i),
    })
}

/// `spec.containers[1].fooBar`
fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// fabric8 accepts a container without a name; Spark then names the Spark container itself
/// (an empty name here; the basic steps replace it).
fn name_nameless_containers(value: &mut Value) {
    if let Some(containers) = value
        .pointer_mut("/spec/containers")
        .and_then(Value::as_array_mut)
    {
        for c in containers.iter_mut().filter_map(Value::as_object_mut) {
            c.entry("name")
                .or_insert_with(|| Value::String(String::new()));
        }
    }
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

    /// Unknown fields the way they were first found: the paths of the YAML missing from the
    /// Pod serialised back. `parse` must find the same ones.
    fn by_round_trip(text: &str) -> Vec<String> {
        use serde::Deserialize;
        let mut value: Value = serde_saphyr::from_str(text).unwrap();
        name_nameless_containers(&mut value);
        let pod = Pod::deserialize(&value).unwrap();
        let kept = serde_json::to_value(&pod).unwrap();
        let mut out = Vec::new();
        dropped_paths(&mut Vec::new(), &value, &kept, &mut out);
        out
    }

    /// Paths present (and not null) in `original` but missing from `kept`; `path` leads to
    /// `original`.
    fn dropped_paths(path: &mut Vec<Step>, original: &Value, kept: &Value, out: &mut Vec<String>) {
        match (original, kept) {
            (Value::Object(o), Value::Object(k)) => {
                for (key, v) in o {
                    path.push(Step::Key(key.clone()));
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
                    path.push(Step::Index(i));
                    dropped_paths(path, ov, kv, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// The hand-written templates of the tests below.
    const SAMPLES: [&str; 6] = [
            TEMPLATE,
            "metadata: {fooMeta: 1, labels: {a: b}}\nspec: {containers: [{name: a, bogus: [1]}]}",
            "spec:\n  containers: [{name: a, resources: {limits: {cpu: 1}, junk: 2}}]\n  volumes: [{name: v, emptyDir: {sizeLimit: 1Gi, bogus: x}}]",
            "spec:\n  containers: []\n  tolerations: [{key: k, weird: {deep: [1, 2]}}, {key: j}]\n  nothing: null\n  empty: {}\n  emptyList: []",
            "spec:\n  containers: [{name: a, ports: [{containerPort: 1, x: y}]}]\n  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b], odd: 1}]}]}}}\nstatus: {phase: Running, bad: 1}\nextra: {a: 1}",
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: x\n    env: [{name: A, valueFrom: {fieldRef: {fieldPath: a, more: 1}}}]\n",
    ];

    /// Every pod template under `testdata/`.
    fn testdata_templates() -> Vec<String> {
        let mut texts = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                // The YAML scalar table and the real-world inputs are exotic on purpose; the
                // subset reader's contract on them is checked in `yaml_subset`.
                if path.is_dir() {
                    if name != "yaml-scalars" && name != "real-world" {
                        dirs.push(path);
                    }
                } else if name.ends_with(".yaml") && name.contains("template") {
                    texts.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        texts.sort();
        texts
    }

    #[test]
    fn unknown_fields_match_the_round_trip_comparison() {
        let mut texts: Vec<String> = SAMPLES.map(str::to_owned).to_vec();
        texts.extend(testdata_templates());
        let mut with_unknown = 0;
        for text in &texts {
            let Ok(t) = parse(text, "k", "t.yaml") else {
                continue;
            };
            assert_eq!(t.unknown_fields, by_round_trip(text), "{text}");
            with_unknown += usize::from(!t.unknown_fields.is_empty());
        }
        assert!(
            with_unknown >= 6,
            "only {with_unknown} templates with unknown fields"
        );
    }

    fn by_value(text: &str) -> std::result::Result<PodTemplate, String> {
        parse_by_value(text, "k", "t.yaml").map_err(|e| e.to_string())
    }

    /// Asserts that `parse` gives what the `Value` path gives for `text`; returns whether the
    /// fast path answered.
    #[track_caller]
    fn same_as_value_path(text: &str) -> bool {
        let fast = crate::yaml_subset::tree(text).as_ref().and_then(from_tree);
        let parsed = parse(text, "k", "t.yaml").map_err(|e| e.to_string());
        assert_eq!(parsed, by_value(text), "{text}");
        if let Some(fast) = &fast {
            assert_eq!(Ok(fast), parsed.as_ref(), "{text}");
        }
        fast.is_some()
    }

    #[test]
    fn the_fast_path_gives_what_the_value_path_gives() {
        let mut texts: Vec<String> = SAMPLES.map(str::to_owned).to_vec();
        texts.extend(testdata_templates());
        texts.extend(
            [
                // Nameless containers, types serde_json refuses, a kind that is not Pod.
                "spec:\n  containers:\n  - image: x\n  - name: b\n",
                "spec: {containers: [{name: a, ports: [{containerPort: '80'}]}]}",
                "spec: {containers: [{name: a, ports: [{containerPort: -1}]}]}",
                "spec: {containers: [{name: a, ports: [{containerPort: 1.5}]}]}",
                "spec: {containers: [{name: a, ports: [{containerPort: 4294967296}]}]}",
                "spec: {containers: [{name: 7}]}",
                "spec: {containers: [{name: a, tty: yes, stdin: 'true'}]}",
                "spec: {containers: {name: a}}",
                "spec: {containers: [{name: a}], hostNetwork: on, priority: -5}",
                "kind: Deployment\nspec: {containers: []}",
                "kind: 1\nspec: {containers: []}",
                "apiVersion: v2\nkind: Pod\nspec: {containers: []}",
                "spec: null\n",
                "spec: x\n",
                "spec: []\n",
                "metadata: {labels: {a: 1}}\nspec: {containers: []}",
                "metadata: {labels: {a: null}}\nspec: {containers: []}",
                "metadata: {labels: [a]}\nspec: {containers: []}",
                // Quantities and int-or-strings in their spellings.
                "spec:\n  containers:\n  - name: a\n    resources: {limits: {cpu: 2, memory: 1.5}, requests: {cpu: 500m}}\n    livenessProbe: {httpGet: {port: 8080, path: /}}\n    readinessProbe: {tcpSocket: {port: http}}\n",
                "spec:\n  containers:\n  - name: a\n    livenessProbe: {httpGet: {port: -1}}\n",
                "spec:\n  containers:\n  - name: a\n    livenessProbe: {httpGet: {port: 1.5}}\n",
                "spec:\n  containers:\n  - name: a\n    livenessProbe: {httpGet: {port: true}}\n",
                "spec:\n  containers:\n  - name: a\n    resources: {limits: {cpu: true}}\n",
                "spec:\n  containers:\n  - name: a\n    resources: {limits: {cpu: null}}\n",
                // Escapes and doubled quotes, borrowed and copied strings.
                "metadata:\n  annotations: {\"a\\u00e9\": \"x\\ty\", 'it''s': 'a''b'}\nspec: {containers: [{name: \"\\\"q\\\"\"}]}",
                // Unknown fields at every depth, with and without a value.
                "zeta: 1\nalpha: {}\nspec:\n  containers: [{name: a, z: [], y: [1], x: null}]\n  bogus: {n: 1}\nstatus: {conditions: [{type: Ready, status: 'True', extra: q}]}",
            ]
            .map(str::to_owned),
        );
        let fast = texts.iter().filter(|t| same_as_value_path(t)).count();
        // Most of them are plain YAML the fast path reads.
        assert!(fast >= texts.len() / 2, "{fast} of {}", texts.len());
    }

    /// Every path to a collection in `value` (`path` leads to `value`).
    fn collections(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        match value {
            Value::Object(map) => {
                out.push(path.clone());
                for (k, v) in map {
                    path.push(Step::Key(k.clone()));
                    collections(v, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                out.push(path.clone());
                for (i, v) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    collections(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// The value at `path` in `value`.
    fn at_path<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
        path.iter().fold(value, |v, step| match step {
            Step::Key(key) => &mut v[key.as_str()],
            Step::Index(i) => &mut v[*i],
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Real templates with fields added, replaced and removed at random, written out by
        /// serde-saphyr: the fast path answers as the `Value` path does.
        #[test]
        fn mutated_templates_read_the_same_on_both_paths(
            base in proptest::sample::select(testdata_templates()),
            edits in proptest::collection::vec(
                (proptest::num::usize::ANY, 0..4u8, proptest::sample::select(&[
                    "name", "image", "fooBar", "cpu", "labels", "containers", "port", "value",
                    "env", "emptyDir", "sizeLimit", "spec", "securityContext", "runAsUser", "x",
                ][..]), proptest::sample::select(&[
                    "null", "~", "true", "off", "0", "-3", "1.5", "80", "500m", "1Gi", "a b",
                    "'quoted'", "{}", "[]", "{a: 1}", "[x, 2]", "{name: c}", "[{name: d}]",
                    "\"\\u00e9\"", "4294967296",
                ][..])),
                0..6,
            ),
        ) {
            let Ok(mut value) = serde_saphyr::from_str::<Value>(&base) else {
                return Ok(());
            };
            for (at, op, key, scalar) in edits {
                let mut paths = Vec::new();
                collections(&value, &mut Vec::new(), &mut paths);
                let path = &paths[at % paths.len()];
                let new: Value = serde_saphyr::from_str(scalar).unwrap();
                match at_path(&mut value, path) {
                    Value::Object(map) => match op {
                        0 => { map.remove(key); }
                        _ => { map.insert(key.to_owned(), new); }
                    },
                    Value::Array(items) => match op {
                        0 => { items.pop(); }
                        1 => items.push(new),
                        _ => {
                            if let Some(first) = items.first_mut() {
                                *first = new;
                            }
                        }
                    },
                    _ => {}
                }
            }
            let text = serde_saphyr::to_string(&value).unwrap();
            same_as_value_path(&text);
        }
    }
}
