//! Loading test documents into the model.

use std::path::Path;

use mycelium_contracts::compat::{self, Change, Side};
use mycelium_contracts::load;
use mycelium_contracts::model::{Contracts, Layout};

/// Reads a contracts document (YAML, JSON or TOML by extension) through the loader into the
/// model.
pub fn contracts(path: &Path) -> Contracts {
    let doc = load::load_file(path).unwrap_or_else(|d| panic!("{}: {}", path.display(), d.message));
    serde_json::from_value(doc.value).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Diffs two documents.
pub fn diff_files(old: &Path, new: &Path) -> (Contracts, Contracts, Vec<Change>) {
    let (b, n) = (contracts(old), contracts(new));
    let (bl, nl) = (Layout::compute(&b), Layout::compute(&n));
    let changes = compat::diff(Side::new(&b, &bl), Side::new(&n, &nl));
    (b, n, changes)
}

/// This repository's configuration (`[workspace.metadata.mycelium-contracts]` of its
/// `Cargo.toml`), the one `cargo xtask` runs with.
pub fn repo() -> mycelium_contracts::config::Config {
    mycelium_contracts::config::Config::discover(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}
