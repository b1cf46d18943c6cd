//! `cargo xtask`: the contract checker, code generator and schema writer.
//!
//! Argument parsing only: the commands live in the library (`mycelium_contracts::check`,
//! `mycelium_contracts::schema`) so tests run them in-process.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mycelium_contracts::check::command::{self, Base, CheckArgs};
use mycelium_contracts::report::{HumanStyle, OutputFormat};
use mycelium_contracts::{codegen, schema};

#[derive(Parser, Debug)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Contract checker and code generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Checks the contracts: JSON Schema, semantic rules, compatibility with a base.
    CheckContracts {
        /// The contracts document (YAML, JSON or TOML) [default: contracts/contracts.yaml].
        #[arg(long, value_name = "PATH")]
        contracts: Option<PathBuf>,
        /// A service-config file with `[service.NAME]` tables; repeatable
        /// [default: contracts/services.toml when it exists].
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
    /// Generates the message types and pool configs (`src/generated/`), or checks they are fresh.
    Codegen {
        /// The contracts document (YAML, JSON or TOML) [default: contracts/contracts.yaml].
        #[arg(long, value_name = "PATH")]
        contracts: Option<PathBuf>,
        /// A service-config file with `[service.NAME]` tables; repeatable
        /// [default: contracts/services.toml when it exists].
        #[arg(long = "services", value_name = "PATH")]
        services: Vec<PathBuf>,
        /// Write `DIR/contracts.rs` and `DIR/pools.json` instead of the committed files.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 when a generated file differs.
        #[arg(long)]
        check: bool,
    },
    /// Prints a stream of frames (a file, or standard input) as JSON lines, one per frame.
    Decode {
        /// The contracts document (YAML, JSON or TOML) [default: contracts/contracts.yaml].
        #[arg(long, value_name = "PATH")]
        contracts: Option<PathBuf>,
        /// A service-config file with `[service.NAME]` tables; repeatable
        /// [default: contracts/services.toml when it exists].
        #[arg(long = "services", value_name = "PATH")]
        services: Vec<PathBuf>,
        /// Accept only the frame types this service handles (others are error lines).
        #[arg(long, value_name = "NAME")]
        service: Option<String>,
        /// The frame stream [default: standard input].
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Writes `schema/contracts.schema.json` from the Rust model, or checks it is fresh.
    Schema {
        /// Write nothing; exit 1 when the committed file differs.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
    Markdown,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::CheckContracts { list_rules: true, .. } => {
            print!("{}", mycelium_contracts::compat::rules::list());
            ExitCode::SUCCESS
        }
        Command::CheckContracts { explain: Some(code), .. } => {
            match mycelium_contracts::compat::rules::explain(&code) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::CheckContracts { contracts, services, base, base_file, format, .. } => {
            let base = match (base, base_file) {
                (Some(rev), _) => Some(Base::Rev(rev)),
                (None, Some(path)) => Some(Base::File(path)),
                (None, None) => None,
            };
            let format = match format {
                Format::Human => OutputFormat::Human,
                Format::Json => OutputFormat::Json,
                Format::Github => OutputFormat::Github,
                Format::Markdown => OutputFormat::Markdown,
            };
            let style = HumanStyle::detect(std::io::stdout().is_terminal());
            let out = command::run(&CheckArgs { contracts, services, base, format, style });
            // A closed pipe (`| head`) is not worth a panic: ignore write errors.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.stdout.as_bytes());
            let _ = stdout.flush();
            let _ = std::io::stderr().write_all(out.stderr.as_bytes());
            // Exit without dropping the analysis: the OS frees it at once, while dropping the
            // value tree of a large contract one node at a time takes about a tenth of the run.
            std::process::exit(i32::from(out.code))
        }
        Command::Codegen { contracts, services, out, check } => {
            let args = codegen::command::CodegenArgs { contracts, services, out, check };
            let out = codegen::command::run(&args, &repo_root());
            let _ = std::io::stdout().write_all(out.stdout.as_bytes());
            let _ = std::io::stderr().write_all(out.stderr.as_bytes());
            ExitCode::from(out.code)
        }
        Command::Decode { contracts, services, service, file } => {
            let args = mycelium_contracts::dynamic::command::DecodeArgs { contracts, services, service, file };
            let stdin = std::io::stdin().lock();
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let mut stderr = std::io::stderr().lock();
            let code = mycelium_contracts::dynamic::command::run(&args, stdin, &mut stdout, &mut stderr);
            let _ = stdout.flush();
            ExitCode::from(code)
        }
        Command::Schema { check } => run_schema(check),
    }
}

fn run_schema(check: bool) -> ExitCode {
    let root = repo_root();
    let mode = if check { schema::Mode::Check } else { schema::Mode::Write };
    match schema::ensure_schema(&root, mode) {
        Ok(schema::Outcome::UpToDate) => {
            eprintln!("{} is up to date", schema::SCHEMA_PATH);
            ExitCode::SUCCESS
        }
        Ok(schema::Outcome::Updated) => {
            eprintln!("wrote {}", schema::SCHEMA_PATH);
            ExitCode::SUCCESS
        }
        Err(e @ schema::EnsureError::Stale { .. }) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The repository root: the parent of the xtask crate's directory.
fn repo_root() -> PathBuf {
    let xtask_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}
