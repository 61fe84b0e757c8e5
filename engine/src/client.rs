//! What Spark's `Client.run` adds to the driver pod the feature steps built, before it calls
//! the API server: the spark-conf ConfigMap (the driver's `spark.properties` and the shipped
//! conf-dir files), its volume and mount, `SPARK_CONF_DIR`, the Spark container placed after
//! any other containers, ownerReferences to the driver pod and every object's namespace.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, ConfigMapVolumeSource, KeyToPath, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::conf::{properties, SparkConf};
use crate::config::keys;
use crate::constants::{SPARK_CONF_DIR_INTERNAL, SPARK_CONF_FILE_NAME, SPARK_CONF_VOLUME_DRIVER};
use crate::error::{Error, Result};
use crate::inputs::RenderInputs;
use crate::java;
use crate::kubernetes_conf::DriverConf;
use crate::manifest::Resource;
use crate::names;
use crate::pod::{self, SparkPod};
use crate::provenance::{explain_objects, FieldSource, PodRecorder, Source};

/// The objects `Client.run` creates: the driver pod first.
pub(crate) struct Created {
    /// The driver pod, then the steps' objects, then the spark-conf ConfigMap.
    pub objects: Vec<Resource>,
    /// Where each field comes from, when recorded.
    pub explanations: Vec<FieldSource>,
    /// The conf-dir files shipped in the spark-conf ConfigMap.
    pub shipped_files: BTreeMap<String, String>,
    /// Notes about the conf-dir files left out.
    pub warnings: Vec<String>,
}

/// `Client.run`: the spark-conf ConfigMap for `spark_properties` and the conf-dir files, mounted
/// into `spark_pod`; then the pod and the steps' `resources`, owned by the pod and placed in
/// the namespace.
pub(crate) fn run(
    conf: &DriverConf<'_>,
    pod_name: &str,
    mut spark_pod: SparkPod,
    resources: Vec<(Resource, &'static str)>,
    mut recorder: Option<PodRecorder>,
    spark_properties: &SparkConf,
) -> Result<Created> {
    let inputs = conf.inputs;
    let (mut objects, mut made_by): (Vec<Resource>, Vec<&'static str>) =
        resources.into_iter().unzip();
    let explain = recorder.is_some();
    let namespace = conf.namespace().to_owned();
    let conf_map_name = names::driver_conf_map_name(&inputs.unique_id);
    let properties_text = properties::store(
        conf.version.release().scala(),
        &format!("Java properties built from Kubernetes config map with name: {conf_map_name}"),
        &properties_date(conf.conf, inputs)?,
        spark_properties.iter(),
    );
    crate::conf_files::max_size(conf.conf)?;
    let (shipped_files, file_warnings) = match &inputs.env.conf_dir_files {
        Some(files) => crate::conf_files::select(files, conf.conf)?,
        None => (BTreeMap::new(), Vec::new()),
    };
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
    let (mut driver_pod, spark_index) = spark_pod.into_pod();

    let mut data = conf_files;
    data.insert(keys::NAMESPACE.key.to_owned(), namespace.clone());
    objects.push(Resource::ConfigMap(ConfigMap {
        metadata: ObjectMeta {
            name: Some(conf_map_name),
            labels: conf
                .version
                .release()
                .sends_empty_maps()
                .then(BTreeMap::new),
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
            source: match conf.conf.get(keys::NAMESPACE.key) {
                Some(v) => Source::conf(keys::NAMESPACE.key, v),
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
                .push(pod::owner_reference_to_pod(pod_name, uid));
        }
        metadata.namespace = Some(namespace.clone());
    }
    let mut made: Vec<(Resource, &'static str)> = objects.into_iter().zip(made_by).collect();
    if conf.version.release().sorts_driver_resources() {
        // fabric8 5's `KubernetesList` sends them sorted (`HasMetadataComparator`); stable.
        made.sort_by(|(a, _), (b, _)| {
            (kind_rank(a.kind()), a.kind(), a.metadata().name.as_deref()).cmp(&(
                kind_rank(b.kind()),
                b.kind(),
                b.metadata().name.as_deref(),
            ))
        });
    }
    if explain {
        explanations.extend(explain_objects(
            made.iter().map(|(o, by)| (o, *by)),
            conf.conf,
        ));
    }
    let mut objects: Vec<Resource> = made.into_iter().map(|(o, _)| o).collect();
    driver_pod.metadata.namespace = Some(namespace);
    objects.insert(0, Resource::Pod(driver_pod));

    Ok(Created {
        objects,
        explanations,
        shipped_files,
        warnings: file_warnings,
    })
}

/// fabric8 5's `HasMetadataComparator` rank of a kind (kinds it does not name come last).
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "Secret" => 12,
        "ServiceAccount" => 13,
        "Service" => 15,
        "PersistentVolumeClaim" => 21,
        _ => 100,
    }
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
