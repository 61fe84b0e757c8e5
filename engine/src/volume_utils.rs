//! Spark's `KubernetesVolumeUtils`: the volumes a role's conf declares
//! (`spark.kubernetes.{driver,executor}.volumes.TYPE.NAME.*`), parsed and ordered as Spark
//! orders them.

use std::collections::{HashMap, HashSet};

use crate::error::{Error, Result};
use crate::hash_order::{bool_hash, immutable_order, java_string_hash, option_hash, product_hash};
use crate::quantity;

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
