//! Tests of the loader: exact spans in every format, hostile documents, text encodings and a
//! property test that every pointer of a generated document maps to its own text.

mod enums;
mod generated;
mod hostile;
mod json;
mod props;
mod spans;
mod text;

use std::sync::Arc;

use mycelium_contracts::diagnostic::{Code, Diagnostic};
use mycelium_contracts::load::{self, Document};
use mycelium_contracts::source::SourceFile;

/// Loads `text` as a file called `name` (the extension picks the format); panics on an error.
pub fn doc(name: &str, text: &str) -> Document {
    match load::load(&SourceFile::new(name, text)) {
        Ok(d) => d,
        Err(e) => panic!("{name} did not load: {} at {:?}", e.message, e.location.map(|l| (l.line, l.column))),
    }
}

/// Loads `text` as a file called `name` and returns the error it must give.
pub fn err(name: &str, text: &str) -> Diagnostic {
    match load::load(&SourceFile::new(name, text)) {
        Ok(d) => panic!("{name} loaded but should not have: {}", d.value),
        Err(e) => e,
    }
}

/// The source text of the value at `pointer`.
pub fn value_text<'d>(d: &'d Document, pointer: &str) -> &'d str {
    let span = d.spans.value(pointer).unwrap_or_else(|| panic!("no span for {pointer:?}"));
    &d.source.text()[span]
}

/// The source text of the key of the value at `pointer`.
pub fn key_text<'d>(d: &'d Document, pointer: &str) -> &'d str {
    let span = d.spans.key(pointer).unwrap_or_else(|| panic!("no key span for {pointer:?}"));
    &d.source.text()[span]
}

/// Asserts a `parse-error` located at 1-based `line` and `column`, whose message contains `needle`.
#[track_caller]
pub fn assert_parse_error(e: &Diagnostic, line: usize, column: usize, needle: &str) {
    assert_eq!(e.code, Code::ParseError, "{}", e.message);
    let loc = e.location.as_ref().unwrap_or_else(|| panic!("not located: {}", e.message));
    assert_eq!((loc.line, loc.column), (line, column), "{}", e.message);
    assert!(e.message.contains(needle), "{:?} does not contain {needle:?}", e.message);
    assert!(!e.message.ends_with('.'), "error messages do not end with a period: {:?}", e.message);
}

/// A shared source for tests that build one by hand.
pub fn source(name: &str, text: &str) -> Arc<SourceFile> {
    SourceFile::new(name, text)
}
