//! Build-time generation (feature `build`), as prost-build does it: a build script checks the
//! contracts and writes `contracts.rs` and `pools.json` to `OUT_DIR`.
//!
//! ```toml
//! [build-dependencies]
//! mycelium-contracts = { version = "0.1", default-features = false, features = ["build"] }
//! ```
//!
//! ```no_run
//! // build.rs, in `fn main()`
//! if let Err(e) = mycelium_contracts::build::Builder::new().compile() {
//!     panic!("{e}");
//! }
//! ```
//!
//! ```text
//! // src/lib.rs
//! pub mod contracts {
//!     include!(concat!(env!("OUT_DIR"), "/contracts.rs"));
//! }
//! ```
//!
//! The paths come from the repository's configuration (the `[workspace.metadata.mycelium-contracts]`
//! or `[package.metadata.mycelium-contracts]` table of its `Cargo.toml`) found from the package's directory, unless set on the builder. Cargo
//! re-runs the script when the contracts, a service-config file or the configuration change.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::check::{Inputs, analyze};
pub use crate::codegen::Serde;
use crate::codegen::{emit, generate};
use crate::config::Config;
use crate::report::{HumanStyle, OutputFormat, Report};

/// Checks the contracts and generates code for a build script.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    contracts: Option<PathBuf>,
    services: Option<Vec<PathBuf>>,
    out_dir: Option<PathBuf>,
    serde: Option<Serde>,
    manifest_dir: Option<PathBuf>,
    cargo_instructions: Option<bool>,
}

/// Why [`Builder::compile`] failed. `Display` gives the whole story: the rendered diagnostics of
/// the contracts, or the file that could not be read or written.
#[derive(Debug)]
pub struct BuildError {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    Config(crate::config::ConfigError),
    NoOutDir,
    Input(String),
    Findings(String),
    Codegen(crate::codegen::CodegenError),
    Write(PathBuf, std::io::Error),
}

impl BuildError {
    /// Whether the contracts have error findings (as opposed to a file that could not be read or
    /// written, or a missing `OUT_DIR`).
    pub fn is_findings(&self) -> bool {
        matches!(self.kind, ErrorKind::Findings(_))
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Config(e) => write!(f, "{e}"),
            ErrorKind::NoOutDir => f.write_str("OUT_DIR is not set: run from a build script or set `out_dir`"),
            ErrorKind::Input(e) => f.write_str(e),
            ErrorKind::Findings(report) => write!(f, "the contracts have errors; nothing was generated\n\n{report}"),
            ErrorKind::Codegen(e) => write!(f, "{e}"),
            ErrorKind::Write(path, e) => write!(f, "cannot write `{}`: {e}", path.display()),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Config(e) => Some(e),
            ErrorKind::Codegen(e) => Some(e),
            ErrorKind::Write(_, e) => Some(e),
            _ => None,
        }
    }
}

impl Builder {
    /// A builder that takes everything from the configuration.
    pub fn new() -> Self {
        Builder::default()
    }

    /// The contracts document (relative paths: from the package's directory).
    pub fn contracts(mut self, path: impl Into<PathBuf>) -> Self {
        self.contracts = Some(path.into());
        self
    }

    /// Adds a service-config file (relative paths: from the package's directory). Once one is
    /// added, the configured ones are not read.
    pub fn services(mut self, path: impl Into<PathBuf>) -> Self {
        self.services.get_or_insert_with(Vec::new).push(path.into());
        self
    }

    /// Where to write `contracts.rs` and `pools.json` (default `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// serde derives on the generated types (default: the configuration's `serde`, else none).
    pub fn serde(mut self, serde: Serde) -> Self {
        self.serde = Some(serde);
        self
    }

    /// The directory the configuration is searched from and relative paths are taken from
    /// (default `CARGO_MANIFEST_DIR`, else the current directory).
    pub fn manifest_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.manifest_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` and `cargo:warning` lines (default: when run by
    /// cargo, i.e. when `OUT_DIR` is set).
    pub fn emit_cargo_instructions(mut self, emit: bool) -> Self {
        self.cargo_instructions = Some(emit);
        self
    }

    /// Checks the contracts, then writes `contracts.rs` and `pools.json` (only files whose
    /// content changes are touched). Error findings fail with the rendered diagnostics; warnings
    /// become cargo warnings. Returns the directory written to.
    pub fn compile(self) -> Result<PathBuf, BuildError> {
        let mut instructions = Vec::new();
        let result = self.compile_into(&mut instructions);
        for line in instructions {
            println!("{line}");
        }
        result
    }

    /// [`Builder::compile`], with the cargo instructions collected in `instructions` instead of
    /// printed (even when they fail, so cargo re-runs the script once an input is fixed).
    fn compile_into(self, instructions: &mut Vec<String>) -> Result<PathBuf, BuildError> {
        let err = |kind| BuildError { kind };
        let dir = match &self.manifest_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("CARGO_MANIFEST_DIR")
                .map(PathBuf::from)
                .or_else(|| std::env::current_dir().ok())
                .unwrap_or_default(),
        };
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        let config = Config::discover(&dir).map_err(|e| err(ErrorKind::Config(e)))?;
        // Without a table, the defaults are relative to the package, not the current directory.
        let config = if config.manifest.is_some() { config } else { Config::rooted(dir.clone()) };
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or_else(|| err(ErrorKind::NoOutDir))?;
        let cargo = self.cargo_instructions.unwrap_or_else(|| std::env::var_os("OUT_DIR").is_some());

        let contracts = self.contracts.as_ref().map_or_else(|| config.contracts.clone(), |p| dir.join(p));
        let services: Vec<PathBuf> = match &self.services {
            Some(list) => list.iter().map(|p| dir.join(p)).collect(),
            None => config.services_or(&[]).into_iter().map(|p| std::path::absolute(&p).unwrap_or(p)).collect(),
        };
        if cargo {
            let mut watched: Vec<&Path> = vec![&contracts];
            watched.extend(services.iter().map(PathBuf::as_path));
            if let Some(m) = &config.manifest {
                watched.push(m);
            }
            // Without configured or given service files, creating the default one changes the
            // output: watch its directory.
            let default_services = config.root.join(crate::config::DEFAULT_SERVICES);
            if config.services.is_none() && self.services.is_none() && !default_services.is_file() {
                watched.extend(default_services.parent().filter(|d| d.is_dir()));
            }
            for path in watched {
                instructions.push(format!("cargo:rerun-if-changed={}", path.display()));
            }
        }

        let inputs = Inputs::configured(&config, Some(&contracts), &services);
        let analysis = analyze(&inputs).map_err(|e| err(ErrorKind::Input(e.to_string())))?;
        let report = Report::from_analysis(&analysis);
        let Some((valid, _)) = analysis.valid_contracts() else {
            return Err(err(ErrorKind::Findings(report.render(OutputFormat::Human, HumanStyle::PLAIN))));
        };
        if cargo {
            for d in analysis.diagnostics.iter().filter(|d| d.severity != crate::diagnostic::Severity::Error) {
                let at = d.location.as_ref().map(|l| format!("{}:{}:{}: ", l.source.name(), l.line, l.column));
                instructions.push(format!(
                    "cargo:warning={}{} [{}]",
                    at.unwrap_or_default(),
                    d.message.replace('\n', " "),
                    d.code.as_str()
                ));
            }
        }
        let mut options = config.codegen_options(&contracts);
        if let Some(serde) = self.serde {
            options.serde = serde;
        }
        let generated = generate(valid, &options).map_err(|e| err(ErrorKind::Codegen(e)))?;
        emit(&generated, &out_dir, false).map_err(|e| err(ErrorKind::Write(out_dir.clone(), e)))?;
        Ok(out_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const CONTRACTS: &str =
        "version: 1.0.0\nmessages:\n  - name: Ping\n    type_id: 1\n    fields:\n      - { name: seq, type: u64 }\n";

    #[test]
    fn writes_both_files_from_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[package]\nname = \"a\"\n[package.metadata.mycelium-contracts]\ncontracts = \"idl/c.yaml\"\nserde = true\n",
        );
        write(dir.path(), "idl/c.yaml", CONTRACTS);
        write(dir.path(), "contracts/services.toml", "[service.pinger]\nmessages = [\"Ping\"]\n");
        let out = dir.path().join("out");
        let written =
            Builder::new().manifest_dir(dir.path()).out_dir(&out).emit_cargo_instructions(false).compile().unwrap();
        assert_eq!(written, out);
        let rs = std::fs::read_to_string(out.join("contracts.rs")).unwrap();
        assert!(rs.starts_with("// @generated by mycelium-contracts from `idl/c.yaml`"), "{rs}");
        assert!(rs.contains("#[derive(::serde::Serialize, ::serde::Deserialize)]"), "{rs}");
        assert!(!rs.contains("//!"), "an inner doc comment breaks include!");
        let pools = std::fs::read_to_string(out.join("pools.json")).unwrap();
        assert!(pools.contains("\"pinger\""), "the default service file is read: {pools}");
    }

    #[test]
    fn cargo_reruns_the_script_when_an_input_or_the_configuration_changes() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[package]\nname = \"a\"\n[package.metadata.mycelium-contracts]\nservices = [\"s.toml\"]\n",
        );
        write(dir.path(), "contracts/contracts.yaml", CONTRACTS);
        write(dir.path(), "s.toml", "[service.pinger]\nmessages = [\"Ping\"]\n");
        let mut lines = Vec::new();
        let builder = Builder::new().manifest_dir(dir.path()).out_dir(dir.path().join("out"));
        builder.emit_cargo_instructions(true).compile_into(&mut lines).unwrap();
        let root = std::path::absolute(dir.path()).unwrap();
        let expected: Vec<String> = ["contracts/contracts.yaml", "s.toml", "Cargo.toml"]
            .iter()
            .map(|f| format!("cargo:rerun-if-changed={}", root.join(f).display()))
            .collect();
        assert_eq!(lines[..3], expected[..], "{lines:#?}");

        // Without service files, the directory where the default one would appear is watched.
        write(dir.path(), "Cargo.toml", "[package]\nname = \"a\"\n");
        let mut lines = Vec::new();
        let builder = Builder::new().manifest_dir(dir.path()).out_dir(dir.path().join("out"));
        builder.emit_cargo_instructions(true).compile_into(&mut lines).unwrap();
        assert!(lines.contains(&format!("cargo:rerun-if-changed={}", root.join("contracts").display())), "{lines:#?}");
    }

    #[test]
    fn error_findings_fail_with_the_rendered_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.toml", "[package]\nname = \"a\"\n");
        write(dir.path(), "contracts/contracts.yaml", &CONTRACTS.replace("u64", "u46"));
        let out = dir.path().join("out");
        let e = Builder::new().manifest_dir(dir.path()).out_dir(&out).serde(Serde::None).compile().unwrap_err();
        assert!(e.is_findings());
        let text = e.to_string();
        assert!(text.contains("unknown-type") && text.contains("u46") && text.contains(":6:"), "{text}");
        assert!(!out.exists(), "nothing is written");

        let e = Builder::new().manifest_dir(dir.path()).contracts("nope.yaml").out_dir(&out).compile().unwrap_err();
        assert!(!e.is_findings());
        assert!(e.to_string().contains("nope.yaml"), "{e}");
    }
}
