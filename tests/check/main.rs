//! Integration tests of the checker: every finding code in every format, the rendered human
//! output (insta snapshots), the JSON report and its shape, service-config files and the
//! `check-contracts` command's exit codes, and the documentation generated from the code.

mod command;
mod decode;
mod docs;
mod fixtures;
mod formats;
mod human;
mod json_report;
mod report_schema;
mod schema_errors;
mod services;

/// This repository's configuration (`[workspace.metadata.mycelium-contracts]` of its
/// `Cargo.toml`), the one `cargo xtask` runs with.
fn repo() -> mycelium_contracts::config::Config {
    mycelium_contracts::config::Config::discover(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}
