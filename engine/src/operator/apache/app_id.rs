//! The application id the operator gives a `SparkApplication` attempt
//! (`SparkAppSubmissionWorker.generateSparkAppId`): `spark.app.id` unless the user sets it, and
//! the stem of every driver object name (`SparkAppDriverConf.resourceNamePrefix`).

use super::sha256;

/// `DEFAULT_ID_LENGTH_LIMIT`: the longest id kept as `<name>-<attempt>`.
pub const ID_LENGTH_LIMIT: usize = 46;
/// `DEFAULT_HASH_BASED_IDENTIFIER_LENGTH_LIMIT`: the base-36 digits of the hash kept.
pub const HASH_LENGTH: usize = 36;

/// `<name>-<attempt>`, or, when that is longer than 46 characters, its first 9 characters, `-`
/// and the first 36 base-36 digits of the SHA-256 of `<namespace>/<name>/<attempt>`
/// (`generateHashBasedId`). Always at most 46 characters.
pub fn generate_spark_app_id(name: &str, namespace: &str, attempt: u64) -> String {
    let preferred = format!("{name}-{attempt}");
    if preferred.chars().count() <= ID_LENGTH_LIMIT {
        return preferred;
    }
    let prefix: String = preferred
        .chars()
        .take(ID_LENGTH_LIMIT - HASH_LENGTH - 1)
        .collect();
    let identifiers = format!("{namespace}/{name}/{attempt}");
    let hash = sha256::base36(&sha256::digest(identifiers.as_bytes()));
    // A digest below 36^35 would have fewer digits and make Java's `substring` throw; the odds
    // are about 2^-75, and the shorter id is returned instead.
    let truncated: String = hash.chars().take(HASH_LENGTH).collect();
    format!("{prefix}-{truncated}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_keep_their_attempt() {
        assert_eq!(generate_spark_app_id("pi", "default", 0), "pi-0");
        assert_eq!(generate_spark_app_id("pi", "default", 3), "pi-3");
    }
}
