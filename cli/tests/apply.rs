//! `--apply` against a stand-in kubectl that records its arguments and standard input, and
//! answers `create` with a pod carrying a UID, as the API server would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const IMAGE: &str = "spark.kubernetes.container.image=apache/spark:3.5.3";
const JAR: &str = "local:///opt/spark/examples/jars/spark-examples.jar";

const STAND_IN: &str = r#"#!/usr/bin/env bash
# Records each call (arguments, one per line, then stdin) and plays kubectl.
n=$(ls "$KUBECTL_LOG" | grep -c '^call-' || true)
dir="$KUBECTL_LOG/call-$n"
mkdir -p "$dir"
printf '%s\n' "$@" > "$dir/args"
cat > "$dir/stdin"
for a in "$@"; do
  case "$a" in
    create|apply|delete)
      if [ "${HANG_ON:-}" = "$a" ]; then sleep 30 & echo $! > "$dir/child-pid"; wait; fi
      if [ "${LINGER_ON:-}" = "$a" ]; then sleep 30 & echo $! > "$dir/child-pid"; fi
      if [ "${KILL_ON:-}" = "$a" ]; then kill -9 $$; fi ;;
  esac
  case "$a" in
    create)
      if [ -n "${CREATE_PRINTS+x}" ]; then printf '%s' "$CREATE_PRINTS"; exit 0; fi
      name=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["name"])' < "$dir/stdin")
      printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"uid-from-api-server"}}\n' "$name"
      exit 0 ;;
    apply)
      if [ -n "${FAIL_APPLY:-}" ]; then echo "error: admission webhook denied the request" >&2; exit 3; fi
      echo "service/x created"
      exit 0 ;;
    delete)
      if [ -n "${FAIL_DELETE:-}" ]; then echo "error: forbidden" >&2; exit 5; fi
      exit 0 ;;
  esac
done
exit 9
"#;

struct Fixture {
    dir: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("spark-render-apply-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("log")).unwrap();
        let script = dir.join("kubectl");
        std::fs::write(&script, STAND_IN).unwrap();
        let mut perms = std::fs::metadata(&script).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&script, perms).unwrap();
        Fixture { dir }
    }

    fn run(&self, args: &[&str], fail_apply: bool) -> Output {
        self.run_with(
            args,
            if fail_apply {
                &[("FAIL_APPLY", "1")]
            } else {
                &[]
            },
        )
    }

    /// Runs spark-render with the stand-in kubectl, which `env` tells how to misbehave.
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_spark-render"));
        cmd.env("KUBECTL", self.dir.join("kubectl"))
            .env("KUBECTL_LOG", self.dir.join("log"))
            .env_remove("SPARK_CONF_DIR")
            .env_remove("SPARK_HOME")
            .args(args)
            .envs(env.iter().copied());
        cmd.output().unwrap()
    }

    fn calls(&self) -> Vec<(Vec<String>, String)> {
        let log = self.dir.join("log");
        let mut calls = Vec::new();
        for n in 0.. {
            let dir = log.join(format!("call-{n}"));
            if !dir.is_dir() {
                break;
            }
            let args = std::fs::read_to_string(dir.join("args")).unwrap();
            let stdin = std::fs::read_to_string(dir.join("stdin")).unwrap();
            calls.push((args.lines().map(str::to_owned).collect(), stdin));
        }
        calls
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn driver_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "driver",
        "--apply",
        "--conf",
        IMAGE,
        "--class",
        "C",
        "--name",
        "job",
        "--unique-id",
        "abc123",
    ];
    args.extend_from_slice(extra);
    args.push(JAR);
    args
}

/// The processes the stand-in started and left (`sleep`s, their IDs in `child-pid`) that are
/// still running.
fn still_running(calls_dir: &std::path::Path) -> Vec<String> {
    let mut running = Vec::new();
    for n in 0.. {
        let dir = calls_dir.join(format!("call-{n}"));
        if !dir.is_dir() {
            break;
        }
        let Ok(pid) = std::fs::read_to_string(dir.join("child-pid")) else {
            continue;
        };
        let pid = pid.trim();
        // Gone, or a zombie nobody reaped yet.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = state.rsplit(')').next().unwrap_or("").trim_start();
        if !state.is_empty() && !state.starts_with('Z') {
            running.push(format!("call-{n}: {pid} ({state:.1})"));
        }
    }
    running
}

fn has_args(call: &[String], expected: &[&str]) -> bool {
    call.windows(expected.len())
        .any(|w| w.iter().map(String::as_str).eq(expected.iter().copied()))
}

#[test]
fn creates_the_pod_then_applies_the_rest_owned_by_it() {
    let fx = Fixture::new("ok");
    let out = fx.run(
        &driver_args(&["--context", "prod", "--kubeconfig", "/tmp/kc"]),
        false,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = fx.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let (create, pod) = &calls[0];
    assert!(
        has_args(create, &["create", "-f", "-", "-o", "json"]),
        "{create:?}"
    );
    assert!(
        has_args(create, &["--context", "prod"]) && has_args(create, &["--kubeconfig", "/tmp/kc"])
    );
    let pod: Value = serde_json::from_str(pod).unwrap();
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["metadata"]["name"], "job-abc123-driver");
    assert!(pod["metadata"].get("ownerReferences").is_none());

    let (apply, rest) = &calls[1];
    assert!(has_args(apply, &["apply", "-f", "-"]), "{apply:?}");
    assert!(has_args(apply, &["--context", "prod"]));
    let list: Value = serde_json::from_str(rest).unwrap();
    let items = list["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Service", "ConfigMap"]);
    for item in items {
        let owner = &item["metadata"]["ownerReferences"][0];
        assert_eq!(owner["uid"], "uid-from-api-server");
        assert_eq!(owner["name"], "job-abc123-driver");
        assert_eq!(owner["kind"], "Pod");
    }
}

#[test]
fn a_failed_apply_deletes_the_pod_and_passes_the_status_on() {
    let fx = Fixture::new("fail");
    let out = fx.run(&driver_args(&["-n", "default"]), true);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("admission webhook denied"), "{stderr}");
    let calls = fx.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(has_args(&calls[0].0, &["create"]));
    assert!(has_args(&calls[1].0, &["apply"]));
    assert!(has_args(&calls[2].0, OWN_DELETE), "{:?}", calls[2].0);
}

#[test]
fn namespace_flag_sets_or_must_match_the_conf() {
    let fx = Fixture::new("ns");
    let out = fx.run(&driver_args(&["-n", "analytics"]), false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pod: Value = serde_json::from_str(&fx.calls()[0].1).unwrap();
    assert_eq!(pod["metadata"]["namespace"], "analytics");

    let clash = fx.run(
        &driver_args(&[
            "-n",
            "analytics",
            "--conf",
            "spark.kubernetes.namespace=etl",
        ]),
        false,
    );
    assert_eq!(clash.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&clash.stderr)
        .contains("disagrees with spark.kubernetes.namespace=etl"));
}

#[test]
fn a_missing_kubectl_is_reported() {
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .args(driver_args(&["--kubectl", "/nonexistent/kubectl"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run /nonexistent/kubectl"));
}

/// The delete calls made, as argument lists.
fn deletes(calls: &[(Vec<String>, String)]) -> Vec<Vec<String>> {
    calls
        .iter()
        .filter(|(args, _)| args.iter().any(|a| a == "delete"))
        .map(|(args, _)| args.clone())
        .collect()
}

/// The only delete spark-render may run: its own pod, named after `--`.
const OWN_DELETE: &[&str] = &[
    "delete",
    "pod",
    "--namespace",
    "default",
    "--ignore-not-found",
    "--",
    "job-abc123-driver",
];

#[test]
fn a_hanging_kubectl_is_stopped_and_the_pod_deleted() {
    let fx = Fixture::new("hang");
    let started = std::time::Instant::now();
    let out = fx.run_with(
        &driver_args(&["--kubectl-timeout", "1"]),
        &[("HANG_ON", "create")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr.contains("kubectl did not create the driver pod within 1 s"),
        "{stderr}"
    );
    // The create may have reached the API server: the pod spark-render named is deleted.
    let calls = fx.calls();
    assert_eq!(deletes(&calls), [OWN_DELETE], "{calls:?}");
    // What the hanging kubectl started was stopped with it.
    assert_eq!(still_running(&fx.dir.join("log")), Vec::<String>::new());
}

#[test]
fn what_kubectl_leaves_running_neither_holds_spark_render_nor_outlives_it() {
    // kubectl answers, but leaves a process behind that holds its output open for 30 s.
    let fx = Fixture::new("linger");
    let started = std::time::Instant::now();
    let out = fx.run_with(
        &driver_args(&["--kubectl-timeout", "5"]),
        &[("LINGER_ON", "create")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(deletes(&fx.calls()).is_empty());
    assert_eq!(still_running(&fx.dir.join("log")), Vec::<String>::new());
}

#[test]
fn a_lying_kubectl_never_causes_a_delete_of_anything_else() {
    let lies = [
        (
            r#"{"metadata":{"name":"--all","uid":"u1"}}"#,
            "another pod than pod/job-abc123-driver",
        ),
        ("this is not JSON", "printed no pod JSON"),
        (
            r#"{"metadata":{"name":"job-abc123-driver"}}"#,
            "did not report the UID",
        ),
        (
            "{\"metadata\":{\"name\":\"job-abc123-driver\",\"uid\":\"\\u001b[31mred\"}}",
            "a UID that is not one",
        ),
    ];
    for (printed, message) in lies {
        let fx = Fixture::new("lie");
        let out = fx.run_with(&driver_args(&[]), &[("CREATE_PRINTS", printed)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{printed}: {stderr}");
        assert!(stderr.contains(message), "{printed}: {stderr}");
        assert!(
            !stderr.contains('\u{1b}'),
            "{printed}: raw escape in {stderr:?}"
        );
        let calls = fx.calls();
        assert_eq!(deletes(&calls), [OWN_DELETE], "{printed}: {calls:?}");
        // Nothing was applied on the strength of that output.
        assert!(!calls.iter().any(|(a, _)| a.iter().any(|x| x == "apply")));
    }
}

#[test]
fn a_failed_cleanup_says_which_pod_remains() {
    let fx = Fixture::new("cleanup");
    let out = fx.run_with(
        &driver_args(&[]),
        &[("FAIL_APPLY", "1"), ("FAIL_DELETE", "1")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(
            "pod/job-abc123-driver remains in namespace default: remove it with `kubectl delete pod --namespace default job-abc123-driver`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_kubectl_killed_by_a_signal_is_named() {
    let fx = Fixture::new("signal");
    let out = fx.run_with(&driver_args(&[]), &[("KILL_ON", "create")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "kubectl was killed by SIGKILL (signal 9) while trying to create the driver pod"
        ),
        "{stderr}"
    );
}

#[test]
fn a_stop_signal_during_apply_deletes_the_pod_first() {
    let fx = Fixture::new("stop");
    let child = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .env("KUBECTL", fx.dir.join("kubectl"))
        .env("KUBECTL_LOG", fx.dir.join("log"))
        .env("HANG_ON", "apply")
        .env_remove("SPARK_CONF_DIR")
        .env_remove("SPARK_HOME")
        .args(driver_args(&["--kubectl-timeout", "30"]))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once the pod is created (the apply is hanging), ask spark-render to stop.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while fx.calls().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("stopped by a signal while trying to apply the driver's objects"),
        "{stderr}"
    );
    let calls = fx.calls();
    assert_eq!(deletes(&calls), [OWN_DELETE], "{calls:?}");
}
