//! The operator's mutating webhook on Spark pods (`internal/webhook/sparkpod_defaulter.go`,
//! `mutateSparkPod`): what a `SparkApplication` says of its pods that spark-submit does not
//! carry, patched into the driver and executor pods as the API server admits them, in the
//! webhook's order.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, Container, ContainerPort, EnvVar, Pod, PodSpec, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::spec::{RoleSpec, SparkApplication};
use super::submission::{
    owner_reference, DRIVER_CONTAINER, EXECUTOR_CONTAINER, LOCAL_DIR_VOLUME_PREFIX,
};
use super::{monitoring, OperatorError};

/// The label the webhook's objectSelector matches: only these pods are mutated.
pub const LAUNCHED_BY_LABEL: &str = "sparkoperator.k8s.io/launched-by-spark-operator";
/// The label naming the application a pod belongs to.
pub const APP_NAME_LABEL: &str = "sparkoperator.k8s.io/app-name";
/// Where the webhook mounts `spec.sparkConfigMap`.
pub const SPARK_CONF_DIR: &str = "/etc/spark/conf";
/// Where the webhook mounts `spec.hadoopConfigMap`.
pub const HADOOP_CONF_DIR: &str = "/etc/hadoop/conf";
const MAX_NAME_LENGTH: usize = 63;

/// The role of a Spark pod, by its `spark-role` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Driver,
    Executor,
    Other,
}

fn role_of(pod: &Pod) -> Role {
    let role = pod
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("spark-role"))
        .map(String::as_str);
    match role {
        Some("driver") => Role::Driver,
        Some("executor") => Role::Executor,
        _ => Role::Other,
    }
}

/// Whether the webhook mutates `pod` (its objectSelector, and a named application).
pub fn selects(pod: &Pod) -> bool {
    let labels = pod.metadata.labels.as_ref();
    labels
        .and_then(|l| l.get(LAUNCHED_BY_LABEL))
        .map(String::as_str)
        == Some("true")
        && labels
            .and_then(|l| l.get(APP_NAME_LABEL))
            .is_some_and(|n| !n.is_empty())
}

type Mutation = fn(&mut Pod, &SparkApplication) -> Result<(), OperatorError>;

/// The mutations, in `mutateSparkPod`'s order, with their Go names.
pub const MUTATIONS: &[(&str, Mutation)] = &[
    ("addOwnerReference", add_owner_reference),
    ("addEnvVars", add_env_vars),
    ("addEnvFrom", add_env_from),
    ("addHadoopConfigMap", add_hadoop_config_map),
    ("addSparkConfigMap", add_spark_config_map),
    ("addGeneralConfigMaps", add_general_config_maps),
    ("addVolumes", add_volumes),
    ("addContainerPorts", add_container_ports),
    ("addHostNetwork", add_host_network),
    ("addHostAliases", add_host_aliases),
    ("addInitContainers", add_init_containers),
    ("addSidecarContainers", add_sidecar_containers),
    ("addDNSConfig", add_dns_config),
    ("addPriorityClassName", add_priority_class_name),
    ("addSchedulerName", add_scheduler_name),
    ("addNodeSelectors", add_node_selectors),
    ("addAffinity", add_affinity),
    ("addTolerations", add_tolerations),
    ("addMemoryLimit", add_memory_limit),
    ("addGPU", add_gpu),
    ("addPrometheusConfig", add_prometheus_config),
    (
        "addContainerSecurityContext",
        add_container_security_context,
    ),
    ("addPodSecurityContext", add_pod_security_context),
    (
        "addTerminationGracePeriodSeconds",
        add_termination_grace_period_seconds,
    ),
    ("addPodLifeCycleConfig", add_pod_lifecycle_config),
    ("addShareProcessNamespace", add_share_process_namespace),
];

/// `mutateSparkPod`: every mutation, in order. The webhook answers with a patch from the
/// pod as it came to the pod as Go writes it, so the pod's quantities come out canonical.
pub fn mutate_spark_pod(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    for (_, mutation) in MUTATIONS {
        mutation(pod, app)?;
    }
    canonicalize_quantities(pod);
    Ok(())
}

/// The pod's quantities as Go writes them.
fn canonicalize_quantities(pod: &mut Pod) {
    let Ok(mut value) = serde_json::to_value(&*pod) else {
        return;
    };
    super::go_quantity::canonicalize_pod_json(&mut value);
    if let Ok(canonical) = serde_json::from_value(value) {
        *pod = canonical;
    }
}

/// [`mutate_spark_pod`], returning each field a mutation set or changed: (path, value, the
/// mutation's Go name).
pub fn mutate_spark_pod_explained(
    pod: &mut Pod,
    app: &SparkApplication,
) -> Result<Vec<(String, serde_json::Value, &'static str)>, OperatorError> {
    let leaves = |pod: &Pod| {
        serde_json::to_value(pod)
            .map(|v| crate::provenance::flatten(&v))
            .unwrap_or_default()
    };
    let mut changed = Vec::new();
    let mut before = leaves(pod);
    for (name, mutation) in MUTATIONS {
        mutation(pod, app)?;
        let after = leaves(pod);
        for (path, value) in &after {
            if before.get(path) != Some(value) {
                changed.push((path.clone(), value.clone(), *name));
            }
        }
        before = after;
    }
    canonicalize_quantities(pod);
    Ok(changed)
}

fn role_spec<'a>(pod: &Pod, app: &'a SparkApplication) -> Option<&'a RoleSpec> {
    match role_of(pod) {
        Role::Driver => Some(&app.spec.driver),
        Role::Executor => Some(&app.spec.executor),
        Role::Other => None,
    }
}

fn spec_mut(pod: &mut Pod) -> &mut PodSpec {
    pod.spec.get_or_insert_with(Default::default)
}

/// `findContainer`: the Spark container's index (the first container when none has the
/// Spark name), `None` for a pod of no Spark role.
fn find_container(pod: &Pod) -> Option<usize> {
    let names: &[&str] = match role_of(pod) {
        Role::Driver => &[DRIVER_CONTAINER],
        Role::Executor => &["executor", EXECUTOR_CONTAINER],
        Role::Other => return None,
    };
    let containers = pod.spec.as_ref().map_or(&[][..], |s| &s.containers);
    Some(
        containers
            .iter()
            .position(|c| names.contains(&c.name.as_str()))
            .unwrap_or(0),
    )
}

/// The Spark container, or the error `what` when the pod has none.
fn spark_container<'a>(pod: &'a mut Pod, what: &str) -> Result<&'a mut Container, OperatorError> {
    let index = find_container(pod).ok_or_else(|| OperatorError(what.to_owned()))?;
    spec_mut(pod)
        .containers
        .get_mut(index)
        .ok_or_else(|| OperatorError(what.to_owned()))
}

fn add_owner_reference(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    if role_of(pod) != Role::Driver {
        return Ok(());
    }
    let owner = owner_reference(app);
    let owners = pod.metadata.owner_references.get_or_insert_with(Vec::new);
    if !owners.contains(&owner) {
        owners.push(owner);
    }
    Ok(())
}

fn add_env_vars(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let (env, what) = match role_of(pod) {
        Role::Driver => (
            &app.spec.driver.env,
            "failed to add envs as driver container not found",
        ),
        Role::Executor => (
            &app.spec.executor.env,
            "failed to add envs as executor container not found",
        ),
        Role::Other => return Ok(()),
    };
    if env.is_empty() {
        return Ok(());
    }
    let container = spark_container(pod, what)?;
    container
        .env
        .get_or_insert_with(Vec::new)
        .extend(env.iter().cloned());
    Ok(())
}

fn add_env_from(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let env_from = role_spec(pod, app)
        .map(|s| s.env_from.clone())
        .unwrap_or_default();
    let container = spark_container(pod, "failed to add envFrom as Spark container not found")?;
    if !env_from.is_empty() {
        container
            .env_from
            .get_or_insert_with(Vec::new)
            .extend(env_from);
    }
    Ok(())
}

fn add_env(pod: &mut Pod, name: &str, value: &str) -> Result<(), OperatorError> {
    let container = spark_container(pod, "failed to add env as Spark container not found")?;
    container.env.get_or_insert_with(Vec::new).push(EnvVar {
        name: name.to_owned(),
        value: Some(value.to_owned()),
        value_from: None,
    });
    Ok(())
}

fn add_config_map_volume(pod: &mut Pod, config_map: &str, volume: &str) {
    spec_mut(pod)
        .volumes
        .get_or_insert_with(Vec::new)
        .push(Volume {
            name: volume.to_owned(),
            config_map: Some(ConfigMapVolumeSource {
                name: config_map.to_owned(),
                ..ConfigMapVolumeSource::default()
            }),
            ..Volume::default()
        });
}

fn add_volume_mount(pod: &mut Pod, mount: VolumeMount) -> Result<(), OperatorError> {
    let container = spark_container(
        pod,
        "failed to add volumeMounts as Spark container not found",
    )?;
    container
        .volume_mounts
        .get_or_insert_with(Vec::new)
        .push(mount);
    Ok(())
}

fn add_config_map_volume_mount(
    pod: &mut Pod,
    volume: &str,
    path: &str,
) -> Result<(), OperatorError> {
    add_volume_mount(
        pod,
        VolumeMount {
            name: volume.to_owned(),
            read_only: Some(true),
            mount_path: path.to_owned(),
            ..VolumeMount::default()
        },
    )
}

fn add_hadoop_config_map(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let Some(name) = &app.spec.hadoop_config_map else {
        return Ok(());
    };
    add_config_map_volume(pod, name, "hadoop-configmap-volume");
    add_config_map_volume_mount(pod, "hadoop-configmap-volume", HADOOP_CONF_DIR)?;
    add_env(pod, "HADOOP_CONF_DIR", HADOOP_CONF_DIR)
}

fn add_spark_config_map(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let Some(name) = &app.spec.spark_config_map else {
        return Ok(());
    };
    add_config_map_volume(pod, name, "spark-configmap-volume");
    add_config_map_volume_mount(pod, "spark-configmap-volume", SPARK_CONF_DIR)?;
    add_env(pod, "SPARK_CONF_DIR", SPARK_CONF_DIR)
}

/// The volume the webhook gives a ConfigMap of `configMaps`: `<name>-vol`, cut to 63
/// characters.
pub fn config_map_volume_name(config_map: &str) -> String {
    let name = format!("{config_map}-vol");
    match name.char_indices().nth(MAX_NAME_LENGTH) {
        Some((cut, _)) => name[..cut].to_owned(),
        None => name,
    }
}

fn add_general_config_maps(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let config_maps = role_spec(pod, app)
        .map(|s| s.config_maps.clone())
        .unwrap_or_default();
    for name_path in config_maps {
        let volume = config_map_volume_name(&name_path.name);
        add_config_map_volume(pod, &name_path.name, &volume);
        add_config_map_volume_mount(pod, &volume, &name_path.path)?;
    }
    Ok(())
}

fn add_volumes(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let mounts = role_spec(pod, app)
        .map(|s| s.volume_mounts.clone())
        .unwrap_or_default();
    let volumes: BTreeMap<&str, &Volume> = app
        .spec
        .volumes
        .iter()
        .map(|v| (v.name.as_str(), v))
        .collect();
    let mut added: Vec<String> = Vec::new();
    for mount in mounts {
        // spark-local-dir-* volumes went to Spark as conf.
        if mount.name.starts_with(LOCAL_DIR_VOLUME_PREFIX) {
            continue;
        }
        let Some(volume) = volumes.get(mount.name.as_str()) else {
            // A mount of a volume the application does not declare is dropped.
            continue;
        };
        if !added.contains(&mount.name) {
            spec_mut(pod)
                .volumes
                .get_or_insert_with(Vec::new)
                .push((*volume).clone());
            added.push(mount.name.clone());
        }
        // The Go code ignores this error (no Spark container: the mount is lost).
        let _ = add_volume_mount(pod, mount);
    }
    Ok(())
}

fn add_container_port(
    pod: &mut Pod,
    port: i32,
    protocol: &str,
    name: &str,
) -> Result<(), OperatorError> {
    let container = spark_container(
        pod,
        &format!("failed to add containerPort {port} as Spark container not found"),
    )?;
    container
        .ports
        .get_or_insert_with(Vec::new)
        .push(ContainerPort {
            name: Some(name.to_owned()).filter(|n| !n.is_empty()),
            container_port: port,
            protocol: Some(protocol.to_owned()).filter(|p| !p.is_empty()),
            ..ContainerPort::default()
        });
    Ok(())
}

fn add_container_ports(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let ports = role_spec(pod, app)
        .map(|s| s.ports.clone())
        .unwrap_or_default();
    for p in ports {
        add_container_port(pod, p.container_port, &p.protocol, &p.name).map_err(|e| {
            OperatorError(format!("failed to expose port named {}: {}", p.name, e.0))
        })?;
    }
    Ok(())
}

fn add_host_network(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    if role_spec(pod, app).and_then(|s| s.host_network) == Some(true) {
        let spec = spec_mut(pod);
        spec.host_network = Some(true);
        spec.dns_policy = Some("ClusterFirstWithHostNet".to_owned());
    }
    Ok(())
}

fn add_host_aliases(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let aliases = role_spec(pod, app)
        .map(|s| s.host_aliases.clone())
        .unwrap_or_default();
    if !aliases.is_empty() {
        spec_mut(pod)
            .host_aliases
            .get_or_insert_with(Vec::new)
            .extend(aliases);
    }
    Ok(())
}

/// Containers are added unless one with the same name and image is there.
fn add_containers(list: &mut Vec<Container>, new: &[Container]) {
    for container in new {
        if !list
            .iter()
            .any(|c| c.name == container.name && c.image == container.image)
        {
            list.push(container.clone());
        }
    }
}

fn add_init_containers(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let new = role_spec(pod, app)
        .map(|s| s.init_containers.clone())
        .unwrap_or_default();
    // The webhook sets an empty list when there is none; the API server drops it.
    if !new.is_empty() {
        add_containers(
            spec_mut(pod).init_containers.get_or_insert_with(Vec::new),
            &new,
        );
    }
    Ok(())
}

fn add_sidecar_containers(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let new = role_spec(pod, app)
        .map(|s| s.sidecars.clone())
        .unwrap_or_default();
    add_containers(&mut spec_mut(pod).containers, &new);
    Ok(())
}

fn add_dns_config(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    if let Some(dns) = role_spec(pod, app).and_then(|s| s.dns_config.clone()) {
        spec_mut(pod).dns_config = Some(dns);
    }
    Ok(())
}

fn add_priority_class_name(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let name = role_spec(pod, app).and_then(|s| s.priority_class_name.clone());
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        let spec = spec_mut(pod);
        spec.priority_class_name = Some(name);
        spec.priority = None;
        spec.preemption_policy = None;
    }
    Ok(())
}

fn add_scheduler_name(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    // The batch scheduler wins over the role's.
    let name = match &app.spec.batch_scheduler {
        Some(batch) => Some(batch.clone()),
        None => role_spec(pod, app).and_then(|s| s.scheduler_name.clone()),
    };
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        spec_mut(pod).scheduler_name = Some(name);
    }
    Ok(())
}

fn add_node_selectors(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let selector = role_spec(pod, app)
        .and_then(|s| s.node_selector.clone())
        .unwrap_or_default();
    if !selector.is_empty() {
        spec_mut(pod)
            .node_selector
            .get_or_insert_with(BTreeMap::new)
            .extend(selector);
    }
    Ok(())
}

fn add_affinity(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    if let Some(affinity) = role_spec(pod, app).and_then(|s| s.affinity.clone()) {
        spec_mut(pod).affinity = Some(affinity);
    }
    Ok(())
}

fn add_tolerations(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let tolerations = role_spec(pod, app)
        .map(|s| s.tolerations.clone())
        .unwrap_or_default();
    if !tolerations.is_empty() {
        spec_mut(pod)
            .tolerations
            .get_or_insert_with(Vec::new)
            .extend(tolerations);
    }
    Ok(())
}

/// `util.ConvertJavaMemoryStringToK8sMemoryString`: a JVM size suffix (any case) made a
/// Kubernetes binary suffix; the suffix is cut as written in lower case, so `1G` stays
/// unconverted and fails to parse, as in the operator.
pub fn java_memory_to_quantity(memory: &str) -> String {
    let lower = memory.to_ascii_lowercase();
    for (unit, k8s) in [
        ("kb", "Ki"),
        ("mb", "Mi"),
        ("gb", "Gi"),
        ("tb", "Ti"),
        ("pb", "Pi"),
        ("k", "Ki"),
        ("m", "Mi"),
        ("g", "Gi"),
        ("t", "Ti"),
        ("p", "Pi"),
    ] {
        if lower.ends_with(unit) {
            let cut = memory.strip_suffix(unit).unwrap_or(memory);
            return format!("{cut}{k8s}");
        }
    }
    memory.to_owned()
}

fn add_memory_limit(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let limit = role_spec(pod, app).and_then(|s| s.memory_limit.clone());
    let what = format!("failed to add memory limit as Spark container was not found in pod {name}");
    let container = spark_container(pod, &what)?;
    let Some(limit) = limit else {
        return Ok(());
    };
    let quantity = java_memory_to_quantity(&limit);
    if !crate::quantity::is_valid(&quantity) {
        return Err(OperatorError(format!(
            "failed to parse memory limit {limit}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )));
    }
    container
        .resources
        .get_or_insert_with(Default::default)
        .limits
        .get_or_insert_with(BTreeMap::new)
        .insert(
            "memory".to_owned(),
            Quantity(super::go_quantity::canonical(&quantity).unwrap_or(quantity)),
        );
    Ok(())
}

fn add_gpu(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let Some(gpu) = role_spec(pod, app).and_then(|s| s.gpu.clone()) else {
        return Ok(());
    };
    // The webhook only logs a GPU without a name or quantity.
    if gpu.name.is_empty() || gpu.quantity <= 0 {
        return Ok(());
    }
    let name = pod.metadata.name.clone().unwrap_or_default();
    let container = spark_container(
        pod,
        &format!("failed to add GPU as Spark container was not found in pod {name}"),
    )?;
    container
        .resources
        .get_or_insert_with(Default::default)
        .limits
        .get_or_insert_with(BTreeMap::new)
        .insert(
            gpu.name,
            Quantity(
                super::go_quantity::canonical(&gpu.quantity.to_string())
                    .unwrap_or_else(|| gpu.quantity.to_string()),
            ),
        );
    Ok(())
}

fn add_prometheus_config(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let Some(monitoring) = &app.spec.monitoring else {
        return Ok(());
    };
    let Some(prometheus) = &monitoring.prometheus else {
        return Ok(());
    };
    if monitoring::has_metrics_properties_file(monitoring)
        && monitoring::has_config_file(prometheus)
    {
        return Ok(());
    }
    match role_of(pod) {
        Role::Driver if !monitoring.expose_driver_metrics => return Ok(()),
        Role::Executor if !monitoring.expose_executor_metrics => return Ok(()),
        _ => {}
    }
    let name = monitoring::config_map_name(app);
    let volume = format!("{name}-vol");
    let port = prometheus.port.unwrap_or(monitoring::DEFAULT_PORT);
    let port_name = prometheus
        .port_name
        .clone()
        .unwrap_or_else(|| "jmx-exporter".to_owned());
    add_config_map_volume(pod, &name, &volume);
    add_config_map_volume_mount(pod, &volume, monitoring::MOUNT_PATH).map_err(|e| {
        OperatorError(format!(
            "failed to mount volume {volume} in path {}: {}",
            monitoring::MOUNT_PATH,
            e.0
        ))
    })?;
    add_container_port(pod, port, "TCP", &port_name).map_err(|e| {
        OperatorError(format!(
            "failed to expose port {port} to scrape metrics outside the pod: {}",
            e.0
        ))
    })
}

fn add_container_security_context(
    pod: &mut Pod,
    app: &SparkApplication,
) -> Result<(), OperatorError> {
    let (context, what) = match role_of(pod) {
        Role::Driver => (
            &app.spec.driver.security_context,
            "driver container not found in pod",
        ),
        Role::Executor => (
            &app.spec.executor.security_context,
            "executor container not found in pod",
        ),
        Role::Other => return Ok(()),
    };
    let container = spark_container(pod, what)?;
    if let Some(context) = context {
        container.security_context = Some(context.clone());
    }
    Ok(())
}

fn add_pod_security_context(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    if let Some(context) = role_spec(pod, app).and_then(|s| s.pod_security_context.clone()) {
        spec_mut(pod).security_context = Some(context);
    }
    Ok(())
}

fn add_termination_grace_period_seconds(
    pod: &mut Pod,
    app: &SparkApplication,
) -> Result<(), OperatorError> {
    if let Some(seconds) = role_spec(pod, app).and_then(|s| s.termination_grace_period_seconds) {
        spec_mut(pod).termination_grace_period_seconds = Some(seconds);
    }
    Ok(())
}

fn add_pod_lifecycle_config(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    let Some(lifecycle) = role_spec(pod, app).and_then(|s| s.lifecycle.clone()) else {
        return Ok(());
    };
    let name = pod.metadata.name.clone().unwrap_or_default();
    let container = spark_container(
        pod,
        &format!("failed to add lifecycle config as Spark container was not found in pod {name}"),
    )?;
    container.lifecycle = Some(lifecycle);
    Ok(())
}

fn add_share_process_namespace(pod: &mut Pod, app: &SparkApplication) -> Result<(), OperatorError> {
    if role_spec(pod, app).and_then(|s| s.share_process_namespace) == Some(true) {
        spec_mut(pod).share_process_namespace = Some(true);
    }
    Ok(())
}
