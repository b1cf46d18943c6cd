//! Witnesses: what a change does on the wire, shown with one concrete value.
//!
//! A witness is computed, never written from a template of the rule: a probe value of the
//! message is encoded by one version's codec ([`crate::dynamic::Codec`]), framed with that
//! version's `type_id`, and handed to a reader of the other version, which looks the type up in
//! its own frame limits (each framed message's `BUFFER_CLASS`) and decodes the payload with its
//! own layout. What the reader got is compared, field by field, with what was written:
//!
//! * `a 1.0.0 reader decodes a 1.1.0 Trade {symbol: "BTC-USDT", price_e8: 9700000000000} as
//!   price_e8: 8434652763832451072` — a wrong value, read without an error;
//! * `a 1.0.0 reader rejects a 1.1.0 SwapEvent: 148 bytes over its limit of 128`;
//! * `a 1.1.0 reader decodes a 1.0.0 Quote {bid: 17} with every common field equal (ask: its
//!   default)`.
//!
//! Both directions (new writer and old reader, old writer and new reader) and two probes (short
//! values, and values at every bound) are tried; the witness is the worst outcome found: a wrong
//! value before a rejection before a clean read.

use crate::dynamic::{Codec, Elem, Shape, Value};
use crate::model::BuiltinType;

/// What a reader made of one frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The reader refused the frame (unknown type, over its limit, or a decode error).
    Rejected(String),
    /// The reader decoded the frame, but a field present in both versions came back different
    /// (or the frame decoded as another message).
    Misread {
        /// The first field that differs (empty when the whole message is another one).
        field: String,
        /// What the reader got, as text.
        got: String,
        /// The reader's message, when it is not the writer's.
        other_message: Option<String>,
    },
    /// Every field present in both versions came back as written.
    Equal {
        /// Fields the writer sent that the reader does not know (ignored).
        ignored: Vec<String>,
        /// Fields the reader knows that the writer did not send (their default).
        defaulted: Vec<String>,
    },
}

impl Outcome {
    fn severity(&self) -> u8 {
        match self {
            Outcome::Misread { .. } => 2,
            Outcome::Rejected(_) => 1,
            Outcome::Equal { .. } => 0,
        }
    }
}

/// Writes `value` of message `w` with `writer`, reads the frame with `reader`.
pub fn simulate(writer: &Codec, w: usize, value: &Value, reader: &Codec) -> Outcome {
    let wm = writer.message(w);
    let payload = match writer.encode_to_vec(w, value) {
        Ok(p) => p,
        Err(e) => return Outcome::Rejected(format!("the value cannot be encoded: {e}")),
    };
    let r = match wm.type_id {
        Some(type_id) => match reader.by_type_id(type_id) {
            Some(r) => r,
            None => return Outcome::Rejected(format!("type_id {type_id} is unknown to it")),
        },
        // Embedded-only: it travels inside other messages, read with the reader's layout.
        None => match reader.message_index(&wm.name) {
            Some(r) => r,
            None => return Outcome::Rejected(format!("it has no message {}", wm.name)),
        },
    };
    let rm = reader.message(r);
    if wm.type_id.is_some() && payload.len() > rm.buffer_class {
        return Outcome::Rejected(format!("{} bytes over its limit of {}", payload.len(), rm.buffer_class));
    }
    let got = match reader.decode(r, &payload) {
        Ok(v) => v,
        Err(e) => return Outcome::Rejected(e.to_string()),
    };
    if rm.name != wm.name {
        return Outcome::Misread {
            field: String::new(),
            got: cut(reader.display(r, &got, None)),
            other_message: Some(rm.name.clone()),
        };
    }
    let (Value::Message(sent), Value::Message(read)) = (value, &got) else {
        return Outcome::Rejected("not a message value".into());
    };
    let mut ignored = Vec::new();
    for (k, f) in wm.fields.iter().enumerate() {
        match rm.fields.iter().position(|g| g.name == f.name) {
            Some(j) => {
                if !same_kind(writer, f.elem, f.shape, reader, rm.fields[j].elem, rm.fields[j].shape)
                    || sent.get(k) != read.get(j)
                {
                    return Outcome::Misread {
                        field: f.name.clone(),
                        got: cut(reader.display_field(r, &got, &f.name).unwrap_or_default()),
                        other_message: None,
                    };
                }
            }
            None => ignored.push(f.name.clone()),
        }
    }
    let defaulted =
        rm.fields.iter().filter(|g| !wm.fields.iter().any(|f| f.name == g.name)).map(|g| g.name.clone()).collect();
    Outcome::Equal { ignored, defaulted }
}

/// Whether two fields hold values of the same type (so equal values mean the same thing): a
/// `u8` 7 and a `u16` 7 are both `UInt(7)`, and that is still a changed field.
fn same_kind(a: &Codec, ae: Elem, ash: Shape, b: &Codec, be: Elem, bsh: Shape) -> bool {
    let shape = |s: Shape| match s {
        Shape::One => 0,
        Shape::Fixed(_) => 1,
        Shape::Var(_) => 2,
    };
    if shape(ash) != shape(bsh) {
        return false;
    }
    match (ae, be) {
        (Elem::Scalar(x), Elem::Scalar(y)) => x == y,
        (Elem::Str(_), Elem::Str(_)) | (Elem::Bytes(_), Elem::Bytes(_)) => true,
        // Values are compared by name; a new wire type is another kind of field.
        (Elem::Enum(x), Elem::Enum(y)) => a.enums()[x].size == b.enums()[y].size,
        (Elem::Message(x), Elem::Message(y)) => {
            let (mx, my) = (a.message(x), b.message(y));
            mx.fields.len() == my.fields.len()
                && mx.fields.iter().zip(&my.fields).all(|(f, g)| {
                    f.name == g.name && f.size == g.size && same_kind(a, f.elem, f.shape, b, g.elem, g.shape)
                })
        }
        _ => false,
    }
}

/// A probe value of message `index`, to be read by a reader with the codec `other`: `full`
/// puts every string, bytes and variable array at its bound; otherwise values are short. Every
/// number is distinct and non-zero, so a field read from the wrong bytes shows. The fields of
/// the enum named `focus` hold a value the other version does not know under the same number,
/// when there is one; the fields of every other enum a value both versions agree on, so that
/// the witness of a change shows that change and not another one.
pub fn probe(codec: &Codec, index: usize, full: bool, other: &Codec, focus: Option<&str>) -> Value {
    let mut seed = 0u32;
    let enums: Vec<usize> = codec
        .enums()
        .iter()
        .map(|e| if focus == Some(e.name) { telling_value(e, other) } else { agreed_value(e, other) })
        .collect();
    let p = Prober { codec, full, enums: &enums };
    p.message(index, &mut seed, 0)
}

/// The index of the value of `e` that tells the two versions apart: the first whose name the
/// other version's enum of the same name lacks, or holds under another number, or whose
/// number it gives another name; the last value when none does.
fn telling_value(e: &crate::dynamic::EnumPlan, other: &Codec) -> usize {
    let Some(o) = other.enums().iter().find(|o| o.name == e.name) else { return e.values.len() - 1 };
    e.values
        .iter()
        .position(|(name, number)| o.value_of(name) != Some(*number) || o.name_of(*number) != Some(name))
        .unwrap_or(e.values.len() - 1)
}

/// The index of the first value of `e` that the other version's enum of the same name has
/// under the same name and number; the first value when there is none.
fn agreed_value(e: &crate::dynamic::EnumPlan, other: &Codec) -> usize {
    let Some(o) = other.enums().iter().find(|o| o.name == e.name) else { return 0 };
    e.values
        .iter()
        .position(|(name, number)| o.value_of(name) == Some(*number) && o.name_of(*number) == Some(name))
        .unwrap_or(0)
}

struct Prober<'a> {
    codec: &'a Codec,
    full: bool,
    /// Per enum of the codec: the value to probe with.
    enums: &'a [usize],
}

impl Prober<'_> {
    fn message(&self, index: usize, seed: &mut u32, depth: usize) -> Value {
        let plan = self.codec.message(index);
        let mut values = Vec::with_capacity(plan.fields.len());
        for f in &plan.fields {
            let v = match f.shape {
                Shape::One => self.elem(f.elem, seed, depth),
                Shape::Fixed(n) => Value::Array((0..n).map(|_| self.elem(f.elem, seed, depth)).collect()),
                Shape::Var(n) => {
                    let len = if self.full { n } else { n.min(2) };
                    Value::Array((0..len).map(|_| self.elem(f.elem, seed, depth)).collect())
                }
            };
            values.push(v);
        }
        Value::Message(values)
    }

    fn elem(&self, elem: Elem, seed: &mut u32, depth: usize) -> Value {
        let (codec, full) = (self.codec, self.full);
        *seed = seed.wrapping_add(1);
        let s = *seed;
        match elem {
            Elem::Scalar(t) => probe_scalar(t, s),
            Elem::Str(max) => {
                let len = if full { max } else { max.min(8) };
                Value::Str(TEXT.chars().cycle().take(len).collect())
            }
            Elem::Bytes(max) => {
                let len = if full { max } else { max.min(4) };
                Value::Bytes((0..len).map(|k| 0xa0u8.wrapping_add(k as u8).wrapping_add(s as u8)).collect())
            }
            Elem::Enum(e) => Value::Enum(codec.enums()[e].values[self.enums[e]].0.clone()),
            Elem::Message(k) if depth < crate::dynamic::MAX_DEPTH => self.message(k, seed, depth + 1),
            Elem::Message(k) => codec.default_value(k),
        }
    }
}

const TEXT: &str = "BTC-USDT-PERP-2026-12-31-";

fn probe_scalar(t: BuiltinType, s: u32) -> Value {
    use BuiltinType::*;
    // Distinct values that use more than the lowest byte where the type has room, so a field
    // read from shifted bytes does not come back equal by chance.
    let small = u128::from(16 + s % 200);
    match t {
        Bool => Value::Bool(true),
        U8 => Value::UInt(small),
        I8 => Value::Int(-(small as i128) / 2),
        U16 => Value::UInt(1000 + u128::from(s)),
        I16 => Value::Int(-1000 - i128::from(s)),
        U32 => Value::UInt(100_000 + u128::from(s)),
        I32 => Value::Int(-100_000 - i128::from(s)),
        U64 => Value::UInt(9_700_000_000_000 + u128::from(s)),
        I64 => Value::Int(9_700_000_000_000 + i128::from(s)),
        U128 => Value::UInt(10u128.pow(30) + u128::from(s)),
        I128 => Value::Int(-(10i128.pow(30)) - i128::from(s)),
        F32 => Value::F32(1.5 + s as f32),
        F64 => Value::F64(2.25 + f64::from(s)),
        Address => Value::Fixed((0..20).map(|k| 0x10u8.wrapping_add(k).wrapping_add(s as u8)).collect()),
        Uint256 | Int256 => {
            let mut b = vec![0u8; 32];
            b[..8].copy_from_slice(&(1_000_000_000_000u64 + u64::from(s)).to_le_bytes());
            Value::Fixed(b)
        }
        Hash => Value::Fixed((0..32).map(|k| 0x80u8.wrapping_add(k).wrapping_add(s as u8)).collect()),
        String | Bytes => Value::Str(std::string::String::new()),
    }
}

/// The worst outcome found for a message pair, with what it takes to render it.
#[derive(Debug, Clone)]
pub struct Probed {
    outcome: Outcome,
    /// The writer is the new version.
    new_writes: bool,
    writer_message: usize,
    value: Value,
}

/// Runs both directions and both probes for message `b` of the base and `n` of the new
/// contracts (either may be absent: an added or removed message) and keeps the worst outcome.
/// The fields of the enum `focus` are probed with a value that tells the versions apart, every
/// other enum with one they agree on (see [`probe`]).
pub fn probe_pair(
    base: &Codec,
    b: Option<usize>,
    new: &Codec,
    n: Option<usize>,
    focus: Option<&str>,
) -> Option<Probed> {
    let mut runs: Vec<(usize, bool)> = Vec::new();
    if let Some(n) = n {
        runs.push((n, true));
    }
    if let Some(b) = b {
        runs.push((b, false));
    }
    let mut best: Option<Probed> = None;
    for full in [false, true] {
        for &(w, new_writes) in &runs {
            let (writer, reader) = if new_writes { (new, base) } else { (base, new) };
            // A message embedded-only in the writer's version but framed in the reader's never
            // reaches that reader on its own (`message-framing-changed`, `message-framed`).
            let framed_for_reader = reader.message_index(&writer.message(w).name).map(|r| reader.message(r).type_id);
            if writer.message(w).type_id.is_none() && framed_for_reader.is_some_and(|t| t.is_some()) {
                continue;
            }
            let value = probe(writer, w, full, reader, focus);
            let outcome = simulate(writer, w, &value, reader);
            if best.as_ref().is_none_or(|p| outcome.severity() > p.outcome.severity()) {
                best = Some(Probed { outcome, new_writes, writer_message: w, value });
            }
        }
    }
    best
}

/// The witness text of a probed pair; `focus` names the changed field, shown in the probe
/// value when the writer's message has it.
pub fn render_witness(base: &Codec, new: &Codec, probed: &Probed, focus: Option<&str>) -> String {
    let (writer, reader) = if probed.new_writes { (new, base) } else { (base, new) };
    render(writer, probed.writer_message, &probed.value, reader, &probed.outcome, focus)
}

fn render(writer: &Codec, w: usize, value: &Value, reader: &Codec, outcome: &Outcome, focus: Option<&str>) -> String {
    let name = &writer.message(w).name;
    let (rv, wv) = (reader.version(), writer.version());
    match outcome {
        Outcome::Rejected(why) => format!("a {rv} reader rejects a {wv} {name}: {why}"),
        Outcome::Misread { got, other_message: Some(other), .. } => {
            let sent = cut(writer.display(w, value, None));
            format!("a {rv} reader decodes a {wv} {name} {sent} as a {other} {got}")
        }
        Outcome::Misread { field, got, other_message: None, .. } => {
            let mut shown: Vec<&str> = Vec::new();
            if let Some(f) = focus
                && f != field
                && writer.message(w).fields.iter().any(|x| x.name == f)
            {
                shown.push(f);
            }
            shown.push(field);
            let shown_text = cut(writer.display(w, value, Some(&shown)));
            format!("a {rv} reader decodes a {wv} {name} {shown_text} as {field}: {got}")
        }
        Outcome::Equal { ignored, defaulted } => {
            let shown: Vec<&str> = focus.into_iter().collect();
            let value_text = if shown.is_empty() {
                String::new()
            } else {
                let t = writer.display(w, value, Some(&shown));
                if t == "{}" { String::new() } else { format!(" {}", cut(t)) }
            };
            let mut notes = Vec::new();
            if !ignored.is_empty() {
                notes.push(format!("{} ignored", ignored.join(", ")));
            }
            if !defaulted.is_empty() {
                notes.push(format!(
                    "{} at {} default",
                    defaulted.join(", "),
                    if defaulted.len() == 1 { "its" } else { "their" }
                ));
            }
            let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
            format!("a {rv} reader decodes a {wv} {name}{value_text} with every common field equal{notes}")
        }
    }
}

/// Text of a value cut to a readable length.
fn cut(mut text: String) -> String {
    const MAX: usize = 160;
    if text.len() > MAX {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}
