//! The second pass over a page's events: each element written as the site's HTML (headings
//! with anchors, boxes for code, alerts and wide tables, labelled checkboxes, links resolved).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::attributed::{Attributed, Marks};
use super::{
    Ctx, code_block, escape_attr, fence_lang, find_end, footnotes, headings, kramdown, raw_html,
    transform_inline,
};

/// The walk over a page's events, writing the events pulldown-cmark turns into HTML.
pub(super) struct Walk<'e, 'a> {
    events: &'e [(Event<'a>, Range<usize>)],
    /// kramdown attribute lists, by the index of the event they belong to.
    attrs: &'e HashMap<usize, kramdown::Attrs>,
    /// The text that was parsed (the events' ranges point into it).
    text: &'e str,
    marks: Marks,
    /// Per open block quote: whether it is an alert box.
    alerts: Vec<bool>,
    out: Vec<Event<'a>>,
}

impl<'e, 'a> Walk<'e, 'a> {
    /// The events to write for `events` (parsed from `text`, with `attrs`).
    pub(super) fn html_events(
        cx: &mut Ctx,
        events: &'e [(Event<'a>, Range<usize>)],
        attrs: &'e HashMap<usize, kramdown::Attrs>,
        text: &'e str,
    ) -> Vec<Event<'a>> {
        let mut walk = Walk {
            events,
            attrs,
            text,
            marks: Marks::default(),
            alerts: Vec::new(),
            out: Vec::with_capacity(events.len()),
        };
        let mut i = 0;
        while i < events.len() {
            i = walk.step(cx, i);
        }
        let mut rest: Vec<_> = walk.marks.before.into_iter().collect();
        rest.sort();
        let mut out = walk.out;
        out.extend(rest.into_iter().map(|(_, h)| html(h)));
        out
    }

    /// Writes `events[i]` (with what it holds, for the elements written whole); the index to
    /// go on from.
    fn step(&mut self, cx: &mut Ctx, i: usize) -> usize {
        if let Some(h) = self.marks.before.remove(&i) {
            self.out.push(html(h));
        }
        if let Some(h) = self.marks.instead.remove(&i) {
            self.out.push(html(h));
            return i + 1;
        }
        if let Some(a) = self.attrs.get(&i) {
            let mut at = Attributed {
                events: self.events,
                marks: &mut self.marks,
                alerts: &mut self.alerts,
                out: &mut self.out,
            };
            if let Some(next) = at.start(cx, i, a) {
                return next;
            }
        }
        if let Some(next) = self.element(cx, i) {
            return next;
        }
        let (ev, range) = &self.events[i];
        let e = transform_inline(cx, ev.clone(), range.start);
        self.out.push(e);
        i + 1
    }

    /// The elements the site writes its own way: the index to go on from, or `None` when the
    /// event is still to be written as usual (after any HTML written here before it).
    fn element(&mut self, cx: &mut Ctx, i: usize) -> Option<usize> {
        let (ev, range) = &self.events[i];
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                let (h, end) = headings::heading(cx, self.events, i);
                self.out.extend(h);
                Some(end + 1)
            }
            Event::Start(Tag::HtmlBlock) => {
                Some(raw_html::block(cx, self.events, i, &mut self.out))
            }
            Event::FootnoteReference(_)
            | Event::Start(Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::FootnoteDefinition) => {
                footnotes::event(cx, self.events, i, &mut self.out);
                Some(i + 1)
            }
            Event::Start(Tag::CodeBlock(kind)) => Some(self.code(cx, i, kind, range.start)),
            Event::Start(Tag::BlockQuote(kind)) => {
                self.alerts.push(kind.is_some());
                let kind = (*kind)?;
                self.out.push(html(alert_open(cx, kind)));
                Some(i + 1)
            }
            Event::End(TagEnd::BlockQuote(_)) => (self.alerts.pop() == Some(true)).then(|| {
                self.out.push(html("</div>\n".into()));
                i + 1
            }),
            // A wide table scrolls inside its own box, which keyboard users can focus.
            Event::Start(Tag::Table(_)) => {
                cx.tables += 1;
                let name = cx.links.i18n.n("table_n", cx.tables as i64);
                self.out.push(html(format!(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                    escape_attr(&name)
                )));
                None
            }
            Event::End(TagEnd::Table) => {
                self.out.push(ev.clone());
                self.out.push(html("</div>\n".into()));
                Some(i + 1)
            }
            // A span still read as math against Pandoc's rule (see `parse_like_pandoc`).
            Event::InlineMath(tex) if followed_by_digit(self.text, range) => {
                self.out.push(Event::Text(CowStr::from(format!("${tex}$"))));
                Some(i + 1)
            }
            Event::TaskListMarker(done) => {
                self.out.push(checkbox(cx, *done));
                Some(i + 1)
            }
            _ => None,
        }
    }

    /// The code block opened at `i`, written whole; the index after its end.
    fn code(&mut self, cx: &mut Ctx, i: usize, kind: &CodeBlockKind, offset: usize) -> usize {
        let end = find_end(self.events, i);
        let code: String = self.events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| {
                if let Event::Text(t) = e {
                    Some(t.as_ref())
                } else {
                    None
                }
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => fence_lang(info),
            CodeBlockKind::Indented => String::new(),
        };
        self.out.push(html(code_block(cx, &lang, &code, offset)));
        end + 1
    }
}

fn html<'a>(h: String) -> Event<'a> {
    Event::Html(CowStr::from(h))
}

/// The opening of a GitHub alert (`> [!NOTE]`): a box with its label in the course's language.
fn alert_open(cx: &Ctx, kind: BlockQuoteKind) -> String {
    let (class, key) = alert(kind);
    let label = cx.links.i18n.html(key, None, &[]);
    format!(
        "<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{label}</p>\n"
    )
}

/// The CSS class and the label's translation key of an alert.
fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "note"),
        BlockQuoteKind::Tip => ("tip", "tip"),
        BlockQuoteKind::Important => ("important", "important"),
        BlockQuoteKind::Warning => ("warning", "warning"),
        BlockQuoteKind::Caution => ("caution", "caution"),
    }
}

/// A read-only checkbox that says what it shows; the item's text follows it.
fn checkbox<'a>(cx: &Ctx, done: bool) -> Event<'a> {
    let (checked, key) = if done {
        (" checked", "done")
    } else {
        ("", "to_do")
    };
    Event::InlineHtml(CowStr::from(format!(
        "<input type=\"checkbox\" disabled{checked} aria-label=\"{}\"> ",
        escape_attr(&cx.links.i18n.t(key))
    )))
}

/// Whether a digit follows `range` in `text` (Pandoc reads no math closed by `$` before one).
fn followed_by_digit(text: &str, range: &Range<usize>) -> bool {
    text.as_bytes()
        .get(range.end)
        .is_some_and(u8::is_ascii_digit)
}
