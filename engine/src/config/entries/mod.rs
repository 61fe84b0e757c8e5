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

use std::sync::OnceLock;

use crate::version::{SparkVersion, LINES};

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
/// come from (the patch releases of a line declare the same keys). Each release's table is
/// read from its text the first time it is asked for.
pub fn declared(version: SparkVersion) -> &'static [SparkEntry] {
    /// The tables, in the order of the modelled lines.
    const TABLES: [&str; LINES] = [
        spark_3_3_4::TABLE,
        spark_3_4_4::TABLE,
        spark_3_5_3::TABLE,
        spark_4_0_5::TABLE,
        spark_4_1_4::TABLE,
        spark_4_2_1::TABLE,
        spark_4_3_0::TABLE,
    ];
    static READ: [OnceLock<Vec<SparkEntry>>; LINES] = [const { OnceLock::new() }; LINES];
    let line = version.line_index();
    READ[line].get_or_init(|| parse_table(TABLES[line]))
}

/// Reads a generated table (its format is described beside each `TABLE`).
fn parse_table(table: &'static str) -> Vec<SparkEntry> {
    table
        .split_terminator('\u{1e}')
        .map(|record| {
            let mut fields = record.split('\u{1f}');
            let mut next = || fields.next().unwrap_or_default();
            let key = next();
            let value_type = value_type(next());
            let default = match next().split_at_checked(1) {
                Some(("V", value)) => EntryDefault::Value(value),
                Some(("F", key)) => EntryDefault::Fallback(key),
                Some(("C", _)) => EntryDefault::Computed,
                _ => EntryDefault::None,
            };
            let since = next();
            let internal = next() == "1";
            let alternatives: Vec<&'static str> =
                next().split('\u{1d}').filter(|a| !a.is_empty()).collect();
            SparkEntry {
                key,
                value_type,
                default,
                since,
                internal,
                // Read once per release and kept for the program's life, as the table is.
                alternatives: Box::leak(alternatives.into_boxed_slice()),
                doc: next(),
            }
        })
        .collect()
}

/// A value type as the generated tables spell it (`Bool`, `Bytes:Mib`, `Time:Seconds`...).
fn value_type(text: &str) -> ValueType {
    match text {
        "Bool" => ValueType::Bool,
        "Int" => ValueType::Int,
        "Long" => ValueType::Long,
        "Double" => ValueType::Double,
        "String" => ValueType::String,
        "Seq" => ValueType::Seq,
        "Bytes:Byte" => ValueType::Bytes(ByteUnit::Byte),
        "Bytes:Kib" => ValueType::Bytes(ByteUnit::Kib),
        "Bytes:Mib" => ValueType::Bytes(ByteUnit::Mib),
        "Bytes:Gib" => ValueType::Bytes(ByteUnit::Gib),
        "Bytes:Tib" => ValueType::Bytes(ByteUnit::Tib),
        "Bytes:Pib" => ValueType::Bytes(ByteUnit::Pib),
        "Time:Nanoseconds" => ValueType::Time(TimeUnit::Nanoseconds),
        "Time:Microseconds" => ValueType::Time(TimeUnit::Microseconds),
        "Time:Milliseconds" => ValueType::Time(TimeUnit::Milliseconds),
        "Time:Seconds" => ValueType::Time(TimeUnit::Seconds),
        "Time:Minutes" => ValueType::Time(TimeUnit::Minutes),
        "Time:Hours" => ValueType::Time(TimeUnit::Hours),
        "Time:Days" => ValueType::Time(TimeUnit::Days),
        _ => ValueType::Unknown,
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
        for version in crate::version::MODELLED {
            let entries = declared(version);
            assert!(entries.len() > 900, "{version}: {} entries", entries.len());
            assert!(entries.windows(2).all(|w| w[0].key < w[1].key), "{version}");
            for e in entries {
                assert!(e.key.starts_with("spark."), "{version}: {e:?}");
                if let EntryDefault::Fallback(other) = e.default {
                    assert!(find(version, other).is_some(), "{version}: {}", e.key);
                }
            }
            // One entry has a type the dumper cannot tell (`spark.task.cpus`).
            let unknown = entries
                .iter()
                .filter(|e| e.value_type == ValueType::Unknown)
                .count();
            assert!(unknown <= 1, "{version}: {unknown} entries of unknown type");
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
