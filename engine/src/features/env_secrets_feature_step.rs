//! `EnvSecretsFeatureStep`: `spark.kubernetes.driver.secretKeyRef.ENV=SECRET:KEY` sets `ENV`
//! from key `KEY` of Secret `SECRET`.

use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, SecretKeySelector};

use crate::error::{Error, Result};
use crate::features::ExplainContext;
use crate::features::{Explain, FeatureStep};
use crate::kubernetes_conf::KubernetesConf;
use crate::pod::SparkPod;
use crate::provenance::Source;

/// The env-secrets step.
#[derive(Debug, Clone)]
pub struct EnvSecretsFeatureStep {
    refs: Vec<(String, String, String)>,
    prefix: String,
}

impl EnvSecretsFeatureStep {
    /// The role's env vars from secrets (`secretEnvNamesToKeyRefs`): env names to
    /// `secret:key` references, in Spark's order. A reference not of the form `name:key` is
    /// refused, as Spark does.
    pub fn new(conf: &impl KubernetesConf) -> Result<Self> {
        let prefix = conf.secret_key_ref_prefix();
        let refs = conf
            .secret_env_names_to_key_refs()
            .into_iter()
            .map(|(env, reference)| {
                // Java's split(":") drops trailing empty parts.
                let mut parts: Vec<&str> = reference.split(':').collect();
                while parts.len() > 1 && parts.last() == Some(&"") {
                    parts.pop();
                }
                match parts.as_slice() {
                    [name, key] => Ok((env, (*name).to_owned(), (*key).to_owned())),
                    _ => Err(Error::invalid(
                        &format!("{prefix}{env}"),
                        &reference,
                        "a secret key reference must be in the form name:key",
                    )),
                }
            })
            .collect::<Result<_>>()?;
        Ok(EnvSecretsFeatureStep {
            refs,
            prefix: prefix.to_owned(),
        })
    }
}

impl FeatureStep for EnvSecretsFeatureStep {
    fn name(&self) -> &'static str {
        "EnvSecretsFeatureStep"
    }

    fn configure_pod(&self, p: &mut SparkPod) -> Result<()> {
        p.add_env(self.refs.iter().map(|(env, name, key)| EnvVar {
            name: env.clone(),
            value: None,
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    key: key.clone(),
                    name: name.clone(),
                    optional: None,
                }),
                ..EnvVarSource::default()
            }),
        }));
        Ok(())
    }
}

impl Explain for EnvSecretsFeatureStep {
    fn explain(&self, field: &str, ctx: &ExplainContext<'_>) -> Source {
        crate::provenance::env_name(field, ctx.fields)
            .and_then(|name| ctx.prefixed(&self.prefix, name))
            .unwrap_or_else(|| Source::rule(self.name(), ""))
    }
}
