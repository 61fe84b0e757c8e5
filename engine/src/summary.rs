//! `spark-render summary`: what a job asks of the cluster — the resources of the driver pod
//! and of each executor pod, as the scheduler counts them, and the totals for the driver plus
//! the executors the driver asks for at start and, under dynamic allocation, at most.
//!
//! A pod's request of a resource is the larger of its containers' sum and its largest init
//! container (how the Kubernetes scheduler counts it); a container that sets a limit but no
//! request requests its limit (Kubernetes' defaulting). The claims Spark creates for a pod
//! (`OnDemand` persistent volume claims) count as `claims.storage`. Amounts are in base units:
//! cores, bytes, or counts for extended resources such as `nvidia.com/gpu`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PersistentVolumeClaim};
use serde::Serialize;

use crate::config::keys;
use crate::constants::labels;
use crate::error::Result;
use crate::manifest::Resource;
use crate::{quantity, render_all, RenderRequest};

/// Amounts by resource name (`cpu` in cores, `memory` in bytes, `nvidia.com/gpu`...).
pub type Usage = BTreeMap<String, f64>;

/// The pseudo-resource for the storage of the claims Spark creates for a pod.
pub const CLAIMS_STORAGE: &str = "claims.storage";

/// One pod's resources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodUsage {
    /// The pod's name (the first executor's, for executors).
    pub pod: String,
    /// What the scheduler reserves for it.
    pub requests: Usage,
    /// The most it may use (resources without a limit are absent).
    pub limits: Usage,
}

/// How many executors fit on a node of a given size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeFit {
    /// The node's allocatable resources, as given.
    pub node: Usage,
    /// Executors that fit on one such node, by their requests.
    pub executors: u64,
    /// The resource that runs out first.
    pub bound_by: String,
}

/// What a job asks of the cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The driver pod (none in client mode).
    pub driver: Option<PodUsage>,
    /// One executor pod (they differ only in their id).
    pub executor: Option<PodUsage>,
    /// Whether dynamic allocation is on.
    pub dynamic_allocation: bool,
    /// The executors the driver asks for at start.
    pub executors_at_start: u32,
    /// The most executors: `spark.dynamicAllocation.maxExecutors` under dynamic allocation
    /// (`None` when unbounded), else the executors at start.
    pub executors_at_most: Option<u32>,
    /// Requests of the driver and the executors at start.
    pub requests_at_start: Usage,
    /// Limits of the driver and the executors at start.
    pub limits_at_start: Usage,
    /// Requests of the driver and the most executors (`None` when unbounded).
    pub requests_at_most: Option<Usage>,
    /// Limits of the driver and the most executors (`None` when unbounded).
    pub limits_at_most: Option<Usage>,
    /// Executors per node, when a node size is given.
    pub per_node: Option<NodeFit>,
}

/// Summarises what `request` asks of the cluster; `node` (allocatable resources) adds how
/// many executors fit on such a node.
pub fn summarise(request: &RenderRequest, node: Option<&Usage>) -> Result<Summary> {
    let submission = crate::prepare(request)?;
    // One executor tells the size of all.
    let mut one = request.clone();
    one.executor_ids = vec![1];
    one.explain = false;
    let rendered = render_all(&one)?;
    summarise_rendered(&submission.conf, &rendered, node)
}

/// [`summarise`] for a render made otherwise (a Spark operator's): `conf` is the submitted
/// conf, `rendered` the driver's objects and one executor's.
pub fn summarise_rendered(
    conf: &crate::SparkConf,
    rendered: &crate::Rendered,
    node: Option<&Usage>,
) -> Result<Summary> {
    let dynamic_allocation = conf.read(&keys::DYN_ALLOCATION_ENABLED)?;
    let at_start = u32::try_from(crate::executor::initial_executors(conf)?).unwrap_or(0);
    let at_most = if dynamic_allocation {
        // Spark's default is Int.MaxValue: no bound.
        match conf.read(&keys::DYN_ALLOCATION_MAX_EXECUTORS)? {
            i32::MAX => None,
            max => Some(u32::try_from(max).unwrap_or(0).max(at_start)),
        }
    } else {
        Some(at_start)
    };

    let driver = pod_usage(rendered.driver_objects(), "driver");
    let executor = pod_usage(rendered.executor_objects(), "executor");

    let total = |executors: u32| -> (Usage, Usage) {
        let mut requests = Usage::new();
        let mut limits = Usage::new();
        for (pod, count) in [(&driver, 1.0), (&executor, f64::from(executors))] {
            if let Some(pod) = pod {
                add(&mut requests, &pod.requests, count);
                add(&mut limits, &pod.limits, count);
            }
        }
        (requests, limits)
    };
    let (requests_at_start, limits_at_start) = total(at_start);
    let (requests_at_most, limits_at_most) = match at_most {
        Some(n) => {
            let (r, l) = total(n);
            (Some(r), Some(l))
        }
        None => (None, None),
    };
    let per_node = match (node, &executor) {
        (Some(node), Some(executor)) => fit(node, &executor.requests),
        _ => None,
    };
    Ok(Summary {
        driver,
        executor,
        dynamic_allocation,
        executors_at_start: at_start,
        executors_at_most: at_most,
        requests_at_start,
        limits_at_start,
        requests_at_most,
        limits_at_most,
        per_node,
    })
}

/// `into[r] += amount[r] × count` for every resource.
fn add(into: &mut Usage, amounts: &Usage, count: f64) {
    for (resource, amount) in amounts {
        *into.entry(resource.clone()).or_default() += amount * count;
    }
}

/// The resources of the pod with Spark role `role` among `objects`, with the claims created
/// with it.
fn pod_usage(objects: &[Resource], role: &str) -> Option<PodUsage> {
    let has_role = |meta: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>| {
        meta.and_then(|m| m.labels.as_ref())
            .and_then(|l| l.get(labels::SPARK_ROLE))
            .map(String::as_str)
            == Some(role)
    };
    // A pod, or (the statefulset and deployment allocators) the pod template of a StatefulSet
    // (and its claim templates) or of a Deployment.
    let (name, spec, claim_templates) = objects.iter().find_map(|o| match o {
        Resource::Pod(pod) if has_role(Some(&pod.metadata)) => {
            Some((pod.metadata.name.clone(), pod.spec.as_ref()?, None))
        }
        Resource::StatefulSet(set) => {
            let set_spec = set.spec.as_ref()?;
            if !has_role(set_spec.template.metadata.as_ref()) {
                return None;
            }
            Some((
                set.metadata.name.clone(),
                set_spec.template.spec.as_ref()?,
                set_spec.volume_claim_templates.as_ref(),
            ))
        }
        Resource::Deployment(set) => {
            let set_spec = set.spec.as_ref()?;
            if !has_role(set_spec.template.metadata.as_ref()) {
                return None;
            }
            Some((
                set.metadata.name.clone(),
                set_spec.template.spec.as_ref()?,
                None,
            ))
        }
        _ => None,
    })?;
    let mut requests = pod_amounts(
        &spec.containers,
        spec.init_containers.as_deref(),
        Kind::Requests,
    );
    let limits = pod_amounts(
        &spec.containers,
        spec.init_containers.as_deref(),
        Kind::Limits,
    );
    let storage = |claim: &PersistentVolumeClaim| {
        claim
            .spec
            .as_ref()?
            .resources
            .as_ref()?
            .requests
            .as_ref()?
            .get("storage")
            .and_then(|q| quantity::value(&q.0))
    };
    let claims: f64 = match claim_templates {
        Some(templates) => templates.iter().filter_map(storage).sum(),
        None => objects
            .iter()
            .filter_map(|o| match o {
                Resource::PersistentVolumeClaim(claim) => storage(claim),
                _ => None,
            })
            .sum(),
    };
    if claims > 0.0 {
        requests.insert(CLAIMS_STORAGE.to_owned(), claims);
    }
    Some(PodUsage {
        pod: name.unwrap_or_default(),
        requests,
        limits,
    })
}

/// Requests or limits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Requests,
    Limits,
}

/// A pod's amounts as the scheduler counts them (Kubernetes 1.33, with sidecars): per
/// resource, the larger of the containers' sum plus the sidecars' (init containers with
/// `restartPolicy: Always`), and the peak while the init containers run in order (each with
/// the sidecars started before it). A limit counts only when every container sets it: without
/// one the pod is not bounded.
fn pod_amounts(containers: &[Container], init: Option<&[Container]>, kind: Kind) -> Usage {
    let init = init.unwrap_or_default();
    let mut running = Usage::new();
    for container in containers {
        add(&mut running, &container_amounts(container, kind), 1.0);
    }
    let mut sidecars = Usage::new();
    let mut peak = Usage::new();
    for container in init {
        let amounts = container_amounts(container, kind);
        let sidecar = container.restart_policy.as_deref() == Some("Always");
        if sidecar {
            add(&mut sidecars, &amounts, 1.0);
        }
        let resources: Vec<String> = amounts.keys().chain(sidecars.keys()).cloned().collect();
        for resource in resources {
            let now = sidecars.get(&resource).copied().unwrap_or(0.0)
                + if sidecar {
                    0.0
                } else {
                    amounts.get(&resource).copied().unwrap_or(0.0)
                };
            let entry = peak.entry(resource).or_default();
            *entry = entry.max(now);
        }
    }
    add(&mut running, &sidecars, 1.0);
    for (resource, amount) in peak {
        let entry = running.entry(resource).or_default();
        *entry = entry.max(amount);
    }
    if kind == Kind::Limits {
        // A resource some container leaves unlimited has no pod limit.
        let all: Vec<&Container> = containers
            .iter()
            .chain(
                init.iter()
                    .filter(|c| c.restart_policy.as_deref() == Some("Always")),
            )
            .collect();
        running.retain(|resource, _| {
            all.iter()
                .all(|c| container_amounts(c, Kind::Limits).contains_key(resource))
        });
    }
    running
}

/// A container's requests (a limit without a request counts as the request) or limits.
fn container_amounts(container: &Container, kind: Kind) -> Usage {
    let Some(resources) = &container.resources else {
        return Usage::new();
    };
    let parse = |map: &Option<
        BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    >|
     -> Usage {
        map.iter()
            .flatten()
            .filter_map(|(r, q)| Some((r.clone(), quantity::value(&q.0)?)))
            .collect()
    };
    let limits = parse(&resources.limits);
    match kind {
        Kind::Limits => limits,
        Kind::Requests => {
            let mut requests = parse(&resources.requests);
            for (resource, amount) in limits {
                requests.entry(resource).or_insert(amount);
            }
            requests
        }
    }
}

/// How many executors requesting `each` fit on `node`, counting the resources both name.
fn fit(node: &Usage, each: &Usage) -> Option<NodeFit> {
    let (executors, bound_by) = each
        .iter()
        .filter(|(_, amount)| **amount > 0.0)
        .filter_map(|(resource, amount)| {
            let available = node.get(resource)?;
            // Whole executors only; a hair of float error is not a missing executor.
            Some((
                (available / amount + 1e-9).floor().max(0.0) as u64,
                resource.clone(),
            ))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)))?;
    Some(NodeFit {
        node: node.clone(),
        executors,
        bound_by,
    })
}

/// Reads a node size: `cpu=16,memory=64Gi,nvidia.com/gpu=4` (Kubernetes quantities).
pub fn parse_node(spec: &str) -> std::result::Result<Usage, String> {
    let mut node = Usage::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (resource, amount) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not RESOURCE=QUANTITY"))?;
        let value = quantity::value(amount.trim())
            .ok_or_else(|| format!("{amount:?} ({resource}) is not a Kubernetes quantity"))?;
        node.insert(resource.trim().to_owned(), value);
    }
    if node.is_empty() {
        return Err("no resource given (e.g. cpu=16,memory=64Gi)".into());
    }
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_fits_as_many_executors_as_its_scarcest_resource_allows() {
        let node = parse_node("cpu=16, memory=64Gi, nvidia.com/gpu=2").unwrap();
        let each: Usage = [
            ("cpu".to_owned(), 4.0),
            ("memory".to_owned(), 9.0 * 1024f64.powi(3)),
            ("nvidia.com/gpu".to_owned(), 1.0),
        ]
        .into();
        let f = fit(&node, &each).unwrap();
        assert_eq!((f.executors, f.bound_by.as_str()), (2, "nvidia.com/gpu"));
        assert!(parse_node("cpu").is_err());
        assert!(parse_node("cpu=lots").is_err());
    }

    fn container(
        name: &str,
        requests: &[(&str, &str)],
        limits: &[(&str, &str)],
        sidecar: bool,
    ) -> Container {
        use k8s_openapi::api::core::v1::ResourceRequirements;
        use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
        let map = |pairs: &[(&str, &str)]| {
            (!pairs.is_empty()).then(|| {
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), Quantity((*v).to_owned())))
                    .collect()
            })
        };
        Container {
            name: name.into(),
            restart_policy: sidecar.then(|| "Always".to_owned()),
            resources: Some(ResourceRequirements {
                requests: map(requests),
                limits: map(limits),
                ..ResourceRequirements::default()
            }),
            ..Container::default()
        }
    }

    #[test]
    fn sidecars_add_to_the_pod_and_init_containers_peak_apart() {
        let main = [container("spark", &[("cpu", "1")], &[("cpu", "2")], false)];
        let init = [
            container("setup", &[("cpu", "3")], &[("cpu", "3")], false),
            container("proxy", &[("cpu", "500m")], &[], true),
            container("late-setup", &[("cpu", "2")], &[("cpu", "2")], false),
        ];
        let requests = pod_amounts(&main, Some(&init), Kind::Requests);
        // Running: 1 + 0.5 (the sidecar); init peak: max(3, 0.5 + 2) = 3.
        assert_eq!(requests.get("cpu"), Some(&3.0));
        let requests = pod_amounts(&main, Some(&init[1..2]), Kind::Requests);
        assert_eq!(requests.get("cpu"), Some(&1.5));
        // The sidecar sets no CPU limit: the pod has none.
        let limits = pod_amounts(&main, Some(&init), Kind::Limits);
        assert_eq!(limits.get("cpu"), None);
        let limits = pod_amounts(&main, None, Kind::Limits);
        assert_eq!(limits.get("cpu"), Some(&2.0));
    }
}
