//! `spark-render diff`: the reports of release upgrades, conf and template changes of real
//! submissions (insta snapshots `snapshots/diff-*.snap`), a render against the same pod as an
//! API server returns it, and the exit statuses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// data-on-eks' EBS example: a PySpark job with on-demand claims (see its SOURCE).
const EBS: &str = "testdata/real-world/doe-spark-operator-ebs-dynamic-pvc";
/// kubeflow/spark-operator's pod-template example.
const PI_TEMPLATE: &str = "testdata/real-world/kf-spark-pi-pod-template/driver-pod-template.yaml";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs spark-render from the repository root, with `stdin` on its standard input.
fn run_with_stdin(args: &[&str], stdin: &str) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .current_dir(common::repo())
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("NO_COLOR")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_with_stdin(args, "")
}

/// `diff` of the EBS submission with `extra` (the side options) before its resource.
fn diff_ebs(extra: &[&str]) -> Run {
    let props = format!("{EBS}/spark.properties");
    let mut args = vec!["diff", "--reproducible", "--properties-file", &props];
    args.extend_from_slice(extra);
    args.extend([
        "s3a://my-spark-data-bucket/taxi-trip/scripts/pyspark-taxi-trip.py",
        "s3a://my-spark-data-bucket/taxi-trip/input/",
        "s3a://my-spark-data-bucket/taxi-trip/output/",
    ]);
    run(&args)
}

/// Pins a report: exit status, then standard output.
fn snapshot(name: &str, out: &Run) {
    assert!(
        out.code == 0 || out.code == 1,
        "{name}: exit {}: {}",
        out.code,
        out.stderr
    );
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, format!("exit {}\n{}", out.code, out.stdout));
    });
}

#[test]
fn release_upgrades() {
    for (name, from, to) in [
        ("diff-release-3.5-to-4.0", "3.5.3", "4.0.5"),
        ("diff-release-4.0-to-4.1", "4.0.5", "4.1.4"),
        ("diff-release-4.1-to-4.2", "4.1.4", "4.2.1"),
        ("diff-release-4.2-to-4.3", "4.2.1", "4.3.0"),
    ] {
        let out = diff_ebs(&["--from-version", from, "--to-version", to]);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        snapshot(name, &out);
    }
}

#[test]
fn conf_changes() {
    let memory = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "--right-conf",
        "spark.executor.memory=8g",
    ]);
    snapshot("diff-conf-executor-memory", &memory);

    let bigger = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "--left-properties-file",
        &format!("{EBS}/spark.properties"),
        "--right-properties-file",
        "testdata/diff/bigger-executors.conf",
    ]);
    snapshot("diff-properties-file", &bigger);

    let volume = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "--right-conf",
        "spark.kubernetes.executor.volumes.hostPath.scratch.mount.path=/scratch",
        "--right-conf",
        "spark.kubernetes.executor.volumes.hostPath.scratch.options.path=/mnt/scratch",
    ]);
    snapshot("diff-volume-added", &volume);

    let template = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "--right-driver-template",
        PI_TEMPLATE,
    ]);
    snapshot("diff-driver-template-added", &template);
}

#[test]
fn markdown_for_a_pull_request() {
    let out = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "-o",
        "markdown",
        "--left-properties-file",
        &format!("{EBS}/spark.properties"),
        "--right-properties-file",
        "testdata/diff/bigger-executors.conf",
    ]);
    snapshot("diff-properties-file-markdown", &out);
}

#[test]
fn json_lists_each_change_with_its_sources() {
    let out = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "-o",
        "json",
        "--right-conf",
        "spark.executor.memory=8g",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let changes: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    let limit = changes
        .iter()
        .find(|c| {
            c["field"] == "spec.containers[spark-kubernetes-executor].resources.limits.memory"
        })
        .expect("the executor's memory limit changes");
    assert_eq!(limit["change"], "changed");
    // The conf sets a 4 GiB overhead: heap + 4096 MiB.
    assert_eq!(limit["left"], "8192Mi");
    assert_eq!(limit["right"], "12288Mi");
    assert!(limit["right_source"]
        .as_str()
        .unwrap()
        .contains("heap 8192 MiB + overhead 4096 MiB"));
    for c in &changes {
        for key in [
            "object",
            "field",
            "change",
            "left",
            "right",
            "left_source",
            "right_source",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    let line = changes
        .iter()
        .find(|c| c["field"] == "data[spark.properties][spark.executor.memory]")
        .expect("the conf line changes");
    assert_eq!(line["right_source"], "conf spark.executor.memory=8g");
}

#[test]
fn equal_sides_report_nothing() {
    // The same conf on both sides.
    let same = diff_ebs(&[
        "--spark-version",
        "3.5.3",
        "--left-conf",
        "spark.executor.memory=8g",
        "--right-conf",
        "spark.executor.memory=8g",
    ]);
    assert_eq!(
        (same.code, same.stdout.as_str()),
        (0, "no differences\n"),
        "{}",
        same.stderr
    );

    // Two renders that differ only in what Spark draws: not reproducible, other ids and times.
    let dir = scratch("drawn");
    let render = |inputs: &[&str], file: &str| {
        let props = format!("{EBS}/spark.properties");
        let mut args = vec![
            "all",
            "--spark-version",
            "3.5.3",
            "--properties-file",
            &props,
        ];
        args.extend_from_slice(inputs);
        args.push("s3a://my-spark-data-bucket/taxi-trip/scripts/pyspark-taxi-trip.py");
        let out = run(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::write(dir.join(file), out.stdout).unwrap();
    };
    render(&[], "a.yaml");
    render(
        &[
            "--app-id",
            "spark-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "--unique-id",
            "fedcba9876543210",
            "--submit-time",
            "1767225600000",
            "--local-dir-uuid",
            "5e2c5b2c-8b7e-4a3c-9a5d-0c1e2f3a4b5c",
        ],
        "b.yaml",
    );
    let a = std::fs::read_to_string(dir.join("a.yaml")).unwrap();
    let b = std::fs::read_to_string(dir.join("b.yaml")).unwrap();
    assert_ne!(a, b, "the renders should differ in their drawn values");
    let out = run(&["diff", &path(&dir, "a.yaml"), &path(&dir, "b.yaml")]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "no differences\n"),
        "{}",
        out.stderr
    );
    // A render against itself, one side on standard input.
    let out = run_with_stdin(&["diff", &path(&dir, "a.yaml"), "-"], &a);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

/// The driver pod as an API server (1.33) returns it: the render plus identity, status, the
/// defaults it fills in, and the service-account token it mounts.
fn as_the_cluster_returns_it(rendered: &Value) -> Value {
    let mut pod = rendered.clone();
    let meta = &mut pod["metadata"];
    meta["uid"] = json!("7f0c3e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    meta["resourceVersion"] = json!("123456");
    meta["creationTimestamp"] = json!("2026-12-05T10:00:00Z");
    meta["managedFields"] = json!([{"manager": "kubectl", "operation": "Update"}]);
    let spec = &mut pod["spec"];
    spec["dnsPolicy"] = json!("ClusterFirst");
    spec["schedulerName"] = json!("default-scheduler");
    spec["securityContext"] = json!({});
    spec["terminationGracePeriodSeconds"] = json!(30);
    spec["enableServiceLinks"] = json!(true);
    spec["preemptionPolicy"] = json!("PreemptLowerPriority");
    spec["priority"] = json!(0);
    if spec.get("serviceAccountName").is_none() {
        spec["serviceAccount"] = json!("default");
        spec["serviceAccountName"] = json!("default");
    }
    spec["nodeName"] = json!("ip-10-0-1-23.ec2.internal");
    spec["tolerations"] = json!([
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
    ]);
    spec["volumes"].as_array_mut().unwrap().push(json!({
        "name": "kube-api-access-x7k2p",
        "projected": {"defaultMode": 420, "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}
    }));
    for container in spec["containers"].as_array_mut().unwrap() {
        container["terminationMessagePath"] = json!("/dev/termination-log");
        container["terminationMessagePolicy"] = json!("File");
        container["volumeMounts"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "name": "kube-api-access-x7k2p",
                "readOnly": true
            }));
    }
    pod["status"] = json!({"phase": "Running", "podIP": "10.0.1.57"});
    pod
}

#[test]
fn a_render_against_the_pod_the_cluster_runs() {
    let dir = scratch("cluster");
    let props = format!("{EBS}/spark.properties");
    let rendered = run(&[
        "driver",
        "--reproducible",
        "--spark-version",
        "3.5.3",
        "--properties-file",
        &props,
        "-o",
        "json",
        "s3a://my-spark-data-bucket/taxi-trip/scripts/pyspark-taxi-trip.py",
    ]);
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    let list: Value = serde_json::from_str(&rendered.stdout).unwrap();
    let pod = list["items"][0].clone();
    assert_eq!(pod["kind"], "Pod");
    std::fs::write(
        dir.join("rendered.json"),
        serde_json::to_string(&pod).unwrap(),
    )
    .unwrap();
    let live = as_the_cluster_returns_it(&pod);
    std::fs::write(
        dir.join("live.json"),
        serde_json::to_string_pretty(&live).unwrap(),
    )
    .unwrap();

    // Nothing but what the API server adds: the same.
    let out = run(&[
        "diff",
        &path(&dir, "rendered.json"),
        &path(&dir, "live.json"),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        "no differences\n13 fields only a file has are filled in by the API server, left out (--show-server-defaults lists them)\n"
    );
    let listed = run(&[
        "diff",
        "--show-server-defaults",
        &path(&dir, "rendered.json"),
        &path(&dir, "live.json"),
    ]);
    assert!(
        listed.stdout.contains("+ spec.dnsPolicy: ClusterFirst"),
        "{}",
        listed.stdout
    );
    assert!(
        listed.stdout.contains("volumes[kube-api-access-x7k2p]"),
        "{}",
        listed.stdout
    );

    // A pod changed in the cluster (another image, a label added by a webhook): the drift.
    let mut drifted = live.clone();
    drifted["spec"]["containers"][0]["image"] = json!("public.ecr.aws/data-on-eks/spark:3.5.4");
    drifted["metadata"]["labels"]["injected-by"] = json!("webhook");
    let text = serde_yaml_like(&drifted);
    let out = run_with_stdin(&["diff", &path(&dir, "rendered.json"), "-"], &text);
    assert_eq!(out.code, 1, "{}", out.stderr);
    snapshot("diff-render-vs-cluster-drift", &out);
}

/// A JSON value as YAML, as `kubectl get -o yaml` prints it.
fn serde_yaml_like(value: &Value) -> String {
    serde_saphyr::to_string(value).unwrap()
}

#[test]
fn bad_inputs_exit_with_status_2() {
    let dir = scratch("bad");
    std::fs::write(dir.join("not-yaml.yaml"), "kind: [unclosed\n").unwrap();
    std::fs::write(dir.join("pod.yaml"), "kind: Pod\nmetadata:\n  name: p\n").unwrap();
    let deep = format!(
        "kind: Pod\nspec: {}1{}\n",
        "{a: ".repeat(100_000),
        "}".repeat(100_000)
    );
    std::fs::write(dir.join("deep.yaml"), deep).unwrap();
    let cases: [(Vec<String>, &str); 7] = [
        (
            vec![path(&dir, "pod.yaml"), path(&dir, "deep.yaml")],
            "nested too deeply",
        ),
        (
            vec![
                "--executor-id".into(),
                "2".into(),
                path(&dir, "pod.yaml"),
                path(&dir, "pod.yaml"),
            ],
            "comparing two files takes no submission options",
        ),
        (
            vec![path(&dir, "pod.yaml")],
            "diff takes two manifest files",
        ),
        (
            vec![
                "--class".into(),
                "C".into(),
                path(&dir, "pod.yaml"),
                path(&dir, "pod.yaml"),
            ],
            "comparing two files takes no submission options",
        ),
        (
            vec![path(&dir, "pod.yaml"), path(&dir, "missing.yaml")],
            "missing.yaml",
        ),
        (
            vec![path(&dir, "pod.yaml"), path(&dir, "not-yaml.yaml")],
            "not YAML or JSON Kubernetes objects",
        ),
        (
            vec!["-".into(), "-".into()],
            "only one side can be standard input",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["diff"];
        all.extend(args.iter().map(String::as_str));
        let out = run(&all);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A side Spark refuses: named, status 2.
    let out = diff_ebs(&["--right-conf", "spark.executor.memory=8gx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("the right side: spark.executor.memory"),
        "{}",
        out.stderr
    );
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spark-render-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

#[test]
fn the_readme_upgrade_example_is_what_diff_prints() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let command_end = "spark-examples.jar 1000\n";
    let start = readme
        .find("$ spark-render diff --reproducible --from-version 3.5.3 --to-version 4.1.4")
        .expect("the README shows the upgrade example");
    let output_start = start + readme[start..].find(command_end).unwrap() + command_end.len();
    let output_end = output_start + readme[output_start..].find("```").unwrap();
    let out = run(&[
        "diff",
        "--reproducible",
        "--from-version",
        "3.5.3",
        "--to-version",
        "4.1.4",
        "--properties-file",
        "testdata/real-world/kf-spark-pi/spark.properties",
        "--class",
        "org.apache.spark.examples.SparkPi",
        "local:///opt/spark/examples/jars/spark-examples.jar",
        "1000",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(readme[output_start..output_end], out.stdout);
}
