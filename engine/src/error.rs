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

    /// A conf value cannot be used. The message quotes the value (cut when long) unless the
    /// key holds a secret.
    #[error("{}={} is invalid: {reason}", cut(key), shown(key, value))]
    InvalidValue {
        /// The conf key.
        key: String,
        /// The value as given.
        value: String,
        /// What is wanted instead.
        reason: String,
    },

    /// A pod template cannot be used. The message names the conf key and the file, and the line
    /// and field at fault when known; the [`TemplateProblem`] says what is wrong.
    #[error("{}={} is invalid{}", cut(key), shown(key, file), location(*line, field.as_deref()))]
    Template {
        /// The conf key that names the template.
        key: String,
        /// The template's path, as the conf gives it.
        file: String,
        /// The line at fault (from 1), when known.
        line: Option<usize>,
        /// The field at fault (`spec.containers[0].ports`), when known.
        field: Option<String>,
        /// What is wrong.
        #[source]
        problem: Box<TemplateProblem>,
    },

    /// An object spark-render would print breaks a rule of the API server (which would refuse
    /// it, as it would refuse what Spark sends).
    #[error("{kind}/{} {field}={} is invalid: {reason}; the API server would refuse it", cut(name), shown_field(field, value))]
    Object {
        /// The object's kind (`Pod`, `Service`...).
        kind: String,
        /// The object's name.
        name: String,
        /// The field at fault (`metadata.name`, `spec.ports[0].port`...).
        field: String,
        /// Its value.
        value: String,
        /// The API server's rule.
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
    #[error("input {input}={} is invalid: {reason}", shown(input, value))]
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

/// What is wrong with a pod template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateProblem {
    /// The text is not YAML that Spark loads.
    #[error("{0}")]
    Syntax(String),
    /// A value does not fit its field.
    #[error("{0}")]
    Value(String),
    /// Larger than spark-render reads.
    #[error("the pod template is larger than {max_mib} MiB")]
    TooLarge {
        /// The limit, in MiB.
        max_mib: usize,
    },
    /// Not a YAML mapping.
    #[error("the pod template is not a YAML mapping (a Pod)")]
    NotAMapping,
    /// Another kind of object.
    #[error("the pod template is a {0}, not a Pod")]
    NotAPod(String),
    /// No `spec`.
    #[error("the pod template has no spec (Spark fails to load it)")]
    NoSpec,
    /// The template's namespace is not the one Spark creates the pod in.
    #[error(
        "the template sets metadata.namespace={template}, but Spark creates the pod in {}={namespace}; the API server refuses a pod whose namespace differs from the request's",
        crate::config::keys::NAMESPACE.key
    )]
    OtherNamespace {
        /// The template's namespace.
        template: String,
        /// The submission's.
        namespace: String,
    },
    /// A field Kubernetes does not know (refused when rendering strictly).
    #[error("field {0} is not a field of a Kubernetes Pod")]
    UnknownField(String),
}

/// `: line 3, field spec.x` — where in a template the problem is, if known.
fn location(line: Option<usize>, field: Option<&str>) -> String {
    match (line, field) {
        (Some(line), Some(field)) => format!(": line {line}, field {field}"),
        (Some(line), None) => format!(": line {line}"),
        (None, Some(field)) => format!(": field {field}"),
        (None, None) => String::new(),
    }
}

/// The most characters of a value a message quotes.
const SHOWN_CHARS: usize = 100;

/// A value as messages show it: quoted, cut after [`SHOWN_CHARS`] characters (with its length
/// given), and never when `key` holds a secret.
pub(crate) fn shown(key: &str, value: &str) -> String {
    // Conf keys only: an object path (`Pod/x spec.volumes`) names no secret.
    if key.starts_with(crate::config::keys::SPARK_PREFIX) && crate::redact::is_sensitive(key) {
        return format!(
            "(a value of {} characters, not shown)",
            value.chars().count()
        );
    }
    let count = value.chars().count();
    if count <= SHOWN_CHARS + 20 {
        return format!("{value:?}");
    }
    let head: String = value.chars().take(SHOWN_CHARS).collect();
    format!("{head:?}… ({count} characters)")
}

/// A field's value as messages show it: as [`shown`] shows conf values, and hidden when the
/// field's name holds a redaction word (a label `api-token`, a selector `password`).
fn shown_field(field: &str, value: &str) -> String {
    if crate::redact::is_redacted(field) {
        return format!(
            "(a value of {} characters, not shown)",
            value.chars().count()
        );
    }
    shown(field, value)
}

/// A key or object path as messages show it: cut after 200 characters (a name made of a very
/// long `--name`, say), with its length given.
pub(crate) fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    let count = text.chars().count();
    if count <= 200 {
        return text.into();
    }
    let head: String = text.chars().take(200).collect();
    format!("{head}… ({count} characters)").into()
}

impl From<crate::version::ParseVersionError> for Error {
    fn from(e: crate::version::ParseVersionError) -> Self {
        Error::InvalidInput {
            input: "spark-version".into(),
            value: e.value,
            reason: e.reason,
        }
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The conf key, argument or input this error is about (for an object, its name).
    pub fn subject(&self) -> &str {
        match self {
            Error::Missing { key, .. }
            | Error::InvalidValue { key, .. }
            | Error::Template { key, .. }
            | Error::NotAllowed { key, .. }
            | Error::Unsupported { key, .. } => key,
            Error::Object { name, .. } => name,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_cut_long_values_and_hide_secrets() {
        let long = "x".repeat(120_000);
        let err = Error::InvalidValue {
            key: "spark.app.name".into(),
            value: long,
            reason: "too long".into(),
        }
        .to_string();
        assert!(err.len() < 300, "{} bytes", err.len());
        assert!(err.contains("(120000 characters)"), "{err}");
        let err = Error::InvalidValue {
            key: "spark.kubernetes.authenticate.driver.oauthToken".into(),
            value: "s3cr3t".into(),
            reason: "bad".into(),
        }
        .to_string();
        assert!(!err.contains("s3cr3t"), "{err}");
        assert!(crate::redact::is_sensitive("spark.authenticate.secret"));
        assert!(crate::redact::is_sensitive(
            "spark.hadoop.fs.s3a.access.key"
        ));
        assert!(!crate::redact::is_sensitive(
            "spark.kubernetes.driver.secretKeyRef.DB_PASSWORD"
        ));
        assert!(!crate::redact::is_sensitive("spark.app.name"));
        let err = Error::InvalidValue {
            key: format!("Pod/{}-driver spec", "a".repeat(5000)),
            value: "v".into(),
            reason: "r".into(),
        }
        .to_string();
        assert!(err.len() < 300, "{err}");
    }
}
