//! The verdict: the bump the changes require, the bump the `version` values declare, and the
//! version findings when the declaration falls short.

use crate::diagnostic::Code;

use super::diff::Change;
use super::rules::Bump;
use super::version::{self, VersionChange};

/// The outcome of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The base's `version`, as written.
    pub base_version: String,
    /// The new `version`, as written.
    pub version: String,
    /// The largest bump over all changes ([`Bump::None`] when nothing changed).
    pub required: Bump,
    /// How the version moved; `None` when either version is not semver (the checks report
    /// `invalid-version` for it).
    pub declared: Option<VersionChange>,
    /// `version-bump-too-small`, `version-not-bumped` or `version-decreased`, at most one.
    pub findings: Vec<VersionFinding>,
    /// What to do when the declaration falls short: `bump `version` to 2.0.0, or revert the
    /// size-class change of SwapEvent`.
    pub advice: Option<String>,
    /// Number of changes per bump: `[patch, minor, major]`.
    pub counts: [usize; 3],
}

/// A version finding, not yet located (the caller puts it at the new `version` value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFinding {
    /// `version-bump-too-small`, `version-not-bumped` or `version-decreased`.
    pub code: Code,
    /// One line, no trailing period.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl Verdict {
    /// The declared bump as in the JSON report: `none` for an unchanged version, `None` (null)
    /// when the version decreased or is not semver.
    pub fn declared_bump(&self) -> Option<Bump> {
        match self.declared? {
            VersionChange::Bumped(b) => Some(b),
            VersionChange::Unchanged => Some(Bump::None),
            VersionChange::Decreased => None,
        }
    }

    /// Whether the declared version covers the required bump (no finding).
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Computes the verdict for `changes` between the versions `base_version` and `version`.
pub fn verdict(base_version: &str, version: &str, changes: &[Change]) -> Verdict {
    let required = changes.iter().map(|c| c.rule.bump).max().unwrap_or(Bump::None);
    let mut counts = [0; 3];
    for c in changes {
        match c.rule.bump {
            Bump::Patch => counts[0] += 1,
            Bump::Minor => counts[1] += 1,
            Bump::Major => counts[2] += 1,
            Bump::None => {}
        }
    }
    let (base, new) = (version::parse(base_version), version::parse(version));
    let declared = match (&base, &new) {
        (Some(b), Some(n)) => Some(version::declared(b, n)),
        _ => None,
    };
    let mut findings = Vec::new();
    let mut advice = None;
    if let (Some(base), Some(declared)) = (&base, declared) {
        let target = version::next(base, required.max(Bump::Patch)).map(|v| v.to_string()).unwrap_or_default();
        let bump_to = |covered: Bump| {
            let reverts = revert_list(changes, covered);
            if reverts.is_empty() {
                format!("bump `version` to {target}")
            } else {
                format!("bump `version` to {target}, or revert {reverts}")
            }
        };
        let required_text = if required == Bump::None { "no".to_string() } else { format!("a {required}") };
        match declared {
            VersionChange::Decreased => {
                let help = if required == Bump::None {
                    format!("set `version` back to {base_version} or higher")
                } else {
                    format!("the changes require {required_text} bump: set `version` to {target}")
                };
                advice = Some(help.clone());
                findings.push(VersionFinding {
                    code: Code::VersionDecreased,
                    message: format!("version {version} is lower than the base version {base_version}"),
                    help: Some(help),
                });
            }
            VersionChange::Unchanged if required > Bump::None => {
                let help = bump_to(Bump::None);
                advice = Some(help.clone());
                findings.push(VersionFinding {
                    code: Code::VersionNotBumped,
                    message: format!(
                        "the contracts changed ({} change{}, {required_text} bump required) but version is still {version}",
                        changes.len(),
                        if changes.len() == 1 { "" } else { "s" }
                    ),
                    help: Some(help),
                });
            }
            VersionChange::Bumped(d) if d < required => {
                let help = bump_to(d);
                advice = Some(help.clone());
                findings.push(VersionFinding {
                    code: Code::VersionBumpTooSmall,
                    message: format!(
                        "the changes require {required_text} bump but {base_version} -> {version} declares a {d} bump"
                    ),
                    help: Some(help),
                });
            }
            _ => {}
        }
    }
    Verdict {
        base_version: base_version.to_string(),
        version: version.to_string(),
        required,
        declared,
        findings,
        advice,
        counts,
    }
}

/// `the size-class change of SwapEvent, the removal of field A.b and 3 more changes`: the
/// changes that need more than `covered`, the largest bumps first.
fn revert_list(changes: &[Change], covered: Bump) -> String {
    const SHOWN: usize = 3;
    let mut over: Vec<&Change> = changes.iter().filter(|c| c.rule.bump > covered).collect();
    over.sort_by_key(|c| std::cmp::Reverse(c.rule.bump));
    let mut parts: Vec<String> = over.iter().take(SHOWN).map(|c| format!("the {}", c.what())).collect();
    if over.len() > SHOWN {
        let more = over.len() - SHOWN;
        parts.push(format!("{more} more change{}", if more == 1 { "" } else { "s" }));
    }
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
