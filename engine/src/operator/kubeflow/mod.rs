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
/// (each decision names the release that changed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorRelease {
    /// Its tag, e.g. `v2.5.2`.
    pub name: &'static str,
    /// The Spark of its image (`ARG SPARK_IMAGE` in its `Dockerfile`), which runs
    /// spark-submit and so builds the driver's objects.
    pub spark: &'static str,
    /// v2.4.0 (#2670): a pod template file is written for each role even without a template,
    /// owned by the SparkApplication; before, only the templates given were written, as given.
    pub writes_templates_always: bool,
    /// v2.4.0: `kueue.x-k8s.io/` labels of the application do not reach its pods.
    pub skips_kueue_labels: bool,
    /// v2.4.0: the admission default of one executor applies when `spark.executor.instances`
    /// is empty too, not only when absent.
    pub defaults_instances_when_empty: bool,
    /// v2.5.1: an emptyDir `spark-local-dir-*` volume's medium is passed to Spark.
    pub passes_empty_dir_medium: bool,
    /// v2.5.2 (#3043): the webhook refuses `sparkConf` keys the operator manages, and a
    /// namespace other than the application's.
    pub denies_spark_conf_keys: bool,
}

/// The modelled releases, oldest first. Their Spark, from each tag's `Dockerfile`: 4.0.0
/// (v2.3.0, v2.4.0), 4.0.1 (v2.5.0, v2.5.1), 4.0.4 (v2.5.2).
pub const RELEASES: &[OperatorRelease] = &[
    OperatorRelease {
        name: "v2.3.0",
        spark: "4.0.0",
        writes_templates_always: false,
        skips_kueue_labels: false,
        defaults_instances_when_empty: false,
        passes_empty_dir_medium: false,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.4.0",
        spark: "4.0.0",
        writes_templates_always: true,
        skips_kueue_labels: true,
        defaults_instances_when_empty: true,
        passes_empty_dir_medium: false,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.5.0",
        spark: "4.0.1",
        writes_templates_always: true,
        skips_kueue_labels: true,
        defaults_instances_when_empty: true,
        passes_empty_dir_medium: false,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.5.1",
        spark: "4.0.1",
        writes_templates_always: true,
        skips_kueue_labels: true,
        defaults_instances_when_empty: true,
        passes_empty_dir_medium: true,
        denies_spark_conf_keys: false,
    },
    OperatorRelease {
        name: "v2.5.2",
        spark: "4.0.4",
        writes_templates_always: true,
        skips_kueue_labels: true,
        defaults_instances_when_empty: true,
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
    /// Objects the controller creates once the driver runs (UI Service, Ingress).
    pub after: Vec<Resource>,
    /// What the operator does that spark-render does not model, or a user should know.
    pub warnings: Vec<String>,
}

/// Runs the operator's steps up to spark-submit for `app`.
pub fn plan(mut app: SparkApplication, options: &Options) -> Result<Plan, OperatorError> {
    let mut warnings = Vec::new();
    if options.webhook {
        defaults::set_release_defaults(&mut app, options.release);
        validate::validate(&app, options.release)?;
    }
    app.status.submission_id.clone_from(&options.submission_id);
    if app.metadata.uid.as_deref().is_none_or(str::is_empty) {
        app.metadata.uid = Some(options.app_uid.clone());
    }
    web_ui::configure(&mut app, &options.ui);
    let before: Vec<Resource> = monitoring::configure(&mut app)
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
    let command = submission::build_spark_submit_args(&app, &context)?;
    let after = web_ui::objects(&app, &options.ui)?;
    Ok(Plan {
        app,
        command,
        before,
        after,
        warnings,
    })
}

/// What happens after spark-submit: the webhook patches each Spark pod as it is admitted
/// (when it runs), and the controller's objects join the driver's: the Prometheus ConfigMap
/// first (made before submitting), the UI objects last (made once the driver runs).
pub fn finish(
    rendered: &mut crate::Rendered,
    plan: &Plan,
    webhook: bool,
) -> Result<(), OperatorError> {
    let pods = rendered
        .driver
        .iter_mut()
        .flat_map(|d| d.objects.iter_mut())
        .chain(
            rendered
                .executors
                .iter_mut()
                .flat_map(|e| e.objects.iter_mut()),
        );
    for object in pods {
        if let Resource::Pod(pod) = object {
            if webhook && webhook::selects(pod) {
                webhook::mutate_spark_pod(pod, &plan.app)?;
            }
        }
    }
    if let Some(driver) = rendered.driver.as_mut() {
        let spark_objects = std::mem::take(&mut driver.objects);
        driver.objects = plan
            .before
            .iter()
            .cloned()
            .chain(spark_objects)
            .chain(plan.after.iter().cloned())
            .collect();
    }
    rendered.warnings.extend(plan.warnings.iter().cloned());
    Ok(())
}
