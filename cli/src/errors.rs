//! The CLI's errors and exit codes.

/// Exit code when the manifests were printed.
pub const EXIT_OK: i32 = 0;
/// Exit code when the input was refused (by Spark's rules or spark-render's checks).
pub const EXIT_REFUSED: i32 = 1;
/// Exit code after a stop signal during `--apply` (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;
/// Exit code for command-line usage errors (clap's own code).
pub const EXIT_USAGE: i32 = 2;

/// Why the CLI stopped.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file the command line or the conf names could not be read.
    #[error("cannot read {path} (named by {key}): {reason}")]
    ReadNamed {
        /// The conf key naming the file.
        key: String,
        /// The path as the conf gives it.
        path: String,
        /// Why.
        reason: String,
    },
    /// The engine refused the input.
    #[error(transparent)]
    Engine(#[from] spark_render_engine::Error),
    /// kubectl failed (its own message is on standard error).
    #[error("kubectl failed to {step} (exit status {status})")]
    Kubectl {
        /// What it was asked to do.
        step: String,
        /// Its exit status, which spark-render exits with.
        status: i32,
    },
    /// kubectl did not finish in time, and was killed.
    #[error("kubectl did not {step} within {seconds} s and was stopped (--kubectl-timeout)")]
    KubectlTimeout {
        /// What it was asked to do.
        step: String,
        /// The timeout.
        seconds: u64,
    },
    /// spark-render was asked to stop (SIGINT, SIGTERM, SIGHUP) during `--apply`.
    #[error("stopped by a signal while trying to {step}")]
    Interrupted {
        /// What kubectl was asked to do.
        step: String,
    },
    /// kubectl was killed by a signal.
    #[error("kubectl was killed by {signal} while trying to {step}")]
    KubectlSignal {
        /// What it was asked to do.
        step: String,
        /// The signal, named.
        signal: String,
    },
    /// The output could not be produced or written.
    #[error("{0}")]
    Output(String),
    /// The reader of standard output went away (`| head`): not an error for the user.
    #[error("standard output was closed")]
    ClosedOutput,
    /// The command line asks for something spark-render does not do (exit status 2).
    #[error("{0}")]
    Usage(String),
}

/// `err`'s message followed by its causes' (`: `-separated), as the user reads it.
pub fn with_causes(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    message
}
