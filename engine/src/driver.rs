//! The driver side of a submission: Spark 3.5's `KubernetesDriverBuilder` (the feature steps in
//! Spark's order) followed by what `Client.run` adds before it calls the API server — the
//! spark-conf ConfigMap, its volume and mount, `SPARK_CONF_DIR`, the Spark container placed
//! after any other containers, and ownerReferences to the driver pod.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, ConfigMapVolumeSource, KeyToPath, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::conf::{keys, properties, SparkConf};
use crate::constants::{SPARK_CONF_DIR_INTERNAL, SPARK_CONF_FILE_NAME, SPARK_CONF_VOLUME_DRIVER};
use crate::error::{Error, Result};
use crate::features::ExplainContext;
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
    mount_volumes_feature_step::{
        parse_volumes, MountVolumesFeatureStep, VolumeOwner, USE_LEGACY_PVC_ACCESS_MODE,
    },
    pod_template_config_map_step::PodTemplateConfigMapStep,
    FeatureStep,
};
use crate::java;
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::names;
use crate::pod::{self, SparkPod};
use crate::provenance::{FieldSource, PodRecorder, Source};
use crate::submit::Submission;
use crate::version::SparkVersion;
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
    "spark.kubernetes.driver.pod.featureSteps",
    "user feature steps (they are JVM classes)",
)];

/// Refuses a conf that sets one of `unsupported`'s keys (`(key or prefix ending in '.',
/// feature)`) to a non-empty value (an empty value leaves the feature off in Spark too).
pub(crate) fn refuse_keys(conf: &SparkConf, unsupported: &[(&str, &str)]) -> Result<()> {
    for (key, _) in conf.iter().filter(|(_, v)| !v.trim().is_empty()) {
        for (pattern, feature) in unsupported {
            let hit = if pattern.ends_with('.') {
                key.starts_with(pattern)
            } else {
                key == *pattern
            };
            if hit {
                return Err(Error::Unsupported {
                    key: key.to_owned(),
                    feature: (*feature).to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The executor pod template the conf names: the path as given, and its text.
pub(crate) fn executor_template(
    conf: &SparkConf,
    inputs: &RenderInputs,
) -> Result<Option<(String, String)>> {
    conf.get(keys::EXECUTOR_POD_TEMPLATE_FILE)
        .map(|path| {
            let text = inputs.file_text(keys::EXECUTOR_POD_TEMPLATE_FILE, path)?;
            Ok((path.to_owned(), text.to_owned()))
        })
        .transpose()
}

fn refuse_unsupported(conf: &SparkConf) -> Result<()> {
    refuse_keys(conf, UNSUPPORTED)?;
    let has_credentials = conf.contains(keys::KEYTAB)
        || conf.contains(crate::features::kerberos_conf_driver_feature_step::TOKEN_SECRET_NAME);
    if conf.get("spark.hadoop.hadoop.security.authentication") == Some("kerberos")
        && !has_credentials
    {
        return Err(Error::Unsupported {
            key: "spark.hadoop.hadoop.security.authentication".into(),
            feature: "delegation tokens obtained from the submitter's Kerberos login".into(),
        });
    }
    Ok(())
}

/// The pod a role starts from: its pod template (`template`: the path as the conf names it and
/// the text; conf key `template_key`) with the Spark container picked out (named by
/// `container_name`), or an empty pod. Template fields Kubernetes does not know are warnings,
/// or errors when `strict`.
pub(crate) fn initial_pod(
    template: Option<(&str, &str)>,
    template_key: &str,
    container_name: Option<&str>,
    namespace: &str,
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<SparkPod> {
    let Some((path, text)) = template else {
        return Ok(SparkPod::initial());
    };
    let template = crate::template::parse(text, template_key, path)?;
    if let Some(ns) = template.pod.metadata.namespace.as_deref() {
        if !ns.is_empty() && ns != namespace {
            return Err(Error::InvalidValue {
                key: template_key.into(),
                value: path.into(),
                reason: format!(
                    "the template sets metadata.namespace={ns}, but Spark creates the pod in {}={namespace}; the API server refuses a pod whose namespace differs from the request's",
                    keys::NAMESPACE
                ),
            });
        }
    }
    if let Some(field) = template.unknown_fields.first() {
        if strict {
            return Err(Error::InvalidValue {
                key: template_key.into(),
                value: path.into(),
                reason: format!("field {field} is not a field of a Kubernetes Pod"),
            });
        }
    }
    for field in &template.unknown_fields {
        let w = format!(
            "pod template {path} ({template_key}): field {field} is not a field of a Kubernetes Pod; it is dropped"
        );
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let (pod, warning) = crate::template::select_spark_container(template, container_name);
    if let Some(w) = warning {
        let w = format!("pod template {path}: {w}");
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    Ok(pod)
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

/// Where the initial pod's fields come from: the template file, or nothing.
pub(crate) fn template_source(file: Option<&str>) -> impl Fn(&str) -> Source + '_ {
    move |path: &str| match file {
        Some(file) => Source::Template {
            file: file.to_owned(),
            path: match path.strip_prefix("container.") {
                Some(rest) => format!("the Spark container's {rest}"),
                None => path.strip_prefix("pod.").unwrap_or(path).to_owned(),
            },
        },
        None => Source::rule("SparkPod.initialPod", "an empty pod"),
    }
}

/// Explains the fields of objects made whole by a step, after the client added its
/// namespace and ownerReferences.
pub(crate) fn explain_objects<'a>(
    made: impl IntoIterator<Item = (&'a Resource, &'static str)>,
    conf: &SparkConf,
) -> Vec<FieldSource> {
    made.into_iter()
        .flat_map(|(object, step)| {
            let mut fields = crate::provenance::whole_object(
                object,
                &Source::rule(step, format!("{} created by this step", object.kind())),
            );
            for f in &mut fields {
                if f.field == "metadata.namespace" {
                    f.source = match conf.get(keys::NAMESPACE) {
                        Some(v) => Source::conf(keys::NAMESPACE, v),
                        None => Source::Default {
                            detail: "namespace default".into(),
                        },
                    };
                } else if f.field.starts_with("metadata.ownerReferences") {
                    f.source = Source::Input {
                        name: "driver-uid (owned by the driver pod)".into(),
                    };
                }
            }
            fields
        })
        .collect()
}

/// Builds the driver pod and its objects for a prepared submission.
pub fn build(
    submission: &Submission,
    inputs: &RenderInputs,
    version: SparkVersion,
    options: BuildOptions,
) -> Result<DriverSpec> {
    let strict = options.strict;
    refuse_unsupported(&submission.conf)?;
    let conf = DriverConf::new(&submission.conf, &submission.app, inputs, version);

    // Spark parses the executors' volumes here too, to refuse a bad conf before submitting.
    parse_volumes(
        &conf.prefixed_borrowed(keys::EXECUTOR_VOLUMES_PREFIX),
        keys::EXECUTOR_VOLUMES_PREFIX,
    )?;
    let basic = BasicDriverFeatureStep::new(&conf)?;
    let pod_name = basic.pod_name().to_owned();
    let steps: Vec<Box<dyn FeatureStep>> = vec![
        Box::new(basic),
        Box::new(DriverKubernetesCredentialsFeatureStep::new(&conf)?),
        Box::new(DriverServiceFeatureStep::new(&conf)?),
        Box::new(MountSecretsFeatureStep::new(
            conf.prefixed(keys::DRIVER_SECRETS_PREFIX),
        )),
        Box::new(EnvSecretsFeatureStep::new(
            conf.prefixed(keys::DRIVER_SECRET_KEY_REF_PREFIX),
            keys::DRIVER_SECRET_KEY_REF_PREFIX,
        )?),
        Box::new(MountVolumesFeatureStep::new(
            &parse_volumes(
                &conf.prefixed_borrowed(keys::DRIVER_VOLUMES_PREFIX),
                keys::DRIVER_VOLUMES_PREFIX,
            )?,
            &VolumeOwner::Driver,
            &conf.resource_name_prefix,
            conf.app_id(),
            conf.conf
                .get_bool(USE_LEGACY_PVC_ACCESS_MODE)?
                .unwrap_or(true),
        )),
        Box::new(DriverCommandFeatureStep::new(&conf)?),
        Box::new(HadoopConfDriverFeatureStep::new(&conf)?),
        Box::new(KerberosConfDriverFeatureStep::new(&conf)?),
        Box::new(PodTemplateConfigMapStep::new(&conf)?),
        Box::new(LocalDirsFeatureStep::for_driver(&conf)?),
    ];

    let mut warnings = Vec::new();
    let template = match conf.conf.get(keys::DRIVER_POD_TEMPLATE_FILE) {
        Some(path) => Some((
            path,
            inputs.file_text(keys::DRIVER_POD_TEMPLATE_FILE, path)?,
        )),
        None => None,
    };
    let mut spark_pod = initial_pod(
        template,
        keys::DRIVER_POD_TEMPLATE_FILE,
        conf.conf.get(keys::DRIVER_POD_TEMPLATE_CONTAINER_NAME),
        conf.namespace(),
        strict,
        &mut warnings,
    )?;
    let mut recorder = options.explain.then(|| {
        PodRecorder::start(
            &spark_pod,
            template_source(conf.conf.get(keys::DRIVER_POD_TEMPLATE_FILE)),
        )
    });
    let mut system_properties = conf.conf.clone();
    // The driver service, the pod template ConfigMap, Hadoop and Kerberos objects, then the
    // spark-conf ConfigMap, each with the step that made it; the pod goes in front at the end.
    let mut objects: Vec<Resource> = Vec::new();
    let mut made_by: Vec<&'static str> = Vec::new();
    for step in &steps {
        step.configure_pod(&mut spark_pod)?;
        for (k, v) in step.system_properties() {
            system_properties.set(k, v);
        }
        for resource in step.additional_resources() {
            objects.push(resource);
            made_by.push(step.name());
        }
        if let Some(r) = recorder.as_mut() {
            r.record(&spark_pod, |field, fields| {
                step.explain(
                    field,
                    &ExplainContext {
                        fields,
                        conf: conf.conf,
                    },
                )
            });
        }
    }

    let executor_template = executor_template(&submission.conf, inputs)?;

    // Client.run: the spark-conf ConfigMap and its volume.
    let namespace = conf.namespace().to_owned();
    let conf_map_name = names::driver_conf_map_name(&inputs.unique_id);
    let properties_text = properties::store(
        &format!("Java properties built from Kubernetes config map with name: {conf_map_name}"),
        &properties_date(conf.conf, inputs)?,
        system_properties.iter(),
    );
    crate::conf_files::max_size(conf.conf)?;
    let (shipped_files, file_warnings) = match &inputs.env.conf_dir_files {
        Some(files) => crate::conf_files::select(files, conf.conf)?,
        None => (BTreeMap::new(), Vec::new()),
    };
    warnings.extend(file_warnings);
    let mut conf_files = shipped_files.clone();
    conf_files.insert(SPARK_CONF_FILE_NAME.to_owned(), properties_text);
    let items = conf_files
        .keys()
        .map(|file| KeyToPath {
            key: file.clone(),
            mode: Some(420),
            path: file.clone(),
        })
        .collect();

    spark_pod.add_env([pod::env("SPARK_CONF_DIR", SPARK_CONF_DIR_INTERNAL)]);
    spark_pod.add_volume_mount(pod::mount(
        SPARK_CONF_VOLUME_DRIVER,
        SPARK_CONF_DIR_INTERNAL,
    ));
    spark_pod.add_volume(Volume {
        name: SPARK_CONF_VOLUME_DRIVER.into(),
        config_map: Some(ConfigMapVolumeSource {
            name: conf_map_name.clone(),
            items: Some(items),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    });
    if let Some(r) = recorder.as_mut() {
        r.record(&spark_pod, |_, _| {
            Source::rule(
                "Client",
                "the spark-conf ConfigMap, mounted at /opt/spark/conf",
            )
        });
    }
    let SparkPod {
        pod: mut driver_pod,
        container,
    } = spark_pod;
    let spark_index = driver_pod.spec.as_ref().map_or(0, |s| s.containers.len());
    driver_pod
        .spec
        .get_or_insert_with(Default::default)
        .containers
        .push(container);

    let mut data = conf_files;
    data.insert(keys::NAMESPACE.to_owned(), namespace.clone());
    objects.push(Resource::ConfigMap(ConfigMap {
        metadata: ObjectMeta {
            name: Some(conf_map_name),
            ..ObjectMeta::default()
        },
        immutable: Some(true),
        data: Some(data),
        ..ConfigMap::default()
    }));
    made_by.push("Client");

    let mut explanations = Vec::new();
    if let Some(r) = recorder {
        explanations = r.finish(&format!("Pod/{pod_name}"), spark_index);
        explanations.push(FieldSource {
            object: format!("Pod/{pod_name}"),
            field: "metadata.namespace".into(),
            value: serde_json::Value::String(namespace.clone()),
            source: match conf.conf.get(keys::NAMESPACE) {
                Some(v) => Source::conf(keys::NAMESPACE, v),
                None => Source::Default {
                    detail: "namespace default".into(),
                },
            },
        });
    }
    // Every object carries its namespace, so that `kubectl apply -f -` puts them together
    // whatever the current context's namespace is.
    for resource in &mut objects {
        let metadata = resource.metadata_mut();
        if let Some(uid) = &inputs.driver_uid {
            metadata
                .owner_references
                .get_or_insert_with(Vec::new)
                .push(pod::owner_reference_to_pod(&pod_name, uid));
        }
        metadata.namespace = Some(namespace.clone());
    }
    if options.explain {
        explanations.extend(explain_objects(
            objects.iter().zip(made_by.iter().copied()),
            conf.conf,
        ));
    }
    driver_pod.metadata.namespace = Some(namespace);
    objects.insert(0, Resource::Pod(driver_pod));

    Ok(DriverSpec {
        objects,
        spark_properties: system_properties,
        pod_name,
        conf_files: shipped_files,
        executor_template,
        explanations,
        warnings,
    })
}

/// The date line of the driver's `spark.properties`: the submit time (`spark.app.submitTime`
/// when it is a number), as `java.util.Date` prints it.
fn properties_date(conf: &SparkConf, inputs: &RenderInputs) -> Result<String> {
    let given = conf.get(keys::APP_SUBMIT_TIME);
    let millis = given
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(inputs.submit_time_ms);
    java::date_to_string_utc(millis).ok_or_else(|| {
        Error::invalid(
            keys::APP_SUBMIT_TIME,
            given.unwrap_or_default(),
            "spark-render prints dates between the years -9999 and 9999 only",
        )
    })
}
