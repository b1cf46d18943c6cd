//! The JSON parser is strict RFC 8259, and its errors are located.

use serde_json::json;

use crate::{assert_parse_error, doc, err, key_text, value_text};

#[test]
fn escapes_and_unicode() {
    let d = doc("c.json", r#"{"s": "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00", "é": ["ü", "\u0041"]}"#);
    assert_eq!(d.value, json!({"s": "a\"b\\c/d\u{8}\u{c}\n\r\té😀", "é": ["ü", "A"]}));
    assert_eq!(key_text(&d, "/é"), "\"é\"");
    assert_eq!(value_text(&d, "/é/1"), r#""\u0041""#);
}

#[test]
fn numbers() {
    let d = doc(
        "c.json",
        "[0, -0, 12, -12, 1.5, -1.5e-3, 1E2, 18446744073709551615, -9223372036854775808, 18446744073709551616]",
    );
    assert_eq!(
        d.value,
        json!([0, 0, 12, -12, 1.5, -0.0015, 100.0, 18446744073709551615u64, i64::MIN, 18446744073709551616f64])
    );
    assert_eq!(value_text(&d, "/5"), "-1.5e-3");
}

#[test]
fn whitespace_around_the_document() {
    let d = doc("c.json", " \r\n\t{\"a\" :\n1 }\n\n");
    assert_eq!(value_text(&d, ""), "{\"a\" :\n1 }");
    assert_eq!(value_text(&d, "/a"), "1");
    assert_eq!(doc("c.json", "  \"just a string\"  ").value, json!("just a string"));
}

#[test]
fn strictness() {
    let cases: &[(&str, usize, usize, &str)] = &[
        ("", 1, 1, "expected a value, found the end of the file"),
        ("{\"a\": 1,}", 1, 9, "expected a string key, found `}`"),
        ("[1, 2,]", 1, 7, "expected a value, found `]`"),
        ("{\"a\": 1} x", 1, 10, "unexpected `x` after the document"),
        ("{'a': 1}", 1, 2, "expected a string key"),
        ("{a: 1}", 1, 2, "expected a string key"),
        ("[01]", 1, 2, "leading zeros"),
        ("[1.]", 1, 4, "digits expected after `.`"),
        ("[1e]", 1, 4, "exponent"),
        ("[-]", 1, 2, "digits expected"),
        ("[tru]", 1, 2, "expected a value"),
        ("// comment\n{}", 1, 1, "expected a value"),
        ("{\"a\" 1}", 1, 6, "expected `:`"),
        ("[1 2]", 1, 4, "expected `,` or `]`"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected `,` or `}`"),
        ("[\"abc", 1, 2, "unterminated string"),
        ("[\"a\tb\"]", 1, 4, "control character"),
        ("[\"\\x\"]", 1, 3, "invalid escape"),
        ("[\"\\u12\"]", 1, 3, "invalid `\\u` escape"),
        ("[\"\\ud800\"]", 1, 3, "unpaired surrogate"),
        ("[\"\\udc00\"]", 1, 3, "unpaired surrogate"),
        ("{\"a\": 1,\n \"a\": 2}", 2, 2, "duplicate key `a`"),
        ("[1e400]", 1, 2, "out of range"),
    ];
    for &(text, line, column, needle) in cases {
        let e = err("c.json", text);
        assert_parse_error(&e, line, column, needle);
    }
}

#[test]
fn json_is_not_yaml() {
    // A YAML-only document in a `.json` file is an error, not silently YAML.
    let e = err("c.json", "a: 1\n");
    assert_parse_error(&e, 1, 1, "invalid JSON");
}
