//! `LocalDirsFeatureStep`: Spark's scratch space. Mounts named `spark-local-dir-*` already on
//! the container are used as they are; otherwise `SPARK_LOCAL_DIRS` (submitter env),
//! `spark.local.dir`, or `/var/data/spark-<uuid>` each get an `emptyDir` volume
//! (`medium: Memory` with `spark.kubernetes.local.dirs.tmpfs`). `SPARK_LOCAL_DIRS` is set to
//! the list.

use k8s_openapi::api::core::v1::{EmptyDirVolumeSource, Volume};

use crate::config::keys;
use crate::error::Result;
use crate::features::{Explain, FeatureStep};
use crate::kubernetes_conf::KubernetesConf;
use crate::pod::{self, SparkPod};

/// The local dirs step.
#[derive(Debug, Clone)]
pub struct LocalDirsFeatureStep {
    configured_dirs: Vec<String>,
    tmpfs: bool,
    from_env: bool,
}

impl LocalDirsFeatureStep {
    /// The role's local dirs: `SPARK_LOCAL_DIRS` as the role's process sees it (the
    /// submitter's for the driver, the driver container's for executors), else
    /// `spark.local.dir`, else `/var/data/spark-<uuid>`.
    pub fn new(conf: &impl KubernetesConf) -> Result<Self> {
        let spark_conf = conf.spark_conf();
        let default_dir = format!("/var/data/spark-{}", conf.inputs().local_dir_uuid);
        let env = conf.spark_local_dirs_env();
        let configured = env
            .or_else(|| spark_conf.get(keys::LOCAL_DIR))
            .unwrap_or(&default_dir);
        Ok(LocalDirsFeatureStep {
            configured_dirs: java_split_commas(configured),
            tmpfs: spark_conf.read(&keys::LOCAL_DIRS_TMPFS)?,
            from_env: env.is_some(),
        })
    }
}

/// Java's `String.split(",")`: trailing empty parts dropped, others kept.
fn java_split_commas(s: &str) -> Vec<String> {
    if s.is_empty() {
        return vec![String::new()];
    }
    let mut parts: Vec<String> = s.split(',').map(str::to_owned).collect();
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts
}

impl FeatureStep for LocalDirsFeatureStep {
    fn name(&self) -> &'static str {
        "LocalDirsFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        let existing: Vec<String> = p
            .container
            .volume_mounts
            .iter()
            .flatten()
            .filter(|m| m.name.starts_with("spark-local-dir-"))
            .map(|m| m.mount_path.clone())
            .collect();
        if !existing.is_empty() {
            p.add_env([pod::env("SPARK_LOCAL_DIRS", existing.join(","))]);
            return Ok(());
        }
        let names: Vec<String> = (1..=self.configured_dirs.len())
            .map(|i| format!("spark-local-dir-{i}"))
            .collect();
        for name in &names {
            p.add_volume(Volume {
                name: name.clone(),
                empty_dir: Some(EmptyDirVolumeSource {
                    medium: self.tmpfs.then(|| "Memory".to_owned()),
                    size_limit: None,
                }),
                ..Volume::default()
            });
        }
        p.add_env([pod::env("SPARK_LOCAL_DIRS", self.configured_dirs.join(","))]);
        for (name, dir) in names.iter().zip(&self.configured_dirs) {
            p.add_volume_mount(pod::mount(name, dir));
        }
        Ok(())
    }
}

impl Explain for LocalDirsFeatureStep {
    fn explain(
        &self,
        _field: &str,
        ctx: &crate::features::ExplainContext<'_>,
    ) -> crate::provenance::Source {
        use crate::provenance::Source;
        match (&self.from_env, ctx.conf.get(keys::LOCAL_DIR)) {
            (true, _) => Source::Input {
                name: "SPARK_LOCAL_DIRS (environment)".into(),
            },
            (false, Some(v)) => Source::conf(keys::LOCAL_DIR, v),
            (false, None) => Source::rule(
                self.name(),
                "the default dir /var/data/spark-<local-dir-uuid>, an emptyDir",
            ),
        }
    }
}
