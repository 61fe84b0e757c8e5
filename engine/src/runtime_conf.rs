//! The running driver's SparkConf: what the driver pod's JVM holds when it asks for executors.
//! It starts from the driver's `spark.properties` and adds what the image entrypoint,
//! spark-submit (in client mode, inside the pod), the `SparkContext` constructor and
//! `KubernetesClusterManager` set — the conf executors are built from.

use crate::conf::{keys, SparkConf};
use crate::names;
use crate::RenderInputs;

/// `JavaModuleOptions.defaultModuleOptions()` of Spark 3.5: the options the driver prepends to
/// `spark.executor.extraJavaOptions` (Java 17 needs them).
pub const JAVA_MODULE_OPTIONS: &str = "-XX:+IgnoreUnrecognizedVMOptions \
--add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
-Djdk.reflect.useDirectMethodHandle=false";

/// Builds the running driver's conf from its `spark.properties`.
pub fn driver_runtime_conf(spark_properties: &SparkConf, inputs: &RenderInputs) -> SparkConf {
    let mut conf = spark_properties.clone();
    // The image entrypoint: --conf spark.driver.bindAddress=$POD_IP
    //                       --conf spark.executorEnv.SPARK_DRIVER_POD_IP=$POD_IP
    conf.set(keys::DRIVER_BIND_ADDRESS, inputs.driver_pod_ip.clone());
    conf.set(
        "spark.executorEnv.SPARK_DRIVER_POD_IP",
        inputs.driver_pod_ip.clone(),
    );
    // spark-submit inside the pod runs the driver in client mode.
    conf.set(keys::DEPLOY_MODE, "client");
    if let Some(jars) = conf.get(keys::JARS).map(str::to_owned) {
        conf.set("spark.repl.local.jars", jars);
    }
    // The SparkContext constructor.
    let start = conf
        .get(keys::APP_SUBMIT_TIME)
        .map(str::to_owned)
        .unwrap_or_else(|| inputs.submit_time_ms.to_string());
    conf.set("spark.app.startTime", start);
    let prefer_ipv6 = conf.get(keys::DRIVER_JAVA_OPTIONS).is_some_and(|o| {
        o.split_whitespace()
            .any(|t| t == "-Djava.net.preferIPv6Addresses=true")
    });
    for key in [keys::DRIVER_JAVA_OPTIONS, keys::EXECUTOR_JAVA_OPTIONS] {
        let with_modules = match conf.get(key) {
            Some(opts) => format!("{JAVA_MODULE_OPTIONS} {opts}"),
            None => JAVA_MODULE_OPTIONS.to_owned(),
        };
        conf.set(
            key,
            format!("-Djava.net.preferIPv6Addresses={prefer_ipv6} {with_modules}"),
        );
    }
    conf.set("spark.executor.id", "driver");
    for (list, initial) in [
        (keys::JARS, "spark.app.initial.jar.urls"),
        (keys::FILES, "spark.app.initial.file.urls"),
        (keys::ARCHIVES, "spark.app.initial.archive.urls"),
    ] {
        if let Some(v) = conf.get(list).filter(|v| !v.is_empty()).map(str::to_owned) {
            conf.set(initial, v);
        }
    }
    // KubernetesClusterManager: a fresh unique id names the executors (one input serves all).
    if !conf.contains(keys::EXECUTOR_POD_NAME_PREFIX) {
        let prefix =
            names::resource_name_prefix(conf.get_or(keys::APP_NAME, "spark"), &inputs.unique_id);
        conf.set(keys::EXECUTOR_POD_NAME_PREFIX, prefix);
    }
    conf
}
