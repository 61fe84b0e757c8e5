//! The conf keys spark-render reads, named after Spark's `Config.scala` and `package.scala`
//! constants: the only place a key is spelt. Most are `ConfigEntry`s a Spark release declares
//! ([`super::entries`] has their types, defaults and releases); the few Spark reads by name
//! without declaring them are listed in [`UNDECLARED`]. A test checks both.
//!
//! Keys read as numbers, booleans, sizes or with a default are typed entries
//! ([`ConfigEntry`], [`OptionalConfigEntry`]); the others, read as strings, are `&str`s.

use super::{Bool, Bytes, ConfigEntry, Double, Int, Long, Mib, OptionalConfigEntry, Seconds, Str};

/// `spark.app.name`
pub const APP_NAME: ConfigEntry<Str> = ConfigEntry::new("spark.app.name", "spark");
/// `spark.app.id`
pub const APP_ID: &str = "spark.app.id";
/// `spark.app.submitTime`
pub const APP_SUBMIT_TIME: &str = "spark.app.submitTime";
/// `spark.master`
pub const MASTER: &str = "spark.master";
/// `spark.submit.deployMode`
pub const DEPLOY_MODE: &str = "spark.submit.deployMode";
/// `spark.jars`
pub const JARS: &str = "spark.jars";
/// `spark.files`
pub const FILES: &str = "spark.files";
/// `spark.archives`
pub const ARCHIVES: &str = "spark.archives";
/// `spark.submit.pyFiles`
pub const SUBMIT_PY_FILES: &str = "spark.submit.pyFiles";
/// `spark.jars.packages`: Maven coordinates spark-submit resolves.
pub const JAR_PACKAGES: &str = "spark.jars.packages";
/// `spark.jars.repositories`
pub const JAR_REPOSITORIES: &str = "spark.jars.repositories";
/// `spark.jars.excludes`
pub const JAR_EXCLUDES: &str = "spark.jars.excludes";
/// `spark.driver.extraJavaOptions`
pub const DRIVER_EXTRA_JAVA_OPTIONS: &str = "spark.driver.extraJavaOptions";
/// `spark.driver.extraClassPath`
pub const DRIVER_EXTRA_CLASS_PATH: &str = "spark.driver.extraClassPath";
/// `spark.driver.extraLibraryPath`
pub const DRIVER_EXTRA_LIBRARY_PATH: &str = "spark.driver.extraLibraryPath";

/// `spark.driver.host`
pub const DRIVER_HOST: &str = "spark.driver.host";
/// `spark.driver.bindAddress`
pub const DRIVER_BIND_ADDRESS: &str = "spark.driver.bindAddress";
/// `spark.driver.port` (default 7078 on Kubernetes)
pub const DRIVER_PORT: OptionalConfigEntry<Int> = OptionalConfigEntry::new("spark.driver.port");
/// `spark.driver.blockManager.port`
pub const DRIVER_BLOCK_MANAGER_PORT: OptionalConfigEntry<Int> =
    OptionalConfigEntry::new("spark.driver.blockManager.port");
/// `spark.blockManager.port`
pub const BLOCK_MANAGER_PORT: OptionalConfigEntry<Int> =
    OptionalConfigEntry::new("spark.blockManager.port");
/// `spark.ui.port` (default 4040)
pub const UI_PORT: ConfigEntry<Int> = ConfigEntry::new("spark.ui.port", "4040");
/// `spark.driver.cores` (default 1)
pub const DRIVER_CORES: ConfigEntry<Int> = ConfigEntry::new("spark.driver.cores", "1");
/// `spark.driver.memory` (default 1g)
pub const DRIVER_MEMORY: ConfigEntry<Mib> = ConfigEntry::new("spark.driver.memory", "1g");
/// `spark.driver.memoryOverhead`
pub const DRIVER_MEMORY_OVERHEAD: OptionalConfigEntry<Mib> =
    OptionalConfigEntry::new("spark.driver.memoryOverhead");
/// `spark.driver.memoryOverheadFactor`
pub const DRIVER_MEMORY_OVERHEAD_FACTOR: OptionalConfigEntry<Double> =
    OptionalConfigEntry::new("spark.driver.memoryOverheadFactor");
/// `spark.executor.memory`
pub const EXECUTOR_MEMORY: ConfigEntry<Mib> = ConfigEntry::new("spark.executor.memory", "1g");
/// `spark.executor.cores`
pub const EXECUTOR_CORES: ConfigEntry<Int> = ConfigEntry::new("spark.executor.cores", "1");
/// `spark.executor.instances`
pub const EXECUTOR_INSTANCES: OptionalConfigEntry<Int> =
    OptionalConfigEntry::new("spark.executor.instances");
/// `spark.local.dir`
pub const LOCAL_DIR: &str = "spark.local.dir";
/// `spark.pyspark.python`
pub const PYSPARK_PYTHON: &str = "spark.pyspark.python";
/// `spark.pyspark.driver.python`
pub const PYSPARK_DRIVER_PYTHON: &str = "spark.pyspark.driver.python";

/// `spark.kubernetes.namespace` (default `default`)
pub const NAMESPACE: ConfigEntry<Str> = ConfigEntry::new("spark.kubernetes.namespace", "default");
/// `spark.kubernetes.container.image`
pub const CONTAINER_IMAGE: &str = "spark.kubernetes.container.image";
/// `spark.kubernetes.driver.container.image`
pub const DRIVER_CONTAINER_IMAGE: &str = "spark.kubernetes.driver.container.image";
/// `spark.kubernetes.container.image.pullPolicy` (default `IfNotPresent`)
pub const IMAGE_PULL_POLICY: ConfigEntry<Str> = ConfigEntry::new(
    "spark.kubernetes.container.image.pullPolicy",
    "IfNotPresent",
);
/// `spark.kubernetes.container.image.pullSecrets`
pub const IMAGE_PULL_SECRETS: &str = "spark.kubernetes.container.image.pullSecrets";
/// `spark.kubernetes.driver.pod.name`
pub const DRIVER_POD_NAME: &str = "spark.kubernetes.driver.pod.name";
/// `spark.kubernetes.driver.request.cores`
pub const DRIVER_REQUEST_CORES: &str = "spark.kubernetes.driver.request.cores";
/// `spark.kubernetes.driver.limit.cores`
pub const DRIVER_LIMIT_CORES: &str = "spark.kubernetes.driver.limit.cores";
/// `spark.kubernetes.memoryOverheadFactor` (legacy, default 0.1)
pub const MEMORY_OVERHEAD_FACTOR: ConfigEntry<Double> =
    ConfigEntry::new("spark.kubernetes.memoryOverheadFactor", "0.1");
/// `spark.kubernetes.submitInDriver`
pub const SUBMIT_IN_DRIVER: &str = "spark.kubernetes.submitInDriver";
/// `spark.kubernetes.resource.type`
pub const RESOURCE_TYPE: &str = "spark.kubernetes.resource.type";
/// `spark.kubernetes.driver.label.` prefix
pub const DRIVER_LABEL_PREFIX: &str = "spark.kubernetes.driver.label.";
/// `spark.kubernetes.driver.annotation.` prefix
pub const DRIVER_ANNOTATION_PREFIX: &str = "spark.kubernetes.driver.annotation.";
/// `spark.kubernetes.driver.service.label.` prefix
pub const DRIVER_SERVICE_LABEL_PREFIX: &str = "spark.kubernetes.driver.service.label.";
/// `spark.kubernetes.driver.service.annotation.` prefix
pub const DRIVER_SERVICE_ANNOTATION_PREFIX: &str = "spark.kubernetes.driver.service.annotation.";
/// `spark.kubernetes.driver.service.ipFamilyPolicy` (default `SingleStack`)
pub const DRIVER_SERVICE_IP_FAMILY_POLICY: ConfigEntry<Str> = ConfigEntry::new(
    "spark.kubernetes.driver.service.ipFamilyPolicy",
    "SingleStack",
);
/// `spark.kubernetes.driver.service.ipFamilies` (default `IPv4`)
pub const DRIVER_SERVICE_IP_FAMILIES: ConfigEntry<Str> =
    ConfigEntry::new("spark.kubernetes.driver.service.ipFamilies", "IPv4");
/// `spark.kubernetes.driver.service.publishNotReadyAddresses` (4.3+, default false)
pub const DRIVER_SERVICE_PUBLISH_NOT_READY_ADDRESSES: ConfigEntry<Bool> = ConfigEntry::new(
    "spark.kubernetes.driver.service.publishNotReadyAddresses",
    "false",
);
/// `spark.connect.grpc.binding.port`: the driver's Spark Connect port (4.1+, default 15002),
/// read by name by the Kubernetes module.
pub const CONNECT_GRPC_BINDING_PORT: ConfigEntry<Int> =
    ConfigEntry::new("spark.connect.grpc.binding.port", "15002");
/// `spark.kubernetes.securityContext.allowPrivilegeEscalation` (4.3+, default false)
pub const ALLOW_PRIVILEGE_ESCALATION: ConfigEntry<Bool> = ConfigEntry::new(
    "spark.kubernetes.securityContext.allowPrivilegeEscalation",
    "false",
);
/// `spark.kubernetes.driver.securityContext.allowPrivilegeEscalation` (4.3+)
pub const DRIVER_ALLOW_PRIVILEGE_ESCALATION: OptionalConfigEntry<Bool> =
    OptionalConfigEntry::new("spark.kubernetes.driver.securityContext.allowPrivilegeEscalation");
/// `spark.kubernetes.executor.securityContext.allowPrivilegeEscalation` (4.3+)
pub const EXECUTOR_ALLOW_PRIVILEGE_ESCALATION: OptionalConfigEntry<Bool> =
    OptionalConfigEntry::new("spark.kubernetes.executor.securityContext.allowPrivilegeEscalation");
/// `spark.kubernetes.executor.terminationGracePeriodSeconds` (4.1+, default 30s)
pub const EXECUTOR_TERMINATION_GRACE_PERIOD: ConfigEntry<Seconds> = ConfigEntry::new(
    "spark.kubernetes.executor.terminationGracePeriodSeconds",
    "30s",
);
/// `spark.kubernetes.executor.useDriverPodIP` (4.1+; the default changed in 4.3)
pub const EXECUTOR_USE_DRIVER_POD_IP: OptionalConfigEntry<Bool> =
    OptionalConfigEntry::new("spark.kubernetes.executor.useDriverPodIP");
/// `spark.driver.minMemoryOverhead` (4.0+, default 384m)
pub const DRIVER_MIN_MEMORY_OVERHEAD: ConfigEntry<Mib> =
    ConfigEntry::new("spark.driver.minMemoryOverhead", "384m");
/// `spark.executor.minMemoryOverhead` (4.0+, default 384m)
pub const EXECUTOR_MIN_MEMORY_OVERHEAD: ConfigEntry<Mib> =
    ConfigEntry::new("spark.executor.minMemoryOverhead", "384m");
/// `spark.kubernetes.node.selector.` prefix
pub const NODE_SELECTOR_PREFIX: &str = "spark.kubernetes.node.selector.";
/// `spark.kubernetes.driver.node.selector.` prefix
pub const DRIVER_NODE_SELECTOR_PREFIX: &str = "spark.kubernetes.driver.node.selector.";
/// `spark.kubernetes.driverEnv.` prefix
pub const DRIVER_ENV_PREFIX: &str = "spark.kubernetes.driverEnv.";
/// `spark.kubernetes.scheduler.name`
pub const SCHEDULER_NAME: &str = "spark.kubernetes.scheduler.name";
/// `spark.kubernetes.driver.scheduler.name`
pub const DRIVER_SCHEDULER_NAME: &str = "spark.kubernetes.driver.scheduler.name";
/// `spark.kubernetes.authenticate.driver.serviceAccountName`
pub const DRIVER_SERVICE_ACCOUNT: &str = "spark.kubernetes.authenticate.driver.serviceAccountName";
/// `spark.kubernetes.local.dirs.tmpfs`
pub const LOCAL_DIRS_TMPFS: ConfigEntry<Bool> =
    ConfigEntry::new("spark.kubernetes.local.dirs.tmpfs", "false");
/// `spark.kubernetes.file.upload.path`
pub const FILE_UPLOAD_PATH: &str = "spark.kubernetes.file.upload.path";
/// `spark.kubernetes.hadoop.configMapName`
pub const HADOOP_CONFIG_MAP: &str = "spark.kubernetes.hadoop.configMapName";
/// `spark.kubernetes.executor.hadoopConfigMapName` (set by Spark for executors)
pub const EXECUTOR_HADOOP_CONFIG_MAP: &str = "spark.kubernetes.executor.hadoopConfigMapName";
/// `spark.kubernetes.kerberos.krb5.configMapName`
pub const KRB5_CONFIG_MAP: &str = "spark.kubernetes.kerberos.krb5.configMapName";
/// `spark.kubernetes.kerberos.krb5.path`
pub const KRB5_PATH: &str = "spark.kubernetes.kerberos.krb5.path";
/// `spark.kubernetes.driver.volumes.` prefix
pub const DRIVER_VOLUMES_PREFIX: &str = "spark.kubernetes.driver.volumes.";
/// `spark.kubernetes.executor.volumes.` prefix
pub const EXECUTOR_VOLUMES_PREFIX: &str = "spark.kubernetes.executor.volumes.";
/// `spark.kubernetes.driver.ownPersistentVolumeClaim` (the default changed in 3.4)
pub const DRIVER_OWN_PVC: OptionalConfigEntry<Bool> =
    OptionalConfigEntry::new("spark.kubernetes.driver.ownPersistentVolumeClaim");
/// `spark.kubernetes.driver.secrets.` prefix
pub const DRIVER_SECRETS_PREFIX: &str = "spark.kubernetes.driver.secrets.";
/// `spark.kubernetes.driver.secretKeyRef.` prefix
pub const DRIVER_SECRET_KEY_REF_PREFIX: &str = "spark.kubernetes.driver.secretKeyRef.";
/// `spark.driver.resource.` prefix (custom resources such as GPUs)
pub const DRIVER_RESOURCE_PREFIX: &str = "spark.driver.resource.";

/// `spark.executor.memoryOverhead`
pub const EXECUTOR_MEMORY_OVERHEAD: OptionalConfigEntry<Mib> =
    OptionalConfigEntry::new("spark.executor.memoryOverhead");
/// `spark.executor.memoryOverheadFactor`
pub const EXECUTOR_MEMORY_OVERHEAD_FACTOR: OptionalConfigEntry<Double> =
    OptionalConfigEntry::new("spark.executor.memoryOverheadFactor");
/// `spark.executor.pyspark.memory`
pub const EXECUTOR_PYSPARK_MEMORY: OptionalConfigEntry<Mib> =
    OptionalConfigEntry::new("spark.executor.pyspark.memory");
/// `spark.memory.offHeap.enabled`
pub const MEMORY_OFFHEAP_ENABLED: ConfigEntry<Bool> =
    ConfigEntry::new("spark.memory.offHeap.enabled", "false");
/// `spark.memory.offHeap.size`
pub const MEMORY_OFFHEAP_SIZE: ConfigEntry<Bytes> =
    ConfigEntry::new("spark.memory.offHeap.size", "0b");
/// `spark.executor.extraJavaOptions`
pub const EXECUTOR_JAVA_OPTIONS: &str = "spark.executor.extraJavaOptions";
/// `spark.executor.defaultJavaOptions` (prepended to `spark.executor.extraJavaOptions`)
pub const EXECUTOR_DEFAULT_JAVA_OPTIONS: &str = "spark.executor.defaultJavaOptions";
/// `spark.driver.defaultJavaOptions` (prepended to `spark.driver.extraJavaOptions`)
pub const DRIVER_DEFAULT_JAVA_OPTIONS: &str = "spark.driver.defaultJavaOptions";
/// `spark.driver.extraJavaOptions`
pub const DRIVER_JAVA_OPTIONS: &str = "spark.driver.extraJavaOptions";
/// `spark.executor.extraClassPath`
pub const EXECUTOR_CLASS_PATH: &str = "spark.executor.extraClassPath";
/// `spark.executor.extraLibraryPath`
pub const EXECUTOR_LIBRARY_PATH: &str = "spark.executor.extraLibraryPath";
/// `spark.executorEnv.` prefix
pub const EXECUTOR_ENV_PREFIX: &str = "spark.executorEnv.";
/// `spark.executor.resource.` prefix
pub const EXECUTOR_RESOURCE_PREFIX: &str = "spark.executor.resource.";
/// `spark.authenticate`
pub const AUTHENTICATE: ConfigEntry<Bool> = ConfigEntry::new("spark.authenticate", "false");
/// `spark.authenticate.secret.executor.file` (falls back to `spark.authenticate.secret.file`)
pub const AUTH_SECRET_FILE_EXECUTOR: &str = "spark.authenticate.secret.executor.file";
/// `spark.authenticate.secret.file`
pub const AUTH_SECRET_FILE: &str = "spark.authenticate.secret.file";
/// `spark.decommission.enabled`
pub const DECOMMISSION_ENABLED: ConfigEntry<Bool> =
    ConfigEntry::new("spark.decommission.enabled", "false");
/// `spark.kubernetes.decommission.script` (default `/opt/decom.sh`)
pub const DECOMMISSION_SCRIPT: ConfigEntry<Str> =
    ConfigEntry::new("spark.kubernetes.decommission.script", "/opt/decom.sh");
/// `spark.kubernetes.executor.container.image`
pub const EXECUTOR_CONTAINER_IMAGE: &str = "spark.kubernetes.executor.container.image";
/// `spark.kubernetes.executor.podNamePrefix`
pub const EXECUTOR_POD_NAME_PREFIX: &str = "spark.kubernetes.executor.podNamePrefix";
/// `spark.kubernetes.executor.request.cores`
pub const EXECUTOR_REQUEST_CORES: &str = "spark.kubernetes.executor.request.cores";
/// `spark.kubernetes.executor.limit.cores`
pub const EXECUTOR_LIMIT_CORES: &str = "spark.kubernetes.executor.limit.cores";
/// `spark.kubernetes.executor.disableConfigMap`
pub const EXECUTOR_DISABLE_CONFIG_MAP: ConfigEntry<Bool> =
    ConfigEntry::new("spark.kubernetes.executor.disableConfigMap", "false");
/// `spark.kubernetes.allocation.pods.allocator` (default `direct`)
pub const PODS_ALLOCATOR: ConfigEntry<Str> =
    ConfigEntry::new("spark.kubernetes.allocation.pods.allocator", "direct");
/// `spark.kubernetes.executor.label.` prefix
pub const EXECUTOR_LABEL_PREFIX: &str = "spark.kubernetes.executor.label.";
/// `spark.kubernetes.executor.annotation.` prefix
pub const EXECUTOR_ANNOTATION_PREFIX: &str = "spark.kubernetes.executor.annotation.";
/// `spark.kubernetes.executor.node.selector.` prefix
pub const EXECUTOR_NODE_SELECTOR_PREFIX: &str = "spark.kubernetes.executor.node.selector.";
/// `spark.kubernetes.executor.scheduler.name`
pub const EXECUTOR_SCHEDULER_NAME: &str = "spark.kubernetes.executor.scheduler.name";
/// `spark.kubernetes.authenticate.executor.serviceAccountName`
pub const EXECUTOR_SERVICE_ACCOUNT: &str =
    "spark.kubernetes.authenticate.executor.serviceAccountName";
/// `spark.kubernetes.executor.secrets.` prefix
pub const EXECUTOR_SECRETS_PREFIX: &str = "spark.kubernetes.executor.secrets.";
/// `spark.kubernetes.executor.secretKeyRef.` prefix
pub const EXECUTOR_SECRET_KEY_REF_PREFIX: &str = "spark.kubernetes.executor.secretKeyRef.";

/// `spark.kubernetes.driver.podTemplateFile`
pub const DRIVER_POD_TEMPLATE_FILE: &str = "spark.kubernetes.driver.podTemplateFile";
/// `spark.kubernetes.driver.podTemplateContainerName`
pub const DRIVER_POD_TEMPLATE_CONTAINER_NAME: &str =
    "spark.kubernetes.driver.podTemplateContainerName";
/// `spark.kubernetes.executor.podTemplateFile`
pub const EXECUTOR_POD_TEMPLATE_FILE: &str = "spark.kubernetes.executor.podTemplateFile";
/// `spark.kubernetes.executor.podTemplateContainerName`
pub const EXECUTOR_POD_TEMPLATE_CONTAINER_NAME: &str =
    "spark.kubernetes.executor.podTemplateContainerName";
/// `spark.kerberos.keytab`
pub const KEYTAB: &str = "spark.kerberos.keytab";
/// `spark.kerberos.principal`
pub const PRINCIPAL: &str = "spark.kerberos.principal";
/// `spark.kubernetes.authenticate.driver.oauthToken`
pub const OAUTH_TOKEN: &str = "spark.kubernetes.authenticate.driver.oauthToken";
/// `spark.kubernetes.authenticate.driver.oauthTokenFile` (the driver pod's own concern: Spark
/// does not read the file at submission, so it is not among [`FILE_KEYS`])
pub const OAUTH_TOKEN_FILE: &str = "spark.kubernetes.authenticate.driver.oauthTokenFile";
/// `spark.kubernetes.authenticate.driver.caCertFile`
pub const CA_CERT_FILE: &str = "spark.kubernetes.authenticate.driver.caCertFile";
/// `spark.kubernetes.authenticate.driver.clientKeyFile`
pub const CLIENT_KEY_FILE: &str = "spark.kubernetes.authenticate.driver.clientKeyFile";
/// `spark.kubernetes.authenticate.driver.clientCertFile`
pub const CLIENT_CERT_FILE: &str = "spark.kubernetes.authenticate.driver.clientCertFile";

/// Conf keys whose values are local files Spark reads while it builds objects. Their contents
/// are render inputs ([`crate::RenderInputs::files`]).
pub const FILE_KEYS: &[&str] = &[
    DRIVER_POD_TEMPLATE_FILE,
    EXECUTOR_POD_TEMPLATE_FILE,
    KRB5_PATH,
    KEYTAB,
    CA_CERT_FILE,
    CLIENT_KEY_FILE,
    CLIENT_CERT_FILE,
];

/// Every key of Spark's: the namespace of its conf.
pub const SPARK_PREFIX: &str = "spark.";
/// The Kubernetes module's keys.
pub const KUBERNETES_PREFIX: &str = "spark.kubernetes.";
/// `spark.driver.` keys.
pub const DRIVER_PREFIX: &str = "spark.driver.";
/// `spark.executor.` keys.
pub const EXECUTOR_PREFIX: &str = "spark.executor.";
/// `spark.kubernetes.driver.service.` keys (labels, annotations, IP families...).
pub const DRIVER_SERVICE_PREFIX: &str = "spark.kubernetes.driver.service.";
/// `spark.kubernetes.configMap.maxSize` (default 1 MiB)
pub const CONFIG_MAP_MAX_SIZE: ConfigEntry<Long> =
    ConfigEntry::new("spark.kubernetes.configMap.maxSize", "1048576");
/// `spark.kubernetes.legacy.useReadWriteOnceAccessMode` (3.4.3+; the default changed in 4.0)
pub const USE_LEGACY_PVC_ACCESS_MODE: OptionalConfigEntry<Bool> =
    OptionalConfigEntry::new("spark.kubernetes.legacy.useReadWriteOnceAccessMode");
/// `spark.kubernetes.kerberos.tokenSecret.name`
pub const KERBEROS_TOKEN_SECRET_NAME: &str = "spark.kubernetes.kerberos.tokenSecret.name";
/// `spark.kubernetes.kerberos.tokenSecret.itemKey`
pub const KERBEROS_TOKEN_SECRET_ITEM_KEY: &str = "spark.kubernetes.kerberos.tokenSecret.itemKey";
/// `spark.kubernetes.authenticate.driver.mounted.` prefix: credentials already in the pod.
pub const DRIVER_MOUNTED_PREFIX: &str = "spark.kubernetes.authenticate.driver.mounted.";
/// `spark.kubernetes.authenticate.driver.mounted.oauthTokenFile`
pub const DRIVER_MOUNTED_OAUTH_TOKEN_FILE: &str =
    "spark.kubernetes.authenticate.driver.mounted.oauthTokenFile";
/// `spark.kubernetes.authenticate.driver.mounted.clientKeyFile`
pub const DRIVER_MOUNTED_CLIENT_KEY_FILE: &str =
    "spark.kubernetes.authenticate.driver.mounted.clientKeyFile";
/// `spark.kubernetes.authenticate.driver.mounted.clientCertFile`
pub const DRIVER_MOUNTED_CLIENT_CERT_FILE: &str =
    "spark.kubernetes.authenticate.driver.mounted.clientCertFile";
/// `spark.kubernetes.authenticate.driver.mounted.caCertFile`
pub const DRIVER_MOUNTED_CA_CERT_FILE: &str =
    "spark.kubernetes.authenticate.driver.mounted.caCertFile";
/// `spark.kubernetes.driver.pod.featureSteps`: user feature steps (JVM classes).
pub const DRIVER_POD_FEATURE_STEPS: &str = "spark.kubernetes.driver.pod.featureSteps";
/// `spark.kubernetes.executor.pod.featureSteps`: user feature steps (JVM classes).
pub const EXECUTOR_POD_FEATURE_STEPS: &str = "spark.kubernetes.executor.pod.featureSteps";
/// `spark.kubernetes.driver.pod.excludedFeatureSteps` (4.1+)
pub const DRIVER_POD_EXCLUDED_FEATURE_STEPS: &str =
    "spark.kubernetes.driver.pod.excludedFeatureSteps";
/// `spark.kubernetes.executor.pod.excludedFeatureSteps` (4.1+)
pub const EXECUTOR_POD_EXCLUDED_FEATURE_STEPS: &str =
    "spark.kubernetes.executor.pod.excludedFeatureSteps";
/// `spark.hadoop.hadoop.security.authentication`: Hadoop's security mode, through Spark's conf.
pub const HADOOP_SECURITY_AUTHENTICATION: &str = "spark.hadoop.hadoop.security.authentication";
/// `spark.dynamicAllocation.enabled`
pub const DYN_ALLOCATION_ENABLED: ConfigEntry<Bool> =
    ConfigEntry::new("spark.dynamicAllocation.enabled", "false");
/// `spark.dynamicAllocation.minExecutors` (default 0)
pub const DYN_ALLOCATION_MIN_EXECUTORS: ConfigEntry<Int> =
    ConfigEntry::new("spark.dynamicAllocation.minExecutors", "0");
/// `spark.dynamicAllocation.initialExecutors` (default: the minimum)
pub const DYN_ALLOCATION_INITIAL_EXECUTORS: OptionalConfigEntry<Int> =
    OptionalConfigEntry::new("spark.dynamicAllocation.initialExecutors");
/// `spark.dynamicAllocation.maxExecutors` (default `Int.MaxValue`: no bound)
pub const DYN_ALLOCATION_MAX_EXECUTORS: ConfigEntry<Int> =
    ConfigEntry::new("spark.dynamicAllocation.maxExecutors", "2147483647");
/// `spark.yarn.principal`: the YARN-era Kerberos principal key spark-submit still reads.
pub const YARN_PRINCIPAL: &str = "spark.yarn.principal";
/// `spark.yarn.keytab`: the YARN-era keytab key spark-submit still reads.
pub const YARN_KEYTAB: &str = "spark.yarn.keytab";
/// `spark.repl.local.jars`
pub const REPL_LOCAL_JARS: &str = "spark.repl.local.jars";
/// `spark.app.startTime`
pub const APP_START_TIME: &str = "spark.app.startTime";
/// `spark.executor.id`
pub const EXECUTOR_ID: &str = "spark.executor.id";
/// `spark.app.initial.jar.urls`
pub const APP_INITIAL_JAR_URLS: &str = "spark.app.initial.jar.urls";
/// `spark.app.initial.file.urls`
pub const APP_INITIAL_FILE_URLS: &str = "spark.app.initial.file.urls";
/// `spark.app.initial.archive.urls`
pub const APP_INITIAL_ARCHIVE_URLS: &str = "spark.app.initial.archive.urls";
/// `spark.kubernetes.pyspark.pythonVersion` (ignored since Spark 3)
pub const PYSPARK_PYTHON_VERSION: &str = "spark.kubernetes.pyspark.pythonVersion";
/// `spark.authenticate.secret`
pub const AUTH_SECRET: &str = "spark.authenticate.secret";

/// `SparkConf.isExecutorStartupConf`: confs executors need at JVM start, passed as `-D`
/// options.
pub fn is_executor_startup_conf(key: &str) -> bool {
    (key.starts_with("spark.auth") && key != AUTH_SECRET)
        || key.starts_with("spark.rpc")
        || key.starts_with("spark.network")
        || (key.starts_with(SPARK_PREFIX) && key.ends_with(".port"))
        || key.starts_with("spark.port.")
}

/// Key families: a key starting with one of these is Spark's (maps of labels, env vars,
/// volumes, secrets, resources...).
pub const FAMILIES: &[&str] = &[
    DRIVER_RESOURCE_PREFIX,
    EXECUTOR_RESOURCE_PREFIX,
    EXECUTOR_ENV_PREFIX,
    DRIVER_ANNOTATION_PREFIX,
    DRIVER_LABEL_PREFIX,
    DRIVER_NODE_SELECTOR_PREFIX,
    DRIVER_SECRET_KEY_REF_PREFIX,
    DRIVER_SECRETS_PREFIX,
    DRIVER_SERVICE_ANNOTATION_PREFIX,
    DRIVER_SERVICE_LABEL_PREFIX,
    DRIVER_VOLUMES_PREFIX,
    DRIVER_ENV_PREFIX,
    EXECUTOR_ANNOTATION_PREFIX,
    EXECUTOR_LABEL_PREFIX,
    EXECUTOR_NODE_SELECTOR_PREFIX,
    EXECUTOR_SECRET_KEY_REF_PREFIX,
    EXECUTOR_SECRETS_PREFIX,
    EXECUTOR_VOLUMES_PREFIX,
    NODE_SELECTOR_PREFIX,
    HADOOP_PREFIX,
    METRICS_CONF_PREFIX,
    TASK_RESOURCE_PREFIX,
    SQL_CATALOG_PREFIX,
];

/// `spark.hadoop.*`: Hadoop configuration, passed to Hadoop without the prefix.
pub const HADOOP_PREFIX: &str = "spark.hadoop.";
/// `spark.metrics.conf.*`: the metrics system's configuration.
pub const METRICS_CONF_PREFIX: &str = "spark.metrics.conf.";
/// `spark.task.resource.<name>.amount`: resources each task needs.
pub const TASK_RESOURCE_PREFIX: &str = "spark.task.resource.";
/// `spark.sql.catalog.<name>` and its options: the catalogs a session can use.
pub const SQL_CATALOG_PREFIX: &str = "spark.sql.catalog.";

/// `spark.home`
pub const SPARK_HOME: &str = "spark.home";

/// `spark.yarn.*`: YARN's keys (no effect on Kubernetes, but for the Kerberos alternatives).
pub const YARN_PREFIX: &str = "spark.yarn.";
/// `spark.mesos.*`: Mesos' keys.
pub const MESOS_PREFIX: &str = "spark.mesos.";
/// `spark.deploy.*`: the standalone cluster's keys.
pub const STANDALONE_DEPLOY_PREFIX: &str = "spark.deploy.";
/// `spark.standalone.*`: the standalone cluster's keys.
pub const STANDALONE_PREFIX: &str = "spark.standalone.";

/// `spark.driver.supervise` (`--supervise`): standalone and Mesos restart a failed driver.
pub const DRIVER_SUPERVISE: &str = "spark.driver.supervise";

/// Keys Spark reads by name without declaring a `ConfigEntry` for them (so they are not among
/// [`super::entries`]).
pub const UNDECLARED: &[&str] = &[
    APP_NAME.key,
    APP_ID,
    APP_SUBMIT_TIME,
    APP_START_TIME,
    APP_INITIAL_JAR_URLS,
    APP_INITIAL_FILE_URLS,
    APP_INITIAL_ARCHIVE_URLS,
    MASTER,
    LOCAL_DIR,
    SPARK_HOME,
    REPL_LOCAL_JARS,
    DRIVER_DEFAULT_JAVA_OPTIONS,
    EXECUTOR_DEFAULT_JAVA_OPTIONS,
    EXECUTOR_HADOOP_CONFIG_MAP,
    OAUTH_TOKEN,
    OAUTH_TOKEN_FILE,
    CA_CERT_FILE,
    CLIENT_KEY_FILE,
    CLIENT_CERT_FILE,
    DRIVER_MOUNTED_OAUTH_TOKEN_FILE,
    DRIVER_MOUNTED_CLIENT_KEY_FILE,
    DRIVER_MOUNTED_CLIENT_CERT_FILE,
    DRIVER_MOUNTED_CA_CERT_FILE,
    HADOOP_SECURITY_AUTHENTICATION,
    YARN_PRINCIPAL,
    YARN_KEYTAB,
    CONNECT_GRPC_BINDING_PORT.key,
    CLIENT_OAUTH_TOKEN,
    CLIENT_OAUTH_TOKEN_FILE,
    UI_PROXY_BASE,
];

/// The credentials spark-submit's client uses (`KUBERNETES_AUTH_SUBMISSION_CONF_PREFIX`).
pub const SUBMISSION_AUTH_PREFIX: &str = "spark.kubernetes.authenticate.submission.";
/// The credentials a client-mode driver's client uses (`KUBERNETES_AUTH_CLIENT_MODE_PREFIX`).
pub const CLIENT_MODE_AUTH_PREFIX: &str = "spark.kubernetes.authenticate.";

/// Spark's `KUBERNETES_AUTH_{SUBMISSION,DRIVER,DRIVER_MOUNTED,EXECUTOR,CLIENT_MODE}_CONF_PREFIX`:
/// each takes one of the [`AUTH_SUFFIXES`].
pub const AUTH_PREFIXES: &[&str] = &[
    SUBMISSION_AUTH_PREFIX,
    "spark.kubernetes.authenticate.driver.",
    DRIVER_MOUNTED_PREFIX,
    "spark.kubernetes.authenticate.executor.",
    CLIENT_MODE_AUTH_PREFIX,
];

/// Spark's credential conf suffixes (`OAUTH_TOKEN_CONF_SUFFIX`...).
pub const AUTH_SUFFIXES: &[&str] = &[
    "oauthToken",
    "oauthTokenFile",
    "clientKeyFile",
    "clientCertFile",
    "caCertFile",
];

/// Whether Spark reads `key` in `version`: a declared entry or one of its deprecated
/// alternatives, a key read by name, a credential key, or a member of a key family.
pub fn is_known(version: crate::version::SparkVersion, key: &str) -> bool {
    super::entries::find(version, key).is_some()
        || UNDECLARED.contains(&key)
        || is_auth_key(key)
        || FAMILIES.iter().any(|f| key.starts_with(f))
        || super::entries::is_alternative(version, key)
}

/// Whether `key` is a credential key (one of [`auth_keys`]).
pub fn is_auth_key(key: &str) -> bool {
    AUTH_PREFIXES.iter().any(|prefix| {
        key.strip_prefix(prefix)
            .is_some_and(|suffix| AUTH_SUFFIXES.contains(&suffix))
    })
}

/// Every credential key: each of [`AUTH_PREFIXES`] with each of [`AUTH_SUFFIXES`].
pub fn auth_keys() -> impl Iterator<Item = String> {
    AUTH_PREFIXES
        .iter()
        .flat_map(|p| AUTH_SUFFIXES.iter().map(move |s| format!("{p}{s}")))
}

// Keys the Spark operators set or read that spark-render's own steps do not
// (kubeflow/spark-operator's pkg/common/spark.go and its webhook's sparkconf_validator.go).

/// `spark.kubernetes.authenticate.oauthToken` (client mode's token).
pub const CLIENT_OAUTH_TOKEN: &str = "spark.kubernetes.authenticate.oauthToken";
/// `spark.kubernetes.authenticate.oauthTokenFile`.
pub const CLIENT_OAUTH_TOKEN_FILE: &str = "spark.kubernetes.authenticate.oauthTokenFile";
/// `spark.kubernetes.authenticate.executor.oauthToken` (no Spark release reads it; kubeflow's
/// webhook refuses it).
pub const EXECUTOR_OAUTH_TOKEN: &str = "spark.kubernetes.authenticate.executor.oauthToken";
/// `spark.kubernetes.authenticate.executor.oauthTokenFile` (as above).
pub const EXECUTOR_OAUTH_TOKEN_FILE: &str = "spark.kubernetes.authenticate.executor.oauthTokenFile";
/// `spark.kubernetes.driver.master`: the API server the driver talks to.
pub const DRIVER_MASTER: &str = "spark.kubernetes.driver.master";
/// `spark.kubernetes.executor.deleteOnTermination`.
pub const EXECUTOR_DELETE_ON_TERMINATION: &str = "spark.kubernetes.executor.deleteOnTermination";
/// `spark.kubernetes.submission.waitAppCompletion`.
pub const SUBMISSION_WAIT_APP_COMPLETION: &str = "spark.kubernetes.submission.waitAppCompletion";
/// `spark.dynamicAllocation.shuffleTracking.enabled`.
pub const DYN_ALLOCATION_SHUFFLE_TRACKING: &str = "spark.dynamicAllocation.shuffleTracking.enabled";
/// `spark.dynamicAllocation.shuffleTracking.timeout`.
pub const DYN_ALLOCATION_SHUFFLE_TRACKING_TIMEOUT: &str =
    "spark.dynamicAllocation.shuffleTracking.timeout";
/// `spark.dynamicallocation.enabled`: the key kubeflow's admission defaults look up, in
/// lower case; Spark reads no such key.
pub const KUBEFLOW_DYN_ALLOCATION_LOWER_CASE: &str = "spark.dynamicallocation.enabled";
/// `spark.metrics.namespace`.
pub const METRICS_NAMESPACE: &str = "spark.metrics.namespace";
/// `spark.metrics.conf`: the metrics properties file.
pub const METRICS_CONF: &str = "spark.metrics.conf";
/// `spark.ui.proxyBase`.
pub const UI_PROXY_BASE: &str = "spark.ui.proxyBase";
/// `spark.ui.proxyRedirectUri`.
pub const UI_PROXY_REDIRECT_URI: &str = "spark.ui.proxyRedirectUri";

/// `spark.io.encryption.enabled` (the Apache operator defaults it to `true`).
pub const IO_ENCRYPTION_ENABLED: &str = "spark.io.encryption.enabled";
/// `spark.kubernetes.driver.annotateExitException` (the Apache operator defaults it to `true`).
pub const DRIVER_ANNOTATE_EXIT_EXCEPTION: &str = "spark.kubernetes.driver.annotateExitException";
/// `spark.master.url.prefix`: the Apache operator's own key (`MASTER_URL_PREFIX_PROPS_NAME`),
/// the scheme it puts before the in-cluster API server address (default `k8s://`).
pub const MASTER_URL_PREFIX: &str = "spark.master.url.prefix";

/// Keys no Spark release reads, which the Spark operators read, set or refuse.
pub const OPERATOR_ONLY: &[&str] = &[
    EXECUTOR_OAUTH_TOKEN,
    EXECUTOR_OAUTH_TOKEN_FILE,
    KUBEFLOW_DYN_ALLOCATION_LOWER_CASE,
    MASTER_URL_PREFIX,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::entries;
    use crate::version::{SparkVersion, MODELLED};

    /// This file's code, without its tests.
    fn registry_source() -> &'static str {
        let source = include_str!("keys.rs");
        source.split("#[cfg(test)]").next().unwrap_or(source)
    }

    /// Each key named here is declared by a modelled release — or listed in `UNDECLARED` or
    /// `OPERATOR_ONLY`, and then declared by none: a typo fails here.
    #[test]
    fn every_key_is_declared_by_spark_or_listed_as_read_by_name() {
        let source = registry_source();
        let consts = source
            .split("pub const ")
            .skip(1)
            .filter_map(|item| {
                let (name, rest) = item.split_once(':')?;
                let value = rest.split('"').nth(1)?;
                Some((name.trim(), value))
            })
            .filter(|(_, value)| value.starts_with(SPARK_PREFIX) && !value.ends_with('.'));
        let mut checked = 0;
        for (name, key) in consts {
            let declared = MODELLED.iter().any(|&v| entries::find(v, key).is_some());
            let listed = UNDECLARED.contains(&key) || OPERATOR_ONLY.contains(&key);
            assert!(
                declared != listed,
                "{name} = {key}: declared by a modelled release: {declared}; in UNDECLARED: {listed}"
            );
            checked += 1;
        }
        assert!(checked > 100, "only {checked} keys found");
    }

    /// The typed entries' defaults are the ones every modelled release that declares the key
    /// declares (a default that changed between releases is the release profile's to give),
    /// and read as their type.
    #[test]
    fn defaults_are_sparks() {
        use crate::conf::entry::ValueKind;
        use crate::config::{Bool, Bytes, Double, Int, Long, Mib, Seconds, Str};
        let source = registry_source();
        let mut checked = 0;
        for item in source.split("pub const ").skip(1) {
            let Some((name, rest)) = item.split_once(": ConfigEntry<") else {
                continue;
            };
            let kind = rest.split('>').next().unwrap_or_default();
            let mut literals = rest.split('"').skip(1).step_by(2);
            let (Some(key), Some(default)) = (literals.next(), literals.next()) else {
                panic!("{name}: no key and default");
            };
            let parsed = match kind {
                "Bool" => Bool::parse(key, default).map(drop),
                "Int" => Int::parse(key, default).map(drop),
                "Long" => Long::parse(key, default).map(drop),
                "Double" => Double::parse(key, default).map(drop),
                "Str" => Str::parse(key, default).map(drop),
                "Mib" => Mib::parse(key, default).map(drop),
                "Bytes" => Bytes::parse(key, default).map(drop),
                "Seconds" => Seconds::parse(key, default).map(drop),
                other => panic!("{name}: unknown kind {other}"),
            };
            assert!(
                parsed.is_ok(),
                "{name}: default {default:?} is not a {kind}"
            );
            if UNDECLARED.contains(&key) {
                continue;
            }
            let mut declaring = 0;
            for version in MODELLED {
                let Some(declared) = entries::find(version, key) else {
                    continue;
                };
                assert_eq!(
                    declared.default,
                    entries::EntryDefault::Value(default),
                    "{name}: {key} in Spark {version}"
                );
                declaring += 1;
            }
            assert!(declaring > 0, "{name}: {key} is not declared");
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} defaults found");
    }

    #[test]
    fn credential_keys_and_families_are_known() {
        let v = SparkVersion::default();
        assert!(is_known(v, OAUTH_TOKEN));
        assert!(is_known(
            v,
            "spark.kubernetes.authenticate.submission.caCertFile"
        ));
        assert!(is_known(v, "spark.kubernetes.driver.label.team"));
        assert!(!is_known(v, "spark.kubernetes.authenticate.driver.caCert"));
    }
}
