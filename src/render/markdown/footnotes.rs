//! Footnotes as GitHub shows them: a numbered mark where the note is referenced, the notes
//! in a list at the end of the page in the order of their first reference, each with a link
//! back to its marks. Their ids (`fn-<label>`, `fnref-<label>`) are taken from the page's one
//! namespace, so they never equal a heading's id, and a label with spaces gives a valid id.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::ids::{PageIds, label_slug};
use super::{Ctx, escape_attr};

/// A label as CommonMark matches it: case-folded, inner whitespace collapsed.
fn key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Debug, Default)]
struct Note {
    /// The label as first written.
    label: String,
    /// 1-based number, in order of first reference (unreferenced notes come last).
    number: usize,
    id: String,
    /// One id per reference, in order.
    ref_ids: Vec<String>,
    /// References rendered so far.
    used: usize,
    /// Where the definition is written, if anywhere.
    defined_at: Option<usize>,
    /// The rendered definition.
    html: Option<String>,
}

/// The footnotes of one page.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    notes: HashMap<String, Note>,
    order: Vec<String>,
    /// While a definition is rendered: where its events start in the page's list.
    open: Option<usize>,
}

impl Footnotes {
    /// Notes a reference to `label` (first pass, in document order).
    pub fn reference(&mut self, label: &str) {
        let k = key(label);
        if !self.notes.contains_key(&k) {
            self.order.push(k.clone());
        }
        let note = self.notes.entry(k).or_default();
        if note.label.is_empty() {
            note.label = label.to_string();
        }
        note.ref_ids.push(String::new());
    }

    /// Notes the definition of `label` at `offset` (first pass).
    pub fn definition(&mut self, label: &str, offset: usize) {
        let k = key(label);
        if !self.notes.contains_key(&k) {
            self.order.push(k.clone());
        }
        let note = self.notes.entry(k).or_default();
        if note.label.is_empty() {
            note.label = label.to_string();
        }
        note.defined_at.get_or_insert(offset);
    }

    /// Numbers the notes and takes their ids, after the explicit ids of the page are known.
    /// Returns the labels defined but never referenced, with their place, to warn about.
    pub fn assign(&mut self, ids: &mut PageIds) -> Vec<(String, usize)> {
        let (referenced, unreferenced): (Vec<&String>, Vec<&String>) = self
            .order
            .iter()
            .filter(|k| self.notes[*k].defined_at.is_some())
            .partition(|k| !self.notes[*k].ref_ids.is_empty());
        let mut lonely = Vec::new();
        for (n, k) in referenced.into_iter().chain(unreferenced).enumerate() {
            let Some(note) = self.notes.get_mut(k) else {
                continue;
            };
            let slug = label_slug(&note.label);
            note.number = n + 1;
            note.id = ids.generated(&format!("fn-{slug}")).0;
            for r in &mut note.ref_ids {
                *r = ids.generated(&format!("fnref-{slug}")).0;
            }
            if note.ref_ids.is_empty() {
                lonely.push((note.label.clone(), note.defined_at.unwrap_or(0)));
            }
        }
        lonely
    }

    /// Whether the page defines a note `label`.
    pub fn is_defined(&self, label: &str) -> bool {
        self.notes
            .get(&key(label))
            .is_some_and(|n| n.defined_at.is_some())
    }

    /// The mark for the next reference to `label`; `None` if the note is not defined.
    pub fn mark(&mut self, label: &str) -> Option<String> {
        let note = self.notes.get_mut(&key(label))?;
        note.defined_at?;
        let id = note.ref_ids.get(note.used)?.clone();
        note.used += 1;
        Some(format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{}\">{}</a></sup>",
            escape_attr(&note.id),
            escape_attr(&id),
            note.number
        ))
    }

    /// Keeps the rendered definition of `label` for the list at the end.
    pub fn set_html(&mut self, label: &str, html: String) {
        if let Some(note) = self.notes.get_mut(&key(label))
            && note.html.is_none()
        {
            note.html = Some(html);
        }
    }

    /// The list of notes for the end of the page (empty if the page has none).
    pub fn list(&self, i18n: &crate::base::i18n::I18n) -> String {
        let mut notes: Vec<&Note> = self.notes.values().filter(|n| n.html.is_some()).collect();
        if notes.is_empty() {
            return String::new();
        }
        notes.sort_by_key(|n| n.number);
        let mut out = format!(
            "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
            escape_attr(&i18n.t("footnotes"))
        );
        for n in notes {
            let backs: String = n
                .ref_ids
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let which = if n.ref_ids.len() > 1 {
                        format!(" ({})", i + 1)
                    } else {
                        String::new()
                    };
                    let back = i18n.n("back_to_reference", n.number as i64);
                    format!(
                        " <a class=\"footnote-backref\" href=\"#{}\" aria-label=\"{}{which}\">↩\u{FE0E}</a>",
                        escape_attr(r),
                        escape_attr(&back)
                    )
                })
                .collect();
            let body = n.html.as_deref().unwrap_or("");
            let body = match body.trim_end().strip_suffix("</p>") {
                Some(head) => format!("{head}{backs}</p>\n"),
                None => format!("{body}<p>{backs}</p>\n"),
            };
            out.push_str(&format!(
                "<li id=\"{}\">\n{body}</li>\n",
                escape_attr(&n.id)
            ));
        }
        out.push_str("</ol>\n</section>\n");
        out
    }
}

/// Renders a footnote event of the page (the events inside a definition are rendered by the
/// page's loop, then moved from `out` to the note): a reference becomes its numbered mark; the
/// end of a definition keeps the note for the list at the end of the page.
pub(super) fn event<'a>(
    cx: &mut Ctx,
    events: &[(Event<'a>, Range<usize>)],
    i: usize,
    out: &mut Vec<Event<'a>>,
) {
    match &events[i].0 {
        Event::FootnoteReference(label) => {
            let mark = cx.footnotes.mark(label).unwrap_or_else(|| {
                cx.warn(
                    events[i].1.start,
                    format!("footnote `[^{label}]` has no definition; it is shown as written"),
                    Some(format!("add a line `[^{label}]: the note` to the page")),
                );
                escape_attr(&format!("[^{label}]"))
            });
            out.push(Event::InlineHtml(CowStr::from(mark)));
        }
        Event::Start(Tag::FootnoteDefinition(_)) => cx.footnotes.open = Some(out.len()),
        Event::End(TagEnd::FootnoteDefinition) => {
            if let (Some(start), Event::Start(Tag::FootnoteDefinition(label))) =
                (cx.footnotes.open.take(), &events[find_start(events, i)].0)
            {
                let mut note = String::new();
                pulldown_cmark::html::push_html(&mut note, out.drain(start..));
                cx.footnotes.set_html(label, note);
            }
        }
        _ => {}
    }
}

/// The index of the event that opens the one closed at `end`.
fn find_start(events: &[(Event, Range<usize>)], end: usize) -> usize {
    let mut depth = 0usize;
    for j in (0..=end).rev() {
        match &events[j].0 {
            Event::End(_) => depth += 1,
            Event::Start(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    0
}

/// The `[^label]` marks in a run of plain text, as (offset, label): a mark whose note is not
/// defined is left as text by the parser, and is worth a warning.
pub(super) fn marks_in_text(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("[^").map(|i| i + from) {
        let rest = &text[at + 2..];
        match rest.find(']') {
            Some(end) if end > 0 && !rest[..end].contains(['[', '\n']) => {
                out.push((at, &rest[..end]));
                from = at + 2 + end;
            }
            _ => from = at + 2,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_in_plain_text() {
        assert_eq!(
            super::marks_in_text("see[^a] and [^b c] but not [^] or [^x"),
            [(3, "a"), (12, "b c")]
        );
    }

    use super::*;

    #[test]
    fn ids_numbers_and_back_links() {
        let mut ids = PageIds::default();
        ids.explicit("fn-setup", 0).expect("free");
        let mut f = Footnotes::default();
        f.definition("b", 50);
        f.reference("my note");
        f.reference("setup");
        f.reference("My  Note");
        f.definition("setup", 60);
        f.definition("my note", 70);
        assert_eq!(f.assign(&mut ids), [("b".to_string(), 50)]);
        assert_eq!(
            f.mark("my note").as_deref(),
            Some(
                "<sup class=\"footnote-ref\"><a href=\"#fn-my-note\" id=\"fnref-my-note\">1</a></sup>"
            )
        );
        assert_eq!(
            f.mark("setup").as_deref(),
            Some(
                "<sup class=\"footnote-ref\"><a href=\"#fn-setup-1\" id=\"fnref-setup\">2</a></sup>"
            )
        );
        assert!(
            f.mark("MY NOTE")
                .is_some_and(|m| m.contains("id=\"fnref-my-note-1\""))
        );
        assert_eq!(f.mark("nothing"), None);
        f.set_html("my note", "<p>Spaced.</p>\n".into());
        f.set_html("setup", "<ul><li>x</li></ul>\n".into());
        assert_eq!(
            f.list(&crate::base::i18n::I18n::new(
                "en",
                Default::default(),
                None
            )),
            "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n\
             <li id=\"fn-my-note\">\n<p>Spaced. <a class=\"footnote-backref\" href=\"#fnref-my-note\" aria-label=\"Back to reference 1 (1)\">↩\u{FE0E}</a> <a class=\"footnote-backref\" href=\"#fnref-my-note-1\" aria-label=\"Back to reference 1 (2)\">↩\u{FE0E}</a></p>\n</li>\n\
             <li id=\"fn-setup-1\">\n<ul><li>x</li></ul>\n<p> <a class=\"footnote-backref\" href=\"#fnref-setup\" aria-label=\"Back to reference 2\">↩\u{FE0E}</a></p>\n</li>\n\
             </ol>\n</section>\n"
        );
    }
}
