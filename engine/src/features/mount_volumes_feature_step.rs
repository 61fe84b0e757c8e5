//! `MountVolumesFeatureStep`: `spark.kubernetes.{driver,executor}.volumes.TYPE.NAME.*` become
//! volumes and mounts — `hostPath`, `emptyDir`, `nfs`, `persistentVolumeClaim` — and
//! `OnDemand` claims with a storage class and size become PersistentVolumeClaim objects.
//!
//! Spark collects the volumes into Scala sets, so their order (and the index `i` in on-demand
//! claim names `...-pvc-<i>`) follows Scala's hash order; [`crate::hash_order`] reproduces it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EmptyDirVolumeSource, HostPathVolumeSource, NFSVolumeSource, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PersistentVolumeClaimVolumeSource, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::constants::labels;
use crate::error::Result;
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::manifest::Resource;
use crate::pod::SparkPod;
use crate::provenance::Source;
use crate::config::keys;
use crate::kubernetes_conf::KubernetesConf;
use crate::volume_utils::{VolumeConf, VolumeOwner, VolumeSpec};

/// The mount-volumes step.
#[derive(Debug, Clone)]
pub struct MountVolumesFeatureStep {
    mounts: Vec<VolumeMount>,
    volumes: Vec<Volume>,
    claims: Vec<PersistentVolumeClaim>,
}

impl MountVolumesFeatureStep {
    /// The role's volumes (`spark.kubernetes.{driver,executor}.volumes.*`), parsed and ordered
    /// as Spark does; the access mode of on-demand claims from
    /// `spark.kubernetes.legacy.useReadWriteOnceAccessMode`.
    pub fn new(conf: &impl KubernetesConf) -> Result<Self> {
        Ok(Self::from_specs(
            &conf.volumes()?,
            &conf.volume_owner(),
            conf.resource_name_prefix(),
            conf.app_id(),
            legacy_access_mode(conf)?,
        ))
    }

    /// Builds the volumes of `specs` for `owner`; `resource_name_prefix` names on-demand
    /// claims, `app_id` labels them, `legacy_access_mode` picks `ReadWriteOnce` (else
    /// `ReadWriteOncePod`).
    fn from_specs(
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
                sub_path_expr: spec.mount_sub_path_expr.clone(),
                ..VolumeMount::default()
            });
            let mut volume = Volume {
                name: spec.name.clone(),
                ..Volume::default()
            };
            match &spec.conf {
                VolumeConf::HostPath { path, volume_type } => {
                    volume.host_path = Some(HostPathVolumeSource {
                        path: path.clone(),
                        type_: Some(volume_type.clone().unwrap_or_default()),
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

/// Whether on-demand claims ask for `ReadWriteOnce` (else `ReadWriteOncePod`):
/// `spark.kubernetes.legacy.useReadWriteOnceAccessMode`, whose default the release decides
/// (releases without the key always ask for `ReadWriteOnce`).
fn legacy_access_mode(conf: &impl KubernetesConf) -> Result<bool> {
    let release = conf.release();
    if !release.has_legacy_access_mode_key() {
        return Ok(true);
    }
    Ok(conf
        .spark_conf()
        .read_optional(&keys::USE_LEGACY_PVC_ACCESS_MODE)?
        .unwrap_or(release.legacy_pvc_access_mode_by_default()))
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

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for MountVolumesFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volume_utils::parse_volumes;

    const PREFIX: &str = "spark.kubernetes.executor.volumes.";

    fn parse(pairs: &[(&str, &str)]) -> Result<Vec<VolumeSpec>> {
        parse_volumes(pairs, PREFIX, crate::SparkVersion::default().release())
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
                path: "/host".into(),
                volume_type: None,
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
