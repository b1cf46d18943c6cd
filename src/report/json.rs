//! The JSON report (`docs/reference/json-report.md`): `ok`, `version`, `diagnostics`, `compat`.

use serde::Serialize;

use super::Report;
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct JsonReport<'a> {
    ok: bool,
    version: Option<&'a str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    compat: Option<crate::compat::SpecOrdered<'a>>,
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
        compat: report.compat.as_ref().map(crate::compat::SpecOrdered),
    }
}

/// The report as a JSON value. A finding without a location has `file`, `line` and
/// `column` null; one without help has `help` null.
pub fn to_json(report: &Report) -> serde_json::Value {
    serde_json::to_value(json_report(report)).unwrap_or(serde_json::Value::Null)
}

/// The report as pretty-printed JSON with a final newline (keys in the documented order).
pub fn render_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&json_report(report)).unwrap_or_default();
    s.push('\n');
    s
}
