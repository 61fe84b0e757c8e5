//! The running driver, as executors see it: its SparkConf when it asks for executors, its pod,
//! its `SPARK_LOCAL_DIRS` and its conf files.
//!
//! In cluster mode the driver pod's JVM starts from the driver's `spark.properties` and adds
//! what the image entrypoint, spark-submit (in client mode, inside the pod), the
//! `SparkContext` constructor and `KubernetesClusterManager` set. In client mode the driver is
//! spark-submit's own JVM, outside the cluster, starting from the submitted conf.

use std::collections::BTreeMap;

use crate::conf::SparkConf;
use crate::config::keys;
use crate::driver::DriverSpec;
use crate::error::{Error, Result};
use crate::kubernetes_conf::DriverPodRef;
use crate::names;
use crate::submit::Submission;
use crate::version::Release;
use crate::RenderInputs;

/// What executors are built from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RunningDriver {
    /// The driver JVM's SparkConf.
    pub conf: SparkConf,
    /// The driver pod, when there is one (cluster mode, or `spark.kubernetes.driver.pod.name`
    /// in client mode).
    pub pod: Option<DriverPodRef>,
    /// `SPARK_LOCAL_DIRS` in the driver process's environment.
    pub local_dirs: Option<String>,
    /// The files of the driver's `SPARK_CONF_DIR` that executors get.
    pub conf_files: BTreeMap<String, String>,
    /// The executor pod template: the path the user gave, and its text.
    pub executor_template: Option<(String, String)>,
}

impl RunningDriver {
    /// The driver pod of a cluster-mode submission, once running.
    pub fn in_cluster(driver: &DriverSpec, inputs: &RenderInputs, release: Release) -> Self {
        let mut conf = driver.spark_properties.clone();
        // The image entrypoint: --conf spark.driver.bindAddress=$POD_IP
        //                       --conf spark.executorEnv.SPARK_DRIVER_POD_IP=$POD_IP
        conf.set(keys::DRIVER_BIND_ADDRESS, &inputs.driver_pod_ip);
        conf.set(
            format!("{}SPARK_DRIVER_POD_IP", keys::EXECUTOR_ENV_PREFIX),
            &inputs.driver_pod_ip,
        );
        // spark-submit inside the pod runs the driver in client mode.
        conf.set(keys::DEPLOY_MODE, "client");
        if let Some(jars) = conf.get(keys::JARS).map(str::to_owned) {
            conf.set(keys::REPL_LOCAL_JARS, jars);
        }
        spark_context_start(&mut conf, inputs, release);
        RunningDriver {
            conf,
            pod: Some(DriverPodRef {
                name: driver.pod_name.clone(),
                uid: inputs.driver_uid.clone(),
            }),
            local_dirs: driver.container_env("SPARK_LOCAL_DIRS"),
            conf_files: driver.conf_files.clone(),
            executor_template: driver.executor_template.clone(),
        }
    }

    /// spark-submit's own JVM in client mode. Executors must reach it, so `spark.driver.host`
    /// and a fixed `spark.driver.port` are required (Spark would use the submitting machine's
    /// address and a random port, which spark-render cannot know).
    pub fn client_mode(
        submission: &Submission,
        inputs: &RenderInputs,
        release: Release,
    ) -> Result<Self> {
        let mut conf = submission.conf.clone();
        if !conf.contains(keys::DRIVER_HOST) {
            return Err(Error::Missing {
                key: keys::DRIVER_HOST.into(),
                reason: "in client mode executors connect to the driver at this address (Spark would use the submitting machine's IP)".into(),
            });
        }
        match conf.read_optional(&keys::DRIVER_PORT)? {
            Some(p) if p > 0 => {}
            _ => {
                return Err(Error::Missing {
                    key: keys::DRIVER_PORT.key.into(),
                    reason: "in client mode Spark binds a random port unless this is set, and executors' SPARK_DRIVER_URL names it".into(),
                })
            }
        }
        if !conf.contains(keys::APP_ID) {
            conf.set(keys::APP_ID, &inputs.app_id);
        }
        spark_context_start(&mut conf, inputs, release);
        let (conf_files, _) = match &inputs.env.conf_dir_files {
            Some(files) => crate::conf_files::select(files, &conf)?,
            None => (BTreeMap::new(), Vec::new()),
        };
        let pod = conf.get(keys::DRIVER_POD_NAME).map(|name| DriverPodRef {
            name: name.to_owned(),
            uid: inputs.driver_uid.clone(),
        });
        let executor_template = crate::k8s_utils::executor_template(&conf, inputs)?;
        Ok(RunningDriver {
            conf,
            pod,
            local_dirs: inputs.env.spark_local_dirs.clone(),
            conf_files,
            executor_template,
        })
    }
}

/// What the `SparkContext` constructor and `KubernetesClusterManager` add to the driver's conf.
fn spark_context_start(conf: &mut SparkConf, inputs: &RenderInputs, release: Release) {
    // The SparkContext constructor.
    let start = conf
        .get(keys::APP_SUBMIT_TIME)
        .map(str::to_owned)
        .unwrap_or_else(|| inputs.submit_time_ms.to_string());
    conf.set(keys::APP_START_TIME, start);
    let prefer_ipv6 = conf
        .get_java_options(keys::DRIVER_JAVA_OPTIONS)
        .is_some_and(|o| {
            o.split_whitespace()
                .any(|t| t == "-Djava.net.preferIPv6Addresses=true")
        });
    // supplementJavaModuleOptions, then supplementJavaIPv6Options: each reads the options
    // (the default options prepended) and saves the result as the extra options, so the
    // default options are saved twice, and the executor builder's read adds them a third time.
    let module_options = release.java_module_options();
    // Before 4.1 each supplement reads the default options with the extra ones, so the
    // defaults are saved again; 4.1 reads the extra options alone.
    let read = |conf: &SparkConf, key: &str| {
        if release.supplements_extra_java_options_only() {
            conf.get(key).map(str::to_owned)
        } else {
            conf.get_java_options(key)
        }
    };
    for key in [keys::DRIVER_JAVA_OPTIONS, keys::EXECUTOR_JAVA_OPTIONS] {
        let with_modules = match read(conf, key) {
            Some(opts) => format!("{module_options} {opts}"),
            None => module_options.to_owned(),
        };
        conf.set(key, with_modules);
        if !release.supplements_ipv6_option() {
            continue;
        }
        let ipv6 = if prefer_ipv6 { "true" } else { "false" };
        let with_ipv6 = match read(conf, key) {
            Some(opts) => format!("-Djava.net.preferIPv6Addresses={ipv6} {opts}"),
            None => format!("-Djava.net.preferIPv6Addresses={ipv6}"),
        };
        conf.set(key, with_ipv6);
    }
    conf.set(keys::EXECUTOR_ID, "driver");
    for (list, initial) in [
        (keys::JARS, keys::APP_INITIAL_JAR_URLS),
        (keys::FILES, keys::APP_INITIAL_FILE_URLS),
        (keys::ARCHIVES, keys::APP_INITIAL_ARCHIVE_URLS),
    ] {
        if let Some(v) = conf.get(list).filter(|v| !v.is_empty()).map(str::to_owned) {
            conf.set(initial, v);
        }
    }
    // KubernetesClusterManager: a fresh unique id names the executors (one input serves all).
    if !conf.contains(keys::EXECUTOR_POD_NAME_PREFIX) {
        let prefix = names::resource_name_prefix(conf.read_str(&keys::APP_NAME), &inputs.unique_id);
        conf.set(keys::EXECUTOR_POD_NAME_PREFIX, prefix);
    }
}
