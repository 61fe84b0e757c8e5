//! The `java.util.Properties` text format: reading spark-defaults / `--properties-file` files
//! (`Properties.load`) and writing the `spark.properties` file Spark ships in its ConfigMaps
//! (`Properties.store`).

use indexmap::IndexMap;

use crate::error::{Error, Result};

pub use super::MAX_KEYS;

/// Parses properties text exactly as `java.util.Properties.load(Reader)` does: `key=value`,
/// `key:value` or `key value`; `#`/`!` comments; `\` line continuations; `\t \n \r \f \uXXXX`
/// escapes. Returns the entries in file order; a repeated key keeps its last value, in the
/// position of its first appearance, as `Properties` keeps one value per key.
///
/// At most [`MAX_KEYS`] distinct keys are read (Spark sets no limit); more is an error, so
/// that what a file can cost stays bounded.
///
/// `source_name` names the text in errors (usually the file name).
pub fn parse(text: &str, source_name: &str) -> Result<Vec<(String, String)>> {
    Ok(parse_with_lines(text, source_name)?
        .into_iter()
        .map(|(key, value, _)| (key, value))
        .collect())
}

/// [`parse`], with the line (1-based) where each key's value was given (its last occurrence).
pub fn parse_with_lines(text: &str, source_name: &str) -> Result<Vec<(String, String, usize)>> {
    let mut entries: IndexMap<String, (String, usize)> = IndexMap::new();
    let mut lines = LogicalLines::new(text);
    while let Some((line_no, raw)) = lines.next_logical() {
        let (key, value) = split_key_value(&raw);
        let key = unescape(key).map_err(|reason| Error::Properties {
            source_name: source_name.to_owned(),
            line: line_no,
            reason,
        })?;
        let value = unescape(value).map_err(|reason| Error::Properties {
            source_name: source_name.to_owned(),
            line: line_no,
            reason,
        })?;
        entries.insert(key, (value, line_no));
        if entries.len() > MAX_KEYS {
            return Err(Error::Properties {
                source_name: source_name.to_owned(),
                line: line_no,
                reason: format!(
                    "more than {MAX_KEYS} distinct keys; spark-render reads at most {MAX_KEYS} from one file"
                ),
            });
        }
    }
    Ok(entries
        .into_iter()
        .map(|(key, (value, line))| (key, value, line))
        .collect())
}

/// Iterates logical lines: comments and blank lines skipped, continuations joined (the
/// backslash, the line end and the next line's leading white space removed). Lines end at
/// `\n`, `\r\n` or a lone `\r`, as in Java's `Properties.LineReader`.
struct LogicalLines<'a> {
    physical: std::iter::Peekable<std::iter::Enumerate<PhysicalLines<'a>>>,
}

impl<'a> LogicalLines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            physical: PhysicalLines { rest: Some(text) }.enumerate().peekable(),
        }
    }

    fn next_logical(&mut self) -> Option<(usize, String)> {
        loop {
            let (index, line) = self.physical.next()?;
            let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
                continue;
            }
            let mut logical = trimmed.to_owned();
            while ends_with_odd_backslashes(&logical) {
                logical.pop();
                match self.physical.next() {
                    Some((_, next)) => {
                        logical.push_str(next.trim_start_matches([' ', '\t', '\x0c']))
                    }
                    None => break,
                }
            }
            return Some((index + 1, logical));
        }
    }
}

/// The physical lines of a text, ended by `\n`, `\r\n` or `\r`.
struct PhysicalLines<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for PhysicalLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        match text.find(['\n', '\r']) {
            Some(end) => {
                let terminator = if text[end..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                self.rest = Some(&text[end + terminator..]).filter(|r| !r.is_empty());
                Some(&text[..end])
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }
}

fn ends_with_odd_backslashes(s: &str) -> bool {
    s.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// Splits a logical line at the first unescaped `=`, `:` or white space.
fn split_key_value(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut key_end = line.len();
    let mut has_separator = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' | b':' => {
                key_end = i;
                has_separator = true;
                break;
            }
            b' ' | b'\t' | b'\x0c' => {
                key_end = i;
                break;
            }
            _ => i += 1,
        }
    }
    let key_end = key_end.min(line.len());
    let mut value_start = key_end + usize::from(has_separator);
    // Skip white space, then at most one `=`/`:` (when the key ended at white space).
    let rest = &bytes[value_start.min(bytes.len())..];
    let mut j = 0;
    while j < rest.len() && matches!(rest[j], b' ' | b'\t' | b'\x0c') {
        j += 1;
    }
    if !has_separator && j < rest.len() && matches!(rest[j], b'=' | b':') {
        j += 1;
        while j < rest.len() && matches!(rest[j], b' ' | b'\t' | b'\x0c') {
            j += 1;
        }
    }
    value_start = (value_start + j).min(line.len());
    (&line[..key_end], &line[value_start..])
}

fn unescape(s: &str) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut chars = s.chars();
    let mut pending_high: Option<u16> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush_surrogate(&mut out, &mut pending_high);
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                // Exactly four hex digits (Java refuses `\u+041`, which from_str_radix takes).
                let unit = (hex.len() == 4 && hex.chars().all(|c| c.is_ascii_hexdigit()))
                    .then(|| u16::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .ok_or_else(|| format!("malformed \\uxxxx escape \"\\u{hex}\""))?;
                match (pending_high.take(), unit) {
                    (Some(high), 0xDC00..=0xDFFF) => {
                        let code = 0x10000
                            + ((u32::from(high) - 0xD800) << 10)
                            + (u32::from(unit) - 0xDC00);
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                    (prev, 0xD800..=0xDBFF) => {
                        if prev.is_some() {
                            out.push('\u{FFFD}');
                        }
                        pending_high = Some(unit);
                    }
                    (prev, _) => {
                        if prev.is_some() {
                            out.push('\u{FFFD}');
                        }
                        out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'));
                    }
                }
            }
            Some(e) => {
                flush_surrogate(&mut out, &mut pending_high);
                out.push(match e {
                    't' => '\t',
                    'n' => '\n',
                    'r' => '\r',
                    'f' => '\x0c',
                    other => other,
                });
            }
            // A trailing lone backslash (continuation at end of input) is dropped, as in Java.
            None => {}
        }
    }
    flush_surrogate(&mut out, &mut pending_high);
    Ok(out)
}

fn flush_surrogate(out: &mut String, pending: &mut Option<u16>) {
    if pending.take().is_some() {
        out.push('\u{FFFD}');
    }
}

/// Writes entries in the format of `java.util.Properties.store(Writer, comments)`: the comment
/// line, a date line, then `key=value` lines with Java's escaping (`\:`, `\=`, `\ `...),
/// in the order Spark on Java 17 writes them (the hash order of the maps involved, which
/// depends on the release's Scala). The date line is given (spark-render uses the submit
/// time, in UTC).
pub fn store<'a>(
    scala: crate::hash_order::Scala,
    comment: &str,
    date_line: &str,
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let entries: Vec<(&str, &str)> = entries.into_iter().collect();
    let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
    let sorted: Vec<(&str, &str)> = crate::hash_order::properties_store_order(scala, &keys)
        .into_iter()
        .map(|i| entries[i])
        .collect();
    let mut out = String::new();
    out.push('#');
    out.push_str(comment);
    out.push('\n');
    out.push('#');
    out.push_str(date_line);
    out.push('\n');
    for (k, v) in sorted {
        escape_into(&mut out, k, true);
        out.push('=');
        escape_into(&mut out, v, false);
        out.push('\n');
    }
    out
}

/// `Properties.saveConvert` with `escUnicode = false` (the `Writer` variant Spark uses).
fn escape_into(out: &mut String, s: &str, escape_space: bool) {
    // Every character escaped is ASCII: copy the runs between them whole.
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'\\' => "\\\\",
            b' ' if i == 0 || escape_space => "\\ ",
            b'\t' => "\\t",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\x0c' => "\\f",
            b'=' => "\\=",
            b':' => "\\:",
            b'#' => "\\#",
            b'!' => "\\!",
            _ => continue,
        };
        out.push_str(&s[run_start..i]);
        out.push_str(escaped);
        run_start = i + 1;
    }
    out.push_str(&s[run_start..]);
}

/// Parses `spark.properties` text back into sorted entries (used by tests to compare files as
/// properties, ignoring order and comment lines).
pub fn parse_sorted(text: &str) -> Result<Vec<(String, String)>> {
    let mut entries = parse(text, "spark.properties")?;
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Vec<(String, String)> {
        parse(text, "test").expect("parses")
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        assert_eq!(
            kv("a=1\nb=2\na=3\n"),
            [("a".to_string(), "3".to_string()), ("b".into(), "2".into())]
        );
    }

    #[test]
    fn more_distinct_keys_than_the_limit_is_an_error_naming_the_line() {
        let at_limit: String = (0..MAX_KEYS).map(|i| format!("k{i}=v\nk0=w\n")).collect();
        assert_eq!(kv(&at_limit).len(), MAX_KEYS);
        let over = format!("{at_limit}one.more=v\n");
        let err = parse(&over, "f.conf").unwrap_err().to_string();
        assert!(
            err.contains(&format!("f.conf:{}", 2 * MAX_KEYS + 1)) && err.contains("more than"),
            "{err}"
        );
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let want = pairs(&[("a", "1"), ("b", "2"), ("c", "3")]);
        for text in [
            "a=1\rb=2\rc=3\r",
            "a=1\r\nb=2\r\nc=3",
            "a=1\nb=2\rc=3\r\n",
            "#x\ra=1\r\r\nb=2\n\rc=3",
        ] {
            assert_eq!(kv(text), want, "{text:?}");
        }
        // A continuation joins across any line end; the next line's indent is dropped.
        assert_eq!(kv("a=x\\\r   y\rb=2"), pairs(&[("a", "xy"), ("b", "2")]));
        // Line numbers in errors count every kind of line end.
        let err = parse("a=1\rb=2\rc=\\u12", "f").unwrap_err().to_string();
        assert!(err.contains('3'), "{err}");
    }

    #[test]
    fn unicode_escapes_take_exactly_four_hex_digits() {
        assert_eq!(kv("a=\\u0041")[0].1, "A");
        for bad in ["a=\\u+041", "a=\\u-041", "a=\\u00g1", "a=\\u41"] {
            assert!(parse(bad, "f").is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_all_separator_forms() {
        let got = kv("a=1\nb: 2\nc 3\n  d = 4 \ne\n#x=y\n! z\n\nf==g\n");
        let want = [
            ("a", "1"),
            ("b", "2"),
            ("c", "3"),
            ("d", "4 "),
            ("e", ""),
            ("f", "=g"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn joins_continuations_and_unescapes() {
        let got = kv("k = one \\\n    two\nu=\\u00e9\\t\\:\nesc\\ key=v\r\nlast=\\\\\n");
        assert_eq!(got[0], ("k".into(), "one two".into()));
        assert_eq!(got[1], ("u".into(), "é\t:".into()));
        assert_eq!(got[2], ("esc key".into(), "v".into()));
        assert_eq!(got[3], ("last".into(), "\\".into()));
    }

    #[test]
    fn refuses_malformed_unicode_escapes_with_line_number() {
        let err = parse("a=1\nb=\\u12\n", "my.conf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "my.conf:2: malformed \\uxxxx escape \"\\u12\""
        );
    }

    #[test]
    fn store_escapes_like_java() {
        let text = store(
            crate::hash_order::Scala::V2_12,
            "c",
            "d",
            [("spark.master", "k8s://https://h:443")],
        );
        assert_eq!(text, "#c\n#d\nspark.master=k8s\\://https\\://h\\:443\n");
        let text = store(
            crate::hash_order::Scala::V2_12,
            "c",
            "d",
            [("a b", " x=y#")],
        );
        assert_eq!(text, "#c\n#d\na\\ b=\\ x\\=y\\#\n");
        // Multi-byte characters beside escapes; a value's inner space stays as it is.
        let text = store(
            crate::hash_order::Scala::V2_12,
            "c",
            "d",
            [("ké y", "é a\x0cb!")],
        );
        assert_eq!(text, "#c\n#d\nké\\ y=é a\\fb\\!\n");
        // Every escaped character, in a key and in a value, and an empty key and value.
        let special = "\\\t\n\r\x0c=:#! ";
        let text = store(
            crate::hash_order::Scala::V2_12,
            "c",
            "d",
            [(special, &*format!("{special} ")), ("", "")],
        );
        assert_eq!(
            text,
            concat!(
                "#c\n#d\n",
                r"\\\t\n\r\f\=\:\#\!\ =\\\t\n\r\f\=\:\#\!  ",
                "\n=\n"
            )
        );
    }

    #[test]
    fn store_then_parse_round_trips() {
        let entries = [("k:1", "v\\ \n!"), ("é", "ü\t")];
        let text = store(crate::hash_order::Scala::V2_12, "c", "d", entries);
        let back = parse_sorted(&text).expect("parses");
        let want: Vec<_> = entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(back, want);
    }
}
