//! JSON: a small strict parser (RFC 8259) straight into a `serde_json::Value` and a span index.
//!
//! JSON is YAML 1.2 flow style and saphyr-parser reads it, but saphyr keeps every token of a flow
//! collection nested in another one in memory until the collection closes (it might be a mapping
//! key), so a 9.6 MB JSON contract peaks at about 480 MB and parses ten times slower than
//! `serde_json`. This parser reads bytes once, keeps nothing but the value being built, and has
//! no recursion (its own stack, bounded by [`MAX_DEPTH`]). Values, spans, duplicate keys, the
//! depth and memory limits and number handling are the same as the YAML loader's.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

use super::spans::{Builder, SpanIndex};
use super::{MAX_DEPTH, MAX_MEMORY, parse_error, too_much_memory};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

enum Frame {
    Seq(Vec<Value>),
    Map(Map<String, Value>, Option<String>),
}

struct Parser<'s> {
    source: &'s Arc<SourceFile>,
    text: &'s str,
    b: &'s [u8],
    i: usize,
    stack: Vec<Frame>,
    spans: Builder,
}

pub(super) fn load(source: &Arc<SourceFile>) -> Result<(Value, SpanIndex), Diagnostic> {
    let text = source.text();
    let mut p = Parser {
        source,
        text,
        b: text.as_bytes(),
        i: 0,
        stack: Vec::with_capacity(16),
        spans: Builder::new(source.shared_text(), text.len() / 12),
    };
    if text.starts_with('\u{FEFF}') {
        p.i = 3;
    }
    let value = p.document()?;
    Ok((value, p.spans.finish()))
}

impl<'s> Parser<'s> {
    fn error(&self, at: usize, message: impl Into<String>) -> Diagnostic {
        parse_error(self.source, at, format!("invalid JSON: {}", message.into()))
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// What was found at the cursor, for messages.
    fn found(&self) -> String {
        match self.text[self.i.min(self.b.len())..].chars().next() {
            None => "the end of the file".into(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn document(&mut self) -> Result<Value, Diagnostic> {
        self.ws();
        loop {
            // A value is expected here.
            let start = self.i;
            match self.b.get(self.i) {
                Some(b'[') | Some(b'{') => {
                    let map = self.b[self.i] == b'{';
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(parse_error(
                            self.source,
                            start,
                            format!("the document nests deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    self.i += 1;
                    self.spans.begin(map, start);
                    if self.spans.cost() > MAX_MEMORY {
                        return Err(too_much_memory(self.source, start));
                    }
                    self.stack.push(if map { Frame::Map(Map::new(), None) } else { Frame::Seq(Vec::new()) });
                    self.ws();
                    let close = if map { b'}' } else { b']' };
                    if self.b.get(self.i) == Some(&close) {
                        self.i += 1;
                        if let Some(v) = self.close()? {
                            return Ok(v);
                        }
                        continue;
                    }
                    if map {
                        self.key()?;
                        continue;
                    }
                    continue;
                }
                _ => {
                    let value = self.scalar()?;
                    if let Value::String(s) = &value {
                        self.spans.charge(s.len());
                    }
                    self.spans.leaf(start..self.i);
                    if self.spans.cost() > MAX_MEMORY {
                        return Err(too_much_memory(self.source, start));
                    }
                    if let Some(v) = self.attach(value)? {
                        return Ok(v);
                    }
                }
            }
        }
    }

    /// After a value inside a collection: `,` then the next entry, or the closing bracket.
    /// Returns the whole document when the outermost value is complete.
    fn attach(&mut self, value: Value) -> Result<Option<Value>, Diagnostic> {
        let mut value = value;
        loop {
            match self.stack.last_mut() {
                None => {
                    self.ws();
                    if self.i < self.b.len() {
                        return Err(self.error(self.i, format!("unexpected {} after the document", self.found())));
                    }
                    return Ok(Some(value));
                }
                Some(Frame::Seq(items)) => items.push(value),
                Some(Frame::Map(map, key)) => {
                    if let Some(k) = key.take() {
                        map.insert(k, value);
                    }
                }
            }
            self.ws();
            let map = matches!(self.stack.last(), Some(Frame::Map(..)));
            match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if map {
                        self.key()?;
                    }
                    return Ok(None);
                }
                Some(b']') if !map => {}
                Some(b'}') if map => {}
                _ => {
                    let want = if map { "`,` or `}`" } else { "`,` or `]`" };
                    return Err(self.error(self.i, format!("expected {want}, found {}", self.found())));
                }
            }
            self.i += 1;
            match self.pop() {
                Some(v) => value = v,
                None => return Ok(None),
            }
        }
    }

    /// Closes an empty collection just read.
    fn close(&mut self) -> Result<Option<Value>, Diagnostic> {
        match self.pop() {
            Some(v) => self.attach(v),
            None => Ok(None),
        }
    }

    fn pop(&mut self) -> Option<Value> {
        self.spans.end(Some(self.i));
        Some(match self.stack.pop()? {
            Frame::Seq(items) => Value::Array(items),
            Frame::Map(map, _) => Value::Object(map),
        })
    }

    /// A mapping key and its `:`; the cursor is on the key.
    fn key(&mut self) -> Result<(), Diagnostic> {
        let start = self.i;
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.error(start, format!("expected a string key, found {}", self.found())));
        }
        let key = self.string()?;
        let end = self.i;
        let Some(Frame::Map(map, pending)) = self.stack.last_mut() else { return Ok(()) };
        if map.contains_key(key.as_ref()) {
            return Err(parse_error(self.source, start, format!("duplicate key `{key}` in this mapping")));
        }
        self.spans.key(&key, start + 1..end - 1, start..end);
        *pending = Some(key.into_owned());
        self.ws();
        if self.b.get(self.i) != Some(&b':') {
            return Err(self.error(self.i, format!("expected `:` after the key, found {}", self.found())));
        }
        self.i += 1;
        self.ws();
        Ok(())
    }

    fn scalar(&mut self) -> Result<Value, Diagnostic> {
        let start = self.i;
        let literal = |p: &mut Self, word: &[u8], v: Value| {
            if p.b[p.i..].starts_with(word) {
                p.i += word.len();
                Ok(v)
            } else {
                Err(p.error(start, format!("expected a value, found {}", p.found())))
            }
        };
        match self.b.get(self.i) {
            Some(b'"') => Ok(Value::String(self.string()?.into_owned())),
            Some(b't') => literal(self, b"true", Value::Bool(true)),
            Some(b'f') => literal(self, b"false", Value::Bool(false)),
            Some(b'n') => literal(self, b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error(start, format!("expected a value, found {}", self.found()))),
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - from
    }

    fn number(&mut self) -> Result<Value, Diagnostic> {
        let start = self.i;
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        let int_start = self.i;
        let n = self.digits();
        if n == 0 || (n > 1 && self.b[int_start] == b'0') {
            return Err(self.error(start, "invalid number: digits expected, without leading zeros"));
        }
        let mut float = false;
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            float = true;
            if self.digits() == 0 {
                return Err(self.error(self.i, "invalid number: digits expected after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            float = true;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(self.i, "invalid number: digits expected in the exponent"));
            }
        }
        let text = &self.text[start..self.i];
        if !float {
            if let Ok(u) = text.parse::<u64>() {
                return Ok(Value::Number(u.into()));
            }
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Value::Number(i.into()));
            }
        }
        // Floats, and integers beyond 64 bits (as serde_json does).
        let f: f64 = text.parse().map_err(|_| self.error(start, format!("invalid number `{text}`")))?;
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| parse_error(self.source, start, format!("the number `{text}` is out of range")))
    }

    /// A string; the cursor is on its opening quote and ends after the closing one.
    fn string(&mut self) -> Result<Cow<'s, str>, Diagnostic> {
        let open = self.i;
        self.i += 1;
        let from = self.i;
        // Fast path: no escape.
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Borrowed(&self.text[from..self.i - 1]));
                }
                b'\\' => break,
                0x00..=0x1F => return Err(self.error(self.i, "control character in a string: escape it")),
                _ => self.i += 1,
            }
        }
        let mut out = String::from(&self.text[from..self.i]);
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.error(open, "unterminated string"));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let at = self.i;
                    let e = self.b.get(self.i + 1).copied();
                    self.i += 2;
                    match e {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4(at)?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.i) != Some(&b'\\') || self.b.get(self.i + 1) != Some(&b'u') {
                                    return Err(self.error(at, "unpaired surrogate in `\\u` escape"));
                                }
                                self.i += 2;
                                let lo = self.hex4(at)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error(at, "unpaired surrogate in `\\u` escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.ok_or_else(|| self.error(at, "unpaired surrogate in `\\u` escape"))?);
                        }
                        _ => return Err(self.error(at, "invalid escape in a string")),
                    }
                }
                0x00..=0x1F => return Err(self.error(self.i, "control character in a string: escape it")),
                _ => {
                    // Copy the run up to the next quote, backslash or control character.
                    let run = self.i;
                    while let Some(&c) = self.b.get(self.i) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(&self.text[run..self.i]);
                }
            }
        }
    }

    fn hex4(&mut self, escape: usize) -> Result<u32, Diagnostic> {
        let digits = self.b.get(self.i..self.i + 4).ok_or_else(|| self.error(escape, "invalid `\\u` escape"))?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16).ok_or_else(|| self.error(escape, "invalid `\\u` escape"))?;
        }
        self.i += 4;
        Ok(v)
    }
}
