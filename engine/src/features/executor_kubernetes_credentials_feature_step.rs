//! `ExecutorKubernetesCredentialsFeatureStep`: unless the pod (template) names a service account,
//! executors run as `spark.kubernetes.authenticate.executor.serviceAccountName`, else as the
//! driver's service account.

use crate::kubernetes_conf::ExecutorConf;
use crate::config::keys;
use crate::error::Result;
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::pod::SparkPod;
use crate::provenance::Source;

/// The executor credentials step.
#[derive(Debug, Clone)]
pub struct ExecutorKubernetesCredentialsFeatureStep {
    service_account: Option<String>,
}

impl ExecutorKubernetesCredentialsFeatureStep {
    /// Reads the executor and driver service account names.
    pub fn new(conf: &ExecutorConf<'_>) -> Self {
        ExecutorKubernetesCredentialsFeatureStep {
            service_account: conf
                .conf
                .get_first(&[keys::EXECUTOR_SERVICE_ACCOUNT, keys::DRIVER_SERVICE_ACCOUNT])
                .map(str::to_owned),
        }
    }
}

impl FeatureStep for ExecutorKubernetesCredentialsFeatureStep {
    fn name(&self) -> &'static str {
        "ExecutorKubernetesCredentialsFeatureStep"
    }

    fn configure_pod(&self, pod: &mut SparkPod) -> Result<()> {
        // Spark checks the deprecated `serviceAccount` field, not `serviceAccountName`.
        let unset = pod
            .pod
            .spec
            .as_ref()
            .is_none_or(|s| s.service_account.is_none());
        if let (true, Some(account)) = (unset, &self.service_account) {
            let spec = pod.spec_mut();
            spec.service_account = Some(account.clone());
            spec.service_account_name = Some(account.clone());
        }
        Ok(())
    }
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for ExecutorKubernetesCredentialsFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
