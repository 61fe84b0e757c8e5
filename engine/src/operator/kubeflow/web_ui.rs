//! The Spark UI objects the controller creates once the driver runs (`web_ui.go`,
//! `driveringress.go`): the UI Service, its Ingress when the operator has an ingress URL
//! format, and a Service and Ingress per `driverIngressOptions` entry; plus the UI conf it sets
//! before submitting.

use crate::config::keys;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::spec::SparkApplication;
use super::submission::owner_reference;
use super::OperatorError;
use super::{go_url, md5};
use crate::manifest::Resource;

/// The operator's UI settings (its chart's `controller.uiService` and `controller.uiIngress`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UiOptions {
    /// `controller.uiService.enable` (default true): create the UI Service.
    pub service: bool,
    /// `controller.uiIngress.urlFormat`: create the UI Ingress at this URL
    /// (`{{$appName}}`, `{{$appNamespace}}`, `{{$appId}}` substituted).
    pub ingress_url_format: Option<String>,
    /// `controller.uiIngress.ingressClassName`.
    pub ingress_class_name: Option<String>,
}

const DEFAULT_UI_PORT: i32 = 4040;

/// `generateName`: `<name>-<suffix>`, or cut with an MD5 hash to fit 63 characters.
fn generate_name(name: &str, suffix: &str) -> String {
    let preferred = format!("{name}-{suffix}");
    if preferred.len() <= 63 {
        return preferred;
    }
    let keep = 63 - suffix.len() - 10;
    let hash = md5::hex_digest(preferred.as_bytes());
    // Go cuts bytes; names are DNS labels (ASCII), and a cut inside a character is avoided.
    let mut cut = keep.min(name.len());
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}-{suffix}", &name[..cut], &hash[..8])
}

/// The host and path of an ingress URL, as `getDriverIngressURL` reads them.
struct Url {
    host: String,
    path: String,
}

/// `getDriverIngressURL`: the format with the application's name, namespace and id, parsed by
/// Go's `url.Parse` (again with `http://` before it when it has no scheme).
fn ingress_url(format: &str, app: &SparkApplication) -> Result<Url, OperatorError> {
    let substituted = substitute(format, "appName", app.name());
    let substituted = substitute(&substituted, "appNamespace", app.namespace());
    let substituted = substitute(&substituted, "appId", &app.status.spark_application_id);
    let refused = |e: String| OperatorError(format!("parse {substituted:?}: {e}"));
    let mut url = go_url::parse(&substituted).map_err(refused)?;
    if url.scheme.is_empty() {
        url = go_url::parse(&format!("http://{substituted}")).map_err(refused)?;
    }
    Ok(Url {
        host: url.host,
        path: url.path,
    })
}

/// Replaces `{{ $name }}` (spaces allowed inside the braces).
fn substitute(text: &str, name: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let inner_end = after.find("}}");
        let matched = inner_end.and_then(|end| {
            let inner = after[..end].trim_matches(|c: char| c.is_whitespace());
            (inner.strip_prefix('$') == Some(name)).then_some(end)
        });
        match matched {
            Some(end) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `configWebUI`: with the UI Service and an ingress URL with a path, the UI is served under
/// that path (`spark.ui.proxyBase`, `spark.ui.proxyRedirectUri`), unless the conf says
/// otherwise. A URL Go cannot parse fails the submission.
pub fn configure(app: &mut SparkApplication, options: &UiOptions) -> Result<(), OperatorError> {
    let Some(format) = options
        .ingress_url_format
        .as_deref()
        .filter(|f| !f.is_empty())
    else {
        return Ok(());
    };
    if !options.service {
        return Ok(());
    }
    let url = ingress_url(format, app).map_err(|e| {
        OperatorError(format!(
            "failed to configure web UI: failed to get ingress url: {}",
            e.0
        ))
    })?;
    if url.path.is_empty() {
        return Ok(());
    }
    let conf = app.spec.spark_conf.get_or_insert_with(BTreeMap::new);
    conf.entry(keys::UI_PROXY_BASE.into()).or_insert(url.path);
    conf.entry(keys::UI_PROXY_REDIRECT_URI.into())
        .or_insert_with(|| "/".into());
    Ok(())
}

/// The labels of the objects the controller creates (`util.GetResourceLabels`).
fn resource_labels(app: &SparkApplication) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::from([(
        "sparkoperator.k8s.io/app-name".to_owned(),
        app.name().to_owned(),
    )]);
    if !app.status.submission_id.is_empty() {
        labels.insert(
            "sparkoperator.k8s.io/submission-id".to_owned(),
            app.status.submission_id.clone(),
        );
    }
    labels
}

/// A Service to the driver (`createDriverIngressService`); given labels replace the usual ones.
#[allow(clippy::too_many_arguments)]
fn service(
    app: &SparkApplication,
    name: String,
    port_name: String,
    port: i32,
    target_port: i32,
    service_type: String,
    annotations: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
) -> Service {
    Service {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(app.namespace().to_owned()),
            labels: Some(if labels.is_empty() {
                resource_labels(app)
            } else {
                labels
            }),
            annotations: Some(annotations).filter(|a| !a.is_empty()),
            owner_references: Some(vec![owner_reference(app)]),
            ..ObjectMeta::default()
        },
        spec: Some(ServiceSpec {
            ports: Some(vec![ServicePort {
                name: Some(port_name),
                port,
                target_port: Some(IntOrString::Int(target_port)),
                ..ServicePort::default()
            }]),
            selector: Some(BTreeMap::from([
                (
                    "sparkoperator.k8s.io/app-name".to_owned(),
                    app.name().to_owned(),
                ),
                ("spark-role".to_owned(), "driver".to_owned()),
            ])),
            type_: Some(service_type),
            ..ServiceSpec::default()
        }),
        status: None,
    }
}

/// A `networking.k8s.io/v1` Ingress to a Service (`createDriverIngressV1`).
fn ingress(
    app: &SparkApplication,
    name: String,
    service: &Service,
    url: &Url,
    options: &UiOptions,
) -> Ingress {
    let ui = app.spec.spark_ui_options.clone().unwrap_or_default();
    let mut annotations = ui.ingress_annotations.unwrap_or_default();
    let path = if !url.path.is_empty() && url.path != "/" {
        annotations.insert(
            "nginx.ingress.kubernetes.io/rewrite-target".into(),
            "/$2".into(),
        );
        format!("{}(/|$)(.*)", url.path)
    } else {
        url.path.clone()
    };
    let tls: Vec<IngressTLS> = ui.ingress_tls.unwrap_or_default();
    let port = service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .and_then(|p| p.first())
        .map_or(0, |p| p.port);
    Ingress {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(app.namespace().to_owned()),
            labels: Some(resource_labels(app)),
            annotations: Some(annotations).filter(|a| !a.is_empty()),
            owner_references: Some(vec![owner_reference(app)]),
            ..ObjectMeta::default()
        },
        spec: Some(IngressSpec {
            rules: Some(vec![IngressRule {
                host: Some(url.host.clone()).filter(|h| !h.is_empty()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: service.metadata.name.clone().unwrap_or_default(),
                                port: Some(ServiceBackendPort {
                                    number: Some(port),
                                    name: None,
                                }),
                            }),
                            resource: None,
                        },
                        path: Some(path).filter(|p| !p.is_empty()),
                        path_type: "ImplementationSpecific".into(),
                    }],
                }),
            }]),
            tls: Some(tls).filter(|t| !t.is_empty()),
            ingress_class_name: options.ingress_class_name.clone().filter(|c| !c.is_empty()),
            ..IngressSpec::default()
        }),
        status: None,
    }
}

/// `getWebUITargetPort`: `spark.ui.port` of the conf when it is a number, else 4040.
pub fn target_port(app: &SparkApplication) -> i32 {
    app.spec
        .spark_conf
        .as_ref()
        .and_then(|c| c.get(keys::UI_PORT.key))
        .and_then(|p| p.parse::<i32>().ok())
        .unwrap_or(DEFAULT_UI_PORT)
}

/// `getWebUIServicePort`: `sparkUIOptions.servicePort`, else 4040; without `sparkUIOptions`,
/// the target port.
pub fn service_port(app: &SparkApplication) -> i32 {
    match &app.spec.spark_ui_options {
        None => target_port(app),
        Some(ui) => ui.service_port.unwrap_or(DEFAULT_UI_PORT),
    }
}

/// `getWebUIServicePortName`: `sparkUIOptions.servicePortName`, else `spark-driver-ui-port`.
pub fn service_port_name(app: &SparkApplication) -> String {
    app.spec
        .spark_ui_options
        .as_ref()
        .and_then(|u| u.service_port_name.clone())
        .unwrap_or_else(|| "spark-driver-ui-port".into())
}

/// The UI objects, in the order the controller creates them.
pub fn objects(
    app: &SparkApplication,
    options: &UiOptions,
) -> Result<Vec<Resource>, OperatorError> {
    let mut objects = Vec::new();
    if options.service {
        let ui = app.spec.spark_ui_options.as_ref();
        let ui_service = service(
            app,
            generate_name(app.name(), "ui-svc"),
            service_port_name(app),
            service_port(app),
            target_port(app),
            ui.and_then(|u| u.service_type.clone())
                .unwrap_or_else(|| "ClusterIP".into()),
            ui.and_then(|u| u.service_annotations.clone())
                .unwrap_or_default(),
            ui.and_then(|u| u.service_labels.clone())
                .unwrap_or_default(),
        );
        let ingress_format = options
            .ingress_url_format
            .as_deref()
            .filter(|f| !f.is_empty());
        let ui_ingress = match ingress_format {
            Some(format) => {
                let url = ingress_url(format, app)
                    .map_err(|e| OperatorError(format!("failed to get ingress url: {}", e.0)))?;
                Some(ingress(
                    app,
                    generate_name(app.name(), "ui-ingress"),
                    &ui_service,
                    &url,
                    options,
                ))
            }
            None => None,
        };
        objects.push(Resource::Service(ui_service));
        objects.extend(ui_ingress.map(Resource::Ingress));
    }
    for entry in &app.spec.driver_ingress_options {
        let port = entry.service_port.ok_or_else(|| {
            OperatorError("service port is nil on driver ingress configuration".into())
        })?;
        let driver_service = service(
            app,
            format!("{}-driver-{port}", app.name()),
            entry
                .service_port_name
                .clone()
                .unwrap_or_else(|| format!("driver-ing-{port}")),
            port,
            port,
            entry
                .service_type
                .clone()
                .unwrap_or_else(|| "ClusterIP".into()),
            entry.service_annotations.clone().unwrap_or_default(),
            entry.service_labels.clone().unwrap_or_default(),
        );
        let driver_ingress = if entry.ingress_url_format.is_empty() {
            None
        } else {
            let url = ingress_url(&entry.ingress_url_format, app)
                .map_err(|e| OperatorError(format!("failed to get driver ingress url: {}", e.0)))?;
            Some(ingress(
                app,
                format!("{}-ing-{port}", app.name()),
                &driver_service,
                &url,
                options,
            ))
        };
        objects.push(Resource::Service(driver_service));
        objects.extend(driver_ingress.map(Resource::Ingress));
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_with_a_hash() {
        assert_eq!(generate_name("spark-pi", "ui-svc"), "spark-pi-ui-svc");
        let long = "a".repeat(60);
        let name = generate_name(&long, "ui-svc");
        assert_eq!(name.len(), 63, "{name}");
        assert!(name.starts_with(&"a".repeat(47)) && name.ends_with("-ui-svc"));
    }

    #[test]
    fn url_formats_are_filled_in() {
        let mut app = SparkApplication::default();
        app.metadata.name = Some("pi".into());
        app.metadata.namespace = Some("jobs".into());
        let url = ingress_url("{{$appName}}.{{ $appNamespace }}.example.com/ui", &app).unwrap();
        assert_eq!(url.host, "pi.jobs.example.com");
        assert_eq!(url.path, "/ui");
        let url = ingress_url("example.com/{{$appNamespace}}/{{$appName}}", &app).unwrap();
        assert_eq!(
            (url.host.as_str(), url.path.as_str()),
            ("example.com", "/jobs/pi")
        );
    }
}
