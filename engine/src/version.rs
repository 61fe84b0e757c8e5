//! The Spark release whose behaviour is mirrored, and what that release does differently
//! ([`Release`]).

use std::fmt;
use std::str::FromStr;

/// A Spark release spark-render models: any patch release of the lines 3.3, 3.4, 3.5, 4.0,
/// 4.1, 4.2 and 4.3. The release is named in the `spark-version` label.
///
/// Made by parsing (`"3.5.3".parse()`), which refuses a release of a line that is not modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SparkVersion {
    major: u16,
    minor: u16,
    patch: u16,
}

/// The release lines modelled, oldest first, each with the patch release its goldens come from.
pub const MODELLED: [SparkVersion; 8] = [
    SparkVersion::new(3, 3, 4),
    SparkVersion::new(3, 4, 4),
    SparkVersion::new(3, 5, 3),
    SparkVersion::new(3, 5, 9),
    SparkVersion::new(4, 0, 5),
    SparkVersion::new(4, 1, 4),
    SparkVersion::new(4, 2, 1),
    SparkVersion::new(4, 3, 0),
];

/// How many release lines are modelled (3.3 to 4.3).
pub(crate) const LINES: usize = 7;

impl SparkVersion {
    const fn new(major: u16, minor: u16, patch: u16) -> Self {
        SparkVersion {
            major,
            minor,
            patch,
        }
    }

    /// The major version (3).
    pub fn major(self) -> u16 {
        self.major
    }

    /// The minor version (5).
    pub fn minor(self) -> u16 {
        self.minor
    }

    /// The patch version.
    pub fn patch(self) -> u16 {
        self.patch
    }

    /// The default when nothing names a release: Spark 3.5.3.
    pub const DEFAULT: SparkVersion = SparkVersion::new(3, 5, 3);

    /// The latest release modelled.
    pub const LATEST: SparkVersion = MODELLED[MODELLED.len() - 1];

    /// What this release does differently from the others.
    pub fn release(self) -> Release {
        Release { version: self }
    }

    /// The release lines modelled, as text: `3.3, 3.4, 3.5, 4.0, 4.1, 4.2, 4.3`.
    pub fn modelled_lines() -> String {
        let mut lines: Vec<String> = MODELLED.iter().map(|v| v.line_name()).collect();
        lines.dedup();
        lines.join(", ")
    }

    /// The release line's place among the modelled lines (3.3 is 0, 4.3 is 6): the patch
    /// releases of a line behave alike, so per-line data is kept in arrays of [`LINES`].
    pub(crate) fn line_index(self) -> usize {
        let mut lines: Vec<(u16, u16)> = MODELLED.iter().map(|m| m.line()).collect();
        lines.dedup();
        lines.iter().position(|l| *l == self.line()).unwrap_or(0)
    }

    /// `3.5` for Spark 3.5.x.
    pub fn line_name(self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    fn line(self) -> (u16, u16) {
        (self.major, self.minor)
    }
}

impl Default for SparkVersion {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for SparkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Why a string is not a modelled Spark release.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Spark release {value:?}: {reason}")]
pub struct ParseVersionError {
    /// The string given.
    pub value: String,
    /// What is wanted instead.
    pub reason: String,
}

impl FromStr for SparkVersion {
    type Err = ParseVersionError;

    fn from_str(s: &str) -> Result<Self, ParseVersionError> {
        let bad = |reason: String| ParseVersionError {
            value: crate::error::cut(s).into_owned(),
            reason,
        };
        let nums: Vec<u16> = s
            .split('.')
            .map(|p| p.parse::<u16>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("expected a release number such as 3.5.3".into()))?;
        let [major, minor, patch] = nums[..] else {
            return Err(bad("expected a release number such as 3.5.3".into()));
        };
        let version = SparkVersion::new(major, minor, patch);
        if MODELLED.iter().any(|m| m.line() == version.line()) {
            Ok(version)
        } else {
            Err(bad(format!(
                "Spark {major}.{minor} is not modelled; the modelled release lines are {} (any patch release of each)",
                SparkVersion::modelled_lines()
            )))
        }
    }
}

/// Where the release mirrored was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseSource {
    /// Named by the user (`--spark-version`).
    Given,
    /// The Spark installation whose spark-submit the command replaces (`SPARK_HOME`), as read
    /// from the file named.
    SparkHome(String),
    /// The container image's tag.
    Image(String),
    /// Nothing named a release: the latest modelled one.
    Latest,
}

impl fmt::Display for ReleaseSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReleaseSource::Given => f.write_str("given"),
            ReleaseSource::SparkHome(file) => write!(f, "the Spark of SPARK_HOME ({file})"),
            ReleaseSource::Image(image) => write!(f, "the tag of image {image}"),
            ReleaseSource::Latest => f.write_str(
                "the latest modelled release (nothing named one: give --spark-version, SPARK_HOME or an image tagged with the release)",
            ),
        }
    }
}

/// The Spark release a Spark installation's `RELEASE` file names (`Spark 3.5.3 built for
/// Hadoop 3.3.4`), or `None` when it names none.
pub fn release_in_release_file(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix("Spark ")?;
    let word = rest.split_whitespace().next()?;
    leading_release(word).map(|(release, _)| release)
}

/// The Spark release of a `spark-core` jar's file name (`spark-core_2.12-3.5.3.jar`).
pub fn release_in_core_jar_name(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("spark-core_")?.strip_suffix(".jar")?;
    let (_scala, release) = rest.split_once('-')?;
    match leading_release(release) {
        Some((release, "")) => Some(release),
        _ => None,
    }
}

/// The Spark release a container image's tag names, when the image is a Spark image (its
/// repository's last part contains `spark`) and the tag starts with a release number
/// (`apache/spark:4.0.1`, `spark:3.5.3-scala2.12-java17-python3-ubuntu`, `…/spark-py:v3.4.0`).
pub fn release_in_image(image: &str) -> Option<&str> {
    let image = image.split('@').next().unwrap_or(image);
    let (path, tag) = image.rsplit_once(':')?;
    if tag.contains('/') {
        return None; // a registry port, no tag
    }
    let repository = path.rsplit('/').next().unwrap_or(path);
    if !repository.to_ascii_lowercase().contains("spark") {
        return None;
    }
    let tag = tag.strip_prefix('v').unwrap_or(tag);
    match leading_release(tag) {
        Some((release, rest)) if rest.is_empty() || rest.starts_with('-') => Some(release),
        _ => None,
    }
}

/// `X.Y.Z` at the start of `text`, and what follows it.
fn leading_release(text: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    for part in 0..3 {
        let digits = text[end..].bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        end += digits;
        if part < 2 {
            if !text[end..].starts_with('.') {
                return None;
            }
            end += 1;
        }
    }
    Some((&text[..end], &text[end..]))
}

/// What a Spark release line does differently: one named decision per behaviour that changed
/// between 3.3 and 4.3, each consulted by the module mirroring the Spark class the change
/// touched. No step compares version numbers itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    version: SparkVersion,
}

impl Release {
    fn at_least(self, major: u16, minor: u16) -> bool {
        self.version.line() >= (major, minor)
    }

    /// Whether the release declares (and so reads) the conf key `key`.
    pub fn reads(self, key: &str) -> bool {
        crate::config::entries::find(self.version, key).is_some()
    }

    /// The legacy access mode key exists (3.4.3; 3.4 is modelled by
    /// 3.4.4). The conf registry knows it too (`reads`); this is the render path's cheap form.
    pub fn has_legacy_access_mode_key(self) -> bool {
        self.at_least(3, 4)
    }

    /// On-demand claims ask for `ReadWriteOnce` unless told otherwise (4.0 asks
    /// for `ReadWriteOncePod`).
    pub fn legacy_pvc_access_mode_by_default(self) -> bool {
        !self.at_least(4, 0)
    }

    /// The Scala collections library of the release: 2.13 from 4.0, whose maps and sets
    /// iterate in other orders.
    pub fn scala(self) -> crate::hash_order::Scala {
        if self.at_least(4, 0) {
            crate::hash_order::Scala::V2_13
        } else {
            crate::hash_order::Scala::V2_12
        }
    }

    /// 3.3's fabric8 5 sends empty `annotations`/`nodeSelector` maps on pods and empty
    /// `labels` on the driver's conf ConfigMap; 3.4+ leave them out.
    pub fn sends_empty_maps(self) -> bool {
        !self.at_least(3, 4)
    }

    /// 3.3's fabric8 5 `KubernetesList` sends the driver's resources sorted by kind and name.
    pub fn sorts_driver_resources(self) -> bool {
        !self.at_least(3, 4)
    }

    /// The driver Service's IP family keys and service labels (3.4).
    pub fn service_ip_families_and_labels(self) -> bool {
        self.at_least(3, 4)
    }

    /// `JavaModuleOptions` supplements the IPv6 option (3.4).
    pub fn supplements_ipv6_option(self) -> bool {
        self.at_least(3, 4)
    }

    /// `JavaModuleOptions.defaultModuleOptions()`: the options the driver prepends to
    /// `spark.{driver,executor}.extraJavaOptions` (the launcher's list of the release).
    pub fn java_module_options(self) -> &'static str {
        macro_rules! add_opens {
            () => {
                "--add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
            };
        }
        match self.version.line() {
            (3, 3) => concat!("-XX:+IgnoreUnrecognizedVMOptions ", add_opens!()),
            (3, 4) | (3, 5) => concat!(
                "-XX:+IgnoreUnrecognizedVMOptions ",
                add_opens!(),
                " -Djdk.reflect.useDirectMethodHandle=false"
            ),
            (4, 0) => concat!(
                "-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector ",
                add_opens!(),
                " -Djdk.reflect.useDirectMethodHandle=false",
                " -Dio.netty.tryReflectionSetAccessible=true"
            ),
            (4, 1) => concat!(
                "-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector ",
                add_opens!(),
                " -Djdk.reflect.useDirectMethodHandle=false",
                " -Dio.netty.tryReflectionSetAccessible=true",
                " -Dio.netty.allocator.type=pooled",
                " -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE",
                " --enable-native-access=ALL-UNNAMED"
            ),
            _ => concat!(
                "-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector ",
                add_opens!(),
                " -Dio.netty.tryReflectionSetAccessible=true",
                " -Dio.netty.allocator.type=pooled",
                " -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE",
                " --sun-misc-unsafe-memory-access=allow",
                " --enable-native-access=ALL-UNNAMED"
            ),
        }
    }

    /// The driver owns executors' on-demand claims unless told otherwise (3.4); before, each
    /// executor pod owns its own.
    pub fn driver_owns_claims_by_default(self) -> bool {
        self.at_least(3, 4)
    }

    /// Pod templates may hold empty YAML documents around the pod (fabric8 6.7, 3.5+); before,
    /// a template is exactly one document.
    pub fn template_skips_empty_documents(self) -> bool {
        self.at_least(3, 5)
    }

    /// The executor's env is one map, its Java options in the map's order before the pod's
    /// field refs (3.4); before, the secret, class path and Java options follow the field refs,
    /// in order.
    pub fn executor_env_as_map(self) -> bool {
        self.at_least(3, 4)
    }

    /// Executors get `spark.executor.extraLibraryPath` as `SPARK_EXECUTOR_LIBRARY_PATH` (4.0).
    pub fn executor_library_path_env(self) -> bool {
        self.at_least(4, 0)
    }

    /// The driver's Java option supplements (modules, IPv6) read the extra options alone (4.1);
    /// before, they read the default options too, which so end up in the extra options.
    pub fn supplements_extra_java_options_only(self) -> bool {
        self.at_least(4, 1)
    }

    /// Executors get the driver's Hadoop conf ConfigMap (3.5).
    pub fn hadoop_conf_in_executors(self) -> bool {
        self.at_least(3, 5)
    }

    /// A submitted `spark.app.submitTime` is kept (3.5); before, spark-submit's
    /// clock always wins.
    pub fn keeps_given_submit_time(self) -> bool {
        self.at_least(3, 5)
    }

    /// `{{APP_ID}}` is replaced in label values too (4.0), not only annotations.
    pub fn app_id_in_labels(self) -> bool {
        self.at_least(4, 0)
    }

    /// Memory overhead's floor is `spark.{driver,executor}.minMemoryOverhead` (4.0).
    pub fn min_memory_overhead_conf(self) -> bool {
        self.at_least(4, 0)
    }

    /// `KubernetesVolumeUtils` of 4.0: it reads `mount.subPathExpr` (every mount carries one),
    /// a host path's `options.type` and a claim's labels and annotations, and refuses a size
    /// without units under 1 KiB and a mount with both `subPath` and `subPathExpr`.
    pub fn volume_options_of_4_0(self) -> bool {
        self.at_least(4, 0)
    }

    /// The driver listens for Spark Connect on `spark.connect.grpc.binding.port` (4.1).
    pub fn connect_port(self) -> bool {
        self.at_least(4, 1)
    }

    /// Executor pods get `terminationGracePeriodSeconds` (4.1).
    pub fn executor_termination_grace_period(self) -> bool {
        self.at_least(4, 1)
    }

    /// `spark.kubernetes.executor.useDriverPodIP` exists (4.1).
    pub fn use_driver_pod_ip_conf(self) -> bool {
        self.at_least(4, 1)
    }

    /// `spark.kubernetes.executor.useDriverPodIP`'s default: false in 4.1 and 4.2, true from 4.3.
    pub fn use_driver_pod_ip_by_default(self) -> bool {
        self.at_least(4, 3)
    }

    /// `spark.kubernetes.{driver,executor}.pod.excludedFeatureSteps` exist (4.1).
    pub fn reads_excluded_feature_steps(self) -> bool {
        self.at_least(4, 1)
    }

    /// `spark.kubernetes.allocation.pods.allocator=deployment` names a built-in allocator,
    /// `DeploymentPodsAllocator` (4.2); before, a class that does not exist.
    pub fn has_deployment_allocator(self) -> bool {
        self.at_least(4, 2)
    }

    /// The driver creates a NetworkPolicy for its executors (4.2).
    pub fn creates_network_policy(self) -> bool {
        self.at_least(4, 2)
    }

    /// The Service's connect port has `appProtocol: grpc`; executors get a `resizePolicy` (4.2).
    pub fn grpc_app_protocol_and_resize_policy(self) -> bool {
        self.at_least(4, 2)
    }

    /// Containers get `allowPrivilegeEscalation: false`; the Service
    /// `publishNotReadyAddresses: false` (4.3).
    pub fn restricted_security_defaults(self) -> bool {
        self.at_least(4, 3)
    }
}

/// A change between release lines that shows in the objects, with the Apache Spark JIRA
/// issue that made it: what `spark-render diff` names when it compares two releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseChange {
    /// The first release line with the change (its patch number is 0).
    pub since: SparkVersion,
    /// The kind of object changed.
    pub kind: &'static str,
    /// The field, as `diff` shows it (`[*]` for any list item), or `""` for the whole object.
    pub field: &'static str,
    /// The Apache Spark JIRA issue.
    pub jira: &'static str,
    /// What changed.
    pub what: &'static str,
}

/// The changes between the modelled release lines that show in the objects, where the JIRA
/// issue is known (each seen in the goldens of the releases on both sides).
pub const RELEASE_CHANGES: &[ReleaseChange] = &[
    ReleaseChange {
        since: SparkVersion::new(4, 0, 0),
        kind: "PersistentVolumeClaim",
        field: "spec.accessModes",
        jira: "SPARK-46786",
        what: "claims Spark creates are ReadWriteOncePod (spark.kubernetes.legacy.useReadWriteOnceAccessMode=true restores ReadWriteOnce)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 1, 0),
        kind: "Pod",
        field: "spec.containers[*].ports[spark-connect]",
        jira: "SPARK-52193",
        what: "the driver pod and Service carry the Spark Connect port (spark.connect.grpc.binding.port, 15002)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 1, 0),
        kind: "Service",
        field: "spec.ports[spark-connect]",
        jira: "SPARK-52193",
        what: "the driver pod and Service carry the Spark Connect port (spark.connect.grpc.binding.port, 15002)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 1, 0),
        kind: "Pod",
        field: "spec.terminationGracePeriodSeconds",
        jira: "SPARK-53096",
        what: "executor pods get spark.kubernetes.executor.terminationGracePeriodSeconds (default 30)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 2, 0),
        kind: "NetworkPolicy",
        field: "",
        jira: "SPARK-55653",
        what: "a NetworkPolicy lets only the application's own pods reach its executors",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 2, 0),
        kind: "Pod",
        field: "spec.containers[*].resizePolicy",
        jira: "SPARK-55431",
        what: "executor containers set resizePolicy NotRequired (in-place resize without restarts)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 2, 0),
        kind: "Service",
        field: "spec.ports[spark-connect].appProtocol",
        jira: "SPARK-56275",
        what: "the Spark Connect port of the driver Service is marked appProtocol grpc",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 3, 0),
        kind: "Pod",
        field: "spec.containers[*].securityContext",
        jira: "SPARK-57493",
        what: "driver and executor containers set allowPrivilegeEscalation false (spark.kubernetes.securityContext.allowPrivilegeEscalation)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 3, 0),
        kind: "Service",
        field: "spec.publishNotReadyAddresses",
        jira: "SPARK-58113",
        what: "the driver Service sets publishNotReadyAddresses (spark.kubernetes.driver.service.publishNotReadyAddresses)",
    },
    ReleaseChange {
        since: SparkVersion::new(4, 3, 0),
        kind: "Pod",
        field: "spec.containers[*].env[SPARK_DRIVER_URL]",
        jira: "SPARK-57351",
        what: "executors reach the driver at its pod IP (spark.kubernetes.executor.useDriverPodIP is true by default)",
    },
];

impl ReleaseChange {
    /// The change that explains a difference in field `field` of a `kind` object between
    /// releases `a` and `b`, if one is known: it came in a line after the older one, up to
    /// the newer one.
    pub fn explaining(
        kind: &str,
        field: &str,
        a: SparkVersion,
        b: SparkVersion,
    ) -> Option<&'static ReleaseChange> {
        let line = |v: SparkVersion| (v.major, v.minor);
        let (low, high) = (line(a.min(b)), line(a.max(b)));
        RELEASE_CHANGES.iter().find(|c| {
            let since = line(c.since);
            c.kind == kind && low < since && since <= high && field_matches(c.field, field)
        })
    }
}

/// Whether `field` is `pattern` or inside it; `[*]` in `pattern` stands for any list item.
fn field_matches(pattern: &str, field: &str) -> bool {
    let (p, f) = (pattern.as_bytes(), field.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < p.len() {
        if p[i..].starts_with(b"[*]") {
            if f.get(j) != Some(&b'[') {
                return false;
            }
            match f[j..].iter().position(|&b| b == b']') {
                Some(close) => j += close + 1,
                None => return false,
            }
            i += 3;
        } else if f.get(j) == Some(&p[i]) {
            i += 1;
            j += 1;
        } else {
            return false;
        }
    }
    j == f.len() || matches!(f[j], b'.' | b'[')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_patch_of_a_modelled_line_parses_and_others_are_refused_naming_the_lines() {
        assert_eq!("3.5.9".parse::<SparkVersion>().unwrap().to_string(), "3.5.9");
        assert_eq!("4.1.0".parse::<SparkVersion>().unwrap().to_string(), "4.1.0");
        assert!("3.3.1".parse::<SparkVersion>().is_ok());
        let err = "3.2.4".parse::<SparkVersion>().unwrap_err().to_string();
        assert!(err.contains("3.3, 3.4, 3.5, 4.0, 4.1, 4.2, 4.3"), "{err}");
        assert!("4.4.0".parse::<SparkVersion>().is_err());
        assert!("4.1".parse::<SparkVersion>().is_err());
        assert!("v4.1.0".parse::<SparkVersion>().is_err());
    }

    #[test]
    fn releases_are_read_from_spark_home_and_image_tags() {
        assert_eq!(
            release_in_release_file("Spark 3.5.3 built for Hadoop 3.3.4\nBuild flags: -B\n"),
            Some("3.5.3")
        );
        assert_eq!(release_in_release_file("Hadoop 3"), None);
        assert_eq!(release_in_core_jar_name("spark-core_2.13-4.1.4.jar"), Some("4.1.4"));
        assert_eq!(release_in_core_jar_name("spark-core_2.12-3.5.3-tests.jar"), None);
        for (image, release) in [
            ("apache/spark:4.0.1", Some("4.0.1")),
            ("spark:3.5.3-scala2.12-java17-python3-ubuntu", Some("3.5.3")),
            ("ghcr.io/org/spark-py:v4.1.4", Some("4.1.4")),
            ("registry:5000/apache/spark:3.4.4@sha256:abc", Some("3.4.4")),
            ("registry:5000/apache/spark", None),
            ("apache/spark:latest", None),
            ("apache/spark:3.5", None),
            ("myorg/etl:1.2.3", None),
            ("apache/spark:3.5.3a", None),
        ] {
            assert_eq!(release_in_image(image), release, "{image}");
        }
    }

    #[test]
    fn decisions_that_mirror_the_conf_registry_agree_with_it() {
        use crate::config::keys;
        for version in MODELLED {
            let release = version.release();
            assert_eq!(
                release.has_legacy_access_mode_key(),
                release.reads(keys::USE_LEGACY_PVC_ACCESS_MODE.key),
                "{version}"
            );
            assert_eq!(
                release.use_driver_pod_ip_conf(),
                release.reads(keys::EXECUTOR_USE_DRIVER_POD_IP.key),
                "{version}"
            );
            assert_eq!(
                release.min_memory_overhead_conf(),
                release.reads(keys::DRIVER_MIN_MEMORY_OVERHEAD.key),
                "{version}"
            );
            assert_eq!(
                release.executor_termination_grace_period(),
                release.reads(keys::EXECUTOR_TERMINATION_GRACE_PERIOD.key),
                "{version}"
            );
            assert_eq!(
                release.reads_excluded_feature_steps(),
                release.reads(keys::DRIVER_POD_EXCLUDED_FEATURE_STEPS),
                "{version}"
            );
            assert_eq!(
                release.restricted_security_defaults(),
                release.reads(keys::ALLOW_PRIVILEGE_ESCALATION.key),
                "{version}"
            );
        }
    }

    #[test]
    fn decisions_change_at_the_release_that_changed_them() {
        let r = |s: &str| s.parse::<SparkVersion>().unwrap().release();
        assert!(r("3.3.4").sends_empty_maps() && !r("3.4.0").sends_empty_maps());
        assert_eq!(r("3.5.9").scala(), crate::hash_order::Scala::V2_12);
        assert_eq!(r("4.0.0").scala(), crate::hash_order::Scala::V2_13);
        assert!(!r("4.1.4").creates_network_policy() && r("4.2.0").creates_network_policy());
        assert_eq!(SparkVersion::LATEST.to_string(), "4.3.0");
    }

    #[test]
    fn release_changes_are_found_by_field_and_release_span() {
        let v = |s: &str| s.parse::<SparkVersion>().unwrap();
        let connect = "spec.containers[spark-kubernetes-driver].ports[spark-connect]";
        let found = ReleaseChange::explaining("Pod", connect, v("3.5.3"), v("4.1.4"));
        assert_eq!(found.map(|c| c.jira), Some("SPARK-52193"));
        // Either direction; not when the change is outside the span.
        assert!(ReleaseChange::explaining("Pod", connect, v("4.1.4"), v("3.5.3")).is_some());
        assert!(ReleaseChange::explaining("Pod", connect, v("4.1.4"), v("4.3.0")).is_none());
        // Inside a field, not a field that merely starts alike.
        assert!(ReleaseChange::explaining("Service", "spec.ports[spark-connect].port", v("4.0.5"), v("4.1.4")).is_some());
        assert!(ReleaseChange::explaining("Service", "spec.ports[spark-connect-x]", v("4.0.5"), v("4.1.4")).is_none());
        assert!(ReleaseChange::explaining("NetworkPolicy", "", v("4.1.4"), v("4.2.1")).is_some());
    }

    #[test]
    fn each_release_change_starts_where_its_decision_does() {
        // The decision of the Release profile that renders each change.
        let decision = |jira: &str| -> fn(Release) -> bool {
            match jira {
                "SPARK-46786" => |r| !r.legacy_pvc_access_mode_by_default(),
                "SPARK-52193" => Release::connect_port,
                "SPARK-53096" => Release::executor_termination_grace_period,
                "SPARK-55653" => Release::creates_network_policy,
                "SPARK-55431" | "SPARK-56275" => Release::grpc_app_protocol_and_resize_policy,
                "SPARK-57493" | "SPARK-58113" => Release::restricted_security_defaults,
                "SPARK-57351" => Release::use_driver_pod_ip_by_default,
                other => panic!("{other}: name the decision that renders it"),
            }
        };
        for change in RELEASE_CHANGES {
            let renders = decision(change.jira);
            for v in MODELLED {
                let line = (v.major(), v.minor());
                let since = (change.since.major(), change.since.minor());
                assert_eq!(renders(v.release()), line >= since, "{} in {v}", change.jira);
            }
        }
    }
}
