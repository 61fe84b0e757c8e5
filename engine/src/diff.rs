//! What changes between two sets of Kubernetes objects, field by field: `spark-render diff`.
//!
//! The comparison is semantic, not textual:
//!
//! * objects are matched by kind and role (the driver pod, executor N, the driver's Service,
//!   each ConfigMap), not by name, so that names made of drawn ids, or of an application name
//!   that changed, still pair up;
//! * lists that Kubernetes treats as sets, or whose order Spark draws from a hash map, are
//!   compared by identity: containers, env, volumes and ports by name, mounts by path,
//!   ConfigMap items by key;
//! * the `spark.properties` of a spark-conf ConfigMap is compared key by key, and the pod
//!   template a ConfigMap ships as the object it is;
//! * values Spark draws (application id, unique ids, UUIDs, submission time) are masked, so
//!   that two renders of one submission differ in nothing;
//! * Secret data is never shown, only whether it changed.
//!
//! When a side is a render, each change carries where the field comes from on that side
//! (`explain`'s sources). When a side is a file (`kubectl get -o yaml`), the fields the API
//! server sets ([`SERVER_MANAGED`]) are ignored, and those it fills in with defaults are
//! reported apart ([`Report::server_defaults`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::conf::properties;
use crate::config::keys;
use crate::provenance::FieldSource;
use crate::version::{ReleaseChange, SparkVersion};

/// One side of a comparison: objects, and (for a render) where their fields come from.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// The objects, as JSON values.
    pub objects: Vec<Value>,
    /// The render's explanations (empty for objects read from a file).
    pub explanations: Vec<FieldSource>,
    /// Whether the objects come from a file (perhaps from a cluster) rather than a render.
    pub from_file: bool,
    /// The conf the submission gave (renders): a `spark.properties` line it sets is explained
    /// by it.
    pub conf: BTreeMap<String, String>,
    /// The Spark release rendered (renders): when the sides' releases differ, a change a
    /// release made is named with its JIRA issue (the release module's `RELEASE_CHANGES`).
    pub version: Option<SparkVersion>,
}

/// What happened to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only the right side has it.
    Added,
    /// Only the left side has it.
    Removed,
    /// Both have it, with different values.
    Changed,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The object, as `Kind/name` (the left side's name, unless only the right has it).
    pub object: String,
    /// The field, with list items named by identity (`spec.containers[spark-kubernetes-driver]
    /// .env[SPARK_USER].value`); empty when the whole object is added or removed.
    pub field: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The left side's value, if it has the field.
    pub left: Option<Value>,
    /// The right side's value, if it has the field.
    pub right: Option<Value>,
    /// Where the left side's value comes from (renders only).
    pub left_source: Option<String>,
    /// Where the right side's value comes from (renders only).
    pub right_source: Option<String>,
    /// The release change behind it, when the sides are two releases and it is known
    /// (`Spark 4.1 (SPARK-52193): ...`).
    pub release: Option<String>,
}

/// The differences between two sides.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The differences, object by object in the left side's order (objects only the right
    /// has last), fields in order.
    pub changes: Vec<Change>,
    /// Fields only a side read from a file has, that the API server fills in with defaults
    /// (`dnsPolicy`, `terminationMessagePath`, the service-account token volume...): left out
    /// of [`Report::changes`].
    pub server_defaults: Vec<Change>,
}

impl Report {
    /// Whether the sides are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Metadata the API server sets on every object it stores, and `status`: ignored on both
/// sides.
pub const SERVER_MANAGED: &[&str] = &[
    "metadata.uid",
    "metadata.resourceVersion",
    "metadata.creationTimestamp",
    "metadata.generation",
    "metadata.managedFields",
    "metadata.selfLink",
    "metadata.deletionTimestamp",
    "metadata.deletionGracePeriodSeconds",
    "metadata.annotations[kubectl.kubernetes.io/last-applied-configuration]",
    "status",
];

/// Fields the API server fills in when an object leaves them out (Kubernetes' defaulting),
/// with `[*]` for any list item. Reported apart when only a side read from a file has them.
const SERVER_DEFAULTS: &[(&str, Option<&str>)] = &[
    ("spec.dnsPolicy", Some("\"ClusterFirst\"")),
    ("spec.schedulerName", Some("\"default-scheduler\"")),
    ("spec.securityContext", Some("{}")),
    ("spec.terminationGracePeriodSeconds", Some("30")),
    ("spec.enableServiceLinks", Some("true")),
    ("spec.preemptionPolicy", Some("\"PreemptLowerPriority\"")),
    ("spec.priority", Some("0")),
    ("spec.serviceAccount", Some("\"default\"")),
    ("spec.serviceAccountName", Some("\"default\"")),
    // Set by the scheduler, whatever the node.
    ("spec.nodeName", None),
    ("spec.restartPolicy", Some("\"Always\"")),
    (
        "spec.containers[*].terminationMessagePath",
        Some("\"/dev/termination-log\""),
    ),
    (
        "spec.containers[*].terminationMessagePolicy",
        Some("\"File\""),
    ),
    // IfNotPresent or Always, by the image's tag.
    ("spec.containers[*].imagePullPolicy", None),
    ("spec.containers[*].resources", Some("{}")),
    ("spec.containers[*].ports[*].protocol", Some("\"TCP\"")),
    (
        "spec.initContainers[*].terminationMessagePath",
        Some("\"/dev/termination-log\""),
    ),
    (
        "spec.initContainers[*].terminationMessagePolicy",
        Some("\"File\""),
    ),
    ("spec.initContainers[*].imagePullPolicy", None),
    ("spec.initContainers[*].resources", Some("{}")),
    ("spec.volumes[*].configMap.defaultMode", Some("420")),
    ("spec.volumes[*].secret.defaultMode", Some("420")),
    ("spec.volumes[*].hostPath.type", Some("\"\"")),
    // Assigned by the API server.
    ("spec.clusterIP", None),
    ("spec.clusterIPs", None),
    ("spec.ipFamilies", None),
    ("spec.ipFamilyPolicy", None),
    ("spec.internalTrafficPolicy", Some("\"Cluster\"")),
    ("spec.sessionAffinity", Some("\"None\"")),
    ("spec.type", Some("\"ClusterIP\"")),
    ("spec.ports[*].protocol", Some("\"TCP\"")),
    // The port itself.
    ("spec.ports[*].targetPort", None),
];

/// The tolerations the API server adds to every pod (DefaultTolerationSeconds).
const DEFAULT_TOLERATION_KEYS: [&str; 2] = [
    "node.kubernetes.io/not-ready",
    "node.kubernetes.io/unreachable",
];

/// Where the service-account token is mounted in every pod that automounts it.
const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// The prefix of the projected token volume's name (`kube-api-access-xxxxx`).
const TOKEN_VOLUME_PREFIX: &str = "kube-api-access-";

/// The `spark.properties` keys whose values Spark draws from the clock.
const DRAWN_PROPERTIES: &[&str] = &[keys::APP_SUBMIT_TIME, keys::APP_START_TIME];

/// Compares two sides.
pub fn diff(left: &Side, right: &Side) -> Report {
    let left_objects: Vec<Object> = left.objects.iter().flat_map(Object::all_of).collect();
    let right_objects: Vec<Object> = right.objects.iter().flat_map(Object::all_of).collect();
    let pairs = pair_objects(&left_objects, &right_objects);
    let left_sources = Sources::new(&left.explanations);
    let right_sources = Sources::new(&right.explanations);
    let mut report = Report::default();
    for (l, r) in pairs {
        let display = l
            .or(r)
            .map(|o| format!("{}/{}", o.kind, o.name))
            .unwrap_or_default();
        let releases = match (left.version, right.version) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => None,
        };
        let mut walk = Walk {
            releases,
            left_conf: (!left.from_file).then_some(&left.conf),
            right_conf: (!right.from_file).then_some(&right.conf),
            object: display.clone(),
            kind: l.or(r).map(|o| o.kind.clone()).unwrap_or_default(),
            left_file: left.from_file,
            right_file: right.from_file,
            left_sources: l.map(|o| left_sources.of(&o.kind, &o.name)),
            right_sources: r.map(|o| right_sources.of(&o.kind, &o.name)),
            report: &mut report,
        };
        match (l, r) {
            (Some(l), Some(r)) => walk.compare(&mut Vec::new(), Some(&l.value), Some(&r.value)),
            (Some(l), None) => walk.push_whole(ChangeKind::Removed, Some(&l.value), None),
            (None, Some(r)) => walk.push_whole(ChangeKind::Added, None, Some(&r.value)),
            (None, None) => {}
        }
    }
    report
}

/// An object prepared for comparison: drawn values masked, server-managed fields removed.
#[derive(Debug, Clone)]
struct Object {
    kind: String,
    name: String,
    /// The role that pairs it with its counterpart.
    role: String,
    /// The role when the name changed: the name's part after the drawn id.
    suffix: Option<String>,
    value: Value,
}

impl Object {
    /// The object, or the items of a `List` (what `kubectl get -o yaml` prints for several).
    fn all_of(value: &Value) -> Vec<Object> {
        if value.get("kind").and_then(Value::as_str) == Some("List") {
            return value
                .get("items")
                .and_then(Value::as_array)
                .map(|items| items.iter().flat_map(Object::all_of).collect())
                .unwrap_or_default();
        }
        if value.is_null() {
            return Vec::new();
        }
        let mut value = value.clone();
        for path in SERVER_MANAGED {
            remove_path(&mut value, path);
        }
        // Annotations left empty by that are no difference either.
        if value
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        {
            remove_path(&mut value, "metadata.annotations");
        }
        mask_drawn(&mut value);
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("Object")
            .to_owned();
        let name = value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let label = |key: &str| {
            value
                .pointer(&format!("/metadata/labels/{key}"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let role = match (kind.as_str(), label("spark-role").as_deref()) {
            ("Pod", Some("executor")) => {
                format!("executor {}", label("spark-exec-id").unwrap_or_default())
            }
            ("Pod", Some(role)) => role.to_owned(),
            _ => name.clone(),
        };
        let suffix = name
            .rfind(MASKED_ID)
            .map(|at| name[at + MASKED_ID.len()..].to_owned());
        vec![Object {
            kind,
            name,
            role,
            suffix,
            value,
        }]
    }
}

/// Pairs the objects of the two sides: by kind and role, then (names that changed) by kind
/// and the part of the name after the drawn id. The left side's order first, then what only
/// the right side has.
fn pair_objects<'a>(
    left: &'a [Object],
    right: &'a [Object],
) -> Vec<(Option<&'a Object>, Option<&'a Object>)> {
    let mut right_taken = vec![false; right.len()];
    let mut pairs: Vec<(Option<&Object>, Option<usize>)> = Vec::new();
    for l in left {
        let found = right
            .iter()
            .enumerate()
            .find(|(i, r)| !right_taken[*i] && r.kind == l.kind && r.role == l.role)
            .map(|(i, _)| i);
        if let Some(i) = found {
            right_taken[i] = true;
        }
        pairs.push((Some(l), found));
    }
    // Second chance, for names that changed around the drawn id (a new application name).
    for pair in pairs.iter_mut().filter(|(_, r)| r.is_none()) {
        let Some(l) = pair.0 else { continue };
        let Some(suffix) = &l.suffix else { continue };
        let candidates: Vec<usize> = right
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                !right_taken[*i] && r.kind == l.kind && r.suffix.as_ref() == Some(suffix)
            })
            .map(|(i, _)| i)
            .collect();
        if let [i] = candidates[..] {
            right_taken[i] = true;
            pair.1 = Some(i);
        }
    }
    let mut out: Vec<(Option<&Object>, Option<&Object>)> = pairs
        .into_iter()
        .map(|(l, r)| (l, r.map(|i| &right[i])))
        .collect();
    for (i, r) in right.iter().enumerate() {
        if !right_taken[i] {
            out.push((None, Some(r)));
        }
    }
    out
}

/// One step of a field's path.
#[derive(Debug, Clone)]
enum Step {
    /// A map key.
    Key(String),
    /// A list item: its identity (shown), and its index on each side (for the sources).
    Item {
        id: String,
        left: Option<usize>,
        right: Option<usize>,
    },
}

/// The path as shown: `a.b[id].c`, keys with dots or slashes in brackets.
fn shown(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if key.contains(['.', '/', ' ', '[']) => {
                out.push_str(&format!("[{key}]"));
            }
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Item { id, .. } => out.push_str(&format!("[{id}]")),
        }
    }
    out
}

/// The path with `[*]` for every list item, to match against [`SERVER_DEFAULTS`].
fn generic(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Item { .. } => out.push_str("[*]"),
        }
    }
    out
}

/// The path as `explain` spells it on one side (`a.b[2].c`, keys as they are), or `None`
/// when the side has no such item.
fn indexed(path: &[Step], left: bool) -> Option<String> {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Item {
                left: l, right: r, ..
            } => {
                let index = if left { (*l)? } else { (*r)? };
                out.push_str(&format!("[{index}]"));
            }
        }
    }
    Some(out)
}

/// A render's explanations, by object and field.
struct Sources<'a> {
    by_object: BTreeMap<String, BTreeMap<&'a str, String>>,
}

impl<'a> Sources<'a> {
    fn new(explanations: &'a [FieldSource]) -> Self {
        let mut by_object: BTreeMap<String, BTreeMap<&str, String>> = BTreeMap::new();
        for e in explanations {
            by_object
                .entry(e.object.clone())
                .or_default()
                .insert(e.field.as_str(), e.source.to_string());
        }
        Sources { by_object }
    }

    /// The fields of one object (`kind/name`, the name unmasked as the render has it).
    fn of(&self, kind: &str, name: &str) -> ObjectSources<'_> {
        // Explanations name objects as rendered; the objects compared have drawn ids masked.
        let fields = self.by_object.iter().find_map(|(object, fields)| {
            let (k, n) = object.split_once('/')?;
            (k == kind && mask_text(n) == name).then_some(fields)
        });
        ObjectSources { fields }
    }
}

/// One object's explanations.
#[derive(Clone, Copy)]
struct ObjectSources<'a> {
    fields: Option<&'a BTreeMap<&'a str, String>>,
}

impl ObjectSources<'_> {
    /// Where the field at `path` (or, for a map or list, its first leaf) comes from.
    fn at(&self, path: &str) -> Option<String> {
        let fields = self.fields?;
        if let Some(source) = fields.get(path) {
            return Some(source.clone());
        }
        fields
            .range(path..)
            .take_while(|(field, _)| field.starts_with(path))
            .find(|(field, _)| matches!(field.as_bytes().get(path.len()), Some(b'.' | b'[')))
            .map(|(_, source)| source.clone())
    }
}

/// List items with their index.
type Indexed<'a> = Vec<(usize, &'a Value)>;

/// The comparison of one pair of objects.
struct Walk<'r, 's> {
    releases: Option<(SparkVersion, SparkVersion)>,
    left_conf: Option<&'s BTreeMap<String, String>>,
    right_conf: Option<&'s BTreeMap<String, String>>,
    object: String,
    kind: String,
    left_file: bool,
    right_file: bool,
    left_sources: Option<ObjectSources<'s>>,
    right_sources: Option<ObjectSources<'s>>,
    report: &'r mut Report,
}

impl Walk<'_, '_> {
    fn compare(&mut self, path: &mut Vec<Step>, left: Option<&Value>, right: Option<&Value>) {
        match (left, right) {
            (None, None) => {}
            (Some(l), None) => self.push(path, ChangeKind::Removed, Some(l), None),
            (None, Some(r)) => self.push(path, ChangeKind::Added, None, Some(r)),
            (Some(Value::Object(l)), Some(Value::Object(r))) => self.compare_maps(path, l, r),
            (Some(Value::Array(l)), Some(Value::Array(r))) => self.compare_lists(path, l, r),
            (Some(l), Some(r)) if l == r => {}
            (Some(l), Some(r)) => self.push(path, ChangeKind::Changed, Some(l), Some(r)),
        }
    }

    fn compare_maps(
        &mut self,
        path: &mut Vec<Step>,
        l: &Map<String, Value>,
        r: &Map<String, Value>,
    ) {
        let keys: BTreeSet<&String> = l.keys().chain(r.keys()).collect();
        if self.kind == "Secret" && path.is_empty() {
            // A Secret's items are compared one by one, never shown, even when one side has
            // no `data` at all.
            let empty = Map::new();
            for field in ["data", "stringData"] {
                let items = |side: &Map<String, Value>| -> Map<String, Value> {
                    side.get(field)
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_else(|| empty.clone())
                };
                let (li, ri) = (items(l), items(r));
                path.push(Step::Key(field.to_owned()));
                for key in li.keys().chain(ri.keys()).collect::<BTreeSet<_>>() {
                    path.push(Step::Key(key.clone()));
                    self.compare_secret(path, li.get(key), ri.get(key));
                    path.pop();
                }
                path.pop();
            }
            for key in keys
                .into_iter()
                .filter(|k| *k != "data" && *k != "stringData")
            {
                path.push(Step::Key(key.clone()));
                self.compare(path, l.get(key), r.get(key));
                path.pop();
            }
            return;
        }
        let in_data = self.kind == "ConfigMap"
            && path.len() == 1
            && matches!(&path[0], Step::Key(k) if k == "data");
        for key in keys {
            path.push(Step::Key(key.clone()));
            let (lv, rv) = (l.get(key), r.get(key));
            if in_data {
                self.compare_file(path, key, lv, rv);
            } else {
                self.compare(path, lv, rv);
            }
            path.pop();
        }
    }

    /// A ConfigMap item: `*.properties` key by key, `*.yml`/`*.yaml` as the objects they
    /// hold, anything else as text.
    fn compare_file(
        &mut self,
        path: &mut Vec<Step>,
        name: &str,
        l: Option<&Value>,
        r: Option<&Value>,
    ) {
        let (Some(Value::String(lt)), Some(Value::String(rt))) = (l, r) else {
            return self.compare(path, l, r);
        };
        if lt == rt {
            return;
        }
        if name.ends_with(".properties") {
            if let (Ok(lp), Ok(rp)) = (properties::parse(lt, name), properties::parse(rt, name)) {
                let as_map = |entries: Vec<(String, String)>| -> Map<String, Value> {
                    entries
                        .into_iter()
                        .map(|(k, v)| {
                            let v = if DRAWN_PROPERTIES.contains(&k.as_str()) {
                                "<drawn>".to_owned()
                            } else {
                                v
                            };
                            (k, Value::String(v))
                        })
                        .collect()
                };
                let (lm, rm) = (as_map(lp), as_map(rp));
                for key in lm.keys().chain(rm.keys()).collect::<BTreeSet<_>>() {
                    path.push(Step::Key(key.clone()));
                    let before = self.report.changes.len();
                    self.compare(path, lm.get(key), rm.get(key));
                    path.pop();
                    // A line the submission's conf sets is explained by it; others by Spark.
                    let explain = |conf: Option<&BTreeMap<String, String>>,
                                   value: &Option<Value>| {
                        let (conf, value) = (conf?, value.as_ref()?.as_str()?);
                        Some(match conf.get(key) {
                            Some(_) if crate::redact::is_sensitive(key) => {
                                format!("conf {key} (value redacted)")
                            }
                            Some(given) if mask_text(given) == value => {
                                format!("conf {key}={given}")
                            }
                            _ => "Spark (set while submitting)".to_owned(),
                        })
                    };
                    for change in &mut self.report.changes[before..] {
                        change.left_source = explain(self.left_conf, &change.left);
                        change.right_source = explain(self.right_conf, &change.right);
                    }
                }
                return;
            }
        }
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            let parse = |text: &str| serde_saphyr::from_str::<Value>(text).ok();
            if let (Some(mut lv), Some(mut rv)) = (parse(lt), parse(rt)) {
                mask_drawn(&mut lv);
                mask_drawn(&mut rv);
                return self.compare(path, Some(&lv), Some(&rv));
            }
        }
        self.push(path, ChangeKind::Changed, l, r);
    }

    /// A Secret's item: whether it changed, never its value.
    fn compare_secret(&mut self, path: &[Step], l: Option<&Value>, r: Option<&Value>) {
        let hidden = |v: Option<&Value>| {
            v.map(|v| {
                let len = v.as_str().map_or(0, str::len);
                Value::String(format!("(secret, {len} characters)"))
            })
        };
        let kind = match (l, r) {
            (Some(a), Some(b)) if a == b => return,
            (Some(_), Some(_)) => ChangeKind::Changed,
            (Some(_), None) => ChangeKind::Removed,
            (None, Some(_)) => ChangeKind::Added,
            (None, None) => return,
        };
        self.push(path, kind, hidden(l).as_ref(), hidden(r).as_ref());
    }

    fn compare_lists(&mut self, path: &mut Vec<Step>, l: &[Value], r: &[Value]) {
        if l == r {
            return;
        }
        let field = match path.last() {
            Some(Step::Key(key)) => key.as_str(),
            _ => "",
        };
        if field == "env" && (l.iter().chain(r).any(is_java_option)) {
            return self.compare_env(path, l, r);
        }
        if let (Some(lk), Some(rk)) = (identities(field, l), identities(field, r)) {
            let (l_index, r_index) = (index_of(&lk), index_of(&rk));
            let mut ids: Vec<&String> = lk.iter().collect();
            ids.extend(rk.iter().filter(|id| !l_index.contains_key(id)));
            for id in ids {
                let li = l_index.get(id).copied();
                let ri = r_index.get(id).copied();
                path.push(Step::Item {
                    id: id.clone(),
                    left: li,
                    right: ri,
                });
                self.compare(path, li.map(|i| &l[i]), ri.map(|i| &r[i]));
                path.pop();
            }
            return;
        }
        // Lists of plain values (args, command, access modes) are one value.
        if l.iter().chain(r).all(|v| !v.is_object() && !v.is_array()) {
            let (lv, rv) = (Value::Array(l.to_vec()), Value::Array(r.to_vec()));
            return self.push(path, ChangeKind::Changed, Some(&lv), Some(&rv));
        }
        for i in 0..l.len().max(r.len()) {
            path.push(Step::Item {
                id: i.to_string(),
                left: (i < l.len()).then_some(i),
                right: (i < r.len()).then_some(i),
            });
            self.compare(path, l.get(i), r.get(i));
            path.pop();
        }
    }

    /// A container's env: variables by name, except the Java options Spark numbers
    /// (`SPARK_JAVA_OPT_0`...), compared as one list of options: which were added, which
    /// removed, wherever they stand.
    fn compare_env(&mut self, path: &mut Vec<Step>, l: &[Value], r: &[Value]) {
        let (l_opts, l_rest): (Indexed<'_>, Indexed<'_>) =
            l.iter().enumerate().partition(|(_, v)| is_java_option(v));
        let (r_opts, r_rest): (Indexed<'_>, Indexed<'_>) =
            r.iter().enumerate().partition(|(_, v)| is_java_option(v));
        let names = |items: &[(usize, &Value)]| -> Option<Vec<String>> {
            let keys: Vec<String> = items
                .iter()
                .map(|(_, v)| v.get("name").map(scalar_text))
                .collect::<Option<_>>()?;
            let unique: BTreeSet<&String> = keys.iter().collect();
            (unique.len() == keys.len()).then_some(keys)
        };
        match (names(&l_rest), names(&r_rest)) {
            (Some(lk), Some(rk)) => {
                let (li, ri) = (index_of(&lk), index_of(&rk));
                let mut ids: Vec<&String> = lk.iter().collect();
                ids.extend(rk.iter().filter(|id| !li.contains_key(id)));
                for id in ids {
                    let l_item = li.get(id).map(|&i| l_rest[i]);
                    let r_item = ri.get(id).map(|&i| r_rest[i]);
                    path.push(Step::Item {
                        id: id.clone(),
                        left: l_item.map(|(i, _)| i),
                        right: r_item.map(|(i, _)| i),
                    });
                    self.compare(path, l_item.map(|(_, v)| v), r_item.map(|(_, v)| v));
                    path.pop();
                }
            }
            // A name given twice (a template's and the conf's) or none: position by position.
            _ => {
                for i in 0..l_rest.len().max(r_rest.len()) {
                    path.push(Step::Item {
                        id: i.to_string(),
                        left: l_rest.get(i).map(|(at, _)| *at),
                        right: r_rest.get(i).map(|(at, _)| *at),
                    });
                    let (lv, rv) = (
                        l_rest.get(i).map(|(_, v)| *v),
                        r_rest.get(i).map(|(_, v)| *v),
                    );
                    self.compare(path, lv, rv);
                    path.pop();
                }
            }
        }
        let option = |v: &Value| v.get("value").map(scalar_text).unwrap_or_default();
        let l_values: Vec<String> = l_opts.iter().map(|(_, v)| option(v)).collect();
        let r_values: Vec<String> = r_opts.iter().map(|(_, v)| option(v)).collect();
        let l_set: BTreeSet<&String> = l_values.iter().collect();
        let r_set: BTreeSet<&String> = r_values.iter().collect();
        for (at, (index, item)) in l_opts.iter().enumerate() {
            if !r_set.contains(&l_values[at]) {
                path.push(Step::Item {
                    id: "SPARK_JAVA_OPT_*".into(),
                    left: Some(*index),
                    right: None,
                });
                self.push(path, ChangeKind::Removed, item.get("value"), None);
                path.pop();
            }
        }
        for (at, (index, item)) in r_opts.iter().enumerate() {
            if !l_set.contains(&r_values[at]) {
                path.push(Step::Item {
                    id: "SPARK_JAVA_OPT_*".into(),
                    left: None,
                    right: Some(*index),
                });
                self.push(path, ChangeKind::Added, None, item.get("value"));
                path.pop();
            }
        }
    }

    /// A change of the whole object (a Secret's items hidden).
    fn push_whole(&mut self, kind: ChangeKind, l: Option<&Value>, r: Option<&Value>) {
        let release = self.release_note("");
        let hide = |v: Option<&Value>| {
            v.map(|v| {
                let mut v = v.clone();
                if self.kind == "Secret" {
                    hide_secret_items(&mut v);
                }
                v
            })
        };
        let (l, r) = (hide(l), hide(r));
        let (l, r) = (l.as_ref(), r.as_ref());
        self.report.changes.push(Change {
            object: self.object.clone(),
            field: String::new(),
            change: kind,
            left: l.cloned(),
            right: r.cloned(),
            left_source: None,
            right_source: None,
            release,
        });
    }

    /// The release change behind a difference in `field`, when the sides are two releases.
    fn release_note(&self, field: &str) -> Option<String> {
        let (a, b) = self.releases?;
        ReleaseChange::explaining(&self.kind, field, a, b)
            .map(|c| format!("Spark {} ({}): {}", c.since.line_name(), c.jira, c.what))
    }

    fn push(&mut self, path: &[Step], kind: ChangeKind, l: Option<&Value>, r: Option<&Value>) {
        let source = |sources: Option<ObjectSources<'_>>, left: bool, present: bool| {
            if !present {
                return None;
            }
            sources.and_then(|s| s.at(&indexed(path, left)?))
        };
        let field = shown(path);
        let hidden = Value::String("(redacted)".into());
        let sensitive = is_sensitive_path(path);
        let (l, r) = if sensitive {
            (l.map(|_| &hidden), r.map(|_| &hidden))
        } else {
            (l, r)
        };
        let source = |sources: Option<ObjectSources<'_>>, left: bool, present: bool| {
            source(sources, left, present).map(|s| {
                // A conf source names the value: keep the key only.
                match (sensitive, s.split_once('=')) {
                    (true, Some((key, _))) => format!("{key} (value redacted)"),
                    _ => s,
                }
            })
        };
        let change = Change {
            object: self.object.clone(),
            release: self.release_note(&field),
            field,
            change: kind,
            left: l.cloned(),
            right: r.cloned(),
            left_source: source(self.left_sources, true, l.is_some()),
            right_source: source(self.right_sources, false, r.is_some()),
        };
        // Only what the file's side has, with the value the API server gives it.
        let on_file_side = match kind {
            ChangeKind::Added => self.right_file.then_some(r).flatten(),
            ChangeKind::Removed => self.left_file.then_some(l).flatten(),
            ChangeKind::Changed => None,
        };
        if on_file_side.is_some_and(|v| is_server_default(path, v)) {
            self.report.server_defaults.push(change);
        } else {
            self.report.changes.push(change);
        }
    }
}

/// A Secret with each item of `data` and `stringData` replaced by its length.
fn hide_secret_items(secret: &mut Value) {
    for field in ["data", "stringData"] {
        if let Some(items) = secret.get_mut(field).and_then(Value::as_object_mut) {
            for value in items.values_mut() {
                let len = value.as_str().map_or(0, str::len);
                *value = Value::String(format!("(secret, {len} characters)"));
            }
        }
    }
}

/// Whether the field at `path` holds a value to keep out of sight: an env var or a
/// `spark.properties` key whose name Spark redacts (`*secret*`, `*password*`, `*token*`...).
fn is_sensitive_path(path: &[Step]) -> bool {
    path.windows(2).any(|pair| match pair {
        [Step::Key(list), Step::Item { id, .. }] if list == "env" => crate::redact::is_redacted(id),
        [Step::Key(file), Step::Key(key)] if file.ends_with(".properties") => {
            crate::redact::is_sensitive(key)
        }
        _ => false,
    })
}

/// Whether an env item is one of the Java options Spark numbers (`SPARK_JAVA_OPT_<n>`).
fn is_java_option(item: &Value) -> bool {
    item.get("name")
        .and_then(Value::as_str)
        .and_then(|name| name.strip_prefix("SPARK_JAVA_OPT_"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a field only one side has is one the API server fills in.
fn is_server_default(path: &[Step], value: &Value) -> bool {
    let generic = generic(path);
    if let Some((_, expected)) = SERVER_DEFAULTS.iter().find(|(p, _)| *p == generic) {
        return expected
            .is_none_or(|e| serde_json::from_str::<Value>(e).is_ok_and(|e| *value == e));
    }
    let default_toleration = |t: &Value| {
        t.get("key")
            .and_then(Value::as_str)
            .is_some_and(|k| DEFAULT_TOLERATION_KEYS.contains(&k))
            && t.get("effect").and_then(Value::as_str) == Some("NoExecute")
            && t.get("operator").and_then(Value::as_str) == Some("Exists")
    };
    match generic.as_str() {
        "spec.tolerations" => {
            return value
                .as_array()
                .is_some_and(|items| items.iter().all(default_toleration));
        }
        "spec.tolerations[*]" => return default_toleration(value),
        _ => {}
    }
    // The service-account token: its projected volume, and its mount in every container.
    path.iter().any(|step| match step {
        Step::Item { id, .. } => id.starts_with(TOKEN_VOLUME_PREFIX) || id == TOKEN_MOUNT_PATH,
        Step::Key(_) => false,
    })
}

/// The identities of a list's items, when the list is one Kubernetes keys by a field (and no
/// identity repeats); `None` otherwise.
fn identities(field: &str, items: &[Value]) -> Option<Vec<String>> {
    let key_of = |item: &Value| -> Option<String> {
        let get = |name: &str| item.get(name).map(scalar_text);
        match field {
            "volumeMounts" | "volumeDevices" => get("mountPath").or_else(|| get("devicePath")),
            "items" => get("key"),
            "hostAliases" => get("ip"),
            "ports" => get("name")
                .or_else(|| get("containerPort"))
                .or_else(|| get("port")),
            "tolerations" | "envFrom" | "ownerReferences" | "imagePullSecrets" => {
                get("name").or_else(|| Some(item.to_string()))
            }
            _ => get("name"),
        }
    };
    if items.is_empty() {
        return Some(Vec::new());
    }
    let keys: Option<Vec<String>> = items.iter().map(key_of).collect();
    let keys = keys?;
    let unique: BTreeSet<&String> = keys.iter().collect();
    (unique.len() == keys.len()).then_some(keys)
}

/// Each identity's position.
fn index_of(ids: &[String]) -> BTreeMap<&String, usize> {
    ids.iter().enumerate().map(|(i, id)| (id, i)).collect()
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Removes the field at a dotted path (`a.b`, or `a.b[key]` for a key with dots).
fn remove_path(value: &mut Value, path: &str) {
    let (parents, last) = match path.split_once('[') {
        Some((head, key)) => (head, key.trim_end_matches(']')),
        None => match path.rsplit_once('.') {
            Some((head, last)) => (head, last),
            None => ("", path),
        },
    };
    let mut node = value;
    for part in parents.split('.').filter(|p| !p.is_empty()) {
        match node.get_mut(part) {
            Some(child) => node = child,
            None => return,
        }
    }
    if let Some(map) = node.as_object_mut() {
        map.remove(last);
    }
}

/// What a masked application id, unique id and UUID read as.
const MASKED_APP_ID: &str = "spark-<app-id>";
const MASKED_ID: &str = "<id>";
const MASKED_UUID: &str = "<uuid>";

/// Masks the values Spark draws in every string of `value` (and map key).
fn mask_drawn(value: &mut Value) {
    match value {
        Value::String(s) => {
            let masked = mask_text(s);
            if masked != *s {
                *s = masked;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_drawn),
        Value::Object(map) => {
            let old = std::mem::take(map);
            for (k, mut v) in old {
                mask_drawn(&mut v);
                map.insert(mask_text(&k), v);
            }
        }
        _ => {}
    }
}

/// `text` with drawn values masked: application ids (`spark-` and 32 hex digits), UUIDs, and
/// 16-hex-digit unique ids standing alone between separators.
pub fn mask_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    let hex_run = |from: usize| bytes[from..].iter().take_while(|b| is_hex(**b)).count();
    let boundary = |at: usize| at >= bytes.len() || !bytes[at].is_ascii_alphanumeric();
    while i < bytes.len() {
        let starts_token = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if starts_token {
            if text[i..].starts_with("spark-") && hex_run(i + 6) == 32 && boundary(i + 38) {
                out.push_str(MASKED_APP_ID);
                i += 38;
                continue;
            }
            if is_uuid(&bytes[i..]) && boundary(i + 36) {
                out.push_str(MASKED_UUID);
                i += 36;
                continue;
            }
            if hex_run(i) == 16
                && boundary(i + 16)
                && bytes[i..i + 16].iter().any(u8::is_ascii_lowercase)
            {
                out.push_str(MASKED_ID);
                i += 16;
                continue;
            }
        }
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

/// Whether `bytes` starts with a UUID (`8-4-4-4-12` lower-case hex digits).
fn is_uuid(bytes: &[u8]) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let mut at = 0;
    for (n, len) in GROUPS.iter().enumerate() {
        if n > 0 {
            if bytes.get(at) != Some(&b'-') {
                return false;
            }
            at += 1;
        }
        let run = bytes.get(at..at + len).filter(|g| {
            g.iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        });
        if run.is_none() {
            return false;
        }
        at += len;
    }
    true
}

/// Reads the objects of a manifest stream (YAML documents, or JSON): `kubectl get -o yaml`
/// output, or what spark-render printed. `name` names the stream in errors.
pub fn parse_manifests(text: &str, name: &str) -> crate::Result<Vec<Value>> {
    let docs: Vec<Value> =
        serde_saphyr::from_multiple(text).map_err(|e| crate::Error::InvalidArgument {
            argument: name.to_owned(),
            reason: format!(
                "not YAML or JSON Kubernetes objects: {}",
                reading_error(&e.to_string())
            ),
        })?;
    let mut objects = Vec::new();
    for doc in docs {
        match doc {
            Value::Null => {}
            Value::Object(ref map) if map.contains_key("kind") => objects.push(doc),
            _ => {
                return Err(crate::Error::InvalidArgument {
                    argument: name.to_owned(),
                    reason: "a document is not a Kubernetes object (no kind)".into(),
                })
            }
        }
    }
    Ok(objects)
}

/// The YAML reader's error in words for people: where, and what (its limits named plainly).
fn reading_error(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.split_once(": ") {
        Some((at, what))
            if what.starts_with("budget breached") || what.contains("recursion limit") =>
        {
            format!("{at}: nested too deeply or too large (manifests are read up to a fixed depth and size)")
        }
        _ => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn side(objects: Vec<Value>) -> Side {
        Side {
            objects,
            ..Side::default()
        }
    }

    #[test]
    fn drawn_values_are_masked_where_they_stand_alone() {
        assert_eq!(
            mask_text("spark-pi-0123456789abcdef-driver"),
            "spark-pi-<id>-driver"
        );
        assert_eq!(
            mask_text("spark-0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
            "spark-<app-id>"
        );
        assert_eq!(
            mask_text("/var/data/spark-5e2c5b2c-8b7e-4a3c-9a5d-0c1e2f3a4b5c"),
            "/var/data/spark-<uuid>"
        );
        // Not drawn: longer or shorter hex runs, or runs inside a word.
        assert_eq!(
            mask_text("sha256:0123456789abcdef0"),
            "sha256:0123456789abcdef0"
        );
        assert_eq!(mask_text("x0123456789abcdef"), "x0123456789abcdef");
    }

    #[test]
    fn env_is_compared_by_name_not_position() {
        let pod = |env: Value| {
            json!({"kind": "Pod", "metadata": {"name": "p", "labels": {"spark-role": "driver"}},
                   "spec": {"containers": [{"name": "c", "env": env}]}})
        };
        let l = pod(json!([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]));
        let r = pod(json!([{"name": "B", "value": "2"}, {"name": "A", "value": "3"}]));
        let report = diff(&side(vec![l]), &side(vec![r]));
        assert_eq!(report.changes.len(), 1, "{report:?}");
        let c = &report.changes[0];
        assert_eq!(c.field, "spec.containers[c].env[A].value");
        assert_eq!(
            (c.left.clone(), c.right.clone()),
            (Some(json!("1")), Some(json!("3")))
        );
    }

    #[test]
    fn objects_pair_by_role_even_when_names_change() {
        let pod = |name: &str, id: &str| {
            json!({"kind": "Pod", "metadata": {"name": name,
                   "labels": {"spark-role": "executor", "spark-exec-id": id}}})
        };
        let l = vec![pod("a-0123456789abcdef-exec-1", "1")];
        let r = vec![pod("b-fedcba9876543210-exec-1", "1")];
        let report = diff(&side(l), &side(r));
        assert_eq!(report.changes.len(), 1, "{report:?}");
        assert_eq!(report.changes[0].field, "metadata.name");
    }

    #[test]
    fn spark_properties_are_compared_key_by_key_without_the_clock() {
        let cm = |props: &str| {
            json!({"kind": "ConfigMap", "metadata": {"name": "spark-drv-0123456789abcdef-conf-map"},
                   "data": {"spark.properties": props}})
        };
        let l =
            cm("#Sat Dec 05 10:00:00 UTC 2026\nspark.app.submitTime=1\nspark.executor.memory=1g\n");
        let r =
            cm("#Sun Dec 06 10:00:00 UTC 2026\nspark.app.submitTime=2\nspark.executor.memory=2g\n");
        let report = diff(&side(vec![l]), &side(vec![r]));
        assert_eq!(report.changes.len(), 1, "{report:?}");
        assert_eq!(
            report.changes[0].field,
            "[data][spark.properties][spark.executor.memory]".replace("[data]", "data")
        );
    }

    #[test]
    fn secret_values_are_never_shown() {
        let secret =
            |v: &str| json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"token": v}});
        let report = diff(
            &side(vec![secret("czNjcjN0")]),
            &side(vec![secret("b3RoZXI=")]),
        );
        let text = serde_json::to_string(&report).unwrap_or_default();
        assert!(
            !text.contains("czNjcjN0") && !text.contains("b3RoZXI="),
            "{text}"
        );
        assert_eq!(report.changes.len(), 1);
    }

    #[test]
    fn server_set_fields_of_a_file_are_left_apart() {
        let rendered = json!({"kind": "Pod", "metadata": {"name": "p", "labels": {"spark-role": "driver"}},
            "spec": {"containers": [{"name": "c", "image": "i"}]}});
        let mut live = rendered.clone();
        live["metadata"]["uid"] = json!("u");
        live["status"] = json!({"phase": "Running"});
        live["spec"]["dnsPolicy"] = json!("ClusterFirst");
        live["spec"]["containers"][0]["terminationMessagePath"] = json!("/dev/termination-log");
        let mut right = side(vec![live]);
        right.from_file = true;
        let report = diff(&side(vec![rendered]), &right);
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(report.server_defaults.len(), 2, "{report:?}");
    }

    #[test]
    fn a_list_of_objects_is_read_as_its_items() {
        let list = json!({"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p"}}]});
        let report = diff(&side(vec![list]), &side(Vec::new()));
        assert_eq!(report.changes.len(), 1);
        assert_eq!(report.changes[0].change, ChangeKind::Removed);
        assert_eq!(report.changes[0].object, "Pod/p");
    }

    #[test]
    fn a_secret_on_one_side_only_is_not_shown() {
        let secret =
            json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"token": "czNjcjN0"}});
        let no_data = json!({"kind": "Secret", "metadata": {"name": "s"}});
        for (l, r) in [
            (vec![secret.clone()], vec![]),
            (vec![secret.clone()], vec![no_data]),
        ] {
            let report = diff(&side(l), &side(r));
            let text = serde_json::to_string(&report).unwrap_or_default();
            assert!(!text.contains("czNjcjN0"), "{text}");
            assert!(!report.is_empty());
        }
    }

    #[test]
    fn secret_env_and_conf_values_are_redacted_but_their_change_shown() {
        let pod = |secret: &str| {
            json!({"kind": "Pod", "metadata": {"name": "p", "labels": {"spark-role": "driver"}},
                   "spec": {"containers": [{"name": "c", "env": [{"name": "AWS_SECRET_ACCESS_KEY", "value": secret}]}]}})
        };
        let cm = |secret: &str| {
            json!({"kind": "ConfigMap", "metadata": {"name": "c"},
                   "data": {"spark.properties": format!("spark.hadoop.fs.s3a.secret.key={secret}\n")}})
        };
        let report = diff(
            &side(vec![pod("AAAA1111"), cm("AAAA1111")]),
            &side(vec![pod("BBBB2222"), cm("BBBB2222")]),
        );
        let text = serde_json::to_string(&report).unwrap_or_default();
        assert_eq!(report.changes.len(), 2, "{text}");
        assert!(!text.contains("AAAA") && !text.contains("BBBB"), "{text}");
    }

    #[test]
    fn env_with_a_name_given_twice_is_still_compared() {
        let pod = |value: &str| {
            json!({"kind": "Pod", "metadata": {"name": "p", "labels": {"spark-role": "executor", "spark-exec-id": "1"}},
                   "spec": {"containers": [{"name": "c", "env": [
                       {"name": "SPARK_JAVA_OPT_0", "value": "-Xss4m"},
                       {"name": "FOO", "value": "template"},
                       {"name": "FOO", "value": value}]}]}})
        };
        let report = diff(&side(vec![pod("1")]), &side(vec![pod("2")]));
        assert_eq!(report.changes.len(), 1, "{report:?}");
    }

    #[test]
    fn a_field_the_server_would_default_differently_is_a_change() {
        let rendered = json!({"kind": "Pod", "metadata": {"name": "p", "labels": {"spark-role": "driver"}},
            "spec": {"containers": [{"name": "c"}]}});
        let mut live = rendered.clone();
        live["spec"]["dnsPolicy"] = json!("None");
        live["spec"]["tolerations"] = json!([{"key": "dedicated", "operator": "Equal", "value": "spark", "effect": "NoSchedule"}]);
        let mut right = side(vec![live]);
        right.from_file = true;
        let report = diff(&side(vec![rendered]), &right);
        assert_eq!(report.changes.len(), 2, "{report:?}");
        assert!(report.server_defaults.is_empty());
    }
}
