//! The operator's validation of a `SparkApplication` at admission
//! (`internal/webhook/sparkapplication_validator.go`, `sparkconf_validator.go`).

use crate::config::keys;
use std::collections::BTreeSet;

use super::semver;
use super::spec::SparkApplication;
use super::{OperatorError, OperatorRelease};

/// `sparkConf` keys the operator refuses (v2.5.2), with its reason.
pub const DENIED_SPARK_CONF_KEYS: &[(&str, &str)] = &[
    (
        keys::DRIVER_SERVICE_ACCOUNT,
        "configure the service account via the CRD spec instead",
    ),
    (
        keys::EXECUTOR_SERVICE_ACCOUNT,
        "configure the service account via the CRD spec instead",
    ),
    (
        keys::CLIENT_OAUTH_TOKEN_FILE,
        "authentication credentials are managed by the operator",
    ),
    (
        keys::CLIENT_OAUTH_TOKEN,
        "authentication credentials are managed by the operator",
    ),
    (
        keys::OAUTH_TOKEN_FILE,
        "authentication credentials are managed by the operator",
    ),
    (
        keys::OAUTH_TOKEN,
        "authentication credentials are managed by the operator",
    ),
    (
        keys::EXECUTOR_OAUTH_TOKEN_FILE,
        "authentication credentials are managed by the operator",
    ),
    (
        keys::EXECUTOR_OAUTH_TOKEN,
        "authentication credentials are managed by the operator",
    ),
    (keys::MASTER, "this value is managed by the operator"),
    (keys::DRIVER_MASTER, "this value is managed by the operator"),
    (
        keys::CONTAINER_IMAGE,
        "use the image field on the CRD instead",
    ),
    (
        keys::DRIVER_CONTAINER_IMAGE,
        "use the image field on the CRD instead",
    ),
    (
        keys::EXECUTOR_CONTAINER_IMAGE,
        "use the image field on the CRD instead",
    ),
];

/// `ValidateCreate`: the name, the Spark version of templates, node selectors, driver ingress
/// options and `sparkConf`.
pub fn validate(app: &SparkApplication, release: OperatorRelease) -> Result<(), OperatorError> {
    validate_name(app.name())?;
    let spec = &app.spec;
    if (spec.driver.template.is_some() || spec.executor.template.is_some())
        && semver::compare(&spec.spark_version, "3.0.0").is_lt()
    {
        return Err(OperatorError(
            "pod template feature requires Spark version 3.0.0 or higher".into(),
        ));
    }
    if spec.node_selector.is_some()
        && (spec.driver.node_selector.is_some() || spec.executor.node_selector.is_some())
    {
        return Err(OperatorError(
            "node selector cannot be defined at both SparkApplication and Driver/Executor".into(),
        ));
    }
    let mut ports = BTreeSet::new();
    let mut formats = BTreeSet::new();
    for item in &spec.driver_ingress_options {
        let Some(port) = item.service_port else {
            return Err(OperatorError(
                "DriverIngressOptions has nill ServicePort".into(),
            ));
        };
        if !ports.insert(port) {
            return Err(OperatorError(format!(
                "DriverIngressOptions has duplicate ServicePort: {port}"
            )));
        }
        if item.ingress_url_format.is_empty() {
            return Err(OperatorError(
                "DriverIngressOptions has empty IngressURLFormat".into(),
            ));
        }
        if !formats.insert(item.ingress_url_format.clone()) {
            return Err(OperatorError(format!(
                "DriverIngressOptions has duplicate IngressURLFormat: {}",
                item.ingress_url_format
            )));
        }
    }
    if release.denies_spark_conf_keys {
        validate_spark_conf(app)?;
    }
    Ok(())
}

/// `validateSparkConf`: keys the operator manages itself, and a namespace other than the
/// application's.
pub fn validate_spark_conf(app: &SparkApplication) -> Result<(), OperatorError> {
    for (key, value) in app.spec.spark_conf.iter().flatten() {
        if let Some((_, reason)) = DENIED_SPARK_CONF_KEYS.iter().find(|(k, _)| k == key) {
            return Err(OperatorError(format!(
                "sparkConf key {key:?} is not allowed: {reason}"
            )));
        }
        if key == keys::NAMESPACE.key && value != app.namespace() {
            return Err(OperatorError(format!(
                "sparkConf key {key:?} is not allowed: must equal the application namespace {:?}, got {value:?}",
                app.namespace()
            )));
        }
    }
    Ok(())
}

/// `validation.IsDNS1035Label`.
fn validate_name(name: &str) -> Result<(), OperatorError> {
    let mut errors = Vec::new();
    if name.len() > 63 {
        errors.push("must be no more than 63 characters".to_owned());
    }
    let bytes = name.as_bytes();
    let valid = !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes
            .last()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    if !valid {
        errors.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_owned());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(OperatorError(format!(
            "invalid SparkApplication name {name:?}: {}",
            errors.join(", ")
        )))
    }
}
