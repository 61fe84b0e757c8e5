//! The one error type of the engine. Every variant names what is at fault — a conf key, an
//! argument or an input — so that a user can find and fix it.

/// Why a submission cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required conf key is missing.
    #[error("{key} is not set: {reason}")]
    Missing {
        /// The conf key (or argument) that must be given.
        key: String,
        /// What it is needed for.
        reason: String,
    },

    /// A conf value cannot be used.
    #[error("{key}={value:?} is invalid: {reason}")]
    InvalidValue {
        /// The conf key.
        key: String,
        /// The value as given.
        value: String,
        /// What is wanted instead.
        reason: String,
    },

    /// A conf key Spark refuses in this context (e.g. a reserved label key).
    #[error("{key} is not allowed: {reason}")]
    NotAllowed {
        /// The conf key.
        key: String,
        /// Spark's reason.
        reason: String,
    },

    /// A line of a properties file cannot be read.
    #[error("{source_name}:{line}: {reason}")]
    Properties {
        /// Where the text came from (a file name, or `--conf`).
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },

    /// A spark-submit argument (not a conf key) cannot be used.
    #[error("{argument}: {reason}")]
    InvalidArgument {
        /// The argument, e.g. `--master` or `primary resource`.
        argument: String,
        /// What is wrong.
        reason: String,
    },

    /// A render input (app id, unique id, ...) is malformed.
    #[error("input {input}={value:?} is invalid: {reason}")]
    InvalidInput {
        /// The input's name, as the CLI flag spells it (e.g. `unique-id`).
        input: String,
        /// The value as given.
        value: String,
        /// What is wanted instead.
        reason: String,
    },

    /// The conf uses a Spark feature spark-render does not model (yet). Refusing is better than
    /// printing manifests that silently differ from Spark's.
    #[error("{key} is set, but spark-render does not model {feature} yet; refusing rather than rendering something Spark would not create")]
    Unsupported {
        /// The conf key that asks for the feature.
        key: String,
        /// The feature, in words.
        feature: String,
    },
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The conf key, argument or input this error is about.
    pub fn subject(&self) -> &str {
        match self {
            Error::Missing { key, .. }
            | Error::InvalidValue { key, .. }
            | Error::NotAllowed { key, .. }
            | Error::Unsupported { key, .. } => key,
            Error::Properties { source_name, .. } => source_name,
            Error::InvalidArgument { argument, .. } => argument,
            Error::InvalidInput { input, .. } => input,
        }
    }

    pub(crate) fn invalid(key: &str, value: &str, reason: impl Into<String>) -> Self {
        Error::InvalidValue {
            key: key.to_owned(),
            value: value.to_owned(),
            reason: reason.into(),
        }
    }
}
