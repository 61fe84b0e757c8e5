//! The iteration orders of the Java and Scala 2.12 hash maps Spark 3.5 walks when it turns conf
//! entries into lists (env vars, secret mounts, volumes, `SPARK_JAVA_OPT_<n>`). Reproducing them
//! makes those lists — and names derived from positions, such as on-demand claim names
//! `<prefix>-exec-1-pvc-<i>` — come out as Spark writes them.
//!
//! * `SparkConf.getAll` copies the conf's `ConcurrentHashMap` (`settings`) into a Scala mutable
//!   `HashSet` of `(key, value)` tuples (open addressing, `FlatHashTable`) and iterates that.
//! * `getAllWithPrefix(p).toMap` makes an immutable Scala `Map`: up to four entries keep their
//!   order; more make a hash trie iterated by the improved hash of the keys.
//! * Sets of case-class values (volume specs) follow the same rules with `MurmurHash3`
//!   product hashes.
//!
//! Spark 4 is built with Scala 2.13, whose collections differ ([`Scala`]): immutable maps and
//! sets are CHAMP tries (an element alone in its slot comes before the slot's sub-tries), the
//! mutable `HashSet` chains its buckets in hash order, and products mix their prefix (`Tuple2`,
//! the case class's name) into their hash.
//!
//! One approximation: entries of one `ConcurrentHashMap` bucket keep the conf's order (Java's
//! depends on the map's insertion history).

/// The Scala collections library a Spark release is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scala {
    /// Scala 2.12 (Spark 3.x).
    V2_12,
    /// Scala 2.13 (Spark 4.x).
    V2_13,
}

/// Java's `String.hashCode`: `h = 31·h + u` over the string's UTF-16 units, wrapping.
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

const PRODUCT_SEED: i32 = 0xcafe_babe_u32 as i32;

fn mix_last(hash: i32, data: i32) -> i32 {
    let k = data.wrapping_mul(0xcc9e_2d51_u32 as i32);
    let k = k.rotate_left(15);
    let k = k.wrapping_mul(0x1b87_3593);
    hash ^ k
}

fn mix(hash: i32, data: i32) -> i32 {
    let h = mix_last(hash, data).rotate_left(13);
    h.wrapping_mul(5).wrapping_add(0xe654_6b64_u32 as i32)
}

fn avalanche(hash: i32) -> i32 {
    let mut h = hash as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
}

/// `MurmurHash3.productHash`: the hash of a case class or tuple named `prefix` (`Tuple2`,
/// `Some`, the class's name) whose elements hash to `element_hashes`. Scala 2.13 mixes the
/// prefix in first; 2.12 does not.
pub fn product_hash(scala: Scala, prefix: &str, element_hashes: &[i32]) -> i32 {
    let seed = match scala {
        Scala::V2_12 => PRODUCT_SEED,
        Scala::V2_13 => mix(PRODUCT_SEED, java_string_hash(prefix)),
    };
    let h = element_hashes.iter().fold(seed, |h, &e| mix(h, e));
    avalanche(h ^ element_hashes.len() as i32)
}

/// The hash of `Some(x)` given `x.##`, or of `None`.
pub fn option_hash(scala: Scala, inner: Option<i32>) -> i32 {
    match inner {
        Some(h) => product_hash(scala, "Some", &[h]),
        None => java_string_hash("None"),
    }
}

/// `MurmurHash3.mapHash` (Scala 2.13) of an immutable map whose entries' keys and values hash
/// to `entries`: an order-independent mix of the entries' `Tuple2` hashes.
pub fn map_hash_213(entries: &[(i32, i32)]) -> i32 {
    let (mut a, mut b, mut c) = (0i32, 0i32, 1i32);
    for &(k, v) in entries {
        let h = product_hash(Scala::V2_13, "Tuple2", &[k, v]);
        a = a.wrapping_add(h);
        b ^= h;
        c = c.wrapping_mul(h | 1);
    }
    let h = mix(mix(java_string_hash("Map"), a), b);
    avalanche(mix_last(h, c) ^ entries.len() as i32)
}

/// `java.lang.Boolean.hashCode`.
pub fn bool_hash(b: bool) -> i32 {
    if b {
        1231
    } else {
        1237
    }
}

/// Scala's immutable `HashMap`/`HashSet` `improve` (the same in 2.12 and 2.13).
fn improve_immutable(hcode: i32) -> u32 {
    let mut h = hcode.wrapping_add(!(hcode.wrapping_shl(9)));
    h ^= ((h as u32) >> 14) as i32;
    h = h.wrapping_add(h.wrapping_shl(4));
    (h ^ ((h as u32) >> 10) as i32) as u32
}

/// The position of an element in an immutable hash trie: its improved hash with the 5-bit
/// groups read from the lowest.
fn trie_key(hash: i32) -> u64 {
    let h = improve_immutable(hash);
    (0..7).fold(0u64, |acc, level| {
        (acc << 5) | u64::from((h >> (5 * level)) & 0x1f)
    })
}

/// Orders the elements of an immutable Scala `Set`/`Map` built by adding `items` in order:
/// up to four keep their order, more follow the hash trie. `hash` gives each element's `##`.
pub fn immutable_order<T>(scala: Scala, items: Vec<T>, hash: impl Fn(&T) -> i32) -> Vec<T> {
    if items.len() <= 4 {
        return items;
    }
    match scala {
        Scala::V2_12 => {
            let mut items = items;
            // A stable sort: elements with one hash keep their order (a trie leaf's collision
            // list).
            items.sort_by_cached_key(|t| trie_key(hash(t)));
            items
        }
        Scala::V2_13 => {
            let hashes: Vec<u32> = items.iter().map(|t| improve_immutable(hash(t))).collect();
            let order = champ_order((0..items.len()).collect(), &hashes, 0);
            let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
            order.into_iter().filter_map(|i| slots[i].take()).collect()
        }
    }
}

/// Scala 2.13's CHAMP trie iterated: at each level (5 bits of the improved hash, lowest
/// first) the elements alone in their slot, by slot, then each shared slot's sub-trie, by
/// slot. Elements with the same hash keep their order (a collision node).
fn champ_order(items: Vec<usize>, hashes: &[u32], level: u32) -> Vec<usize> {
    if level * 5 >= 32 {
        return items;
    }
    let slot = |i: usize| (hashes[i] >> (level * 5)) & 0x1f;
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); 32];
    for i in items {
        by_slot[slot(i) as usize].push(i);
    }
    let mut out: Vec<usize> = by_slot
        .iter()
        .filter(|s| s.len() == 1)
        .map(|s| s[0])
        .collect();
    for shared in by_slot.into_iter().filter(|s| s.len() > 1) {
        out.extend(champ_order(shared, hashes, level + 1));
    }
    out
}

/// Java `ConcurrentHashMap` iteration order for a map filled with keys whose `String.hashCode`s
/// are `key_hashes` (in that order): by bucket, the table sized as it grows with the entries.
fn concurrent_hash_map_order(key_hashes: &[i32]) -> Vec<usize> {
    let mut n: usize = 16;
    while key_hashes.len() >= n - (n >> 2) {
        n <<= 1;
    }
    let mut order: Vec<(usize, usize)> = key_hashes
        .iter()
        .enumerate()
        .map(|(i, &h)| (spread(h) & (n - 1), i))
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

/// Java's `ConcurrentHashMap.spread`.
fn spread(h: i32) -> usize {
    ((h ^ ((h as u32) >> 16) as i32) & 0x7fff_ffff) as usize
}

/// A `ConcurrentHashMap` (initial table of 16) filled by `put`s of `keys` (whose
/// `String.hashCode`s are `key_hashes`) in order, simulated exactly: list bins, a resize at
/// 3/4 full with Java's split of each bin. Returns the iteration order.
fn concurrent_hash_map_order_exact(keys: &[&str], key_hashes: &[i32]) -> Vec<usize> {
    let hashes: Vec<usize> = key_hashes.iter().map(|&h| spread(h)).collect();
    let mut table: Vec<Vec<usize>> = vec![Vec::new(); 16];
    let mut size_ctl = 12usize;
    let mut count = 0usize;
    for (i, &h) in hashes.iter().enumerate() {
        let n = table.len();
        // putVal: a key already in its bin keeps its place; a new one goes at the bin's end.
        let bin = &mut table[h & (n - 1)];
        if bin.iter().any(|&e| keys[e] == keys[i]) {
            continue;
        }
        bin.push(i);
        count += 1;
        if count < size_ctl {
            continue;
        }
        // transfer: each bin splits into a low bin (same index) and a high bin (index + n) by
        // the hash bit n. The bin's last run of nodes going the same way moves whole; the
        // nodes before it are pushed, one by one, to the front of their new bin.
        let high = |e: usize| hashes[e] & n != 0;
        let mut grown: Vec<Vec<usize>> = vec![Vec::new(); n * 2];
        for (b, bin) in table.iter().enumerate() {
            let Some(&first) = bin.first() else { continue };
            let mut run_bit = high(first);
            let mut last_run = 0;
            for (j, &e) in bin.iter().enumerate().skip(1) {
                if high(e) != run_bit {
                    run_bit = high(e);
                    last_run = j;
                }
            }
            let (mut lo, mut hi) = if run_bit {
                (Vec::new(), bin[last_run..].to_vec())
            } else {
                (bin[last_run..].to_vec(), Vec::new())
            };
            for &e in &bin[..last_run] {
                if high(e) {
                    hi.insert(0, e);
                } else {
                    lo.insert(0, e);
                }
            }
            grown[b] = lo;
            grown[b + n] = hi;
        }
        table = grown;
        size_ctl = table.len() - (table.len() >> 2);
    }
    table.into_iter().flatten().collect()
}

/// The order `java.util.Properties.store` (Java 17) writes a properties map Spark filled from
/// an immutable Scala map with `keys`: the map's order decides the puts, the Java
/// `ConcurrentHashMap` behind `Properties` the output.
pub fn properties_store_order(scala: Scala, keys: &[&str]) -> Vec<usize> {
    // Each key hashed once, for both maps.
    let hashes: Vec<i32> = keys.iter().map(|k| java_string_hash(k)).collect();
    let in_map: Vec<usize> = immutable_order(scala, (0..keys.len()).collect(), |&i| hashes[i]);
    let put_order: Vec<&str> = in_map.iter().map(|&i| keys[i]).collect();
    let put_hashes: Vec<i32> = in_map.iter().map(|&i| hashes[i]).collect();
    concurrent_hash_map_order_exact(&put_order, &put_hashes)
        .into_iter()
        .map(|j| in_map[j])
        .collect()
}

/// Scala 2.12 `mutable.HashSet` (`FlatHashTable`, open addressing): adds `hashes` in order and
/// returns the iteration order (indices into `hashes`).
fn flat_hash_set_order(hashes: &[i32]) -> Vec<usize> {
    /// `FlatHashTable.index`: the improved hash's top bits, rotated by the table's seed.
    fn index(hcode: i32, seed: u32, len: usize) -> usize {
        let i = hcode.wrapping_mul(0x9e37_75cd_u32 as i32).swap_bytes();
        let i = i.wrapping_mul(0x9e37_75cd_u32 as i32) as u32;
        let ones = (len - 1) as u32;
        ((i.rotate_right(seed % 32) >> (32 - ones.count_ones())) & ones) as usize
    }
    /// Linear probing from the element's index.
    fn insert(table: &mut [Option<usize>], hash: i32, elem: usize, seed: u32) {
        let len = table.len();
        let mut h = index(hash, seed, len);
        while table[h].is_some() {
            h = (h + 1) % len;
        }
        table[h] = Some(elem);
    }
    // A table of 32 slots, grown to twice its size when 45 % full; the seed is the number of
    // bits of the table's mask.
    let mut table: Vec<Option<usize>> = vec![None; 32];
    let mut seed = 31u32.count_ones();
    for (elem, &hash) in hashes.iter().enumerate() {
        insert(&mut table, hash, elem, seed);
        if elem + 1 >= table.len() * 450 / 1000 {
            let old = std::mem::replace(&mut table, vec![None; 0]);
            table = vec![None; old.len() * 2];
            seed = (table.len() - 1).count_ones();
            for e in old.into_iter().flatten() {
                insert(&mut table, hashes[e], e, seed);
            }
        }
    }
    table.into_iter().flatten().collect()
}

/// The order in which `SparkConf.getAll` returns `entries` (the conf's entries, in the order
/// they were set), as positions in `entries`: the conf's `ConcurrentHashMap` copied into a
/// mutable Scala `HashSet` of `(key, value)` tuples.
pub(crate) fn get_all_order(scala: Scala, entries: &[(&str, &str)]) -> Vec<usize> {
    let key_hashes: Vec<i32> = entries.iter().map(|(k, _)| java_string_hash(k)).collect();
    let chm: Vec<usize> = concurrent_hash_map_order(&key_hashes);
    let hashes: Vec<i32> = chm
        .iter()
        .map(|&i| {
            product_hash(
                scala,
                "Tuple2",
                &[key_hashes[i], java_string_hash(entries[i].1)],
            )
        })
        .collect();
    let order = match scala {
        Scala::V2_12 => flat_hash_set_order(&hashes),
        Scala::V2_13 => mutable_hash_set_order_213(&hashes),
    };
    order.into_iter().map(|i| chm[i]).collect()
}

/// Scala 2.13 `mutable.HashSet` filled with elements hashing to `hashes`, in order: buckets
/// by the improved hash's low bits (16 to start, doubled when 3/4 full), each bucket's chain
/// sorted by improved hash (equal hashes in insertion order). Returns the iteration order.
fn mutable_hash_set_order_213(hashes: &[i32]) -> Vec<usize> {
    let mut len: usize = 16;
    for count in 0..hashes.len() {
        if count + 1 >= len * 3 / 4 {
            len *= 2;
        }
    }
    let improved: Vec<i32> = hashes.iter().map(|&h| h ^ ((h as u32) >> 16) as i32).collect();
    let mut order: Vec<usize> = (0..hashes.len()).collect();
    order.sort_by_key(|&i| (improved[i] as u32 as usize & (len - 1), improved[i], i));
    order
}

/// `SparkConf.getAll` of `conf`, borrowed from it.
pub fn get_all(scala: Scala, conf: &crate::SparkConf) -> Vec<(&str, &str)> {
    let entries: Vec<(&str, &str)> = conf.iter().collect();
    get_all_order(scala, &entries)
        .into_iter()
        .map(|i| entries[i])
        .collect()
}

/// `conf.getAllWithPrefix(prefix).toMap` iterated, given `get_all` (the conf in `getAll`
/// order): the entries under `prefix` (prefix removed) in the order Spark's code walks them.
pub fn prefixed_map_order<'a>(
    scala: Scala,
    get_all: &[(&'a str, &'a str)],
    prefix: &str,
) -> Vec<(&'a str, &'a str)> {
    let in_get_all: Vec<(&str, &str)> = get_all
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix).map(|rest| (rest, *v)))
        .collect();
    // Keys are unique: the conf is a map.
    immutable_order(scala, in_get_all, |(k, _)| java_string_hash(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_string_hashes() {
        // Values printed by Java 17's String.hashCode.
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("None"), 2_433_880);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(java_string_hash("Hello World"), -862_545_276);
        assert_eq!(
            java_string_hash("spark.kubernetes.driverEnv.JAVA_TOOL_OPTIONS"),
            -449_863_340
        );
        // é is one UTF-16 unit, 😀 two (a surrogate pair).
        assert_eq!(java_string_hash("é😀x"), 61_901_292);
    }

    #[test]
    fn env_order_matches_sparks_observed_hash_trie_order() {
        // Observed from Spark 3.5.3 for six spark.kubernetes.driverEnv.* entries.
        let names = [
            "SPARK_USER",
            "EMPTY_VALUE",
            "LOG_LEVEL",
            "JAVA_TOOL_OPTIONS",
            "REGION",
            "SPARK_APPLICATION_ID",
        ];
        let ordered = immutable_order(Scala::V2_12, names.to_vec(), |n| java_string_hash(n));
        assert_eq!(
            ordered,
            [
                "JAVA_TOOL_OPTIONS",
                "EMPTY_VALUE",
                "SPARK_APPLICATION_ID",
                "LOG_LEVEL",
                "REGION",
                "SPARK_USER"
            ]
        );
    }
}
