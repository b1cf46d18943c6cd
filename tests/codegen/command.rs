//! `codegen` and the `generated-stale` finding of `check-contracts`, run in-process, in this
//! repository and in others configured by their `Cargo.toml`.

use std::path::{Path, PathBuf};

use mycelium_contracts::command::check::{CheckArgs, run as check_contracts};
use mycelium_contracts::command::codegen::{CodegenArgs, run};
use mycelium_contracts::config::Config;

fn repository_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// This repository's configuration.
fn config() -> Config {
    Config::discover(repository_root()).unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn out_dir_writes_any_contracts_and_check_reports_a_stale_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = "tests/codegen/fixtures/evolution_v1/contracts.json";
    let args = CodegenArgs { contracts: Some(case.into()), out: Some(dir.path().into()), ..Default::default() };
    let out = run(&args, &config());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let golden = repository_root().join("tests/codegen/fixtures/evolution_v1");
    assert_eq!(read(&dir.path().join("contracts.rs")), read(&golden.join("expected.rs")));
    assert_eq!(read(&dir.path().join("pools.json")), read(&golden.join("expected_pools.json")));

    let check = CodegenArgs { check: true, ..args.clone() };
    assert_eq!(run(&check, &config()).code, 0);
    std::fs::write(dir.path().join("pools.json"), "{}").unwrap();
    let out = run(&check, &config());
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("pools.json` is not up to date: run `cargo xtask codegen`"), "{}", out.stderr);
    assert_eq!(read(&dir.path().join("pools.json")), "{}", "--check writes nothing");
    assert_eq!(run(&args, &config()).code, 0);
    assert_eq!(run(&check, &config()).code, 0);
}

#[test]
fn the_repository_contracts_go_to_the_committed_place() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("contracts")).unwrap();
    std::fs::copy(repository_root().join("contracts/contracts.yaml"), root.path().join("contracts/contracts.yaml"))
        .unwrap();
    std::fs::write(
        root.path().join("Cargo.toml"),
        "[workspace.metadata.mycelium-contracts]\ngenerated = \"src/generated\"\nserde = \"serde\"\n",
    )
    .unwrap();
    let config = Config::discover(root.path()).unwrap();
    let args = CodegenArgs { contracts: Some(root.path().join("contracts/contracts.yaml")), ..Default::default() };
    let out = run(&args, &config);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for f in ["src/generated/contracts.rs", "src/generated/pools.json"] {
        assert_eq!(read(&root.path().join(f)), read(&repository_root().join(f)), "{f}");
    }
}

#[test]
fn other_contracts_need_out() {
    let args = CodegenArgs {
        contracts: Some(PathBuf::from("tests/codegen/fixtures/spec/contracts.yaml")),
        ..Default::default()
    };
    let out = run(&args, &config());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--out DIR"), "{}", out.stderr);
}

#[test]
fn contracts_with_errors_generate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "version: 1.0.0\nmessages:\n  - name: A\n    type_id: 1\n    fields:\n      - { name: x, type: Nope }\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let args = CodegenArgs { contracts: Some(bad), out: Some(out_dir.clone()), ..Default::default() };
    let out = run(&args, &config());
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("unknown-type"), "{}", out.stdout);
    assert!(!out_dir.exists());
    let missing =
        CodegenArgs { contracts: Some(dir.path().join("nope.yaml")), out: Some(out_dir), ..Default::default() };
    assert_eq!(run(&missing, &config()).code, 2);
}

#[test]
fn check_contracts_finds_the_committed_files_fresh() {
    let args = CheckArgs { contracts: Some(repository_root().join("contracts/contracts.yaml")), ..Default::default() };
    let out = check_contracts(&args, &config());
    assert!(!out.stdout.contains("generated-stale"), "{}", out.stdout);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn services_files_are_merged_into_the_generated_pools() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services.toml");
    std::fs::write(
        &services,
        "[service.recorder]\nmessages = [\"PoolStateUpdate\"]\nbuffer_pool_enabled = false\nlog_level = \"info\"\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let args = CodegenArgs {
        contracts: Some("tests/codegen/fixtures/spec/contracts.yaml".into()),
        services: vec![services],
        out: Some(out_dir.clone()),
        ..Default::default()
    };
    let out = run(&args, &config());
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let pools: serde_json::Value = serde_json::from_str(&read(&out_dir.join("pools.json"))).unwrap();
    assert_eq!(pools["services"]["recorder"]["buffer_pool_enabled"], false);
    assert_eq!(pools["services"]["recorder"]["messages"]["PoolStateUpdate"], 256);
    assert_eq!(pools["services"]["polygon-adapter"]["size_classes"][1]["capacity"], 512);
    assert!(read(&out_dir.join("contracts.rs")).contains("    pub mod recorder {\n"));
}

/// A repository of a user's: a `Cargo.toml` with the configuration table, contracts, and
/// generated code under `app/src/contracts/`.
fn adopter_repository() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\"]\n\n[workspace.metadata.mycelium-contracts]\n\
         contracts = \"idl/contracts.yaml\"\nservices = [\"idl/services.toml\"]\ngenerated = \"app/src/contracts\"\n",
    );
    write(
        "idl/contracts.yaml",
        "version: 1.0.0\nmessages:\n  - name: Ping\n    type_id: 1\n    fields:\n      - { name: seq, type: u64 }\n",
    );
    write("idl/services.toml", "[service.pinger]\nmessages = [\"Ping\"]\n");
    root
}

#[test]
fn another_repository_generates_to_its_configured_place_and_check_contracts_finds_stale_files() {
    let root = adopter_repository();
    let config = Config::discover(&root.path().join("app")).unwrap();
    let out = run(&CodegenArgs { program: "mycelium-contracts".into(), ..Default::default() }, &config);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let rs = read(&root.path().join("app/src/contracts/contracts.rs"));
    assert!(rs.starts_with("// @generated by mycelium-contracts from `idl/contracts.yaml`"), "{rs}");
    assert!(!rs.contains("serde"), "no serde derives unless configured");
    assert!(read(&root.path().join("app/src/contracts/pools.json")).contains("\"pinger\""));

    let check = CheckArgs { program: "mycelium-contracts".into(), ..Default::default() };
    let out = check_contracts(&check, &config);
    assert_eq!(out.code, 0, "{}", out.stdout);

    std::fs::write(root.path().join("idl/services.toml"), "[service.pinger]\nmessages = []\n").unwrap();
    let out = check_contracts(&check, &config);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("generated-stale"), "{}", out.stdout);
    assert!(out.stdout.contains("app/src/contracts/pools.json"), "{}", out.stdout);
    assert!(out.stdout.contains("run `mycelium-contracts codegen`"), "{}", out.stdout);
    let out = run(&CodegenArgs { check: true, program: "mycelium-contracts".into(), ..Default::default() }, &config);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("pools.json` is not up to date: run `mycelium-contracts codegen`"), "{}", out.stderr);
}

#[test]
fn without_a_configured_place_codegen_asks_for_out() {
    let root = adopter_repository();
    let mut config = Config::discover(root.path()).unwrap();
    config.generated = None;
    let out = run(&CodegenArgs::default(), &config);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("give `--out DIR`, or set `generated`"), "{}", out.stderr);
}
