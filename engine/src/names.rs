//! Resource naming: how Spark derives object names and the `spark-app-name` label from the
//! application name (`KubernetesConf.getResourceNamePrefix` / `getAppNameLabel`).

use crate::java;

/// The longest DNS label (RFC 1123), which bounds Service names and label values.
pub const DNS_LABEL_MAX_LENGTH: usize = 63;

/// Lowercases and replaces every character outside `[a-z0-9-]` by `-`, then collapses runs of
/// `-` (the shared first half of Spark's name rules).
fn sanitize(s: &str) -> String {
    let lowered = java::trim(s).to_lowercase();
    let mut out = String::new();
    for c in lowered.chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out
}

/// `KubernetesConf.getResourceNamePrefix(appName)` for a given unique id: `<app>-<id>`
/// sanitised, a leading `-` removed and a leading digit replaced by `x`.
pub fn resource_name_prefix(app_name: &str, unique_id: &str) -> String {
    let s = sanitize(&format!("{app_name}-{unique_id}"));
    let s = s.strip_prefix('-').unwrap_or(&s);
    match s.chars().next() {
        Some(c) if c.is_ascii_digit() => ["x", &s[1..]].concat(),
        _ => s.to_owned(),
    }
}

/// `KubernetesConf.getAppNameLabel(appName)`: sanitised, cut to 63 characters, one leading and
/// one trailing `-` removed.
pub fn app_name_label(app_name: &str) -> String {
    let s = sanitize(app_name);
    let s: String = s.chars().take(DNS_LABEL_MAX_LENGTH).collect();
    let s = s.strip_prefix('-').unwrap_or(&s);
    s.strip_suffix('-').unwrap_or(s).to_owned()
}

/// The driver Service name: `<prefix>-driver-svc`, or `spark-<unique id>-driver-svc` when that
/// is longer than 63 characters (`DriverServiceFeatureStep`).
pub fn driver_service_name(resource_name_prefix: &str, unique_id: &str) -> String {
    let preferred = format!("{resource_name_prefix}-driver-svc");
    if preferred.len() <= DNS_LABEL_MAX_LENGTH {
        preferred
    } else {
        format!("spark-{unique_id}-driver-svc")
    }
}

/// The driver's spark-conf ConfigMap name (`KubernetesClientUtils.configMapNameDriver`).
pub fn driver_conf_map_name(unique_id: &str) -> String {
    format!("spark-drv-{unique_id}-conf-map")
}

/// The executors' spark-conf ConfigMap name (`KubernetesClientUtils.configMapNameExecutor`).
pub fn executor_conf_map_name(unique_id: &str) -> String {
    format!("spark-exec-{unique_id}-conf-map")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_follows_spark_rules() {
        assert_eq!(
            resource_name_prefix("spark-pi", "0123456789abcdef"),
            "spark-pi-0123456789abcdef"
        );
        assert_eq!(
            resource_name_prefix("Nightly ETL.Job_v2", "abc"),
            "nightly-etl-job-v2-abc"
        );
        assert_eq!(resource_name_prefix("9lives", "abc"), "xlives-abc");
        assert_eq!(resource_name_prefix("--a", "abc"), "a-abc");
        assert_eq!(resource_name_prefix(" _1", "abc"), "x-abc");
    }

    #[test]
    fn app_name_label_is_a_dns_label() {
        assert_eq!(app_name_label("Nightly ETL.Job_v2"), "nightly-etl-job-v2");
        assert_eq!(app_name_label("_x_"), "x");
        let long = "a".repeat(62) + "_b";
        assert_eq!(app_name_label(&long), "a".repeat(62));
    }

    #[test]
    fn long_service_names_fall_back() {
        assert_eq!(driver_service_name("p", "id"), "p-driver-svc");
        let long = "a".repeat(60);
        assert_eq!(driver_service_name(&long, "id"), "spark-id-driver-svc");
    }
}
