//! Diagnostics: every mistake a course author can make, as `path:line:col: error: message`.
//!
//! Stages never stop at the first problem: they push into a [`Diagnostics`] list and carry on
//! with what they could read, so one build reports everything that is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings only inform (or fail `check --strict`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The course cannot be built as written.
    Error,
    /// Worth a look, but the site is still built.
    Warning,
}

/// One message about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the course root where possible.
    pub path: PathBuf,
    /// 1-based line in the file (0 when the whole file is meant).
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong, in words an instructor understands.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a place.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a place.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// Adds a hint ("did you mean …", "add a title: line").
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint only when there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let line = self.line.max(1);
        let col = self.col.max(1);
        write!(
            f,
            "{}:{line}:{col}: {kind}: {}",
            Escaped(&self.path.display().to_string()),
            Escaped(&self.message)
        )?;
        if let Some(hint) = &self.hint {
            // A hint may span lines (an example to copy); each of its lines is escaped.
            let mut lines = hint.split('\n');
            write!(f, "\n  hint: {}", Escaped(lines.next().unwrap_or_default()))?;
            for line in lines {
                write!(f, "\n{}", Escaped(line))?;
            }
        }
        Ok(())
    }
}

/// Text shown with every character that could rewrite a terminal or reorder a line replaced by
/// its escape (`\u{1b}`): C0 and C1 controls (ESC, CR, BEL, newline…), DEL, and the Unicode
/// bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
///
/// Diagnostics echo file names and values from a course someone else wrote; this is the one
/// place they are printed from (terminal, serve's overlay), so it is the one place they are
/// made inert.
pub struct Escaped<'a>(pub &'a str);

/// Whether `c` must not reach a terminal as is (see [`Escaped`]).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((i, c)) = rest.char_indices().find(|(_, c)| is_unsafe_char(*c)) {
            f.write_str(&rest[..i])?;
            write!(f, "\\u{{{:x}}}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// The list every stage adds to.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds each of `more`, in order.
    pub fn extend_from(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        more.into_iter().for_each(|d| self.push(d));
    }

    /// Adds all of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Takes the diagnostics out, in the order they were found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Whether any error (not warning) was found.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// All diagnostics, sorted by file, line, column; duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`check --strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

/// How many string comparisons the "did you mean" hints of one call to [`nearest`], or of one
/// page's messages through [`nearest_within`], may make. Past it a hint says what to do
/// instead of naming a candidate: 20,000 links to missing headings cost linear time, not
/// links × headings.
pub const HINT_BUDGET: usize = 20_000;

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest_within(word, candidates, &mut HINT_BUDGET.clone())
}

/// [`nearest`], spending at most `budget` comparisons (and taking them off it). Candidates whose
/// length alone rules them out cost nothing. `None` once the budget is spent.
pub fn nearest_within<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &mut usize,
) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let word_n = word_l.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let c_l = c.to_lowercase();
        let c_n = c_l.chars().count();
        let limit = (c_n.max(word_n) / 3).max(1);
        let prefix = (!word_l.is_empty() && c_l.starts_with(&word_l))
            || (c_n >= 3 && word_l.starts_with(&c_l));
        if !prefix && c_n.abs_diff(word_n) > limit {
            continue;
        }
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let d = strsim::damerau_levenshtein(&word_l, &c_l);
        // Ties go to the name that sorts first, so a hint does not depend on the order of a
        // hash map (which changes from run to run).
        if (d <= limit || prefix) && best.is_none_or(|(b, bc)| d < b || (d == b && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// How many choices a hint lists when nothing is close.
const MAX_LISTED: usize = 20;

/// A "did you mean" hint, or a list of the valid choices when nothing is close (the first
/// twenty, and how many more there are).
pub fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    match nearest(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let mut list = candidates
                .iter()
                .take(MAX_LISTED)
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if candidates.len() > MAX_LISTED {
                list.push_str(&format!(" and {} more", candidates.len() - MAX_LISTED));
            }
            format!("expected one of: {list}")
        }
    }
}

/// Maps byte offsets of a text to 1-based line and column numbers.
///
/// Columns count characters, which means walking the line; the last answer is remembered, so
/// that many lookups in increasing order along one long line cost its length once, not once
/// per lookup.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last (offset, column) found, to continue from.
    last: std::cell::Cell<(usize, usize)>,
}

impl LineIndex {
    /// Indexes the starts of lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let (last_offset, last_col) = self.last.get();
        let (from, col) = if last_offset >= start && last_offset <= offset {
            (last_offset, last_col)
        } else {
            (start, 1)
        };
        let col = col + text[from..offset].chars().count();
        self.last.set((offset, col));
        (line + 1, col)
    }
}

/// A path shown relative to the course root when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_compiler() {
        let d = Diagnostic::error("content/a.md", 3, 7, "unknown key `sesion`")
            .with_hint("did you mean `session`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: unknown key `sesion`\n  hint: did you mean `session`?"
        );
    }

    /// Escape sequences, carriage returns, C1 controls and bidi overrides in a path, a message
    /// or a hint are shown escaped, never sent to the terminal.
    #[test]
    fn control_characters_are_escaped() {
        let d = Diagnostic::error(
            "content/\u{1b}[2Kx\u{202e}.md",
            1,
            1,
            "slug `a\rb\u{7}\u{9b}c`",
        )
        .with_hint("x\u{1b}]0;t\u{7}");
        assert_eq!(
            d.to_string(),
            "content/\\u{1b}[2Kx\\u{202e}.md:1:1: error: slug `a\\u{d}b\\u{7}\\u{9b}c`\n  hint: x\\u{1b}]0;t\\u{7}"
        );
    }

    #[test]
    fn nearest_finds_typos_and_rejects_strangers() {
        let keys = ["title", "session", "sessions", "unscheduled"];
        assert_eq!(nearest("sesion", keys), Some("session"));
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("unschedule", keys), Some("unscheduled"));
        assert_eq!(nearest("colour", keys), None);
        // A tie goes to the name that sorts first, whatever order the candidates come in.
        assert_eq!(
            nearest("02-one.md", ["03-one.md", "01-one.md"]),
            Some("01-one.md")
        );
        assert_eq!(
            nearest("02-one.md", ["01-one.md", "03-one.md"]),
            Some("01-one.md")
        );
    }

    #[test]
    fn line_index_counts_lines_and_chars() {
        let text = "ab\ncdé\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.locate(text, 0), (1, 1));
        assert_eq!(idx.locate(text, 3), (2, 1));
        assert_eq!(idx.locate(text, 7), (2, 4));
        assert_eq!(idx.locate(text, 8), (3, 1));
        assert_eq!(idx.locate(text, 4), (2, 2));
        assert_eq!(idx.locate(text, 7), (2, 4));
    }

    /// A hint search stops when its budget is spent; a long list of choices is cut.
    #[test]
    fn hints_are_bounded() {
        let many: Vec<String> = (0..1000).map(|i| format!("part-{i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut budget = 10;
        assert_eq!(
            nearest_within("prat-999", refs.iter().copied(), &mut budget),
            None
        );
        assert_eq!(budget, 0);
        let mut budget = 5000;
        assert_eq!(
            nearest_within("prat-999", refs.iter().copied(), &mut budget),
            Some("part-999")
        );
        assert_eq!(
            did_you_mean("zzzzzzzzzzzz", &refs),
            "expected one of: `part-0`, `part-1`, `part-2`, `part-3`, `part-4`, `part-5`, `part-6`, `part-7`, `part-8`, `part-9`, `part-10`, `part-11`, `part-12`, `part-13`, `part-14`, `part-15`, `part-16`, `part-17`, `part-18`, `part-19` and 980 more"
        );
    }
}
