//! A codec driven by the contracts at run time: encodes and decodes any message of any contract
//! set from its computed layout, with exactly the rules of the generated code
//! (`docs/reference/generated-code.md`), and no generated code.
//!
//! It is what the compatibility check uses to *show* what a change does on the wire (the
//! witnesses: a value encoded with one version, decoded with the other), what the property tests
//! use as the oracle of every compatibility rule, and what `decode` uses to print a frame stream
//! as JSON lines.
//!
//! # The rules it shares with the generated code
//!
//! * A payload is the message's fields in declaration order, each at its full maximum size,
//!   little-endian, no padding.
//! * A payload that ends exactly at a field boundary is an older one: that field and every later
//!   one take their default (the value of all-zero bytes, except that an enum takes its first
//!   value). Bytes after the last field are ignored (a newer payload). A payload that ends inside
//!   a field is [`DecodeErrorKind::Truncated`].
//! * A string, bytes or variable array whose length or count is above its bound is
//!   [`DecodeErrorKind::LengthOverBound`]; a string that is not UTF-8 is
//!   [`DecodeErrorKind::InvalidUtf8`]; a `bool` byte other than 0 or 1 is
//!   [`DecodeErrorKind::InvalidBool`]; an enum number the enum does not name is
//!   [`DecodeErrorKind::UnknownEnumValue`]. The unused part of a string, bytes or variable array
//!   is not read.
//! * An error is attributed to the innermost message field it was found in.
//!
//! A test compares this codec with the generated code byte for byte, in both directions.
//!
//! ```
//! use mycelium_contracts::dynamic::{Codec, Value};
//! use mycelium_contracts::model::{Contracts, Layout};
//!
//! let contracts: Contracts = serde_json::from_str(r#"{
//!     "version": "1.0.0",
//!     "messages": [{"name": "Quote", "type_id": 7, "fields": [
//!         {"name": "symbol", "type": "string", "max_len": 8},
//!         {"name": "bid", "type": "i64"}]}]}"#)?;
//! let layout = Layout::compute(&contracts);
//! let codec = Codec::new(&contracts, &layout)?;
//! let quote = codec.message_index("Quote").unwrap();
//!
//! let value = Value::Message(vec![Value::Str("BTC".into()), Value::Int(17)]);
//! let payload = codec.encode_to_vec(quote, &value)?;
//! assert_eq!(payload.len(), 18); // 2 + 8 + 8: every field at its full size
//! assert_eq!(codec.decode(quote, &payload)?, value);
//! assert_eq!(codec.decode(quote, &payload[..10])?, // an older payload, before `bid`
//!            Value::Message(vec![Value::Str("BTC".into()), Value::Int(0)]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod json;
pub mod stream;
mod value;

use std::fmt;

/// The element type of a field: the model's, whose enum indices are also those of
/// [`Codec::enums`].
pub use crate::model::Elem;
/// Whether a field is one value or an array: the model's repetition.
pub use crate::model::Repetition as Shape;
pub use value::{Value, ValueError};

use crate::model::{BuiltinType, Contracts, FieldLayout, Layout, ShapeError};
use crate::runtime::DecodeErrorKind;

/// How deep messages may embed each other for this codec (its walk is recursive).
pub const MAX_DEPTH: usize = 256;

/// How many values one message may hold, arrays and embedded messages unrolled. Only arrays of
/// zero-size elements (messages with no fields) can come near it: every other value takes at
/// least one byte of a payload of at most 64 KiB.
pub const MAX_VALUES: u64 = 1 << 18;

/// One enum as the codec sees it.
#[derive(Debug, Clone)]
pub struct EnumPlan {
    /// The enum's name (interned: error kinds name it with a `&'static str`, see
    /// [`DecodeErrorKind::UnknownEnumValue`]).
    pub name: &'static str,
    /// Bytes on the wire: 1, 2 or 4.
    pub size: usize,
    /// Its values in document order: the first is the default.
    pub values: Vec<(String, u32)>,
}

impl EnumPlan {
    /// The name of the number `value`, if the enum has one.
    pub fn name_of(&self, value: u32) -> Option<&str> {
        self.values.iter().find(|(_, v)| *v == value).map(|(n, _)| n.as_str())
    }

    /// The number of the value named `name`.
    pub fn value_of(&self, name: &str) -> Option<u32> {
        self.values.iter().find(|(n, _)| n == name).map(|&(_, v)| v)
    }
}

/// Interns an enum name for [`DecodeErrorKind::UnknownEnumValue`], whose name is a
/// `&'static str` as in generated code. Each distinct name is kept once for the life of the
/// process (names are at most [`crate::model::MAX_NAME_LEN`] characters).
fn intern(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    match names.get(name) {
        Some(&interned) => interned,
        None => {
            let interned: &'static str = Box::leak(name.to_owned().into_boxed_str());
            names.insert(interned);
            interned
        }
    }
}

/// One field as the codec sees it.
#[derive(Debug, Clone)]
pub struct FieldPlan {
    /// The field's name.
    pub name: String,
    /// Offset in the payload.
    pub offset: usize,
    /// Bytes on the wire (its full maximum size).
    pub size: usize,
    /// The element type.
    pub elem: Elem,
    /// Bytes of one element.
    pub elem_size: usize,
    /// One value or an array.
    pub shape: Shape,
}

/// One message as the codec sees it.
#[derive(Debug, Clone)]
pub struct MessagePlan {
    /// The message's name.
    pub name: String,
    /// Its `type_id`; `None` for an embedded-only message.
    pub type_id: Option<u16>,
    /// `MAX_SIZE`: every payload it encodes is this long.
    pub max_size: usize,
    /// `BUFFER_CLASS`: the per-type limit of a reader.
    pub buffer_class: usize,
    /// The fields, in wire order.
    pub fields: Vec<FieldPlan>,
}

/// The contracts could not be turned into a codec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError(String);

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlanError {}

/// A payload could not be decoded: what was wrong, and the innermost message field it was found
/// in. Displays like the generated code's [`crate::runtime::DecodeError`]
/// (`Trade.symbol: length 30 is above the bound 24`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What was wrong.
    pub kind: DecodeErrorKind,
    /// The message the field belongs to (empty when not attributed).
    pub message: String,
    /// The field (empty when not attributed).
    pub field: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let generated = crate::runtime::DecodeError::new(self.kind);
        if !self.field.is_empty() {
            write!(f, "{}.{}: ", self.message, self.field)?;
        }
        write!(f, "{generated}")
    }
}

impl std::error::Error for DecodeError {}

/// The codec of one contract set.
#[derive(Debug, Clone)]
pub struct Codec {
    messages: Vec<MessagePlan>,
    enums: Vec<EnumPlan>,
    version: String,
    /// Per message, per field: the JSON text before the field's value (`"name": `).
    json_keys: Vec<Vec<String>>,
}

/// An error not yet attributed: `(kind, Some((message, field)))`.
type WalkError = (DecodeErrorKind, Option<(usize, usize)>);

/// All-zero bytes: the default of any field, decoded (no message is larger).
static ZEROS: [u8; crate::model::MAX_MESSAGE_SIZE as usize] = [0; crate::model::MAX_MESSAGE_SIZE as usize];

impl Codec {
    /// Builds the codec of valid contracts. Fails when a message has no valid layout (unknown
    /// type, recursion, too large), embeds others more than [`MAX_DEPTH`] deep, or holds more
    /// than [`MAX_VALUES`] values.
    pub fn new(contracts: &Contracts, layout: &Layout) -> Result<Self, PlanError> {
        let enums: Vec<EnumPlan> = contracts
            .enums
            .iter()
            .map(|e| EnumPlan {
                name: intern(&e.name),
                size: e.wire_size() as usize,
                values: e.values.0.iter().map(|v| (v.name.clone(), v.value.clamp(0, u32::MAX.into()) as u32)).collect(),
            })
            .collect();
        let n = contracts.messages.len();
        let mut messages = Vec::with_capacity(n);
        for (i, m) in contracts.messages.iter().enumerate() {
            let l = match layout.get(i) {
                Some(Ok(l)) if !l.is_too_large() => l,
                _ => return Err(PlanError(format!("message `{}` has no valid layout", m.name))),
            };
            let mut fields = Vec::with_capacity(m.fields.len());
            for ((f, &FieldLayout { offset, size }), shape) in m.fields.iter().zip(&l.fields).zip(layout.shapes(i)) {
                let shape = match shape {
                    Ok(shape) => *shape,
                    Err(ShapeError::UnknownType) => return Err(PlanError(format!("unknown type `{}`", f.ty))),
                    Err(ShapeError::Unbounded(_)) => {
                        return Err(PlanError(format!("message `{}` has no valid layout", m.name)));
                    }
                };
                let Some(elem_size) = layout.elem_size(contracts, shape.elem) else {
                    return Err(PlanError(format!("message `{}` has no valid layout", f.ty)));
                };
                fields.push(FieldPlan {
                    name: f.name.clone(),
                    offset: offset as usize,
                    size: size as usize,
                    elem: shape.elem,
                    elem_size: elem_size as usize,
                    shape: shape.repetition,
                });
            }
            messages.push(MessagePlan {
                name: m.name.clone(),
                type_id: m.type_id,
                max_size: l.max_size as usize,
                buffer_class: l.buffer_class as usize,
                fields,
            });
        }
        let json_keys = messages
            .iter()
            .map(|m| {
                m.fields
                    .iter()
                    .map(|f| {
                        let mut key = String::new();
                        json::string(&mut key, &f.name);
                        key.push_str(": ");
                        key
                    })
                    .collect()
            })
            .collect();
        let codec = Codec { messages, enums, version: contracts.version.clone(), json_keys };
        codec.check_depth_and_values()?;
        Ok(codec)
    }

    /// Depth of embedding and values per message, iteratively (a chain of 100,000 embedded
    /// empty messages is valid contracts, and must not overflow this stack either).
    fn check_depth_and_values(&self) -> Result<(), PlanError> {
        let n = self.messages.len();
        // (depth, values) per message once known.
        let mut known: Vec<Option<(usize, u64)>> = vec![None; n];
        for root in 0..n {
            let mut stack = vec![root];
            while let Some(&m) = stack.last() {
                if known[m].is_some() {
                    stack.pop();
                    continue;
                }
                let mut pending = false;
                for f in &self.messages[m].fields {
                    if let Elem::Message(k) = f.elem
                        && known[k].is_none()
                    {
                        stack.push(k);
                        pending = true;
                    }
                }
                if pending {
                    if stack.len() > n + 1 {
                        return Err(PlanError("messages embed each other".into()));
                    }
                    continue;
                }
                let (mut depth, mut values) = (1usize, 1u64);
                for f in &self.messages[m].fields {
                    let (d, v) = match f.elem {
                        Elem::Message(k) => known[k].map(|(d, v)| (d + 1, v)).unwrap_or((usize::MAX, u64::MAX)),
                        _ => (1, 1),
                    };
                    let count = match f.shape {
                        Shape::One => 1,
                        Shape::Fixed(c) | Shape::Var(c) => c as u64 + 1,
                    };
                    depth = depth.max(d);
                    values = values.saturating_add(v.saturating_mul(count));
                }
                if depth > MAX_DEPTH {
                    return Err(PlanError(format!(
                        "message `{}` embeds messages more than {MAX_DEPTH} deep",
                        self.messages[m].name
                    )));
                }
                if values > MAX_VALUES {
                    return Err(PlanError(format!(
                        "message `{}` holds more than {MAX_VALUES} values",
                        self.messages[m].name
                    )));
                }
                known[m] = Some((depth, values));
                stack.pop();
            }
        }
        Ok(())
    }

    /// The JSON text before a field's value: its name as a string, and `: `.
    fn json_key(&self, message: usize, field: usize) -> &str {
        &self.json_keys[message][field]
    }

    /// The contracts' `version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Every message, in document order.
    pub fn messages(&self) -> &[MessagePlan] {
        &self.messages
    }

    /// One message by index.
    pub fn message(&self, index: usize) -> &MessagePlan {
        &self.messages[index]
    }

    /// Every enum, in document order.
    pub fn enums(&self) -> &[EnumPlan] {
        &self.enums
    }

    /// The index of the first message named `name`.
    pub fn message_index(&self, name: &str) -> Option<usize> {
        self.messages.iter().position(|m| m.name == name)
    }

    /// The index of the first message with `type_id`.
    pub fn by_type_id(&self, type_id: u16) -> Option<usize> {
        self.messages.iter().position(|m| m.type_id == Some(type_id))
    }

    /// Decodes a payload of message `index` into a value tree (a [`Value::Message`]).
    pub fn decode(&self, index: usize, payload: &[u8]) -> Result<Value, DecodeError> {
        let mut sink = value::Builder::default();
        self.walk_message(index, payload, false, &mut sink).map_err(|e| self.error(e))?;
        Ok(sink.finish())
    }

    /// Decodes a payload of message `index` as a JSON object appended to `out` (the forms of
    /// `decode`, `docs/decode.md`: integers up to 64 bits as numbers, wider ones as decimal strings, `Address`,
    /// `Hash` and `bytes` as `0x` hex). On error `out` is left as it was.
    pub fn decode_json(&self, index: usize, payload: &[u8], out: &mut String) -> Result<(), DecodeError> {
        let start = out.len();
        let mut sink = json::JsonSink::new(out, self);
        match self.walk_message(index, payload, false, &mut sink) {
            Ok(()) => Ok(()),
            Err(e) => {
                out.truncate(start);
                Err(self.error(e))
            }
        }
    }

    fn error(&self, (kind, at): WalkError) -> DecodeError {
        let (message, field) = match at {
            Some((m, f)) => (self.messages[m].name.clone(), self.messages[m].fields[f].name.clone()),
            None => (String::new(), String::new()),
        };
        DecodeError { kind, message, field }
    }

    /// The walk shared by every sink: exactly the generated code's reading rules. With
    /// `default`, `src` is all zeros standing for a field missing from an older payload, and the
    /// walk reports default values (an enum's first value where its bytes would say 0).
    fn walk_message<S: Sink>(&self, index: usize, src: &[u8], default: bool, sink: &mut S) -> Result<(), WalkError> {
        let plan = &self.messages[index];
        sink.begin_message(index);
        let mut rest = src;
        for (k, f) in plan.fields.iter().enumerate() {
            sink.field(index, k);
            if default || rest.is_empty() {
                // An older payload: this field and every later one take their default.
                self.walk_field(f, &ZEROS[..f.size], true, sink).map_err(|e| attribute(e, index, k))?;
                continue;
            }
            let Some((bytes, tail)) = rest.split_at_checked(f.size) else {
                return Err((DecodeErrorKind::Truncated { needed: f.size, available: rest.len() }, Some((index, k))));
            };
            rest = tail;
            self.walk_field(f, bytes, false, sink).map_err(|e| attribute(e, index, k))?;
        }
        sink.end_message();
        Ok(())
    }

    fn walk_field<S: Sink>(&self, f: &FieldPlan, src: &[u8], default: bool, sink: &mut S) -> Result<(), WalkError> {
        match f.shape {
            Shape::One => self.walk_elem(f.elem, src, default, sink),
            Shape::Fixed(n) => {
                sink.begin_array(n);
                for k in 0..n {
                    let at = k * f.elem_size;
                    self.walk_elem(f.elem, &src[at..at + f.elem_size], default, sink)?;
                }
                sink.end_array();
                Ok(())
            }
            Shape::Var(max) => {
                let count = usize::from(u16::from_le_bytes([src[0], src[1]]));
                if count > max {
                    return Err((DecodeErrorKind::LengthOverBound { len: count, max }, None));
                }
                sink.begin_array(count);
                for k in 0..count {
                    let at = 2 + k * f.elem_size;
                    self.walk_elem(f.elem, &src[at..at + f.elem_size], default, sink)?;
                }
                sink.end_array();
                Ok(())
            }
        }
    }

    fn walk_elem<S: Sink>(&self, elem: Elem, src: &[u8], default: bool, sink: &mut S) -> Result<(), WalkError> {
        match elem {
            Elem::Enum(e) => {
                let plan = &self.enums[e];
                if default {
                    sink.enum_value(&plan.values[0].0);
                    return Ok(());
                }
                let mut le = [0u8; 4];
                le[..plan.size].copy_from_slice(&src[..plan.size]);
                let value = u32::from_le_bytes(le);
                match plan.name_of(value) {
                    Some(name) => sink.enum_value(name),
                    None => return Err((DecodeErrorKind::UnknownEnumValue { name: plan.name, value }, None)),
                }
            }
            Elem::Scalar(t) => scalar(t, src, sink)?,
            Elem::Str(max) | Elem::Bytes(max) => {
                let len = usize::from(u16::from_le_bytes([src[0], src[1]]));
                if len > max {
                    return Err((DecodeErrorKind::LengthOverBound { len, max }, None));
                }
                let data = &src[2..2 + len];
                if matches!(elem, Elem::Str(_)) {
                    match std::str::from_utf8(data) {
                        Ok(s) => sink.str(s),
                        Err(e) => return Err((DecodeErrorKind::InvalidUtf8 { valid_up_to: e.valid_up_to() }, None)),
                    }
                } else {
                    sink.bytes(data);
                }
            }
            Elem::Message(k) => self.walk_message(k, src, default, sink)?,
        }
        Ok(())
    }

    /// Encodes `value` (a [`Value::Message`] of message `index`) into the first `MAX_SIZE` bytes
    /// of `out`, every unused part zero; returns the bytes written.
    pub fn encode(&self, index: usize, value: &Value, out: &mut [u8]) -> Result<usize, ValueError> {
        let size = self.messages[index].max_size;
        let Some(dst) = out.get_mut(..size) else {
            return Err(ValueError::new(format!("output of {} bytes, {size} needed", out.len())));
        };
        self.put_message(index, value, dst)?;
        Ok(size)
    }

    /// Encodes `value` into a new vector of `MAX_SIZE` bytes.
    pub fn encode_to_vec(&self, index: usize, value: &Value) -> Result<Vec<u8>, ValueError> {
        let mut out = vec![0; self.messages[index].max_size];
        self.encode(index, value, &mut out)?;
        Ok(out)
    }

    fn put_message(&self, index: usize, value: &Value, dst: &mut [u8]) -> Result<(), ValueError> {
        let plan = &self.messages[index];
        let Value::Message(values) = value else {
            return Err(ValueError::new(format!("{}: expected a message value", plan.name)));
        };
        if values.len() != plan.fields.len() {
            return Err(ValueError::new(format!(
                "{}: {} field values for {} fields",
                plan.name,
                values.len(),
                plan.fields.len()
            )));
        }
        for (f, v) in plan.fields.iter().zip(values) {
            let d = &mut dst[f.offset..f.offset + f.size];
            self.put_field(f, v, d).map_err(|e| e.context(&plan.name, &f.name))?;
        }
        Ok(())
    }

    fn put_field(&self, f: &FieldPlan, value: &Value, dst: &mut [u8]) -> Result<(), ValueError> {
        dst.fill(0);
        match f.shape {
            Shape::One => self.put_elem(f.elem, value, dst),
            Shape::Fixed(n) | Shape::Var(n) => {
                let Value::Array(items) = value else { return Err(ValueError::new("expected an array")) };
                let var = matches!(f.shape, Shape::Var(_));
                if (var && items.len() > n) || (!var && items.len() != n) {
                    return Err(ValueError::new(format!("{} elements for {n}", items.len())));
                }
                let start = if var {
                    dst[..2].copy_from_slice(&(items.len() as u16).to_le_bytes());
                    2
                } else {
                    0
                };
                for (k, item) in items.iter().enumerate() {
                    let at = start + k * f.elem_size;
                    self.put_elem(f.elem, item, &mut dst[at..at + f.elem_size])?;
                }
                Ok(())
            }
        }
    }

    fn put_elem(&self, elem: Elem, value: &Value, dst: &mut [u8]) -> Result<(), ValueError> {
        match elem {
            Elem::Scalar(t) => value::put_scalar(t, value, dst),
            Elem::Str(max) | Elem::Bytes(max) => {
                let data: &[u8] = match (elem, value) {
                    (Elem::Str(_), Value::Str(s)) => s.as_bytes(),
                    (Elem::Bytes(_), Value::Bytes(b)) => b,
                    _ => return Err(ValueError::new("expected a string or bytes value")),
                };
                if data.len() > max {
                    return Err(ValueError::new(format!("length {} is above the bound {max}", data.len())));
                }
                dst[..2].copy_from_slice(&(data.len() as u16).to_le_bytes());
                dst[2..2 + data.len()].copy_from_slice(data);
                Ok(())
            }
            Elem::Message(k) => self.put_message(k, value, dst),
            Elem::Enum(e) => {
                let plan = &self.enums[e];
                let Value::Enum(name) = value else {
                    return Err(ValueError::new(format!("expected a `{}` value", plan.name)));
                };
                let Some(number) = plan.value_of(name) else {
                    return Err(ValueError::new(format!("`{name}` is not a value of enum `{}`", plan.name)));
                };
                dst[..plan.size].copy_from_slice(&number.to_le_bytes()[..plan.size]);
                Ok(())
            }
        }
    }

    /// The default value of message `index`: what all-zero bytes decode to, every enum at its
    /// first value (what a field missing from an older payload reads as).
    pub fn default_value(&self, index: usize) -> Value {
        let size = self.messages[index].max_size;
        let mut sink = value::Builder::default();
        // Defaults always decode: lengths and counts 0, `bool` false, enums their first value.
        match self.walk_message(index, &ZEROS[..size], true, &mut sink) {
            Ok(()) => sink.finish(),
            Err(_) => Value::Message(Vec::new()),
        }
    }
}

fn attribute((kind, at): WalkError, message: usize, field: usize) -> WalkError {
    (kind, at.or(Some((message, field))))
}

fn scalar<S: Sink>(t: BuiltinType, src: &[u8], sink: &mut S) -> Result<(), WalkError> {
    use BuiltinType::*;
    let mut le = [0u8; 16];
    let n = src.len().min(16);
    le[..n].copy_from_slice(&src[..n]);
    match t {
        Bool => match src[0] {
            0 => sink.bool(false),
            1 => sink.bool(true),
            value => return Err((DecodeErrorKind::InvalidBool { value }, None)),
        },
        U8 | U16 | U32 | U64 | U128 => sink.uint(u128::from_le_bytes(le), t == U128),
        I8 | I16 | I32 | I64 | I128 => {
            // Sign-extend from the field's width.
            let bits = 8 * src.len() as u32;
            let raw = u128::from_le_bytes(le);
            let v = ((raw << (128 - bits)) as i128) >> (128 - bits);
            sink.int(v, t == I128);
        }
        F32 => sink.f32(f32::from_le_bytes([src[0], src[1], src[2], src[3]])),
        F64 => sink.f64(f64::from_le_bytes(le[..8].try_into().unwrap_or([0; 8]))),
        Address => sink.fixed(t, src),
        Uint256 | Int256 | Hash => sink.fixed(t, src),
        // Never an `Elem::Scalar`: the model makes them `Elem::Str` and `Elem::Bytes`.
        String | Bytes => {}
    }
    Ok(())
}

/// What a walk reports, value by value, in wire order.
trait Sink {
    fn begin_message(&mut self, index: usize);
    fn field(&mut self, message: usize, field: usize);
    fn end_message(&mut self);
    fn begin_array(&mut self, len: usize);
    fn end_array(&mut self);
    fn bool(&mut self, v: bool);
    /// An unsigned integer; `wide` for a 128-bit type.
    fn uint(&mut self, v: u128, wide: bool);
    /// A signed integer; `wide` for a 128-bit type.
    fn int(&mut self, v: i128, wide: bool);
    fn f32(&mut self, v: f32);
    fn f64(&mut self, v: f64);
    /// `Address`, `uint256`, `int256`, `Hash`: their bytes as on the wire.
    fn fixed(&mut self, t: BuiltinType, bytes: &[u8]);
    fn str(&mut self, s: &str);
    fn bytes(&mut self, b: &[u8]);
    /// An enum value, by name.
    fn enum_value(&mut self, name: &str);
}
