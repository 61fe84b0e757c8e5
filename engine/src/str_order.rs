//! Sorting strings without a call to compare their bytes when they differ early.

use std::cmp::Ordering;

/// The order of `str`, decided by the first eight bytes when the strings differ there (most
/// keys of a mapping do: the YAML subset reader sorts them), without a call to compare the
/// bytes.
pub(crate) fn str_order(a: &str, b: &str) -> Ordering {
    prefix(a).cmp(&prefix(b)).then_with(|| a.cmp(b))
}

/// The first eight bytes of `s`, as a big-endian number, padded with zeros: comparing two of
/// these orders the strings as `str` does, or finds them tied.
fn prefix(s: &str) -> u64 {
    match s.as_bytes().first_chunk::<8>() {
        Some(head) => u64::from_be_bytes(*head),
        None => s
            .bytes()
            .enumerate()
            .fold(0, |n, (i, c)| n | u64::from(c) << (56 - 8 * i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_as_str_does() {
        let strings = [
            "",
            "a",
            "a\u{0}",
            "a\u{1}",
            "ab",
            "abcdefgh",
            "abcdefg",
            "abcdefghi",
            "abcdefgha",
            "abcdefgi",
            "abcdefg\u{0}",
            "b",
            "é",
            "éa",
            "spec",
            "spec2",
            "metadata",
            "serviceAccountName",
            "serviceAccount",
            "SPARK_JAVA_OPT_1",
            "SPARK_JAVA_OPT_10",
        ];
        for a in strings {
            for b in strings {
                assert_eq!(str_order(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
