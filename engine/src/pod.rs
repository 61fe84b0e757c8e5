//! `SparkPod` — the pod being built plus the Spark container, kept apart until the end as in
//! Spark — and small builders for the Kubernetes values the steps add.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, EnvVar, EnvVarSource, ObjectFieldSelector, Pod, PodSpec, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

/// A pod under construction and its Spark container (Spark's `SparkPod`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparkPod {
    /// The pod, without the Spark container.
    pub pod: Pod,
    /// The Spark container.
    pub container: Container,
}

impl SparkPod {
    /// The whole pod, the Spark container placed after the template's other containers, as
    /// Spark adds it; and the Spark container's index.
    pub fn into_pod(self) -> (Pod, usize) {
        let SparkPod { mut pod, container } = self;
        let containers = &mut pod.spec.get_or_insert_with(Default::default).containers;
        containers.push(container);
        let index = containers.len() - 1;
        (pod, index)
    }

    /// The pod Spark starts from when there is no pod template: empty metadata and spec.
    pub fn initial() -> Self {
        SparkPod {
            pod: Pod {
                metadata: ObjectMeta::default(),
                spec: Some(PodSpec::default()),
                status: None,
            },
            container: Container::default(),
        }
    }

    /// The pod spec (created if missing, as fabric8's `editOrNewSpec`).
    pub fn spec_mut(&mut self) -> &mut PodSpec {
        self.pod.spec.get_or_insert_with(PodSpec::default)
    }

    /// Appends env vars to the Spark container.
    pub fn add_env(&mut self, vars: impl IntoIterator<Item = EnvVar>) {
        self.container.env.get_or_insert_with(Vec::new).extend(vars);
    }

    /// Appends a volume to the pod.
    pub fn add_volume(&mut self, volume: Volume) {
        self.spec_mut()
            .volumes
            .get_or_insert_with(Vec::new)
            .push(volume);
    }

    /// Appends `volumes` to the pod's.
    pub fn add_volumes(&mut self, volumes: Vec<Volume>) {
        self.spec_mut()
            .volumes
            .get_or_insert_with(Vec::new)
            .extend(volumes);
    }

    /// Appends `mounts` to the Spark container's (one move when it has none yet).
    pub fn add_volume_mounts(&mut self, mounts: Vec<VolumeMount>) {
        self.container
            .volume_mounts
            .get_or_insert_with(Vec::new)
            .extend(mounts);
    }

    /// Appends a volume mount to the Spark container.
    pub fn add_volume_mount(&mut self, mount: VolumeMount) {
        self.container
            .volume_mounts
            .get_or_insert_with(Vec::new)
            .push(mount);
    }
}

/// An env var with a plain value.
pub fn env(name: impl Into<String>, value: impl Into<String>) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        value_from: None,
    }
}

/// An env var read from a field of the pod (`fieldRef`, API version `v1`).
pub fn env_from_field(name: impl Into<String>, field_path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: None,
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                api_version: Some("v1".into()),
                field_path: field_path.into(),
            }),
            ..EnvVarSource::default()
        }),
    }
}

/// A volume mount.
pub fn mount(name: impl Into<String>, path: impl Into<String>) -> VolumeMount {
    VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        ..VolumeMount::default()
    }
}

/// Puts every entry of `extra` into `map` (fabric8's `addToLabels(Map)` and friends: later
/// entries win).
pub fn merge_into(
    map: &mut Option<BTreeMap<String, String>>,
    extra: impl IntoIterator<Item = (String, String)>,
) {
    let mut extra = extra.into_iter().peekable();
    if extra.peek().is_some() {
        map.get_or_insert_with(BTreeMap::new).extend(extra);
    }
}

/// The ownerReference Spark puts on the driver's other objects (`KubernetesUtils.addOwnerReference`).
pub fn owner_reference_to_pod(pod_name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        controller: Some(true),
        name: pod_name.into(),
        uid: uid.into(),
        block_owner_deletion: None,
    }
}
