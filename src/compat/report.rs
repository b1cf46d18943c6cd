//! Rendering a comparison: the `compat` object of the JSON report, human text in the manner of
//! cargo-semver-checks, GitHub Actions annotations and a Markdown pull-request comment.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::model::PoolPlan;

use super::diff::{Change, DocSide, Side};
use super::rules::Bump;
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

/// A finished comparison, ready to render.
#[derive(Debug)]
pub struct Report<'a> {
    /// How the base is named (`origin/main`, `old/contracts.json`).
    pub base_label: String,
    /// The new contracts file as shown to the user.
    pub new_label: String,
    /// The base contracts.
    pub base: Side<'a>,
    /// The new contracts.
    pub new: Side<'a>,
    /// The changes with their positions, ordered by bump (major first), then position.
    pub changes: Vec<(Change, Option<ChangeLocation>)>,
    /// The verdict.
    pub verdict: Verdict,
}

impl<'a> Report<'a> {
    /// Builds a report; orders the changes by bump (major first), then new-document positions
    /// before base ones, then line and column.
    pub fn new(
        base_label: impl Into<String>,
        new_label: impl Into<String>,
        base: Side<'a>,
        new: Side<'a>,
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
        Report { base_label: base_label.into(), new_label: new_label.into(), base, new, changes, verdict }
    }

    /// The `compat` object of the JSON report (`docs/reference/json-report.md`).
    pub fn to_json(&self) -> Value {
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|(c, l)| {
                let mut change = json!({
                    "code": c.rule.code,
                    "bump": c.rule.bump.as_str(),
                    "message": c.text,
                    "file": l.as_ref().map(|l| l.file.as_str()),
                    "line": l.as_ref().map(|l| l.line),
                    "column": l.as_ref().map(|l| l.column),
                });
                if let (Some(w), Value::Object(map)) = (&c.witness, &mut change) {
                    map.insert("witness".into(), Value::String(w.clone()));
                }
                change
            })
            .collect();
        json!({
            "base_version": self.verdict.base_version,
            "version": self.verdict.version,
            "required_bump": self.verdict.required.as_str(),
            "declared_bump": self.verdict.declared_bump().map(Bump::as_str),
            "changes": changes,
        })
    }

    fn declared_text(&self) -> String {
        match self.verdict.declared_bump() {
            Some(Bump::None) => "version unchanged".to_string(),
            Some(b) => format!("{b} declared"),
            None if self.verdict.declared.is_some() => "version decreased".to_string(),
            None => "declared bump unreadable".to_string(),
        }
    }

    fn required_text(&self) -> String {
        match self.verdict.required {
            Bump::None => "no bump required".to_string(),
            b => format!("{b} bump required"),
        }
    }

    fn counts_text(&self) -> String {
        let [p, mi, ma] = self.verdict.counts;
        format!("{ma} major, {mi} minor, {p} patch change{}", if p + mi + ma == 1 { "" } else { "s" })
    }

    /// One line: required and declared bumps, the counts, and what to do.
    pub fn summary_line(&self) -> String {
        let v = &self.verdict;
        let what = match &v.advice {
            Some(a) => a.clone(),
            None if v.declared.is_none() => "fix `version` to compare the declared bump".to_string(),
            None if self.changes.is_empty() => "nothing to do".to_string(),
            None => "the declared version covers the changes".to_string(),
        };
        format!(
            "Summary: {}, {} ({} -> {}): {}; {what}",
            self.required_text(),
            self.declared_text(),
            v.base_version,
            v.version,
            self.counts_text()
        )
    }

    /// Human text: the changes grouped by bump, then one summary line.
    pub fn human(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Comparing {} ({}) against base {} ({})",
            self.new_label, self.verdict.version, self.base_label, self.verdict.base_version
        );
        if self.changes.is_empty() {
            let _ = writeln!(out, "\nNo changes.");
        }
        let width = self.changes.iter().map(|(c, _)| c.rule.code.len()).max().unwrap_or(0);
        for bump in [Bump::Major, Bump::Minor, Bump::Patch] {
            let group: Vec<_> = self.changes.iter().filter(|(c, _)| c.rule.bump == bump).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n--- {bump} changes ({}) ---", group.len());
            for (c, l) in group {
                let _ = writeln!(out, "  {:width$}  {}", c.rule.code, c.text);
                if let Some(l) = l {
                    let base = if l.in_base { " (in the base: removed from the new contracts)" } else { "" };
                    let _ = writeln!(out, "  {:width$}  --> {}:{}:{}{base}", "", l.file, l.line, l.column);
                }
                if let Some(w) = &c.witness {
                    let _ = writeln!(out, "  {:width$}  wire: {w}", "");
                }
            }
        }
        let _ = writeln!(out, "\n{}", self.summary_line());
        out
    }

    /// GitHub Actions workflow commands, one per change: `error` for the changes the declared
    /// version does not cover, `notice` for the others. A change located in the base is
    /// attached to the new file without a line (its base line is in the text).
    pub fn github(&self) -> String {
        let mut out = String::new();
        let covered =
            if self.verdict.is_ok() { Bump::Major } else { self.verdict.declared_bump().unwrap_or(Bump::None) };
        for (c, l) in &self.changes {
            let level = if c.rule.bump > covered { "error" } else { "notice" };
            let mut props = String::new();
            let mut message = format!("{} ({} change)", c.text, c.rule.bump);
            if let Some(w) = &c.witness {
                let _ = write!(message, "; on the wire: {w}");
            }
            match l {
                Some(l) if !l.in_base => {
                    let _ = write!(props, "file={},line={},col={},", gh_property(&l.file), l.line, l.column);
                }
                Some(l) => {
                    let _ = write!(props, "file={},", gh_property(&self.new_label));
                    let _ = write!(message, "; in the base at {}:{}:{}", l.file, l.line, l.column);
                }
                None => {
                    let _ = write!(props, "file={},", gh_property(&self.new_label));
                }
            }
            let _ = writeln!(out, "::{level} {props}title={}::{}", gh_property(c.rule.code), gh_data(&message));
        }
        out
    }

    /// A Markdown pull-request comment: verdict, a table of changes, and before/after tables of
    /// every affected message's `MAX_SIZE` and `BUFFER_CLASS` and every affected service's pool.
    pub fn markdown(&self) -> String {
        let v = &self.verdict;
        let mut out = String::new();
        let status = if v.is_ok() { "passes" } else { "fails" };
        let _ = writeln!(out, "### Contract compatibility: {status}\n");
        let _ = writeln!(
            out,
            "`{}` {} against base `{}` {}: **{}**, {}; {}.\n",
            md_code(&self.new_label),
            v.version,
            md_code(&self.base_label),
            v.base_version,
            self.required_text(),
            self.declared_text(),
            self.counts_text()
        );
        if let Some(a) = &v.advice {
            let _ = writeln!(out, "> **To fix:** {}\n", md_cell(a));
        }
        if self.changes.is_empty() {
            let _ = writeln!(out, "No changes.");
            return out;
        }
        let _ = writeln!(out, "| bump | rule | change | where |\n|---|---|---|---|");
        for (c, l) in &self.changes {
            let place = match l {
                Some(l) if l.in_base => format!("`{}:{}:{}` (base)", md_code(&l.file), l.line, l.column),
                Some(l) => format!("`{}:{}:{}`", md_code(&l.file), l.line, l.column),
                None => String::new(),
            };
            let change = match &c.witness {
                Some(w) => format!("{}<br>↳ *wire:* {}", md_cell(&c.text), md_cell(w)),
                None => md_cell(&c.text),
            };
            let _ = writeln!(out, "| {} | `{}` | {change} | {place} |", c.rule.bump, c.rule.code);
        }
        self.markdown_messages(&mut out);
        self.markdown_pools(&mut out);
        out
    }

    fn markdown_messages(&self, out: &mut String) {
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        for (c, _) in &self.changes {
            if (c.base_message.is_some() || c.new_message.is_some()) && seen.insert((c.base_message, c.new_message)) {
                rows.push((c.base_message, c.new_message));
            }
        }
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n#### Messages\n\n| message | `MAX_SIZE` | `BUFFER_CLASS` |\n|---|---|---|");
        for (i, j) in rows {
            let bm = i.map(|i| &self.base.contracts.messages[i]);
            let nm = j.map(|j| &self.new.contracts.messages[j]);
            let name = match (bm, nm) {
                (Some(b), Some(n)) if b.name != n.name => format!("{} → {}", b.name, n.name),
                (_, Some(n)) => n.name.clone(),
                (Some(b), None) => format!("{} (removed)", b.name),
                (None, None) => continue,
            };
            let bl = i.and_then(|i| self.base.layout.get(i)).and_then(|l| l.as_ref().ok());
            let nl = j.and_then(|j| self.new.layout.get(j)).and_then(|l| l.as_ref().ok());
            let size = before_after(bl.map(|l| l.max_size), nl.map(|l| l.max_size));
            let class = before_after(bl.map(|l| l.buffer_class), nl.map(|l| l.buffer_class));
            let _ = writeln!(out, "| {} | {size} | {class} |", md_cell(&name));
        }
    }

    fn markdown_pools(&self, out: &mut String) {
        let (bc, nc) = (self.base.contracts, self.new.contracts);
        let changed: HashSet<&str> = self.changes.iter().filter_map(|(c, _)| c.service()).collect();
        let mut names: Vec<&str> = bc.services.keys().chain(nc.services.keys()).map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        let mut rows = Vec::new();
        for name in names {
            let b = self.base.layout.pool_plan(bc, name);
            let n = self.new.layout.pool_plan(nc, name);
            let differs = match (&b, &n) {
                (Some(b), Some(n)) => b.enabled != n.enabled || b.classes != n.classes,
                _ => true,
            };
            if differs || changed.contains(name) {
                rows.push((name, b, n));
            }
        }
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n#### Service pools\n\n| service | size classes (size × capacity) | pool memory |\n|---|---|---|"
        );
        for (name, b, n) in rows {
            let classes = format!("{} → {}", pool_classes(b.as_ref()), pool_classes(n.as_ref()));
            let memory = format!("{} → {}", pool_memory(b.as_ref()), pool_memory(n.as_ref()));
            let _ = writeln!(out, "| {} | {classes} | {memory} |", md_cell(name));
        }
    }
}

fn before_after(b: Option<u64>, n: Option<u64>) -> String {
    let show = |x: Option<u64>| x.map_or("—".to_string(), |x| x.to_string());
    if b == n { show(b) } else { format!("{} → **{}**", show(b), show(n)) }
}

fn pool_classes(p: Option<&PoolPlan>) -> String {
    match p {
        None => "—".to_string(),
        Some(p) if !p.enabled => "disabled".to_string(),
        Some(p) if p.classes.is_empty() => "none".to_string(),
        Some(p) => p.classes.iter().map(|c| format!("{}×{}", c.size, c.capacity)).collect::<Vec<_>>().join(", "),
    }
}

fn pool_memory(p: Option<&PoolPlan>) -> String {
    match p {
        None => "—".to_string(),
        Some(p) if !p.enabled => "0".to_string(),
        Some(p) => {
            let bytes = p.memory_bytes();
            if bytes % 1024 == 0 { format!("{} KiB", bytes / 1024) } else { format!("{bytes} B") }
        }
    }
}

/// Escapes text for a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Text for inside backticks in a table cell.
fn md_code(s: &str) -> String {
    s.replace('`', "'").replace('|', "\\|")
}

/// Escapes the message part of a workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Keys of the `compat` object and its changes, in the documented order.
const KEY_ORDER: &[&str] = &[
    "base_version",
    "version",
    "required_bump",
    "declared_bump",
    "changes",
    "code",
    "bump",
    "message",
    "file",
    "line",
    "column",
    "witness",
];

/// Serializes a JSON value with object keys in the documented order (`base_version`, `version`,
/// `required_bump`, `declared_bump`, `changes`; `code`, `bump`, `message`, `file`, `line`,
/// `column`, `witness`), other keys after them in their own order. `serde_json::Value` sorts its keys.
#[derive(Debug, Clone, Copy)]
pub struct SpecOrdered<'a>(pub &'a Value);

impl serde::Serialize for SpecOrdered<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(map) => {
                let rank = |k: &str| KEY_ORDER.iter().position(|&o| o == k).unwrap_or(KEY_ORDER.len());
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by_key(|k| rank(k));
                let mut m = serializer.serialize_map(Some(keys.len()))?;
                for k in keys {
                    m.serialize_entry(k, &SpecOrdered(&map[k.as_str()]))?;
                }
                m.end()
            }
            Value::Array(items) => {
                let mut s = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    s.serialize_element(&SpecOrdered(item))?;
                }
                s.end()
            }
            other => other.serialize(serializer),
        }
    }
}
