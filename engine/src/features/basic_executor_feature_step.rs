//! `BasicExecutorFeatureStep`: executor N's pod — name, hostname, container (image, cpu,
//! memory, env, block manager port, args), the executors' spark-conf volume, the
//! decommissioning hook, labels, annotations, node selector, owner, restart policy.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, ContainerPort, ContainerResizePolicy, ExecAction, KeyToPath, Lifecycle, LifecycleHandler,
    LocalObjectReference, ResourceRequirements, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::kubernetes_conf::KubernetesConf;
use crate::config::keys;
use crate::constants::BLOCK_MANAGER_PORT_NAME;
use crate::constants::{DEFAULT_EXECUTOR_CONTAINER_NAME, SPARK_CONF_VOLUME_EXEC};
use crate::error::{Error, Result};
use crate::features::ExplainContext;
use crate::features::{Explain, FeatureStep};
use crate::k8s_utils::custom_resources;
use crate::kubernetes_conf::{DriverPodRef, ExecutorConf};
use crate::pod::{self, SparkPod};
use crate::provenance::Source;
use crate::quantity;
use crate::utils::{split_command_string, substitute_ids};

/// How executor memory is made up (`ResourceProfile.getResourcesForClusterManager`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExecutorMemory {
    /// `spark.executor.memory` in MiB.
    pub heap_mib: i64,
    /// `spark.executor.memoryOverhead`, else `max(factor × heap, 384)`.
    pub overhead_mib: i64,
    /// The factor: `spark.executor.memoryOverheadFactor`, else
    /// `spark.kubernetes.memoryOverheadFactor` (which the driver always sets).
    pub overhead_factor: f64,
    /// `spark.memory.offHeap.size` when `spark.memory.offHeap.enabled`.
    pub off_heap_mib: i64,
    /// `spark.executor.pyspark.memory`, for Python apps.
    pub pyspark_mib: i64,
}

impl ExecutorMemory {
    /// Computes executor memory from the driver's runtime conf.
    pub fn from_conf(
        conf: &crate::SparkConf,
        is_python: bool,
        release: crate::version::Release,
    ) -> Result<Self> {
        let heap_mib = conf.read(&keys::EXECUTOR_MEMORY)?;
        let overhead_factor = match conf.read_optional(&keys::EXECUTOR_MEMORY_OVERHEAD_FACTOR)? {
            Some(f) if f > 0.0 => f,
            Some(_) => {
                return Err(Error::invalid(
                    keys::EXECUTOR_MEMORY_OVERHEAD_FACTOR.key,
                    conf.get_or(keys::EXECUTOR_MEMORY_OVERHEAD_FACTOR.key, ""),
                    "the memory overhead factor must be a number greater than 0",
                ))
            }
            None => conf.read(&keys::MEMORY_OVERHEAD_FACTOR)?,
        };
        let overhead_mib = match conf.read_optional(&keys::EXECUTOR_MEMORY_OVERHEAD)? {
            Some(explicit) => explicit,
            None => ((overhead_factor * heap_mib as f64) as i32 as i64).max(
                if release.min_memory_overhead_conf() {
                    conf.read(&keys::EXECUTOR_MIN_MEMORY_OVERHEAD)?
                } else {
                    crate::constants::MEMORY_OVERHEAD_MIN_MIB
                },
            ),
        };
        let off_heap_enabled = conf.read(&keys::MEMORY_OFFHEAP_ENABLED)?;
        let off_heap_mib = if off_heap_enabled {
            let bytes = conf.read(&keys::MEMORY_OFFHEAP_SIZE)?;
            let mib = bytes / (1 << 20);
            if mib <= 0 {
                return Err(Error::invalid(
                    keys::MEMORY_OFFHEAP_SIZE.key,
                    conf.get_or(keys::MEMORY_OFFHEAP_SIZE.key, "0"),
                    format!(
                        "must be > 0 when {} is true",
                        keys::MEMORY_OFFHEAP_ENABLED.key
                    ),
                ));
            }
            mib
        } else {
            0
        };
        let pyspark_mib = if is_python {
            conf.read_optional(&keys::EXECUTOR_PYSPARK_MEMORY)?
                .unwrap_or(0)
        } else {
            0
        };
        Ok(ExecutorMemory {
            heap_mib,
            overhead_mib,
            overhead_factor,
            off_heap_mib,
            pyspark_mib,
        })
    }

    /// The container's memory request and limit, in MiB.
    pub fn total_mib(&self) -> i64 {
        self.heap_mib + self.overhead_mib + self.off_heap_mib + self.pyspark_mib
    }
}

/// The basic executor step.
#[derive(Debug, Clone)]
pub struct BasicExecutorFeatureStep {
    pod_name: String,
    hostname: String,
    image: String,
    pull_policy: String,
    pull_secrets: Vec<String>,
    block_manager_port: i32,
    cpu_request: String,
    cpu_limit: Option<String>,
    memory: ExecutorMemory,
    custom_resources: Vec<(String, String)>,
    env: Vec<(String, String)>,
    /// The env after the pod IP and name field refs (3.3: the secret, class path and Java
    /// options, in order).
    env_after_pod_fields: Vec<(String, String)>,
    spark_user: String,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, String)>,
    node_selector: Vec<(String, String)>,
    scheduler_name: Option<String>,
    driver_pod: Option<DriverPodRef>,
    disable_config_map: bool,
    config_map_name: String,
    conf_file_names: Vec<String>,
    decommission_script: Option<String>,
    restart_policy: &'static str,
    /// `terminationGracePeriodSeconds` (4.1+).
    termination_grace_period: Option<i64>,
    /// The container's resize policy: no restart on cpu or memory changes (4.2+).
    resize_policy: bool,
    /// `allowPrivilegeEscalation` of the executor container (4.3+).
    allow_privilege_escalation: Option<bool>,
    /// Empty `annotations` and `nodeSelector` are sent (3.3).
    sends_empty_maps: bool,
    warnings: Vec<String>,
}

impl BasicExecutorFeatureStep {
    /// Resolves the step's values, failing on the first bad one.
    pub fn new(conf: &ExecutorConf<'_>) -> Result<Self> {
        let c = &conf.conf;
        let image = c
            .get_first(&[keys::EXECUTOR_CONTAINER_IMAGE, keys::CONTAINER_IMAGE])
            .ok_or_else(|| Error::Missing {
                key: keys::CONTAINER_IMAGE.into(),
                reason: format!(
                    "Spark needs the executor container image (set it or {})",
                    keys::EXECUTOR_CONTAINER_IMAGE
                ),
            })?
            .to_owned();
        let block_manager_port = c
            .read_optional(&keys::BLOCK_MANAGER_PORT)?
            .unwrap_or(crate::constants::DEFAULT_BLOCK_MANAGER_PORT);
        if !(block_manager_port == 0 || (1024..65536).contains(&block_manager_port)) {
            return Err(Error::invalid(
                keys::BLOCK_MANAGER_PORT.key,
                c.get_or(keys::BLOCK_MANAGER_PORT.key, ""),
                "port number must be 0 or in [1024, 65535]",
            ));
        }
        let use_driver_pod_ip = conf.version.release().use_driver_pod_ip_conf()
            && c
                .read_optional(&keys::EXECUTOR_USE_DRIVER_POD_IP)?
                .unwrap_or(conf.version.release().use_driver_pod_ip_by_default());
        let address_key = if use_driver_pod_ip {
            // `spark.driver.bindAddress`, which falls back to `spark.driver.host`.
            [keys::DRIVER_BIND_ADDRESS, keys::DRIVER_HOST]
                .into_iter()
                .find(|k| c.contains(k))
                .unwrap_or(keys::DRIVER_HOST)
        } else {
            keys::DRIVER_HOST
        };
        let driver_host = c.get(address_key).ok_or_else(|| Error::Missing {
            key: keys::DRIVER_HOST.into(),
            reason: "executors need the driver's address".into(),
        })?;
        let driver_port = c
            .read_optional(&keys::DRIVER_PORT)?
            .unwrap_or(crate::constants::DEFAULT_DRIVER_PORT);
        let driver_url = format!("spark://CoarseGrainedScheduler@{driver_host}:{driver_port}");

        let is_python = c.get(keys::RESOURCE_TYPE) == Some("python");
        let release = conf.version.release();
        let memory = ExecutorMemory::from_conf(c, is_python, release)?;
        if memory.total_mib() <= 0 {
            return Err(Error::invalid(
                keys::EXECUTOR_MEMORY_OVERHEAD.key,
                c.get_or(keys::EXECUTOR_MEMORY_OVERHEAD.key, ""),
                format!(
                    "the executor's memory request would be {}Mi; the API server refuses a request that is not positive",
                    memory.total_mib()
                ),
            ));
        }
        let cores = c.read(&keys::EXECUTOR_CORES)?;
        let (cpu_request, request_key) = match c.get(keys::EXECUTOR_REQUEST_CORES) {
            Some(r) => (r.to_owned(), keys::EXECUTOR_REQUEST_CORES),
            None => (cores.to_string(), keys::EXECUTOR_CORES.key),
        };
        quantity::check(request_key, &cpu_request)?;
        let cpu_limit = c.get(keys::EXECUTOR_LIMIT_CORES).map(str::to_owned);
        if let Some(limit) = &cpu_limit {
            quantity::check(keys::EXECUTOR_LIMIT_CORES, limit)?;
        }

        let pod_name = format!("{}-exec-{}", conf.resource_name_prefix, conf.executor_id);
        let (environment, warnings) = conf.environment();
        let (env, env_after_pod_fields) =
            executor_env(conf, &driver_url, cores, &memory, environment)?;

        let mut node_selector = conf.prefixed(keys::NODE_SELECTOR_PREFIX);
        node_selector.extend(conf.prefixed(keys::EXECUTOR_NODE_SELECTOR_PREFIX));
        let decommission = c.read(&keys::DECOMMISSION_ENABLED)?;
        Ok(BasicExecutorFeatureStep {
            hostname: hostname(&pod_name),
            pod_name,
            image,
            pull_policy: crate::kubernetes_conf::image_pull_policy(c)?.to_owned(),
            pull_secrets: c.get_seq(keys::IMAGE_PULL_SECRETS),
            block_manager_port,
            cpu_request,
            cpu_limit,
            memory,
            custom_resources: custom_resources(c, keys::EXECUTOR_RESOURCE_PREFIX)?,
            env,
            env_after_pod_fields,
            spark_user: conf.inputs.spark_user.clone(),
            labels: conf.labels()?,
            annotations: conf.prefixed(keys::EXECUTOR_ANNOTATION_PREFIX),
            node_selector,
            scheduler_name: c
                .get_first(&[keys::EXECUTOR_SCHEDULER_NAME, keys::SCHEDULER_NAME])
                .map(str::to_owned),
            driver_pod: conf.driver_pod.clone(),
            disable_config_map: c.read(&keys::EXECUTOR_DISABLE_CONFIG_MAP)?,
            config_map_name: crate::names::executor_conf_map_name(&conf.inputs.unique_id),
            conf_file_names: conf.conf_files.keys().cloned().collect(),
            restart_policy: match c.read_str(&keys::PODS_ALLOCATOR) {
                "statefulset" => "Always",
                _ => "Never",
            },
            decommission_script: decommission
                .then(|| c.read_str(&keys::DECOMMISSION_SCRIPT).to_owned()),
            termination_grace_period: if release.executor_termination_grace_period() {
                Some(c.read(&keys::EXECUTOR_TERMINATION_GRACE_PERIOD)?)
            } else {
                None
            },
            resize_policy: release.grpc_app_protocol_and_resize_policy(),
            sends_empty_maps: release.sends_empty_maps(),
            allow_privilege_escalation: if release.restricted_security_defaults() {
                Some(match c.read_optional(&keys::EXECUTOR_ALLOW_PRIVILEGE_ESCALATION)? {
                    Some(allow) => allow,
                    None => c.read(&keys::ALLOW_PRIVILEGE_ESCALATION)?,
                })
            } else {
                None
            },
            warnings,
        })
    }

    /// Executor env vars Spark drops, as warnings.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

}

/// The executor hostname: the last 63 characters of the pod name, leading non-word characters
/// removed, other characters outside `[A-Za-z0-9_-]` replaced by `_`.
pub fn hostname(pod_name: &str) -> String {
    // The last 63 characters.
    let start = pod_name
        .char_indices()
        .rev()
        .nth(62)
        .map_or(0, |(at, _)| at);
    let tail = &pod_name[start..];
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let trimmed = tail.trim_start_matches(|c: char| !is_word(c));
    let mut out = String::new();
    let mut in_bad_run = false;
    for c in trimmed.chars() {
        if is_word(c) || c == '-' {
            out.push(c);
            in_bad_run = false;
        } else if !in_bad_run {
            out.push('_');
            in_bad_run = true;
        }
    }
    out
}

/// Env vars, names and values, in order.
type EnvVars = Vec<(String, String)>;

/// The env Spark builds for executors, in Spark's order (after `SPARK_USER`, which is first):
/// what comes before the pod IP/name field refs, and what comes after them.
fn executor_env(
    conf: &ExecutorConf<'_>,
    driver_url: &str,
    cores: i32,
    memory: &ExecutorMemory,
    environment: Vec<(String, String)>,
) -> Result<(EnvVars, EnvVars)> {
    let c = &conf.conf;
    let mut env: Vec<(String, String)> = vec![
        ("SPARK_DRIVER_URL".into(), driver_url.to_owned()),
        ("SPARK_EXECUTOR_CORES".into(), cores.to_string()),
        (
            "SPARK_EXECUTOR_MEMORY".into(),
            quantity::amount(memory.heap_mib, "m"),
        ),
        ("SPARK_APPLICATION_ID".into(), conf.app_id.clone()),
        (
            "SPARK_CONF_DIR".into(),
            crate::constants::SPARK_CONF_DIR_INTERNAL.into(),
        ),
        ("SPARK_EXECUTOR_ID".into(), conf.executor_id.clone()),
        ("SPARK_RESOURCE_PROFILE_ID".into(), "0".into()),
    ];
    env.extend(environment);
    // 3.3 lists the rest after the pod's field refs, in order; later releases put it all in
    // one map, before them.
    let as_map = conf.release().executor_env_as_map();
    let mut after = Vec::new();
    let rest = if as_map { &mut env } else { &mut after };
    let authenticate = c.read(&keys::AUTHENTICATE)?;
    let secret_file = c.get_first(&[keys::AUTH_SECRET_FILE_EXECUTOR, keys::AUTH_SECRET_FILE]);
    if authenticate && secret_file.is_none() {
        rest.push(("_SPARK_AUTH_SECRET".into(), conf.inputs.auth_secret.clone()));
    }
    if let Some(cp) = c.get(keys::EXECUTOR_CLASS_PATH) {
        rest.push(("SPARK_CLASSPATH".into(), cp.to_owned()));
    }
    if conf.release().executor_library_path_env() {
        if let Some(path) = c.get(keys::EXECUTOR_LIBRARY_PATH) {
            rest.push(("SPARK_EXECUTOR_LIBRARY_PATH".into(), path.to_owned()));
        }
    }
    let mut opts: Vec<String> = c
        .get_java_options(keys::EXECUTOR_JAVA_OPTIONS)
        .map(|o| split_command_string(&substitute_ids(&o, &conf.app_id, &conf.executor_id)))
        .unwrap_or_default();
    opts.extend(
        conf.get_all
            .iter()
            .filter(|(k, _)| keys::is_executor_startup_conf(k))
            .map(|(k, v)| format!("-D{k}={v}")),
    );
    // Spark numbers the options, then puts them in a map: the env vars follow its hash order.
    let numbered: Vec<(String, String)> = opts
        .into_iter()
        .enumerate()
        .map(|(i, opt)| (format!("SPARK_JAVA_OPT_{i}"), opt))
        .collect();
    if as_map {
        rest.extend(crate::hash_order::immutable_order(
            conf.release().scala(),
            numbered,
            |(name, _)| crate::hash_order::java_string_hash(name),
        ));
    } else {
        rest.extend(numbered);
    }
    for (name, value) in &mut env {
        if name == "SPARK_EXECUTOR_DIRS" {
            *value = value
                .replace("SPARK_APPLICATION_ID", &conf.app_id)
                .replace("SPARK_EXECUTOR_ID", &conf.executor_id);
        }
    }
    Ok((env, after))
}

impl FeatureStep for BasicExecutorFeatureStep {
    fn name(&self) -> &'static str {
        "BasicExecutorFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        let c = &mut p.container;
        if c.name.is_empty() {
            c.name = DEFAULT_EXECUTOR_CONTAINER_NAME.into();
        }
        c.image = Some(self.image.clone());
        c.image_pull_policy = Some(self.pull_policy.clone());
        let resources = c
            .resources
            .get_or_insert_with(ResourceRequirements::default);
        let memory = Quantity(quantity::amount(self.memory.total_mib(), "Mi"));
        let requests = resources.requests.get_or_insert_with(BTreeMap::new);
        requests.insert("memory".into(), memory.clone());
        requests.insert("cpu".into(), Quantity(self.cpu_request.clone()));
        let limits = resources.limits.get_or_insert_with(BTreeMap::new);
        limits.insert("memory".into(), memory);
        for (name, amount) in &self.custom_resources {
            limits.insert(name.clone(), Quantity(amount.clone()));
        }
        if let Some(limit) = self.cpu_limit.clone() {
            limits.insert("cpu".into(), Quantity(limit));
        }
        if self.resize_policy {
            c.resize_policy.get_or_insert_with(Vec::new).extend(
                ["cpu", "memory"].map(|resource| ContainerResizePolicy {
                    resource_name: resource.into(),
                    restart_policy: "NotRequired".into(),
                }),
            );
        }
        let env = c.env.get_or_insert_with(Vec::new);
        env.push(pod::env("SPARK_USER", self.spark_user.clone()));
        env.extend(self.env.iter().map(|(k, v)| pod::env(k, v)));
        env.push(pod::env_from_field("SPARK_EXECUTOR_POD_IP", "status.podIP"));
        env.push(pod::env_from_field(
            "SPARK_EXECUTOR_POD_NAME",
            "metadata.name",
        ));
        env.extend(self.env_after_pod_fields.iter().map(|(k, v)| pod::env(k, v)));
        // The block manager port is appended to a template's ports (none for port 0).
        if self.block_manager_port != 0 {
            c.ports.get_or_insert_with(Vec::new).push(ContainerPort {
                name: Some(BLOCK_MANAGER_PORT_NAME.into()),
                container_port: self.block_manager_port,
                ..ContainerPort::default()
            });
        }
        c.args.get_or_insert_with(Vec::new).push("executor".into());
        if let Some(allow) = self.allow_privilege_escalation {
            c.security_context
                .get_or_insert_with(Default::default)
                .allow_privilege_escalation = Some(allow);
        }
        if !self.disable_config_map {
            p.add_volume_mount(pod::mount(
                SPARK_CONF_VOLUME_EXEC,
                crate::constants::SPARK_CONF_DIR_INTERNAL,
            ));
        }
        if let Some(script) = self.decommission_script.clone() {
            p.container.lifecycle = Some(Lifecycle {
                pre_stop: Some(LifecycleHandler {
                    exec: Some(ExecAction {
                        command: Some(vec![script]),
                    }),
                    ..LifecycleHandler::default()
                }),
                ..Lifecycle::default()
            });
        }

        // Annotation values get the app and executor ids (the values of their labels).
        let labels = &self.labels;
        let label = |name: &str| {
            labels
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let app_id = label(crate::constants::labels::SPARK_APP_ID);
        let executor_id = label(crate::constants::labels::SPARK_EXECUTOR_ID);
        let annotations: Vec<(String, String)> = self
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), substitute_ids(v, app_id, executor_id)))
            .collect();
        let meta = &mut p.pod.metadata;
        meta.name = Some(self.pod_name.clone());
        pod::merge_into(&mut meta.labels, self.labels.clone());
        pod::merge_into(&mut meta.annotations, annotations);
        if self.sends_empty_maps {
            meta.annotations.get_or_insert_with(BTreeMap::new);
        }
        if let Some(DriverPodRef {
            name,
            uid: Some(uid),
        }) = &self.driver_pod
        {
            meta.owner_references
                .get_or_insert_with(Vec::new)
                .push(pod::owner_reference_to_pod(name, uid));
        }
        let spec = p.spec_mut();
        spec.hostname = Some(self.hostname.clone());
        spec.restart_policy = Some(self.restart_policy.into());
        if let Some(seconds) = self.termination_grace_period {
            spec.termination_grace_period_seconds = Some(seconds);
        }
        pod::merge_into(&mut spec.node_selector, self.node_selector.clone());
        if self.sends_empty_maps {
            spec.node_selector.get_or_insert_with(BTreeMap::new);
        }
        if !self.pull_secrets.is_empty() {
            spec.image_pull_secrets.get_or_insert_with(Vec::new).extend(
                self.pull_secrets
                    .clone()
                    .into_iter()
                    .map(|name| LocalObjectReference { name }),
            );
        }
        if !self.disable_config_map {
            let items = (!self.conf_file_names.is_empty()).then(|| {
                self.conf_file_names
                    .clone()
                    .into_iter()
                    .map(|f| KeyToPath {
                        key: f.clone(),
                        mode: Some(420),
                        path: f,
                    })
                    .collect()
            });
            p.add_volume(Volume {
                name: SPARK_CONF_VOLUME_EXEC.into(),
                config_map: Some(ConfigMapVolumeSource {
                    name: self.config_map_name.clone(),
                    items,
                    ..ConfigMapVolumeSource::default()
                }),
                ..Volume::default()
            });
        }
        if let Some(name) = self.scheduler_name.clone() {
            p.spec_mut().scheduler_name = Some(name);
        }
        Ok(())
    }
}

impl Explain for BasicExecutorFeatureStep {
    fn explain(&self, field: &str, ctx: &ExplainContext<'_>) -> Source {
        let rule = |d: String| Source::rule(self.name(), d);
        if field == "container.image" {
            return ctx.conf_or(&[keys::EXECUTOR_CONTAINER_IMAGE, keys::CONTAINER_IMAGE], "");
        }
        if field == "container.imagePullPolicy" {
            return ctx.conf_or(&[keys::IMAGE_PULL_POLICY.key], "IfNotPresent");
        }
        if field.ends_with(".memory") && field.starts_with("container.resources.") {
            let m = self.memory;
            return rule(format!(
                "memory request = limit = heap {} MiB + overhead {} MiB (max({} × heap, 384) unless {} is set) + off-heap {} MiB + PySpark {} MiB = {} MiB",
                m.heap_mib,
                m.overhead_mib,
                crate::java::double_to_string(m.overhead_factor),
                keys::EXECUTOR_MEMORY_OVERHEAD.key,
                m.off_heap_mib,
                m.pyspark_mib,
                m.total_mib()
            ));
        }
        if field == "container.resources.requests.cpu" {
            return ctx.conf_or(
                &[keys::EXECUTOR_REQUEST_CORES, keys::EXECUTOR_CORES.key],
                format!("{}=1", keys::EXECUTOR_CORES.key),
            );
        }
        if field == "container.resources.limits.cpu" {
            return ctx.conf_or(&[keys::EXECUTOR_LIMIT_CORES], "");
        }
        if let Some(name) = crate::provenance::env_name(field, ctx.fields) {
            return ctx
                .prefixed(keys::EXECUTOR_ENV_PREFIX, name)
                .unwrap_or_else(|| rule(format!("env {name}")));
        }
        if let Some(source) = ctx.pod_metadata(
            field,
            self.name(),
            [
                keys::EXECUTOR_LABEL_PREFIX,
                keys::EXECUTOR_ANNOTATION_PREFIX,
                keys::EXECUTOR_NODE_SELECTOR_PREFIX,
            ],
            [keys::EXECUTOR_SCHEDULER_NAME, keys::SCHEDULER_NAME],
        ) {
            return source;
        }
        rule(String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_keep_the_last_63_characters() {
        assert_eq!(hostname("spark-pi-abc-exec-1"), "spark-pi-abc-exec-1");
        let long = format!("{}-exec-12", "a".repeat(70));
        let h = hostname(&long);
        assert_eq!(h.len(), 63);
        assert!(h.ends_with("-exec-12"));
        assert_eq!(hostname("--x.y-exec-1"), "x_y-exec-1");
        // Characters, not bytes: of 70 two-byte characters and "-exec-1", the last 63
        // characters are 56 of them and "-exec-1", whose leading non-word ones are dropped.
        let wide = format!("{}-exec-1", "é".repeat(70));
        assert_eq!(hostname(&wide), "exec-1");
        let wide = format!("{}-exec-1", "ab".repeat(35));
        assert_eq!(hostname(&format!("é{wide}")).len(), 63);
        assert_eq!(hostname(&"x".repeat(63)), "x".repeat(63));
    }

    #[test]
    fn command_strings_split_like_spark() {
        assert_eq!(
            split_command_string(r#"-Da=1  -Db="two words" '-Dc=x y' -Dd=\q"#),
            ["-Da=1", "-Db=two words", "-Dc=x y", r"-Dd=\q"]
        );
        assert_eq!(split_command_string(r#""a\"b""#), [r#"a"b"#]);
        assert!(split_command_string("   ").is_empty());
        // Only space, tab, CR and LF separate words (Spark's isSpace), not every Unicode space.
        assert_eq!(
            split_command_string("-Da=1\u{a0}-Db\u{b}-Dc \u{2003}"),
            ["-Da=1\u{a0}-Db\u{b}-Dc", "\u{2003}"]
        );
        assert_eq!(split_command_string("'-Da=x'\u{c}-Db"), ["-Da=x\u{c}-Db"]);
    }

    #[test]
    fn startup_confs_are_ports_rpc_network_and_auth() {
        assert!(keys::is_executor_startup_conf("spark.driver.port"));
        assert!(keys::is_executor_startup_conf("spark.authenticate"));
        assert!(!keys::is_executor_startup_conf("spark.authenticate.secret"));
        assert!(keys::is_executor_startup_conf("spark.rpc.askTimeout"));
        assert!(!keys::is_executor_startup_conf("spark.app.name"));
    }
}
