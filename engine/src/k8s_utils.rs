//! Spark's `KubernetesUtils`: the pod a role starts from (its pod template), custom resource
//! quantities, and local files in a submission (`file:` URIs and plain paths), which Spark
//! uploads to `spark.kubernetes.file.upload.path` and whose URIs it rewrites
//! (`uploadFileUri`). spark-render uploads nothing; it shows the URIs Spark would write.

use crate::conf::SparkConf;
use crate::config::keys;
use crate::error::{Error, Result, TemplateProblem};
use crate::inputs::RenderInputs;
use crate::pod::SparkPod;
use crate::provenance::Source;
use crate::uri::{has_scheme, resolve_uri};

/// Spark's placeholder for "no main resource in the image".
pub const NO_RESOURCE: &str = "spark-internal";

/// `KubernetesUtils.isLocalAndResolvable`: a `file:` URI or a plain path.
pub fn is_local_and_resolvable(uri: &str) -> bool {
    if uri == NO_RESOURCE {
        return false;
    }
    if !has_scheme(uri) {
        return true;
    }
    uri.split(':')
        .next()
        .is_some_and(|s| s.eq_ignore_ascii_case("file"))
}

/// The URI a local file gets once Spark has uploaded it:
/// `<upload path>/spark-upload-<uuid>/<file name>`. Fails without an upload path, as Spark does.
pub fn upload_file_uri(
    uri: &str,
    conf: &SparkConf,
    inputs: &RenderInputs,
    key: &str,
) -> Result<String> {
    let upload_path = conf.get(keys::FILE_UPLOAD_PATH).ok_or_else(|| Error::Missing {
        key: keys::FILE_UPLOAD_PATH.into(),
        reason: format!(
            "{key} holds the local file {uri:?}, which Spark uploads there before it creates the driver"
        ),
    })?;
    if let Some(rest) = uri.strip_prefix("file:") {
        if !rest.starts_with('/') {
            return Err(Error::invalid(
                key,
                uri,
                "a file: URI needs an absolute path (file:///path or file:/path); Spark fails to upload it",
            ));
        }
    }
    let resolved = resolve_uri(uri, &inputs.working_dir);
    let path = resolved
        .split_once(':')
        .map_or(resolved.as_str(), |(_, rest)| rest);
    let path = path.split('#').next().unwrap_or(path);
    let file_name = path.rsplit('/').next().unwrap_or(path);
    Ok(format!(
        "{upload_path}/spark-upload-{}/{file_name}",
        inputs.upload_uuid
    ))
}

/// `KubernetesUtils.buildResourcesQuantities`: `<prefix><name>.amount` with
/// `<prefix><name>.vendor` becomes the limit `<vendor>/<name>: <amount>`.
pub fn custom_resources(conf: &SparkConf, prefix: &str) -> Result<Vec<(String, String)>> {
    let mut names: Vec<&str> = Vec::new();
    for (rest, _) in conf.with_prefix(prefix) {
        let Some((name, _)) = rest.split_once('.') else {
            return Err(Error::Missing {
                key: format!("{prefix}{rest}.amount"),
                reason: format!("{prefix}{rest} names a resource without an amount"),
            });
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let amount_key = format!("{prefix}{name}.amount");
        let raw = conf.get(&amount_key).ok_or_else(|| Error::Missing {
            key: amount_key.clone(),
            reason: format!("resource {name} is configured without an amount"),
        })?;
        let amount: i64 = raw
            .parse()
            .map_err(|_| Error::invalid(&amount_key, raw, "expected a whole number"))?;
        if amount <= 0 {
            continue;
        }
        let vendor_key = format!("{prefix}{name}.vendor");
        let vendor = conf
            .get(&vendor_key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::Missing {
                key: vendor_key.clone(),
                reason: format!("resource {name} was requested, but vendor was not specified"),
            })?;
        out.push((format!("{vendor}/{name}"), amount.to_string()));
    }
    Ok(out)
}

/// The executor pod template the conf names: the path as given, and its text.
pub(crate) fn executor_template(
    conf: &SparkConf,
    inputs: &RenderInputs,
) -> Result<Option<(String, String)>> {
    conf.get(keys::EXECUTOR_POD_TEMPLATE_FILE)
        .map(|path| {
            let text = inputs.file_text(keys::EXECUTOR_POD_TEMPLATE_FILE, path)?;
            Ok((path.to_owned(), text.to_owned()))
        })
        .transpose()
}

/// The pod a role starts from: its pod template (`template`: the path as the conf names it and
/// the text; conf key `template_key`) with the Spark container picked out (named by
/// `container_name`), or an empty pod. Template fields Kubernetes does not know are warnings,
/// or errors when `strict`.
pub(crate) fn initial_pod(
    template: Option<(&str, &str)>,
    template_key: &str,
    container_name: Option<&str>,
    namespace: &str,
    strict: bool,
    release: crate::version::Release,
    warnings: &mut Vec<String>,
) -> Result<SparkPod> {
    let Some((path, text)) = template else {
        return Ok(SparkPod::initial());
    };
    let documents = if release.template_skips_empty_documents() {
        crate::template::load::Documents::SkipEmpty
    } else {
        crate::template::load::Documents::ExactlyOne
    };
    let template = crate::template::parse_documents(text, template_key, path, documents)?;
    if let Some(ns) = template.pod.metadata.namespace.as_deref() {
        if !ns.is_empty() && ns != namespace {
            return Err(crate::template::refused(
                template_key,
                path,
                TemplateProblem::OtherNamespace {
                    template: ns.to_owned(),
                    namespace: namespace.to_owned(),
                },
            ));
        }
    }
    if let Some(field) = template.unknown_fields.first() {
        if strict {
            return Err(crate::template::refused(
                template_key,
                path,
                TemplateProblem::UnknownField(field.clone()),
            ));
        }
    }
    for field in &template.unknown_fields {
        let w = format!(
            "pod template {path} ({template_key}): field {field} is not a field of a Kubernetes Pod; it is dropped"
        );
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let (pod, warning) = crate::template::select_spark_container(template, container_name);
    if let Some(w) = warning {
        let w = format!("pod template {path}: {w}");
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    Ok(pod)
}

/// Where the initial pod's fields come from: the template file, or nothing.
pub(crate) fn template_source(file: Option<&str>) -> impl Fn(&str) -> Source + '_ {
    move |path: &str| match file {
        Some(file) => Source::Template {
            file: file.to_owned(),
            path: match path.strip_prefix("container.") {
                Some(rest) => format!("the Spark container's {rest}"),
                None => path.strip_prefix("pod.").unwrap_or(path).to_owned(),
            },
        },
        None => Source::rule("SparkPod.initialPod", "an empty pod"),
    }
}
