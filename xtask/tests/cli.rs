//! The `xtask` binary as a user runs it: exit codes, argument errors, default paths relative
//! to the current directory, and output on the right stream.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(dir).output().expect("xtask runs")
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn bundled_contracts_pass_and_show_the_pool_plan() {
    let out = xtask(repo_root(), &["check-contracts"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("polygon-adapter"), "{stdout}");
    assert!(stdout.contains("128 B x 1024 buffers = 128 KiB"), "{stdout}");
    assert!(stdout.trim_end().ends_with("no findings"), "{stdout}");
}

#[test]
fn json_format_prints_one_document() {
    let out = xtask(repo_root(), &["check-contracts", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["ok"], true);
    assert!(json["compat"].is_null());
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["check-contracts", "--format", "xml"][..],
        &["check-contracts", "--base", "HEAD", "--base-file", "x.yaml"],
        &["check-contracts", "--no-such-flag"],
        &["no-such-command"],
    ] {
        let out = xtask(repo_root(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn a_missing_contracts_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask(dir.path(), &["check-contracts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read `contracts/contracts.yaml`"), "{}", text(&out.stderr));
}

#[test]
fn the_default_services_file_is_read_from_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("contracts")).unwrap();
    std::fs::copy(repo_root().join("contracts/contracts.yaml"), dir.path().join("contracts/contracts.yaml")).unwrap();
    std::fs::write(dir.path().join("contracts/services.toml"), "[service.polygon-adapter]\nmessages = []\n").unwrap();
    let out = xtask(dir.path(), &["check-contracts", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stdout),
        "::error file=contracts/services.toml,line=1,col=10,title=duplicate-service::service `polygon-adapter` \
         is declared twice\n"
    );
    // An explicit --services replaces the default file.
    std::fs::write(dir.path().join("other.toml"), "[service.new-service]\nmessages = [\"SwapEvent\"]\n").unwrap();
    let out = xtask(dir.path(), &["check-contracts", "--services", "other.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("new-service"));
}

#[test]
fn schema_check_passes_on_the_committed_schema() {
    let out = xtask(repo_root(), &["schema", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
