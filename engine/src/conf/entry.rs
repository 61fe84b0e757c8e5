//! How a conf entry's value is read ([`ValueKind`], one per `ConfigBuilder` typing), and
//! [`SparkConf::read`], Spark's `conf.get(ENTRY)`.

use super::bytes::{byte_from_string, ByteUnit};
use super::{parse_java_double, SparkConf};
use crate::config::{Bool, Bytes, ConfigEntry, Double, Int, Long, Mib, OptionalConfigEntry, Str};
use crate::error::{Error, Result};
use crate::java;

/// How an entry's value is read: Spark's `ConfigBuilder` typing (`intConf`, `booleanConf`...).
pub trait ValueKind {
    /// The value read.
    type Value;
    /// Reads `raw`, the value of `key`, failing with an error that names the key.
    fn parse(key: &str, raw: &str) -> Result<Self::Value>;
}

impl ValueKind for Bool {
    type Value = bool;
    fn parse(key: &str, raw: &str) -> Result<bool> {
        match java::trim(raw).to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(Error::invalid(key, raw, "expected true or false")),
        }
    }
}

impl ValueKind for Int {
    type Value = i32;
    fn parse(key: &str, raw: &str) -> Result<i32> {
        java::trim(raw)
            .parse()
            .map_err(|_| Error::invalid(key, raw, "expected an integer"))
    }
}

impl ValueKind for Long {
    type Value = i64;
    fn parse(key: &str, raw: &str) -> Result<i64> {
        java::trim(raw)
            .parse()
            .map_err(|_| Error::invalid(key, raw, "expected an integer"))
    }
}

impl ValueKind for Double {
    type Value = f64;
    fn parse(key: &str, raw: &str) -> Result<f64> {
        parse_java_double(java::trim(raw))
            .ok_or_else(|| Error::invalid(key, raw, "expected a number"))
    }
}

impl ValueKind for Str {
    type Value = String;
    fn parse(_key: &str, raw: &str) -> Result<String> {
        Ok(raw.to_owned())
    }
}

impl ValueKind for Mib {
    type Value = i64;
    fn parse(key: &str, raw: &str) -> Result<i64> {
        byte_from_string(raw, ByteUnit::MiB).map_err(|reason| Error::invalid(key, raw, reason))
    }
}

impl ValueKind for Bytes {
    type Value = i64;
    fn parse(key: &str, raw: &str) -> Result<i64> {
        byte_from_string(raw, ByteUnit::Byte).map_err(|reason| Error::invalid(key, raw, reason))
    }
}

impl SparkConf {
    /// The value of `entry`, else its default (Spark's `conf.get(ENTRY)`).
    pub fn read<T: ValueKind>(&self, entry: &ConfigEntry<T>) -> Result<T::Value> {
        T::parse(entry.key, self.get(entry.key).unwrap_or(entry.default))
    }

    /// The value of `entry`, if set.
    pub fn read_optional<T: ValueKind>(
        &self,
        entry: &OptionalConfigEntry<T>,
    ) -> Result<Option<T::Value>> {
        self.get(entry.key)
            .map(|raw| T::parse(entry.key, raw))
            .transpose()
    }

    /// The value of a string entry, else its default, borrowed from the conf.
    pub fn read_str<'a>(&'a self, entry: &ConfigEntry<Str>) -> &'a str {
        self.get(entry.key).unwrap_or(entry.default)
    }
}
