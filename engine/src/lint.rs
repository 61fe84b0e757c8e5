//! `spark-render lint`: conf keys that are probably mistakes — unknown or misspelt
//! `spark.kubernetes.*`, `spark.driver.*` and `spark.executor.*` keys (with a did-you-mean from
//! [`crate::conf::registry`]), deprecated keys with their replacement, and keys that have no
//! effect in the chosen deploy mode.

use serde::Serialize;

use crate::conf::registry::{KNOWN_KEYS, KNOWN_PREFIXES};
use crate::conf::{keys, SparkConf};
use crate::submit::SubmitArgs;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The conf key.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// The key probably meant, if any.
    pub suggestion: Option<String>,
}

/// Deprecated keys and what replaces them.
const DEPRECATED: &[(&str, &str)] = &[
    (
        keys::MEMORY_OVERHEAD_FACTOR,
        "spark.driver.memoryOverheadFactor and spark.executor.memoryOverheadFactor",
    ),
    (
        "spark.kubernetes.pyspark.pythonVersion",
        "spark.pyspark.python (Spark 3 ignores this key)",
    ),
];

/// Families of keys whose members are checked.
const CHECKED: &[&str] = &["spark.kubernetes.", "spark.driver.", "spark.executor."];

/// Keys that have no effect in cluster mode.
const NO_EFFECT_IN_CLUSTER_MODE: &[(&str, &str)] = &[(
    keys::DRIVER_HOST,
    "spark-submit drops it in cluster mode; the driver's address is its Service",
)];

/// Keys that only shape the driver pod, which client mode does not create.
const DRIVER_POD_KEYS: &[&str] = &[
    "spark.kubernetes.driver.podTemplateFile",
    "spark.kubernetes.driver.container.image",
    "spark.kubernetes.driver.request.cores",
    "spark.kubernetes.driver.limit.cores",
    "spark.kubernetes.driver.label.",
    "spark.kubernetes.driver.annotation.",
    "spark.kubernetes.driver.service.",
    "spark.kubernetes.driver.secrets.",
    "spark.kubernetes.driver.secretKeyRef.",
    "spark.kubernetes.driver.volumes.",
    "spark.kubernetes.driver.node.selector.",
    "spark.kubernetes.driverEnv.",
];

/// Lints the conf of `args` (the properties file and `--conf`, as the user wrote them).
pub fn lint(args: &SubmitArgs) -> Vec<Finding> {
    let conf: SparkConf = args
        .properties_file
        .iter()
        .chain(&args.conf)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let client_mode = args.deploy_mode.as_deref() == Some("client");
    let mut findings = Vec::new();
    for (key, _) in conf.iter() {
        if let Some((_, replacement)) = DEPRECATED.iter().find(|(k, _)| *k == key) {
            findings.push(Finding {
                key: key.to_owned(),
                message: format!("deprecated; use {replacement}"),
                suggestion: None,
            });
            continue;
        }
        if !client_mode {
            if let Some((_, why)) = NO_EFFECT_IN_CLUSTER_MODE.iter().find(|(k, _)| *k == key) {
                findings.push(Finding {
                    key: key.to_owned(),
                    message: format!("no effect in cluster mode: {why}"),
                    suggestion: None,
                });
                continue;
            }
        } else if DRIVER_POD_KEYS
            .iter()
            .any(|p| key == *p || (p.ends_with('.') && key.starts_with(p)))
        {
            findings.push(Finding {
                key: key.to_owned(),
                message: "no effect in client mode: there is no driver pod".into(),
                suggestion: None,
            });
            continue;
        }
        if !CHECKED.iter().any(|c| key.starts_with(c)) || is_known(key) {
            continue;
        }
        let suggestion = did_you_mean(key);
        findings.push(Finding {
            key: key.to_owned(),
            message: match &suggestion {
                Some(s) => format!("not a key Spark 3.5 reads; did you mean {s}?"),
                None => "not a key Spark 3.5 reads".into(),
            },
            suggestion,
        });
    }
    findings
}

fn is_known(key: &str) -> bool {
    KNOWN_KEYS.contains(&key) || KNOWN_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// The closest known key (or family member), when close enough to be a typo.
fn did_you_mean(key: &str) -> Option<String> {
    let limit = |len: usize| (len / 6).clamp(1, 4);
    let mut best: Option<(usize, String)> = None;
    let mut consider = |candidate: String, distance: usize| {
        if distance <= limit(candidate.len()) && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate));
        }
    };
    for known in KNOWN_KEYS {
        consider((*known).to_owned(), strsim::levenshtein(key, known));
    }
    for prefix in KNOWN_PREFIXES {
        // Compare the family part only; keep the user's member name.
        let n = prefix.chars().count();
        let head: String = key.chars().take(n).collect();
        let tail: String = key.chars().skip(n).collect();
        if !tail.is_empty() {
            consider(
                format!("{prefix}{tail}"),
                strsim::levenshtein(&head, prefix),
            );
        }
    }
    best.map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_conf(pairs: &[(&str, &str)], client: bool) -> Vec<Finding> {
        let mut args = SubmitArgs::new("local:///a.jar");
        args.conf = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        if client {
            args.deploy_mode = Some("client".into());
        }
        lint(&args)
    }

    #[test]
    fn suggests_the_key_meant() {
        let f = lint_conf(&[("spark.kubernetes.contianer.image", "x")], false);
        assert_eq!(
            f[0].suggestion.as_deref(),
            Some("spark.kubernetes.container.image")
        );
        let f = lint_conf(&[("spark.kubernetes.driver.lable.team", "x")], false);
        assert_eq!(
            f[0].suggestion.as_deref(),
            Some("spark.kubernetes.driver.label.team")
        );
        let f = lint_conf(&[("spark.executor.memroy", "4g")], false);
        assert_eq!(f[0].suggestion.as_deref(), Some("spark.executor.memory"));
    }

    #[test]
    fn known_keys_pass_and_unknown_families_are_left_alone() {
        let f = lint_conf(
            &[
                ("spark.kubernetes.container.image", "x"),
                ("spark.kubernetes.driver.label.team", "a"),
                ("spark.executor.memory", "4g"),
                ("spark.sql.shuffle.partitions", "10"),
            ],
            false,
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn deprecated_and_mode_specific_keys() {
        let f = lint_conf(
            &[
                ("spark.kubernetes.memoryOverheadFactor", "0.2"),
                ("spark.driver.host", "h"),
            ],
            false,
        );
        assert!(f[0].message.contains("deprecated"));
        assert!(f[1].message.contains("no effect in cluster mode"));
        let f = lint_conf(&[("spark.kubernetes.driver.label.team", "a")], true);
        assert!(f[0].message.contains("no effect in client mode"));
    }
}
