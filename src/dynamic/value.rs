//! The value tree of the contracts-driven codec, and its one-line text form.

use std::fmt::{self, Write as _};

use super::{Codec, Elem, Shape, Sink};
use crate::model::BuiltinType;

/// A decoded value: one field, one element of an array, or a whole message.
///
/// Floats compare by their bits (a NaN equals the same NaN), so `decode(encode(v)) == v` holds
/// for every value.
#[derive(Debug, Clone)]
pub enum Value {
    /// `bool`.
    Bool(bool),
    /// `u8` … `u128`.
    UInt(u128),
    /// `i8` … `i128`.
    Int(i128),
    /// `f32`.
    F32(f32),
    /// `f64`.
    F64(f64),
    /// `Address`, `uint256`, `int256` or `Hash`: its bytes as on the wire (little-endian for the
    /// integers).
    Fixed(Vec<u8>),
    /// `string`.
    Str(String),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// A fixed or variable array.
    Array(Vec<Value>),
    /// A message: one value per field, in wire order.
    Message(Vec<Value>),
    /// An enum value, by name (a value is identified by its name, not its number).
    Enum(String),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Bool(a), Bool(b)) => a == b,
            (UInt(a), UInt(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (F32(a), F32(b)) => a.to_bits() == b.to_bits(),
            (F64(a), F64(b)) => a.to_bits() == b.to_bits(),
            (Fixed(a), Fixed(b)) | (Bytes(a), Bytes(b)) => a == b,
            (Str(a), Str(b)) | (Enum(a), Enum(b)) => a == b,
            (Array(a), Array(b)) | (Message(a), Message(b)) => a == b,
            _ => false,
        }
    }
}

/// A value does not fit the message it is encoded as (wrong kind, too long, out of range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(String);

impl ValueError {
    pub(super) fn new(text: impl Into<String>) -> Self {
        ValueError(text.into())
    }

    pub(super) fn context(self, message: &str, field: &str) -> Self {
        if self.0.contains(": ") { self } else { ValueError(format!("{message}.{field}: {}", self.0)) }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

pub(super) fn put_scalar(t: BuiltinType, value: &Value, dst: &mut [u8]) -> Result<(), ValueError> {
    use BuiltinType::*;
    let width = dst.len();
    let out_of_range = || ValueError::new(format!("value out of range for `{}`", t.canonical_name()));
    match (t, value) {
        (Bool, Value::Bool(b)) => dst[0] = u8::from(*b),
        (U8 | U16 | U32 | U64 | U128, Value::UInt(v)) => {
            if width < 16 && *v >> (8 * width) != 0 {
                return Err(out_of_range());
            }
            dst.copy_from_slice(&v.to_le_bytes()[..width]);
        }
        (I8 | I16 | I32 | I64 | I128, Value::Int(v)) => {
            if width < 16 {
                let bits = 8 * width as u32;
                let (min, max) = (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
                if *v < min || *v > max {
                    return Err(out_of_range());
                }
            }
            dst.copy_from_slice(&v.to_le_bytes()[..width]);
        }
        (F32, Value::F32(v)) => dst.copy_from_slice(&v.to_le_bytes()),
        (F64, Value::F64(v)) => dst.copy_from_slice(&v.to_le_bytes()),
        (Address | Uint256 | Int256 | Hash, Value::Fixed(b)) if b.len() == width => dst.copy_from_slice(b),
        _ => return Err(ValueError::new(format!("not a `{}` value", t.canonical_name()))),
    }
    Ok(())
}

/// Builds a value tree from a walk.
#[derive(Default)]
pub(super) struct Builder {
    /// Open messages and arrays, innermost last.
    stack: Vec<Vec<Value>>,
    done: Option<Value>,
}

impl Builder {
    pub(super) fn finish(self) -> Value {
        self.done.unwrap_or(Value::Message(Vec::new()))
    }

    fn push(&mut self, v: Value) {
        match self.stack.last_mut() {
            Some(top) => top.push(v),
            None => self.done = Some(v),
        }
    }
}

impl Sink for Builder {
    fn begin_message(&mut self, _index: usize) {
        self.stack.push(Vec::new());
    }
    fn field(&mut self, _message: usize, _field: usize) {}
    fn end_message(&mut self) {
        let fields = self.stack.pop().unwrap_or_default();
        self.push(Value::Message(fields));
    }
    fn begin_array(&mut self, len: usize) {
        self.stack.push(Vec::with_capacity(len));
    }
    fn end_array(&mut self) {
        let items = self.stack.pop().unwrap_or_default();
        self.push(Value::Array(items));
    }
    fn bool(&mut self, v: bool) {
        self.push(Value::Bool(v));
    }
    fn uint(&mut self, v: u128, _wide: bool) {
        self.push(Value::UInt(v));
    }
    fn int(&mut self, v: i128, _wide: bool) {
        self.push(Value::Int(v));
    }
    fn f32(&mut self, v: f32) {
        self.push(Value::F32(v));
    }
    fn f64(&mut self, v: f64) {
        self.push(Value::F64(v));
    }
    fn fixed(&mut self, _t: BuiltinType, bytes: &[u8]) {
        self.push(Value::Fixed(bytes.to_vec()));
    }
    fn str(&mut self, s: &str) {
        self.push(Value::Str(s.to_string()));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.push(Value::Bytes(b.to_vec()));
    }
    fn enum_value(&mut self, name: &str) {
        self.push(Value::Enum(name.to_string()));
    }
}

impl Codec {
    /// A one-line text form of a value of message `index` for people:
    /// `{symbol: "BTC-USDT", price_e8: 9700000000000}`. With `only`, just the fields it names
    /// (in wire order).
    pub fn display(&self, index: usize, value: &Value, only: Option<&[&str]>) -> String {
        let mut out = String::new();
        self.text_message(index, value, only, &mut out);
        out
    }

    /// One field of a message value in the text form (`9700000000000`), or `None` when the
    /// message has no such field.
    pub fn display_field(&self, index: usize, value: &Value, field: &str) -> Option<String> {
        let plan = self.message(index);
        let k = plan.fields.iter().position(|f| f.name == field)?;
        let Value::Message(values) = value else { return None };
        let mut out = String::new();
        self.text_field(plan.fields[k].elem, plan.fields[k].shape, values.get(k)?, &mut out);
        Some(out)
    }

    fn text_message(&self, index: usize, value: &Value, only: Option<&[&str]>, out: &mut String) {
        let plan = self.message(index);
        let Value::Message(values) = value else {
            out.push('?');
            return;
        };
        out.push('{');
        let mut first = true;
        for (f, v) in plan.fields.iter().zip(values) {
            if only.is_some_and(|names| !names.contains(&f.name.as_str())) {
                continue;
            }
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push_str(&f.name);
            out.push_str(": ");
            self.text_field(f.elem, f.shape, v, out);
        }
        out.push('}');
    }

    fn text_field(&self, elem: Elem, shape: Shape, value: &Value, out: &mut String) {
        match (shape, value) {
            (Shape::One, v) => self.text_elem(elem, v, out),
            (_, Value::Array(items)) => {
                out.push('[');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    self.text_elem(elem, item, out);
                }
                out.push(']');
            }
            _ => out.push('?'),
        }
    }

    fn text_elem(&self, elem: Elem, value: &Value, out: &mut String) {
        match (elem, value) {
            (Elem::Message(k), v) => self.text_message(k, v, None, out),
            (Elem::Scalar(t), Value::Fixed(b)) => fixed_text(t, b, out),
            (_, Value::Bool(b)) => {
                let _ = write!(out, "{b}");
            }
            (_, Value::UInt(v)) => {
                let _ = write!(out, "{v}");
            }
            (_, Value::Int(v)) => {
                let _ = write!(out, "{v}");
            }
            (_, Value::F32(v)) => {
                let _ = write!(out, "{v:?}");
            }
            (_, Value::F64(v)) => {
                let _ = write!(out, "{v:?}");
            }
            (_, Value::Str(s)) => {
                let _ = write!(out, "{s:?}");
            }
            (_, Value::Bytes(b)) => hex(b, out),
            (_, Value::Enum(name)) => out.push_str(name),
            _ => out.push('?'),
        }
    }
}

/// `Address` and `Hash` as `0x` hex, `uint256` and `int256` as decimal.
pub(super) fn fixed_text(t: BuiltinType, bytes: &[u8], out: &mut String) {
    use crate::runtime::{I256, U256};
    let mut b = [0u8; 32];
    match t {
        BuiltinType::Uint256 if bytes.len() == 32 => {
            b.copy_from_slice(bytes);
            let _ = write!(out, "{}", U256::from_le_bytes(b));
        }
        BuiltinType::Int256 if bytes.len() == 32 => {
            b.copy_from_slice(bytes);
            let _ = write!(out, "{}", I256::from_le_bytes(b));
        }
        _ => hex(bytes, out),
    }
}

/// `0x` and two lowercase hex digits a byte.
pub(super) fn hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(2 + 2 * bytes.len());
    out.push_str("0x");
    // Through a stack buffer, 32 bytes at a time: one copy into `out` per chunk.
    let mut text = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (pair, &b) in text.chunks_exact_mut(2).zip(chunk) {
            pair[0] = DIGITS[usize::from(b >> 4)];
            pair[1] = DIGITS[usize::from(b & 15)];
        }
        // Hex digits: always UTF-8.
        out.push_str(std::str::from_utf8(&text[..2 * chunk.len()]).unwrap_or("?"));
    }
}
