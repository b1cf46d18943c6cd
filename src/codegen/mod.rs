//! The code generator (`docs/reference/generated-code.md`): Rust message types and per-service pool configs from
//! validated contracts.
//!
//! [`generate`] is a pure function of the contracts: the same contracts give the same bytes on
//! every machine (no timestamps, no hash-map order). Its `contracts.rs` is built as tokens and
//! printed by `prettyplease` (a library, so the layout does not depend on an installed
//! `rustfmt`), and its `pools.json` has a fixed key order.
//!
//! The generated module depends only on `::mycelium_contracts::runtime` and `::core`/`::std`, so
//! it compiles inside this crate (as [`crate::generated`]) and in a user's crate alike.

mod pools;
mod rust;

use std::fmt;
use std::path::Path;

use crate::model::{Contracts, Layout, MessageLayout};

/// Settings that change the generated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The contracts file as named in the generated header (`contracts/contracts.yaml`). Give a
    /// stable, relative name: it is part of the output.
    pub source_name: String,
    /// Whether and how the message types derive serde's `Serialize` and `Deserialize`.
    pub serde: Serde,
}

impl Default for Options {
    /// The contracts named `contracts/contracts.yaml` (the command line's default), serde
    /// derives gated on a feature named `serde`.
    fn default() -> Self {
        Options { source_name: crate::config::DEFAULT_CONTRACTS.to_string(), serde: Serde::Feature("serde".into()) }
    }
}

/// serde support in the generated message types.
///
/// Whatever the choice, the user's crate needs no feature named after one of this crate's: with
/// [`Serde::Derive`] the derives are unconditional, with [`Serde::Feature`] they are gated on a
/// feature the user's crate declares under a name of its choosing. Types with serde derives need
/// `serde` (with its `derive` feature) as a dependency of the user's crate and this crate's
/// `serde` feature enabled (it serializes the inline strings, bytes and large arrays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Serde {
    /// No serde derives (the default for other repositories).
    #[default]
    None,
    /// `#[derive(::serde::Serialize, ::serde::Deserialize)]` on every message.
    Derive,
    /// The same derives behind `#[cfg_attr(feature = "NAME", ...)]`: `NAME` is a feature of the
    /// crate that compiles the generated file.
    Feature(String),
}

impl Serde {
    /// The attribute `#[inner]` (`derive(...)`, `serde(...)`) as this choice writes it: nothing
    /// without serde.
    pub(crate) fn attribute(&self, inner: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        match self {
            Serde::None => proc_macro2::TokenStream::new(),
            Serde::Derive => quote::quote!(#[#inner]),
            Serde::Feature(name) => quote::quote!(#[cfg_attr(feature = #name, #inner)]),
        }
    }
}

/// The generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// `contracts.rs`: the message types and service pool configs.
    pub contracts_rs: String,
    /// `pools.json`: every service's pool (`docs/reference/generated-code.md`).
    pub pools_json: String,
}

/// The contracts cannot be turned into code; the checks report the same problems with locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    problems: Vec<String>,
}

impl CodegenError {
    /// One sentence per problem.
    #[cfg(feature = "internals")]
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot generate code: {}", self.problems.join("; "))
    }
}

impl std::error::Error for CodegenError {}

/// Generates `contracts.rs` and `pools.json` for `contracts`, whose `services` already hold the
/// services of any service-config files (the caller merges them). The contracts should have
/// passed the checks; anything that would give code that does not compile (an unknown type, an
/// unbounded string, recursion, a message over 65,536 bytes, duplicate names or type ids, a name
/// Rust cannot use) is a [`CodegenError`], never a panic.
pub fn generate(contracts: &Contracts, options: &Options) -> Result<Generated, CodegenError> {
    let layout = Layout::compute(contracts);
    let layouts = validate(contracts, &layout)?;
    let contracts_rs = rust::contracts_rs(contracts, &layout, &layouts, options)?;
    let pools_json = pools::pools_json(contracts, &layout);
    Ok(Generated { contracts_rs, pools_json })
}

/// Every message's layout, or every reason there is none.
fn validate<'a>(contracts: &Contracts, layout: &'a Layout) -> Result<Vec<&'a MessageLayout>, CodegenError> {
    let mut problems = Vec::new();
    let mut layouts = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    let mut ids = std::collections::BTreeSet::new();
    for (i, m) in contracts.messages.iter().enumerate() {
        if !names.insert(m.name.as_str()) {
            problems.push(format!("message `{}` is declared twice", m.name));
        }
        if let Some(id) = m.type_id
            && !ids.insert(id)
        {
            problems.push(format!("type id {id} is used twice"));
        }
        match layout.get(i) {
            Some(Ok(l)) if l.is_too_large() => {
                problems.push(format!("message `{}` is {} bytes, over 65536", m.name, l.max_size))
            }
            Some(Ok(l)) => layouts.push(l),
            Some(Err(e)) => problems.push(format!("message `{}` has no size: {e:?}", m.name)),
            None => problems.push(format!("message `{}` has no layout", m.name)),
        }
    }
    if problems.is_empty() { Ok(layouts) } else { Err(CodegenError { problems }) }
}

/// `generated-stale` findings for the generated files in `dir` (`contracts.rs`, `pools.json`)
/// that differ from `generated`, named as seen from the current directory; the help says to run
/// `{program} codegen`.
pub fn stale_in(dir: &Path, generated: &Generated, program: &str) -> Vec<crate::diagnostic::Diagnostic> {
    let files = [("contracts.rs", &generated.contracts_rs), ("pools.json", &generated.pools_json)].map(|(f, text)| {
        let path = dir.join(f);
        let shown = crate::config::display_path(&path);
        let shown = shown.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        (shown, path, text.as_str())
    });
    findings_for(&files, program)
}

fn findings_for(files: &[(String, std::path::PathBuf, &str)], program: &str) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::SourceFile;

    files
        .iter()
        .filter_map(|(shown, path, expected)| {
            let text = std::fs::read_to_string(path).ok();
            // Line endings are compared normalized, so a checkout with CRLF is not stale.
            if text.as_deref().map(|t| t.replace("\r\n", "\n")).as_deref() == Some(*expected) {
                return None;
            }
            let text = text.unwrap_or_default();
            let at = first_difference(&text, expected);
            let message = if text.is_empty() {
                format!("generated file `{shown}` is missing or empty")
            } else {
                format!("generated file `{shown}` differs from what `{program} codegen` writes")
            };
            let source = SourceFile::new(shown.as_str(), text);
            let end = source.text()[at..].find('\n').map_or(source.text().len(), |n| at + n);
            // Point at the line's text, not its indentation.
            let at = at + (source.text()[at..end].len() - source.text()[at..end].trim_start().len());
            Some(
                Diagnostic::error(Code::GeneratedStale, message)
                    .at(&source, at..end)
                    .with_label("first difference")
                    .with_help(format!("run `{program} codegen`")),
            )
        })
        .collect()
}

/// The `generated-stale` findings of `check-contracts`: when `contracts_path` is the configured
/// contracts and a `generated` directory is configured, one finding per file there that differs
/// from what `codegen` writes for `contracts`. Contracts that cannot be generated give no finding
/// here: the checks already report why.
pub fn stale_findings(
    config: &crate::config::Config,
    contracts_path: &Path,
    contracts: &Contracts,
    program: &str,
) -> Vec<crate::diagnostic::Diagnostic> {
    let Some(dir) = &config.generated else { return Vec::new() };
    if !config.is_configured_contracts(contracts_path) {
        return Vec::new();
    }
    match generate(contracts, &config.codegen_options(contracts_path)) {
        Ok(generated) => stale_in(dir, &generated, program),
        Err(_) => Vec::new(),
    }
}

/// One generated file after [`emit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emitted {
    /// Where it goes.
    pub path: std::path::PathBuf,
    /// Whether the file on disk was missing or different (and, unless checking, was rewritten).
    pub changed: bool,
}

/// Writes the generated files to `dir` (`contracts.rs` and `pools.json`), touching only those whose content changes, or,
/// with `check`, writes nothing and only reports which differ (`cargo xtask codegen --check`
/// exits 1 when any does). Creates missing directories when writing.
pub fn emit(generated: &Generated, dir: &Path, check: bool) -> std::io::Result<Vec<Emitted>> {
    let [rs, json] = [dir.join("contracts.rs"), dir.join("pools.json")];
    let mut out = Vec::new();
    for (path, text) in [(rs, &generated.contracts_rs), (json, &generated.pools_json)] {
        let changed = std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
        if changed && !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)?;
        }
        out.push(Emitted { path, changed });
    }
    Ok(out)
}

/// Byte offset of the start of the first line where `a` and `b` differ.
fn first_difference(a: &str, b: &str) -> usize {
    let mut offset = 0;
    for (la, lb) in a.split_inclusive('\n').zip(b.split_inclusive('\n')) {
        if la != lb {
            return offset;
        }
        offset += la.len();
    }
    offset.min(a.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emit_writes_only_changed_files_and_check_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let g = Generated { contracts_rs: "//! @generated\n".into(), pools_json: "{}\n".into() };
        let out = dir.path().join("out");
        let r = emit(&g, &out, true).unwrap();
        assert!(r.iter().all(|e| e.changed));
        assert!(!out.exists(), "--check writes nothing");
        let r = emit(&g, &out, false).unwrap();
        assert!(r.iter().all(|e| e.changed));
        assert_eq!(std::fs::read_to_string(out.join("pools.json")).unwrap(), "{}\n");
        let r = emit(&g, &out, true).unwrap();
        assert!(r.iter().all(|e| !e.changed));
    }

    #[test]
    fn first_difference_is_the_start_of_a_line() {
        assert_eq!(first_difference("a\nb\nc\n", "a\nx\nc\n"), 2);
        assert_eq!(first_difference("a\n", "a\nb\n"), 2);
        assert_eq!(first_difference("", "a"), 0);
    }
}
