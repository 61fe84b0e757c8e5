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

/// Java's `String.hashCode`.
pub fn java_string_hash(s: &str) -> i32 {
    let step = |h: i32, unit: u16| h.wrapping_mul(31).wrapping_add(i32::from(unit));
    if s.is_ascii() {
        // An ASCII byte is its own UTF-16 unit. Eight at a time: h·31⁸ + Σ bⱼ·31⁷⁻ʲ
        // (wrapping), the sum found within one 64-bit word.
        const POWER_8: i32 = 31i32.pow(4).wrapping_mul(31i32.pow(4));
        let bytes = s.as_bytes();
        let chunks = bytes.chunks_exact(8);
        let tail = chunks.remainder();
        let h = chunks.fold(0i32, |h, chunk| {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            h.wrapping_mul(POWER_8).wrapping_add(eight_units_sum(word))
        });
        tail.iter().fold(h, |h, &b| step(h, u16::from(b)))
    } else {
        s.encode_utf16().fold(0i32, step)
    }
}

/// Σ bⱼ·31⁷⁻ʲ (wrapping) for the bytes b₀…b₇ of `word` (b₀ its lowest), combined pairwise in
/// lanes of the word: pairs b·31 + b′ in 16-bit lanes (below 2¹³), then pairs of those times
/// 31² in 32-bit lanes (below 2²³), so that no lane carries into the next.
fn eight_units_sum(word: u64) -> i32 {
    const BYTES: u64 = 0x00ff_00ff_00ff_00ff;
    const PAIRS: u64 = 0x0000_ffff_0000_ffff;
    let pairs = (word & BYTES) * 31 + ((word >> 8) & BYTES);
    let quads = (pairs & PAIRS) * 31u64.pow(2) + ((pairs >> 16) & PAIRS);
    // The first four bytes are in the low half.
    let (first, second) = (quads as u32, (quads >> 32) as u32);
    first.wrapping_mul(31u32.pow(4)).wrapping_add(second) as i32
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
    if items.len() <= 4 {
        return items;
    }
    // The keys are sorted, not the items: an item moves twice, however large it is.
    let mut keys: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (trie_key(hash(t)), i))
        .collect();
    // Each (key, position) is unique: an unstable sort gives the stable order.
    keys.sort_unstable();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keys.into_iter()
        .filter_map(|(_, i)| slots[i].take())
        .collect()
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

/// A `ConcurrentHashMap` (initial table of 16) filled by `put`s of `keys` in order, simulated
/// exactly (list bins, resize at 3/4 with Java's split of each bin): the iteration order.
///
/// Bins are singly linked lists over the key indices (`next`), as Java's are over nodes.
#[cfg(test)]
fn concurrent_hash_map_simulated(keys: &[&str]) -> Vec<usize> {
    let hashes: Vec<i32> = keys.iter().map(|k| java_string_hash(k)).collect();
    concurrent_hash_map_simulated_hashed(keys, &hashes)
}

/// [`concurrent_hash_map_simulated`] given the keys' `String.hashCode`s.
fn concurrent_hash_map_simulated_hashed(keys: &[&str], key_hashes: &[i32]) -> Vec<usize> {
    const NIL: usize = usize::MAX;
    let hashes: Vec<usize> = key_hashes.iter().map(|&h| spread(h)).collect();
    let mut head = vec![NIL; 16];
    let mut next = vec![NIL; keys.len()];
    let mut size_ctl = 12usize;
    let mut count = 0usize;
    for (i, &h) in hashes.iter().enumerate() {
        let n = head.len();
        let bin = h & (n - 1);
        // putVal: walk the bin; a new key goes at its end.
        let (mut e, mut last) = (head[bin], NIL);
        while e != NIL && keys[e] != keys[i] {
            last = e;
            e = next[e];
        }
        if e != NIL {
            continue;
        }
        if last == NIL {
            head[bin] = i;
        } else {
            next[last] = i;
        }
        count += 1;
        if count < size_ctl {
            continue;
        }
        // transfer: the bin's last run of nodes with one high bit moves whole; the nodes
        // before it are pushed to the front of the low or high list one by one.
        let high = |e: usize| hashes[e] & n != 0;
        let mut grown = vec![NIL; n * 2];
        for (b, &first) in head.iter().enumerate() {
            if first == NIL {
                continue;
            }
            let (mut run_bit, mut last_run) = (high(first), first);
            let mut p = next[first];
            while p != NIL {
                if high(p) != run_bit {
                    run_bit = high(p);
                    last_run = p;
                }
                p = next[p];
            }
            let (mut lo, mut hi) = if run_bit {
                (NIL, last_run)
            } else {
                (last_run, NIL)
            };
            let mut p = first;
            while p != last_run {
                let following = next[p];
                if high(p) {
                    next[p] = hi;
                    hi = p;
                } else {
                    next[p] = lo;
                    lo = p;
                }
                p = following;
            }
            grown[b] = lo;
            grown[b + n] = hi;
        }
        head = grown;
        size_ctl = head.len() - (head.len() >> 2);
    }
    let mut order = Vec::with_capacity(count);
    for &first in &head {
        let mut p = first;
        while p != NIL {
            order.push(p);
            p = next[p];
        }
    }
    order
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
    concurrent_hash_map_simulated_hashed(&put_order, &put_hashes)
        .into_iter()
        .map(|j| in_map[j])
        .collect()
}

/// Scala 2.12 `mutable.HashSet` (`FlatHashTable`): adds `hashes` in order, returns the
/// iteration order (indices into `hashes`).
fn flat_hash_set_order(hashes: &[i32]) -> Vec<usize> {
    const LOAD_FACTOR: usize = 450;
    /// An empty slot (the elements are positions in `hashes`).
    const EMPTY: usize = usize::MAX;
    let mut table: Vec<usize> = vec![EMPTY; 32];
    let mut seed = (table.len() - 1).count_ones();
    let mut size = 0usize;
    let mut threshold = table.len() * LOAD_FACTOR / 1000;

    fn index(hcode: i32, seed: u32, len: usize) -> usize {
        let mut i = hcode.wrapping_mul(0x9e37_75cd_u32 as i32);
        i = i.swap_bytes();
        i = i.wrapping_mul(0x9e37_75cd_u32 as i32);
        let i = i as u32;
        let rotation = seed % 32;
        let rotated = i.rotate_right(rotation);
        let ones = (len - 1) as u32;
        ((rotated >> (32 - ones.count_ones())) & ones) as usize
    }

    // The table's length is a power of two: the probe wraps with a mask.
    fn insert(table: &mut [usize], hashes: &[i32], elem: usize, seed: u32) {
        let mask = table.len() - 1;
        let mut h = index(hashes[elem], seed, table.len());
        while table[h] != EMPTY {
            h = (h + 1) & mask;
        }
        table[h] = elem;
    }

    for elem in 0..hashes.len() {
        insert(&mut table, hashes, elem, seed);
        size += 1;
        if size >= threshold {
            let old = std::mem::take(&mut table);
            table = vec![EMPTY; old.len() * 2];
            seed = (table.len() - 1).count_ones();
            threshold = table.len() * LOAD_FACTOR / 1000;
            for e in old.into_iter().filter(|&e| e != EMPTY) {
                insert(&mut table, hashes, e, seed);
            }
        }
    }
    table.retain(|&e| e != EMPTY);
    table
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
    use crate::test_rng::Xorshift;

    /// The simulation with each bin a vector (inserting at the front for Java's prepends):
    /// slower, plainly Java's algorithm; the linked-list version must agree with it.
    fn bins_as_vectors(keys: &[&str]) -> Vec<usize> {
        let hashes: Vec<usize> = keys.iter().map(|k| spread(java_string_hash(k))).collect();
        let mut table: Vec<Vec<usize>> = vec![Vec::new(); 16];
        let mut size_ctl = 12usize;
        let mut count = 0usize;
        for (i, &h) in hashes.iter().enumerate() {
            let n = table.len();
            let bin = &mut table[h & (n - 1)];
            if bin.iter().any(|&e| keys[e] == keys[i]) {
                continue;
            }
            bin.push(i);
            count += 1;
            if count >= size_ctl {
                let mut next: Vec<Vec<usize>> = vec![Vec::new(); n * 2];
                for (b, bin) in table.iter().enumerate() {
                    if bin.is_empty() {
                        continue;
                    }
                    let high = |e: usize| hashes[e] & n != 0;
                    let mut run_bit = high(bin[0]);
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
                    next[b] = lo;
                    next[b + n] = hi;
                }
                table = next;
                size_ctl = table.len() - (table.len() >> 2);
            }
        }
        table.into_iter().flatten().collect()
    }

    /// Scala's `FlatHashTable` as it reads: a table of optional elements, probes wrapping
    /// with the remainder; the masked version must agree with it.
    fn flat_hash_set_as_written(hashes: &[i32]) -> Vec<usize> {
        let index = |hcode: i32, seed: u32, len: usize| {
            let i = hcode.wrapping_mul(0x9e37_75cd_u32 as i32).swap_bytes();
            let i = i.wrapping_mul(0x9e37_75cd_u32 as i32) as u32;
            let ones = (len - 1) as u32;
            ((i.rotate_right(seed % 32) >> (32 - ones.count_ones())) & ones) as usize
        };
        let insert = |table: &mut Vec<Option<usize>>, e: usize, seed: u32| {
            let len = table.len();
            let mut h = index(hashes[e], seed, len);
            while table[h].is_some() {
                h = (h + 1) % len;
            }
            table[h] = Some(e);
        };
        let mut table: Vec<Option<usize>> = vec![None; 32];
        let mut seed = 31u32.count_ones();
        for e in 0..hashes.len() {
            insert(&mut table, e, seed);
            if e + 1 >= table.len() * 450 / 1000 {
                let old = std::mem::replace(&mut table, vec![None; 0]);
                table = vec![None; old.len() * 2];
                seed = (table.len() - 1).count_ones();
                for x in old.into_iter().flatten() {
                    insert(&mut table, x, seed);
                }
            }
        }
        table.into_iter().flatten().collect()
    }

    #[test]
    fn flat_hash_set_order_agrees_with_scalas_table_as_written() {
        let mut rng = Xorshift::new(0x2545_f491_4f6c_dd1d);
        for len in 0..300i32 {
            let hashes: Vec<i32> = (0..len)
                // Few distinct values when small, so that probes collide and wrap.
                .map(|_| (rng.next_u64() >> 32) as i32 % (len / 3 + 2))
                .collect();
            assert_eq!(
                flat_hash_set_order(&hashes),
                flat_hash_set_as_written(&hashes),
                "{hashes:?}"
            );
        }
    }

    #[test]
    fn linked_bins_agree_with_vector_bins() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let keys = proptest::collection::vec("[a-z.]{0,12}", 0..200);
        runner
            .run(&keys, |keys| {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                proptest::prop_assert_eq!(
                    concurrent_hash_map_simulated(&keys),
                    bins_as_vectors(&keys)
                );
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn java_string_hashes() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("None"), 2_433_880);
        assert_eq!(
            java_string_hash("spark.app.name"),
            "spark.app.name"
                .chars()
                .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32))
        );
        assert_eq!(java_string_hash("é"), 233);
        // The four-at-a-time ASCII path agrees with the unit-by-unit definition.
        let by_units = |s: &str| {
            s.encode_utf16()
                .fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(i32::from(u)))
        };
        for s in [
            "abc",
            "abcd",
            "abcde",
            "abcdefgh",
            "spark.executor.extraJavaOptions=-XX:+UseG1GC ~~~",
            "\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}\u{7f}",
            "\0\u{7f}\0\u{7f}\u{7f}\0\u{7f}\0~",
            crate::running_driver::JAVA_MODULE_OPTIONS,
        ] {
            assert_eq!(java_string_hash(s), by_units(s), "{s}");
        }
        // ASCII strings of every length up to 40, from a fixed pseudo-random sequence.
        let mut rng = Xorshift::new(0x9e37_79b9_7f4a_7c15);
        for len in 0..=40 {
            let s: String = (0..len)
                .map(|_| char::from((rng.next_u64() % 128) as u8))
                .collect();
            assert_eq!(java_string_hash(&s), by_units(&s), "{s:?}");
        }
        // Outside the BMP: two UTF-16 units (0xD83D, 0xDE00), as Java's String.hashCode.
        assert_eq!(java_string_hash("😀"), 0xD83D * 31 + 0xDE00);
        assert_eq!(java_string_hash("a😀"), (97 * 31 + 0xD83D) * 31 + 0xDE00);
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
