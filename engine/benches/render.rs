//! Speed of the engine: `cargo bench -p spark-render-engine`.
//!
//! * `render_all`: one full render (driver objects + executor 1) of (a) the minimal conf,
//!   (b) the typical conf with driver and executor pod templates, (c) a large generated conf
//!   (1 000 executor volumes, 200 driver env vars, a 5 000-line pod template).
//! * `scaling`: the minimal conf plus 10 / 100 / 1 000 executor volumes.
//! * `pipeline`: what `spark-render all` does in process: parse the properties, render, copy
//!   the objects out and print them as YAML.
//! * `stages_typical`, `stages_large`: each step of `render_all` on its own, through the public
//!   API (`s5_validate` and `s5_objects_copy` are the checks `render_all` ends with, and the copy
//!   both it and the CLI make with `Rendered::objects`).
//! * `template_parse`, `properties_parse`: the parsers alone.
//!
//! Filter with a name: `cargo bench -p spark-render-engine -- scaling`.

use divan::{black_box, Bencher};
use spark_render_engine::conf::properties;
use spark_render_engine::{
    driver, executor, manifest, render_all, submit, template, validate, RenderRequest,
    RunningDriver,
};

mod common;

/// The system allocator by default, as the `spark-render` binary uses;
/// `RUSTFLAGS="--cfg bench_mimalloc"` measures with mimalloc, which an application embedding
/// the engine may choose (a render makes many small strings).
#[cfg(bench_mimalloc)]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn checked(request: &RenderRequest) -> RenderRequest {
    render_all(request).expect("the case renders");
    request.clone()
}

mod render_all {
    use super::*;

    #[divan::bench]
    fn a_minimal(b: Bencher) {
        let request = checked(&common::minimal_request());
        b.bench(|| render_all(black_box(&request)));
    }

    #[divan::bench]
    fn b_typical_templates(b: Bencher) {
        let request = checked(&common::typical_request());
        b.bench(|| render_all(black_box(&request)));
    }

    #[divan::bench(sample_count = 30)]
    fn c_large(b: Bencher) {
        let request = checked(&common::large_request());
        b.bench(|| render_all(black_box(&request)));
    }
}

mod scaling {
    use super::*;

    #[divan::bench(args = [10, 100, 1000])]
    fn executor_volumes(b: Bencher, volumes: usize) {
        let request = checked(&common::volumes_request(volumes));
        b.bench(|| render_all(black_box(&request)));
    }

    #[divan::bench(args = [10, 100, 1000])]
    fn executor_volumes_to_yaml(b: Bencher, volumes: usize) {
        let request = checked(&common::volumes_request(volumes));
        b.bench(|| {
            let rendered = render_all(black_box(&request)).expect("renders");
            manifest::to_yaml(&rendered.objects())
        });
    }
}

/// Parse + render + copy out + YAML, as the CLI's `all` does after reading its files.
fn pipeline_of(b: Bencher, properties_text: &str, template_request: RenderRequest) {
    let files = template_request.inputs.files.clone();
    b.bench(|| {
        let mut request = common::request(black_box(properties_text), &[]);
        request.inputs.files = files.clone();
        let rendered = render_all(&request).expect("renders");
        manifest::to_yaml(&rendered.objects()).expect("prints")
    });
}

mod pipeline {
    use super::*;

    #[divan::bench]
    fn a_minimal(b: Bencher) {
        pipeline_of(b, common::MINIMAL_PROPERTIES, common::minimal_request());
    }

    #[divan::bench]
    fn b_typical_templates(b: Bencher) {
        pipeline_of(b, common::TYPICAL_PROPERTIES, common::typical_request());
    }

    #[divan::bench(sample_count = 30)]
    fn c_large(b: Bencher) {
        let text =
            common::generated_properties(common::LARGE_VOLUMES, common::LARGE_DRIVER_ENV, true);
        pipeline_of(b, &text, common::large_request());
    }
}

/// Each stage of `render_all`, given the previous stage's output.
macro_rules! stages {
    ($group:ident, $request:expr, $samples:expr) => {
        mod $group {
            use super::*;

            fn request() -> RenderRequest {
                checked(&$request)
            }

            #[divan::bench(sample_count = $samples)]
            fn s1_prepare(b: Bencher) {
                let r = request();
                b.bench(|| {
                    r.inputs.validate()?;
                    submit::prepare(black_box(&r.submit), &r.inputs)
                });
            }

            #[divan::bench(sample_count = $samples)]
            fn s2_driver_build(b: Bencher) {
                let r = request();
                let s = submit::prepare(&r.submit, &r.inputs).expect("prepares");
                b.bench(|| {
                    driver::build(
                        black_box(&s),
                        &r.inputs,
                        r.spark_version,
                        driver::BuildOptions::default(),
                    )
                });
            }

            #[divan::bench(sample_count = $samples)]
            fn s3_running_driver(b: Bencher) {
                let r = request();
                let s = submit::prepare(&r.submit, &r.inputs).expect("prepares");
                let d = driver::build(
                    &s,
                    &r.inputs,
                    r.spark_version,
                    driver::BuildOptions::default(),
                )
                .expect("builds");
                b.bench(|| {
                    RunningDriver::in_cluster(black_box(&d), &r.inputs, r.spark_version.release())
                });
            }

            #[divan::bench(sample_count = $samples)]
            fn s4_executor_build(b: Bencher) {
                let r = request();
                let s = submit::prepare(&r.submit, &r.inputs).expect("prepares");
                let d = driver::build(
                    &s,
                    &r.inputs,
                    r.spark_version,
                    driver::BuildOptions::default(),
                )
                .expect("builds");
                let running = RunningDriver::in_cluster(&d, &r.inputs, r.spark_version.release());
                b.bench(|| {
                    executor::build(
                        black_box(&running),
                        &r.inputs,
                        r.spark_version,
                        &r.executor_ids,
                        driver::BuildOptions::default(),
                    )
                });
            }

            #[divan::bench(sample_count = $samples)]
            fn s5_validate(b: Bencher) {
                let owned = render_all(&request()).expect("renders").objects();
                let objects: Vec<_> = owned.iter().collect();
                b.bench(|| {
                    validate::check(black_box(&objects))?;
                    Ok::<_, spark_render_engine::Error>(validate::warnings(&objects))
                });
            }

            #[divan::bench(sample_count = $samples)]
            fn s5_objects_copy(b: Bencher) {
                let rendered = render_all(&request()).expect("renders");
                b.bench(|| black_box(&rendered).objects());
            }

            #[divan::bench(sample_count = $samples)]
            fn s6_to_yaml(b: Bencher) {
                let objects = render_all(&request()).expect("renders").objects();
                b.bench(|| manifest::to_yaml(black_box(&objects)));
            }

            #[divan::bench(sample_count = $samples)]
            fn s6_to_json(b: Bencher) {
                let objects = render_all(&request()).expect("renders").objects();
                b.bench(|| manifest::to_json_list(black_box(&objects)));
            }
        }
    };
}

stages!(stages_typical, common::typical_request(), 100);
stages!(stages_large, common::large_request(), 30);

mod template_parse {
    use super::*;

    const KEY: &str = "spark.kubernetes.driver.podTemplateFile";

    #[divan::bench]
    fn typical_driver(b: Bencher) {
        b.bench(|| template::parse(black_box(common::TYPICAL_DRIVER_TEMPLATE), KEY, "t.yaml"));
    }

    #[divan::bench]
    fn typical_executor(b: Bencher) {
        b.bench(|| template::parse(black_box(common::TYPICAL_EXECUTOR_TEMPLATE), KEY, "t.yaml"));
    }

    #[divan::bench(sample_count = 30)]
    fn generated_5000_lines(b: Bencher) {
        let text = common::generated_template(common::LARGE_TEMPLATE_LINES);
        template::parse(&text, KEY, "t.yaml").expect("the generated template parses");
        b.bench(|| template::parse(black_box(&text), KEY, "t.yaml"));
    }
}

mod properties_parse {
    use super::*;

    #[divan::bench]
    fn typical(b: Bencher) {
        b.bench(|| properties::parse(black_box(common::TYPICAL_PROPERTIES), "spark.properties"));
    }

    #[divan::bench]
    fn large_1200_lines(b: Bencher) {
        let text =
            common::generated_properties(common::LARGE_VOLUMES, common::LARGE_DRIVER_ENV, true);
        b.bench(|| properties::parse(black_box(&text), "spark.properties"));
    }
}
