//! The conf entries a Spark release declares — its `ConfigEntry`s, with their value types,
//! defaults, the release that introduced them, their deprecated alternatives and whether they
//! are internal — read from the release's own jars by `scripts/gen-conf-entries.sh`.
//!
//! This is the data side of the conf registry: [`super::keys`] names the keys the engine
//! reads, and a test checks that each of them is declared here (or is one of the few keys
//! Spark reads without declaring them). The lint looks keys up here.

mod spark_3_3_4;
mod spark_3_4_4;
mod spark_3_5_3;
mod spark_4_0_5;
mod spark_4_1_4;
mod spark_4_2_1;
mod spark_4_3_0;

use crate::version::SparkVersion;

/// The type of an entry's value (the `ConfigBuilder` method that declared it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `booleanConf`
    Bool,
    /// `intConf`
    Int,
    /// `longConf`
    Long,
    /// `doubleConf`
    Double,
    /// `stringConf`
    String,
    /// `stringConf.toSequence`: a comma list.
    Seq,
    /// `bytesConf(unit)`: a size, in `unit` when it has no suffix.
    Bytes(ByteUnit),
    /// `timeConf(unit)`: a duration, in `unit` when it has no suffix.
    Time(TimeUnit),
    /// Not determined.
    Unknown,
}

/// The unit of a size without a suffix (Spark's `ByteUnit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ByteUnit {
    Byte,
    Kib,
    Mib,
    Gib,
    Tib,
    Pib,
}

/// The unit of a duration without a suffix (Java's `TimeUnit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum TimeUnit {
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// An entry's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryDefault {
    /// No default (an optional entry).
    None,
    /// This value, as Spark prints it.
    Value(&'static str),
    /// The value of another entry.
    Fallback(&'static str),
    /// Computed when read (from the machine, the environment or other entries).
    Computed,
}

/// One `ConfigEntry` of a Spark release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SparkEntry {
    /// The key.
    pub key: &'static str,
    /// The value's type.
    pub value_type: ValueType,
    /// The default.
    pub default: EntryDefault,
    /// The release that introduced the key (`ConfigEntry.version`; may be empty).
    pub since: &'static str,
    /// Spark's own, not documented for users.
    pub internal: bool,
    /// Deprecated keys read in its place when it is not set.
    pub alternatives: &'static [&'static str],
    /// Spark's documentation of the entry (may be empty).
    pub doc: &'static str,
}

/// The entries `version` declares, sorted by key: those of the release its line's goldens
/// come from (the patch releases of a line declare the same keys).
pub fn declared(version: SparkVersion) -> &'static [SparkEntry] {
    match (version.major(), version.minor()) {
        (3, 3) => spark_3_3_4::ENTRIES,
        (3, 4) => spark_3_4_4::ENTRIES,
        (4, 0) => spark_4_0_5::ENTRIES,
        (4, 1) => spark_4_1_4::ENTRIES,
        (4, 2) => spark_4_2_1::ENTRIES,
        (4, 3) => spark_4_3_0::ENTRIES,
        _ => spark_3_5_3::ENTRIES,
    }
}

/// The entry for `key` in `version`, if Spark declares it.
pub fn find(version: SparkVersion, key: &str) -> Option<&'static SparkEntry> {
    let entries = declared(version);
    entries
        .binary_search_by(|e| e.key.cmp(key))
        .ok()
        .map(|i| &entries[i])
}

/// Whether `key` is a deprecated alternative of an entry of `version`.
pub fn is_alternative(version: SparkVersion, key: &str) -> bool {
    // Few entries have alternatives: they are collected once per release line, sorted.
    static ALTERNATIVES: std::sync::OnceLock<Vec<(SparkVersion, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    let all = ALTERNATIVES.get_or_init(|| {
        crate::version::MODELLED
            .iter()
            .map(|&v| {
                let mut keys: Vec<&str> = declared(v)
                    .iter()
                    .flat_map(|e| e.alternatives.iter().copied())
                    .collect();
                keys.sort_unstable();
                (v, keys)
            })
            .collect()
    });
    let same_table = |v: SparkVersion| std::ptr::eq(declared(v), declared(version));
    all.iter()
        .find(|(v, _)| same_table(*v))
        .is_some_and(|(_, keys)| keys.binary_search(&key).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_sorted_unique_and_fall_back_to_declared_keys() {
        let entries = declared(SparkVersion::default());
        assert!(entries.windows(2).all(|w| w[0].key < w[1].key));
        for e in entries {
            if let EntryDefault::Fallback(other) = e.default {
                assert!(find(SparkVersion::default(), other).is_some(), "{}", e.key);
            }
        }
    }

    #[test]
    fn entries_carry_sparks_types_and_defaults() {
        let v = SparkVersion::default();
        let memory = find(v, "spark.driver.memory").unwrap();
        assert_eq!(memory.value_type, ValueType::Bytes(ByteUnit::Mib));
        assert_eq!(memory.default, EntryDefault::Value("1g"));
        let max_size = find(v, "spark.kubernetes.configMap.maxSize").unwrap();
        assert_eq!(max_size.value_type, ValueType::Long);
        assert_eq!(max_size.default, EntryDefault::Value("1048576"));
        assert!(find(v, "spark.kubernetes.contianer.image").is_none());
    }
}
