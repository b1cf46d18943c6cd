//! A field's shape: its type and bounds resolved once against its contract set, so that no
//! later stage reads `type`, `count`, `max_count` and `max_len` as text and options again.
//!
//! [`Layout::compute`](super::Layout::compute) resolves every field of every message (those of
//! messages with no valid size too) and keeps the result; read it with
//! [`Layout::shapes`](super::Layout::shapes).

use std::collections::HashMap;

use super::{BuiltinType, EnumDef, FieldDef, TypeRef};

/// What one element of a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Elem {
    /// A built-in type of fixed size: never [`BuiltinType::String`] nor [`BuiltinType::Bytes`]
    /// (those are [`Elem::Str`] and [`Elem::Bytes`]).
    Scalar(BuiltinType),
    /// `string` with its `max_len`: a 2-byte length, then `max_len` bytes of UTF-8.
    Str(usize),
    /// `bytes` with its `max_len`: a 2-byte length, then `max_len` bytes.
    Bytes(usize),
    /// An embedded message, by index in [`Contracts::messages`](super::Contracts::messages)
    /// (the first message of its name).
    Message(usize),
    /// An enum, by index in [`Contracts::enums`](super::Contracts::enums) (the first enum of its
    /// name); its wire type is [`EnumDef::wire_type`].
    Enum(usize),
}

/// How many elements a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repetition {
    /// One value.
    One,
    /// `count: N`: exactly N values.
    Fixed(usize),
    /// `max_count: N`: a 2-byte count, then room for N values.
    Var(usize),
}

/// A field's type and bounds, resolved: what each element is and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldShape {
    /// The element type.
    pub elem: Elem,
    /// One value, a fixed array or a bounded array.
    pub repetition: Repetition,
}

/// Why a field has no shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShapeError {
    /// The type is neither built-in nor the name of a message or an enum.
    UnknownType,
    /// A `string` or `bytes` field without `max_len`: the built-in type.
    Unbounded(BuiltinType),
}

impl Repetition {
    /// A field's repetition, which its type does not change: `count` makes a fixed array (also
    /// beside a `max_count`, which the schema forbids), `max_count` a bounded one.
    pub fn of(field: &FieldDef) -> Self {
        match (field.count, field.max_count) {
            (Some(n), _) => Repetition::Fixed(n as usize),
            (None, Some(n)) => Repetition::Var(n as usize),
            (None, None) => Repetition::One,
        }
    }
}

/// The names a field's type may refer to: the first message and the first enum of each name (a
/// name declared twice is a `duplicate-message` finding; a name that is both a message and an
/// enum is the message).
pub(super) struct Names<'a> {
    pub messages: &'a HashMap<String, usize>,
    pub enums: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    pub fn new(messages: &'a HashMap<String, usize>, enums: &'a [EnumDef]) -> Self {
        let mut by_name = HashMap::with_capacity(enums.len());
        for (i, e) in enums.iter().enumerate() {
            by_name.entry(e.name.as_str()).or_insert(i);
        }
        Names { messages, enums: by_name }
    }

    /// Resolves one field. A built-in name comes first, then a message, then an enum.
    pub fn resolve(&self, f: &FieldDef) -> Result<FieldShape, ShapeError> {
        let elem = match f.type_ref() {
            TypeRef::Builtin(t) => match (t, f.max_len) {
                (BuiltinType::String, Some(n)) => Elem::Str(n as usize),
                (BuiltinType::Bytes, Some(n)) => Elem::Bytes(n as usize),
                (BuiltinType::String | BuiltinType::Bytes, None) => return Err(ShapeError::Unbounded(t)),
                (t, _) => Elem::Scalar(t),
            },
            TypeRef::Named(name) => match (self.messages.get(name), self.enums.get(name)) {
                (Some(&m), _) => Elem::Message(m),
                (None, Some(&e)) => Elem::Enum(e),
                (None, None) => return Err(ShapeError::UnknownType),
            },
        };
        Ok(FieldShape { elem, repetition: Repetition::of(f) })
    }
}
