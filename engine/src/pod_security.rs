//! `spark-render check --pod-security`: the rendered pods against the Kubernetes Pod Security
//! Standards, as `k8s.io/pod-security-admission` checks them for a Kubernetes version (1.25 to
//! 1.37; 1.33 by default: the sysctls allowed grow with the version, 1.34 adds
//! `hostProbesAndHostLifecycle`), each
//! violation with the pod, the field, the rule, and how to fix it in Spark's terms (a conf key
//! or a pod-template field).
//!
//! `baseline` forbids the known privilege escalations (host namespaces, privileged containers,
//! added capabilities beyond the default set, `hostPath` volumes, host ports, unsafe `/proc`
//! mounts, AppArmor, SELinux, seccomp and sysctl settings that weaken isolation);
//! `restricted` adds the hardening best practices (only the volume types that need no host
//! access, no privilege escalation, non-root, seccomp `RuntimeDefault`, all capabilities
//! dropped). Spark's default pods pass `baseline` and fail `restricted`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Capabilities, Container, PodSecurityContext, PodSpec, SeccompProfile, SecurityContext, Volume,
};
use serde::Serialize;

use crate::constants::labels;
use crate::manifest::Resource;

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Minimally restrictive: prevents known privilege escalations.
    Baseline,
    /// Heavily restricted: current pod hardening best practices.
    Restricted,
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            other => Err(format!(
                "{other:?} is not a Pod Security Standards level to check (baseline or restricted)"
            )),
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        })
    }
}

/// One field a level forbids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The pod, as `Kind/name` (a StatefulSet's for its pod template).
    pub object: String,
    /// The field at fault.
    pub field: String,
    /// The check, as pod-security-admission names it (`allowPrivilegeEscalation`...).
    pub check: &'static str,
    /// The lowest level that forbids it.
    pub level: Level,
    /// What is wrong.
    pub detail: String,
    /// How to fix it with Spark's conf or a pod template.
    pub fix: String,
}

/// The capabilities `baseline` lets a container add.
const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// The sysctls `baseline` allows, with the Kubernetes minor version that allowed each.
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// The Kubernetes versions whose Pod Security Standards are modelled (1.MIN to 1.MAX), and
/// the default.
pub const KUBERNETES_MINORS: (u32, u32) = (25, 37);
/// The Kubernetes version checked by default: 1.33, the one spark-render validates against.
pub const DEFAULT_KUBERNETES_MINOR: u32 = 33;

/// Reads a Kubernetes version `1.N` (1.25 to 1.37; a patch is allowed and ignored).
pub fn parse_kubernetes_version(text: &str) -> Result<u32, String> {
    let minor = text
        .trim_start_matches('v')
        .strip_prefix("1.")
        .and_then(|rest| rest.split('.').next())
        .and_then(|m| m.parse::<u32>().ok())
        .ok_or_else(|| format!("{text:?} is not a Kubernetes version such as 1.33"))?;
    let (low, high) = KUBERNETES_MINORS;
    if (low..=high).contains(&minor) {
        Ok(minor)
    } else {
        Err(format!(
            "Kubernetes 1.{minor}'s Pod Security Standards are not modelled (1.{low} to 1.{high} are)"
        ))
    }
}

/// The annotation prefix of the (deprecated) per-container AppArmor profiles.
const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// The SELinux types `baseline` allows.
const SELINUX_TYPES: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// Checks every pod among `objects` (and the pod template of every StatefulSet and Deployment)
/// against `level`
/// as Kubernetes 1.`minor` defines it.
pub fn check(objects: &[Resource], level: Level, minor: u32) -> Vec<Violation> {
    let mut out = Vec::new();
    for object in objects {
        let (kind, name, spec, meta) = match object {
            Resource::Pod(pod) => (
                "Pod",
                pod.metadata.name.clone().unwrap_or_default(),
                pod.spec.as_ref(),
                Some(&pod.metadata),
            ),
            Resource::StatefulSet(set) => (
                "StatefulSet",
                set.metadata.name.clone().unwrap_or_default(),
                set.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
                set.spec.as_ref().and_then(|s| s.template.metadata.as_ref()),
            ),
            Resource::Deployment(set) => (
                "Deployment",
                set.metadata.name.clone().unwrap_or_default(),
                set.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
                set.spec.as_ref().and_then(|s| s.template.metadata.as_ref()),
            ),
            _ => continue,
        };
        let Some(spec) = spec else { continue };
        let role = meta
            .and_then(|m| m.labels.as_ref())
            .and_then(|l| l.get(labels::SPARK_ROLE))
            .map_or("executor", String::as_str);
        let annotations = meta.and_then(|m| m.annotations.as_ref());
        let mut pod = PodCheck {
            object: format!("{kind}/{name}"),
            role: if role == "driver" {
                "driver"
            } else {
                "executor"
            },
            minor,
            out: &mut out,
        };
        pod.baseline(spec, annotations);
        if level == Level::Restricted {
            pod.restricted(spec);
        }
    }
    out
}

/// The checks of one pod.
struct PodCheck<'a> {
    object: String,
    role: &'static str,
    minor: u32,
    out: &'a mut Vec<Violation>,
}

/// Every container of a pod, with its field path.
fn containers(spec: &PodSpec) -> Vec<(String, &Container)> {
    let named = |list: &str, c: &Container| format!("spec.{list}[{}]", c.name);
    spec.init_containers
        .iter()
        .flatten()
        .map(|c| (named("initContainers", c), c))
        .chain(spec.containers.iter().map(|c| (named("containers", c), c)))
        .collect()
}

impl PodCheck<'_> {
    fn flag(
        &mut self,
        field: impl Into<String>,
        check: &'static str,
        level: Level,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.out.push(Violation {
            object: self.object.clone(),
            field: field.into(),
            check,
            level,
            detail: detail.into(),
            fix: fix.into(),
        });
    }

    /// The pod template key of this pod's role.
    fn template(&self) -> String {
        format!(
            "the {} pod template (spark.kubernetes.{}.podTemplateFile)",
            self.role, self.role
        )
    }

    fn baseline(&mut self, spec: &PodSpec, annotations: Option<&BTreeMap<String, String>>) {
        let from_template = format!("remove it from {}", self.template());
        for (field, on) in [
            ("spec.hostNetwork", spec.host_network),
            ("spec.hostPID", spec.host_pid),
            ("spec.hostIPC", spec.host_ipc),
        ] {
            if on == Some(true) {
                self.flag(
                    field,
                    "hostNamespaces",
                    Level::Baseline,
                    "host namespaces are forbidden",
                    &from_template,
                );
            }
        }
        let pod_sc = spec.security_context.as_ref();
        if pod_sc
            .and_then(|sc| sc.windows_options.as_ref())
            .and_then(|w| w.host_process)
            == Some(true)
        {
            self.flag(
                "spec.securityContext.windowsOptions.hostProcess",
                "hostProcess",
                Level::Baseline,
                "Windows HostProcess pods are forbidden",
                &from_template,
            );
        }
        if let Some(sc) = pod_sc {
            self.pod_selinux_seccomp_sysctls(sc, &from_template);
        }
        for volume in spec.volumes.iter().flatten() {
            if volume.host_path.is_some() {
                self.flag(
                    format!("spec.volumes[{}].hostPath", volume.name),
                    "hostPathVolumes",
                    Level::Baseline,
                    "hostPath volumes are forbidden",
                    format!(
                        "mount another volume type than spark.kubernetes.{}.volumes.hostPath.{}.* (an emptyDir, or a persistentVolumeClaim), or remove it from {}",
                        self.role,
                        volume.name,
                        self.template()
                    ),
                );
            }
        }
        // Every AppArmor annotation, whatever container it names.
        for (key, profile) in annotations.into_iter().flatten() {
            if key.starts_with(APPARMOR_ANNOTATION_PREFIX)
                && !profile.is_empty()
                && profile != "runtime/default"
                && !profile.starts_with("localhost/")
            {
                self.flag(
                    format!("metadata.annotations[{key}]"),
                    "appArmorProfile",
                    Level::Baseline,
                    format!("AppArmor profile {profile}"),
                    &from_template,
                );
            }
        }
        for (path, container) in containers(spec) {
            let sc = container.security_context.as_ref();
            if sc.and_then(|s| s.privileged) == Some(true) {
                self.flag(
                    format!("{path}.securityContext.privileged"),
                    "privileged",
                    Level::Baseline,
                    "privileged containers are forbidden",
                    &from_template,
                );
            }
            if sc
                .and_then(|s| s.windows_options.as_ref())
                .and_then(|w| w.host_process)
                == Some(true)
            {
                self.flag(
                    format!("{path}.securityContext.windowsOptions.hostProcess"),
                    "hostProcess",
                    Level::Baseline,
                    "Windows HostProcess containers are forbidden",
                    &from_template,
                );
            }
            let added: Vec<&String> = sc
                .and_then(|s| s.capabilities.as_ref())
                .and_then(|c| c.add.as_ref())
                .into_iter()
                .flatten()
                .filter(|cap| !BASELINE_CAPABILITIES.contains(&cap.as_str()))
                .collect();
            if !added.is_empty() {
                self.flag(
                    format!("{path}.securityContext.capabilities.add"),
                    "capabilities_baseline",
                    Level::Baseline,
                    format!("adds {}", join(&added)),
                    &from_template,
                );
            }
            for port in container.ports.iter().flatten() {
                if port.host_port.is_some_and(|p| p != 0) {
                    self.flag(
                        format!("{path}.ports[{}].hostPort", port.container_port),
                        "hostPorts",
                        Level::Baseline,
                        "host ports are forbidden",
                        &from_template,
                    );
                }
            }
            if let Some(sc) = sc {
                self.container_selinux_seccomp_proc(&path, sc, &from_template);
            }
            if self.minor >= 34 {
                self.host_probes(&path, container, &from_template);
            }
        }
    }

    /// 1.34's hostProbesAndHostLifecycle: probes and lifecycle handlers may not name a host.
    fn host_probes(&mut self, path: &str, container: &Container, fix: &str) {
        let probes = [
            ("livenessProbe", container.liveness_probe.as_ref()),
            ("readinessProbe", container.readiness_probe.as_ref()),
            ("startupProbe", container.startup_probe.as_ref()),
        ];
        for (name, probe) in probes {
            let Some(probe) = probe else { continue };
            let hosts = [
                (
                    "httpGet",
                    probe.http_get.as_ref().and_then(|h| h.host.as_deref()),
                ),
                (
                    "tcpSocket",
                    probe.tcp_socket.as_ref().and_then(|t| t.host.as_deref()),
                ),
            ];
            for (handler, host) in hosts {
                if let Some(host) = host.filter(|h| !h.is_empty()) {
                    self.flag(
                        format!("{path}.{name}.{handler}.host"),
                        "hostProbesAndHostLifecycle",
                        Level::Baseline,
                        format!("a probe may not name a host ({host})"),
                        fix,
                    );
                }
            }
        }
        let lifecycle = container.lifecycle.as_ref();
        for (name, handler) in [
            ("postStart", lifecycle.and_then(|l| l.post_start.as_ref())),
            ("preStop", lifecycle.and_then(|l| l.pre_stop.as_ref())),
        ] {
            let Some(handler) = handler else { continue };
            let hosts = [
                (
                    "httpGet",
                    handler.http_get.as_ref().and_then(|h| h.host.as_deref()),
                ),
                (
                    "tcpSocket",
                    handler.tcp_socket.as_ref().and_then(|t| t.host.as_deref()),
                ),
            ];
            for (kind, host) in hosts {
                if let Some(host) = host.filter(|h| !h.is_empty()) {
                    self.flag(
                        format!("{path}.lifecycle.{name}.{kind}.host"),
                        "hostProbesAndHostLifecycle",
                        Level::Baseline,
                        format!("a lifecycle handler may not name a host ({host})"),
                        fix,
                    );
                }
            }
        }
    }

    fn pod_selinux_seccomp_sysctls(&mut self, sc: &PodSecurityContext, fix: &str) {
        if let Some(se) = &sc.se_linux_options {
            if selinux_forbidden(se) {
                self.flag(
                    "spec.securityContext.seLinuxOptions",
                    "seLinuxOptions",
                    Level::Baseline,
                    "custom SELinux users, roles or types are forbidden",
                    fix,
                );
            }
        }
        if is_unconfined(sc.seccomp_profile.as_ref()) {
            self.flag(
                "spec.securityContext.seccompProfile.type",
                "seccompProfile_baseline",
                Level::Baseline,
                "seccomp Unconfined is forbidden",
                fix,
            );
        }
        if sc
            .app_armor_profile
            .as_ref()
            .is_some_and(|p| !matches!(p.type_.as_str(), "RuntimeDefault" | "Localhost"))
        {
            self.flag(
                "spec.securityContext.appArmorProfile.type",
                "appArmorProfile",
                Level::Baseline,
                "AppArmor Unconfined is forbidden",
                fix,
            );
        }
        for sysctl in sc.sysctls.iter().flatten() {
            let minor = self.minor;
            if !SAFE_SYSCTLS
                .iter()
                .any(|(name, since)| *name == sysctl.name && *since <= minor)
            {
                self.flag(
                    format!("spec.securityContext.sysctls[{}]", sysctl.name),
                    "sysctls",
                    Level::Baseline,
                    format!("sysctl {} is not in the safe set", sysctl.name),
                    fix,
                );
            }
        }
    }

    fn container_selinux_seccomp_proc(&mut self, path: &str, sc: &SecurityContext, fix: &str) {
        if let Some(se) = &sc.se_linux_options {
            if selinux_forbidden(se) {
                self.flag(
                    format!("{path}.securityContext.seLinuxOptions"),
                    "seLinuxOptions",
                    Level::Baseline,
                    "custom SELinux users, roles or types are forbidden",
                    fix,
                );
            }
        }
        if is_unconfined(sc.seccomp_profile.as_ref()) {
            self.flag(
                format!("{path}.securityContext.seccompProfile.type"),
                "seccompProfile_baseline",
                Level::Baseline,
                "seccomp Unconfined is forbidden",
                fix,
            );
        }
        if sc
            .app_armor_profile
            .as_ref()
            .is_some_and(|p| !matches!(p.type_.as_str(), "RuntimeDefault" | "Localhost"))
        {
            self.flag(
                format!("{path}.securityContext.appArmorProfile.type"),
                "appArmorProfile",
                Level::Baseline,
                "AppArmor Unconfined is forbidden",
                fix,
            );
        }
        if sc.proc_mount.as_deref().is_some_and(|m| m != "Default") {
            self.flag(
                format!("{path}.securityContext.procMount"),
                "procMount",
                Level::Baseline,
                "an unmasked /proc is forbidden",
                fix,
            );
        }
    }

    fn restricted(&mut self, spec: &PodSpec) {
        let template = self.template();
        for volume in spec.volumes.iter().flatten() {
            if let Some(kind) = forbidden_volume(volume) {
                // hostPath is reported by baseline already.
                if kind != "hostPath" {
                    self.flag(
                        format!("spec.volumes[{}].{kind}", volume.name),
                        "restrictedVolumes",
                        Level::Restricted,
                        format!("{kind} volumes are forbidden"),
                        format!("mount a persistentVolumeClaim instead (spark.kubernetes.{}.volumes.persistentVolumeClaim.*), or remove it from {template}", self.role),
                    );
                }
            }
        }
        let pod_sc = spec.security_context.as_ref();
        let pod_non_root = pod_sc.and_then(|sc| sc.run_as_non_root);
        let pod_seccomp_ok = pod_sc
            .and_then(|sc| sc.seccomp_profile.as_ref())
            .is_some_and(is_confined);
        if pod_non_root == Some(false) {
            self.flag("spec.securityContext.runAsNonRoot", "runAsNonRoot", Level::Restricted, "must not be false", format!("set spec.securityContext.runAsNonRoot: true in {template} (Spark's images run as user 185)"));
        }
        if pod_sc.and_then(|sc| sc.run_as_user) == Some(0) {
            self.flag(
                "spec.securityContext.runAsUser",
                "runAsUser",
                Level::Restricted,
                "running as user 0 (root) is forbidden",
                format!("remove runAsUser: 0 from {template}"),
            );
        }
        // Since 1.25, Windows pods are exempt from the Linux-only checks.
        let windows = spec.os.as_ref().is_some_and(|os| os.name == "windows");
        for (path, container) in containers(spec) {
            let sc = container.security_context.as_ref();
            if !windows && sc.and_then(|s| s.allow_privilege_escalation) != Some(false) {
                self.flag(
                    format!("{path}.securityContext.allowPrivilegeEscalation"),
                    "allowPrivilegeEscalation",
                    Level::Restricted,
                    "must be false",
                    format!("Spark 4.3+ sets it (spark.kubernetes.securityContext.allowPrivilegeEscalation=false, the default there); before, set securityContext.allowPrivilegeEscalation: false on the container in {template}"),
                );
            }
            let non_root = sc.and_then(|s| s.run_as_non_root).or(pod_non_root);
            if non_root != Some(true) {
                self.flag(
                    format!("{path}.securityContext.runAsNonRoot"),
                    "runAsNonRoot",
                    Level::Restricted,
                    if non_root == Some(false) { "must not be false" } else { "must be true (here or in spec.securityContext)" },
                    format!("set spec.securityContext.runAsNonRoot: true in {template} (Spark's images run as user 185)"),
                );
            }
            if sc.and_then(|s| s.run_as_user) == Some(0) {
                self.flag(
                    format!("{path}.securityContext.runAsUser"),
                    "runAsUser",
                    Level::Restricted,
                    "running as user 0 (root) is forbidden",
                    format!("remove runAsUser: 0 from {template}"),
                );
            }
            let seccomp = sc.and_then(|s| s.seccomp_profile.as_ref());
            let confined =
                seccomp.is_some_and(is_confined) || (seccomp.is_none() && pod_seccomp_ok);
            if !windows && !confined {
                self.flag(
                    format!("{path}.securityContext.seccompProfile.type"),
                    "seccompProfile_restricted",
                    Level::Restricted,
                    "must be RuntimeDefault or Localhost (here or in spec.securityContext)",
                    format!("set spec.securityContext.seccompProfile.type: RuntimeDefault in {template}"),
                );
            }
            let caps = sc.and_then(|s| s.capabilities.as_ref());
            if !windows && !drops_all(caps) {
                self.flag(
                    format!("{path}.securityContext.capabilities.drop"),
                    "capabilities_restricted",
                    Level::Restricted,
                    "must include ALL",
                    format!("set securityContext.capabilities.drop: [ALL] on the container in {template}"),
                );
            }
            let added: Vec<&String> = caps
                .and_then(|c| c.add.as_ref())
                .into_iter()
                .flatten()
                .filter(|c| {
                    c.as_str() != "NET_BIND_SERVICE" && BASELINE_CAPABILITIES.contains(&c.as_str())
                })
                .collect();
            if !added.is_empty() {
                self.flag(
                    format!("{path}.securityContext.capabilities.add"),
                    "capabilities_restricted",
                    Level::Restricted,
                    format!("only NET_BIND_SERVICE may be added, not {}", join(&added)),
                    format!("remove them from {template}"),
                );
            }
        }
    }
}

/// Whether SELinux options name a type other than the container types, or a user or role.
fn selinux_forbidden(se: &k8s_openapi::api::core::v1::SELinuxOptions) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    !SELINUX_TYPES.contains(&se.type_.as_deref().unwrap_or("")) || set(&se.user) || set(&se.role)
}

/// Whether a seccomp profile is `Unconfined`.
fn is_unconfined(profile: Option<&SeccompProfile>) -> bool {
    profile.is_some_and(|p| p.type_ == "Unconfined")
}

/// Whether a seccomp profile is `RuntimeDefault` or `Localhost`.
fn is_confined(profile: &SeccompProfile) -> bool {
    matches!(profile.type_.as_str(), "RuntimeDefault" | "Localhost")
}

/// Whether the capabilities drop `ALL`.
fn drops_all(caps: Option<&Capabilities>) -> bool {
    caps.and_then(|c| c.drop.as_ref())
        .is_some_and(|d| d.iter().any(|c| c == "ALL"))
}

/// The volume's type when `restricted` forbids it: anything but configMap, csi, downwardAPI,
/// emptyDir (also a volume with no source, which Kubernetes makes an emptyDir), ephemeral,
/// image (allowed since Kubernetes 1.33), persistentVolumeClaim, projected and secret.
fn forbidden_volume(v: &Volume) -> Option<&'static str> {
    let kinds: [(&'static str, bool); 21] = [
        ("hostPath", v.host_path.is_some()),
        ("nfs", v.nfs.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("rbd", v.rbd.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephfs", v.cephfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("fc", v.fc.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("quobyte", v.quobyte.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("storageos", v.storageos.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
    ];
    kinds.iter().find(|(_, set)| *set).map(|(kind, _)| *kind)
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
