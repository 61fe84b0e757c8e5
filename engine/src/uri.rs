//! URIs as Spark's `Utils.resolveURI` reads them: a path without a scheme is a local file,
//! made absolute against the submitter's working directory.

use crate::conf;

/// `Utils.resolveURIs`: every comma item without a scheme becomes an absolute `file:` URI.
pub(crate) fn resolve_uris(list: &str, working_dir: &str) -> String {
    // spark-submit trims the items and drops empty ones (`resolveGlobPaths`) first.
    conf::split_seq(list)
        .iter()
        .map(|p| resolve_uri(p, working_dir))
        .collect::<Vec<_>>()
        .join(",")
}

/// `Utils.resolveURI` for one path.
pub(crate) fn resolve_uri(path: &str, working_dir: &str) -> String {
    // A string that is not a URI at all is taken as a file path, as `new URI` fails on it.
    let not_a_uri = path
        .chars()
        .any(|c| c.is_whitespace() || "|{}\"<>\\^`".contains(c));
    if has_scheme(path) && !not_a_uri {
        return path.to_owned();
    }
    if not_a_uri {
        let absolute = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("{}/{}", working_dir.trim_end_matches('/'), path)
        };
        return format!("file:{}", normalize_path(&absolute));
    }
    let (path_part, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (path, None),
    };
    let absolute = if path_part.starts_with('/') {
        path_part.to_owned()
    } else {
        format!("{}/{}", working_dir.trim_end_matches('/'), path_part)
    };
    let normalized = normalize_path(&absolute);
    match fragment {
        Some(f) => format!("file:{normalized}#{f}"),
        None => format!("file:{normalized}"),
    }
}

/// Whether a string starts with a URI scheme (`[a-zA-Z][a-zA-Z0-9+.-]*:`).
pub(crate) fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
}

/// Removes `.` and `..` segments and repeated slashes.
fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}
