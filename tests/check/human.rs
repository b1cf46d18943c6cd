//! What a user sees: the human output of each finding code, of a run with several findings,
//! and of a clean run with its pool plan (insta snapshots under `tests/check/snapshots/`).

use mycelium_contracts::check::MAX_FINDINGS_PER_CODE;
use mycelium_contracts::diagnostic::Code;
use mycelium_contracts::report::{HumanStyle, Report, render_github, render_human};

use crate::fixtures::{CASES, analyze_text, run_case};

#[test]
fn each_code_renders_with_snippet_label_and_help() {
    for case in CASES {
        let (analysis, _, (line, _)) = run_case(case, 0);
        let out = render_human(&Report::from_analysis(&analysis), HumanStyle::PLAIN);
        // The snippet shows the marked line with its number, and the summary line ends it.
        assert!(out.contains(&format!("{line} │")), "{}: {out}", case.code);
        assert!(out.lines().last().unwrap().starts_with("check-contracts: FAILED with 1 error"), "{out}");
        insta::assert_snapshot!(format!("human_{}", case.code), out);
    }
}

#[test]
fn findings_are_sorted_by_position_and_all_reported() {
    let text = "version: one
messages:
  - name: B
    type_id: 1
    fields:
      - { name: x, type: Nope }
      - { name: s, type: string }
  - name: A
    type_id: 1
    fields:
      - { name: a, type: A }
services:
  svc:
    messages: [B, Ghost]
";
    let analysis = analyze_text("contracts.yaml", text);
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "invalid-version",
            "unknown-type",
            "unbounded-field",
            "duplicate-type-id",
            "recursive-message",
            "unknown-message"
        ]
    );
    let out = render_human(&Report::from_analysis(&analysis), HumanStyle::PLAIN);
    insta::assert_snapshot!("human_many_findings", out);
}

#[test]
fn a_clean_run_shows_what_each_service_allocates() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/contracts.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let analysis = analyze_text("contracts/contracts.yaml", &text);
    let out = render_human(&Report::from_analysis(&analysis), HumanStyle::PLAIN);
    assert!(out.contains("    128 B x 1024 buffers = 128 KiB"), "{out}");
    insta::assert_snapshot!("human_clean_run", out);
}

#[test]
fn github_output_is_one_workflow_command_per_finding() {
    let (analysis, _, _) = run_case(&CASES[3], 0);
    let out = render_github(&Report::from_analysis(&analysis));
    assert_eq!(
        out,
        "::error file=contracts.yaml,line=9,col=27,title=unknown-message::service `polygon-adapter` handles \
         unknown message `SwapEvnt`\n"
    );
    let clean = analyze_text("c.yaml", "version: 1.0.0\nmessages: []\n");
    assert_eq!(render_github(&Report::from_analysis(&clean)), "");
}

#[test]
fn findings_at_the_edges_of_a_file_render() {
    // A parse error at the very end (no final newline), and a finding on the first line.
    for text in ["version: 1.0.0\nmessages: [", "version: x\nmessages: []", "version: x"] {
        let analysis = analyze_text("c.yaml", text);
        assert!(!analysis.diagnostics.is_empty());
        let out = render_human(&Report::from_analysis(&analysis), HumanStyle::PLAIN);
        assert!(out.contains("[c.yaml:"), "{out}");
    }
}

#[test]
fn thousands_of_findings_in_a_large_file_all_render_up_to_the_cap() {
    // Each finding renders from a window around its span: rendering stays linear in the
    // number of findings (miette's own `str` source would rescan the file for each). Past
    // MAX_FINDINGS_PER_CODE findings of one code in one file, the rest are counted in one more.
    let mut text = String::from("version: 1.0.0\nmessages:\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "  - name: M{i}\n    type_id: {}\n    fields:\n      - {{ name: f, type: Nope{i} }}\n",
            i + 1
        ));
    }
    let analysis = analyze_text("big.yaml", &text);
    assert_eq!(MAX_FINDINGS_PER_CODE, 1000);
    assert_eq!(analysis.diagnostics.len(), 1001);
    assert!(analysis.diagnostics.iter().all(|d| d.code == Code::UnknownType));
    let closing = analysis.diagnostics.last().unwrap();
    assert!(closing.message.starts_with("2000 more `unknown-type` findings in this file"), "{}", closing.message);
    let out = render_human(&Report::from_analysis(&analysis), HumanStyle::PLAIN);
    assert_eq!(out.matches("[big.yaml:").count(), 1001);
    let line_of = |i: usize| 2 + 4 * (i + 1);
    assert!(out.contains(&format!("[big.yaml:{}:", line_of(999))), "the last listed finding");
    assert!(out.contains(&format!("[big.yaml:{}:", line_of(1000))), "the closing finding, at the first one not listed");
    assert!(!out.contains(&format!("[big.yaml:{}:", line_of(1001))));
}

#[test]
fn findings_on_a_long_line_show_an_excerpt_of_it() {
    // Minified JSON: the whole document is one line. miette prints a finding's whole line, so
    // each finding is shown on an excerpt around its span instead, with the right column.
    let messages: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"name":"M{i}","type_id":{},"fields":[{{"name":"f","type":"Nope{i}"}}]}}"#, i + 1))
        .collect();
    let text = format!(r#"{{"version":"1.0.0","messages":[{}]}}"#, messages.join(","));
    let analysis = analyze_text("mini.json", &text);
    assert_eq!(analysis.diagnostics.len(), 1001);
    let out = render_human(&Report::from_analysis(&analysis), HumanStyle::PLAIN);
    assert!(out.len() < 1001 * 1500, "{} bytes for 1,001 findings on a {}-byte line", out.len(), text.len());
    for i in [0, 500, 999] {
        let at = text.find(&format!("\"Nope{i}\"")).unwrap();
        assert!(out.contains(&format!("[mini.json:1:{}]", at + 1)), "finding {i} at column {}", at + 1);
    }
    // The closing finding is past column 65,535, where miette's padding used to panic
    // ("Formatting argument out of range") when handed the whole line.
    let closing = text.find("\"Nope1000\"").unwrap() + 1;
    assert!(closing > 65_535 && out.contains(&format!("[mini.json:1:{closing}]")));
    let first = out.split("\n\n").nth(1).unwrap();
    assert!(first.contains(r#"{"name":"f","type":"Nope0"}"#), "the excerpt shows the span and around it:\n{first}");
}
