//! The catalogue of hostile and broken inputs (`testdata/hostile/`, described in its README):
//! each case runs `spark-render` in a fresh copy of its directory, after making what its
//! `setup` asks for (FIFOs, links to devices, sparse and generated files), and checks what its
//! `expected.json` says. Every case must also finish within 20 s, never panic, keep its
//! messages short, and stay under 64 MB of memory (measured with `/usr/bin/time` when it is
//! installed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

/// The catalogue holds at least this many cases.
const AT_LEAST: usize = 70;
/// A run still going after this long is a hang: it is killed and the case fails.
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// The most memory a run may use (peak resident set, KiB).
const MAX_RSS_KIB: u64 = 64 * 1024;
/// The most a run may print on stderr unless its case says otherwise.
const DEFAULT_MAX_STDERR: u64 = 4000;
/// Measures the peak resident set of the run, when installed.
const TIME: &str = "/usr/bin/time";

/// Environment variables of the submitter's shell that would change what is read.
const SCRUBBED_ENV: &[&str] = &[
    "SPARK_USER",
    "SPARK_CONF_DIR",
    "SPARK_HOME",
    "HADOOP_CONF_DIR",
    "SPARK_LOCAL_DIRS",
    "KUBECTL",
    "HADOOP_USER_NAME",
    "PYSPARK_PYTHON",
    "PYSPARK_DRIVER_PYTHON",
];

/// The keys `expected.json` may hold.
const KEYS: &[&str] = &[
    "why",
    "exit",
    "stdout_empty",
    "stdout_contains",
    "stdout_lacks",
    "stderr_contains",
    "stderr_lacks",
    "max_stderr_bytes",
    "setup",
    "stdin",
    "env",
];

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/hostile")
}

/// The case directories (those holding `args`), sorted.
fn cases() -> Vec<PathBuf> {
    let dir = catalogue();
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("args").is_file())
        .collect();
    out.sort();
    out
}

#[test]
fn hostile_inputs_are_refused_quickly_and_briefly_or_rendered() {
    let cases = cases();
    assert!(
        cases.len() >= AT_LEAST,
        "expected at least {AT_LEAST} hostile cases, found {}",
        cases.len()
    );
    let scratch = std::env::temp_dir().join(format!("spark-render-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let measure = Path::new(TIME).is_file();

    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                let name = case.file_name().unwrap().to_string_lossy().into_owned();
                let work = scratch.join(&name);
                let problems = check_case(case, &work, measure);
                let _ = std::fs::remove_dir_all(&work);
                let mut all = failures.lock().unwrap();
                all.extend(problems.into_iter().map(|p| format!("{name}: {p}")));
            });
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} problem(s) in {} hostile cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// What one run produced.
struct Run {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Peak resident set in KiB, when measured.
    rss_kib: Option<u64>,
}

/// Runs one case in `work` and returns what is wrong with it (nothing when it passes).
fn check_case(case: &Path, work: &Path, measure: bool) -> Vec<String> {
    let expected: Value = match std::fs::read_to_string(case.join("expected.json")) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => return vec![format!("expected.json is not JSON: {e}")],
        },
        Err(e) => return vec![format!("no expected.json: {e}")],
    };
    let Some(expected) = expected.as_object() else {
        return vec!["expected.json is not an object".into()];
    };
    if let Err(e) = check_keys(expected) {
        return vec![e];
    }
    let dir = work.join("case");
    if let Err(e) = copy_dir(case, &dir) {
        return vec![format!("cannot copy the case: {e}")];
    }
    if let Err(e) = apply_setup(&dir, expected.get("setup")) {
        return vec![format!("setup: {e}")];
    }
    let args = match read_args(&dir.join("args")) {
        Ok(args) => args,
        Err(e) => return vec![e],
    };
    let run = match run(&dir, work, &args, expected, measure) {
        Ok(run) => run,
        Err(e) => return vec![e],
    };
    judge(expected, &run)
}

/// Refuses misspelt keys and cases without a reason or an exit status.
fn check_keys(expected: &Map<String, Value>) -> Result<(), String> {
    if let Some(key) = expected.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!("expected.json: unknown key {key:?}"));
    }
    if !expected.get("why").is_some_and(Value::is_string) {
        return Err("expected.json: no \"why\"".into());
    }
    let exit = expected.get("exit").and_then(Value::as_i64);
    if exit.is_none() {
        return Err("expected.json: no \"exit\"".into());
    }
    if exit != Some(0) && !expected.contains_key("stdout_empty") {
        return Err(
            "expected.json: a refusal says whether stdout is empty (\"stdout_empty\")".into(),
        );
    }
    Ok(())
}

/// The arguments, one per line: no quoting, an empty line is an empty argument, the final
/// line end ends the last argument.
fn read_args(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("args: {e}"))?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    Ok(text.split('\n').map(str::to_owned).collect())
}

/// Copies the case's directories and regular files (`expected.json` included: harmless).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn string<'a>(item: &'a Value, key: &str) -> Result<&'a str, String> {
    item.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{item}: no string {key:?}"))
}

fn number(item: &Value, key: &str) -> Result<u64, String> {
    item.get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("{item}: no number {key:?}"))
}

/// A path inside the case directory, with its parent directories made.
fn inside(dir: &Path, name: &str) -> Result<PathBuf, String> {
    if name.is_empty() || name.starts_with('/') || name.split('/').any(|c| c == "..") {
        return Err(format!("{name:?} is not a path inside the case"));
    }
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(path)
}

/// Makes what `setup` lists in the case's copy.
fn apply_setup(dir: &Path, setup: Option<&Value>) -> Result<(), String> {
    let Some(setup) = setup else {
        return Ok(());
    };
    let items = setup.as_array().ok_or("not a list")?;
    for item in items {
        let fail = |e: std::io::Error| format!("{item}: {e}");
        if let Some(name) = item.get("fifo").and_then(Value::as_str) {
            let path = inside(dir, name)?;
            let made = Command::new("mkfifo")
                .arg(&path)
                .status()
                .map_err(|e| format!("{item}: mkfifo: {e}"))?;
            if !made.success() {
                return Err(format!("{item}: mkfifo failed"));
            }
        } else if let Some(name) = item.get("symlink").and_then(Value::as_str) {
            let path = inside(dir, name)?;
            std::os::unix::fs::symlink(string(item, "to")?, path).map_err(fail)?;
        } else if let Some(name) = item.get("dir").and_then(Value::as_str) {
            std::fs::create_dir_all(inside(dir, name)?).map_err(fail)?;
        } else if let Some(name) = item.get("big_file").and_then(Value::as_str) {
            let path = inside(dir, name)?;
            big_file(&path, item).map_err(fail)?;
        } else if let Some(name) = item.get("repeat").and_then(Value::as_str) {
            let path = inside(dir, name)?;
            let line = string(item, "line")?;
            let times = number(item, "times")?;
            let prefix = item.get("prefix").and_then(Value::as_str).unwrap_or("");
            repeat(&path, prefix, line, times).map_err(fail)?;
        } else {
            return Err(format!("{item}: unknown setup item"));
        }
    }
    Ok(())
}

/// `{"big_file": NAME, "bytes": N}`: `prefix`, then `fill` repeated up to N bytes in all; without
/// `fill`, a sparse file of N bytes (zeros that take no disk).
fn big_file(path: &Path, item: &Value) -> std::io::Result<()> {
    let bytes = item.get("bytes").and_then(Value::as_u64).unwrap_or(0);
    let prefix = item.get("prefix").and_then(Value::as_str).unwrap_or("");
    let mut file = File::create(path)?;
    file.write_all(prefix.as_bytes())?;
    match item.get("fill").and_then(Value::as_str) {
        Some(fill) if !fill.is_empty() => {
            let mut out = BufWriter::new(file);
            let mut left = bytes.saturating_sub(prefix.len() as u64);
            let chunk = fill.repeat(65_536 / fill.len() + 1);
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                out.write_all(&chunk.as_bytes()[..n])?;
                left -= n as u64;
            }
            out.flush()
        }
        _ => file.set_len(bytes.max(prefix.len() as u64)),
    }
}

/// `{"repeat": NAME, "line": TEXT, "times": N}`: `prefix`, then N lines, `{n}` in TEXT replaced
/// by the line's index (0, 1, ...).
fn repeat(path: &Path, prefix: &str, line: &str, times: u64) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    out.write_all(prefix.as_bytes())?;
    let numbered = line.contains("{n}");
    for i in 0..times {
        if numbered {
            out.write_all(line.replace("{n}", &i.to_string()).as_bytes())?;
        } else {
            out.write_all(line.as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Runs spark-render in `dir` with `args`; stdout, stderr and the measured peak memory go to
/// files in `work`. A run still going after [`TIME_LIMIT`] is killed.
fn run(
    dir: &Path,
    work: &Path,
    args: &[String],
    expected: &Map<String, Value>,
    measure: bool,
) -> Result<Run, String> {
    let bin = env!("CARGO_BIN_EXE_spark-render");
    let (out_path, err_path, rss_path) =
        (work.join("stdout"), work.join("stderr"), work.join("rss"));
    let mut cmd = if measure {
        let mut cmd = Command::new(TIME);
        cmd.args(["-f", "%M", "-o"]).arg(&rss_path).arg(bin);
        cmd
    } else {
        Command::new(bin)
    };
    cmd.args(args).current_dir(dir);
    for var in SCRUBBED_ENV {
        cmd.env_remove(var);
    }
    if let Some(env) = expected.get("env") {
        let env = env.as_object().ok_or("env: not an object")?;
        for (k, v) in env {
            cmd.env(k, v.as_str().ok_or("env: values are strings")?);
        }
    }
    let stdin = match expected.get("stdin") {
        Some(v) => Some(v.as_str().ok_or("stdin: not a string")?.to_owned()),
        None => None,
    };
    let file = |p: &Path| File::create(p).map_err(|e| format!("{}: {e}", p.display()));
    cmd.stdout(file(&out_path)?)
        .stderr(file(&err_path)?)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    // Its own process group, so that a hang is ended with everything it started.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|e| format!("cannot run: {e}"))?;
    let writer = match (stdin, child.stdin.take()) {
        (Some(text), Some(mut pipe)) => Some(std::thread::spawn(move || {
            // The program may not read it all: a closed pipe is fine.
            let _ = pipe.write_all(text.as_bytes());
        })),
        _ => None,
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > TIME_LIMIT => {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                if let Some(w) = writer {
                    let _ = w.join();
                }
                return Err(format!(
                    "still running after {} s: killed",
                    TIME_LIMIT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait: {e}")),
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let rss_kib = if measure {
        let text = std::fs::read_to_string(&rss_path).unwrap_or_default();
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        Some(
            last.and_then(|l| l.trim().parse().ok())
                .ok_or_else(|| format!("{TIME} wrote no peak memory: {text:?}"))?,
        )
    } else {
        None
    };
    Ok(Run {
        status,
        stdout: read(&out_path)?,
        stderr: read(&err_path)?,
        rss_kib,
    })
}

fn strings<'a>(expected: &'a Map<String, Value>, key: &str) -> Vec<&'a str> {
    expected
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The first `n` characters of `text`, for failure messages.
fn excerpt(text: &str, n: usize) -> String {
    let cut: String = text.chars().take(n).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// What is wrong with `run` against `expected` and the rules every case follows.
fn judge(expected: &Map<String, Value>, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let shown = excerpt(stderr.trim(), 600);
    let want = expected.get("exit").and_then(Value::as_i64);
    let code = run.status.code().map(i64::from);
    if code != want {
        problems.push(format!(
            "exit status {code:?} ({}), want {}: {shown}",
            run.status,
            want.unwrap_or(-1)
        ));
    }
    match expected.get("stdout_empty").and_then(Value::as_bool) {
        Some(true) if !run.stdout.is_empty() => problems.push(format!(
            "printed {} bytes on stdout: {}",
            run.stdout.len(),
            excerpt(&stdout, 200)
        )),
        Some(false) if run.stdout.is_empty() => problems.push("printed nothing on stdout".into()),
        _ => {}
    }
    if want != Some(0) && run.stderr.is_empty() {
        problems.push("refused without a message on stderr".into());
    }
    for fragment in strings(expected, "stdout_contains") {
        if !stdout.contains(fragment) {
            problems.push(format!(
                "stdout lacks {fragment:?}: {}",
                excerpt(&stdout, 300)
            ));
        }
    }
    for fragment in strings(expected, "stdout_lacks") {
        if stdout.contains(fragment) {
            problems.push(format!("stdout holds {fragment:?}"));
        }
    }
    for fragment in strings(expected, "stderr_contains") {
        if !stderr.contains(fragment) {
            problems.push(format!("stderr lacks {fragment:?}: {shown}"));
        }
    }
    for fragment in strings(expected, "stderr_lacks") {
        if stderr.contains(fragment) {
            problems.push(format!("stderr holds {fragment:?}: {shown}"));
        }
    }
    if stderr.contains("panicked") {
        problems.push(format!("panicked: {shown}"));
    }
    let max_stderr = expected
        .get("max_stderr_bytes")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_MAX_STDERR);
    if run.stderr.len() as u64 > max_stderr {
        problems.push(format!(
            "{} bytes on stderr, more than {max_stderr}: {}",
            run.stderr.len(),
            excerpt(stderr.trim(), 300)
        ));
    }
    if let Some(rss) = run.rss_kib {
        if rss > MAX_RSS_KIB {
            problems.push(format!(
                "peak memory {} MiB, more than {} MiB",
                rss / 1024,
                MAX_RSS_KIB / 1024
            ));
        }
    }
    problems
}
