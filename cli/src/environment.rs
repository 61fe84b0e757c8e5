//! What the CLI takes from the process — environment variables, the clock, randomness, the
//! current user and directory — to draw the render inputs the way spark-submit would.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use spark_render_engine::{ConfDirFile, RenderInputs, SubmitterEnv};

use crate::args::InputOptions;

/// Fills the render inputs: flags first, then what spark-submit would draw.
///
/// With `--reproducible`, the drawn values are the engine's fixed ones
/// ([`RenderInputs::default`]) instead: the same inputs give the same bytes everywhere.
pub fn render_inputs(opts: &InputOptions) -> RenderInputs {
    let mut inputs = RenderInputs::default();
    if !opts.reproducible {
        let now = now_millis();
        inputs.app_id = format!("spark-{}", hex(&random_bytes(16)));
        // KubernetesUtils.uniqueID: 3 random bytes, then the clock's low 40 bits in hex.
        inputs.unique_id = format!("{}{:x}", hex(&random_bytes(3)), now & 0xFF_FFFF_FFFF);
        inputs.submit_time_ms = now;
        inputs.spark_user = current_user();
        inputs.local_dir_uuid = random_uuid();
        inputs.upload_uuid = random_uuid();
        inputs.auth_secret = random_secret();
    }
    let given = [
        (&mut inputs.app_id, &opts.app_id),
        (&mut inputs.unique_id, &opts.unique_id),
        (&mut inputs.spark_user, &opts.spark_user),
        (&mut inputs.local_dir_uuid, &opts.local_dir_uuid),
        (&mut inputs.upload_uuid, &opts.upload_uuid),
    ];
    for (input, flag) in given {
        if let Some(value) = flag {
            input.clone_from(value);
        }
    }
    if let Some(time) = opts.submit_time {
        inputs.submit_time_ms = time;
    }
    // The driver pod's UID comes from the API server: without --driver-uid there is none.
    inputs.driver_uid = opts.driver_uid.clone();
    inputs.working_dir = std::env::current_dir()
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "/".into());
    let mut env = SubmitterEnv::default();
    // Spark treats these as set even when empty.
    env.spark_local_dirs = std::env::var("SPARK_LOCAL_DIRS").ok();
    env.pyspark_python = std::env::var("PYSPARK_PYTHON").ok();
    env.pyspark_driver_python = std::env::var("PYSPARK_DRIVER_PYTHON").ok();
    env.hadoop_conf_dir = var("HADOOP_CONF_DIR").map(|dir| {
        read_dir_files(Path::new(&dir), |name, bytes| {
            ConfDirFile::lossy(name, &bytes)
        })
    });
    env.conf_dir_files = opts
        .conf_dir
        .clone()
        .or_else(spark_conf_dir)
        .map(|dir| read_dir_files(&dir, ConfDirFile::new));
    inputs.env = env;
    inputs
}

/// The submitter's conf dir, as spark-submit's launch scripts set it: `SPARK_CONF_DIR`, else
/// `SPARK_HOME/conf`.
pub fn spark_conf_dir() -> Option<PathBuf> {
    var("SPARK_CONF_DIR")
        .map(PathBuf::from)
        .or_else(|| var("SPARK_HOME").map(|h| Path::new(&h).join("conf")))
}

/// The regular files of a Spark conf dir.
pub fn read_conf_files(dir: &Path) -> Vec<ConfDirFile> {
    read_dir_files(dir, ConfDirFile::new)
}

/// The regular files of a conf dir (none if it is not a directory, as in Spark), made into
/// [`ConfDirFile`]s by `make`.
fn read_dir_files(dir: &Path, make: impl Fn(String, Vec<u8>) -> ConfDirFile) -> Vec<ConfDirFile> {
    // Files larger than any ConfigMap can hold are not read; Spark skips them by size.
    const READ_LIMIT: u64 = crate::files::CONF_DIR_FILE_LIMIT;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<ConfDirFile> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let size = e.path().metadata().ok()?.len();
            let bytes = if size <= READ_LIMIT {
                crate::files::read_regular(&e.path(), READ_LIMIT).ok()?
            } else {
                Vec::new()
            };
            let mut file = make(name, bytes);
            file.size_bytes = size;
            Some(file)
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// A secret as Spark's `Utils.createSecret` draws it: 256 random bits, hex.
pub fn random_secret() -> String {
    hex(&random_bytes(32))
}

/// A non-empty environment variable.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok();
    if !filled {
        // No /dev/urandom: fall back to the clock and the process id (unique enough for names).
        let seed = (now_millis() as u64) ^ (u64::from(std::process::id()) << 32);
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (seed.rotate_left((i as u32 * 8) % 64) & 0xFF) as u8;
        }
    }
    buf
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random (version 4) UUID.
pub fn random_uuid() -> String {
    let mut b = random_bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Spark's `Utils.getCurrentUserName`: `SPARK_USER`, else Hadoop's user (`HADOOP_USER_NAME`,
/// else the login user).
fn current_user() -> String {
    var("SPARK_USER")
        .or_else(|| var("HADOOP_USER_NAME"))
        .or_else(login_user)
        .or_else(|| var("USER"))
        .unwrap_or_else(|| "spark".into())
}

/// The name of the process's user, from /proc and /etc/passwd.
fn login_user() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let _password = fields.next()?;
        (fields.next()? == uid).then(|| name.to_owned())
    })
}
