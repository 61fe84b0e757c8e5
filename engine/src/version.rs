//! The Spark release whose behaviour is mirrored.

use std::fmt;
use std::str::FromStr;


/// A Spark release spark-render models. Only the 3.5 line is modelled today; its patch
/// releases behave alike for everything rendered, so any `3.5.N` is accepted and named in the
/// `spark-version` label.
///
/// Made by parsing (`"3.5.3".parse()`), which refuses a release that is not modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SparkVersion {
    major: u16,
    minor: u16,
    patch: u16,
}

impl SparkVersion {
    /// The major version (3).
    pub fn major(self) -> u16 {
        self.major
    }

    /// The minor version (5).
    pub fn minor(self) -> u16 {
        self.minor
    }

    /// The patch version.
    pub fn patch(self) -> u16 {
        self.patch
    }

    /// The default: Spark 3.5.3.
    pub const DEFAULT: SparkVersion = SparkVersion {
        major: 3,
        minor: 5,
        patch: 3,
    };
}

impl Default for SparkVersion {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for SparkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Why a string is not a modelled Spark release.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("input spark-version={value:?} is invalid: {reason}")]
pub struct ParseVersionError {
    /// The string given.
    pub value: String,
    /// What is wanted instead.
    pub reason: &'static str,
}

impl FromStr for SparkVersion {
    type Err = ParseVersionError;

    fn from_str(s: &str) -> Result<Self, ParseVersionError> {
        let bad = |reason: &'static str| ParseVersionError {
            value: s.into(),
            reason,
        };
        let parts: Vec<&str> = s.split('.').collect();
        let nums: Vec<u16> = parts
            .iter()
            .map(|p| p.parse::<u16>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("expected a release number such as 3.5.3"))?;
        match nums.as_slice() {
            [3, 5, patch] => Ok(SparkVersion {
                major: 3,
                minor: 5,
                patch: *patch,
            }),
            [_, _, _] => Err(bad("only Spark 3.5.x is modelled")),
            _ => Err(bad("expected a release number such as 3.5.3")),
        }
    }
}
