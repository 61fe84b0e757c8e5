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
//! One approximation: entries of one `ConcurrentHashMap` bucket keep the conf's order (Java's
//! depends on the map's insertion history).

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

/// `MurmurHash3.productHash` (Scala 2.12): the hash of a case class or tuple whose elements
/// hash to `element_hashes`.
pub fn product_hash(element_hashes: &[i32]) -> i32 {
    let h = element_hashes.iter().fold(PRODUCT_SEED, |h, &e| mix(h, e));
    avalanche(h ^ element_hashes.len() as i32)
}

/// The hash of `Some(x)` given `x.##`, or of `None`.
pub fn option_hash(inner: Option<i32>) -> i32 {
    match inner {
        Some(h) => product_hash(&[h]),
        None => java_string_hash("None"),
    }
}

/// `java.lang.Boolean.hashCode`.
pub fn bool_hash(b: bool) -> i32 {
    if b {
        1231
    } else {
        1237
    }
}

/// Scala 2.12 immutable `HashMap`/`HashSet` `improve`.
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
pub fn immutable_order<T>(items: Vec<T>, hash: impl Fn(&T) -> i32) -> Vec<T> {
    let mut items = items;
    if items.len() > 4 {
        // A stable sort: elements with one hash keep their order (a trie leaf's collision list).
        items.sort_by_cached_key(|t| trie_key(hash(t)));
    }
    items
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
pub fn properties_store_order(keys: &[&str]) -> Vec<usize> {
    // Each key hashed once, for both maps.
    let hashes: Vec<i32> = keys.iter().map(|k| java_string_hash(k)).collect();
    let in_map: Vec<usize> = immutable_order((0..keys.len()).collect(), |&i| hashes[i]);
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
/// they were set), as positions in `entries`.
pub(crate) fn get_all_order(entries: &[(&str, &str)]) -> Vec<usize> {
    let key_hashes: Vec<i32> = entries.iter().map(|(k, _)| java_string_hash(k)).collect();
    let chm: Vec<usize> = concurrent_hash_map_order(&key_hashes);
    let hashes: Vec<i32> = chm
        .iter()
        .map(|&i| product_hash(&[key_hashes[i], java_string_hash(entries[i].1)]))
        .collect();
    flat_hash_set_order(&hashes)
        .into_iter()
        .map(|i| chm[i])
        .collect()
}

/// `SparkConf.getAll` of `conf`, borrowed from it.
pub fn get_all(conf: &crate::SparkConf) -> Vec<(&str, &str)> {
    let entries: Vec<(&str, &str)> = conf.iter().collect();
    get_all_order(&entries)
        .into_iter()
        .map(|i| entries[i])
        .collect()
}

/// `conf.getAllWithPrefix(prefix).toMap` iterated, given `get_all` (the conf in `getAll`
/// order): the entries under `prefix` (prefix removed) in the order Spark's code walks them.
pub fn prefixed_map_order<'a>(
    get_all: &[(&'a str, &'a str)],
    prefix: &str,
) -> Vec<(&'a str, &'a str)> {
    let in_get_all: Vec<(&str, &str)> = get_all
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix).map(|rest| (rest, *v)))
        .collect();
    // Keys are unique: the conf is a map.
    immutable_order(in_get_all, |(k, _)| java_string_hash(k))
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
        let ordered = immutable_order(names.to_vec(), |n| java_string_hash(n));
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
