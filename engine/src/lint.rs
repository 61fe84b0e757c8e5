//! `spark-render lint`: conf keys that are probably mistakes — unknown or misspelt
//! `spark.kubernetes.*`, `spark.driver.*` and `spark.executor.*` keys (with a did-you-mean among
//! the keys Spark declares, [`crate::config::entries`]), deprecated keys with their replacement, and keys that have no
//! effect in the chosen deploy mode.

use serde::Serialize;

use crate::conf::SparkConf;
use crate::config::entries;
use crate::config::keys;
use crate::submit::SubmitArgs;
use crate::version::SparkVersion;

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
fn deprecated(key: &str) -> Option<String> {
    if key == keys::MEMORY_OVERHEAD_FACTOR.key {
        Some(format!(
            "{} and {}",
            keys::DRIVER_MEMORY_OVERHEAD_FACTOR.key,
            keys::EXECUTOR_MEMORY_OVERHEAD_FACTOR.key
        ))
    } else if key == keys::PYSPARK_PYTHON_VERSION {
        Some(format!(
            "{} (Spark 3 ignores this key)",
            keys::PYSPARK_PYTHON
        ))
    } else {
        None
    }
}

/// Families of keys whose members are checked.
const CHECKED: &[&str] = &[
    keys::KUBERNETES_PREFIX,
    keys::DRIVER_PREFIX,
    keys::EXECUTOR_PREFIX,
];

/// Keys that have no effect in cluster mode.
const NO_EFFECT_IN_CLUSTER_MODE: &[(&str, &str)] = &[(
    keys::DRIVER_HOST,
    "spark-submit drops it in cluster mode; the driver's address is its Service",
)];

/// Keys that only shape the driver pod, which client mode does not create.
const DRIVER_POD_KEYS: &[&str] = &[
    keys::DRIVER_POD_TEMPLATE_FILE,
    keys::DRIVER_CONTAINER_IMAGE,
    keys::DRIVER_REQUEST_CORES,
    keys::DRIVER_LIMIT_CORES,
    keys::DRIVER_LABEL_PREFIX,
    keys::DRIVER_ANNOTATION_PREFIX,
    keys::DRIVER_SERVICE_PREFIX,
    keys::DRIVER_SECRETS_PREFIX,
    keys::DRIVER_SECRET_KEY_REF_PREFIX,
    keys::DRIVER_VOLUMES_PREFIX,
    keys::DRIVER_NODE_SELECTOR_PREFIX,
    keys::DRIVER_ENV_PREFIX,
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
        if let Some(replacement) = deprecated(key) {
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
        if !CHECKED.iter().any(|c| key.starts_with(c))
            || keys::is_known(SparkVersion::default(), key)
        {
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

/// The closest key Spark reads (or family member), when close enough to be a typo.
fn did_you_mean(key: &str) -> Option<String> {
    let version = SparkVersion::default();
    let limit = |len: usize| (len / 6).clamp(1, 4);
    let mut best: Option<(usize, String)> = None;
    let mut consider = |candidate: &str| {
        let distance = strsim::levenshtein(key, candidate);
        if distance <= limit(candidate.len()) && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate.to_owned()));
        }
    };
    let declared = entries::declared(version).iter().map(|e| e.key);
    for known in declared.chain(keys::UNDECLARED.iter().copied()) {
        if CHECKED.iter().any(|c| known.starts_with(c)) {
            consider(known);
        }
    }
    for known in keys::auth_keys() {
        consider(&known);
    }
    for family in keys::FAMILIES {
        // Compare the family part only; keep the user's member name.
        let n = family.chars().count();
        let head: String = key.chars().take(n).collect();
        let tail: String = key.chars().skip(n).collect();
        let distance = strsim::levenshtein(&head, family);
        if !tail.is_empty()
            && distance <= limit(family.len() + tail.len())
            && best.as_ref().is_none_or(|(d, _)| distance < *d)
        {
            best = Some((distance, format!("{family}{tail}")));
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
