//! Loading test documents into the model.

use std::path::Path;

use mycelium_contracts::compat::{self, Change, Side};
use mycelium_contracts::model::{Contracts, Layout};
use serde_json::{Map, Value};

/// Parses a YAML test document (block and flow collections, plain and quoted scalars) into a
/// JSON value, the way the loader types scalars: integers, booleans, the rest strings.
pub fn yaml_value(text: &str) -> Value {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    enum Frame {
        Seq(Vec<Value>),
        Map(Map<String, Value>, Option<String>),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut done = None;
    for ev in Parser::new_from_str(text) {
        let (ev, _) = ev.expect("valid YAML");
        let value = match ev {
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Map::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(v)) => Value::Array(v),
                _ => unreachable!(),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(m, _)) => Value::Object(m),
                _ => unreachable!(),
            },
            Event::Scalar(s, style, ..) => {
                if style == ScalarStyle::Plain {
                    if let Ok(n) = s.parse::<i64>() {
                        Value::from(n)
                    } else if s == "true" || s == "false" {
                        Value::Bool(s == "true")
                    } else {
                        Value::String(s.into_owned())
                    }
                } else {
                    Value::String(s.into_owned())
                }
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => done = Some(value),
            Some(Frame::Seq(v)) => v.push(value),
            Some(Frame::Map(m, key)) => match key.take() {
                None => *key = Some(value.as_str().expect("string key").to_string()),
                Some(k) => {
                    m.insert(k, value);
                }
            },
        }
    }
    done.expect("a document")
}

/// Reads a contracts document (YAML or JSON by extension) into the model.
pub fn contracts(path: &Path) -> Contracts {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).expect("valid JSON")
    } else {
        yaml_value(&text)
    };
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Diffs two documents.
pub fn diff_files(old: &Path, new: &Path) -> (Contracts, Contracts, Vec<Change>) {
    let (b, n) = (contracts(old), contracts(new));
    let (bl, nl) = (Layout::compute(&b), Layout::compute(&n));
    let changes = compat::diff(Side::new(&b, &bl), Side::new(&n, &nl));
    (b, n, changes)
}
