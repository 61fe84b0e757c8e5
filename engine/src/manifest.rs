//! The Kubernetes objects a submission creates, and their YAML and JSON forms.

pub use crate::pod::owner_reference_to_pod;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim, Pod, Secret, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

/// One Kubernetes object Spark creates.
// A render yields a handful of objects; boxing the Pod would only make matching clumsier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Resource {
    /// A Pod (the driver, or an executor).
    Pod(Pod),
    /// A Service (the driver's headless service).
    Service(Service),
    /// A ConfigMap (spark-conf, pod template, Hadoop, krb5).
    ConfigMap(ConfigMap),
    /// A Secret (credentials, keytab).
    Secret(Secret),
    /// A PersistentVolumeClaim (on-demand claims).
    PersistentVolumeClaim(PersistentVolumeClaim),
    /// A StatefulSet (executors with `spark.kubernetes.allocation.pods.allocator=statefulset`).
    StatefulSet(StatefulSet),
    /// A Deployment (executors with `spark.kubernetes.allocation.pods.allocator=deployment`,
    /// Spark 4.2+).
    Deployment(Deployment),
    /// A NetworkPolicy (4.2+: only the application's pods reach its executors).
    NetworkPolicy(NetworkPolicy),
    /// An Ingress (a Spark operator's UI Ingress).
    Ingress(Ingress),
    /// A Gateway API `HTTPRoute` (the Apache Spark operator's driver routes).
    HttpRoute(GatewayRoute),
    /// A Gateway API `GRPCRoute` (the Apache Spark operator's driver routes).
    GrpcRoute(GatewayRoute),
}

/// A Gateway API route (`gateway.networking.k8s.io/v1`), which `k8s-openapi` does not type:
/// its metadata, and its spec as given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GatewayRoute {
    /// `gateway.networking.k8s.io/v1`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `HTTPRoute` or `GRPCRoute`.
    pub kind: String,
    /// The route's metadata.
    pub metadata: ObjectMeta,
    /// The route's spec.
    pub spec: serde_json::Value,
}

impl Resource {
    /// The object's kind, e.g. `Pod`.
    pub fn kind(&self) -> &'static str {
        match self {
            Resource::Pod(_) => "Pod",
            Resource::Service(_) => "Service",
            Resource::ConfigMap(_) => "ConfigMap",
            Resource::Secret(_) => "Secret",
            Resource::PersistentVolumeClaim(_) => "PersistentVolumeClaim",
            Resource::StatefulSet(_) => "StatefulSet",
            Resource::Deployment(_) => "Deployment",
            Resource::NetworkPolicy(_) => "NetworkPolicy",
            Resource::Ingress(_) => "Ingress",
            Resource::HttpRoute(_) => "HTTPRoute",
            Resource::GrpcRoute(_) => "GRPCRoute",
        }
    }

    /// The object's metadata.
    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Resource::Pod(o) => &o.metadata,
            Resource::Service(o) => &o.metadata,
            Resource::ConfigMap(o) => &o.metadata,
            Resource::Secret(o) => &o.metadata,
            Resource::PersistentVolumeClaim(o) => &o.metadata,
            Resource::StatefulSet(o) => &o.metadata,
            Resource::Deployment(o) => &o.metadata,
            Resource::NetworkPolicy(o) => &o.metadata,
            Resource::Ingress(o) => &o.metadata,
            Resource::HttpRoute(o) | Resource::GrpcRoute(o) => &o.metadata,
        }
    }

    /// The object's metadata, mutably.
    pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Resource::Pod(o) => &mut o.metadata,
            Resource::Service(o) => &mut o.metadata,
            Resource::ConfigMap(o) => &mut o.metadata,
            Resource::Secret(o) => &mut o.metadata,
            Resource::PersistentVolumeClaim(o) => &mut o.metadata,
            Resource::StatefulSet(o) => &mut o.metadata,
            Resource::Deployment(o) => &mut o.metadata,
            Resource::NetworkPolicy(o) => &mut o.metadata,
            Resource::Ingress(o) => &mut o.metadata,
            Resource::HttpRoute(o) | Resource::GrpcRoute(o) => &mut o.metadata,
        }
    }

    /// The object's name (empty if unnamed).
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or_default()
    }
}

/// Serialisation failed (not expected for Kubernetes objects; reported rather than unwrapped).
#[derive(Debug, thiserror::Error)]
#[error("cannot serialise the manifests: {0}")]
pub struct SerializeError(String);

/// Multi-document YAML: each object starts with `---`.
pub fn to_yaml(objects: &[Resource]) -> Result<String, SerializeError> {
    let mut out = String::new();
    for object in objects {
        out.push_str("---\n");
        let doc = serde_saphyr::to_string_with_options(object, yaml_options())
            .map_err(|e| SerializeError(e.to_string()))?;
        out.push_str(&doc);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Any serialisable value (explanations, lint findings) as one YAML document, with the same
/// style as [`to_yaml`].
pub fn to_yaml_document<T: Serialize>(value: &T) -> Result<String, SerializeError> {
    let mut doc = serde_saphyr::to_string_with_options(value, yaml_options())
        .map_err(|e| SerializeError(e.to_string()))?;
    if !doc.ends_with('\n') {
        doc.push('\n');
    }
    Ok(doc)
}

/// Block literals (`|`) for multi-line text such as `spark.properties`; long single-line values
/// stay on one line (no `>` folding), which keeps them greppable.
fn yaml_options() -> serde_saphyr::SerializerOptions {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.folded_wrap_chars = usize::MAX;
    options
}

/// A `v1` `List` holding the objects, as pretty JSON.
pub fn to_json_list(objects: &[Resource]) -> Result<String, SerializeError> {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(rename = "apiVersion")]
        api_version: &'static str,
        kind: &'static str,
        items: &'a [Resource],
    }
    let list = List {
        api_version: "v1",
        kind: "List",
        items: objects,
    };
    let mut text =
        serde_json::to_string_pretty(&list).map_err(|e| SerializeError(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
