//! A finished comparison as data: the verdict, the located changes, and the before/after sizes
//! of every affected message and pool. The renderers in [`crate::report`] turn it into the JSON
//! `compat` object, human text, GitHub annotations or a Markdown comment.

use std::collections::HashSet;

use crate::model::PoolPlan;

use super::diff::{Change, DocSide, Side};
use super::verdict::Verdict;

/// Where a change is, resolved to a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLocation {
    /// The file as shown to the user. For a change in the base document this names the base
    /// (`origin/main:contracts/contracts.yaml`, or the `--base-file` path).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Whether the position is in the base document (a removal).
    pub in_base: bool,
}

/// One affected message: its name (`A → B` for a rename, `A (removed)`), and its `MAX_SIZE`
/// and `BUFFER_CLASS` before and after (`None` where it does not exist or has no layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSizes {
    /// How the message is named in the table.
    pub name: String,
    /// `MAX_SIZE` in the base and in the new contracts.
    pub max_size: (Option<u64>, Option<u64>),
    /// `BUFFER_CLASS` in the base and in the new contracts.
    pub buffer_class: (Option<u64>, Option<u64>),
}

/// One enum a change names: its wire type and values before and after (`None` where it does
/// not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumSummary {
    /// The enum's name.
    pub name: String,
    /// The wire type (`u8`), in the base and in the new contracts.
    pub wire_type: (Option<String>, Option<String>),
    /// The values as written (`Buy=1, Sell=2`), in the base and in the new contracts.
    pub values: (Option<String>, Option<String>),
}

/// One service whose pool changed or that a change names: its pool plan before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolChange {
    /// The service.
    pub service: String,
    /// Its pool in the base (`None`: no such service).
    pub before: Option<PoolPlan>,
    /// Its pool in the new contracts.
    pub after: Option<PoolPlan>,
}

/// A finished comparison, ready to render.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// How the base is named (`origin/main`, `old/contracts.json`).
    pub base_label: String,
    /// The new contracts file as shown to the user.
    pub new_label: String,
    /// The changes with their positions, ordered by bump (major first), then position.
    pub changes: Vec<(Change, Option<ChangeLocation>)>,
    /// The verdict.
    pub verdict: Verdict,
    /// Every message a change affects, in the order of the changes.
    pub messages: Vec<MessageSizes>,
    /// Every enum a change names, in the order of the changes.
    pub enums: Vec<EnumSummary>,
    /// Every service whose pool differs or that a change names, by name.
    pub pools: Vec<PoolChange>,
}

impl Comparison {
    /// Builds a comparison; orders the changes by bump (major first), then new-document
    /// positions before base ones, then line and column.
    pub fn new(
        base_label: impl Into<String>,
        new_label: impl Into<String>,
        base: Side<'_>,
        new: Side<'_>,
        mut changes: Vec<(Change, Option<ChangeLocation>)>,
        verdict: Verdict,
    ) -> Self {
        changes.sort_by(|(a, la), (b, lb)| {
            let key = |c: &Change, l: &Option<ChangeLocation>| {
                (
                    std::cmp::Reverse(c.rule.bump),
                    c.side == DocSide::Base,
                    l.as_ref().map(|l| (l.line, l.column)).unwrap_or((usize::MAX, 0)),
                )
            };
            key(a, la).cmp(&key(b, lb)).then_with(|| a.text.cmp(&b.text))
        });
        let messages = message_sizes(base, new, &changes);
        let enums = enum_summaries(base, new, &changes);
        let pools = pool_changes(base, new, &changes);
        Comparison {
            base_label: base_label.into(),
            new_label: new_label.into(),
            changes,
            verdict,
            messages,
            enums,
            pools,
        }
    }
}

fn enum_summaries(base: Side<'_>, new: Side<'_>, changes: &[(Change, Option<ChangeLocation>)]) -> Vec<EnumSummary> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (c, _) in changes {
        let Some(name) = c.enum_name() else { continue };
        if !seen.insert(name) {
            continue;
        }
        let (b, n) = (base.contracts.enum_def(name), new.contracts.enum_def(name));
        let values = |e| super::diff::values_text(e, usize::MAX);
        rows.push(EnumSummary {
            name: name.to_string(),
            wire_type: (b.map(|e| e.ty.clone()), n.map(|e| e.ty.clone())),
            values: (b.map(values), n.map(values)),
        });
    }
    rows
}

fn message_sizes(base: Side<'_>, new: Side<'_>, changes: &[(Change, Option<ChangeLocation>)]) -> Vec<MessageSizes> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (c, _) in changes {
        let (i, j) = (c.base_message, c.new_message);
        if (i.is_none() && j.is_none()) || !seen.insert((i, j)) {
            continue;
        }
        let bm = i.map(|i| &base.contracts.messages[i]);
        let nm = j.map(|j| &new.contracts.messages[j]);
        let name = match (bm, nm) {
            (Some(b), Some(n)) if b.name != n.name => format!("{} → {}", b.name, n.name),
            (_, Some(n)) => n.name.clone(),
            (Some(b), None) => format!("{} (removed)", b.name),
            (None, None) => continue,
        };
        let bl = i.and_then(|i| base.layout.get(i)).and_then(|l| l.as_ref().ok());
        let nl = j.and_then(|j| new.layout.get(j)).and_then(|l| l.as_ref().ok());
        rows.push(MessageSizes {
            name,
            max_size: (bl.map(|l| l.max_size), nl.map(|l| l.max_size)),
            buffer_class: (bl.map(|l| l.buffer_class), nl.map(|l| l.buffer_class)),
        });
    }
    rows
}

fn pool_changes(base: Side<'_>, new: Side<'_>, changes: &[(Change, Option<ChangeLocation>)]) -> Vec<PoolChange> {
    let (bc, nc) = (base.contracts, new.contracts);
    let changed: HashSet<&str> = changes.iter().filter_map(|(c, _)| c.service()).collect();
    let mut names: Vec<&str> = bc.services.keys().chain(nc.services.keys()).map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let mut rows = Vec::new();
    for name in names {
        let before = base.layout.pool_plan(bc, name);
        let after = new.layout.pool_plan(nc, name);
        let differs = match (&before, &after) {
            (Some(b), Some(n)) => b.enabled != n.enabled || b.classes != n.classes,
            _ => true,
        };
        if differs || changed.contains(name) {
            rows.push(PoolChange { service: name.to_string(), before, after });
        }
    }
    rows
}
