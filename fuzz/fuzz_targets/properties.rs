//! `conf::properties::parse` on any text, and `properties::store` round trip: what `store`
//! writes for the entries that parsed must parse back to the same entries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spark_render_engine::conf::properties;
use spark_render_engine::hash_order::Scala;

fuzz_target!(|text: &str| {
    let Ok(mut entries) = properties::parse(text, "f") else {
        return;
    };
    // `java.util.Properties` semantics: one value per key.
    let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), entries.len(), "a key is repeated: {entries:?}");
    let stored = properties::store(
        Scala::V2_13,
        "comment",
        "Thu Jan 01 00:00:00 UTC 1970",
        entries.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let mut back = match properties::parse(&stored, "stored") {
        Ok(back) => back,
        Err(e) => panic!("stored text does not parse: {e}\nentries: {entries:?}\nstored: {stored:?}"),
    };
    // `store` writes in Java's hash order, not in the given order: compare as sets.
    back.sort();
    entries.sort();
    assert_eq!(back, entries, "round trip changed the entries; stored: {stored:?}");
});
