//! Every code of SPEC.md section 3 (but `generated-stale`) in YAML, JSON and TOML: the JSON
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
    assert_eq!(json["version"], "1.0.0");
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
