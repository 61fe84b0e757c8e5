//! The submitter's `SPARK_CONF_DIR` files that Spark ships to the driver and executors in their
//! spark-conf ConfigMaps (`KubernetesClientUtils.loadSparkConfDirFiles`): templates, Spark's own
//! conf and properties files and archives are skipped, and files are taken smallest first
//! until `spark.kubernetes.configMap.maxSize` would be exceeded.

use std::collections::BTreeMap;

use crate::conf::SparkConf;
use crate::config::keys;
use crate::error::Result;

const DEFAULT_MAX_SIZE: i64 = 1_048_576;

/// `Config.CONFIG_MAP_MAXSIZE`: a long, at most 1048576. Spark reads it whenever it builds a
/// spark-conf ConfigMap, conf dir or not.
pub fn max_size(conf: &SparkConf) -> Result<i64> {
    let max_size = conf.read(&keys::CONFIG_MAP_MAX_SIZE)?;
    if max_size > DEFAULT_MAX_SIZE {
        return Err(crate::Error::invalid(
            keys::CONFIG_MAP_MAX_SIZE.key,
            &max_size.to_string(),
            "Must have at most 1048576 bytes",
        ));
    }
    Ok(max_size)
}

/// One regular file of the conf dir, as the CLI read it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfDirFile {
    /// The file name.
    pub name: String,
    /// Its contents, or `None` when they are not UTF-8 text (Spark skips such files).
    pub contents: Option<String>,
    /// Its size in bytes.
    pub size_bytes: u64,
}

impl ConfDirFile {
    /// A file whose bytes are decoded as UTF-8 with replacement characters, as Java's
    /// `new String(bytes, UTF_8)` does (Spark reads `HADOOP_CONF_DIR` files this way).
    pub fn lossy(name: impl Into<String>, bytes: &[u8]) -> Self {
        ConfDirFile {
            name: name.into(),
            contents: Some(String::from_utf8_lossy(bytes).into_owned()),
            size_bytes: bytes.len() as u64,
        }
    }

    /// A file with the given name and bytes.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let size_bytes = bytes.len() as u64;
        ConfDirFile {
            name: name.into(),
            contents: String::from_utf8(bytes).ok(),
            size_bytes,
        }
    }
}

/// Picks the files Spark ships; returns them by name, and warnings for skipped ones (one for
/// the files that are not UTF-8 text, one for those the size limit leaves out, as Spark logs).
pub fn select(
    files: &[ConfDirFile],
    conf: &SparkConf,
) -> Result<(BTreeMap<String, String>, Vec<String>)> {
    let max_size = max_size(conf)?;
    let mut candidates: Vec<&ConfDirFile> = files
        .iter()
        .filter(|f| {
            let too_large = f.size_bytes as i64 + f.name.chars().count() as i64 > max_size;
            let binary = [".gz", ".zip", ".jar", ".tar"]
                .iter()
                .any(|ext| f.name.ends_with(ext) && f.name.len() > ext.len() - 1);
            !too_large && !binary && !is_spark_conf_or_template(&f.name)
        })
        .collect();
    // `orderFilesBySize`: by name length + byte length, ties by name.
    candidates.sort_by_key(|f| (f.name.encode_utf16().count() as u64 + f.size_bytes, &f.name));
    let mut selected = BTreeMap::new();
    let mut not_text = Vec::new();
    let mut skipped = Vec::new();
    let mut total: i64 = 0;
    for file in candidates {
        let Some(contents) = &file.contents else {
            not_text.push(file.name.as_str());
            continue;
        };
        let size = file.name.encode_utf16().count() as i64 + contents.encode_utf16().count() as i64;
        if total + size < max_size {
            selected.insert(file.name.clone(), contents.clone());
            total += size;
        } else {
            skipped.push(file.name.as_str());
        }
    }
    let mut warnings = Vec::new();
    if !not_text.is_empty() {
        warnings.push(format!(
            "SPARK_CONF_DIR file(s) {} are not UTF-8 text; Spark skips them",
            not_text.join(", ")
        ));
    }
    if !skipped.is_empty() {
        warnings.push(format!(
            "SPARK_CONF_DIR file(s) {} are skipped: the conf files would exceed {}={max_size}",
            skipped.join(", "),
            keys::CONFIG_MAP_MAX_SIZE.key
        ));
    }
    Ok((selected, warnings))
}

/// `.*\.template` or `spark.*(conf|properties)`.
fn is_spark_conf_or_template(name: &str) -> bool {
    name.ends_with(".template")
        || (name.starts_with("spark") && (name.ends_with("conf") || name.ends_with("properties")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> ConfDirFile {
        ConfDirFile::new(name, text.as_bytes().to_vec())
    }

    #[test]
    fn skips_what_spark_skips() {
        let files = [
            file("log4j2.properties", "a"),
            file("spark-defaults.conf", "x"),
            file("spark-env.sh", "y"),
            file("metrics.properties.template", "z"),
            file("lib.jar", "j"),
            ConfDirFile::new("blob.bin", vec![0xff, 0xfe]),
        ];
        let (selected, warnings) = select(&files, &SparkConf::new()).unwrap();
        assert_eq!(
            selected.keys().collect::<Vec<_>>(),
            ["log4j2.properties", "spark-env.sh"]
        );
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn stops_at_the_size_limit_smallest_first() {
        let mut conf = SparkConf::new();
        conf.set(keys::CONFIG_MAP_MAX_SIZE.key, "20");
        let files = [
            file("b", "12345678"),
            file("a", "1234"),
            file("c", "123456789"),
        ];
        let (selected, warnings) = select(&files, &conf).unwrap();
        assert_eq!(selected.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn orders_by_name_and_content_length_and_warns_once() {
        let mut conf = SparkConf::new();
        conf.set(keys::CONFIG_MAP_MAX_SIZE.key, "30");
        // a-long-name: 11 + 10 = 21; b: 1 + 15 = 16, so b goes first and a-long-name no longer fits.
        let files = [
            file("a-long-name", "0123456789"),
            file("b", "012345678901234"),
            file("c-longer-still", "0123456789"),
        ];
        let (selected, warnings) = select(&files, &conf).unwrap();
        assert_eq!(selected.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("a-long-name, c-longer-still"),
            "{warnings:?}"
        );
    }

    #[test]
    fn max_size_is_a_long_of_at_most_one_mib() {
        let mut conf = SparkConf::new();
        assert_eq!(max_size(&conf).unwrap(), 1_048_576);
        conf.set(keys::CONFIG_MAP_MAX_SIZE.key, "2000000");
        assert!(max_size(&conf).is_err());
        conf.set(keys::CONFIG_MAP_MAX_SIZE.key, "abc");
        assert!(max_size(&conf).is_err());
    }
}
