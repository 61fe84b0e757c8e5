//! Checks beyond Spark's own: what the API server (Kubernetes 1.33: `ValidateObjectMeta`,
//! `ValidatePod`, `ValidateService`, `ValidateConfigMap`, `ValidateSecret`) would refuse in the
//! objects Spark builds — names and namespaces that are not DNS names, bad label keys and
//! values (node selectors included), bad annotation keys, annotations over 256 KiB, duplicated
//! volume, container or port names in a pod, ports outside 1–65535, env var names the API
//! server refuses, a missing image, a service account that is not a DNS name, ConfigMaps and
//! Secrets over 1 MiB. Spark submits such objects and learns of the problem from a 422;
//! spark-render refuses them up front, naming the object and the field.

use std::fmt;

use k8s_openapi::api::core::v1::{Container, PodSpec, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::error::{Error, Result};
use crate::manifest::Resource;

/// An object as errors name it, `Kind/name` (written only when there is an error).
#[derive(Clone, Copy)]
struct ObjectId<'a> {
    kind: &'a str,
    name: &'a str,
}

impl fmt::Display for ObjectId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

fn refuse(object: ObjectId<'_>, field: &str, value: &str, reason: &str) -> Error {
    Error::Object {
        kind: object.kind.to_owned(),
        name: object.name.to_owned(),
        field: field.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS-1123 subdomain as Kubernetes checks it: dot-separated parts of lowercase letters,
/// digits and `-` (each starting and ending with a letter or digit), at most 253 characters.
pub fn is_dns_subdomain(s: &str) -> bool {
    if s.len() > 253 {
        return false;
    }
    // One pass: `prev` is the byte before, `.` at the start of a part.
    let mut prev = b'.';
    for &c in s.as_bytes() {
        let ok = match c {
            b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' => prev != b'.',
            b'.' => prev != b'.' && prev != b'-',
            _ => false,
        };
        if !ok {
            return false;
        }
        prev = c;
    }
    prev != b'.' && prev != b'-'
}

/// A label value: at most 63 characters, alphanumerics with `-`, `_`, `.` inside.
pub fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_qualified_name_part(s)
}

fn is_qualified_name_part(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.as_bytes()[s.len() - 1].is_ascii_alphanumeric()
}

/// A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name.
pub fn is_qualified_name(s: &str) -> bool {
    match s.bytes().position(|c| c == b'/') {
        Some(slash) => is_dns_subdomain(&s[..slash]) && is_qualified_name_part(&s[slash + 1..]),
        None => is_qualified_name_part(s),
    }
}

fn check_meta(object: ObjectId<'_>, meta: &ObjectMeta, kind: &str) -> Result<()> {
    let name = meta.name.as_deref().unwrap_or_default();
    let name_ok = if kind == "Service" {
        is_dns_label(name)
    } else {
        is_dns_subdomain(name)
    };
    if !name_ok {
        let rule = if kind == "Service" {
            "a Service name must be a DNS label (lowercase letters, digits, '-'; at most 63 characters)"
        } else {
            "an object name must be a DNS subdomain (lowercase letters, digits, '-', '.'; at most 253 characters)"
        };
        return Err(refuse(object, "metadata.name", name, rule));
    }
    check_labels(object, "metadata.labels", meta.labels.as_ref())?;
    for k in meta.annotations.iter().flat_map(|a| a.keys()) {
        if !is_qualified_name(k) {
            return Err(refuse(
                object,
                "metadata.annotations",
                k,
                "not a valid annotation key",
            ));
        }
    }
    let annotations_size: usize = meta
        .annotations
        .iter()
        .flatten()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    if annotations_size > MAX_ANNOTATIONS_BYTES {
        return Err(refuse(
            object,
            "metadata.annotations",
            &format!("{annotations_size} bytes"),
            "the annotations of an object may total 256 KiB at most",
        ));
    }
    if let Some(namespace) = meta.namespace.as_deref() {
        if !is_dns_label(namespace) {
            return Err(refuse(
                object,
                "metadata.namespace",
                namespace,
                "a namespace must be a DNS label (lowercase letters, digits, '-'; at most 63 characters)",
            ));
        }
    }
    Ok(())
}

/// Label keys and values (of `field`: labels, or a node selector).
fn check_labels(
    object: ObjectId<'_>,
    field: &str,
    labels: Option<&std::collections::BTreeMap<String, String>>,
) -> Result<()> {
    for (k, v) in labels.into_iter().flatten() {
        if !is_qualified_name(k) {
            return Err(refuse(object, field, k, "not a valid label key"));
        }
        if !is_label_value(v) {
            return Err(refuse(
                object,
                &format!("{field}.{k}"),
                v,
                "a label value is at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
            ));
        }
    }
    Ok(())
}

/// The API server's limit on an object's annotations (`TotalAnnotationSizeLimitB`).
const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;
/// The API server's limit on a ConfigMap's or Secret's data (`MaxSecretSize`, also used for
/// ConfigMaps).
const MAX_DATA_BYTES: usize = 1024 * 1024;

/// An env var name as the API server checks it (1.33, `RelaxedEnvironmentVariableValidation`
/// on by default): printable ASCII characters other than `=`, at least one.
pub fn is_env_var_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'=')
}

/// A port number the API server accepts.
fn is_port(port: i32) -> bool {
    (1..=65535).contains(&port)
}

/// The first name that repeats an earlier one.
fn duplicates<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    names.into_iter().find(|&n| !seen.insert(n))
}

fn check_pod_spec(object: ObjectId<'_>, spec: &PodSpec) -> Result<()> {
    if let Some(account) = spec.service_account_name.as_deref() {
        if !account.is_empty() && !is_dns_subdomain(account) {
            return Err(refuse(
                object,
                "spec.serviceAccountName",
                account,
                "a service account name must be a DNS subdomain (lowercase letters, digits, '-', '.')",
            ));
        }
    }
    // The API server checks a node selector as labels.
    check_labels(object, "spec.nodeSelector", spec.node_selector.as_ref())?;
    if let Some(d) = duplicates(spec.volumes.iter().flatten().map(|v| v.name.as_str())) {
        return Err(refuse(
            object,
            "spec.volumes",
            d,
            "two volumes have this name",
        ));
    }
    for v in spec.volumes.iter().flatten() {
        if !is_dns_label(&v.name) {
            return Err(refuse(
                object,
                "spec.volumes",
                &v.name,
                "a volume name must be a DNS label (lowercase letters, digits, '-'; at most 63 characters)",
            ));
        }
    }
    let containers = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    if let Some(d) = duplicates(containers.clone().map(|c| c.name.as_str())) {
        return Err(refuse(
            object,
            "spec.containers",
            d,
            "two containers have this name",
        ));
    }
    for c in containers {
        check_limits(object, c)?;
        check_container(object, c)?;
        if c.volume_mounts
            .iter()
            .flatten()
            .any(|m| m.mount_path.is_empty())
        {
            return Err(refuse(
                object,
                &format!("container {} volumeMounts", c.name),
                "",
                "a mount needs a path (an empty local dir in spark.local.dir or SPARK_LOCAL_DIRS?)",
            ));
        }
        let port_names = c.ports.iter().flatten().filter_map(|p| p.name.as_deref());
        if let Some(d) = duplicates(port_names) {
            return Err(refuse(
                object,
                &format!("container {} ports", c.name),
                d,
                "two ports of the container have this name",
            ));
        }
        if let Some(d) = duplicates(
            c.volume_mounts
                .iter()
                .flatten()
                .map(|m| m.mount_path.as_str()),
        ) {
            return Err(refuse(
                object,
                &format!("container {} volumeMounts", c.name),
                d,
                "two mounts use this path",
            ));
        }
    }
    Ok(())
}

/// The image, the env var names and the port numbers of a container.
fn check_container(object: ObjectId<'_>, c: &Container) -> Result<()> {
    let image = c.image.as_deref().unwrap_or_default();
    if image.trim().is_empty() {
        return Err(refuse(
            object,
            &format!("container {} image", c.name),
            image,
            "a container needs an image",
        ));
    }
    if image.trim() != image {
        return Err(refuse(
            object,
            &format!("container {} image", c.name),
            image,
            "an image name has no leading or trailing white space",
        ));
    }
    for env in c.env.iter().flatten() {
        if !is_env_var_name(&env.name) {
            return Err(refuse(
                object,
                &format!("container {} env", c.name),
                &env.name,
                "an env var name is printable ASCII without '='",
            ));
        }
    }
    for port in c.ports.iter().flatten() {
        if !is_port(port.container_port) {
            return Err(refuse(
                object,
                &format!("container {} ports", c.name),
                &port.container_port.to_string(),
                "a port number is between 1 and 65535",
            ));
        }
    }
    Ok(())
}

/// The ports of a Service.
fn check_service_spec(object: ObjectId<'_>, spec: &ServiceSpec) -> Result<()> {
    for port in spec.ports.iter().flatten() {
        if !is_port(port.port) {
            return Err(refuse(
                object,
                "spec.ports",
                &port.port.to_string(),
                "a port number is between 1 and 65535",
            ));
        }
    }
    Ok(())
}

/// The size of a ConfigMap's or Secret's data, and its keys.
fn check_data<'a>(
    object: ObjectId<'_>,
    entries: impl Iterator<Item = (&'a String, usize)>,
) -> Result<()> {
    let mut size = 0;
    for (key, len) in entries {
        let key_ok = !key.is_empty()
            && key.len() <= 253
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !key_ok {
            return Err(refuse(
                object,
                "data",
                key,
                "a data key is letters, digits, '-', '_' or '.' (at most 253)",
            ));
        }
        size += len;
    }
    if size > MAX_DATA_BYTES {
        return Err(refuse(
            object,
            "data",
            &format!("{size} bytes"),
            "the data of a ConfigMap or Secret may total 1 MiB at most",
        ));
    }
    Ok(())
}

/// A limit below its request (e.g. `spark.kubernetes.executor.limit.cores` below the request).
fn check_limits(object: ObjectId<'_>, c: &Container) -> Result<()> {
    let Some(resources) = &c.resources else {
        return Ok(());
    };
    for (name, limit) in resources.limits.iter().flatten() {
        let request = resources.requests.as_ref().and_then(|r| r.get(name));
        if let (Some(limit_value), Some(request)) = (crate::quantity::value(&limit.0), request) {
            if crate::quantity::value(&request.0).is_some_and(|r| r > limit_value) {
                return Err(refuse(
                    object,
                    &format!("container {} resources.limits.{name}", c.name),
                    &limit.0,
                    &format!("the limit is below the request ({})", request.0),
                ));
            }
        }
    }
    Ok(())
}

/// Checks every object; the first problem is an error naming the object and field.
pub fn check(objects: &[&Resource]) -> Result<()> {
    for object in objects {
        let id = ObjectId {
            kind: object.kind(),
            name: object.name(),
        };
        check_meta(id, object.metadata(), object.kind())?;
        match object {
            Resource::Pod(p) => {
                if let Some(spec) = &p.spec {
                    check_pod_spec(id, spec)?;
                }
            }
            Resource::StatefulSet(s) => {
                if let Some(spec) = s.spec.as_ref().and_then(|s| s.template.spec.as_ref()) {
                    check_pod_spec(id, spec)?;
                }
            }
            Resource::Deployment(d) => {
                if let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref()) {
                    check_pod_spec(id, spec)?;
                }
            }
            Resource::Service(s) => {
                if let Some(spec) = &s.spec {
                    check_service_spec(id, spec)?;
                }
            }
            Resource::ConfigMap(c) => {
                let text = c.data.iter().flatten().map(|(k, v)| (k, v.len()));
                let binary = c.binary_data.iter().flatten().map(|(k, v)| (k, v.0.len()));
                check_data(id, text.chain(binary))?;
            }
            Resource::Secret(secret) => {
                let data = secret.data.iter().flatten().map(|(k, v)| (k, v.0.len()));
                let string_data = secret
                    .string_data
                    .iter()
                    .flatten()
                    .map(|(k, v)| (k, v.len()));
                check_data(id, data.chain(string_data))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Warnings for what the API server accepts but probably surprises: env vars set twice in a
/// container (the last one wins).
pub fn warnings(objects: &[&Resource]) -> Vec<String> {
    let mut out = Vec::new();
    for object in objects {
        let Resource::Pod(p) = *object else { continue };
        for c in p.spec.iter().flat_map(|s| &s.containers) {
            let mut names: Vec<&str> = c.env.iter().flatten().map(|e| e.name.as_str()).collect();
            names.sort_unstable();
            for run in names.chunk_by(|a, b| a == b).filter(|run| run.len() > 1) {
                out.push(format!(
                    "Pod/{} container {}: env {} is set {} times; the last one wins",
                    object.name(),
                    c.name,
                    run[0],
                    run.len()
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names_and_ports_follow_the_api_server() {
        for ok in ["A", "SPARK_USER", "my.var-1", "a b", "~!@#"] {
            assert!(is_env_var_name(ok), "{ok:?}");
        }
        for bad in ["", "A=B", "tab\there", "é", "\u{7f}"] {
            assert!(!is_env_var_name(bad), "{bad:?}");
        }
        assert!(is_port(1) && is_port(65535) && is_port(7078));
        assert!(!is_port(0) && !is_port(65536) && !is_port(-1));
    }

    /// Every string of up to four characters from an alphabet of the interesting ones.
    fn short_strings() -> Vec<String> {
        let alphabet = ['a', 'Z', '1', '-', '.', '_', '/', 'é'];
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn name_rules_agree_with_their_definitions() {
        let part_ok = |part: &str| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        };
        let subdomain = |s: &str| s.len() <= 253 && s.split('.').all(part_ok);
        let qualified = |s: &str| match s.split_once('/') {
            Some((prefix, name)) => subdomain(prefix) && is_qualified_name_part(name),
            None => is_qualified_name_part(s),
        };
        for s in short_strings() {
            assert_eq!(is_dns_subdomain(&s), subdomain(&s), "{s:?}");
            assert_eq!(is_qualified_name(&s), qualified(&s), "{s:?}");
        }
        let long = ["a"; 127].join(".");
        assert!(is_dns_subdomain(&long) && !is_dns_subdomain(&format!("{long}a")));
    }

    #[test]
    fn dns_and_label_rules() {
        assert!(is_dns_subdomain("a.b-c.d1"));
        assert!(!is_dns_subdomain("A"));
        assert!(!is_dns_subdomain(&"a".repeat(254)));
        assert!(is_label_value("") && is_label_value("a_b.c-d") && !is_label_value("-a"));
        assert!(!is_label_value(&"a".repeat(64)));
        assert!(is_qualified_name("example.com/app-id") && is_qualified_name("team"));
        assert!(!is_qualified_name("Example.com/x") && !is_qualified_name("a/b/c"));
    }

    #[test]
    fn env_vars_set_twice_are_warned_about_once_each_in_name_order() {
        use k8s_openapi::api::core::v1::{Container, EnvVar, Pod, PodSpec};
        let env = |name: &str| EnvVar {
            name: name.into(),
            ..EnvVar::default()
        };
        let pod = Resource::Pod(Pod {
            metadata: ObjectMeta {
                name: Some("p".into()),
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "c".into(),
                    env: Some(["B", "A", "B", "C", "A", "B"].map(env).to_vec()),
                    ..Container::default()
                }],
                ..PodSpec::default()
            }),
            ..Pod::default()
        });
        assert_eq!(
            warnings(&[&pod]),
            [
                "Pod/p container c: env A is set 2 times; the last one wins",
                "Pod/p container c: env B is set 3 times; the last one wins",
            ]
        );
    }
}
