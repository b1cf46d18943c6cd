//! The committed generated files (`src/generated/`) are what the generator writes for the
//! repository's contracts. Like rust-analyzer's `ensure_file_contents`: a stale file is
//! rewritten and the test fails, so `cargo test` alone catches (and fixes) stale output.

use std::path::Path;

use mycelium_contracts::codegen::{self, Options};
use mycelium_contracts::load;
use mycelium_contracts::model::Contracts;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `contracts/contracts.yaml`, through the loader. (The repository has no `contracts/services.toml`;
/// `cargo xtask codegen` merges one when it exists.)
fn repository_contracts() -> Contracts {
    assert!(!repo_root().join("contracts/services.toml").exists(), "merge contracts/services.toml here too");
    let doc = load::load_file(&repo_root().join(codegen::REPOSITORY_CONTRACTS)).unwrap();
    crate::golden::model_of(&doc)
}

#[test]
fn committed_generated_files_are_fresh() {
    let generated = codegen::generate(&repository_contracts(), &Options::default()).unwrap();
    let stale: Vec<_> = codegen::compare_committed(repo_root(), &generated).into_iter().filter(|c| c.stale).collect();
    for c in &stale {
        std::fs::write(repo_root().join(c.path), &c.expected).unwrap();
    }
    let paths: Vec<&str> = stale.iter().map(|c| c.path).collect();
    assert!(paths.is_empty(), "{paths:?} were not up to date and have been rewritten; run `cargo xtask codegen`");
}

#[test]
fn check_fresh_finds_nothing_in_this_repository() {
    let d = codegen::check_fresh(repo_root(), &repository_contracts());
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert!(d.is_empty(), "{messages:?}");
}

#[test]
fn a_stale_file_is_a_located_generated_stale_finding() {
    let generated = codegen::generate(&repository_contracts(), &Options::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/generated")).unwrap();
    let edited = generated.contracts_rs.clone();
    let edited = edited.replacen("const MAX_SIZE: usize = 84;", "const MAX_SIZE: usize = 85;", 1);
    std::fs::write(dir.path().join(codegen::COMMITTED_CONTRACTS_RS), &edited).unwrap();
    std::fs::write(dir.path().join(codegen::COMMITTED_POOLS_JSON), &generated.pools_json).unwrap();
    let d = codegen::stale_diagnostics(dir.path(), &generated);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code.as_str(), "generated-stale");
    assert_eq!(d[0].help.as_deref(), Some("run `cargo xtask codegen`"));
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!(loc.source.name(), "src/generated/contracts.rs");
    let expected_line = edited.lines().position(|l| l.contains("= 85;")).unwrap() + 1;
    assert_eq!((loc.line, loc.column), (expected_line, 5), "at the text after the indentation");

    // A missing file is stale too.
    std::fs::remove_file(dir.path().join(codegen::COMMITTED_POOLS_JSON)).unwrap();
    let d = codegen::stale_diagnostics(dir.path(), &generated);
    assert_eq!(d.len(), 2);
    assert!(d[1].message.contains("pools.json"), "{}", d[1].message);
}

/// `examples/adopter` commits generated code and schemas of its own; like the files above, a
/// stale one is rewritten and the test fails.
#[test]
fn the_adopter_example_generated_files_and_schemas_are_fresh() {
    use mycelium_contracts::codegen::command::{CodegenArgs, run};
    use mycelium_contracts::config::Config;
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
