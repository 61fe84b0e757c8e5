//! Finding bytes eight at a time, for the scans of long texts whose bytes are mostly not the
//! ones looked for (pod templates' lines, Java option strings' separators).

/// The position of the first byte at or after `from` that `mask` marks, reading `b` eight bytes
/// at a time. `mask` gets eight bytes as a little-endian word and sets the high bit of the
/// bytes it looks for; only its lowest set bit need be exact (see [`byte_mask`]).
#[inline]
pub(crate) fn find_byte(b: &[u8], from: usize, mask: impl Fn(u64) -> u64) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = b.get(at..at + 8) {
        let found = mask(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    // The last bytes, padded with zero bytes, which no mask looks for: the lowest set bit, if
    // any, marks one of the real bytes.
    let rest = b.get(at..)?;
    let last = rest.iter().rev().fold(0u64, |w, &c| w << 8 | u64::from(c));
    let found = mask(last);
    (found != 0).then(|| at + found.trailing_zeros() as usize / 8)
}

/// The bytes of `word` equal to `c` (not zero) with their high bit set; a byte above an equal
/// one may be set too (a borrow), so only the lowest set bit is exact.
#[inline]
pub(crate) fn byte_mask(word: u64, c: u8) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let x = word ^ (ONES * u64::from(c));
    x.wrapping_sub(ONES) & !x & (ONES << 7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Xorshift;

    #[test]
    fn finds_the_first_byte_looked_for_at_any_offset() {
        let alphabet = [b'a', b'\n', b'\t', 0x0b, 0x09, 0x8a, 0xff, 0x80, 0x01];
        let mut rng = Xorshift::new(0x9e37_79b9_7f4a_7c15);
        for len in 0..40 {
            for _ in 0..200 {
                let b: Vec<u8> = (0..len)
                    .map(|_| alphabet[(rng.next_u64() % alphabet.len() as u64) as usize])
                    .collect();
                for from in 0..=len {
                    let expected = (from..len).find(|&i| b[i] == b'\n' || b[i] == b'\t');
                    let found = find_byte(&b, from, |w| byte_mask(w, b'\n') | byte_mask(w, b'\t'));
                    assert_eq!(found, expected, "{b:?} from {from}");
                }
            }
        }
    }
}
