//! Spark's `Constants.scala` for Kubernetes: the names, paths, ports and labels Spark uses
//! whatever the conf says.

/// The driver's RPC port name.
pub(crate) const DRIVER_PORT_NAME: &str = "driver-rpc-port";
/// The block manager port name.
pub(crate) const BLOCK_MANAGER_PORT_NAME: &str = "blockmanager";
/// The UI port name.
pub(crate) const UI_PORT_NAME: &str = "spark-ui";
/// `SPARK_CONNECT_SERVER_PORT_NAME` (4.1+).
pub(crate) const SPARK_CONNECT_PORT_NAME: &str = "spark-connect";

/// The label keys Spark reserves for itself.
pub(crate) mod labels {
    /// `spark-version`
    pub(crate) const SPARK_VERSION: &str = "spark-version";
    /// `spark-app-selector`
    pub(crate) const SPARK_APP_ID: &str = "spark-app-selector";
    /// `spark-app-name`
    pub(crate) const SPARK_APP_NAME: &str = "spark-app-name";
    /// `spark-role`
    pub(crate) const SPARK_ROLE: &str = "spark-role";
    /// `spark-exec-id`
    pub(crate) const SPARK_EXECUTOR_ID: &str = "spark-exec-id";
    /// `spark-exec-resourceprofile-id`
    pub(crate) const SPARK_RESOURCE_PROFILE_ID: &str = "spark-exec-resourceprofile-id";
}

/// Where the driver's spark-conf volume is mounted.
pub(crate) const SPARK_CONF_DIR_INTERNAL: &str = "/opt/spark/conf";
/// The driver's spark-conf volume.
pub(crate) const SPARK_CONF_VOLUME_DRIVER: &str = "spark-conf-volume-driver";
/// The file name of the properties in the spark-conf ConfigMaps.
pub(crate) const SPARK_CONF_FILE_NAME: &str = "spark.properties";

/// The driver container's default name.
pub(crate) const DEFAULT_DRIVER_CONTAINER_NAME: &str = "spark-kubernetes-driver";

/// The executor container's default name.
pub(crate) const DEFAULT_EXECUTOR_CONTAINER_NAME: &str = "spark-kubernetes-executor";
/// The executors' spark-conf volume.
pub(crate) const SPARK_CONF_VOLUME_EXEC: &str = "spark-conf-volume-exec";

/// Where the driver finds its `spark.properties`.
pub(crate) const SPARK_CONF_PATH: &str = "/opt/spark/conf/spark.properties";

/// Where the credentials Secret is mounted.
pub(crate) const CREDENTIALS_BASE_DIR: &str = "/mnt/secrets/spark-kubernetes-credentials";
/// The credentials volume.
pub(crate) const CREDENTIALS_VOLUME: &str = "kubernetes-credentials";

/// The Hadoop configuration volume's name.
pub(crate) const HADOOP_CONF_VOLUME: &str = "hadoop-properties";
/// Where the Hadoop configuration is mounted.
pub(crate) const HADOOP_CONF_DIR_PATH: &str = "/opt/hadoop/conf";

/// The krb5 volume's name.
pub(crate) const KRB_FILE_VOLUME: &str = "krb5-file";
/// The keytab volume's name.
pub(crate) const KERBEROS_KEYTAB_VOLUME: &str = "kerberos-keytab";
/// Where the keytab is mounted.
pub(crate) const KERBEROS_KEYTAB_MOUNT_POINT: &str = "/mnt/secrets/kerberos-keytab";
/// The delegation-token volume's name.
pub(crate) const HADOOP_SECRET_VOLUME: &str = "hadoop-secret";
/// Where delegation tokens are mounted.
pub(crate) const HADOOP_CREDENTIALS_BASE_DIR: &str = "/mnt/secrets/hadoop-credentials";

/// The volume holding the executor pod template in the driver.
pub(crate) const POD_TEMPLATE_VOLUME: &str = "pod-template-volume";
/// The ConfigMap key holding the template text.
pub(crate) const POD_TEMPLATE_KEY: &str = "podspec-configmap-key";
/// Where the template is mounted in the driver.
pub(crate) const EXECUTOR_POD_SPEC_TEMPLATE_MOUNTPATH: &str = "/opt/spark/pod-template";
/// The template's file name in the driver.
pub(crate) const EXECUTOR_POD_SPEC_TEMPLATE_FILE_NAME: &str = "pod-spec-template.yml";

/// Spark's default driver port on Kubernetes.
pub(crate) const DEFAULT_DRIVER_PORT: i32 = 7078;
/// Spark's default block manager port on Kubernetes.
pub(crate) const DEFAULT_BLOCK_MANAGER_PORT: i32 = 7079;
/// The minimum memory overhead (`ResourceProfile.MEMORY_OVERHEAD_MIN_MIB`).
pub(crate) const MEMORY_OVERHEAD_MIN_MIB: i64 = 384;
/// The default overhead factor for Python and R apps.
pub(crate) const NON_JVM_MEMORY_OVERHEAD_FACTOR: f64 = 0.4;
