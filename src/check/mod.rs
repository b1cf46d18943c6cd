//! The contract checks: JSON Schema validation and the semantic rules (`docs/reference/diagnostics.md`).
//!
//! [`analyze`] is the whole pipeline of `cargo xtask check-contracts` short of rendering:
//! read and load the contracts document and the service-config files, validate the document
//! against the generated JSON Schema, build the [`Contracts`] model from every part that is
//! valid, merge the services of all files, compute the [`Layout`] and run the semantic checks.
//! Each stage is a small function (`pipeline.rs`); they hand on the findings so far, the model
//! as far as it is built and the [`SourceMap`]. The compatibility check runs the same pipeline
//! on a base revision and diffs the two [`Analysis`] values; the code generator reads
//! [`Analysis::valid_contracts`].
//!
//! Architecture invariants:
//!
//! * Analysis never stops at the first finding. Schema errors do not hide semantic findings:
//!   the model is built message by message and service by service, and a message that does not
//!   deserialize is left out of the model (it already has its `schema-violation`), while every
//!   other message is still checked.
//! * Every finding is located through the [`SourceMap`]: the documents' span indices, by
//!   [`Pointer`](crate::load::Pointer), and where each part of the model came from. YAML, JSON
//!   and TOML documents give the same precision.
//! * Only unreadable inputs (a missing file) are an `Err`; everything about the contents is a
//!   [`Diagnostic`].

mod build;
mod findings;
mod pipeline;
mod semantic;
mod services;
mod source_map;
pub(crate) mod suggest;
mod validate;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub(crate) use findings::cut as cut_text;
pub use findings::{MAX_FINDINGS_PER_CODE, MAX_TEXT};
pub use source_map::{ServiceOrigin, SourceMap};

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{self, Document};
use crate::model::{Contracts, Layout};
use crate::source::SourceFile;

pub use suggest::{did_you_mean, suggestion_help};


/// One input document: a file on disk, or bytes already in memory (a base revision read with
/// `git show`, a test fixture).
#[derive(Debug, Clone)]
pub enum Input {
    /// A path, read when analyzed; shown in diagnostics as given.
    Path(PathBuf),
    /// In-memory contents; `name` is shown in diagnostics and its extension picks the format.
    Bytes {
        /// Display name (`contracts/contracts.yaml`, `base:contracts/contracts.yaml`).
        name: String,
        /// The raw contents.
        bytes: Vec<u8>,
    },
}

impl Input {
    /// The display name.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Bytes { name, .. } => name.clone(),
        }
    }

    /// Loads the input. `Err` when a path cannot be read at all (missing, a directory);
    /// `Ok(Err(_))` is a `parse-error` finding about the contents.
    fn load(&self) -> Result<Result<Document, Diagnostic>, InputError> {
        match self {
            Input::Path(p) => {
                let error = match std::fs::metadata(p) {
                    Ok(m) if m.is_file() => return Ok(load::load_file(p)),
                    Ok(_) => std::io::Error::other("not a file"),
                    Err(e) => e,
                };
                Err(InputError { name: self.name(), error })
            }
            Input::Bytes { name, bytes } => Ok(load::load_bytes(name, bytes.clone())),
        }
    }
}

/// What to check: the contracts document and the service-config files.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The contracts document (YAML, JSON or TOML by extension).
    pub contracts: Input,
    /// Service-config files (`[service.NAME]` tables), in command-line order.
    pub services: Vec<Input>,
}

impl Inputs {
    /// The inputs the command line asks for without a configuration table (for tests and
    /// benchmarks): those of [`Config::defaults`](crate::config::Config::defaults), relative to
    /// the current directory.
    #[cfg(feature = "internals")]
    pub fn from_args(contracts: Option<PathBuf>, services: Vec<PathBuf>) -> Self {
        Inputs::configured(&crate::config::Config::defaults(), contracts.as_deref(), &services)
    }

    /// The inputs of `config` with the command line's `contracts` and `services` over it
    /// ([`Config::contracts_or`](crate::config::Config::contracts_or),
    /// [`Config::services_or`](crate::config::Config::services_or)).
    pub fn configured(config: &crate::config::Config, contracts: Option<&Path>, services: &[PathBuf]) -> Self {
        Inputs {
            contracts: Input::Path(config.contracts_or(contracts)),
            services: config.services_or(services).into_iter().map(Input::Path).collect(),
        }
    }

    /// Only a contracts document, no service-config files (for tests and benchmarks).
    #[cfg(feature = "internals")]
    pub fn contracts_only(contracts: Input) -> Self {
        Inputs { contracts, services: Vec::new() }
    }
}

/// An input that could not be read at all (the tool cannot do its job: exit status 2).
#[derive(Debug)]
pub struct InputError {
    /// The display name of the input.
    pub name: String,
    /// Why it could not be read.
    pub error: std::io::Error,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read `{}`: {}", self.name, self.error)
    }
}

impl std::error::Error for InputError {}

/// The result of [`analyze`]: the loaded documents, the model built from their valid parts,
/// the layout and every finding.
#[derive(Debug)]
pub struct Analysis {
    /// The documents that parsed (the contracts document first, then the service-config files
    /// in order), and where each message, enum and service of [`Analysis::contracts`] came
    /// from: every location goes through it.
    pub sources: SourceMap,
    /// The model built from every valid part, with the services of all files merged in; `None`
    /// when the contracts document did not parse or is not a mapping. Messages that do not
    /// match the schema are left out (see [`SourceMap::message_pointers`]).
    pub contracts: Option<Contracts>,
    /// Names of the messages and enums left out of [`Analysis::contracts`] because they do not
    /// match the schema: they exist, so naming them is not `unknown-message` or `unknown-type`.
    #[cfg(feature = "internals")]
    pub invalid_messages: BTreeSet<String>,
    /// Layouts of the messages of [`Analysis::contracts`].
    pub layout: Option<Layout>,
    /// Every finding, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall-clock time of each stage (`load`, `model`, `services`, `semantic`, `schema`), for
    /// `MYCELIUM_TIMINGS=1` and the benchmark notes.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Analysis {
    /// Whether no finding is an error.
    pub fn is_ok(&self) -> bool {
        !self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The contracts and layout, only when no finding is an error (what code generation and
    /// the compatibility check need).
    pub fn valid_contracts(&self) -> Option<(&Contracts, &Layout)> {
        if !self.is_ok() {
            return None;
        }
        Some((self.contracts.as_ref()?, self.layout.as_ref()?))
    }

    /// The contracts document, when it parsed.
    pub fn contracts_doc(&self) -> Option<&Document> {
        self.sources.contracts_doc()
    }

    /// The contracts document's source file (also when it did not parse: then from the
    /// `parse-error` finding).
    pub fn contracts_source(&self) -> Option<&Arc<SourceFile>> {
        match self.contracts_doc() {
            Some(d) => Some(&d.source),
            None => self.diagnostics.iter().find_map(|d| d.location.as_ref().map(|l| &l.source)),
        }
    }

    /// The contract `version`, when the document has a string there.
    pub fn version(&self) -> Option<&str> {
        self.contracts_doc()?.value.get("version")?.as_str()
    }
}

/// Runs the whole check on `inputs`. `Err` only when an input cannot be read; every problem
/// with the contents is a finding in [`Analysis::diagnostics`].
pub fn analyze(inputs: &Inputs) -> Result<Analysis, InputError> {
    Ok(pipeline::run(pipeline::load(inputs)?))
}
