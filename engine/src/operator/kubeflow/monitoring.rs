//! Prometheus monitoring (`internal/controller/sparkapplication/monitoring_config.go`): the
//! `<app>-prom-conf` ConfigMap the controller creates before it submits, and the conf, Java
//! agent and annotations it adds to the application.

use crate::config::keys;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::prometheus_defaults::{METRICS_PROPERTIES, PROMETHEUS_CONFIGURATION};
use super::spec::{MonitoringSpec, PrometheusSpec, SparkApplication};
use super::submission::owner_reference;
use super::OperatorRelease;

/// The JMX exporter's port when `prometheus.port` is unset.
pub const DEFAULT_PORT: i32 = 8090;
/// Where the webhook mounts the ConfigMap.
pub const MOUNT_PATH: &str = "/etc/metrics/conf";
/// The label of the objects the operator creates.
pub const CREATED_BY_LABEL: &str = "sparkoperator.k8s.io/created-by-spark-operator";

/// `<app>-prom-conf`.
pub fn config_map_name(app: &SparkApplication) -> String {
    format!("{}-prom-conf", app.name())
}

/// `monitoring.metricsPropertiesFile` is set.
pub fn has_metrics_properties_file(monitoring: &MonitoringSpec) -> bool {
    monitoring
        .metrics_properties_file
        .as_deref()
        .is_some_and(|f| !f.is_empty())
}

/// `monitoring.prometheus.configFile` is set.
pub fn has_config_file(prometheus: &PrometheusSpec) -> bool {
    prometheus
        .config_file
        .as_deref()
        .is_some_and(|f| !f.is_empty())
}

/// The controller's step before it builds the arguments: with `monitoring.prometheus` set,
/// [`config_prometheus_monitoring`].
pub fn configure(app: &mut SparkApplication, release: OperatorRelease) -> Option<ConfigMap> {
    let enabled = app
        .spec
        .monitoring
        .as_ref()
        .is_some_and(|m| m.prometheus.is_some());
    let mut config_map = if enabled {
        config_prometheus_monitoring(app)
    } else {
        None
    };
    if !release.labels_prometheus_config_map {
        if let Some(config_map) = config_map.as_mut() {
            config_map.metadata.labels = None;
        }
    }
    config_map
}

/// `configPrometheusMonitoring`: the ConfigMap the controller creates (unless the image holds
/// both files), and the application changed as the controller changes it: the metrics conf,
/// and for each role whose metrics are exposed, the scrape annotations and the JMX exporter's
/// Java agent.
pub fn config_prometheus_monitoring(app: &mut SparkApplication) -> Option<ConfigMap> {
    let monitoring = app.spec.monitoring.clone()?;
    let prometheus = monitoring.prometheus.clone();
    let port = prometheus
        .as_ref()
        .and_then(|p| p.port)
        .unwrap_or(DEFAULT_PORT);
    let config_file = prometheus.as_ref().is_some_and(has_config_file);
    let config_map = (!has_metrics_properties_file(&monitoring) || !config_file)
        .then(|| build_config_map(app, &monitoring, prometheus.as_ref()));
    let java_option = match &prometheus {
        None => String::new(),
        Some(p) if config_file => format!(
            "-javaagent:{}={port}:{}",
            p.jmx_exporter_jar,
            p.config_file.as_deref().unwrap_or_default()
        ),
        Some(p) => format!(
            "-javaagent:{}={port}:{MOUNT_PATH}/prometheus.yaml",
            p.jmx_exporter_jar
        ),
    };
    let namespace = format!("{}.{}", app.namespace(), app.name());
    let conf = app.spec.spark_conf.get_or_insert_with(BTreeMap::new);
    conf.insert(keys::METRICS_NAMESPACE.into(), namespace);
    let metrics_conf = match &monitoring.metrics_properties_file {
        Some(file) if !file.is_empty() => file.clone(),
        _ => format!("{MOUNT_PATH}/metrics.properties"),
    };
    conf.insert(keys::METRICS_CONF.into(), metrics_conf);
    let roles = [
        (monitoring.expose_driver_metrics, &mut app.spec.driver),
        (monitoring.expose_executor_metrics, &mut app.spec.executor),
    ];
    for (exposed, role) in roles {
        if !exposed {
            continue;
        }
        let annotations = role.annotations.get_or_insert_with(BTreeMap::new);
        annotations.insert("prometheus.io/scrape".into(), "true".into());
        annotations.insert("prometheus.io/port".into(), port.to_string());
        annotations.insert("prometheus.io/path".into(), "/metrics".into());
        role.java_options = Some(match role.java_options.take() {
            Some(options) => format!("{options} {java_option}"),
            None => java_option.clone(),
        });
    }
    config_map
}

fn build_config_map(
    app: &SparkApplication,
    monitoring: &MonitoringSpec,
    prometheus: Option<&PrometheusSpec>,
) -> ConfigMap {
    let mut data = BTreeMap::new();
    if !has_metrics_properties_file(monitoring) {
        let properties = monitoring
            .metrics_properties
            .clone()
            .unwrap_or_else(|| METRICS_PROPERTIES.to_owned());
        data.insert("metrics.properties".to_owned(), properties);
    }
    if let Some(prometheus) = prometheus.filter(|p| !has_config_file(p)) {
        let configuration = prometheus
            .configuration
            .clone()
            .unwrap_or_else(|| PROMETHEUS_CONFIGURATION.to_owned());
        data.insert("prometheus.yaml".to_owned(), configuration);
    }
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(config_map_name(app)),
            namespace: Some(app.namespace().to_owned()),
            owner_references: Some(vec![owner_reference(app)]),
            labels: Some(BTreeMap::from([(
                CREATED_BY_LABEL.to_owned(),
                "true".to_owned(),
            )])),
            ..ObjectMeta::default()
        },
        data: Some(data),
        ..ConfigMap::default()
    }
}
