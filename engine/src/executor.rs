//! The executor side: what the running driver creates when it asks for executors (Spark 3.5's
//! `ExecutorPodsAllocator` with `KubernetesExecutorBuilder`), and the executors' spark-conf
//! ConfigMap (`KubernetesClusterSchedulerBackend.setUpExecutorConfigMap`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim, PodTemplateSpec, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::builder::{build_from_features, Built};
use crate::conf::{properties, SparkConf};
use crate::config::keys;
use crate::constants::labels;
use crate::constants::SPARK_CONF_FILE_NAME;
use crate::driver::BuildOptions;
use crate::error::{Error, Result};
use crate::features::{
    basic_executor_feature_step::BasicExecutorFeatureStep,
    env_secrets_feature_step::EnvSecretsFeatureStep,
    executor_kubernetes_credentials_feature_step::ExecutorKubernetesCredentialsFeatureStep,
    hadoop_conf_executor_feature_step::HadoopConfExecutorFeatureStep,
    local_dirs_feature_step::LocalDirsFeatureStep,
    mount_secrets_feature_step::MountSecretsFeatureStep,
    mount_volumes_feature_step::MountVolumesFeatureStep,
    FeatureStep,
};
use crate::java;
use crate::k8s_utils::{initial_pod, template_source};
use crate::kubernetes_conf::{DriverPodRef, ExecutorConf};
use crate::manifest::Resource;
use crate::names;
use crate::pod;
use crate::provenance::{FieldSource, PodRecorder};
use crate::running_driver::RunningDriver;
use crate::version::SparkVersion;
use crate::RenderInputs;

/// What the driver creates for its executors.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ExecutorsSpec {
    /// Each requested executor's pod, in the order asked for, then the executors' spark-conf
    /// ConfigMap (unless `spark.kubernetes.executor.disableConfigMap`).
    pub objects: Vec<Resource>,
    /// Things Spark drops or ignores, worth telling the user.
    pub warnings: Vec<String>,
    /// Where each field comes from, when asked for.
    pub explanations: Vec<FieldSource>,
}

/// Conf keys whose executor-side features spark-render does not model yet.
const UNSUPPORTED: &[(&str, &str)] = &[(
    keys::EXECUTOR_POD_FEATURE_STEPS,
    "user feature steps (they are JVM classes)",
)];

/// Builds executors `ids` as `driver` would.
pub fn build(
    driver: &RunningDriver,
    inputs: &RenderInputs,
    version: SparkVersion,
    ids: &[u32],
    options: BuildOptions,
) -> Result<ExecutorsSpec> {
    let conf = &driver.conf;
    crate::builder::refuse_keys(conf, UNSUPPORTED)?;
    if version.release().reads_excluded_feature_steps() {
        crate::builder::refuse_keys(
            conf,
            &[(
                keys::EXECUTOR_POD_EXCLUDED_FEATURE_STEPS,
                "excluding feature steps (Spark 4.1+)",
            )],
        )?;
    }
    let allocator = conf.read_str(&keys::PODS_ALLOCATOR).to_owned();
    let deployment = allocator == "deployment" && version.release().has_deployment_allocator();
    if allocator != "direct" && allocator != "statefulset" && !deployment {
        return Err(Error::Unsupported {
            key: keys::PODS_ALLOCATOR.key.into(),
            feature: format!("the custom executor allocator {allocator:?} (a JVM class)"),
        });
    }
    let stateful = allocator == "statefulset" || deployment;
    // The statefulset and deployment allocators build one pod, for the placeholder id EXECID,
    // as the template of their StatefulSet or Deployment.
    // Without ids: the executors the driver requests at start, 1..N for Spark's initial target.
    let ids: Vec<String> = if stateful {
        vec!["EXECID".to_owned()]
    } else if ids.is_empty() {
        let initial = u32::try_from(initial_executors(conf)?).unwrap_or(0);
        // One past the limit is enough to refuse (below) without listing a million ids.
        let listed = initial.min(MAX_EXECUTORS as u32 + 1);
        if initial > listed {
            return Err(Error::InvalidArgument {
                argument: "executors to render".into(),
                reason: format!(
                    "the conf asks for {initial} executors at start; spark-render renders at most {MAX_EXECUTORS} at once (they differ only in their id): name the ones to see (--executor-id 1-3)"
                ),
            });
        }
        (1..=listed).map(|id| id.to_string()).collect()
    } else {
        ids.iter().map(u32::to_string).collect()
    };
    if ids.len() > MAX_EXECUTORS {
        return Err(Error::InvalidArgument {
            argument: "executors to render".into(),
            reason: format!(
                "{} executors asked for; spark-render renders at most {MAX_EXECUTORS} at once (they differ only in their id): name the ones to see (--executor-id 1-3)",
                ids.len()
            ),
        });
    }
    let prefix = conf.get_or(keys::EXECUTOR_POD_NAME_PREFIX, "").to_owned();
    check_pod_name_prefix(&prefix)?;
    let app_id = conf.get_or(keys::APP_ID, &inputs.app_id).to_owned();
    let driver_pod = driver.pod.clone();

    let get_all = crate::hash_order::get_all(version.release().scala(), conf);
    let own_claims = conf
        .read_optional(&keys::DRIVER_OWN_PVC)?
        .unwrap_or(version.release().driver_owns_claims_by_default());
    let mut objects = Vec::new();
    let mut warnings = Vec::new();
    let mut explanations = Vec::new();
    for id in &ids {
        if id == "0" {
            return Err(Error::InvalidInput {
                input: "executor-id".into(),
                value: "0".into(),
                reason: "executor ids start at 1".into(),
            });
        }
        let exec_conf = ExecutorConf {
            conf,
            app_id: app_id.clone(),
            executor_id: id.clone(),
            driver_pod: driver_pod.clone(),
            inputs,
            version,
            resource_name_prefix: prefix.clone(),
            driver_local_dirs: driver.local_dirs.clone(),
            conf_files: &driver.conf_files,
            get_all: &get_all,
        };
        let template = driver
            .executor_template
            .as_ref()
            .map(|(path, text)| (path.as_str(), text.as_str()));
        let BuiltPod {
            pod,
            resources,
            warnings: step_warnings,
            explanations: pod_explanations,
        } = build_pod(&exec_conf, template, options)?;
        explanations.extend(pod_explanations);
        let resources: Vec<Resource> = resources.into_iter().map(|(r, _)| r).collect();
        for w in step_warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        if deployment {
            objects.push(Resource::Deployment(executor_deployment(
                pod,
                &resources,
                conf,
                &app_id,
                driver_pod.as_ref(),
            )?));
            continue;
        }
        if stateful {
            objects.push(Resource::StatefulSet(stateful_set(
                pod,
                resources,
                conf,
                &app_id,
                driver_pod.as_ref(),
            )?));
            continue;
        }
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        objects.push(Resource::Pod(pod));
        // The executor pod owns what was created with it; on-demand claims belong to the
        // driver pod instead when spark.kubernetes.driver.ownPersistentVolumeClaim (default).
        let executor_owner = id
            .parse::<u32>()
            .ok()
            .and_then(|n| inputs.executor_uids.get(&n))
            .map(|uid| pod::owner_reference_to_pod(&pod_name, uid));
        let driver_owner = driver_pod.as_ref().and_then(|p| {
            p.uid
                .as_ref()
                .map(|uid| pod::owner_reference_to_pod(&p.name, uid))
        });
        let (claims, others): (Vec<Resource>, Vec<Resource>) = resources
            .into_iter()
            .partition(|r| matches!(r, Resource::PersistentVolumeClaim(_)));
        for mut claim in claims {
            let owner = if own_claims {
                driver_owner.clone()
            } else {
                executor_owner.clone()
            };
            claim.metadata_mut().owner_references = owner.map(|o| vec![o]);
            objects.push(claim);
        }
        for mut other in others {
            other.metadata_mut().owner_references = executor_owner.clone().map(|o| vec![o]);
            objects.push(other);
        }
    }

    if !conf.read(&keys::EXECUTOR_DISABLE_CONFIG_MAP)? {
        objects.push(Resource::ConfigMap(executor_config_map(
            conf,
            &app_id,
            inputs,
            driver_pod.as_ref(),
            &driver.conf_files,
            version.release(),
        )));
    }
    let namespace = conf.read_str(&keys::NAMESPACE).to_owned();
    for object in &mut objects {
        object.metadata_mut().namespace = Some(namespace.clone());
    }
    if options.explain {
        let made = objects
            .iter()
            .filter(|o| !matches!(o, Resource::Pod(_)))
            .map(|o| {
                let step = match o {
                    Resource::PersistentVolumeClaim(_) => "MountVolumesFeatureStep",
                    Resource::StatefulSet(_) => "StatefulSetPodsAllocator",
                    Resource::Deployment(_) => "DeploymentPodsAllocator",
                    _ => "KubernetesClusterSchedulerBackend",
                };
                (o, step)
            });
        explanations.extend(crate::provenance::explain_objects(made, conf));
        for object in objects.iter().filter(|o| matches!(o, Resource::Pod(_))) {
            explanations.push(FieldSource {
                object: format!("Pod/{}", object.name()),
                field: "metadata.namespace".into(),
                value: serde_json::Value::String(namespace.clone()),
                source: match conf.get(keys::NAMESPACE.key) {
                    Some(v) => crate::provenance::Source::conf(keys::NAMESPACE.key, v),
                    None => crate::provenance::Source::Default {
                        detail: "namespace default".into(),
                    },
                },
            });
        }
    }
    Ok(ExecutorsSpec {
        objects,
        warnings,
        explanations,
    })
}

/// `StatefulSetPodsAllocator`: one StatefulSet `spark-s-<app id>-0` whose template is the
/// executor pod built for `EXECID`, with the on-demand claims turned into volume claim
/// templates, sized to the initial number of executors.
fn stateful_set(
    mut executor_pod: k8s_openapi::api::core::v1::Pod,
    resources: Vec<Resource>,
    conf: &SparkConf,
    app_id: &str,
    driver_pod: Option<&DriverPodRef>,
) -> Result<StatefulSet> {
    let claims: Vec<PersistentVolumeClaim> = resources
        .into_iter()
        .filter_map(|r| match r {
            Resource::PersistentVolumeClaim(c) => Some(c),
            _ => None,
        })
        .collect();
    let claim_names: Vec<String> = claims
        .iter()
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    let spec = executor_pod.spec.take().unwrap_or_default();
    let (dynamic, static_volumes): (Vec<Volume>, Vec<Volume>) = spec
        .volumes
        .clone()
        .unwrap_or_default()
        .into_iter()
        .partition(|v| {
            v.persistent_volume_claim
                .as_ref()
                .is_some_and(|c| claim_names.contains(&c.claim_name))
        });
    let volume_for_claim: BTreeMap<String, String> = dynamic
        .iter()
        .filter_map(|v| {
            v.persistent_volume_claim
                .as_ref()
                .map(|c| (c.claim_name.clone(), v.name.clone()))
        })
        .collect();
    let templates: Vec<PersistentVolumeClaim> = claims
        .into_iter()
        .map(|mut c| {
            let claim = c.metadata.name.clone().unwrap_or_default();
            c.metadata.name = volume_for_claim.get(&claim).cloned();
            c
        })
        .collect();
    let mut spec = spec;
    spec.volumes = Some(static_volumes);
    let replicas = initial_executors(conf)?;
    let owner_references = owned_by_driver(driver_pod);
    Ok(StatefulSet {
        metadata: ObjectMeta {
            name: Some(format!("spark-s-{app_id}-0")),
            owner_references,
            ..ObjectMeta::default()
        },
        spec: Some(StatefulSetSpec {
            pod_management_policy: Some("Parallel".into()),
            replicas: Some(replicas),
            selector: executors_of(app_id),
            template: PodTemplateSpec {
                metadata: Some(executor_pod.metadata),
                spec: Some(spec),
            },
            volume_claim_templates: (!templates.is_empty()).then_some(templates),
            ..StatefulSetSpec::default()
        }),
        status: None,
    })
}

/// `DeploymentPodsAllocator` (4.2): one Deployment `spark-d-<app id>-0` whose template is the
/// executor pod built for `EXECID`, marked with a zero pod-deletion cost (so that the executors
/// Spark removes go first), sized to the initial number of executors. Claims are refused.
fn executor_deployment(
    mut executor_pod: k8s_openapi::api::core::v1::Pod,
    resources: &[Resource],
    conf: &SparkConf,
    app_id: &str,
    driver_pod: Option<&DriverPodRef>,
) -> Result<Deployment> {
    let spec = executor_pod.spec.take().unwrap_or_default();
    let claims = resources
        .iter()
        .any(|r| matches!(r, Resource::PersistentVolumeClaim(_)))
        || spec
            .volumes
            .iter()
            .flatten()
            .any(|v| v.persistent_volume_claim.is_some());
    if claims {
        return Err(Error::NotAllowed {
            key: keys::PODS_ALLOCATOR.key.into(),
            reason: "PersistentVolumeClaims are not supported with the deployment allocator. Please remove PVC requirements or choose a different pods allocator.".into(),
        });
    }
    executor_pod
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .entry(POD_DELETION_COST.to_owned())
        .or_insert_with(|| "0".to_owned());
    let owner_references = owned_by_driver(driver_pod);
    Ok(Deployment {
        metadata: ObjectMeta {
            name: Some(format!("spark-d-{app_id}-0")),
            owner_references,
            ..ObjectMeta::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(initial_executors(conf)?),
            selector: executors_of(app_id),
            template: PodTemplateSpec {
                metadata: Some(executor_pod.metadata),
                spec: Some(spec),
            },
            ..DeploymentSpec::default()
        }),
        status: None,
    })
}

/// The ownerReference to the driver pod, when its UID is known.
fn owned_by_driver(driver_pod: Option<&DriverPodRef>) -> Option<Vec<OwnerReference>> {
    driver_pod.and_then(|p| {
        p.uid
            .as_ref()
            .map(|uid| vec![pod::owner_reference_to_pod(&p.name, uid)])
    })
}

/// The selector of the StatefulSet or Deployment allocator: the application's executors of
/// the default resource profile.
fn executors_of(app_id: &str) -> LabelSelector {
    LabelSelector {
        match_labels: Some(BTreeMap::from([
            (labels::SPARK_APP_ID.to_owned(), app_id.to_owned()),
            (labels::SPARK_ROLE.to_owned(), "executor".to_owned()),
            (labels::SPARK_RESOURCE_PROFILE_ID.to_owned(), "0".to_owned()),
        ])),
        ..LabelSelector::default()
    }
}

/// The annotation the Deployment controller reads to choose which pods to remove first.
const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// The most executors one render makes: each is a pod of some 60 KB, and a render stays within
/// a few tens of megabytes whatever the conf asks for.
pub const MAX_EXECUTORS: usize = 500;

/// `SchedulerBackendUtils.getInitialTargetExecutorNumber`: with dynamic allocation, the
/// largest of `minExecutors`, `initialExecutors` and `spark.executor.instances`; else
/// `spark.executor.instances` (2 when unset).
pub(crate) fn initial_executors(conf: &SparkConf) -> Result<i32> {
    if conf.read(&keys::DYN_ALLOCATION_ENABLED)? {
        let min = conf.read(&keys::DYN_ALLOCATION_MIN_EXECUTORS)?;
        let initial = conf
            .read_optional(&keys::DYN_ALLOCATION_INITIAL_EXECUTORS)?
            .unwrap_or(min);
        let instances = conf.read_optional(&keys::EXECUTOR_INSTANCES)?.unwrap_or(0);
        Ok(min.max(initial).max(instances))
    } else {
        Ok(conf.read_optional(&keys::EXECUTOR_INSTANCES)?.unwrap_or(2))
    }
}

/// An executor pod as the builder leaves it.
struct BuiltPod {
    pod: k8s_openapi::api::core::v1::Pod,
    resources: Vec<(Resource, &'static str)>,
    warnings: Vec<String>,
    explanations: Vec<FieldSource>,
}

fn build_pod(
    conf: &ExecutorConf<'_>,
    template: Option<(&str, &str)>,
    options: BuildOptions,
) -> Result<BuiltPod> {
    let basic = BasicExecutorFeatureStep::new(conf)?;
    let mut warnings = basic.warnings().to_vec();
    let spark_pod = initial_pod(
        template,
        keys::EXECUTOR_POD_TEMPLATE_FILE,
        conf.conf.get(keys::EXECUTOR_POD_TEMPLATE_CONTAINER_NAME),
        conf.namespace(),
        options.strict,
        conf.version.release(),
        &mut warnings,
    )?;
    let mut steps: Vec<Box<dyn FeatureStep>> = vec![
        Box::new(basic),
        Box::new(ExecutorKubernetesCredentialsFeatureStep::new(conf)),
        Box::new(MountSecretsFeatureStep::new(conf)),
        Box::new(EnvSecretsFeatureStep::new(conf)?),
        Box::new(MountVolumesFeatureStep::new(conf)?),
    ];
    if conf.version.release().hadoop_conf_in_executors() {
        steps.push(Box::new(HadoopConfExecutorFeatureStep::new(conf)));
    }
    steps.push(Box::new(LocalDirsFeatureStep::new(conf)?));
    let recorder = options
        .explain
        .then(|| PodRecorder::start(&spark_pod, template_source(template.map(|(p, _)| p))));
    let Built {
        pod: spark_pod,
        resources,
        recorder,
        ..
    } = build_from_features(spark_pod, &steps, conf.conf, recorder)?;
    let (executor_pod, spark_index) = spark_pod.into_pod();
    let name = executor_pod.metadata.name.clone().unwrap_or_default();
    let explanations = recorder
        .map(|r| r.finish(&format!("Pod/{name}"), spark_index))
        .unwrap_or_default();
    Ok(BuiltPod {
        pod: executor_pod,
        resources,
        warnings,
        explanations,
    })
}

/// `spark.kubernetes.executor.podNamePrefix` must be a DNS subdomain that leaves room for
/// `-exec-<id>` (Spark's `isValidExecutorPodNamePrefix`).
fn check_pod_name_prefix(prefix: &str) -> Result<()> {
    let is_label = |l: &str| {
        !l.is_empty()
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if prefix.split('.').all(is_label) && prefix.len() + 16 <= 253 {
        Ok(())
    } else {
        Err(Error::invalid(
            keys::EXECUTOR_POD_NAME_PREFIX,
            prefix,
            "must be a DNS subdomain (lowercase letters, digits, '-' and '.') of at most 237 characters",
        ))
    }
}

fn executor_config_map(
    conf: &SparkConf,
    app_id: &str,
    inputs: &RenderInputs,
    driver_pod: Option<&DriverPodRef>,
    conf_files: &BTreeMap<String, String>,
    release: crate::version::Release,
) -> ConfigMap {
    let name = names::executor_conf_map_name(&inputs.unique_id);
    let namespace = conf.read_str(&keys::NAMESPACE).to_owned();
    let text = properties::store(
        release.scala(),
        &format!("Java properties built from Kubernetes config map with name: {name}"),
        &java::date_to_string_utc(inputs.submit_time_ms).unwrap_or_default(),
        [(keys::NAMESPACE.key, namespace.as_str())],
    );
    let mut data = conf_files.clone();
    data.insert(SPARK_CONF_FILE_NAME.to_owned(), text);
    data.insert(keys::NAMESPACE.key.to_owned(), namespace.clone());
    let owner_references = owned_by_driver(driver_pod);
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(namespace),
            labels: Some(BTreeMap::from([
                (labels::SPARK_APP_ID.to_owned(), app_id.to_owned()),
                (labels::SPARK_ROLE.to_owned(), "executor".to_owned()),
            ])),
            owner_references,
            ..ObjectMeta::default()
        },
        immutable: Some(true),
        data: Some(data),
        ..ConfigMap::default()
    }
}
