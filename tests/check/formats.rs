//! What the loader accepts, as `docs/reference/formats.md` states it: a byte-order mark is
//! skipped, a lone surrogate escape in JSON is refused where it is written, `!!str` is the only
//! YAML tag (its verbatim form is refused) and a refused tag is spelled as the document wrote it,
//! TOML is read as TOML 1.1.

use mycelium_contracts::diagnostic::{Code, Diagnostic};
use mycelium_contracts::load::{self, Document};
use serde_json::json;

fn loads(name: &str, bytes: &[u8]) -> Document {
    load::load_bytes(name, bytes.to_vec())
        .unwrap_or_else(|e| panic!("{name} {:?} did not load: {}", String::from_utf8_lossy(bytes), e.message))
}

fn refused(name: &str, bytes: &[u8]) -> Diagnostic {
    match load::load_bytes(name, bytes.to_vec()) {
        Ok(d) => panic!("{name} {:?} loaded as {}", String::from_utf8_lossy(bytes), d.value),
        Err(e) => e,
    }
}

/// Asserts a `parse-error` at 1-based `line` and `column` whose message contains `needle`.
#[track_caller]
fn assert_refused_at(e: &Diagnostic, line: usize, column: usize, needle: &str) {
    assert_eq!(e.code, Code::ParseError, "{}", e.message);
    let at = e.location.as_ref().map(|l| (l.line, l.column));
    assert_eq!(at, Some((line, column)), "{}", e.message);
    assert!(e.message.contains(needle), "{:?} does not contain {needle:?}", e.message);
}

#[test]
fn a_byte_order_mark_is_skipped_in_every_syntax() {
    for (name, text) in [("a.yaml", "a: 1\n"), ("a.json", "{\"a\": 1}"), ("a.toml", "a = 1\n")] {
        let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let d = loads(name, &bytes);
        assert_eq!(d.value, json!({"a": 1}), "{name}");
        let span = d.spans.value("/a").unwrap_or_else(|| panic!("{name}: no span for /a"));
        assert_eq!(&d.source.text()[span], "1", "{name}: the span still points at the value");
    }
}

#[test]
fn a_lone_surrogate_escape_is_refused_where_it_is_written() {
    // A high half at the end, a low half alone, a high half followed by a non-surrogate.
    let e = refused("a.json", br#"{"a": "x\ud800"}"#);
    assert_refused_at(&e, 1, 9, "unpaired surrogate in `\\u` escape");
    let e = refused("a.json", br#"{"a": "\udc00y"}"#);
    assert_refused_at(&e, 1, 8, "unpaired surrogate in `\\u` escape");
    let e = refused("a.json", b"{\n  \"a\": \"\\ud800\\u0041\"\n}");
    assert_refused_at(&e, 2, 9, "unpaired surrogate in `\\u` escape");
}

#[test]
fn a_surrogate_pair_is_one_character() {
    assert_eq!(loads("a.json", br#"{"a": "\ud83d\ude00"}"#).value, json!({"a": "\u{1F600}"}));
}

#[test]
fn str_is_the_only_yaml_tag_and_only_in_its_short_form() {
    assert_eq!(loads("a.yaml", b"a: !!str 1\n").value, json!({"a": "1"}));
    let e = refused("a.yaml", b"a: !<tag:yaml.org,2002:str> 1\n");
    assert_refused_at(&e, 1, 4, "YAML tags are not supported (found `!<tag:yaml.org,2002:str>`); only `!!str` is");
}

#[test]
fn a_refused_tag_is_spelled_as_written() {
    for (text, tag) in [
        ("a: !!int 1\n", "!!int"),
        ("a: !!map {}\n", "!!map"),
        ("a: !custom 1\n", "!custom"),
        ("a: !<!custom> 1\n", "!<!custom>"),
        ("a: ! 1\n", "!"),
        ("- !!int 1\n", "!!int"),
        ("{a: !!int 1}\n", "!!int"),
    ] {
        let e = refused("a.yaml", text.as_bytes());
        let column = text.find('!').unwrap() + 1;
        assert_refused_at(&e, 1, column, &format!("(found `{tag}`)"));
    }
    let e = refused("a.yaml", b"%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n");
    assert_refused_at(&e, 3, 4, "(found `!e!foo`)");
}

#[test]
fn toml_is_read_as_toml_1_1() {
    // Each is invalid TOML 1.0 and valid TOML 1.1.
    let d = loads("a.toml", b"a = {\n  x = 1,\n}\ne = \"\\e\"\nx = \"\\x41\"\nt = 07:32\n");
    assert_eq!(d.value, json!({"a": {"x": 1}, "e": "\u{1b}", "x": "A", "t": "07:32"}));
}
