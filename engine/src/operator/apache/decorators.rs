//! The operator's decorations of what Spark built (`spark-operator/.../decorators/`):
//! `OwnerResourceDecorator` and `SecurityContextDecorator` on the driver pod, then
//! `DriverResourceDecorator` on every other object once the driver pod exists.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod, SecurityContext};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::spec::{SparkApplication, API_VERSION_V1};
use crate::manifest::Resource;

/// `ModelUtils.buildOwnerReferenceTo`: `blockOwnerDeletion: true`, no `controller`.
fn owner_reference(api_version: &str, kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        block_owner_deletion: Some(true),
        controller: None,
    }
}

/// `OwnerResourceDecorator`: the driver pod is owned by the `SparkApplication` (read as `v1`,
/// the version the operator reconciles), carries the operator's labels and the app's
/// namespace.
pub fn own_driver_pod(pod: &mut Pod, app: &SparkApplication, labels: &[(String, String)]) {
    let metadata = &mut pod.metadata;
    metadata
        .owner_references
        .get_or_insert_with(Vec::new)
        .push(owner_reference(
            API_VERSION_V1,
            "SparkApplication",
            app.name(),
            app.metadata.uid.as_deref().unwrap_or_default(),
        ));
    let pod_labels = metadata.labels.get_or_insert_with(BTreeMap::new);
    for (key, value) in labels {
        pod_labels.insert(key.clone(), value.clone());
    }
    metadata.namespace = Some(app.namespace().to_owned());
}

/// `SecurityContextDecorator`: every init container and container without an
/// `allowPrivilegeEscalation` gets `false` (an explicit `true` stays; ephemeral containers and
/// the pod's security context are left alone).
pub fn disallow_privilege_escalation(pod: &mut Pod) {
    let Some(spec) = pod.spec.as_mut() else {
        return;
    };
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    containers.for_each(disallow_if_unset);
}

fn disallow_if_unset(container: &mut Container) {
    let context = container
        .security_context
        .get_or_insert_with(SecurityContext::default);
    if context.allow_privilege_escalation.is_none() {
        context.allow_privilege_escalation = Some(false);
    }
}

/// `DriverResourceDecorator`: unless already owned by the driver pod (same kind, name and uid),
/// an object gets an owner reference to it (`blockOwnerDeletion: true`, where Spark's
/// `Client.run` writes `controller: true`) and all its labels (replacing same-named ones).
/// Without the driver pod's uid (`None`), the reference is left out and the labels added.
pub fn own_by_driver(object: &mut Resource, driver: &ObjectMeta, driver_uid: Option<&str>) {
    let name = driver.name.as_deref().unwrap_or_default();
    let metadata = object.metadata_mut();
    if let Some(uid) = driver_uid {
        let owned = metadata
            .owner_references
            .iter()
            .flatten()
            .any(|o| o.kind == "Pod" && o.name == name && o.uid == uid);
        if owned {
            return;
        }
        metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(owner_reference("v1", "Pod", name, uid));
    }
    if let Some(labels) = &driver.labels {
        let object_labels = metadata.labels.get_or_insert_with(BTreeMap::new);
        for (key, value) in labels {
            object_labels.insert(key.clone(), value.clone());
        }
    }
}
