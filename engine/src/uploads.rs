//! Local files in a submission (`file:` URIs and plain paths): Spark uploads them to
//! `spark.kubernetes.file.upload.path` and rewrites their URIs (`KubernetesUtils.uploadFileUri`).
//! spark-render uploads nothing; it shows the URIs Spark would write.

use crate::conf::{keys, SparkConf};
use crate::error::{Error, Result};
use crate::inputs::RenderInputs;
use crate::submit::{has_scheme, resolve_uri};

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
