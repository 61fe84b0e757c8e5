//! `template::parse` on any text (no panic, bounded work), then `select_spark_container` on
//! what parses.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spark_render_engine::template;

fuzz_target!(|text: &str| {
    let parsed = template::parse(text, "key", "file");
    let Ok(parsed) = parsed else {
        return;
    };
    let containers: Vec<String> = parsed
        .pod
        .spec
        .as_ref()
        .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let mut names: Vec<Option<&str>> = vec![None, Some("spark-kubernetes-driver"), Some("")];
    names.extend(containers.iter().map(|n| Some(n.as_str())));
    for name in names {
        let (spark_pod, warning) = template::select_spark_container(parsed.clone(), name);
        let rest = spark_pod
            .pod
            .spec
            .as_ref()
            .map_or(0, |s| s.containers.len());
        // The Spark container is taken out of the pod's list (when there is one).
        assert_eq!(
            rest,
            containers.len().saturating_sub(1),
            "container count after selecting {name:?}"
        );
        if let Some(name) = name {
            let exactly_once = containers.iter().filter(|c| *c == name).count() == 1;
            assert_eq!(warning.is_none(), exactly_once, "warning for {name:?}");
            if exactly_once {
                assert_eq!(spark_pod.container.name, name);
            }
        } else {
            assert!(warning.is_none());
        }
    }
});
