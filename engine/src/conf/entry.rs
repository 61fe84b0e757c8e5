//! How a conf entry's value is read ([`ValueKind`], one per `ConfigBuilder` typing), and
//! [`SparkConf::read`], Spark's `conf.get(ENTRY)`.

use super::bytes::{byte_from_string, ByteUnit};
use super::{parse_java_double, SparkConf};
use crate::config::{
    Bool, Bytes, ConfigEntry, Double, Int, Long, Mib, OptionalConfigEntry, Seconds, Str,
};
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

impl ValueKind for Seconds {
    type Value = i64;
    /// `JavaUtils.timeStringAs(raw, SECONDS)`: a number with an optional unit (`us`, `ms`, `s`,
    /// `m`, `min`, `h`, `d`), converted to whole seconds (rounded down).
    fn parse(key: &str, raw: &str) -> Result<i64> {
        let bad = || Error::invalid(key, raw, "expected a duration such as 30s, 2m or 1h");
        let text = raw.trim().to_ascii_lowercase();
        let digits_end = text
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
            .map_or(text.len(), |(i, _)| i);
        let (number, unit) = text.split_at(digits_end);
        let number: i64 = number.parse().map_err(|_| bad())?;
        let micros_per_unit: i64 = match unit {
            "" | "s" => 1_000_000,
            "us" => 1,
            "ms" => 1_000,
            "m" | "min" => 60_000_000,
            "h" => 3_600_000_000,
            "d" => 86_400_000_000,
            _ => return Err(bad()),
        };
        let seconds = i128::from(number) * i128::from(micros_per_unit) / 1_000_000;
        i64::try_from(seconds).map_err(|_| bad())
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
