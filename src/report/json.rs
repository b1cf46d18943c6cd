//! The JSON report (`docs/reference/json-report.md`): `ok`, `version`, `diagnostics`, `compat`.

use serde::Serialize;

use super::Report;
use crate::compat::{Bump, Comparison};
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct JsonReport<'a> {
    ok: bool,
    version: Option<&'a str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    compat: Option<JsonCompat<'a>>,
}

/// The `compat` object; fields in the documented order.
#[derive(Serialize)]
struct JsonCompat<'a> {
    base_version: &'a str,
    version: &'a str,
    required_bump: &'static str,
    declared_bump: Option<&'static str>,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    code: &'static str,
    bump: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    witness: Option<&'a str>,
}

impl<'a> From<&'a Comparison> for JsonCompat<'a> {
    fn from(c: &'a Comparison) -> Self {
        JsonCompat {
            base_version: &c.verdict.base_version,
            version: &c.verdict.version,
            required_bump: c.verdict.required.as_str(),
            declared_bump: c.verdict.declared_bump().map(Bump::as_str),
            changes: c
                .changes
                .iter()
                .map(|(ch, l)| JsonChange {
                    code: ch.rule.code,
                    bump: ch.rule.bump.as_str(),
                    message: &ch.text,
                    file: l.as_ref().map(|l| l.file.as_str()),
                    line: l.as_ref().map(|l| l.line),
                    column: l.as_ref().map(|l| l.column),
                    witness: ch.witness.as_deref(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: &d.message,
            file: d.location.as_ref().map(|l| l.source.name()),
            line: d.location.as_ref().map(|l| l.line),
            column: d.location.as_ref().map(|l| l.column),
            help: d.help.as_deref(),
        }
    }
}

fn json_report(report: &Report) -> JsonReport<'_> {
    JsonReport {
        ok: report.ok(),
        version: report.version.as_deref(),
        diagnostics: report.diagnostics.iter().map(JsonDiagnostic::from).collect(),
        compat: report.compat.as_ref().map(JsonCompat::from),
    }
}

/// The report as a JSON value. A finding without a location has `file`, `line` and
/// `column` null; one without help has `help` null.
#[cfg(feature = "internals")]
pub fn to_json(report: &Report) -> serde_json::Value {
    serde_json::to_value(json_report(report)).unwrap_or(serde_json::Value::Null)
}

/// The report as pretty-printed JSON with a final newline (keys in the documented order).
pub fn render_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&json_report(report)).unwrap_or_default();
    s.push('\n');
    s
}
