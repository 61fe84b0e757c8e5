//! `SparkApplication`s: the resources the Spark operators turn into spark-submit runs. Each
//! operator has its module; this one reads the documents and tells them apart by
//! `apiVersion`.

pub mod apache;
pub mod kubeflow;

use serde_json::Value;

/// Which operator a `SparkApplication` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// kubeflow/spark-operator (`sparkoperator.k8s.io/v1beta2`).
    Kubeflow,
    /// apache/spark-kubernetes-operator (`spark.apache.org/v1`, `v1beta1`).
    Apache,
}

/// One `SparkApplication` of an input file, parsed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Application {
    /// kubeflow's.
    Kubeflow(Box<kubeflow::spec::SparkApplication>),
    /// Apache's.
    Apache(Box<apache::spec::SparkApplication>),
}

/// A parsed `SparkApplication` and what in it the operator's API does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The application.
    pub application: Application,
    /// Fields no version of the resource has, as paths (`spec.driver.fooBar`); the API server
    /// drops them.
    pub unknown_fields: Vec<String>,
    /// Fields the resource's CRD requires that the document lacks, as paths; the API server
    /// refuses the resource (after the operator's admission defaults, when it has them).
    pub missing_fields: Vec<String>,
}

/// Why a document could not be read as a `SparkApplication`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

/// The YAML (or JSON) documents of `text`, each as a value; empty documents are skipped.
pub fn documents(text: &str) -> Result<Vec<Value>, ReadError> {
    let documents: Vec<Value> =
        serde_saphyr::from_multiple(text).map_err(|e| ReadError(format!("not YAML: {e}")))?;
    Ok(documents.into_iter().filter(|d| !d.is_null()).collect())
}

/// Whether a document is a `SparkApplication` (of any operator).
pub fn is_spark_application(document: &Value) -> bool {
    document.get("kind").and_then(Value::as_str) == Some("SparkApplication")
}

/// What a document is, for messages: `a ConfigMap (apiVersion "v1")`.
pub fn describe(document: &Value) -> String {
    let field = |name: &str| {
        document
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    match field("kind") {
        "" => "a document without kind".to_owned(),
        kind => format!("a {kind} (apiVersion {:?})", field("apiVersion")),
    }
}

/// The operator a document is for, from its `apiVersion` and `kind`; an error says what the
/// document is instead.
pub fn operator_of(document: &Value) -> Result<Operator, ReadError> {
    let field = |name: &str| {
        document
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let (api_version, kind) = (field("apiVersion"), field("kind"));
    if kind != "SparkApplication" {
        let what = if kind.is_empty() {
            "no kind".to_owned()
        } else {
            format!("a {kind}")
        };
        return Err(ReadError(format!(
            "{what}, not a SparkApplication (apiVersion {api_version:?})"
        )));
    }
    match api_version {
        kubeflow::spec::API_VERSION => Ok(Operator::Kubeflow),
        v if apache::API_VERSIONS.contains(&v) => Ok(Operator::Apache),
        other => Err(ReadError(format!(
            "a SparkApplication of apiVersion {other:?}, which spark-render does not model (it reads {}, {})",
            kubeflow::spec::API_VERSION,
            apache::API_VERSIONS.join(", ")
        ))),
    }
}

/// Parses one document; a field of the wrong type is an error naming its path. (What the API
/// server refuses besides is [`check_name`]'s and [`Parsed::missing_fields`]'.)
pub fn parse(document: &Value) -> Result<Parsed, ReadError> {
    match operator_of(document)? {
        Operator::Kubeflow => {
            let (app, unknown_fields) = typed::<kubeflow::spec::SparkApplication>(document)?;
            let mut unknown_fields = unknown_fields;
            for (role, driver) in [("driver", true), ("executor", false)] {
                let spec = if driver {
                    &app.spec.driver
                } else {
                    &app.spec.executor
                };
                for field in spec.fields_of_other_role(driver) {
                    unknown_fields.push(format!("spec.{role}.{field}"));
                }
            }
            Ok(Parsed {
                application: Application::Kubeflow(Box::new(app)),
                unknown_fields,
                missing_fields: missing(document, kubeflow::spec::REQUIRED_SPEC_FIELDS),
            })
        }
        Operator::Apache => {
            let (app, mut unknown_fields) = typed::<apache::spec::SparkApplication>(document)?;
            unknown_fields.extend(app.fields_unknown_to_version());
            Ok(Parsed {
                application: Application::Apache(Box::new(app)),
                unknown_fields,
                missing_fields: Vec::new(),
            })
        }
    }
}

/// A custom resource's `metadata.name` must be a DNS-1123 subdomain, or the API server refuses
/// it.
pub fn check_name(document: &Value) -> Result<(), ReadError> {
    let name = document
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if name.is_empty() {
        return Err(ReadError(
            "metadata.name is required (the API server refuses a resource without a name)".into(),
        ));
    }
    let valid = crate::validate::is_dns_subdomain(name);
    if valid {
        Ok(())
    } else {
        Err(ReadError(format!(
            "metadata.name {}: not a valid name (lower case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters): the API server refuses the resource",
            crate::error::shown("", name)
        )))
    }
}

/// The fields of `spec` among `required` that `document` lacks (or sets to null), as paths.
fn missing(document: &Value, required: &[&str]) -> Vec<String> {
    let spec = document.get("spec");
    required
        .iter()
        .filter(|field| spec.and_then(|s| s.get(**field)).is_none_or(Value::is_null))
        .map(|field| format!("spec.{field}"))
        .collect()
}

/// `document` as a `T`, with the paths of the fields `T` does not know (`status` is the
/// operator's and not checked).
fn typed<T: serde::de::DeserializeOwned>(document: &Value) -> Result<(T, Vec<String>), ReadError> {
    let mut unknown = Vec::new();
    let parsed = serde_ignored::deserialize(document, |path| {
        let path = path.to_string();
        if !path.starts_with("status") {
            unknown.push(path);
        }
    });
    match parsed {
        Ok(value) => Ok((value, unknown)),
        Err(_) => {
            let err = serde_path_to_error::deserialize::<_, T>(document)
                .err()
                .map(|e| format!("{}: {}", e.path(), e.inner()))
                .unwrap_or_else(|| "invalid".to_owned());
            Err(ReadError(err))
        }
    }
}
