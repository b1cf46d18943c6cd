//! Building the model from the valid parts of the contracts document, enum by enum, message by
//! message and service by service, with where each part is in the document.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use super::findings;
use super::source_map::{ContractsPointers, InDocument};
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{Document, Pointer, pointer};
use crate::model::{Contracts, EnumDef, MessageDef, ServiceDef};

/// The model and where its parts are in the contracts document.
pub(crate) struct Built {
    /// The model of every part that deserializes.
    pub contracts: Contracts,
    /// Where each of its messages, enums and services is.
    pub pointers: ContractsPointers,
    /// Names of the messages and enums left out because they do not deserialize.
    pub invalid_messages: BTreeSet<String>,
}

/// A part of the document that does not deserialize: a message by index, a service by name.
/// Kept this small (no text) because a hostile document can have hundreds of thousands; the
/// finding is made, by deserializing again, only when the schema did not report the same part.
pub(crate) enum Failure<'a> {
    Enum(usize),
    Message(usize),
    Service(&'a str),
}

impl Failure<'_> {
    /// The pointer of the part.
    pub(crate) fn pointer(&self) -> Pointer {
        match self {
            Failure::Enum(i) => pointer!["enums", *i],
            Failure::Message(i) => pointer!["messages", *i],
            Failure::Service(name) => pointer!["services", *name],
        }
    }

    /// The finding, located; `None` if the part deserializes after all.
    pub(crate) fn finding(&self, doc: InDocument<'_>) -> Option<Diagnostic> {
        let ptr = self.pointer();
        let item = doc.value().pointer(ptr.as_str())?;
        let sv = |message: String| {
            let mut message = message;
            findings::cut(&mut message);
            Diagnostic::error(Code::SchemaViolation, message)
        };
        Some(match self {
            Failure::Enum(_) => {
                let e = EnumDef::deserialize(item).err()?;
                doc.at_value(sv(format!("invalid enum: {e}")), &ptr)
            }
            Failure::Message(_) => {
                let e = MessageDef::deserialize(item).err()?;
                doc.at_value(sv(format!("invalid message: {e}")), &ptr)
            }
            Failure::Service(name) => {
                let e = ServiceDef::deserialize(item).err()?;
                doc.at_key(sv(format!("invalid service `{name}`: {e}")), &ptr)
            }
        })
    }
}

/// Builds the model from the valid parts of the contracts document, message by message and
/// service by service, and lists the parts that do not deserialize. `None` when the root is not
/// a mapping.
pub(crate) fn build_model(doc: &Document) -> (Option<Built>, Vec<Failure<'_>>) {
    let mut failures = Vec::new();
    let Some(root) = doc.value.as_object() else { return (None, failures) };
    let version = root.get("version").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut pointers = ContractsPointers::default();
    let mut invalid_messages = BTreeSet::new();
    let mut enums = Vec::new();
    if let Some(Value::Array(items)) = root.get("enums") {
        for (i, item) in items.iter().enumerate() {
            match EnumDef::deserialize(item) {
                Ok(mut e) => {
                    let pointer = pointer!["enums", i];
                    in_document_order(&mut e, doc, &pointer);
                    enums.push(e);
                    pointers.enums.push(pointer);
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
    let mut messages = Vec::new();
    if let Some(Value::Array(items)) = root.get("messages") {
        messages.reserve(items.len());
        pointers.messages.reserve(items.len());
        for (i, item) in items.iter().enumerate() {
            match MessageDef::deserialize(item) {
                Ok(m) => {
                    messages.push(m);
                    pointers.messages.push(pointer!["messages", i]);
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
    if let Some(Value::Object(map)) = root.get("services") {
        for (name, item) in map {
            if !crate::model::name_len_ok(name) {
                // The schema reports it (`maxLength`); the model never holds such a name.
                failures.push(Failure::Service(name));
                continue;
            }
            match ServiceDef::deserialize(item) {
                Ok(s) => {
                    services.insert(name.clone(), s);
                    pointers.services.insert(name.clone(), pointer!["services", name]);
                }
                Err(_) => failures.push(Failure::Service(name)),
            }
        }
    }
    let contracts = Contracts { version, enums, messages, services };
    (Some(Built { contracts, pointers, invalid_messages }), failures)
}

/// Puts an enum's values in document order. The loaded value keeps mappings sorted by key;
/// the source positions of the keys give back the order the document wrote them in, which
/// matters: the first value is the enum's default.
fn in_document_order(e: &mut EnumDef, doc: &Document, pointer: &Pointer) {
    let at = |name: &str| {
        let key = pointer.join(&pointer!["values", name]);
        doc.spans.key(key.as_str()).map_or(usize::MAX, |span| span.start)
    };
    e.values.0.sort_by_cached_key(|v| at(&v.name));
}
