//! How a team pins its Spark job's manifests: render the job's conf and templates, snapshot
//! the objects, and review any change. (The README's "Snapshot-test your Spark jobs" section
//! shows the same in a project of your own.)

#![allow(clippy::unwrap_used)]

use spark_render_engine::{conf::properties, manifest, render_all, RenderRequest, SubmitArgs};

#[test]
fn nightly_etl_manifests() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/jobs/nightly-etl");
    let conf = std::fs::read_to_string(format!("{dir}/job.properties")).unwrap();
    let mut submit = SubmitArgs::new("local:///opt/app/etl.py");
    submit.properties_file = properties::parse(&conf, "job.properties").unwrap();
    let mut request = RenderRequest::new(submit);
    let template = std::fs::read(format!("{dir}/executor-template.yaml")).unwrap();
    request
        .inputs
        .files
        .insert("executor-template.yaml".into(), template);
    let yaml = manifest::to_yaml(&render_all(&request).unwrap().objects()).unwrap();
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("nightly-etl", yaml);
    });
}
