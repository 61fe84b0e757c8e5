//! Reading the files a submission names. Only regular files are read, and at most a limit per
//! kind of file, so that `/dev/zero`, a FIFO, a directory or a huge file is refused at once
//! (naming the option or conf key that named it) instead of exhausting memory or blocking.

use std::fmt;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The most a properties file may hold (Spark sets no limit; no real one comes near, and a
/// render of the largest stays within a few tens of megabytes).
pub const PROPERTIES_LIMIT: u64 = 4 << 20;
/// The most a pod template may hold (the engine refuses larger ones).
pub const TEMPLATE_LIMIT: u64 = 4 << 20;
/// The most a file Spark puts in a Secret or ConfigMap may hold (keytab, krb5.conf,
/// certificates): such objects hold at most 1 MiB.
pub const OBJECT_FILE_LIMIT: u64 = 1 << 20;
/// The most a conf-dir file is read (larger ones are skipped by size, as Spark skips them).
pub const CONF_DIR_FILE_LIMIT: u64 = 16 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It is not a regular file.
    NotRegular(&'static str),
    /// It holds more than the limit.
    TooLarge(u64),
    /// The system refused.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "not a regular file but {kind}"),
            ReadError::TooLarge(limit) => {
                write!(
                    f,
                    "larger than {} MiB, the most spark-render reads for it",
                    limit >> 20
                )
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// What kind of file system object `meta` describes, for messages.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Reads the regular file `path` (symbolic links followed), at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Checked before opening: opening a FIFO blocks until something writes to it.
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    // Opened without blocking: a FIFO put in place after the check above fails to open
    // instead of waiting, and a regular-looking file whose reads block (`/proc/kmsg`) fails
    // its first read.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let mut bytes = Vec::new();
    // The file may grow while it is read: never read past the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock => ReadError::NotRegular("a file whose reads block"),
            _ => ReadError::Io(e),
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// The bytes of `operand`, a file or `-` for standard input, at most `limit` bytes, and how to
/// name it in messages (`standard input`, or the path). `named_by` names the option that gave
/// the file in errors.
pub fn read_operand(
    operand: &std::path::Path,
    limit: u64,
    named_by: &str,
) -> Result<(String, Vec<u8>), crate::errors::CliError> {
    use crate::errors::CliError;
    if operand.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::Output(format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > limit {
            return Err(CliError::Output(format!(
                "standard input is larger than {} MiB",
                limit >> 20
            )));
        }
        return Ok(("standard input".to_owned(), bytes));
    }
    let shown = operand.display().to_string();
    let bytes = read_regular(operand, limit).map_err(|e| CliError::ReadNamed {
        key: named_by.to_owned(),
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    Ok((shown, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_regular_file_or_too_large() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a character device"))
        ));
        assert!(matches!(
            read_regular(Path::new("/"), 10),
            Err(ReadError::NotRegular("a directory"))
        ));
        let dir = std::env::temp_dir().join(format!("spark-render-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_regular(&file, 9),
            Err(ReadError::TooLarge(9))
        ));
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_regular(&fifo, 10),
                Err(ReadError::NotRegular("a FIFO"))
            ));
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
