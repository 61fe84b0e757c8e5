//! `spark-render lint`: what in a conf is probably a mistake, found without a cluster and
//! reported all at once —
//!
//! * unknown or misspelt keys of every Spark area (with a did-you-mean among the keys the
//!   release declares, [`crate::config::entries`]), keys the chosen release does not read though
//!   others do ("added in 4.1", "removed in 4.0"), deprecated keys with their replacement;
//! * values the release cannot read as the key's type (sizes, durations, integers, numbers,
//!   booleans), read with the parsers rendering uses;
//! * keys with no effect on Kubernetes (`spark.yarn.*`, `spark.mesos.*`,
//!   `spark.driver.supervise`...) or in the chosen deploy mode;
//! * labels Spark reserves for itself;
//! * and, with [`lint_request`], whatever rendering the submission refuses.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::conf::bytes::{byte_from_string, ByteUnit};
use crate::conf::entry::ValueKind;
use crate::conf::SparkConf;
use crate::config::entries::{self, ValueType};
use crate::config::{keys, Bool, Double, Int, Long, Seconds};
use crate::constants::labels;
use crate::submit::SubmitArgs;
use crate::version::{SparkVersion, LINES, MODELLED};
use crate::RenderRequest;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The conf key (or the argument) at fault.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// The key probably meant, if any.
    pub suggestion: Option<String>,
    /// Where the key was given (`FILE:LINE` of a properties file, `--conf`), when known.
    pub location: Option<String>,
}

impl Finding {
    /// A file the conf names that cannot be read (`why`), given at `location`.
    pub fn unreadable(key: &str, why: &str, location: Option<&String>) -> Self {
        Finding {
            location: location.cloned(),
            ..Finding::new(key, why)
        }
    }

    /// A finding on `key` (a conf key, or a field path such as `spec.driver.tolerations`).
    pub fn on(key: &str, message: impl Into<String>) -> Self {
        Finding::new(key, message)
    }

    fn new(key: &str, message: impl Into<String>) -> Self {
        Finding {
            key: key.to_owned(),
            message: message.into(),
            suggestion: None,
            location: None,
        }
    }
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

/// Keys that have no effect on Kubernetes: other cluster managers' and spark-submit options
/// that only they honour.
const NO_EFFECT_ON_KUBERNETES: &[(&str, &str)] = &[
    (keys::YARN_PREFIX, "a YARN key"),
    (keys::MESOS_PREFIX, "a Mesos key"),
    (keys::STANDALONE_DEPLOY_PREFIX, "a standalone cluster key"),
    (keys::STANDALONE_PREFIX, "a standalone cluster key"),
    (
        keys::DRIVER_SUPERVISE,
        "only standalone and Mesos restart a failed driver",
    ),
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

/// The labels Spark sets on its pods itself: a user label with one of these keys is refused.
const RESERVED_LABELS: &[(&str, &[&str])] = &[
    (
        keys::DRIVER_LABEL_PREFIX,
        &[
            labels::SPARK_VERSION,
            labels::SPARK_APP_ID,
            labels::SPARK_APP_NAME,
            labels::SPARK_ROLE,
        ],
    ),
    (
        keys::EXECUTOR_LABEL_PREFIX,
        &[
            labels::SPARK_VERSION,
            labels::SPARK_EXECUTOR_ID,
            labels::SPARK_APP_ID,
            labels::SPARK_APP_NAME,
            labels::SPARK_ROLE,
            labels::SPARK_RESOURCE_PROFILE_ID,
        ],
    ),
];

/// Lints the conf of `args` (the properties file and `--conf`, as the user wrote them) for
/// Spark `version`: keys and values, one finding per key.
pub fn lint(args: &SubmitArgs, version: SparkVersion) -> Vec<Finding> {
    let conf: SparkConf = args
        .properties_file
        .iter()
        .chain(&args.conf)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let client_mode = args.deploy_mode.as_deref() == Some("client");
    conf.iter()
        .filter_map(|(key, value)| lint_entry(version, key, value, client_mode))
        .collect()
}

/// Lints a whole submission: [`lint`], then what rendering it refuses (reported unless a
/// finding already names the same key), each finding with where its key was given
/// (`locations`: key → `FILE:LINE` or `--conf`).
pub fn lint_request(request: &RenderRequest, locations: &BTreeMap<String, String>) -> Vec<Finding> {
    let mut findings = lint(&request.submit, request.spark_version);
    // In client mode spark-render needs the driver's address, which Spark would take from
    // the submitting machine: placeholders stand in for it.
    let mut request = request.clone();
    if request.submit.deploy_mode.as_deref() == Some("client") {
        for (key, placeholder) in [
            (keys::DRIVER_HOST, "driver.invalid"),
            (keys::DRIVER_PORT.key, "7078"),
        ] {
            if !request
                .submit
                .conf
                .iter()
                .chain(&request.submit.properties_file)
                .any(|(k, _)| k == key)
            {
                request
                    .submit
                    .conf
                    .push((key.to_owned(), placeholder.to_owned()));
            }
        }
    }
    if let Err(err) = crate::render_all(&request) {
        let subject = err.subject().to_owned();
        if !findings.iter().any(|f| f.key == subject) {
            // The message names the key first; the finding names it already.
            let message = err.to_string();
            let message = match message.strip_prefix(subject.as_str()) {
                Some(rest) if rest.starts_with('=') => format!("the value {}", &rest[1..]),
                Some(rest) if rest.starts_with(' ') => rest.trim_start().to_owned(),
                _ => message,
            };
            findings.push(Finding::new(&subject, message));
        }
    }
    for finding in &mut findings {
        finding.location = locations.get(&finding.key).cloned();
    }
    findings
}

/// The finding on one key, if any.
fn lint_entry(version: SparkVersion, key: &str, value: &str, client_mode: bool) -> Option<Finding> {
    if let Some(replacement) = deprecated(version, key) {
        return Some(Finding::new(key, format!("deprecated; use {replacement}")));
    }
    if let Some((_, why)) = NO_EFFECT_ON_KUBERNETES
        .iter()
        .find(|(k, _)| key == *k || (k.ends_with('.') && key.starts_with(k)))
    {
        return Some(Finding::new(key, format!("no effect on Kubernetes: {why}")));
    }
    if !client_mode {
        if let Some((_, why)) = NO_EFFECT_IN_CLUSTER_MODE.iter().find(|(k, _)| *k == key) {
            return Some(Finding::new(
                key,
                format!("no effect in cluster mode: {why}"),
            ));
        }
    } else if DRIVER_POD_KEYS
        .iter()
        .any(|p| key == *p || (p.ends_with('.') && key.starts_with(p)))
    {
        return Some(Finding::new(
            key,
            "no effect in client mode: there is no driver pod",
        ));
    }
    for (prefix, reserved) in RESERVED_LABELS {
        if let Some(label) = key.strip_prefix(prefix).filter(|l| reserved.contains(l)) {
            return Some(Finding::new(
                key,
                format!(
                    "not allowed: label key {label} is reserved for Spark bookkeeping operations"
                ),
            ));
        }
    }
    if let Some(entry) = entries::find(version, key) {
        return value_problem(entry.value_type, key, value).map(|reason| {
            Finding::new(
                key,
                format!(
                    "the value is not one Spark {} reads: {reason}",
                    version.line_name()
                ),
            )
        });
    }
    if !is_checked(version, key) || keys::is_known(version, key) {
        return None;
    }
    if let Some(message) = other_releases(version, key) {
        return Some(Finding::new(key, message));
    }
    let suggestion = did_you_mean(version, key);
    let spark = version.line_name();
    Some(Finding {
        message: match &suggestion {
            Some(s) => format!("not a key Spark {spark} reads; did you mean {s}?"),
            None => format!("not a key Spark {spark} reads"),
        },
        suggestion,
        ..Finding::new(key, "")
    })
}

/// Why `value` is not a value of the type Spark reads `key` as (the parsers rendering uses).
fn value_problem(value_type: ValueType, key: &str, value: &str) -> Option<String> {
    let reason = |r: crate::Result<()>| {
        r.err().map(|e| match e {
            crate::Error::InvalidValue { reason, .. } => reason,
            other => other.to_string(),
        })
    };
    match value_type {
        ValueType::Bool => reason(Bool::parse(key, value).map(drop)),
        ValueType::Int => reason(Int::parse(key, value).map(drop)),
        ValueType::Long => reason(Long::parse(key, value).map(drop)),
        ValueType::Double => reason(Double::parse(key, value).map(drop)),
        ValueType::Time(_) => reason(Seconds::parse(key, value).map(drop)),
        ValueType::Bytes(unit) => {
            let unit = match unit {
                entries::ByteUnit::Byte => ByteUnit::Byte,
                entries::ByteUnit::Kib => ByteUnit::KiB,
                entries::ByteUnit::Mib => ByteUnit::MiB,
                entries::ByteUnit::Gib => ByteUnit::GiB,
                entries::ByteUnit::Tib => ByteUnit::TiB,
                entries::ByteUnit::Pib => ByteUnit::PiB,
            };
            byte_from_string(value, unit).err()
        }
        ValueType::String | ValueType::Seq | ValueType::Unknown => None,
    }
}

/// Whether `key` is in an area of Spark's conf (`spark.kubernetes.`, `spark.sql.`,
/// `spark.dynamicAllocation.`...: the first two parts of a key the release declares), so that
/// a key Spark does not read there is probably a mistake. Keys of other projects
/// (`spark.rapids.`, `spark.delta.`...) are left alone.
fn is_checked(version: SparkVersion, key: &str) -> bool {
    static AREAS: [std::sync::OnceLock<std::collections::BTreeSet<&'static str>>; LINES] =
        [const { std::sync::OnceLock::new() }; LINES];
    let areas = AREAS[version.line_index()].get_or_init(|| {
        entries::declared(version)
            .iter()
            .filter_map(|e| area(e.key))
            .chain(keys::UNDECLARED.iter().filter_map(|k| area(k)))
            .collect()
    });
    area(key).is_some_and(|a| areas.contains(a))
}

/// The first two parts of a key with at least three (`spark.sql` of `spark.sql.x`).
fn area(key: &str) -> Option<&str> {
    let first = key.find('.')?;
    let second = first + 1 + key[first + 1..].find('.')?;
    Some(&key[..second])
}

/// How far a key may be from the one meant: one edit per twelve characters, one to three.
fn typo_limit(len: usize) -> usize {
    (len / 12).clamp(1, 3)
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

/// The edits between `head` and `family` when they differ in one dot-separated part only, by
/// few enough edits for a typo in that part (one per five characters, at least one).
fn one_part_misspelt(head: &str, family: &str) -> Option<usize> {
    let (ours, theirs): (Vec<&str>, Vec<&str>) =
        (head.split('.').collect(), family.split('.').collect());
    if ours.len() != theirs.len() {
        return None;
    }
    let differing: Vec<(&str, &str)> = ours
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    let [(a, b)] = differing[..] else {
        return None;
    };
    let distance = strsim::osa_distance(a, b);
    (distance <= (b.len() / 5).max(1)).then_some(distance)
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
        let distance = strsim::osa_distance(key, candidate);
        if distance <= limit && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate.clone()));
        }
    }
    // A member of a key family (`spark.kubernetes.driver.label.<name>`) with one part of the
    // family misspelt: the user's member name is kept.
    static FAMILY_PARTS: std::sync::OnceLock<Vec<(&str, usize)>> = std::sync::OnceLock::new();
    let families = FAMILY_PARTS.get_or_init(|| {
        keys::FAMILIES
            .iter()
            .map(|f| (*f, f.matches('.').count()))
            .collect()
    });
    let dots: Vec<usize> = key.match_indices('.').map(|(at, _)| at).collect();
    for (family, parts) in families {
        let Some(&dot) = dots.get(parts - 1) else {
            continue;
        };
        let (head, tail) = key.split_at(dot + 1);
        // One misspelt part changes the length by a few characters at most.
        if tail.is_empty() || head.len().abs_diff(family.len()) > 3 {
            continue;
        }
        if let Some(distance) = one_part_misspelt(head, family) {
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, format!("{family}{tail}")));
            }
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

    #[test]
    fn values_are_read_as_the_key_is_typed() {
        let f = lint_conf(
            &[
                ("spark.executor.memory", "4gbx"),
                ("spark.dynamicAllocation.enabled", "yes"),
                ("spark.sql.shuffle.partitions", "2000000000000"),
                ("spark.network.timeout", "2 minutes"),
                ("spark.memory.fraction", "six tenths"),
                // Good values of each kind.
                ("spark.driver.memory", "2g"),
                ("spark.speculation", "TRUE"),
                ("spark.executor.instances", "10"),
                ("spark.executor.heartbeatInterval", "20s"),
                ("spark.memory.storageFraction", "0.4"),
            ],
            false,
        );
        let keys: Vec<&str> = f.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "spark.executor.memory",
                "spark.dynamicAllocation.enabled",
                "spark.sql.shuffle.partitions",
                "spark.network.timeout",
                "spark.memory.fraction"
            ],
            "{f:?}"
        );
    }

    #[test]
    fn a_misspelt_family_part_keeps_the_member_and_far_parts_are_not_suggested() {
        let f = lint_conf(&[("spark.kubernetes.drvier.label.team", "a")], false);
        assert_eq!(
            f[0].suggestion.as_deref(),
            Some("spark.kubernetes.driver.label.team")
        );
        // "driver" is not a misspelt "driverEnv".
        let f = lint_conf(
            &[("spark.kubernetes.driver.request.limit.cores", "2")],
            false,
        );
        assert_eq!(f[0].suggestion, None, "{f:?}");
        assert_eq!(
            one_part_misspelt("spark.kubernetes.driver.", "spark.kubernetes.driverEnv."),
            None
        );
        assert_eq!(
            one_part_misspelt(
                "spark.kubernetes.drvier.label.",
                "spark.kubernetes.driver.label."
            ),
            Some(1)
        );
    }

    #[test]
    fn keys_of_every_spark_area_are_checked_and_other_projects_left_alone() {
        let v = SparkVersion::default();
        assert!(is_checked(v, "spark.dynamicAllocation.enabeld"));
        assert!(is_checked(v, "spark.sql.adaptive.enabld"));
        assert!(!is_checked(v, "spark.rapids.sql.enabled"));
        assert!(!is_checked(v, "spark.delta.logStore.class"));
        let f = lint_conf(
            &[
                ("spark.yarn.queue", "q"),
                ("spark.driver.supervise", "true"),
            ],
            false,
        );
        assert!(
            f.iter()
                .all(|f| f.message.starts_with("no effect on Kubernetes")),
            "{f:?}"
        );
    }
}
