//! What the operator refuses, in its own words: the CRD's required fields (the API server's
//! check), `AppValidateStep` (client mode, Gateway API routes), and the failures of building
//! the spec that are not Spark's (`buildDriverConf`'s `NullPointerException`).

use serde_json::{Map, Value};

use super::spec::{DeploymentMode, SparkApplication};
use crate::operator::kubeflow::OperatorError;

/// The client-mode refusal (`AppValidateStep`).
pub const CLIENT_MODE_NOT_SUPPORTED: &str = "Client mode is not supported yet.";

/// Checks `app` as the API server (CRD `required` lists) and `AppValidateStep` do; the first
/// failure is returned with the operator's message.
pub fn validate(app: &SparkApplication) -> Result<(), OperatorError> {
    let fail = |message: String| Err(OperatorError(message));
    let spec = &app.spec;
    for (i, entry) in spec.config_map_specs.iter().flatten().enumerate() {
        if entry.name.is_empty() {
            return fail(format!("spec.configMapSpecs[{i}].name: Required value"));
        }
    }
    for (i, entry) in spec
        .driver_service_ingress_list
        .iter()
        .flatten()
        .enumerate()
    {
        let missing = [
            (entry.service_metadata.is_none(), "serviceMetadata"),
            (entry.service_spec.is_none(), "serviceSpec"),
            (entry.ingress_metadata.is_none(), "ingressMetadata"),
        ];
        if let Some((_, field)) = missing.iter().find(|(m, _)| *m) {
            return fail(format!(
                "spec.driverServiceIngressList[{i}].{field}: Required value"
            ));
        }
    }
    if spec.deployment_mode == Some(DeploymentMode::ClientMode) {
        return fail(CLIENT_MODE_NOT_SUPPORTED.to_owned());
    }
    let routes = spec
        .driver_http_route_list
        .iter()
        .flatten()
        .map(|r| {
            (
                r.service_spec.is_some(),
                r.service_metadata.as_ref().and_then(|m| m.name.as_deref()),
                r.http_route_metadata
                    .as_ref()
                    .and_then(|m| m.name.as_deref()),
                r.http_route_spec.as_ref(),
            )
        })
        .enumerate()
        .map(|(i, r)| (format!("driverHttpRouteList[{i}]"), "httpRoute", r));
    let grpc = spec
        .driver_grpc_route_list
        .iter()
        .flatten()
        .map(|r| {
            (
                r.service_spec.is_some(),
                r.service_metadata.as_ref().and_then(|m| m.name.as_deref()),
                r.grpc_route_metadata
                    .as_ref()
                    .and_then(|m| m.name.as_deref()),
                r.grpc_route_spec.as_ref(),
            )
        })
        .enumerate()
        .map(|(i, r)| (format!("driverGrpcRouteList[{i}]"), "grpcRoute", r));
    for (prefix, route, (has_service_spec, service_name, route_name, route_spec)) in
        routes.chain(grpc)
    {
        if !has_service_spec {
            return fail(format!("{prefix}.serviceSpec is required."));
        }
        if service_name.is_none_or(str::is_empty) {
            return fail(format!("{prefix}.serviceMetadata.name is required."));
        }
        if route_name.is_none_or(str::is_empty) {
            return fail(format!("{prefix}.{route}Metadata.name is required."));
        }
        if !has_parent_refs(route_spec) {
            return fail(format!("{prefix}.{route}Spec.parentRefs is required."));
        }
    }
    let python_runner = spec.main_class.as_deref() == Some("org.apache.spark.deploy.PythonRunner");
    let has_jars = spec.jars.as_deref().is_some_and(|j| !j.is_empty());
    if python_runner && !has_jars && spec.py_files.is_none() {
        return fail(
            "Failed to request driver from scheduler backend. StackTrace: java.lang.NullPointerException (mainClass org.apache.spark.deploy.PythonRunner without pyFiles)".to_owned(),
        );
    }
    Ok(())
}

fn has_parent_refs(spec: Option<&Map<String, Value>>) -> bool {
    spec.and_then(|s| s.get("parentRefs"))
        .and_then(Value::as_array)
        .is_some_and(|refs| !refs.is_empty())
}
