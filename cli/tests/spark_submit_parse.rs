//! spark-render reads a spark-submit command line as the real spark-submit 3.5.3 does: for
//! every case under `testdata/spark-submit/` (real command lines from Spark's docs and public
//! repositories, plus edge cases), `spark-render driver -v` prints the same class arguments
//! (primary resource, main class, application arguments, proxy user) and the same Spark config
//! as `spark-submit --verbose` printed (`spark-submit.json`, made by
//! `scripts/regen-submit-goldens.sh`); where spark-submit refuses the command line,
//! spark-render refuses it too, unless `command.json` names a deviation the README documents
//! (a refusal that depends on the submitting machine, not on the command line).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What the golden script passes when a case names no master (spark-submit's own default,
/// `local[*]`, is no Kubernetes submission).
const DEFAULT_MASTER: &str = "k8s://http://127.0.0.1:1";

/// The class spark-submit runs for a Kubernetes cluster-mode submission.
const CLIENT_APPLICATION: &str = "org.apache.spark.deploy.k8s.submit.KubernetesClientApplication";

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/spark-submit");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("command.json").is_file())
        .collect();
    cases.sort();
    cases
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What `-v` printed: the class spark-submit runs, its arguments and the Spark config.
struct Verbose {
    main_class: String,
    child_args: Vec<String>,
    conf: BTreeMap<String, String>,
}

fn parse_verbose(stderr: &str) -> Option<Verbose> {
    let start = stderr.find("Main class:\n")?;
    let mut lines = stderr[start..].lines().skip(1);
    let main_class = lines.next()?.to_owned();
    if lines.next()? != "Arguments:" {
        return None;
    }
    let mut child_args = Vec::new();
    for line in lines.by_ref() {
        if line == "Spark config:" {
            break;
        }
        child_args.push(line.to_owned());
    }
    let mut conf = BTreeMap::new();
    for line in lines {
        let Some(entry) = line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) else {
            break;
        };
        let (key, value) = entry.split_once(',')?;
        conf.insert(key.to_owned(), value.to_owned());
    }
    Some(Verbose {
        main_class,
        child_args,
        conf,
    })
}

/// The class arguments spark-submit printed, rebuilt from the golden's fields.
fn expected_child_args(golden: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()
    };
    if golden["child_main_class"] != CLIENT_APPLICATION {
        // Client mode: the application's own class and arguments.
        return strings(&golden["app_args"]);
    }
    let mut args = Vec::new();
    let flag = match golden["resource_kind"].as_str() {
        Some("python") => "--primary-py-file",
        Some("r") => "--primary-r-file",
        _ => "--primary-java-resource",
    };
    if let Some(resource) = golden["primary_resource"].as_str() {
        args.extend([flag.to_owned(), resource.to_owned()]);
    }
    args.extend([
        "--main-class".to_owned(),
        golden["main_class"].as_str().unwrap().to_owned(),
    ]);
    for arg in golden["app_args"].as_array().unwrap() {
        args.extend(["--arg".to_owned(), arg.as_str().unwrap().to_owned()]);
    }
    if let Some(user) = golden["proxy_user"].as_str() {
        args.extend(["--proxy-user".to_owned(), user.to_owned()]);
    }
    args
}

/// Runs `spark-render driver -v --reproducible ARGV` in the case directory, with the case's
/// environment and nothing of the caller's.
fn run(dir: &Path, command: &Value) -> std::process::Output {
    let argv: Vec<&str> = command["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spark-render"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(dir)
        .args(["driver", "-v", "--reproducible"]);
    if !names_master(dir, &argv) {
        cmd.args(["--master", DEFAULT_MASTER]);
    }
    cmd.args(&argv);
    if let Some(env) = command["env"].as_object() {
        for (name, value) in env {
            let value = value.as_str().unwrap();
            // Directories are given relative to the case.
            let value = if name.ends_with("_DIR") || name == "SPARK_HOME" {
                dir.join(value).display().to_string()
            } else {
                value.to_owned()
            };
            cmd.env(name, value);
        }
    }
    cmd.output().expect("spark-render runs")
}

/// Whether the case names a master itself, by the golden script's rule: `--master` in argv,
/// `spark.master=` in argv, or a line starting with `spark.master` in a file of the case.
fn names_master(dir: &Path, argv: &[&str]) -> bool {
    let in_argv = argv
        .iter()
        .any(|a| *a == "--master" || a.starts_with("--master=") || a.contains("spark.master="));
    in_argv || mentions_master(dir)
}

/// Whether a file under `dir` (at any depth) has a line starting with `spark.master`.
fn mentions_master(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let path = entry.unwrap().path();
        if path.is_dir() {
            return mentions_master(&path);
        }
        std::fs::read_to_string(&path)
            .is_ok_and(|t| t.lines().any(|l| l.starts_with("spark.master")))
    })
}

/// spark-submit qualifies the local files of these lists that exist on the submitting machine
/// as `file:///path` (Hadoop's glob); spark-render keeps `file:/path`, which names the same
/// file (see the README's deviations). Compared after mapping the one to the other.
const QUALIFIED_LISTS: &[&str] = &[
    "spark.jars",
    "spark.files",
    "spark.submit.pyFiles",
    "spark.archives",
];

fn check(dir: &Path) -> Result<(), String> {
    let command = read_json(&dir.join("command.json"));
    if !dir.join("spark-submit.json").is_file() {
        return Err("no spark-submit.json: run scripts/regen-submit-goldens.sh".into());
    }
    let golden = read_json(&dir.join("spark-submit.json"));
    let out = run(dir, &command);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if golden["status"] != 0 && command["deviation"].is_string() {
        // A refusal that depends on the submitting machine, documented in the README: the
        // command line itself renders.
        return match out.status.code() {
            Some(0) => Ok(()),
            code => Err(format!(
                "a documented deviation ({}) that spark-render refuses ({code:?}): {stderr}",
                command["deviation"]
            )),
        };
    }
    if golden["status"] != 0 {
        return match out.status.code() {
            Some(1 | 2) => Ok(()),
            code => Err(format!(
                "spark-submit refuses it ({}), spark-render exits {code:?}: {stderr}",
                golden["error"]
            )),
        };
    }
    let case_dir = dir.canonicalize().unwrap().display().to_string();
    let ours = parse_verbose(&stderr.replace(&case_dir, "$CASE_DIR"))
        .ok_or_else(|| format!("no -v output (exit {:?}): {stderr}", out.status.code()))?;
    let mut problems = Vec::new();
    if golden["child_main_class"] != ours.main_class.as_str() {
        problems.push(format!(
            "main class: spark-submit {}, spark-render {}",
            golden["child_main_class"], ours.main_class
        ));
    }
    let expected = expected_child_args(&golden);
    if ours.child_args != expected {
        problems.push(format!(
            "class arguments:\n    spark-submit: {expected:?}\n    spark-render: {:?}",
            ours.child_args
        ));
    }
    let theirs: BTreeMap<String, String> = golden["conf"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let theirs: BTreeMap<String, String> = theirs
        .into_iter()
        .map(|(k, v)| {
            let v = if QUALIFIED_LISTS.contains(&k.as_str()) {
                v.replace("file:///", "file:/")
                    .replace("file://$CASE_DIR", "file:$CASE_DIR")
            } else {
                v
            };
            (k, v)
        })
        .collect();
    let mut ours_conf: BTreeMap<String, String> = ours
        .conf
        .into_iter()
        .map(|(k, v)| {
            let v = if QUALIFIED_LISTS.contains(&k.as_str()) {
                v.replace("file:///", "file:/")
            } else {
                v
            };
            (k, v)
        })
        .collect();
    if !theirs.contains_key("spark.app.submitTime") {
        // spark-submit's clock; the golden drops it.
        ours_conf.remove("spark.app.submitTime");
    }
    let keys: std::collections::BTreeSet<&String> = theirs.keys().chain(ours_conf.keys()).collect();
    for key in keys {
        let (a, b) = (theirs.get(key), ours_conf.get(key));
        if a != b {
            problems.push(format!("{key}: spark-submit {a:?}, spark-render {b:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n  "))
    }
}

#[test]
fn command_lines_parse_as_spark_submit_parses_them() {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|dir| {
            check(dir)
                .err()
                .map(|e| format!("{}:\n  {e}", dir.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} command lines differ from spark-submit:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 40, "only {} command lines", cases.len());
}

/// Every option `spark-submit --help` lists (3.5.3, `spark-submit-help.txt`) is one
/// `spark-render driver` takes: accepted, or refused with a reason (`--kill`, `--status`,
/// `--remote`).
#[test]
fn every_spark_submit_option_is_taken() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/spark-submit");
    let help = std::fs::read_to_string(dir.join("spark-submit-help.txt")).unwrap();
    let options: Vec<&str> = help
        .lines()
        .filter_map(|l| l.trim_start().split([' ', ',']).next())
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .collect();
    assert!(options.len() >= 30, "{options:?}");
    let ours = Command::new(env!("CARGO_BIN_EXE_spark-render"))
        .args(["driver", "--help"])
        .output()
        .unwrap();
    let ours = String::from_utf8(ours.stdout).unwrap();
    let missing: Vec<&&str> = options
        .iter()
        .filter(|o| {
            !ours
                .lines()
                .any(|l| l.trim_start().split([' ', ',', '=']).any(|w| w == **o))
        })
        .collect();
    assert!(missing.is_empty(), "spark-render driver lacks {missing:?}");
}
