//! `MountVolumesFeatureStep`: `spark.kubernetes.{driver,executor}.volumes.TYPE.NAME.*` become
//! volumes and mounts — `hostPath`, `emptyDir`, `nfs`, `persistentVolumeClaim` — and
//! `OnDemand` claims with a storage class and size become PersistentVolumeClaim objects.
//!
//! Spark collects the volumes into Scala sets, so their order (and the index `i` in on-demand
//! claim names `...-pvc-<i>`) follows Scala's hash order; [`crate::hash_order`] reproduces it.

use std::collections::BTreeMap;
use std::collections::{HashMap, HashSet};

use k8s_openapi::api::core::v1::{
    EmptyDirVolumeSource, HostPathVolumeSource, NFSVolumeSource, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PersistentVolumeClaimVolumeSource, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::constants::labels;
use crate::error::{Error, Result};
use crate::features::FeatureStep;
use crate::hash_order::{bool_hash, immutable_order, java_string_hash, option_hash, product_hash};
use crate::manifest::Resource;
use crate::pod::SparkPod;
use crate::quantity;

/// `spark.kubernetes.legacy.useReadWriteOnceAccessMode` (default true in 3.5).
pub const USE_LEGACY_PVC_ACCESS_MODE: &str = "spark.kubernetes.legacy.useReadWriteOnceAccessMode";

/// What kind of volume (Spark's `KubernetesVolumeSpecificConf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeConf {
    /// `hostPath` with `options.path`.
    HostPath {
        /// The host path.
        path: String,
    },
    /// `persistentVolumeClaim` with `options.claimName` (`OnDemand` for a new claim),
    /// `options.storageClass`, `options.sizeLimit`.
    PersistentVolumeClaim {
        /// The claim name (template).
        claim_name: String,
        /// The storage class.
        storage_class: Option<String>,
        /// The requested size.
        size: Option<String>,
    },
    /// `emptyDir` with `options.medium`, `options.sizeLimit`.
    EmptyDir {
        /// The medium (`Memory`).
        medium: Option<String>,
        /// The size limit.
        size_limit: Option<String>,
    },
    /// `nfs` with `options.path`, `options.server`.
    Nfs {
        /// The exported path.
        path: String,
        /// The server.
        server: String,
    },
}

/// One configured volume (Spark's `KubernetesVolumeSpec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeSpec {
    /// The volume's name.
    pub name: String,
    /// `mount.path`.
    pub mount_path: String,
    /// `mount.subPath` (empty when absent).
    pub mount_sub_path: String,
    /// `mount.readOnly`.
    pub mount_read_only: bool,
    /// The volume itself.
    pub conf: VolumeConf,
}

impl VolumeSpec {
    /// The Scala `hashCode` of the case class, which orders Spark's set of volumes.
    fn scala_hash(&self) -> i32 {
        let s = |v: &str| java_string_hash(v);
        let o = |v: &Option<String>| option_hash(v.as_deref().map(java_string_hash));
        let conf_hash = match &self.conf {
            VolumeConf::HostPath { path } => product_hash(&[s(path)]),
            VolumeConf::PersistentVolumeClaim {
                claim_name,
                storage_class,
                size,
            } => product_hash(&[s(claim_name), o(storage_class), o(size)]),
            VolumeConf::EmptyDir { medium, size_limit } => {
                product_hash(&[o(medium), o(size_limit)])
            }
            VolumeConf::Nfs { path, server } => product_hash(&[s(path), s(server)]),
        };
        product_hash(&[
            s(&self.name),
            s(&self.mount_path),
            s(&self.mount_sub_path),
            bool_hash(self.mount_read_only),
            conf_hash,
        ])
    }
}

/// `KubernetesVolumeUtils.parseVolumesWithPrefix`: the volumes under `prefix`, in Spark's
/// order. `properties` are the entries under the prefix (prefix removed) in the order Spark's
/// map iterates them.
pub fn parse_volumes(properties: &[(&str, &str)], prefix: &str) -> Result<Vec<VolumeSpec>> {
    let index: HashMap<&str, &str> = properties.iter().copied().collect();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut seen = HashSet::new();
    for (key, _) in properties {
        let mut parts = key.split('.');
        if let (Some(t), Some(n)) = (parts.next(), parts.next()) {
            if seen.insert((t, n)) {
                pairs.push((t, n));
            }
        }
    }
    let pairs = immutable_order(pairs, |(t, n)| {
        product_hash(&[java_string_hash(t), java_string_hash(n)])
    });
    let mut specs = Vec::new();
    // One buffer for every `TYPE.NAME.SUFFIX` key looked up.
    let mut key = String::new();
    for (vtype, name) in pairs {
        let mut get = |suffix: &str| {
            key.clear();
            key.extend([vtype, ".", name, ".", suffix]);
            index.get(key.as_str()).copied()
        };
        let full = |suffix: &str| format!("{prefix}{vtype}.{name}.{suffix}");
        let required = |value: Option<&str>, suffix: &str| {
            value.map(str::to_owned).ok_or_else(|| Error::Missing {
                key: full(suffix),
                reason: format!("it is required for a {vtype} volume"),
            })
        };
        let mount_path = get("mount.path")
            .map(str::to_owned)
            .ok_or_else(|| Error::Missing {
                key: full("mount.path"),
                reason: format!("volume {name} needs a mount path"),
            })?;
        let mount_read_only = match get("mount.readOnly") {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(v) => {
                return Err(Error::invalid(
                    &full("mount.readOnly"),
                    v,
                    "expected true or false",
                ))
            }
        };
        let size_limit = get("options.sizeLimit");
        let conf = match vtype {
            "hostPath" => VolumeConf::HostPath {
                path: required(get("options.path"), "options.path")?,
            },
            "persistentVolumeClaim" => VolumeConf::PersistentVolumeClaim {
                claim_name: required(get("options.claimName"), "options.claimName")?,
                storage_class: get("options.storageClass").map(str::to_owned),
                size: size_limit.map(str::to_owned),
            },
            "emptyDir" => VolumeConf::EmptyDir {
                medium: get("options.medium").map(str::to_owned),
                size_limit: size_limit.map(str::to_owned),
            },
            "nfs" => VolumeConf::Nfs {
                path: required(get("options.path"), "options.path")?,
                server: required(get("options.server"), "options.server")?,
            },
            other => {
                return Err(Error::invalid(
                    &full("mount.path"),
                    &mount_path,
                    format!("volume type {other:?} is not supported (hostPath, emptyDir, nfs, persistentVolumeClaim)"),
                ))
            }
        };
        if let Some(v) = size_limit {
            if !quantity::is_valid(v) {
                return Err(Error::invalid(
                    &full("options.sizeLimit"),
                    v,
                    "not a Kubernetes quantity (e.g. 10Gi); the API server would refuse it",
                ));
            }
        }
        specs.push(VolumeSpec {
            name: name.to_owned(),
            mount_path,
            mount_sub_path: get("mount.subPath").unwrap_or_default().to_owned(),
            mount_read_only,
            conf,
        });
    }
    let specs = immutable_order(specs, VolumeSpec::scala_hash);
    let mut seen = HashSet::new();
    let mut duplicates: Vec<String> = Vec::new();
    for spec in &specs {
        if !seen.insert(spec.mount_path.as_str()) {
            duplicates.push(format!("'{}'", spec.mount_path));
        }
    }
    if !duplicates.is_empty() {
        return Err(Error::NotAllowed {
            key: format!("{prefix}*.mount.path"),
            reason: format!("found duplicated mountPath: {}", duplicates.join(", ")),
        });
    }
    Ok(specs)
}

/// Whose volumes these are: the driver's, or executor N's (claim names differ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeOwner {
    /// The driver.
    Driver,
    /// Executor with this id.
    Executor(String),
}

/// The mount-volumes step.
#[derive(Debug, Clone)]
pub struct MountVolumesFeatureStep {
    mounts: Vec<VolumeMount>,
    volumes: Vec<Volume>,
    claims: Vec<PersistentVolumeClaim>,
}

impl MountVolumesFeatureStep {
    /// Builds the volumes of `specs` for `owner`; `resource_name_prefix` names on-demand
    /// claims, `app_id` labels them, `legacy_access_mode` picks `ReadWriteOnce` (else
    /// `ReadWriteOncePod`).
    pub fn new(
        specs: &[VolumeSpec],
        owner: &VolumeOwner,
        resource_name_prefix: &str,
        app_id: &str,
        legacy_access_mode: bool,
    ) -> Self {
        let mut mounts = Vec::new();
        let mut volumes = Vec::new();
        let mut claims = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            mounts.push(VolumeMount {
                name: spec.name.clone(),
                mount_path: spec.mount_path.clone(),
                read_only: Some(spec.mount_read_only),
                sub_path: Some(spec.mount_sub_path.clone()),
                ..VolumeMount::default()
            });
            let mut volume = Volume {
                name: spec.name.clone(),
                ..Volume::default()
            };
            match &spec.conf {
                VolumeConf::HostPath { path } => {
                    volume.host_path = Some(HostPathVolumeSource {
                        path: path.clone(),
                        type_: Some(String::new()),
                    });
                }
                VolumeConf::PersistentVolumeClaim {
                    claim_name,
                    storage_class,
                    size,
                } => {
                    let claim_name = match owner {
                        VolumeOwner::Driver => claim_name.replace(
                            "OnDemand",
                            &format!("{resource_name_prefix}-driver-pvc-{i}"),
                        ),
                        VolumeOwner::Executor(id) => claim_name
                            .replace(
                                "OnDemand",
                                &format!("{resource_name_prefix}-exec-{id}-pvc-{i}"),
                            )
                            .replace("SPARK_EXECUTOR_ID", id),
                    };
                    if let (Some(class), Some(size)) = (storage_class, size) {
                        claims.push(PersistentVolumeClaim {
                            metadata: ObjectMeta {
                                name: Some(claim_name.clone()),
                                labels: Some(BTreeMap::from([(
                                    labels::SPARK_APP_ID.to_owned(),
                                    app_id.to_owned(),
                                )])),
                                ..ObjectMeta::default()
                            },
                            spec: Some(PersistentVolumeClaimSpec {
                                storage_class_name: Some(class.clone()),
                                access_modes: Some(vec![if legacy_access_mode {
                                    "ReadWriteOnce".into()
                                } else {
                                    "ReadWriteOncePod".into()
                                }]),
                                resources: Some(VolumeResourceRequirements {
                                    requests: Some(BTreeMap::from([(
                                        "storage".to_owned(),
                                        Quantity(size.clone()),
                                    )])),
                                    ..VolumeResourceRequirements::default()
                                }),
                                ..PersistentVolumeClaimSpec::default()
                            }),
                            status: None,
                        });
                    }
                    volume.persistent_volume_claim = Some(PersistentVolumeClaimVolumeSource {
                        claim_name,
                        read_only: Some(spec.mount_read_only),
                    });
                }
                VolumeConf::EmptyDir { medium, size_limit } => {
                    volume.empty_dir = Some(EmptyDirVolumeSource {
                        medium: Some(medium.clone().unwrap_or_default()),
                        size_limit: size_limit.clone().map(Quantity),
                    });
                }
                VolumeConf::Nfs { path, server } => {
                    volume.nfs = Some(NFSVolumeSource {
                        path: path.clone(),
                        server: server.clone(),
                        read_only: None,
                    });
                }
            }
            volumes.push(volume);
        }
        MountVolumesFeatureStep {
            mounts,
            volumes,
            claims,
        }
    }
}

impl FeatureStep for MountVolumesFeatureStep {
    fn name(&self) -> &'static str {
        "MountVolumesFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        // The step configures one pod: the volumes and mounts move into it.
        if !self.volumes.is_empty() {
            p.add_volumes(self.volumes.clone());
        }
        if !self.mounts.is_empty() {
            p.add_volume_mounts(self.mounts.clone());
        }
        Ok(())
    }

    fn additional_resources(&self) -> Vec<Resource> {
        self.claims
            .iter()
            .cloned()
            .map(Resource::PersistentVolumeClaim)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "spark.kubernetes.executor.volumes.";

    fn parse(pairs: &[(&str, &str)]) -> Result<Vec<VolumeSpec>> {
        parse_volumes(pairs, PREFIX)
    }

    /// The key an error names.
    fn failing_key(pairs: &[(&str, &str)]) -> String {
        parse(pairs).expect_err("refused").subject().to_owned()
    }

    #[test]
    fn reads_each_volume_type_with_its_options() {
        let specs = parse(&[
            ("hostPath.h.mount.path", "/h"),
            ("hostPath.h.mount.readOnly", "TRUE"),
            ("hostPath.h.options.path", "/host"),
            ("emptyDir.e.mount.path", "/e"),
            ("emptyDir.e.mount.subPath", "sub"),
            ("emptyDir.e.options.medium", "Memory"),
            ("emptyDir.e.options.sizeLimit", "1Gi"),
            ("nfs.n.mount.path", "/n"),
            ("nfs.n.options.path", "/export"),
            ("nfs.n.options.server", "nfs.example.com"),
            ("persistentVolumeClaim.p.mount.path", "/p"),
            ("persistentVolumeClaim.p.options.claimName", "OnDemand"),
            ("persistentVolumeClaim.p.options.storageClass", "gp3"),
            ("persistentVolumeClaim.p.options.sizeLimit", "5Gi"),
        ])
        .expect("parses");
        let by_name = |name: &str| specs.iter().find(|s| s.name == name).expect("present");
        assert!(by_name("h").mount_read_only);
        assert_eq!(
            by_name("h").conf,
            VolumeConf::HostPath {
                path: "/host".into()
            }
        );
        assert_eq!(by_name("e").mount_sub_path, "sub");
        assert_eq!(
            by_name("e").conf,
            VolumeConf::EmptyDir {
                medium: Some("Memory".into()),
                size_limit: Some("1Gi".into())
            }
        );
        assert_eq!(
            by_name("n").conf,
            VolumeConf::Nfs {
                path: "/export".into(),
                server: "nfs.example.com".into()
            }
        );
        assert_eq!(
            by_name("p").conf,
            VolumeConf::PersistentVolumeClaim {
                claim_name: "OnDemand".into(),
                storage_class: Some("gp3".into()),
                size: Some("5Gi".into())
            }
        );
        assert!(!by_name("p").mount_read_only);
    }

    #[test]
    fn errors_name_the_full_key() {
        assert_eq!(
            failing_key(&[("emptyDir.e.options.medium", "Memory")]),
            "spark.kubernetes.executor.volumes.emptyDir.e.mount.path"
        );
        assert_eq!(
            failing_key(&[("hostPath.h.mount.path", "/h")]),
            "spark.kubernetes.executor.volumes.hostPath.h.options.path"
        );
        assert_eq!(
            failing_key(&[("nfs.n.mount.path", "/n"), ("nfs.n.options.path", "/x")]),
            "spark.kubernetes.executor.volumes.nfs.n.options.server"
        );
        assert_eq!(
            failing_key(&[
                ("emptyDir.e.mount.path", "/e"),
                ("emptyDir.e.mount.readOnly", "yes")
            ]),
            "spark.kubernetes.executor.volumes.emptyDir.e.mount.readOnly"
        );
        assert_eq!(
            failing_key(&[
                ("emptyDir.e.mount.path", "/e"),
                ("emptyDir.e.options.sizeLimit", "lots")
            ]),
            "spark.kubernetes.executor.volumes.emptyDir.e.options.sizeLimit"
        );
        assert_eq!(
            failing_key(&[("configMap.c.mount.path", "/c")]),
            "spark.kubernetes.executor.volumes.configMap.c.mount.path"
        );
        assert_eq!(
            failing_key(&[
                ("emptyDir.a.mount.path", "/same"),
                ("emptyDir.b.mount.path", "/same")
            ]),
            "spark.kubernetes.executor.volumes.*.mount.path"
        );
    }
}
