//! Spark's `KubernetesVolumeUtils`: the volumes a role's conf declares
//! (`spark.kubernetes.{driver,executor}.volumes.TYPE.NAME.*`), parsed and ordered as Spark
//! orders them.

use std::collections::{HashMap, HashSet};

use crate::error::{Error, Result};
use crate::hash_order::{
    bool_hash, immutable_order, java_string_hash, map_hash_213, option_hash, product_hash, Scala,
};
use crate::quantity;
use crate::version::Release;

/// What kind of volume (Spark's `KubernetesVolumeSpecificConf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeConf {
    /// `hostPath` with `options.path`.
    HostPath {
        /// The host path.
        path: String,
        /// `options.type` (empty when absent; 4.0+, `None` before).
        volume_type: Option<String>,
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
    /// `mount.subPathExpr` (empty when absent; 4.0+, `None` before).
    pub mount_sub_path_expr: Option<String>,
    /// `mount.readOnly`.
    pub mount_read_only: bool,
    /// The volume itself.
    pub conf: VolumeConf,
}

impl VolumeSpec {
    /// The Scala `hashCode` of the case class, which orders Spark's set of volumes. The
    /// classes gained fields in 4.0 (`mountSubPathExpr`, the host path's `volumeType`, a
    /// claim's `labels` and `annotations`, always empty maps here).
    fn scala_hash(&self, scala: Scala) -> i32 {
        let s = |v: &str| java_string_hash(v);
        let o = |v: &Option<String>| option_hash(scala, v.as_deref().map(java_string_hash));
        // The 4.0 fields are there exactly when the release reads `mount.subPathExpr`.
        let v4 = self.mount_sub_path_expr.is_some();
        let conf_hash = match &self.conf {
            VolumeConf::HostPath { path, volume_type } => {
                let mut fields = vec![s(path)];
                fields.extend(volume_type.as_deref().map(s));
                product_hash(scala, "KubernetesHostPathVolumeConf", &fields)
            }
            VolumeConf::PersistentVolumeClaim {
                claim_name,
                storage_class,
                size,
            } => {
                let mut fields = vec![s(claim_name), o(storage_class), o(size)];
                if v4 {
                    let no_labels = option_hash(scala, Some(map_hash_213(&[])));
                    fields.extend([no_labels, no_labels]);
                }
                product_hash(scala, "KubernetesPVCVolumeConf", &fields)
            }
            VolumeConf::EmptyDir { medium, size_limit } => product_hash(
                scala,
                "KubernetesEmptyDirVolumeConf",
                &[o(medium), o(size_limit)],
            ),
            VolumeConf::Nfs { path, server } => {
                product_hash(scala, "KubernetesNFSVolumeConf", &[s(path), s(server)])
            }
        };
        let mut fields = vec![s(&self.name), s(&self.mount_path), s(&self.mount_sub_path)];
        fields.extend(self.mount_sub_path_expr.as_deref().map(s));
        fields.extend([bool_hash(self.mount_read_only), conf_hash]);
        product_hash(scala, "KubernetesVolumeSpec", &fields)
    }
}

/// `KubernetesVolumeUtils.parseVolumesWithPrefix`: the volumes under `prefix`, in Spark's
/// order. `properties` are the entries under the prefix (prefix removed) in the order Spark's
/// map iterates them.
pub fn parse_volumes(
    properties: &[(&str, &str)],
    prefix: &str,
    release: Release,
) -> Result<Vec<VolumeSpec>> {
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
    let scala = release.scala();
    let pairs = immutable_order(scala, pairs, |(t, n)| {
        product_hash(scala, "Tuple2", &[java_string_hash(t), java_string_hash(n)])
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
        if release.volume_options_of_4_0() {
            // 4.0 checks what it reads: subPath or subPathExpr, and sizes with units.
            if get("mount.subPath").is_some() && get("mount.subPathExpr").is_some() {
                return Err(Error::NotAllowed {
                    key: full("mount.subPathExpr"),
                    reason: format!("mutually exclusive with {}", full("mount.subPath")),
                });
            }
            if let (Some(size), "persistentVolumeClaim" | "emptyDir") = (size_limit, vtype) {
                if size.bytes().all(|b| b.is_ascii_digit())
                    && size.parse::<i64>().map_or(true, |n| n < 1024)
                {
                    return Err(Error::invalid(
                        &full("options.sizeLimit"),
                        size,
                        "smaller than 1KiB; missing units? (Spark 4 refuses a volume size under 1024 bytes)",
                    ));
                }
            }
        }
        let conf = match vtype {
            "hostPath" => VolumeConf::HostPath {
                path: required(get("options.path"), "options.path")?,
                volume_type: release
                    .volume_options_of_4_0()
                    .then(|| get("options.type").unwrap_or_default().to_owned()),
            },
            "persistentVolumeClaim" => {
                let labelled = properties.iter().find(|(k, _)| {
                    let rest = k.strip_prefix(vtype).and_then(|r| r.strip_prefix('.'));
                    let rest = rest.and_then(|r| r.strip_prefix(name)).and_then(|r| r.strip_prefix('.'));
                    rest.is_some_and(|r| r.starts_with("label.") || r.starts_with("annotation."))
                });
                if let (Some((k, _)), true) = (labelled, release.volume_options_of_4_0()) {
                    return Err(Error::Unsupported {
                        key: format!("{prefix}{k}"),
                        feature: "labels and annotations of claims (Spark 4.0+)".into(),
                    });
                }
                VolumeConf::PersistentVolumeClaim {
                claim_name: required(get("options.claimName"), "options.claimName")?,
                storage_class: get("options.storageClass").map(str::to_owned),
                size: size_limit.map(str::to_owned),
                }
            }
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
            mount_sub_path_expr: release
                .volume_options_of_4_0()
                .then(|| get("mount.subPathExpr").unwrap_or_default().to_owned()),
            mount_read_only,
            conf,
        });
    }
    let specs = immutable_order(scala, specs, |spec| spec.scala_hash(scala));
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
