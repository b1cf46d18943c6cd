//! The contract model: what a contracts document declares, as Rust types.
//!
//! These types are the single source of the JSON Schema (`schema/contracts.schema.json`,
//! generated with schemars) and are what every later stage (checks, compatibility, code
//! generation) reads. They carry no source positions: locations live in the loader's span
//! index, keyed by JSON pointer (`/messages/0/fields/2/type`), so the model stays plain data.

mod shape;
mod size;
mod types;

pub use shape::{Elem, FieldShape, Repetition, ShapeError};
pub use size::{
    BUFFER_CLASS_MIN, CLASS_BUDGET_BYTES, FieldLayout, Layout, MAX_MESSAGE_SIZE, MessageLayout, PoolClass, PoolPlan, SizeError,
    buffer_class, class_capacity,
};
pub use types::{BuiltinType, TypeRef};

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// The longest name (of a message, field, type or service, and in a service's list), in
/// characters. Names become Rust identifiers and appear in every finding and change about
/// them; a bound keeps a hostile document from multiplying a megabyte-long name by the number
/// of findings. The schema says it (`maxLength`), and deserializing refuses longer names, so the
/// model never holds one.
pub const MAX_NAME_LEN: usize = 128;

/// Whether `name` is within [`MAX_NAME_LEN`].
pub fn name_len_ok(name: &str) -> bool {
    name.len() <= MAX_NAME_LEN || name.chars().count() <= MAX_NAME_LEN
}

fn name_too_long<E: serde::de::Error>() -> E {
    E::custom(format_args!("a name is longer than {MAX_NAME_LEN} characters"))
}

fn bounded_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    if name_len_ok(&name) { Ok(name) } else { Err(name_too_long()) }
}

fn bounded_services<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, ServiceDef>, D::Error> {
    let services = BTreeMap::<String, ServiceDef>::deserialize(d)?;
    if services.keys().all(|n| name_len_ok(n)) { Ok(services) } else { Err(name_too_long()) }
}

fn bounded_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    if names.iter().all(|n| name_len_ok(n)) { Ok(names) } else { Err(name_too_long()) }
}

/// A contract set: the enums and messages of a system and the services that handle them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mycelium contracts")]
pub struct Contracts {
    /// Semantic version of the contract set (`MAJOR.MINOR.PATCH`). Compared with the base
    /// revision's version to decide whether a change is declared as compatible.
    pub version: String,
    /// The enums: named values of an unsigned wire type, usable as field types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumDef>,
    /// The messages, each a fixed-layout TLV payload; those with a `type_id` travel as frames.
    pub messages: Vec<MessageDef>,
    /// The services, by kebab-case name, and the messages each one handles.
    #[serde(default, deserialize_with = "bounded_services")]
    #[schemars(extend("propertyNames" = { "pattern": SERVICE_NAME_PATTERN, "maxLength": MAX_NAME_LEN }))]
    pub services: BTreeMap<String, ServiceDef>,
}

/// Pattern of a message name: PascalCase.
pub const MESSAGE_NAME_PATTERN: &str = "^[A-Z][A-Za-z0-9]*$";
/// Pattern of a field name: snake_case.
pub const FIELD_NAME_PATTERN: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";
/// Pattern of a service name: kebab-case.
pub const SERVICE_NAME_PATTERN: &str = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";
/// Pattern of an enum name, and of an enum value's name: PascalCase.
pub const ENUM_NAME_PATTERN: &str = MESSAGE_NAME_PATTERN;
/// The wire types an enum may take (aliases included).
pub const ENUM_WIRE_TYPES: [&str; 6] = ["u8", "u16", "u32", "uint8", "uint16", "uint32"];
/// Pattern of a field type: a built-in type name, a message name or an enum name.
pub const TYPE_NAME_PATTERN: &str = "^[A-Za-z][A-Za-z0-9_]*$";

/// One message: a TLV payload type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageDef {
    /// PascalCase name, unique in the contract set; the name of the generated Rust type.
    #[schemars(regex(pattern = MESSAGE_NAME_PATTERN), length(max = MAX_NAME_LEN))]
    #[serde(deserialize_with = "bounded_name")]
    pub name: String,
    /// The TLV type on the wire, unique in the contract set. Without it the message is
    /// embedded-only: it can only be embedded in other messages, never travels as a frame of
    /// its own, and appears in no frame limits and no dispatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u16", range(min = 1, max = 65535))]
    pub type_id: Option<u16>,
    /// Free text; becomes the doc comment of the generated type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// The fields, in wire order.
    pub fields: Vec<FieldDef>,
}

/// One field of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["count", "max_count"] }))]
pub struct FieldDef {
    /// snake_case name, unique within the message.
    #[schemars(regex(pattern = FIELD_NAME_PATTERN), length(max = MAX_NAME_LEN))]
    #[serde(deserialize_with = "bounded_name")]
    pub name: String,
    /// A built-in type (`u64`, `Address`, `string`, ...), the name of another message,
    /// embedded inline, or the name of an enum.
    #[serde(rename = "type", deserialize_with = "bounded_name")]
    #[schemars(regex(pattern = TYPE_NAME_PATTERN), length(max = MAX_NAME_LEN))]
    pub ty: String,
    /// Fixed array: exactly `count` elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u32", range(min = 1, max = 4_294_967_295u32))]
    pub count: Option<u32>,
    /// Bounded variable array: a 2-byte count prefix and at most `max_count` elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u32", range(min = 1, max = 65535))]
    pub max_count: Option<u32>,
    /// Maximum length in bytes of a `string` or `bytes` value (required for those types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u32", range(min = 1, max = 65535))]
    pub max_len: Option<u32>,
    /// Free text; becomes the doc comment of the generated field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub description: Option<String>,
}

/// One enum: named values of an unsigned wire type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    /// PascalCase name, unique among messages and enums; the name of the generated Rust enum.
    /// Not the name of a built-in type.
    #[schemars(regex(pattern = ENUM_NAME_PATTERN), length(max = MAX_NAME_LEN))]
    #[schemars(extend("not" = { "enum": ["Address", "Hash"] }))]
    #[serde(deserialize_with = "bounded_name")]
    pub name: String,
    /// The wire type: `u8`, `u16` or `u32` (or `uint8`, `uint16`, `uint32`).
    #[serde(rename = "type", deserialize_with = "enum_wire_type")]
    #[schemars(extend("enum" = ENUM_WIRE_TYPES))]
    pub ty: String,
    /// Free text; becomes the doc comment of the generated enum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// The values, by PascalCase name, in document order; the first is the default.
    pub values: EnumValues,
}

/// The values of an enum, in document order: `{ Buy: 1, Sell: 2 }`.
///
/// A value is kept as an `i128` whatever it is, so that a value that does not fit the wire type
/// (a negative one, or `300` in a `u8` enum) reaches the checks and is reported as
/// `enum-value-out-of-range`, located at the number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnumValues(pub Vec<EnumValue>);

/// One named value of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// PascalCase name, scoped to its enum.
    pub name: String,
    /// The number on the wire.
    pub value: i128,
}

impl EnumDef {
    /// The wire type (`U8`, `U16` or `U32`; aliases folded).
    pub fn wire_type(&self) -> BuiltinType {
        BuiltinType::parse(&self.ty).expect("the model holds only valid wire types")
    }

    /// Bytes on the wire: the wire type's.
    pub fn wire_size(&self) -> u64 {
        self.wire_type().fixed_size().expect("enum wire types are fixed-size")
    }

    /// The largest value the wire type holds.
    pub fn max_value(&self) -> i128 {
        match self.wire_type() {
            BuiltinType::U8 => u8::MAX.into(),
            BuiltinType::U16 => u16::MAX.into(),
            _ => u32::MAX.into(),
        }
    }
}

fn enum_wire_type<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let ty = String::deserialize(d)?;
    if ENUM_WIRE_TYPES.contains(&ty.as_str()) {
        Ok(ty)
    } else {
        Err(serde::de::Error::custom(format_args!(
            "an enum's type must be u8, u16 or u32 (or uint8, uint16, uint32), not `{ty}`"
        )))
    }
}

impl Serialize for EnumValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for v in &self.0 {
            map.serialize_entry(&v.name, &v.value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for EnumValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = EnumValues;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of value names to integers")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<EnumValues, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    if !name_len_ok(&name) {
                        return Err(name_too_long());
                    }
                    let value = map.next_value::<Integer>()?.0;
                    out.push(EnumValue { name, value });
                }
                if out.is_empty() {
                    return Err(serde::de::Error::custom("an enum has at least one value"));
                }
                Ok(EnumValues(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// An integer of any size JSON data can hold exactly (a float is refused).
struct Integer(i128);

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Integer;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Integer, E> {
                Ok(Integer(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Integer, E> {
                Ok(Integer(v.into()))
            }
        }
        d.deserialize_any(Visit)
    }
}

impl JsonSchema for EnumValues {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EnumValues".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The values, by PascalCase name, in document order; the first is the default.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": { "pattern": ENUM_NAME_PATTERN, "maxLength": MAX_NAME_LEN },
            "additionalProperties": { "type": "integer" }
        })
    }
}

/// One service and the messages it handles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// Names of the messages this service handles.
    #[serde(deserialize_with = "bounded_names")]
    #[schemars(inner(length(max = MAX_NAME_LEN)))]
    pub messages: Vec<String>,
    /// Whether the service gets a buffer pool (default `true`).
    #[serde(default = "default_true")]
    pub buffer_pool_enabled: bool,
}

fn default_true() -> bool {
    true
}

impl Contracts {
    /// The message named `name`, if any.
    pub fn message(&self, name: &str) -> Option<&MessageDef> {
        self.messages.iter().find(|m| m.name == name)
    }

    /// The enum named `name`, if any.
    pub fn enum_def(&self, name: &str) -> Option<&EnumDef> {
        self.enums.iter().find(|e| e.name == name)
    }
}

impl MessageDef {
    /// Whether the message travels as a frame of its own (it has a `type_id`).
    pub fn is_framed(&self) -> bool {
        self.type_id.is_some()
    }
}

impl FieldDef {
    /// The field's type, resolved: a built-in type (aliases folded) or a message name.
    pub fn type_ref(&self) -> TypeRef<'_> {
        TypeRef::parse(&self.ty)
    }
}

#[cfg(test)]
mod name_limit_tests {
    use super::*;

    fn contracts(message: &str, service: &str, handled: &str) -> Result<Contracts, serde_json::Error> {
        serde_json::from_value(serde_json::json!({
            "version": "1.0.0",
            "messages": [{ "name": message, "type_id": 1, "fields": [{ "name": "f", "type": "u8" }] }],
            "services": { service: { "messages": [handled] } },
        }))
    }

    #[test]
    fn the_model_refuses_every_name_over_the_limit() {
        let ok = "A".repeat(MAX_NAME_LEN);
        let long = "A".repeat(MAX_NAME_LEN + 1);
        let svc = "s".repeat(MAX_NAME_LEN);
        let long_svc = "s".repeat(MAX_NAME_LEN + 1);
        assert!(contracts(&ok, &svc, &ok).is_ok());
        for (m, s, h) in [(&long, &svc, &ok), (&ok, &long_svc, &ok), (&ok, &svc, &long)] {
            let e = contracts(m, s, h).unwrap_err().to_string();
            assert!(e.contains("longer than 128 characters"), "{e}");
        }
        // Characters, not bytes: 128 two-byte characters are within the limit.
        assert!(name_len_ok(&"é".repeat(MAX_NAME_LEN)) && !name_len_ok(&"é".repeat(MAX_NAME_LEN + 1)));
    }
}
