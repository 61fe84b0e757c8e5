//! `yaml_subset::parse` against serde-saphyr on any text: whatever the fast parser answers
//! must be exactly serde-saphyr's value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use spark_render_engine::yaml_subset;

/// Scalars whose typing is easy to get wrong, spliced in for the control characters U+0001 to
/// U+0008 and U+000E to U+001F (which the parser refuses anyway), so that one mutation brings
/// a whole word.
const WORDS: [&str; 26] = [
    "Null",
    "NULL",
    "~",
    "True",
    "FALSE",
    "yes",
    "No",
    "Off",
    "y",
    "N",
    ".inf",
    "-.Inf",
    ".NaN",
    "inf",
    "0x1F",
    "0o17",
    "0b1",
    "1_000",
    "1e3",
    "-0",
    "007",
    "+1",
    "18446744073709551616",
    "-9223372036854775809",
    "1.5",
    "-0.0",
];

/// `text` with the control characters that stand for [`WORDS`] replaced by them.
fn expand(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let word = match u32::from(c) {
            n @ 0x01..=0x08 => WORDS.get(n as usize - 0x01),
            n @ 0x0e..=0x1f => WORDS.get(n as usize - 0x0e + 8),
            _ => None,
        };
        match word {
            Some(word) => out.push_str(word),
            None => out.push(c),
        }
    }
    out
}

fuzz_target!(|input: &str| {
    let text = expand(input);
    // `None` leaves the text to serde-saphyr, which is always allowed.
    let Some(fast) = yaml_subset::parse(&text) else {
        return;
    };
    match serde_saphyr::from_str::<Value>(&text) {
        Ok(full) => assert_eq!(fast, full, "different values for {text:?}"),
        Err(e) => panic!("{text:?} gives {fast} but serde-saphyr refuses it: {e}"),
    }
});
