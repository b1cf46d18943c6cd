//! Service-config files: TOML (or YAML/JSON) documents with `[service.NAME]` tables holding
//! `messages` and `buffer_pool_enabled`. Other keys of a service table belong to the service
//! and are ignored, as are top-level keys other than `service`.

use serde_json::Value;

use super::findings::Findings;
use super::source_map::InDocument;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{Pointer, pointer};
use crate::model::{MAX_NAME_LEN, SERVICE_NAME_PATTERN, ServiceDef, name_len_ok};

/// Whether `name` is kebab-case ([`SERVICE_NAME_PATTERN`]), without a regex engine.
pub(crate) fn is_kebab_case(name: &str) -> bool {
    debug_assert_eq!(SERVICE_NAME_PATTERN, "^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
    let mut prev_dash = true;
    for (i, c) in name.chars().enumerate() {
        match c {
            'a'..='z' => prev_dash = false,
            '0'..='9' if i > 0 => prev_dash = false,
            '-' if !prev_dash => prev_dash = true,
            _ => return false,
        }
    }
    !prev_dash
}

/// A service a service-config file declares.
pub(crate) struct DeclaredService {
    /// Its name (the key of its table).
    pub name: String,
    /// What it declares.
    pub def: ServiceDef,
    /// The pointer of its table (`/service/polygon-adapter`).
    pub pointer: Pointer,
}

/// The services a service-config file declares. Invalid entries are reported as
/// `schema-violation` and left out.
pub(crate) fn read_service_file(doc: InDocument<'_>, out: &mut Findings) -> Vec<DeclaredService> {
    let sv = |msg: String| Diagnostic::error(Code::SchemaViolation, msg);
    let mut found = Vec::new();
    let Some(root) = doc.value().as_object() else {
        out.push(doc.at_value(
            sv("a service-config file must be a mapping with `[service.NAME]` tables".into()),
            &Pointer::root(),
        ));
        return found;
    };
    let Some(services) = root.get("service") else {
        return found;
    };
    let Some(services) = services.as_object() else {
        out.push(
            doc.at_value(sv("`service` must be a table of services (`[service.NAME]`)".into()), &pointer!["service"]),
        );
        return found;
    };
    for (name, table) in services {
        let ptr = pointer!["service", name];
        let mut ok = true;
        if !is_kebab_case(name) {
            out.push(doc.at_key(
                sv(format!("service name `{name}` is not kebab-case (`polygon-adapter`)")).with_label("invalid name"),
                &ptr,
            ));
            ok = false;
        } else if !name_len_ok(name) {
            out.push(doc.at_key(
                sv(format!("service name is longer than {MAX_NAME_LEN} characters")).with_label("invalid name"),
                &ptr,
            ));
            ok = false;
        }
        let Some(table) = table.as_object() else {
            out.push(
                doc.at_value(sv(format!("service `{name}` must be a table")).with_label("expected a table"), &ptr),
            );
            continue;
        };
        let mut messages = Vec::new();
        match table.get("messages") {
            None => {
                out.push(
                    doc.at_key(
                        sv(format!("service `{name}` is missing the required key `messages`"))
                            .with_label("`messages` missing here")
                            .with_help("add `messages = [\"MessageName\", ...]`"),
                        &ptr,
                    ),
                );
                ok = false;
            }
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) if !name_len_ok(s) => {
                            out.push(
                                doc.at_value(
                                    sv(format!("item {i} of `messages` is longer than {MAX_NAME_LEN} characters"))
                                        .with_label(format!("over {MAX_NAME_LEN} characters")),
                                    &ptr.join(&pointer!["messages", i]),
                                ),
                            );
                            ok = false;
                        }
                        Some(s) => messages.push(s.to_string()),
                        None => {
                            out.push(
                                doc.at_value(
                                    sv(format!("item {i} of `messages` must be a string (a message name)"))
                                        .with_label("expected a string"),
                                    &ptr.join(&pointer!["messages", i]),
                                ),
                            );
                            ok = false;
                        }
                    }
                }
            }
            Some(_) => {
                out.push(doc.at_value(
                    sv("`messages` must be a list of message names".into()).with_label("expected a list"),
                    &ptr.join(&pointer!["messages"]),
                ));
                ok = false;
            }
        }
        let buffer_pool_enabled = match table.get("buffer_pool_enabled") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                out.push(doc.at_value(
                    sv("`buffer_pool_enabled` must be a boolean".into()).with_label("expected a boolean"),
                    &ptr.join(&pointer!["buffer_pool_enabled"]),
                ));
                ok = false;
                true
            }
        };
        if ok {
            found.push(DeclaredService {
                name: name.clone(),
                def: ServiceDef { messages, buffer_pool_enabled },
                pointer: ptr,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_matches_the_schema_pattern() {
        for ok in ["a", "polygon-adapter", "a1-b2", "x9", "a-1b"] {
            assert!(is_kebab_case(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "1a", "a-1b-", "é"] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
    }
}
