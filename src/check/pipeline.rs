//! The stages of [`analyze`](super::analyze), each a small function: load the inputs, validate
//! the contracts document and build the model from it (on two threads), merge the services of
//! the service-config files, compute the layout, run the semantic rules, and sort the capped
//! findings. The stages hand each other a [`Pipeline`]: the source map, the findings so far and
//! the model as far as it is built.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::build::{self, Built};
use super::findings::Findings;
use super::services::{self, DeclaredService};
use super::source_map::{InDocument, ServiceOrigin, SourceMap};
use super::validate::{self, ErrorPointers};
use super::{Analysis, InputError, Inputs, semantic};
use crate::diagnostic::{Code, Diagnostic};
use crate::load::Document;
use crate::model::{Contracts, Layout};

/// A document as loaded: the document, or the `parse-error` finding about it.
type LoadedDocument = Result<Document, Diagnostic>;

/// Every input, read and loaded.
pub(super) struct Loaded {
    contracts: LoadedDocument,
    services: Vec<LoadedDocument>,
    /// How long loading the contracts document took.
    time: Duration,
}

/// Reads and loads every input. `Err` when one cannot be read at all.
pub(super) fn load(inputs: &Inputs) -> Result<Loaded, InputError> {
    let start = Instant::now();
    let contracts = inputs.contracts.load()?;
    let time = start.elapsed();
    let services = inputs.services.iter().map(|input| input.load()).collect::<Result<_, _>>()?;
    Ok(Loaded { contracts, services, time })
}

/// Runs every stage after loading.
pub(super) fn run(loaded: Loaded) -> Analysis {
    let mut pipeline = Pipeline::new(loaded.time);
    pipeline.add_contracts(loaded.contracts);
    pipeline.validate_and_build();
    pipeline.merge_service_files(loaded.services);
    pipeline.compute_layout();
    pipeline.check_semantics();
    pipeline.finish()
}

/// What the stages hand each other.
struct Pipeline {
    sources: SourceMap,
    findings: Findings,
    /// The model, once built (`None` when the contracts document did not load or is not a
    /// mapping).
    model: Option<Contracts>,
    /// Names of the messages and enums left out of the model.
    invalid_messages: BTreeSet<String>,
    layout: Option<Layout>,
    timings: Timings,
}

impl Pipeline {
    fn new(load_time: Duration) -> Pipeline {
        Pipeline {
            sources: SourceMap::default(),
            findings: Findings::default(),
            model: None,
            invalid_messages: BTreeSet::new(),
            layout: None,
            timings: Timings::start(load_time),
        }
    }

    /// The contracts document joins the source map; a `parse-error` joins the findings.
    fn add_contracts(&mut self, contracts: LoadedDocument) {
        match contracts {
            Ok(doc) => {
                self.sources.add_contracts_document(doc);
            }
            Err(d) => {
                self.findings.push(d);
            }
        }
    }

    /// Validates the contracts document against the schema and builds the model from it. Both
    /// only read the document, so they run on two threads. A part that does not deserialize is
    /// reported only when the schema did not already report something at or inside it.
    fn validate_and_build(&mut self) {
        let Some(doc) = self.sources.in_contracts() else { return };
        let (validated, (built, failures)) = std::thread::scope(|s| {
            let validation = s.spawn(|| validate(doc));
            let built = build::build_model(doc.document());
            match validation.join() {
                Ok(v) => (v, built),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        self.findings.absorb(validated.findings);
        for f in failures.iter().filter(|f| !validated.errors.covers(f.pointer().as_str())) {
            self.findings.extend(f.finding(doc));
        }
        if let Some(built) = built {
            self.adopt(built);
        }
        self.timings.lap("model");
        // The schema ran beside the model, on its own thread.
        self.timings.schema = Some(validated.time);
    }

    /// Takes the model built from the contracts document, and where its parts are.
    fn adopt(&mut self, built: Built) {
        self.model = Some(built.contracts);
        self.sources.set_contracts_pointers(built.pointers);
        self.invalid_messages = built.invalid_messages;
    }

    /// Reads each service-config file (a `parse-error` joins the findings) and merges its
    /// services into the model.
    fn merge_service_files(&mut self, files: Vec<LoadedDocument>) {
        for loaded in files {
            match loaded {
                Ok(doc) => self.merge_service_file(doc),
                Err(d) => {
                    self.findings.push(d);
                }
            }
        }
        self.timings.lap("services");
    }

    fn merge_service_file(&mut self, doc: Document) {
        let document = self.sources.add_service_file(doc);
        let Some(doc) = self.sources.in_document(document) else { return };
        for service in services::read_service_file(doc, &mut self.findings) {
            self.merge_service(document, service);
        }
    }

    /// Adds a service of service-config file `document` to the model, or reports it as
    /// `duplicate-service` when a service of that name is already declared.
    fn merge_service(&mut self, document: usize, service: DeclaredService) {
        let DeclaredService { name, def, pointer } = service;
        if self.sources.service_origin(&name).is_some() {
            let mut d = Diagnostic::error(Code::DuplicateService, format!("service `{name}` is declared twice"))
                .with_label("declared again here");
            if let Some(first) = self.sources.service_position(&name) {
                d = d.with_help(format!("first declared in {first}; keep one declaration"));
            }
            if let Some(doc) = self.sources.in_document(document) {
                self.findings.push(doc.at_key(d, &pointer));
            }
            return;
        }
        self.sources.add_service(name.clone(), ServiceOrigin { document, pointer });
        if let Some(c) = &mut self.model {
            c.services.insert(name, def);
        }
    }

    /// Computes the layout of every message of the model.
    fn compute_layout(&mut self) {
        self.layout = self.model.as_ref().map(Layout::compute);
    }

    /// Runs the rules the schema cannot express.
    fn check_semantics(&mut self) {
        let (Some(contracts), Some(layout)) = (&self.model, &self.layout) else { return };
        let cx =
            semantic::Context { contracts, layout, sources: &self.sources, invalid_messages: &self.invalid_messages };
        semantic::check(&cx, &mut self.findings);
    }

    /// The analysis, its findings (capped as they came) sorted.
    fn finish(mut self) -> Analysis {
        let mut diagnostics = self.findings.into_vec();
        sort_diagnostics(&mut diagnostics, self.sources.documents());
        self.timings.lap("semantic");
        Analysis {
            sources: self.sources,
            contracts: self.model,
            #[cfg(feature = "internals")]
            invalid_messages: self.invalid_messages,
            layout: self.layout,
            diagnostics,
            timings: self.timings.into_vec(),
        }
    }
}

/// What the schema validation of the contracts document found.
struct Validated {
    /// Where the schema errors are.
    errors: ErrorPointers,
    findings: Findings,
    time: Duration,
}

/// Validates the contracts document against the schema.
fn validate(doc: InDocument<'_>) -> Validated {
    let start = Instant::now();
    let mut findings = Findings::default();
    let errors = validate::validate(doc, &mut findings);
    Validated { errors, findings, time: start.elapsed() }
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

/// Wall-clock time of each stage, for `MYCELIUM_TIMINGS=1` and the benchmark notes.
struct Timings {
    laps: Vec<(&'static str, Duration)>,
    clock: Instant,
    /// Schema validation, which runs beside building the model.
    schema: Option<Duration>,
}

impl Timings {
    /// Starts the clock, after loading took `load`.
    fn start(load: Duration) -> Timings {
        Timings { laps: vec![("load", load)], clock: Instant::now(), schema: None }
    }

    /// Ends the lap of `stage`.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.clock));
        self.clock = now;
    }

    /// `load`, the laps in order, then `schema`.
    fn into_vec(mut self) -> Vec<(&'static str, Duration)> {
        self.laps.extend(self.schema.map(|t| ("schema", t)));
        self.laps
    }
}
