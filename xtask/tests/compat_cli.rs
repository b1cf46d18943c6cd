//! The compatibility flags of `check-contracts` as a user runs them: `--list-rules`,
//! `--explain`, `--format markdown` and `--base` against the repository itself.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(root).output().expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn list_rules_prints_every_rule() {
    let out = xtask(&["check-contracts", "--list-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for code in ["message-removed", "size-class-grew", "field-appended", "pool-setting-changed"] {
        assert!(stdout.contains(code), "{stdout}");
    }
    assert_eq!(stdout.lines().filter(|l| l.contains(" major ")).count(), 18, "{stdout}");
}

#[test]
fn explain_prints_one_rule_and_unknown_codes_exit_2() {
    let out = xtask(&["check-contracts", "--explain", "size-class-grew"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("rejects payloads larger than its buffer class"));
    let out = xtask(&["check-contracts", "--explain", "size-class-grow"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `size-class-grew`?"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn markdown_against_the_bundled_contracts_as_base_file() {
    let out = xtask(&["check-contracts", "--format", "markdown", "--base-file", "contracts/contracts.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("### Contract compatibility: passes"), "{stdout}");
    assert!(stdout.contains("No changes."), "{stdout}");
}

#[test]
fn an_unknown_revision_exits_2() {
    let out = xtask(&["check-contracts", "--base", "no-such-revision-anywhere"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("unknown git revision `no-such-revision-anywhere`"), "{}", text(&out.stderr));
}
