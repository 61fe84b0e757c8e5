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

/// `java.lang.String.trim`: removes leading and trailing characters `<= ' '`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `Utils.trimExceptCRLF`, which Spark applies to the values of a properties file: `trim`, but
/// keeping `\r` and `\n` (a line end left in a value was escaped on purpose).
pub fn trim_except_crlf(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ' && c != '\r' && c != '\n')
}

/// `new java.util.Date(millis).toString()` in UTC: `Tue Nov 14 22:13:20 UTC 2023`.
pub fn date_to_string_utc(millis: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = millis.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // `EEE MMM dd HH:mm:ss zzz yyyy`, written piece by piece (two per render).
    let two_digits = |s: &mut String, n: i64| {
        s.push(char::from(b'0' + (n / 10) as u8));
        s.push(char::from(b'0' + (n % 10) as u8));
    };
    let mut s = String::with_capacity(28);
    s.push_str(DAYS[days.rem_euclid(7) as usize]);
    s.push(' ');
    s.push_str(MONTHS[(m - 1) as usize]);
    s.push(' ');
    two_digits(&mut s, d);
    s.push(' ');
    two_digits(&mut s, sod / 3600);
    s.push(':');
    two_digits(&mut s, sod % 3600 / 60);
    s.push(':');
    two_digits(&mut s, sod % 60);
    s.push_str(" UTC ");
    s.push_str(&y.to_string());
    s
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(date_to_string_utc(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(
            date_to_string_utc(1_700_000_000_000),
            "Tue Nov 14 22:13:20 UTC 2023"
        );
        assert_eq!(
            date_to_string_utc(951_782_400_000),
            "Tue Feb 29 00:00:00 UTC 2000"
        );
        assert_eq!(
            date_to_string_utc(1_000_000_000_000),
            "Sun Sep 09 01:46:40 UTC 2001"
        );
        assert_eq!(
            date_to_string_utc(253_402_300_799_000),
            "Fri Dec 31 23:59:59 UTC 9999"
        );
    }
}
