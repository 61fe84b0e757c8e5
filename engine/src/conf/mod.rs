//! Spark configuration: an ordered map of `spark.*` properties with the typed getters Spark's
//! `ConfigBuilder` entries use (ints, booleans, doubles, byte sizes, comma lists), each failing
//! with an error that names the key.

pub mod bytes;
pub mod keys;
pub mod properties;
pub mod registry;

use std::borrow::Borrow;
use std::fmt;
use std::hash::Hash;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::error::{Error, Result};
pub use bytes::ByteUnit;

/// Whether Spark's default `spark.redaction.regex`, `(?i)secret|password|token|access[.]?key`,
/// matches `text` (`Utils.redact` tries a conf entry's key, then its value).
pub fn is_redacted(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    ["secret", "password", "token", "accesskey", "access.key"]
        .iter()
        .any(|word| text.contains(word))
}

/// A Spark configuration: `key → value`, in the order the keys were first set.
///
/// Setting an existing key replaces its value in place, as a later `--conf` overrides an earlier
/// one in spark-submit.
///
/// Keys and values are [`ConfStr`]s: Spark's own keys and fixed values are kept as
/// `&'static str`, other strings are shared, so a copy of the conf (the driver's system
/// properties, the running driver's conf) copies none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SparkConf {
    entries: IndexMap<ConfStr, ConfStr, Hasher>,
}

/// A key or value of a [`SparkConf`]: a `&'static str` (Spark's own keys and fixed values,
/// used without a copy) or a shared string (a copy of the conf shares it).
///
/// Made from a `&'static str`, a `String` or a `&String`; other borrowed strings with
/// [`ConfStr::copy`].
#[derive(Clone)]
pub struct ConfStr(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl ConfStr {
    /// A copy of `s`.
    pub fn copy(s: &str) -> Self {
        ConfStr(Repr::Shared(Arc::from(s)))
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl AsRef<str> for ConfStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for ConfStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Hashed as its `str`, so that a map keyed by `ConfStr` is searched with a `&str`.
impl Hash for ConfStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq for ConfStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ConfStr {}

impl fmt::Debug for ConfStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ConfStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&'static str> for ConfStr {
    fn from(s: &'static str) -> Self {
        ConfStr(Repr::Static(s))
    }
}

impl From<String> for ConfStr {
    fn from(s: String) -> Self {
        ConfStr(Repr::Shared(Arc::from(s)))
    }
}

impl From<&String> for ConfStr {
    fn from(s: &String) -> Self {
        ConfStr::copy(s)
    }
}

/// The conf's key hasher: foldhash with a fixed seed — several times faster than the standard
/// library's SipHash on conf keys, and the same from run to run (the map keeps insertion
/// order, so the hasher never shows in the output).
type Hasher = foldhash::fast::FixedState;

impl SparkConf {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing an earlier value (whose key is kept: no copy of the
    /// key is made then).
    pub fn set(
        &mut self,
        key: impl Into<ConfStr> + AsRef<str>,
        value: impl Into<ConfStr>,
    ) -> &mut Self {
        match self.entries.get_mut(key.as_ref()) {
            Some(slot) => *slot = value.into(),
            None => {
                self.entries.insert(key.into(), value.into());
            }
        }
        self
    }

    /// Removes `key`, returning its value if it was set.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.entries
            .shift_remove(key)
            .map(|v| v.as_ref().to_owned())
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(AsRef::as_ref)
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
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The entry at position `index` in insertion order.
    pub fn get_index(&self, index: usize) -> Option<(&str, &str)> {
        self.entries
            .get_index(index)
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
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

    /// An `intConf` entry (Java `Integer.parseInt` of the trimmed value).
    pub fn get_int(&self, key: &str) -> Result<Option<i32>> {
        self.get(key)
            .map(|v| {
                crate::java::trim(v)
                    .parse::<i32>()
                    .map_err(|_| Error::invalid(key, v, "expected an integer"))
            })
            .transpose()
    }

    /// A `longConf` entry.
    pub fn get_long(&self, key: &str) -> Result<Option<i64>> {
        self.get(key)
            .map(|v| {
                crate::java::trim(v)
                    .parse::<i64>()
                    .map_err(|_| Error::invalid(key, v, "expected an integer"))
            })
            .transpose()
    }

    /// A `booleanConf` entry (`true`/`false`, any case).
    pub fn get_bool(&self, key: &str) -> Result<Option<bool>> {
        self.get(key)
            .map(
                |v| match crate::java::trim(v).to_ascii_lowercase().as_str() {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(Error::invalid(key, v, "expected true or false")),
                },
            )
            .transpose()
    }

    /// A `doubleConf` entry.
    pub fn get_double(&self, key: &str) -> Result<Option<f64>> {
        self.get(key)
            .map(|v| {
                parse_java_double(crate::java::trim(v))
                    .ok_or_else(|| Error::invalid(key, v, "expected a number"))
            })
            .transpose()
    }

    /// A `bytesConf(unit)` entry, in `unit`s (Spark's `byteFromString`: a leading `-` is kept).
    pub fn get_bytes(&self, key: &str, unit: ByteUnit) -> Result<Option<i64>> {
        self.get(key)
            .map(|v| {
                bytes::byte_from_string(v, unit).map_err(|reason| Error::invalid(key, v, reason))
            })
            .transpose()
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

impl<K: Into<ConfStr> + AsRef<str>, V: Into<ConfStr>> FromIterator<(K, V)> for SparkConf {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut conf = SparkConf::new();
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
        let key = super::keys::EXECUTOR_JAVA_OPTIONS;
        assert_eq!(conf.get_java_options(key), None);
        conf.set(key, "-Dx=1");
        assert_eq!(conf.get_java_options(key).as_deref(), Some("-Dx=1"));
        conf.set(super::keys::EXECUTOR_DEFAULT_JAVA_OPTIONS, "-Dd=0");
        assert_eq!(conf.get_java_options(key).as_deref(), Some("-Dd=0 -Dx=1"));
        conf.remove(key);
        assert_eq!(conf.get_java_options(key).as_deref(), Some("-Dd=0"));
    }

    use super::*;

    #[test]
    fn static_and_shared_strings_are_one_key() {
        let mut conf = SparkConf::new();
        conf.set("spark.app.name", "a");
        conf.set(String::from("spark.master"), String::from("k8s://h"));
        conf.set("spark.other", "x");
        // The same key, spelled as a shared string, replaces the value in place.
        conf.set(String::from("spark.app.name"), "b");
        let master = String::from("spark.master");
        conf.set(&master, ConfStr::copy("k8s://g"));
        assert_eq!(
            conf.iter().collect::<Vec<_>>(),
            [
                ("spark.app.name", "b"),
                ("spark.master", "k8s://g"),
                ("spark.other", "x")
            ]
        );
        assert_eq!(conf.get("spark.master"), Some("k8s://g"));
        assert_eq!(ConfStr::from("v"), ConfStr::copy("v"));
        let same: SparkConf = [("spark.app.name", "b")].into_iter().collect();
        let shared: SparkConf = [(String::from("spark.app.name"), String::from("b"))]
            .into_iter()
            .collect();
        assert_eq!(same, shared);
    }
}
