//! `util.CompareSemanticVersion`: golang.org/x/mod/semver's comparison, with a `v` added.

use std::cmp::Ordering;

/// Compares two versions as the operator does: an invalid version is lower than any valid one,
/// and equal to another invalid one; a pre-release is lower than its release.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some((va, pa)), Some((vb, pb))) => va.cmp(&vb).then(match (pa, pb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => x.cmp(y),
        }),
    }
}

/// (major, minor, patch) and the pre-release, of `[v]MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]`
/// (the shorthands need no pre-release or build).
fn parse(version: &str) -> Option<([u64; 3], Option<&str>)> {
    let v = version.strip_prefix('v').unwrap_or(version);
    let (v, _build) = v.split_once('+').map_or((v, None), |(a, b)| (a, Some(b)));
    let (core, pre) = v.split_once('-').map_or((v, None), |(a, b)| (a, Some(b)));
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || (parts.len() < 3 && (pre.is_some() || _build.is_some()))
    {
        return None;
    }
    let mut numbers = [0u64; 3];
    for (i, part) in parts.iter().enumerate() {
        let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        numbers[i] = part.parse().ok()?;
    }
    if pre.is_some_and(str::is_empty) {
        return None;
    }
    Some((numbers, pre))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_semver_does() {
        assert!(compare("2.4.5", "3.0.0").is_lt());
        assert!(compare("3.5.3", "3.0.0").is_gt());
        assert!(compare("3", "3.0.0").is_eq());
        assert!(compare("", "3.0.0").is_lt());
        assert!(compare("latest", "3.0.0").is_lt());
        assert!(compare("3.0.0-rc1", "3.0.0").is_lt());
        assert!(compare("03.0.0", "3.0.0").is_lt());
    }
}
