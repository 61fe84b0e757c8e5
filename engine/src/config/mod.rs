//! Spark's configuration registry, as its `org.apache.spark.internal.config` package and the
//! Kubernetes module's `Config.scala` hold it: every key the engine reads ([`keys`], typed
//! where Spark types it), and every entry each Spark release declares ([`entries`],
//! generated from the release's jars). Data only: how values are read is
//! [`crate::conf::entry`].

pub mod entries;
pub mod keys;

use std::marker::PhantomData;

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
/// `timeConf(TimeUnit.SECONDS)`: a duration, in seconds.
#[derive(Debug)]
pub enum Seconds {}

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
