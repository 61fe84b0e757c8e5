//! kubeflow/spark-operator's own test cases (v2.5.2: `submission_test.go`,
//! `sparkpod_defaulter_test.go`, `defaults_test.go`, `web_ui_test.go`,
//! `monitoring_config_test.go`), restated as data under
//! `testdata/operators/kubeflow/ported/` (see its SOURCE), run against spark-render's model of
//! the operator.

use std::path::{Path, PathBuf};

use k8s_openapi::api::core::v1::Pod;
use serde_json::Value;
use spark_render_engine::operator::kubeflow::{
    defaults, monitoring, spec::SparkApplication, submission, web_ui, webhook,
};
use spark_render_engine::operator::{self, Application};

fn cases(area: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/operators/kubeflow/ported")
        .join(area);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    files
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn app(case: &Value) -> SparkApplication {
    let parsed = operator::parse(&case["app"]).expect("a kubeflow SparkApplication");
    assert!(
        parsed.unknown_fields.is_empty(),
        "unknown fields {:?}",
        parsed.unknown_fields
    );
    let Application::Kubeflow(app) = parsed.application else {
        panic!("not kubeflow's")
    };
    *app
}

/// `expected` holds in `actual`: maps by the keys written, lists element by element with the
/// same length, `null` for a field absent, null, empty or false.
fn subset(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Number(_) => false,
    };
    match expected {
        Value::Null if empty(actual) => Ok(()),
        Value::Object(map) => {
            if map.is_empty() && empty(actual) {
                return Ok(());
            }
            let Value::Object(actual_map) = actual else {
                return Err(format!("{path}: expected an object, got {actual}"));
            };
            for (key, value) in map {
                let got = actual_map.get(key).unwrap_or(&Value::Null);
                subset(value, got, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        Value::Array(items) => {
            let got: &[Value] = match actual {
                Value::Array(a) => a,
                Value::Null => &[],
                other => return Err(format!("{path}: expected a list, got {other}")),
            };
            if got.len() != items.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    items.len(),
                    got.len()
                ));
            }
            for (i, (e, a)) in items.iter().zip(got).enumerate() {
                subset(e, a, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn check(failures: &mut Vec<String>, path: &Path, result: Result<(), String>) {
    if let Err(e) = result {
        failures.push(format!("{}: {e}", path.display()));
    }
}

fn assert_none_failed(failures: Vec<String>, count: usize) {
    assert!(
        failures.is_empty(),
        "{} of {count} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn submission_option_functions() {
    let files = cases("submission");
    let mut failures = Vec::new();
    let context = submission::Context {
        master: "k8s://https://10.96.0.1:443".into(),
        release: spark_render_engine::operator::kubeflow::OperatorRelease::latest(),
    };
    for path in &files {
        let case = load(path);
        let app = app(&case);
        let option = case["option"].as_str().expect("option");
        let result = submission::option(option, &app, &context);
        let outcome = match (&case["expected_error"], result) {
            (Value::String(e), Err(err)) if err.to_string().contains(e.as_str()) => Ok(()),
            (Value::String(e), other) => Err(format!("expected error {e:?}, got {other:?}")),
            (_, Err(err)) => Err(format!("failed: {err}")),
            (_, Ok(command)) => {
                if let Some(expected) = case["expected_args"].as_array() {
                    let mut expected: Vec<String> = expected
                        .iter()
                        .map(|v| v.as_str().expect("string").to_owned())
                        .collect();
                    let mut got = command.args.clone();
                    if case["compare"] == "sorted" {
                        expected.sort();
                        got.sort();
                    }
                    (expected == got)
                        .then_some(())
                        .ok_or_else(|| format!("expected {expected:?}\n  got {got:?}"))
                } else {
                    let template = &case["expected_template"];
                    let written: Vec<&Vec<u8>> = command.files.values().collect();
                    match written.as_slice() {
                        [bytes] => {
                            let text = std::str::from_utf8(bytes).expect("UTF-8");
                            let got: Value = serde_saphyr::from_str(text).expect("YAML");
                            (&got == template)
                                .then_some(())
                                .ok_or_else(|| format!("expected {template}\n  got {got}"))
                        }
                        other => Err(format!("expected one file, got {}", other.len())),
                    }
                }
            }
        };
        check(&mut failures, path, outcome);
    }
    assert_none_failed(failures, files.len());
}

#[test]
fn webhook_patches() {
    let files = cases("webhook");
    let mut failures = Vec::new();
    for path in &files {
        let case = load(path);
        let app = app(&case);
        let mut pod: Pod = serde_json::from_value(case["pod"].clone()).expect("a Pod");
        let result = webhook::mutate_spark_pod(&mut pod, &app);
        let outcome = match (&case["expected_error"], result) {
            (Value::String(e), Err(err)) if err.to_string().contains(e.as_str()) => Ok(()),
            (Value::String(e), other) => Err(format!("expected error {e:?}, got {other:?}")),
            (_, Err(err)) => Err(format!("failed: {err}")),
            (_, Ok(())) => {
                let got = serde_json::to_value(&pod).expect("JSON");
                subset(&case["expected_pod"], &got, "pod")
            }
        };
        check(&mut failures, path, outcome);
    }
    assert_none_failed(failures, files.len());
}

#[test]
fn admission_defaults() {
    let files = cases("defaults");
    let mut failures = Vec::new();
    for path in &files {
        let case = load(path);
        let mut app = app(&case);
        defaults::set_defaults(&mut app);
        let got = serde_json::to_value(&app).expect("JSON");
        check(
            &mut failures,
            path,
            subset(&case["expected_app"], &got, "app"),
        );
    }
    assert_none_failed(failures, files.len());
}

#[test]
fn prometheus_monitoring() {
    let files = cases("monitoring");
    let mut failures = Vec::new();
    for path in &files {
        let case = load(path);
        let mut app = app(&case);
        let config_map = monitoring::config_prometheus_monitoring(&mut app);
        let got = serde_json::to_value(&app).expect("JSON");
        check(
            &mut failures,
            path,
            subset(&case["expected_app"], &got, "app"),
        );
        if let Some(expected) = case.get("expected_configmap") {
            let got = serde_json::to_value(&config_map).expect("JSON");
            check(&mut failures, path, subset(expected, &got, "configmap"));
        }
    }
    assert_none_failed(failures, files.len());
}

#[test]
fn web_ui() {
    let files = cases("web-ui");
    let mut failures = Vec::new();
    for path in &files {
        let case = load(path);
        let mut app = app(&case);
        let outcome = match case["function"].as_str().expect("function") {
            "configWebUI" => {
                let options = &case["options"];
                let ui = web_ui::UiOptions {
                    service: options["enableUIService"].as_bool().unwrap_or(false),
                    ingress_url_format: options["ingressURLFormat"].as_str().map(str::to_owned),
                    ingress_class_name: None,
                };
                web_ui::configure(&mut app, &ui).expect("a URL Go parses");
                let got = serde_json::to_value(&app).expect("JSON");
                subset(&case["expected_app"], &got, "app")
            }
            function => {
                let got = match function {
                    "getWebUIServicePort" => Value::from(web_ui::service_port(&app)),
                    "getWebUIServicePortName" => Value::from(web_ui::service_port_name(&app)),
                    "getWebUITargetPort" => Value::from(web_ui::target_port(&app)),
                    other => panic!("{}: unknown function {other}", path.display()),
                };
                subset(&case["expected_value"], &got, function)
            }
        };
        check(&mut failures, path, outcome);
    }
    assert_none_failed(failures, files.len());
}
