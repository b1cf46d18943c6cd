//! `check-contracts` as a library function, so tests run it in-process and the command line
//! ([`crate::cli`]) only parses arguments and prints.

use std::path::PathBuf;

use super::{Analysis, Inputs, analyze};
use crate::config::Config;
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
    /// The repository's configuration; `None`: discovered from the current directory.
    pub config: Option<Config>,
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
            config: None,
            program: "cargo xtask".into(),
        }
    }
}

/// What a command prints and its exit status.
#[derive(Debug)]
pub struct CommandOutput {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// Exit status: 0 ok, 1 an error finding, 2 the command could not do its job.
    pub code: u8,
    /// The analysis behind the output, when there was one. Handing it back lets a caller look
    /// further, and lets the binary exit without spending a tenth of a large run on freeing it.
    pub analysis: Option<Analysis>,
}

impl CommandOutput {
    pub(crate) fn failure(message: String) -> Self {
        CommandOutput { stdout: String::new(), stderr: format!("error: {message}\n"), code: 2, analysis: None }
    }
}

/// Runs `check-contracts`: analyze, build the report, render it.
pub fn run(args: &CheckArgs) -> CommandOutput {
    let config = match &args.config {
        Some(c) => c.clone(),
        None => match Config::from_current_dir() {
            Ok(c) => c,
            Err(e) => return CommandOutput::failure(e.to_string()),
        },
    };
    let contracts_path = config.contracts_or(args.contracts.as_deref());
    let inputs = Inputs::configured(&config, args.contracts.as_deref(), &args.services);
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
        let stale = crate::codegen::command::stale_findings(&config, &contracts_path, c, &args.program);
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
