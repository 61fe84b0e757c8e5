//! `spark-render check --pod-security`: Spark's default pods against the Pod Security
//! Standards, the hardened example, and one case per check (a pod that passes, then the same
//! pod with one field that fails it), in the manner of pod-security-admission's own fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

const JAR: &str = "local:///opt/spark/examples/jars/spark-examples.jar";

/// Runs `check --pod-security level` from the repository root; returns the status and the
/// checks that failed, as (pod role, check).
fn check(level: &str, version: &str, args: &[&str]) -> (i32, BTreeSet<(String, String)>, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .current_dir(common::repo())
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .args([
            "check",
            "--pod-security",
            level,
            "-o",
            "json",
            "--reproducible",
        ])
        .args([
            "--spark-version",
            version,
            "--class",
            "org.apache.spark.examples.SparkPi",
        ])
        .args(args)
        .arg(JAR)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let failed = json
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let object = v["object"].as_str().unwrap();
            let role = if object.contains("-exec-") {
                "executor"
            } else {
                "driver"
            };
            (role.to_owned(), v["check"].as_str().unwrap().to_owned())
        })
        .collect();
    (out.status.code().unwrap_or(-1), failed, json)
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

const IMAGE: &str = "spark.kubernetes.container.image=apache/spark:3.5.3";

#[test]
fn sparks_default_pods_meet_baseline_but_not_restricted() {
    let (code, failed, _) = check("baseline", "3.5.3", &["--conf", IMAGE]);
    assert_eq!((code, failed.len()), (0, 0), "{failed:?}");

    let (code, failed, json) = check("restricted", "3.5.3", &["--conf", IMAGE]);
    assert_eq!(code, 1);
    let each = [
        "allowPrivilegeEscalation",
        "runAsNonRoot",
        "seccompProfile_restricted",
        "capabilities_restricted",
    ];
    let expected: Vec<(&str, &str)> = ["driver", "executor"]
        .iter()
        .flat_map(|role| each.iter().map(move |c| (*role, *c)))
        .collect();
    assert_eq!(failed, set(&expected));
    // Each names the field and a fix in Spark's terms.
    let first = &json[0];
    assert_eq!(
        first["field"],
        "spec.containers[spark-kubernetes-driver].securityContext.allowPrivilegeEscalation"
    );
    assert!(first["fix"]
        .as_str()
        .unwrap()
        .contains("spark.kubernetes.securityContext.allowPrivilegeEscalation"));

    // Spark 4.3 sets allowPrivilegeEscalation: false itself (SPARK-57493).
    let (_, failed, _) = check("restricted", "4.3.0", &["--conf", IMAGE]);
    assert!(
        !failed.iter().any(|(_, c)| c == "allowPrivilegeEscalation"),
        "{failed:?}"
    );
    assert_eq!(failed.len(), 6, "{failed:?}");
}

#[test]
fn the_hardened_example_meets_restricted_in_every_release() {
    for version in ["3.3.4", "3.5.3", "4.0.5", "4.3.0"] {
        let (code, failed, _) = check(
            "restricted",
            version,
            &["--properties-file", "examples/hardened/job.conf"],
        );
        assert_eq!((code, failed.len()), (0, 0), "{version}: {failed:?}");
    }
}

/// Where a case adds its lines to the hardened executor template: after this line, indented
/// as its children.
#[derive(Clone, Copy)]
enum At {
    Spec,
    PodSecurityContext,
    Container,
    ContainerSecurityContext,
    Capabilities,
    PodSeccompProfile,
}

impl At {
    fn anchor(self) -> (&'static str, &'static str) {
        match self {
            At::Spec => ("spec:\n", "  "),
            At::PodSecurityContext => ("  securityContext:\n", "    "),
            At::Container => ("    - name: spark-kubernetes-executor\n", "      "),
            At::ContainerSecurityContext => ("      securityContext:\n", "        "),
            At::Capabilities => ("        capabilities:\n", "          "),
            At::PodSeccompProfile => ("    seccompProfile:\n", "      "),
        }
    }
}

/// The hardened executor template with `lines` added at `at`.
fn template(at: At, lines: &str) -> String {
    let mut text =
        std::fs::read_to_string(common::repo().join("examples/hardened/executor-template.yaml"))
            .unwrap();
    let (anchor, by) = at.anchor();
    // A one-line `key: value` the template has already replaces it there.
    if let Some((key, _)) = lines.split_once(": ").filter(|_| !lines.contains('\n')) {
        let block = text.find(anchor).unwrap() + anchor.len();
        let existing = format!("\n{by}{key}: ");
        if let Some(at_key) = text[block - 1..].find(&existing).map(|i| i + block) {
            let end = at_key + text[at_key..].find('\n').unwrap();
            text.replace_range(at_key..end, &format!("{by}{lines}"));
            return text;
        }
    }
    let extra: String = lines.lines().map(|l| format!("{by}{l}\n")).collect();
    let position = text.find(anchor).unwrap() + anchor.len();
    text.insert_str(position, &extra);
    text
}

#[test]
fn each_check_fails_on_its_field_alone() {
    let dir = std::env::temp_dir().join(format!("spark-render-pss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // (check, level, where, template lines, conf)
    let cases: &[(&str, &str, At, &str, &[&str])] = &[
        (
            "hostNamespaces",
            "baseline",
            At::Spec,
            "hostNetwork: true",
            &[],
        ),
        ("hostNamespaces", "baseline", At::Spec, "hostPID: true", &[]),
        ("hostNamespaces", "baseline", At::Spec, "hostIPC: true", &[]),
        (
            "privileged",
            "baseline",
            At::ContainerSecurityContext,
            "privileged: true",
            &[],
        ),
        (
            "capabilities_baseline",
            "baseline",
            At::Capabilities,
            "add: [SYS_ADMIN]",
            &[],
        ),
        (
            "hostPorts",
            "baseline",
            At::Container,
            "ports:\n  - containerPort: 8080\n    hostPort: 8080",
            &[],
        ),
        (
            "procMount",
            "baseline",
            At::ContainerSecurityContext,
            "procMount: Unmasked",
            &[],
        ),
        (
            "seLinuxOptions",
            "baseline",
            At::ContainerSecurityContext,
            "seLinuxOptions:\n  type: spc_t",
            &[],
        ),
        (
            "seLinuxOptions",
            "baseline",
            At::PodSecurityContext,
            "seLinuxOptions:\n  user: system_u",
            &[],
        ),
        (
            "appArmorProfile",
            "baseline",
            At::ContainerSecurityContext,
            "appArmorProfile:\n  type: Unconfined",
            &[],
        ),
        (
            "sysctls",
            "baseline",
            At::PodSecurityContext,
            "sysctls:\n  - name: net.core.somaxconn\n    value: \"1024\"",
            &[],
        ),
        (
            "seccompProfile_baseline",
            "baseline",
            At::ContainerSecurityContext,
            "seccompProfile:\n  type: Unconfined",
            &[],
        ),
        (
            "hostProcess",
            "baseline",
            At::ContainerSecurityContext,
            "windowsOptions:\n  hostProcess: true",
            &[],
        ),
        (
            "hostPathVolumes",
            "baseline",
            At::Spec,
            "",
            &[
                "spark.kubernetes.executor.volumes.hostPath.scratch.mount.path=/scratch",
                "spark.kubernetes.executor.volumes.hostPath.scratch.options.path=/mnt/scratch",
            ],
        ),
        (
            "restrictedVolumes",
            "restricted",
            At::Spec,
            "",
            &[
                "spark.kubernetes.executor.volumes.nfs.data.mount.path=/data",
                "spark.kubernetes.executor.volumes.nfs.data.options.server=nfs.example.com",
                "spark.kubernetes.executor.volumes.nfs.data.options.path=/export",
            ],
        ),
        (
            "runAsUser",
            "restricted",
            At::ContainerSecurityContext,
            "runAsUser: 0",
            &[],
        ),
        (
            "runAsNonRoot",
            "restricted",
            At::ContainerSecurityContext,
            "runAsNonRoot: false",
            &[],
        ),
        (
            "capabilities_restricted",
            "restricted",
            At::Capabilities,
            "add: [CHOWN]",
            &[],
        ),
        // Not in the default set, as written ("CAP_CHOWN", lower case) or at all.
        (
            "capabilities_baseline",
            "baseline",
            At::Capabilities,
            "add: [CAP_CHOWN]",
            &[],
        ),
        (
            "capabilities_baseline",
            "baseline",
            At::Capabilities,
            "add: [chown]",
            &[],
        ),
        (
            "capabilities_baseline",
            "baseline",
            At::Capabilities,
            "add: [NET_RAW]",
            &[],
        ),
        (
            "runAsNonRoot",
            "restricted",
            At::PodSecurityContext,
            "runAsNonRoot: false",
            &[],
        ),
        (
            "runAsUser",
            "restricted",
            At::PodSecurityContext,
            "runAsUser: 0",
            &[],
        ),
        (
            "seccompProfile_baseline",
            "baseline",
            At::PodSeccompProfile,
            "type: Unconfined",
            &[],
        ),
        (
            "sysctls",
            "baseline",
            At::PodSecurityContext,
            "sysctls:\n  - name: net.ipv4.tcp_slow_start_after_idle\n    value: \"0\"",
            &[],
        ),
        (
            "appArmorProfile",
            "baseline",
            At::PodSecurityContext,
            "appArmorProfile:\n  type: Unconfined",
            &[],
        ),
    ];
    // Fields each check allows (the passing side of pod-security-admission's fixtures):
    // none of these may fail restricted.
    let passing: &[(At, &str)] = &[
        (At::Capabilities, "add: [NET_BIND_SERVICE]"),
        (At::ContainerSecurityContext, "seLinuxOptions:\n  type: container_t\n  level: s0:c123,c456"),
        (At::PodSecurityContext, "seLinuxOptions:\n  type: container_init_t"),
        (At::ContainerSecurityContext, "appArmorProfile:\n  type: RuntimeDefault"),
        (At::ContainerSecurityContext, "seccompProfile:\n  type: Localhost\n  localhostProfile: profiles/spark.json"),
        (At::PodSecurityContext, "sysctls:\n  - name: kernel.shm_rmid_forced\n    value: \"0\"\n  - name: net.ipv4.ip_local_port_range\n    value: \"1024 65535\"\n  - name: net.ipv4.tcp_rmem\n    value: \"4096 87380 16777216\""),
        (At::ContainerSecurityContext, "procMount: Default\nrunAsUser: 1000\nrunAsNonRoot: true\nprivileged: false"),
        (At::Container, "ports:\n  - containerPort: 8080\n    hostPort: 0"),
        (At::Spec, "hostNetwork: false\nvolumes:\n  - name: scratch\n    emptyDir: {}\n  - name: downward\n    downwardAPI:\n      items:\n        - path: labels\n          fieldRef:\n            fieldPath: metadata.labels"),
    ];
    let mut failures = Vec::new();
    for (n, (at, lines)) in passing.iter().enumerate() {
        let file = dir.join(format!("pass-{n}.yaml"));
        std::fs::write(&file, template(*at, lines)).unwrap();
        let template_conf = format!(
            "spark.kubernetes.executor.podTemplateFile={}",
            file.display()
        );
        let (_, failed, _) = check(
            "restricted",
            "3.5.3",
            &[
                "--conf",
                IMAGE,
                "--conf",
                &template_conf,
                "--conf",
                "spark.executor.instances=1",
            ],
        );
        let on_executor: Vec<&(String, String)> = failed
            .iter()
            .filter(|(role, _)| role == "executor")
            .collect();
        if !on_executor.is_empty() {
            failures.push(format!("passing {lines:?}: {on_executor:?}"));
        }
    }
    // Baseline allows adding its default capabilities, each alone.
    let baseline_caps = [
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    ];
    for cap in baseline_caps {
        let file = dir.join(format!("cap-{cap}.yaml"));
        std::fs::write(&file, template(At::Capabilities, &format!("add: [{cap}]"))).unwrap();
        let template_conf = format!(
            "spark.kubernetes.executor.podTemplateFile={}",
            file.display()
        );
        let (code, _, _) = check(
            "baseline",
            "3.5.3",
            &["--conf", IMAGE, "--conf", &template_conf],
        );
        if code != 0 {
            failures.push(format!("baseline refuses capability {cap}"));
        }
    }
    for (n, (expected, level, at, lines, conf)) in cases.iter().enumerate() {
        let file = dir.join(format!("case-{n}.yaml"));
        std::fs::write(&file, template(*at, lines)).unwrap();
        let template_conf = format!(
            "spark.kubernetes.executor.podTemplateFile={}",
            file.display()
        );
        let mut args = vec![
            "--conf",
            IMAGE,
            "--conf",
            &template_conf,
            "--conf",
            "spark.executor.instances=1",
            "--conf",
            "spark.kubernetes.executor.podTemplateContainerName=spark-kubernetes-executor",
        ];
        for c in *conf {
            args.extend(["--conf", c]);
        }
        // The executor alone is checked: the driver keeps Spark's defaults.
        let (code, failed, _) = check(level, "3.5.3", &args);
        let on_executor: BTreeSet<&str> = failed
            .iter()
            .filter(|(role, _)| role == "executor")
            .map(|(_, c)| c.as_str())
            .collect();
        let want: BTreeSet<&str> = [*expected].into();
        if code != 1 || on_executor != want {
            failures.push(format!(
                "{expected} ({lines}{conf:?}): exit {code}, {on_executor:?}"
            ));
        }
    }
    // The unchanged template passes restricted.
    let file = dir.join("hardened.yaml");
    std::fs::write(&file, template(At::Spec, "")).unwrap();
    let template_conf = format!(
        "spark.kubernetes.executor.podTemplateFile={}",
        file.display()
    );
    let (_, failed, _) = check(
        "restricted",
        "3.5.3",
        &["--conf", IMAGE, "--conf", &template_conf],
    );
    assert!(
        !failed.iter().any(|(role, _)| role == "executor"),
        "{failed:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_kubernetes_version_decides_what_is_allowed() {
    let dir = std::env::temp_dir().join(format!("spark-render-pss-k8s-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |name: &str, at: At, lines: &str, k8s: &str| {
        let file = dir.join(name);
        std::fs::write(&file, template(at, lines)).unwrap();
        let template_conf = format!(
            "spark.kubernetes.executor.podTemplateFile={}",
            file.display()
        );
        let (code, failed, _) = check(
            "baseline",
            "3.5.3",
            &[
                "--kubernetes-version",
                k8s,
                "--conf",
                IMAGE,
                "--conf",
                &template_conf,
            ],
        );
        (code, failed)
    };
    // net.ipv4.tcp_rmem is a safe sysctl from 1.32.
    let sysctl = "sysctls:\n  - name: net.ipv4.tcp_rmem\n    value: \"4096 87380 16777216\"";
    assert_eq!(
        run("rmem.yaml", At::PodSecurityContext, sysctl, "1.33").0,
        0
    );
    let (code, failed) = run("rmem.yaml", At::PodSecurityContext, sysctl, "1.31");
    assert_eq!(code, 1);
    assert!(failed.contains(&("executor".to_owned(), "sysctls".to_owned())));
    // 1.34 forbids probes that name a host.
    let probe = "livenessProbe:\n  httpGet:\n    host: 10.0.0.1\n    port: 4040";
    assert_eq!(run("probe.yaml", At::Container, probe, "1.33").0, 0);
    let (code, failed) = run("probe.yaml", At::Container, probe, "1.34");
    assert_eq!(code, 1);
    assert!(failed.contains(&(
        "executor".to_owned(),
        "hostProbesAndHostLifecycle".to_owned()
    )));
    // A version not modelled is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .args([
            "check",
            "--pod-security",
            "baseline",
            "--kubernetes-version",
            "1.20",
            "--conf",
            IMAGE,
        ])
        .args(["--class", "C", JAR])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1.25 to 1.37"));
}
