//! Inputs Spark refuses (`testdata/driver-errors/`, `testdata/executor-errors/`, each with Spark's own message in
//! `oracle-error.txt`) are refused by spark-render too: exit status 1, nothing on
//! stdout, and a message naming the key — the fragment in the case's `expected-error.txt`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[test]
fn spark_refusals_are_refused_with_the_key_named() {
    check_group("driver-errors", "driver", 10);
}

#[test]
fn executor_side_refusals_are_refused_with_the_key_named() {
    check_group("executor-errors", "all", 4);
}

#[test]
fn volume_template_and_security_refusals_are_refused_with_the_key_or_file_named() {
    check_group("feature-errors", "all", 8);
}

fn check_group(group: &str, subcommand: &str, at_least: usize) {
    let cases = common::cases(group);
    assert!(
        cases.len() >= at_least,
        "expected the {group} cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        assert!(
            dir.join("oracle-error.txt").is_file(),
            "{name}: Spark's error is missing"
        );
        let expected = std::fs::read_to_string(dir.join("expected-error.txt"))
            .unwrap_or_else(|e| panic!("{name}: no expected-error.txt: {e}"));
        let out = common::run_case_as(dir, subcommand, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit status {:?}, want 1",
                out.status.code()
            ));
        }
        if !out.stdout.is_empty() {
            failures.push(format!(
                "{name}: printed {} bytes on stdout",
                out.stdout.len()
            ));
        }
        for fragment in expected.lines().filter(|l| !l.trim().is_empty()) {
            if !stderr.contains(fragment) {
                failures.push(format!(
                    "{name}: stderr lacks {fragment:?}: {}",
                    stderr.trim()
                ));
            }
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked"));
        }
        // What rendering refuses, lint reports.
        let lint = common::run_case_as(dir, "lint", &["--fail-on-findings"]);
        if lint.status.code() != Some(1) || lint.stdout.is_empty() {
            failures.push(format!(
                "{name}: lint exit status {:?} with {:?}",
                lint.status.code(),
                String::from_utf8_lossy(&lint.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Objects over the API server's size limits (Kubernetes 1.33): annotations over 256 KiB in
/// total, a ConfigMap over 1 MiB. Spark sends them; spark-render refuses them, naming the object.
/// The inputs are made here: a golden case would hold megabytes.
#[test]
fn objects_over_the_api_servers_size_limits_are_refused() {
    let dir = std::env::temp_dir().join(format!("spark-render-sizes-{}", std::process::id()));
    let cases = [
        (
            "annotations",
            format!(
                "spark.kubernetes.driver.annotation.a={}\nspark.kubernetes.driver.annotation.b={}\n",
                "x".repeat(131_072),
                "y".repeat(131_072)
            ),
            "metadata.annotations=\"262146 bytes\" is invalid: the annotations of an object may total 256 KiB at most",
        ),
        (
            "config-map",
            // A conf value the driver's spark.properties carries whole.
            format!("spark.myapp.payload={}\n", "z".repeat(1_100_000)),
            "ConfigMap/spark-drv-0123456789abcdef-conf-map data=",
        ),
    ];
    for (name, conf, fragment) in cases {
        let case = dir.join(name);
        std::fs::create_dir_all(&case).unwrap();
        let properties = format!(
            "spark.app.name=sizes\nspark.kubernetes.container.image=apache/spark:3.5.3\n{conf}"
        );
        std::fs::write(case.join("spark.properties"), properties).unwrap();
        let out = common::run_case_as(&case, "driver", &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}: printed manifests");
        assert!(stderr.contains(fragment), "{name}: {stderr}");
        assert!(
            stderr.contains("the API server would refuse it"),
            "{name}: {stderr}"
        );
        // The message stays short: the values are not echoed whole.
        assert!(stderr.len() < 1_000, "{name}: {} bytes", stderr.len());
    }
    std::fs::remove_dir_all(&dir).ok();
}
