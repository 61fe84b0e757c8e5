//! The pod template files the operator writes for `driverSpec.podTemplateSpec` and
//! `executorSpec.podTemplateSpec` (`SparkAppResourceSpecFactory.createLocalFileForPodTemplateSpec`):
//! `ModelUtils.asJsonString(ModelUtils.getPodFromTemplateSpec(spec))`, a fabric8 `Pod` written
//! by a plain Jackson `ObjectMapper`.
//!
//! The text matters: Spark ships the executor template file as is in the
//! `<prefix>-driver-podspec-conf-map` ConfigMap. fabric8 7.8's models write their properties in
//! alphabetical order (`apiVersion`, `kind`, `metadata` first for resources, which is
//! alphabetical too for a Pod), leave out null values and empty lists and maps
//! (`@JsonInclude(NON_NULL)`, `NON_EMPTY` on collections), and the `ObjectMapper` writes
//! compact JSON without a final newline. Maps (labels, nodeSelector...) keep the order the API
//! server delivered, which is sorted by key for a custom resource.

use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::Value;

/// Map-valued fields of the pod's types: left out when empty (`NON_EMPTY`), where an empty
/// object-valued field (`emptyDir: {}`) is kept.
const MAP_FIELDS: &[&str] = &[
    "annotations",
    "labels",
    "limits",
    "matchLabels",
    "nodeSelector",
    "overhead",
    "requests",
    "volumeAttributes",
];

/// The JSON text of the pod the operator writes for `template`.
pub fn pod_template_json(template: &PodTemplateSpec) -> String {
    let mut pod = serde_json::Map::new();
    pod.insert("apiVersion".into(), Value::String("v1".into()));
    pod.insert("kind".into(), Value::String("Pod".into()));
    if let Some(metadata) = &template.metadata {
        pod.insert(
            "metadata".into(),
            serde_json::to_value(metadata).unwrap_or(Value::Null),
        );
    }
    if let Some(spec) = &template.spec {
        pod.insert(
            "spec".into(),
            serde_json::to_value(spec).unwrap_or(Value::Null),
        );
    }
    let mut pod = Value::Object(pod);
    drop_empty_collections(&mut pod);
    let mut out = String::new();
    write_sorted(&pod, &mut out);
    out
}

/// Removes empty lists, and empty maps of [`MAP_FIELDS`], at any depth.
fn drop_empty_collections(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                drop_empty_collections(child);
            }
            map.retain(|key, child| match child {
                Value::Array(items) => !items.is_empty(),
                Value::Object(entries) => {
                    !(entries.is_empty() && MAP_FIELDS.contains(&key.as_str()))
                }
                Value::Null => false,
                _ => true,
            });
        }
        Value::Array(items) => items.iter_mut().for_each(drop_empty_collections),
        _ => {}
    }
}

/// Compact JSON with every object's keys in order.
fn write_sorted(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*key).clone()).to_string());
                out.push(':');
                if let Some(child) = map.get(*key) {
                    write_sorted(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pod_is_compact_sorted_json_without_empty_collections() {
        let template: PodTemplateSpec = serde_json::from_value(serde_json::json!({
            "spec": {
                "terminationGracePeriodSeconds": 0,
                "priorityClassName": "system-cluster-critical",
                "tolerations": [],
                "volumes": [{"name": "scratch", "emptyDir": {}}],
                "nodeSelector": {}
            }
        }))
        .unwrap_or_default();
        assert_eq!(
            pod_template_json(&template),
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"priorityClassName":"system-cluster-critical","terminationGracePeriodSeconds":0,"volumes":[{"emptyDir":{},"name":"scratch"}]}}"#
        );
    }
}
