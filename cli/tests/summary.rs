//! `spark-render summary` against a hand computation of Spark's memory rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::Value;

const MIB: f64 = 1_048_576.0;

fn summary(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .arg("summary")
        .args(["--reproducible", "--spark-version", "3.5.3"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A PySpark job with 10 executors at start (20 at most), 2 GiB of PySpark memory and a GPU
/// each.
const JOB: &[&str] = &[
    "--conf",
    "spark.kubernetes.container.image=apache/spark:3.5.3",
    "--conf",
    "spark.executor.instances=10",
    "--conf",
    "spark.executor.pyspark.memory=2g",
    "--conf",
    "spark.executor.resource.gpu.amount=1",
    "--conf",
    "spark.executor.resource.gpu.vendor=nvidia.com",
    "--conf",
    "spark.executor.resource.gpu.discoveryScript=/opt/spark/getGpus.sh",
    "--conf",
    "spark.dynamicAllocation.enabled=true",
    "--conf",
    "spark.dynamicAllocation.shuffleTracking.enabled=true",
    "--conf",
    "spark.dynamicAllocation.maxExecutors=20",
];

#[test]
fn a_pyspark_job_with_gpus_adds_up_as_by_hand() {
    let mut args = JOB.to_vec();
    args.extend([
        "--node",
        "cpu=16,memory=64Gi,nvidia.com/gpu=4",
        "-o",
        "json",
        "local:///opt/app/job.py",
    ]);
    let (code, stdout, stderr) = summary(&args);
    assert_eq!(code, 0, "{stderr}");
    let s: Value = serde_json::from_str(&stdout).unwrap();

    // By hand. A Python application's memory overhead factor is 0.4 (Spark's non-JVM
    // default): max(0.4 × 1024 MiB, 384 MiB) = 409 MiB (truncated), for driver and executors.
    let driver_memory = (1024.0 + 409.0) * MIB;
    // The executor adds its PySpark memory.
    let executor_memory = (1024.0 + 409.0 + 2048.0) * MIB;
    assert_eq!(s["driver"]["requests"]["memory"], driver_memory);
    assert_eq!(s["driver"]["limits"]["memory"], driver_memory);
    assert_eq!(s["driver"]["requests"]["cpu"], 1.0);
    assert_eq!(s["executor"]["requests"]["memory"], executor_memory);
    assert_eq!(s["executor"]["requests"]["cpu"], 1.0);
    // The GPU is a limit, which Kubernetes takes as the request.
    assert_eq!(s["executor"]["limits"]["nvidia.com/gpu"], 1.0);
    assert_eq!(s["executor"]["requests"]["nvidia.com/gpu"], 1.0);

    // At start: the driver and 10 executors; at most: the driver and 20.
    assert_eq!(s["dynamic_allocation"], true);
    assert_eq!(s["executors_at_start"], 10);
    assert_eq!(s["executors_at_most"], 20);
    assert_eq!(s["requests_at_start"]["cpu"], 11.0);
    assert_eq!(
        s["requests_at_start"]["memory"],
        driver_memory + 10.0 * executor_memory
    );
    assert_eq!(s["requests_at_start"]["nvidia.com/gpu"], 10.0);
    assert_eq!(s["requests_at_most"]["cpu"], 21.0);
    assert_eq!(
        s["requests_at_most"]["memory"],
        driver_memory + 20.0 * executor_memory
    );
    assert_eq!(s["requests_at_most"]["nvidia.com/gpu"], 20.0);
    // CPU has no limit unless spark.kubernetes.*.limit.cores is set.
    assert!(s["limits_at_start"].get("cpu").is_none());

    // A node of 16 cores, 64 GiB and 4 GPUs holds 4 executors: the GPUs run out first
    // (16 by CPU, 18 by memory: 65536 / 3481).
    assert_eq!(s["per_node"]["executors"], 4);
    assert_eq!(s["per_node"]["bound_by"], "nvidia.com/gpu");
}

#[test]
fn the_text_report_names_the_pods_and_the_totals() {
    let mut args = JOB.to_vec();
    args.push("local:///opt/app/job.py");
    let (code, stdout, stderr) = summary(&args);
    assert_eq!(code, 0, "{stderr}");
    let expected = "\
Pods: driver job-py-0123456789abcdef-driver and 10 executors at start, at most 20 (dynamic allocation) like job-py-0123456789abcdef-exec-1

Requests:
                           cpu   memory  nvidia.com/gpu
  driver                     1   1433Mi               -
  each executor              1   3481Mi               1
  at start (10 executors)   11  36243Mi              10
  at most (20 executors)    21  71053Mi              20

Limits:
                           cpu   memory  nvidia.com/gpu
  driver                     -   1433Mi               -
  each executor              -   3481Mi               1
  at start (10 executors)    -  36243Mi              10
  at most (20 executors)     -  71053Mi              20
";
    assert_eq!(stdout, expected);
}

#[test]
fn without_a_bound_dynamic_allocation_says_so_and_a_bad_node_is_a_usage_error() {
    let (code, stdout, _) = summary(&[
        "--conf",
        "spark.kubernetes.container.image=i",
        "--conf",
        "spark.dynamicAllocation.enabled=true",
        "--conf",
        "spark.dynamicAllocation.shuffleTracking.enabled=true",
        "--class",
        "C",
        "local:///opt/app.jar",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("0 executors at start, no upper bound"),
        "{stdout}"
    );
    assert!(
        stdout.contains("at most                 no bound"),
        "{stdout}"
    );
    let (code, _, stderr) = summary(&[
        "--node",
        "cpu=lots",
        "--conf",
        "spark.kubernetes.container.image=i",
        "--class",
        "C",
        "local:///a.jar",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--node: \"lots\" (cpu) is not a Kubernetes quantity"),
        "{stderr}"
    );
}
