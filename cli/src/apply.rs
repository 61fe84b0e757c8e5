//! `--apply`: what Spark's `Client` does, through kubectl. Create the driver Pod first
//! (`kubectl create -f - -o json`) to learn the UID the API server gives it, then apply the
//! driver's other objects with ownerReferences to that UID, so they are deleted with the pod;
//! if that fails, delete the pod again, as Spark does.

use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, Stdio};

use spark_render_engine::{manifest, Resource};

use crate::args::ApplyOptions;
use crate::errors::CliError;

/// How to run kubectl: the program and the flags passed through to every call.
#[derive(Debug, Clone)]
pub struct Kubectl {
    program: OsString,
    global: Vec<String>,
}

impl Kubectl {
    /// `--kubectl PATH`, else `$KUBECTL`, else `kubectl` from `PATH`; with `--context` and
    /// `--kubeconfig` passed through.
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
        Kubectl { program, global }
    }

    /// Runs kubectl with `args`, `stdin` on its standard input; its standard error goes to
    /// ours. Returns its standard output, or its exit status as an error.
    fn run(
        &self,
        args: &[&str],
        stdin: &str,
        capture: bool,
        step: &str,
    ) -> Result<String, CliError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.global)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(if capture {
                Stdio::piped()
            } else {
                Stdio::inherit()
            })
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().map_err(|e| {
            CliError::Output(format!(
                "cannot run {} ({step}): {e}",
                self.program.to_string_lossy()
            ))
        })?;
        if let Some(mut input) = child.stdin.take() {
            // kubectl may exit before reading everything; its status tells what happened.
            let _ = input.write_all(stdin.as_bytes());
        }
        let output = child
            .wait_with_output()
            .map_err(|e| CliError::Output(format!("kubectl ({step}) did not finish: {e}")))?;
        if !output.status.success() {
            return Err(CliError::Kubectl {
                step: step.to_owned(),
                status: output.status.code().unwrap_or(1),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// Creates the driver pod, then applies the driver's other objects owned by it. `objects` are
/// the driver's objects, the Pod first, rendered without ownerReferences.
pub fn apply_driver(kubectl: &Kubectl, objects: &[Resource]) -> Result<(), CliError> {
    let Some((Resource::Pod(driver), rest)) = objects.split_first() else {
        return Err(CliError::Output("no driver pod to create".into()));
    };
    let pod_json = serde_json::to_string(driver).map_err(|e| CliError::Output(e.to_string()))?;
    let created = kubectl.run(
        &["create", "-f", "-", "-o", "json"],
        &pod_json,
        true,
        "create the driver pod",
    )?;
    let created: serde_json::Value = serde_json::from_str(&created)
        .map_err(|e| CliError::Output(format!("kubectl create printed no pod JSON: {e}")))?;
    let name = created["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let namespace = created["metadata"]["namespace"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| driver.metadata.namespace.clone())
        .unwrap_or_else(|| "default".into());
    let Some(uid) = created["metadata"]["uid"].as_str().map(str::to_owned) else {
        return Err(CliError::Output(format!(
            "kubectl create did not report the UID of pod {name}"
        )));
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
    if let Err(err) = kubectl.run(
        &["apply", "-f", "-"],
        &list,
        false,
        "apply the driver's objects",
    ) {
        eprintln!("spark-render: deleting pod/{name}: its objects could not be created");
        let _ = kubectl.run(
            &["delete", "pod", &name, "--namespace", &namespace],
            "",
            false,
            "delete the driver pod",
        );
        return Err(err);
    }
    Ok(())
}
