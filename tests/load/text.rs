//! Text encodings and whitespace: invalid UTF-8, a byte-order mark, CRLF line ends, tabs.

use mycelium_contracts::diagnostic::Code;
use mycelium_contracts::load::{self, Format};
use serde_json::json;

use crate::{assert_parse_error, doc, err, key_text, source, value_text};

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    for name in ["c.yaml", "c.json", "c.toml"] {
        let mut bytes = b"version: 1.0.0\nname: ok\nbad: ab".to_vec();
        bytes.extend_from_slice(&[0xC3, 0x28]);
        bytes.extend_from_slice(b"\n");
        let e = load::load_bytes(name, bytes).unwrap_err();
        assert_parse_error(&e, 3, 8, "not UTF-8");
        assert!(e.message.contains("0xC3"), "{}", e.message);
        assert_eq!(e.location.as_ref().unwrap().span.start, 31);
        assert_eq!(e.location.as_ref().unwrap().source.name(), name);
    }
    // A lone continuation byte at the very start, and a truncated sequence at the very end.
    assert_parse_error(&load::load_bytes("c.yaml", vec![0x80, b'a']).unwrap_err(), 1, 1, "not UTF-8");
    assert_parse_error(&load::load_bytes("c.yaml", b"a: \xE2\x82".to_vec()).unwrap_err(), 1, 4, "not UTF-8");
}

#[test]
fn valid_bytes_load() {
    let d = load::load_bytes("c.yaml", "a: é\n".as_bytes().to_vec()).unwrap();
    assert_eq!(d.value, json!({"a": "é"}));
    assert_eq!(value_text(&d, "/a"), "é");
}

#[test]
fn byte_order_mark() {
    let d = doc("c.yaml", "\u{FEFF}version: 1.0.0\nname: x\n");
    assert_eq!(d.value, json!({"version": "1.0.0", "name": "x"}));
    assert_eq!(value_text(&d, "/version"), "1.0.0");
    assert_eq!(key_text(&d, "/name"), "name");
    let d = doc("c.json", "\u{FEFF}{\"a\": [1, 2]}");
    assert_eq!(value_text(&d, "/a/1"), "2");
    let d = doc("c.toml", "\u{FEFF}a = [1, 2]\n");
    assert_eq!(value_text(&d, "/a/1"), "2");
}

#[test]
fn crlf_line_ends() {
    let d = doc("c.yaml", "version: 1.0.0\r\nmessages:\r\n  - name: A\r\n    type_id: 7\r\n");
    assert_eq!(d.value, json!({"version": "1.0.0", "messages": [{"name": "A", "type_id": 7}]}));
    assert_eq!(value_text(&d, "/messages/0/type_id"), "7");
    assert_eq!(value_text(&d, "/messages/0"), "name: A\r\n    type_id: 7");
    let loc = d.source.line_col(d.spans.value("/messages/0/type_id").unwrap().start);
    assert_eq!(loc, (4, 14));
    let d = doc("c.json", "{\r\n  \"a\": {\r\n    \"b\": 1\r\n  }\r\n}\r\n");
    assert_eq!(value_text(&d, "/a/b"), "1");
    assert_eq!(value_text(&d, "/a"), "{\r\n    \"b\": 1\r\n  }");
    let d = doc("c.toml", "[t]\r\na = 1\r\nb = \"x\"\r\n");
    assert_eq!(value_text(&d, "/t/b"), "\"x\"");
    // An error after CRLF lines is on the right line.
    let e = err("c.yaml", "a: 1\r\nb: [1, 2\r\nc: 3\r\n");
    assert_eq!(e.code, Code::ParseError);
    assert!(e.location.unwrap().line >= 2);
}

#[test]
fn tabs() {
    // Tabs inside values and as separation in flow style (JSON) are fine.
    let d = doc("c.yaml", "a: \"x\ty\"\nb: \tvalue\t\nc:\n-\td\n");
    assert_eq!(d.value, json!({"a": "x\ty", "b": "value", "c": ["d"]}));
    assert_eq!(value_text(&d, "/b"), "value");
    assert_eq!(value_text(&d, "/c/0"), "d");
    // FIXME: YAML 1.2 allows a tab right after `:`, but saphyr-parser 0.3 refuses it; it is at
    // least a located parse-error.
    let e = err("c.yaml", "a: 1\nb:\tvalue\n");
    assert_parse_error(&e, 2, 4, "whitespace");
    let d = doc("c.json", "{\n\t\"a\": {\n\t\t\"b\": [1,\t2]\n\t}\n}\n");
    assert_eq!(value_text(&d, "/a/b/1"), "2");
    let d = doc("c.toml", "[t]\n\ta\t=\t1\n");
    assert_eq!(value_text(&d, "/t/a"), "1");
    assert_eq!(key_text(&d, "/t/a"), "a");
    // YAML forbids tabs in indentation: a located parse-error, columns counting the tab as one.
    let e = err("c.yaml", "a:\n\tb: 1\n");
    assert_eq!(e.code, Code::ParseError);
    assert_eq!(e.location.as_ref().unwrap().line, 2, "{}", e.message);
}

#[test]
fn format_by_extension() {
    assert_eq!(Format::from_path("a/b.YML".as_ref()), Some(Format::Yaml));
    assert_eq!(Format::from_path("b.yaml".as_ref()), Some(Format::Yaml));
    assert_eq!(Format::from_path("b.json".as_ref()), Some(Format::Json));
    assert_eq!(Format::from_path("b.toml".as_ref()), Some(Format::Toml));
    assert_eq!(Format::from_path("b.txt".as_ref()), None);
    assert_eq!(Format::from_path("yaml".as_ref()), None);
    let e = load::load(&source("contracts.txt", "a: 1")).unwrap_err();
    assert_parse_error(&e, 1, 1, "cannot tell the format");
    // `load_as` ignores the name.
    let d = load::load_as(&source("contracts.txt", "a = 1"), Format::Toml).unwrap();
    assert_eq!(d.value, json!({"a": 1}));
}

#[test]
fn empty_documents() {
    let d = doc("c.yaml", "");
    assert_eq!(d.value, json!(null));
    assert_eq!(d.spans.value(""), Some(0..0));
    let d = doc("c.yaml", "# only a comment\n");
    assert_eq!(d.value, json!(null));
    let d = doc("c.toml", "");
    assert_eq!(d.value, json!({}));
}
