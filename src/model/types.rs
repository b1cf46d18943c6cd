//! Built-in field types, their aliases and their wire sizes (`docs/reference/contract-format.md`).

/// A built-in field type. Aliases (`uint64`, `int8`, ...) parse to their target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuiltinType {
    /// `bool`: one byte, 0 or 1.
    Bool,
    /// `u8` (alias `uint8`).
    U8,
    /// `i8` (alias `int8`).
    I8,
    /// `u16` (alias `uint16`).
    U16,
    /// `i16` (alias `int16`).
    I16,
    /// `u32` (alias `uint32`).
    U32,
    /// `i32` (alias `int32`).
    I32,
    /// `f32`.
    F32,
    /// `u64` (alias `uint64`).
    U64,
    /// `i64` (alias `int64`).
    I64,
    /// `f64`.
    F64,
    /// `u128` (alias `uint128`).
    U128,
    /// `i128` (alias `int128`).
    I128,
    /// `Address`: 20 bytes.
    Address,
    /// `uint256`: 32 bytes, little-endian.
    Uint256,
    /// `int256`: 32 bytes, little-endian two's complement.
    Int256,
    /// `Hash`: 32 bytes.
    Hash,
    /// `string`: 2-byte length prefix + `max_len` bytes of UTF-8.
    String,
    /// `bytes`: 2-byte length prefix + `max_len` bytes.
    Bytes,
}

/// Every built-in type with its canonical name, then the aliases. Used for parsing and for
/// "did you mean" suggestions.
const NAMES: &[(&str, BuiltinType)] = &[
    ("bool", BuiltinType::Bool),
    ("u8", BuiltinType::U8),
    ("i8", BuiltinType::I8),
    ("u16", BuiltinType::U16),
    ("i16", BuiltinType::I16),
    ("u32", BuiltinType::U32),
    ("i32", BuiltinType::I32),
    ("f32", BuiltinType::F32),
    ("u64", BuiltinType::U64),
    ("i64", BuiltinType::I64),
    ("f64", BuiltinType::F64),
    ("u128", BuiltinType::U128),
    ("i128", BuiltinType::I128),
    ("Address", BuiltinType::Address),
    ("uint256", BuiltinType::Uint256),
    ("int256", BuiltinType::Int256),
    ("Hash", BuiltinType::Hash),
    ("string", BuiltinType::String),
    ("bytes", BuiltinType::Bytes),
    ("uint8", BuiltinType::U8),
    ("uint16", BuiltinType::U16),
    ("uint32", BuiltinType::U32),
    ("uint64", BuiltinType::U64),
    ("uint128", BuiltinType::U128),
    ("int8", BuiltinType::I8),
    ("int16", BuiltinType::I16),
    ("int32", BuiltinType::I32),
    ("int64", BuiltinType::I64),
    ("int128", BuiltinType::I128),
];

impl BuiltinType {
    /// Parses a built-in type name or alias; `None` for anything else (a message name).
    pub fn parse(name: &str) -> Option<Self> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// All accepted names (canonical names first, then aliases).
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(n, _)| *n)
    }

    /// The canonical name (`uint64` → `u64`).
    pub fn canonical_name(self) -> &'static str {
        NAMES.iter().find(|(_, t)| *t == self).map(|(n, _)| *n).expect("every type has a name")
    }

    /// Fixed size in bytes, or `None` for `string` and `bytes` (bounded by `max_len`).
    pub fn fixed_size(self) -> Option<u64> {
        use BuiltinType::*;
        Some(match self {
            Bool | U8 | I8 => 1,
            U16 | I16 => 2,
            U32 | I32 | F32 => 4,
            U64 | I64 | F64 => 8,
            U128 | I128 => 16,
            Address => 20,
            Uint256 | Int256 | Hash => 32,
            String | Bytes => return None,
        })
    }
}

/// A field's type: a built-in type or another message embedded inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeRef<'a> {
    /// A built-in type (aliases already folded).
    Builtin(BuiltinType),
    /// The name of a message (embedded inline) or of an enum; it may name neither (the checks
    /// report that). [`Layout::shapes`](super::Layout::shapes) tells which.
    Named(&'a str),
}

impl<'a> TypeRef<'a> {
    /// Resolves a type name: built-in names and aliases first, anything else is a message or an
    /// enum name.
    pub fn parse(name: &'a str) -> Self {
        match BuiltinType::parse(name) {
            Some(t) => TypeRef::Builtin(t),
            None => TypeRef::Named(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_fold_to_their_target() {
        assert_eq!(BuiltinType::parse("uint64"), Some(BuiltinType::U64));
        assert_eq!(BuiltinType::parse("int128"), Some(BuiltinType::I128));
        assert_eq!(BuiltinType::parse("uint256"), Some(BuiltinType::Uint256));
        assert_eq!(BuiltinType::U64.canonical_name(), "u64");
        assert_eq!(BuiltinType::parse("SwapEvent"), None);
        assert_eq!(TypeRef::parse("SwapEvent"), TypeRef::Named("SwapEvent"));
    }

    #[test]
    fn sizes_follow_the_spec_table() {
        let expect = [
            ("bool", 1),
            ("u8", 1),
            ("i8", 1),
            ("u16", 2),
            ("i16", 2),
            ("u32", 4),
            ("i32", 4),
            ("f32", 4),
            ("u64", 8),
            ("i64", 8),
            ("f64", 8),
            ("u128", 16),
            ("i128", 16),
            ("Address", 20),
            ("uint256", 32),
            ("int256", 32),
            ("Hash", 32),
        ];
        for (name, size) in expect {
            assert_eq!(BuiltinType::parse(name).unwrap().fixed_size(), Some(size), "{name}");
        }
        assert_eq!(BuiltinType::String.fixed_size(), None);
        assert_eq!(BuiltinType::Bytes.fixed_size(), None);
    }
}
