//! Readable snapshots of typical renders (in `snapshots/`), for review: a change to what
//! spark-render prints shows up here as a diff to read before accepting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use spark_render_engine::conf::properties;
use spark_render_engine::{manifest, render_driver, RenderRequest, SubmitArgs};

fn render(props: &str, resource: &str, class: Option<&str>, args: &[&str]) -> String {
    let mut submit = SubmitArgs::new(resource);
    submit.main_class = class.map(str::to_owned);
    submit.app_args = args.iter().map(|a| a.to_string()).collect();
    submit.properties_file = properties::parse(props, "spark.properties").unwrap();
    let rendered = render_driver(&RenderRequest::new(submit)).unwrap();
    manifest::to_yaml(rendered.driver_objects()).unwrap()
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn spark_pi() {
    let yaml = render(
        "spark.app.name=spark-pi\nspark.kubernetes.container.image=apache/spark:3.5.3\n",
        "local:///opt/spark/examples/jars/spark-examples.jar",
        Some("org.apache.spark.examples.SparkPi"),
        &["100"],
    );
    snapshot!("driver-spark-pi", yaml);
}

#[test]
fn python_job_with_metadata() {
    let yaml = render(
        "spark.app.name=Nightly ETL\n\
         spark.kubernetes.namespace=analytics\n\
         spark.kubernetes.container.image=registry.example.com/spark-py:3.5.3\n\
         spark.driver.memory=2g\n\
         spark.kubernetes.driver.request.cores=500m\n\
         spark.kubernetes.driver.limit.cores=2\n\
         spark.kubernetes.driver.label.team=data\n\
         spark.kubernetes.driver.annotation.example.com/app={{APP_ID}}\n\
         spark.kubernetes.driverEnv.LOG_LEVEL=debug\n\
         spark.kubernetes.authenticate.driver.serviceAccountName=spark\n\
         spark.kubernetes.node.selector.pool=spark\n\
         spark.kubernetes.driver.secretKeyRef.DB_PASSWORD=db:password\n\
         spark.pyspark.python=python3\n",
        "local:///opt/app/etl.py",
        None,
        &["--date", "2024-01-31"],
    );
    snapshot!("driver-python-metadata", yaml);
}
