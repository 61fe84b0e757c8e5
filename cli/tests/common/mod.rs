//! Shared test helpers: running the `spark-render` binary on a golden case and comparing its
//! objects with the reference renderer's, after the normalisation the oracle documents.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The case directories under `testdata/<group>/`, sorted (none if the group does not exist).
pub fn cases_if_any(group: &str) -> Vec<PathBuf> {
    if repo().join("testdata").join(group).is_dir() {
        cases(group)
    } else {
        Vec::new()
    }
}

/// The case directories under `testdata/<group>/`, sorted.
pub fn cases(group: &str) -> Vec<PathBuf> {
    let dir = repo().join("testdata").join(group);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("spark.properties").is_file())
        .collect();
    out.sort();
    out
}

/// Environment variables the submitter's shell could leak into a render.
const SUBMITTER_ENV: &[&str] = &[
    "SPARK_USER",
    "HADOOP_USER_NAME",
    "SPARK_LOCAL_DIRS",
    "SPARK_CONF_DIR",
    "SPARK_HOME",
    "HADOOP_CONF_DIR",
    "PYSPARK_PYTHON",
    "PYSPARK_DRIVER_PYTHON",
];

/// Runs `spark-render driver` for a case with the inputs its `case.json` gives, else the
/// oracle's defaults, in the case directory (as the oracle renders it).
pub fn run_case(dir: &Path, extra: &[&str]) -> Output {
    run_case_as(dir, "driver", extra)
}

/// Runs `spark-render <subcommand>` (`driver`, `executor` or `all`) for a case.
pub fn run_case_as(dir: &Path, subcommand: &str, extra: &[&str]) -> Output {
    let case: Value = std::fs::read_to_string(dir.join("case.json"))
        .map(|t| serde_json::from_str(&t).expect("case.json is JSON"))
        .unwrap_or_else(|_| json!({}));
    let get = |key: &str, default: &str| -> String {
        case.get(key)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spark-render"));
    cmd.current_dir(dir);
    for var in SUBMITTER_ENV {
        cmd.env_remove(var);
    }
    if let Some(env) = case.get("env").and_then(Value::as_object) {
        for (k, v) in env {
            cmd.env(k, v.as_str().expect("env values are strings"));
        }
    }
    cmd.arg(subcommand);
    if subcommand != "driver" && subcommand != "lint" {
        let id = match case.get("executor_id") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => "1".into(),
        };
        cmd.args(["--executor-id", &id])
            .args(["--driver-pod-ip", &get("driver_pod_ip", "DRIVER_POD_IP")])
            .args(["--auth-secret", "SPARK_AUTH_SECRET_PLACEHOLDER"])
            .arg(format!(
                "--executor-uid={id}=00000000-0000-0000-0000-00000000e{:03}",
                id.parse::<u32>().unwrap_or(0)
            ));
    }
    cmd.args(["--properties-file", "spark.properties"])
        .args([
            "--app-id",
            &get("app_id", "spark-00000000000000000000000000000000"),
        ])
        .args(["--unique-id", &get("unique_id", "0123456789abcdef")])
        .args(["--submit-time", &get("submit_time", "1700000000000")])
        .args(["--spark-user", &get("user", "spark")])
        .args([
            "--driver-uid",
            &get("driver_uid", "00000000-0000-0000-0000-00000000d001"),
        ])
        .args([
            "--local-dir-uuid",
            &get("local_dir_uuid", "00000000-0000-0000-0000-000000000000"),
        ])
        .args(["--upload-uuid", "00000000-0000-0000-0000-000000000000"])
        .args([
            "--class",
            &get("main_class", "org.apache.spark.examples.SparkPi"),
        ])
        .args(extra);
    if !extra.contains(&"--spark-version") {
        // The goldens named oracle.yaml are Spark 3.5.3's.
        cmd.args(["--spark-version", "3.5.3"]);
    }
    if let Some(dir) = case.get("conf_dir").and_then(Value::as_str) {
        cmd.args(["--conf-dir", dir]);
    }
    if let Some(dir) = case.get("hadoop_conf_dir").and_then(Value::as_str) {
        cmd.env("HADOOP_CONF_DIR", dir);
    }
    if let Some(master) = case.get("master").and_then(Value::as_str) {
        cmd.args(["--master", master]);
    }
    cmd.arg(get(
        "main_resource",
        "local:///opt/spark/examples/jars/spark-examples.jar",
    ));
    if let Some(args) = case.get("app_args").and_then(Value::as_array) {
        cmd.args(
            args.iter()
                .map(|a| a.as_str().expect("app args are strings")),
        );
    }
    cmd.output().expect("spark-render runs")
}

/// Parses multi-document YAML into JSON values (comment lines and empty documents skipped).
pub fn parse_yaml_docs(text: &str) -> Vec<Value> {
    // `<<` is an ordinary key in what Spark sends (a template's merge key kept as written).
    let mut options = serde_saphyr::Options::default();
    options.merge_keys = serde_saphyr::MergeKeyPolicy::AsOrdinary;
    let docs: Vec<Value> =
        serde_saphyr::from_multiple_with_options(text, options).expect("valid YAML");
    docs.into_iter().filter(|d| !d.is_null()).collect()
}

/// The kind/name key of an object.
pub fn key_of(obj: &Value) -> String {
    format!(
        "{}/{}",
        obj["kind"].as_str().unwrap_or("?"),
        obj["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// Applies the normalisation both sides get before comparison (see the oracle's README):
/// * the date line of `spark.properties` files is dropped (the oracle writes 1970, spark-render
///   the submit time);
/// * `SPARK_LOCAL_DIRS` lists are compared as sets (Spark shuffles several local dirs);
/// * secret volumes/mounts are compared as sets within their run (with more than four
///   secrets Spark orders them by the hash codes of fabric8 objects).
///
/// Everything else, including the order of env vars and of `spark.properties` lines, must be
/// exactly Spark's.
pub fn normalize(obj: &mut Value) {
    if obj["kind"] == "ConfigMap" {
        // Spark's YAML writer marks every literal block as ending in a newline; the JSON form
        // shows the template text exactly. Compare it without a final newline.
        if let Some(text) = obj["data"]["podspec-configmap-key"].as_str() {
            let trimmed = text.strip_suffix('\n').unwrap_or(text).to_owned();
            obj["data"]["podspec-configmap-key"] = Value::String(trimmed);
        }
        if let Some(text) = obj["data"]["spark.properties"].as_str() {
            let without_date: Vec<&str> = text
                .lines()
                .enumerate()
                .filter(|(i, _)| *i != 1)
                .map(|(_, l)| l)
                .collect();
            obj["data"]["spark.properties"] = Value::String(without_date.join("\n"));
        }
    }
    if obj["kind"] == "Pod" {
        // Spark lists HADOOP_CONF_DIR in directory order, which depends on the file system.
        if let Some(volumes) = obj["spec"]["volumes"].as_array_mut() {
            for v in volumes.iter_mut() {
                if v["name"] == "hadoop-properties" {
                    if let Some(items) = v["configMap"]["items"].as_array_mut() {
                        items.sort_by_key(sort_key);
                    }
                }
            }
        }
        let secret_volumes: Vec<String> = obj["spec"]["volumes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v.get("secret").is_some())
            .filter_map(|v| v["name"].as_str().map(str::to_owned))
            .collect();
        if let Some(volumes) = obj["spec"]["volumes"].as_array_mut() {
            sort_runs(volumes, |v| v.get("secret").is_some());
        }
        for field in ["containers", "initContainers"] {
            if let Some(containers) = obj["spec"][field].as_array_mut() {
                for c in containers {
                    if let Some(env) = c["env"].as_array_mut() {
                        // Spark shuffles several local dirs at random (Utils.randomize).
                        for e in env.iter_mut() {
                            if e["name"] == "SPARK_LOCAL_DIRS" {
                                if let Some(v) = e["value"].as_str() {
                                    let mut dirs: Vec<&str> = v.split(',').collect();
                                    dirs.sort_unstable();
                                    e["value"] = Value::String(dirs.join(","));
                                }
                            }
                        }
                    }
                    if let Some(mounts) = c["volumeMounts"].as_array_mut() {
                        sort_runs(mounts, |m| {
                            m["name"]
                                .as_str()
                                .is_some_and(|n| secret_volumes.iter().any(|s| s == n))
                        });
                    }
                }
            }
        }
    }
}

fn sort_key(v: &Value) -> String {
    v.to_string()
}

/// Sorts each maximal run of consecutive items matching `pred`.
fn sort_runs(items: &mut [Value], pred: impl Fn(&Value) -> bool) {
    let mut i = 0;
    while i < items.len() {
        if pred(&items[i]) {
            let start = i;
            while i < items.len() && pred(&items[i]) {
                i += 1;
            }
            items[start..i].sort_by_key(sort_key);
        } else {
            i += 1;
        }
    }
}

/// Spark sends fields of a pod template that Kubernetes does not know (fabric8 keeps them);
/// spark-render drops them with a warning (README). Drop them from Spark's pods too, by
/// passing them through the Kubernetes types.
pub fn drop_unknown_fields(obj: &mut Value) {
    if obj["kind"] != "Pod" {
        return;
    }
    if let Ok(pod) = serde_json::from_value::<k8s_openapi::api::core::v1::Pod>(obj.clone()) {
        *obj = serde_json::to_value(pod).expect("a pod serialises");
    }
}

/// The oracle posts Pods and Services without a namespace (the client adds it); spark-render
/// writes it on every object. Give the oracle's objects the namespace of its ConfigMaps.
pub fn add_namespace(objects: &mut [Value]) {
    let ns = objects
        .iter()
        .find_map(|o| {
            o["data"]["spark.kubernetes.namespace"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "default".into());
    for o in objects {
        if o["metadata"].get("namespace").is_none() {
            o["metadata"]["namespace"] = Value::String(ns.clone());
        }
    }
}

/// Differences between two JSON values, as `path: expected != actual` lines.
pub fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let keys: std::collections::BTreeSet<&String> = e.keys().chain(a.keys()).collect();
            for k in keys {
                let sub = format!("{path}.{k}");
                match (e.get(k), a.get(k)) {
                    (Some(ev), Some(av)) => diff(&sub, ev, av, out),
                    (Some(ev), None) => out.push(format!("{sub}: missing (Spark: {ev})")),
                    (None, Some(av)) => out.push(format!("{sub}: unexpected {av}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        // A null map value or list item of a template (`team: null`): Spark sends null, which
        // the API server stores as ""; spark-render prints "" (README, deviations).
        (Value::Null, Value::String(s)) if s.is_empty() => {}
        _ if expected != actual => out.push(format!("{path}: Spark {expected} != ours {actual}")),
        _ => {}
    }
}

/// Compares our objects with the oracle's; returns the differences (empty when equal).
pub fn compare(oracle_yaml: &str, ours_yaml: &str) -> Vec<String> {
    let mut expected = parse_yaml_docs(oracle_yaml);
    let mut actual = parse_yaml_docs(ours_yaml);
    add_namespace(&mut expected);
    expected.iter_mut().for_each(drop_unknown_fields);
    expected.iter_mut().for_each(normalize);
    actual.iter_mut().for_each(normalize);
    let mut out = Vec::new();
    let ek: Vec<String> = expected.iter().map(key_of).collect();
    let ak: Vec<String> = actual.iter().map(key_of).collect();
    if ek != ak {
        out.push(format!("objects: Spark {ek:?} != ours {ak:?}"));
    }
    let by_key: BTreeMap<String, &Value> = actual.iter().map(|o| (key_of(o), o)).collect();
    for e in &expected {
        if let Some(a) = by_key.get(&key_of(e)) {
            diff(&key_of(e), e, a, &mut out);
        }
    }
    out
}
