//! The committed generated files (`src/generated/`) are what the generator writes for the
//! repository's contracts. Like rust-analyzer's `ensure_file_contents`: a stale file is
//! rewritten and the test fails, so `cargo test` alone catches (and fixes) stale output.

use std::path::Path;

use mycelium_contracts::codegen::{self, Options};
use mycelium_contracts::command::codegen::{CodegenArgs, run};
use mycelium_contracts::config::Config;
use mycelium_contracts::load;
use mycelium_contracts::model::Contracts;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `contracts/contracts.yaml`, through the loader. (The repository has no `contracts/services.toml`;
/// `cargo xtask codegen` merges one when it exists.)
fn repository_contracts() -> Contracts {
    assert!(!repo_root().join("contracts/services.toml").exists(), "merge contracts/services.toml here too");
    let doc = load::load_file(&repo_root().join("contracts/contracts.yaml")).unwrap();
    crate::golden::model_of(&doc)
}

/// `cargo xtask codegen` in this repository, in-process: a stale file is rewritten and the
/// test fails.
#[test]
fn committed_generated_files_are_fresh() {
    let config = Config::discover(repo_root()).unwrap();
    assert!(config.generated.as_deref().is_some_and(|g| g.ends_with("src/generated")), "{config:?}");
    let out = run(&CodegenArgs::default(), &config);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("wrote"), "{}; run `cargo xtask codegen`", out.stderr);
}

#[test]
fn the_configured_generated_files_have_no_stale_finding() {
    let config = Config::discover(repo_root()).unwrap();
    let d = codegen::stale_findings(&config, &config.contracts, &repository_contracts(), "cargo xtask");
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert!(d.is_empty(), "{messages:?}");
}

#[test]
fn a_stale_file_is_a_located_generated_stale_finding() {
    let generated = codegen::generate(&repository_contracts(), &Options::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edited = generated.contracts_rs.clone();
    let edited = edited.replacen("const MAX_SIZE: usize = 84;", "const MAX_SIZE: usize = 85;", 1);
    std::fs::write(dir.path().join("contracts.rs"), &edited).unwrap();
    std::fs::write(dir.path().join("pools.json"), &generated.pools_json).unwrap();
    let d = codegen::stale_in(dir.path(), &generated, "cargo xtask");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code.as_str(), "generated-stale");
    assert_eq!(d[0].help.as_deref(), Some("run `cargo xtask codegen`"));
    let loc = d[0].location.as_ref().unwrap();
    assert!(loc.source.name().ends_with("/contracts.rs"), "{}", loc.source.name());
    let expected_line = edited.lines().position(|l| l.contains("= 85;")).unwrap() + 1;
    assert_eq!((loc.line, loc.column), (expected_line, 5), "at the text after the indentation");

    // A missing file is stale too.
    std::fs::remove_file(dir.path().join("pools.json")).unwrap();
    let d = codegen::stale_in(dir.path(), &generated, "cargo xtask");
    assert_eq!(d.len(), 2);
    assert!(d[1].message.contains("pools.json"), "{}", d[1].message);
}

/// `examples/adopter` commits generated code and schemas of its own; like the files above, a
/// stale one is rewritten and the test fails.
#[test]
fn the_adopter_example_generated_files_and_schemas_are_fresh() {
    use mycelium_contracts::schema::{self, Outcome};

    let config = Config::discover(&repo_root().join("examples/adopter")).unwrap();
    assert!(config.generated.as_deref().is_some_and(|g| g.ends_with("trading/src/contracts")), "{config:?}");
    let out = run(&CodegenArgs::default(), &config);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("wrote"), "{}; run `cargo xtask codegen` in examples/adopter", out.stderr);
    let files = schema::ensure_schemas(&config.schema, schema::Mode::Write, "cargo xtask schema").unwrap();
    let rewritten: Vec<_> = files.iter().filter(|(_, o)| *o == Outcome::Updated).collect();
    assert!(rewritten.is_empty(), "{rewritten:?} were not up to date and have been rewritten");
}
