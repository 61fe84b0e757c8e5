//! The cases the benchmarks render, shared by `benches/render.rs` and the profiling driver
//! in `bench/profile/`. Test inputs are read here, never by the engine.

#![allow(dead_code)]

use spark_render_engine::conf::properties;
use spark_render_engine::driver::BuildOptions;
use spark_render_engine::{RenderRequest, SubmitArgs};

/// (a) The oracle's minimal example: an image and an app name.
pub const MINIMAL_PROPERTIES: &str =
    include_str!("../../../testdata/driver/example-minimal/spark.properties");

/// (b) The typical conf: driver and executor pod templates.
pub const TYPICAL_PROPERTIES: &str =
    include_str!("../../../testdata/driver/example-templates/spark.properties");
/// The driver pod template of (b).
pub const TYPICAL_DRIVER_TEMPLATE: &str =
    include_str!("../../../testdata/driver/example-templates/driver-template.yaml");
/// The executor pod template of (b).
pub const TYPICAL_EXECUTOR_TEMPLATE: &str =
    include_str!("../../../testdata/driver/example-templates/executor-template.yaml");

/// The main resource and class every golden case uses.
pub const MAIN_RESOURCE: &str = "local:///opt/spark/examples/jars/spark-examples.jar";
/// See [`MAIN_RESOURCE`].
pub const MAIN_CLASS: &str = "org.apache.spark.examples.SparkPi";

/// The size of the large case (c).
pub const LARGE_VOLUMES: usize = 1_000;
/// See [`LARGE_VOLUMES`].
pub const LARGE_DRIVER_ENV: usize = 200;
/// See [`LARGE_VOLUMES`].
pub const LARGE_TEMPLATE_LINES: usize = 5_000;
/// The path the large conf gives its (driver and executor) pod template.
pub const LARGE_TEMPLATE_PATH: &str = "large-template.yaml";

/// A request built as `spark-render all` builds it for a golden case (the oracle's fixed
/// inputs, executor 1 with its uid), from properties text and the files the conf names.
pub fn request(properties_text: &str, files: &[(&str, &str)]) -> RenderRequest {
    let mut submit = SubmitArgs::new(MAIN_RESOURCE);
    submit.main_class = Some(MAIN_CLASS.into());
    submit.properties_file =
        properties::parse(properties_text, "spark.properties").expect("the properties parse");
    let mut request = RenderRequest::new(submit);
    request.executor_ids = vec![1];
    request
        .inputs
        .executor_uids
        .insert(1, "00000000-0000-0000-0000-00000000e001".into());
    for (path, text) in files {
        request
            .inputs
            .files
            .insert((*path).into(), text.as_bytes().to_vec());
    }
    request
}

/// The build options `render_all` derives from a request.
pub fn options(request: &RenderRequest) -> BuildOptions {
    let mut options = BuildOptions::default();
    options.strict = request.strict;
    options.explain = request.explain;
    options
}

/// (a)
pub fn minimal_request() -> RenderRequest {
    request(MINIMAL_PROPERTIES, &[])
}

/// (b)
pub fn typical_request() -> RenderRequest {
    request(
        TYPICAL_PROPERTIES,
        &[
            ("driver-template.yaml", TYPICAL_DRIVER_TEMPLATE),
            ("executor-template.yaml", TYPICAL_EXECUTOR_TEMPLATE),
        ],
    )
}

/// The minimal conf plus `volumes` executor emptyDir volumes and `driver_env`
/// `spark.kubernetes.driverEnv.*` variables, with `template` (if any) as the driver and
/// executor pod template at [`LARGE_TEMPLATE_PATH`].
pub fn generated_properties(volumes: usize, driver_env: usize, template: bool) -> String {
    let mut text = String::from(MINIMAL_PROPERTIES);
    if template {
        for role in ["driver", "executor"] {
            text.push_str(&format!(
                "spark.kubernetes.{role}.podTemplateFile={LARGE_TEMPLATE_PATH}\n\
                 spark.kubernetes.{role}.podTemplateContainerName=spark-main\n"
            ));
        }
    }
    for n in 0..volumes {
        text.push_str(&format!(
            "spark.kubernetes.executor.volumes.emptyDir.v{n}.mount.path=/v{n}\n"
        ));
    }
    for n in 0..driver_env {
        text.push_str(&format!(
            "spark.kubernetes.driverEnv.BENCH_ENV_{n}=value-{n}\n"
        ));
    }
    text
}

/// A valid pod template of exactly `lines` lines (at least 60): labels, annotations, a node
/// selector, tolerations, volumes and their mounts, two sidecars, and the Spark container
/// (`spark-main`) whose env fills the rest.
pub fn generated_template(lines: usize) -> String {
    let mut head = vec![
        "apiVersion: v1".to_owned(),
        "kind: Pod".to_owned(),
        "metadata:".to_owned(),
        "  labels:".to_owned(),
    ];
    for n in 0..100 {
        head.push(format!("    team-{n}: data-platform-{n}"));
    }
    head.push("  annotations:".into());
    for n in 0..100 {
        head.push(format!(
            "    example.com/note-{n}: \"annotation value {n}\""
        ));
    }
    head.push("spec:".into());
    head.push("  serviceAccountName: template-sa".into());
    head.push("  nodeSelector:".into());
    for n in 0..50 {
        head.push(format!("    pool-{n}: ssd-{n}"));
    }
    head.push("  tolerations:".into());
    for n in 0..200 {
        head.push(format!("    - key: dedicated-{n}"));
        head.push("      operator: Equal".into());
        head.push(format!("      value: spark-{n}"));
        head.push("      effect: NoSchedule".into());
    }
    head.push("  volumes:".into());
    for n in 0..300 {
        head.push(format!("    - name: tv-{n}"));
        head.push("      emptyDir: {}".into());
    }
    head.push("  containers:".into());
    for s in 0..2 {
        head.push(format!("    - name: sidecar-{s}"));
        head.push(format!("      image: example.com/sidecar:{s}"));
        head.push("      resources:".into());
        head.push("        requests:".into());
        head.push("          cpu: 50m".into());
        head.push("          memory: 64Mi".into());
        head.push("      env:".into());
        for n in 0..100 {
            head.push(format!("        - name: SIDECAR_{s}_{n}"));
            head.push(format!("          value: \"{n}\""));
        }
    }
    head.push("    - name: spark-main".into());
    head.push("      image: template/image:ignored".into());
    head.push("      volumeMounts:".into());
    for n in 0..300 {
        head.push(format!("        - name: tv-{n}"));
        head.push(format!("          mountPath: /tv/{n}"));
    }
    head.push("      env:".into());
    let mut n = 0;
    // Each env var is two lines; an odd remainder gets a one-line `workingDir`.
    if (lines - head.len()) % 2 == 1 {
        head.insert(
            head.len() - 1,
            "      workingDir: /opt/spark/work-dir".into(),
        );
    }
    while head.len() + 2 <= lines {
        head.push(format!("        - name: TEMPLATE_ENV_{n}"));
        head.push(format!("          value: \"template value {n}\""));
        n += 1;
    }
    assert_eq!(head.len(), lines, "template generator");
    let mut text = head.join("\n");
    text.push('\n');
    text
}

/// (c) 1 000 executor volumes, 200 driver env vars, and a 5 000-line driver and executor pod
/// template.
pub fn large_request() -> RenderRequest {
    let template = generated_template(LARGE_TEMPLATE_LINES);
    request(
        &generated_properties(LARGE_VOLUMES, LARGE_DRIVER_ENV, true),
        &[(LARGE_TEMPLATE_PATH, &template)],
    )
}

/// The scaling curve: the minimal conf plus `volumes` executor volumes.
pub fn volumes_request(volumes: usize) -> RenderRequest {
    request(&generated_properties(volumes, 0, false), &[])
}
