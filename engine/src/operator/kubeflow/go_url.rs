//! The part of Go's `net/url.Parse` the operator's ingress URLs go through: scheme, opaque
//! part, authority and (unescaped) path, with its refusals.

/// A parsed URL: what the operator reads of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoUrl {
    /// The scheme, in lower case (empty when there is none).
    pub scheme: String,
    /// The host, with its port (`Host`).
    pub host: String,
    /// The path, unescaped (`Path`); empty for an opaque URL.
    pub path: String,
}

/// `url.Parse(raw)`: the error is Go's, without its `parse "…": ` prefix.
pub fn parse(raw: &str) -> Result<GoUrl, String> {
    let raw = raw.split_once('#').map_or(raw, |(url, _)| url);
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let (scheme, rest) = scheme(raw)?;
    let rest = rest.split_once('?').map_or(rest, |(path, _)| path);
    let mut url = GoUrl {
        scheme: scheme.to_ascii_lowercase(),
        ..GoUrl::default()
    };
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            // An opaque URL (`scheme:opaque`): no host, no path.
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or_default();
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut path = rest;
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, remainder) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        check_port(host)?;
        url.host = unescape(host)?;
        path = remainder;
    }
    url.path = unescape(path)?;
    Ok(url)
}

/// `getScheme`: letters, then letters, digits, `+`, `-` or `.`, up to a `:`.
fn scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return Err("missing protocol scheme".into()),
            ':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// `validOptionalPort`: what follows the host's last `:` (outside brackets) is digits.
fn check_port(host: &str) -> Result<(), String> {
    let after_bracket = host.rfind(']').map_or(host, |i| &host[i + 1..]);
    if let Some(i) = after_bracket.rfind(':') {
        let port = &after_bracket[i..];
        if !port[1..].bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("invalid port {port:?} after host"));
        }
    }
    Ok(())
}

/// `%XX` escapes decoded; a `%` not followed by two hex digits is refused.
fn unescape(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                None => {
                    let shown: String = text[i..].chars().take(3).collect();
                    return Err(format!("invalid URL escape {shown:?}"));
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(scheme: &str, host: &str, path: &str) -> GoUrl {
        GoUrl {
            scheme: scheme.into(),
            host: host.into(),
            path: path.into(),
        }
    }

    #[test]
    fn urls_parse_as_go_parses_them() {
        assert_eq!(
            parse("http://a.example.com/x/y"),
            Ok(url("http", "a.example.com", "/x/y"))
        );
        assert_eq!(
            parse("a.example.com/ui"),
            Ok(url("", "", "a.example.com/ui"))
        );
        // `host:port/...` without a scheme: the host is read as a scheme, the rest is opaque.
        assert_eq!(
            parse("spark.example.com:8080/ui"),
            Ok(url("spark.example.com", "", ""))
        );
        assert_eq!(
            parse("http://a:8080/%7Eui"),
            Ok(url("http", "a:8080", "/~ui"))
        );
        assert!(parse("10.0.0.1:80/x")
            .unwrap_err()
            .contains("first path segment"));
        assert!(parse("http://a/%zz")
            .unwrap_err()
            .contains("invalid URL escape \"%zz\""));
        assert!(parse("http://a:x/")
            .unwrap_err()
            .contains("invalid port \":x\""));
        assert!(parse(":x").unwrap_err().contains("missing protocol scheme"));
    }
}
