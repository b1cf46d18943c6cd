//! Every kind of schema error becomes a `schema-violation` located at the offending value (at
//! the key for an unexpected or badly named key), with a message written for people.

use crate::fixtures::analyze_text;

fn findings(text: &str) -> Vec<(String, usize, usize, String)> {
    analyze_text("c.yaml", text)
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            (d.code.as_str().to_string(), l.line, l.column, d.message.clone())
        })
        .collect()
}

fn sv(line: usize, column: usize, message: &str) -> (String, usize, usize, String) {
    ("schema-violation".into(), line, column, message.into())
}

#[test]
fn each_kind_of_schema_error_is_located() {
    let text = "version: 1.0.0
messages:
  - name: swap_event
    type_id: 70000
    fields:
      - { name: PoolAddress, type: Address }
      - { name: n, type: u8, count: 0 }
      - { name: m, type: u8, count: 2, max_count: 2 }
      - { name: k, type: 7 }
  - name: NoFields
    type_id: 2
  - name: Extra
    type_id: 3
    fields: []
    max_lenght: 3
services:
  Polygon_Adapter:
    messages: [NoFields]
  ok-service:
    messages: NoFields
";
    let expect = vec![
        sv(3, 11, "message name `swap_event` is not PascalCase (`SwapEvent`)"),
        sv(4, 14, "`type_id` must be at most 65535, found 70000"),
        sv(6, 17, "field name `PoolAddress` is not snake_case (`pool_address`)"),
        sv(7, 37, "`count` must be at least 1, found 0"),
        sv(8, 40, "a field cannot have both `count` and `max_count`"),
        sv(9, 26, "`type` must be a string, found an integer"),
        sv(10, 5, "a message is missing the required key `fields`"),
        sv(15, 5, "unexpected key `max_lenght` in a message"),
        sv(17, 3, "service name `Polygon_Adapter` is not kebab-case (`polygon-adapter`)"),
        sv(20, 15, "`messages` must be a list, found a string"),
    ];
    assert_eq!(findings(text), expect);
}

#[test]
fn a_document_that_is_not_a_mapping_is_one_finding_at_its_start() {
    assert_eq!(findings("- a\n- b\n"), vec![sv(1, 1, "the document must be a mapping, found a list")]);
    assert_eq!(findings("just text\n"), vec![sv(1, 1, "the document must be a mapping, found a string")]);
}

#[test]
fn missing_top_level_keys_are_reported_at_the_document() {
    let got = findings("services: {}\n");
    assert_eq!(
        got,
        vec![
            sv(1, 1, "the contracts document is missing the required key `messages`"),
            sv(1, 1, "the contracts document is missing the required key `version`"),
        ]
    );
}

#[test]
fn unexpected_keys_suggest_the_allowed_one() {
    let a = analyze_text(
        "c.yaml",
        "version: 1.0.0\nmessages:\n  - name: A\n    type_id: 1\n    fields:\n      - { name: s, type: string, max_length: 8 }\n",
    );
    let d = a.diagnostics.iter().find(|d| d.message.contains("max_length")).expect("reported");
    assert_eq!(d.help.as_deref(), Some("did you mean `max_len`?"));
}

#[test]
fn names_over_the_length_limit_are_schema_violations_and_stay_out_of_the_model() {
    use mycelium_contracts::model::MAX_NAME_LEN;
    let ok = format!("M{}", "a".repeat(MAX_NAME_LEN - 1));
    let long = format!("L{}", "a".repeat(MAX_NAME_LEN));
    let svc = format!("s{}", "a".repeat(MAX_NAME_LEN));
    let text = format!(
        "version: 1.0.0
messages:
  - {{name: {ok}, type_id: 1, fields: []}}
  - {{name: {long}, type_id: 2, fields: []}}
  - {{name: F, type_id: 3, fields: [{{name: {}, type: u8}}]}}
services:
  {svc}:
    messages: [{ok}]
",
        "f".repeat(MAX_NAME_LEN + 1)
    );
    let got = findings(&text);
    let expected_40 = |s: &str| format!("`{}…`", &s[..40]);
    assert_eq!(
        got,
        vec![
            sv(4, 12, &format!("message name {} is longer than 128 characters", expected_40(&long))),
            sv(5, 43, &format!("field name {} is longer than 128 characters", expected_40(&"f".repeat(129)))),
            sv(7, 3, &format!("service name {} is longer than 128 characters", expected_40(&svc))),
        ]
    );
    let analysis = analyze_text("c.yaml", &text);
    let model = analysis.contracts.as_ref().unwrap();
    let names: Vec<_> = model.messages.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, [ok.as_str()], "the 128-character name is in, the longer ones are out");
    assert!(model.services.is_empty());
}
