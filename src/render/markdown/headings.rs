//! A heading: its place in the outline, its id in the page's namespace, its text for the
//! table of contents, and its HTML with a link to itself.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag};

use super::ids::{Holder, heading_base};
use super::outline::Place;
use super::{Ctx, Heading, escape_attr, find_end, transform_inline};

/// The plain text of a heading for its id and the table of contents: text and code as
/// written, math as its TeX source (`The \alpha parameter`), breaks as spaces.
pub(super) fn heading_text(events: &[(Event, Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                s.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Renders the heading that starts at `events[i]`: the HTML (none for a dropped repeat of the
/// title) and the index of its end event.
pub(super) fn heading<'a>(
    cx: &mut Ctx,
    events: &[(Event<'a>, Range<usize>)],
    i: usize,
) -> (Option<Event<'a>>, usize) {
    let (
        Event::Start(Tag::Heading {
            level,
            id: own_id,
            classes,
            attrs,
        }),
        range,
    ) = &events[i]
    else {
        return (None, i);
    };
    let end = find_end(events, i);
    let offset = range.start;
    let title = heading_text(&events[i + 1..end]);
    if title.is_empty() && own_id.is_none() {
        cx.warn(
            offset,
            "empty heading: it is left out of the page".into(),
            Some("write the heading's text after the `#` marks, or remove the line".into()),
        );
        return (None, end);
    }
    let (place, note) = cx
        .outline
        .place(level_number(*level), &title, own_id.is_some());
    if let Some((message, hint)) = note {
        cx.warn(offset, message, Some(hint));
    }
    let Place::Level(lvl) = place else {
        return (None, end);
    };
    let id = match own_id {
        Some(id) => id.to_string(),
        None => generated_id(cx, &title, offset),
    };
    if !title.is_empty() {
        cx.out.headings.push(Heading {
            level: lvl,
            id: id.clone(),
            title: title.clone(),
        });
    }
    let inner_html = inline_html(cx, &events[i + 1..end]);
    let extra = attributes_html(classes, attrs);
    let html = format!(
        "<h{lvl} id=\"{id}\"{extra}>{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-label=\"{}\">#</a></h{lvl}>\n",
        escape_attr(&cx.links.i18n.f(
            "link_to_section",
            &[("title", if title.is_empty() { &id } else { &title })]
        )),
        id = escape_attr(&id)
    );
    (Some(Event::Html(CowStr::from(html))), end)
}

/// The HTML of a heading's text, its links, math and raw HTML resolved.
fn inline_html(cx: &mut Ctx, events: &[(Event, Range<usize>)]) -> String {
    let inner: Vec<Event> = events
        .iter()
        .map(|(e, r)| transform_inline(cx, e.clone(), r.start))
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, inner.into_iter());
    html
}

/// The classes and other attributes written on a heading (`{.class key=value}`), as HTML.
fn attributes_html(classes: &[CowStr], attrs: &[(CowStr, Option<CowStr>)]) -> String {
    let mut extra = String::new();
    if !classes.is_empty() {
        let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
        extra.push_str(&format!(" class=\"{}\"", escape_attr(&joined.join(" "))));
    }
    for (k, v) in attrs {
        let v = v.as_deref().unwrap_or("");
        extra.push_str(&format!(" {}=\"{}\"", escape_attr(k), escape_attr(v)));
    }
    extra
}

/// The generated id of a heading with text `title`, with a warning where it is not simply the
/// text's slug.
fn generated_id(cx: &mut Ctx, title: &str, offset: usize) -> String {
    let (base, fallback) = heading_base(title);
    let (id, blocker) = cx.ids.generated(&base);
    if fallback {
        cx.warn(
            offset,
            format!("heading `{title}` has no letters or digits; its id is `{id}`"),
            Some(format!(
                "give it an id of your own: `## {title} {{#my-id}}`"
            )),
        );
    }
    let why = match blocker {
        Some(Holder::Explicit(at)) => {
            let (l, _) = cx.at(at);
            Some(format!("the id `{base}` is written on line {l}"))
        }
        Some(Holder::Theme) => Some(format!("the theme uses the id `{base}`")),
        _ => None,
    };
    if let Some(why) = why {
        cx.warn(
            offset,
            format!("heading `{title}` gets the id `{id}`: {why}"),
            Some(format!(
                "links to `#{base}` go to that element; give this heading an id of its own: `## {title} {{#my-id}}`"
            )),
        );
    }
    id
}
