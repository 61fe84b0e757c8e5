//! The driver side of a submission: Spark 3.5's `KubernetesDriverBuilder` (the feature steps in
//! Spark's order) followed by what `Client.run` adds before it calls the API server — the
//! spark-conf ConfigMap, its volume and mount, `SPARK_CONF_DIR`, the Spark container placed
//! after any other containers, and ownerReferences to the driver pod.

use std::collections::BTreeMap;

use crate::client_factory::{check_credentials, Client};
use crate::builder::{build_from_features, refuse_keys};
use crate::client;
use crate::conf::SparkConf;
use crate::config::keys;
use crate::error::{Error, Result};
use crate::features::{
    basic_driver_feature_step::BasicDriverFeatureStep,
    driver_command_feature_step::DriverCommandFeatureStep,
    driver_kubernetes_credentials_feature_step::DriverKubernetesCredentialsFeatureStep,
    driver_service_feature_step::DriverServiceFeatureStep,
    env_secrets_feature_step::EnvSecretsFeatureStep,
    hadoop_conf_driver_feature_step::HadoopConfDriverFeatureStep,
    kerberos_conf_driver_feature_step::KerberosConfDriverFeatureStep,
    local_dirs_feature_step::LocalDirsFeatureStep,
    mount_secrets_feature_step::MountSecretsFeatureStep,
    mount_volumes_feature_step::MountVolumesFeatureStep,
    network_policy_feature_step::NetworkPolicyFeatureStep,
    pod_template_config_map_step::PodTemplateConfigMapStep,
    FeatureStep,
};
use crate::k8s_utils::{executor_template, initial_pod, template_source};
use crate::kubernetes_conf::{DriverConf, KubernetesConf};
use crate::manifest::Resource;
use crate::provenance::{FieldSource, PodRecorder};
use crate::submit::Submission;
use crate::version::SparkVersion;
use crate::volume_utils::parse_volumes;
use crate::RenderInputs;

/// What the driver side of a submission creates.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DriverSpec {
    /// The driver pod, then its other objects in the order Spark creates them (Service,
    /// Secrets, ConfigMaps, the spark-conf ConfigMap last).
    pub objects: Vec<Resource>,
    /// The driver's `spark.properties`: the submitted conf plus the steps' system properties.
    pub spark_properties: SparkConf,
    /// The driver pod's name.
    pub pod_name: String,
    /// The executor pod template the driver carries: the path the user gave, and its text.
    pub executor_template: Option<(String, String)>,
    /// Where each field comes from, when asked for.
    pub explanations: Vec<FieldSource>,
    /// The conf-dir files shipped in the spark-conf ConfigMap (executors get them too).
    pub conf_files: BTreeMap<String, String>,
    /// Notes for the user.
    pub warnings: Vec<String>,
}

impl DriverSpec {
    /// The last value of env var `name` in the driver container (what the driver process
    /// sees: later duplicates win).
    pub fn container_env(&self, name: &str) -> Option<String> {
        let spec = self.pod()?.spec.as_ref()?;
        let container = spec.containers.last()?;
        container
            .env
            .iter()
            .flatten()
            .rev()
            .find(|e| e.name == name)
            .and_then(|e| e.value.clone())
    }

    /// The driver pod.
    pub fn pod(&self) -> Option<&k8s_openapi::api::core::v1::Pod> {
        self.objects.iter().find_map(|o| match o {
            Resource::Pod(p) => Some(p),
            _ => None,
        })
    }
}

/// Conf keys whose features spark-render does not model yet: refused, never ignored.
const UNSUPPORTED: &[(&str, &str)] = &[(
    keys::DRIVER_POD_FEATURE_STEPS,
    "user feature steps (they are JVM classes)",
)];

fn refuse_unsupported(conf: &SparkConf, release: crate::version::Release) -> Result<()> {
    refuse_keys(conf, UNSUPPORTED)?;
    if release.reads_excluded_feature_steps() {
        refuse_keys(
            conf,
            &[(
                keys::DRIVER_POD_EXCLUDED_FEATURE_STEPS,
                "excluding feature steps (Spark 4.1+)",
            )],
        )?;
    }
    let has_credentials =
        conf.contains(keys::KEYTAB) || conf.contains(keys::KERBEROS_TOKEN_SECRET_NAME);
    if conf.get(keys::HADOOP_SECURITY_AUTHENTICATION) == Some("kerberos") && !has_credentials {
        return Err(Error::Unsupported {
            key: keys::HADOOP_SECURITY_AUTHENTICATION.into(),
            feature: "delegation tokens obtained from the submitter's Kerberos login".into(),
        });
    }
    Ok(())
}

/// How to build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuildOptions {
    /// Refuse pod template fields Kubernetes does not know.
    pub strict: bool,
    /// Record where every field comes from.
    pub explain: bool,
}

/// Builds the driver pod and its objects for a prepared submission.
pub fn build(
    submission: &Submission,
    inputs: &RenderInputs,
    version: SparkVersion,
    options: BuildOptions,
) -> Result<DriverSpec> {
    let strict = options.strict;
    refuse_unsupported(&submission.conf, version.release())?;
    let conf = DriverConf::new(&submission.conf, &submission.app, inputs, version);

    // Spark parses the executors' volumes here too, to refuse a bad conf before submitting.
    parse_volumes(
        &conf.prefixed_borrowed(keys::EXECUTOR_VOLUMES_PREFIX),
        keys::EXECUTOR_VOLUMES_PREFIX,
        version.release(),
    )?;
    // spark-submit creates its Kubernetes client before it builds the driver.
    check_credentials(&submission.conf, Client::Submission)?;
    let basic = BasicDriverFeatureStep::new(&conf)?;
    let pod_name = basic.pod_name().to_owned();
    let mut steps: Vec<Box<dyn FeatureStep>> = vec![
        Box::new(basic),
        Box::new(DriverKubernetesCredentialsFeatureStep::new(&conf)?),
        Box::new(DriverServiceFeatureStep::new(&conf)?),
    ];
    if version.release().creates_network_policy() {
        steps.push(Box::new(NetworkPolicyFeatureStep::new(&conf)));
    }
    steps.extend::<[Box<dyn FeatureStep>; 8]>([
        Box::new(MountSecretsFeatureStep::new(&conf)),
        Box::new(EnvSecretsFeatureStep::new(&conf)?),
        Box::new(MountVolumesFeatureStep::new(&conf)?),
        Box::new(DriverCommandFeatureStep::new(&conf)?),
        Box::new(HadoopConfDriverFeatureStep::new(&conf)?),
        Box::new(KerberosConfDriverFeatureStep::new(&conf)?),
        Box::new(PodTemplateConfigMapStep::new(&conf)?),
        Box::new(LocalDirsFeatureStep::new(&conf)?),
    ]);

    let mut warnings = Vec::new();
    let template_text = match conf.conf.get(keys::DRIVER_POD_TEMPLATE_FILE) {
        Some(path) => Some((
            path,
            crate::template::decode(
                inputs.file_bytes(keys::DRIVER_POD_TEMPLATE_FILE, path)?,
                keys::DRIVER_POD_TEMPLATE_FILE,
                path,
            )?,
        )),
        None => None,
    };
    let template = template_text
        .as_ref()
        .map(|(path, text)| (*path, text.as_str()));
    let spark_pod = initial_pod(
        template,
        keys::DRIVER_POD_TEMPLATE_FILE,
        conf.conf.get(keys::DRIVER_POD_TEMPLATE_CONTAINER_NAME),
        conf.namespace(),
        strict,
        version.release(),
        &mut warnings,
    )?;
    let recorder = options.explain.then(|| {
        PodRecorder::start(
            &spark_pod,
            template_source(conf.conf.get(keys::DRIVER_POD_TEMPLATE_FILE)),
        )
    });
    let built = build_from_features(spark_pod, &steps, conf.conf, recorder)?;
    let mut spark_properties = conf.conf.clone();
    for (k, v) in built.system_properties {
        spark_properties.set(k, v);
    }
    let executor_template = executor_template(&submission.conf, inputs)?;
    let created = client::run(
        &conf,
        &pod_name,
        built.pod,
        built.resources,
        built.recorder,
        &spark_properties,
    )?;
    warnings.extend(created.warnings);
    Ok(DriverSpec {
        objects: created.objects,
        spark_properties,
        pod_name,
        conf_files: created.shipped_files,
        executor_template,
        explanations: created.explanations,
        warnings,
    })
}
