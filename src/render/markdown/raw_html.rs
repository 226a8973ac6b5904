//! Raw HTML in Markdown is part of the page: the URLs of its attributes (read by
//! [`crate::load::html`]) are resolved and rewritten like Markdown links and images.

use std::ops::Range;

use crate::load::html::{UrlKind, attributes, gather, url_kind, urls_in};

/// `html` with the values at the given spans replaced (spans in order, not overlapping); each
/// new value is escaped and quoted (an unquoted value gets double quotes).
pub(super) fn replace_values(html: &str, changes: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let mut at = 0;
    let bytes = html.as_bytes();
    for (span, value) in changes {
        out.push_str(&html[at..span.start]);
        let quoted = span.start > 0 && matches!(bytes[span.start - 1], b'"' | b'\'');
        let escaped = super::escape_attr(value);
        if quoted {
            out.push_str(&escaped);
        } else {
            out.push('"');
            out.push_str(&escaped);
            out.push('"');
        }
        at = span.end;
    }
    out.push_str(&html[at..]);
    out
}

/// Raw HTML with the URLs of its attributes resolved like Markdown links and images (and
/// checked the same way); `offset_of` maps a place in `html` to the Markdown source.
pub(super) fn resolve(
    cx: &mut super::Ctx,
    html: &str,
    offset_of: &dyn Fn(usize) -> usize,
) -> String {
    let mut changes = Vec::new();
    for a in attributes(html) {
        let Some(kind) = url_kind(&a.tag, &a.name) else {
            continue;
        };
        let at = offset_of(a.span.start);
        let new = match kind {
            UrlKind::SrcSet | UrlKind::Style => {
                let mut v = a.value.clone();
                for r in urls_in(kind, &a.value).into_iter().rev() {
                    let url =
                        super::links::resolve_link(cx, &a.value[r.clone()], at + r.start, true);
                    v.replace_range(r, &url);
                }
                v
            }
            UrlKind::Media => super::links::resolve_link(cx, &a.value, at, true),
            UrlKind::Link => super::links::resolve_link(cx, &a.value, at, false),
        };
        if new != a.value {
            changes.push((a.span, new));
        }
    }
    if changes.is_empty() {
        html.to_string()
    } else {
        replace_values(html, &changes)
    }
}

/// Renders the HTML block that starts at `events[i]` into `out`, its URLs resolved; returns
/// the index of the event after it.
pub(super) fn block<'a>(
    cx: &mut super::Ctx,
    events: &[(pulldown_cmark::Event<'a>, Range<usize>)],
    i: usize,
    out: &mut Vec<pulldown_cmark::Event<'a>>,
) -> usize {
    let block = gather(events, i);
    let html = resolve(cx, &block.text, &|at| block.source_offset(at));
    out.push(pulldown_cmark::Event::Html(pulldown_cmark::CowStr::from(
        html,
    )));
    block.end + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_replaced_in_place_and_quoted() {
        let html = "<img src=fig.png width=4><a href='x.md#a'>";
        let a = attributes(html);
        let out = replace_values(
            html,
            &[
                (a[0].span.clone(), "/t/fig.png".into()),
                (a[2].span.clone(), "/t/x/?a=1&b#a".into()),
            ],
        );
        assert_eq!(
            out,
            "<img src=\"/t/fig.png\" width=4><a href='/t/x/?a=1&amp;b#a'>"
        );
    }
}
