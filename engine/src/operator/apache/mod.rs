//! apache/spark-kubernetes-operator (`spark.apache.org/v1`): how the operator turns a
//! `SparkApplication` into the Spark conf its bundled Spark builds the driver from, and what it
//! adds around it.
//!
//! The operator runs no spark-submit: it builds Spark's `KubernetesDriverConf` itself
//! (`SparkAppSubmissionWorker`: "Similar to KubernetesClientApplication") and calls Spark's
//! `KubernetesDriverBuilder` in its own JVM, with the Spark it bundles (4.2.0 for 1.0.0). The
//! pipeline, as the operator runs it:
//! 1. the API server checks the CRD's schema, `AppValidateStep` refuses client mode and
//!    incomplete routes ([`validate`]);
//! 2. `SparkAppResourceSpecFactory` and `SparkAppSubmissionWorker.buildDriverConf` build the
//!    conf and write the pod template files ([`conf`], [`template`]), the app id naming every
//!    driver object ([`app_id`]);
//! 3. Spark's feature steps build the driver pod and its objects ([`render`]: the engine's
//!    steps, with the operator's resource-name prefix and `spark-version` label), and
//!    `SparkAppResourceSpec` adds the spark-conf ConfigMap, the user ConfigMaps and the
//!    ingress/route objects ([`resource_spec`]) where spark-submit's `Client.run` would act;
//! 4. the decorators own and label the driver pod and everything else ([`decorators`]), and
//!    `AppInitStep` creates the objects: the user ConfigMaps, the driver pod, the rest
//!    ([`finish`]);
//! 5. the driver, from the application image's Spark, creates the executors.

pub mod app_id;
pub mod conf;
pub mod decorators;
mod keys;
pub mod resource_spec;
mod sha256;
pub mod spec;
pub mod template;
pub mod validate;

use crate::client_factory::{check_credentials, Client};
use crate::config::keys as spark_keys;
use crate::manifest::Resource;
use crate::operator::kubeflow::OperatorError;
use crate::{DeployMode, RenderRequest, Rendered, RunningDriver, SparkVersion, Submission};
use spec::SparkApplication;

/// The `apiVersion`s read: `v1`, and `v1beta1`, which the CRD still serves with the same body.
pub const API_VERSIONS: &[&str] = &[spec::API_VERSION_V1, spec::API_VERSION_V1BETA1];

/// An apache/spark-kubernetes-operator release spark-render models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorRelease {
    /// Its tag, e.g. `1.0.0`.
    pub name: &'static str,
    /// The Spark it bundles (`spark` in `gradle/libs.versions.toml`), which builds the
    /// driver's objects in the operator's JVM.
    pub spark: &'static str,
}

/// The modelled releases, oldest first.
pub const RELEASES: &[OperatorRelease] = &[OperatorRelease {
    name: "1.0.0",
    spark: "4.2.0",
}];

impl OperatorRelease {
    /// The latest modelled release.
    pub fn latest() -> OperatorRelease {
        RELEASES[RELEASES.len() - 1]
    }

    /// The release tagged `name` (a leading `v` is ignored).
    pub fn find(name: &str) -> Option<OperatorRelease> {
        let tag = name.strip_prefix('v').unwrap_or(name);
        RELEASES.iter().copied().find(|r| r.name == tag)
    }
}

/// The operator's master when `sparkConf` has none, with the default `spark.master.url.prefix`
/// (`k8s://`): the in-cluster address, literally.
pub const DEFAULT_MASTER: &str = "k8s://https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT";

/// How the operator is installed and what the cluster and the operator draw for an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The operator release.
    pub release: OperatorRelease,
    /// `spark.master` when `sparkConf` does not set it ([`DEFAULT_MASTER`]); a
    /// `spark.master.url.prefix` in `sparkConf` replaces its `k8s://`.
    pub master: String,
    /// The application's `metadata.uid` when the resource has none (the API server assigns
    /// it): the driver pod's owner, and part of the template file names.
    pub app_uid: String,
    /// The attempt (`status.currentAttemptSummary.attemptInfo.id`): 0 for the first, one more
    /// for each restart. Part of the app id.
    pub attempt: u64,
    /// The namespace when `metadata.namespace` is unset (where `kubectl apply` would put it).
    pub namespace: String,
    /// The operator's name (`spark.kubernetes.operator.name`, default
    /// `spark-kubernetes-operator`): the `spark.operator/name` label.
    pub operator_name: String,
    /// The operator JVM's `java.io.tmpdir` (`/tmp`), where the pod template files are written.
    pub temp_dir: String,
    /// The random part `Files.createTempFile` puts in the template file names (the operator
    /// deletes the files once the objects are built; the driver's path stays in its conf).
    pub temp_file_id: String,
}

impl Options {
    /// The options of a default installation of `release`, with fixed placeholder ids.
    pub fn new(release: OperatorRelease) -> Options {
        Options {
            release,
            master: DEFAULT_MASTER.to_owned(),
            app_uid: "00000000-0000-0000-0000-0000000000a1".to_owned(),
            attempt: 0,
            namespace: "default".to_owned(),
            operator_name: "spark-kubernetes-operator".to_owned(),
            temp_dir: "/tmp".to_owned(),
            temp_file_id: "0".to_owned(),
        }
    }
}

/// What the operator does for one `SparkApplication` attempt, before Spark builds the driver.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The application as the operator reads it (namespace and uid filled in).
    pub app: SparkApplication,
    /// The render: the operator's Spark release (`spark_version`), the executors' (from the
    /// driver image, else `runtimeVersions.sparkVersion`), the inputs (app id, the driver's
    /// resource-name prefix and `spark-version` label, the template files by path, the
    /// operator's user `spark`). Its `submit` is unused: the conf is in `submission`.
    pub request: RenderRequest,
    /// The conf and application handed to Spark's `KubernetesDriverBuilder` (no spark-submit
    /// runs).
    pub submission: Submission,
    /// `spark.app.id`: the app id, and the stem of the driver's object names.
    pub app_id: String,
    /// The operator's labels (`spark.operator/name`, `spark.operator/spark-app-name`), put
    /// again on the driver pod by `OwnerResourceDecorator`.
    pub resource_labels: Vec<(String, String)>,
    /// The ConfigMaps of `configMapSpecs`, created before the driver pod.
    pub before: Vec<Resource>,
    /// The Services, Ingresses, HTTPRoutes and GRPCRoutes of the driver's ingress and route
    /// lists, created after the driver pod (Service selectors filled in by [`finish`]).
    pub after: Vec<Resource>,
    /// What the operator ignores or spark-render does not model.
    pub warnings: Vec<String>,
}

/// Runs the operator's steps up to Spark's driver builder for `app`: validation, the conf, the
/// template files, the objects of its own.
pub fn plan(mut app: SparkApplication, options: &Options) -> Result<Plan, OperatorError> {
    if app.metadata.namespace.as_deref().is_none_or(str::is_empty) {
        app.metadata.namespace = Some(options.namespace.clone());
    }
    if app.metadata.uid.as_deref().is_none_or(str::is_empty) {
        app.metadata.uid = Some(options.app_uid.clone());
    }
    if app.name().is_empty() {
        return Err(OperatorError("metadata.name: Required value".to_owned()));
    }
    validate::validate(&app)?;
    let mut warnings = Vec::new();
    for field in app.fields_unknown_to_version() {
        warnings.push(format!(
            "{field} is not in {}: the API server drops it",
            app.api_version
        ));
    }
    if app.spec.files.is_some() {
        warnings.push(
            "spec.files is never read by the operator: list the files in sparkConf spark.files"
                .to_owned(),
        );
    }
    let spark_version: SparkVersion = options.release.spark.parse().map_err(|e| {
        OperatorError(format!(
            "the operator's Spark {}: {e}",
            options.release.spark
        ))
    })?;
    let args = conf::build_driver_conf(&app, options);
    let runtime_version = app.spec.runtime_versions.spark_version.clone();

    let mut request = RenderRequest {
        spark_version,
        executor_spark_version: executor_release(&args.conf, &runtime_version)
            .filter(|v| *v != spark_version),
        ..RenderRequest::default()
    };
    let inputs = &mut request.inputs;
    inputs.app_id.clone_from(&args.app_id);
    inputs.resource_name_prefix = Some(args.app_id.clone());
    inputs.driver_spark_version_label = Some(runtime_version);
    // The operator's Helm chart sets SPARK_USER=spark in its pod.
    inputs.spark_user = "spark".to_owned();
    for (path, text) in &args.files {
        inputs.files.insert(path.clone(), text.clone().into_bytes());
    }
    let namespace = app.namespace().to_owned();
    let before = resource_spec::user_config_maps(
        app.spec.config_map_specs.as_deref().unwrap_or_default(),
        &namespace,
    );
    let after = resource_spec::ingress_and_routes(&app);
    Ok(Plan {
        submission: Submission {
            conf: args.conf,
            deploy_mode: DeployMode::Cluster,
            app: args.app,
            warnings: Vec::new(),
        },
        app_id: args.app_id,
        resource_labels: conf::resource_labels(&app, options),
        app,
        request,
        before,
        after,
        warnings,
    })
}

/// The release of the driver image (`spark.kubernetes.driver.container.image`, else
/// `spark.kubernetes.container.image`), which creates the executors; else
/// `runtimeVersions.sparkVersion` when it names a modelled release.
fn executor_release(conf: &crate::SparkConf, runtime_version: &str) -> Option<SparkVersion> {
    let image = conf.get_first(&[
        spark_keys::DRIVER_CONTAINER_IMAGE,
        spark_keys::CONTAINER_IMAGE,
    ]);
    image
        .and_then(crate::release_in_image)
        .and_then(|r| r.parse().ok())
        .or_else(|| runtime_version.parse().ok())
}

/// Whether the running driver asks Kubernetes for executors: a `k8s` master
/// (`KubernetesClusterManager.canCreate`) not in driver-only mode
/// (`spark.kubernetes.driver.master=local[N]`); the reason when it does not.
fn executors_on_kubernetes(conf: &crate::SparkConf) -> Result<(), String> {
    let master = conf.get(spark_keys::MASTER).unwrap_or_default();
    if !master.starts_with("k8s") {
        return Err(format!(
            "{}={master}: the driver gets its executors from that cluster manager, not as Kubernetes pods",
            spark_keys::MASTER
        ));
    }
    if let Some(local) = conf
        .get(spark_keys::DRIVER_MASTER)
        .filter(|m| m.starts_with("local"))
    {
        return Err(format!(
            "{}={local}: the driver runs its tasks itself and creates no executor pods",
            spark_keys::DRIVER_MASTER
        ));
    }
    Ok(())
}

/// Builds what Spark creates for `plan`, as the operator's in-process submission makes it: the
/// driver's objects (Spark's feature steps, then `SparkAppResourceSpec`'s spark-conf ConfigMap
/// instead of `Client.run`'s), and with `executors` the executors
/// `plan.request.executor_ids` the running driver creates (none when it asks no Kubernetes
/// cluster for them: a warning says why).
///
/// Fails as [`crate::render_all`] does when Spark would refuse the conf.
pub fn render(plan: &Plan, executors: bool) -> crate::Result<Rendered> {
    let request = &plan.request;
    request.inputs.validate()?;
    let mut warnings = plan.submission.warnings.clone();
    // The operator never calls `Client.run`, whose owner references the driver's objects get
    // from the operator's `DriverResourceDecorator` instead ([`finish`]).
    let mut driver_inputs = request.inputs.clone();
    driver_inputs.driver_uid = None;
    let mut driver = crate::driver::build(
        &plan.submission,
        &driver_inputs,
        request.spark_version,
        crate::options(request),
    )?;
    warnings.extend(driver.warnings.iter().cloned());
    let date_line =
        crate::java::date_to_string_utc(request.inputs.submit_time_ms).unwrap_or_default();
    resource_spec::replace_spark_conf_map(
        &mut driver,
        &plan.app_id,
        &date_line,
        plan.app.namespace(),
    );

    let executors = if !executors {
        None
    } else if let Err(reason) = executors_on_kubernetes(&plan.submission.conf) {
        warnings.push(format!("no executor pods: {reason}"));
        None
    } else {
        let version = request
            .executor_spark_version
            .unwrap_or(request.spark_version);
        let running = RunningDriver::in_cluster(&driver, &request.inputs, version.release());
        check_credentials(&running.conf, Client::InClusterDriver)?;
        let built = crate::executor::build(
            &running,
            &request.inputs,
            version,
            &request.executor_ids,
            crate::options(request),
        )?;
        warnings.extend(built.warnings.iter().cloned());
        Some(built)
    };
    let mut rendered = Rendered {
        driver: Some(driver),
        executors,
        warnings,
    };
    crate::name_release(&mut rendered, request);
    crate::finish(rendered)
}

/// What the operator does with what Spark built: the driver pod is owned by the application,
/// labelled and kept from privilege escalation (`OwnerResourceDecorator`,
/// `SecurityContextDecorator`); the Services of the ingress and route lists select the driver
/// pod when they select nothing; every other object is owned by the driver pod (when
/// `request.inputs.driver_uid` is known) and gets its labels (`DriverResourceDecorator`); the
/// objects are listed in `AppInitStep`'s creation order: the user ConfigMaps, the driver pod,
/// Spark's objects, the spark-conf ConfigMap, the ingress and route objects.
pub fn finish(rendered: &mut Rendered, plan: &Plan) -> Result<(), OperatorError> {
    let Some(driver) = rendered.driver.as_mut() else {
        return Ok(());
    };
    let labels = &plan.resource_labels;
    let mut after = plan.after.clone();
    let mut spark_objects = std::mem::take(&mut driver.objects);
    let mut pod_metadata = None;
    for object in &mut spark_objects {
        if let Resource::Pod(pod) = object {
            let spark_labels = pod.metadata.labels.clone().unwrap_or_default();
            resource_spec::select_driver(&mut after, &spark_labels);
            decorators::own_driver_pod(pod, &plan.app, labels);
            decorators::disallow_privilege_escalation(pod);
            pod_metadata = Some(pod.metadata.clone());
        }
    }
    let Some(pod_metadata) = pod_metadata else {
        return Err(OperatorError("Spark built no driver pod".to_owned()));
    };
    let uid = plan.request.inputs.driver_uid.as_deref();
    let mut before = plan.before.clone();
    for object in before
        .iter_mut()
        .chain(
            spark_objects
                .iter_mut()
                .filter(|o| !matches!(o, Resource::Pod(_))),
        )
        .chain(after.iter_mut())
    {
        decorators::own_by_driver(object, &pod_metadata, uid);
    }
    driver.objects = before
        .into_iter()
        .chain(spark_objects)
        .chain(after)
        .collect();
    let objects: Vec<&Resource> = rendered
        .driver_objects()
        .iter()
        .chain(rendered.executor_objects())
        .collect();
    crate::validate::check(&objects).map_err(|e| OperatorError(e.to_string()))?;
    rendered.warnings.extend(plan.warnings.iter().cloned());
    Ok(())
}
