//! Service-config files (`--services`): `[service.NAME]` tables merged with the contracts'
//! own services, other keys ignored, duplicates located at the second declaration.

use mycelium_contracts::report::Report;

use crate::fixtures::{analyze_with_services, strip_marker};

const CONTRACTS: &str = "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: pool_address, type: Address }
  - name: LargeMessage
    type_id: 2
    fields:
      - { name: blob, type: bytes, max_len: 700 }
services:
  polygon-adapter:
    messages: [SwapEvent]
";

fn codes(a: &mycelium_contracts::check::Analysis) -> Vec<String> {
    a.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect()
}

#[test]
fn services_from_a_file_join_the_pool_plan_and_other_keys_are_ignored() {
    let svc = "[service.strategy-engine]
messages = [\"SwapEvent\", \"LargeMessage\"]
owner = \"team-a\"
threads = 4

[service.snapshot-recorder]
messages = [\"LargeMessage\"]
buffer_pool_enabled = false
";
    let a = analyze_with_services("contracts.yaml", CONTRACTS, &[("services.toml", svc)]);
    assert!(a.is_ok(), "{:#?}", codes(&a));
    let report = Report::from_analysis(&a);
    let names: Vec<&str> = report.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["polygon-adapter", "snapshot-recorder", "strategy-engine"]);
    let engine = &report.services[2];
    assert_eq!(engine.classes.iter().map(|c| (c.size, c.capacity)).collect::<Vec<_>>(), [(128, 1024), (1024, 128)]);
    assert!(!report.services[1].enabled && report.services[1].classes.is_empty());
    assert_eq!(a.sources.service_origins()["strategy-engine"].document, 1);
    assert_eq!(a.sources.service_origins()["strategy-engine"].pointer, "/service/strategy-engine");
}

#[test]
fn an_unknown_message_in_a_service_file_is_located_there() {
    let (svc, at) = strip_marker("[service.strategy-engine]\nmessages = [\"SwapEvent\", $0\"LargeMesage\"]\n");
    let a = analyze_with_services("contracts.yaml", CONTRACTS, &[("services.toml", &svc)]);
    assert_eq!(a.diagnostics.len(), 1, "{:#?}", codes(&a));
    let d = &a.diagnostics[0];
    assert_eq!(d.code.as_str(), "unknown-message");
    let l = d.location.as_ref().unwrap();
    assert_eq!((l.source.name(), l.line, l.column), ("services.toml", at.unwrap().0, at.unwrap().1));
    assert_eq!(d.help.as_deref(), Some("did you mean `LargeMessage`?"));
}

#[test]
fn a_service_declared_in_two_files_is_reported_at_the_second() {
    let first = "[service.strategy-engine]\nmessages = [\"SwapEvent\"]\n";
    let (second, at) = strip_marker("# again\n[service.$0strategy-engine]\nmessages = [\"LargeMessage\"]\n");
    let a = analyze_with_services("contracts.yaml", CONTRACTS, &[("a.toml", first), ("b.toml", &second)]);
    assert_eq!(a.diagnostics.len(), 1, "{:#?}", codes(&a));
    let d = &a.diagnostics[0];
    assert_eq!(d.code.as_str(), "duplicate-service");
    let l = d.location.as_ref().unwrap();
    assert_eq!((l.source.name(), l.line, l.column), ("b.toml", at.unwrap().0, at.unwrap().1));
    assert_eq!(d.help.as_deref(), Some("first declared in a.toml at line 1, column 10; keep one declaration"));
    // The first declaration wins.
    assert_eq!(a.contracts.as_ref().unwrap().services["strategy-engine"].messages, ["SwapEvent"]);
}

#[test]
fn malformed_service_tables_are_schema_violations() {
    let svc = "[service.Bad_Name]
messages = [\"SwapEvent\"]

[service.no-messages]
buffer_pool_enabled = true

[service.wrong-types]
messages = \"SwapEvent\"
buffer_pool_enabled = \"yes\"
";
    let a = analyze_with_services("contracts.yaml", CONTRACTS, &[("services.toml", svc)]);
    let got: Vec<(String, usize)> =
        a.diagnostics.iter().map(|d| (d.code.as_str().to_string(), d.location.as_ref().unwrap().line)).collect();
    let expect = [(1, "schema-violation"), (4, "schema-violation"), (8, "schema-violation"), (9, "schema-violation")];
    assert_eq!(got, expect.iter().map(|(l, c)| (c.to_string(), *l)).collect::<Vec<_>>(), "{:#?}", codes(&a));
    // None of them joins the model.
    assert_eq!(a.contracts.as_ref().unwrap().services.len(), 1);
}

#[test]
fn a_service_file_without_service_tables_adds_nothing() {
    let a = analyze_with_services("contracts.yaml", CONTRACTS, &[("services.toml", "[other]\nkey = 1\n")]);
    assert!(a.is_ok(), "{:#?}", codes(&a));
    assert_eq!(a.contracts.as_ref().unwrap().services.len(), 1);
}

#[test]
fn a_message_that_breaks_the_schema_is_still_known_by_name() {
    // `LargeMessage` has an unexpected key: it is left out of the model, but naming it in a
    // service or a field is not an unknown message or type: only the schema violation shows.
    let text = "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: big, type: LargeMessage }
  - name: LargeMessage
    type_id: 2
    colour: red
    fields:
      - { name: blob, type: bytes, max_len: 700 }
services:
  polygon-adapter:
    messages: [SwapEvent, LargeMessage]
";
    let a = crate::fixtures::analyze_text("contracts.yaml", text);
    assert_eq!(codes(&a), ["schema-violation unexpected key `colour` in a message"]);
    assert!(a.invalid_messages.contains("LargeMessage"));
    assert_eq!(a.sources.message_pointers(), ["/messages/0"]);
}

#[test]
fn names_over_the_length_limit_in_a_service_file_are_reported_and_left_out() {
    use mycelium_contracts::model::MAX_NAME_LEN;
    let contracts = "version: 1.0.0\nmessages:\n  - {name: A, type_id: 1, fields: []}\n";
    let services = format!(
        "[service.{}]\nmessages = [\"A\"]\n\n[service.ok]\nmessages = [\"A\", \"{}\"]\n",
        "s".repeat(MAX_NAME_LEN + 1),
        "B".repeat(MAX_NAME_LEN + 1)
    );
    let a = analyze_with_services("c.yaml", contracts, &[("services.toml", &services)]);
    let found: Vec<_> = a
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.location.as_ref().unwrap().line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("schema-violation", 1, "service name is longer than 128 characters"),
            ("schema-violation", 5, "item 1 of `messages` is longer than 128 characters"),
        ]
    );
    assert!(a.contracts.as_ref().unwrap().services.is_empty(), "both services are left out");
}
