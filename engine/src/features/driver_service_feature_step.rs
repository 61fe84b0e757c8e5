//! `DriverServiceFeatureStep`: the headless Service executors reach the driver through, and
//! the `spark.driver.host`/port system properties that point at it.

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::kubernetes_conf::KubernetesConf;
use crate::config::keys;
use crate::constants::labels;
use crate::constants::{
    BLOCK_MANAGER_PORT_NAME, DRIVER_PORT_NAME, SPARK_CONNECT_PORT_NAME, UI_PORT_NAME,
};
use crate::error::{Error, Result};
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::names;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The driver service step.
#[derive(Debug, Clone)]
pub struct DriverServiceFeatureStep {
    service_name: String,
    namespace: String,
    /// `ipFamilyPolicy` and `ipFamilies` (3.4+).
    ip_families: Option<(String, Vec<String>)>,
    driver_port: i32,
    block_manager_port: i32,
    ui_port: i32,
    /// The Spark Connect port, and whether it declares `appProtocol: grpc` (4.1+, 4.2+).
    connect_port: Option<(i32, bool)>,
    /// `publishNotReadyAddresses` (4.3+).
    publish_not_ready_addresses: Option<bool>,
    /// Empty `annotations` are sent (3.3).
    sends_empty_maps: bool,
    app_id: String,
    selector: Vec<(String, String)>,
    service_labels: Vec<(String, String)>,
    service_annotations: Vec<(String, String)>,
}

impl DriverServiceFeatureStep {
    /// Resolves the service's name and ports. Fails when the user set `spark.driver.bindAddress`
    /// or `spark.driver.host`, which Spark manages itself on Kubernetes.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        for key in [keys::DRIVER_BIND_ADDRESS, keys::DRIVER_HOST] {
            if conf.conf.contains(key) {
                return Err(Error::NotAllowed {
                    key: key.into(),
                    reason: "not supported in Kubernetes mode: the driver's address is managed by Spark and set to the driver pod's IP and service".into(),
                });
            }
        }
        let release = conf.version.release();
        let ip_families = if release.service_ip_families_and_labels() {
            Some(ip_families(conf)?)
        } else {
            None
        };
        let connect_port = if release.connect_port() {
            Some((
                conf.conf.read(&keys::CONNECT_GRPC_BINDING_PORT)?,
                release.grpc_app_protocol_and_resize_policy(),
            ))
        } else {
            None
        };
        let publish_not_ready_addresses = if release.restricted_security_defaults() {
            Some(conf.conf.read(&keys::DRIVER_SERVICE_PUBLISH_NOT_READY_ADDRESSES)?)
        } else {
            None
        };
        let service_name =
            names::driver_service_name(&conf.resource_name_prefix, &conf.inputs.unique_id);
        Ok(DriverServiceFeatureStep {
            service_name,
            namespace: conf.namespace().to_owned(),
            ip_families,
            connect_port,
            publish_not_ready_addresses,
            sends_empty_maps: release.sends_empty_maps(),
            driver_port: conf
                .conf
                .read_optional(&keys::DRIVER_PORT)?
                .unwrap_or(crate::constants::DEFAULT_DRIVER_PORT),
            // Spark reads only spark.driver.blockManager.port here, not spark.blockManager.port.
            block_manager_port: conf
                .conf
                .read_optional(&keys::DRIVER_BLOCK_MANAGER_PORT)?
                .unwrap_or(crate::constants::DEFAULT_BLOCK_MANAGER_PORT),
            ui_port: conf.conf.read(&keys::UI_PORT)?,
            app_id: conf.app_id().to_owned(),
            selector: conf.labels()?,
            service_labels: if release.service_ip_families_and_labels() {
                conf.prefixed(keys::DRIVER_SERVICE_LABEL_PREFIX)
            } else {
                Vec::new()
            },
            service_annotations: conf.prefixed(keys::DRIVER_SERVICE_ANNOTATION_PREFIX),
        })
    }

}

impl FeatureStep for DriverServiceFeatureStep {
    fn name(&self) -> &'static str {
        "DriverServiceFeatureStep"
    }

    fn configure_pod(&self, _pod: &mut SparkPod) -> Result<()> {
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        vec![
            (
                keys::DRIVER_HOST.into(),
                format!("{}.{}.svc", self.service_name, self.namespace),
            ),
            (keys::DRIVER_PORT.key.into(), self.driver_port.to_string()),
            (
                keys::DRIVER_BLOCK_MANAGER_PORT.key.into(),
                self.block_manager_port.to_string(),
            ),
        ]
    }

    fn additional_resources(&self) -> Vec<Resource> {
        let mut metadata = ObjectMeta {
            name: Some(self.service_name.clone()),
            ..ObjectMeta::default()
        };
        pod::merge_into(
            &mut metadata.annotations,
            self.service_annotations.iter().cloned(),
        );
        if self.sends_empty_maps {
            metadata.annotations.get_or_insert_with(Default::default);
        }
        pod::merge_into(
            &mut metadata.labels,
            std::iter::once((labels::SPARK_APP_ID.to_owned(), self.app_id.clone()))
                .chain(self.service_labels.iter().cloned()),
        );
        let connect = self
            .connect_port
            .map(|(port, grpc)| (SPARK_CONNECT_PORT_NAME, port, grpc.then(|| "grpc".into())));
        let ports = [
            (DRIVER_PORT_NAME, self.driver_port, None),
            (BLOCK_MANAGER_PORT_NAME, self.block_manager_port, None),
            (UI_PORT_NAME, self.ui_port, None),
        ]
        .into_iter()
        .chain(connect)
        .map(|(name, port, app_protocol)| ServicePort {
            name: Some(name.into()),
            port,
            target_port: Some(IntOrString::Int(port)),
            app_protocol,
            ..ServicePort::default()
        })
        .collect();
        let service = Service {
            metadata,
            spec: Some(ServiceSpec {
                cluster_ip: Some("None".into()),
                ip_family_policy: self.ip_families.as_ref().map(|(policy, _)| policy.clone()),
                ip_families: self.ip_families.as_ref().map(|(_, families)| families.clone()),
                publish_not_ready_addresses: self.publish_not_ready_addresses,
                selector: Some(self.selector.iter().cloned().collect()),
                ports: Some(ports),
                ..ServiceSpec::default()
            }),
            status: None,
        };
        vec![Resource::Service(service)]
    }
}

/// `spark.kubernetes.driver.service.ipFamilyPolicy` and `.ipFamilies`, checked.
fn ip_families(conf: &DriverConf<'_>) -> Result<(String, Vec<String>)> {
    let ip_family_policy = conf
        .conf
        .read_str(&keys::DRIVER_SERVICE_IP_FAMILY_POLICY)
        .to_owned();
    if !matches!(
        ip_family_policy.as_str(),
        "SingleStack" | "PreferDualStack" | "RequireDualStack"
    ) {
        return Err(Error::invalid(
            keys::DRIVER_SERVICE_IP_FAMILY_POLICY.key,
            &ip_family_policy,
            "expected one of SingleStack, PreferDualStack, RequireDualStack",
        ));
    }
    let families = conf.conf.read_str(&keys::DRIVER_SERVICE_IP_FAMILIES);
    if !matches!(families, "IPv4" | "IPv6" | "IPv4,IPv6" | "IPv6,IPv4") {
        return Err(Error::invalid(
            keys::DRIVER_SERVICE_IP_FAMILIES.key,
            families,
            "expected one of IPv4, IPv6, IPv4,IPv6, IPv6,IPv4",
        ));
    }
    Ok((
        ip_family_policy,
        families.split(',').map(str::to_owned).collect(),
    ))
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for DriverServiceFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
