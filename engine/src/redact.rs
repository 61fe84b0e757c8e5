//! Spark's redaction (`Utils.redact` with the default `spark.redaction.regex`): which conf
//! entries hold secrets, so that no message shows them.

/// Whether Spark's default `spark.redaction.regex`, `(?i)secret|password|token|access[.]?key`,
/// matches `text` (`Utils.redact` tries a conf entry's key, then its value).
pub fn is_redacted(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    ["secret", "password", "token", "accesskey", "access.key"]
        .iter()
        .any(|word| text.contains(word))
}

/// Whether a conf key holds a secret: Spark's redaction words match it
/// ([`crate::conf::is_redacted`]), and it is not a reference to a Kubernetes Secret.
pub(crate) fn is_sensitive(key: &str) -> bool {
    // These name Kubernetes Secrets (`name:key`, a mount path): references, not secret values.
    let references = [".secretKeyRef.", ".secrets."];
    if key.starts_with(crate::config::keys::KUBERNETES_PREFIX)
        && references.iter().any(|r| key.contains(r))
    {
        return false;
    }
    is_redacted(key)
}
