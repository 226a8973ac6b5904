//! The first pass over a page's events, before anything is rendered: the ids the author
//! wrote are taken (so a generated id can never take them), footnotes are numbered, and
//! footnote marks the parser left as text are found.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Ctx, footnotes, ids};
use crate::load::html;

/// The first pass: the ids the author wrote (headings' `{#id}`, raw HTML's `id="…"`) are
/// taken before any is generated, so they are never renamed; two equal ones are an error
/// naming both places. Then the footnotes are numbered and take their ids.
/// `listed` are the ids given by attribute lists (`{: #id}`) to elements other than headings.
pub(super) fn reserve_ids(
    cx: &mut Ctx,
    events: &[(Event, std::ops::Range<usize>)],
    listed: Vec<(String, usize)>,
) {
    for (e, r) in events {
        match e {
            Event::FootnoteReference(label) => cx.footnotes.reference(label),
            Event::Start(Tag::FootnoteDefinition(label)) => cx.footnotes.definition(label, r.start),
            _ => {}
        }
    }
    let mut own = own_ids(events);
    own.extend(listed);
    // In the order written, so that the second of two equal ids is the one reported.
    own.sort_by_key(|(_, at)| *at);
    for (id, at) in own {
        reserve_id(cx, id, at);
    }
    let runs = if cx.body.contains("[^") {
        text_runs(events)
    } else {
        Vec::new()
    };
    for (text, at) in runs {
        for (k, label) in footnotes::marks_in_text(&text) {
            if !cx.footnotes.is_defined(label) {
                cx.warn(
                    at + k,
                    format!("`[^{label}]` looks like a footnote mark, but the page has no note `[^{label}]:`; it is shown as written"),
                    Some(format!("add a line `[^{label}]: the note` to the page, or write `\\[^{label}]` for the text")),
                );
            }
        }
    }
    for (label, at) in cx.footnotes.assign(&mut cx.ids) {
        cx.warn(
            at,
            format!(
                "footnote `[^{label}]` is never referenced; it is listed at the end of the page"
            ),
            Some(format!(
                "mark where it belongs with `[^{label}]`, or remove it"
            )),
        );
    }
}

/// Reserves an id the author wrote at `at`; one with a space, one given twice, or one the
/// theme uses is reported.
fn reserve_id(cx: &mut Ctx, id: String, at: usize) {
    if id.contains(char::is_whitespace) {
        cx.warn(
            at,
            format!("the id `{id}` contains a space, which HTML does not allow in an id"),
            Some("write it with `-` in place of spaces, and link to it the same way".into()),
        );
    }
    if let Err(holder) = cx.ids.explicit(&id, at) {
        let (message, hint) = match holder {
            ids::Holder::Explicit(first) => {
                let (l, c) = cx.at(first);
                (
                    format!("the id `{id}` is also given at line {l}, column {c}"),
                    "each id names one place on the page: rename one of the two".to_string(),
                )
            }
            _ => (
                format!("the id `{id}` is used by the theme on every page"),
                "choose another id: the theme's ids are listed in docs/format.md".to_string(),
            ),
        };
        cx.error(at, message, Some(hint));
    }
}

/// The ids the author wrote, with their places: a heading's `{#id}`, an `id="…"` in raw HTML.
fn own_ids(events: &[(Event, std::ops::Range<usize>)]) -> Vec<(String, usize)> {
    let mut own: Vec<(String, usize)> = Vec::new();
    let ids_in = |html: &str| -> Vec<(String, usize)> {
        html::attributes(html)
            .into_iter()
            .filter(|a| a.name == "id")
            .map(|a| (a.value, a.span.start))
            .collect()
    };
    for (i, (e, r)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => own.push((id.to_string(), r.start)),
            Event::InlineHtml(t) => {
                own.extend(ids_in(t).into_iter().map(|(id, at)| (id, r.start + at)))
            }
            Event::Start(Tag::HtmlBlock) => {
                let block = html::gather(events, i);
                own.extend(
                    ids_in(&block.text)
                        .into_iter()
                        .map(|(id, at)| (id, block.source_offset(at))),
                );
            }
            _ => {}
        }
    }
    own
}

/// The runs of plain text of a page, as (text, offset): where a footnote mark the parser
/// left as text can be found.
fn text_runs(events: &[(Event, std::ops::Range<usize>)]) -> Vec<(String, usize)> {
    let mut texts: Vec<(String, usize)> = Vec::new();
    let mut in_text = false;
    let mut in_code = false;
    for (e, r) in events {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        let was_text = std::mem::replace(&mut in_text, matches!(e, Event::Text(_)));
        if let Event::Text(t) = e
            && !in_code
        {
            match texts.last_mut() {
                Some((run, _)) if was_text => run.push_str(t),
                _ => texts.push((t.to_string(), r.start)),
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    #[test]
    fn own_ids_from_headings_and_raw_html_with_their_places() {
        let src = "## A {#one}\n\n<div\n  ID='two'>x</div>\n\nSee <span id=three>3</span>.\n";
        let events: Vec<_> = Parser::new_ext(src, super::super::options())
            .into_offset_iter()
            .collect();
        let got: Vec<(String, &str)> = super::own_ids(&events)
            .into_iter()
            .map(|(id, at)| (id, &src[at..at + 3]))
            .collect();
        assert_eq!(
            got,
            [
                ("one".to_string(), "## "),
                ("two".to_string(), "two"),
                ("three".to_string(), "thr")
            ]
        );
    }
}
