//! Where each field of the rendered objects comes from: a conf key, a pod template, a Spark
//! default, a render input, or a Spark rule. Recorded while rendering when asked for
//! ([`crate::RenderRequest::explain`]) by comparing the pod before and after each step; plain
//! rendering does none of this work.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::pod::SparkPod;

/// The origin of a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// A conf key and its value.
    Conf {
        /// The key.
        key: String,
        /// Its value.
        value: String,
    },
    /// A pod template.
    Template {
        /// The template file, as the conf names it.
        file: String,
        /// The field's path in the template.
        path: String,
    },
    /// A Spark default (the conf does not set it).
    Default {
        /// What the default is, e.g. `spark.driver.memory=1g`.
        detail: String,
    },
    /// A value Spark draws itself (`--app-id`, `--unique-id`, ...).
    Input {
        /// The input.
        name: String,
    },
    /// A rule of Spark's, in the step that applies it.
    Rule {
        /// The Spark class (feature step, or the client).
        step: String,
        /// The rule, e.g. the memory arithmetic.
        detail: String,
    },
    /// A Spark operator's doing (a `SparkApplication` rendered with `-f`).
    Operator {
        /// The operator, e.g. `kubeflow/spark-operator webhook`.
        operator: String,
        /// Its function that does it, e.g. `addTolerations`.
        step: String,
        /// From what.
        detail: String,
    },
}

impl Source {
    /// A conf key's source.
    pub fn conf(key: &str, value: &str) -> Source {
        Source::Conf {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    /// A rule of `step`.
    pub fn rule(step: &str, detail: impl Into<String>) -> Source {
        Source::Rule {
            step: step.to_owned(),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Conf { key, value } => write!(f, "conf {key}={value}"),
            Source::Template { file, path } => write!(f, "pod template {file}, {path}"),
            Source::Default { detail } => write!(f, "Spark default ({detail})"),
            Source::Input { name } => write!(f, "render input {name}"),
            Source::Rule { step, detail } if detail.is_empty() => write!(f, "Spark rule ({step})"),
            Source::Rule { step, detail } => write!(f, "Spark rule ({step}): {detail}"),
            Source::Operator {
                operator,
                step,
                detail,
            } => write!(f, "{operator} ({step}): {detail}"),
        }
    }
}

/// One explained field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FieldSource {
    /// The object, as `Kind/name`.
    pub object: String,
    /// The field's path, e.g. `spec.containers[1].image`.
    pub field: String,
    /// The field's value.
    pub value: Value,
    /// Where it comes from.
    pub source: Source,
}

/// The leaves of a JSON value by path (`a.b[2].c`).
pub fn flatten(value: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(map) if !map.is_empty() => {
                for (k, child) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&p, child, out);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, child) in items.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), child, out);
                }
            }
            _ => {
                out.insert(prefix.to_owned(), v.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", value, &mut out);
    out
}

/// The leaves of a pod under construction: `pod.…` and `container.…`.
pub fn pod_fields(p: &SparkPod) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let pod = serde_json::to_value(&p.pod).unwrap_or(Value::Null);
    for (k, v) in flatten(&pod) {
        if k != "apiVersion" && k != "kind" {
            out.insert(format!("pod.{k}"), v);
        }
    }
    let container = serde_json::to_value(&p.container).unwrap_or(Value::Null);
    for (k, v) in flatten(&container) {
        out.insert(format!("container.{k}"), v);
    }
    out
}

/// Records the sources of a pod's fields while it is built.
#[derive(Debug, Clone, Default)]
pub struct PodRecorder {
    sources: BTreeMap<String, Source>,
    last: BTreeMap<String, Value>,
}

impl PodRecorder {
    /// Starts from `p`, attributing its fields to `source_of(path)`.
    pub fn start(p: &SparkPod, source_of: impl Fn(&str) -> Source) -> Self {
        let last = pod_fields(p);
        let sources = last.keys().map(|k| (k.clone(), source_of(k))).collect();
        PodRecorder { sources, last }
    }

    /// Attributes the fields `p` gained or changed since the last call to `explain(path,
    /// fields)`.
    pub fn record(
        &mut self,
        p: &SparkPod,
        explain: impl Fn(&str, &BTreeMap<String, Value>) -> Source,
    ) {
        let now = pod_fields(p);
        for (k, v) in &now {
            if self.last.get(k) != Some(v) {
                self.sources.insert(k.clone(), explain(k, &now));
            }
        }
        self.sources.retain(|k, _| now.contains_key(k));
        self.last = now;
    }

    /// The explanations of the finished pod `object` (its Spark container at `spark_index`
    /// in `spec.containers`).
    pub fn finish(self, object: &str, spark_index: usize) -> Vec<FieldSource> {
        self.sources
            .into_iter()
            .filter_map(|(k, source)| {
                let value = self.last.get(&k)?.clone();
                let field = if let Some(rest) = k.strip_prefix("container.") {
                    format!("spec.containers[{spark_index}].{rest}")
                } else {
                    k.strip_prefix("pod.").unwrap_or(&k).to_owned()
                };
                Some(FieldSource {
                    object: object.to_owned(),
                    field,
                    value,
                    source,
                })
            })
            .collect()
    }
}

/// The name of the env var at `path` (`container.env[3].value` → the `name` at index 3).
pub fn env_name<'a>(path: &str, fields: &'a BTreeMap<String, Value>) -> Option<&'a str> {
    let rest = path.strip_prefix("container.env[")?;
    let index = &rest[..rest.find(']')?];
    fields
        .get(&format!("container.env[{index}].name"))
        .and_then(Value::as_str)
}

/// Explains every field of an object created whole by one step.
pub fn whole_object(object: &crate::Resource, source: &Source) -> Vec<FieldSource> {
    let value = serde_json::to_value(object).unwrap_or(Value::Null);
    let name = format!("{}/{}", object.kind(), object.name());
    flatten(&value)
        .into_iter()
        .filter(|(k, _)| k != "apiVersion" && k != "kind")
        .map(|(field, value)| FieldSource {
            object: name.clone(),
            field,
            value,
            source: source.clone(),
        })
        .collect()
}

/// Explains the fields of objects made whole by a step, after the client added its
/// namespace and ownerReferences.
pub(crate) fn explain_objects<'a>(
    made: impl IntoIterator<Item = (&'a crate::manifest::Resource, &'static str)>,
    conf: &crate::conf::SparkConf,
) -> Vec<FieldSource> {
    made.into_iter()
        .flat_map(|(object, step)| {
            let mut fields = crate::provenance::whole_object(
                object,
                &Source::rule(step, format!("{} created by this step", object.kind())),
            );
            for f in &mut fields {
                if f.field == "metadata.namespace" {
                    f.source = match conf.get(crate::config::keys::NAMESPACE.key) {
                        Some(v) => Source::conf(crate::config::keys::NAMESPACE.key, v),
                        None => Source::Default {
                            detail: "namespace default".into(),
                        },
                    };
                } else if f.field.starts_with("metadata.ownerReferences") {
                    f.source = Source::Input {
                        name: "driver-uid (owned by the driver pod)".into(),
                    };
                }
            }
            fields
        })
        .collect()
}
