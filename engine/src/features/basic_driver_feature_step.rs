//! `BasicDriverFeatureStep`: the driver container (name, image, ports, env, cpu and memory)
//! and the pod's name, labels, annotations, restart policy, node selector, pull secrets and
//! scheduler.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerPort, LocalObjectReference, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::kubernetes_conf::KubernetesConf;
use crate::config::keys;
use crate::constants::DEFAULT_DRIVER_CONTAINER_NAME;
use crate::constants::{
    BLOCK_MANAGER_PORT_NAME, DRIVER_PORT_NAME, SPARK_CONNECT_PORT_NAME, UI_PORT_NAME,
};
use crate::error::{Error, Result};
use crate::features::ExplainContext;
use crate::features::{Explain, FeatureStep};
use crate::k8s_utils;
use crate::k8s_utils::custom_resources;
use crate::kubernetes_conf::DriverConf;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;
use crate::quantity;
use crate::utils::substitute_ids;

/// The basic driver step, with every value resolved up front.
#[derive(Debug, Clone)]
pub struct BasicDriverFeatureStep {
    pod_name: String,
    image: String,
    pull_policy: String,
    pull_secrets: Vec<String>,
    driver_port: i32,
    block_manager_port: i32,
    ui_port: i32,
    /// The Spark Connect port (4.1+).
    connect_port: Option<i32>,
    /// `allowPrivilegeEscalation` of the driver container (4.3+).
    allow_privilege_escalation: Option<bool>,
    /// Empty `annotations` and `nodeSelector` are sent (3.3).
    sends_empty_maps: bool,
    spark_user: String,
    env: Vec<(String, String)>,
    cpu_request: String,
    cpu_limit: Option<String>,
    memory: DriverMemory,
    custom_resources: Vec<(String, String)>,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, String)>,
    node_selector: Vec<(String, String)>,
    scheduler_name: Option<String>,
    app_id: String,
    uploaded: Vec<(String, String)>,
}

/// How the driver's memory request is made up (Spark 3.5's rules).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriverMemory {
    /// `spark.driver.memory` in MiB.
    pub heap_mib: i64,
    /// The factor the overhead was (or would have been) derived from.
    pub overhead_factor: f64,
    /// The factor Spark records as `spark.kubernetes.memoryOverheadFactor` for executors.
    pub default_overhead_factor: f64,
    /// The overhead in MiB: `spark.driver.memoryOverhead`, else
    /// `max(factor × heap, 384)`.
    pub overhead_mib: i64,
}

impl DriverMemory {
    /// Computes the driver memory from the conf.
    pub fn from_conf(conf: &DriverConf<'_>) -> Result<Self> {
        let heap_mib = conf.conf.read(&keys::DRIVER_MEMORY)?;
        let default_overhead_factor = conf.default_overhead_factor()?;
        let overhead_factor = match conf
            .conf
            .read_optional(&keys::DRIVER_MEMORY_OVERHEAD_FACTOR)?
        {
            Some(f) if f > 0.0 => f,
            Some(_) => {
                return Err(Error::invalid(
                    keys::DRIVER_MEMORY_OVERHEAD_FACTOR.key,
                    conf.conf
                        .get_or(keys::DRIVER_MEMORY_OVERHEAD_FACTOR.key, ""),
                    "the memory overhead factor must be a number greater than 0",
                ))
            }
            None => default_overhead_factor,
        };
        let overhead_mib = match conf.conf.read_optional(&keys::DRIVER_MEMORY_OVERHEAD)? {
            Some(explicit) => explicit,
            // Scala's `Double.toInt` saturates, as Rust's `as` does.
            None => ((overhead_factor * heap_mib as f64) as i32 as i64).max(
                if conf.version.release().min_memory_overhead_conf() {
                    conf.conf.read(&keys::DRIVER_MIN_MEMORY_OVERHEAD)?
                } else {
                    crate::constants::MEMORY_OVERHEAD_MIN_MIB
                },
            ),
        };
        Ok(DriverMemory {
            heap_mib,
            overhead_factor,
            default_overhead_factor,
            overhead_mib,
        })
    }

    /// Heap plus overhead: the container's memory request and limit, in MiB.
    pub fn total_mib(&self) -> i64 {
        self.heap_mib + self.overhead_mib
    }
}

impl BasicDriverFeatureStep {
    /// Resolves the step's values, failing on the first bad one.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        let c = &conf.conf;
        let pod_name = c
            .get(keys::DRIVER_POD_NAME)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}-driver", conf.resource_name_prefix));
        let image = c
            .get_first(&[keys::DRIVER_CONTAINER_IMAGE, keys::CONTAINER_IMAGE])
            .ok_or_else(|| Error::Missing {
                key: keys::CONTAINER_IMAGE.into(),
                reason: format!(
                    "Spark needs the driver container image (set it or {})",
                    keys::DRIVER_CONTAINER_IMAGE
                ),
            })?
            .to_owned();

        let driver_cores = c.read(&keys::DRIVER_CORES)?;
        let cpu_request = c
            .get(keys::DRIVER_REQUEST_CORES)
            .map(str::to_owned)
            .unwrap_or_else(|| driver_cores.to_string());
        let cpu_request_key = if c.contains(keys::DRIVER_REQUEST_CORES) {
            keys::DRIVER_REQUEST_CORES
        } else {
            keys::DRIVER_CORES.key
        };
        quantity::check(cpu_request_key, &cpu_request)?;
        let cpu_limit = c.get(keys::DRIVER_LIMIT_CORES).map(str::to_owned);
        if let Some(limit) = &cpu_limit {
            quantity::check(keys::DRIVER_LIMIT_CORES, limit)?;
        }

        let memory = DriverMemory::from_conf(conf)?;
        if memory.total_mib() <= 0 {
            return Err(Error::invalid(
                keys::DRIVER_MEMORY_OVERHEAD.key,
                c.get_or(keys::DRIVER_MEMORY_OVERHEAD.key, ""),
                format!(
                    "the driver's memory request would be {}Mi; the API server refuses a request that is not positive",
                    memory.total_mib()
                ),
            ));
        }

        // The Kubernetes module's port defaults, not core's (which draw a random port).
        let driver_port = c
            .read_optional(&keys::DRIVER_PORT)?
            .unwrap_or(crate::constants::DEFAULT_DRIVER_PORT);
        let block_manager_port = match c.read_optional(&keys::DRIVER_BLOCK_MANAGER_PORT)? {
            Some(p) => p,
            None => c
                .read_optional(&keys::BLOCK_MANAGER_PORT)?
                .unwrap_or(crate::constants::DEFAULT_BLOCK_MANAGER_PORT),
        };
        let ui_port = c.read(&keys::UI_PORT)?;
        let release = conf.version.release();
        let connect_port = if release.connect_port() {
            Some(c.read(&keys::CONNECT_GRPC_BINDING_PORT)?)
        } else {
            None
        };
        let allow_privilege_escalation = if release.restricted_security_defaults() {
            Some(match c.read_optional(&keys::DRIVER_ALLOW_PRIVILEGE_ESCALATION)? {
                Some(allow) => allow,
                None => c.read(&keys::ALLOW_PRIVILEGE_ESCALATION)?,
            })
        } else {
            None
        };

        let mut env = vec![("SPARK_APPLICATION_ID".to_owned(), conf.app_id().to_owned())];
        env.extend(conf.prefixed(keys::DRIVER_ENV_PREFIX));

        let mut node_selector = conf.prefixed(keys::NODE_SELECTOR_PREFIX);
        node_selector.extend(conf.prefixed(keys::DRIVER_NODE_SELECTOR_PREFIX));

        Ok(BasicDriverFeatureStep {
            pod_name,
            image,
            pull_policy: conf.image_pull_policy()?.to_owned(),
            pull_secrets: conf.image_pull_secrets(),
            driver_port,
            block_manager_port,
            ui_port,
            connect_port,
            allow_privilege_escalation,
            sends_empty_maps: release.sends_empty_maps(),
            spark_user: conf.inputs.spark_user.clone(),
            env,
            cpu_request,
            cpu_limit,
            memory,
            custom_resources: custom_resources(conf.conf, keys::DRIVER_RESOURCE_PREFIX)?,
            labels: conf.labels()?,
            annotations: conf.annotations(),
            node_selector,
            scheduler_name: conf.scheduler_name().map(str::to_owned),
            app_id: conf.app_id().to_owned(),
            uploaded: uploaded_file_lists(conf)?,
        })
    }

    /// The driver pod's name.
    pub fn pod_name(&self) -> &str {
        &self.pod_name
    }

}

/// The file lists whose local entries Spark uploads, rewritten to their uploaded URIs (local
/// entries first, then the others, as Spark orders them).
fn uploaded_file_lists(conf: &DriverConf<'_>) -> Result<Vec<(String, String)>> {
    let mut props = Vec::new();
    for key in [
        keys::JARS,
        keys::FILES,
        keys::ARCHIVES,
        keys::SUBMIT_PY_FILES,
    ] {
        let (local, remote): (Vec<String>, Vec<String>) = conf
            .conf
            .get_seq(key)
            .into_iter()
            .partition(|uri| k8s_utils::is_local_and_resolvable(uri));
        if local.is_empty() {
            continue;
        }
        let mut resolved = Vec::new();
        for uri in &local {
            let (without_fragment, fragment) = match uri.split_once('#') {
                Some((u, f)) if key == keys::ARCHIVES => (u, Some(f)),
                _ => (uri.as_str(), None),
            };
            let target = k8s_utils::upload_file_uri(without_fragment, conf.conf, conf.inputs, key)?;
            // Archives go through a URI builder, which writes `file:///x` as `file:/x`.
            let target = if key == keys::ARCHIVES {
                match target.split_once(":///") {
                    Some((scheme, rest)) => format!("{scheme}:/{rest}"),
                    None => target,
                }
            } else {
                target
            };
            resolved.push(match fragment {
                Some(f) => format!("{target}#{f}"),
                None => target,
            });
        }
        resolved.extend(remote);
        props.push((key.to_owned(), resolved.join(",")));
    }
    Ok(props)
}

impl FeatureStep for BasicDriverFeatureStep {
    fn name(&self) -> &'static str {
        "BasicDriverFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        let c = &mut p.container;
        if c.name.is_empty() {
            c.name = DEFAULT_DRIVER_CONTAINER_NAME.into();
        }
        c.image = Some(self.image.clone());
        c.image_pull_policy = Some(self.pull_policy.clone());
        let ports = c.ports.get_or_insert_with(Vec::new);
        let connect = self.connect_port.map(|p| (SPARK_CONNECT_PORT_NAME, p));
        for (name, port) in [
            (DRIVER_PORT_NAME, self.driver_port),
            (BLOCK_MANAGER_PORT_NAME, self.block_manager_port),
            (UI_PORT_NAME, self.ui_port),
        ]
        .into_iter()
        .chain(connect)
        {
            ports.push(ContainerPort {
                name: Some(name.into()),
                container_port: port,
                protocol: Some("TCP".into()),
                ..ContainerPort::default()
            });
        }
        let env = c.env.get_or_insert_with(Vec::new);
        env.push(pod::env("SPARK_USER", self.spark_user.clone()));
        env.extend(self.env.iter().map(|(k, v)| pod::env(k, v)));
        env.push(pod::env_from_field(
            "SPARK_DRIVER_BIND_ADDRESS",
            "status.podIP",
        ));

        let resources = p
            .container
            .resources
            .get_or_insert_with(ResourceRequirements::default);
        let requests = resources.requests.get_or_insert_with(BTreeMap::new);
        requests.insert("cpu".into(), Quantity(self.cpu_request.clone()));
        let memory = Quantity(quantity::amount(self.memory.total_mib(), "Mi"));
        requests.insert("memory".into(), memory.clone());
        let limits = resources.limits.get_or_insert_with(BTreeMap::new);
        if let Some(limit) = self.cpu_limit.clone() {
            limits.insert("cpu".into(), Quantity(limit));
        }
        limits.insert("memory".into(), memory);
        for (name, amount) in &self.custom_resources {
            limits.insert(name.clone(), Quantity(amount.clone()));
        }

        if let Some(allow) = self.allow_privilege_escalation {
            p.container
                .security_context
                .get_or_insert_with(Default::default)
                .allow_privilege_escalation = Some(allow);
        }

        let meta = &mut p.pod.metadata;
        meta.name = Some(self.pod_name.clone());
        pod::merge_into(&mut meta.labels, self.labels.clone());
        let app_id = &self.app_id;
        pod::merge_into(
            &mut meta.annotations,
            self.annotations
                .iter()
                .map(|(k, v)| (k.clone(), substitute_ids(v, app_id, ""))),
        );
        if self.sends_empty_maps {
            meta.annotations.get_or_insert_with(BTreeMap::new);
        }
        let spec = p.spec_mut();
        spec.restart_policy = Some("Never".into());
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
        if let Some(name) = self.scheduler_name.clone() {
            spec.scheduler_name = Some(name);
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        vec![
            (keys::DRIVER_POD_NAME.into(), (&self.pod_name).into()),
            (keys::APP_ID.into(), (&self.app_id).into()),
            (keys::SUBMIT_IN_DRIVER.into(), "true".into()),
            (
                keys::MEMORY_OVERHEAD_FACTOR.key.into(),
                crate::java::double_to_string(self.memory.default_overhead_factor),
            ),
        ]
        .into_iter()
        .chain(self.uploaded.iter().map(|(k, v)| (k.into(), v.into())))
        .collect()
    }
}

impl Explain for BasicDriverFeatureStep {
    fn explain(&self, field: &str, ctx: &ExplainContext<'_>) -> Source {
        let rule = |d: String| Source::rule(self.name(), d);
        if field == "container.image" {
            return ctx.conf_or(&[keys::DRIVER_CONTAINER_IMAGE, keys::CONTAINER_IMAGE], "");
        }
        if field == "container.imagePullPolicy" {
            return ctx.conf_or(&[keys::IMAGE_PULL_POLICY.key], "IfNotPresent");
        }
        if field == "container.name" {
            return rule("the driver container's default name".into());
        }
        if field.ends_with(".memory") && field.starts_with("container.resources.") {
            let m = self.memory;
            let overhead = if ctx.conf.contains(keys::DRIVER_MEMORY_OVERHEAD.key) {
                format!(
                    "{} MiB ({})",
                    m.overhead_mib,
                    keys::DRIVER_MEMORY_OVERHEAD.key
                )
            } else {
                format!(
                    "max({} × {}, 384) = {} MiB",
                    crate::java::double_to_string(m.overhead_factor),
                    m.heap_mib,
                    m.overhead_mib
                )
            };
            return rule(format!(
                "memory request = limit = heap {} MiB ({}) + overhead {overhead} = {} MiB",
                m.heap_mib,
                ctx.conf
                    .get(keys::DRIVER_MEMORY.key)
                    .map_or("default 1g".to_owned(), |v| format!(
                        "{}={v}",
                        keys::DRIVER_MEMORY.key
                    )),
                m.total_mib()
            ));
        }
        if field == "container.resources.requests.cpu" {
            return ctx.conf_or(
                &[keys::DRIVER_REQUEST_CORES, keys::DRIVER_CORES.key],
                format!("{}=1", keys::DRIVER_CORES.key),
            );
        }
        if field == "container.resources.limits.cpu" {
            return ctx.conf_or(&[keys::DRIVER_LIMIT_CORES], "");
        }
        if let Some(resource) = field.strip_prefix("container.resources.limits.") {
            let name = resource.rsplit('/').next().unwrap_or(resource);
            if let Some(s) = ctx.prefixed(keys::DRIVER_RESOURCE_PREFIX, &format!("{name}.amount")) {
                return s;
            }
        }
        if field.starts_with("container.ports[") && field.ends_with("containerPort") {
            let port = ctx.fields.get(field).and_then(serde_json::Value::as_i64);
            let key = [
                keys::DRIVER_PORT.key,
                keys::DRIVER_BLOCK_MANAGER_PORT.key,
                keys::BLOCK_MANAGER_PORT.key,
                keys::UI_PORT.key,
            ]
            .into_iter()
            .find(|k| ctx.conf.get(k).and_then(|v| v.parse::<i64>().ok()) == port);
            return match key {
                Some(k) => Source::conf(k, ctx.conf.get_or(k, "")),
                None => Source::Default {
                    detail: "ports 7078 (driver), 7079 (block manager), 4040 (UI)".into(),
                },
            };
        }
        if let Some(name) = crate::provenance::env_name(field, ctx.fields) {
            return match name {
                "SPARK_USER" if field.ends_with(".value") => Source::Input {
                    name: "spark-user".into(),
                },
                "SPARK_APPLICATION_ID" if field.ends_with(".value") => Source::Input {
                    name: "app-id".into(),
                },
                _ => ctx
                    .prefixed(keys::DRIVER_ENV_PREFIX, name)
                    .unwrap_or_else(|| rule(format!("env {name}"))),
            };
        }
        if field == "pod.metadata.name" {
            return ctx.conf_or(&[keys::DRIVER_POD_NAME], "<app name>-<unique id>-driver");
        }
        if let Some(source) = ctx.pod_metadata(
            field,
            self.name(),
            [
                keys::DRIVER_LABEL_PREFIX,
                keys::DRIVER_ANNOTATION_PREFIX,
                keys::DRIVER_NODE_SELECTOR_PREFIX,
            ],
            [keys::DRIVER_SCHEDULER_NAME, keys::SCHEDULER_NAME],
        ) {
            return source;
        }
        if field.starts_with("pod.spec.imagePullSecrets") {
            return ctx.conf_or(&[keys::IMAGE_PULL_SECRETS], "");
        }
        if field == "pod.spec.restartPolicy" {
            return rule("driver pods are never restarted".into());
        }
        rule(String::new())
    }
}
