//! Kubernetes resource quantities (`500m`, `1.5`, `1408Mi`): the grammar the API server
//! accepts, used to refuse values that Spark would pass through and the cluster would reject.

/// Whether `s` is a valid Kubernetes quantity (`<signed number><suffix>`, suffix one of the
/// binary-SI `Ki..Ei`, decimal-SI `m k M G T P E`, or a decimal exponent `e<n>`/`E<n>`).
pub fn is_valid(s: &str) -> bool {
    let (number, suffix) = split_number(s);
    if !is_signed_number(number) {
        return false;
    }
    match suffix {
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => true,
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => true,
        exp => match exp.strip_prefix(['e', 'E']) {
            Some(n) => is_signed_number(n) && !n.contains('.'),
            None => false,
        },
    }
}

/// `n` followed by `unit` (`1408Mi` for Kubernetes, `1024m` for the JVM), without the
/// formatting machinery (a render writes several).
pub fn amount(n: i64, unit: &str) -> String {
    let mut s = n.to_string();
    s.push_str(unit);
    s
}

/// Refuses a value of conf key `key` that is not a quantity (Spark would pass it on and the API
/// server refuse the object).
pub fn check(key: &str, value: &str) -> crate::Result<()> {
    if is_valid(value) {
        Ok(())
    } else {
        Err(crate::Error::InvalidValue {
            key: key.into(),
            value: value.into(),
            reason:
                "not a Kubernetes quantity (e.g. 1, 0.5, 500m); the API server would refuse the pod"
                    .into(),
        })
    }
}

/// The value of a quantity as a number (of cores, of bytes), when it is valid.
pub fn value(s: &str) -> Option<f64> {
    if !is_valid(s) {
        return None;
    }
    let (number, suffix) = split_number(s);
    let n: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exp => 10f64.powi(exp[1..].parse::<i32>().ok()?),
    };
    Some(n * scale)
}

fn split_number(s: &str) -> (&str, &str) {
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '+' || c == '-'))))
        .map_or(s.len(), |(i, _)| i);
    s.split_at(end)
}

fn is_signed_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    match frac {
        None => !int.is_empty() && digits(int),
        Some(f) => (!int.is_empty() || !f.is_empty()) && digits(int) && digits(f),
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_kubernetes_quantities() {
        for q in [
            "1", "0.5", "500m", "1408Mi", "2Gi", "1e3", "1.", ".5", "+1", "100k", "1E-2",
        ] {
            assert!(is_valid(q), "{q}");
        }
    }

    #[test]
    fn values_of_quantities() {
        assert_eq!(super::value("500m"), Some(0.5));
        assert_eq!(super::value("2"), Some(2.0));
        assert_eq!(super::value("1Gi"), Some(1_073_741_824.0));
        assert_eq!(super::value("1e3"), Some(1000.0));
        assert_eq!(super::value("two"), None);
    }

    #[test]
    fn refuses_what_the_api_server_refuses() {
        for q in [
            "", "abc", "4gb", "1.5.1", "m", "1 ", " 1", "1Kb", "--1", "1e1.5", ".",
        ] {
            assert!(!is_valid(q), "{q}");
        }
    }
}
