//! Renders one benchmark case in a loop, for a profiler to watch, or times each stage of a
//! render through the engine's public API.
//!
//! ```text
//! bench-profile CASE [ITERATIONS] [MODE]
//!   CASE        minimal | typical | large | volumes=N
//!   ITERATIONS  default 1000
//!   MODE        render   render_all (default)
//!               keep     render_all, every result kept allocated to the end (for `allocs`)
//!               pipeline render_all, copy the objects out, print them as YAML (what `all` does)
//!               stages   median time of each stage, printed to stdout
//!               write    write the case's properties and files into the directory given
//!                        as a fourth argument (to run `spark-render` on it)
//!               yaml     median time of the library calls under `template::parse`, for the
//!                        case's driver template (typical: driver-template.yaml; large: the
//!                        generated 5 000-line template), printed to stdout
//! ```

use std::time::{Duration, Instant};

use serde::Deserialize as _;

use spark_render_engine::{
    driver, executor, manifest, render_all, submit, template, validate, RenderRequest,
    RunningDriver,
};

#[path = "../../../engine/benches/common/mod.rs"]
mod common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let case = args.first().map_or("typical", String::as_str);
    let iterations: usize = args
        .get(1)
        .map_or(1000, |n| n.parse().expect("ITERATIONS is a number"));
    let mode = args.get(2).map_or("render", String::as_str);
    let request = match case {
        "minimal" => common::minimal_request(),
        "typical" => common::typical_request(),
        "large" => common::large_request(),
        other => match other.strip_prefix("volumes=") {
            Some(n) => common::volumes_request(n.parse().expect("volumes=N")),
            None => panic!("unknown case {other}: minimal | typical | large | volumes=N"),
        },
    };
    render_all(&request).expect("the case renders");
    let start = Instant::now();
    match mode {
        "render" => {
            for _ in 0..iterations {
                std::hint::black_box(render_all(std::hint::black_box(&request)).expect("renders"));
            }
        }
        "pipeline" => {
            for _ in 0..iterations {
                let rendered = render_all(std::hint::black_box(&request)).expect("renders");
                std::hint::black_box(manifest::to_yaml(&rendered.objects()).expect("prints"));
            }
        }
        "keep" => {
            // The results stay allocated to the end, so that a heap profiler tells the
            // output's allocations (alive at exit) from those a render frees itself.
            let kept: Vec<_> = (0..iterations)
                .map(|_| render_all(std::hint::black_box(&request)).expect("renders"))
                .collect();
            std::mem::forget(kept);
        }
        "stages" => stages(&request, iterations),
        "yaml" => yaml(&request, iterations),
        "write" => {
            let dir = std::path::Path::new(args.get(3).expect("write needs a directory"));
            std::fs::create_dir_all(dir).expect("the directory can be made");
            let text: String = request
                .submit
                .properties_file
                .iter()
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect();
            std::fs::write(dir.join("spark.properties"), text).expect("written");
            for (path, bytes) in &request.inputs.files {
                std::fs::write(dir.join(path), bytes).expect("written");
            }
            return;
        }
        other => panic!("unknown mode {other}: render | keep | pipeline | stages | yaml | write"),
    }
    eprintln!(
        "{case} {mode}: {iterations} iterations, {:.1} µs each",
        start.elapsed().as_secs_f64() * 1e6 / iterations as f64
    );
}

/// Times each stage `iterations` times and prints the medians.
fn stages(r: &RenderRequest, iterations: usize) {
    let mut times: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut record =
        |name: &'static str, d: Duration| match times.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(d),
            None => times.push((name, vec![d])),
        };
    for _ in 0..iterations {
        let t = Instant::now();
        r.inputs.validate().expect("valid inputs");
        let s = submit::prepare(&r.submit, &r.inputs).expect("prepares");
        record("RenderInputs::validate + submit::prepare", t.elapsed());
        let t = Instant::now();
        let d = driver::build(&s, &r.inputs, r.spark_version, common::options(r)).expect("builds");
        record("driver::build", t.elapsed());
        let t = Instant::now();
        let running = RunningDriver::in_cluster(&d, &r.inputs, r.spark_version.release());
        record("RunningDriver::in_cluster", t.elapsed());
        let t = Instant::now();
        let e = executor::build(
            &running,
            &r.inputs,
            r.spark_version,
            &r.executor_ids,
            common::options(r),
        )
        .expect("builds");
        record("executor::build", t.elapsed());
        let t = Instant::now();
        // render_all's finish: the checks, on the objects borrowed.
        let refs: Vec<&_> = d.objects.iter().chain(&e.objects).collect();
        validate::check(&refs).expect("valid objects");
        std::hint::black_box(validate::warnings(&refs));
        record("validate::check + validate::warnings", t.elapsed());
        let t = Instant::now();
        let mut objects = d.objects.clone();
        objects.extend(e.objects.iter().cloned());
        record(
            "copy objects (Rendered::objects, in the CLI; not in render_all)",
            t.elapsed(),
        );
        let t = Instant::now();
        std::hint::black_box(manifest::to_yaml(&objects).expect("prints"));
        record("manifest::to_yaml", t.elapsed());
        // The templates alone, as the steps parse them.
        for (key, path) in [
            ("spark.kubernetes.driver.podTemplateFile", "driver"),
            ("spark.kubernetes.executor.podTemplateFile", "executor"),
        ] {
            if let Some(file) = s.conf.get(key) {
                let text = r.inputs.file_text(key, file).expect("template provided");
                let t = Instant::now();
                std::hint::black_box(template::parse(text, key, file).expect("parses"));
                record(
                    if path == "driver" {
                        "  (template::parse, driver template)"
                    } else {
                        "  (template::parse, executor template)"
                    },
                    t.elapsed(),
                );
            }
        }
    }
    let mut total = Duration::ZERO;
    for (name, v) in &mut times {
        v.sort();
        let median = v[v.len() / 2];
        if !name.starts_with(' ') {
            total += median;
        }
        println!("{:>12.1} µs  {name}", median.as_secs_f64() * 1e6);
    }
    println!(
        "{:>12.1} µs  sum of the stage medians",
        total.as_secs_f64() * 1e6
    );
}

/// Times the ways of turning the driver template's YAML into a `Pod`.
fn yaml(r: &RenderRequest, iterations: usize) {
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::Value;
    let key = "spark.kubernetes.driver.podTemplateFile";
    let file = r
        .submit
        .properties_file
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .expect("the case has a driver template");
    let text = r.inputs.file_text(key, &file).expect("template provided");
    let value: Value = serde_saphyr::from_str(text).expect("YAML");
    let json = serde_json::to_string(&value).expect("JSON");
    let pod: Pod = serde_json::from_value(value.clone()).expect("a pod");
    let mut lean = serde_saphyr::Options::default();
    lean.budget = None;
    lean.emit_comments = false;
    let median = |f: &dyn Fn()| {
        let mut v: Vec<Duration> = (0..iterations)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e6
    };
    println!("{} lines, {} bytes", text.lines().count(), text.len());
    let rows: Vec<(&str, f64)> = vec![
        (
            "template::parse (all of it)",
            median(&|| {
                std::hint::black_box(template::parse(text, key, &file).expect("parses"));
            }),
        ),
        (
            "serde_saphyr::from_str::<Value> (for comparison)",
            median(&|| {
                std::hint::black_box(serde_saphyr::from_str::<Value>(text).expect("YAML"));
            }),
        ),
        (
            "  same, budget off, comments off",
            median(&|| {
                std::hint::black_box(
                    serde_saphyr::from_str_with_options::<Value>(text, lean.clone()).expect("YAML"),
                );
            }),
        ),
        (
            "serde_saphyr::from_str::<Pod> (typed)",
            median(&|| {
                std::hint::black_box(serde_saphyr::from_str::<Pod>(text).expect("YAML"));
            }),
        ),
        (
            "serde_path_to_error::deserialize(&Value) -> Pod",
            median(&|| {
                std::hint::black_box(
                    serde_path_to_error::deserialize::<_, Pod>(&value).expect("a pod"),
                );
            }),
        ),
        (
            "Pod::deserialize(&Value) (no path tracking)",
            median(&|| {
                std::hint::black_box(Pod::deserialize(&value).expect("a pod"));
            }),
        ),
        (
            "serde_json::to_value(&Pod) (round trip)",
            median(&|| {
                std::hint::black_box(serde_json::to_value(&pod).expect("a value"));
            }),
        ),
        (
            "Value::clone",
            median(&|| {
                std::hint::black_box(value.clone());
            }),
        ),
        (
            "other parser: yaml_serde::from_str::<Value>",
            median(&|| {
                std::hint::black_box(yaml_serde::from_str::<Value>(text).expect("YAML"));
            }),
        ),
        (
            "other parser: yaml_serde::from_str::<Pod> (typed)",
            median(&|| {
                std::hint::black_box(yaml_serde::from_str::<Pod>(text).expect("YAML"));
            }),
        ),
        (
            "other parser: yaml_rust2::YamlLoader (its own tree)",
            median(&|| {
                std::hint::black_box(yaml_rust2::YamlLoader::load_from_str(text).expect("YAML"));
            }),
        ),
        (
            "for scale: serde_json::from_str::<Value> of the same tree",
            median(&|| {
                std::hint::black_box(serde_json::from_str::<Value>(&json).expect("JSON"));
            }),
        ),
    ];
    for (name, us) in rows {
        println!("{us:>12.1} µs  {name}");
    }
}
