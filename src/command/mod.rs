//! The commands as library functions: arguments and the repository's
//! [`Config`](crate::config::Config) in, text and an exit status out. The command line
//! ([`crate::cli`]) only parses arguments, reads the configuration once and prints; tests run the
//! commands in-process.
//!
//! Every command takes the repository's configuration as a parameter (its root, the contracts,
//! the service files, where generated files and schemas go), so nothing here depends on the
//! current directory or on where this crate was built.

pub mod check;
pub mod codegen;
pub mod decode;
pub mod schema;

use crate::check::Analysis;

/// What a command prints and its exit status.
#[derive(Debug)]
pub struct CommandOutput {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// Exit status: 0 ok, 1 an error finding (or a stale file with `--check`), 2 the command
    /// could not do its job.
    pub code: u8,
    /// The analysis behind the output, when there was one. Handing it back lets a caller look
    /// further, and lets the binary exit without spending a tenth of a large run on freeing it.
    #[cfg_attr(not(feature = "internals"), allow(dead_code, reason = "held so the binary exits before dropping it"))]
    pub analysis: Option<Analysis>,
}

impl CommandOutput {
    /// Exit status 2 with `error: {message}` on standard error.
    pub(crate) fn failure(message: String) -> Self {
        CommandOutput { stdout: String::new(), stderr: format!("error: {message}\n"), code: 2, analysis: None }
    }
}
