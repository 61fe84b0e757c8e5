//! apache/spark-kubernetes-operator 1.0.0: its published examples render, what it refuses is
//! refused in its words, and its own rules (app id, image placeholder, conf defaults,
//! decorations) hold. Goldens: `testdata/operators/apache/examples/<name>/expected.yaml`
//! (`APACHE_GOLDENS=overwrite` rewrites them; review the diff line by line).

use std::path::{Path, PathBuf};

use spark_render_engine::manifest::{to_yaml, Resource};
use spark_render_engine::operator::apache::{
    self, app_id::generate_spark_app_id, spec::SparkApplication, OperatorRelease, Options,
};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/operators/apache/examples")
}

fn read_app(text: &str) -> (SparkApplication, Vec<String>) {
    let value: serde_json::Value = serde_saphyr::from_str(text).expect("YAML");
    let mut unknown = Vec::new();
    let app = serde_ignored::deserialize(&value, |path| unknown.push(path.to_string()))
        .expect("a SparkApplication");
    (app, unknown)
}

fn example(name: &str) -> SparkApplication {
    let text =
        std::fs::read_to_string(examples_dir().join(name).join("app.yaml")).expect("the example");
    read_app(&text).0
}

fn options() -> Options {
    Options::new(OperatorRelease::latest())
}

/// Examples whose executors spark-render refuses to render: the `deployment` executor
/// allocator (Spark 4.1+) is not modelled. Their driver side renders.
fn render(app: SparkApplication) -> Result<spark_render_engine::Rendered, String> {
    render_with(app, true)
}

fn render_with(
    app: SparkApplication,
    executors: bool,
) -> Result<spark_render_engine::Rendered, String> {
    let plan = apache::plan(app, &options()).map_err(|e| e.to_string())?;
    let mut rendered = apache::render(&plan, executors).map_err(|e| e.to_string())?;
    apache::finish(&mut rendered, &plan).map_err(|e| e.to_string())?;
    Ok(rendered)
}

fn example_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("the examples")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("app.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_example_reads_without_unknown_fields_and_renders() {
    let names = example_names();
    assert_eq!(names.len(), 31);
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(examples_dir().join(name).join("app.yaml"))
            .expect("the example");
        let (app, unknown) = read_app(&text);
        assert!(unknown.is_empty(), "{name}: unknown fields {unknown:?}");
        assert!(
            apache::API_VERSIONS.contains(&app.api_version.as_str()),
            "{name}"
        );
        match render_with(app, true) {
            Ok(rendered) => {
                let pod = rendered.pod().expect("a driver pod");
                assert!(pod
                    .metadata
                    .name
                    .as_deref()
                    .is_some_and(|n| n.ends_with("-0-driver")));
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn executors_are_rendered_unless_the_driver_makes_none() {
    for name in example_names() {
        let rendered = render(example(&name)).expect("renders");
        let executor_pods = rendered
            .executor_objects()
            .iter()
            .filter(|o| matches!(o, Resource::Pod(_)))
            .count();
        let driver_only = [
            "pi-with-one-pod",
            "spark-connect-server-with-spark-cluster",
            "word-count-celeborn",
        ];
        // The statefulset and deployment allocators make one StatefulSet or Deployment.
        let set = name == "pi-statefulset" || name == "pi-java25-deployment";
        if set {
            let sets = rendered
                .executor_objects()
                .iter()
                .filter(|o| matches!(o, Resource::StatefulSet(_) | Resource::Deployment(_)))
                .count();
            assert_eq!((sets, executor_pods), (1, 0), "{name}");
        }
        if driver_only.contains(&name.as_str()) {
            assert_eq!(executor_pods, 0, "{name}");
            assert!(
                rendered
                    .warnings
                    .iter()
                    .any(|w| w.starts_with("no executor pods")),
                "{name}"
            );
        } else if !set {
            assert_eq!(executor_pods, 1, "{name}");
        }
    }
}

#[test]
fn client_mode_is_refused_in_the_operators_words() {
    let mut app = example("pi");
    app.spec.deployment_mode = Some(apache::spec::DeploymentMode::ClientMode);
    let err = apache::plan(app, &options()).expect_err("refused");
    assert_eq!(err.to_string(), "Client mode is not supported yet.");
}

#[test]
fn routes_without_parent_refs_are_refused() {
    let text = "apiVersion: spark.apache.org/v1\nkind: SparkApplication\nmetadata: {name: r}\n\
                spec:\n  runtimeVersions: {sparkVersion: 4.2.0}\n  driverHttpRouteList:\n\
                \x20 - serviceMetadata: {name: ui}\n    serviceSpec: {ports: [{port: 4040}]}\n\
                \x20   httpRouteMetadata: {name: ui}\n";
    let (app, unknown) = read_app(text);
    assert!(unknown.is_empty());
    let err = apache::plan(app, &options()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "driverHttpRouteList[0].httpRouteSpec.parentRefs is required."
    );
}

#[test]
fn app_ids_follow_the_operators_hash_rule() {
    assert_eq!(generate_spark_app_id("pi", "default", 0), "pi-0");
    let name = "spark-connect-server-with-spark-cluster";
    assert_eq!(
        generate_spark_app_id(name, "default", 0),
        "spark-connect-server-with-spark-cluster-0"
    );
    let a44 = "a".repeat(44);
    assert_eq!(
        generate_spark_app_id(&a44, "default", 0),
        format!("{a44}-0")
    );
    assert_eq!(
        generate_spark_app_id(&"a".repeat(45), "default", 0),
        "aaaaaaaaa-4go7lblaa75v7xxia86rc6xamrx7dicd7z19"
    );
    assert_eq!(
        generate_spark_app_id(
            "a-very-long-spark-application-name-for-testing-ids",
            "default",
            0
        ),
        "a-very-lo-4qcg4cnwix41b1aiehfmfqjg0coukrtjls3g"
    );
}

#[test]
fn long_names_name_the_objects_after_the_hashed_id() {
    let mut app = example("pi");
    app.metadata.name = Some("a-very-long-spark-application-name-for-testing-ids".into());
    let rendered = render(app).expect("renders");
    let names: Vec<&str> = rendered
        .driver_objects()
        .iter()
        .map(Resource::name)
        .collect();
    let id = "a-very-lo-4qcg4cnwix41b1aiehfmfqjg0coukrtjls3g";
    assert!(
        names.contains(&format!("{id}-driver").as_str()),
        "{names:?}"
    );
    assert!(
        names.contains(&format!("{id}-driver-svc").as_str()),
        "{names:?}"
    );
    assert!(
        names.contains(&format!("{id}-spark-drv-conf-map").as_str()),
        "{names:?}"
    );
}

#[test]
fn the_spark_version_placeholder_is_replaced_in_image_keys_only() {
    let mut app = example("pi");
    app.spec.runtime_versions.spark_version = "4.1.2".into();
    let conf = app.spec.spark_conf.get_or_insert_with(Default::default);
    conf.insert(
        "spark.kubernetes.executor.container.image".into(),
        "repo/spark:{{SPARK_VERSION}}-exec-{{SPARK_VERSION}}".into(),
    );
    conf.insert("spark.kubernetes.key".into(), "{{SPARK_VERSION}}".into());
    let plan = apache::plan(app, &options()).expect("plan");
    let conf = &plan.submission.conf;
    assert_eq!(
        conf.get("spark.kubernetes.container.image"),
        Some("apache/spark:4.1.2-scala")
    );
    assert_eq!(
        conf.get("spark.kubernetes.executor.container.image"),
        Some("repo/spark:4.1.2-exec-4.1.2")
    );
    assert_eq!(conf.get("spark.kubernetes.key"), Some("{{SPARK_VERSION}}"));
    // The driver builds with the operator's Spark, the executors with the image's.
    assert_eq!(plan.request.spark_version.to_string(), "4.2.0");
    assert_eq!(
        plan.request.executor_spark_version.map(|v| v.to_string()),
        Some("4.1.2".to_owned())
    );
}

#[test]
fn the_conf_is_built_in_the_operators_order() {
    let mut app = example("pi-statefulset");
    let conf = app.spec.spark_conf.get_or_insert_with(Default::default);
    conf.insert("spark.app.name".into(), "ignored".into());
    conf.insert("spark.kubernetes.namespace".into(), "elsewhere".into());
    conf.insert("spark.io.encryption.enabled".into(), "false".into());
    let plan = apache::plan(app, &options()).expect("plan");
    let conf = &plan.submission.conf;
    // Overrides win over the user's conf; the forced namespace over both.
    assert_eq!(conf.get("spark.app.name"), Some("pi-statefulset"));
    assert_eq!(conf.get("spark.kubernetes.namespace"), Some("default"));
    // setIfMissing: the user's value stays.
    assert_eq!(conf.get("spark.io.encryption.enabled"), Some("false"));
    assert_eq!(conf.get("spark.authenticate"), Some("true"));
    assert_eq!(
        conf.get("spark.kubernetes.driver.annotateExitException"),
        Some("true")
    );
    assert_eq!(
        conf.get("spark.kubernetes.executor.useDriverPodIP"),
        Some("true")
    );
    // Static allocation, restartPolicy Never by default.
    assert_eq!(
        conf.get("spark.kubernetes.executor.deleteOnTermination"),
        Some("false")
    );
    assert_eq!(
        conf.get("spark.master"),
        Some("k8s://https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT")
    );
    assert_eq!(conf.get("spark.app.id"), Some("pi-statefulset-0"));
    assert_eq!(
        conf.get("spark.jars"),
        Some("local:///opt/spark/examples/jars/spark-examples.jar")
    );
    for role in ["driver", "driver.service", "executor"] {
        assert_eq!(
            conf.get(&format!(
                "spark.kubernetes.{role}.label.spark.operator/spark-app-name"
            )),
            Some("pi-statefulset")
        );
        assert_eq!(
            conf.get(&format!(
                "spark.kubernetes.{role}.label.spark.operator/name"
            )),
            Some("spark-kubernetes-operator")
        );
    }
    assert_eq!(conf.get("spark.submit.deployMode"), None);
    assert_eq!(conf.get("spark.app.submitTime"), None);

    // Dynamic allocation: executors are deleted as usual; no spark.app.name unless given.
    let plan = apache::plan(example("pi"), &options()).expect("plan");
    let conf = &plan.submission.conf;
    assert_eq!(
        conf.get("spark.kubernetes.executor.deleteOnTermination"),
        None
    );
    assert_eq!(conf.get("spark.app.name"), None);
}

#[test]
fn python_apps_take_their_resource_from_py_files() {
    let plan = apache::plan(example("pi-python"), &options()).expect("plan");
    assert_eq!(
        plan.submission.conf.get("spark.submit.pyFiles"),
        Some("local:///opt/spark/examples/src/main/python/pi.py")
    );
    let rendered = render(example("pi-python")).expect("renders");
    let pod = rendered.pod().expect("pod");
    let spec = pod.spec.as_ref().expect("spec");
    let args = spec.containers[0].args.clone().unwrap_or_default();
    // No mainClass: Spark passes a null `--class`, stored as "".
    let class = args.iter().position(|a| a == "--class").expect("--class");
    assert_eq!(args[class + 1], "");
    assert_eq!(
        args[class + 2],
        "local:///opt/spark/examples/src/main/python/pi.py"
    );
}

#[test]
fn the_driver_pod_is_decorated_and_the_objects_owned_by_it() {
    let rendered = render(example("pi-with-template")).expect("renders");
    let pod = rendered.pod().expect("pod");
    let owners = pod.metadata.owner_references.clone().unwrap_or_default();
    assert_eq!(owners.len(), 1);
    assert_eq!(owners[0].kind, "SparkApplication");
    assert_eq!(owners[0].api_version, "spark.apache.org/v1");
    assert_eq!(owners[0].block_owner_deletion, Some(true));
    assert_eq!(owners[0].controller, None);
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    assert_eq!(labels["spark.operator/name"], "spark-kubernetes-operator");
    assert_eq!(labels["spark.operator/spark-app-name"], "pi-with-template");
    assert_eq!(labels["spark-version"], "4.2.0");
    assert_eq!(labels["spark-app-name"], "spark");
    assert_eq!(labels["spark-app-selector"], "pi-with-template-0");
    let spec = pod.spec.as_ref().expect("spec");
    for c in &spec.containers {
        let ctx = c.security_context.as_ref().expect("securityContext");
        assert_eq!(ctx.allow_privilege_escalation, Some(false));
    }
    for object in rendered.driver_objects().iter().skip(1) {
        let owners = object
            .metadata()
            .owner_references
            .clone()
            .unwrap_or_default();
        assert_eq!(owners.len(), 1, "{}", object.name());
        assert_eq!(owners[0].kind, "Pod");
        assert_eq!(owners[0].name, "pi-with-template-0-driver");
        assert_eq!(owners[0].block_owner_deletion, Some(true));
        assert_eq!(owners[0].controller, None);
        let labels = object.metadata().labels.clone().unwrap_or_default();
        assert_eq!(labels["spark-role"], "driver", "{}", object.name());
    }
}

#[test]
fn the_executor_template_is_the_operators_json() {
    let rendered = render(example("pi-with-template")).expect("renders");
    let template = rendered
        .driver_objects()
        .iter()
        .find_map(|o| match o {
            Resource::ConfigMap(c) if o.name() == "pi-with-template-0-driver-podspec-conf-map" => {
                c.data.clone()
            }
            _ => None,
        })
        .expect("the pod template ConfigMap");
    assert_eq!(
        template["podspec-configmap-key"],
        r#"{"apiVersion":"v1","kind":"Pod","spec":{"priorityClassName":"system-cluster-critical","terminationGracePeriodSeconds":0}}"#
    );
}

#[test]
fn config_maps_ingresses_and_routes_join_the_driver() {
    let text = r#"
apiVersion: spark.apache.org/v1
kind: SparkApplication
metadata: {name: ui, namespace: jobs}
spec:
  runtimeVersions: {sparkVersion: 4.2.0}
  sparkConf: {spark.kubernetes.container.image: "apache/spark:4.2.0"}
  configMapSpecs:
  - name: extra
    data: {a: b}
  driverServiceIngressList:
  - serviceMetadata: {name: ui-svc}
    serviceSpec: {ports: [{port: 4040}]}
    ingressMetadata: {name: ui-ingress}
    ingressSpec: {ingressClassName: nginx}
  driverGrpcRouteList:
  - serviceMetadata: {name: connect}
    serviceSpec: {ports: [{port: 15002}]}
    grpcRouteMetadata: {name: connect}
    grpcRouteSpec: {parentRefs: [{name: gw}]}
"#;
    let (app, unknown) = read_app(text);
    assert!(unknown.is_empty(), "{unknown:?}");
    let rendered = render(app).expect("renders");
    let kinds: Vec<String> = rendered
        .driver_objects()
        .iter()
        .map(|o| format!("{}/{}", o.kind(), o.name()))
        .collect();
    assert_eq!(
        kinds,
        [
            "ConfigMap/extra",
            "Pod/ui-0-driver",
            "Service/ui-0-driver-svc",
            "NetworkPolicy/ui-0-policy",
            "ConfigMap/ui-0-spark-drv-conf-map",
            "Service/ui-svc",
            "Ingress/ui-ingress",
            "Service/connect",
            "GRPCRoute/connect",
        ]
    );
    let objects = rendered.driver_objects();
    let Resource::Ingress(ingress) = &objects[6] else {
        panic!("an Ingress")
    };
    // No rules: the whole spec is replaced (the class is dropped).
    let spec = ingress.spec.as_ref().expect("spec");
    assert_eq!(spec.ingress_class_name, None);
    let rule = &spec.rules.as_ref().expect("rules")[0];
    let path = &rule.http.as_ref().expect("http").paths[0];
    assert_eq!(path.path_type, "ImplementationSpecific");
    let backend = path.backend.service.as_ref().expect("service");
    assert_eq!(backend.name, "ui-svc");
    assert_eq!(backend.port.as_ref().and_then(|p| p.number), Some(4040));
    let Resource::Service(service) = &objects[5] else {
        panic!("a Service")
    };
    let selector = service
        .spec
        .as_ref()
        .and_then(|s| s.selector.clone())
        .unwrap_or_default();
    assert_eq!(selector["spark-role"], "driver");
    assert_eq!(service.metadata.namespace.as_deref(), Some("jobs"));
    let Resource::GrpcRoute(route) = &objects[8] else {
        panic!("a GRPCRoute")
    };
    assert_eq!(
        route.spec["rules"][0]["backendRefs"][0],
        serde_json::json!({"group": "", "kind": "Service", "name": "connect", "port": 15002})
    );
}

#[test]
fn the_spark_conf_map_is_the_operators() {
    let rendered = render(example("pi")).expect("renders");
    let pod = rendered.pod().expect("pod");
    let volume = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .and_then(|v| v.iter().find(|v| v.name == "spark-conf-volume-driver"))
        .and_then(|v| v.config_map.clone())
        .expect("the spark-conf volume");
    assert_eq!(volume.name, "pi-0-spark-drv-conf-map");
    let items: Vec<String> = volume
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(items, ["spark.kubernetes.namespace", "spark.properties"]);
    let properties = rendered
        .driver_objects()
        .iter()
        .find_map(|o| match o {
            Resource::ConfigMap(c) if o.name() == "pi-0-spark-drv-conf-map" => c.data.clone(),
            _ => None,
        })
        .expect("the spark-conf ConfigMap")["spark.properties"]
        .clone();
    let keys: Vec<&str> = properties
        .lines()
        .skip(2)
        .map(|l| l.split('=').next().unwrap_or_default())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "spark.properties is sorted by key");
    assert!(properties.starts_with(
        "#Java properties built from Kubernetes config map with name: pi-0-spark-drv-conf-map\n"
    ));
}

#[test]
fn goldens_match() {
    let overwrite = std::env::var("APACHE_GOLDENS").is_ok_and(|v| v == "overwrite");
    let mut mismatches = Vec::new();
    for name in [
        "pi",
        "pi-python",
        "pi-with-template",
        "spark-connect-server",
    ] {
        let rendered = render(example(name)).expect("renders");
        let yaml = to_yaml(&rendered.objects()).expect("YAML");
        let path = examples_dir().join(name).join("expected.yaml");
        if overwrite {
            std::fs::write(&path, &yaml).expect("written");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != yaml {
            mismatches.push(name);
        }
    }
    assert!(
        mismatches.is_empty(),
        "goldens differ (APACHE_GOLDENS=overwrite rewrites them): {mismatches:?}"
    );
}
