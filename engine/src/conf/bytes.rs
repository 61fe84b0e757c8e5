//! Byte-size strings (`512m`, `2g`, `1024`) parsed exactly like Spark's
//! `JavaUtils.byteStringAs` and `ConfigHelpers.byteFromString`.

/// A unit of bytes (Spark's `org.apache.spark.network.util.ByteUnit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteUnit {
    /// Bytes.
    Byte,
    /// KiB.
    KiB,
    /// MiB.
    MiB,
    /// GiB.
    GiB,
    /// TiB.
    TiB,
    /// PiB.
    PiB,
}

impl ByteUnit {
    fn multiplier(self) -> i64 {
        match self {
            ByteUnit::Byte => 1,
            ByteUnit::KiB => 1 << 10,
            ByteUnit::MiB => 1 << 20,
            ByteUnit::GiB => 1 << 30,
            ByteUnit::TiB => 1 << 40,
            ByteUnit::PiB => 1 << 50,
        }
    }

    fn from_suffix(suffix: &str) -> Option<Self> {
        Some(match suffix {
            "b" => ByteUnit::Byte,
            "k" | "kb" => ByteUnit::KiB,
            "m" | "mb" => ByteUnit::MiB,
            "g" | "gb" => ByteUnit::GiB,
            "t" | "tb" => ByteUnit::TiB,
            "p" | "pb" => ByteUnit::PiB,
            _ => return None,
        })
    }

    /// Converts `d` units of `from` into this unit (truncating, as Spark does).
    fn convert_from(self, d: i64, from: ByteUnit) -> Result<i64, String> {
        let (to_m, from_m) = (self.multiplier(), from.multiplier());
        if from_m > to_m {
            let ratio = from_m / to_m;
            d.checked_mul(ratio).ok_or_else(|| {
                format!(
                    "{d}{} does not fit in a 64-bit count of {self:?}",
                    suffix_name(from)
                )
            })
        } else {
            Ok(d / (to_m / from_m))
        }
    }
}

fn suffix_name(unit: ByteUnit) -> &'static str {
    match unit {
        ByteUnit::Byte => "b",
        ByteUnit::KiB => "k",
        ByteUnit::MiB => "m",
        ByteUnit::GiB => "g",
        ByteUnit::TiB => "t",
        ByteUnit::PiB => "p",
    }
}

const SIZE_HINT: &str = "a size such as 512m, 2g or 1024 (units b, k, m, g, t, p; no fractions)";

/// `JavaUtils.byteStringAs(str, unit)`: a non-negative size in `unit`s.
pub fn byte_string_as(s: &str, unit: ByteUnit) -> Result<i64, String> {
    let lower = s.to_lowercase();
    let lower = lower.trim_matches(|c: char| c <= ' ');
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (digits, suffix) = lower.split_at(digits_end);
    if digits.is_empty() || !suffix.chars().all(|c| c.is_ascii_lowercase()) {
        let fractional = suffix.starts_with('.')
            && !digits.is_empty()
            && suffix[1..]
                .trim_end_matches(|c: char| c.is_ascii_lowercase())
                .chars()
                .all(|c| c.is_ascii_digit())
            && suffix.len() > 1
            && suffix.as_bytes()[1].is_ascii_digit();
        return Err(if fractional {
            format!("fractional sizes are not supported; expected {SIZE_HINT}")
        } else {
            format!("expected {SIZE_HINT}")
        });
    }
    let value: i64 = digits
        .parse()
        .map_err(|_| format!("{digits} is too large; expected {SIZE_HINT}"))?;
    let from = if suffix.is_empty() {
        unit
    } else {
        ByteUnit::from_suffix(suffix)
            .ok_or_else(|| format!("unknown unit \"{suffix}\"; expected {SIZE_HINT}"))?
    };
    unit.convert_from(value, from)
}

/// `ConfigHelpers.byteFromString`: like [`byte_string_as`], but a leading `-` negates.
pub fn byte_from_string(s: &str, unit: ByteUnit) -> Result<i64, String> {
    match s.strip_prefix('-') {
        Some(rest) => byte_string_as(rest, unit).map(|v| -v),
        None => byte_string_as(s, unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_into_mib() {
        let mib = |s| byte_string_as(s, ByteUnit::MiB);
        assert_eq!(mib("1g"), Ok(1024));
        assert_eq!(mib("2G"), Ok(2048));
        assert_eq!(mib("1500m"), Ok(1500));
        assert_eq!(mib("1500"), Ok(1500));
        assert_eq!(mib("4096k"), Ok(4));
        assert_eq!(mib("1500k"), Ok(1));
        assert_eq!(mib("1048576b"), Ok(1));
        assert_eq!(mib("1t"), Ok(1024 * 1024));
        assert_eq!(mib(" 3gb "), Ok(3072));
    }

    #[test]
    fn refuses_bad_sizes() {
        let mib = |s| byte_string_as(s, ByteUnit::MiB);
        assert!(mib("lots").unwrap_err().contains("expected a size"));
        assert!(mib("1.5g").unwrap_err().contains("fractional"));
        assert!(mib("4gib").unwrap_err().contains("unknown unit"));
        assert!(mib("").is_err());
        assert!(mib("99999999999999999999").is_err());
        assert!(mib("9999999999999p").is_err());
    }

    #[test]
    fn keeps_a_leading_minus() {
        assert_eq!(byte_from_string("-1g", ByteUnit::MiB), Ok(-1024));
    }
}
