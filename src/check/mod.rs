//! The contract checks: JSON Schema validation and the semantic rules (`docs/reference/diagnostics.md`).
//!
//! [`analyze`] is the whole pipeline of `cargo xtask check-contracts` short of rendering:
//! read and load the contracts document and the service-config files, validate the document
//! against the generated JSON Schema, build the [`Contracts`] model from every part that is
//! valid, merge the services of all files, compute the [`Layout`] and run the semantic checks.
//! The compatibility check runs the same pipeline on a base revision and diffs the two
//! [`Analysis`] values; the code generator reads [`Analysis::valid_contracts`].
//!
//! Architecture invariants:
//!
//! * Analysis never stops at the first finding. Schema errors do not hide semantic findings:
//!   the model is built message by message and service by service, and a message that does not
//!   deserialize is left out of the model (it already has its `schema-violation`), while every
//!   other message is still checked.
//! * Every finding is located through the loader's span index by JSON pointer, so YAML, JSON
//!   and TOML documents give the same precision.
//! * Only unreadable inputs (a missing file) are an `Err`; everything about the contents is a
//!   [`Diagnostic`].

mod findings;
mod semantic;
mod services;
pub(crate) mod suggest;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use findings::Findings;
pub(crate) use findings::cut as cut_text;
pub use findings::{MAX_FINDINGS_PER_CODE, MAX_TEXT};

use crate::diagnostic::{Code, Diagnostic, Location, Severity};
use crate::load::{self, Document};
use crate::model::{Contracts, EnumDef, Layout, MessageDef, ServiceDef};
use crate::source::SourceFile;

pub use suggest::{did_you_mean, suggestion_help};

/// Default contracts document, relative to the current directory.
pub const DEFAULT_CONTRACTS: &str = "contracts/contracts.yaml";
/// Service-config file read by default when it exists, relative to the current directory.
pub const DEFAULT_SERVICES: &str = "contracts/services.toml";

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
    /// The inputs the command line asks for: `contracts` or [`DEFAULT_CONTRACTS`], and the
    /// `services` files, or [`DEFAULT_SERVICES`] when none is given and it exists. Relative
    /// paths are taken from the current directory.
    pub fn from_args(contracts: Option<PathBuf>, services: Vec<PathBuf>) -> Self {
        let contracts = Input::Path(contracts.unwrap_or_else(|| PathBuf::from(DEFAULT_CONTRACTS)));
        let services = if services.is_empty() {
            let default = Path::new(DEFAULT_SERVICES);
            if default.is_file() { vec![Input::Path(default.to_path_buf())] } else { Vec::new() }
        } else {
            services.into_iter().map(Input::Path).collect()
        };
        Inputs { contracts, services }
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

    /// Only a contracts document, no service-config files.
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

/// Where a service was declared: which document and the JSON pointer of its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOrigin {
    /// Index into [`Analysis::documents`].
    pub document: usize,
    /// JSON pointer of the service's table (`/services/polygon-adapter`,
    /// `/service/polygon-adapter`).
    pub pointer: String,
}

/// The result of [`analyze`]: the loaded documents, the model built from their valid parts,
/// the layout and every finding.
#[derive(Debug)]
pub struct Analysis {
    /// Every document that parsed: the contracts document first (when it parsed), then the
    /// service-config files in order.
    pub documents: Vec<Document>,
    /// Index in [`Analysis::documents`] of the contracts document, `None` when it did not parse.
    pub contracts_document: Option<usize>,
    /// The model built from every valid part, with the services of all files merged in; `None`
    /// when the contracts document did not parse or is not a mapping. Messages that do not
    /// match the schema are left out (see [`Analysis::message_pointers`]).
    pub contracts: Option<Contracts>,
    /// For each message of [`Analysis::contracts`], its JSON pointer in the contracts
    /// document (`/messages/3`): indices differ when an invalid message was left out.
    pub message_pointers: Vec<String>,
    /// For each enum of [`Analysis::contracts`], its JSON pointer in the contracts document.
    pub enum_pointers: Vec<String>,
    /// Names of the messages and enums left out of [`Analysis::contracts`] because they do not
    /// match the schema: they exist, so naming them is not `unknown-message` or `unknown-type`.
    pub invalid_messages: BTreeSet<String>,
    /// Where each service of [`Analysis::contracts`] was (first) declared.
    pub service_origins: BTreeMap<String, ServiceOrigin>,
    /// Layouts of the messages of [`Analysis::contracts`].
    pub layout: Option<Layout>,
    /// Every finding, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall-clock time of each stage (`load`, `schema`, `model`, `services`, `semantic`), for
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
        self.documents.get(self.contracts_document?)
    }

    /// The contracts document's source file (also when it did not parse: then from the
    /// `parse-error` finding).
    pub fn contracts_source(&self) -> Option<&Arc<SourceFile>> {
        match self.contracts_doc() {
            Some(d) => Some(&d.source),
            None => self.diagnostics.iter().find_map(|d| d.location.as_ref().map(|l| &l.source)),
        }
    }

    /// The location of JSON pointer `pointer` in document `document` (the value; for a
    /// mapping or a sequence, only the first line of it).
    pub fn locate(&self, document: usize, pointer: &str) -> Option<Location> {
        let doc = self.documents.get(document)?;
        Some(Location::new(&doc.source, first_line(&doc.source, doc.spans.locate(pointer))))
    }

    /// The location of `suffix` (`""`, `/type_id`, `/fields/2/type`) inside message `index`
    /// of [`Analysis::contracts`].
    pub fn locate_message(&self, index: usize, suffix: &str) -> Option<Location> {
        let ptr = self.message_pointers.get(index)?;
        self.locate(self.contracts_document?, &format!("{ptr}{suffix}"))
    }

    /// The location of `suffix` (`""`, `/type`, `/values/Buy`) inside enum `index` of
    /// [`Analysis::contracts`].
    pub fn locate_enum(&self, index: usize, suffix: &str) -> Option<Location> {
        let ptr = self.enum_pointers.get(index)?;
        self.locate(self.contracts_document?, &format!("{ptr}{suffix}"))
    }

    /// The location of `suffix` (`""`, `/messages/1`, `/buffer_pool_enabled`) inside the
    /// declaration of service `name`. With an empty suffix: the service's name (the key).
    pub fn locate_service(&self, name: &str, suffix: &str) -> Option<Location> {
        let origin = self.service_origins.get(name)?;
        let doc = self.documents.get(origin.document)?;
        let span = if suffix.is_empty() {
            doc.spans.key(&origin.pointer).unwrap_or_else(|| doc.spans.locate(&origin.pointer))
        } else {
            doc.spans.locate(&format!("{}{suffix}", origin.pointer))
        };
        Some(Location::new(&doc.source, first_line(&doc.source, span)))
    }

    /// The contract `version`, when the document has a string there.
    pub fn version(&self) -> Option<&str> {
        self.contracts_doc()?.value.get("version")?.as_str()
    }
}

/// Cuts a span that covers several lines (a whole mapping) to its first line, so a label sits
/// under one line of source.
pub(crate) fn first_line(source: &SourceFile, span: Range<usize>) -> Range<usize> {
    let text = source.slice(span.clone());
    match text.find('\n') {
        Some(nl) => {
            let cut = text[..nl].trim_end_matches('\r').trim_end();
            span.start..span.start + cut.len().max(1).min(text.len())
        }
        None => span,
    }
}

/// A finding located at `pointer` of `doc` (first line of the value).
pub(crate) fn at_value(d: Diagnostic, doc: &Document, pointer: &str) -> Diagnostic {
    let span = first_line(&doc.source, doc.spans.locate(pointer));
    d.at(&doc.source, span)
}

/// A finding located at the key of `pointer` (falling back to the value).
pub(crate) fn at_key(d: Diagnostic, doc: &Document, pointer: &str) -> Diagnostic {
    match doc.spans.key(pointer) {
        Some(span) => d.at(&doc.source, span),
        None => at_value(d, doc, pointer),
    }
}

pub use crate::load::escape_pointer_token;

/// Runs the whole check on `inputs`. `Err` only when an input cannot be read; every problem
/// with the contents is a finding in [`Analysis::diagnostics`].
pub fn analyze(inputs: &Inputs) -> Result<Analysis, InputError> {
    let start = Instant::now();
    let contracts = inputs.contracts.load()?;
    let load_time = start.elapsed();
    let mut service_files = Vec::with_capacity(inputs.services.len());
    for input in &inputs.services {
        service_files.push(input.load()?);
    }
    let mut analysis = analyze_loaded(contracts, service_files);
    analysis.timings.insert(0, ("load", load_time));
    Ok(analysis)
}

fn analyze_loaded(
    contracts: Result<Document, Diagnostic>,
    service_files: Vec<Result<Document, Diagnostic>>,
) -> Analysis {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        let now = Instant::now();
        timings.push((name, now - clock));
        clock = now;
    };
    let mut schema_timing = None;
    let mut diagnostics = Findings::default();
    let mut documents = Vec::new();
    let mut contracts_document = None;
    match contracts {
        Ok(doc) => {
            contracts_document = Some(0);
            documents.push(doc);
        }
        Err(d) => {
            diagnostics.push(d);
        }
    }

    let mut model = None;
    let mut message_pointers = Vec::new();
    let mut enum_pointers = Vec::new();
    let mut invalid_messages = BTreeSet::new();
    let mut service_origins = BTreeMap::new();
    if let Some(doc) = documents.first() {
        // Schema validation and building the model both only read the document: run them on
        // two threads. Parts that do not deserialize are reported only when the schema did not
        // already report something at or inside them.
        let ((schema_errors, schema_diagnostics, schema_time), (built, failures)) = std::thread::scope(|s| {
            let validation = s.spawn(|| {
                let start = Instant::now();
                let mut found = Findings::default();
                let errors = validate::validate(doc, &mut found);
                (errors, found, start.elapsed())
            });
            let built = build_model(doc);
            match validation.join() {
                Ok(v) => (v, built),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        diagnostics.absorb(schema_diagnostics);
        for f in failures.iter().filter(|f| !schema_errors.covers(&f.pointer())) {
            diagnostics.extend(f.finding(doc));
        }
        if let Some(b) = built {
            model = Some(b.contracts);
            message_pointers = b.pointers;
            enum_pointers = b.enum_pointers;
            invalid_messages = b.invalid_messages;
            service_origins = b.origins;
        }
        lap("model");
        schema_timing = Some(("schema", schema_time));
    }

    for loaded in service_files {
        match loaded {
            Ok(doc) => {
                let index = documents.len();
                let found = services::read_service_file(&doc, &mut diagnostics);
                for (svc, def, pointer) in found {
                    merge_service(
                        &mut model,
                        &mut service_origins,
                        &documents,
                        (&doc, index),
                        svc,
                        def,
                        pointer,
                        &mut diagnostics,
                    );
                }
                documents.push(doc);
            }
            Err(d) => {
                diagnostics.push(d);
            }
        }
    }

    lap("services");
    let layout = model.as_ref().map(Layout::compute);
    if let (Some(c), Some(l)) = (&model, &layout) {
        let cx = semantic::Context {
            contracts: c,
            layout: l,
            documents: &documents,
            contracts_document,
            message_pointers: &message_pointers,
            enum_pointers: &enum_pointers,
            invalid_messages: &invalid_messages,
            service_origins: &service_origins,
        };
        semantic::check(&cx, &mut diagnostics);
    }

    let mut diagnostics = diagnostics.into_vec();
    sort_diagnostics(&mut diagnostics, &documents);
    lap("semantic");
    // The schema ran beside the model, on its own thread.
    timings.extend(schema_timing);
    Analysis {
        documents,
        contracts_document,
        contracts: model,
        message_pointers,
        enum_pointers,
        invalid_messages,
        service_origins,
        layout,
        diagnostics,
        timings,
    }
}

/// Sorts findings by file (in input order: the contracts document first), then position, then
/// code. Findings without a location come last.
fn sort_diagnostics(diagnostics: &mut [Diagnostic], documents: &[Document]) {
    let file_rank = |d: &Diagnostic| match &d.location {
        Some(l) => documents.iter().position(|doc| Arc::ptr_eq(&doc.source, &l.source)).unwrap_or(documents.len()),
        None => usize::MAX,
    };
    diagnostics.sort_by(|a, b| {
        (file_rank(a), a.sort_key()).cmp(&(file_rank(b), b.sort_key())).then_with(|| a.message.cmp(&b.message))
    });
}

/// The model and where its parts come from.
struct Built {
    contracts: Contracts,
    pointers: Vec<String>,
    enum_pointers: Vec<String>,
    invalid_messages: BTreeSet<String>,
    origins: BTreeMap<String, ServiceOrigin>,
}

/// A part of the document that does not deserialize: a message by index, a service by name.
/// Kept this small (no text) because a hostile document can have hundreds of thousands; the
/// finding is made, by deserializing again, only when the schema did not report the same part.
enum Failure<'a> {
    Enum(usize),
    Message(usize),
    Service(&'a str),
}

impl Failure<'_> {
    fn pointer(&self) -> String {
        match self {
            Failure::Enum(i) => format!("/enums/{i}"),
            Failure::Message(i) => format!("/messages/{i}"),
            Failure::Service(name) => format!("/services/{}", escape_pointer_token(name)),
        }
    }

    /// The finding, located; `None` if the part deserializes after all.
    fn finding(&self, doc: &Document) -> Option<Diagnostic> {
        let ptr = self.pointer();
        let item = doc.value.pointer(&ptr)?;
        let sv = |message: String| {
            let mut message = message;
            findings::cut(&mut message);
            Diagnostic::error(Code::SchemaViolation, message)
        };
        Some(match self {
            Failure::Enum(_) => {
                let e = EnumDef::deserialize(item).err()?;
                at_value(sv(format!("invalid enum: {e}")), doc, &ptr)
            }
            Failure::Message(_) => {
                let e = MessageDef::deserialize(item).err()?;
                at_value(sv(format!("invalid message: {e}")), doc, &ptr)
            }
            Failure::Service(name) => {
                let e = ServiceDef::deserialize(item).err()?;
                at_key(sv(format!("invalid service `{name}`: {e}")), doc, &ptr)
            }
        })
    }
}

/// Parts of the document that do not deserialize.
type Failures<'a> = Vec<Failure<'a>>;

/// Builds the model from the valid parts of the contracts document, message by message and
/// service by service. `None` when the root is not a mapping.
fn build_model(doc: &Document) -> (Option<Built>, Failures<'_>) {
    let mut failures = Vec::new();
    let Some(root) = doc.value.as_object() else { return (None, failures) };
    let version = root.get("version").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut messages = Vec::new();
    let mut pointers = Vec::new();
    let mut invalid_messages = BTreeSet::new();
    let mut enums = Vec::new();
    let mut enum_pointers = Vec::new();
    if let Some(Value::Array(items)) = root.get("enums") {
        for (i, item) in items.iter().enumerate() {
            match EnumDef::deserialize(item) {
                Ok(mut e) => {
                    let pointer = format!("/enums/{i}");
                    in_document_order(&mut e, doc, &pointer);
                    enums.push(e);
                    enum_pointers.push(pointer);
                }
                Err(_) => {
                    if let Some(name) = item.get("name").and_then(Value::as_str) {
                        invalid_messages.insert(name.to_string());
                    }
                    failures.push(Failure::Enum(i));
                }
            }
        }
    }
    if let Some(Value::Array(items)) = root.get("messages") {
        messages.reserve(items.len());
        pointers.reserve(items.len());
        for (i, item) in items.iter().enumerate() {
            match MessageDef::deserialize(item) {
                Ok(m) => {
                    messages.push(m);
                    pointers.push(format!("/messages/{i}"));
                }
                Err(_) => {
                    if let Some(name) = item.get("name").and_then(Value::as_str) {
                        invalid_messages.insert(name.to_string());
                    }
                    failures.push(Failure::Message(i));
                }
            }
        }
    }
    let mut services = BTreeMap::new();
    let mut origins = BTreeMap::new();
    if let Some(Value::Object(map)) = root.get("services") {
        for (name, item) in map {
            if !crate::model::name_len_ok(name) {
                // The schema reports it (`maxLength`); the model never holds such a name.
                failures.push(Failure::Service(name));
                continue;
            }
            match ServiceDef::deserialize(item) {
                Ok(s) => {
                    let pointer = format!("/services/{}", escape_pointer_token(name));
                    services.insert(name.clone(), s);
                    origins.insert(name.clone(), ServiceOrigin { document: 0, pointer });
                }
                Err(_) => failures.push(Failure::Service(name)),
            }
        }
    }
    let contracts = Contracts { version, enums, messages, services };
    (Some(Built { contracts, pointers, enum_pointers, invalid_messages, origins }), failures)
}

/// Puts an enum's values in document order. The loaded value keeps mappings sorted by key;
/// the source positions of the keys give back the order the document wrote them in, which
/// matters: the first value is the enum's default.
fn in_document_order(e: &mut EnumDef, doc: &Document, pointer: &str) {
    let at = |name: &str| {
        let key = format!("{pointer}/values/{}", escape_pointer_token(name));
        doc.spans.key(&key).map_or(usize::MAX, |span| span.start)
    };
    e.values.0.sort_by_cached_key(|v| at(&v.name));
}

/// Adds a service from a service-config file, or reports it as `duplicate-service`.
#[allow(clippy::too_many_arguments)]
fn merge_service(
    model: &mut Option<Contracts>,
    origins: &mut BTreeMap<String, ServiceOrigin>,
    documents: &[Document],
    (doc, index): (&Document, usize),
    name: String,
    def: ServiceDef,
    pointer: String,
    diagnostics: &mut Findings,
) {
    if let Some(first) = origins.get(&name) {
        let mut d = Diagnostic::error(Code::DuplicateService, format!("service `{name}` is declared twice"))
            .with_label("declared again here");
        if let Some(first_doc) = documents.get(first.document) {
            let span = first_doc.spans.key(&first.pointer).unwrap_or_else(|| first_doc.spans.locate(&first.pointer));
            let (line, column) = first_doc.source.line_col(span.start);
            d = d.with_help(format!(
                "first declared in {} at line {line}, column {column}; keep one declaration",
                first_doc.source.name()
            ));
        }
        diagnostics.push(at_key(d, doc, &pointer));
        return;
    }
    origins.insert(name.clone(), ServiceOrigin { document: index, pointer });
    if let Some(c) = model {
        c.services.insert(name, def);
    }
}
