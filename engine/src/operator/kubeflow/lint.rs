//! What kubeflow/spark-operator would silently ignore, drop or refuse in a `SparkApplication`:
//! fields its API does not know, fields only its webhook applies (when it is off), volumes it
//! cannot hand to Spark, `sparkConf` keys it refuses or overrides, a namespace that is not the
//! resource's.

use crate::config::keys;
use std::collections::BTreeMap;

use super::spec::{RoleSpec, SparkApplication};
use super::submission::{self, Context, LOCAL_DIR_VOLUME_PREFIX};
use super::validate::DENIED_SPARK_CONF_KEYS;
use super::webhook::java_memory_to_quantity;
use super::OperatorRelease;
use crate::lint::Finding;

/// The findings for `app` (as written, before admission), given the fields its API does not
/// know and whether the webhook runs.
pub fn lint(
    app: &SparkApplication,
    unknown_fields: &[String],
    webhook: bool,
    release: OperatorRelease,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = unknown_fields
        .iter()
        .map(|field| {
            Finding::on(
                field,
                "not a field of a sparkoperator.k8s.io/v1beta2 SparkApplication: the API server drops it (kubectl --validate=strict refuses it)",
            )
        })
        .collect();
    if !webhook {
        findings.extend(webhook_only_fields(app));
    }
    findings.extend(volumes(app, webhook));
    findings.extend(spark_conf(app, webhook, release));
    findings.extend(dropped_by_webhook(app, webhook));
    findings
}

/// The fields of one role that only the webhook applies, set.
fn role_webhook_fields(spec: &RoleSpec) -> Vec<&'static str> {
    let local_mounts_only = spec
        .volume_mounts
        .iter()
        .all(|m| m.name.starts_with(LOCAL_DIR_VOLUME_PREFIX));
    [
        ("env", !spec.env.is_empty()),
        ("envFrom", !spec.env_from.is_empty()),
        ("configMaps", !spec.config_maps.is_empty()),
        ("volumeMounts", !local_mounts_only),
        ("ports", !spec.ports.is_empty()),
        ("hostNetwork", spec.host_network == Some(true)),
        ("hostAliases", !spec.host_aliases.is_empty()),
        ("initContainers", !spec.init_containers.is_empty()),
        ("sidecars", !spec.sidecars.is_empty()),
        ("dnsConfig", spec.dns_config.is_some()),
        ("priorityClassName", spec.priority_class_name.is_some()),
        ("schedulerName", spec.scheduler_name.is_some()),
        ("nodeSelector", spec.node_selector.is_some()),
        ("affinity", spec.affinity.is_some()),
        ("tolerations", !spec.tolerations.is_empty()),
        ("memoryLimit", spec.memory_limit.is_some()),
        ("gpu", spec.gpu.is_some()),
        ("securityContext", spec.security_context.is_some()),
        ("podSecurityContext", spec.pod_security_context.is_some()),
        (
            "terminationGracePeriodSeconds",
            spec.termination_grace_period_seconds.is_some(),
        ),
        ("lifecycle", spec.lifecycle.is_some()),
        (
            "shareProcessNamespace",
            spec.share_process_namespace == Some(true),
        ),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(field, _)| field)
    .collect()
}

fn webhook_only_fields(app: &SparkApplication) -> Vec<Finding> {
    let off =
        "only the operator's webhook applies it, and the webhook is off: the pods do not get it";
    let mut findings = Vec::new();
    for (role, spec) in [
        ("driver", &app.spec.driver),
        ("executor", &app.spec.executor),
    ] {
        for field in role_webhook_fields(spec) {
            let what = if spec.template.is_some() {
                format!("{off} (put it in spec.{role}.template, which Spark applies)")
            } else {
                format!("{off} (or set spec.{role}.template, which Spark applies)")
            };
            findings.push(Finding::on(&format!("spec.{role}.{field}"), what));
        }
    }
    let app_fields = [
        ("spec.sparkConfigMap", app.spec.spark_config_map.is_some()),
        ("spec.hadoopConfigMap", app.spec.hadoop_config_map.is_some()),
        ("spec.batchScheduler", app.spec.batch_scheduler.is_some()),
    ];
    for (field, set) in app_fields {
        if set {
            findings.push(Finding::on(field, off));
        }
    }
    findings
}

/// Volumes: `spark-local-dir-*` ones must be of the four types Spark mounts (else the
/// submission fails); mounts of undeclared volumes are lost.
fn volumes(app: &SparkApplication, webhook: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, volume) in app.spec.volumes.iter().enumerate() {
        if volume.name.starts_with(LOCAL_DIR_VOLUME_PREFIX)
            && submission::volume_type(volume).is_none()
        {
            findings.push(Finding::on(
                &format!("spec.volumes[{i}]"),
                format!(
                    "volume {} is a spark-local-dir-* volume of a type the operator cannot hand to Spark (only emptyDir, hostPath, nfs and persistentVolumeClaim): the submission fails with \"unsupported volume type\"",
                    volume.name
                ),
            ));
        }
    }
    for (role, spec) in [
        ("driver", &app.spec.driver),
        ("executor", &app.spec.executor),
    ] {
        for (i, mount) in spec.volume_mounts.iter().enumerate() {
            if app.spec.volumes.iter().any(|v| v.name == mount.name) {
                continue;
            }
            let message = if mount.name.starts_with(LOCAL_DIR_VOLUME_PREFIX) {
                format!(
                    "mounts volume {}, which spec.volumes does not declare: the submission fails with \"volume {} not found\"",
                    mount.name, mount.name
                )
            } else if webhook {
                format!(
                    "mounts volume {}, which spec.volumes does not declare: the webhook drops the mount",
                    mount.name
                )
            } else {
                continue;
            };
            findings.push(Finding::on(
                &format!("spec.{role}.volumeMounts[{i}]"),
                message,
            ));
        }
    }
    findings
}

/// `sparkConf`: keys the operator refuses (its webhook, v2.5.2) or overrides with a field
/// of the spec, and a namespace other than the resource's.
fn spark_conf(app: &SparkApplication, webhook: bool, release: OperatorRelease) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(conf) = &app.spec.spark_conf else {
        return findings;
    };
    for (key, value) in conf {
        let field = format!("spec.sparkConf[{key}]");
        let denied = DENIED_SPARK_CONF_KEYS
            .iter()
            .find(|(k, _)| k == key)
            .filter(|_| release.denies_spark_conf_keys);
        if let Some((_, reason)) = denied {
            let what = if webhook {
                format!("the operator refuses the SparkApplication: {reason}")
            } else {
                format!("the operator's webhook refuses this key ({reason}); with the webhook off it is passed on")
            };
            findings.push(Finding::on(&field, what));
        }
        if key == keys::NAMESPACE.key && value != app.namespace() {
            let consequence = if release.denies_spark_conf_keys && webhook {
                "the operator refuses it"
            } else {
                "the operator passes its own spark.kubernetes.namespace before sparkConf, so the driver is created there, away from the resource that owns it"
            };
            findings.push(Finding::on(
                &field,
                format!(
                    "{value} is not the SparkApplication's namespace {}: {consequence}",
                    app.namespace()
                ),
            ));
        }
    }
    // A later option of the operator's command line setting the same key wins over sparkConf.
    let context = Context {
        master: String::new(),
        release,
    };
    let mut admitted = app.clone();
    if webhook {
        super::defaults::set_defaults(&mut admitted);
    }
    let Ok(command) = submission::build_spark_submit_args(&admitted, &context) else {
        return findings;
    };
    let pairs: Vec<(&str, &str)> = command
        .args
        .windows(2)
        .filter(|w| w[0] == "--conf")
        .filter_map(|w| w[1].split_once('='))
        .collect();
    let last: BTreeMap<&str, &str> = pairs.iter().copied().collect();
    for (key, value) in conf {
        if key == keys::DRIVER_POD_NAME {
            continue;
        }
        if let Some(final_value) = last.get(key.as_str()) {
            if final_value != value {
                findings.push(Finding::on(
                    &format!("spec.sparkConf[{key}]"),
                    format!(
                        "overridden: the operator passes {key}={final_value} after sparkConf (from a field of the spec or its defaults), so {value} has no effect"
                    ),
                ));
            }
        }
    }
    findings
}

/// Fields the webhook reads but drops: a GPU without name or quantity, a memory limit it
/// cannot parse (the pod is refused).
fn dropped_by_webhook(app: &SparkApplication, webhook: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !webhook {
        return findings;
    }
    for (role, spec) in [
        ("driver", &app.spec.driver),
        ("executor", &app.spec.executor),
    ] {
        if let Some(gpu) = &spec.gpu {
            if gpu.name.is_empty() || gpu.quantity <= 0 {
                findings.push(Finding::on(
                    &format!("spec.{role}.gpu"),
                    "needs a name and a positive quantity: the webhook ignores it",
                ));
            }
        }
        if let Some(limit) = &spec.memory_limit {
            let quantity = java_memory_to_quantity(limit);
            if !crate::quantity::is_valid(&quantity) {
                findings.push(Finding::on(
                    &format!("spec.{role}.memoryLimit"),
                    format!(
                        "{limit} becomes {quantity}, not a Kubernetes quantity: the webhook fails and the pod is not created (write 4g, 4096m or 4Gi)"
                    ),
                ));
            }
        }
    }
    findings
}
