//! Quantities as Go's `resource.Quantity.String()` writes them (`CanonicalizeBytes` in
//! k8s.io/apimachinery): the operator parses the quantities it handles, and writes them back in
//! their canonical form (`1024Mi` becomes `1Gi`, `1000` becomes `1k`, `0.1` becomes `100m`).

/// The canonical form of quantity `text`, or `None` when it is not a quantity spark-render can
/// read exactly (it is then left as written).
pub fn canonical(text: &str) -> Option<String> {
    let (negative, number, suffix) = split(text.trim())?;
    let (mut mantissa, mut scale) = decimal(number)?;
    let format = match suffix {
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .iter()
                .position(|s| *s == suffix)? as u32
                + 1;
            mantissa = mantissa.checked_mul(1024i128.checked_pow(power)?)?;
            Format::Binary
        }
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            let exponent = match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "" => 0,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                _ => 18,
            };
            scale += exponent;
            Format::DecimalSi
        }
        exponent => {
            let exponent: i32 = exponent.strip_prefix(['e', 'E'])?.parse().ok()?;
            scale += exponent;
            Format::DecimalExponent
        }
    };
    if negative {
        mantissa = -mantissa;
    }
    if mantissa == 0 {
        return Some("0".to_owned());
    }
    // Nanos are the finest precision a quantity keeps; finer values are not modelled.
    if scale < -9 {
        return None;
    }
    let format = match format {
        Format::Binary => match integer(mantissa, scale) {
            Some(value) if value.abs() >= 1024 => return Some(binary(value)),
            _ => Format::DecimalSi,
        },
        other => other,
    };
    Some(decimal_form(mantissa, scale, format))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Binary,
    DecimalSi,
    DecimalExponent,
}

/// Sign, number and suffix.
fn split(text: &str) -> Option<(bool, &str, &str)> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(end);
    (!number.is_empty() && number != ".").then_some((negative, number, suffix))
}

/// `digits[.digits]` as mantissa × 10^scale.
fn decimal(number: &str) -> Option<(i128, i32)> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if fraction.contains('.') || whole.len() + fraction.len() > 30 {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((mantissa, -(fraction.len() as i32)))
}

/// mantissa × 10^scale when it is a whole number.
fn integer(mantissa: i128, scale: i32) -> Option<i128> {
    if scale >= 0 {
        mantissa.checked_mul(10i128.checked_pow(scale as u32)?)
    } else {
        let divisor = 10i128.checked_pow((-scale) as u32)?;
        (mantissa % divisor == 0).then_some(mantissa / divisor)
    }
}

/// `AsCanonicalBase1024Bytes`: the largest power of 1024 that divides the value.
fn binary(mut value: i128) -> String {
    let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let mut power = 0;
    while power < 6 && value % 1024 == 0 {
        value /= 1024;
        power += 1;
    }
    format!("{value}{}", suffixes[power])
}

/// `AsCanonicalBytes`: trailing zeros removed, the exponent brought down to a multiple of 3.
fn decimal_form(mut mantissa: i128, mut exponent: i32, format: Format) -> String {
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exponent += 1;
    }
    match exponent.rem_euclid(3) {
        1 => {
            mantissa *= 10;
            exponent -= 1;
        }
        2 => {
            mantissa *= 100;
            exponent -= 2;
        }
        _ => {}
    }
    let si = match exponent {
        -9 => Some("n"),
        -6 => Some("u"),
        -3 => Some("m"),
        0 => Some(""),
        3 => Some("k"),
        6 => Some("M"),
        9 => Some("G"),
        12 => Some("T"),
        15 => Some("P"),
        18 => Some("E"),
        _ => None,
    };
    match (format, si) {
        (Format::DecimalSi, Some(suffix)) => format!("{mantissa}{suffix}"),
        (_, _) if exponent == 0 => mantissa.to_string(),
        _ => format!("{mantissa}e{exponent}"),
    }
}

/// Canonicalizes, in place, the quantities of a pod (or pod template) written as JSON: the
/// containers' resources, the pod's resources and overhead, emptyDir size limits and ephemeral
/// volume claims.
pub fn canonicalize_pod_json(pod: &mut serde_json::Value) {
    let Some(spec) = pod.get_mut("spec") else {
        return;
    };
    let fix_map = |map: Option<&mut serde_json::Value>| {
        if let Some(serde_json::Value::Object(map)) = map {
            for value in map.values_mut() {
                if let Some(text) = value.as_str().and_then(canonical) {
                    *value = serde_json::Value::String(text);
                }
            }
        }
    };
    let fix_resources = |resources: Option<&mut serde_json::Value>| {
        if let Some(resources) = resources {
            fix_map(resources.get_mut("limits"));
            fix_map(resources.get_mut("requests"));
        }
    };
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        if let Some(serde_json::Value::Array(containers)) = spec.get_mut(list) {
            for container in containers {
                fix_resources(container.get_mut("resources"));
            }
        }
    }
    fix_resources(spec.get_mut("resources"));
    fix_map(spec.get_mut("overhead"));
    if let Some(serde_json::Value::Array(volumes)) = spec.get_mut("volumes") {
        for volume in volumes {
            if let Some(limit) = volume.pointer_mut("/emptyDir/sizeLimit") {
                if let Some(text) = limit.as_str().and_then(canonical) {
                    *limit = serde_json::Value::String(text);
                }
            }
            fix_resources(volume.pointer_mut("/ephemeral/volumeClaimTemplate/spec/resources"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn quantities_are_written_as_go_writes_them() {
        for (given, go) in [
            ("1024Mi", "1Gi"),
            ("1Gi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("2000Mi", "2000Mi"),
            ("0.5Ki", "512"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("0.1", "100m"),
            ("100m", "100m"),
            ("1000m", "1"),
            ("1000k", "1M"),
            ("1G", "1G"),
            ("1e3", "1e3"),
            ("1E6", "1e6"),
            ("0", "0"),
            ("0Gi", "0"),
            ("-1024Mi", "-1Gi"),
            ("1408Mi", "1408Mi"),
            ("2", "2"),
        ] {
            assert_eq!(canonical(given).as_deref(), Some(go), "{given}");
        }
        for odd in ["", "Gi", "1.2.3", "abc", "1Zi", "1GG"] {
            assert_eq!(canonical(odd), None, "{odd}");
        }
    }
}
