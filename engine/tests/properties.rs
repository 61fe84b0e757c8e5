//! Property tests: invariants that hold for any accepted submission.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use k8s_openapi::api::core::v1::{Pod, Service};
use proptest::prelude::*;
use spark_render_engine::{manifest, render_driver, RenderRequest, Resource, SubmitArgs};

fn request(conf: Vec<(String, String)>, resource: &str) -> RenderRequest {
    let mut submit = SubmitArgs::new(resource);
    submit.main_class = Some("org.example.Main".into());
    submit.conf = conf;
    submit.conf.push((
        "spark.kubernetes.container.image".into(),
        "apache/spark:3.5.3".into(),
    ));
    RenderRequest::new(submit)
}

fn pod(objects: &[Resource]) -> &Pod {
    match &objects[0] {
        Resource::Pod(p) => p,
        other => panic!("first object is a {}", other.kind()),
    }
}

fn service(objects: &[Resource]) -> &Service {
    objects
        .iter()
        .find_map(|o| match o {
            Resource::Service(s) => Some(s),
            _ => None,
        })
        .expect("a service")
}

fn is_dns_label(s: &str) -> bool {
    s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn memory_request_is_heap_plus_overhead(mib in 1i64..2_000_000, factor in 0.01f64..2.0, python in any::<bool>()) {
        let conf = vec![
            ("spark.driver.memory".to_string(), format!("{mib}m")),
            ("spark.driver.memoryOverheadFactor".to_string(), factor.to_string()),
        ];
        let resource = if python { "local:///app/main.py" } else { "local:///app/app.jar" };
        let rendered = render_driver(&request(conf, resource)).unwrap();
        let c = &pod(rendered.driver_objects()).spec.as_ref().unwrap().containers[0];
        let res = c.resources.as_ref().unwrap();
        let overhead = ((factor * mib as f64) as i32 as i64).max(384);
        let want = format!("{}Mi", mib + overhead);
        prop_assert_eq!(&res.requests.as_ref().unwrap()["memory"].0, &want);
        prop_assert_eq!(&res.limits.as_ref().unwrap()["memory"].0, &want);
    }

    #[test]
    fn names_and_labels_stay_within_dns_limits(name in "\\PC{0,120}") {
        let conf = vec![("spark.app.name".to_string(), name)];
        let rendered = render_driver(&request(conf, "local:///app/app.jar")).unwrap();
        let objects = rendered.driver_objects();
        let svc = service(objects).metadata.name.clone().unwrap();
        prop_assert!(is_dns_label(&svc), "service name {svc:?}");
        let labels = pod(objects).metadata.labels.clone().unwrap();
        let app_label = &labels["spark-app-name"];
        prop_assert!(app_label.is_empty() || is_dns_label(app_label), "label {app_label:?}");
        let pod_name = pod(objects).metadata.name.clone().unwrap();
        prop_assert!(pod_name.len() <= 253);
        prop_assert!(pod_name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    }

    #[test]
    fn configured_labels_env_and_selectors_all_appear(
        labels in proptest::collection::btree_map("[a-z][a-z0-9]{0,8}", "[a-z0-9]{0,8}", 0..6),
        env in proptest::collection::btree_map("[A-Z][A-Z0-9_]{0,8}", "[ -~]{0,12}", 0..6),
        selectors in proptest::collection::btree_map("[a-z]([a-z0-9.]{0,7}[a-z0-9])?", "[a-z0-9]{1,8}", 0..4),
    ) {
        let mut conf = Vec::new();
        for (k, v) in &labels {
            conf.push((format!("spark.kubernetes.driver.label.{k}"), v.clone()));
        }
        for (k, v) in &env {
            conf.push((format!("spark.kubernetes.driverEnv.{k}"), v.clone()));
        }
        for (k, v) in &selectors {
            conf.push((format!("spark.kubernetes.node.selector.{k}"), v.clone()));
        }
        let rendered = render_driver(&request(conf, "local:///app/app.jar")).unwrap();
        let p = pod(rendered.driver_objects());
        let pod_labels = p.metadata.labels.clone().unwrap();
        for (k, v) in &labels {
            prop_assert_eq!(pod_labels.get(k), Some(v));
        }
        let spec = p.spec.as_ref().unwrap();
        let container_env = spec.containers[0].env.clone().unwrap();
        for (k, v) in &env {
            prop_assert!(container_env.iter().any(|e| &e.name == k && e.value.as_ref() == Some(v)));
        }
        for (k, v) in &selectors {
            prop_assert_eq!(spec.node_selector.as_ref().and_then(|n| n.get(k)), Some(v));
        }
    }

    #[test]
    fn rendering_is_deterministic(
        conf in proptest::collection::vec(("spark\\.[a-z]{1,6}\\.[a-zA-Z]{1,8}", "[ -~]{0,16}"), 0..12),
    ) {
        let req = request(conf, "local:///app/app.jar");
        let a = render_driver(&req);
        let b = render_driver(&req);
        match (a, b) {
            (Ok(a), Ok(b)) => prop_assert_eq!(
                manifest::to_yaml(a.driver_objects()).unwrap(),
                manifest::to_yaml(b.driver_objects()).unwrap()
            ),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "one render failed and the other did not"),
        }
    }
}
