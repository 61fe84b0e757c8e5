//! `DriverKubernetesCredentialsFeatureStep`: the credentials the driver uses to talk to the
//! API server. An OAuth token (`spark.kubernetes.authenticate.driver.oauthToken`) or client
//! certificate files (`caCertFile`, `clientKeyFile`, `clientCertFile`) go into a Secret
//! `<prefix>-kubernetes-credentials`, mounted at `/mnt/secrets/spark-kubernetes-credentials`,
//! and the token is redacted from `spark.properties`. Otherwise the driver runs as
//! `spark.kubernetes.authenticate.driver.serviceAccountName`, when set.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Secret, SecretVolumeSource, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;

use crate::config::keys;
use crate::constants::{CREDENTIALS_BASE_DIR, CREDENTIALS_VOLUME};
use crate::error::Result;
use crate::features::ExplainContext;
use crate::features::{Explain, FeatureStep};
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The credentials the driver may find already mounted: conf suffix and key.
const MOUNTED_SUFFIXES: [(&str, &str); 4] = [
    ("oauthTokenFile", keys::DRIVER_MOUNTED_OAUTH_TOKEN_FILE),
    ("clientKeyFile", keys::DRIVER_MOUNTED_CLIENT_KEY_FILE),
    ("clientCertFile", keys::DRIVER_MOUNTED_CLIENT_CERT_FILE),
    ("caCertFile", keys::DRIVER_MOUNTED_CA_CERT_FILE),
];

/// One credential: its Secret key, the conf suffix naming its mounted path, and its bytes.
#[derive(Debug, Clone)]
struct Credential {
    secret_key: &'static str,
    mounted_suffix: &'static str,
    data: Vec<u8>,
}

/// The driver credentials step.
#[derive(Debug, Clone)]
pub struct DriverKubernetesCredentialsFeatureStep {
    service_account: Option<String>,
    secret_name: String,
    credentials: Vec<Credential>,
    mounted: BTreeMap<&'static str, Option<String>>,
    redacted: Vec<String>,
}

impl DriverKubernetesCredentialsFeatureStep {
    /// Reads the credentials (file contents are render inputs) and the service account.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        let c = &conf.conf;
        let mut credentials = Vec::new();
        for (key, secret_key, mounted_suffix) in [
            (keys::CLIENT_KEY_FILE, "client-key", "clientKeyFile"),
            (keys::CLIENT_CERT_FILE, "client-cert", "clientCertFile"),
            (keys::CA_CERT_FILE, "ca-cert", "caCertFile"),
        ] {
            if let Some(path) = c.get(key) {
                credentials.push(Credential {
                    secret_key,
                    mounted_suffix,
                    data: conf.inputs.file_bytes(key, path)?.to_vec(),
                });
            }
        }
        if let Some(token) = c.get(keys::OAUTH_TOKEN) {
            credentials.push(Credential {
                secret_key: "oauth-token",
                mounted_suffix: "oauthTokenFile",
                data: token.as_bytes().to_vec(),
            });
        }
        let mounted = MOUNTED_SUFFIXES
            .into_iter()
            .map(|(suffix, key)| (suffix, c.get(key).map(str::to_owned)))
            .collect();
        let redacted = c
            .iter()
            .filter(|(k, _)| k.ends_with("oauthToken"))
            .map(|(k, _)| k.to_owned())
            .collect();
        Ok(DriverKubernetesCredentialsFeatureStep {
            service_account: c.get(keys::DRIVER_SERVICE_ACCOUNT).map(str::to_owned),
            secret_name: format!("{}-kubernetes-credentials", conf.resource_name_prefix),
            credentials,
            mounted,
            redacted,
        })
    }
}

impl FeatureStep for DriverKubernetesCredentialsFeatureStep {
    fn name(&self) -> &'static str {
        "DriverKubernetesCredentialsFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if self.credentials.is_empty() {
            if let Some(account) = &self.service_account {
                let spec = p.spec_mut();
                // Spark sets the deprecated field too.
                spec.service_account = Some(account.clone());
                spec.service_account_name = Some(account.clone());
            }
        } else {
            p.add_volume(Volume {
                name: CREDENTIALS_VOLUME.into(),
                secret: Some(SecretVolumeSource {
                    secret_name: Some(self.secret_name.clone()),
                    ..SecretVolumeSource::default()
                }),
                ..Volume::default()
            });
            p.add_volume_mount(pod::mount(CREDENTIALS_VOLUME, CREDENTIALS_BASE_DIR));
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        let mut props: Vec<(String, String)> = self
            .redacted
            .iter()
            .map(|k| (k.into(), "<present_but_redacted>".into()))
            .collect();
        for (suffix, user_path) in &self.mounted {
            let from_submitter = self
                .credentials
                .iter()
                .find(|c| c.mounted_suffix == *suffix)
                .map(|c| format!("{}/{}", CREDENTIALS_BASE_DIR, c.secret_key));
            if let Some(path) = user_path.clone().or(from_submitter) {
                props.push((format!("{}{suffix}", keys::DRIVER_MOUNTED_PREFIX), path));
            }
        }
        props
    }

    fn additional_resources(&self) -> Vec<Resource> {
        if self.credentials.is_empty() {
            return Vec::new();
        }
        let data = self
            .credentials
            .iter()
            .map(|c| (c.secret_key.to_owned(), ByteString(c.data.clone())))
            .collect();
        vec![Resource::Secret(Secret {
            metadata: ObjectMeta {
                name: Some(self.secret_name.clone()),
                ..ObjectMeta::default()
            },
            data: Some(data),
            immutable: Some(true),
            ..Secret::default()
        })]
    }
}

impl Explain for DriverKubernetesCredentialsFeatureStep {
    fn explain(&self, field: &str, ctx: &ExplainContext<'_>) -> Source {
        if field.starts_with("pod.spec.serviceAccount") {
            return ctx.conf_or(&[keys::DRIVER_SERVICE_ACCOUNT], "");
        }
        Source::rule(self.name(), "")
    }
}
