//! YAML and JSON: `saphyr-parser` events straight into a `serde_json::Value` and a span index.
//!
//! The loop keeps its own stack of open collections (no recursion), so nesting is bounded by
//! [`MAX_DEPTH`] and never by the thread's stack. saphyr's markers count characters; they are
//! turned into byte offsets by a cursor that moves from one marker to the next, so the
//! conversion costs time proportional to the distance moved (and nothing for ASCII text).

use std::borrow::Cow;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::spans::{Builder, SpanIndex};
use super::{Format, MAX_DEPTH, MAX_MEMORY, parse_error, too_much_memory};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The longest flow collection (`[...]`, `{...}`) the YAML loader accepts, in bytes (1 MiB).
///
/// saphyr-parser holds every token of a flow collection in memory until it closes when the
/// collection could be a mapping key (its "simple key" never goes stale inside flow style): a
/// 9 MB document made of one flow mapping peaks at about 1 GB. Contracts write short lists in
/// flow style (`messages: [A, B]`, `{ name: x, type: u8 }`), far below this.
pub const MAX_FLOW_LEN: usize = 1 << 20;

/// The start of the first flow collection longer than [`MAX_FLOW_LEN`], found by a quick scan
/// that skips comments, quoted scalars and block scalars. Only files longer than the limit are
/// scanned, so a mistake of the scan can never refuse an ordinary contract.
fn long_flow_collection(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.len() <= MAX_FLOW_LEN {
        return None;
    }
    let mut depth = 0usize;
    let mut outer = 0usize;
    let mut i = 0usize;
    // Whether the cursor is where a node may start (after indentation, `- `, `: `, `? `, or in
    // flow style after `[`, `{`, `,`).
    let mut node_start = true;
    let mut line_indent = 0usize;
    while i < b.len() {
        let c = b[i];
        if depth > 0 && i - outer > MAX_FLOW_LEN {
            return Some(outer);
        }
        match c {
            b'\n' => {
                i += 1;
                line_indent = b[i..].iter().take_while(|&&c| c == b' ').count();
                i += line_indent;
                node_start = true;
                continue;
            }
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if node_start => {
                i += 1;
                while i < b.len() {
                    if c == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c {
                        if c == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                node_start = false;
                continue;
            }
            b'|' | b'>' if node_start && depth == 0 => {
                // A block scalar: skip the lines indented more than the header's line.
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                while i < b.len() {
                    let next = i + 1;
                    let indent = b[next..].iter().take_while(|&&c| c == b' ').count();
                    let blank = matches!(b.get(next + indent), None | Some(b'\n' | b'\r'));
                    if !blank && indent <= line_indent {
                        break;
                    }
                    i = next + indent;
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                continue;
            }
            b'[' | b'{' if node_start || depth > 0 => {
                if depth == 0 {
                    outer = i;
                }
                depth += 1;
                node_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                node_start = false;
            }
            b',' if depth > 0 => node_start = true,
            b' ' | b'\t' | b'\r' => {}
            b'-' | b':' | b'?' if matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n')) => {
                node_start = true
            }
            b':' if depth > 0 => node_start = true,
            _ => node_start = false,
        }
        i += 1;
    }
    None
}

/// Character index to byte offset, by a cursor that moves forwards or backwards.
struct Offsets<'a> {
    bytes: &'a [u8],
    ascii: bool,
    chars: usize,
    byte: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets { bytes: text.as_bytes(), ascii: text.is_ascii(), chars: 0, byte: 0 }
    }

    fn byte(&mut self, chars: usize) -> usize {
        if self.ascii {
            return chars.min(self.bytes.len());
        }
        while self.chars < chars && self.byte < self.bytes.len() {
            let b = self.bytes[self.byte];
            self.byte += match b {
                0x00..=0x7F => 1,
                0x80..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            self.chars += 1;
        }
        while self.chars > chars && self.byte > 0 {
            self.byte -= 1;
            while self.byte > 0 && (self.bytes[self.byte] & 0xC0) == 0x80 {
                self.byte -= 1;
            }
            self.chars -= 1;
        }
        self.byte.min(self.bytes.len())
    }

    fn span(&mut self, span: &Span) -> (usize, usize) {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        (start, end.max(start))
    }
}

/// An open collection.
enum Frame {
    Seq(Vec<Value>),
    /// A mapping and the key of the entry being read (`None` while a key is expected).
    Map(Map<String, Value>, Option<String>),
}

struct Loader<'s> {
    source: &'s Arc<SourceFile>,
    offsets: Offsets<'s>,
    stack: Vec<Frame>,
    spans: Builder,
    root: Option<Value>,
    /// The start of the block sequence just opened, until its first item is seen.
    block_seq_start: Option<usize>,
}

pub(super) fn load(source: &Arc<SourceFile>, format: Format) -> Result<(Value, SpanIndex), Diagnostic> {
    let text = source.text();
    let mut loader = Loader {
        source,
        offsets: Offsets::new(text),
        stack: Vec::with_capacity(16),
        spans: Builder::new(source.shared_text(), text.len() / 12),
        root: None,
        block_seq_start: None,
    };
    if let Some(at) = long_flow_collection(text) {
        return Err(parse_error(
            source,
            at,
            format!(
                "this flow collection is longer than {} MiB: write it in block style (one entry per line)",
                MAX_FLOW_LEN >> 20
            ),
        ));
    }
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(ok) => ok,
            Err(e) => {
                let at = loader.offsets.byte(e.marker().index());
                return Err(parse_error(source, at, format!("invalid {}: {}", format.name(), e.info())));
            }
        };
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    let (at, _) = loader.offsets.span(&span);
                    return Err(loader.error(at, "the file holds more than one YAML document".into()));
                }
            }
            Event::Alias(_) => {
                let (at, _) = loader.offsets.span(&span);
                return Err(loader.error(
                    at,
                    "YAML aliases (`*name`) are not supported: write the value out (contracts must also be expressible in JSON and TOML)".into(),
                ));
            }
            Event::Scalar(value, style, anchor, tag) => loader.scalar(value, style, anchor, tag, &span)?,
            Event::SequenceStart(anchor, tag) => loader.begin(false, anchor, tag, &span)?,
            Event::MappingStart(anchor, tag) => loader.begin(true, anchor, tag, &span)?,
            Event::SequenceEnd => loader.end(b']', &span),
            Event::MappingEnd => loader.end(b'}', &span),
        }
    }
    let Loader { root, spans, .. } = loader;
    let mut spans = spans;
    let value = match root {
        Some(v) => v,
        None => {
            // An empty document is null, spanning nothing.
            spans.leaf(0..0);
            Value::Null
        }
    };
    Ok((value, spans.finish()))
}

impl Loader<'_> {
    /// Called with the start of every node. saphyr starts an indented block sequence at its
    /// first `-`, but an indentless one (`key:` then `- a` at the key's indentation) at its first
    /// item, after the `- `: when the first item starts where its sequence does, the sequence
    /// really starts at the `-` before.
    fn child_starts(&mut self, start: usize) {
        if self.block_seq_start.take() == Some(start) {
            self.spans.restart_open(sequence_dash(self.source.text(), start));
        }
    }

    fn error(&self, at: usize, message: String) -> Diagnostic {
        parse_error(self.source, at, message)
    }

    /// Refuses anchors and tags other than `!!str`; returns whether the node is tagged `!!str`.
    fn check_properties(&self, anchor: usize, tag: Option<&Tag>, at: usize, scalar: bool) -> Result<bool, Diagnostic> {
        if anchor != 0 {
            return Err(self.error(
                at,
                "YAML anchors (`&name`) are not supported: write the value out (contracts must also be expressible in JSON and TOML)".into(),
            ));
        }
        match tag {
            None => Ok(false),
            Some(t) if scalar && t.is_yaml_core_schema() && t.suffix == "str" => Ok(true),
            Some(t) => {
                let written = written_tag(self.source.text(), at, t);
                Err(self.error(at, format!("YAML tags are not supported (found `{written}`); only `!!str` is")))
            }
        }
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: &Span,
    ) -> Result<(), Diagnostic> {
        let (mut start, mut end) = self.offsets.span(span);
        if value.is_empty() && style == ScalarStyle::Plain {
            // An empty scalar has no text: saphyr gives the next token's span (often the `:`).
            let text = self.source.text();
            if text.as_bytes().get(start) == Some(&b':') && end == start + 1 {
                start = end;
            }
            end = start;
        }
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            start = block_scalar_header(self.source.text(), start);
        }
        self.child_starts(start);
        let forced_string = self.check_properties(anchor, tag.as_deref(), start, true)?;
        if let Some(Frame::Map(map, key @ None)) = self.stack.last_mut() {
            // A key: taken verbatim as a string, whatever it looks like.
            if map.contains_key(value.as_ref()) {
                return Err(self.error(start, format!("duplicate key `{value}` in this mapping")));
            }
            let text_span = match style {
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if end >= start + 2 => start + 1..end - 1,
                _ => start..end,
            };
            self.spans.key(&value, text_span, start..end);
            *key = Some(value.into_owned());
            return Ok(());
        }
        let resolved = if style == ScalarStyle::Plain && !forced_string {
            resolve_plain(&value).map_err(|m| self.error(start, m))?
        } else {
            Value::String(value.into_owned())
        };
        if let Value::String(s) = &resolved {
            self.spans.charge(s.len());
        }
        self.spans.leaf(start..end);
        if self.spans.cost() > MAX_MEMORY {
            return Err(too_much_memory(self.source, start));
        }
        self.attach(resolved);
        Ok(())
    }

    fn begin(&mut self, map: bool, anchor: usize, tag: Option<Cow<'_, Tag>>, span: &Span) -> Result<(), Diagnostic> {
        let (start, end) = self.offsets.span(span);
        self.child_starts(start);
        self.check_properties(anchor, tag.as_deref(), start, false)?;
        if let Some(Frame::Map(_, None)) = self.stack.last() {
            return Err(self.error(start, "a mapping key must be a scalar, not a sequence or a mapping".into()));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(start, format!("the document nests deeper than {MAX_DEPTH} levels")));
        }
        self.spans.begin(map, start);
        if self.spans.cost() > MAX_MEMORY {
            return Err(too_much_memory(self.source, start));
        }
        self.stack.push(if map { Frame::Map(Map::new(), None) } else { Frame::Seq(Vec::new()) });
        // A block sequence (a flow one spans its `[`) may be indentless: see `child_starts`.
        self.block_seq_start = (!map && end == start).then_some(start);
        Ok(())
    }

    /// Closes the innermost collection; `bracket` is its flow-style closing character.
    fn end(&mut self, bracket: u8, span: &Span) {
        let (start, end) = self.offsets.span(span);
        let flow = end == start + 1 && self.source.text().as_bytes().get(start) == Some(&bracket);
        self.spans.end(flow.then_some(end));
        let value = match self.stack.pop() {
            Some(Frame::Seq(items)) => Value::Array(items),
            Some(Frame::Map(map, _)) => Value::Object(map),
            None => return,
        };
        self.attach(value);
    }

    fn attach(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq(items)) => items.push(value),
            Some(Frame::Map(map, key)) => {
                if let Some(k) = key.take() {
                    map.insert(k, value);
                }
            }
        }
    }
}

/// The `-` before `start` (across blanks), or `start` when there is none.
/// A tag as the document wrote it: its text at `at` when a tag starts there, else rebuilt from
/// the parser's parts (whose `Display` joins a resolved handle and the suffix with a `!`, as in
/// `tag:yaml.org,2002:!int` for `!!int`).
fn written_tag(text: &str, at: usize, tag: &Tag) -> String {
    let rest = text.get(at..).unwrap_or("");
    if rest.starts_with("!<") {
        if let Some(end) = rest.find('>') {
            return rest[..=end].to_string();
        }
    } else if rest.starts_with('!') {
        let end = rest.find(|c: char| c.is_whitespace() || ",[]{}".contains(c)).unwrap_or(rest.len());
        return rest[..end].to_string();
    }
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        "!" => format!("!{}", tag.suffix),
        "" if tag.suffix == "!" => "!".to_string(),
        handle => format!("!<{handle}{}>", tag.suffix),
    }
}

fn sequence_dash(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut i = start;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i > 0 && i < start && b[i - 1] == b'-' { i - 1 } else { start }
}

/// The start of the `|` or `>` header of a block scalar whose content starts at byte `content`
/// (saphyr's span starts at the content). Falls back to `content` when no header is found.
fn block_scalar_header(text: &str, content: usize) -> usize {
    // The start of the content's line, then up over blank lines to the header line.
    let mut line_start = text[..content].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..content].bytes().any(|c| !matches!(c, b' ' | b'\t')) {
        return content;
    }
    loop {
        if line_start == 0 {
            return content;
        }
        let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[prev_start..line_start - 1];
        if !line.trim().is_empty() {
            // The header is the last `|` or `>` followed only by indicators, blanks and a comment.
            for (i, &c) in line.as_bytes().iter().enumerate().rev() {
                if (c == b'|' || c == b'>') && header_tail(&line[i + 1..]) {
                    return prev_start + i;
                }
            }
            return content;
        }
        line_start = prev_start;
    }
}

fn header_tail(rest: &str) -> bool {
    let rest = rest.trim_start_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    let rest = rest.trim_start_matches([' ', '\t', '\r']);
    rest.is_empty() || rest.starts_with('#')
}

/// Resolves a plain scalar with the YAML 1.2 core schema (see the module docs of `load`).
pub(super) fn resolve_plain(s: &str) -> Result<Value, String> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let b = s.as_bytes();
    if !(b[0].is_ascii_digit() || matches!(b[0], b'-' | b'+' | b'.')) {
        return Ok(Value::String(s.to_owned()));
    }
    if let Some(hex) = s.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Ok(big_int(u64::from_str_radix(hex, 16).ok(), hex, 16));
        }
        return Ok(Value::String(s.to_owned()));
    }
    if let Some(oct) = s.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
            return Ok(big_int(u64::from_str_radix(oct, 8).ok(), oct, 8));
        }
        return Ok(Value::String(s.to_owned()));
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        let negative = s.starts_with('-');
        if negative {
            if let Ok(i) = s.parse::<i64>() {
                return Ok(Value::Number(i.into()));
            }
        } else if let Ok(u) = digits.parse::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return float(s);
    }
    if is_core_float(digits) {
        return float(s);
    }
    Ok(Value::String(s.to_owned()))
}

/// An integer too large for 64 bits becomes a float, as in JSON.
fn big_int(exact: Option<u64>, digits: &str, radix: u32) -> Value {
    match exact {
        Some(u) => Value::Number(u.into()),
        None => {
            let f = digits
                .bytes()
                .fold(0f64, |acc, c| acc * f64::from(radix) + f64::from((c as char).to_digit(radix).unwrap_or(0)));
            Number::from_f64(f).map_or_else(|| Value::String(digits.to_owned()), Value::Number)
        }
    }
}

fn float(s: &str) -> Result<Value, String> {
    let f: f64 = s.parse().map_err(|_| format!("invalid number `{s}`"))?;
    Number::from_f64(f).map(Value::Number).ok_or_else(|| format!("the number `{s}` is out of range"))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign is already stripped).
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_schema_resolution() {
        let cases = [
            ("~", json!(null)),
            ("null", json!(null)),
            ("True", json!(true)),
            ("FALSE", json!(false)),
            ("42", json!(42)),
            ("-7", json!(-7)),
            ("+7", json!(7)),
            ("0x1F", json!(31)),
            ("0o17", json!(15)),
            ("1.5", json!(1.5)),
            ("-.5", json!(-0.5)),
            ("1e3", json!(1000.0)),
            ("1.", json!(1.0)),
            ("1.2.0", json!("1.2.0")),
            (".inf", json!(".inf")),
            (".nan", json!(".nan")),
            ("0x", json!("0x")),
            ("1_000", json!("1_000")),
            ("yes", json!("yes")),
            ("18446744073709551616", json!(18446744073709551616f64)),
            ("-", json!("-")),
            (".", json!(".")),
            ("1e", json!("1e")),
        ];
        for (input, expected) in cases {
            assert_eq!(resolve_plain(input).unwrap(), expected, "{input}");
        }
        assert!(resolve_plain("1e999").is_err());
    }

    #[test]
    fn offsets_move_both_ways() {
        let text = "aé€😀b";
        let mut o = Offsets::new(text);
        assert_eq!(o.byte(4), 10);
        assert_eq!(o.byte(1), 1);
        assert_eq!(o.byte(2), 3);
        assert_eq!(o.byte(5), 11);
        assert_eq!(o.byte(99), 11);
        assert_eq!(o.byte(0), 0);
    }
}
