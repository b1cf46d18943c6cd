//! The repository's configuration: one table in the root `Cargo.toml`, read by every command and
//! by the build-script [`Builder`](crate::build::Builder).
//!
//! ```toml
//! [workspace.metadata.mycelium-contracts]     # or [package.metadata.mycelium-contracts]
//! contracts = "contracts/contracts.yaml"
//! services = ["contracts/services.toml"]
//! generated = "src/generated"                 # where `codegen` writes; `check-contracts` checks it
//! schema = "schema"                           # where `schema` writes the JSON Schemas
//! serde = false                               # true, false, or the name of a feature of your crate
//! ```
//!
//! [`Config::discover`] walks up from a directory to the first `Cargo.toml` that holds the table.
//! Paths in the table are relative to that `Cargo.toml`. Command-line flags override the table;
//! without a table the defaults of the command line apply, relative to the current directory.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::codegen::Serde;
use crate::load::Pointer;

/// The name of the metadata table: `[workspace.metadata.mycelium-contracts]`.
pub const TABLE: &str = "mycelium-contracts";

/// The contracts document without a `contracts` key (and of the command line without a table),
/// relative to the root.
pub const DEFAULT_CONTRACTS: &str = "contracts/contracts.yaml";
/// The service-config file read when it exists and no `services` key is set, relative to the
/// root.
pub const DEFAULT_SERVICES: &str = "contracts/services.toml";
/// Where `schema` writes without a `schema` key, relative to the root.
pub const DEFAULT_SCHEMA_DIR: &str = "schema";

/// The keys the table may hold.
const KEYS: &[&str] = &["contracts", "services", "generated", "schema", "serde"];

/// A repository's configuration. Paths are absolute, or relative to the current directory when
/// no table was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The `Cargo.toml` holding the table, when one was found.
    pub manifest: Option<PathBuf>,
    /// The directory the table's paths are relative to (the directory of [`Config::manifest`]),
    /// or the empty path (the current directory) without a table.
    pub root: PathBuf,
    /// The contracts document (`contracts`, default `contracts/contracts.yaml`).
    pub contracts: PathBuf,
    /// Service-config files (`services`); `None`: `contracts/services.toml` when it exists.
    pub services: Option<Vec<PathBuf>>,
    /// Where `codegen` writes `contracts.rs` and `pools.json` and `check-contracts` looks for
    /// stale files (`generated`); `None`: nowhere (`codegen` then needs `--out`).
    pub generated: Option<PathBuf>,
    /// Where `schema` writes the JSON Schemas (`schema`, default `schema`).
    pub schema: PathBuf,
    /// How generated types derive serde's traits (`serde`, default none).
    pub serde: Serde,
}

/// A configuration that cannot be read: the message names the file and, for a bad value, its
/// line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn at(doc: &crate::load::Document, pointer: &Pointer, message: impl std::fmt::Display) -> Self {
        let span = doc.spans.locate(pointer.as_str());
        ConfigError::at_offset(doc, span.start, message)
    }

    fn at_key(doc: &crate::load::Document, pointer: &Pointer, message: impl std::fmt::Display) -> Self {
        let span = doc.spans.key(pointer.as_str()).unwrap_or_else(|| doc.spans.locate(pointer.as_str()));
        ConfigError::at_offset(doc, span.start, message)
    }

    fn at_offset(doc: &crate::load::Document, offset: usize, message: impl std::fmt::Display) -> Self {
        let span = offset..offset;
        let (line, column) = doc.source.line_col(span.start);
        ConfigError { message: format!("{}:{line}:{column}: {message}", doc.source.name()) }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The configuration without a table: the command-line defaults, relative to the current
    /// directory.
    pub fn defaults() -> Self {
        Config::rooted(PathBuf::new())
    }

    /// The defaults with paths relative to `root` instead of the current directory.
    pub(crate) fn rooted(root: PathBuf) -> Self {
        Config {
            manifest: None,
            contracts: root.join(DEFAULT_CONTRACTS),
            services: None,
            generated: None,
            schema: root.join(DEFAULT_SCHEMA_DIR),
            serde: Serde::None,
            root,
        }
    }

    /// The configuration of the repository that holds `start`: the table of the first
    /// `Cargo.toml` in `start` or one of its ancestors that has one, else [`Config::defaults`].
    /// A `Cargo.toml` that cannot be parsed, or a table with a bad value, is an error.
    pub fn discover(start: &Path) -> Result<Self, ConfigError> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            let manifest = dir.join("Cargo.toml");
            if !manifest.is_file() {
                continue;
            }
            if let Some(config) = Config::from_manifest(&manifest)? {
                return Ok(config);
            }
        }
        Ok(Config::defaults())
    }

    /// The configuration of the current directory's repository.
    pub fn from_current_dir() -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir()
            .map_err(|e| ConfigError { message: format!("cannot read the current directory: {e}") })?;
        Config::discover(&cwd)
    }

    /// The table of one `Cargo.toml`, or `None` when it has none. Keys of
    /// `[package.metadata.mycelium-contracts]` override those of the workspace table of the
    /// same file.
    pub fn from_manifest(manifest: &Path) -> Result<Option<Self>, ConfigError> {
        let doc = crate::load::load_file(manifest).map_err(|d| match &d.location {
            Some(l) => ConfigError { message: format!("{}:{}:{}: {}", l.source.name(), l.line, l.column, d.message) },
            None => ConfigError { message: d.message.clone() },
        })?;
        let tables: Vec<(&str, &Value)> = ["workspace", "package"]
            .into_iter()
            .filter_map(|section| Some((section, doc.value.get(section)?.get("metadata")?.get(TABLE)?)))
            .collect();
        if tables.is_empty() {
            return Ok(None);
        }
        let root = std::path::absolute(manifest)
            .unwrap_or_else(|_| manifest.to_path_buf())
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf);
        let mut config = Config::rooted(root.clone());
        config.manifest = Some(manifest.to_path_buf());
        for (section, table) in tables {
            let base = Pointer::root().with(section).with("metadata").with(TABLE);
            let Some(table) = table.as_object() else {
                return Err(ConfigError::at(&doc, &base, format!("`{section}.metadata.{TABLE}` must be a table")));
            };
            for (key, value) in table {
                let pointer = base.clone().with(key);
                let bad = |what: &str| ConfigError::at(&doc, &pointer, format!("`{key}` must be {what}"));
                let path = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(|s| root.join(s));
                match key.as_str() {
                    "contracts" => config.contracts = path(value).ok_or_else(|| bad("a path"))?,
                    "generated" => config.generated = Some(path(value).ok_or_else(|| bad("a path"))?),
                    "schema" => config.schema = path(value).ok_or_else(|| bad("a path"))?,
                    "services" => {
                        let list = value.as_array().ok_or_else(|| bad("a list of paths"))?;
                        let paths: Option<Vec<PathBuf>> = list.iter().map(path).collect();
                        config.services = Some(paths.ok_or_else(|| bad("a list of paths"))?);
                    }
                    "serde" => {
                        config.serde = match value {
                            Value::Bool(false) => Serde::None,
                            Value::Bool(true) => Serde::Derive,
                            Value::String(f) if is_feature_name(f) => Serde::Feature(f.clone()),
                            _ => return Err(bad("`true`, `false` or the name of a feature of your crate")),
                        }
                    }
                    _ => {
                        let hint = crate::check::suggest::did_you_mean(key, KEYS.iter().copied())
                            .map(|k| format!("; did you mean `{k}`?"))
                            .unwrap_or_default();
                        return Err(ConfigError::at_key(
                            &doc,
                            &pointer,
                            format!("unknown key `{key}` in `{section}.metadata.{TABLE}`{hint}"),
                        ));
                    }
                }
            }
        }
        Ok(Some(config))
    }

    /// The contracts to read: `flag` when given, else the configured contracts.
    pub fn contracts_or(&self, flag: Option<&Path>) -> PathBuf {
        flag.map_or_else(|| display_path(&self.contracts), Path::to_path_buf)
    }

    /// The service-config files to read: `flags` when any is given, else the configured ones,
    /// else `contracts/services.toml` under the root when it exists.
    pub fn services_or(&self, flags: &[PathBuf]) -> Vec<PathBuf> {
        if !flags.is_empty() {
            return flags.to_vec();
        }
        match &self.services {
            Some(list) => list.iter().map(|p| display_path(p)).collect(),
            None => {
                let default = self.root.join(DEFAULT_SERVICES);
                if default.is_file() { vec![display_path(&default)] } else { Vec::new() }
            }
        }
    }

    /// Whether `contracts` is the configured contracts document (compared after resolving both).
    pub fn is_configured_contracts(&self, contracts: &Path) -> bool {
        match (std::fs::canonicalize(contracts), std::fs::canonicalize(&self.contracts)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }

    /// The contracts path as the generated header names it: relative to the root, with `/`.
    pub fn source_name(&self, contracts: &Path) -> String {
        let absolute = normalize(contracts);
        let root = normalize(&self.root);
        let shown = absolute.strip_prefix(&root).map_or_else(|_| contracts.to_path_buf(), Path::to_path_buf);
        shown.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    /// The code generator's options for the contracts at `contracts`.
    pub fn codegen_options(&self, contracts: &Path) -> crate::codegen::Options {
        crate::codegen::Options { source_name: self.source_name(contracts), serde: self.serde.clone() }
    }
}

/// `path` made absolute, with `.` and `..` resolved lexically (`xtask/../contracts` is
/// `contracts`), as a user reads it.
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// A cargo feature name: letters, digits, `_`, `-`, `+`, `.`, not starting with a punctuation.
fn is_feature_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'))
}

/// `path` as a user at the current directory names it: relative to the current directory when
/// that is shorter (`contracts/contracts.yaml`, `../contracts/contracts.yaml`), else as it is.
pub fn display_path(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else { return path.to_path_buf() };
    relative_to(path, &cwd)
}

/// `path` relative to `base` when both are absolute and share a prefix other than `/`.
pub(crate) fn relative_to(path: &Path, base: &Path) -> PathBuf {
    if !path.is_absolute() || !base.is_absolute() {
        return path.to_path_buf();
    }
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Share more than the root (`/`), and go up at most two levels: beyond that the absolute
    // path reads better.
    if common <= 1 || b.len() - common > 2 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn the_table_is_found_from_a_subdirectory_and_paths_are_relative_to_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        write(
            &root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\n\n[workspace.metadata.mycelium-contracts]\n\
             contracts = \"idl/c.yaml\"\nservices = [\"idl/s.toml\"]\ngenerated = \"app/src/gen\"\nserde = \"json\"\n",
        );
        write(&root, "app/Cargo.toml", "[package]\nname = \"app\"\n");
        let config = Config::discover(&root.join("app/src")).unwrap();
        assert_eq!(config.manifest.as_deref(), Some(root.join("Cargo.toml").as_path()));
        assert_eq!(config.contracts, root.join("idl/c.yaml"));
        assert_eq!(config.services, Some(vec![root.join("idl/s.toml")]));
        assert_eq!(config.generated, Some(root.join("app/src/gen")));
        assert_eq!(config.schema, root.join("schema"));
        assert_eq!(config.serde, Serde::Feature("json".into()));
        assert_eq!(config.source_name(&root.join("idl/c.yaml")), "idl/c.yaml");
        assert_eq!(config.source_name(&root.join("app/../idl/./c.yaml")), "idl/c.yaml");
    }

    #[test]
    fn the_package_table_overrides_the_workspace_table() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[package]\nname = \"a\"\n[package.metadata.mycelium-contracts]\nserde = true\n\
             [workspace.metadata.mycelium-contracts]\nserde = false\ngenerated = \"g\"\n",
        );
        let config = Config::discover(dir.path()).unwrap();
        assert_eq!(config.serde, Serde::Derive);
        assert!(config.generated.unwrap().ends_with("g"));
    }

    #[test]
    fn no_table_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.toml", "[package]\nname = \"a\"\n");
        let config = Config::discover(dir.path()).unwrap();
        assert_eq!(config, Config::defaults());
        assert_eq!(config.contracts, Path::new("contracts/contracts.yaml"));
    }

    #[test]
    fn bad_values_and_unknown_keys_are_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        for (table, expected) in [
            ("contracts = 3\n", ":3:13: `contracts` must be a path"),
            ("services = \"s.toml\"\n", ":3:12: `services` must be a list of paths"),
            ("serde = \"\"\n", ":3:9: `serde` must be `true`, `false` or the name of a feature"),
            (
                "generatd = \"g\"\n",
                ":3:1: unknown key `generatd` in `workspace.metadata.mycelium-contracts`; did you mean `generated`?",
            ),
        ] {
            write(dir.path(), "Cargo.toml", &format!("[workspace]\n[workspace.metadata.mycelium-contracts]\n{table}"));
            let e = Config::discover(dir.path()).unwrap_err().to_string();
            assert!(e.contains("Cargo.toml") && e.contains(expected), "{table}: {e}");
        }
        write(dir.path(), "Cargo.toml", "[workspace\n");
        let e = Config::discover(dir.path()).unwrap_err().to_string();
        assert!(e.contains("Cargo.toml:1:"), "{e}");
    }

    #[test]
    fn relative_paths_go_up_at_most_two_levels() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(relative_to(&p("/r/contracts/c.yaml"), &p("/r")), p("contracts/c.yaml"));
        assert_eq!(relative_to(&p("/r/contracts/c.yaml"), &p("/r/xtask")), p("../contracts/c.yaml"));
        assert_eq!(relative_to(&p("/r/c.yaml"), &p("/r/a/b/c")), p("/r/c.yaml"));
        assert_eq!(relative_to(&p("/r/c.yaml"), &p("/s")), p("/r/c.yaml"));
        assert_eq!(relative_to(&p("c.yaml"), &p("/r")), p("c.yaml"));
    }
}
