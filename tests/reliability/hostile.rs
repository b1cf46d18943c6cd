//! The hostile-document suite: malformed contract documents through the whole checker
//! (`check::analyze`), each checked for no panic, a finding located inside the file, and a heap
//! peak within `64 × input + 64 MiB` (counted by this binary's allocator, per thread). The total
//! time is printed, not asserted.
//!
//! The documents are deterministic mutations of the three valid documents of the repository
//! (the YAML contracts, the codegen JSON and TOML fixtures) plus hand-written classics. Large
//! ones are generated here, never committed.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Instant;

use mycelium_contracts::diagnostic::{Code, Severity};
use serde_json::{Value, json};

use crate::counting::process_peak_during;
use crate::props;

/// One malformed document.
struct Case {
    name: String,
    /// File name given to the checker (its extension picks the format).
    file: &'static str,
    bytes: Vec<u8>,
    /// `false` for mutations that may leave a valid document (a truncation at a line end, a
    /// deleted line): those must then check clean instead.
    must_find: bool,
    /// The finding must have this code, when given.
    code: Option<Code>,
}

fn case(name: impl Into<String>, file: &'static str, bytes: impl Into<Vec<u8>>, code: Option<Code>) -> Case {
    Case { name: name.into(), file, bytes: bytes.into(), must_find: true, code }
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The valid documents the mutations start from.
fn bases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("yaml", "c.yaml", read("contracts/contracts.yaml")),
        ("json", "c.json", read("tests/codegen/fixtures/all_types/contracts.json")),
        ("toml", "c.toml", read("tests/codegen/fixtures/awkward/contracts.toml")),
    ]
}

fn floor_char(text: &[u8], mut at: usize) -> usize {
    while at > 0 && at < text.len() && (text[at] & 0xC0) == 0x80 {
        at -= 1;
    }
    at
}

/// Truncations, byte flips, deleted and duplicated lines of each base document.
fn mutations() -> Vec<Case> {
    let mut cases = Vec::new();
    for (tag, file, text) in bases() {
        let len = text.len();
        for k in 1..12 {
            let at = floor_char(&text, len * k / 12);
            cases.push(Case {
                name: format!("{tag}: truncated at byte {at}"),
                file,
                bytes: text[..at].to_vec(),
                must_find: false,
                code: None,
            });
        }
        let flips: [&[u8]; 9] = [b"\xFF", b"{", b"\"", b"[", b":", b"\t", b"\x00", b"]]", b"\xC3"];
        for (k, flip) in flips.iter().enumerate() {
            let at = floor_char(&text, len * (k + 1) / 10 + 3);
            let mut bytes = text.clone();
            bytes.splice(at..at + 1, flip.iter().copied());
            // A byte that cannot be valid UTF-8 at that place is certainly a `parse-error`.
            let certain = matches!(flip[0], 0xFF | 0xC3);
            cases.push(Case {
                name: format!("{tag}: byte {at} replaced by {flip:?}"),
                file,
                bytes,
                must_find: certain,
                code: certain.then_some(Code::ParseError),
            });
        }
        let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
        for k in (0..lines.len()).step_by((lines.len() / 8).max(1)) {
            let mut deleted = lines.clone();
            deleted.remove(k);
            cases.push(Case {
                name: format!("{tag}: line {} deleted", k + 1),
                file,
                bytes: deleted.concat(),
                must_find: false,
                code: None,
            });
            let mut duplicated = lines.clone();
            duplicated.insert(k, lines[k]);
            cases.push(Case {
                name: format!("{tag}: line {} duplicated", k + 1),
                file,
                bytes: duplicated.concat(),
                must_find: false,
                code: None,
            });
        }
    }
    cases
}

fn set(value: &mut Value, pointer: &str, new: Value) {
    *value.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = new;
}

/// Wrong types, numbers out of range and unknown keys in the repository's contracts, written
/// as JSON and as YAML (JSON text is YAML too, but the YAML loader is a different parser).
fn value_mutations() -> Vec<Case> {
    let doc = mycelium_contracts::load::load_bytes("c.yaml", read("contracts/contracts.yaml")).unwrap().value;
    let edits: Vec<(&str, Value, Code)> = vec![
        ("/version", json!(1), Code::SchemaViolation),
        ("/version", json!("one"), Code::InvalidVersion),
        ("/messages", json!({}), Code::SchemaViolation),
        ("/messages", json!("SwapEvent"), Code::SchemaViolation),
        ("/messages/0/type_id", json!("one"), Code::SchemaViolation),
        ("/messages/0/type_id", json!(70000), Code::SchemaViolation),
        ("/messages/0/type_id", json!(-1), Code::SchemaViolation),
        ("/messages/0/type_id", json!(1.5), Code::SchemaViolation),
        ("/messages/0/type_id", json!(1e300), Code::SchemaViolation),
        ("/messages/0/type_id", json!(u64::MAX), Code::SchemaViolation),
        ("/messages/0/type_id", json!(2), Code::DuplicateTypeId),
        ("/messages/0/name", json!(""), Code::SchemaViolation),
        ("/messages/0/name", json!(null), Code::SchemaViolation),
        ("/messages/0/name", json!("PoolStateUpdate"), Code::DuplicateMessage),
        ("/messages/0/fields", json!({}), Code::SchemaViolation),
        ("/messages/0/fields/0", json!("pool_address"), Code::SchemaViolation),
        ("/messages/0/fields/0/type", json!(7), Code::SchemaViolation),
        ("/messages/0/fields/0/type", json!("Adress"), Code::UnknownType),
        ("/messages/0/fields/0/type", json!("string"), Code::UnboundedField),
        ("/messages/0/fields/0/type", json!("SwapEvent"), Code::RecursiveMessage),
        ("/messages/0/fields/1/name", json!("pool_address"), Code::DuplicateField),
        ("/messages/1/fields/2/max_len", json!(-5), Code::SchemaViolation),
        ("/messages/1/fields/2/max_len", json!(1e300), Code::SchemaViolation),
        ("/messages/1/fields/2/max_len", json!(100000), Code::MessageTooLarge),
        ("/messages/1/fields/2/max_len", json!(u64::MAX), Code::SchemaViolation),
        ("/messages/1/fields/1/count", json!(0), Code::SchemaViolation),
        ("/messages/1/fields/1/count", json!("2"), Code::SchemaViolation),
        ("/messages/1/fields/1/count", json!(4_000_000_000u64), Code::MessageTooLarge),
        ("/messages/1/fields/3/max_count", json!(-1), Code::SchemaViolation),
        ("/services", json!([]), Code::SchemaViolation),
        ("/services/polygon-adapter/messages", json!("SwapEvent"), Code::SchemaViolation),
        ("/services/polygon-adapter/messages/0", json!("SwapEvnt"), Code::UnknownMessage),
        ("/services/polygon-adapter/buffer_pool_enabled", json!("yes"), Code::SchemaViolation),
    ];
    let mut unknown_keys: Vec<(&str, Code)> = vec![("", Code::SchemaViolation), ("/messages/0", Code::SchemaViolation)];
    unknown_keys.push(("/messages/0/fields/0", Code::SchemaViolation));
    unknown_keys.push(("/services/polygon-adapter", Code::SchemaViolation));
    let mut cases = Vec::new();
    let mut push = |name: String, value: &Value, code: Code| {
        let json_text = serde_json::to_string_pretty(value).unwrap();
        cases.push(case(format!("json: {name}"), "c.json", json_text.clone(), Some(code)));
        cases.push(case(format!("yaml: {name}"), "c.yaml", json_text, Some(code)));
    };
    for (pointer, new, code) in edits {
        let mut v = doc.clone();
        set(&mut v, pointer, new.clone());
        push(format!("{pointer} = {new}"), &v, code);
    }
    for (pointer, code) in unknown_keys {
        let mut v = doc.clone();
        v.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert("bogus".into(), json!(1));
        push(format!("unknown key in `{pointer}`"), &v, code);
    }
    cases
}

/// Replaces `from` by `to` once in the repository's YAML contracts.
fn yaml_with(from: &str, to: &str) -> String {
    let text = String::from_utf8(read("contracts/contracts.yaml")).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// Hand-written classics.
/// A YAML contracts document of `n` messages `M0`..: message `i` has the fields `fields(i)`.
fn messages_doc(n: usize, fields: impl Fn(usize) -> String) -> String {
    let mut text = String::from("version: 1.0.0\nmessages:\n");
    for i in 0..n {
        text.push_str(&format!("- {{name: M{i}, type_id: {}, fields: [{}]}}\n", i % 65535 + 1, fields(i)));
    }
    text
}

fn classics() -> Vec<Case> {
    let p = Some(Code::ParseError);
    let mut cases = vec![
        // "Billion laughs": aliases are refused outright.
        case(
            "alias bomb",
            "c.yaml",
            (0..10)
                .map(|i| {
                    if i == 0 {
                        "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_string()
                    } else {
                        format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 9].join(", "))
                    }
                })
                .collect::<String>(),
            p,
        ),
        case("one alias", "c.yaml", yaml_with("type_id: 2", "type_id: *x"), p),
        case("anchor", "c.yaml", yaml_with("type_id: 2", "type_id: &x 2"), p),
        case("merge key", "c.yaml", "base: &b {a: 1}\nversion: 1.0.0\nx:\n  <<: *b\n", p),
        case("deep flow yaml", "c.yaml", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), p),
        case("deep block yaml", "c.yaml", format!("{}x\n", "- ".repeat(50_000)), p),
        case("deep json", "c.json", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), p),
        case("deep json objects", "c.json", format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000)), p),
        case("deep toml", "c.toml", format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000)), p),
        case("deep toml tables", "c.toml", format!("a = {}1{}", "{b = ".repeat(10_000), "}".repeat(10_000)), p),
        case("unclosed flow yaml", "c.yaml", format!("version: [{}", "1, ".repeat(300_000)), p),
        case("unclosed json", "c.json", format!("{{\"messages\": [{}", "{\"a\": 1}, ".repeat(200_000)), p),
        case("duplicate key yaml", "c.yaml", yaml_with("version: 1.1.0\n", "version: 1.1.0\nversion: 1.1.1\n"), p),
        case("duplicate key json", "c.json", r#"{"version": "1.0.0", "version": "1.0.0", "messages": []}"#, p),
        case("duplicate key toml", "c.toml", "version = \"1.0.0\"\nversion = \"1.0.1\"\n", p),
        case("duplicate table toml", "c.toml", "[services.a]\nmessages = []\n[services.a]\nmessages = []\n", p),
        case("non-utf8 yaml", "c.yaml", [b"version: 1.0.0\nx: \xFF\xFE\n".as_slice()].concat(), p),
        case("non-utf8 json", "c.json", b"{\"version\": \"1.0\xC0\xAF\"}".to_vec(), p),
        case("non-utf8 toml", "c.toml", b"version = \"\xED\xA0\x80\"\n".to_vec(), p),
        case("latin-1 file", "c.yaml", b"version: 1.0.0\ndescription: caf\xE9\n".to_vec(), p),
        case(
            "utf-16 file",
            "c.json",
            [&[0xFF, 0xFE][..], &"{}".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()].concat(),
            p,
        ),
        case("lone surrogate escape json", "c.json", r#"{"version": "\ud800"}"#, p),
        case("NUL bytes yaml", "c.yaml", "version: 1.0.0\n\0\0\0: x\n", None),
        case("NUL in toml", "c.toml", "version = \"1.0.0\"\0\n", p),
        case("tab indentation yaml", "c.yaml", "version: 1.0.0\nmessages:\n\t- name: A\n", p),
        case("tab after colon yaml", "c.yaml", "version:\t1.0.0\n", p),
        case("empty file yaml", "c.yaml", "", None),
        case("empty file json", "c.json", "", p),
        case("empty file toml", "c.toml", "", None),
        case("only a comment", "c.yaml", "# nothing here\n", None),
        case("scalar document", "c.yaml", "42\n", None),
        case("list document", "c.json", "[1, 2, 3]", None),
        case("null document", "c.yaml", "null\n", None),
        case("two documents", "c.yaml", "version: 1.0.0\n---\nversion: 2.0.0\n", p),
        case("unknown tag", "c.yaml", "version: !!binary aGVsbG8=\n", p),
        case("custom tag", "c.yaml", "version: !pwn 1.0.0\n", p),
        case("complex key", "c.yaml", "? [a, b]\n: 1\n", p),
        case("json trailing comma", "c.json", r#"{"version": "1.0.0",}"#, p),
        case("json comment", "c.json", "// hi\n{}", p),
        case("json NaN", "c.json", r#"{"version": NaN}"#, p),
        case("json huge exponent", "c.json", r#"{"version": "1.0.0", "messages": [], "x": 1e999}"#, p),
        case("json trailing garbage", "c.json", "{} {}", p),
        case("toml bad datetime", "c.toml", "version = 1979-13-45T99:00:00Z\n", p),
        case(
            "toml inf type_id",
            "c.toml",
            "version = \"1.0.0\"\n[[messages]]\nname = \"A\"\ntype_id = inf\nfields = []\n",
            None,
        ),
        case(
            "type_id 2^64 yaml",
            "c.yaml",
            yaml_with("type_id: 2", "type_id: 18446744073709551616"),
            Some(Code::SchemaViolation),
        ),
        case(
            "type_id hex out of range",
            "c.yaml",
            yaml_with("type_id: 2", "type_id: 0x1FFFF"),
            Some(Code::SchemaViolation),
        ),
        case(
            "max_len 2^63",
            "c.yaml",
            yaml_with("max_len: 32", "max_len: 9223372036854775808"),
            Some(Code::SchemaViolation),
        ),
        case(
            "count near usize::MAX",
            "c.yaml",
            yaml_with("count: 2", "count: 18446744073709551615"),
            Some(Code::SchemaViolation),
        ),
        case("negative count", "c.yaml", yaml_with("count: 12", "count: -12"), Some(Code::SchemaViolation)),
        case("inf count", "c.yaml", yaml_with("count: 12", "count: .inf"), Some(Code::SchemaViolation)),
        case("nan type_id", "c.yaml", yaml_with("type_id: 3", "type_id: .nan"), Some(Code::SchemaViolation)),
        case("huge digits", "c.yaml", yaml_with("type_id: 3", &format!("type_id: {}", "9".repeat(1 << 20))), None),
        // In a flow mapping over `MAX_FLOW_LEN` (1 MiB): refused at the mapping's start.
        case(
            "huge type name in flow",
            "c.yaml",
            yaml_with("type: u64 }", &format!("type: {} }}", "X".repeat(4 << 20))),
            p,
        ),
        case(
            "huge type name",
            "c.yaml",
            yaml_with("type: Address\n", &format!("type: {}\n", "X".repeat(4 << 20))),
            // Over `model::MAX_NAME_LEN`: a schema finding, and the message stays out of the model.
            Some(Code::SchemaViolation),
        ),
        // YAML limits implicit keys to 1024 characters.
        case("huge key", "c.yaml", format!("{}: 1\n", "k".repeat(4 << 20)), p),
        case(
            "huge block key",
            "c.yaml",
            format!("version: 1.0.0\n? {}\n: 1\n", "k".repeat(4 << 20)),
            Some(Code::SchemaViolation),
        ),
        case("long line of flow", "c.yaml", format!("version: 1.0.0\nmessages: [{}]\n", "{}, ".repeat(20_000)), None),
        case(
            "ring of 30,000 messages",
            "c.yaml",
            messages_doc(30_000, |i| format!("{{name: a, type: M{}}}", (i + 1) % 30_000)),
            Some(Code::RecursiveMessage),
        ),
        case(
            "chain of 30,000 messages that all embed the first",
            "c.yaml",
            messages_doc(30_000, |i| format!("{{name: a, type: M0}}, {{name: b, type: M{}}}", (i + 1).min(29_999))),
            Some(Code::RecursiveMessage),
        ),
        case(
            "a 1 MB name sharing its type id with 2,000 messages",
            "c.yaml",
            format!(
                "version: 1.0.0\nmessages:\n- name: A{}\n  type_id: 1\n  fields: []\n{}",
                "a".repeat(1 << 20),
                (0..2_000).map(|i| format!("- {{name: B{i}, type_id: 1, fields: []}}\n")).collect::<String>()
            ),
            Some(Code::SchemaViolation),
        ),
        case(
            "2 MB of tiny maps",
            "c.yaml",
            format!("version: 1.0.0\nmessages:\n{}", "- {a: 1}\n".repeat(200_000)),
            Some(Code::SchemaViolation),
        ),
        case(
            "wide mapping",
            "c.json",
            format!("{{{}\"z\": 0}}", (0..100_000).map(|i| format!("\"k{i}\": {i}, ")).collect::<String>()),
            Some(Code::SchemaViolation),
        ),
        case(
            "many messages with one bad",
            "c.yaml",
            format!(
                "version: 1.0.0\nmessages:\n{}  - {{name: Bad, type_id: 70000, fields: [{{name: a, type: u8}}]}}\n",
                (0..5000)
                    .map(|i| format!("  - {{name: M{i}, type_id: {i}, fields: [{{name: a, type: u8}}]}}\n"))
                    .collect::<String>()
            ),
            Some(Code::SchemaViolation),
        ),
        case(
            "self recursion via chain",
            "c.yaml",
            "version: 1.0.0\nmessages:\n  - {name: A, type_id: 1, fields: [{name: b, type: B}]}\n  - {name: B, type_id: 2, fields: [{name: a, type: A}]}\n",
            Some(Code::RecursiveMessage),
        ),
        case(
            "message too large by count",
            "c.yaml",
            "version: 1.0.0\nmessages:\n  - {name: A, type_id: 1, fields: [{name: b, type: uint256, count: 65535}]}\n",
            Some(Code::MessageTooLarge),
        ),
        case(
            "nested size blow-up",
            "c.yaml",
            "version: 1.0.0\nmessages:\n  - {name: A, type_id: 1, fields: [{name: b, type: Hash, count: 1000}]}\n  - {name: B, type_id: 2, fields: [{name: a, type: A, count: 1000}]}\n  - {name: C, type_id: 3, fields: [{name: a, type: B, count: 1000}]}\n",
            Some(Code::MessageTooLarge),
        ),
    ];
    // BOM and CRLF: a finding must still point at the right line and column.
    let bad = yaml_with("type: Hash", "type: Hsh");
    let line = bad.lines().position(|l| l.contains("Hsh")).unwrap() + 1;
    let mut bom = "\u{FEFF}".to_string();
    bom.push_str(&bad);
    cases.push(Case {
        code: Some(Code::UnknownType),
        ..case(format!("BOM, unknown type on line {line}"), "c.yaml", bom, None)
    });
    cases.push(case(
        format!("CRLF, unknown type on line {line}"),
        "c.yaml",
        bad.replace('\n', "\r\n"),
        Some(Code::UnknownType),
    ));
    cases.push(case("CR only line ends", "c.yaml", bad.replace('\n', "\r"), None));
    cases.push(case("BOM in the middle", "c.yaml", bad.replacen("messages:", "\u{FEFF}messages:", 1), None));
    // Enums: huge, negative and fractional numbers, huge value lists, clashing names.
    let enum_doc = |values: &str, ty: &str| {
        format!(
            "version: 1.0.0\nenums:\n  - name: Side\n    type: {ty}\n    values: {values}\nmessages:\n  - name: T\n    type_id: 1\n    fields: [{{name: side, type: Side}}]\n"
        )
    };
    let out_of_range = Some(Code::EnumValueOutOfRange);
    cases.push(case("enum value -1", "c.yaml", enum_doc("{A: 1, B: -1}", "u8"), out_of_range));
    cases.push(case("enum value 2^63", "c.yaml", enum_doc("{A: 9223372036854775808}", "u32"), out_of_range));
    cases.push(case(
        "enum value 2^64",
        "c.yaml",
        enum_doc("{A: 18446744073709551616}", "u32"),
        Some(Code::SchemaViolation),
    ));
    cases.push(case("enum value 1e30", "c.yaml", enum_doc("{A: 1e30}", "u16"), Some(Code::SchemaViolation)));
    cases.push(case("enum value 1.5", "c.yaml", enum_doc("{A: 1.5}", "u16"), Some(Code::SchemaViolation)));
    cases.push(case("enum of u64", "c.yaml", enum_doc("{A: 1}", "u64"), Some(Code::SchemaViolation)));
    cases.push(case("enum without values", "c.yaml", enum_doc("{}", "u8"), Some(Code::SchemaViolation)));
    let many: String = (0..100_000).map(|k| format!("\n      V{k}: {}", k % 300)).collect();
    cases.push(case(
        "100,000 enum values, most duplicate or out of range",
        "c.yaml",
        enum_doc(&many, "u8"),
        Some(Code::DuplicateEnumValue),
    ));
    let clash: String = (0..20_000).map(|_| "  - {name: E, type: u8, values: {A: 1}}\n").collect();
    cases.push(case(
        "20,000 enums of one name",
        "c.yaml",
        format!("version: 1.0.0\nenums:\n{clash}messages: []\n"),
        Some(Code::DuplicateMessage),
    ));
    cases.push(case(
        "service names 10,000 embedded-only messages",
        "c.yaml",
        format!(
            "version: 1.0.0\nmessages:\n{}services:\n  s:\n    messages: [{}]\n",
            (0..10_000).map(|k| format!("  - {{name: M{k}, fields: []}}\n")).collect::<String>(),
            (0..10_000).map(|k| format!("M{k}")).collect::<Vec<_>>().join(", ")
        ),
        Some(Code::MessageNotFramed),
    ));
    // 50 MB: over MAX_FILE_SIZE, refused before parsing.
    let mut big = b"version: 1.0.0\ndescription: ".to_vec();
    big.resize(50 << 20, b'a');
    cases.push(case("50 MB file", "c.yaml", big, p));
    let mut big_json = b"{\"version\": \"1.0.0\", \"x\": \"".to_vec();
    big_json.resize(50 << 20, b'b');
    cases.push(case("50 MB json", "c.json", big_json, p));
    cases
}

#[test]
fn hostile_documents() {
    let _heavy = crate::HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let mut cases = mutations();
    let mutated = cases.len();
    cases.extend(value_mutations());
    let valued = cases.len() - mutated;
    cases.extend(classics());
    let classic = cases.len() - mutated - valued;
    let started = Instant::now();
    let (mut with_finding, mut still_valid, mut peak_ratio, mut peak_max) = (0usize, 0usize, 0f64, 0usize);
    let mut failures = Vec::new();
    for c in &cases {
        let one = Instant::now();
        let run =
            std::panic::catch_unwind(AssertUnwindSafe(|| process_peak_during(|| props::check_one(c.file, &c.bytes))));
        let elapsed = one.elapsed().as_secs_f64();
        let (analysis, peak) = match run {
            Ok(out) => out,
            Err(e) => {
                let msg =
                    e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
                failures.push(format!("{}: panicked: {}", c.name, msg.unwrap_or_default()));
                continue;
            }
        };
        // The process-wide peak (the schema runs on a second thread), under HEAVY. Findings are
        // capped per file and code (MAX_FINDINGS_PER_CODE) and their texts cut, and the schema
        // is checked item by item, so even a document of nothing but small invalid messages
        // stays within this bound.
        // One exception: `- {a: 1}` 200,000 times is 200,000 JSON maps in 1.8 MB, and the loaded
        // tree alone costs about 90 times the text (`load::MAX_MEMORY` bounds it); the checker
        // adds little to that (its findings are capped), which the bound of 128 times holds.
        let factor = if c.name.starts_with("2 MB of tiny maps") { 128 } else { 64 };
        let bound = factor * c.bytes.len() + (64 << 20);
        if std::env::var_os("HOSTILE_VERBOSE").is_some() {
            let ratio = peak as f64 / c.bytes.len().max(1) as f64;
            eprintln!("{elapsed:>8.3} s  {:>8} KiB heap peak ({ratio:>7.1} x)  {}", peak >> 10, c.name);
        }
        if peak > bound {
            failures.push(format!("{}: heap peak {peak} over {bound}", c.name));
        }
        if c.bytes.len() >= 1 << 20 {
            peak_ratio = peak_ratio.max(peak as f64 / c.bytes.len() as f64);
        }
        peak_max = peak_max.max(peak);
        let located: Vec<_> =
            analysis.diagnostics.iter().filter(|d| d.severity == Severity::Error && d.location.is_some()).collect();
        let no_location: Vec<_> = analysis.diagnostics.iter().filter(|d| d.location.is_none()).collect();
        if !no_location.is_empty() {
            failures.push(format!("{}: findings without a location: {no_location:?}", c.name));
        }
        if located.is_empty() {
            if c.must_find || !analysis.is_ok() {
                failures.push(format!("{}: no located error ({:?})", c.name, analysis.diagnostics));
            } else if analysis.contracts.is_none() {
                // An empty or scalar document: no contracts at all must be a finding.
                failures.push(format!("{}: no contracts and no finding", c.name));
            } else {
                still_valid += 1;
            }
            continue;
        }
        with_finding += 1;
        if let Some(code) = c.code
            && !located.iter().any(|d| d.code == code)
        {
            let codes: Vec<_> = located.iter().map(|d| (d.code, d.message.clone())).collect();
            failures.push(format!("{}: expected {code}, got {codes:?}", c.name));
        }
        if c.name.starts_with("BOM, ") || c.name.starts_with("CRLF, ") {
            let line: usize = c.name.rsplit(' ').next().unwrap().parse().unwrap();
            let d = located.iter().find(|d| d.code == Code::UnknownType).unwrap();
            let l = d.location.as_ref().unwrap();
            if l.line != line || &c.bytes[l.span.clone()] != b"Hsh" {
                failures.push(format!("{}: located at line {} span {:?}", c.name, l.line, l.span));
            }
        }
    }
    eprintln!(
        "hostile documents: {} ({mutated} mutations, {valued} typed edits, {classic} classics); {with_finding} with a \
         located error, {still_valid} still valid contracts, 0 panics; {:.1} s in total; largest heap peak {} MiB, worst \
         {peak_ratio:.1} x the input among inputs of 1 MiB or more",
        cases.len(),
        started.elapsed().as_secs_f64(),
        peak_max >> 20
    );
    assert!(failures.is_empty(), "{} of {} documents failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(cases.len() >= 100 && with_finding >= 100, "{} documents, {with_finding} with findings", cases.len());
}
