//! Pod templates (`spark.kubernetes.{driver,executor}.podTemplateFile`): parsing the YAML or
//! JSON a user wrote into a Pod, reporting the fields Kubernetes does not know (they are
//! dropped), and picking the Spark container (`KubernetesUtils.selectSparkContainer`).

use k8s_openapi::api::core::v1::{Container, Pod};

use crate::error::{Error, Result, TemplateProblem};
use crate::pod::SparkPod;

mod coerce;
pub mod load;

use coerce::Coerce;
use load::{Loaded, Node};

/// Limits that keep a hostile template from costing much: its size and nesting depth. (Alias
/// expansion is bounded by the loader.)
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

/// The text of the driver's template file as Spark's YAML reader decodes it: UTF-8, or UTF-16
/// when the file starts with a UTF-16 byte order mark (`FF FE` little-endian, `FE FF`
/// big-endian), as snakeyaml's `YamlUnicodeReader` does.
pub fn decode(bytes: &[u8], key: &str, file: &str) -> Result<String> {
    let utf16 = |units: Vec<u16>| String::from_utf16(&units).ok();
    let pairs = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        (rest.len() % 2 == 0)
            .then(|| rest.chunks_exact(2).map(|p| from([p[0], p[1]])).collect())
            .and_then(utf16)
    };
    let text = match bytes {
        [0xFF, 0xFE, rest @ ..] => pairs(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => pairs(rest, u16::from_be_bytes),
        _ => std::str::from_utf8(bytes).ok().map(str::to_owned),
    };
    text.ok_or_else(|| Error::InvalidValue {
        key: key.into(),
        value: file.into(),
        reason: "the file is not UTF-8 text (nor UTF-16 with a byte order mark)".into(),
    })
}

/// Parses template `text` as Spark reads it (fabric8's loader, then Jackson's conversion into
/// a Pod); `key` and `file` name it in errors, which give the line and the field at fault.
// The engine reads templates with `parse_documents`; benches and fuzz targets use this.
#[cfg_attr(not(feature = "unstable"), allow(dead_code))]
pub fn parse(text: &str, key: &str, file: &str) -> Result<PodTemplate> {
    parse_documents(text, key, file, load::Documents::SkipEmpty)
}

/// [`parse`], reading the file's YAML documents as `documents` says (the releases differ).
pub fn parse_documents(
    text: &str,
    key: &str,
    file: &str,
    documents: load::Documents,
) -> Result<PodTemplate> {
    check_size(text, key, file)?;
    let loaded = load::load(text, documents).map_err(|e| {
        refused(key, file, TemplateProblem::Syntax(e.message)).at(Some(e.line), None)
    })?;
    from_loaded(loaded, key, file)
}

/// The error for template `file` (conf `key`): `problem`, somewhere in the file.
pub(crate) fn refused(key: &str, file: &str, problem: TemplateProblem) -> Error {
    Error::Template {
        key: key.into(),
        file: file.into(),
        line: None,
        field: None,
        problem: Box::new(problem),
    }
}

impl Error {
    /// A template error placed at `line` and `field`.
    fn at(self, at_line: Option<usize>, at_field: Option<String>) -> Error {
        match self {
            Error::Template {
                key, file, problem, ..
            } => Error::Template {
                key,
                file,
                line: at_line,
                field: at_field,
                problem,
            },
            other => other,
        }
    }
}

fn check_size(text: &str, key: &str, file: &str) -> Result<()> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(refused(
            key,
            file,
            TemplateProblem::TooLarge {
                max_mib: MAX_TEMPLATE_BYTES >> 20,
            },
        ));
    }
    Ok(())
}

/// The Pod the loaded template describes.
fn from_loaded(loaded: Loaded, key: &str, file: &str) -> Result<PodTemplate> {
    let bad = |problem: TemplateProblem| refused(key, file, problem);
    let Loaded { mut root, lines } = loaded;
    let Node::Map(entries) = &mut root else {
        return Err(bad(TemplateProblem::NotAMapping));
    };
    if let Some((_, kind)) = entries.iter().find(|(k, _)| k == "kind") {
        let kind = kind.as_java_string().unwrap_or_default();
        if kind != "Pod" {
            return Err(bad(TemplateProblem::NotAPod(kind)));
        }
    }
    if matches!(root.get("spec"), None | Some(Node::Null)) {
        return Err(bad(TemplateProblem::NoSpec));
    }
    // Spark's pods are always `v1` `Pod`s, whatever the template says of its version.
    if let Node::Map(entries) = &mut root {
        entries.retain(|(k, _)| k != "apiVersion" && k != "kind");
    }
    name_nameless_containers(&mut root);
    // Fields Kubernetes does not know are skipped by the Pod's deserialiser: note where.
    let mut ignored: Vec<Vec<Step>> = Vec::new();
    let pod: Pod = loop {
        ignored.clear();
        if let Ok(pod) =
            serde_ignored::deserialize(Coerce(&root), |path| ignored.push(steps(&path)))
        {
            break pod;
        }
        // Deserialise again to name the field at fault.
        let Err(e) = serde_path_to_error::deserialize::<_, Pod>(Coerce(&root)) else {
            continue;
        };
        let path = e.path().to_string();
        // Jackson reads the strings "" and "null" as no value where a number or a boolean is
        // expected (a string field keeps them): unset that field and read again.
        if e.inner().no_value {
            if let Some(node) = lookup_mut(&mut root, &path) {
                *node = Node::Null;
                continue;
            }
        }
        let line = lines.get(&path).copied();
        let problem = TemplateProblem::Value(e.inner().to_string());
        return Err(bad(problem).at(line, Some(path)));
    };
    // A field without a value (null, `{}`, `[]`) loses nothing: not worth a report.
    let unknown_fields = ignored
        .iter()
        .filter(|path| {
            lookup(&root, path).is_some_and(|v| !matches!(v, Node::Null) && !is_empty_collection(v))
        })
        .map(|path| render(path))
        .collect();
    Ok(PodTemplate {
        pod,
        unknown_fields,
    })
}

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

/// The value at `path` in `node`.
fn lookup<'a>(node: &'a Node, path: &[Step]) -> Option<&'a Node> {
    path.iter().try_fold(node, |n, step| match (step, n) {
        (Step::Key(key), _) => n.get(key),
        (Step::Index(i), Node::Seq(items)) => items.get(*i),
        _ => None,
    })
}

/// The value at a rendered path (`spec.containers[0].ports[1].containerPort`) in `node`.
fn lookup_mut<'a>(node: &'a mut Node, path: &str) -> Option<&'a mut Node> {
    let mut at = node;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            let Node::Map(entries) = at else { return None };
            at = entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)?;
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            let i: usize = index.strip_suffix(']')?.parse().ok()?;
            let Node::Seq(items) = at else { return None };
            at = items.get_mut(i)?;
        }
    }
    Some(at)
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
fn name_nameless_containers(root: &mut Node) {
    let Node::Map(entries) = root else { return };
    let Some((_, Node::Map(spec))) = entries.iter_mut().find(|(k, _)| k == "spec") else {
        return;
    };
    let Some((_, Node::Seq(containers))) = spec.iter_mut().find(|(k, _)| k == "containers") else {
        return;
    };
    for container in containers {
        if let Node::Map(fields) = container {
            if !fields.iter().any(|(k, _)| k == "name") {
                fields.push(("name".into(), Node::Str(String::new())));
            }
        }
    }
}

fn is_empty_collection(node: &Node) -> bool {
    matches!(node, Node::Seq(items) if items.is_empty())
        || matches!(node, Node::Map(entries) if entries.is_empty())
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
    use serde_json::Value;

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

    /// The problem, line and field of a template error.
    fn refusal(text: &str) -> (TemplateProblem, Option<usize>, Option<String>) {
        match parse(text, "k", "t.yaml").unwrap_err() {
            Error::Template {
                key,
                file,
                line,
                field,
                problem,
            } => {
                assert_eq!((key.as_str(), file.as_str()), ("k", "t.yaml"));
                (*problem, line, field)
            }
            other => panic!("not a template error: {other}"),
        }
    }

    #[test]
    fn refuses_what_is_not_a_pod() {
        assert_eq!(
            refusal("metadata: {name: x}\n"),
            (TemplateProblem::NoSpec, None, None)
        );
        assert_eq!(
            refusal("kind: Service\n"),
            (TemplateProblem::NotAPod("Service".into()), None, None)
        );
        assert_eq!(
            refusal("- a\n- b\n"),
            (TemplateProblem::NotAMapping, None, None)
        );
        let (problem, line, field) =
            refusal("spec: {containers: [{name: 1, ports: [{containerPort: x}]}]}");
        assert!(matches!(problem, TemplateProblem::Value(_)), "{problem}");
        assert_eq!(line, Some(1));
        assert!(
            field.as_deref().is_some_and(|f| f.starts_with("spec.containers[0]")),
            "{field:?}"
        );
        let (problem, line, _) = refusal("a: [\n");
        assert!(
            problem.to_string().contains("not a valid YAML pod template"),
            "{problem}"
        );
        assert_eq!(line, Some(1));
        // The message names the key, the file, the line and the field; the problem follows
        // as the error's source.
        let err = parse("spec: {containers: [{ports: [{containerPort: x}]}]}", "k", "t.yaml")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "k=\"t.yaml\" is invalid: line 1, field spec.containers[0].ports[0].containerPort"
        );
        assert!(std::error::Error::source(&err).is_some());
    }

    /// Unknown fields the way they were first found: the paths of the YAML missing from the
    /// Pod serialised back. `parse` must find the same ones.
    fn by_round_trip(text: &str) -> Option<Vec<String>> {
        use serde::Deserialize;
        let mut value: Value = serde_saphyr::from_str(text).ok()?;
        if let Some(containers) = value
            .pointer_mut("/spec/containers")
            .and_then(Value::as_array_mut)
        {
            for c in containers.iter_mut().filter_map(Value::as_object_mut) {
                c.entry("name")
                    .or_insert_with(|| Value::String(String::new()));
            }
        }
        // Only where the typed reading agrees with the plain one (no scalar coerced).
        let pod = Pod::deserialize(&value).ok()?;
        let kept = serde_json::to_value(&pod).unwrap();
        let mut out = Vec::new();
        dropped_paths(&mut Vec::new(), &value, &kept, &mut out);
        Some(out)
    }

    /// Paths present (and not null) in `original` but missing from `kept`; `path` leads to
    /// `original`.
    fn dropped_paths(path: &mut Vec<Step>, original: &Value, kept: &Value, out: &mut Vec<String>) {
        match (original, kept) {
            (Value::Object(o), Value::Object(k)) => {
                for (key, v) in o {
                    path.push(Step::Key(key.clone()));
                    let empty = matches!(v, Value::Array(a) if a.is_empty())
                        || matches!(v, Value::Object(o) if o.is_empty());
                    match k.get(key) {
                        Some(kv) => dropped_paths(path, v, kv, out),
                        None if !v.is_null() && !empty => out.push(render(path)),
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
                if path.is_dir() {
                    // Deliberately broken inputs (not UTF-8, not YAML) are tested apart.
                    if name != "hostile" {
                        dirs.push(path);
                    }
                } else if name.ends_with(".yaml") && name.contains("template") {
                    let bytes = std::fs::read(&path).unwrap();
                    texts.push(decode(&bytes, "k", &name).unwrap());
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
            // serde-saphyr merges `<<` keys; Spark's loader keeps `<<` as an ordinary key.
            if text.contains("<<") {
                continue;
            }
            let Some(mut round_trip) = by_round_trip(text) else {
                continue;
            };
            // Reported in document order; the round trip finds them in key order.
            let mut found = t.unknown_fields.clone();
            found.sort();
            round_trip.sort();
            assert_eq!(found, round_trip, "{text}");
            with_unknown += usize::from(!t.unknown_fields.is_empty());
        }
        assert!(
            with_unknown >= 6,
            "only {with_unknown} templates with unknown fields"
        );
    }
}
