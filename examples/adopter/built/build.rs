//! Checks the contracts configured in the workspace's `Cargo.toml` and writes `contracts.rs`
//! and `pools.json` to `OUT_DIR`; an error in the contracts fails the build with the rendered
//! diagnostics.

use mycelium_contracts::build::{Builder, Serde};

fn main() {
    if let Err(e) = Builder::new().serde(Serde::Derive).compile() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
