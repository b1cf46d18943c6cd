//! The source map: the loaded documents, and where each part of the merged model came from.
//!
//! The model is plain data and carries no positions. The [`SourceMap`] keeps what locating needs
//! beside it: every document that parsed, and for each message, enum and service of the model
//! the document and [`Pointer`] it was read from (indices differ from the document's when an
//! invalid message was left out, and services come from several files). Every location the
//! checks and the compatibility check give goes through it: a value is reported at the first
//! line of its span (a whole mapping would underline many lines), a name at its key.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};
use crate::load::{Document, Pointer};
use crate::source::SourceFile;

/// Where a service was declared: which document and the pointer of its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOrigin {
    /// Index into [`SourceMap::documents`].
    pub document: usize,
    /// Pointer of the service's table (`/services/polygon-adapter`,
    /// `/service/polygon-adapter`).
    pub pointer: Pointer,
}

/// The loaded documents of an analysis, and where each message, enum and service of its model
/// came from.
///
/// Messages and enums are numbered as in the model (`Contracts::messages`,
/// `Contracts::enums`); services are named. Every `locate_*` function gives `None` when there is
/// no such part (or no contracts document).
#[derive(Debug, Default)]
pub struct SourceMap {
    /// Every document that parsed: the contracts document first (when it parsed), then the
    /// service-config files in order.
    documents: Vec<Document>,
    /// Index of the contracts document, `None` when it did not parse.
    contracts: Option<usize>,
    /// For each message of the model, its pointer in the contracts document (`/messages/3`).
    messages: Vec<Pointer>,
    /// For each enum of the model, its pointer in the contracts document (`/enums/0`).
    enums: Vec<Pointer>,
    /// Where each service of the model was (first) declared.
    services: BTreeMap<String, ServiceOrigin>,
}

/// Where the parts of the model built from the contracts document are in it.
#[derive(Debug, Default)]
pub(crate) struct ContractsPointers {
    /// For each message of the model, its pointer.
    pub messages: Vec<Pointer>,
    /// For each enum of the model, its pointer.
    pub enums: Vec<Pointer>,
    /// For each service of the model, the pointer of its table.
    pub services: BTreeMap<String, Pointer>,
}

impl SourceMap {
    /// Adds the contracts document (before any other).
    pub(crate) fn add_contracts_document(&mut self, document: Document) {
        debug_assert!(self.documents.is_empty(), "the contracts document comes first");
        self.contracts = Some(self.documents.len());
        self.documents.push(document);
    }

    /// Adds a service-config file and returns its index in [`SourceMap::documents`].
    pub(crate) fn add_service_file(&mut self, document: Document) -> usize {
        self.documents.push(document);
        self.documents.len() - 1
    }

    /// Records where the messages, enums and services of the model built from the contracts
    /// document are in it.
    pub(crate) fn set_contracts_pointers(&mut self, pointers: ContractsPointers) {
        let Some(document) = self.contracts else { return };
        self.messages = pointers.messages;
        self.enums = pointers.enums;
        self.services =
            pointers.services.into_iter().map(|(name, pointer)| (name, ServiceOrigin { document, pointer })).collect();
    }

    /// Records where a service of a service-config file was declared. A service declared
    /// before keeps its first origin (the caller reports the duplicate).
    pub(crate) fn add_service(&mut self, name: String, origin: ServiceOrigin) {
        self.services.entry(name).or_insert(origin);
    }

    /// Every document that parsed: the contracts document first (when it parsed), then the
    /// service-config files in order.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// Document `index`.
    pub fn document(&self, index: usize) -> Option<&Document> {
        self.documents.get(index)
    }

    /// Index in [`SourceMap::documents`] of the contracts document, `None` when it did not
    /// parse.
    pub fn contracts_index(&self) -> Option<usize> {
        self.contracts
    }

    /// The contracts document, when it parsed.
    pub fn contracts_doc(&self) -> Option<&Document> {
        self.document(self.contracts?)
    }

    /// For each message of the model, its pointer in the contracts document (`/messages/3`).
    #[cfg(feature = "internals")]
    pub fn message_pointers(&self) -> &[Pointer] {
        &self.messages
    }

    /// For each enum of the model, its pointer in the contracts document (`/enums/0`).
    #[cfg(feature = "internals")]
    pub fn enum_pointers(&self) -> &[Pointer] {
        &self.enums
    }

    /// Where service `name` of the model was (first) declared.
    pub fn service_origin(&self, name: &str) -> Option<&ServiceOrigin> {
        self.services.get(name)
    }

    /// Where each service of the model was (first) declared, by name.
    #[cfg(feature = "internals")]
    pub fn service_origins(&self) -> &BTreeMap<String, ServiceOrigin> {
        &self.services
    }

    /// Document `index`, to locate findings in.
    pub(crate) fn in_document(&self, index: usize) -> Option<InDocument<'_>> {
        self.document(index).map(InDocument)
    }

    /// The contracts document, to locate findings in.
    pub(crate) fn in_contracts(&self) -> Option<InDocument<'_>> {
        self.in_document(self.contracts?)
    }

    /// The location of `pointer` in document `document`: the value (or its nearest ancestor
    /// that exists); for a mapping or a sequence, only the first line of it.
    pub fn locate(&self, document: usize, pointer: &Pointer) -> Option<Location> {
        Some(self.in_document(document)?.value_location(pointer))
    }

    /// The location of `suffix` (`/type_id`, `/fields/2/type`; the empty pointer for the
    /// whole) inside message `index` of the model.
    pub fn locate_message(&self, index: usize, suffix: &Pointer) -> Option<Location> {
        let pointer = self.messages.get(index)?;
        Some(self.in_contracts()?.value_location(&pointer.join(suffix)))
    }

    /// The location of `suffix` (`/type`, `/values/Buy`; the empty pointer for the whole)
    /// inside enum `index` of the model.
    pub fn locate_enum(&self, index: usize, suffix: &Pointer) -> Option<Location> {
        let pointer = self.enums.get(index)?;
        Some(self.in_contracts()?.value_location(&pointer.join(suffix)))
    }

    /// The location of `suffix` (`/messages/1`, `/buffer_pool_enabled`) inside the declaration
    /// of service `name`, in whichever file declared it. With the empty suffix: the service's
    /// name (its key).
    pub fn locate_service(&self, name: &str, suffix: &Pointer) -> Option<Location> {
        let origin = self.services.get(name)?;
        let doc = self.in_document(origin.document)?;
        Some(if suffix.is_root() {
            doc.key_location(&origin.pointer)
        } else {
            doc.value_location(&origin.pointer.join(suffix))
        })
    }

    /// `d` located at `suffix` inside message `index` (unlocated when there is no such message).
    pub(crate) fn at_message(&self, d: Diagnostic, index: usize, suffix: &Pointer) -> Diagnostic {
        located(d, self.locate_message(index, suffix))
    }

    /// `d` located at `suffix` inside enum `index` (unlocated when there is no such enum).
    pub(crate) fn at_enum(&self, d: Diagnostic, index: usize, suffix: &Pointer) -> Diagnostic {
        located(d, self.locate_enum(index, suffix))
    }

    /// `d` located at `suffix` inside service `name` (unlocated when there is no such service).
    pub(crate) fn at_service(&self, d: Diagnostic, name: &str, suffix: &Pointer) -> Diagnostic {
        located(d, self.locate_service(name, suffix))
    }

    /// "line L, column C" of `suffix` inside message `index`, for a help text that points at
    /// another place ("elsewhere" when there is no such message).
    pub(crate) fn message_position(&self, index: usize, suffix: &Pointer) -> String {
        position(self.locate_message(index, suffix).as_ref())
    }

    /// "line L, column C" of `suffix` inside enum `index` ("elsewhere" when there is none).
    pub(crate) fn enum_position(&self, index: usize, suffix: &Pointer) -> String {
        position(self.locate_enum(index, suffix).as_ref())
    }

    /// "FILE at line L, column C" of the name of service `name`: where it was declared.
    pub(crate) fn service_position(&self, name: &str) -> Option<String> {
        let l = self.locate_service(name, &Pointer::root())?;
        Some(format!("{} at {}", l.source.name(), position(Some(&l))))
    }
}

/// One document of a [`SourceMap`]: its value, and findings located in it by pointer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InDocument<'a>(&'a Document);

impl<'a> InDocument<'a> {
    /// The document's value.
    pub(crate) fn value(&self) -> &'a Value {
        &self.0.value
    }

    /// The document itself.
    pub(crate) fn document(&self) -> &'a Document {
        self.0
    }

    /// The location of the value at `pointer` (or its nearest ancestor), first line only.
    pub(crate) fn value_location(&self, pointer: &Pointer) -> Location {
        let doc = self.0;
        Location::new(&doc.source, first_line(&doc.source, doc.spans.locate(pointer.as_str())))
    }

    /// The location of the key of `pointer`, or of its value when it has no key.
    pub(crate) fn key_location(&self, pointer: &Pointer) -> Location {
        let doc = self.0;
        match doc.spans.key(pointer.as_str()) {
            Some(span) => Location::new(&doc.source, span),
            None => self.value_location(pointer),
        }
    }

    /// `d` located at the value at `pointer` (first line).
    pub(crate) fn at_value(&self, d: Diagnostic, pointer: &Pointer) -> Diagnostic {
        located(d, Some(self.value_location(pointer)))
    }

    /// `d` located at the key of `pointer` (falling back to the value).
    pub(crate) fn at_key(&self, d: Diagnostic, pointer: &Pointer) -> Diagnostic {
        located(d, Some(self.key_location(pointer)))
    }
}

/// `d` at `location`, or `d` as it is without one.
fn located(mut d: Diagnostic, location: Option<Location>) -> Diagnostic {
    if location.is_some() {
        d.location = location;
    }
    d
}

/// "line L, column C", or "elsewhere" without a location.
fn position(location: Option<&Location>) -> String {
    match location {
        Some(l) => format!("line {}, column {}", l.line, l.column),
        None => "elsewhere".into(),
    }
}

/// Cuts a span that covers several lines (a whole mapping) to its first line, so a label sits
/// under one line of source.
fn first_line(source: &SourceFile, span: Range<usize>) -> Range<usize> {
    let text = source.slice(span.clone());
    match text.find('\n') {
        Some(nl) => {
            let cut = text[..nl].trim_end_matches('\r').trim_end();
            span.start..span.start + cut.len().max(1).min(text.len())
        }
        None => span,
    }
}
