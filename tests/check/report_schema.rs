//! The JSON report's shape (`docs/reference/json-report.md`), checked with a small JSON Schema of the report
//! against real reports: a clean run, a run with findings of every code, and a filled-in
//! `compat` section of the shape the compatibility check produces.

use mycelium_contracts::compat;
use mycelium_contracts::report::{Report, to_json};
use serde_json::json;

use crate::fixtures::{CASES, analyze_text, run_case};

fn report_schema() -> serde_json::Value {
    let location = json!({"type": ["string", "null"]});
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": false,
        "required": ["ok", "version", "diagnostics", "compat"],
        "properties": {
            "ok": {"type": "boolean"},
            "version": {"type": ["string", "null"]},
            "diagnostics": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["code", "severity", "message", "file", "line", "column", "help"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$"},
                    "severity": {"enum": ["error", "warning", "note"]},
                    "message": {"type": "string", "minLength": 1},
                    "file": location,
                    "line": {"type": ["integer", "null"], "minimum": 1},
                    "column": {"type": ["integer", "null"], "minimum": 1},
                    "help": {"type": ["string", "null"]}
                }
            }},
            "compat": {"oneOf": [{"type": "null"}, {
                "type": "object",
                "required": ["base_version", "version", "required_bump", "declared_bump", "changes"],
                "properties": {
                    "required_bump": {"enum": ["none", "patch", "minor", "major"]},
                    "declared_bump": {"enum": ["none", "patch", "minor", "major"]},
                    "changes": {"type": "array", "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["code", "bump", "message", "file", "line", "column"],
                        "properties": {
                            "code": {"type": "string"},
                            "bump": {"enum": ["patch", "minor", "major"]},
                            "message": {"type": "string"},
                            "file": {"type": ["string", "null"]},
                            "line": {"type": ["integer", "null"], "minimum": 1},
                            "column": {"type": ["integer", "null"], "minimum": 1},
                            "witness": {"type": "string"}
                        }
                    }}
                }
            }]}
        }
    })
}

fn assert_valid(report: &serde_json::Value) {
    let validator = jsonschema::draft202012::new(&report_schema()).expect("report schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(report).map(|e| format!("{}: {e}", e.instance_path().as_str())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
}

#[test]
fn clean_report_matches_the_report_schema() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/contracts.yaml")).unwrap();
    assert_valid(&to_json(&Report::from_analysis(&analyze_text("contracts/contracts.yaml", &text))));
}

#[test]
fn reports_with_findings_match_the_report_schema() {
    for case in CASES {
        for format in 0..3 {
            let (analysis, _, _) = run_case(case, format);
            assert_valid(&to_json(&Report::from_analysis(&analysis)));
        }
    }
}

#[test]
fn a_filled_compat_section_matches_the_report_schema() {
    let (analysis, _, _) = run_case(&CASES[3], 0);
    let mut report = Report::from_analysis(&analysis);
    let base: mycelium_contracts::model::Contracts = serde_json::from_value(json!({"version": "1.2.0", "messages": [
        {"name": "SwapEvent", "type_id": 1, "fields": [{"name": "amount", "type": "u64"}]}]}))
    .unwrap();
    let mut new = base.clone();
    new.version = "1.3.0".into();
    new.messages[0]
        .fields
        .push(serde_json::from_value(json!({"name": "memo", "type": "bytes", "max_len": 200})).unwrap());
    let (bl, nl) =
        (mycelium_contracts::model::Layout::compute(&base), mycelium_contracts::model::Layout::compute(&new));
    let (bs, ns) = (compat::Side::new(&base, &bl), compat::Side::new(&new, &nl));
    let changes = compat::diff(bs, ns);
    let verdict = compat::verdict(&base.version, &new.version, &changes);
    let location =
        compat::ChangeLocation { file: "contracts/contracts.yaml".into(), line: 4, column: 11, in_base: false };
    let located = changes.into_iter().map(|c| (c, Some(location.clone()))).collect();
    report.compat = Some(compat::Comparison::new("base", "contracts/contracts.yaml", bs, ns, located, verdict));
    let value = to_json(&report);
    assert_eq!(value["compat"]["required_bump"], "major");
    assert!(value["compat"]["changes"][0]["witness"].is_string(), "{value}");
    assert_valid(&value);
}

#[test]
fn the_report_schema_rejects_a_wrong_shape() {
    // The schema test could not fail if the schema accepted anything.
    let validator = jsonschema::draft202012::new(&report_schema()).unwrap();
    assert!(!validator.is_valid(&json!({"ok": true, "version": "1.0.0", "diagnostics": []})));
    assert!(!validator.is_valid(&json!({"ok": true, "version": null, "diagnostics": [{"code": "x"}], "compat": null})));
}
