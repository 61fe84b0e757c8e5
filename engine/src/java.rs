//! Small pieces of Java behaviour Spark's output depends on: `Double.toString`,
//! `java.util.Date.toString` and `String.trim`.

/// Formats a double as `java.lang.Double.toString` does (`0.1`, `1.0`, `1.0E-4`, `1.5E7`).
pub fn double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let abs = d.abs();
    if (1e-3..1e7).contains(&abs) {
        let s = format!("{d}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        // Scientific: shortest digits, mantissa with at least one fractional digit.
        let s = format!("{d:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_owned()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

/// Java's `String.isBlank()`: empty, or only characters `Character.isWhitespace` accepts
/// (Unicode space separators but the no-break ones, and tab, line breaks and U+001C..U+001F).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        let control = matches!(c, '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{1C}'..='\u{1F}');
        let separator = c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}');
        control || separator
    })
}

/// `java.lang.String.trim`: removes leading and trailing characters `<= ' '`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `Utils.trimExceptCRLF`, which Spark applies to the values of a properties file: `trim`, but
/// keeping `\r` and `\n` (a line end left in a value was escaped on purpose).
pub fn trim_except_crlf(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ' && c != '\r' && c != '\n')
}

/// `new java.util.Date(millis).toString()` in UTC: `Tue Nov 14 22:13:20 UTC 2023`; `None`
/// for a time outside the years -9999 to 9999 (the range of `jiff::Timestamp`).
pub fn date_to_string_utc(millis: i64) -> Option<String> {
    let time = jiff::Timestamp::from_millisecond(millis).ok()?;
    let utc = jiff::tz::Offset::UTC.to_datetime(time);
    jiff::fmt::strtime::format("%a %b %d %H:%M:%S UTC %Y", utc).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_javas() {
        assert!(is_blank("") && is_blank(" \t\n\u{2003}\u{1F}"));
        assert!(!is_blank("\u{A0}") && !is_blank("\u{1}") && !is_blank(" a "));
    }

    #[test]
    fn doubles_print_like_java() {
        assert_eq!(double_to_string(0.1), "0.1");
        assert_eq!(double_to_string(0.4), "0.4");
        assert_eq!(double_to_string(1.0), "1.0");
        assert_eq!(double_to_string(0.0001), "1.0E-4");
        assert_eq!(double_to_string(12345678.0), "1.2345678E7");
        assert_eq!(double_to_string(0.25), "0.25");
        assert_eq!(double_to_string(30.0), "30.0");
        assert_eq!(double_to_string(0.001), "0.001");
        assert_eq!(double_to_string(-0.0), "-0.0");
        assert_eq!(double_to_string(1.5e-5), "1.5E-5");
        assert_eq!(double_to_string(f64::INFINITY), "Infinity");
        assert_eq!(double_to_string(f64::NAN), "NaN");
    }

    #[test]
    fn dates_print_like_java() {
        assert_eq!(
            date_to_string_utc(0).unwrap(),
            "Thu Jan 01 00:00:00 UTC 1970"
        );
        assert_eq!(
            date_to_string_utc(1_700_000_000_000).unwrap(),
            "Tue Nov 14 22:13:20 UTC 2023"
        );
        assert_eq!(
            date_to_string_utc(951_782_400_000).unwrap(),
            "Tue Feb 29 00:00:00 UTC 2000"
        );
        assert_eq!(
            date_to_string_utc(1_000_000_000_000).unwrap(),
            "Sun Sep 09 01:46:40 UTC 2001"
        );
        assert_eq!(
            date_to_string_utc(253_402_203_600_000).unwrap(),
            "Thu Dec 30 21:00:00 UTC 9999"
        );
        assert_eq!(date_to_string_utc(253_402_300_799_000), None);
    }
}
