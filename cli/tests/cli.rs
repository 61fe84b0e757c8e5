//! The `spark-render` binary: argument handling, output formats, exit codes, determinism.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output};

use serde_json::Value;

const IMAGE: &str = "spark.kubernetes.container.image=apache/spark:3.5.3";
const JAR: &str = "local:///opt/spark/examples/jars/spark-examples.jar";

/// Runs `spark-render` with a scrubbed environment.
fn run(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spark-render"));
    for var in [
        "SPARK_USER",
        "SPARK_CONF_DIR",
        "SPARK_HOME",
        "HADOOP_CONF_DIR",
        "SPARK_LOCAL_DIRS",
    ] {
        cmd.env_remove(var);
    }
    cmd.args(args).output().expect("spark-render runs")
}

fn fixed(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec![
        "driver",
        "--app-id",
        "spark-1",
        "--unique-id",
        "abc123",
        "--submit-time",
        "1700000000000",
        "--spark-user",
        "tester",
        "--local-dir-uuid",
        "u-1",
        "--conf",
        IMAGE,
        "--class",
        "org.apache.spark.examples.SparkPi",
    ];
    args.extend_from_slice(extra);
    args
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn spark_submit_style_command_line_renders() {
    let out = run(&fixed(&[
        "--master",
        "k8s://host:443",
        "--name",
        "spark-pi",
        "--driver-memory",
        "2g",
        "--driver-cores",
        "2",
        "--proxy-user",
        "bob",
        JAR,
        "100",
        "--verbose",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = common::parse_yaml_docs(&String::from_utf8(out.stdout).unwrap());
    let pod = &docs[0];
    assert_eq!(pod["metadata"]["name"], "spark-pi-abc123-driver");
    let c = &pod["spec"]["containers"][0];
    assert_eq!(c["resources"]["requests"]["cpu"], "2");
    assert_eq!(c["resources"]["limits"]["memory"], "2432Mi");
    let args: Vec<&str> = c["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        args,
        [
            "driver",
            "--proxy-user",
            "bob",
            "--properties-file",
            "/opt/spark/conf/spark.properties",
            "--class",
            "org.apache.spark.examples.SparkPi",
            JAR,
            "100",
            "--verbose"
        ]
    );
    let props = docs[2]["data"]["spark.properties"].as_str().unwrap();
    assert!(
        props.contains("spark.master=k8s\\://https\\://host\\:443\n"),
        "{props}"
    );
    assert!(props.contains("spark.driver.cores=2\n"));
}

#[test]
fn output_is_deterministic() {
    let args = fixed(&["--driver-uid", "uid-1", JAR]);
    let a = run(&args);
    let b = run(&args);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn json_output_is_a_v1_list() {
    let out = run(&fixed(&["-o", "json", JAR]));
    assert!(out.status.success(), "{}", stderr(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["kind"], "List");
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Pod", "Service", "ConfigMap"]);
}

#[test]
fn owner_references_need_the_driver_uid() {
    let without = run(&fixed(&[JAR]));
    let text = String::from_utf8(without.stdout).unwrap();
    assert!(!text.contains("ownerReferences"), "{text}");
    let with = run(&fixed(&["--driver-uid", "uid-7", JAR]));
    let docs = common::parse_yaml_docs(&String::from_utf8(with.stdout).unwrap());
    for doc in &docs[1..] {
        assert_eq!(doc["metadata"]["ownerReferences"][0]["uid"], "uid-7");
        assert_eq!(
            doc["metadata"]["ownerReferences"][0]["name"],
            "org-apache-spark-examples-sparkpi-abc123-driver"
        );
    }
    assert!(docs[0]["metadata"].get("ownerReferences").is_none());
}

#[test]
fn drawn_inputs_look_like_sparks() {
    let out = run(&["driver", "--conf", IMAGE, "--class", "C", JAR]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = common::parse_yaml_docs(&String::from_utf8(out.stdout).unwrap());
    let app_id = docs[0]["metadata"]["labels"]["spark-app-selector"]
        .as_str()
        .unwrap();
    assert!(
        app_id.starts_with("spark-") && app_id.len() == 38,
        "{app_id}"
    );
    let name = docs[0]["metadata"]["name"].as_str().unwrap();
    let unique = name
        .strip_prefix("c-")
        .and_then(|n| n.strip_suffix("-driver"))
        .unwrap();
    assert!(
        unique.len() > 6 && unique.chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
}

#[test]
fn refusals_exit_1_with_nothing_on_stdout() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["driver", "--conf", "novalue", JAR],
            "--conf: \"novalue\" has no '='",
        ),
        (
            &["driver", "--class", "C", JAR],
            "spark.kubernetes.container.image is not set",
        ),
        (
            &[
                "driver",
                "--properties-file",
                "/nonexistent/spark.conf",
                "--conf",
                IMAGE,
                "--class",
                "C",
                JAR,
            ],
            "cannot read /nonexistent/spark.conf",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--conf",
                "spark.driver.memory=lots",
                "--class",
                "C",
                JAR,
            ],
            "spark.driver.memory=\"lots\" is invalid",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--conf",
                "spark.kubernetes.driver.request.cores=abc",
                "--class",
                "C",
                JAR,
            ],
            "spark.kubernetes.driver.request.cores=\"abc\" is invalid",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--conf",
                "spark.kubernetes.driver.label.spark-role=x",
                "--class",
                "C",
                JAR,
            ],
            "spark.kubernetes.driver.label.spark-role is not allowed",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--deploy-mode",
                "client",
                "--class",
                "C",
                JAR,
            ],
            "--deploy-mode",
        ),
        (
            &[
                "driver", "--conf", IMAGE, "--master", "yarn", "--class", "C", JAR,
            ],
            "--master",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--spark-version",
                "3.2.4",
                "--class",
                "C",
                JAR,
            ],
            "Spark 3.2 is not modelled",
        ),
        (&["driver", "--conf", IMAGE, JAR], "--class"),
        (
            &[
                "driver",
                "--spark-version",
                "4.1.4",
                "--conf",
                IMAGE,
                "--conf",
                "spark.kubernetes.driver.pod.excludedFeatureSteps=org.example.Step",
                "--class",
                "C",
                JAR,
            ],
            "does not model excluding feature steps",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--conf",
                "spark.kubernetes.driver.podTemplateFile=/nonexistent/t.yaml",
                "--class",
                "C",
                JAR,
            ],
            "cannot read /nonexistent/t.yaml (named by spark.kubernetes.driver.podTemplateFile)",
        ),
        (
            &[
                "driver",
                "--conf",
                IMAGE,
                "--conf",
                "spark.kubernetes.driver.pod.featureSteps=com.example.Step",
                "--class",
                "C",
                JAR,
            ],
            "is set, but spark-render does not model",
        ),
    ];
    for (args, fragment) in cases {
        let out = run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(err.contains(fragment), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn unreadable_properties_line_names_file_and_line() {
    let dir = std::env::temp_dir().join(format!("spark-render-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.conf");
    std::fs::write(&file, format!("{IMAGE}\nspark.app.name=\\u12\n")).unwrap();
    let out = run(&[
        "driver",
        "--properties-file",
        file.to_str().unwrap(),
        "--class",
        "C",
        JAR,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.conf:2: malformed"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let out = run(&["driver", "--no-such-flag", JAR]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let help = run(&["driver", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("kubectl apply -f -"));
    let version = run(&["--version"]);
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(
        version.contains("Spark 3.3 to 4.3") && version.contains("4.3.0"),
        "{version}"
    );
}

#[test]
fn warnings_go_to_stderr() {
    let out = run(&fixed(&[
        "--conf",
        "spark.driver.host=h",
        "--conf",
        "other.key=1",
        JAR,
    ]));
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("spark.driver.host is ignored in cluster mode"),
        "{err}"
    );
    assert!(
        err.contains("ignoring non-Spark config property: other.key"),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("warning"));
}

#[test]
fn client_mode_renders_executors_only_and_names_what_it_needs() {
    let base = [
        "executor",
        "--deploy-mode",
        "client",
        "--conf",
        IMAGE,
        "--class",
        "C",
        "--app-id",
        "spark-1",
        "--unique-id",
        "abc123",
    ];
    let missing_host = run(&[&base[..], &[JAR]].concat());
    assert_eq!(missing_host.status.code(), Some(1));
    assert!(stderr(&missing_host).contains("spark.driver.host is not set"));

    let missing_port = run(&[&base[..], &["--conf", "spark.driver.host=10.0.0.5", JAR]].concat());
    assert_eq!(missing_port.status.code(), Some(1));
    assert!(stderr(&missing_port).contains("spark.driver.port is not set"));

    let ok = run(&[
        &base[..],
        &[
            "--conf",
            "spark.driver.host=10.0.0.5",
            "--conf",
            "spark.driver.port=40000",
            "--conf",
            "spark.kubernetes.driver.pod.name=my-driver",
            "--driver-uid",
            "uid-9",
            "--executor-id",
            "1",
            JAR,
        ],
    ]
    .concat());
    assert!(ok.status.success(), "{}", stderr(&ok));
    let docs = common::parse_yaml_docs(&String::from_utf8(ok.stdout).unwrap());
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Pod", "ConfigMap"]);
    let env = docs[0]["spec"]["containers"][0]["env"].as_array().unwrap();
    let url = env
        .iter()
        .find(|e| e["name"] == "SPARK_DRIVER_URL")
        .unwrap();
    assert_eq!(
        url["value"],
        "spark://CoarseGrainedScheduler@10.0.0.5:40000"
    );
    assert!(!env.iter().any(|e| e["name"] == "SPARK_DRIVER_POD_IP"));
    assert_eq!(
        docs[0]["metadata"]["ownerReferences"][0]["name"],
        "my-driver"
    );
    assert_eq!(docs[0]["metadata"]["ownerReferences"][0]["uid"], "uid-9");

    let driver = run(&[
        "driver",
        "--deploy-mode",
        "client",
        "--conf",
        IMAGE,
        "--class",
        "C",
        JAR,
    ]);
    assert_eq!(driver.status.code(), Some(1));
    assert!(stderr(&driver).contains("no driver pod"));
}

#[test]
fn all_prints_driver_then_requested_executors() {
    let out = run(&[
        "all",
        "--executor-id",
        "3",
        "--executor-id",
        "5",
        "--driver-pod-ip",
        "10.1.2.3",
        "--driver-uid",
        "uid-1",
        "--conf",
        IMAGE,
        "--class",
        "C",
        "--name",
        "job",
        "--unique-id",
        "abc123",
        JAR,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = common::parse_yaml_docs(&String::from_utf8(out.stdout).unwrap());
    let keys: Vec<String> = docs.iter().map(common::key_of).collect();
    assert_eq!(
        keys,
        [
            "Pod/job-abc123-driver",
            "Service/job-abc123-driver-svc",
            "ConfigMap/spark-drv-abc123-conf-map",
            "Pod/job-abc123-exec-3",
            "Pod/job-abc123-exec-5",
            "ConfigMap/spark-exec-abc123-conf-map",
        ]
    );
    let env = docs[4]["spec"]["containers"][0]["env"].as_array().unwrap();
    assert!(env
        .iter()
        .any(|e| e["name"] == "SPARK_DRIVER_POD_IP" && e["value"] == "10.1.2.3"));
    assert!(env
        .iter()
        .any(|e| e["name"] == "SPARK_EXECUTOR_ID" && e["value"] == "5"));
    let zero = run(&[
        "all",
        "--executor-id",
        "0",
        "--conf",
        IMAGE,
        "--class",
        "C",
        JAR,
    ]);
    assert_eq!(zero.status.code(), Some(2));
}

#[test]
fn statefulset_allocator_renders_one_stateful_set() {
    let out = run(&[
        "executor",
        "--conf",
        IMAGE,
        "--conf",
        "spark.kubernetes.allocation.pods.allocator=statefulset",
        "--conf",
        "spark.executor.instances=5",
        "--conf",
        "spark.kubernetes.executor.volumes.persistentVolumeClaim.spill.mount.path=/spill",
        "--conf",
        "spark.kubernetes.executor.volumes.persistentVolumeClaim.spill.options.claimName=OnDemand",
        "--conf",
        "spark.kubernetes.executor.volumes.persistentVolumeClaim.spill.options.storageClass=gp3",
        "--conf",
        "spark.kubernetes.executor.volumes.persistentVolumeClaim.spill.options.sizeLimit=10Gi",
        "--driver-uid",
        "uid-1",
        "--app-id",
        "spark-7",
        "--unique-id",
        "abc123",
        "--name",
        "job",
        "--class",
        "C",
        JAR,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = common::parse_yaml_docs(&String::from_utf8(out.stdout).unwrap());
    let keys: Vec<String> = docs.iter().map(common::key_of).collect();
    assert_eq!(
        keys,
        [
            "StatefulSet/spark-s-spark-7-0",
            "ConfigMap/spark-exec-abc123-conf-map"
        ]
    );
    let set = &docs[0];
    assert_eq!(set["spec"]["replicas"], 5);
    assert_eq!(set["spec"]["podManagementPolicy"], "Parallel");
    assert_eq!(
        set["spec"]["selector"]["matchLabels"]["spark-role"],
        "executor"
    );
    assert_eq!(set["metadata"]["ownerReferences"][0]["uid"], "uid-1");
    let template = &set["spec"]["template"];
    assert_eq!(template["spec"]["restartPolicy"], "Always");
    assert_eq!(template["metadata"]["labels"]["spark-exec-id"], "EXECID");
    let volumes: Vec<&str> = template["spec"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(!volumes.contains(&"spill"), "{volumes:?}");
    assert_eq!(
        set["spec"]["volumeClaimTemplates"][0]["metadata"]["name"],
        "spill"
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("spark-render"));
    }
    let man = run(&["man"]);
    assert!(man.status.success());
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(text.contains(".TH spark-render 1"), "{text}");
    assert!(text.contains("mirrors Apache Spark 3.3 to 4.3"), "{text}");
}

#[test]
fn explain_names_a_source_for_every_field() {
    let dir = common::repo().join("testdata/driver/example-templates");
    let out = common::run_case_as(&dir, "explain", &["-o", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let fields: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let driver = "Pod/spark-pi-0123456789abcdef-driver";
    let find = |object: &str, field: &str| -> Value {
        fields
            .iter()
            .find(|f| f["object"] == object && f["field"] == field)
            .unwrap_or_else(|| panic!("{object} {field} is not explained"))["source"]
            .clone()
    };
    let image = find(driver, "spec.containers[1].image");
    assert_eq!(image["from"], "conf");
    assert_eq!(image["key"], "spark.kubernetes.container.image");
    let memory = find(driver, "spec.containers[1].resources.limits.memory");
    assert_eq!(memory["from"], "rule");
    assert!(
        memory["detail"].as_str().unwrap().contains("2048 MiB"),
        "{memory}"
    );
    assert!(
        memory["detail"]
            .as_str()
            .unwrap()
            .contains("max(0.1 × 2048, 384)"),
        "{memory}"
    );
    let toleration = find(driver, "spec.tolerations[0].key");
    assert_eq!(toleration["from"], "template");
    assert_eq!(toleration["file"], "driver-template.yaml");
    let exec_toleration = find(
        "Pod/spark-pi-0123456789abcdef-exec-1",
        "spec.tolerations[0].key",
    );
    assert_eq!(exec_toleration["file"], "executor-template.yaml");
    assert_eq!(
        find("ConfigMap/spark-drv-0123456789abcdef-conf-map", "immutable")["step"],
        "Client"
    );

    // Every field of every object that `all` prints is explained.
    let all = common::run_case_as(&dir, "all", &[]);
    for doc in common::parse_yaml_docs(&String::from_utf8(all.stdout).unwrap()) {
        let object = common::key_of(&doc);
        for field in spark_render_engine::provenance::flatten(&doc).keys() {
            if field == "apiVersion" || field == "kind" {
                continue;
            }
            assert!(
                fields
                    .iter()
                    .any(|f| f["object"] == object && f["field"] == *field),
                "{object} {field} has no source"
            );
        }
    }

    let text = common::run_case_as(&dir, "explain", &[]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("<- conf spark.kubernetes.container.image=apache/spark:3.5.3"),
        "{text}"
    );
}

#[test]
fn lint_reports_misspelt_deprecated_and_ineffective_keys() {
    let out = run(&[
        "lint",
        "--conf",
        "spark.kubernetes.contianer.image=apache/spark:3.5.3",
        "--conf",
        "spark.kubernetes.memoryOverheadFactor=0.2",
        "--conf",
        "spark.driver.host=10.0.0.1",
        JAR,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("did you mean spark.kubernetes.container.image?"),
        "{text}"
    );
    assert!(
        text.contains("spark.kubernetes.memoryOverheadFactor: deprecated"),
        "{text}"
    );
    assert!(
        text.contains("spark.driver.host: no effect in cluster mode"),
        "{text}"
    );
    let strict = run(&[
        "lint",
        "--fail-on-findings",
        "--conf",
        "spark.executor.memroy=4g",
        JAR,
    ]);
    assert_eq!(strict.status.code(), Some(1));
    let clean = run(&["lint", "--fail-on-findings", "--conf", IMAGE, JAR]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
}

#[test]
fn a_cpu_limit_below_the_request_is_refused() {
    let out = run(&[
        "driver",
        "--conf",
        IMAGE,
        "--conf",
        "spark.kubernetes.driver.request.cores=2",
        "--conf",
        "spark.kubernetes.driver.limit.cores=1",
        "--class",
        "C",
        JAR,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out)
        .contains("resources.limits.cpu=\"1\" is invalid: the limit is below the request (2)"));
}

/// The driver container's args (`driver --properties-file ... --class C RESOURCE ARGS...`).
fn driver_args(yaml: &str) -> Vec<String> {
    let docs = common::parse_yaml_docs(yaml);
    docs[0]["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn arguments_after_the_resource_reach_the_application_verbatim() {
    let app_args = [
        "--name",
        "daily",
        "--num-executors",
        "5",
        "-o",
        "json",
        "--apply",
        "--",
        "--conf",
        "x=y",
    ];
    let out = run(&[&fixed(&["--name", "first", JAR])[..], &app_args[..]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let args = driver_args(&String::from_utf8(out.stdout).unwrap());
    let resource = args.iter().position(|a| a == JAR).unwrap();
    assert_eq!(&args[resource + 1..], app_args);
    // The options before the resource still count: the app is named "first".
    assert!(args.iter().all(|a| a != "first"));
    let yaml = String::from_utf8(run(&fixed(&["--name", "first", JAR, "--name", "daily"])).stdout)
        .unwrap();
    assert!(yaml.contains("spark.app.name=first"), "{yaml}");
}

#[test]
fn reproducible_renders_are_byte_identical() {
    let args = [
        "all",
        "--reproducible",
        "--conf",
        IMAGE,
        "--conf",
        "spark.authenticate=true",
        "--class",
        "C",
        JAR,
    ];
    let first = run(&args);
    let second = run(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(first.stdout, second.stdout);
    let text = String::from_utf8(first.stdout).unwrap();
    assert!(text.contains("spark-00000000000000000000000000000000"));
    assert!(text.contains("SPARK_AUTH_SECRET_PLACEHOLDER"));
    // Without it, two runs draw different ids.
    let drawn = run(&args[..1]
        .iter()
        .chain(&args[2..])
        .copied()
        .collect::<Vec<_>>());
    let drawn_again = run(&args[..1]
        .iter()
        .chain(&args[2..])
        .copied()
        .collect::<Vec<_>>());
    assert_ne!(drawn.stdout, drawn_again.stdout);
    // An explicit flag wins over --reproducible.
    let pinned = run(&[&["all", "--app-id", "spark-42"][..], &args[1..]].concat());
    assert!(String::from_utf8(pinned.stdout)
        .unwrap()
        .contains("spark-app-selector: spark-42"));
}

fn pod_names(out: &Output) -> Vec<String> {
    common::parse_yaml_docs(&String::from_utf8_lossy(&out.stdout))
        .iter()
        .filter(|d| d["kind"] == "Pod")
        .map(|d| d["metadata"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn executors_default_to_the_ones_the_driver_requests_first() {
    let base = [
        "executor",
        "--reproducible",
        "--conf",
        IMAGE,
        "--class",
        "C",
    ];
    let three = run(&[&base[..], &["--conf", "spark.executor.instances=3", JAR]].concat());
    assert!(three.status.success(), "{}", stderr(&three));
    let names = pod_names(&three);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[2].ends_with("-exec-3"), "{names:?}");
    // Spark's default: 2 executors.
    assert_eq!(pod_names(&run(&[&base[..], &[JAR]].concat())).len(), 2);
    // Dynamic allocation: the largest of the initial and minimum executors.
    let dynamic = run(&[
        &base[..],
        &[
            "--conf",
            "spark.dynamicAllocation.enabled=true",
            "--conf",
            "spark.dynamicAllocation.shuffleTracking.enabled=true",
            "--conf",
            "spark.dynamicAllocation.minExecutors=4",
            JAR,
        ],
    ]
    .concat());
    assert_eq!(pod_names(&dynamic).len(), 4, "{}", stderr(&dynamic));
    // --executor-id overrides; repeated ids are rendered once.
    let chosen = run(&[
        &base[..],
        &["--executor-id", "2-3", "--executor-id", "3,5", JAR],
    ]
    .concat());
    let names = pod_names(&chosen);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[2].ends_with("-exec-5"), "{names:?}");
    // Printed for a pipe with the driver's IP a placeholder: a note says what they are.
    assert!(stderr(&chosen).contains("the running driver creates its executor pods itself"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    for args in [
        // 150 KB, far more than a pipe buffer holds, so the writes meet the closed pipe.
        vec![
            "all",
            "--reproducible",
            "--conf",
            IMAGE,
            "--class",
            "C",
            "--executor-id",
            "1-40",
            JAR,
        ],
        vec!["completions", "zsh"],
        vec!["man"],
        vec!["driver", "--help"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spark-render"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then close the pipe, as `head -c1` does.
        let mut stdout = child.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        stdout.read_exact(&mut byte).unwrap();
        drop(stdout);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("error"), "{args:?}: {err}");
    }
}

#[test]
fn subcommands_offer_only_what_they_do() {
    for sub in ["explain", "lint", "executor", "all"] {
        let out = run(&[sub, "--apply", "--conf", IMAGE, "--class", "C", JAR]);
        assert_eq!(out.status.code(), Some(2), "{sub}");
        let help = String::from_utf8(run(&[sub, "--help"]).stdout).unwrap();
        assert!(!help.contains("--apply"), "{sub} --help offers --apply");
    }
    let help = String::from_utf8(run(&["driver", "--help"]).stdout).unwrap();
    for heading in [
        "Submission options (spark-submit's):",
        "Render inputs",
        "Output:",
        "kubectl:",
    ] {
        assert!(help.contains(heading), "driver --help lacks {heading}");
    }
    let explain_yaml = run(&[
        "explain",
        "-o",
        "yaml",
        "--reproducible",
        "--conf",
        IMAGE,
        "--class",
        "C",
        JAR,
    ]);
    assert!(explain_yaml.status.success(), "{}", stderr(&explain_yaml));
    let docs = common::parse_yaml_docs(&String::from_utf8(explain_yaml.stdout).unwrap());
    let records = docs[0].as_array().unwrap();
    assert!(records.iter().all(|r| r["source"]["from"].is_string()));
    for (option, word) in [
        ("--kill", "kills"),
        ("--status", "status"),
        ("--remote", "Spark Connect"),
    ] {
        let out = run(&["driver", option, "x", "--conf", IMAGE, "--class", "C", JAR]);
        assert_eq!(out.status.code(), Some(2), "{option}");
        assert!(stderr(&out).contains(word), "{option}: {}", stderr(&out));
    }
}

#[test]
fn man_pages_exist_for_every_subcommand() {
    let dir = std::env::temp_dir().join(format!("spark-render-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = run(&["man", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for sub in [
        "driver",
        "executor",
        "all",
        "lint",
        "explain",
        "completions",
        "man",
    ] {
        let page = std::fs::read_to_string(dir.join(format!("spark-render-{sub}.1")))
            .unwrap_or_else(|e| panic!("no page for {sub}: {e}"));
        assert!(page.contains(".TH spark-render-"), "{sub}");
    }
    assert!(dir.join("spark-render.1").exists());
    std::fs::remove_dir_all(&dir).ok();
    let one = run(&["man", "all"]);
    assert!(String::from_utf8_lossy(&one.stdout).contains("spark-render-all"));
    assert_eq!(run(&["man", "/no/such/dir"]).status.code(), Some(2));
}

#[test]
fn verbose_prints_the_parsed_submission_on_stderr() {
    let out = run(&fixed(&[
        "-v",
        "--driver-java-options",
        "-Dx=1",
        "--conf",
        "spark.authenticate.secret=hunter2",
        JAR,
        "7",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "Arguments:\n--primary-java-resource\n{JAR}\n--main-class\norg.apache.spark.examples.SparkPi\n--arg\n7\n"
        )),
        "{err}"
    );
    assert!(
        err.contains("(spark.driver.extraJavaOptions,-Dx=1)"),
        "{err}"
    );
    assert!(
        err.contains("(spark.authenticate.secret,*********(redacted))"),
        "{err}"
    );
    assert!(!err.contains("hunter2"));
}

#[test]
fn files_that_are_not_regular_or_too_large_are_refused_at_once() {
    let dir = std::env::temp_dir().join(format!("spark-render-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.yaml");
    std::fs::write(&big, vec![b'#'; 5 << 20]).unwrap();
    let fifo = dir.join("fifo");
    let has_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let template = |path: &std::path::Path| {
        format!("spark.kubernetes.driver.podTemplateFile={}", path.display())
    };
    let mut cases: Vec<(Vec<String>, &str, &str)> = vec![
        (
            vec!["--properties-file".into(), "/dev/zero".into()],
            "--properties-file",
            "character device",
        ),
        (
            vec!["--properties-file".into(), dir.display().to_string()],
            "--properties-file",
            "a directory",
        ),
        (
            vec!["--conf".into(), template(&big)],
            "spark.kubernetes.driver.podTemplateFile",
            "larger than 4 MiB",
        ),
        (
            vec![
                "--keytab".into(),
                "/dev/urandom".into(),
                "--principal".into(),
                "p".into(),
            ],
            "(named by --keytab)",
            "character device",
        ),
    ];
    if has_fifo {
        cases.push((
            vec!["--conf".into(), template(&fifo)],
            "spark.kubernetes.driver.podTemplateFile",
            "a FIFO",
        ));
    }
    for (args, key, what) in cases {
        let mut all: Vec<&str> = vec!["driver", "--conf", IMAGE, "--class", "C"];
        all.extend(args.iter().map(String::as_str));
        all.push(JAR);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(key) && err.contains(what), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_non_utf8_argument_is_named_by_its_position_not_echoed() {
    use std::os::unix::ffi::OsStringExt;
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .args(["driver", "--conf"])
        .arg(std::ffi::OsString::from_vec(b"spark.x=secret\xff".to_vec()))
        .args(["--class", "A", "local:///a.jar"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("argument 3 (the value of --conf) is not valid UTF-8"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
}

/// The release comes from `--spark-version`, else `SPARK_HOME`, else the image tag, else it is
/// the latest modelled one, said on stderr; the driver image's release makes the executors.
#[test]
fn the_release_is_found_without_asking() {
    let label = |out: &Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.trim_start().starts_with("spark-version:"))
            .map(|l| {
                l.trim()
                    .trim_start_matches("spark-version:")
                    .trim()
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    let image_41 = "spark.kubernetes.container.image=apache/spark:4.1.4";
    let out = run(&[
        "all",
        "--reproducible",
        "--conf",
        image_41,
        "--class",
        "C",
        JAR,
    ]);
    assert!(out.status.success());
    assert!(
        label(&out).iter().all(|v| v == "\"4.1.4\""),
        "{:?}",
        label(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("spark-connect"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("latest"));

    let out = run(&[
        "driver",
        "--reproducible",
        "--conf",
        "spark.kubernetes.container.image=img",
        "--class",
        "C",
        JAR,
    ]);
    assert!(out.status.success());
    assert!(
        label(&out).iter().all(|v| v == "\"4.3.0\""),
        "{:?}",
        label(&out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rendering Spark 4.3.0, the latest modelled release"),
        "{stderr}"
    );

    let given = run(&[
        "driver",
        "--reproducible",
        "--spark-version",
        "3.3.4",
        "--conf",
        image_41,
        "--class",
        "C",
        JAR,
    ]);
    assert!(
        label(&given).iter().all(|v| v == "\"3.3.4\""),
        "{:?}",
        label(&given)
    );

    // spark-submit of SPARK_HOME makes the driver's objects, the image's Spark the executors'.
    let home = std::env::temp_dir().join(format!("spark-render-home-{}", std::process::id()));
    std::fs::create_dir_all(home.join("jars")).unwrap();
    std::fs::write(home.join("jars/spark-core_2.12-3.5.3.jar"), b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .env("SPARK_HOME", &home)
        .env_remove("SPARK_CONF_DIR")
        .args([
            "all",
            "--reproducible",
            "--conf",
            image_41,
            "--class",
            "C",
            JAR,
        ])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&home).unwrap();
    let labels = label(&out);
    assert!(
        labels.contains(&"\"3.5.3\"".to_owned()) && labels.contains(&"\"4.1.4\"".to_owned()),
        "{labels:?}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("the driver image is Spark 4.1.4"));
}
