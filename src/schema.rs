//! The JSON Schemas of a contracts document and of a service-config file, generated from the
//! [`model`](crate::model) with schemars (draft 2020-12). This repository commits them as
//! `schema/contracts.schema.json` and `schema/services.schema.json`; any repository gets them
//! from `schema` (in its configured `schema` directory) for editors to validate and complete
//! its files.
//!
//! `schema` writes the files and `schema --check` verifies them; a test calls
//! [`ensure_file_contents`] in check mode, so `cargo test` alone catches a stale schema.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Contracts;

/// File name of the contracts documents' schema in a schema directory.
pub const CONTRACTS_SCHEMA_FILE: &str = "contracts.schema.json";
/// File name of the service-config files' schema in a schema directory.
pub const SERVICES_SCHEMA_FILE: &str = "services.schema.json";

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

/// The schema of a service-config file (`[service.NAME]` tables), as a JSON value: the
/// contracts schema's `services` and service definition, where a service table may hold keys
/// of its own (they belong to the service and are ignored).
pub fn services_schema() -> serde_json::Value {
    let contracts = contracts_schema();
    let mut service = contracts["$defs"]["ServiceDef"].clone();
    service["additionalProperties"] = serde_json::Value::Bool(true);
    service["description"] =
        "One service: the messages it handles and whether it gets a buffer pool. Other keys belong to the service and are ignored."
            .into();
    let mut services = contracts["properties"]["services"].clone();
    services["additionalProperties"] = service;
    services["description"] = "The services, by kebab-case name (`[service.NAME]`).".into();
    serde_json::json!({
        "$schema": contracts["$schema"].clone(),
        "title": "Service configuration",
        "description": "A service-config file of mycelium-contracts: `[service.NAME]` tables. Keys other than `service` are ignored.",
        "type": "object",
        "properties": { "service": services },
    })
}

/// `value` with the keys of every object in sorted order. serde_json keeps insertion order when
/// another crate in the build enables its `preserve_order` feature, and sorted order otherwise;
/// sorting explicitly makes the committed file the same in every build.
fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// The schema as the committed file holds it: pretty-printed JSON with the keys of every object
/// sorted, and a final newline.
pub fn contracts_schema_text() -> String {
    schema_text(contracts_schema())
}

/// The service-config schema as a file holds it (see [`contracts_schema_text`]).
pub fn services_schema_text() -> String {
    schema_text(services_schema())
}

fn schema_text(value: serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
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
        command: String,
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
pub fn ensure_file_contents(path: &Path, contents: &str, mode: Mode, command: &str) -> Result<Outcome, EnsureError> {
    let io = |error| EnsureError::Io { path: path.to_path_buf(), error };
    match std::fs::read_to_string(path) {
        Ok(old) if old.replace("\r\n", "\n") == contents => return Ok(Outcome::UpToDate),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    if mode == Mode::Check {
        return Err(EnsureError::Stale { path: path.to_path_buf(), command: command.to_string() });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, contents).map_err(io)?;
    Ok(Outcome::Updated)
}

/// Writes or checks both schemas in the directory `dir` ([`CONTRACTS_SCHEMA_FILE`],
/// [`SERVICES_SCHEMA_FILE`]); `command` is how the user regenerates them. Returns each file with
/// what was done; in [`Mode::Check`] the first stale file is the error.
pub fn ensure_schemas(dir: &Path, mode: Mode, command: &str) -> Result<Vec<(PathBuf, Outcome)>, EnsureError> {
    [(CONTRACTS_SCHEMA_FILE, contracts_schema_text()), (SERVICES_SCHEMA_FILE, services_schema_text())]
        .into_iter()
        .map(|(file, text)| {
            let path = dir.join(file);
            ensure_file_contents(&path, &text, mode, command).map(|o| (path, o))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_keys_are_sorted_whatever_the_map_type() {
        let v = serde_json::json!({"b": {"z": 1, "a": [{"y": 2, "x": 3}]}, "a": null});
        let text = serde_json::to_string(&sorted(v)).unwrap();
        assert_eq!(text, r#"{"a":null,"b":{"a":[{"x":3,"y":2}],"z":1}}"#);
    }

    #[test]
    fn committed_schemas_are_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        if let Err(e) = ensure_schemas(&root.join("schema"), Mode::Check, "cargo xtask schema") {
            panic!("{e}");
        }
    }

    #[test]
    fn the_services_schema_accepts_service_keys_of_their_own_and_checks_the_rest() {
        let schema = services_schema();
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let ok = serde_json::json!({"service": {"a-b": {"messages": ["X"], "log_level": "info"}}, "other": 1});
        assert!(validator.is_valid(&ok));
        for bad in [
            serde_json::json!({"service": {"Bad_Name": {"messages": []}}}),
            serde_json::json!({"service": {"a": {"buffer_pool_enabled": true}}}),
            serde_json::json!({"service": {"a": {"messages": "X"}}}),
        ] {
            assert!(!validator.is_valid(&bad), "{bad}");
        }
    }
}
