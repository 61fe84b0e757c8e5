//! Spark's `ConfigEntry` in Rust: a key with the way its value is read and, for
//! [`ConfigEntry`], the default Spark declares for it (as Spark prints it, read like a user's
//! value — `createWithDefaultString`). [`OptionalConfigEntry`] has no default.
//!
//! The entries the engine reads are constants of [`super::keys`]; a test checks each default
//! against the one the Spark release declares ([`super::entries`]).

use std::marker::PhantomData;

use super::bytes::{byte_from_string, ByteUnit};
use super::{parse_java_double, SparkConf};
use crate::error::{Error, Result};
use crate::java;

/// How an entry's value is read: Spark's `ConfigBuilder` typing (`intConf`, `booleanConf`...).
pub trait ValueKind {
    /// The value read.
    type Value;
    /// Reads `raw`, the value of `key`, failing with an error that names the key.
    fn parse(key: &str, raw: &str) -> Result<Self::Value>;
}

/// `booleanConf`: `true` or `false`, any case.
#[derive(Debug)]
pub enum Bool {}
/// `intConf`: Java's `Integer.parseInt` of the trimmed value.
#[derive(Debug)]
pub enum Int {}
/// `longConf`.
#[derive(Debug)]
pub enum Long {}
/// `doubleConf`: Java's `Double.parseDouble`.
#[derive(Debug)]
pub enum Double {}
/// `stringConf`.
#[derive(Debug)]
pub enum Str {}
/// `bytesConf(ByteUnit.MiB)`: a size, in MiB.
#[derive(Debug)]
pub enum Mib {}
/// `bytesConf(ByteUnit.BYTE)`: a size, in bytes.
#[derive(Debug)]
pub enum Bytes {}

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

/// An entry with a default (Spark's `ConfigEntryWithDefault`).
#[derive(Debug)]
pub struct ConfigEntry<T> {
    /// The key.
    pub key: &'static str,
    /// The default, as Spark prints it.
    pub default: &'static str,
    kind: PhantomData<fn() -> T>,
}

impl<T> ConfigEntry<T> {
    /// The entry `key`, `default` when unset.
    pub const fn new(key: &'static str, default: &'static str) -> Self {
        ConfigEntry {
            key,
            default,
            kind: PhantomData,
        }
    }
}

/// An entry without a default (Spark's `OptionalConfigEntry`).
#[derive(Debug)]
pub struct OptionalConfigEntry<T> {
    /// The key.
    pub key: &'static str,
    kind: PhantomData<fn() -> T>,
}

impl<T> OptionalConfigEntry<T> {
    /// The entry `key`.
    pub const fn new(key: &'static str) -> Self {
        OptionalConfigEntry {
            key,
            kind: PhantomData,
        }
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
