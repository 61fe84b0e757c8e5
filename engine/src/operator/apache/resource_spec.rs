//! What the operator adds to the driver Spark builds, instead of spark-submit's `Client.run`
//! (`spark-submission-worker/.../SparkAppResourceSpec.java`): the spark-conf ConfigMap under
//! the operator's name, the `configMapSpecs` ConfigMaps, and a Service with an Ingress,
//! HTTPRoute or GRPCRoute per entry of the driver's ingress and route lists.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, KeyToPath, Service, ServiceSpec};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{json, Map, Value};

use super::spec::{ConfigMapSpec, SparkApplication};
use crate::conf::{properties, SparkConf};
use crate::config::keys;
use crate::constants::{SPARK_CONF_FILE_NAME, SPARK_CONF_VOLUME_DRIVER};
use crate::driver::DriverSpec;
use crate::hash_order::Scala;
use crate::manifest::{GatewayRoute, Resource};

/// `KubernetesClientUtils.configMapName`: the prefix cut to leave room for `-conf-map` within
/// the 253 characters of an object name.
const CONFIG_MAP_NAME_MAX_LENGTH: usize = 253;
const CONFIG_MAP_SUFFIX: &str = "-conf-map";

/// The Gateway API group and version of the routes (fabric8 `kubernetes-model-gatewayapi`).
const GATEWAY_API_VERSION: &str = "gateway.networking.k8s.io/v1";

/// `SparkAppDriverConf.configMapNameDriver()`: `<app id>-spark-drv-conf-map` (Spark's own is
/// `spark-drv-<unique id>-conf-map`).
pub fn driver_conf_map_name(app_id: &str) -> String {
    let prefix = format!("{app_id}-spark-drv");
    let kept: String = prefix
        .chars()
        .take(CONFIG_MAP_NAME_MAX_LENGTH - CONFIG_MAP_SUFFIX.len())
        .collect();
    format!("{kept}{CONFIG_MAP_SUFFIX}")
}

/// The driver's `spark.properties` as the operator writes it: `Properties.store` on the
/// operator's JDK (26), which since JDK 18 writes entries sorted by key (JDK-8231640); the date
/// line is the operator's clock (`date_line`). spark-submit on Java 17 writes them in hash
/// order instead.
pub fn spark_properties_text(
    conf_map_name: &str,
    date_line: &str,
    properties: &SparkConf,
) -> String {
    let mut entries: Vec<(&str, &str)> = properties.iter().collect();
    entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut text = format!(
        "#Java properties built from Kubernetes config map with name: {conf_map_name}\n#{date_line}\n"
    );
    for (key, value) in entries {
        // One entry at a time: `store`'s escaping, with this order.
        let single = properties::store(Scala::V2_13, "", "", [(key, value)]);
        text.extend(single.lines().skip(2).map(|line| format!("{line}\n")));
    }
    text
}

/// `SparkAppResourceSpec`'s spark-conf ConfigMap in place of `Client.run`'s, in `driver`'s
/// objects and the driver pod's volume: named after the app id, its `items` listing the
/// namespace entry too (`confFilesMap` holds it; Spark's `Client.run` lists only the files),
/// `spark.properties` sorted, no labels until the driver pod's are added.
pub fn replace_spark_conf_map(
    driver: &mut DriverSpec,
    app_id: &str,
    date_line: &str,
    namespace: &str,
) {
    let name = driver_conf_map_name(app_id);
    let mut data: BTreeMap<String, String> = driver.conf_files.clone();
    data.insert(
        SPARK_CONF_FILE_NAME.to_owned(),
        spark_properties_text(&name, date_line, &driver.spark_properties),
    );
    data.insert(keys::NAMESPACE.key.to_owned(), namespace.to_owned());
    let items: Vec<KeyToPath> = data
        .keys()
        .map(|key| KeyToPath {
            key: key.clone(),
            mode: Some(420),
            path: key.clone(),
        })
        .collect();
    let spark_name = crate::names::driver_conf_map_name(&driver_unique_id(driver));
    for object in &mut driver.objects {
        match object {
            Resource::Pod(pod) => {
                let volumes = pod
                    .spec
                    .iter_mut()
                    .flat_map(|s| s.volumes.iter_mut().flatten());
                for volume in volumes.filter(|v| v.name == SPARK_CONF_VOLUME_DRIVER) {
                    if let Some(source) = volume.config_map.as_mut() {
                        source.name.clone_from(&name);
                        source.items = Some(items.clone());
                    }
                }
            }
            Resource::ConfigMap(map)
                if map.metadata.name.as_deref() == Some(spark_name.as_str()) =>
            {
                *map = ConfigMap {
                    metadata: ObjectMeta {
                        name: Some(name.clone()),
                        namespace: Some(namespace.to_owned()),
                        ..ObjectMeta::default()
                    },
                    immutable: Some(true),
                    data: Some(data.clone()),
                    ..ConfigMap::default()
                };
            }
            _ => {}
        }
    }
}

/// The unique id in the name of the spark-conf ConfigMap `Client.run` made (its volume names
/// it).
fn driver_unique_id(driver: &DriverSpec) -> String {
    let name = driver
        .pod()
        .and_then(|p| p.spec.as_ref())
        .and_then(|s| s.volumes.as_ref())
        .and_then(|v| v.iter().find(|v| v.name == SPARK_CONF_VOLUME_DRIVER))
        .and_then(|v| v.config_map.as_ref())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    name.strip_prefix("spark-drv-")
        .and_then(|n| n.strip_suffix(CONFIG_MAP_SUFFIX))
        .unwrap_or_default()
        .to_owned()
}

/// `ConfigMapSpecUtils.buildConfigMaps`: one ConfigMap per entry, in the app's namespace.
pub fn user_config_maps(specs: &[ConfigMapSpec], namespace: &str) -> Vec<Resource> {
    specs
        .iter()
        .map(|spec| {
            Resource::ConfigMap(ConfigMap {
                metadata: ObjectMeta {
                    name: Some(spec.name.clone()),
                    namespace: Some(namespace.to_owned()),
                    labels: spec.labels.clone().filter(|m| !m.is_empty()),
                    annotations: spec.annotations.clone().filter(|m| !m.is_empty()),
                    ..ObjectMeta::default()
                },
                data: spec.data.clone().filter(|m| !m.is_empty()),
                ..ConfigMap::default()
            })
        })
        .collect()
}

/// The Service of an ingress or route entry: its metadata in the app's namespace, its spec,
/// and, when the spec selects nothing, the driver pod's labels as selector (filled in by
/// [`select_driver`] once the driver pod is built).
pub fn entry_service(
    metadata: Option<&ObjectMeta>,
    spec: Option<&ServiceSpec>,
    namespace: &str,
) -> Service {
    let mut metadata = metadata.cloned().unwrap_or_default();
    metadata.namespace = Some(namespace.to_owned());
    Service {
        metadata,
        spec: Some(spec.cloned().unwrap_or_default()),
        status: None,
    }
}

/// Gives every Service of `objects` without a selector the driver pod's labels (Spark's built
/// pod's, which the operator's decorators do not change).
pub fn select_driver(objects: &mut [Resource], driver_labels: &BTreeMap<String, String>) {
    for object in objects {
        if let Resource::Service(service) = object {
            let spec = service.spec.get_or_insert_with(ServiceSpec::default);
            if spec.selector.as_ref().is_none_or(BTreeMap::is_empty) {
                spec.selector = Some(driver_labels.clone());
            }
        }
    }
}

/// The first port of a Service, and its name, for a default rule.
fn first_port(service: &Service) -> Option<(String, i32)> {
    let port = service.spec.as_ref()?.ports.as_ref()?.first()?.port;
    Some((service.metadata.name.clone().unwrap_or_default(), port))
}

/// `DriverServiceIngressUtils.buildIngress`: the entry's Ingress; without rules (and with a
/// Service port) the whole spec is replaced by one rule `/` to the Service's first port.
pub fn ingress(
    metadata: Option<&ObjectMeta>,
    spec: Option<&IngressSpec>,
    service: &Service,
) -> Ingress {
    let mut ingress_spec = spec.cloned().unwrap_or_default();
    if ingress_spec.rules.as_ref().is_none_or(Vec::is_empty) {
        if let Some((name, port)) = first_port(service) {
            ingress_spec = IngressSpec {
                rules: Some(vec![IngressRule {
                    http: Some(HTTPIngressRuleValue {
                        paths: vec![HTTPIngressPath {
                            path: Some("/".into()),
                            path_type: "ImplementationSpecific".into(),
                            backend: IngressBackend {
                                service: Some(IngressServiceBackend {
                                    name,
                                    port: Some(ServiceBackendPort {
                                        number: Some(port),
                                        name: None,
                                    }),
                                }),
                                resource: None,
                            },
                        }],
                    }),
                    host: None,
                }]),
                ..IngressSpec::default()
            };
        }
    }
    Ingress {
        metadata: metadata.cloned().unwrap_or_default(),
        spec: Some(ingress_spec),
        status: None,
    }
}

/// `DriverGatewayRouteUtils.buildHttpRoute` / `buildGrpcRoute`: the entry's route; without
/// rules (and with a Service port) one rule to the Service's first port is added to the spec
/// (for HTTP, matching the path prefix `/`).
pub fn route(
    kind: &str,
    metadata: Option<&ObjectMeta>,
    spec: Option<&Map<String, Value>>,
    service: &Service,
) -> GatewayRoute {
    let mut spec = spec.cloned().unwrap_or_default();
    let has_rules = spec
        .get("rules")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty());
    if !has_rules {
        if let Some((name, port)) = first_port(service) {
            let backend = json!({"group": "", "kind": "Service", "name": name, "port": port});
            let rule = if kind == "HTTPRoute" {
                json!({"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": [backend]})
            } else {
                json!({"backendRefs": [backend]})
            };
            spec.insert("rules".into(), Value::Array(vec![rule]));
        }
    }
    GatewayRoute {
        api_version: GATEWAY_API_VERSION.into(),
        kind: kind.into(),
        metadata: metadata.cloned().unwrap_or_default(),
        spec: Value::Object(spec),
    }
}

/// The objects of the driver's ingress and route lists, in the operator's order: each
/// ingress entry's Service and Ingress, then each HTTP route's Service and HTTPRoute, then
/// each gRPC route's Service and GRPCRoute. Selectors are filled in later.
pub fn ingress_and_routes(app: &SparkApplication) -> Vec<Resource> {
    let namespace = app.namespace();
    let spec = &app.spec;
    let mut objects = Vec::new();
    for entry in spec.driver_service_ingress_list.iter().flatten() {
        let service = entry_service(
            entry.service_metadata.as_ref(),
            entry.service_spec.as_ref(),
            namespace,
        );
        let ingress = ingress(
            entry.ingress_metadata.as_ref(),
            entry.ingress_spec.as_ref(),
            &service,
        );
        objects.push(Resource::Service(service));
        objects.push(Resource::Ingress(ingress));
    }
    for entry in spec.driver_http_route_list.iter().flatten() {
        let service = entry_service(
            entry.service_metadata.as_ref(),
            entry.service_spec.as_ref(),
            namespace,
        );
        let route = route(
            "HTTPRoute",
            entry.http_route_metadata.as_ref(),
            entry.http_route_spec.as_ref(),
            &service,
        );
        objects.push(Resource::Service(service));
        objects.push(Resource::HttpRoute(route));
    }
    for entry in spec.driver_grpc_route_list.iter().flatten() {
        let service = entry_service(
            entry.service_metadata.as_ref(),
            entry.service_spec.as_ref(),
            namespace,
        );
        let route = route(
            "GRPCRoute",
            entry.grpc_route_metadata.as_ref(),
            entry.grpc_route_spec.as_ref(),
            &service,
        );
        objects.push(Resource::Service(service));
        objects.push(Resource::GrpcRoute(route));
    }
    // Objects without a namespace get the app's (`setNamespaceIfMissing`).
    for object in &mut objects {
        let metadata = object.metadata_mut();
        if metadata.namespace.as_deref().is_none_or(str::is_empty) {
            metadata.namespace = Some(namespace.to_owned());
        }
    }
    objects
}
