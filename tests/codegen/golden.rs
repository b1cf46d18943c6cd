//! Golden files, prost style: each `fixtures/<case>/contracts.json` generates code that must equal
//! the committed `expected.rs` and `expected_pools.json`. A changed output rewrites the golden
//! file and fails the test, so the change is reviewed as a diff.

use std::path::{Path, PathBuf};

use mycelium_contracts::codegen::{self, Generated, Options};
use mycelium_contracts::load;
use mycelium_contracts::model::Contracts;

pub const CASES: &[&str] = &["spec", "all_types", "evolution_v1", "evolution_v2", "awkward", "seeded", "enums"];

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codegen/fixtures")
}

/// The case's contracts: `contracts.yaml`, `.json` or `.toml`, through the loader.
pub fn case_contracts(case: &str) -> (String, Contracts) {
    let dir = format!("tests/codegen/fixtures/{case}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = ["contracts.yaml", "contracts.json", "contracts.toml"]
        .iter()
        .map(|f| format!("{dir}/{f}"))
        .find(|p| root.join(p).exists())
        .unwrap_or_else(|| panic!("{dir} has no contracts.yaml, .json or .toml"));
    let doc = load::load_file(&root.join(&input)).unwrap_or_else(|d| panic!("{input}: {}", d.message));
    (input, model_of(&doc))
}

/// The model of a loaded contracts document, as the checker builds it: the loaded value keeps
/// mappings sorted by key, so an enum's values are put back in the order the document wrote
/// them (the first is the default), from the positions of their keys.
pub fn model_of(doc: &load::Document) -> Contracts {
    let mut contracts: Contracts = serde_json::from_value(doc.value.clone()).unwrap();
    for (i, e) in contracts.enums.iter_mut().enumerate() {
        let at = |name: &str| doc.spans.key(&format!("/enums/{i}/values/{name}")).map_or(usize::MAX, |s| s.start);
        e.values.0.sort_by_cached_key(|v| at(&v.name));
    }
    contracts
}

pub fn generate_case(case: &str) -> Generated {
    let (input, contracts) = case_contracts(case);
    codegen::generate(&contracts, &Options { source_name: input, ..Default::default() }).unwrap()
}

/// Compares `actual` with the golden file at `path`; rewrites it and returns a complaint when they differ.
fn check_golden(path: &Path, actual: &str) -> Option<String> {
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    std::fs::write(path, actual).unwrap();
    Some(format!("{} changed; it has been rewritten, review the diff", path.display()))
}

#[test]
fn generated_code_matches_the_golden_files() {
    let mut complaints = Vec::new();
    for case in CASES {
        let generated = generate_case(case);
        let dir = fixtures().join(case);
        complaints.extend(check_golden(&dir.join("expected.rs"), &generated.contracts_rs));
        complaints.extend(check_golden(&dir.join("expected_pools.json"), &generated.pools_json));
    }
    assert!(complaints.is_empty(), "{}", complaints.join("\n"));
}

#[test]
fn generation_is_deterministic() {
    for case in CASES {
        assert_eq!(generate_case(case), generate_case(case), "{case}");
    }
}

/// Generated code parses, and printing the parsed file again gives the same text: the output
/// is prettyplease's layout, whatever the contracts.
pub fn assert_printed_by_prettyplease(text: &str) -> Result<(), String> {
    let file = syn::parse_file(text).map_err(|e| format!("the generated code does not parse: {e}"))?;
    let header_end = text.find("\n\n").map_or(0, |n| n + 2);
    let body = &text[header_end..];
    if prettyplease::unparse(&file) == body {
        Ok(())
    } else {
        Err(format!("the generated code is not as prettyplease prints it:\n{body}"))
    }
}

#[test]
fn generated_code_parses_and_is_printed_by_prettyplease() {
    for case in CASES {
        let generated = generate_case(case);
        if let Err(e) = assert_printed_by_prettyplease(&generated.contracts_rs) {
            panic!("{case}: {e}");
        }
    }
}

#[test]
fn spec_pools_json_has_the_classes_of_section_2() {
    let generated = generate_case("spec");
    let v: serde_json::Value = serde_json::from_str(&generated.pools_json).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        r#"{"version": "1.2.0",
            "services": {"polygon-adapter": {"buffer_pool_enabled": true,
                                             "size_classes": [{"size": 128, "capacity": 1024}, {"size": 256, "capacity": 512}],
                                             "messages": {"SwapEvent": 128, "PoolStateUpdate": 256}}}}"#,
    )
    .unwrap();
    assert_eq!(v, expected);
}
