//! The texts of a comparison's verdict, shared by the human and Markdown renderers.

use crate::compat::{Bump, Comparison};

/// `minor declared`, `version unchanged`, `version decreased`.
pub(super) fn declared_text(c: &Comparison) -> String {
    match c.verdict.declared_bump() {
        Some(Bump::None) => "version unchanged".to_string(),
        Some(b) => format!("{b} declared"),
        None if c.verdict.declared.is_some() => "version decreased".to_string(),
        None => "declared bump unreadable".to_string(),
    }
}

/// `major bump required`, `no bump required`.
pub(super) fn required_text(c: &Comparison) -> String {
    match c.verdict.required {
        Bump::None => "no bump required".to_string(),
        b => format!("{b} bump required"),
    }
}

/// `2 major, 1 minor, 0 patch changes`.
pub(super) fn counts_text(c: &Comparison) -> String {
    let [p, mi, ma] = c.verdict.counts;
    format!("{ma} major, {mi} minor, {p} patch change{}", if p + mi + ma == 1 { "" } else { "s" })
}

/// One line: required and declared bumps, the counts, and what to do.
pub fn summary_line(c: &Comparison) -> String {
    let v = &c.verdict;
    let what = match &v.advice {
        Some(a) => a.clone(),
        None if v.declared.is_none() => "fix `version` to compare the declared bump".to_string(),
        None if c.changes.is_empty() => "nothing to do".to_string(),
        None => "the declared version covers the changes".to_string(),
    };
    format!(
        "Summary: {}, {} ({} -> {}): {}; {what}",
        required_text(c),
        declared_text(c),
        v.base_version,
        v.version,
        counts_text(c)
    )
}
