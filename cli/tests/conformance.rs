//! Golden conformance: for every case under `testdata/driver/`, `spark-render driver` prints the
//! same objects real Spark 3.5.3 creates (`oracle.yaml`, made by `scripts/regen-goldens.sh`);
//! for `testdata/{executor,templates,volumes,security}/`, `spark-render all` prints the same
//! driver and executor objects.
//!
//! A case holding `pending.txt` uses a feature spark-render does not model yet: it must be
//! refused as such (never rendered differently from Spark). A case holding
//! `known-difference.txt` (real-world inputs) is one where spark-render still differs from
//! Spark for the reason the file gives; the test checks that it still does, so the marker is
//! removed when the difference is fixed. A case under `testdata/deviations/`
//! is one where the README documents why spark-render refuses what Spark accepts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Renders every case of `cases` with `spark-render <subcommand>` and compares with Spark's
/// objects; returns the failures and how many cases were compared.
fn check_cases(cases: &[PathBuf], subcommand: &str) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut compared = 0;
    for dir in cases {
        let name = name_of(dir);
        let Ok(oracle) = std::fs::read_to_string(dir.join("oracle.yaml")) else {
            failures.push(format!("{name}: no oracle.yaml"));
            continue;
        };
        let out = common::run_case_as(dir, subcommand, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if dir.join("pending.txt").exists() {
            let refused = out.status.code() == Some(1)
                && out.stdout.is_empty()
                && stderr.contains("does not model");
            if !refused {
                failures.push(format!(
                    "{name}: marked pending but not refused as unsupported (remove pending.txt if it is now modelled): {}",
                    stderr.trim()
                ));
            }
            continue;
        }
        let ours = String::from_utf8(out.stdout).expect("UTF-8 output");
        if dir.join("known-difference.txt").exists() {
            // A difference from Spark that an open issue tracks: it must still show, so that
            // the marker goes when it is fixed.
            if out.status.success() && common::compare(&oracle, &ours).is_empty() {
                failures.push(format!(
                    "{name}: renders as Spark does now; remove known-difference.txt"
                ));
            }
            continue;
        }
        if !out.status.success() {
            failures.push(format!("{name}: spark-render failed: {}", stderr.trim()));
            continue;
        }
        let diffs = common::compare(&oracle, &ours);
        if !diffs.is_empty() {
            failures.push(format!("{name}:\n  {}", diffs.join("\n  ")));
        }
        compared += 1;
    }
    (failures, compared)
}

#[test]
fn driver_objects_equal_spark() {
    let cases = common::cases("driver");
    let (failures, compared) = check_cases(&cases, "driver");
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        compared >= 15,
        "only {compared} driver cases were compared with Spark"
    );
}

#[test]
fn driver_and_executor_objects_equal_spark() {
    let only = std::env::var("CONFORMANCE_GROUP").ok();
    let cases: Vec<PathBuf> = ["executor", "templates", "volumes", "security", "real-world"]
        .iter()
        .filter(|g| only.as_deref().is_none_or(|o| o == **g))
        .flat_map(|g| common::cases_if_any(g))
        .collect();
    let (failures, compared) = check_cases(&cases, "all");
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    if only.is_none() {
        assert!(
            compared >= 40,
            "only {compared} cases were compared with Spark"
        );
    }
}

#[test]
fn documented_deviations_are_refused() {
    let cases = common::cases("deviations");
    assert!(!cases.is_empty());
    for dir in &cases {
        let name = name_of(dir);
        assert!(
            dir.join("oracle.yaml").is_file(),
            "{name}: Spark's rendering is missing"
        );
        let expected = std::fs::read_to_string(dir.join("expected-error.txt"))
            .unwrap_or_else(|e| panic!("{name}: no expected-error.txt: {e}"));
        let out = common::run_case_as(dir, "all", &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}: printed manifests");
        assert!(stderr.contains(expected.trim()), "{name}: {stderr}");
    }
}

#[test]
fn the_comparison_detects_a_changed_value() {
    // Guards the comparison itself: a real difference must be reported.
    let dir = common::repo().join("testdata/driver/example-minimal");
    let oracle = std::fs::read_to_string(dir.join("oracle.yaml")).expect("golden");
    let out = common::run_case(&dir, &[]);
    let ours = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(common::compare(&oracle, &ours).is_empty());
    let changed = ours.replace("memory: 1408Mi", "memory: 1409Mi");
    assert_ne!(changed, ours);
    assert!(!common::compare(&oracle, &changed).is_empty());
    let reordered = ours.replace("- --class\n", "- --klass\n");
    assert!(!common::compare(&oracle, &reordered).is_empty());
}

/// Every (YAML form, field type) pair of `testdata/yaml-scalars/` (see its `TABLE.md`): where
/// Spark renders the template, spark-render renders the same objects; where Spark refuses it,
/// spark-render refuses it, naming the template.
#[test]
fn template_scalars_are_read_as_spark_reads_them() {
    let cases = common::cases("yaml-scalars");
    let rendered: Vec<PathBuf> = cases
        .iter()
        .filter(|d| d.join("oracle.yaml").is_file())
        .cloned()
        .collect();
    let (mut failures, compared) = check_cases(&rendered, "all");
    let mut refused = 0;
    for dir in cases
        .iter()
        .filter(|d| d.join("oracle-error.txt").is_file())
    {
        let name = name_of(dir);
        let out = common::run_case_as(dir, "all", &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let known = dir.join("known-difference.txt").exists();
        let refused_here = out.status.code() == Some(1) && stderr.contains("podTemplateFile");
        match (refused_here, known) {
            (true, false) => refused += 1,
            (false, false) => failures.push(format!(
                "{name}: Spark refuses it ({}), spark-render: {}",
                std::fs::read_to_string(dir.join("oracle-error.txt"))
                    .unwrap_or_default()
                    .lines()
                    .next()
                    .unwrap_or_default(),
                stderr.trim()
            )),
            (true, true) => failures.push(format!(
                "{name}: refused as Spark refuses it now; remove known-difference.txt"
            )),
            (false, true) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        compared + refused >= 250,
        "only {compared} + {refused} cases"
    );
}

/// The releases other than 3.5.3 with goldens (`oracle-<release>.yaml`, `oracle-error-<release>.txt`).
const OTHER_RELEASES: [&str; 7] = [
    "3.3.4", "3.4.4", "3.5.9", "4.0.5", "4.1.4", "4.2.1", "4.3.0",
];

/// The groups rendered with `spark-render all` (the others with `driver`).
const ALL_GROUPS: [&str; 8] = [
    "deviations",
    "executor",
    "executor-errors",
    "templates",
    "volumes",
    "security",
    "feature-errors",
    "real-world",
];

/// Every case's golden of another release: rendered with `--spark-version <release>`, the
/// objects equal Spark's, and a refusal of that release is a refusal here. A documented
/// deviation (`testdata/deviations/`) is either refused with its documented reason or, in a
/// release where the input is valid, rendered as Spark does. A case listed in
/// `testdata/releases/<release>.known-differences` (with the reason) still differs for that
/// release; the test checks that it does, so the line goes when the difference is fixed.
#[test]
fn every_release_equals_spark() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for release in OTHER_RELEASES {
        let known = known_differences(release);
        let mut still_known = Vec::new();
        for group in [
            "deviations",
            "driver",
            "driver-errors",
            "executor",
            "executor-errors",
            "templates",
            "volumes",
            "security",
            "feature-errors",
            "real-world",
        ] {
            let subcommand = if ALL_GROUPS.contains(&group) {
                "all"
            } else {
                "driver"
            };
            for dir in common::cases_if_any(group) {
                let name = format!("{group}/{}", name_of(&dir));
                let golden = dir.join(format!("oracle-{release}.yaml"));
                let error = dir.join(format!("oracle-error-{release}.txt"));
                if !golden.is_file() && !error.is_file() {
                    continue;
                }
                if dir.join("pending.txt").exists() || dir.join("known-difference.txt").exists() {
                    continue;
                }
                let out = common::run_case_as(&dir, subcommand, &["--spark-version", release]);
                let ours = String::from_utf8_lossy(&out.stdout);
                let stderr = String::from_utf8_lossy(&out.stderr);
                let deviation = std::fs::read_to_string(dir.join("expected-error.txt")).ok();
                let problem = if let Some(expected) = deviation.filter(|_| !out.status.success()) {
                    (out.status.code() != Some(1) || !stderr.contains(expected.trim())).then(|| {
                        format!("not refused as the deviation documents: {}", stderr.trim())
                    })
                } else if golden.is_file() {
                    let oracle = std::fs::read_to_string(&golden).expect("golden");
                    if out.status.success() {
                        let diffs = common::compare(&oracle, &ours);
                        (!diffs.is_empty()).then(|| diffs.join("\n    "))
                    } else {
                        Some(format!("spark-render failed: {}", stderr.trim()))
                    }
                } else {
                    (out.status.code() != Some(1) || !ours.is_empty())
                        .then(|| format!("Spark {release} refuses it; spark-render did not"))
                };
                match (problem, known.contains(&name)) {
                    (Some(_), true) => still_known.push(name),
                    (Some(problem), false) => {
                        failures.push(format!("{release} {name}:\n    {problem}"))
                    }
                    (None, true) => failures.push(format!(
                        "{release} {name}: renders as Spark does now; remove it from testdata/releases/{release}.known-differences"
                    )),
                    (None, false) => compared += 1,
                }
            }
        }
        for k in &known {
            if !still_known.contains(k) && !failures.iter().any(|f| f.contains(k.as_str())) {
                failures.push(format!(
                    "{release} {k}: listed as a known difference but has no golden of {release}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared > 0, "no golden of another release was compared");
}

/// The cases (`group/name`) listed in `testdata/releases/<release>.known-differences`: one per
/// line, then ` # ` and the reason; `#` lines are comments.
fn known_differences(release: &str) -> Vec<String> {
    let path = common::repo()
        .join("testdata/releases")
        .join(format!("{release}.known-differences"));
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split(" # ").next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}
