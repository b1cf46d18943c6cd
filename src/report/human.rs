//! Human output: every finding rendered by miette (source snippet, a label under the value,
//! help), the extra sections, the pool plan of every service when nothing failed, and one
//! summary line.

use std::fmt::{self, Write};
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use super::{Report, ServicePlan};
use crate::compat::{Bump, Comparison};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// How human output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanStyle {
    /// ANSI colors (only for a terminal).
    pub color: bool,
    /// Line width for wrapping messages.
    pub width: usize,
}

impl HumanStyle {
    /// Deterministic output for files, pipes and snapshots: no colors, 100 columns.
    pub const PLAIN: HumanStyle = HumanStyle { color: false, width: 100 };

    /// Colors when `is_terminal` and `NO_COLOR` is not set; always 100 columns, so output does
    /// not depend on the terminal's size.
    pub fn detect(is_terminal: bool) -> Self {
        let color = is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        HumanStyle { color, ..HumanStyle::PLAIN }
    }
}

/// A source file as miette reads it. miette's own `SourceCode` for `str` scans the text from
/// its start for every finding, so 10,000 findings in a 7 MB file would take minutes; this one
/// hands miette only a window of a few lines around the span (found by scanning from the span),
/// so rendering a finding costs the length of its lines, whatever the file's size.
///
/// A finding on a line longer than [`LONG_LINE`] bytes (minified JSON, a one-line flow
/// document) is shown on an excerpt of that line around its span, as one line: miette prints
/// the whole line for every finding, so 1,000 findings on a 5 MB line would print 5 GB.
struct SourceView<'a> {
    file: &'a Arc<SourceFile>,
    excerpt: Option<Excerpt<'a>>,
}

/// Lines longer than this are shown as an excerpt around the finding.
const LONG_LINE: usize = 240;

/// A piece of one long line: its text and where it starts in the file.
struct Excerpt<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> SourceView<'a> {
    fn new(file: &'a Arc<SourceFile>, span: &std::ops::Range<usize>) -> Self {
        let text = file.text();
        let bytes = text.as_bytes();
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        let line_start = bytes[..start].iter().rposition(|&b| b == b'\n').map_or(0, |nl| nl + 1);
        let line_end = bytes[start..].iter().position(|&b| b == b'\n').map_or(text.len(), |nl| start + nl);
        if line_end - line_start <= LONG_LINE {
            return SourceView { file, excerpt: None };
        }
        let mut from = start.saturating_sub(LONG_LINE / 3).max(line_start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (end.min(start + LONG_LINE / 3) + LONG_LINE / 3).min(line_end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        SourceView { file, excerpt: Some(Excerpt { text: &text[from..to], offset: from }) }
    }

    /// The label's span, kept inside the excerpt.
    fn clip(&self, span: std::ops::Range<usize>) -> (usize, usize) {
        match &self.excerpt {
            Some(e) => {
                let start = span.start.clamp(e.offset, e.offset + e.text.len());
                (start, span.end.clamp(start, e.offset + e.text.len()) - start)
            }
            None => (span.start, span.end.saturating_sub(span.start)),
        }
    }
}

impl SourceCode for SourceView<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if let Some(e) = &self.excerpt {
            let start = span.offset().clamp(e.offset, e.offset + e.text.len()) - e.offset;
            let len = span.len().min(e.text.len() - start);
            let contents =
                e.text.read_span(&SourceSpan::new(start.into(), len), context_lines_before, context_lines_after)?;
            let (line, column) = self.file.line_col(e.offset);
            return Ok(Box::new(MietteSpanContents::new_named(
                self.file.name().to_string(),
                contents.data(),
                SourceSpan::new((contents.span().offset() + e.offset).into(), contents.span().len()),
                contents.line() + line - 1,
                contents.column() + column - 1,
                contents.line_count() + line - 1,
            )));
        }
        let text = self.file.text();
        let bytes = text.as_bytes();
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).clamp(start, text.len());
        // One line more than asked on each side: miette trims the window to what it needs.
        let mut window_start = start;
        let mut pos = start;
        for _ in 0..context_lines_before + 2 {
            match bytes[..pos].iter().rposition(|&b| b == b'\n') {
                Some(nl) => {
                    window_start = nl + 1;
                    pos = nl;
                }
                None => {
                    window_start = 0;
                    break;
                }
            }
        }
        let mut window_end = end;
        for _ in 0..context_lines_after + 2 {
            match bytes[window_end..].iter().position(|&b| b == b'\n') {
                Some(nl) => window_end += nl + 1,
                None => {
                    window_end = text.len();
                    break;
                }
            }
        }
        let window = &text[window_start..window_end];
        let local = SourceSpan::new((start - window_start).into(), end - start);
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let base_line = self.file.line_col(window_start).0 - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.name().to_string(),
            contents.data(),
            SourceSpan::new((contents.span().offset() + window_start).into(), contents.span().len()),
            contents.line() + base_line,
            contents.column(),
            contents.line_count() + base_line,
        )))
    }
}

/// Adapter from a [`Diagnostic`] to `miette::Diagnostic`.
struct Rendered<'a> {
    d: &'a Diagnostic,
    source: Option<SourceView<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let l = self.d.location.as_ref()?;
        let span = match &self.source {
            Some(source) => source.clip(l.span.clone()),
            None => (l.span.start, l.span.end.saturating_sub(l.span.start)),
        };
        let label = LabeledSpan::new_primary_with_span(self.d.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

fn handler(style: HumanStyle) -> GraphicalReportHandler {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(1)
}

/// Renders one finding as miette does.
pub(crate) fn render_diagnostic(d: &Diagnostic, style: HumanStyle) -> String {
    let source = d.location.as_ref().map(|l| SourceView::new(&l.source, &l.span));
    let mut out = String::new();
    let _ = handler(style).render_report(&mut out, &Rendered { d, source });
    out
}

/// Renders the whole report: findings (sorted by position), extra sections, the pool plan
/// when there is no error, and a summary line.
pub fn render_human(report: &Report, style: HumanStyle) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&render_diagnostic(d, style));
        out.push('\n');
    }
    for note in &report.notes {
        out.push_str("note: ");
        out.push_str(note.trim_end());
        out.push_str("\n\n");
    }
    if let Some(c) = &report.compat {
        out.push_str(comparison(c).trim_end());
        out.push_str("\n\n");
    }
    if report.ok() {
        render_plan(&mut out, &report.services);
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// The comparison: the changes grouped by bump, each with its place and witness, then one
/// summary line.
fn comparison(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Comparing {} ({}) against base {} ({})",
        c.new_label, c.verdict.version, c.base_label, c.verdict.base_version
    );
    if c.changes.is_empty() {
        let _ = writeln!(out, "\nNo changes.");
    }
    let width = c.changes.iter().map(|(ch, _)| ch.rule.code.len()).max().unwrap_or(0);
    for bump in [Bump::Major, Bump::Minor, Bump::Patch] {
        let group: Vec<_> = c.changes.iter().filter(|(ch, _)| ch.rule.bump == bump).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n--- {bump} changes ({}) ---", group.len());
        for (ch, l) in group {
            let _ = writeln!(out, "  {:width$}  {}", ch.rule.code, ch.text);
            if let Some(l) = l {
                let base = if l.in_base { " (in the base: removed from the new contracts)" } else { "" };
                let _ = writeln!(out, "  {:width$}  --> {}:{}:{}{base}", "", l.file, l.line, l.column);
            }
            if let Some(w) = &ch.witness {
                let _ = writeln!(out, "  {:width$}  wire: {w}", "");
            }
        }
    }
    if !c.enums.is_empty() {
        let _ = writeln!(out, "\nEnums (wire type; values), base -> new:");
        let width = c.enums.iter().map(|e| e.name.len()).max().unwrap_or(0);
        for e in &c.enums {
            let side = |t: &Option<String>, v: &Option<String>| match (t, v) {
                (Some(t), Some(v)) => format!("{t}; {v}"),
                _ => "-".to_string(),
            };
            let (before, after) = (side(&e.wire_type.0, &e.values.0), side(&e.wire_type.1, &e.values.1));
            if before == after {
                let _ = writeln!(out, "  {:width$}  {before}", e.name);
            } else {
                let _ = writeln!(out, "  {:width$}  {before}  ->  {after}", e.name);
            }
        }
    }
    let _ = writeln!(out, "\n{}", super::verdict::summary_line(c));
    out
}

/// The last line: verdict, counts, file and version.
fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let version = report.version.as_deref().map(|v| format!(", version {v}")).unwrap_or_default();
    let counts = format!(
        "{} {}, {} {}",
        report.message_count,
        plural(report.message_count, "message", "messages"),
        report.services.len(),
        plural(report.services.len(), "service", "services")
    );
    if errors > 0 {
        format!(
            "check-contracts: FAILED with {errors} {} and {warnings} {} in {}{version}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            report.contracts_file
        )
    } else if warnings > 0 {
        format!(
            "check-contracts: ok with {warnings} {}: {counts} in {}{version}",
            plural(warnings, "warning", "warnings"),
            report.contracts_file
        )
    } else {
        format!("check-contracts: ok: {counts} in {}{version}, no findings", report.contracts_file)
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// 131072 → "128 KiB"; 1536 → "1.5 KiB"; 100 → "100 B".
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            return if n.is_multiple_of(size) {
                format!("{} {unit}", n / size)
            } else {
                format!("{:.1} {unit}", n as f64 / size as f64)
            };
        }
    }
    format!("{n} B")
}

/// "What will my service allocate?": per service, its messages with `MAX_SIZE` and
/// `BUFFER_CLASS`, and its pool classes with capacities and memory.
fn render_plan(out: &mut String, services: &[ServicePlan]) {
    if services.is_empty() {
        return;
    }
    out.push_str("Buffer pools by service (MAX_SIZE and BUFFER_CLASS in bytes):\n\n");
    for s in services {
        let width = s.messages.iter().map(|m| m.name.len()).max().unwrap_or(0).max(7);
        let _ = writeln!(out, "{}", s.name);
        let _ = writeln!(out, "  {:<width$}  {:>8}  {:>12}", "message", "MAX_SIZE", "BUFFER_CLASS");
        for m in &s.messages {
            let _ = writeln!(out, "  {:<width$}  {:>8}  {:>12}", m.name, m.max_size, m.buffer_class);
        }
        if !s.enabled {
            out.push_str("  pool: disabled (buffer_pool_enabled: false)\n\n");
            continue;
        }
        let _ = writeln!(
            out,
            "  pool: {} size {}, {} when full",
            s.classes.len(),
            plural(s.classes.len(), "class", "classes"),
            bytes(s.memory_bytes())
        );
        let size_w = s.classes.iter().map(|c| c.size.to_string().len()).max().unwrap_or(1);
        let cap_w = s.classes.iter().map(|c| c.capacity.to_string().len()).max().unwrap_or(1);
        for c in &s.classes {
            let _ = writeln!(
                out,
                "    {:>size_w$} B x {:>cap_w$} buffers = {}",
                c.size,
                c.capacity,
                bytes(c.size.saturating_mul(c.capacity))
            );
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_sizes_read_naturally() {
        assert_eq!(super::bytes(131_072), "128 KiB");
        assert_eq!(super::bytes(1536), "1.5 KiB");
        assert_eq!(super::bytes(100), "100 B");
        assert_eq!(super::bytes(3 << 20), "3 MiB");
    }
}
