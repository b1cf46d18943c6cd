//! Property test: random contract-like documents, rendered in YAML (block and flow style), JSON
//! and TOML, load to the value they were rendered from, and for EVERY pointer of that value the
//! span index gives exactly the byte range the renderer wrote it at — so the text at the span is
//! the rendering of the value, and the text at the key span is the rendering of the key.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::doc;

/// Where the renderer wrote each pointer's value and key.
#[derive(Default)]
struct Out {
    s: String,
    spans: BTreeMap<String, (Range<usize>, Option<Range<usize>>)>,
}

impl Out {
    fn value(&mut self, pointer: &str, span: Range<usize>) {
        self.spans.entry(pointer.to_owned()).or_insert((0..0, None)).0 = span;
    }

    fn key(&mut self, pointer: &str, span: Range<usize>) {
        self.spans.entry(pointer.to_owned()).or_insert((0..0, None)).1 = Some(span);
    }

    /// Writes `text` and returns its range.
    fn write(&mut self, text: &str) -> Range<usize> {
        let start = self.s.len();
        self.s.push_str(text);
        start..self.s.len()
    }
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn number(v: &Value) -> String {
    match v {
        Value::Number(n) if n.is_f64() => format!("{:?}", n.as_f64().unwrap()),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------- YAML

/// Whether `s` can be written as a YAML plain scalar and still read back as this string.
fn yaml_plain(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && matches!(mycelium_contracts_resolve(s), Value::String(_))
}

/// The loader's resolution of a plain scalar, restated: the words that are not strings.
fn mycelium_contracts_resolve(s: &str) -> Value {
    match s {
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => Value::Null,
        _ => Value::String(s.to_owned()),
    }
}

fn yaml_scalar(v: &Value, plain_ok: bool) -> String {
    match v {
        Value::String(s) if plain_ok && yaml_plain(s) => s.clone(),
        Value::String(s) => quoted(s),
        Value::Null => "null".into(),
        other => number(other),
    }
}

/// Flow style: `[a, b]`, `{k: v}`.
fn yaml_flow(out: &mut Out, v: &Value, pointer: &str, plain: bool) {
    let start = out.s.len();
    match v {
        Value::Array(items) => {
            out.s.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.s.push_str(", ");
                }
                yaml_flow(out, item, &format!("{pointer}/{i}"), plain);
            }
            out.s.push(']');
        }
        Value::Object(map) => {
            out.s.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.s.push_str(", ");
                }
                let p = child(pointer, k);
                let key_span = out.write(&yaml_scalar(&Value::String(k.clone()), plain));
                out.key(&p, key_span);
                out.s.push_str(": ");
                yaml_flow(out, item, &p, plain);
            }
            out.s.push('}');
        }
        scalar => {
            let text = yaml_scalar(scalar, plain);
            out.s.push_str(&text);
        }
    }
    out.value(pointer, start..out.s.len());
}

fn is_block(v: &Value, depth: usize, flow_depth: usize) -> bool {
    depth < flow_depth
        && match v {
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            _ => false,
        }
}

/// Block style at `indent`; the cursor is already at the column of the first entry.
fn yaml_block(out: &mut Out, v: &Value, pointer: &str, indent: usize, depth: usize, style: &YamlStyle) {
    let start = out.s.len();
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.s.push('\n');
                    out.s.push_str(&" ".repeat(indent));
                }
                out.s.push_str("- ");
                let p = format!("{pointer}/{i}");
                if is_block(item, depth + 1, style.flow_depth) {
                    yaml_block(out, item, &p, indent + 2, depth + 1, style);
                } else {
                    yaml_flow(out, item, &p, style.plain);
                }
            }
        }
        Value::Object(map) => {
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.s.push('\n');
                    out.s.push_str(&" ".repeat(indent));
                }
                let p = child(pointer, k);
                let key_span = out.write(&yaml_scalar(&Value::String(k.clone()), style.plain));
                out.key(&p, key_span);
                out.s.push(':');
                if is_block(item, depth + 1, style.flow_depth) {
                    // Sequences under a key may be indentless (`key:\n- a`).
                    let child_indent = if item.is_array() && style.indentless { indent } else { indent + 2 };
                    out.s.push('\n');
                    out.s.push_str(&" ".repeat(child_indent));
                    yaml_block(out, item, &p, child_indent, depth + 1, style);
                } else {
                    out.s.push(' ');
                    yaml_flow(out, item, &p, style.plain);
                }
            }
        }
        _ => unreachable!("scalars are never block"),
    }
    out.value(pointer, start..out.s.len());
}

#[derive(Debug, Clone)]
struct YamlStyle {
    /// Collections at this depth and deeper are written in flow style.
    flow_depth: usize,
    /// Sequences under a mapping key are written without indentation.
    indentless: bool,
    /// Strings are written plain when they can be.
    plain: bool,
    /// A comment line first, and blank lines around.
    comment: bool,
}

fn render_yaml(v: &Value, style: &YamlStyle) -> Out {
    let mut out = Out::default();
    if style.comment {
        out.s.push_str("# A generated document.\n\n");
    }
    if is_block(v, 0, style.flow_depth) {
        yaml_block(&mut out, v, "", 0, 0, style);
    } else {
        yaml_flow(&mut out, v, "", style.plain);
    }
    out.s.push_str(if style.comment { "\n\n# The end.\n" } else { "\n" });
    out
}

// ---------------------------------------------------------------- JSON

fn json(out: &mut Out, v: &Value, pointer: &str, indent: usize) {
    let start = out.s.len();
    let pad = |n: usize| format!("\n{}", " ".repeat(n));
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.s.push('[');
            for (i, item) in items.iter().enumerate() {
                out.s.push_str(&pad(indent + 2));
                json(out, item, &format!("{pointer}/{i}"), indent + 2);
                if i + 1 < items.len() {
                    out.s.push(',');
                }
            }
            out.s.push_str(&pad(indent));
            out.s.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.s.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                out.s.push_str(&pad(indent + 2));
                let p = child(pointer, k);
                let key_span = out.write(&quoted(k));
                out.key(&p, key_span);
                out.s.push_str(": ");
                json(out, item, &p, indent + 2);
                if i + 1 < map.len() {
                    out.s.push(',');
                }
            }
            out.s.push_str(&pad(indent));
            out.s.push('}');
        }
        Value::Array(_) => out.s.push_str("[]"),
        Value::Object(_) => out.s.push_str("{}"),
        Value::String(s) => out.s.push_str(&quoted(s)),
        other => out.s.push_str(&number(other)),
    }
    out.value(pointer, start..out.s.len());
}

// ---------------------------------------------------------------- TOML

fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_owned()
    } else {
        quoted(k)
    }
}

fn toml_inline(out: &mut Out, v: &Value, pointer: &str) {
    let start = out.s.len();
    match v {
        Value::Array(items) => {
            out.s.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.s.push_str(", ");
                }
                toml_inline(out, item, &format!("{pointer}/{i}"));
            }
            out.s.push(']');
        }
        Value::Object(map) => {
            out.s.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                out.s.push_str(if i > 0 { ", " } else { " " });
                let p = child(pointer, k);
                let key_span = out.write(&toml_key(k));
                out.key(&p, key_span);
                out.s.push_str(" = ");
                toml_inline(out, item, &p);
            }
            out.s.push_str(if map.is_empty() { "}" } else { " }" });
        }
        Value::String(s) => out.s.push_str(&quoted(s)),
        Value::Null => unreachable!("TOML has no null"),
        other => out.s.push_str(&number(other)),
    }
    out.value(pointer, start..out.s.len());
}

fn is_table_array(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(|x| matches!(x, Value::Object(m) if !m.is_empty())))
}

/// The `k = v` lines of a table, then its sub-tables under headers. `path` is the header path
/// of this table (rendered keys).
fn toml_table(out: &mut Out, map: &Map<String, Value>, pointer: &str, path: &[String], headers: bool) {
    for (k, item) in map {
        if headers && (item.is_object() || is_table_array(item)) {
            continue;
        }
        let p = child(pointer, k);
        let key_span = out.write(&toml_key(k));
        out.key(&p, key_span);
        out.s.push_str(" = ");
        toml_inline(out, item, &p);
        out.s.push('\n');
    }
    if !headers {
        return;
    }
    for (k, item) in map {
        let p = child(pointer, k);
        let mut sub = path.to_vec();
        sub.push(toml_key(k));
        let prefix: String = path.iter().map(|seg| format!("{seg}.")).collect();
        match item {
            Value::Object(m) => {
                out.s.push('\n');
                let start = out.s.len();
                out.s.push('[');
                out.s.push_str(&prefix);
                let key_span = out.write(sub.last().unwrap());
                out.s.push(']');
                out.value(&p, start..out.s.len());
                out.key(&p, key_span);
                out.s.push('\n');
                toml_table(out, m, &p, &sub, true);
            }
            Value::Array(items) if is_table_array(item) => {
                let mut first = None;
                for (i, element) in items.iter().enumerate() {
                    out.s.push('\n');
                    let start = out.s.len();
                    out.s.push_str("[[");
                    out.s.push_str(&prefix);
                    let key_span = out.write(sub.last().unwrap());
                    out.s.push_str("]]");
                    let end = out.s.len();
                    let first = first.get_or_insert((start, key_span)).clone();
                    out.value(&format!("{p}/{i}"), start..end);
                    out.value(&p, first.0..end);
                    out.key(&p, first.1);
                    out.s.push('\n');
                    // Elements hold only `k = v` lines (their nested tables are inline).
                    toml_table(out, element.as_object().unwrap(), &format!("{p}/{i}"), &sub, false);
                }
            }
            _ => {}
        }
    }
}

fn render_toml(v: &Value) -> Out {
    let mut out = Out::default();
    toml_table(&mut out, v.as_object().unwrap(), "", &[], true);
    out.value("", 0..out.s.len());
    out
}

// ---------------------------------------------------------------- strategies

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,8}",
        2 => "[A-Z][A-Za-z0-9]{0,8}",
        2 => "[a-z]{1,5}-[a-z]{1,5}",
        1 => "[ -~]{0,8}",
        1 => "\\PC{1,4}",
        1 => prop::sample::select(vec!["a/b", "m~n", "~1", "with space", "x: y", "#hash", "true", "123", "null", "1.2.0", ""])
            .prop_map(String::from),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z_][A-Za-z0-9_.-]{0,12}",
        2 => "[ -~]{0,12}",
        1 => "\\PC{0,6}",
        1 => prop::sample::select(vec!["1.2.0", "true", "null", "123", "-1.5", "", " padded ", "a\nb", "tab\there", ".inf"])
            .prop_map(String::from),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => string().prop_map(Value::String),
        2 => any::<i64>().prop_map(Value::from),
        1 => (0u32..1000).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => (-100_000i32..100_000).prop_map(|k| Value::from(f64::from(k) / 8.0)),
    ]
}

/// Contract-like: objects of objects and arrays, a few levels deep, no nulls (TOML has none).
fn document() -> impl Strategy<Value = Value> {
    let tree = scalar().prop_recursive(5, 80, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map(key(), tree, 0..7).prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn yaml_style() -> impl Strategy<Value = YamlStyle> {
    (0usize..6, any::<bool>(), any::<bool>(), any::<bool>())
        .prop_map(|(flow_depth, indentless, plain, comment)| YamlStyle { flow_depth, indentless, plain, comment })
}

// ---------------------------------------------------------------- the property

/// Every pointer of `value`.
fn pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                pointers(item, child(&pointer, k), out);
            }
        }
        _ => {}
    }
    out.push(pointer);
}

fn check(name: &str, value: &Value, out: &Out) -> Result<(), TestCaseError> {
    let d = doc(name, &out.s);
    prop_assert_eq!(&d.value, value, "{} loaded to another value:\n{}", name, out.s);
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    prop_assert_eq!(d.spans.len(), all.len());
    for pointer in all {
        let (want, want_key) = out.spans.get(&pointer).cloned().unwrap_or_else(|| panic!("renderer missed {pointer}"));
        let got = d.spans.value(&pointer);
        prop_assert_eq!(
            got.clone(),
            Some(want.clone()),
            "{} value span of {:?}: got {:?}, want {:?}\n{}",
            name,
            pointer,
            got.map(|s| &out.s[s]),
            &out.s[want.clone()],
            out.s
        );
        let got_key = d.spans.key(&pointer);
        prop_assert_eq!(got_key.clone(), want_key.clone(), "{} key span of {:?}\n{}", name, pointer, out.s);
        prop_assert_eq!(d.spans.locate(&pointer), want);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_pointer_maps_to_its_text_in_yaml(value in document(), style in yaml_style()) {
        check("doc.yaml", &value, &render_yaml(&value, &style))?;
    }

    #[test]
    fn every_pointer_maps_to_its_text_in_json(value in document()) {
        let mut out = Out::default();
        json(&mut out, &value, "", 0);
        out.s.push('\n');
        check("doc.json", &value, &out)?;
    }

    #[test]
    fn every_pointer_maps_to_its_text_in_toml(value in document()) {
        check("doc.toml", &value, &render_toml(&value))?;
    }
}

#[test]
fn renderers_cover_a_known_document() {
    // Keys in sorted order, so the expectation holds with and without serde_json's `preserve_order`.
    let value = serde_json::json!({"a": [1, {"b": "x y"}], "e": {}, "t": {"u": [{"v": 1.5}]}});
    let style = YamlStyle { flow_depth: 9, indentless: true, plain: true, comment: true };
    let mut rendered = String::new();
    let _ = write!(rendered, "{}", render_yaml(&value, &style).s);
    assert_eq!(
        rendered,
        "# A generated document.\n\na:\n- 1\n- b: \"x y\"\ne: {}\nt:\n  u:\n  - v: 1.5\n\n# The end.\n"
    );
    assert_eq!(render_toml(&value).s, "a = [1, { b = \"x y\" }]\n\n[e]\n\n[t]\n\n[[t.u]]\nv = 1.5\n");
    for (name, out) in [("doc.yaml", render_yaml(&value, &style)), ("doc.toml", render_toml(&value))] {
        check(name, &value, &out).unwrap();
    }
}
