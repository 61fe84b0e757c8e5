//! # spark-render-engine
//!
//! Renders, without a JVM or a cluster, the Kubernetes objects Apache Spark 3.5 creates for a
//! `spark-submit` to Kubernetes: the driver Pod with its Service and ConfigMaps, exactly as
//! Spark's own feature steps build them.
//!
//! The engine is a pure function: no file I/O, no clock, no randomness, no environment. What
//! Spark would draw from those is an input ([`RenderInputs`]).
//!
//! ```
//! use spark_render_engine::{render_driver, RenderRequest, SubmitArgs, conf::properties};
//!
//! let mut submit = SubmitArgs::new("local:///opt/spark/examples/jars/spark-examples.jar");
//! submit.main_class = Some("org.apache.spark.examples.SparkPi".into());
//! submit.properties_file = properties::parse(
//!     "spark.app.name=spark-pi\nspark.kubernetes.container.image=apache/spark:3.5.3\n",
//!     "spark.properties",
//! )?;
//! let rendered = render_driver(&RenderRequest::new(submit))?;
//! let pod = rendered.pod().expect("a driver pod");
//! assert_eq!(pod.metadata.name.as_deref(), Some("spark-pi-0123456789abcdef-driver"));
//! # Ok::<(), spark_render_engine::Error>(())
//! ```

pub mod app;
pub mod conf;
pub mod driver;
mod error;
pub mod inputs;
pub mod java;
pub mod kubernetes_conf;
pub mod manifest;
pub mod names;
pub mod pod;
pub mod quantity;
pub mod steps;
pub mod submit;
pub mod uploads;
pub mod version;

pub use conf::SparkConf;
pub use driver::DriverSpec;
pub use error::{Error, Result};
pub use inputs::{RenderInputs, SubmitterEnv};
pub use manifest::Resource;
pub use submit::{Submission, SubmitArgs};
pub use version::SparkVersion;

/// One render: spark-submit's arguments, the values Spark would draw itself, and the Spark
/// release to mirror.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderRequest {
    /// spark-submit's arguments.
    pub submit: SubmitArgs,
    /// Ids, times, user and environment.
    pub inputs: RenderInputs,
    /// The Spark release whose behaviour is mirrored.
    pub spark_version: SparkVersion,
}

impl RenderRequest {
    /// A request with the default (fixed) inputs and Spark 3.5.3.
    pub fn new(submit: SubmitArgs) -> Self {
        RenderRequest {
            submit,
            ..RenderRequest::default()
        }
    }
}

/// The driver's objects, plus notes for the user.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rendered {
    /// The driver side.
    pub driver: DriverSpec,
    /// Things spark-submit would ignore or override, worth telling the user.
    pub warnings: Vec<String>,
}

impl Rendered {
    /// The driver pod.
    pub fn pod(&self) -> Option<&k8s_openapi::api::core::v1::Pod> {
        self.driver.pod()
    }

    /// Every object, in the order Spark creates them.
    pub fn objects(&self) -> &[Resource] {
        &self.driver.objects
    }
}

/// Renders what `spark-submit --deploy-mode cluster` creates for the driver.
///
/// Fails with an [`Error`] naming the conf key, argument or input at fault when Spark would
/// refuse the submission, when the cluster would refuse the objects, or when the submission
/// uses a feature spark-render does not model.
pub fn render_driver(request: &RenderRequest) -> Result<Rendered> {
    request.inputs.validate()?;
    let submission = submit::prepare(&request.submit, &request.inputs)?;
    let driver = driver::build(&submission, &request.inputs, request.spark_version)?;
    Ok(Rendered {
        driver,
        warnings: submission.warnings,
    })
}
