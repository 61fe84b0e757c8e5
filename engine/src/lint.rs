//! `spark-render lint`: conf keys that are probably mistakes — unknown or misspelt
//! `spark.kubernetes.*`, `spark.driver.*` and `spark.executor.*` keys (with a did-you-mean among
//! the keys Spark declares, [`crate::config::entries`]), keys the chosen release does not
//! read though others do ("added in 4.1", "removed in 4.0"), deprecated keys with the
//! release's replacement, and keys that have no effect in the chosen deploy mode.

use serde::Serialize;

use crate::conf::SparkConf;
use crate::config::entries;
use crate::config::keys;
use crate::submit::SubmitArgs;
use crate::version::{SparkVersion, LINES, MODELLED};

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

/// Deprecated keys and what replaces them in `version`.
fn deprecated(version: SparkVersion, key: &str) -> Option<String> {
    if key == keys::MEMORY_OVERHEAD_FACTOR.key {
        Some(format!(
            "{} and {}",
            keys::DRIVER_MEMORY_OVERHEAD_FACTOR.key,
            keys::EXECUTOR_MEMORY_OVERHEAD_FACTOR.key
        ))
    } else if key == keys::PYSPARK_PYTHON_VERSION && entries::find(version, key).is_some() {
        Some(format!(
            "{} (Spark 3 ignores this key)",
            keys::PYSPARK_PYTHON
        ))
    } else if entries::is_alternative(version, key) {
        entries::declared(version)
            .iter()
            .find(|e| e.alternatives.contains(&key))
            .map(|e| e.key.to_owned())
    } else {
        None
    }
}

/// Why `key`, which `version` does not read, may still look right: the modelled release lines
/// that declare it, as "added in 4.1" or "removed in 4.0".
fn other_releases(version: SparkVersion, key: &str) -> Option<String> {
    let declaring: Vec<SparkVersion> = MODELLED
        .into_iter()
        .filter(|&v| entries::find(v, key).is_some())
        .collect();
    let (first, last) = (declaring.first()?, declaring.last()?);
    let spark = version.line_name();
    if *first > version {
        Some(format!(
            "added in Spark {}: Spark {spark} does not read it",
            first.line_name()
        ))
    } else {
        let removed_in = MODELLED
            .into_iter()
            .find(|v| v > last && entries::find(*v, key).is_none())?;
        Some(format!(
            "removed in Spark {}: Spark {spark} does not read it",
            removed_in.line_name()
        ))
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

/// Lints the conf of `args` (the properties file and `--conf`, as the user wrote them) for
/// Spark `version`.
pub fn lint(args: &SubmitArgs, version: SparkVersion) -> Vec<Finding> {
    let conf: SparkConf = args
        .properties_file
        .iter()
        .chain(&args.conf)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let client_mode = args.deploy_mode.as_deref() == Some("client");
    let mut findings = Vec::new();
    for (key, _) in conf.iter() {
        if let Some(replacement) = deprecated(version, key) {
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
        if !CHECKED.iter().any(|c| key.starts_with(c)) || keys::is_known(version, key) {
            continue;
        }
        if let Some(message) = other_releases(version, key) {
            findings.push(Finding {
                key: key.to_owned(),
                message,
                suggestion: None,
            });
            continue;
        }
        let suggestion = did_you_mean(version, key);
        let spark = version.line_name();
        findings.push(Finding {
            key: key.to_owned(),
            message: match &suggestion {
                Some(s) => format!("not a key Spark {spark} reads; did you mean {s}?"),
                None => format!("not a key Spark {spark} reads"),
            },
            suggestion,
        });
    }
    findings
}

/// How far a key may be from the one meant: one edit per six characters, one to four.
fn typo_limit(len: usize) -> usize {
    (len / 6).clamp(1, 4)
}

/// The characters of a key, counted by kind (letters, digits, `.`, others): two keys `d`
/// edits apart have counts that differ by at most `2d` in total, which rules most candidates
/// out before their edit distance is computed.
#[derive(Clone, Copy)]
struct Counts([u16; 40]);

impl Counts {
    fn of(text: &str) -> Self {
        let mut counts = [0u16; 40];
        for b in text.bytes() {
            let bucket = match b.to_ascii_lowercase() {
                c @ b'a'..=b'z' => usize::from(c - b'a'),
                c @ b'0'..=b'9' => 26 + usize::from(c - b'0'),
                b'.' => 36,
                b'-' | b'_' => 37,
                b'A'..=b'Z' => 38,
                _ => 39,
            };
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Counts(counts)
    }

    /// The least number of edits that can turn one into the other.
    fn min_edits(&self, other: &Counts) -> usize {
        let differing: usize = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum();
        differing.div_ceil(2)
    }
}

/// The keys a misspelt key may have meant, with their character counts: the keys `version`
/// declares or reads in the checked families, and the credential keys.
fn candidates(version: SparkVersion) -> &'static [(String, Counts)] {
    static CANDIDATES: [std::sync::OnceLock<Vec<(String, Counts)>>; LINES] =
        [const { std::sync::OnceLock::new() }; LINES];
    CANDIDATES[version.line_index()].get_or_init(|| {
        let declared = entries::declared(version).iter().map(|e| e.key);
        let read = declared
            .chain(keys::UNDECLARED.iter().copied())
            .filter(|k| CHECKED.iter().any(|c| k.starts_with(c)))
            .map(str::to_owned);
        let mut candidates: Vec<(String, Counts)> = read
            .chain(keys::auth_keys())
            .map(|k| {
                let counts = Counts::of(&k);
                (k, counts)
            })
            .collect();
        // By length, so that a key is compared only with candidates of about its length.
        candidates.sort_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        candidates
    })
}

/// The closest key Spark reads (or family member), when close enough to be a typo. Only the
/// candidates of about the key's length are looked at, most of them ruled out by their
/// character counts before an edit distance is computed.
fn did_you_mean(version: SparkVersion, key: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    let key_counts = Counts::of(key);
    // Candidates more than four characters longer or shorter are beyond every typo limit.
    let all = candidates(version);
    let start = all.partition_point(|(c, _)| c.len() + 4 < key.len());
    let end = all.partition_point(|(c, _)| c.len() <= key.len() + 4);
    for (candidate, counts) in &all[start..end] {
        let limit = typo_limit(candidate.len());
        if candidate.len().abs_diff(key.len()) > limit || key_counts.min_edits(counts) > limit {
            continue;
        }
        let distance = strsim::levenshtein(key, candidate);
        if distance <= limit && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate.clone()));
        }
    }
    static FAMILIES: std::sync::OnceLock<Vec<(&str, Counts)>> = std::sync::OnceLock::new();
    let families =
        FAMILIES.get_or_init(|| keys::FAMILIES.iter().map(|f| (*f, Counts::of(f))).collect());
    for (family, family_counts) in families {
        // Compare the family part only; keep the user's member name.
        let split = key
            .char_indices()
            .nth(family.chars().count())
            .map_or(key.len(), |(at, _)| at);
        let (head, tail) = key.split_at(split);
        let limit = typo_limit(family.len() + tail.len());
        if tail.is_empty() || Counts::of(head).min_edits(family_counts) > limit {
            continue;
        }
        let distance = strsim::levenshtein(head, family);
        if distance <= limit && best.as_ref().is_none_or(|(d, _)| distance < *d) {
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
        lint(&args, SparkVersion::default())
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

    #[test]
    fn keys_of_other_releases_are_named_with_the_release_that_added_or_removed_them() {
        let mut args = SubmitArgs::new("local:///a.jar");
        args.conf = vec![
            ("spark.kubernetes.pyspark.pythonVersion".into(), "3".into()),
            (
                "spark.kubernetes.executor.useDriverPodIP".into(),
                "true".into(),
            ),
        ];
        let v = |s: &str| s.parse::<SparkVersion>().unwrap();
        let f = lint(&args, v("4.1.4"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].message,
            "removed in Spark 4.1: Spark 4.1 does not read it"
        );
        let f = lint(&args, v("3.5.3"));
        assert!(f[0].message.starts_with("deprecated"), "{f:?}");
        assert_eq!(
            f[1].message,
            "added in Spark 4.1: Spark 3.5 does not read it"
        );
    }
}
