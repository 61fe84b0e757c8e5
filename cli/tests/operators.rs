//! SparkApplications (`-f`): the operators' published examples render, their Spark part equals
//! what the reference renderer makes of the operator's spark-submit command line
//! (`scripts/regen-operator-goldens.sh`), and the operator's own steps show on the pods.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const ORACLE_VERSION: &str = "4.0.5";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_spark-render"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("spark-render runs")
}

fn kubeflow_examples() -> Vec<PathBuf> {
    let dir = common::repo().join("testdata/operators/kubeflow/examples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("app.yaml").exists())
        .collect();
    dirs.sort();
    dirs
}

fn example(name: &str) -> String {
    common::repo()
        .join("testdata/operators/kubeflow/examples")
        .join(name)
        .join("app.yaml")
        .display()
        .to_string()
}

fn docs(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::parse_yaml_docs(&String::from_utf8(out.stdout.clone()).unwrap())
}

fn pod<'a>(objects: &'a [Value], role: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == "Pod" && o["metadata"]["labels"]["spark-role"] == role)
        .unwrap_or_else(|| panic!("no {role} pod"))
}

#[test]
fn the_spark_part_of_every_example_is_what_spark_creates() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for dir in kubeflow_examples() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let golden = dir.join(format!("oracle-{ORACLE_VERSION}.yaml"));
        let app = dir.join("app.yaml").display().to_string();
        let out = run(&[
            "all",
            "-f",
            &app,
            "--reproducible",
            "--spark-only",
            "--operator-spark-version",
            ORACLE_VERSION,
            "--spark-version",
            ORACLE_VERSION,
            // The reference renderer's driver UID, and the one executor it renders.
            "--driver-uid",
            "00000000-0000-0000-0000-00000000d001",
            "--executor-id",
            "1",
        ]);
        let Ok(oracle) = std::fs::read_to_string(&golden) else {
            // Published with a placeholder that is not YAML: refused, naming the line.
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(1) || !stderr.contains("line ") {
                failures.push(format!(
                    "{name}: no golden, and not refused with a line: {stderr}"
                ));
            }
            continue;
        };
        if !out.status.success() {
            failures.push(format!("{name}: {}", String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        compared += 1;
        let diffs = common::compare(&oracle, &String::from_utf8(out.stdout).unwrap());
        if !diffs.is_empty() {
            failures.push(format!("{name}:\n  {}", diffs.join("\n  ")));
        }
    }
    assert!(compared >= 12, "only {compared} examples compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_renders_with_the_operator() {
    for dir in kubeflow_examples() {
        if !dir.join(format!("oracle-{ORACLE_VERSION}.yaml")).exists() {
            continue;
        }
        let app = dir.join("app.yaml").display().to_string();
        let objects = docs(&run(&["all", "-f", &app, "--reproducible"]));
        let driver = pod(&objects, "driver");
        // The webhook makes the application the driver's owner.
        assert_eq!(
            driver["metadata"]["ownerReferences"][0]["kind"],
            "SparkApplication",
            "{}",
            dir.display()
        );
        assert!(objects.iter().any(|o| o["kind"] == "Service"
            && o["metadata"]["name"].as_str().unwrap().ends_with("-ui-svc")));
        pod(&objects, "executor");
    }
}

#[test]
fn the_webhook_applies_what_spark_submit_cannot_carry() {
    let app = r#"
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata: {name: etl, namespace: jobs}
spec:
  type: Scala
  mode: cluster
  image: apache/spark:4.0.1
  mainClass: org.example.Etl
  mainApplicationFile: local:///opt/app/etl.jar
  sparkVersion: 4.0.1
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: etl-data}
  driver:
    serviceAccount: spark
    volumeMounts: [{name: data, mountPath: /data}]
    tolerations: [{key: dedicated, operator: Equal, value: spark, effect: NoSchedule}]
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: pool, operator: In, values: [spark]}]
    securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}
    podSecurityContext: {fsGroup: 185}
  executor:
    instances: 2
    tolerations: [{key: dedicated, operator: Equal, value: spark, effect: NoSchedule}]
"#;
    let file = app_file("etl.yaml", app);
    let objects = docs(&run(&["all", "-f", &file, "--reproducible"]));
    let driver = pod(&objects, "driver");
    assert_eq!(driver["spec"]["tolerations"][0]["key"], "dedicated");
    assert_eq!(
        driver["spec"]["affinity"]["nodeAffinity"]
            ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
            ["matchExpressions"][0]["key"],
        "pool"
    );
    assert_eq!(driver["spec"]["securityContext"]["fsGroup"], 185);
    let container = &driver["spec"]["containers"][0];
    assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
    assert!(container["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["mountPath"] == "/data"));
    assert!(driver["spec"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["persistentVolumeClaim"]["claimName"] == "etl-data"));
    assert_eq!(
        pod(&objects, "executor")["spec"]["tolerations"][0]["value"],
        "spark"
    );

    // explain names the mutation that sets each field.
    let out = run(&["explain", "-f", &file, "--reproducible"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  spec.tolerations[0].key = dedicated\n      <- kubeflow/spark-operator webhook (addTolerations): from the SparkApplication's spec"),
        "{text}"
    );
    // Without the webhook none of it applies.
    let objects = docs(&run(&[
        "all",
        "-f",
        &file,
        "--reproducible",
        "--no-webhook",
    ]));
    let driver = pod(&objects, "driver");
    assert!(driver["spec"].get("tolerations").is_none());
    assert!(driver["spec"].get("affinity").is_none());
}

#[test]
fn print_submit_shows_the_operators_command_line() {
    let out = run(&[
        "driver",
        "-f",
        &example("spark-pi"),
        "--reproducible",
        "--print-submit",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "$SPARK_HOME/bin/spark-submit \\");
    assert_eq!(lines[2], "  --master k8s://https://10.96.0.1:443 \\");
    assert_eq!(lines[3], "  --deploy-mode cluster \\");
    assert!(text.contains("  --conf spark.kubernetes.submission.waitAppCompletion=false \\\n"));
    assert!(text.contains("  --conf spark.kubernetes.driver.label.sparkoperator.k8s.io/submission-id=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b \\\n"));
    assert!(lines.last().unwrap().ends_with("spark-examples.jar 5000"));
}

#[test]
fn spark_submit_options_beside_a_resource_are_refused() {
    let out = run(&["driver", "-f", &example("spark-pi"), "--conf", "spark.x=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--conf is given with -f"));
    let out = run(&["driver", "-f", &example("spark-pi"), "local:///x.jar"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("local:///x.jar is given with -f"));
}

#[test]
fn fields_the_crd_requires_are_required() {
    let file = app_file("bare.yaml", "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata: {name: pi}\nspec:\n  mainClass: X\n");
    let out = run(&["all", "-f", &file, "--reproducible"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "SparkApplication default/pi: spec.driver, spec.executor, spec.mainApplicationFile, spec.sparkVersion are required by the SparkApplication CRD"
    ));
    // Without the webhook, nothing defaults spec.type either.
    let out = run(&["all", "-f", &file, "--no-webhook"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("spec.sparkVersion, spec.type are required")
    );
}

#[test]
fn the_operator_refuses_what_its_validation_refuses() {
    let file = app_file("ns.yaml", "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata: {name: pi, namespace: jobs}\nspec:\n  mainApplicationFile: local:///x.jar\n  mainClass: X\n  sparkVersion: 4.0.4\n  image: apache/spark:4.0.4\n  driver: {}\n  executor: {}\n  sparkConf: {spark.kubernetes.namespace: other}\n");
    let out = run(&["driver", "-f", &file, "--reproducible"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SparkApplication jobs/pi: the operator's webhook refuses it: sparkConf key \"spark.kubernetes.namespace\" is not allowed: must equal the application namespace \"jobs\", got \"other\""),
        "{stderr}"
    );
}

/// Writes `text` to a file `name` of a fresh directory; its path.
fn app_file(name: &str, text: impl AsRef<[u8]>) -> String {
    let file = tempdir().join(name);
    std::fs::write(&file, text).unwrap();
    file.display().to_string()
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "spark-render-operators-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn lint_reports_what_the_operator_would_drop_or_refuse() {
    let app = r#"
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata: {name: etl, namespace: jobs}
spec:
  type: Scala
  mode: cluster
  image: apache/spark:4.0.1
  mainClass: org.example.Etl
  mainApplicationFile: local:///opt/app/etl.jar
  sparkVersion: 4.0.1
  sparkConf:
    spark.kubernetes.namespace: other
    spark.driver.memory: 8g
    spark.executor.memroy: 4g
  volumes:
  - name: spark-local-dir-1
    configMap: {name: x}
  driver:
    memory: 2g
    tolerations: [{key: a, operator: Exists}]
    volumeMounts: [{name: data, mountPath: /data}]
    nodeSelectr: {a: b}
  executor: {}
"#;
    let file = app_file("lint.yaml", app);
    let out = run(&["lint", "-f", &file, "--fail-on-findings"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let at = format!("{file}: SparkApplication jobs/etl: ");
    for expected in [
        "spec.driver.nodeSelectr: not a field of a sparkoperator.k8s.io/v1beta2 SparkApplication",
        "spec.driver.volumeMounts[0]: mounts volume data, which spec.volumes does not declare: the webhook drops the mount",
        "spec.volumes[0]: volume spark-local-dir-1 is a spark-local-dir-* volume of a type the operator cannot hand to Spark",
        "spec.sparkConf[spark.kubernetes.namespace]: other is not the SparkApplication's namespace jobs: the operator refuses it",
        "spec.sparkConf[spark.driver.memory]: overridden: the operator passes spark.driver.memory=2g after sparkConf",
    ] {
        assert!(text.contains(&format!("{at}{expected}")), "{expected}\nin\n{text}");
    }
    assert!(
        text.contains("spec.sparkConf: spark.executor.memroy: not a key Spark 4.0 reads; did you mean spark.executor.memory?"),
        "{text}"
    );
    // Without the webhook, the fields only it applies are reported instead of applied.
    let out = run(&["lint", "-f", &file, "--no-webhook"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!(
        "{at}spec.driver.tolerations: only the operator's webhook applies it, and the webhook is off"
    )));
    assert!(!text.contains("the webhook drops the mount"), "{text}");
}

#[test]
fn diff_compares_two_versions_of_a_spark_application() {
    let old = std::fs::read_to_string(example("spark-pi")).unwrap();
    assert!(old.contains("    instances: 1\n"));
    let new = old.replace("    instances: 1\n", "    instances: 2\n");
    let dir = tempdir();
    let new_file = dir.join("spark-pi-2.yaml");
    std::fs::write(&new_file, new).unwrap();
    let out = run(&[
        "diff",
        "-f",
        &example("spark-pi"),
        "-f",
        &new_file.display().to_string(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("~ data[spark.properties][spark.executor.instances]: 1 → 2"),
        "{text}"
    );
    assert!(text.contains("Pod/spark-pi-<id>-exec-2\n  + (the whole object, only on the right)"));
    // The same file on both sides: nothing differs, drawn values included.
    let out = run(&[
        "diff",
        "-f",
        &example("spark-pi"),
        "-f",
        &example("spark-pi"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&["diff", "-f", &example("spark-pi")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn operator_releases_differ_as_their_code_does() {
    let file = app_file("releases.yaml", "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata: {name: pi, namespace: jobs}\nspec:\n  type: Scala\n  mode: cluster\n  sparkVersion: 4.0.1\n  image: apache/spark:4.0.1\n  mainClass: X\n  mainApplicationFile: local:///x.jar\n  sparkConf: {spark.kubernetes.authenticate.oauthToken: t}\n  volumes: [{name: spark-local-dir-1, emptyDir: {medium: Memory, sizeLimit: 1024Mi}}]\n  driver: {volumeMounts: [{name: spark-local-dir-1, mountPath: /tmp/spark}]}\n  executor: {}\n");
    let print = |release: &str| {
        let out = run(&[
            "driver",
            "-f",
            &file,
            "--reproducible",
            "--print-submit",
            "--operator-release",
            release,
        ]);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // v2.5.1 passes an emptyDir's medium to Spark; the quantity is written as Go writes it.
    let (_, v240, _) = print("v2.4.0");
    let (status, v251, _) = print("v2.5.1");
    assert_eq!(status, Some(0));
    assert!(!v240.contains("options.medium"));
    assert!(v251.contains(
        "spark.kubernetes.driver.volumes.emptyDir.spark-local-dir-1.options.medium=Memory"
    ));
    assert!(v251.contains(
        "spark.kubernetes.driver.volumes.emptyDir.spark-local-dir-1.options.sizeLimit=1Gi"
    ));
    // v2.5.2's webhook refuses a token in sparkConf.
    let (status, _, stderr) = print("v2.5.2");
    assert_eq!(status, Some(1));
    assert!(
        stderr
            .contains("sparkConf key \"spark.kubernetes.authenticate.oauthToken\" is not allowed"),
        "{stderr}"
    );
    // The driver's objects come from the Spark of the operator's image.
    let objects = docs(&run(&[
        "driver",
        "-f",
        &example("spark-pi"),
        "--reproducible",
        "--operator-release",
        "2.5.0",
    ]));
    assert_eq!(
        pod(&objects, "driver")["metadata"]["labels"]["spark-version"],
        "4.0.1"
    );
    let out = run(&[
        "driver",
        "-f",
        &example("spark-pi"),
        "--operator-release",
        "v2.3.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("v2.4.0, v2.5.0, v2.5.1, v2.5.2"));
}

#[test]
fn the_ui_ingress_is_made_once_the_application_id_is_known() {
    let objects = docs(&run(&[
        "all",
        "-f",
        &example("spark-pi"),
        "--reproducible",
        "--ui-ingress-url-format",
        "{{$appName}}.example.com/{{$appId}}/ui",
    ]));
    let ingress = objects
        .iter()
        .find(|o| o["kind"] == "Ingress")
        .expect("an Ingress");
    let rule = &ingress["spec"]["rules"][0];
    assert_eq!(rule["host"], "spark-pi.example.com");
    assert_eq!(
        rule["http"]["paths"][0]["path"],
        "/spark-00000000000000000000000000000000/ui(/|$)(.*)"
    );
    // Before submitting, the id is still unknown: the proxy base the conf gets has none.
    let driver = pod(&objects, "driver");
    let conf = objects
        .iter()
        .find(|o| o["kind"] == "ConfigMap" && o["data"]["spark.properties"].is_string())
        .unwrap();
    assert!(conf["data"]["spark.properties"]
        .as_str()
        .unwrap()
        .contains("spark.ui.proxyBase=//ui"));
    assert_eq!(driver["metadata"]["name"], "spark-pi-driver");
}

#[test]
fn names_the_api_server_refuses_are_refused() {
    for (name, shown) in [
        ("Spark_Pi", "\"Spark_Pi\""),
        ("", "metadata.name is required"),
    ] {
        let file = app_file(
            "name.yaml",
            format!("apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata: {{name: \"{name}\"}}\nspec: {{}}\n"),
        );
        let out = run(&["all", "-f", &file]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(shown),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn apache_examples() -> Vec<PathBuf> {
    let dir = common::repo().join("testdata/operators/apache/examples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("app.yaml").exists())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_apache_operator_example_renders() {
    let examples = apache_examples();
    assert!(examples.len() >= 31, "{}", examples.len());
    for dir in examples {
        let app = dir.join("app.yaml").display().to_string();
        let objects = docs(&run(&["all", "-f", &app, "--reproducible"]));
        let driver = pod(&objects, "driver");
        assert_eq!(
            driver["metadata"]["ownerReferences"][0]["kind"], "SparkApplication",
            "{app}"
        );
        // The operator labels the pods with runtimeVersions.sparkVersion, whatever Spark it
        // bundles.
        assert!(
            driver["metadata"]["labels"]["spark-version"].is_string(),
            "{app}"
        );
    }
}

#[test]
fn the_apache_operator_builds_the_conf_itself() {
    let app = example_of("apache", "pi");
    let out = run(&["driver", "-f", &app, "--reproducible", "--print-submit"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("the Apache Spark operator runs no spark-submit"),
        "{text}"
    );
    for line in [
        "spark.app.id=pi-0",
        "spark.authenticate=true",
        "spark.io.encryption.enabled=true",
        "spark.kubernetes.executor.useDriverPodIP=true",
        "spark.kubernetes.namespace=default",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
    let objects = docs(&run(&["driver", "-f", &app, "--reproducible"]));
    let driver = pod(&objects, "driver");
    assert_eq!(driver["metadata"]["name"], "pi-0-driver");
    assert_eq!(
        driver["metadata"]["labels"]["spark.operator/spark-app-name"],
        "pi"
    );
    assert_eq!(
        driver["spec"]["containers"][0]["securityContext"]["allowPrivilegeEscalation"],
        false
    );
}

fn example_of(operator: &str, name: &str) -> String {
    common::repo()
        .join("testdata/operators")
        .join(operator)
        .join("examples")
        .join(name)
        .join("app.yaml")
        .display()
        .to_string()
}

/// Spark 4.2's `DeploymentPodsAllocator` (the Apache operator's `pi-java25-deployment`
/// example): one Deployment whose template is the executor pod built for `EXECID`. The
/// reference renderer renders only the direct allocator, so this follows
/// `DeploymentPodsAllocator.scala` as the StatefulSet allocator follows its own.
#[test]
fn the_deployment_allocator_makes_one_deployment() {
    let render = |version: &str, extra: &[&str]| {
        let mut args = vec![
            "executor",
            "--reproducible",
            "--spark-version",
            version,
            "--class",
            "org.apache.spark.examples.SparkPi",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.2.1",
            "--conf",
            "spark.kubernetes.allocation.pods.allocator=deployment",
            "--conf",
            "spark.executor.instances=3",
        ];
        args.extend_from_slice(extra);
        args.push("local:///opt/spark/examples/jars/spark-examples.jar");
        run(&args)
    };
    let objects = docs(&render("4.2.1", &[]));
    let deployment = objects
        .iter()
        .find(|o| o["kind"] == "Deployment")
        .expect("a Deployment");
    assert_eq!(deployment["apiVersion"], "apps/v1");
    assert_eq!(
        deployment["metadata"]["name"],
        "spark-d-spark-00000000000000000000000000000000-0"
    );
    assert_eq!(deployment["spec"]["replicas"], 3);
    let selector = &deployment["spec"]["selector"]["matchLabels"];
    assert_eq!(selector["spark-role"], "executor");
    assert_eq!(selector["spark-exec-resourceprofile-id"], "0");
    let template = &deployment["spec"]["template"];
    assert_eq!(
        template["metadata"]["annotations"]["controller.kubernetes.io/pod-deletion-cost"],
        "0"
    );
    assert_eq!(template["metadata"]["labels"]["spark-exec-id"], "EXECID");
    assert!(!objects.iter().any(|o| o["kind"] == "Pod"));
    // Claims are refused, as the allocator refuses them.
    let out = render(
        "4.2.1",
        &[
            "--conf",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.claimName=OnDemand",
            "--conf",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.mount.path=/data",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("PersistentVolumeClaims are not supported with the deployment allocator"));
    // Before 4.2 "deployment" names no allocator: a class the driver cannot load.
    let out = render("4.1.4", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("custom executor allocator"));
}

/// The whole of what kubeflow's operator and Spark create for its Prometheus example with a UI
/// Ingress: the operator's ConfigMap, the driver's objects with the webhook's patches, the UI
/// Service and Ingress, an executor. Read before it is accepted.
#[test]
fn snapshot_of_a_kubeflow_application() {
    let out = run(&[
        "all",
        "-f",
        &example("spark-pi-prometheus-image-set"),
        "--reproducible",
        "--ui-ingress-url-format",
        "{{$appName}}.example.com/{{$appNamespace}}",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("operator-kubeflow-spark-pi-prometheus", String::from_utf8(out.stdout).unwrap());
    });
}

#[test]
fn a_resource_file_that_is_not_utf8_is_refused() {
    let file = app_file(
        "latin1.yaml",
        b"apiVersion: v1\nkind: SparkApplication\nmetadata: {name: caf\xe9}\n",
    );
    let out = run(&["all", "-f", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("latin1.yaml: not UTF-8 text"));
}

#[test]
fn summary_counts_what_the_webhook_adds() {
    let file = app_file("summary.yaml", "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata: {name: pi}\nspec:\n  type: Scala\n  sparkVersion: 4.0.4\n  image: apache/spark:4.0.4\n  mainClass: X\n  mainApplicationFile: local:///x.jar\n  driver: {memoryLimit: 4g}\n  executor: {instances: 3, gpu: {name: nvidia.com/gpu, quantity: 1}}\n");
    let out = run(&["summary", "-f", &file, "--reproducible", "-o", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &list[0];
    assert_eq!(summary["executors_at_start"], 3, "{summary}");
    assert_eq!(
        summary["driver"]["limits"]["memory"],
        4.0 * 1024.0 * 1024.0 * 1024.0,
        "{summary}"
    );
    assert_eq!(
        summary["limits_at_start"]["nvidia.com/gpu"], 3.0,
        "{summary}"
    );
}
