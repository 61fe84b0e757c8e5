//! Every object spark-render prints is valid against the Kubernetes 1.33 OpenAPI schemas
//! (checked strictly with the `kubernetes-validate` package, which `.ci/run` installs): the
//! objects of every golden case, and of a few hundred generated submissions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use spark_render_engine::{manifest, render_all, RenderRequest, SubmitArgs};

/// A generated submission: a handful of conf entries drawn from the keys that shape objects.
fn submission() -> impl Strategy<Value = Vec<(String, String)>> {
    let size = prop_oneof![
        Just("512m"),
        Just("1g"),
        Just("2g"),
        Just("3000"),
        Just("8g")
    ];
    // DNS labels (they also serve as label values and node selector values).
    let name = "[a-z]([a-z0-9-]{0,11}[a-z0-9])?";
    let entry = prop_oneof![
        size.clone()
            .prop_map(|v| ("spark.driver.memory".to_owned(), v.to_owned())),
        size.prop_map(|v| ("spark.executor.memory".to_owned(), v.to_owned())),
        (1u32..8).prop_map(|n| ("spark.executor.cores".to_owned(), n.to_string())),
        prop_oneof![Just("500m"), Just("0.5"), Just("2")].prop_map(|v| (
            "spark.kubernetes.driver.request.cores".to_owned(),
            v.to_owned()
        )),
        (name, name).prop_map(|(k, v)| (format!("spark.kubernetes.driver.label.{k}"), v)),
        (name, "[ -~]{0,20}").prop_map(|(k, v)| (
            format!("spark.kubernetes.executor.annotation.example.com/{k}"),
            v
        )),
        ("[A-Z][A-Z0-9_]{0,8}", "[ -~]{0,16}")
            .prop_map(|(k, v)| (format!("spark.kubernetes.driverEnv.{k}"), v)),
        ("[A-Z][A-Z0-9_]{0,8}", "[ -~]{0,16}")
            .prop_map(|(k, v)| (format!("spark.executorEnv.{k}"), v)),
        (name, name).prop_map(|(k, v)| (format!("spark.kubernetes.node.selector.{k}"), v)),
        (name, "/[a-z]{1,8}")
            .prop_map(|(k, v)| (format!("spark.kubernetes.driver.secrets.{k}"), v)),
        (name, "/[a-z]{1,8}").prop_map(|(n, p)| (
            format!("spark.kubernetes.executor.volumes.emptyDir.{n}.mount.path"),
            p
        )),
        ("[A-Z][A-Z_]{0,6}", name, name).prop_map(|(e, s, k)| (
            format!("spark.kubernetes.executor.secretKeyRef.{e}"),
            format!("{s}:{k}")
        )),
        any::<bool>().prop_map(|b| (
            "spark.kubernetes.local.dirs.tmpfs".to_owned(),
            b.to_string()
        )),
        any::<bool>().prop_map(|b| ("spark.decommission.enabled".to_owned(), b.to_string())),
        name.prop_map(|n| (
            "spark.kubernetes.authenticate.driver.serviceAccountName".to_owned(),
            n
        )),
        "[A-Za-z0-9 ._-]{1,40}".prop_map(|n| ("spark.app.name".to_owned(), n)),
    ];
    proptest::collection::vec(entry, 0..12)
}

fn validator() -> Option<&'static str> {
    let found = Command::new("kubernetes-validate")
        .arg("--version")
        .output()
        .is_ok();
    if found {
        return Some("kubernetes-validate");
    }
    if std::env::var("SPARK_RENDER_SCHEMA_CHECK").as_deref() == Ok("required") {
        panic!("kubernetes-validate is not installed (pip install kubernetes-validate)");
    }
    None
}

#[test]
fn rendered_objects_are_schema_valid() {
    let Some(validate) = validator() else {
        eprintln!("kubernetes-validate is not installed; the schema check did not run");
        return;
    };
    let dir = std::env::temp_dir().join(format!("spark-render-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();

    for group in ["driver", "executor", "templates", "volumes", "security"] {
        for case in common::cases_if_any(group) {
            if case.join("pending.txt").exists() {
                continue;
            }
            let subcommand = if group == "driver" { "driver" } else { "all" };
            let out = common::run_case_as(&case, subcommand, &[]);
            assert!(
                out.status.success(),
                "{}: {}",
                case.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            let file = dir.join(format!(
                "{group}-{}.yaml",
                case.file_name().unwrap().to_string_lossy()
            ));
            std::fs::write(&file, out.stdout).unwrap();
            files.push(file);
        }
    }

    // The oldest and the newest release: their objects differ most from 3.5's (3.3's empty
    // maps, 4.3's NetworkPolicy, security context and resize policy).
    for release in ["3.3.4", "4.3.0"] {
        for group in ["driver", "executor", "volumes"] {
            for case in common::cases_if_any(group) {
                if !case.join(format!("oracle-{release}.yaml")).exists() {
                    continue;
                }
                let subcommand = if group == "driver" { "driver" } else { "all" };
                let out = common::run_case_as(&case, subcommand, &["--spark-version", release]);
                assert!(
                    out.status.success(),
                    "{} ({release}): {}",
                    case.display(),
                    String::from_utf8_lossy(&out.stderr)
                );
                let file = dir.join(format!(
                    "{group}-{}-{release}.yaml",
                    case.file_name().unwrap().to_string_lossy()
                ));
                std::fs::write(&file, out.stdout).unwrap();
                files.push(file);
            }
        }
    }

    // The SparkApplications of both operators' examples, as the operators create them (the UI
    // Ingress too, for kubeflow's).
    let operators = common::repo().join("testdata/operators");
    for operator in ["kubeflow", "apache"] {
        let examples = operators.join(operator).join("examples");
        let mut apps: Vec<_> = std::fs::read_dir(&examples)
            .unwrap()
            .map(|e| e.unwrap().path().join("app.yaml"))
            .filter(|app| app.exists())
            .collect();
        apps.sort();
        for app in apps {
            let name = app
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mut args = vec!["all", "-f", app.to_str().unwrap(), "--reproducible"];
            if operator == "kubeflow" {
                args.extend(["--ui-ingress-url-format", "{{$appName}}.example.com/ui"]);
            }
            let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
                .args(&args)
                .output()
                .unwrap();
            if !out.status.success() {
                // kubeflow's spark-pi-prometheus is published with a placeholder that is not YAML.
                assert_eq!(
                    name,
                    "spark-pi-prometheus",
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                continue;
            }
            let file = dir.join(format!("{operator}-{name}.yaml"));
            std::fs::write(&file, out.stdout).unwrap();
            files.push(file);
        }
    }

    let mut runner = TestRunner::deterministic();
    let strategy = submission();
    let mut rendered = 0;
    for i in 0..300 {
        let conf = strategy.new_tree(&mut runner).unwrap().current();
        let mut submit = SubmitArgs::new("local:///opt/app/app.jar");
        submit.main_class = Some("org.example.Main".into());
        submit.conf = conf;
        submit
            .conf
            .push(("spark.kubernetes.container.image".into(), "img:1".into()));
        let Ok(out) = render_all(&RenderRequest::new(submit)) else {
            continue;
        };
        let file = dir.join(format!("generated-{i}.yaml"));
        std::fs::write(&file, manifest::to_yaml(&out.objects()).unwrap()).unwrap();
        files.push(file);
        rendered += 1;
    }
    assert!(
        rendered > 200,
        "only {rendered} generated submissions rendered"
    );

    // The check itself must fail on an invalid object.
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, fooBar: 1}]\n",
    )
    .unwrap();
    let control = Command::new(validate)
        .args(["-k", "1.33.0", "--strict", "--quiet"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(
        !control.status.success(),
        "the schema check accepts an invalid pod"
    );

    let out = Command::new(validate)
        .args(["-k", "1.33.0", "--strict", "--quiet"])
        .args(files.iter().map(|f| f.as_os_str()))
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success() && !report.contains("ERROR"),
        "{} files checked:\n{report}",
        files.len()
    );
}
