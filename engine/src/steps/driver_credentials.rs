//! `DriverKubernetesCredentialsFeatureStep`, service-account half: the driver pod runs as
//! `spark.kubernetes.authenticate.driver.serviceAccountName` when it is set. (Submitting
//! credentials — OAuth token, client certificates — are refused before the steps run; see
//! [`crate::driver`].)

use crate::conf::keys;
use crate::error::Result;
use crate::kubernetes_conf::DriverConf;
use crate::pod::SparkPod;
use crate::steps::FeatureStep;

/// The driver credentials step.
#[derive(Debug, Clone)]
pub struct DriverCredentialsStep {
    service_account: Option<String>,
}

impl DriverCredentialsStep {
    /// Reads the service account name.
    pub fn new(conf: &DriverConf<'_>) -> Self {
        DriverCredentialsStep {
            service_account: conf
                .conf
                .get(keys::DRIVER_SERVICE_ACCOUNT)
                .map(str::to_owned),
        }
    }
}

impl FeatureStep for DriverCredentialsStep {
    fn configure_pod(&self, pod: &mut SparkPod) -> Result<()> {
        if let Some(account) = &self.service_account {
            let spec = pod.spec_mut();
            // Spark sets the deprecated field too.
            spec.service_account = Some(account.clone());
            spec.service_account_name = Some(account.clone());
        }
        Ok(())
    }
}
