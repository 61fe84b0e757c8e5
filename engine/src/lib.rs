//! # spark-render-engine
//!
//! Renders, without a JVM or a cluster, the Kubernetes objects Apache Spark 3.5 creates for a
//! `spark-submit` to Kubernetes: the driver Pod with its Service, ConfigMaps, Secrets and
//! claims, and the executor Pods the driver creates later — exactly as Spark's own feature
//! steps build them, down to the order of env vars and `spark.properties` lines.
//!
//! The engine is a pure function: no file I/O, no clock, no randomness, no environment.
//! Everything Spark would draw from those is an input ([`RenderInputs`]): ids, times, the
//! submitting user, the contents of the files the conf names, the submitter's `SPARK_CONF_DIR`
//! and `HADOOP_CONF_DIR` files. [`RenderInputs::default`] holds fixed values, which is what a
//! test wants.
//!
//! Render a job from its properties:
//!
//! ```
//! use spark_render_engine::{render_all, conf::properties, RenderRequest, Resource, SubmitArgs};
//!
//! let mut submit = SubmitArgs::new("local:///opt/spark/examples/jars/spark-examples.jar");
//! submit.main_class = Some("org.apache.spark.examples.SparkPi".into());
//! submit.properties_file = properties::parse(
//!     "spark.app.name=spark-pi\n\
//!      spark.kubernetes.container.image=apache/spark:3.5.3\n\
//!      spark.executor.memory=4g\n",
//!     "spark.properties",
//! )?;
//! let rendered = render_all(&RenderRequest::new(submit))?;
//!
//! let driver = rendered.pod().expect("a driver pod");
//! assert_eq!(driver.metadata.name.as_deref(), Some("spark-pi-0123456789abcdef-driver"));
//! let Resource::Pod(executor) = &rendered.executor_objects()[0] else { unreachable!() };
//! let limits = executor.spec.as_ref().unwrap().containers[0]
//!     .resources.as_ref().unwrap().limits.as_ref().unwrap();
//! assert_eq!(limits["memory"].0, "4505Mi"); // 4096 + max(409, 384)
//! # Ok::<(), spark_render_engine::Error>(())
//! ```
//!
//! With a pod template: the conf names the file, and its contents are an input.
//!
//! ```
//! use spark_render_engine::{render_driver, RenderRequest, SubmitArgs};
//!
//! let mut submit = SubmitArgs::new("local:///opt/app/job.py");
//! submit.conf = vec![
//!     ("spark.kubernetes.container.image".into(), "apache/spark-py:3.5.3".into()),
//!     ("spark.kubernetes.driver.podTemplateFile".into(), "driver.yaml".into()),
//! ];
//! let mut request = RenderRequest::new(submit);
//! request.inputs.files.insert(
//!     "driver.yaml".into(),
//!     b"spec:\n  tolerations: [{key: spot, operator: Exists}]\n  containers: [{name: main}]\n".to_vec(),
//! );
//! let rendered = render_driver(&request)?;
//! let spec = rendered.pod().unwrap().spec.as_ref().unwrap();
//! assert_eq!(spec.tolerations.as_ref().unwrap()[0].key.as_deref(), Some("spot"));
//! assert_eq!(spec.containers[0].name, "main");
//! # Ok::<(), spark_render_engine::Error>(())
//! ```
//!
//! [`manifest::to_yaml`] and [`manifest::to_json_list`] print the objects as `spark-render`
//! does. The engine enables no `k8s-openapi` version feature: enable one (`v1_33` or later)
//! in your own `Cargo.toml`, as with kube-rs.

// The public API: the request and its result (below), the conf and its registry, the lint,
// the manifests and their provenance.
pub mod conf;
pub mod config;
pub mod diff;
pub mod lint;
pub mod manifest;
pub mod operator;
pub mod pod_security;
pub mod provenance;
pub mod summary;

/// Declares internal modules: crate-private, public (undocumented, unstable) with the
/// `unstable` feature, which the benches and fuzz targets enable to reach them.
macro_rules! internal_modules {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[cfg(feature = "unstable")]
        #[doc(hidden)]
        pub mod $name;
        $(#[$doc])*
        #[cfg(not(feature = "unstable"))]
        mod $name;
    )*};
}

internal_modules!(
    app,
    builder,
    client,
    client_factory,
    conf_files,
    constants,
    driver,
    error,
    executor,
    features,
    hash_order,
    inputs,
    java,
    k8s_utils,
    kubernetes_conf,
    names,
    pod,
    quantity,
    redact,
    running_driver,
    submit,
    template,
    uri,
    utils,
    validate,
    version,
    volume_utils,
);

pub use app::MainAppResource;
pub use conf::SparkConf;
pub use conf_files::ConfDirFile;
pub use driver::DriverSpec;
pub use error::{Error, Result, TemplateProblem};
pub use executor::{ExecutorsSpec, MAX_EXECUTORS};
pub use inputs::{RenderInputs, SubmitterEnv};
pub use manifest::Resource;
pub use running_driver::RunningDriver;
pub use submit::{
    parse_conf_pair, prepare as prepare_submission, DeployMode, Submission, SubmitArgs,
};
pub use version::{
    release_in_core_jar_name, release_in_image, release_in_release_file, ParseVersionError,
    Release, ReleaseSource, SparkVersion,
};

/// One render: spark-submit's arguments, the values Spark would draw itself, the Spark
/// release to mirror, and which executors to show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderRequest {
    /// spark-submit's arguments.
    pub submit: SubmitArgs,
    /// Ids, times, user and environment.
    pub inputs: RenderInputs,
    /// The Spark release whose behaviour is mirrored: spark-submit's, which makes the driver's
    /// objects (and the executors', unless `executor_spark_version` says otherwise).
    pub spark_version: SparkVersion,
    /// The release of the driver image, which creates the executors, when it differs from
    /// `spark_version`.
    pub executor_spark_version: Option<SparkVersion>,
    /// Where `spark_version` was taken from (named by `explain`).
    pub release_source: ReleaseSource,
    /// The executors to render (by id, from 1), for [`render_all`]. Empty: those the driver
    /// requests when it starts, 1..N for Spark's initial number of executors
    /// (`spark.executor.instances`, default 2, or the dynamic-allocation initial/minimum).
    pub executor_ids: Vec<u32>,
    /// Refuse pod templates with fields Kubernetes does not know (instead of warning that
    /// they are dropped).
    pub strict: bool,
    /// Record where every field comes from ([`Rendered::explanations`]).
    pub explain: bool,
}

impl Default for RenderRequest {
    fn default() -> Self {
        RenderRequest {
            submit: SubmitArgs::default(),
            inputs: RenderInputs::default(),
            spark_version: SparkVersion::default(),
            executor_spark_version: None,
            release_source: ReleaseSource::Given,
            executor_ids: vec![1],
            strict: false,
            explain: false,
        }
    }
}

impl RenderRequest {
    /// A request with the default (fixed) inputs, Spark 3.5.3 and executor 1.
    pub fn new(submit: SubmitArgs) -> Self {
        RenderRequest {
            submit,
            ..RenderRequest::default()
        }
    }
}

/// What a submission creates, plus notes for the user.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rendered {
    /// The driver side: the driver pod and the objects spark-submit creates with it (`None` in
    /// client mode, where the driver runs inside spark-submit).
    pub driver: Option<DriverSpec>,
    /// The executor side, when asked for ([`render_all`]).
    pub executors: Option<ExecutorsSpec>,
    /// Things spark-submit or the driver would ignore or override, worth telling the user.
    pub warnings: Vec<String>,
}

impl Rendered {
    /// The driver pod.
    pub fn pod(&self) -> Option<&k8s_openapi::api::core::v1::Pod> {
        self.driver.as_ref().and_then(DriverSpec::pod)
    }

    /// The driver's objects, in the order Spark creates them (empty in client mode).
    pub fn driver_objects(&self) -> &[Resource] {
        self.driver.as_ref().map_or(&[], |d| &d.objects)
    }

    /// The executors' objects (empty unless rendered).
    pub fn executor_objects(&self) -> &[Resource] {
        self.executors.as_ref().map_or(&[], |e| &e.objects)
    }

    /// Where each field of each object comes from (empty unless
    /// [`RenderRequest::explain`]).
    pub fn explanations(&self) -> Vec<&provenance::FieldSource> {
        let driver = self.driver.iter().flat_map(|d| &d.explanations);
        let executors = self.executors.iter().flat_map(|e| &e.explanations);
        driver.chain(executors).collect()
    }

    /// The driver's objects, then the executors'.
    pub fn objects(&self) -> Vec<Resource> {
        let mut all = self.driver_objects().to_vec();
        all.extend(self.executor_objects().iter().cloned());
        all
    }
}

/// Renders what `spark-submit --deploy-mode cluster` creates for the driver.
///
/// Fails with an [`Error`] naming the conf key, argument or input at fault when Spark would
/// refuse the submission, when the cluster would refuse the objects, or when the submission
/// uses a feature spark-render does not model. In client mode there is no driver pod, and this
/// fails; use [`render_all`].
pub fn render_driver(request: &RenderRequest) -> Result<Rendered> {
    let submission = prepare(request)?;
    if submission.deploy_mode == DeployMode::Client {
        return Err(Error::InvalidArgument {
            argument: "--deploy-mode".into(),
            reason: "in client mode the driver runs inside spark-submit: there is no driver pod to render (executors can be rendered)".into(),
        });
    }
    let mut warnings = submission.warnings.clone();
    let driver = build_driver(request, &submission, &mut warnings)?;
    let mut rendered = Rendered {
        driver: Some(driver),
        executors: None,
        warnings,
    };
    name_release(&mut rendered, request);
    finish(rendered)
}

/// Explains the `spark-version` labels and selectors by the release mirrored and where it was
/// taken from.
fn name_release(rendered: &mut Rendered, request: &RenderRequest) {
    let driver = rendered
        .driver
        .iter_mut()
        .map(|d| (&mut d.explanations, request.spark_version));
    let executors = rendered.executors.iter_mut().map(|e| {
        (
            &mut e.explanations,
            request
                .executor_spark_version
                .unwrap_or(request.spark_version),
        )
    });
    for (explanations, version) in driver.chain(executors) {
        let why = if Some(version) == request.executor_spark_version {
            "the release of the driver image, which creates the executors".to_owned()
        } else {
            request.release_source.to_string()
        };
        for e in explanations.iter_mut() {
            if e.field.ends_with("labels.spark-version")
                || e.field.ends_with("selector.spark-version")
            {
                e.source = provenance::Source::Rule {
                    step: "Spark release".into(),
                    detail: format!("Spark {version}: {why}"),
                };
            }
        }
    }
}

fn options(request: &RenderRequest) -> driver::BuildOptions {
    driver::BuildOptions {
        strict: request.strict,
        explain: request.explain,
    }
}

/// Refuses what the API server would refuse; adds warnings for what would surprise.
fn finish(mut rendered: Rendered) -> Result<Rendered> {
    let objects: Vec<&Resource> = rendered
        .driver_objects()
        .iter()
        .chain(rendered.executor_objects())
        .collect();
    validate::check(&objects)?;
    let warnings = validate::warnings(&objects);
    rendered.warnings.extend(warnings);
    Ok(rendered)
}

fn prepare(request: &RenderRequest) -> Result<Submission> {
    request.inputs.validate()?;
    let mut submission = submit::prepare(&request.submit, &request.inputs)?;
    if !request.spark_version.release().keeps_given_submit_time() {
        // SparkSubmit before 3.5 always stamps its own clock.
        submission.conf.set(
            config::keys::APP_SUBMIT_TIME,
            request.inputs.submit_time_ms.to_string(),
        );
    }
    Ok(submission)
}

fn build_driver(
    request: &RenderRequest,
    submission: &Submission,
    warnings: &mut Vec<String>,
) -> Result<DriverSpec> {
    let driver = driver::build(
        submission,
        &request.inputs,
        request.spark_version,
        options(request),
    )?;
    warnings.extend(driver.warnings.iter().cloned());
    Ok(driver)
}

/// Renders the driver's objects (cluster mode) and then the executors `request.executor_ids`
/// the running driver would create, with their spark-conf ConfigMap.
pub fn render_all(request: &RenderRequest) -> Result<Rendered> {
    let submission = prepare(request)?;
    let mut warnings = submission.warnings.clone();
    // The driver image's release creates the executors.
    let executor_version = request
        .executor_spark_version
        .unwrap_or(request.spark_version);
    let (driver, running) = match submission.deploy_mode {
        DeployMode::Cluster => {
            let driver = build_driver(request, &submission, &mut warnings)?;
            let running =
                RunningDriver::in_cluster(&driver, &request.inputs, executor_version.release());
            (Some(driver), running)
        }
        DeployMode::Client => (
            None,
            RunningDriver::client_mode(&submission, &request.inputs, executor_version.release())?,
        ),
    };
    // The running driver creates its Kubernetes client before it asks for executors.
    let client = match submission.deploy_mode {
        DeployMode::Cluster => client_factory::Client::InClusterDriver,
        DeployMode::Client => client_factory::Client::LocalDriver,
    };
    client_factory::check_credentials(&running.conf, client)?;
    let executors = executor::build(
        &running,
        &request.inputs,
        executor_version,
        &request.executor_ids,
        options(request),
    )?;
    warnings.extend(executors.warnings.iter().cloned());
    let mut rendered = Rendered {
        driver,
        executors: Some(executors),
        warnings,
    };
    name_release(&mut rendered, request);
    finish(rendered)
}
