//! `KerberosConfDriverFeatureStep`: the krb5 configuration — a local file shipped in a
//! ConfigMap `<prefix>-krb5-file`, or an existing ConfigMap — mounted as `/etc/krb5.conf`; a
//! submission-local keytab in a Secret `<prefix>-kerberos-keytab` mounted at
//! `/mnt/secrets/kerberos-keytab`; or an existing delegation-token Secret
//! (`spark.kubernetes.kerberos.tokenSecret.{name,itemKey}`) mounted at
//! `/mnt/secrets/hadoop-credentials` with `HADOOP_TOKEN_FILE_LOCATION` pointing at the item.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, KeyToPath, Secret, SecretVolumeSource, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;

use crate::config::keys;
use crate::constants::{
    HADOOP_CREDENTIALS_BASE_DIR, HADOOP_SECRET_VOLUME, KERBEROS_KEYTAB_MOUNT_POINT,
    KERBEROS_KEYTAB_VOLUME, KRB_FILE_VOLUME,
};
use crate::error::{Error, Result};
use crate::features::{Explain, ExplainContext, FeatureStep};
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::pod::{self, SparkPod};
use crate::provenance::Source;

/// The Kerberos configuration step.
#[derive(Debug, Clone)]
pub struct KerberosConfDriverFeatureStep {
    prefix: String,
    /// An existing krb5 ConfigMap, or (file name, text) of a local krb5.conf.
    krb5: Option<Krb5>,
    /// A submission-local keytab: file name and bytes.
    keytab: Option<(String, Vec<u8>)>,
    /// An existing delegation-token Secret and item key.
    token_secret: Option<(String, String)>,
}

#[derive(Debug, Clone)]
enum Krb5 {
    ConfigMap(String),
    File { name: String, text: String },
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

fn both_or_neither(conf: &DriverConf<'_>, a: &str, b: &str) -> Result<()> {
    match (conf.conf.contains(a), conf.conf.contains(b)) {
        (true, false) => Err(Error::Missing {
            key: b.into(),
            reason: format!("it is required when {} is set", given_as(conf, a)),
        }),
        (false, true) => Err(Error::Missing {
            key: a.into(),
            reason: format!("it is required when {} is set", given_as(conf, b)),
        }),
        _ => Ok(()),
    }
}

/// `key`, and the YARN-era key the user gave instead when spark-submit took its value from
/// there (`spark.yarn.keytab` for `spark.kerberos.keytab`...).
fn given_as(conf: &DriverConf<'_>, key: &str) -> String {
    let legacy = match key {
        keys::KEYTAB => keys::YARN_KEYTAB,
        keys::PRINCIPAL => keys::YARN_PRINCIPAL,
        _ => return key.to_owned(),
    };
    match conf.conf.get(legacy) {
        Some(value) if conf.conf.get(key) == Some(value) => format!("{key} (given as {legacy})"),
        _ => key.to_owned(),
    }
}

impl KerberosConfDriverFeatureStep {
    /// Reads the Kerberos keys (file contents are render inputs), with Spark's checks.
    pub fn new(conf: &DriverConf<'_>) -> Result<Self> {
        let c = &conf.conf;
        if c.contains(keys::KRB5_PATH) && c.contains(keys::KRB5_CONFIG_MAP) {
            return Err(Error::NotAllowed {
                key: keys::KRB5_CONFIG_MAP.into(),
                reason: format!(
                    "do not set both {} and a krb5 ConfigMap: creating another ConfigMap when one is given is extraneous",
                    keys::KRB5_PATH
                ),
            });
        }
        both_or_neither(conf, keys::KEYTAB, keys::PRINCIPAL)?;
        both_or_neither(
            conf,
            keys::KERBEROS_TOKEN_SECRET_NAME,
            keys::KERBEROS_TOKEN_SECRET_ITEM_KEY,
        )?;
        let krb5 = match (c.get(keys::KRB5_CONFIG_MAP), c.get(keys::KRB5_PATH)) {
            (Some(name), _) => Some(Krb5::ConfigMap(name.to_owned())),
            (None, Some(path)) => Some(Krb5::File {
                name: file_name(path),
                text: conf.inputs.file_text(keys::KRB5_PATH, path)?.to_owned(),
            }),
            (None, None) => None,
        };
        let keytab = match c.get(keys::KEYTAB) {
            Some(path) if !path.starts_with("local:") => Some((
                file_name(path),
                conf.inputs.file_bytes(keys::KEYTAB, path)?.to_vec(),
            )),
            _ => None,
        };
        let token_secret = match (
            c.get(keys::KERBEROS_TOKEN_SECRET_NAME),
            c.get(keys::KERBEROS_TOKEN_SECRET_ITEM_KEY),
        ) {
            (Some(n), Some(k)) => Some((n.to_owned(), k.to_owned())),
            _ => None,
        };
        Ok(KerberosConfDriverFeatureStep {
            prefix: conf.resource_name_prefix.clone(),
            krb5,
            keytab,
            token_secret,
        })
    }

    fn krb5_config_map_name(&self) -> String {
        format!("{}-krb5-file", self.prefix)
    }

    fn keytab_secret_name(&self) -> String {
        format!("{}-kerberos-keytab", self.prefix)
    }
}

impl FeatureStep for KerberosConfDriverFeatureStep {
    fn name(&self) -> &'static str {
        "KerberosConfDriverFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        if let Some(krb5) = &self.krb5 {
            let source = match krb5 {
                Krb5::ConfigMap(name) => ConfigMapVolumeSource {
                    name: name.clone(),
                    ..ConfigMapVolumeSource::default()
                },
                Krb5::File { name, .. } => ConfigMapVolumeSource {
                    name: self.krb5_config_map_name(),
                    items: Some(vec![KeyToPath {
                        key: name.clone(),
                        path: name.clone(),
                        mode: None,
                    }]),
                    ..ConfigMapVolumeSource::default()
                },
            };
            p.add_volume(Volume {
                name: KRB_FILE_VOLUME.into(),
                config_map: Some(source),
                ..Volume::default()
            });
            p.add_volume_mount(VolumeMount {
                name: KRB_FILE_VOLUME.into(),
                mount_path: "/etc/krb5.conf".into(),
                sub_path: Some("krb5.conf".into()),
                ..VolumeMount::default()
            });
        }
        if self.keytab.is_some() {
            p.add_volume(secret_volume(
                KERBEROS_KEYTAB_VOLUME,
                &self.keytab_secret_name(),
            ));
            p.add_volume_mount(pod::mount(
                KERBEROS_KEYTAB_VOLUME,
                KERBEROS_KEYTAB_MOUNT_POINT,
            ));
        } else if let Some((name, item)) = &self.token_secret {
            p.add_volume(secret_volume(HADOOP_SECRET_VOLUME, name));
            p.add_volume_mount(pod::mount(
                HADOOP_SECRET_VOLUME,
                HADOOP_CREDENTIALS_BASE_DIR,
            ));
            p.add_env([pod::env(
                "HADOOP_TOKEN_FILE_LOCATION",
                format!("{HADOOP_CREDENTIALS_BASE_DIR}/{item}"),
            )]);
        }
        Ok(())
    }

    fn system_properties(&self) -> Vec<(String, String)> {
        self.keytab
            .iter()
            .map(|(name, _)| {
                (
                    keys::KEYTAB.into(),
                    format!("{KERBEROS_KEYTAB_MOUNT_POINT}/{name}"),
                )
            })
            .collect()
    }

    fn additional_resources(&self) -> Vec<Resource> {
        let mut out = Vec::new();
        if let Some(Krb5::File { name, text }) = &self.krb5 {
            out.push(Resource::ConfigMap(ConfigMap {
                metadata: ObjectMeta {
                    name: Some(self.krb5_config_map_name()),
                    ..ObjectMeta::default()
                },
                immutable: Some(true),
                data: Some(BTreeMap::from([(name.clone(), text.clone())])),
                ..ConfigMap::default()
            }));
        }
        if let Some((name, bytes)) = &self.keytab {
            out.push(Resource::Secret(Secret {
                metadata: ObjectMeta {
                    name: Some(self.keytab_secret_name()),
                    ..ObjectMeta::default()
                },
                immutable: Some(true),
                data: Some(BTreeMap::from([(name.clone(), ByteString(bytes.clone()))])),
                ..Secret::default()
            }));
        }
        out
    }
}

fn secret_volume(name: &str, secret: &str) -> Volume {
    Volume {
        name: name.into(),
        secret: Some(SecretVolumeSource {
            secret_name: Some(secret.into()),
            ..SecretVolumeSource::default()
        }),
        ..Volume::default()
    }
}

/// The fields this step sets are attributed to the step, without more detail.
impl Explain for KerberosConfDriverFeatureStep {
    fn explain(&self, _field: &str, _ctx: &ExplainContext<'_>) -> Source {
        Source::rule(self.name(), "")
    }
}
