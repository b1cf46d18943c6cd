//! `check-contracts --base GIT_REV | --base-file PATH`, run in-process: exit codes, the
//! `compat` JSON object, base findings, and a real git repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::repo;
use mycelium_contracts::command::CommandOutput;
use mycelium_contracts::command::check::{Base, CheckArgs, run};
use mycelium_contracts::report::OutputFormat;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from("tests/compat/fixtures").join(name)
}

fn check(contracts: &Path, base: Base, format: OutputFormat) -> CommandOutput {
    run(
        &CheckArgs { contracts: Some(contracts.to_path_buf()), base: Some(base), format, ..CheckArgs::default() },
        &repo(),
    )
}

fn json_of(out: &CommandOutput) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr))
}

#[test]
fn the_compat_object_is_exactly_as_the_spec_shows() {
    let out = check(&fixture("pr-new.yaml"), Base::File(fixture("pr-base.yaml")), OutputFormat::Json);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json_of(&out);
    let compat = &v["compat"];
    // Keys in the documented order, in the printed text.
    let text = &out.stdout[out.stdout.find("\"compat\"").unwrap()..];
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} missing"));
    let order = ["base_version", "version", "required_bump", "declared_bump", "changes", "code", "bump", "message"];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{text}");
    let order = ["code", "bump", "message", "file", "line", "column", "witness"];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{text}");
    assert_eq!(compat["base_version"], "1.0.0");
    assert_eq!(compat["version"], "1.1.0");
    assert_eq!(compat["required_bump"], "major");
    assert_eq!(compat["declared_bump"], "minor");
    assert_eq!(
        compat["changes"][0],
        json!({"code": "size-class-grew", "bump": "major",
               "message": "SwapEvent: buffer class 128 -> 256 (MAX_SIZE 84 -> 166)",
               "file": "tests/compat/fixtures/pr-new.yaml", "line": 5, "column": 11,
               "witness": "a 1.0.0 reader rejects a 1.1.0 SwapEvent: 166 bytes over its limit of 128"})
    );
    assert_eq!(compat.as_object().unwrap().len(), 5);
    assert_eq!(compat["changes"][0].as_object().unwrap().len(), 7);
    // Changes that leave the wire as it was carry no witness.
    let services = compat["changes"].as_array().unwrap().iter().find(|c| c["code"] == "service-message-added").unwrap();
    assert_eq!(services.get("witness"), None);
    // A removal is located in the base document.
    let removed = compat["changes"].as_array().unwrap().iter().find(|c| c["code"] == "field-removed").unwrap();
    assert_eq!(removed["file"], "tests/compat/fixtures/pr-base.yaml");
    assert_eq!(removed["line"], 34);
    // The version finding is an error at the new `version` value.
    assert_eq!(v["ok"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "version-bump-too-small");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(10)));
}

#[test]
fn a_sufficient_bump_exits_0_and_no_base_gives_null() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.yaml");
    let text = std::fs::read_to_string(fixture("pr-new.yaml")).unwrap().replace("version: 1.1.0", "version: 2.0.0");
    std::fs::write(&new, text).unwrap();
    let out = check(&new, Base::File(fixture("pr-base.yaml")), OutputFormat::Json);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json_of(&out)["compat"]["declared_bump"], "major");
    let out = run(&CheckArgs { contracts: Some(new), format: OutputFormat::Json, ..CheckArgs::default() }, &repo());
    assert_eq!(json_of(&out)["compat"], Value::Null);
}

#[test]
fn a_json_base_against_yaml_contracts() {
    let new = PathBuf::from("tests/compat/cases/size-class-grew/new.yaml");
    let out = check(&new, Base::File(fixture("base.json")), OutputFormat::Json);
    let v = json_of(&out);
    let codes: Vec<&str> =
        v["compat"]["changes"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["size-class-grew", "field-appended"]);
    // Same version on both sides: not bumped.
    assert_eq!(v["diagnostics"][0]["code"], "version-not-bumped");
    assert_eq!(out.code, 1);
}

#[test]
fn findings_in_the_base_are_reported_as_such_and_do_not_hide_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.yaml");
    // The base has an unknown type and a service naming an unknown message.
    std::fs::write(
        &base,
        "version: 1.0.0\nmessages:\n  - name: A\n    type_id: 1\n    fields:\n      - { name: x, type: Nope }\n  - name: B\n    type_id: 2\n    fields:\n      - { name: y, type: u8 }\nservices:\n  s:\n    messages: [B, Gone]\n",
    )
    .unwrap();
    let new = dir.path().join("new.yaml");
    std::fs::write(
        &new,
        "version: 1.0.0\nmessages:\n  - name: A\n    type_id: 1\n    fields:\n      - { name: x, type: u8 }\n  - name: B\n    type_id: 2\n    fields:\n      - { name: y, type: u16 }\nservices:\n  s:\n    messages: [B]\n",
    )
    .unwrap();
    let out = check(&new, Base::File(base.clone()), OutputFormat::Json);
    let v = json_of(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    let base_findings: Vec<&Value> = diags.iter().filter(|d| d["file"] == base.display().to_string()).collect();
    assert_eq!(base_findings.len(), 2, "{diags:#?}");
    for d in &base_findings {
        assert!(d["message"].as_str().unwrap().starts_with("in the base: "), "{d}");
        assert_eq!(d["severity"], "warning");
    }
    let codes: Vec<&str> =
        v["compat"]["changes"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"field-type-changed"), "{codes:?}");
    assert!(codes.contains(&"service-message-removed"), "{codes:?}");
    // The only error is the new contracts' own: the version was not bumped.
    let errors: Vec<&str> =
        diags.iter().filter(|d| d["severity"] == "error").map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(errors, ["version-not-bumped"]);
}

#[test]
fn a_missing_base_file_exits_2() {
    let out = check(&fixture("pr-new.yaml"), Base::File(PathBuf::from("/nonexistent/base.yaml")), OutputFormat::Json);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("/nonexistent/base.yaml"), "{}", out.stderr);
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn base_revision_in_a_real_git_repository() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    git(root, &["init", "-q"]);
    std::fs::write(root.join("README"), "no contracts yet\n").unwrap();
    git(root, &["add", "README"]);
    git(root, &["commit", "-q", "-m", "first"]);
    let first = git(root, &["rev-parse", "HEAD"]);
    std::fs::create_dir(root.join("contracts")).unwrap();
    let path = root.join("contracts/contracts.yaml");
    std::fs::copy(fixture("pr-base.yaml"), &path).unwrap();
    git(root, &["add", "contracts/contracts.yaml"]);
    git(root, &["commit", "-q", "-m", "contracts 1.0.0"]);
    // The working tree has the pull request's change.
    std::fs::copy(fixture("pr-new.yaml"), &path).unwrap();

    let out = check(&path, Base::Rev("HEAD".into()), OutputFormat::Json);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json_of(&out);
    assert_eq!(v["compat"]["base_version"], "1.0.0");
    assert_eq!(v["compat"]["required_bump"], "major");
    let removed = v["compat"]["changes"].as_array().unwrap().iter().find(|c| c["code"] == "field-removed").unwrap();
    assert_eq!(removed["file"], "HEAD:contracts/contracts.yaml");
    assert_eq!(removed["line"], 34);

    // Any revision syntax git knows works.
    let rel = check(&path, Base::Rev("HEAD~0".into()), OutputFormat::Json);
    assert_eq!(json_of(&rel)["compat"]["required_bump"], "major");

    // Committed with the bump: HEAD is the new version, HEAD~1 the base.
    let bumped = std::fs::read_to_string(&path).unwrap().replace("version: 1.1.0", "version: 2.0.0");
    std::fs::write(&path, bumped).unwrap();
    git(root, &["commit", "-q", "-am", "contracts 2.0.0"]);
    let out = check(&path, Base::Rev("HEAD~1".into()), OutputFormat::Json);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json_of(&out)["compat"]["declared_bump"], "major");

    // A revision git does not know: exit 2 with a clear message.
    let out = check(&path, Base::Rev("no-such-branch".into()), OutputFormat::Json);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown git revision `no-such-branch`"), "{}", out.stderr);
    let out = check(&path, Base::Rev("--output=/tmp/x".into()), OutputFormat::Json);
    assert_eq!(out.code, 2, "{}", out.stderr);

    // The file did not exist at the base: new contracts, no comparison, a note.
    let out = check(&path, Base::Rev(first.clone()), OutputFormat::Json);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json_of(&out)["compat"], Value::Null);
    assert!(out.stderr.contains("new contracts, no compatibility check"), "{}", out.stderr);
    let human = check(&path, Base::Rev(first), OutputFormat::Human);
    assert!(human.stdout.contains("new contracts, no compatibility check"), "{}", human.stdout);
}

#[test]
fn a_file_outside_any_repository_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.yaml");
    std::fs::copy(fixture("pr-new.yaml"), &path).unwrap();
    let out = check(&path, Base::Rev("HEAD".into()), OutputFormat::Json);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not inside a git repository"), "{}", out.stderr);
}
