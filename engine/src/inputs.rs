//! Everything Spark draws from outside the configuration — randomness, the clock, the
//! submitter's environment and the cluster — as explicit, plain inputs.

/// The values Spark would otherwise draw itself. [`RenderInputs::default`] gives the same
/// fixed values the reference renderer (`spark-oracle`) uses, which is what tests want; the
/// CLI draws fresh ones the way spark-submit does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderInputs {
    /// The application id (`spark-` + 32 hex digits): `spark.app.id`, the
    /// `spark-app-selector` label, `SPARK_APPLICATION_ID`, `{{APP_ID}}`.
    pub app_id: String,
    /// What Spark's `KubernetesUtils.uniqueID()` returns (6 random hex digits + the clock in
    /// hex): the resource-name suffix and the conf-map ids.
    pub unique_id: String,
    /// `spark.app.submitTime` in epoch milliseconds, used when the conf does not set it. Also
    /// dates the `spark.properties` files.
    pub submit_time_ms: i64,
    /// The submitting user (`SPARK_USER`).
    pub spark_user: String,
    /// The random UUID of the default local dir `/var/data/spark-<uuid>`.
    pub local_dir_uuid: String,
    /// The random UUID of the `spark-upload-<uuid>` directory local files are uploaded to.
    pub upload_uuid: String,
    /// The driver pod's UID, assigned by the API server. `None` leaves ownerReferences out
    /// (an ownerReference to a UID that does not exist gets its object garbage-collected).
    pub driver_uid: Option<String>,
    /// The running driver pod's IP. The official image's entrypoint passes it to Spark as
    /// `spark.driver.bindAddress` and `spark.executorEnv.SPARK_DRIVER_POD_IP`, so it reaches
    /// every executor's env.
    pub driver_pod_ip: String,
    /// Executor pods' UIDs, by executor id, for the ownerReferences of what is created with
    /// them (on-demand claims when the driver does not own them). Unknown UIDs leave
    /// ownerReferences out.
    pub executor_uids: std::collections::BTreeMap<u32, String>,
    /// The secret the driver generates when `spark.authenticate=true`; Spark hands it to
    /// executors in the `_SPARK_AUTH_SECRET` env var.
    pub auth_secret: String,
    /// The contents of the local files the conf names (pod templates, krb5.conf, keytab,
    /// credential files), keyed by the path exactly as the conf gives it. See
    /// [`crate::config::keys::FILE_KEYS`].
    pub files: std::collections::BTreeMap<String, Vec<u8>>,
    /// The submitter's working directory, against which spark-submit resolves relative paths
    /// in `spark.jars`, `spark.files`, ... (absolute, no trailing `/`).
    pub working_dir: String,
    /// The submitter's environment variables that Spark reads.
    pub env: SubmitterEnv,
    /// The stem of the driver's object names when the submitter's `KubernetesDriverConf`
    /// chooses it (`resourceNamePrefix`); `None`: Spark's `<app name>-<unique id>`. The Apache
    /// Spark Kubernetes Operator, which builds the driver in its own JVM without spark-submit,
    /// uses the app id (`SparkAppDriverConf.resourceNamePrefix`).
    pub resource_name_prefix: Option<String>,
    /// The driver's `spark-version` label when the submitter's `KubernetesDriverConf` sets it;
    /// `None`: the release mirrored. The Apache Spark Kubernetes Operator puts the
    /// application's `runtimeVersions.sparkVersion` there (`SparkAppDriverConf.labels`).
    pub driver_spark_version_label: Option<String>,
}

/// The environment variables of the submitting process that change what Spark creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubmitterEnv {
    /// `SPARK_LOCAL_DIRS`: the driver's local dirs (before `spark.local.dir`).
    pub spark_local_dirs: Option<String>,
    /// `PYSPARK_PYTHON`: the Python of Python apps (after `spark.pyspark.python`).
    pub pyspark_python: Option<String>,
    /// `PYSPARK_DRIVER_PYTHON`: the driver's Python (after the conf keys).
    pub pyspark_driver_python: Option<String>,
    /// The regular files of the submitter's `SPARK_CONF_DIR` (Spark ships most of them to the
    /// driver and executors); `None` when there is no conf dir.
    pub conf_dir_files: Option<Vec<crate::conf_files::ConfDirFile>>,
    /// The regular files of the submitter's `HADOOP_CONF_DIR` when it is set (empty when it is
    /// not a directory): Spark ships them in a ConfigMap.
    pub hadoop_conf_dir: Option<Vec<crate::conf_files::ConfDirFile>>,
}

impl Default for RenderInputs {
    fn default() -> Self {
        Self {
            app_id: "spark-00000000000000000000000000000000".into(),
            unique_id: "0123456789abcdef".into(),
            submit_time_ms: 1_700_000_000_000,
            spark_user: "spark".into(),
            local_dir_uuid: "00000000-0000-0000-0000-000000000000".into(),
            upload_uuid: "00000000-0000-0000-0000-000000000000".into(),
            driver_uid: Some("00000000-0000-0000-0000-00000000d001".into()),
            driver_pod_ip: "DRIVER_POD_IP".into(),
            auth_secret: "SPARK_AUTH_SECRET_PLACEHOLDER".into(),
            executor_uids: std::collections::BTreeMap::new(),
            files: std::collections::BTreeMap::new(),
            working_dir: "/".into(),
            env: SubmitterEnv::default(),
            resource_name_prefix: None,
            driver_spark_version_label: None,
        }
    }
}

impl RenderInputs {
    /// The contents of the file `path`, which conf key `key` names, as text.
    pub fn file_text(&self, key: &str, path: &str) -> crate::Result<&str> {
        let bytes = self.file_bytes(key, path)?;
        std::str::from_utf8(bytes).map_err(|_| crate::Error::InvalidValue {
            key: key.into(),
            value: path.into(),
            reason: if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                "the file is UTF-16 text (it starts with a UTF-16 byte order mark), and Spark reads it as UTF-8: save it as UTF-8".into()
            } else {
                "the file is not UTF-8 text".into()
            },
        })
    }

    /// The contents of the file `path`, which conf key `key` names.
    pub fn file_bytes(&self, key: &str, path: &str) -> crate::Result<&[u8]> {
        self.files
            .get(path)
            .map(Vec::as_slice)
            .ok_or_else(|| crate::Error::Missing {
                key: key.into(),
                reason: format!("the contents of {path} were not provided"),
            })
    }

    /// Checks the shape of each input, naming the one that is malformed.
    pub fn validate(&self) -> crate::Result<()> {
        let bad = |input: &str, value: &str, reason: &str| crate::Error::InvalidInput {
            input: input.into(),
            value: value.into(),
            reason: reason.into(),
        };
        let dns_safe = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        if !dns_safe(&self.unique_id) {
            return Err(bad(
                "unique-id",
                &self.unique_id,
                "expected lowercase hex digits (e.g. 0123456789abcdef)",
            ));
        }
        if self.app_id.is_empty() || self.app_id.chars().any(|c| c.is_whitespace()) {
            return Err(bad(
                "app-id",
                &self.app_id,
                "expected an id such as spark-<32 hex digits>",
            ));
        }
        if self.local_dir_uuid.is_empty() || self.local_dir_uuid.contains(['/', ',']) {
            return Err(bad(
                "local-dir-uuid",
                &self.local_dir_uuid,
                "expected a UUID",
            ));
        }
        if crate::java::date_to_string_utc(self.submit_time_ms).is_none() {
            return Err(bad(
                "submit-time",
                &self.submit_time_ms.to_string(),
                "expected milliseconds since 1970 for a time between the years -9999 and 9999",
            ));
        }
        if !self.working_dir.starts_with('/') {
            return Err(bad(
                "working-dir",
                &self.working_dir,
                "expected an absolute path",
            ));
        }
        Ok(())
    }
}
