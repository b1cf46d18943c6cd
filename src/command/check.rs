//! `check-contracts`: analyze the contracts, compare with a base, render the report.

use std::path::PathBuf;

use super::CommandOutput;
pub use crate::compat::Base;
use crate::check::{Inputs, analyze};
use crate::config::Config;
use crate::report::{HumanStyle, OutputFormat, Report};

/// The options of `check-contracts`.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// `--contracts` (default: the configured contracts, else `contracts/contracts.yaml`).
    pub contracts: Option<PathBuf>,
    /// `--services`, repeatable (default: the configured files, else `contracts/services.toml`
    /// when it exists).
    pub services: Vec<PathBuf>,
    /// `--base` or `--base-file`.
    pub base: Option<Base>,
    /// `--format`.
    pub format: OutputFormat,
    /// Colors and width of human output.
    pub style: HumanStyle,
    /// How the user runs the tool (`cargo xtask`, `mycelium-contracts`), for messages.
    pub program: String,
}

impl Default for CheckArgs {
    fn default() -> Self {
        CheckArgs {
            contracts: None,
            services: Vec::new(),
            base: None,
            format: OutputFormat::Human,
            style: HumanStyle::PLAIN,
            program: "cargo xtask".into(),
        }
    }
}

/// Runs `check-contracts` in the repository configured by `config`: analyze, compare with the
/// base when one is given, build the report, render it.
pub fn run(args: &CheckArgs, config: &Config) -> CommandOutput {
    let contracts_path = config.contracts_or(args.contracts.as_deref());
    let inputs = Inputs::configured(config, args.contracts.as_deref(), &args.services);
    // The base (when asked for) is read and analyzed on a second thread, at the same time as
    // the new contracts: the two loads dominate the run.
    let (analysis, base) = std::thread::scope(|scope| {
        let base = args.base.as_ref().map(|b| scope.spawn(|| crate::compat::prepare_base(b, &inputs)));
        let analysis = analyze(&inputs);
        let base = base.map(|h| h.join().unwrap_or_else(|_| Err("reading the base failed".to_string())));
        (analysis, base)
    });
    let mut analysis = match analysis {
        Ok(a) => a,
        Err(e) => return CommandOutput::failure(e.to_string()),
    };
    let base = match base.transpose() {
        Ok(b) => b,
        Err(message) => return CommandOutput::failure(message),
    };
    // `generated-stale`: for the configured contracts and generated directory (`docs/reference/command-line.md`).
    if let Some((c, _)) = analysis.valid_contracts() {
        let stale = crate::codegen::stale_findings(config, &contracts_path, c, &args.program);
        analysis.diagnostics.extend(stale);
    }
    let start = std::time::Instant::now();
    let mut report = Report::from_analysis(&analysis);
    if let Some(base) = base {
        crate::compat::compare_with_base(base, &inputs, &analysis, &mut report);
    }
    let stdout = report.render(args.format, args.style);
    let mut timings = analysis.timings.clone();
    timings.push(("report", start.elapsed()));
    let mut stderr = String::new();
    if args.format != OutputFormat::Human {
        for note in &report.notes {
            stderr.push_str(&format!("note: {note}\n"));
        }
    }
    if std::env::var_os("MYCELIUM_TIMINGS").is_some_and(|v| v == "1") {
        for (stage, t) in &timings {
            stderr.push_str(&format!("timing: {stage:<8} {:>8.1} ms\n", t.as_secs_f64() * 1e3));
        }
    }
    CommandOutput { stdout, stderr, code: report.exit_code(), analysis: Some(analysis) }
}
