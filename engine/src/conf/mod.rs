//! Spark configuration: an ordered map of `spark.*` properties, read through typed entries
//! ([`entry`]) as Spark's `ConfigBuilder` entries are (ints, booleans, doubles, byte sizes),
//! each failing with an error that names the key. [`crate::config`] names every key the
//! engine reads and holds what each Spark release declares.

pub mod bytes;
pub mod entry;
pub mod properties;

use indexmap::IndexMap;

use crate::config::keys;

pub use crate::redact::is_redacted;
pub use bytes::ByteUnit;

/// The most distinct keys a configuration may hold, from a properties file or in all (Spark
/// sets no limit): far more than any real conf holds (Spark declares about a thousand keys),
/// few enough that a render of the largest stays within a few tens of megabytes.
pub const MAX_KEYS: usize = 32_768;

/// A Spark configuration: `key → value`, in the order the keys were first set.
///
/// Setting an existing key replaces its value in place, as a later `--conf` overrides an earlier
/// one in spark-submit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SparkConf {
    entries: IndexMap<String, String>,
}

impl SparkConf {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty configuration with room for `capacity` keys.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: IndexMap::with_capacity(capacity),
        }
    }

    /// Sets `key` to `value`, replacing an earlier value in place.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.entries.insert(key.into(), value.into());
        self
    }

    /// Removes `key`, returning its value if it was set.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.entries.shift_remove(key)
    }

    /// Keeps the entries whose key `keep` accepts, in order; returns the keys removed.
    pub fn retain_keys(&mut self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut removed = Vec::new();
        self.entries.retain(|k, _| {
            let kept = keep(k);
            if !kept {
                removed.push(k.clone());
            }
            kept
        });
        removed
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// A JVM options key (`spark.{driver,executor}.extraJavaOptions`) as Spark reads it: its
    /// entry is declared `withPrepended` its `defaultJavaOptions` key, so every read gives the
    /// default options, a space, then the extra ones (either alone when the other is unset).
    pub fn get_java_options(&self, key: &str) -> Option<String> {
        let prepended = match key {
            keys::DRIVER_JAVA_OPTIONS => keys::DRIVER_DEFAULT_JAVA_OPTIONS,
            keys::EXECUTOR_JAVA_OPTIONS => keys::EXECUTOR_DEFAULT_JAVA_OPTIONS,
            _ => return self.get(key).map(str::to_owned),
        };
        match (self.get(prepended), self.get(key)) {
            (Some(default), Some(extra)) => Some(format!("{default} {extra}")),
            (Some(only), None) | (None, Some(only)) => Some(only.to_owned()),
            (None, None) => None,
        }
    }

    /// Whether `key` is set.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The value of the first of `keys` that is set.
    pub fn get_first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// All entries, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The entry at position `index` in insertion order.
    pub fn get_index(&self, index: usize) -> Option<(&str, &str)> {
        self.entries
            .get_index(index)
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries whose key starts with `prefix`, with the prefix removed (Spark's
    /// `getAllWithPrefix`), in conf order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v)))
    }

    /// A string entry with a default.
    pub fn get_or<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.get(key).unwrap_or(default)
    }

    /// A `toSequence` entry: comma-separated, items trimmed, empty items dropped.
    pub fn get_seq(&self, key: &str) -> Vec<String> {
        self.get(key).map(split_seq).unwrap_or_default()
    }
}

/// Splits a comma list the way Spark's `stringToSeq` does: trimmed, empty items dropped.
pub fn split_seq(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(crate::java::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses a number the way `java.lang.Double.parseDouble` accepts the common forms
/// (optional sign, digits, fraction, exponent, an optional `d`/`f` suffix).
pub fn parse_java_double(s: &str) -> Option<f64> {
    let body = s.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(s);
    let valid = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    if !valid {
        return match body {
            "NaN" => Some(f64::NAN),
            "Infinity" | "+Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        };
    }
    body.parse::<f64>().ok()
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for SparkConf {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut conf = SparkConf::with_capacity(iter.size_hint().0);
        for (k, v) in iter {
            conf.set(k, v);
        }
        conf
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn java_options_carry_their_default_options_first() {
        let mut conf = super::SparkConf::new();
        let key = crate::config::keys::EXECUTOR_JAVA_OPTIONS;
        assert_eq!(conf.get_java_options(key), None);
        conf.set(key, "-Dx=1");
        assert_eq!(conf.get_java_options(key).as_deref(), Some("-Dx=1"));
        conf.set(crate::config::keys::EXECUTOR_DEFAULT_JAVA_OPTIONS, "-Dd=0");
        assert_eq!(conf.get_java_options(key).as_deref(), Some("-Dd=0 -Dx=1"));
        conf.remove(key);
        assert_eq!(conf.get_java_options(key).as_deref(), Some("-Dd=0"));
    }
}
