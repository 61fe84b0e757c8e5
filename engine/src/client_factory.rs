//! `SparkKubernetesClientFactory.createKubernetesClient`: before it contacts the API server,
//! Spark refuses an OAuth token given both as a value and as a file. Each client reads the
//! credential keys of one prefix: spark-submit's (cluster mode, before the driver is built)
//! `spark.kubernetes.authenticate.submission.`, a driver running in a pod
//! `spark.kubernetes.authenticate.driver.mounted.`, and a driver running in spark-submit
//! (client mode) `spark.kubernetes.authenticate.` (both before executors are requested).

use crate::conf::SparkConf;
use crate::config::keys;
use crate::error::{Error, Result};

/// Which Kubernetes client Spark creates, and so which credential keys it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Client {
    /// spark-submit's, which creates the driver's objects (`ClientType.Submission`).
    Submission,
    /// A driver's in its pod, which creates the executors (`ClientType.Driver`).
    InClusterDriver,
    /// A driver's running in spark-submit's JVM (client mode), which creates the executors.
    LocalDriver,
}

impl Client {
    /// The credential keys' prefix this client reads (Spark's `kubernetesAuthConfPrefix`).
    fn prefix(self) -> &'static str {
        match self {
            Client::Submission => keys::SUBMISSION_AUTH_PREFIX,
            Client::InClusterDriver => keys::DRIVER_MOUNTED_PREFIX,
            Client::LocalDriver => keys::CLIENT_MODE_AUTH_PREFIX,
        }
    }
}

/// Spark's `requireNandDefined` on the client's `oauthTokenFile` and `oauthToken` keys.
pub(crate) fn check_credentials(conf: &SparkConf, client: Client) -> Result<()> {
    let prefix = client.prefix();
    let file_key = format!("{prefix}oauthTokenFile");
    let value_key = format!("{prefix}oauthToken");
    if conf.contains(&file_key) && conf.contains(&value_key) {
        return Err(Error::NotAllowed {
            key: value_key.clone(),
            reason: format!(
                "requirement failed: Cannot specify OAuth token through both a file {file_key} and a value {value_key}."
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(pairs: &[(&str, &str)]) -> SparkConf {
        let mut conf = SparkConf::default();
        for (k, v) in pairs {
            conf.set(*k, *v);
        }
        conf
    }

    #[test]
    fn a_token_given_twice_to_one_client_is_refused_naming_both_keys() {
        let both = conf(&[
            ("spark.kubernetes.authenticate.submission.oauthToken", "t"),
            ("spark.kubernetes.authenticate.submission.oauthTokenFile", "/f"),
        ]);
        let err = check_credentials(&both, Client::Submission).unwrap_err();
        assert_eq!(
            err.to_string(),
            "spark.kubernetes.authenticate.submission.oauthToken is not allowed: requirement failed: Cannot specify OAuth token through both a file spark.kubernetes.authenticate.submission.oauthTokenFile and a value spark.kubernetes.authenticate.submission.oauthToken."
        );
        // The drivers' clients read other keys.
        assert!(check_credentials(&both, Client::InClusterDriver).is_ok());
        assert!(check_credentials(&both, Client::LocalDriver).is_ok());
    }

    #[test]
    fn one_of_the_two_or_the_pair_split_across_clients_is_accepted() {
        for client in [
            Client::Submission,
            Client::InClusterDriver,
            Client::LocalDriver,
        ] {
            let prefix = client.prefix();
            assert!(check_credentials(&conf(&[(&format!("{prefix}oauthToken"), "t")]), client).is_ok());
            assert!(check_credentials(&conf(&[(&format!("{prefix}oauthTokenFile"), "/f")]), client).is_ok());
            let both = conf(&[
                (&format!("{prefix}oauthToken"), "t"),
                (&format!("{prefix}oauthTokenFile"), "/f"),
            ]);
            assert!(check_credentials(&both, client).is_err(), "{prefix}");
        }
    }
}
