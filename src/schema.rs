//! The JSON Schema of a contracts document, generated from the [`model`](crate::model) with
//! schemars (draft 2020-12) and committed as `schema/contracts.schema.json`.
//!
//! `cargo xtask schema` writes the file and `cargo xtask schema --check` verifies it; a test
//! calls [`ensure_file_contents`] in check mode, so `cargo test` alone catches a stale schema.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Contracts;

/// Path of the committed schema, relative to the repository root.
pub const SCHEMA_PATH: &str = "schema/contracts.schema.json";

/// The schema as a JSON value.
pub fn contracts_schema() -> serde_json::Value {
    // schemars annotates integers with non-standard formats (`uint16`, `uint32`); the ranges
    // already say everything, and strict validators (ajv) reject unknown formats.
    let drop_int_formats = schemars::transform::RecursiveTransform(|schema: &mut schemars::Schema| {
        if schema.get("format").and_then(|f| f.as_str()).is_some_and(|f| f.starts_with("uint") || f.starts_with("int"))
        {
            schema.remove("format");
        }
    });
    let generator =
        schemars::generate::SchemaSettings::draft2020_12().with_transform(drop_int_formats).into_generator();
    generator.into_root_schema_for::<Contracts>().to_value()
}

/// The schema as the committed file holds it: pretty-printed JSON with a final newline.
pub fn contracts_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&contracts_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether [`ensure_file_contents`] rewrites a stale file or only reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write the file when it differs.
    Write,
    /// Write nothing; a differing file is an error.
    Check,
}

/// What [`ensure_file_contents`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The file already held the expected contents.
    UpToDate,
    /// The file differed (or was missing) and was rewritten.
    Updated,
}

/// Why [`ensure_file_contents`] failed.
#[derive(Debug)]
pub enum EnsureError {
    /// Check mode: the file differs from what the generator writes.
    Stale {
        /// The file.
        path: PathBuf,
        /// The command that regenerates it.
        command: &'static str,
    },
    /// The file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
}

impl fmt::Display for EnsureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnsureError::Stale { path, command } => {
                write!(f, "{} was not up-to-date, run `{command}` locally", path.display())
            }
            EnsureError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for EnsureError {}

/// Makes `path` hold `contents` (rust-analyzer's `ensure_file_contents`): in [`Mode::Write`]
/// rewrites a differing file, in [`Mode::Check`] reports it as [`EnsureError::Stale`].
/// Line endings are compared normalized, so a checkout with CRLF is not stale.
pub fn ensure_file_contents(
    path: &Path,
    contents: &str,
    mode: Mode,
    command: &'static str,
) -> Result<Outcome, EnsureError> {
    let io = |error| EnsureError::Io { path: path.to_path_buf(), error };
    match std::fs::read_to_string(path) {
        Ok(old) if old.replace("\r\n", "\n") == contents => return Ok(Outcome::UpToDate),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    if mode == Mode::Check {
        return Err(EnsureError::Stale { path: path.to_path_buf(), command });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, contents).map_err(io)?;
    Ok(Outcome::Updated)
}

/// Writes or checks `schema/contracts.schema.json` under the repository root `root`.
pub fn ensure_schema(root: &Path, mode: Mode) -> Result<Outcome, EnsureError> {
    ensure_file_contents(&root.join(SCHEMA_PATH), &contracts_schema_text(), mode, "cargo xtask schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_is_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        if let Err(e) = ensure_schema(root, Mode::Check) {
            panic!("{e}");
        }
    }
}
