//! Markdown for a pull-request comment: the compatibility verdict with a table of changes and
//! before/after tables of the affected messages and pools (with a base), then the findings.

use std::fmt::Write as _;

use super::Report;
use super::verdict::{counts_text, declared_text, required_text};
use crate::compat::Comparison;
use crate::diagnostic::Diagnostic;
use crate::model::PoolPlan;

/// The whole comment: the comparison (when there is one), then the findings.
pub fn render_markdown(report: &Report) -> String {
    let mut out = report.compat.as_ref().map(render_comparison).unwrap_or_default();
    out.push_str(&findings(&report.diagnostics));
    out
}

/// The verdict, a table of changes, and before/after tables of every affected message's
/// `MAX_SIZE` and `BUFFER_CLASS` and every affected service's pool.
fn render_comparison(c: &Comparison) -> String {
    let v = &c.verdict;
    let mut out = String::new();
    let status = if v.is_ok() { "passes" } else { "fails" };
    let _ = writeln!(out, "### Contract compatibility: {status}\n");
    let _ = writeln!(
        out,
        "`{}` {} against base `{}` {}: **{}**, {}; {}.\n",
        md_code(&c.new_label),
        v.version,
        md_code(&c.base_label),
        v.base_version,
        required_text(c),
        declared_text(c),
        counts_text(c)
    );
    if let Some(a) = &v.advice {
        let _ = writeln!(out, "> **To fix:** {}\n", md_cell(a));
    }
    if c.changes.is_empty() {
        let _ = writeln!(out, "No changes.");
        return out;
    }
    let _ = writeln!(out, "| bump | rule | change | where |\n|---|---|---|---|");
    for (ch, l) in &c.changes {
        let place = match l {
            Some(l) if l.in_base => format!("`{}:{}:{}` (base)", md_code(&l.file), l.line, l.column),
            Some(l) => format!("`{}:{}:{}`", md_code(&l.file), l.line, l.column),
            None => String::new(),
        };
        let change = match &ch.witness {
            Some(w) => format!("{}<br>↳ *wire:* {}", md_cell(&ch.text), md_cell(w)),
            None => md_cell(&ch.text),
        };
        let _ = writeln!(out, "| {} | `{}` | {change} | {place} |", ch.rule.bump, ch.rule.code);
    }
    if !c.messages.is_empty() {
        let _ = writeln!(out, "\n#### Messages\n\n| message | `MAX_SIZE` | `BUFFER_CLASS` |\n|---|---|---|");
        for m in &c.messages {
            let size = before_after(m.max_size);
            let class = before_after(m.buffer_class);
            let _ = writeln!(out, "| {} | {size} | {class} |", md_cell(&m.name));
        }
    }
    if !c.enums.is_empty() {
        let _ = writeln!(out, "\n#### Enums\n\n| enum | wire type | values |\n|---|---|---|");
        for e in &c.enums {
            let show = |x: &Option<String>| x.as_deref().map_or("—".to_string(), md_cell);
            let pair = |(b, n): &(Option<String>, Option<String>)| {
                if b == n { show(b) } else { format!("{} → **{}**", show(b), show(n)) }
            };
            let _ = writeln!(out, "| {} | {} | {} |", md_cell(&e.name), pair(&e.wire_type), pair(&e.values));
        }
    }
    if !c.pools.is_empty() {
        let _ = writeln!(
            out,
            "\n#### Service pools\n\n| service | size classes (size × capacity) | pool memory |\n|---|---|---|"
        );
        for p in &c.pools {
            let classes = format!("{} → {}", pool_classes(p.before.as_ref()), pool_classes(p.after.as_ref()));
            let memory = format!("{} → {}", pool_memory(p.before.as_ref()), pool_memory(p.after.as_ref()));
            let _ = writeln!(out, "| {} | {classes} | {memory} |", md_cell(&p.service));
        }
    }
    out
}

/// The findings as a table.
fn findings(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    if diagnostics.is_empty() {
        out.push_str("\nNo findings.\n");
        return out;
    }
    let _ = writeln!(out, "\n#### Findings\n\n| severity | code | finding | where |\n|---|---|---|---|");
    for d in diagnostics {
        let place = match &d.location {
            Some(l) => format!("`{}:{}:{}`", l.source.name().replace('`', "'"), l.line, l.column),
            None => String::new(),
        };
        let mut text = d.message.replace('|', "\\|").replace('\n', " ");
        if let Some(h) = &d.help {
            let _ = write!(text, " ({})", h.replace('|', "\\|").replace('\n', " "));
        }
        let _ = writeln!(out, "| {} | `{}` | {text} | {place} |", d.severity.as_str(), d.code.as_str());
    }
    out
}

fn before_after((b, n): (Option<u64>, Option<u64>)) -> String {
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
