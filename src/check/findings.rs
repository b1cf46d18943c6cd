//! The checker's findings, capped per file and code so that their memory is bounded.
//!
//! A hostile document can make a finding out of every few bytes (`- {a: 1}` is 9 bytes and four
//! schema findings), and each finding is a few hundred bytes of heap. The loader's budget bounds
//! the document, so the findings need their own bound: at most [`MAX_FINDINGS_PER_CODE`]
//! findings of one code are listed for one file. The rest are counted, not kept, and each capped
//! code gets one closing finding of the same code, at the first one not listed, that says how
//! many more there are (as clang's `-ferror-limit`, but per code, so one flood cannot hide the
//! other kinds of finding).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};

/// How many findings of one code are listed for one file; the rest are counted.
pub const MAX_FINDINGS_PER_CODE: usize = 1000;

/// The longest message, label or help text kept, in bytes; longer ones are cut (at a character
/// boundary) and end with `…`. Names have no length limit in the contract format, and a finding
/// that quotes a megabyte-long name must not keep a megabyte.
pub const MAX_TEXT: usize = 512;

/// Findings as the checker collects them: listed up to the cap, counted beyond it.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// Findings without a location: never capped (the checker makes a handful at most).
    unlocated: Vec<Diagnostic>,
    tallies: HashMap<(usize, Code), Tally>,
    /// Order of arrival, which breaks ties between findings at the same place.
    seq: u64,
}

/// Findings of one code in one file.
#[derive(Debug, Default)]
struct Tally {
    /// The earliest (by position in the file) findings so far, at most the cap.
    listed: BinaryHeap<Ranked>,
    /// Not listed: later in the file than every listed one.
    more: usize,
    /// The earliest finding not listed, which the closing finding reuses.
    first_more: Option<Ranked>,
}

/// A located finding, ordered by position in its file, then by arrival.
#[derive(Debug)]
struct Ranked {
    key: (usize, usize, u64),
    d: Diagnostic,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// Cuts `text` to at most [`MAX_TEXT`] bytes.
pub(crate) fn cut(text: &mut String) {
    if text.len() > MAX_TEXT {
        let mut end = MAX_TEXT - '…'.len_utf8();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // A new string, not `truncate` + `shrink_to_fit`: glibc's `realloc` may keep a large
        // (mmapped) block whole when asked to shrink it, and 1,000 findings that each quote a
        // 1 MB name then hold 2 GB.
        let mut short = String::with_capacity(end + '…'.len_utf8());
        short.push_str(&text[..end]);
        short.push('…');
        *text = short;
    }
}

impl Findings {
    /// Adds a finding; returns whether it is listed (`false`: counted only).
    pub(crate) fn push(&mut self, mut d: Diagnostic) -> bool {
        cut(&mut d.message);
        if let Some(text) = d.label.as_mut() {
            cut(text);
        }
        if let Some(text) = d.help.as_mut() {
            cut(text);
        }
        let Some(at) = &d.location else {
            self.unlocated.push(d);
            return true;
        };
        self.seq += 1;
        let file = Arc::as_ptr(&at.source) as usize;
        let new = Ranked { key: (at.line, at.column, self.seq), d };
        let tally = self.tallies.entry((file, new.d.code)).or_default();
        if tally.listed.len() < MAX_FINDINGS_PER_CODE {
            tally.listed.push(new);
            return true;
        }
        // Full: keep the earliest; the latest of the two is counted.
        let (dropped, listed) = match tally.listed.peek_mut() {
            Some(mut last) if new < *last => (std::mem::replace(&mut *last, new), true),
            _ => (new, false),
        };
        tally.more += 1;
        if tally.first_more.as_ref().is_none_or(|first| dropped < *first) {
            tally.first_more = Some(dropped);
        }
        listed
    }

    /// Takes over findings collected separately (on another thread), with their counts.
    pub(crate) fn absorb(&mut self, other: Findings) {
        self.unlocated.extend(other.unlocated);
        for ((file, code), t) in other.tallies {
            let mine = self.tallies.entry((file, code)).or_default();
            if mine.listed.is_empty() && mine.more == 0 {
                *mine = t;
                continue;
            }
            // Rare (both sides found the same code in the same file): merge one by one.
            let more = t.more;
            let first_more = t.first_more;
            for r in t.listed.into_vec() {
                self.push(r.d);
            }
            let mine = self.tallies.entry((file, code)).or_default();
            mine.more += more;
            if let Some(f) = first_more
                && mine.first_more.as_ref().is_none_or(|m| f < *m)
            {
                mine.first_more = Some(f);
            }
        }
    }

    /// The listed findings, then one closing finding per capped file and code, unsorted.
    pub(crate) fn into_vec(self) -> Vec<Diagnostic> {
        let mut out = self.unlocated;
        for t in self.tallies.into_values() {
            out.extend(t.listed.into_vec().into_iter().map(|r| r.d));
            let Some(first) = t.first_more else { continue };
            let first = first.d;
            let code = first.code.as_str();
            let more = t.more;
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
    use crate::diagnostic::Location;
    use crate::source::SourceFile;

    /// A finding on `line` of a file of `x\n` lines.
    fn at(source: &Arc<SourceFile>, code: Code, line: usize) -> Diagnostic {
        let start = 2 * (line - 1);
        let mut d = Diagnostic::error(code, format!("finding on line {line}"));
        d.location = Some(Location::new(source, start..start + 1));
        d
    }

    fn lines(all: &[Diagnostic], code: Code) -> Vec<usize> {
        let mut l: Vec<_> = all.iter().filter(|d| d.code == code).map(|d| d.location.as_ref().unwrap().line).collect();
        l.sort_unstable();
        l
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
        let closing: Vec<_> = all.iter().filter(|d| d.message.contains("not listed")).collect();
        assert_eq!(closing.len(), 1);
        assert_eq!(closing[0].code, Code::SchemaViolation);
        assert!(closing[0].message.starts_with("250 more `schema-violation` findings"), "{}", closing[0].message);
        let at = closing[0].location.as_ref().unwrap();
        assert!(Arc::ptr_eq(&at.source, &a));
        assert_eq!(at.line, MAX_FINDINGS_PER_CODE + 1, "at the first finding not listed");
    }

    #[test]
    fn the_earliest_findings_in_the_file_are_listed_whatever_the_order_of_arrival() {
        let a = SourceFile::new("a.yaml", "x\n".repeat(3000));
        let mut f = Findings::default();
        // Late lines first, then early ones: the early ones push the late ones out.
        for line in (1001..=2000).chain(1..=1000).chain([2500, 5]) {
            f.push(at(&a, Code::UnknownType, line));
        }
        let all = f.into_vec();
        let closing = all.iter().find(|d| d.message.contains("not listed")).unwrap();
        assert!(closing.message.starts_with("1002 more"), "{}", closing.message);
        assert_eq!(
            closing.location.as_ref().unwrap().line,
            1000,
            "the earliest not listed: line 1000, pushed out by the second finding on line 5"
        );
        let listed: Vec<_> = all.iter().filter(|d| !d.message.contains("not listed")).cloned().collect();
        let mut want: Vec<usize> = (1..=999).collect();
        want.insert(4, 5);
        assert_eq!(lines(&listed, Code::UnknownType), want);
    }

    #[test]
    fn unlocated_findings_are_not_capped_and_long_texts_are_cut() {
        let a = SourceFile::new("a.yaml", "x\n".repeat(10));
        let mut f = Findings::default();
        f.extend((1..=10).map(|line| at(&a, Code::DuplicateMessage, line)));
        for _ in 0..MAX_FINDINGS_PER_CODE + 5 {
            assert!(f.push(Diagnostic::error(Code::ParseError, "nowhere")));
        }
        let long = "é".repeat(MAX_TEXT);
        let mut d = at(&a, Code::UnknownType, 1).with_help(long.clone());
        d.message = long.clone();
        f.push(d);
        let all = f.into_vec();
        assert_eq!(all.len(), 10 + MAX_FINDINGS_PER_CODE + 5 + 1);
        assert!(all.iter().all(|d| !d.message.contains("not listed")));
        let cut = all.iter().find(|d| d.code == Code::UnknownType).unwrap();
        for text in [&cut.message, cut.help.as_ref().unwrap()] {
            assert!(text.len() <= MAX_TEXT && text.ends_with('…') && long.starts_with(text.trim_end_matches('…')));
            assert!(text.capacity() <= MAX_TEXT, "the memory is given back, not only the length");
        }
    }

    #[test]
    fn absorbing_merges_listed_findings_and_counts() {
        let a = SourceFile::new("a.yaml", "x\n".repeat(3000));
        // Two collectors (as the schema thread and the model's), both over the cap for one code.
        let (mut mine, mut theirs) = (Findings::default(), Findings::default());
        for line in (1..=1200).filter(|l| l % 2 == 0) {
            mine.push(at(&a, Code::SchemaViolation, line));
        }
        for line in (1..=2400).filter(|l| l % 2 == 1) {
            theirs.push(at(&a, Code::SchemaViolation, line));
        }
        theirs.push(at(&a, Code::UnknownType, 7));
        mine.absorb(theirs);
        let all = mine.into_vec();
        // 600 + 1,200 + 1 findings; the earliest 1,000 of the schema ones are lines 1 to 1,000.
        let closing: Vec<_> = all.iter().filter(|d| d.message.contains("not listed")).collect();
        assert_eq!(closing.len(), 1);
        assert!(closing[0].message.starts_with("800 more"), "{}", closing[0].message);
        assert_eq!(closing[0].location.as_ref().unwrap().line, 1001);
        let listed: Vec<_> = all.iter().filter(|d| !d.message.contains("not listed")).cloned().collect();
        assert_eq!(lines(&listed, Code::SchemaViolation), (1..=1000).collect::<Vec<_>>());
        assert_eq!(lines(&listed, Code::UnknownType), [7]);
    }
}
