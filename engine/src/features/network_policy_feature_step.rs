//! `NetworkPolicyFeatureStep` (4.2+): a NetworkPolicy that lets only the application's own
//! pods (those labelled with its `spark-app-selector`) reach its executors.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::{Explain, ExplainContext, FeatureStep};
use crate::constants::labels;
use crate::error::Result;
use crate::kubernetes_conf::{DriverConf, KubernetesConf};
use crate::manifest::Resource;
use crate::pod::SparkPod;
use crate::provenance::Source;

/// The network policy step.
#[derive(Debug, Clone)]
pub struct NetworkPolicyFeatureStep {
    name: String,
    namespace: String,
    app_id: String,
}

impl NetworkPolicyFeatureStep {
    /// The policy `<resource name prefix>-policy` for the application.
    pub fn new(conf: &DriverConf<'_>) -> Self {
        NetworkPolicyFeatureStep {
            name: format!("{}-policy", conf.resource_name_prefix),
            namespace: conf.namespace().to_owned(),
            app_id: conf.app_id().to_owned(),
        }
    }

    fn app_selector(&self) -> BTreeMap<String, String> {
        BTreeMap::from([(labels::SPARK_APP_ID.to_owned(), self.app_id.clone())])
    }
}

impl FeatureStep for NetworkPolicyFeatureStep {
    fn name(&self) -> &'static str {
        "NetworkPolicyFeatureStep"
    }

    fn configure_pod(&self, _pod: &mut SparkPod) -> Result<()> {
        Ok(())
    }

    fn additional_resources(&self) -> Vec<Resource> {
        let mut executors = self.app_selector();
        executors.insert(labels::SPARK_ROLE.to_owned(), "executor".to_owned());
        vec![Resource::NetworkPolicy(NetworkPolicy {
            metadata: ObjectMeta {
                name: Some(self.name.clone()),
                namespace: Some(self.namespace.clone()),
                labels: Some(self.app_selector()),
                ..ObjectMeta::default()
            },
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(LabelSelector {
                    match_labels: Some(executors),
                    ..LabelSelector::default()
                }),
                ingress: Some(vec![NetworkPolicyIngressRule {
                    from: Some(vec![NetworkPolicyPeer {
                        pod_selector: Some(LabelSelector {
                            match_labels: Some(self.app_selector()),
                            ..LabelSelector::default()
                        }),
                        ..NetworkPolicyPeer::default()
                    }]),
                    ..NetworkPolicyIngressRule::default()
                }]),
                ..NetworkPolicySpec::default()
            }),
        })]
    }
}

/// The policy's fields are attributed to the step.
impl Explain for NetworkPolicyFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
