//! The rules the schema cannot express (`docs/reference/diagnostics.md`): version syntax, duplicates,
//! unknown names, unbounded fields, recursion and size limits.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::findings::Findings;
use super::source_map::SourceMap;
use super::suggest;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::pointer;
use crate::model::{BuiltinType, Contracts, Elem, FieldShape, Layout, MAX_MESSAGE_SIZE, ShapeError, SizeError};

/// After this many "did you mean" searches (each linear in the number of names), unknown
/// names only get the list of defined names: a hostile document with thousands of unknown
/// names stays linear.
const SUGGESTION_BUDGET: usize = 256;

/// The built-in types, as listed in help text.
const BUILTINS: &str = "`bool`, `u8`…`u128`, `i8`…`i128`, `f32`, `f64`, `Address`, `Hash`, `uint256`, `int256`, \
                        `string`, `bytes`";

/// Everything the semantic checks read.
pub(crate) struct Context<'a> {
    pub contracts: &'a Contracts,
    pub layout: &'a Layout,
    /// Where each message, enum and service of `contracts` came from.
    pub sources: &'a SourceMap,
    pub invalid_messages: &'a BTreeSet<String>,
}

/// Runs every semantic check.
pub(crate) fn check(cx: &Context<'_>, out: &mut Findings) {
    check_version(cx, out);
    check_enums(cx, out);
    check_messages(cx, out);
    check_sizes(cx, out);
    check_services(cx, out);
}

fn check_version(cx: &Context<'_>, out: &mut Findings) {
    let Some(doc) = cx.sources.in_contracts() else { return };
    // A missing or non-string version is a schema violation, reported already.
    let Some(version) = doc.value().get("version").and_then(|v| v.as_str()) else { return };
    if let Err(e) = semver::Version::parse(version) {
        let d = Diagnostic::error(Code::InvalidVersion, format!("version `{version}` is not a semver version: {e}"))
            .with_label("not MAJOR.MINOR.PATCH")
            .with_help("write the version as `MAJOR.MINOR.PATCH`, for example `1.2.0`");
        out.push(doc.at_value(d, &pointer!["version"]));
    }
}

/// Enum names (each against the enums before it; clashes with messages are reported on the
/// message), duplicate values, and values that do not fit the wire type.
fn check_enums(cx: &Context<'_>, out: &mut Findings) {
    let c = cx.contracts;
    let mut names: HashMap<&str, usize> = HashMap::with_capacity(c.enums.len());
    for (i, e) in c.enums.iter().enumerate() {
        if let Some(&first) = names.get(e.name.as_str()) {
            let d = Diagnostic::error(Code::DuplicateMessage, format!("enum `{}` is defined twice", e.name))
                .with_label("defined again here")
                .with_help(format!(
                    "first defined at {}; rename one of them",
                    cx.sources.enum_position(first, &pointer!["name"])
                ));
            out.push(cx.sources.at_enum(d, i, &pointer!["name"]));
        } else {
            names.insert(&e.name, i);
        }
        let mut seen: HashMap<i128, &str> = HashMap::with_capacity(e.values.0.len());
        for v in &e.values.0 {
            let suffix = pointer!["values", &v.name];
            if !(0..=e.max_value()).contains(&v.value) {
                let d = Diagnostic::error(
                    Code::EnumValueOutOfRange,
                    format!("value `{}.{}` = {} does not fit the enum's type `{}`", e.name, v.name, v.value, e.ty),
                )
                .with_label(format!("not in 0..={}", e.max_value()))
                .with_help(format!(
                    "a `{}` enum holds 0 to {}; pick a value in that range, or a wider `type`",
                    e.ty,
                    e.max_value()
                ));
                out.push(cx.sources.at_enum(d, i, &suffix));
            } else if let Some(first) = seen.get(&v.value) {
                let d = Diagnostic::error(
                    Code::DuplicateEnumValue,
                    format!("`{}.{first}` and `{}.{}` share the value {}", e.name, e.name, v.name, v.value),
                )
                .with_label("already used")
                .with_help(format!(
                    "`{first}` uses it at {}; every name of an enum needs its own value",
                    cx.sources.enum_position(i, &pointer!["values", *first])
                ));
                out.push(cx.sources.at_enum(d, i, &suffix));
            } else {
                seen.insert(v.value, &v.name);
            }
        }
    }
}

fn check_messages(cx: &Context<'_>, out: &mut Findings) {
    let c = cx.contracts;
    let mut names: HashMap<&str, usize> = HashMap::with_capacity(c.messages.len());
    let mut ids: HashMap<u16, usize> = HashMap::with_capacity(c.messages.len());
    let enums: HashMap<&str, usize> = c.enums.iter().enumerate().rev().map(|(i, e)| (e.name.as_str(), i)).collect();
    let mut budget = SUGGESTION_BUDGET;
    for (i, m) in c.messages.iter().enumerate() {
        if let Some(&first) = names.get(m.name.as_str()) {
            let d = Diagnostic::error(Code::DuplicateMessage, format!("message `{}` is defined twice", m.name))
                .with_label("defined again here")
                .with_help(format!(
                    "first defined at {}; rename one of them",
                    cx.sources.message_position(first, &pointer!["name"])
                ));
            out.push(cx.sources.at_message(d, i, &pointer!["name"]));
        } else {
            names.insert(&m.name, i);
            if let Some(&e) = enums.get(m.name.as_str()) {
                let d = Diagnostic::error(
                    Code::DuplicateMessage,
                    format!("message `{}` takes the name of an enum", m.name),
                )
                .with_label("an enum has this name")
                .with_help(format!(
                    "the enum is defined at {}; messages and enums share one namespace, rename one of them",
                    cx.sources.enum_position(e, &pointer!["name"])
                ));
                out.push(cx.sources.at_message(d, i, &pointer!["name"]));
            }
        }
        let Some(type_id) = m.type_id else { continue };
        if let Some(&first) = ids.get(&type_id) {
            let d = Diagnostic::error(
                Code::DuplicateTypeId,
                format!("messages `{}` and `{}` share type_id {}", c.messages[first].name, m.name, type_id),
            )
            .with_label("already used")
            .with_help(format!(
                "`{}` uses it at {}; every message needs its own type_id",
                c.messages[first].name,
                cx.sources.message_position(first, &pointer!["type_id"])
            ));
            out.push(cx.sources.at_message(d, i, &pointer!["type_id"]));
        } else {
            ids.insert(type_id, i);
        }
    }

    for (i, m) in c.messages.iter().enumerate() {
        let mut fields: HashMap<&str, usize> = HashMap::with_capacity(m.fields.len());
        for (j, f) in m.fields.iter().enumerate() {
            if let Some(&first) = fields.get(f.name.as_str()) {
                let d = Diagnostic::error(
                    Code::DuplicateField,
                    format!("message `{}` has two fields named `{}`", m.name, f.name),
                )
                .with_label("defined again here")
                .with_help(format!(
                    "first defined at {}",
                    cx.sources.message_position(i, &pointer!["fields", first, "name"])
                ));
                out.push(cx.sources.at_message(d, i, &pointer!["fields", j, "name"]));
            } else {
                fields.insert(&f.name, j);
            }
            match cx.layout.shapes(i).get(j) {
                Some(Err(ShapeError::Unbounded(t))) => {
                    let d = Diagnostic::error(
                        Code::UnboundedField,
                        format!("field `{}.{}` of type `{}` has no `max_len`", m.name, f.name, f.ty),
                    )
                    .with_label("unbounded")
                    .with_help(format!(
                        "every field needs a maximum size: add `max_len` (the most bytes a `{}` may hold)",
                        t.canonical_name()
                    ));
                    out.push(cx.sources.at_message(d, i, &pointer!["fields", j, "type"]));
                }
                Some(Err(ShapeError::UnknownType)) if !cx.invalid_messages.contains(&f.ty) => {
                    let name = f.ty.as_str();
                    let defined =
                        || c.messages.iter().map(|m| m.name.as_str()).chain(c.enums.iter().map(|e| e.name.as_str()));
                    // Enums are named in the texts only where the contracts declare some.
                    let (kinds, listed, label, short) = if c.enums.is_empty() {
                        (
                            " or a message",
                            "defined messages",
                            "neither a built-in type nor a message",
                            "use a built-in type or the name of a message",
                        )
                    } else {
                        (
                            ", a message or an enum",
                            "defined messages and enums",
                            "neither a built-in type, a message nor an enum",
                            "use a built-in type, or the name of a message or an enum",
                        )
                    };
                    let help = if budget > 0 {
                        budget -= 1;
                        let mut candidates: Vec<&str> = BuiltinType::names().collect();
                        candidates.extend(defined());
                        match suggest::did_you_mean(name, candidates.iter().copied()) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!(
                                "use a built-in type ({BUILTINS}){kinds}; {}",
                                suggest::suggestion_help(name, defined(), listed)
                            ),
                        }
                    } else {
                        short.into()
                    };
                    let d = Diagnostic::error(
                        Code::UnknownType,
                        format!("field `{}.{}` has unknown type `{name}`", m.name, f.name),
                    )
                    .with_label(label)
                    .with_help(help);
                    out.push(cx.sources.at_message(d, i, &pointer!["fields", j, "type"]));
                }
                _ => {}
            }
        }
    }
}

fn check_sizes(cx: &Context<'_>, out: &mut Findings) {
    let c = cx.contracts;
    // A component of messages that embed each other is reported once (they share its cycle).
    let mut reported_cycles: HashSet<*const usize> = HashSet::new();
    for (i, m) in c.messages.iter().enumerate() {
        match cx.layout.get(i) {
            Some(Ok(l)) if l.is_too_large() => {
                let d = Diagnostic::error(
                    Code::MessageTooLarge,
                    format!(
                        "message `{}` is {} bytes, over the limit of {} bytes",
                        m.name,
                        group(l.max_size),
                        group(MAX_MESSAGE_SIZE)
                    ),
                )
                .with_label(format!("MAX_SIZE = {}", group(l.max_size)))
                .with_help(largest_fields_help(cx, i));
                out.push(cx.sources.at_message(d, i, &pointer!["name"]));
            }
            Some(Err(SizeError::Recursive { cycle })) => {
                // Reported once per component, at its first message (where the cycle starts).
                if !reported_cycles.insert(cycle.as_ptr()) {
                    continue;
                }
                debug_assert_eq!(cycle.first(), Some(&i));
                let next = cycle.get(1).copied().unwrap_or(i);
                let next_name = c.messages[next].name.as_str();
                let field = cx
                    .layout
                    .shapes(i)
                    .iter()
                    .position(|s| matches!(s, Ok(FieldShape { elem: Elem::Message(k), .. }) if *k == next))
                    .unwrap_or(0);
                let mut path: Vec<&str> = cycle.iter().map(|&k| c.messages[k].name.as_str()).collect();
                path.push(&m.name);
                let message = if cycle.len() == 1 {
                    format!("message `{}` embeds itself", m.name)
                } else {
                    format!("message `{}` embeds itself through {}", m.name, quoted(&path[1..path.len() - 1]))
                };
                let d = Diagnostic::error(Code::RecursiveMessage, message)
                    .with_label(format!("embeds `{next_name}`"))
                    .with_help(format!(
                        "a message is embedded inline, so a cycle has no finite size: {}",
                        path.join(" -> ")
                    ));
                out.push(cx.sources.at_message(d, i, &pointer!["fields", field, "type"]));
            }
            _ => {}
        }
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// 65536 → "65,536".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Names the largest fields of a too-large message.
fn largest_fields_help(cx: &Context<'_>, i: usize) -> String {
    let m = &cx.contracts.messages[i];
    let Some(Ok(l)) = cx.layout.get(i) else { return String::new() };
    let mut sizes: Vec<(u64, &str)> = l.fields.iter().zip(&m.fields).map(|(at, f)| (at.size, f.name.as_str())).collect();
    sizes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let top: Vec<String> = sizes.iter().take(3).map(|(s, n)| format!("`{n}` {} bytes", group(*s))).collect();
    format!("largest fields: {}; lower a `count`, `max_count` or `max_len`, or split the message", top.join(", "))
}

fn check_services(cx: &Context<'_>, out: &mut Findings) {
    let c = cx.contracts;
    let defined: HashSet<&str> = c.messages.iter().map(|m| m.name.as_str()).collect();
    // A message defined twice, once framed, is not reported here (the duplicate is).
    let framed: HashSet<&str> = c.messages.iter().filter(|m| m.is_framed()).map(|m| m.name.as_str()).collect();
    let mut budget = SUGGESTION_BUDGET;
    for (name, svc) in &c.services {
        if cx.sources.service_origin(name).is_none() {
            continue;
        }
        for (k, msg) in svc.messages.iter().enumerate() {
            if defined.contains(msg.as_str()) && !framed.contains(msg.as_str()) {
                let d = Diagnostic::error(
                    Code::MessageNotFramed,
                    format!("service `{name}` handles `{msg}`, which has no `type_id`"),
                )
                .with_label("embedded-only: never travels as a frame")
                .with_help(format!(
                    "give `{msg}` a `type_id` so it can travel as a frame, or remove it from the service \
                     (it can still be embedded in the messages the service handles)"
                ));
                out.push(cx.sources.at_service(d, name, &pointer!["messages", k]));
                continue;
            }
            if defined.contains(msg.as_str()) || cx.invalid_messages.contains(msg) {
                continue;
            }
            let help = if budget > 0 {
                budget -= 1;
                suggest::suggestion_help(msg, c.messages.iter().map(|m| m.name.as_str()), "defined messages")
            } else {
                "name a message defined under `messages`".into()
            };
            let d =
                Diagnostic::error(Code::UnknownMessage, format!("service `{name}` handles unknown message `{msg}`"))
                    .with_label("not a defined message")
                    .with_help(help);
            out.push(cx.sources.at_service(d, name, &pointer!["messages", k]));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::group(65_536), "65,536");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(1_000_000), "1,000,000");
    }
}
