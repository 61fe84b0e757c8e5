//! `LocalDirsFeatureStep`: Spark's scratch space. Mounts named `spark-local-dir-*` already on
//! the container are used as they are; otherwise `SPARK_LOCAL_DIRS` (submitter env),
//! `spark.local.dir`, or `/var/data/spark-<uuid>` each get an `emptyDir` volume
//! (`medium: Memory` with `spark.kubernetes.local.dirs.tmpfs`). `SPARK_LOCAL_DIRS` is set to
//! the list.

use k8s_openapi::api::core::v1::{EmptyDirVolumeSource, Volume};

use crate::conf::SparkConf;
use crate::config::keys;
use crate::error::Result;
use crate::features::{Explain, FeatureStep};
use crate::kubernetes_conf::DriverConf;
use crate::pod::{self, SparkPod};

/// The local dirs step.
#[derive(Debug, Clone)]
pub struct LocalDirsFeatureStep {
    configured_dirs: Vec<String>,
    tmpfs: bool,
    from_env: bool,
}

impl LocalDirsFeatureStep {
    /// The driver's step: `SPARK_LOCAL_DIRS` of the submitter, `spark.local.dir`, or the
    /// default dir.
    pub fn for_driver(conf: &DriverConf<'_>) -> Result<Self> {
        let default_dir = format!("/var/data/spark-{}", conf.inputs.local_dir_uuid);
        Self::new(
            conf.conf,
            conf.inputs.env.spark_local_dirs.as_deref(),
            &default_dir,
        )
    }

    /// A step reading `spark_local_dirs_env` (the `SPARK_LOCAL_DIRS` the process sees: the
    /// submitter's for the driver, the driver container's for executors), else
    /// `spark.local.dir`, else `default_dir`.
    pub fn new(
        conf: &SparkConf,
        spark_local_dirs_env: Option<&str>,
        default_dir: &str,
    ) -> Result<Self> {
        let configured = spark_local_dirs_env
            .or_else(|| conf.get(keys::LOCAL_DIR))
            .unwrap_or(default_dir);
        Ok(LocalDirsFeatureStep {
            configured_dirs: java_split_commas(configured),
            tmpfs: conf.read(&keys::LOCAL_DIRS_TMPFS)?,
            from_env: spark_local_dirs_env.is_some(),
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
