//! `cargo xtask codegen` as a library function, so tests run it in-process and the `xtask`
//! binary only parses arguments and prints.

use std::path::{Path, PathBuf};

use super::{Destination, Options, REPOSITORY_CONTRACTS, emit, generate};
use crate::check::command::CommandOutput;
use crate::check::{Inputs, analyze};
use crate::report::{HumanStyle, OutputFormat, Report};

/// The options of `codegen`.
#[derive(Debug, Clone, Default)]
pub struct CodegenArgs {
    /// `--contracts` (default `contracts/contracts.yaml`).
    pub contracts: Option<PathBuf>,
    /// `--services`, repeatable (default `contracts/services.toml` when it exists).
    pub services: Vec<PathBuf>,
    /// `--out DIR`: write `DIR/contracts.rs` and `DIR/pools.json` instead of the committed files.
    pub out: Option<PathBuf>,
    /// `--check`: write nothing, exit 1 when a file differs.
    pub check: bool,
}

/// The repository this crate was built from (where the committed generated files live).
pub fn repository_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `path` is the repository's own contracts document, `contracts/contracts.yaml` under
/// `repo_root` (compared after resolving both paths).
pub fn is_repository_contracts(repo_root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(path), std::fs::canonicalize(repo_root.join(REPOSITORY_CONTRACTS))) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Runs `codegen` for the repository at `repo_root`: analyze the contracts (every finding is
/// reported, and an error finding stops generation with exit status 1), generate, then write or
/// check. Exit status 0 when written or fresh, 1 on an error finding or (with `--check`) a stale
/// file, 2 when an input cannot be read, a file cannot be written, or the contracts are not the
/// repository's and no `--out` is given.
pub fn run(args: &CodegenArgs, repo_root: &Path) -> CommandOutput {
    let contracts_path = args.contracts.clone().unwrap_or_else(|| PathBuf::from(crate::check::DEFAULT_CONTRACTS));
    let repository = is_repository_contracts(repo_root, &contracts_path);
    let destination = match &args.out {
        Some(dir) => Destination::Dir(dir),
        None if repository => Destination::Committed(repo_root),
        None => {
            return failure(format!(
                "`{}` is not the repository's contracts: give `--out DIR` to generate code for it",
                contracts_path.display()
            ));
        }
    };
    let inputs = Inputs::from_args(Some(contracts_path.clone()), args.services.clone());
    let analysis = match analyze(&inputs) {
        Ok(a) => a,
        Err(e) => return failure(e.to_string()),
    };
    let Some((contracts, _)) = analysis.valid_contracts() else {
        let report = Report::from_analysis(&analysis);
        return CommandOutput {
            stdout: report.render(OutputFormat::Human, HumanStyle::PLAIN),
            stderr: "error: the contracts have errors; nothing was generated\n".into(),
            code: 1,
            analysis: None,
        };
    };
    // The committed files name the repository's contracts by their repository path, so the
    // output is the same from any current directory.
    let source_name = if repository { REPOSITORY_CONTRACTS.to_string() } else { contracts_path.display().to_string() };
    let generated = match generate(contracts, &Options { source_name }) {
        Ok(g) => g,
        Err(e) => return failure(e.to_string()),
    };
    let emitted = match emit(&generated, destination, args.check) {
        Ok(e) => e,
        Err(e) => return failure(format!("cannot write the generated files: {e}")),
    };
    let mut stderr = String::new();
    let mut stale = false;
    for e in &emitted {
        let shown = e.path.strip_prefix(repo_root).unwrap_or(&e.path).display().to_string();
        let line = match (args.check, e.changed) {
            (true, true) => {
                stale = true;
                format!("error: `{shown}` is not up to date: run `cargo xtask codegen`\n")
            }
            (false, true) => format!("wrote {shown}\n"),
            (_, false) => format!("{shown} is up to date\n"),
        };
        stderr.push_str(&line);
    }
    CommandOutput { stdout: String::new(), stderr, code: if stale { 1 } else { 0 }, analysis: None }
}

fn failure(message: String) -> CommandOutput {
    CommandOutput { stdout: String::new(), stderr: format!("error: {message}\n"), code: 2, analysis: None }
}
