//! kubeflow/spark-operator (`sparkoperator.k8s.io/v1beta2`): how the operator turns a
//! `SparkApplication` into a spark-submit command line and patches the pods Spark creates.
//!
//! The pipeline, as the operator runs it:
//! 1. admission: the `SparkApplication` webhook's defaults ([`defaults`]) and validation
//!    ([`validate`]);
//! 2. the controller draws the submission id, configures the UI and Prometheus monitoring
//!    ([`web_ui::configure`], [`monitoring::configure`]) and builds spark-submit's arguments
//!    ([`submission::build_spark_submit_args`]), writing the pod templates;
//! 3. spark-submit, from the Spark in the operator's image, creates the driver's objects;
//!    the driver, from the application image's Spark, creates the executors;
//! 4. the pod webhook patches every Spark pod ([`webhook::mutate_spark_pod`]);
//! 5. the controller creates the UI objects ([`web_ui::objects`]).

pub mod defaults;
pub mod go_quantity;
mod go_url;
mod go_yaml;
pub mod lint;
mod md5;
pub mod monitoring;
mod prometheus_defaults;
pub mod semver;
pub mod spec;
pub mod submission;
pub mod validate;
pub mod web_ui;
pub mod webhook;

use crate::manifest::Resource;
use spec::SparkApplication;
use submission::{Context, SubmitCommand};

/// A refusal or failure of the operator, in its own words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OperatorError(pub String);

/// A kubeflow/spark-operator release spark-render models, and what its code does differently
/// (each decision names the release that changed it). v2.4.0 is the oldest: before it the
/// webhook defaulted applications with other code, wrote only the templates given, and passed
/// Kueue's labels on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorRelease {
    /// Its tag, e.g. `v2.5.2`.
    pub name: &'static str,
    /// The Spark of its image (`ARG SPARK_IMAGE` in its `Dockerfile`), which runs
    /// spark-submit and so builds the driver's objects.
    pub spark: &'static str,
    /// v2.5.0: the `<app>-prom-conf` ConfigMap is labelled as created by the operator.
    pub labels_prometheus_config_map: bool,
    /// v2.5.1: an emptyDir `spark-local-dir-*` volume's medium is passed to Spark.
    pub passes_empty_dir_medium: bool,
    /// v2.5.2 (#3043): the webhook refuses `sparkConf` keys the operator manages, and a
    /// namespace other than the application's.
    pub denies_spark_conf_keys: bool,
}

/// The modelled releases, oldest first. Their Spark, from each tag's `Dockerfile`: 4.0.0
/// (v2.4.0), 4.0.1 (v2.5.0, v2.5.1), 4.0.4 (v2.5.2).
pub const RELEASES: &[OperatorRelease] = &[
    OperatorRelease {
        name: "v2.4.0",
        spark: "4.0.0",
        labels_prometheus_config_map: false,
        passes_empty_dir_medium: false,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.5.0",
        spark: "4.0.1",
        labels_prometheus_config_map: true,
        passes_empty_dir_medium: false,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.5.1",
        spark: "4.0.1",
        labels_prometheus_config_map: true,
        passes_empty_dir_medium: true,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.5.2",
        spark: "4.0.4",
        labels_prometheus_config_map: true,
        passes_empty_dir_medium: true,
        denies_spark_conf_keys: true,
    },
];

impl OperatorRelease {
    /// The latest modelled release.
    pub fn latest() -> OperatorRelease {
        RELEASES[RELEASES.len() - 1]
    }

    /// The release tagged `name` (`v` optional).
    pub fn find(name: &str) -> Option<OperatorRelease> {
        let tag = if name.starts_with('v') {
            name.to_owned()
        } else {
            format!("v{name}")
        };
        RELEASES.iter().copied().find(|r| r.name == tag)
    }
}

/// How the operator is installed and what it draws for a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The operator release.
    pub release: OperatorRelease,
    /// Its webhook runs (chart default): SparkApplications are defaulted and validated at
    /// admission, Spark pods are patched.
    pub webhook: bool,
    /// `k8s://https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` in its pod.
    pub master: String,
    /// The submission id the controller draws (a UUID).
    pub submission_id: String,
    /// The application's `metadata.uid` when the resource has none (the API server assigns
    /// it).
    pub app_uid: String,
    /// The UI Service and Ingress settings.
    pub ui: web_ui::UiOptions,
}

/// What the operator does for one `SparkApplication`, before Spark runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The application as the controller submits it (defaulted, with the submission id and the
    /// controller's conf).
    pub app: SparkApplication,
    /// spark-submit's arguments and the template files.
    pub command: SubmitCommand,
    /// Objects the controller creates before it submits (the Prometheus ConfigMap).
    pub before: Vec<Resource>,
    /// The operator's UI settings: [`finish`] makes the UI objects the controller creates once
    /// the driver runs (when the application id, the driver's `spark-app-selector`, is known).
    pub ui: web_ui::UiOptions,
    /// What the operator does that spark-render does not model, or a user should know.
    pub warnings: Vec<String>,
}

/// Runs the operator's steps up to spark-submit for `app`.
pub fn plan(mut app: SparkApplication, options: &Options) -> Result<Plan, OperatorError> {
    let mut warnings = Vec::new();
    if options.webhook {
        defaults::set_defaults(&mut app);
        validate::validate(&app, options.release)
            .map_err(|e| OperatorError(format!("the operator's webhook refuses it: {}", e.0)))?;
    }
    let failed =
        |e: OperatorError| OperatorError(format!("the operator fails to submit it: {}", e.0));
    app.status.submission_id.clone_from(&options.submission_id);
    if app.metadata.uid.as_deref().is_none_or(str::is_empty) {
        app.metadata.uid = Some(options.app_uid.clone());
    }
    web_ui::configure(&mut app, &options.ui).map_err(failed)?;
    let before: Vec<Resource> = monitoring::configure(&mut app, options.release)
        .map(Resource::ConfigMap)
        .into_iter()
        .collect();
    if let Some(scheduler) = &app.spec.batch_scheduler {
        warnings.push(format!(
            "spec.batchScheduler={scheduler}: the scheduler's own changes to the application (queue, gang annotations) are not modelled; only its schedulerName is set on the pods"
        ));
    }
    let context = Context {
        master: options.master.clone(),
        release: options.release,
    };
    let command = submission::build_spark_submit_args(&app, &context).map_err(failed)?;
    Ok(Plan {
        app,
        command,
        before,
        ui: options.ui.clone(),
        warnings,
    })
}

/// What happens after spark-submit: the webhook patches each Spark pod as it is admitted
/// (when it runs), and the controller's objects join the driver's: the Prometheus ConfigMap
/// first (made before submitting), the UI objects last (made once the driver runs).
///
/// With `explain`, each field the webhook sets is explained by the mutation that sets it (and
/// no longer by what it replaced).
pub fn finish(
    rendered: &mut crate::Rendered,
    plan: &Plan,
    webhook: bool,
    explain: bool,
) -> Result<(), OperatorError> {
    let mut patched: Vec<crate::provenance::FieldSource> = Vec::new();
    let groups = rendered
        .driver
        .iter_mut()
        .map(|d| &mut d.objects)
        .chain(rendered.executors.iter_mut().map(|e| &mut e.objects));
    for objects in groups {
        for object in objects.iter_mut() {
            let Resource::Pod(pod) = object else {
                continue;
            };
            if !(webhook && webhook::selects(pod)) {
                continue;
            }
            if !explain {
                webhook::mutate_spark_pod(pod, &plan.app)?;
                continue;
            }
            let name = format!("Pod/{}", pod.metadata.name.as_deref().unwrap_or_default());
            for (field, value, mutation) in webhook::mutate_spark_pod_explained(pod, &plan.app)? {
                patched.push(crate::provenance::FieldSource {
                    object: name.clone(),
                    field,
                    value,
                    source: crate::provenance::Source::Operator {
                        operator: "kubeflow/spark-operator webhook".into(),
                        step: mutation.into(),
                        detail: "from the SparkApplication's spec".into(),
                    },
                });
            }
        }
    }
    if explain {
        let replaced = |e: &crate::provenance::FieldSource| {
            patched
                .iter()
                .any(|p| p.object == e.object && p.field == e.field)
        };
        for explanations in rendered
            .driver
            .iter_mut()
            .map(|d| &mut d.explanations)
            .chain(rendered.executors.iter_mut().map(|e| &mut e.explanations))
        {
            explanations.retain(|e| !replaced(e));
        }
        if let Some(driver) = rendered.driver.as_mut() {
            driver.explanations.extend(patched);
        }
    }
    if let Some(driver) = rendered.driver.as_mut() {
        // The controller reads the application id from the driver pod before it makes the UI
        // objects (`updateSparkApplicationState`, then `createWebUIService`...).
        let mut app = plan.app.clone();
        if let Some(Resource::Pod(pod)) = driver.objects.iter().find(|o| o.kind() == "Pod") {
            let id = pod
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(crate::constants::labels::SPARK_APP_ID));
            if let Some(id) = id {
                app.status.spark_application_id.clone_from(id);
            }
        }
        let after = web_ui::objects(&app, &plan.ui)?;
        let spark_objects = std::mem::take(&mut driver.objects);
        driver.objects = plan
            .before
            .iter()
            .cloned()
            .chain(spark_objects)
            .chain(after)
            .collect();
    }
    rendered.warnings.extend(plan.warnings.iter().cloned());
    Ok(())
}
