//! Every rule runs on every pair under `tests/compat/cases/`, and the set of codes that fire
//! must be exactly `expected.txt`: what must not fire is tested too.

use std::collections::BTreeSet;
use std::path::Path;

use mycelium_contracts::compat::{DocSide, RULES};

use crate::support::diff_files;

fn cases_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat/cases")
}

#[test]
fn every_pair_fires_exactly_its_expected_codes() {
    let mut failures = Vec::new();
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(cases_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for dir in entries {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected: BTreeSet<String> = std::fs::read_to_string(dir.join("expected.txt"))
            .unwrap()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        for code in &expected {
            assert!(RULES.iter().any(|r| r.code == code), "{name}: expected.txt names unknown rule {code}");
        }
        let (_, _, changes) = diff_files(&dir.join("old.yaml"), &dir.join("new.yaml"));
        let got: BTreeSet<String> = changes.iter().map(|c| c.rule.code.to_string()).collect();
        if got != expected {
            let detail: Vec<String> = changes.iter().map(|c| format!("  {}: {}", c.rule.code, c.text)).collect();
            failures.push(format!("{name}: expected {expected:?}, got {got:?}\n{}", detail.join("\n")));
        }
        seen += 1;
    }
    assert!(seen >= RULES.len(), "only {seen} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_rule_case_fires_its_own_rule() {
    for rule in RULES {
        let dir = cases_dir().join(rule.code);
        let (_, _, changes) = diff_files(&dir.join("old.yaml"), &dir.join("new.yaml"));
        assert!(changes.iter().any(|c| c.rule == *rule), "{} does not fire on its own case", rule.code);
    }
}

#[test]
fn removals_point_into_the_base_and_the_rest_into_the_new_document() {
    for rule in RULES {
        let dir = cases_dir().join(rule.code);
        let (_, _, changes) = diff_files(&dir.join("old.yaml"), &dir.join("new.yaml"));
        for c in changes {
            let removal = c.rule.code.ends_with("-removed");
            assert_eq!(c.side == DocSide::Base, removal, "{}: {} at {:?}", rule.code, c.text, c.side);
        }
    }
}

fn messages(case: &str) -> Vec<String> {
    let dir = cases_dir().join(case);
    let (_, _, changes) = diff_files(&dir.join("old.yaml"), &dir.join("new.yaml"));
    let mut out: Vec<String> =
        changes.iter().map(|c| format!("{} {} {}", c.rule.code, c.place.pointer(), c.text)).collect();
    out.sort();
    out
}

#[test]
fn messages_carry_before_and_after_values() {
    assert_eq!(
        messages("size-class-grew"),
        [
            "field-appended /messages/1/fields/4/name Quote.fee (u128) appended at position 4",
            "size-class-grew /messages/1/name Quote: buffer class 128 -> 256 (MAX_SIZE 120 -> 136)",
        ]
    );
    assert_eq!(
        messages("field-type-changed"),
        [
            "field-type-changed /messages/0/fields/0/type Ping.seq: type u64 -> u32",
            "field-type-changed /messages/1/fields/2/count Quote.reserves: type uint128[2] -> uint128[1]",
        ]
    );
    assert_eq!(
        messages("field-bound-narrowed"),
        ["field-bound-narrowed /messages/1/fields/1/max_len Quote.symbol: max_len 32 -> 16"]
    );
    assert_eq!(
        messages("message-renamed"),
        ["message-renamed /messages/1/name Quote renamed to PoolQuote (type_id 2)"]
    );
    assert_eq!(
        messages("message-removed"),
        [
            "message-removed /messages/1/name Quote (type_id 2) removed",
            "service-message-removed /services/quoter/messages/1 quoter: no longer handles Quote",
        ]
    );
    assert_eq!(
        messages("field-moved"),
        ["field-moved /messages/1/fields/1/name Quote.pool: moved from position 0 to 1"]
    );
    assert_eq!(
        messages("pool-setting-changed"),
        ["pool-setting-changed /services/pinger/buffer_pool_enabled pinger: buffer_pool_enabled true -> false"]
    );
}

#[test]
fn renames_differ_from_removal_plus_addition() {
    assert_eq!(messages("message-renamed").len(), 1);
    assert_eq!(
        messages("rename-vs-remove-add"),
        [
            "message-added /messages/1/name Offer added (type_id 9, MAX_SIZE 120, buffer class 128)",
            "message-removed /messages/1/name Quote (type_id 2) removed",
            "service-message-added /services/quoter/messages/1 quoter: now handles Offer",
            "service-message-removed /services/quoter/messages/1 quoter: no longer handles Quote",
        ]
    );
    assert_eq!(
        messages("field-renamed"),
        ["field-renamed /messages/0/fields/0/name Ping: field seq renamed to sequence (position 0, u64)"]
    );
    assert_eq!(
        messages("field-rename-needs-same-type"),
        [
            "field-inserted /messages/0/fields/0/name Ping.sequence (u32) inserted at position 0",
            "field-removed /messages/0/fields/0/name Ping.seq (u64) removed from position 0",
        ]
    );
}

#[test]
fn embedded_layout_changes_reach_every_embedding_field_transitively() {
    assert_eq!(
        messages("embedded-layout-propagates"),
        [
            "field-appended /messages/0/fields/2/name Leg.fee (u16) appended at position 2",
            "field-type-changed /messages/1/fields/0/type Route.first: embedded message Leg changed layout (MAX_SIZE 28 -> 30)",
            "field-type-changed /messages/1/fields/1/type Route.second: embedded message Leg changed layout (MAX_SIZE 28 -> 30)",
            "field-type-changed /messages/1/fields/2/type Route.hops: embedded message Leg changed layout (MAX_SIZE 28 -> 30)",
            "field-type-changed /messages/2/fields/0/type Order.route: embedded message Route changed layout (MAX_SIZE 114 -> 122)",
            "size-class-grew /messages/2/name Order: buffer class 128 -> 256 (MAX_SIZE 122 -> 130)",
        ]
    );
}

#[test]
fn a_json_base_compares_with_yaml_contracts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    let new = root.join("cases/size-class-grew/new.yaml");
    let (_, _, from_json) = diff_files(&root.join("fixtures/base.json"), &new);
    let (_, _, from_yaml) = diff_files(&root.join("cases/size-class-grew/old.yaml"), &new);
    assert_eq!(from_json, from_yaml);
    assert_eq!(from_json.len(), 2);
}

#[test]
fn invalid_contracts_on_either_side_diff_without_panicking() {
    use mycelium_contracts::compat::{self, Side};
    use mycelium_contracts::model::{Contracts, Layout};
    // Duplicate message, field and type_id, unknown types, a cycle, no fields, unknown
    // service messages: the checks report these; the diff must still be total.
    let base: Contracts = serde_json::from_value(serde_json::json!({
        "version": "not-semver",
        "messages": [
            {"name": "A", "type_id": 1, "fields": [{"name": "x", "type": "u8"}, {"name": "x", "type": "u16"}]},
            {"name": "A", "type_id": 1, "fields": []},
            {"name": "Loop", "type_id": 2, "fields": [{"name": "me", "type": "Loop"}]},
            {"name": "Unk", "type_id": 3, "fields": [{"name": "u", "type": "Nope"}]},
        ],
        "services": {"s": {"messages": ["A", "A", "Missing"]}}
    }))
    .unwrap();
    let new: Contracts = serde_json::from_value(serde_json::json!({
        "version": "1.0.0",
        "messages": [
            {"name": "A", "type_id": 1, "fields": [{"name": "x", "type": "u16"}, {"name": "x", "type": "u8"}]},
            {"name": "B", "type_id": 1, "fields": [{"name": "me", "type": "B"}]},
            {"name": "Loop", "type_id": 2, "fields": [{"name": "me", "type": "Loop"}, {"name": "y", "type": "u8"}]},
            {"name": "Unk", "type_id": 3, "fields": [{"name": "u", "type": "Nope2"}]},
        ],
        "services": {"s": {"messages": ["Missing", "B", "B"]}}
    }))
    .unwrap();
    let (bl, nl) = (Layout::compute(&base), Layout::compute(&new));
    let changes = compat::diff(Side::new(&base, &bl), Side::new(&new, &nl));
    let codes: BTreeSet<&str> = changes.iter().map(|c| c.rule.code).collect();
    assert!(codes.contains("field-type-changed"), "{codes:?}");
    assert!(codes.contains("field-appended"), "{codes:?}");
    let v = compat::verdict(&base.version, &new.version, &changes);
    assert_eq!(v.declared, None);
    assert!(v.findings.is_empty());
    // And the reverse direction.
    let back = compat::diff(Side::new(&new, &nl), Side::new(&base, &bl));
    assert!(!back.is_empty());
}
