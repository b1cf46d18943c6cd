//! Every finding code (but `generated-stale`) in YAML, JSON and TOML: the JSON
//! report names the code, the file, and the line and column of the offending value.

use mycelium_contracts::report::{Report, to_json};

use crate::fixtures::{CASES, NAMES, run_case};

fn check_format(format: usize) {
    let mut failures = Vec::new();
    for case in CASES {
        let (analysis, file, (line, column)) = run_case(case, format);
        let json = to_json(&Report::from_analysis(&analysis));
        let diags = json["diagnostics"].as_array().expect("diagnostics is an array");
        let got: Vec<String> = diags
            .iter()
            .map(|d| format!("{} {}:{}:{} {}", d["code"], d["file"], d["line"], d["column"], d["message"]))
            .collect();
        let ok = diags.len() == 1
            && diags[0]["code"] == case.code
            && diags[0]["severity"] == "error"
            && diags[0]["file"] == file
            && diags[0]["line"] == line
            && diags[0]["column"] == column
            && diags[0]["message"].as_str().is_some_and(|m| !m.is_empty() && !m.ends_with('.'))
            && json["ok"] == false;
        if !ok {
            failures.push(format!("{} in {}: expected {file}:{line}:{column}, got {got:#?}", case.code, NAMES[format]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_is_located_in_yaml() {
    check_format(0);
}

#[test]
fn every_code_is_located_in_json() {
    check_format(1);
}

#[test]
fn every_code_is_located_in_toml() {
    check_format(2);
}

#[test]
fn every_checker_code_has_a_case() {
    use mycelium_contracts::diagnostic::Code;
    // Codes the checker of this issue produces; the others belong to codegen and compat.
    let later = [Code::GeneratedStale, Code::VersionBumpTooSmall, Code::VersionNotBumped, Code::VersionDecreased];
    for code in Code::ALL.iter().filter(|c| !later.contains(c)) {
        assert!(CASES.iter().any(|c| c.code == code.as_str()), "no fixture for {code}");
    }
}

#[test]
fn the_bundled_contracts_pass_with_version_and_null_compat() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/contracts.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let analysis = crate::fixtures::analyze_text("contracts/contracts.yaml", &text);
    let json = to_json(&Report::from_analysis(&analysis));
    assert_eq!(json["ok"], true, "{json:#}");
    assert_eq!(json["version"], "1.1.0");
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert!(json["compat"].is_null());
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
}

#[test]
fn the_json_report_keeps_spec_key_order() {
    let (analysis, _, _) = run_case(&CASES[3], 0);
    let text = mycelium_contracts::report::render_json(&Report::from_analysis(&analysis));
    let pos = |k: &str| text.find(&format!("\"{k}\"")).unwrap_or_else(|| panic!("{k} missing in {text}"));
    assert!(pos("ok") < pos("version") && pos("version") < pos("diagnostics") && pos("diagnostics") < pos("compat"));
    let order = ["code", "severity", "message", "file", "line", "column", "help"];
    for pair in order.windows(2) {
        assert!(pos(pair[0]) < pos(pair[1]), "{} before {}", pair[0], pair[1]);
    }
    assert!(text.contains("\"help\": \"did you mean `SwapEvent`?\""), "{text}");
}

#[test]
fn findings_over_the_cap_are_counted_in_one_closing_finding() {
    use mycelium_contracts::check::MAX_FINDINGS_PER_CODE;
    // 300 messages with four schema findings each (two missing keys, two unknown keys), on
    // lines 3 to 302, and a service naming a message that does not exist.
    let mut text = String::from("version: 1.0.0\nmessages:\n");
    text.push_str(&"  - {a: 1, b: 2}\n".repeat(300));
    text.push_str("  - {name: Ok, type_id: 1, fields: []}\nservices:\n  svc: {messages: [Nope]}\n");
    let analysis = crate::fixtures::analyze_text("c.yaml", &text);
    let json = to_json(&Report::from_analysis(&analysis));
    let diags = json["diagnostics"].as_array().unwrap();
    let schema: Vec<_> = diags.iter().filter(|d| d["code"] == "schema-violation").collect();
    assert_eq!(schema.len(), MAX_FINDINGS_PER_CODE + 1);
    let closing: Vec<_> = schema.iter().filter(|d| d["message"].as_str().unwrap().contains("not listed")).collect();
    assert_eq!(closing.len(), 1, "{closing:#?}");
    let closing = closing[0];
    assert_eq!(
        closing["message"],
        "200 more `schema-violation` findings in this file, from here on, are not listed (at most 1000 of one code are)"
    );
    assert_eq!((&closing["severity"], &closing["file"]), (&"error".into(), &"c.yaml".into()));
    // The first finding not listed is the first of message 250 (line 253).
    assert_eq!((&closing["line"], &closing["column"]), (&253.into(), &5.into()), "{closing:#?}");
    let listed_lines: Vec<u64> = schema.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert!(listed_lines.iter().all(|&l| (3..=253).contains(&l)), "listed findings are the first ones");
    // A finding of another code is still listed, and the messages that do not deserialize are
    // not reported a second time.
    assert!(
        diags.iter().any(|d| d["code"] == "unknown-message" && d["line"] == 305),
        "{:#?}",
        &diags[diags.len() - 3..]
    );
    assert_eq!(diags.len(), MAX_FINDINGS_PER_CODE + 2);
}

#[test]
fn parts_the_schema_accepts_but_the_model_does_not_are_counted_too() {
    use mycelium_contracts::check::MAX_FINDINGS_PER_CODE;
    // `type_id: 1.0` is an integer to JSON Schema but not a `u16` to the model: no schema
    // finding covers these messages, so each is reported as not deserializing, up to the cap.
    let mut text = String::from("version: 1.0.0\nmessages:\n");
    for i in 0..1200 {
        text.push_str(&format!("  - {{name: M{i}, type_id: 1.0, fields: []}}\n"));
    }
    let analysis = crate::fixtures::analyze_text("c.yaml", &text);
    let json = to_json(&Report::from_analysis(&analysis));
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), MAX_FINDINGS_PER_CODE + 1);
    assert!(
        diags[..MAX_FINDINGS_PER_CODE].iter().all(|d| d["message"].as_str().unwrap().starts_with("invalid message: "))
    );
    let closing = &diags[MAX_FINDINGS_PER_CODE];
    assert!(closing["message"].as_str().unwrap().starts_with("200 more `schema-violation` findings"), "{closing:#?}");
    assert_eq!(closing["line"], 3 + 1000, "{closing:#?}");
}
