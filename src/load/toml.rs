//! TOML: `toml_edit`'s immutable [`Document`], which keeps byte spans, into a
//! `serde_json::Value` and a span index.
//!
//! `toml_edit` itself refuses nesting deeper than 80 levels ("recursion limit"); the conversion
//! below is recursive too and stops at [`MAX_DEPTH`] (table headers and dotted keys add levels
//! on top of the parser's).

use std::sync::Arc;

use serde_json::{Map, Number, Value};
use toml_edit::{Document, Item, Key, Table};

use super::spans::{Builder, SpanIndex};
use super::{MAX_DEPTH, MAX_MEMORY, parse_error, too_much_memory};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

pub(super) fn load(source: &Arc<SourceFile>) -> Result<(Value, SpanIndex), Diagnostic> {
    let text = source.text();
    let doc = Document::parse(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let message = e.message().trim_end().trim_end_matches('.').replace('\n', "; ");
        parse_error(source, at, format!("invalid TOML: {message}"))
    })?;
    let mut conv = Converter { source, spans: Builder::new(source.shared_text(), text.len() / 12) };
    conv.spans.begin(true, 0);
    let value = conv.table_entries(doc.as_table(), 1)?;
    conv.spans.end(Some(text.len()));
    Ok((value, conv.spans.finish()))
}

struct Converter<'s> {
    source: &'s Arc<SourceFile>,
    spans: Builder,
}

impl Converter<'_> {
    fn too_deep(&self, at: usize) -> Diagnostic {
        parse_error(self.source, at, format!("the document nests deeper than {MAX_DEPTH} levels"))
    }

    /// Fails once the document would take more than [`MAX_MEMORY`].
    fn budget(&self, at: usize) -> Result<(), Diagnostic> {
        if self.spans.cost() > MAX_MEMORY { Err(too_much_memory(self.source, at)) } else { Ok(()) }
    }

    fn key(&mut self, name: &str, key: Option<&Key>) -> Option<std::ops::Range<usize>> {
        let span = key.and_then(Key::span);
        let s = span.clone().unwrap_or(0..0);
        self.spans.key(name, s.clone(), s);
        span
    }

    /// The entries of a table (already opened in the span builder) as a JSON object.
    fn table_entries(&mut self, table: &Table, depth: usize) -> Result<Value, Diagnostic> {
        let mut map = Map::new();
        for (name, item) in table.iter() {
            let key_span = self.key(name, table.key(name));
            let value = self.item(item, key_span, depth)?;
            map.insert(name.to_owned(), value);
        }
        Ok(Value::Object(map))
    }

    fn item(
        &mut self,
        item: &Item,
        key_span: Option<std::ops::Range<usize>>,
        depth: usize,
    ) -> Result<Value, Diagnostic> {
        let fallback = key_span.unwrap_or(0..0);
        match item {
            Item::None => {
                self.spans.leaf(fallback);
                Ok(Value::Null)
            }
            Item::Value(v) => self.value(v, fallback, depth),
            Item::Table(t) => self.header_table(t, fallback, depth),
            Item::ArrayOfTables(a) => {
                if depth >= MAX_DEPTH {
                    return Err(self.too_deep(fallback.start));
                }
                let start = a.span().map_or(fallback.start, |s| s.start);
                self.spans.begin(false, start);
                let mut items = Vec::with_capacity(a.len());
                let mut end = None;
                for t in a.iter() {
                    let span = t.span().unwrap_or(fallback.clone());
                    end = Some(span.end);
                    items.push(self.header_table(t, span, depth + 1)?);
                }
                self.spans.end(Some(end.unwrap_or(start)));
                Ok(Value::Array(items))
            }
        }
    }

    /// A table written with a `[header]` (its span is the header), or implicitly through dotted
    /// keys or a deeper header (its span is then `fallback`, the key that names it).
    fn header_table(&mut self, t: &Table, fallback: std::ops::Range<usize>, depth: usize) -> Result<Value, Diagnostic> {
        if depth >= MAX_DEPTH {
            return Err(self.too_deep(fallback.start));
        }
        let span = t.span().unwrap_or(fallback);
        self.spans.begin(true, span.start);
        self.budget(span.start)?;
        let value = self.table_entries(t, depth + 1)?;
        self.spans.end(Some(span.end));
        Ok(value)
    }

    fn value(
        &mut self,
        v: &toml_edit::Value,
        fallback: std::ops::Range<usize>,
        depth: usize,
    ) -> Result<Value, Diagnostic> {
        use toml_edit::Value as V;
        let span = v.span().unwrap_or(fallback);
        let text = self.source.slice(span.clone());
        let value = match v {
            V::String(s) => {
                self.spans.charge(s.value().len());
                Value::String(s.value().clone())
            }
            V::Integer(i) => Value::Number((*i.value()).into()),
            V::Float(f) => Number::from_f64(*f.value()).map_or_else(|| Value::String(text.to_owned()), Value::Number),
            V::Boolean(b) => Value::Bool(*b.value()),
            V::Datetime(d) => Value::String(d.value().to_string()),
            V::Array(a) => {
                if depth >= MAX_DEPTH {
                    return Err(self.too_deep(span.start));
                }
                self.spans.begin(false, span.start);
                self.budget(span.start)?;
                let mut items = Vec::with_capacity(a.len());
                for item in a.iter() {
                    items.push(self.value(item, span.start..span.start, depth + 1)?);
                }
                self.spans.end(Some(span.end));
                return Ok(Value::Array(items));
            }
            V::InlineTable(t) => {
                if depth >= MAX_DEPTH {
                    return Err(self.too_deep(span.start));
                }
                self.spans.begin(true, span.start);
                self.budget(span.start)?;
                let mut map = Map::new();
                for (name, item) in t.iter() {
                    let key_span = self.key(name, t.key(name)).unwrap_or(span.start..span.start);
                    let value = self.value(item, key_span, depth + 1)?;
                    map.insert(name.to_owned(), value);
                }
                self.spans.end(Some(span.end));
                return Ok(Value::Object(map));
            }
        };
        self.spans.leaf(span.clone());
        self.budget(span.start)?;
        Ok(value)
    }
}
