//! Spark's `KubernetesDriverBuilder` and `KubernetesExecutorBuilder` share
//! `buildFromFeatures`: each feature step, in order, configures the pod and may add system
//! properties and objects. [`build_from_features`] is that loop, for both roles.

use crate::conf::SparkConf;
use crate::error::{Error, Result};
use crate::features::{ExplainContext, FeatureStep};
use crate::manifest::Resource;
use crate::pod::SparkPod;
use crate::provenance::PodRecorder;

/// What the feature steps made of the initial pod.
pub(crate) struct Built {
    /// The pod, its Spark container still apart.
    pub pod: SparkPod,
    /// The system properties the steps add (the driver's `spark.properties`), in order.
    pub system_properties: Vec<(String, String)>,
    /// The objects the steps create beside the pod, each with the step that made it.
    pub resources: Vec<(Resource, &'static str)>,
    /// Where each field came from, when recorded.
    pub recorder: Option<PodRecorder>,
}

/// Applies `steps` in order to `pod` (`buildFromFeatures`); `recorder`, when given, attributes
/// each field a step sets or changes to that step.
pub(crate) fn build_from_features(
    mut pod: SparkPod,
    steps: &[Box<dyn FeatureStep>],
    conf: &SparkConf,
    mut recorder: Option<PodRecorder>,
) -> Result<Built> {
    let mut system_properties = Vec::new();
    let mut resources = Vec::new();
    for step in steps {
        step.configure_pod(&mut pod)?;
        system_properties.extend(step.system_properties());
        resources.extend(
            step.additional_resources()
                .into_iter()
                .map(|r| (r, step.name())),
        );
        if let Some(r) = recorder.as_mut() {
            r.record(&pod, |field, fields| {
                step.explain(field, &ExplainContext { fields, conf })
            });
        }
    }
    Ok(Built {
        pod,
        system_properties,
        resources,
        recorder,
    })
}

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
