//! The [`Message`] trait of generated message types, its errors, and the small fixed-layout
//! field codec ([`WireField`], [`FieldWriter`], [`FieldReader`]) that generated code calls.
//!
//! # Layout
//!
//! A payload is the message's fields in declaration order, little-endian, with no padding.
//! Every field occupies its full maximum size, so every field sits at a fixed offset and an
//! encoded message is exactly [`Message::MAX_SIZE`] bytes (as in SBE):
//!
//! ```text
//! | field 0 (fixed size) | field 1 (fixed size) | ... |
//! string / bytes:        | len: u16 | max_len bytes, unused part zero |
//! variable array:        | count: u16 | max_count elements, unused part zero |
//! fixed array:           | count elements |
//! embedded message:      | its MAX_SIZE bytes |
//! enum:                  | its wire type: u8, u16 or u32 |
//! ```
//!
//! # Decoding older and newer payloads
//!
//! Decoding reads the fields in order. When the payload ends exactly at a field boundary, that
//! field and every later one take their default value: the payload came from an older contract
//! version, before fields were appended. Bytes after the last known field are ignored: the
//! payload came from a newer version. This is what makes appending a field a minor change.
//! Everything else malformed is a [`DecodeError`]: a payload cut inside a field, a length or count
//! above its bound, a string that is not UTF-8, a `bool` byte other than 0 or 1, a number an enum
//! does not name (in a variable array, only the elements in use are read: the unused slots are
//! zero when written and ignored when read). Decoding never panics and neither direction allocates.

use core::fmt;

/// A fixed-layout message type, implemented by generated code.
///
/// Generated implementations call [`FieldWriter`] and [`FieldReader`] once per field; written
/// by hand, one looks like this:
///
/// ```
/// use mycelium_contracts::runtime::{DecodeError, EncodeError, FieldReader, FieldWriter, Message, U256};
///
/// #[derive(Debug, Default, PartialEq)]
/// struct Tick {
///     price: U256,
///     size: u32,
/// }
///
/// impl Message for Tick {
///     const TYPE_ID: u16 = 9;
///     const MAX_SIZE: usize = 36;
///     const BUFFER_CLASS: usize = 128;
///     fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
///         let mut w = FieldWriter::new(out, Self::MAX_SIZE)?;
///         w.field(&self.price);
///         w.field(&self.size);
///         Ok(w.finish())
///     }
///     fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
///         let mut r = FieldReader::new(payload, "Tick");
///         Ok(Tick { price: r.field("price")?, size: r.field("size")? })
///     }
/// }
///
/// let tick = Tick { price: U256::from(1_000u64), size: 3 };
/// let mut buf = [0u8; Tick::MAX_SIZE];
/// assert_eq!(tick.encode(&mut buf)?, 36);
/// assert_eq!(Tick::decode(&buf)?, tick);
/// assert_eq!(Tick::decode(&buf[..32])?, Tick { size: 0, ..tick }); // older payload
/// assert!(Tick::decode(&buf[..34]).is_err()); // cut inside `size`
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Message: Sized {
    /// The TLV type on the wire.
    const TYPE_ID: u16;
    /// The encoded size: the sum of the fields' maximum sizes.
    const MAX_SIZE: usize;
    /// The pool size class: `next_power_of_two(max(MAX_SIZE, 128))`.
    const BUFFER_CLASS: usize;
    /// Writes the payload; returns the bytes written (at most MAX_SIZE).
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError>;
    /// Reads a payload. Trailing bytes after the known fields are ignored, and fields missing at the
    /// end (a payload from an older contract version) take their default value.
    fn decode(payload: &[u8]) -> Result<Self, DecodeError>;
}

/// Encoding failed: the output buffer is shorter than the message's `MAX_SIZE`.
///
/// Nothing is written in that case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeError {
    needed: usize,
    available: usize,
}

impl EncodeError {
    /// An error for an output of `available` bytes where `needed` are required.
    pub const fn buffer_too_small(needed: usize, available: usize) -> Self {
        EncodeError { needed, available }
    }

    /// Bytes the message needs (its `MAX_SIZE`).
    pub const fn needed(&self) -> usize {
        self.needed
    }

    /// Bytes the output buffer had.
    pub const fn available(&self) -> usize {
        self.available
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "output buffer too small: {} bytes needed, {} available", self.needed, self.available)
    }
}

impl std::error::Error for EncodeError {}

/// What was wrong with a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The payload ends inside the field: `needed` bytes for the field, `available` left.
    Truncated {
        /// The field's size in bytes.
        needed: usize,
        /// Bytes left in the payload at the field's offset (more than zero, fewer than `needed`).
        available: usize,
    },
    /// A string or bytes length, or a variable array's count, is above its bound.
    LengthOverBound {
        /// The length or count read from the payload.
        len: usize,
        /// The bound (`max_len` or `max_count`).
        max: usize,
    },
    /// A string's bytes are not UTF-8.
    InvalidUtf8 {
        /// Byte offset, within the string, of the first invalid byte.
        valid_up_to: usize,
    },
    /// A `bool` byte is neither 0 nor 1.
    InvalidBool {
        /// The byte read.
        value: u8,
    },
    /// An enum field holds a number the enum does not name (a reader never invents a variant).
    UnknownEnumValue {
        /// The enum's name.
        name: &'static str,
        /// The number read.
        value: u32,
    },
    /// Typed dispatch (a generated `AnyMessage` or a service's `Inbound`) got a frame type id
    /// that is none of its messages.
    UnknownType {
        /// The frame's type id.
        type_id: u16,
        /// The service whose `Inbound` refused it; `None` for `AnyMessage` (every framed message).
        service: Option<&'static str>,
    },
}

/// Decoding failed: the payload is malformed.
///
/// Carries the [`DecodeErrorKind`], the field it was found in and the message type that field
/// belongs to (for an embedded message, the innermost one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    message: &'static str,
    field: &'static str,
    kind: DecodeErrorKind,
}

impl DecodeError {
    /// An error of `kind`, not yet attributed to a field (see [`DecodeError::in_field`]).
    pub const fn new(kind: DecodeErrorKind) -> Self {
        DecodeError { message: "", field: "", kind }
    }

    /// Attributes the error to `field` of `message`, unless it already names a field (an error
    /// from inside an embedded message keeps the innermost field).
    pub const fn in_field(self, message: &'static str, field: &'static str) -> Self {
        if self.field.is_empty() { DecodeError { message, field, kind: self.kind } } else { self }
    }

    /// A frame type id that typed dispatch does not know: `service` names the service whose
    /// `Inbound` refused it, `None` stands for `AnyMessage`.
    pub const fn unknown_type(type_id: u16, service: Option<&'static str>) -> Self {
        DecodeError::new(DecodeErrorKind::UnknownType { type_id, service })
    }

    /// A number that enum `name` does not name.
    pub const fn unknown_enum_value(name: &'static str, value: u32) -> Self {
        DecodeError::new(DecodeErrorKind::UnknownEnumValue { name, value })
    }

    /// What was wrong.
    pub const fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// The field the error was found in (empty when not attributed).
    pub const fn field(&self) -> &'static str {
        self.field
    }

    /// The message type the field belongs to (empty when not attributed).
    pub const fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.field.is_empty() {
            write!(f, "{}.{}: ", self.message, self.field)?;
        }
        match self.kind {
            DecodeErrorKind::Truncated { needed, available } => {
                write!(f, "payload ends inside the field ({needed} bytes needed, {available} available)")
            }
            DecodeErrorKind::LengthOverBound { len, max } => write!(f, "length {len} is above the bound {max}"),
            DecodeErrorKind::InvalidUtf8 { valid_up_to } => {
                write!(f, "string is not UTF-8 (invalid byte at {valid_up_to})")
            }
            DecodeErrorKind::InvalidBool { value } => write!(f, "bool byte is {value}, not 0 or 1"),
            DecodeErrorKind::UnknownEnumValue { name, value } => write!(f, "{value} is not a value of enum `{name}`"),
            DecodeErrorKind::UnknownType { type_id, service: Some(service) } => {
                write!(f, "type id {type_id} is not a message of service `{service}`")
            }
            DecodeErrorKind::UnknownType { type_id, service: None } => {
                write!(f, "type id {type_id} is not a framed message of the contracts")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// A value with a fixed wire size: every field type of a generated message.
///
/// Implemented for the built-in scalars, the runtime's inline types, fixed arrays `[T; N]` of
/// field types, and (by generated code) every message and enum type. `put`, `get` and `read_from`
/// receive a slice of exactly [`WireField::SIZE`] bytes; given a shorter one, `put` writes
/// nothing and the readers report [`DecodeErrorKind::Truncated`], so none of them panics.
///
/// Decoding goes through [`WireField::read_from`], which overwrites a value in place: a
/// generated `decode` starts from the default value and reads every field into its slot, so a
/// large message is not built from temporaries that are then moved (copied) into place.
pub trait WireField: Sized {
    /// Encoded size in bytes.
    const SIZE: usize;
    /// The value a field missing from an older payload takes: zero, empty, all defaults, or an
    /// enum's first value.
    fn default_value() -> Self;
    /// Writes the value into `dst` (`SIZE` bytes), zeroing any unused part.
    fn put(&self, dst: &mut [u8]);
    /// Reads a value from `src` (`SIZE` bytes).
    fn get(src: &[u8]) -> Result<Self, DecodeError>;
    /// Reads a value from `src` (`SIZE` bytes) into `self`, overwriting all of it. On error,
    /// `self` holds an unspecified valid value. For a message, fields missing at the end of a
    /// shorter `src` (an older payload) take their default value, as in `decode`.
    fn read_from(&mut self, src: &[u8]) -> Result<(), DecodeError> {
        *self = Self::get(src)?;
        Ok(())
    }
}

const fn truncated(needed: usize, available: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Truncated { needed, available })
}

macro_rules! wire_int {
    ($($t:ty),*) => {$(
        impl WireField for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            fn default_value() -> Self {
                0 as $t
            }
            fn put(&self, dst: &mut [u8]) {
                if let Some(d) = dst.first_chunk_mut::<{ core::mem::size_of::<$t>() }>() {
                    *d = self.to_le_bytes();
                }
            }
            fn get(src: &[u8]) -> Result<Self, DecodeError> {
                match src.first_chunk::<{ core::mem::size_of::<$t>() }>() {
                    Some(b) => Ok(<$t>::from_le_bytes(*b)),
                    None => Err(truncated(Self::SIZE, src.len())),
                }
            }
        }
    )*};
}

wire_int!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, f32, f64);

impl WireField for bool {
    const SIZE: usize = 1;
    fn default_value() -> Self {
        false
    }
    fn put(&self, dst: &mut [u8]) {
        if let Some(d) = dst.first_mut() {
            *d = u8::from(*self);
        }
    }
    fn get(src: &[u8]) -> Result<Self, DecodeError> {
        match src.first() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            Some(&value) => Err(DecodeError::new(DecodeErrorKind::InvalidBool { value })),
            None => Err(truncated(1, 0)),
        }
    }
}

impl<T: WireField, const N: usize> WireField for [T; N] {
    const SIZE: usize = T::SIZE * N;
    fn default_value() -> Self {
        core::array::from_fn(|_| T::default_value())
    }
    fn put(&self, dst: &mut [u8]) {
        if T::SIZE == 0 {
            return;
        }
        for (v, d) in self.iter().zip(dst.chunks_exact_mut(T::SIZE)) {
            v.put(d);
        }
    }
    fn get(src: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default_value();
        out.read_from(src)?;
        Ok(out)
    }
    fn read_from(&mut self, src: &[u8]) -> Result<(), DecodeError> {
        if src.len() < Self::SIZE {
            return Err(truncated(Self::SIZE, src.len()));
        }
        if T::SIZE > 0 {
            for (v, s) in self.iter_mut().zip(src.chunks_exact(T::SIZE)) {
                v.read_from(s)?;
            }
        }
        Ok(())
    }
}

/// Writes fields one after another into an output buffer: what a generated `encode` calls.
///
/// ```
/// use mycelium_contracts::runtime::FieldWriter;
///
/// let mut out = [0xffu8; 8];
/// let mut w = FieldWriter::new(&mut out, 6)?;
/// w.field(&0x0102u16);
/// w.field(&7u32);
/// assert_eq!(w.finish(), 6);
/// assert_eq!(out, [2, 1, 7, 0, 0, 0, 0xff, 0xff]);
/// # Ok::<(), mycelium_contracts::runtime::EncodeError>(())
/// ```
#[derive(Debug)]
pub struct FieldWriter<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> FieldWriter<'a> {
    /// A writer over the first `size` bytes of `out`; an [`EncodeError`] when `out` is shorter.
    pub fn new(out: &'a mut [u8], size: usize) -> Result<Self, EncodeError> {
        let available = out.len();
        match out.get_mut(..size) {
            Some(buf) => Ok(FieldWriter { buf, pos: 0 }),
            None => Err(EncodeError::buffer_too_small(size, available)),
        }
    }

    /// Writes `value` at the current offset and advances by its [`WireField::SIZE`].
    #[inline]
    pub fn field<T: WireField>(&mut self, value: &T) {
        let end = self.pos.saturating_add(T::SIZE);
        if let Some(dst) = self.buf.get_mut(self.pos..end) {
            value.put(dst);
        }
        self.pos = end;
    }

    /// The bytes written.
    pub fn finish(self) -> usize {
        self.pos.min(self.buf.len())
    }
}

/// Reads fields one after another from a payload: what a generated `decode` calls.
///
/// A field that starts at the end of the payload takes its default value (an older payload); a
/// field the payload ends inside is an error.
///
/// ```
/// use mycelium_contracts::runtime::FieldReader;
///
/// let payload = [2u8, 1, 7, 0, 0, 0];
/// let mut r = FieldReader::new(&payload, "Example");
/// assert_eq!(r.field::<u16>("a")?, 0x0102);
/// assert_eq!(r.field::<u32>("b")?, 7);
/// assert_eq!(r.field::<u64>("c")?, 0); // appended later: default
/// # Ok::<(), mycelium_contracts::runtime::DecodeError>(())
/// ```
#[derive(Debug)]
pub struct FieldReader<'a> {
    rest: &'a [u8],
    message: &'static str,
}

impl<'a> FieldReader<'a> {
    /// A reader over `payload` of the message type named `message` (used in errors).
    pub fn new(payload: &'a [u8], message: &'static str) -> Self {
        FieldReader { rest: payload, message }
    }

    /// Reads the next field, named `name` (used in errors), into `slot`. At the end of the
    /// payload (an older payload, before the field was appended) the slot is reset to its
    /// default value, whatever it held before: decoding in place into a value reused from an
    /// earlier payload gives the same result as a fresh `decode`.
    #[inline]
    pub fn read<T: WireField>(&mut self, slot: &mut T, name: &'static str) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            *slot = T::default_value();
            return Ok(());
        }
        match self.rest.split_at_checked(T::SIZE) {
            Some((src, rest)) => {
                self.rest = rest;
                slot.read_from(src).map_err(|e| e.in_field(self.message, name))
            }
            None => Err(truncated(T::SIZE, self.rest.len()).in_field(self.message, name)),
        }
    }

    /// Reads the next field, named `name` (used in errors), as a new value: its default value
    /// at the end of the payload.
    pub fn field<T: WireField>(&mut self, name: &'static str) -> Result<T, DecodeError> {
        if self.rest.is_empty() {
            return Ok(T::default_value());
        }
        match self.rest.split_at_checked(T::SIZE) {
            Some((src, rest)) => {
                self.rest = rest;
                T::get(src).map_err(|e| e.in_field(self.message, name))
            }
            None => Err(truncated(T::SIZE, self.rest.len()).in_field(self.message, name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_rejects_a_short_buffer() {
        let mut out = [0u8; 3];
        let e = FieldWriter::new(&mut out, 4).unwrap_err();
        assert_eq!((e.needed(), e.available()), (4, 3));
        assert_eq!(e.to_string(), "output buffer too small: 4 bytes needed, 3 available");
    }

    #[test]
    fn reader_defaults_at_a_boundary_and_fails_inside_a_field() {
        let payload = [1u8, 0, 0];
        let mut r = FieldReader::new(&payload, "M");
        assert_eq!(r.field::<u16>("a").unwrap(), 1);
        let e = r.field::<u32>("b").unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::Truncated { needed: 4, available: 1 });
        assert_eq!((e.message(), e.field()), ("M", "b"));
        assert_eq!(e.to_string(), "M.b: payload ends inside the field (4 bytes needed, 1 available)");
    }

    #[test]
    fn bool_is_strict() {
        assert!(bool::get(&[1]).unwrap());
        assert!(!bool::get(&[0]).unwrap());
        assert_eq!(bool::get(&[2]).unwrap_err().kind(), DecodeErrorKind::InvalidBool { value: 2 });
    }

    #[test]
    fn arrays_are_elements_back_to_back() {
        let mut out = [0u8; 6];
        [1u16, 2, 3].put(&mut out);
        assert_eq!(out, [1, 0, 2, 0, 3, 0]);
        assert_eq!(<[u16; 3]>::get(&out).unwrap(), [1, 2, 3]);
        assert_eq!(
            <[u16; 3]>::get(&out[..5]).unwrap_err().kind(),
            DecodeErrorKind::Truncated { needed: 6, available: 5 }
        );
        let big: [u8; 40] = WireField::default_value();
        assert_eq!(big, [0; 40]);
    }

    #[test]
    fn unknown_types_name_the_type_and_the_service() {
        let e = DecodeError::unknown_type(7, Some("polygon-adapter"));
        assert_eq!(e.kind(), DecodeErrorKind::UnknownType { type_id: 7, service: Some("polygon-adapter") });
        assert_eq!(e.to_string(), "type id 7 is not a message of service `polygon-adapter`");
        assert_eq!(
            DecodeError::unknown_type(9, None).to_string(),
            "type id 9 is not a framed message of the contracts"
        );
    }

    #[test]
    fn inner_errors_keep_the_innermost_field() {
        let e = DecodeError::new(DecodeErrorKind::InvalidBool { value: 9 }).in_field("Inner", "flag");
        let e = e.in_field("Outer", "inner");
        assert_eq!((e.message(), e.field()), ("Inner", "flag"));
    }
}
