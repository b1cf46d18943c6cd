//! JSON Schema validation of a contracts document: every error of the `jsonschema` crate
//! becomes a located `schema-violation` with a message written for people.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::findings::Findings;
use super::source_map::InDocument;
use super::suggest;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{Pointer, pointer};
use crate::model::{FIELD_NAME_PATTERN, MESSAGE_NAME_PATTERN, SERVICE_NAME_PATTERN};

/// The compiled validator of the generated schema (compiled once per process).
fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| compile(crate::schema::contracts_schema()))
}

fn compile(schema: Value) -> Validator {
    jsonschema::draft202012::new(&schema).expect("the generated schema is a valid draft 2020-12 schema")
}

/// The generated schema cut into pieces, one per kind of item, each validating an item but not
/// the items inside it (those get `true`, or only their own type).
///
/// `jsonschema` collects every error of a value before handing back the first, so validating a
/// whole hostile document at once holds all of its errors (2.5 million for a 5.8 MB file of
/// `- {a: 1}`, about 1.5 GB). Validating piece by piece holds the errors of one item at a time:
/// a few, since a piece's known keys are few. Its unexpected keys come as one error listing
/// them all, which is no bigger than the keys themselves; their findings go into the cap one by
/// one.
struct Pieces {
    root: Validator,
    message: Validator,
    field: Validator,
    service: Validator,
    service_message: Validator,
    service_name: Validator,
}

fn pieces() -> &'static Pieces {
    static PIECES: OnceLock<Pieces> = OnceLock::new();
    PIECES.get_or_init(|| {
        let schema = crate::schema::contracts_schema();
        let defs = schema["$defs"].clone();
        let def = |name: &str, edit: &dyn Fn(&mut Value)| {
            let mut defs = defs.clone();
            edit(&mut defs[name]);
            compile(serde_json::json!({ "$ref": format!("#/$defs/{name}"), "$defs": defs }))
        };
        let mut root = schema.clone();
        root["properties"]["messages"] = serde_json::json!({ "type": "array" });
        root["properties"]["services"] = serde_json::json!({ "type": "object" });
        Pieces {
            root: compile(root),
            message: def("MessageDef", &|m| m["properties"]["fields"]["items"] = Value::Bool(true)),
            field: def("FieldDef", &|_| {}),
            service: def("ServiceDef", &|s| s["properties"]["messages"]["items"] = Value::Bool(true)),
            service_message: compile(defs["ServiceDef"]["properties"]["messages"]["items"].clone()),
            service_name: compile(schema["properties"]["services"]["propertyNames"].clone()),
        }
    })
}

/// Pointers of the items (a message, a service) and root values that have schema errors, to
/// avoid reporting the same item again when it does not deserialize. One per item at most.
#[derive(Debug, Default)]
pub(crate) struct ErrorPointers {
    pointers: BTreeSet<String>,
}

impl ErrorPointers {
    /// Whether a schema error was reported at `pointer` or inside it (logarithmic time).
    pub(crate) fn covers(&self, pointer: &str) -> bool {
        if self.pointers.contains(pointer) {
            return true;
        }
        let prefix = format!("{pointer}/");
        self.pointers.range(prefix.clone()..).next().is_some_and(|p| p.starts_with(&prefix))
    }
}

/// Validates `doc` against the schema and pushes one finding per schema error.
pub(crate) fn validate(doc: InDocument<'_>, out: &mut Findings) -> ErrorPointers {
    let mut pointers = ErrorPointers::default();
    let value = doc.value();
    // Fast path: deciding validity stops at nothing and builds no errors.
    if validator().is_valid(value) {
        return pointers;
    }
    let pieces = pieces();
    let mut found = Found { doc, out, pointers: &mut pointers };
    found.check(&pieces.root, value, &Pointer::root(), &Pointer::root());
    if let Some(Value::Array(messages)) = value.get("messages") {
        for (i, message) in messages.iter().enumerate() {
            let at = pointer!["messages", i];
            found.check(&pieces.message, message, &at, &at);
            if let Some(Value::Array(fields)) = message.get("fields") {
                for (j, field) in fields.iter().enumerate() {
                    found.check(&pieces.field, field, &at.join(&pointer!["fields", j]), &at);
                }
            }
        }
    }
    if let Some(Value::Object(services)) = value.get("services") {
        for (name, service) in services {
            let at = pointer!["services", name];
            if let Some(error) = pieces.service_name.iter_errors(&Value::String(name.clone())).next() {
                found.out.push(doc.at_key(name_finding(name, &error), &at));
                found.pointers.pointers.insert(at.to_string());
            }
            found.check(&pieces.service, service, &at, &at);
            if let Some(Value::Array(names)) = service.get("messages") {
                for (j, message) in names.iter().enumerate() {
                    found.check(&pieces.service_message, message, &at.join(&pointer!["messages", j]), &at);
                }
            }
        }
    }
    pointers
}

/// Where the findings of [`validate`] go.
struct Found<'a> {
    doc: InDocument<'a>,
    out: &'a mut Findings,
    pointers: &'a mut ErrorPointers,
}

impl Found<'_> {
    /// Validates one piece: `value`, at `base`, inside the item at `item` (the root pointer for
    /// the root).
    fn check(&mut self, validator: &Validator, value: &Value, base: &Pointer, item: &Pointer) {
        if validator.is_valid(value) {
            return;
        }
        for error in validator.iter_errors(value) {
            let ptr = base.join(&Pointer::from_escaped(error.instance_path().as_str()));
            if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
                // One finding per key, each into the cap as it is made: an object can have
                // millions of unexpected keys.
                for key in unexpected {
                    self.out.push(unexpected_key(self.doc, &ptr, key));
                }
            } else {
                self.out.extend(describe(self.doc, &error, &ptr));
            }
            // Root errors by their own pointer, item errors by the item's.
            let key = if item.is_root() { ptr } else { item.clone() };
            self.pointers.pointers.insert(key.into_string());
        }
    }
}

/// The finding for a service name that breaks the schema's `propertyNames`.
fn name_finding(key: &str, error: &ValidationError<'_>) -> Diagnostic {
    let msg = match error.kind() {
        ValidationErrorKind::MaxLength { limit } => {
            format!("service name {} is longer than {limit} characters", short(&Value::String(key.to_string())))
        }
        ValidationErrorKind::Pattern { pattern } => match pattern_name(pattern) {
            Some(case) => format!("service name `{key}` is not {case}"),
            None => format!("key `{key}` does not match the pattern `{pattern}`"),
        },
        _ => format!("key `{key}` is not allowed: {}", error.masked()),
    };
    Diagnostic::error(Code::SchemaViolation, msg).with_label("invalid name")
}

/// What kind of object sits at `ptr`, for messages and for the list of allowed keys.
fn object_kind(ptr: &str) -> (&'static str, &'static [&'static str]) {
    let segments: Vec<&str> = ptr.split('/').skip(1).collect();
    match segments.as_slice() {
        [] => ("the contracts document", &["version", "messages", "services"]),
        ["messages", _] => ("a message", &["name", "type_id", "description", "fields"]),
        ["messages", _, "fields", _] => ("a field", &["name", "type", "count", "max_count", "max_len", "description"]),
        ["services", _] => ("a service", &["messages", "buffer_pool_enabled"]),
        _ => ("this mapping", &[]),
    }
}

/// The last reference token of a pointer, unescaped (`type_id`, `3`).
fn last_token(ptr: &str) -> String {
    ptr.rsplit('/').next().unwrap_or("").replace("~1", "/").replace("~0", "~")
}

/// What the value at `ptr` is, for messages about names: "message name", "field type".
fn value_name(ptr: &str) -> String {
    let segments: Vec<&str> = ptr.split('/').skip(1).collect();
    match segments.as_slice() {
        ["messages", _, "name"] => "message name".into(),
        ["messages", _, "fields", _, "name"] => "field name".into(),
        ["messages", _, "fields", _, "type"] => "field type".into(),
        _ => what(ptr),
    }
}

/// A short name for the value at `ptr`: `` `type_id` `` for a key, `item 3 of `messages`` for
/// an array element, "the document" for the root.
fn what(ptr: &str) -> String {
    if ptr.is_empty() {
        return "the document".into();
    }
    let last = last_token(ptr);
    if last.parse::<usize>().is_ok() {
        let parent = &ptr[..ptr.len() - last.len() - 1];
        format!("item {last} of `{}`", last_token(parent))
    } else {
        format!("`{last}`")
    }
}

fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn expected_type(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "integer" => "an integer".to_string(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(set) => set.iter().map(|t| name(&t)).collect::<Vec<_>>().join(" or "),
    }
}

fn pattern_name(pattern: &str) -> Option<&'static str> {
    if pattern == MESSAGE_NAME_PATTERN {
        Some("PascalCase (`SwapEvent`)")
    } else if pattern == FIELD_NAME_PATTERN {
        Some("snake_case (`pool_address`)")
    } else if pattern == SERVICE_NAME_PATTERN {
        Some("kebab-case (`polygon-adapter`)")
    } else {
        None
    }
}

fn short(v: &Value) -> String {
    let cut = |s: &str| {
        if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s.into() }
    };
    match v {
        Value::String(s) => format!("`{}`", cut(s)),
        other => cut(&other.to_string()),
    }
}

/// The finding for an unexpected `key` in the object at `ptr`.
fn unexpected_key(doc: InDocument<'_>, ptr: &Pointer, key: &str) -> Diagnostic {
    let (noun, allowed) = object_kind(ptr.as_str());
    let key_ptr = ptr.clone().with(key);
    let mut d = Diagnostic::error(Code::SchemaViolation, format!("unexpected key `{key}` in {noun}"))
        .with_label("not a key of the contract format");
    if !allowed.is_empty() {
        d = d.with_help(suggest::suggestion_help(key, allowed.iter().copied(), "allowed keys"));
    }
    doc.at_key(d, &key_ptr)
}

/// Turns one schema error into findings (an unexpected-keys error gives one per key).
fn describe(doc: InDocument<'_>, error: &ValidationError<'_>, pointer: &Pointer) -> Vec<Diagnostic> {
    let ptr = pointer.as_str();
    let sv = |msg: String| Diagnostic::error(Code::SchemaViolation, msg);
    let instance = error.instance();
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            unexpected.iter().map(|key| unexpected_key(doc, pointer, key)).collect()
        }
        ValidationErrorKind::Required { property } => {
            let (noun, _) = object_kind(ptr);
            let key = property.as_str().unwrap_or("?");
            let d = sv(format!("{noun} is missing the required key `{key}`"))
                .with_label(format!("`{key}` missing here"))
                .with_help(format!("add `{key}`"));
            vec![doc.at_value(d, pointer)]
        }
        ValidationErrorKind::Type { kind } => {
            let d = sv(format!("{} must be {}, found {}", what(ptr), expected_type(kind), json_type_name(instance)))
                .with_label(format!("expected {}", expected_type(kind)));
            vec![doc.at_value(d, pointer)]
        }
        ValidationErrorKind::Minimum { limit } => {
            let d = sv(format!("{} must be at least {limit}, found {}", what(ptr), short(instance)))
                .with_label(format!("below {limit}"));
            vec![doc.at_value(d, pointer)]
        }
        ValidationErrorKind::Maximum { limit } => {
            let d = sv(format!("{} must be at most {limit}, found {}", what(ptr), short(instance)))
                .with_label(format!("above {limit}"));
            vec![doc.at_value(d, pointer)]
        }
        ValidationErrorKind::MaxLength { limit } => {
            let d = sv(format!("{} {} is longer than {limit} characters", value_name(ptr), short(instance)))
                .with_label(format!("over {limit} characters"))
                .with_help("names become Rust identifiers: shorten it");
            vec![doc.at_value(d, pointer)]
        }
        ValidationErrorKind::Pattern { pattern } => {
            let d = match pattern_name(pattern) {
                Some(case) => sv(format!("{} {} is not {case}", value_name(ptr), short(instance)))
                    .with_label(format!("not {}", case.split(' ').next().unwrap_or(case))),
                None => sv(format!("{} {} does not match the pattern `{pattern}`", value_name(ptr), short(instance)))
                    .with_label("does not match"),
            };
            vec![doc.at_value(d, pointer)]
        }
        ValidationErrorKind::Not { .. } if instance.get("count").is_some() && instance.get("max_count").is_some() => {
            let d = sv("a field cannot have both `count` and `max_count`".into())
                .with_label("second array bound")
                .with_help("use `count` for a fixed array or `max_count` for a bounded variable array");
            vec![doc.at_key(d, &pointer.clone().with("max_count"))]
        }
        _ => vec![doc.at_value(sv(format!("{} is invalid: {}", what(ptr), error.masked())), pointer)],
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorPointers;

    #[test]
    fn covers_matches_the_pointer_and_what_is_inside_it_only() {
        let mut p = ErrorPointers::default();
        p.pointers.insert("/messages/1/fields/0/name".into());
        p.pointers.insert("/services/a-b".into());
        assert!(p.covers("/messages/1"));
        assert!(p.covers("/messages/1/fields/0/name"));
        assert!(!p.covers("/messages/10"));
        assert!(!p.covers("/messages/0"));
        assert!(p.covers("/services/a-b"));
        assert!(!p.covers("/services/a"));
    }
}
