//! Hostile documents: each gets a located `parse-error` in bounded time and memory (the tests
//! run on threads with the default 2 MiB stack).

use mycelium_contracts::diagnostic::Code;
use mycelium_contracts::load::{self, MAX_DEPTH, MAX_FILE_SIZE, MAX_MEMORY};

use crate::{assert_parse_error, doc, err};

const DEEP: usize = 20_000;

/// saphyr-parser's scanner stops at 256 open flow collections ("recursion limit exceeded") and
/// may see that before the loader counts 129 levels, because it scans ahead of the events.
#[track_caller]
fn assert_too_deep(e: &mycelium_contracts::diagnostic::Diagnostic, line: usize, max_column: usize) {
    assert_eq!(e.code, Code::ParseError);
    assert!(e.message.contains("deeper than 128 levels") || e.message.contains("recursion limit"), "{}", e.message);
    let loc = e.location.as_ref().unwrap();
    assert_eq!(loc.line, line, "{}", e.message);
    assert!(loc.column <= max_column, "{} at column {}", e.message, loc.column);
}

#[test]
fn deep_flow_sequences() {
    let text = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    for name in ["c.yaml", "c.json"] {
        assert_too_deep(&err(name, &text), 1, 257);
    }
}

#[test]
fn deep_flow_mappings() {
    let text = format!("{}1{}", "{\"a\": ".repeat(DEEP), "}".repeat(DEEP));
    assert_too_deep(&err("c.json", &text), 1, 6 * 256 + 1);
}

#[test]
fn deep_block_sequences() {
    // `- - - - … x` on one line: 20,000 nested block sequences.
    let text = format!("{}x\n", "- ".repeat(DEEP));
    let e = err("c.yaml", &text);
    assert_parse_error(&e, 1, 2 * MAX_DEPTH + 1, "deeper than 128 levels");
}

#[test]
fn deep_block_mappings() {
    let mut text = String::new();
    for i in 0..1_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    let e = err("c.yaml", &text);
    assert_parse_error(&e, MAX_DEPTH + 1, MAX_DEPTH + 1, "deeper than 128 levels");
}

#[test]
fn just_under_the_depth_limit_loads() {
    let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let d = doc("c.json", &text);
    assert_eq!(d.spans.len(), MAX_DEPTH);
    let pointer = "/0".repeat(MAX_DEPTH - 1);
    assert_eq!(d.spans.value(&pointer), Some(MAX_DEPTH - 1..MAX_DEPTH + 1));
}

#[test]
fn deep_toml() {
    let text = format!("a = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let e = err("c.toml", &text);
    assert_eq!(e.code, Code::ParseError);
    assert_eq!(e.location.as_ref().unwrap().line, 1);
    let text = format!("a = {}1{}\n", "{b = ".repeat(DEEP), "}".repeat(DEEP));
    let e = err("c.toml", &text);
    assert_eq!(e.code, Code::ParseError);
    let text = format!("[{}]\n", vec!["a"; DEEP].join("."));
    let e = err("c.toml", &text);
    assert_eq!(e.code, Code::ParseError);
    assert_eq!(e.location.as_ref().unwrap().line, 1);
}

#[test]
fn billion_laughs_is_refused_at_the_first_anchor() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for name in "bcdefghi".chars() {
        text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
        prev = name;
    }
    let e = err("c.yaml", &text);
    assert_parse_error(&e, 1, 4, "anchors (`&name`) are not supported");
}

#[test]
fn aliases_are_refused() {
    // An alias to an undefined anchor is saphyr's error; any defined one is refused at the anchor.
    let e = err("c.yaml", "a: *x\n");
    assert_parse_error(&e, 1, 4, "unknown anchor");
    let e = err("c.yaml", "a: &x 1\nb: *x\n");
    assert_parse_error(&e, 1, 4, "anchors");
}

#[test]
fn tags_and_extra_documents_are_refused() {
    assert_parse_error(&err("c.yaml", "a: !custom 1\n"), 1, 4, "tags are not supported");
    assert_parse_error(&err("c.yaml", "a: !!int 1\n"), 1, 4, "tags are not supported");
    assert_parse_error(&err("c.yaml", "a: 1\n---\nb: 2\n"), 2, 1, "more than one YAML document");
}

#[test]
fn duplicate_keys_are_located_at_the_second() {
    assert_parse_error(&err("c.yaml", "a: 1\nb: 2\na: 3\n"), 3, 1, "duplicate key `a`");
    assert_parse_error(&err("c.json", "{\"a\": 1, \"b\": {\"x\": 1, \"x\": 2}}"), 1, 24, "duplicate key `x`");
    assert_parse_error(&err("c.yaml", "services:\n  s: {}\n  's': {}\n"), 3, 3, "duplicate key `s`");
    let e = err("c.toml", "a = 1\nb = 2\na = 3\n");
    assert_eq!(e.code, Code::ParseError);
    assert_eq!(e.location.unwrap().line, 3);
}

#[test]
fn complex_keys_are_refused() {
    assert_parse_error(&err("c.yaml", "? [a, b]\n: 1\n"), 1, 3, "key must be a scalar");
    assert_parse_error(&err("c.yaml", "{[1]: 2}\n"), 1, 2, "key must be a scalar");
}

#[test]
fn number_out_of_range() {
    assert_parse_error(&err("c.yaml", "a: 1e999\n"), 1, 4, "out of range");
    assert_parse_error(&err("c.json", "{\"a\": [1, -1e400]}"), 1, 11, "out of range");
}

#[test]
fn fifty_megabytes_are_refused_before_parsing() {
    // 50 MB of a valid-looking document: refused by size, nothing parsed.
    let line = "  - { name: field_name, type: u64 }\n";
    let mut text = String::with_capacity(50 << 20);
    text.push_str("fields:\n");
    while text.len() < 50_000_000 {
        text.push_str(line);
    }
    let start = std::time::Instant::now();
    let e = load::load_bytes("big.yaml", text.clone().into_bytes()).unwrap_err();
    assert_parse_error(&e, 1, 1, "too large");
    assert!(e.message.contains(&MAX_FILE_SIZE.to_string()), "{}", e.message);
    let e = err("big.yaml", &text);
    assert_parse_error(&e, 1, 1, "too large");
    // Also through the file reader, which checks the size before reading.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, &text).unwrap();
    let e = load::load_file(&path).unwrap_err();
    assert_parse_error(&e, 1, 1, "too large");
    // Generous bound: refusing must not cost a parse (a parse of 50 MB takes seconds in debug).
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn a_file_just_under_the_limit_loads() {
    let line = format!("- {}\n", "x".repeat(1_000));
    let mut text = line.repeat(MAX_FILE_SIZE / line.len());
    text.push_str(&"#".repeat(MAX_FILE_SIZE - text.len()));
    assert_eq!(text.len(), MAX_FILE_SIZE);
    let d = doc("c.yaml", &text);
    assert_eq!(d.value.as_array().unwrap().len(), text.len() / line.len());
}

#[test]
fn unreadable_file() {
    let e = load::load_file("/nonexistent/c.yaml".as_ref()).unwrap_err();
    assert_eq!(e.code, Code::ParseError);
    assert!(e.message.contains("cannot read `/nonexistent/c.yaml`"), "{}", e.message);
}

#[test]
fn syntax_errors_are_located() {
    let e = err("c.yaml", "a: [1, 2\nb: 3\n");
    assert_eq!(e.code, Code::ParseError);
    assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
    let e = err("c.json", "{\"a\": 1,, \"b\": 2}");
    assert!(e.message.starts_with("invalid JSON: "), "{}", e.message);
    assert_eq!(e.location.unwrap().line, 1);
    let e = err("c.toml", "a = 1\nb = \n");
    assert!(e.message.starts_with("invalid TOML: "), "{}", e.message);
    assert_eq!(e.location.unwrap().line, 2);
    let e = err("c.yaml", "key: \"unterminated\n");
    assert_eq!(e.code, Code::ParseError);
}

#[test]
fn many_small_mappings_hit_the_memory_budget() {
    // Under the size limit, but 3 million mappings would take gigabytes as `serde_json::Value`s.
    let text = "- {a: 1}\n".repeat(3_000_000);
    assert!(text.len() < MAX_FILE_SIZE);
    let e = err("c.yaml", &text);
    assert_eq!(e.code, Code::ParseError);
    assert!(e.message.contains("too large to load"), "{}", e.message);
    assert!(e.message.contains(&format!("{} MiB", MAX_MEMORY >> 20)), "{}", e.message);
    let line = e.location.as_ref().unwrap().line;
    assert!(line > 100_000 && line < 3_000_000, "stopped at line {line}");
}

#[test]
fn long_flow_collections_are_refused_in_yaml() {
    use mycelium_contracts::load::MAX_FLOW_LEN;
    // saphyr-parser would hold all of these in memory until they close.
    for text in [
        format!("{{\"a\": [{}1]}}\n", "{\"b\": 1}, ".repeat(200_000)),
        format!("[{}1]\n", "[1], ".repeat(400_000)),
        format!("# comment\nversion: 1.0.0\nlist:\n- [{}1]\n", "1, ".repeat(600_000)),
    ] {
        assert!(text.len() > MAX_FLOW_LEN);
        let e = err("c.yaml", &text);
        assert!(e.message.contains("longer than 1 MiB"), "{}", e.message);
        assert_eq!(e.code, Code::ParseError);
    }
    let e = err("c.yaml", &format!("# comment\nversion: 1.0.0\nlist:\n- [{}1]\n", "1, ".repeat(600_000)));
    assert_parse_error(&e, 4, 3, "write it in block style");
    // The same sizes in block style, and long quoted, block and commented text, load.
    let block = format!("list:\n{}", "- [1]\n".repeat(400_000));
    assert_eq!(doc("c.yaml", &block).value["list"].as_array().unwrap().len(), 400_000);
    let tricky = format!(
        "a: \"[{}\"\nb: |\n  [{}\nc: '{{''{}'\n# [{}\nd: x[\n",
        "x".repeat(MAX_FLOW_LEN),
        "y".repeat(MAX_FLOW_LEN),
        "z".repeat(MAX_FLOW_LEN),
        "w".repeat(MAX_FLOW_LEN)
    );
    let d = doc("c.yaml", &tricky);
    assert_eq!(d.value["d"], serde_json::json!("x["));
    assert_eq!(d.value["a"].as_str().unwrap().len(), MAX_FLOW_LEN + 1);
}
