//! `--apply`: what Spark's `Client` does, through kubectl. Create the driver Pod first
//! (`kubectl create -f - -o json`) to learn the UID the API server gives it, then apply the
//! driver's other objects with ownerReferences to that UID, so they are deleted with the pod;
//! if that fails, delete the pod again, as Spark does. Every kubectl call is bounded in time,
//! what kubectl prints is shown with control characters escaped, and nothing is trusted from
//! its output but the UID.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Once};
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{killpg, Signal};
use nix::sys::wait::{waitid, Id, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use spark_render_engine::{manifest, Resource};

use crate::args::ApplyOptions;
use crate::errors::CliError;
use crate::output::escape_control;

/// How long one kubectl call may take by default, in seconds: Spark's client gives up after
/// `spark.kubernetes.submission.requestTimeout` (10 s).
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// The most of kubectl's output kept (the rest is dropped): a pod's JSON is a few KiB.
const MAX_OUTPUT_BYTES: u64 = 1 << 20;

/// Set when spark-render is asked to stop (SIGINT, SIGTERM, SIGHUP) during `--apply`.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From here on, a stop signal does not end spark-render at once: the kubectl call running
/// is stopped and the pod spark-render created is deleted first.
fn watch_stop_signals() {
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        if let Err(e) = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst)) {
            eprintln!("spark-render: warning: stop signals cannot be watched ({e}); a stop during --apply may leave the driver pod behind");
        }
    });
}

/// Whether a stop signal came.
fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Whether a call may be cut short by a stop signal (the cleanup may not).
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnStop {
    Stop,
    Finish,
}

/// How to run kubectl: the program, the flags passed through to every call, and how long a
/// call may take.
#[derive(Debug, Clone)]
pub struct Kubectl {
    program: OsString,
    global: Vec<String>,
    timeout: Duration,
}

/// What a finished kubectl call printed on its standard output.
struct Printed(String);

impl Kubectl {
    /// `--kubectl PATH`, else `$KUBECTL`, else `kubectl` from `PATH`; with `--context` and
    /// `--kubeconfig` passed through, and `--kubectl-timeout`.
    pub fn new(opts: &ApplyOptions) -> Self {
        let program = opts
            .kubectl
            .clone()
            .map(OsString::from)
            .or_else(|| std::env::var_os("KUBECTL").filter(|v| !v.is_empty()))
            .unwrap_or_else(|| OsString::from("kubectl"));
        let mut global = Vec::new();
        if let Some(context) = &opts.context {
            global.extend(["--context".to_owned(), context.clone()]);
        }
        if let Some(kubeconfig) = &opts.kubeconfig {
            global.extend(["--kubeconfig".to_owned(), kubeconfig.display().to_string()]);
        }
        Kubectl {
            program,
            global,
            timeout: Duration::from_secs(opts.kubectl_timeout),
        }
    }

    /// Runs kubectl with `args`, `stdin` on its standard input, for at most the timeout (then
    /// it is killed). What it prints on standard error is passed on, control characters
    /// escaped. Returns its standard output, or why it failed.
    fn run(
        &self,
        args: &[&str],
        stdin: &str,
        step: &str,
        on_stop: OnStop,
    ) -> Result<Printed, CliError> {
        let mut child = Command::new(&self.program)
            .args(&self.global)
            .args(args)
            // A process group of its own: on a timeout or a stop, whatever kubectl started
            // (credential plugins, a wrapper's children) is stopped with it.
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                CliError::Output(format!(
                    "cannot run {} ({step}): {e}",
                    self.program.to_string_lossy()
                ))
            })?;
        // Threads feed and drain the pipes, so that a kubectl that writes a lot, or reads
        // nothing, cannot block the wait below. The feeding thread is never waited for: kubectl
        // may exit without reading everything, and its status tells what happened.
        if let Some(mut pipe) = child.stdin.take() {
            let text = stdin.to_owned();
            thread::spawn(move || drop(pipe.write_all(text.as_bytes())));
        }
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let deadline = Instant::now() + self.timeout;
        let timed_out = || CliError::KubectlTimeout {
            step: step.to_owned(),
            seconds: self.timeout.as_secs(),
        };
        loop {
            if on_stop == OnStop::Stop && interrupted() {
                let _ = stop_group(&mut child);
                return Err(CliError::Interrupted {
                    step: step.to_owned(),
                });
            }
            match has_exited(&child) {
                Ok(true) => break,
                Ok(false) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                Ok(false) => {
                    let _ = stop_group(&mut child);
                    return Err(timed_out());
                }
                Err(e) => {
                    let _ = stop_group(&mut child);
                    return Err(CliError::Output(format!(
                        "kubectl ({step}) could not be waited for: {e}"
                    )));
                }
            }
        }
        // kubectl has exited but is not reaped yet, so its process group is still its own:
        // anything it left running (which would hold its pipes open) is stopped.
        let status = stop_group(&mut child).map_err(|e| {
            CliError::Output(format!("kubectl ({step}) could not be waited for: {e}"))
        })?;
        let stdout = stdout.map(|t| collect(&t, deadline)).transpose();
        let stderr = stderr.map(|t| collect(&t, deadline)).transpose();
        let (Ok(stdout), Ok(stderr)) = (stdout, stderr) else {
            // A process that left kubectl's group still holds its output open.
            return Err(timed_out());
        };
        let (stdout, stderr) = (stdout.unwrap_or_default(), stderr.unwrap_or_default());
        if !stderr.is_empty() {
            eprint!("{}", escape_control(&stderr));
        }
        if let Some(signal) = status.signal() {
            return Err(CliError::KubectlSignal {
                step: step.to_owned(),
                signal: signal_name(signal),
            });
        }
        if !status.success() {
            return Err(CliError::Kubectl {
                step: step.to_owned(),
                status: status.code().unwrap_or(1),
            });
        }
        Ok(Printed(stdout))
    }

    /// Deletes the pod spark-render created (its own name, after `--`), saying so; when that
    /// fails too, says which pod remains and how to remove it.
    fn delete_pod(&self, name: &str, namespace: &str, why: &str) {
        eprintln!("spark-render: deleting pod/{name}: {why}");
        let args = [
            "delete",
            "pod",
            "--namespace",
            namespace,
            "--ignore-not-found",
            "--",
            name,
        ];
        if let Err(err) = self.run(&args, "", "delete the driver pod", OnStop::Finish) {
            eprintln!(
                "spark-render: error: {err}; pod/{name} remains in namespace {namespace}: remove it with `kubectl delete pod --namespace {namespace} {name}`"
            );
        }
    }
}

/// Reads all of a pipe (keeping at most [`MAX_OUTPUT_BYTES`]) on a thread of its own; the
/// text arrives on the returned channel when the pipe ends.
fn drain(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut limited = pipe.take(MAX_OUTPUT_BYTES);
        let _ = limited.read_to_end(&mut bytes);
        // Read the rest, so that kubectl is not blocked on a full pipe.
        let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
        let _ = sender.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    receiver
}

/// What a pipe drained by [`drain`] held, waiting until `deadline` (and at least a second) for
/// it to end.
fn collect(
    receiver: &mpsc::Receiver<String>,
    deadline: Instant,
) -> Result<String, mpsc::RecvTimeoutError> {
    let wait = deadline.saturating_duration_since(Instant::now());
    receiver.recv_timeout(wait.max(Duration::from_secs(1)))
}

/// Whether kubectl has exited, without reaping it (its process ID, and so its process group's,
/// stays reserved until [`stop_group`] waits for it).
fn has_exited(child: &Child) -> std::io::Result<bool> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    match waitid(Id::Pid(pid_of(child)), flags) {
        Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => Ok(false),
        Ok(_) => Ok(true),
        Err(e) => Err(e.into()),
    }
}

/// Kills kubectl's process group (kubectl and whatever it started that is still running),
/// then reaps kubectl and returns how it ended.
fn stop_group(child: &mut Child) -> std::io::Result<ExitStatus> {
    // ESRCH: nothing is left running in the group.
    let _ = killpg(pid_of(child), Signal::SIGKILL);
    child.wait()
}

/// A child's process ID for the system calls (process IDs fit in an `i32`).
fn pid_of(child: &Child) -> Pid {
    Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX))
}

/// A signal's name, as `kill -l` gives it.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal {signal}"),
    };
    format!("{name} (signal {signal})")
}

/// Creates the driver pod, then applies the driver's other objects owned by it. `objects` are
/// the driver's objects, the Pod first, rendered without ownerReferences.
///
/// Only the pod spark-render named is ever deleted: when anything fails after the pod may have
/// been created (a timeout, output that is not the pod, a failed apply).
pub fn apply_driver(kubectl: &Kubectl, objects: &[Resource]) -> Result<(), CliError> {
    let Some((Resource::Pod(driver), rest)) = objects.split_first() else {
        return Err(CliError::Output("no driver pod to create".into()));
    };
    let name = driver.metadata.name.clone().unwrap_or_default();
    let namespace = driver
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let pod_json = serde_json::to_string(driver).map_err(|e| CliError::Output(e.to_string()))?;
    watch_stop_signals();
    let created = match kubectl.run(
        &["create", "-f", "-", "-o", "json"],
        &pod_json,
        "create the driver pod",
        OnStop::Stop,
    ) {
        Ok(Printed(created)) => created,
        // The create may have reached the API server.
        Err(
            err @ (CliError::KubectlTimeout { .. }
            | CliError::KubectlSignal { .. }
            | CliError::Interrupted { .. }),
        ) => {
            kubectl.delete_pod(&name, &namespace, &err.to_string());
            return Err(err);
        }
        Err(err) => return Err(err),
    };
    let uid = match created_uid(&created, &name) {
        Ok(uid) => uid,
        Err(why) => {
            kubectl.delete_pod(&name, &namespace, &why);
            return Err(CliError::Output(why));
        }
    };
    eprintln!("spark-render: created pod/{name} (uid {uid})");
    if rest.is_empty() {
        return Ok(());
    }
    let mut owned = rest.to_vec();
    for object in &mut owned {
        object.metadata_mut().owner_references =
            Some(vec![manifest::owner_reference_to_pod(&name, &uid)]);
    }
    let list = manifest::to_json_list(&owned).map_err(|e| CliError::Output(e.to_string()))?;
    match kubectl.run(
        &["apply", "-f", "-"],
        &list,
        "apply the driver's objects",
        OnStop::Stop,
    ) {
        Ok(Printed(applied)) => match crate::output::write_stdout(&escape_control(&applied)) {
            // The objects are applied; a reader that went away is no failure.
            Ok(()) | Err(CliError::ClosedOutput) => Ok(()),
            Err(e) => Err(e),
        },
        Err(err @ CliError::Interrupted { .. }) => {
            kubectl.delete_pod(&name, &namespace, &err.to_string());
            Err(err)
        }
        Err(err) => {
            kubectl.delete_pod(&name, &namespace, "its objects could not be created");
            Err(err)
        }
    }
}

/// The UID in what `kubectl create -o json` printed for the pod `name`, or why there is none:
/// not JSON, another pod, or a UID that is not a UID.
fn created_uid(printed: &str, name: &str) -> Result<String, String> {
    let created: serde_json::Value = serde_json::from_str(printed).map_err(|_| {
        format!("kubectl create printed no pod JSON for pod/{name}, so its UID is unknown")
    })?;
    let metadata = &created["metadata"];
    if metadata["name"].as_str() != Some(name) {
        return Err(format!(
            "kubectl create reported another pod than pod/{name}: {}",
            escape_control(&metadata["name"].to_string())
        ));
    }
    match metadata["uid"].as_str() {
        Some(uid)
            if !uid.is_empty()
                && uid.len() <= 64
                && uid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Ok(uid.to_owned())
        }
        Some(uid) => Err(format!(
            "kubectl create reported a UID that is not one for pod/{name}: {}",
            escape_control(uid)
        )),
        None => Err(format!(
            "kubectl create did not report the UID of pod/{name}"
        )),
    }
}
