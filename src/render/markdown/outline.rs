//! The page outline is valid even when the author's is not: the page title (the theme's `h1`)
//! is the page's only level-1 heading, and heading levels never skip. An author's first `# …`
//! that repeats the title is left out; other headings are placed one level below the nearest
//! earlier heading of a smaller author level (the title for the first), so `#` → `###` becomes
//! h2 → h3 and `##` → `####` becomes h2 → h3, while the author's nesting is kept.

/// What happens to one heading.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// The author's first `# …` repeating the page title: not shown again.
    Dropped,
    /// Shown at this level (2 to 6).
    Level(u8),
}

/// A warning about a heading moved to another level: (message, hint).
pub(super) type Note = (String, String);

/// The headings placed so far on one page.
#[derive(Debug)]
pub(super) struct Outline {
    /// The page title, compared loosely.
    title: String,
    /// The open headings: (author level, shown level).
    open: Vec<(u8, u8)>,
    /// No heading placed yet.
    first: bool,
    /// A `#` heading was already reported on this page.
    told_h1: bool,
    /// The skips already reported, as (parent's author level, author level): each is
    /// reported once a page.
    told_skips: Vec<(u8, u8)>,
}

/// Text compared loosely: case, spacing, a trailing colon or period and Markdown's emphasis
/// and code marks (a title written `Lab 1: *Docker*`) do not matter.
fn loose(text: &str) -> String {
    text.replace(['`', '*'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([':', '.'])
        .to_lowercase()
}

impl Outline {
    /// The outline of a page whose `h1` (made by the theme) is `title`.
    pub fn new(title: &str) -> Outline {
        Outline {
            title: loose(title),
            open: Vec::new(),
            first: true,
            told_h1: false,
            told_skips: Vec::new(),
        }
    }

    /// Places a heading the author wrote at `level` (1 to 6) with plain text `text`. A heading
    /// with an id of the author's own is never dropped (links may point to it).
    /// Skips of the same kind are reported once a page.
    pub fn place(&mut self, level: u8, text: &str, has_own_id: bool) -> (Place, Option<Note>) {
        let first = std::mem::replace(&mut self.first, false);
        if first && level == 1 && !has_own_id && !self.title.is_empty() && loose(text) == self.title
        {
            return (Place::Dropped, None);
        }
        while self.open.last().is_some_and(|(a, _)| *a >= level) {
            self.open.pop();
        }
        let (parent_author, parent_shown) = self.open.last().copied().unwrap_or((1, 1));
        let shown = (parent_shown + 1).min(6);
        self.open.push((level, shown));
        let note = if level == 1 {
            (!std::mem::replace(&mut self.told_h1, true)).then(|| {
                (
                    format!("level-1 heading `# {text}` is shown as level 2: the page title is the page's only level-1 heading"),
                    "start sections with `##`; the headings below a `#` heading are each shown one level down too".to_string(),
                )
            })
        } else if level > parent_author + 1 && !self.told_skips.contains(&(parent_author, level)) {
            self.told_skips.push((parent_author, level));
            let after = if self.open.len() == 1 {
                "the page title".to_string()
            } else {
                format!("a level-{parent_author} heading")
            };
            Some((
                format!("heading level {level} follows {after}; it is shown as level {shown}"),
                "do not skip heading levels (screen readers navigate by them): use one more `#` than the heading above".to_string(),
            ))
        } else {
            None
        };
        (Place::Level(shown), note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(title: &str, headings: &[(u8, &str)]) -> Vec<(Option<u8>, bool)> {
        let mut o = Outline::new(title);
        headings
            .iter()
            .map(|(l, t)| {
                let (p, note) = o.place(*l, t, false);
                let shown = match p {
                    Place::Dropped => None,
                    Place::Level(n) => Some(n),
                };
                (shown, note.is_some())
            })
            .collect()
    }

    #[test]
    fn a_syllabus_that_skips_levels_gets_a_valid_outline() {
        // `# Syllabus` repeats the title; `###` under it becomes h2; `####` h3.
        assert_eq!(
            levels(
                "Syllabus",
                &[
                    (1, "syllabus:"),
                    (3, "Grading"),
                    (4, "Late work"),
                    (3, "Exams")
                ]
            ),
            [
                (None, false),
                (Some(2), true),
                (Some(3), false),
                (Some(2), false)
            ]
        );
        // A unit page going `##` → `####`.
        assert_eq!(
            levels("Unit 1", &[(2, "Goals"), (4, "Reading"), (2, "Lab")]),
            [(Some(2), false), (Some(3), true), (Some(2), false)]
        );
    }

    #[test]
    fn pages_written_with_h1_sections_keep_their_nesting() {
        assert_eq!(
            levels(
                "Lab 1",
                &[(1, "Setup"), (2, "Docker"), (1, "Run"), (2, "Logs")]
            ),
            [
                (Some(2), true),
                (Some(3), false),
                (Some(2), false),
                (Some(3), false)
            ]
        );
        // A title with Markdown marks still matches the heading's text.
        assert_eq!(
            levels("Lab 1: `docker`", &[(1, "Lab 1:  docker")]),
            [(None, false)]
        );
        // Only the first heading may repeat the title.
        assert_eq!(
            levels("Lab 1", &[(2, "Intro"), (1, "Lab 1")]),
            [(Some(2), false), (Some(2), true)]
        );
        // Never deeper than h6.
        let deep = levels("T", &[(2, "a"), (3, "b"), (4, "c"), (5, "d"), (6, "e")]);
        assert_eq!(deep.last(), Some(&(Some(6), false)));
    }
}
