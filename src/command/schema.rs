//! `schema`: write or check the JSON Schemas of contracts documents and service-config files.

use std::path::PathBuf;

use super::CommandOutput;
use crate::config::Config;
use crate::schema::{EnsureError, Mode, Outcome, ensure_schemas};

/// The options of `schema`.
#[derive(Debug, Clone)]
pub struct SchemaArgs {
    /// `--out DIR` (default: the configured `schema` directory).
    pub out: Option<PathBuf>,
    /// `--check`: write nothing, exit 1 when a file differs.
    pub check: bool,
    /// How the user runs the tool (`cargo xtask`, `mycelium-contracts`), for messages.
    pub program: String,
}

impl Default for SchemaArgs {
    fn default() -> Self {
        SchemaArgs { out: None, check: false, program: "cargo xtask".into() }
    }
}

/// Runs `schema` in the repository configured by `config`: writes or checks both schemas in
/// `--out DIR` or the configured directory. Exit status 0 when written or fresh, 1 with
/// `--check` when a file differs, 2 when a file cannot be read or written.
pub fn run(args: &SchemaArgs, config: &Config) -> CommandOutput {
    let dir = args.out.clone().unwrap_or_else(|| crate::config::display_path(&config.schema));
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let command = format!("{} schema", args.program);
    let (stderr, code) = match ensure_schemas(&dir, mode, &command) {
        Ok(files) => {
            let lines = files.iter().map(|(path, outcome)| match outcome {
                Outcome::UpToDate => format!("{} is up to date\n", path.display()),
                Outcome::Updated => format!("wrote {}\n", path.display()),
            });
            (lines.collect(), 0)
        }
        Err(e @ EnsureError::Stale { .. }) => (format!("error: {e}\n"), 1),
        Err(e) => (format!("error: {e}\n"), 2),
    };
    CommandOutput { stdout: String::new(), stderr, code, analysis: None }
}
