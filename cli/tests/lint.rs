//! `spark-render lint` on a conf alone: every finding in one run, values read as rendering
//! reads them, `FILE:LINE` for keys of a properties file, keys of every Spark area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// A properties file with one mistake per line, as a reviewer might meet them.
const CONF: &str = "\
spark.kubernetes.container.image=apache/spark:3.5.3
# a comment, then the mistakes
spark.dynamicAllocation.enabeld=true
spark.yarn.queue=production
spark.kubernetes.driver.label.spark-role=worker
spark.kubernetes.driver.request.limit.cores=2
spark.kubernetes.driver.podTemplateFile=does-not-exist.yaml
spark.sql.shuffle.partitions=many
spark.network.timeout=120x
spark.rapids.sql.enabled=true
spark.kubernetes.driver.label.team=analytics
";

struct Linted {
    code: i32,
    stdout: String,
}

fn lint(args: &[&str]) -> Linted {
    let dir = scratch();
    std::fs::write(dir.join("job.conf"), CONF).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .current_dir(&dir)
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .arg("lint")
        .args(["--spark-version", "3.5.3"])
        .args(args)
        .output()
        .unwrap();
    Linted {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "spark-render-lint-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_conf_alone_gets_every_finding_in_one_run_with_its_line() {
    let out = lint(&[
        "--fail-on-findings",
        "--properties-file",
        "job.conf",
        "--conf",
        "spark.executor.memory=4gbx",
        "--conf",
        "spark.driver.supervise=true",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let expected = [
        // The missing template is one finding; linting goes on.
        "job.conf:7: spark.kubernetes.driver.podTemplateFile: cannot read does-not-exist.yaml: No such file or directory (os error 2)",
        "job.conf:3: spark.dynamicAllocation.enabeld: not a key Spark 3.5 reads; did you mean spark.dynamicAllocation.enabled?",
        "job.conf:4: spark.yarn.queue: no effect on Kubernetes: a YARN key",
        "job.conf:5: spark.kubernetes.driver.label.spark-role: not allowed: label key spark-role is reserved for Spark bookkeeping operations",
        // No nonsense suggestion (it used to propose spark.kubernetes.driverEnv.uest.limit.cores).
        "job.conf:6: spark.kubernetes.driver.request.limit.cores: not a key Spark 3.5 reads",
        "job.conf:8: spark.sql.shuffle.partitions: the value is not one Spark 3.5 reads: expected an integer",
        "job.conf:9: spark.network.timeout: the value is not one Spark 3.5 reads: expected a duration such as 30s, 2m or 1h",
        "--conf: spark.executor.memory: the value is not one Spark 3.5 reads: unknown unit \"gbx\"; expected a size such as 512m, 2g or 1024 (units b, k, m, g, t, p; no fractions)",
        "--conf: spark.driver.supervise: no effect on Kubernetes: only standalone and Mesos restart a failed driver",
    ];
    assert_eq!(lines, expected);
    // Another project's keys (spark.rapids.*) and a user label are left alone.
    assert!(!out.stdout.contains("spark.rapids"));
    assert!(!out.stdout.contains("label.team"));
}

#[test]
fn a_value_rendering_refuses_is_a_finding() {
    let out = lint(&[
        "--fail-on-findings",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:3.5.3",
        "--conf",
        "spark.kubernetes.driver.request.cores=abc",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "--conf: spark.kubernetes.driver.request.cores: the value \"abc\" is invalid: not a Kubernetes quantity (e.g. 1, 0.5, 500m); the API server would refuse the pod\n"
    );
}

#[test]
fn a_clean_conf_passes_with_or_without_an_application() {
    for app in [&[][..], &["local:///opt/app.jar", "--flag"][..]] {
        let mut args = vec![
            "--fail-on-findings",
            "--class",
            "org.example.Main",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:3.5.3",
            "--conf",
            "spark.executor.memory=4g",
            "--conf",
            "spark.dynamicAllocation.enabled=true",
        ];
        args.extend_from_slice(app);
        let out = lint(&args);
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{app:?}");
    }
}

#[test]
fn json_findings_carry_their_location() {
    let out = lint(&["-o", "json", "--properties-file", "job.conf"]);
    assert_eq!(out.code, 0);
    let findings: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    let typo = findings
        .iter()
        .find(|f| f["key"] == "spark.dynamicAllocation.enabeld")
        .unwrap();
    assert_eq!(typo["location"], "job.conf:3");
    assert_eq!(typo["suggestion"], "spark.dynamicAllocation.enabled");
}
