//! `cargo xtask check-contracts` as a library function, so tests run it in-process and the
//! `xtask` binary only parses arguments and prints.

use std::path::PathBuf;

use super::{Inputs, analyze};
use crate::report::{HumanStyle, OutputFormat, Report};

/// The base to compare with (`--base GIT_REV` or `--base-file PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A git revision: the same files are read with `git show REV:PATH`.
    Rev(String),
    /// A contracts document of any of the three formats.
    File(PathBuf),
}

/// The options of `check-contracts`.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// `--contracts` (default `contracts/contracts.yaml`).
    pub contracts: Option<PathBuf>,
    /// `--services`, repeatable (default `contracts/services.toml` when it exists).
    pub services: Vec<PathBuf>,
    /// `--base` or `--base-file`.
    pub base: Option<Base>,
    /// `--format`.
    pub format: OutputFormat,
    /// Colors and width of human output.
    pub style: HumanStyle,
}

impl Default for CheckArgs {
    fn default() -> Self {
        CheckArgs {
            contracts: None,
            services: Vec::new(),
            base: None,
            format: OutputFormat::Human,
            style: HumanStyle::PLAIN,
        }
    }
}

/// What a command prints and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// Exit status: 0 ok, 1 an error finding, 2 the command could not do its job.
    pub code: u8,
}

impl CommandOutput {
    fn failure(message: String) -> Self {
        CommandOutput { stdout: String::new(), stderr: format!("error: {message}\n"), code: 2 }
    }
}

/// Runs `check-contracts`: analyze, build the report, render it.
pub fn run(args: &CheckArgs) -> CommandOutput {
    if let Some(base) = &args.base {
        let flag = match base {
            Base::Rev(_) => "--base",
            Base::File(_) => "--base-file",
        };
        return CommandOutput::failure(format!(
            "{flag} is not implemented in this build: the compatibility check is not available yet"
        ));
    }
    let inputs = Inputs::from_args(args.contracts.clone(), args.services.clone());
    let mut analysis = match analyze(&inputs) {
        Ok(a) => a,
        Err(e) => return CommandOutput::failure(e.to_string()),
    };
    // `generated-stale`: only for the repository's own contracts (SPEC.md section 5).
    let root = crate::codegen::command::repository_root();
    let contracts = args.contracts.clone().unwrap_or_else(|| super::DEFAULT_CONTRACTS.into());
    if crate::codegen::command::is_repository_contracts(root, &contracts)
        && let Some((c, _)) = analysis.valid_contracts()
    {
        let stale = crate::codegen::check_fresh(root, c);
        analysis.diagnostics.extend(stale);
    }
    let report = Report::from_analysis(&analysis);
    CommandOutput { stdout: report.render(args.format, args.style), stderr: String::new(), code: report.exit_code() }
}
