//! Elements that carry a kramdown attribute list (see [`super::kramdown`]): written with their
//! attributes, and just-the-docs callout classes written as the theme's alert boxes.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag};

use super::links::resolve_link;
use super::{Ctx, escape_attr, escape_html, find_end, kramdown, plain_text};

/// HTML to write in the place of events, or before them, for elements with attributes.
#[derive(Default)]
pub(super) struct Marks {
    /// HTML written before the event of that index.
    pub(super) before: HashMap<usize, String>,
    /// HTML written instead of the event of that index.
    pub(super) instead: HashMap<usize, String>,
}

/// Writes elements that carry a kramdown attribute list.
pub(super) struct Attributed<'e, 'a> {
    pub(super) events: &'e [(Event<'a>, std::ops::Range<usize>)],
    pub(super) marks: &'e mut Marks,
    pub(super) alerts: &'e mut Vec<bool>,
    pub(super) out: &'e mut Vec<Event<'a>>,
}

impl<'a> Attributed<'_, 'a> {
    /// Writes the start of `events[i]` with `a`; the index to go on from, or `None` to let the
    /// event be handled as usual (a heading has its attributes in its own event).
    pub(super) fn start(&mut self, cx: &mut Ctx, i: usize, a: &kramdown::Attrs) -> Option<usize> {
        let (ev, _) = &self.events[i];
        let html = |s: String| Event::Html(CowStr::from(s));
        let open = match ev {
            Event::Start(Tag::Heading { .. }) => return None,
            Event::Start(Tag::Paragraph) => match callout(a) {
                Some((class, key, rest)) => {
                    let label = cx.links.i18n.html(key, None, &[]);
                    let end = find_end(self.events, i);
                    self.marks.before.insert(end + 1, "</div>\n".into());
                    format!(
                        "<div{}>\n<p class=\"markdown-alert-title\">{label}</p>\n<p>",
                        rest.html(&["markdown-alert", &class])
                    )
                }
                None => format!("<p{}>", a.html(&[])),
            },
            Event::Start(Tag::BlockQuote(None)) => return Some(self.quote(cx, i, a)),
            Event::Start(Tag::List(Some(n))) if *n != 1 => {
                format!("<ol start=\"{n}\"{}>\n", a.html(&[]))
            }
            Event::Start(Tag::List(Some(_))) => format!("<ol{}>\n", a.html(&[])),
            Event::Start(Tag::List(None)) => format!("<ul{}>\n", a.html(&[])),
            Event::Start(Tag::Item) => format!("<li{}>", a.html(&[])),
            Event::Start(Tag::Emphasis) => format!("<em{}>", a.html(&[])),
            Event::Start(Tag::Strong) => format!("<strong{}>", a.html(&[])),
            Event::Start(Tag::Strikethrough) => format!("<del{}>", a.html(&[])),
            Event::Code(code) => format!("<code{}>{}</code>", a.html(&[]), escape_html(code)),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                return Some(self.link(cx, i, a));
            }
            // Anything else (a table, a code block, a definition list) is wrapped.
            _ => {
                let end = find_end(self.events, i);
                self.marks.before.insert(end + 1, "</div>\n".into());
                self.out.push(html(format!("<div{}>\n", a.html(&[]))));
                return None;
            }
        };
        self.out.push(html(open));
        Some(i + 1)
    }

    /// A link or an image with attributes, its URL resolved as any; the index to go on from.
    fn link(&mut self, cx: &mut Ctx, i: usize, a: &kramdown::Attrs) -> usize {
        let (ev, range) = &self.events[i];
        let Event::Start(
            Tag::Link {
                dest_url, title, ..
            }
            | Tag::Image {
                dest_url, title, ..
            },
        ) = ev
        else {
            return i;
        };
        let image = matches!(ev, Event::Start(Tag::Image { .. }));
        let dest = escape_attr(&resolve_link(cx, dest_url, range.start, image));
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape_attr(title))
        };
        let attrs = a.html(&[]);
        if !image {
            let open = format!("<a href=\"{dest}\"{title}{attrs}>");
            self.out.push(Event::InlineHtml(CowStr::from(open)));
            return i + 1;
        }
        let end = find_end(self.events, i);
        let alt: Vec<Event> = self.events[i + 1..end]
            .iter()
            .map(|(e, _)| e.clone())
            .collect();
        let alt = escape_attr(&plain_text(&alt));
        let img = format!("<img src=\"{dest}\" alt=\"{alt}\"{title}{attrs}>");
        self.out.push(Event::InlineHtml(CowStr::from(img)));
        end + 1
    }

    /// A block quote with attributes; a callout class makes it an alert, whose title is the
    /// quote's first paragraph for a `-title` class (just-the-docs' `{: .note-title }`).
    fn quote(&mut self, cx: &Ctx, i: usize, a: &kramdown::Attrs) -> usize {
        let Some((class, key, rest)) = callout(a) else {
            self.alerts.push(false);
            self.out.push(Event::Html(CowStr::from(format!(
                "<blockquote{}>\n",
                a.html(&[])
            ))));
            return i + 1;
        };
        self.alerts.push(true);
        let titled = a.classes.iter().any(|c| c.ends_with("-title"));
        let mut open = format!("<div{}>\n", rest.html(&["markdown-alert", &class]));
        if titled
            && matches!(
                self.events.get(i + 1),
                Some((Event::Start(Tag::Paragraph), _))
            )
        {
            self.marks
                .instead
                .insert(i + 1, "<p class=\"markdown-alert-title\">".into());
        } else {
            let label = cx.links.i18n.html(key, None, &[]);
            open.push_str(&format!("<p class=\"markdown-alert-title\">{label}</p>\n"));
        }
        self.out.push(Event::Html(CowStr::from(open)));
        i + 1
    }
}

/// The alert a just-the-docs callout class stands for: (CSS class, title's string key, the other
/// attributes). Callouts: note, tip, important, warning, caution, highlight, new, each also as
/// `<name>-title`.
fn callout(a: &kramdown::Attrs) -> Option<(String, &'static str, kramdown::Attrs)> {
    const CALLOUTS: [(&str, &str, &str); 7] = [
        ("note", "note", "note"),
        ("tip", "tip", "tip"),
        ("important", "important", "important"),
        ("warning", "warning", "warning"),
        ("caution", "caution", "caution"),
        ("highlight", "note", "highlight"),
        ("new", "tip", "new"),
    ];
    let (at, &(_, css, label)) = a.classes.iter().enumerate().find_map(|(n, c)| {
        let name = c.strip_suffix("-title").unwrap_or(c);
        CALLOUTS.iter().find(|(k, _, _)| *k == name).map(|k| (n, k))
    })?;
    let mut rest = a.clone();
    rest.classes.remove(at);
    Some((format!("markdown-alert-{css}"), label, rest))
}
