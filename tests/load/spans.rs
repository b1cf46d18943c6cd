//! Exact spans of values and keys in YAML, JSON and TOML.

use serde_json::json;

use crate::{doc, key_text, value_text};

const YAML: &str = "\
# Contracts.
version: 1.2.0
messages:
  - name: SwapEvent
    type_id: 1
    description: \"A swap, on a DEX\"
    fields:
      - name: pool_address
        type: Address
      - { name: symbol, type: string, max_len: 32 }
  - name: 'Pool Update'
    type_id: 0x10
    fields: []
services:
  polygon-adapter:
    messages: [SwapEvent, 'Pool Update']
    buffer_pool_enabled: true
  \"quoted-key\": {}
";

#[test]
fn yaml_values_and_keys() {
    let d = doc("c.yaml", YAML);
    assert_eq!(d.value["version"], json!("1.2.0"));
    assert_eq!(d.value["messages"][1]["type_id"], json!(16));
    assert_eq!(d.value["services"]["polygon-adapter"]["buffer_pool_enabled"], json!(true));

    assert_eq!(value_text(&d, "/version"), "1.2.0");
    assert_eq!(key_text(&d, "/version"), "version");
    assert_eq!(value_text(&d, "/messages/0/name"), "SwapEvent");
    assert_eq!(value_text(&d, "/messages/0/type_id"), "1");
    assert_eq!(value_text(&d, "/messages/0/description"), "\"A swap, on a DEX\"");
    assert_eq!(value_text(&d, "/messages/0/fields/0/type"), "Address");
    assert_eq!(key_text(&d, "/messages/0/fields/0/type"), "type");
    assert_eq!(value_text(&d, "/messages/0/fields/1"), "{ name: symbol, type: string, max_len: 32 }");
    assert_eq!(value_text(&d, "/messages/0/fields/1/max_len"), "32");
    assert_eq!(key_text(&d, "/messages/0/fields/1/max_len"), "max_len");
    assert_eq!(value_text(&d, "/messages/1/name"), "'Pool Update'");
    assert_eq!(value_text(&d, "/messages/1/type_id"), "0x10");
    assert_eq!(value_text(&d, "/messages/1/fields"), "[]");
    assert_eq!(value_text(&d, "/services/polygon-adapter/messages"), "[SwapEvent, 'Pool Update']");
    assert_eq!(value_text(&d, "/services/polygon-adapter/messages/1"), "'Pool Update'");
    assert_eq!(key_text(&d, "/services/polygon-adapter"), "polygon-adapter");
    assert_eq!(key_text(&d, "/services/quoted-key"), "\"quoted-key\"");
    assert_eq!(value_text(&d, "/services/quoted-key"), "{}");

    // Block collections run from their first entry to the end of their last one.
    assert_eq!(value_text(&d, "/messages/0/fields/0"), "name: pool_address\n        type: Address");
    assert!(value_text(&d, "/messages").starts_with("- name: SwapEvent"));
    assert!(value_text(&d, "/messages").ends_with("fields: []"));
    assert!(value_text(&d, "/services").ends_with("\"quoted-key\": {}"));
    assert_eq!(d.spans.value(""), Some(13..YAML.trim_end().len()));

    // Every pointer is listed once, parents first.
    let all = d.spans.pointers();
    assert_eq!(all.len(), d.spans.len());
    assert_eq!(all[0], (String::new(), d.spans.value("").unwrap()));
    let names: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"/services/polygon-adapter/messages/1"));
    assert!(names.iter().position(|p| *p == "/messages") < names.iter().position(|p| *p == "/messages/0/name"));

    // Sequence elements and the root have no key.
    assert_eq!(d.spans.key("/messages/0"), None);
    assert_eq!(d.spans.key(""), None);
}

#[test]
fn missing_pointers_and_locate() {
    let d = doc("c.yaml", YAML);
    // `Document::locate` places a finding at the value, or its nearest ancestor.
    let finding = d.locate(
        mycelium_contracts::diagnostic::Diagnostic::error(mycelium_contracts::diagnostic::Code::UnknownType, "x"),
        "/messages/0/fields/0/type",
    );
    let loc = finding.location.unwrap();
    assert_eq!((loc.line, loc.column), (9, 15));
    assert_eq!(&d.source.text()[loc.span], "Address");
    for missing in [
        "/nope",
        "/messages/2",
        "/messages/00",
        "/messages/-",
        "/version/x",
        "messages",
        "/messages/0/fields/1/max_len/0",
    ] {
        assert_eq!(d.spans.value(missing), None, "{missing}");
        assert_eq!(d.spans.key(missing), None, "{missing}");
    }
    // A missing value is located at its nearest existing ancestor.
    assert_eq!(d.spans.locate("/messages/1/description"), d.spans.value("/messages/1").unwrap());
    assert_eq!(d.spans.locate("/messages/9/name"), d.spans.value("/messages").unwrap());
    assert_eq!(d.spans.locate("/messages/0/name"), d.spans.value("/messages/0/name").unwrap());
}

#[test]
fn pointer_escapes() {
    let d = doc("c.yaml", "\"a/b\": 1\n\"m~n\": 2\n\"\": 3\n");
    assert_eq!(value_text(&d, "/a~1b"), "1");
    assert_eq!(key_text(&d, "/a~1b"), "\"a/b\"");
    assert_eq!(value_text(&d, "/m~0n"), "2");
    assert_eq!(value_text(&d, "/"), "3");
    assert_eq!(d.spans.value("/a/b"), None);
}

#[test]
fn escaped_keys_are_decoded() {
    let d = doc("c.yaml", "\"t\\u00e9st\": 1\n'it''s': 2\n");
    assert_eq!(d.value, json!({"tést": 1, "it's": 2}));
    assert_eq!(key_text(&d, "/tést"), "\"t\\u00e9st\"");
    assert_eq!(key_text(&d, "/it's"), "'it''s'");
}

#[test]
fn non_ascii_text_gives_byte_spans() {
    let d = doc("c.yaml", "é: ü\nlist: [€uro, \"😀\"]\nnested:\n  ключ: значение\n");
    assert_eq!(value_text(&d, "/é"), "ü");
    assert_eq!(key_text(&d, "/é"), "é");
    assert_eq!(value_text(&d, "/list/0"), "€uro");
    assert_eq!(value_text(&d, "/list/1"), "\"😀\"");
    assert_eq!(value_text(&d, "/nested/ключ"), "значение");
    assert_eq!(key_text(&d, "/nested/ключ"), "ключ");
}

#[test]
fn scalars_follow_the_core_schema() {
    let d = doc(
        "c.yaml",
        "a: ~\nb: null\nc:\nd: true\ne: False\nf: 12\ng: -3\nh: 0o17\ni: 1.5\nj: 1e3\nk: .inf\nl: .nan\nm: '12'\nn: \"true\"\no: 1.2.0\np: yes\nq: !!str 12\n",
    );
    assert_eq!(
        d.value,
        json!({"a": null, "b": null, "c": null, "d": true, "e": false, "f": 12, "g": -3, "h": 15, "i": 1.5,
               "j": 1000.0, "k": ".inf", "l": ".nan", "m": "12", "n": "true", "o": "1.2.0", "p": "yes", "q": "12"})
    );
    assert_eq!(value_text(&d, "/c"), "");
    // A tagged node's span starts at its tag.
    assert_eq!(value_text(&d, "/q"), "!!str 12");
}

#[test]
fn non_string_keys_are_their_text() {
    let d = doc("c.yaml", "1: a\ntrue: b\nnull: c\n1.5: d\n");
    assert_eq!(d.value, json!({"1": "a", "true": "b", "null": "c", "1.5": "d"}));
    assert_eq!(key_text(&d, "/1.5"), "1.5");
}

#[test]
fn block_scalars() {
    let d = doc(
        "c.yaml",
        "a: |\n  line one\n  line two\nb: >-  # a | comment\n\n  folded\n  text\nc: 1\nd: |2\n   x\ne:\n  - |+\n    y\n",
    );
    assert_eq!(d.value["a"], json!("line one\nline two\n"));
    assert_eq!(d.value["b"], json!("\nfolded text"));
    assert_eq!(d.value["d"], json!(" x\n"));
    assert_eq!(d.value["e"][0], json!("y\n"));
    // The span runs from the header to the end of the content.
    assert_eq!(value_text(&d, "/a"), "|\n  line one\n  line two\n");
    assert!(value_text(&d, "/b").starts_with(">-  # a | comment\n\n  folded"), "{:?}", value_text(&d, "/b"));
    assert_eq!(value_text(&d, "/c"), "1");
    assert!(value_text(&d, "/d").starts_with("|2\n   x"));
    assert!(value_text(&d, "/e/0").starts_with("|+\n    y"));
}

const JSON: &str = r#"{
  "version": "1.2.0",
  "messages": [
    {"name": "SwapEvent", "type_id": 1, "fields": [
      {"name": "pool_address", "type": "Address"},
      {"name": "symbol", "type": "string", "max_len": 32}
    ]}
  ],
  "services": {"polygon-adapter": {"messages": ["SwapEvent"], "buffer_pool_enabled": false}},
  "ratio": -1.5e2,
  "nothing": null,
  "esc": "a\"b\\n\u00e9"
}
"#;

#[test]
fn json_values_and_keys() {
    let d = doc("c.json", JSON);
    assert_eq!(d.value, serde_json::from_str::<serde_json::Value>(JSON).unwrap());
    assert_eq!(value_text(&d, "/version"), "\"1.2.0\"");
    assert_eq!(key_text(&d, "/version"), "\"version\"");
    assert_eq!(value_text(&d, "/messages/0/type_id"), "1");
    assert_eq!(key_text(&d, "/messages/0/type_id"), "\"type_id\"");
    assert_eq!(value_text(&d, "/messages/0/fields/1"), r#"{"name": "symbol", "type": "string", "max_len": 32}"#);
    assert_eq!(value_text(&d, "/messages/0/fields/1/max_len"), "32");
    assert_eq!(value_text(&d, "/services/polygon-adapter/messages"), r#"["SwapEvent"]"#);
    assert_eq!(value_text(&d, "/services/polygon-adapter/buffer_pool_enabled"), "false");
    assert_eq!(key_text(&d, "/services/polygon-adapter"), "\"polygon-adapter\"");
    assert_eq!(value_text(&d, "/ratio"), "-1.5e2");
    assert_eq!(value_text(&d, "/nothing"), "null");
    assert_eq!(value_text(&d, "/esc"), r#""a\"b\\n\u00e9""#);
    assert_eq!(value_text(&d, ""), JSON.trim_end());
}

const TOML: &str = r#"version = "1.2.0"
top = { a = 1, b = [true, false] }

[[messages]]
name = "SwapEvent"
type_id = 1
fields = [
  { name = "pool_address", type = "Address" },
  { name = "symbol", type = "string", max_len = 32 },
]

[[messages]]
name = 'Pool Update'
type_id = 0x10
fields = []
when = 1979-05-27T07:32:00Z

[services.polygon-adapter]
messages = ["SwapEvent", "Pool Update"]
buffer_pool_enabled = true
"quoted key" = 1.5
dotted.inner = "x"
"#;

#[test]
fn toml_values_and_keys() {
    let d = doc("c.toml", TOML);
    assert_eq!(d.value["messages"][1]["type_id"], json!(16));
    assert_eq!(d.value["messages"][1]["when"], json!("1979-05-27T07:32:00Z"));
    assert_eq!(d.value["services"]["polygon-adapter"]["dotted"], json!({"inner": "x"}));

    assert_eq!(value_text(&d, "/version"), "\"1.2.0\"");
    assert_eq!(key_text(&d, "/version"), "version");
    assert_eq!(value_text(&d, "/top"), "{ a = 1, b = [true, false] }");
    assert_eq!(value_text(&d, "/top/b/1"), "false");
    assert_eq!(key_text(&d, "/top/b"), "b");
    assert_eq!(value_text(&d, "/messages/0"), "[[messages]]");
    assert_eq!(value_text(&d, "/messages/1"), "[[messages]]");
    assert_eq!(key_text(&d, "/messages"), "messages");
    assert_eq!(value_text(&d, "/messages/0/name"), "\"SwapEvent\"");
    assert_eq!(key_text(&d, "/messages/0/type_id"), "type_id");
    assert_eq!(value_text(&d, "/messages/0/fields/1"), r#"{ name = "symbol", type = "string", max_len = 32 }"#);
    assert_eq!(value_text(&d, "/messages/0/fields/1/max_len"), "32");
    assert_eq!(key_text(&d, "/messages/0/fields/1/max_len"), "max_len");
    assert_eq!(value_text(&d, "/messages/1/name"), "'Pool Update'");
    assert_eq!(value_text(&d, "/messages/1/type_id"), "0x10");
    assert_eq!(value_text(&d, "/messages/1/fields"), "[]");
    assert_eq!(value_text(&d, "/messages/1/when"), "1979-05-27T07:32:00Z");
    assert_eq!(value_text(&d, "/services/polygon-adapter"), "[services.polygon-adapter]");
    assert_eq!(key_text(&d, "/services/polygon-adapter"), "polygon-adapter");
    assert_eq!(key_text(&d, "/services"), "services");
    assert_eq!(value_text(&d, "/services/polygon-adapter/messages/1"), "\"Pool Update\"");
    assert_eq!(key_text(&d, "/services/polygon-adapter/quoted key"), "\"quoted key\"");
    assert_eq!(value_text(&d, "/services/polygon-adapter/quoted key"), "1.5");
    assert_eq!(key_text(&d, "/services/polygon-adapter/dotted"), "dotted");
    assert_eq!(value_text(&d, "/services/polygon-adapter/dotted/inner"), "\"x\"");
    assert_eq!(key_text(&d, "/services/polygon-adapter/dotted/inner"), "inner");
}

#[test]
fn service_config_toml() {
    let d = doc(
        "services.toml",
        "[service.polygon-adapter]\nmessages = [\"SwapEvent\"]\nbuffer_pool_enabled = true\nport = 9000\n",
    );
    assert_eq!(value_text(&d, "/service/polygon-adapter/messages/0"), "\"SwapEvent\"");
    assert_eq!(key_text(&d, "/service/polygon-adapter"), "polygon-adapter");
    assert_eq!(value_text(&d, "/service/polygon-adapter/port"), "9000");
}

#[test]
fn the_bundled_contracts_load_in_every_format() {
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/contracts.yaml")).unwrap();
    let d = doc("contracts/contracts.yaml", &yaml);
    assert_eq!(value_text(&d, "/messages/0/name"), "SwapEvent");
    assert_eq!(value_text(&d, "/services/polygon-adapter/messages/1"), "PoolStateUpdate");
    // The same value written as JSON loads to the same value.
    let json = serde_json::to_string_pretty(&d.value).unwrap();
    assert_eq!(doc("c.json", &json).value, d.value);
}
