//! The command line (feature `cli`): the binary `mycelium-contracts` and a repository's
//! one-line xtask run the same commands with the same flags, output and exit codes.
//!
//! ```no_run
//! // xtask/src/main.rs
//! fn main() -> std::process::ExitCode {
//!     mycelium_contracts::cli::main()
//! }
//! ```
//!
//! The command line reads the repository's configuration (the
//! `[workspace.metadata.mycelium-contracts]` or `[package.metadata.mycelium-contracts]` table)
//! once, from the first `Cargo.toml` above the current directory that has one; flags override it.
//! The commands, their flags, output and exit codes are in the repository's
//! `docs/reference/command-line.md`.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::command::check::{Base, CheckArgs};
use crate::command::codegen::CodegenArgs;
use crate::command::decode::DecodeArgs;
use crate::command::schema::SchemaArgs;
use crate::command::{self, CommandOutput};
use crate::config::Config;
use crate::report::{HumanStyle, OutputFormat};

/// The command line.
#[derive(Parser, Debug)]
#[command(about = "Contract checker and code generator for fixed-layout TLV messages", version)]
pub(crate) struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Checks the contracts: JSON Schema, semantic rules, freshness of the generated files,
    /// compatibility with a base.
    CheckContracts {
        /// The contracts document (YAML, JSON or TOML) [default: the configured contracts, else
        /// contracts/contracts.yaml].
        #[arg(long, value_name = "PATH")]
        contracts: Option<PathBuf>,
        /// A service-config file with `[service.NAME]` tables; repeatable [default: the
        /// configured files, else contracts/services.toml when it exists].
        #[arg(long = "services", value_name = "PATH")]
        services: Vec<PathBuf>,
        /// Compare with the same files at this git revision.
        #[arg(long, value_name = "GIT_REV", conflicts_with = "base_file")]
        base: Option<String>,
        /// Compare with this contracts document.
        #[arg(long, value_name = "PATH")]
        base_file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print the catalogue of compatibility rules and exit.
        #[arg(long, conflicts_with = "explain")]
        list_rules: bool,
        /// Print one compatibility rule in full (`--explain size-class-grew`) and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
    },
    /// Generates the message types and pool configs into the configured `generated` directory
    /// (or `--out DIR`), or checks they are fresh.
    Codegen {
        /// The contracts document (YAML, JSON or TOML) [default: the configured contracts, else
        /// contracts/contracts.yaml].
        #[arg(long, value_name = "PATH")]
        contracts: Option<PathBuf>,
        /// A service-config file with `[service.NAME]` tables; repeatable [default: the
        /// configured files, else contracts/services.toml when it exists].
        #[arg(long = "services", value_name = "PATH")]
        services: Vec<PathBuf>,
        /// Write `DIR/contracts.rs` and `DIR/pools.json` instead of the configured place.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 when a generated file differs.
        #[arg(long)]
        check: bool,
    },
    /// Prints a stream of frames (a file, or standard input) as JSON lines, one per frame,
    /// decoded with the contracts read at run time.
    Decode {
        /// The contracts document (YAML, JSON or TOML) [default: the configured contracts, else
        /// contracts/contracts.yaml].
        #[arg(long, value_name = "PATH")]
        contracts: Option<PathBuf>,
        /// A service-config file with `[service.NAME]` tables; repeatable [default: the
        /// configured files, else contracts/services.toml when it exists].
        #[arg(long = "services", value_name = "PATH")]
        services: Vec<PathBuf>,
        /// Accept only the frame types this service handles (others are error lines).
        #[arg(long, value_name = "NAME")]
        service: Option<String>,
        /// The frame stream [default: standard input].
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Writes the JSON Schemas of contracts documents and service-config files (for editors),
    /// or checks they are fresh.
    Schema {
        /// Write `DIR/contracts.schema.json` and `DIR/services.schema.json` [default: the
        /// configured `schema` directory, else schema].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 when a schema file differs.
        #[arg(long)]
        check: bool,
    },
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Rendered diagnostics with source snippets.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A Markdown report (for a job summary or a pull-request comment).
    Markdown,
}

impl From<Format> for OutputFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Human => OutputFormat::Human,
            Format::Json => OutputFormat::Json,
            Format::Github => OutputFormat::Github,
            Format::Markdown => OutputFormat::Markdown,
        }
    }
}

/// Runs the command line of this process: the entry point of the `mycelium-contracts` binary
/// and of a one-line xtask. Help and messages name the program as the user runs it: `cargo
/// xtask` when the executable is called `xtask`, else the executable's name.
pub fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    run(&program_name(Path::new(&argv0)), args)
}

/// How a user runs the executable at `argv0`: `cargo xtask` for an xtask, else its file name.
pub(crate) fn program_name(argv0: &Path) -> String {
    match argv0.file_stem().and_then(|s| s.to_str()) {
        Some("xtask") => "cargo xtask".to_string(),
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => "mycelium-contracts".to_string(),
    }
}

/// Parses `args` (without the program name) and runs the command; `program` is how the user
/// runs it (`cargo xtask`, `mycelium-contracts`), for help and messages. Exit status 2 for bad
/// arguments, as for any failure to do the job.
pub fn run(program: &str, args: impl IntoIterator<Item = OsString>) -> ExitCode {
    // clap names a command with a `'static` string; the program runs one command line.
    let name: &'static str = program.to_string().leak();
    let command = Cli::command().name(name).bin_name(name);
    let argv = std::iter::once(OsString::from(program)).chain(args);
    let cli = match command.try_get_matches_from(argv).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let config = match Config::from_current_dir() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::CheckContracts { list_rules: true, .. } => {
            print_out(&crate::compat::rules::list());
            ExitCode::SUCCESS
        }
        Command::CheckContracts { explain: Some(code), .. } => match crate::compat::rules::explain(&code) {
            Ok(text) => {
                print_out(&text);
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::CheckContracts { contracts, services, base, base_file, format, .. } => {
            let base = match (base, base_file) {
                (Some(rev), _) => Some(Base::Rev(rev)),
                (None, Some(path)) => Some(Base::File(path)),
                (None, None) => None,
            };
            let style = HumanStyle::detect(std::io::stdout().is_terminal());
            let args =
                CheckArgs { contracts, services, base, format: format.into(), style, program: program.to_string() };
            let out = command::check::run(&args, &config);
            let code = print(&out);
            // Exit without dropping the analysis: the OS frees it at once, while dropping the
            // value tree of a large contract one node at a time takes about a tenth of the run.
            std::process::exit(i32::from(code))
        }
        Command::Codegen { contracts, services, out, check } => {
            let args = CodegenArgs { contracts, services, out, check, program: program.to_string() };
            ExitCode::from(print(&command::codegen::run(&args, &config)))
        }
        Command::Decode { contracts, services, service, file } => {
            let args = DecodeArgs { contracts, services, service, file };
            let stdin = std::io::stdin().lock();
            // Buffered: `decode` flushes before every read that may wait, so a live stream's
            // lines still come out as their frames arrive.
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let mut stderr = std::io::stderr().lock();
            let code = command::decode::run(&args, &config, stdin, &mut stdout, &mut stderr);
            let _ = std::io::Write::flush(&mut stdout);
            ExitCode::from(code)
        }
        Command::Schema { out, check } => {
            let args = SchemaArgs { out, check, program: program.to_string() };
            ExitCode::from(print(&command::schema::run(&args, &config)))
        }
    }
}

/// Prints a command's output; a closed pipe (`| head`) is not worth a panic, so write errors
/// are ignored. Returns the exit status.
fn print(out: &CommandOutput) -> u8 {
    print_out(&out.stdout);
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    out.code
}

fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_is_named_as_the_user_runs_it() {
        assert_eq!(program_name(Path::new("/r/target/release/xtask")), "cargo xtask");
        assert_eq!(program_name(Path::new("/usr/bin/mycelium-contracts")), "mycelium-contracts");
        assert_eq!(program_name(Path::new("")), "mycelium-contracts");
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
