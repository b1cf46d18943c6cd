//! The `mycelium-contracts` binary as a user runs it in a repository of their own: it reads
//! the configuration table from any directory below the root `Cargo.toml`, names itself in its
//! help and messages, and exits with the same codes as `cargo xtask`.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mycelium-contracts")).args(args).current_dir(dir).output().expect("it runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A user's workspace: the table in the root `Cargo.toml`, contracts under `idl/`.
fn repository() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\"]\n\n[workspace.metadata.mycelium-contracts]\n\
         contracts = \"idl/contracts.yaml\"\nservices = [\"idl/services.toml\"]\ngenerated = \"app/src/contracts\"\n\
         schema = \"idl/schema\"\n",
    );
    write(root.path(), "app/Cargo.toml", "[package]\nname = \"app\"\n");
    write(
        root.path(),
        "idl/contracts.yaml",
        "version: 1.0.0\nmessages:\n  - name: Ping\n    type_id: 1\n    fields:\n      - { name: seq, type: u64 }\n",
    );
    write(root.path(), "idl/services.toml", "[service.pinger]\nmessages = [\"Ping\"]\n");
    root
}

#[test]
fn help_names_the_binary() {
    let out = run(Path::new("."), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("Usage: mycelium-contracts <COMMAND>"), "{help}");
    assert!(!help.contains("xtask"), "{help}");
}

#[test]
fn every_command_reads_the_configuration_from_a_subdirectory() {
    let root = repository();
    let app = root.path().join("app");
    let out = run(&app, &["codegen"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("wrote src/contracts/contracts.rs"), "{}", text(&out.stderr));
    assert!(app.join("src/contracts/pools.json").is_file());

    let out = run(&app, &["check-contracts", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], true);

    let out = run(&app, &["schema"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for f in ["contracts.schema.json", "services.schema.json"] {
        assert!(root.path().join("idl/schema").join(f).is_file(), "{f}");
    }
    assert_eq!(run(&app, &["schema", "--check"]).status.code(), Some(0));

    // A stale generated file is a finding of check-contracts, with this binary in its help.
    write(root.path(), "idl/services.toml", "[service.pinger]\nmessages = []\n");
    let out = run(&app, &["check-contracts", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("::error file=src/contracts/pools.json,line=6,col=7,title=generated-stale::"), "{stdout}");
    assert!(stdout.contains("differs from what `mycelium-contracts codegen` writes"), "{stdout}");
    let out = run(&app, &["codegen", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("run `mycelium-contracts codegen`"), "{}", text(&out.stderr));

    // Flags override the table.
    let out = run(&app, &["check-contracts", "--services", "../idl/none.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("../idl/none.toml"), "{}", text(&out.stderr));
}

#[test]
fn a_bad_table_exits_2_with_its_location() {
    let root = repository();
    write(root.path(), "Cargo.toml", "[workspace.metadata.mycelium-contracts]\ncontracts = [\"a.yaml\"]\n");
    let out = run(root.path(), &["check-contracts"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Cargo.toml:2:13: `contracts` must be a path"), "{stderr}");
}
