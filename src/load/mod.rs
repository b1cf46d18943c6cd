//! Loading contract documents (YAML, JSON, TOML) into one `serde_json::Value` plus a
//! [`SpanIndex`] from every JSON pointer to its byte range in the source.
//!
//! Every later stage (schema validation, semantic checks, compatibility) works on the
//! [`serde_json::Value`] and locates its findings through [`Document::spans`], so a finding in a
//! TOML file is as precisely located as one in a YAML file.
//!
//! * **YAML** goes through `saphyr-parser`'s event parser, and the value and the span index are
//!   built straight from the events: no intermediate tree. Plain scalars are resolved with the
//!   YAML 1.2 core schema; quoted scalars are strings.
//! * **JSON** goes through a small strict parser of its own (`json.rs` says why: saphyr holds
//!   nested flow collections in memory whole), with the same values, spans and limits.
//! * **TOML** goes through `toml_edit`'s immutable [`toml_edit::Document`], which keeps the byte
//!   span of every key and value.
//!
//! # Limits
//!
//! A document is refused with a located `parse-error`, in bounded time and memory, when:
//!
//! * it is larger than [`MAX_FILE_SIZE`] (32 MiB), checked before anything is parsed;
//! * it is not UTF-8 (located at the first invalid byte);
//! * it nests collections deeper than [`MAX_DEPTH`] (128) levels;
//! * loading it would take more than [`MAX_MEMORY`] (512 MiB, estimated as it is loaded);
//! * (YAML) a flow collection is longer than [`MAX_FLOW_LEN`] (1 MiB), which saphyr-parser would
//!   hold in memory whole;
//! * it uses YAML anchors or aliases (`&a`, `*a`), which also rules out "billion laughs" alias
//!   bombs: a contract must be expressible in JSON and TOML too, which have no such feature;
//! * it uses a YAML tag other than `!!str`, or holds more than one YAML document;
//! * a mapping has a duplicate key (located at the second occurrence), or a key that is not a
//!   scalar. Scalar keys are taken verbatim as strings: `1: x` has the key `"1"`.
//!
//! # Scalars
//!
//! YAML plain scalars follow the YAML 1.2 core schema: `null`, `~` and the empty scalar are
//! null; `true`/`false` (also `True`, `TRUE`, ...) are booleans; `[-+]?[0-9]+`, `0x..` and
//! `0o..` are integers (beyond 64 bits they become floats, as in JSON); decimal and exponent
//! forms are floats. Everything else is a string, so `version: 1.2.0` is the string `"1.2.0"`.
//! JSON has no infinity or NaN, so `.inf` and `.nan` (and TOML's `inf` and `nan`) stay strings,
//! and a finite-looking number too large for a double (`1e999`) is a `parse-error`. TOML
//! datetimes become strings in their TOML form.

mod json;
mod pointer;
mod spans;
mod toml;
mod yaml;

use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

pub(crate) use pointer::pointer;
pub use pointer::{Pointer, PointerToken, escape_pointer_token};
pub use spans::SpanIndex;
pub use yaml::MAX_FLOW_LEN;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

/// The largest document the loader reads, in bytes (32 MiB). A generated 20,000-message
/// contract is about 7 MB of YAML; anything this large is refused before it is parsed.
pub const MAX_FILE_SIZE: usize = 32 << 20;

/// The deepest nesting of collections the loader accepts. A contract needs 5 levels.
pub const MAX_DEPTH: usize = 128;

/// The most memory a loaded document may take, as estimated while it is loaded (512 MiB).
///
/// The file-size limit alone does not bound memory: 32 MiB of `- {a: 1}` lines are 3.5 million
/// mappings, and each costs a `BTreeMap` node of about 640 bytes. The estimate counts about 80
/// bytes per value, 640 per mapping, and the text of keys and strings; a generated
/// 20,000-message contract (7 MB of YAML) comes to about 200 MiB.
pub const MAX_MEMORY: usize = 512 << 20;

/// A loaded document: its source, its value and the spans of every value and key.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file the document was read from.
    pub source: Arc<SourceFile>,
    /// The document as JSON data.
    pub value: serde_json::Value,
    /// Byte ranges of every value and key, by JSON pointer.
    pub spans: SpanIndex,
}

impl Document {
    /// A located finding: `diagnostic` placed at the value at `pointer` (or its nearest ancestor).
    #[cfg(feature = "internals")]
    pub fn locate(&self, diagnostic: Diagnostic, pointer: &str) -> Diagnostic {
        diagnostic.at(&self.source, self.spans.locate(pointer))
    }
}

/// The syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// YAML 1.2 (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`, RFC 8259).
    Json,
    /// TOML 1.1 (`.toml`), as `toml_edit` reads it.
    Toml,
}

impl Format {
    /// The format named by the extension of `path` (`.yaml`, `.yml`, `.json`, `.toml`, in any
    /// letter case), or `None`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }

    /// `YAML`, `JSON` or `TOML`, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Toml => "TOML",
        }
    }
}

/// Loads `source`, choosing the format by the extension of its name.
///
/// # Errors
///
/// A `parse-error` when the extension is not one of `.yaml`, `.yml`, `.json`, `.toml`, or when
/// the document is not valid or breaks one of the [limits](self#limits).
pub fn load(source: &Arc<SourceFile>) -> Result<Document, Diagnostic> {
    match Format::from_path(Path::new(source.name())) {
        Some(format) => load_as(source, format),
        None => Err(Diagnostic::error(
            Code::ParseError,
            format!("cannot tell the format of `{}`: expected a .yaml, .yml, .json or .toml file", source.name()),
        )
        .at(source, 0..0)),
    }
}

/// Loads `source` as `format`.
///
/// # Errors
///
/// A `parse-error` located at the problem when the document is not valid or breaks one of the
/// [limits](self#limits).
pub fn load_as(source: &Arc<SourceFile>, format: Format) -> Result<Document, Diagnostic> {
    if source.text().len() > MAX_FILE_SIZE {
        return Err(too_large(source, source.text().len()));
    }
    let (value, spans) = match format {
        Format::Yaml => yaml::load(source, format)?,
        Format::Json => json::load(source)?,
        Format::Toml => toml::load(source)?,
    };
    Ok(Document { source: Arc::clone(source), value, spans })
}

/// Loads a document from raw bytes, named `name` (which chooses the format by extension).
///
/// # Errors
///
/// As [`load`]; bytes that are not UTF-8 give a `parse-error` located at the first invalid byte,
/// and more than [`MAX_FILE_SIZE`] bytes are refused before anything else is looked at.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Result<Document, Diagnostic> {
    if bytes.len() > MAX_FILE_SIZE {
        let len = bytes.len();
        return Err(too_large(&SourceFile::new(name, ""), len));
    }
    match String::from_utf8(bytes) {
        Ok(text) => load(&SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad = e.as_bytes()[at];
            // The lossy text keeps every byte before `at` where it was, so the location is exact.
            let source = SourceFile::new(name, String::from_utf8_lossy(e.as_bytes()).into_owned());
            Err(parse_error(
                &source,
                at,
                format!("the file is not UTF-8: invalid byte 0x{bad:02X} at byte offset {at}"),
            ))
        }
    }
}

/// Reads and loads the file at `path`; the format is chosen by its extension.
///
/// The file's size is checked against [`MAX_FILE_SIZE`] before it is read, and no more than
/// that is ever read, so a huge file costs neither time nor memory.
///
/// # Errors
///
/// As [`load_bytes`], and a `parse-error` (without a line) when the file cannot be read.
pub fn load_file(path: &Path) -> Result<Document, Diagnostic> {
    let name = path.display().to_string();
    let cannot_read = |e: std::io::Error| Diagnostic::error(Code::ParseError, format!("cannot read `{name}`: {e}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let len = file.metadata().map_or(0, |m| m.len());
    if len > MAX_FILE_SIZE as u64 {
        return Err(too_large(&SourceFile::new(name.as_str(), ""), len as usize));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE as u64 + 1).read_to_end(&mut bytes).map_err(cannot_read)?;
    load_bytes(&name, bytes)
}

fn too_large(source: &Arc<SourceFile>, len: usize) -> Diagnostic {
    Diagnostic::error(
        Code::ParseError,
        format!("the file is too large: {len} bytes, the limit is {MAX_FILE_SIZE} bytes (32 MiB)"),
    )
    .at(source, 0..0)
}

/// The `parse-error` for a document over [`MAX_MEMORY`], at byte `at`.
pub(crate) fn too_much_memory(source: &Arc<SourceFile>, at: usize) -> Diagnostic {
    parse_error(
        source,
        at,
        format!(
            "the document is too large to load: it would take more than {} MiB of memory (the limit is reached here)",
            MAX_MEMORY >> 20
        ),
    )
}

/// A `parse-error` at byte `at`, spanning the character there (if any).
pub(crate) fn parse_error(source: &Arc<SourceFile>, at: usize, message: String) -> Diagnostic {
    Diagnostic::error(Code::ParseError, message).at(source, char_span(source.text(), at))
}

/// The byte range of the character starting at or containing byte `at` (empty at the end).
fn char_span(text: &str, at: usize) -> Range<usize> {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let len = text[start..].chars().next().map_or(0, char::len_utf8);
    start..start + len
}
