//! The compatibility check as part of `check-contracts`: reads the base (`--base GIT_REV` or
//! `--base-file PATH`), runs the same loader and checks on it, diffs, locates every change and
//! version finding, and fills the report.

use std::path::PathBuf;

use crate::check::{Analysis, Input, Inputs, analyze};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::load::{Pointer, pointer};
use crate::report::Report as CheckReport;

use super::comparison::{ChangeLocation, Comparison};
use super::diff::{Change, DocSide, Place, ServiceKey, Side, diff};
use super::git::{self, BaseFile};
use super::verdict::verdict;

/// The base to compare with (`--base GIT_REV` or `--base-file PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A git revision: the same files are read with `git show REV:PATH`.
    Rev(String),
    /// A contracts document of any of the three formats.
    File(PathBuf),
}

/// A base, read and analyzed (or known to be absent).
#[derive(Debug)]
pub enum PreparedBase {
    /// The contracts file did not exist at the base revision: new contracts, no comparison.
    Absent {
        /// Says so, for the user.
        note: String,
    },
    /// The base went through the same loader and checks as the new contracts.
    Analyzed {
        /// How the base is named in the output (the revision, or the `--base-file` path).
        label: String,
        /// The base's analysis.
        analysis: Box<Analysis>,
    },
}

/// Reads the base (`--base GIT_REV` or `--base-file PATH`) for the new contracts read from
/// `inputs`, and runs the same loader and checks on it. Independent of the new contracts'
/// analysis, so `check-contracts` runs both at once.
///
/// `Err` when the base cannot be read (unknown revision, missing file, not a repository): the
/// command exits with 2.
pub fn prepare_base(base: &Base, inputs: &Inputs) -> Result<PreparedBase, String> {
    let (base_inputs, label) = match base {
        Base::File(path) => {
            // The base document replaces the contracts document; the same service files apply.
            let inputs = Inputs { contracts: Input::Path(path.clone()), services: inputs.services.clone() };
            (inputs, path.display().to_string())
        }
        Base::Rev(rev) => {
            let contracts = match &inputs.contracts {
                Input::Path(p) => p.clone(),
                Input::Bytes { name, .. } => return Err(format!("--base needs a file on disk, not `{name}`")),
            };
            match git::read_at(rev, &contracts).map_err(|e| e.to_string())? {
                BaseFile::Absent { name } => {
                    return Ok(PreparedBase::Absent {
                        note: format!(
                            "`{}` does not exist at `{rev}` ({name}): new contracts, no compatibility check",
                            contracts.display()
                        ),
                    });
                }
                BaseFile::Found { name, bytes } => {
                    let mut services = Vec::new();
                    for s in &inputs.services {
                        if let Input::Path(p) = s
                            && let BaseFile::Found { name, bytes } = git::read_at(rev, p).map_err(|e| e.to_string())?
                        {
                            services.push(Input::Bytes { name, bytes });
                        }
                    }
                    (Inputs { contracts: Input::Bytes { name, bytes }, services }, rev.clone())
                }
            }
        }
    };
    let analysis = analyze(&base_inputs).map_err(|e| format!("base: {e}"))?;
    Ok(PreparedBase::Analyzed { label, analysis: Box::new(analysis) })
}

/// Compares a prepared base with `analysis` (the new contracts, read from `inputs`) and adds
/// the outcome to `report`: the `compat` JSON object, the version findings, the base's own
/// findings (as warnings, prefixed `in the base:`), and the human section.
pub fn compare_with_base(base: PreparedBase, inputs: &Inputs, analysis: &Analysis, report: &mut CheckReport) {
    let (label, base_analysis) = match base {
        PreparedBase::Absent { note } => {
            report.notes.push(note);
            return;
        }
        PreparedBase::Analyzed { label, analysis } => (label, analysis),
    };
    for d in &base_analysis.diagnostics {
        report.diagnostics.push(as_base_finding(d));
    }
    let (Some(bc), Some(bl), Some(nc), Some(nl)) =
        (&base_analysis.contracts, &base_analysis.layout, &analysis.contracts, &analysis.layout)
    else {
        let note = if base_analysis.contracts.is_none() {
            format!("the base `{label}` could not be read as contracts: no compatibility check")
        } else {
            "the contracts could not be read: no compatibility check".to_string()
        };
        report.notes.push(note);
        return;
    };
    let (base_side, new_side) = (Side::new(bc, bl), Side::new(nc, nl));
    let changes = diff(base_side, new_side);
    let v = verdict(&bc.version, &nc.version, &changes);
    let sources = &analysis.sources;
    let version_location = sources.contracts_index().and_then(|d| sources.locate(d, &pointer!["version"]));
    for f in &v.findings {
        let mut d = Diagnostic::error(f.code, f.message.clone());
        if let Some(h) = &f.help {
            d = d.with_help(h.clone());
        }
        if let Some(l) = &version_location {
            d = d.at(&l.source, l.span.clone()).with_label(format!("base version is {}", v.base_version));
        }
        report.diagnostics.push(d);
    }
    let located: Vec<(Change, Option<ChangeLocation>)> = changes
        .into_iter()
        .map(|c| {
            let l = locate_change(&c, &base_analysis, analysis);
            (c, l)
        })
        .collect();
    let new_label =
        analysis.contracts_source().map(|s| s.name().to_string()).unwrap_or_else(|| inputs.contracts.name());
    report.compat = Some(Comparison::new(label, new_label, base_side, new_side, located, v));
    // Freeing a large document takes a quarter of a second; a background thread does it, and a
    // process that exits first skips it (as `xtask` does for the new contracts' analysis).
    std::thread::spawn(move || drop(base_analysis));
}

/// A finding of the base, reported as such: a warning (the pull request cannot fix the base),
/// its message prefixed with `in the base:`.
fn as_base_finding(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = format!("in the base: {}", d.message);
    crate::check::cut_text(&mut d.message);
    d.severity = d.severity.min(Severity::Warning);
    d
}

/// Resolves a place to its position in the document `analysis` read (the document of the
/// change's side), through its source map.
pub fn locate_place(analysis: &Analysis, place: &Place) -> Option<Location> {
    let sources = &analysis.sources;
    match place {
        Place::Message { index, key } => sources.locate_message(*index, &pointer![*key]),
        Place::Field { message, field, key } => sources.locate_message(*message, &pointer!["fields", *field, *key]),
        Place::Enum { index, key } => sources.locate_enum(*index, &pointer![*key]),
        Place::EnumValue { index, value } => sources.locate_enum(*index, &pointer!["values", value]),
        Place::Service { name, key } => {
            let suffix = match key {
                ServiceKey::Whole => Pointer::root(),
                ServiceKey::PoolSetting => pointer!["buffer_pool_enabled"],
                ServiceKey::Message(k) => pointer!["messages", *k],
            };
            sources.locate_service(name, &suffix)
        }
    }
}

/// Resolves a change's place in the document of its side.
fn locate_change(c: &Change, base: &Analysis, new: &Analysis) -> Option<ChangeLocation> {
    let analysis = if c.side == DocSide::Base { base } else { new };
    let location = locate_place(analysis, &c.place)?;
    Some(ChangeLocation {
        file: location.source.name().to_string(),
        line: location.line,
        column: location.column,
        in_base: c.side == DocSide::Base,
    })
}
