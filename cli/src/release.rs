//! Which Spark release to mirror, when `--spark-version` does not say: the Spark of the
//! submitter the command replaces (`SPARK_HOME`), else the container image's tag, else the
//! latest modelled release (with a note on stderr).
//!
//! Driver objects are what spark-submit creates, so they follow the submitter's release;
//! executors are what the driver creates, in its image, so they follow the image's release.

use std::path::Path;

use spark_render_engine::config::keys;
use spark_render_engine::{
    release_in_core_jar_name, release_in_image, release_in_release_file, ReleaseSource,
    SparkVersion,
};

use crate::errors::CliError;

/// The releases chosen: the submitter's (driver objects) and, when it differs, the driver
/// image's (executors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The release of the driver side, and why.
    pub submitter: (SparkVersion, ReleaseSource),
    /// The release of the driver image, when it names one that differs.
    pub image: Option<(SparkVersion, ReleaseSource)>,
}

/// Chooses the releases: `given` (`--spark-version`) wins for both sides; else `spark_home`'s
/// release for the driver side and the driver image's for the executors; else the image's
/// for both; else the latest modelled release. `conf` looks a conf key up as the submission
/// sets it.
pub fn choose(
    given: Option<&str>,
    spark_home: Option<&Path>,
    conf: impl Fn(&str) -> Option<String>,
) -> Result<Choice, CliError> {
    if let Some(given) = given {
        let version = parse(given, "--spark-version")?;
        return Ok(Choice {
            submitter: (version, ReleaseSource::Given),
            image: None,
        });
    }
    let image = driver_image_release(&conf)?;
    let home = match spark_home {
        Some(home) => spark_home_release(home)?,
        None => None,
    };
    Ok(match (home, image) {
        (Some(home), Some(image)) if home.0 != image.0 => Choice {
            submitter: home,
            image: Some(image),
        },
        (Some(home), _) => Choice {
            submitter: home,
            image: None,
        },
        (None, Some(image)) => Choice {
            submitter: image,
            image: None,
        },
        (None, None) => Choice {
            submitter: (SparkVersion::LATEST, ReleaseSource::Latest),
            image: None,
        },
    })
}

fn parse(text: &str, named_by: &str) -> Result<SparkVersion, CliError> {
    text.parse()
        .map_err(|e: spark_render_engine::ParseVersionError| {
            CliError::Output(format!("{named_by}: {e}"))
        })
}

/// The release the driver image's tag names (`spark.kubernetes.driver.container.image`, else
/// `spark.kubernetes.container.image`).
fn driver_image_release(
    conf: &impl Fn(&str) -> Option<String>,
) -> Result<Option<(SparkVersion, ReleaseSource)>, CliError> {
    let Some((key, image)) = [keys::DRIVER_CONTAINER_IMAGE, keys::CONTAINER_IMAGE]
        .into_iter()
        .find_map(|key| conf(key).map(|image| (key, image)))
    else {
        return Ok(None);
    };
    let Some(release) = release_in_image(&image) else {
        return Ok(None);
    };
    let version = parse(release, &format!("the tag of {key}={image}"))?;
    Ok(Some((version, ReleaseSource::Image(image))))
}

/// The release of the Spark installed in `home`: its `RELEASE` file, else its
/// `jars/spark-core_*.jar`. `None` when neither names one.
fn spark_home_release(home: &Path) -> Result<Option<(SparkVersion, ReleaseSource)>, CliError> {
    let release_file = home.join("RELEASE");
    if let Ok(text) = crate::files::read_regular(&release_file, 64 << 10) {
        if let Some(release) = release_in_release_file(&String::from_utf8_lossy(&text)) {
            let shown = release_file.display().to_string();
            let version = parse(release, &format!("SPARK_HOME's {shown}"))?;
            return Ok(Some((version, ReleaseSource::SparkHome(shown))));
        }
    }
    let Ok(entries) = std::fs::read_dir(home.join("jars")) else {
        return Ok(None);
    };
    let mut jars: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| release_in_core_jar_name(name).is_some())
        .collect();
    jars.sort();
    let Some(jar) = jars.first() else {
        return Ok(None);
    };
    let shown = home.join("jars").join(jar).display().to_string();
    let release = release_in_core_jar_name(jar).unwrap_or_default();
    let version = parse(release, &format!("SPARK_HOME's {shown}"))?;
    Ok(Some((version, ReleaseSource::SparkHome(shown))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf_with(image: &'static str) -> impl Fn(&str) -> Option<String> {
        move |key| (key == keys::CONTAINER_IMAGE).then(|| image.to_owned())
    }

    #[test]
    fn the_flag_wins_then_spark_home_then_the_image_then_the_latest() {
        let dir = std::env::temp_dir().join(format!("spark-render-release-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("RELEASE"), "Spark 3.4.4 built for Hadoop 3.3.4\n").unwrap();

        let given = choose(Some("4.0.5"), Some(&dir), conf_with("apache/spark:4.1.4")).unwrap();
        assert_eq!(given.submitter.0.to_string(), "4.0.5");
        assert!(given.image.is_none());

        let both = choose(None, Some(&dir), conf_with("apache/spark:4.1.4")).unwrap();
        assert_eq!(both.submitter.0.to_string(), "3.4.4");
        assert_eq!(both.image.as_ref().unwrap().0.to_string(), "4.1.4");

        let same = choose(None, Some(&dir), conf_with("apache/spark:3.4.4")).unwrap();
        assert_eq!(same.submitter.0.to_string(), "3.4.4");
        assert!(same.image.is_none());

        // Another patch release: its executors carry its own version label.
        let patch = choose(None, Some(&dir), conf_with("apache/spark:3.4.0")).unwrap();
        assert_eq!(patch.image.as_ref().unwrap().0.to_string(), "3.4.0");

        let image = choose(None, None, conf_with("spark:4.1.4-scala2.13-java17-ubuntu")).unwrap();
        assert_eq!(image.submitter.0.to_string(), "4.1.4");

        let latest = choose(None, None, conf_with("myorg/etl:1.0.0")).unwrap();
        assert_eq!(
            latest.submitter,
            (SparkVersion::LATEST, ReleaseSource::Latest)
        );

        let unmodelled = choose(None, None, conf_with("apache/spark:3.2.4")).unwrap_err();
        assert!(
            unmodelled.to_string().contains("apache/spark:3.2.4"),
            "{unmodelled}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
