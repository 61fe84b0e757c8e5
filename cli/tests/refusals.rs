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
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
