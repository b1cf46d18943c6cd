//! GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=CODE::message` per
//! finding and per compatibility change, so both appear as annotations on the pull request.

use std::fmt::Write;

use super::Report;
use crate::compat::{Bump, Comparison};
use crate::diagnostic::Severity;

/// Escapes workflow-command data (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property value (data escapes plus `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One line per finding; nothing for a clean run.
pub fn render_github(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(l) = &d.location {
            props.push(format!("file={}", escape_property(l.source.name())));
            props.push(format!("line={}", l.line));
            props.push(format!("col={}", l.column));
        }
        props.push(format!("title={}", d.code.as_str()));
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), escape_data(&d.message));
    }
    if let Some(c) = &report.compat {
        comparison(&mut out, c);
    }
    out
}

/// One workflow command per change: `error` for the changes the declared version does not
/// cover, `notice` for the others. A change located in the base is attached to the new file
/// without a line (its base line is in the text).
fn comparison(out: &mut String, c: &Comparison) {
    let covered = if c.verdict.is_ok() { Bump::Major } else { c.verdict.declared_bump().unwrap_or(Bump::None) };
    for (ch, l) in &c.changes {
        let level = if ch.rule.bump > covered { "error" } else { "notice" };
        let mut props = String::new();
        let mut message = format!("{} ({} change)", ch.text, ch.rule.bump);
        if let Some(w) = &ch.witness {
            let _ = write!(message, "; on the wire: {w}");
        }
        match l {
            Some(l) if !l.in_base => {
                let _ = write!(props, "file={},line={},col={},", escape_property(&l.file), l.line, l.column);
            }
            Some(l) => {
                let _ = write!(props, "file={},", escape_property(&c.new_label));
                let _ = write!(message, "; in the base at {}:{}:{}", l.file, l.line, l.column);
            }
            None => {
                let _ = write!(props, "file={},", escape_property(&c.new_label));
            }
        }
        let _ = writeln!(out, "::{level} {props}title={}::{}", escape_property(ch.rule.code), escape_data(&message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_data_and_properties_are_escaped() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("dir:a,b/c.yaml"), "dir%3Aa%2Cb/c.yaml");
    }
}
