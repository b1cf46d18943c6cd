//! The checker's findings, capped per file and code so that their memory is bounded.
//!
//! A hostile document can make a finding out of every few bytes (`- {a: 1}` is 9 bytes and four
//! schema findings), and each finding is a few hundred bytes of heap. The loader's budget bounds
//! the document, so the findings need their own bound: at most [`MAX_FINDINGS_PER_CODE`]
//! findings of one code are listed for one file. The rest are counted, not kept, and each capped
//! code gets one closing finding of the same code, at the first one not listed, that says how
//! many more there are (as clang's `-ferror-limit`, but per code, so one flood cannot hide the
//! other kinds of finding).

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Location};

/// How many findings of one code are listed for one file; the rest are counted.
pub const MAX_FINDINGS_PER_CODE: usize = 1000;

/// Findings as the checker collects them: listed up to the cap, counted beyond it.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    listed: Vec<Diagnostic>,
    tallies: HashMap<(usize, Code), Tally>,
}

/// Findings of one code in one file.
#[derive(Debug, Default)]
struct Tally {
    listed: usize,
    /// Not listed, because `listed` had reached the cap.
    more: usize,
    /// The first finding not listed, which the closing finding reuses.
    first_more: Option<Diagnostic>,
}

/// The file a finding is in, by identity (`0` for findings without a location).
fn file_key(d: &Diagnostic) -> usize {
    d.location.as_ref().map_or(0, |l| Arc::as_ptr(&l.source) as usize)
}

impl Findings {
    /// Adds a finding; returns whether it is listed (`false`: over the cap, only counted).
    pub(crate) fn push(&mut self, d: Diagnostic) -> bool {
        let tally = self.tallies.entry((file_key(&d), d.code)).or_default();
        if tally.listed < MAX_FINDINGS_PER_CODE {
            tally.listed += 1;
            self.listed.push(d);
            true
        } else {
            tally.more += 1;
            if tally.first_more.is_none() {
                tally.first_more = Some(d);
            }
            false
        }
    }

    /// The listed findings, then one closing finding per capped file and code, unsorted.
    pub(crate) fn into_vec(self) -> Vec<Diagnostic> {
        let mut out = self.listed;
        let mut closing: Vec<_> = self.tallies.into_values().filter_map(|t| Some((t.more, t.first_more?))).collect();
        closing.sort_by_key(|(_, d)| d.location.as_ref().map(|l: &Location| (l.line, l.column)));
        for (more, first) in closing {
            let code = first.code.as_str();
            let what = if more == 1 { "finding" } else { "findings" };
            let mut d = Diagnostic::error(
                first.code,
                format!(
                    "{more} more `{code}` {what} in this file, from here on, are not listed \
                     (at most {MAX_FINDINGS_PER_CODE} of one code are)"
                ),
            )
            .with_severity(first.severity);
            d.location = first.location;
            d.help = Some("fix the findings listed and run the check again".to_string());
            out.push(d);
        }
        out
    }
}

impl Findings {
    /// Takes over findings collected separately (on another thread), with their counts.
    pub(crate) fn absorb(&mut self, other: Findings) {
        for d in other.listed {
            self.push(d);
        }
        for (key, t) in other.tallies {
            if t.more > 0 {
                let mine = self.tallies.entry(key).or_default();
                mine.more += t.more;
                if mine.first_more.is_none() {
                    mine.first_more = t.first_more;
                }
            }
        }
    }
}

impl Extend<Diagnostic> for Findings {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        for d in iter {
            self.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn at(source: &Arc<SourceFile>, code: Code, line: usize) -> Diagnostic {
        let start = source.text().match_indices('\n').nth(line.saturating_sub(2)).map_or(0, |(i, _)| i + 1);
        let mut d = Diagnostic::error(code, format!("finding on line {line}"));
        d.location = Some(Location::new(source, start..start + 1));
        d
    }

    #[test]
    fn each_file_and_code_is_capped_and_closed_by_a_count() {
        let text = "x\n".repeat(3000);
        let a = SourceFile::new("a.yaml", text.clone());
        let b = SourceFile::new("b.toml", text);
        let mut f = Findings::default();
        for line in 1..=MAX_FINDINGS_PER_CODE + 250 {
            assert_eq!(f.push(at(&a, Code::SchemaViolation, line)), line <= MAX_FINDINGS_PER_CODE);
        }
        // Another code in the same file, and the same code in another file, have their own cap.
        assert!(f.push(at(&a, Code::UnknownType, 1)));
        assert!(f.push(at(&b, Code::SchemaViolation, 1)));

        let all = f.into_vec();
        assert_eq!(all.len(), MAX_FINDINGS_PER_CODE + 2 + 1);
        let closing = all.last().unwrap();
        assert_eq!(closing.code, Code::SchemaViolation);
        assert!(closing.message.starts_with("250 more `schema-violation` findings"), "{}", closing.message);
        let at = closing.location.as_ref().unwrap();
        assert!(Arc::ptr_eq(&at.source, &a));
        assert_eq!(at.line, MAX_FINDINGS_PER_CODE + 1, "at the first finding not listed");
    }

    #[test]
    fn under_the_cap_nothing_is_added() {
        let a = SourceFile::new("a.yaml", "x\n".repeat(10));
        let mut f = Findings::default();
        f.extend((1..=10).map(|line| at(&a, Code::DuplicateMessage, line)));
        f.push(Diagnostic::error(Code::ParseError, "nowhere"));
        let all = f.into_vec();
        assert_eq!(all.len(), 11);
        assert!(all.iter().all(|d| !d.message.contains("not listed")));
    }
}
