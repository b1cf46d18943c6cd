//! `check-contracts` run in-process: exit codes 0 (clean), 1 (an error finding), 2 (could not
//! do its job), and the three output formats.

use std::path::PathBuf;

use crate::repo;
use mycelium_contracts::command::check::{Base, CheckArgs, run};
use mycelium_contracts::report::OutputFormat;

fn bundled() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/contracts.yaml"))
}

fn args(contracts: PathBuf) -> CheckArgs {
    // An explicit (empty) services file keeps the default `contracts/services.toml` lookup
    // (relative to the test's working directory) out of these tests.
    CheckArgs { contracts: Some(contracts), ..CheckArgs::default() }
}

#[test]
fn bundled_contracts_exit_0_in_every_format() {
    for format in [OutputFormat::Human, OutputFormat::Json, OutputFormat::Github] {
        let out = run(&CheckArgs { format, ..args(bundled()) }, &repo());
        assert_eq!(out.code, 0, "{format}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.is_empty());
    }
}

#[test]
fn an_error_finding_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(&path, r#"{"version": "1.0.0", "messages": [], "services": {"a": {"messages": ["X"]}}}"#).unwrap();
    let out = run(&CheckArgs { format: OutputFormat::Json, ..args(path.clone()) }, &repo());
    assert_eq!(out.code, 1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["diagnostics"][0]["code"], "unknown-message");
    assert_eq!(json["diagnostics"][0]["file"], path.display().to_string());
    assert_eq!(json["diagnostics"][0]["help"], "defined messages: none");
}

#[test]
fn a_parse_error_exits_1_not_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.yaml");
    std::fs::write(&path, b"version: \xff\n").unwrap();
    let out = run(&args(path), &repo());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("parse-error"), "{}", out.stdout);
}

#[test]
fn a_missing_path_exits_2() {
    let out = run(&args(PathBuf::from("/nonexistent/contracts.yaml")), &repo());
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.starts_with("error: cannot read `/nonexistent/contracts.yaml`"), "{}", out.stderr);

    let out =
        run(&CheckArgs { services: vec![PathBuf::from("/nonexistent/services.toml")], ..args(bundled()) }, &repo());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("/nonexistent/services.toml"), "{}", out.stderr);
}

#[test]
fn a_base_equal_to_the_contracts_reports_no_changes() {
    // The compatibility check itself is tested in tests/compat; here only the wiring.
    let out =
        run(&CheckArgs { base: Some(Base::File(bundled())), format: OutputFormat::Json, ..args(bundled()) }, &repo());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["compat"]["required_bump"], "none");
    assert_eq!(v["compat"]["changes"], serde_json::json!([]));
}
