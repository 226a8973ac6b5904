//! The Markdown text that is parsed may differ from the file: Liquid tags are rewritten or
//! removed and a `$` that Pandoc would not read as math is escaped. [`Rewritten`] holds that
//! text and maps its offsets back to the file, so every message points at what the author
//! wrote.

/// One change to the original text: the bytes `start..end` are replaced by `text`
/// (`start == end` inserts).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    /// Start of the replaced bytes in the original text.
    pub start: usize,
    /// End of the replaced bytes in the original text.
    pub end: usize,
    /// What stands there instead.
    pub text: String,
}

/// A text made from an original by a list of [`Edit`]s, with the way back.
#[derive(Debug, Default)]
pub struct Rewritten {
    /// The text to parse.
    pub text: String,
    /// For each piece of `text`: (its start in `text`, its start in the original, whether it is
    /// a copy of the original). An offset inside a replaced piece maps to the piece's start.
    pieces: Vec<(usize, usize, bool)>,
}

impl Rewritten {
    /// Applies `edits` (any order; overlapping ones after the first are ignored) to `original`.
    pub fn new(original: &str, edits: &[Edit]) -> Rewritten {
        let mut edits: Vec<&Edit> = edits.iter().collect();
        edits.sort();
        let mut out = Rewritten {
            text: String::with_capacity(original.len() + 16),
            pieces: Vec::with_capacity(edits.len() * 2 + 1),
        };
        let mut at = 0;
        for e in edits {
            if e.start < at || e.end > original.len() || e.start > e.end {
                continue;
            }
            out.copy(original, at, e.start);
            out.pieces.push((out.text.len(), e.start, false));
            out.text.push_str(&e.text);
            at = e.end;
        }
        out.copy(original, at, original.len());
        out
    }

    fn copy(&mut self, original: &str, from: usize, to: usize) {
        if from < to {
            self.pieces.push((self.text.len(), from, true));
            self.text.push_str(&original[from..to]);
        }
    }

    /// The offset in the original text of the byte at `offset` in [`Rewritten::text`].
    pub fn original(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((start, orig, true)) => orig + (offset - start),
            Some((_, orig, false)) => orig,
            None => offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit {
            start,
            end,
            text: text.into(),
        }
    }

    #[test]
    fn offsets_map_back_through_insertions_and_replacements() {
        let r = Rewritten::new("ab{{ x }}cd$5", &[edit(11, 11, "\\"), edit(2, 9, "")]);
        assert_eq!(r.text, "abcd\\$5");
        assert_eq!(r.original(0), 0);
        assert_eq!(r.original(2), 9); // "c"
        assert_eq!(r.original(4), 11); // the inserted "\" stands where "$" is
        assert_eq!(r.original(5), 11); // "$"
        assert_eq!(r.original(6), 12);
        let same = Rewritten::new("plain", &[]);
        assert_eq!((same.text.as_str(), same.original(3)), ("plain", 3));
    }
}
