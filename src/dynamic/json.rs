//! JSON text straight from a walk, with no value tree in between: what `decode` prints.
//!
//! Integers of up to 64 bits are JSON numbers and wider ones (`u128`, `i128`, `uint256`,
//! `int256`) decimal strings, whatever their value; `Address`, `Hash` and `bytes` are `0x` hex
//! strings; arrays are arrays, embedded messages objects. A float that
//! JSON cannot hold (NaN, an infinity) is the string `"NaN"`, `"inf"` or `"-inf"`.

use std::fmt::Write as _;

use super::value::{fixed_text, hex};
use super::{Codec, Sink};
use crate::model::BuiltinType;

pub(super) struct JsonSink<'a> {
    out: &'a mut String,
    codec: &'a Codec,
    /// The next value follows an object key (or is the root value): no comma before it.
    after_key: bool,
}

impl<'a> JsonSink<'a> {
    pub(super) fn new(out: &'a mut String, codec: &'a Codec) -> Self {
        JsonSink { out, codec, after_key: true }
    }

    /// Before any value: a comma when it follows another element of the same array (object
    /// members get theirs, and their key, in `field`). Nothing is kept per open container: an
    /// array element is the first one exactly when the text so far ends with the array's `[`.
    #[inline]
    fn value(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else if !self.out.ends_with('[') {
            self.out.push_str(", ");
        }
    }
}

impl Sink for JsonSink<'_> {
    fn begin_message(&mut self, _index: usize) {
        self.value();
        self.out.push('{');
    }
    fn field(&mut self, message: usize, field: usize) {
        if field > 0 {
            self.out.push_str(", ");
        }
        self.out.push_str(self.codec.json_key(message, field));
        self.after_key = true;
    }
    fn end_message(&mut self) {
        self.out.push('}');
    }
    fn begin_array(&mut self, _len: usize) {
        self.value();
        self.out.push('[');
    }
    fn end_array(&mut self) {
        self.out.push(']');
    }
    fn bool(&mut self, v: bool) {
        self.value();
        self.out.push_str(if v { "true" } else { "false" });
    }
    // The JSON type follows the field's type, never its value: a `u128` is a string even when
    // it is small, so a consumer sees one JSON type per field.
    fn uint(&mut self, v: u128, wide: bool) {
        self.value();
        if wide {
            self.out.push('"');
        }
        match u64::try_from(v) {
            Ok(v) => decimal(self.out, v, false),
            Err(_) => {
                let _ = write!(self.out, "{v}");
            }
        }
        if wide {
            self.out.push('"');
        }
    }
    fn int(&mut self, v: i128, wide: bool) {
        self.value();
        if wide {
            self.out.push('"');
        }
        match u64::try_from(v.unsigned_abs()) {
            Ok(m) => decimal(self.out, m, v < 0),
            Err(_) => {
                let _ = write!(self.out, "{v}");
            }
        }
        if wide {
            self.out.push('"');
        }
    }
    fn f32(&mut self, v: f32) {
        self.value();
        float(self.out, v.is_finite(), format_args!("{v:?}"));
    }
    fn f64(&mut self, v: f64) {
        self.value();
        float(self.out, v.is_finite(), format_args!("{v:?}"));
    }
    fn fixed(&mut self, t: BuiltinType, bytes: &[u8]) {
        self.value();
        self.out.push('"');
        fixed_text(t, bytes, self.out);
        self.out.push('"');
    }
    fn str(&mut self, s: &str) {
        self.value();
        string(self.out, s);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.value();
        self.out.push('"');
        hex(b, self.out);
        self.out.push('"');
    }
    fn enum_value(&mut self, name: &str) {
        self.value();
        string(self.out, name);
    }
}

/// A finite float in Rust's shortest round-trip form (valid JSON), anything else as a string.
fn float(out: &mut String, finite: bool, text: std::fmt::Arguments<'_>) {
    if finite {
        let _ = write!(out, "{text}");
    } else {
        let _ = write!(out, "\"{text}\"");
    }
}

/// A JSON string literal.
pub(super) fn string(out: &mut String, s: &str) {
    out.push('"');
    // Every character to escape is ASCII, so a byte scan finds them; the text between them is
    // copied in one piece.
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b if b < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A decimal integer (`-` first when `negative`), without the formatting machinery.
fn decimal(out: &mut String, mut v: u64, negative: bool) {
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        digits[at] = b'-';
    }
    // ASCII digits: always UTF-8.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("?"));
}
