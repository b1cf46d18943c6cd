//! The contract model: what a contracts document declares, as Rust types.
//!
//! These types are the single source of the JSON Schema (`schema/contracts.schema.json`,
//! generated with schemars) and are what every later stage (checks, compatibility, code
//! generation) reads. They carry no source positions: locations live in the loader's span
//! index, keyed by JSON pointer (`/messages/0/fields/2/type`), so the model stays plain data.

mod size;
mod types;

pub use size::{
    BUFFER_CLASS_MIN, CLASS_BUDGET_BYTES, Layout, MAX_MESSAGE_SIZE, MessageLayout, PoolClass, PoolPlan, SizeError,
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

/// A contract set: the messages of a system and the services that handle them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mycelium contracts")]
pub struct Contracts {
    /// Semantic version of the contract set (`MAJOR.MINOR.PATCH`). Compared with the base
    /// revision's version to decide whether a change is declared as compatible.
    pub version: String,
    /// The messages, each a fixed-layout TLV payload with a unique `type_id`.
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
/// Pattern of a field type: a built-in type name or a message name.
pub const TYPE_NAME_PATTERN: &str = "^[A-Za-z][A-Za-z0-9_]*$";

/// One message: a TLV payload type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageDef {
    /// PascalCase name, unique in the contract set; the name of the generated Rust type.
    #[schemars(regex(pattern = MESSAGE_NAME_PATTERN), length(max = 128))]
    #[serde(deserialize_with = "bounded_name")]
    pub name: String,
    /// The TLV type on the wire, unique in the contract set.
    #[schemars(range(min = 1, max = 65535))]
    pub type_id: u16,
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
    #[schemars(regex(pattern = FIELD_NAME_PATTERN), length(max = 128))]
    #[serde(deserialize_with = "bounded_name")]
    pub name: String,
    /// A built-in type (`u64`, `Address`, `string`, ...) or the name of another message,
    /// embedded inline.
    #[serde(rename = "type", deserialize_with = "bounded_name")]
    #[schemars(regex(pattern = TYPE_NAME_PATTERN), length(max = 128))]
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

/// One service and the messages it handles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// Names of the messages this service handles.
    #[serde(deserialize_with = "bounded_names")]
    #[schemars(inner(length(max = 128)))]
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
