//! Source files and positions: byte offsets to 1-based line and column.

use std::ops::Range;
use std::sync::Arc;

/// A loaded source file: its display name (the path as the user gave it) and its text.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`CHAR_MARK`] bytes, so a column costs at most two
    /// short counts even on a very long line (a hostile one-line document with many findings
    /// was quadratic without it).
    char_marks: Vec<usize>,
}

/// Spacing in bytes of [`SourceFile`]'s character-count checkpoints.
const CHAR_MARK: usize = 256;

impl SourceFile {
    /// A source file named `name` (shown in diagnostics) holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Arc<Self> {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        let mut char_marks = Vec::with_capacity(text.len() / CHAR_MARK + 1);
        let mut chars = 0;
        for chunk in text.as_bytes().chunks(CHAR_MARK) {
            char_marks.push(chars);
            chars += count_chars(chunk);
        }
        char_marks.push(chars);
        Arc::new(SourceFile { name: name.into(), text, line_starts, char_marks })
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text as a shared string (for miette's `NamedSource` without a copy per finding).
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// 1-based line and column of a byte offset. Columns count characters (Unicode scalar
    /// values), so a tab or a multi-byte character is one column. Offsets past the end clamp
    /// to the end; an offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        (line + 1, column)
    }

    /// Characters (UTF-8 lead bytes) in `text[..offset]`, from the nearest checkpoint.
    fn chars_before(&self, offset: usize) -> usize {
        let mark = offset / CHAR_MARK;
        self.char_marks[mark] + count_chars(&self.text.as_bytes()[mark * CHAR_MARK..offset])
    }

    /// The text of a byte range, clamped to the file.
    pub fn slice(&self, span: Range<usize>) -> &str {
        let end = span.end.min(self.text.len());
        self.text.get(span.start.min(end)..end).unwrap_or("")
    }
}

/// Characters in `bytes`: every byte that is not a UTF-8 continuation byte.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = SourceFile::new("c.yaml", "a: 1\nbé: x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (1, 4));
        assert_eq!(f.line_col(5), (2, 1));
        // "bé: " is 5 bytes, 4 characters: `x` is at column 5.
        assert_eq!(f.line_col(10), (2, 5));
        assert_eq!(f.line_col(1000), (3, 1));
    }

    #[test]
    fn columns_on_long_lines_match_a_plain_count() {
        let text = format!("x\n{}\n{}", "aé€𝄞 ".repeat(500), "b".repeat(700));
        let f = SourceFile::new("c.yaml", text.as_str());
        for offset in 0..=text.len() {
            let start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let plain = text.as_bytes()[start..offset].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
            assert_eq!(f.line_col(offset).1, plain, "offset {offset}");
        }
    }
}
