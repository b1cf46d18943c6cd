//! `codegen`: analyze the contracts, then write or check the generated files.

use std::path::PathBuf;

use super::CommandOutput;
use crate::check::{Inputs, analyze};
use crate::codegen::{emit, generate};
use crate::config::{Config, TABLE};
use crate::report::{HumanStyle, OutputFormat, Report};

/// The options of `codegen`.
#[derive(Debug, Clone)]
pub struct CodegenArgs {
    /// `--contracts` (default: the configured contracts, else `contracts/contracts.yaml`).
    pub contracts: Option<PathBuf>,
    /// `--services`, repeatable (default: the configured files, else `contracts/services.toml`
    /// when it exists).
    pub services: Vec<PathBuf>,
    /// `--out DIR`: write `DIR/contracts.rs` and `DIR/pools.json` instead of the configured
    /// `generated` directory.
    pub out: Option<PathBuf>,
    /// `--check`: write nothing, exit 1 when a file differs.
    pub check: bool,
    /// How the user runs the tool (`cargo xtask`, `mycelium-contracts`), for messages.
    pub program: String,
}

impl Default for CodegenArgs {
    fn default() -> Self {
        CodegenArgs { contracts: None, services: Vec::new(), out: None, check: false, program: "cargo xtask".into() }
    }
}

/// Runs `codegen` in the repository configured by `config`: analyze the contracts (every
/// finding is reported, and an error finding stops generation with exit status 1), generate,
/// then write or check. The files go to `--out DIR`, or, for the configured contracts, to the
/// configured `generated` directory. Exit status 0 when written or fresh, 1 on an error finding
/// or (with `--check`) a stale file, 2 when an input cannot be read, a file cannot be written,
/// or there is nowhere to write.
pub fn run(args: &CodegenArgs, config: &Config) -> CommandOutput {
    let contracts_path = config.contracts_or(args.contracts.as_deref());
    let configured = config.is_configured_contracts(&contracts_path);
    let dir = match (&args.out, &config.generated) {
        (Some(dir), _) => dir.clone(),
        (None, Some(dir)) if configured => dir.clone(),
        (None, Some(_)) => {
            return CommandOutput::failure(format!(
                "`{}` is not the configured contracts: give `--out DIR` to generate code for it",
                contracts_path.display()
            ));
        }
        (None, None) => {
            return CommandOutput::failure(format!(
                "no place to write the code generated from `{}`: give `--out DIR`, or set `generated` in \
                 `[workspace.metadata.{TABLE}]` of the repository's Cargo.toml",
                contracts_path.display()
            ));
        }
    };
    let inputs = Inputs::configured(config, args.contracts.as_deref(), &args.services);
    let analysis = match analyze(&inputs) {
        Ok(a) => a,
        Err(e) => return CommandOutput::failure(e.to_string()),
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
    // The header names the contracts relative to the configuration's root, so the output is the
    // same from any current directory.
    let generated = match generate(contracts, &config.codegen_options(&contracts_path)) {
        Ok(g) => g,
        Err(e) => return CommandOutput::failure(e.to_string()),
    };
    let emitted = match emit(&generated, &dir, args.check) {
        Ok(e) => e,
        Err(e) => return CommandOutput::failure(format!("cannot write the generated files: {e}")),
    };
    let mut stderr = String::new();
    let mut stale = false;
    for e in &emitted {
        let shown = crate::config::display_path(&e.path).display().to_string();
        let line = match (args.check, e.changed) {
            (true, true) => {
                stale = true;
                format!("error: `{shown}` is not up to date: run `{} codegen`\n", args.program)
            }
            (false, true) => format!("wrote {shown}\n"),
            (_, false) => format!("{shown} is up to date\n"),
        };
        stderr.push_str(&line);
    }
    CommandOutput { stdout: String::new(), stderr, code: if stale { 1 } else { 0 }, analysis: None }
}
