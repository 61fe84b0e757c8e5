//! `conf::properties::parse` on any text, and `properties::store` round trip: what `store`
//! writes for the entries that parsed must parse back to the same entries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spark_render_engine::conf::properties;

fuzz_target!(|text: &str| {
    let Ok(entries) = properties::parse(text, "f") else {
        return;
    };
    // `java.util.Properties` semantics: a repeated key keeps its last value.
    let mut unique: Vec<(String, String)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match unique.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => unique.push((key, value)),
        }
    }
    let stored = properties::store(
        "comment",
        "Thu Jan 01 00:00:00 UTC 1970",
        unique.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let mut back = match properties::parse(&stored, "stored") {
        Ok(back) => back,
        Err(e) => panic!("stored text does not parse: {e}\nentries: {unique:?}\nstored: {stored:?}"),
    };
    // `store` writes in Java's hash order, not in the given order: compare as sets.
    back.sort();
    unique.sort();
    assert_eq!(back, unique, "round trip changed the entries; stored: {stored:?}");
});
