//! The admission defaults of a `SparkApplication` (`api/v1beta2/defaults.go`,
//! `SetSparkApplicationDefaults`), applied by the operator's webhook.

use super::spec::{DynamicAllocation, SparkApplication};
use crate::config::keys;
use std::collections::BTreeMap;

/// `SetSparkApplicationDefaults`.
pub fn set_defaults(app: &mut SparkApplication) {
    let spec = &mut app.spec;
    if spec.app_type.is_empty() {
        spec.app_type = "Scala".into();
    }
    if spec.mode.is_empty() {
        spec.mode = "cluster".into();
    }
    if spec.restart_policy.policy_type.is_empty() {
        spec.restart_policy.policy_type = "Never".into();
    }
    if spec.restart_policy.policy_type != "Never" {
        spec.restart_policy
            .on_failure_retry_interval
            .get_or_insert(5);
        spec.restart_policy
            .on_submission_failure_retry_interval
            .get_or_insert(5);
    }
    let conf = spec.spark_conf.clone().unwrap_or_default();
    let has = |key: &str| conf.contains_key(key);
    if !has(keys::DRIVER_CORES.key) && spec.driver.cores.is_none() {
        spec.driver.cores = Some(1);
    }
    if !has(keys::DRIVER_MEMORY.key) && spec.driver.memory.is_none() {
        spec.driver.memory = Some("1g".into());
    }
    if !has(keys::EXECUTOR_CORES.key) && spec.executor.cores.is_none() {
        spec.executor.cores = Some(1);
    }
    if !has(keys::EXECUTOR_MEMORY.key) && spec.executor.memory.is_none() {
        spec.executor.memory = Some("1g".into());
    }
    let dynamic = dynamic_allocation_enabled(&conf, spec.dynamic_allocation.as_ref());
    let instances_in_conf = conf
        .get(keys::EXECUTOR_INSTANCES.key)
        .is_some_and(|v| !v.is_empty());
    if spec.executor.instances.is_none() && !instances_in_conf && !dynamic {
        spec.executor.instances = Some(1);
    }
    if dynamic {
        if let Some(allocation) = spec.dynamic_allocation.as_mut() {
            allocation.shuffle_tracking_enabled.get_or_insert(true);
        }
    }
}

/// Dynamic allocation as the defaults see it: `spec.dynamicAllocation.enabled`, else the conf
/// key in lower case (`spark.dynamicallocation.enabled`, which Spark does not read; the real
/// key is never seen here).
fn dynamic_allocation_enabled(
    conf: &BTreeMap<String, String>,
    allocation: Option<&DynamicAllocation>,
) -> bool {
    match allocation {
        Some(a) => a.enabled,
        None => conf
            .get(keys::KUBEFLOW_DYN_ALLOCATION_LOWER_CASE)
            .is_some_and(|v| go_parse_bool(v) == Some(true)),
    }
}

/// Go's `strconv.ParseBool`.
pub fn go_parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}
