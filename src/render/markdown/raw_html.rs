//! Raw HTML in Markdown is part of the page: its start tags are read with a WHATWG tokenizer
//! (html5gum), so quoting, case, whitespace and entities are understood as a browser does,
//! and the attributes that name another file are found with their exact place in the text.

use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// One attribute of a start tag in a fragment of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Attr {
    /// The tag's name, lowercase (`img`).
    pub tag: String,
    /// The attribute's name, lowercase (`src`).
    pub name: String,
    /// Its value with character references decoded (`a.md?x=1&y=2` for `a.md?x=1&amp;y=2`).
    pub value: String,
    /// Where the value is written in the fragment, without its quotes.
    pub span: Range<usize>,
}

/// Every attribute with a non-empty value of every start tag in `html`, in order. The text of
/// `<script>`, `<style>`, `<textarea>` and the like is not read as tags; comments are skipped.
pub(super) fn attributes(html: &str) -> Vec<Attr> {
    let mut out = Vec::new();
    // Cheap test first: most raw HTML in Markdown is a closing tag or a bare `<br>`.
    if !html.contains('=') {
        return out;
    }
    let mut tag: Option<String> = None;
    let mut name = String::new();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: Span<usize>| {
        match event {
            CallbackEvent::OpenStartTag { name: n } => {
                tag = Some(String::from_utf8_lossy(n).into_owned());
            }
            CallbackEvent::AttributeName { name: n } => {
                name = String::from_utf8_lossy(n).into_owned();
            }
            CallbackEvent::AttributeValue { value } => {
                // Attributes written in an end tag (`</a href=x>`) have no open start tag.
                if let Some(t) = &tag {
                    out.push(Attr {
                        tag: t.clone(),
                        name: name.clone(),
                        value: String::from_utf8_lossy(value).into_owned(),
                        span: span.start..span.end,
                    });
                }
            }
            CallbackEvent::CloseStartTag { .. } | CallbackEvent::EndTag { .. } => tag = None,
            _ => {}
        }
        None::<std::convert::Infallible>
    });
    emitter.naively_switch_states(true);
    // The reader is a string and the emitter yields nothing, so this cannot fail.
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
    out
}

/// How an attribute names another file, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UrlKind {
    /// One URL to a page or a file (`<a href>`, `<iframe src>`).
    Link,
    /// One URL to an image or media file (`<img src>`, `<video poster>`).
    Media,
    /// A list of image candidates, `url descriptor, url descriptor` (`srcset`).
    SrcSet,
}

/// Whether `tag`'s attribute `name` holds a URL that the build resolves (the attributes through
/// which a page loads or links another file of the course).
pub(super) fn url_kind(tag: &str, name: &str) -> Option<UrlKind> {
    match (tag, name) {
        ("a" | "area" | "link", "href") => Some(UrlKind::Link),
        ("iframe" | "embed" | "script", "src") | ("object", "data") => Some(UrlKind::Link),
        ("img" | "source" | "video" | "audio" | "track" | "input", "src") => Some(UrlKind::Media),
        ("video", "poster") => Some(UrlKind::Media),
        ("img" | "source", "srcset") => Some(UrlKind::SrcSet),
        _ => None,
    }
}

/// The URLs of a `srcset` value with their ranges in it (`a.png 1x, b.png 2x`).
pub(super) fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in value.split(',') {
        let lead = part.len() - part.trim_start().len();
        let url_len = part.split_whitespace().next().map_or(0, str::len);
        if url_len > 0 {
            out.push(start + lead..start + lead + url_len);
        }
        start += part.len() + 1;
    }
    out
}

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
            UrlKind::SrcSet => {
                let mut v = a.value.clone();
                for r in srcset_urls(&a.value).into_iter().rev() {
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
    let block = super::html_blocks::gather(events, i);
    let html = resolve(cx, &block.text, &|at| block.source_offset(at));
    out.push(pulldown_cmark::Event::Html(pulldown_cmark::CowStr::from(
        html,
    )));
    block.end + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(html: &str) -> Vec<(String, String, String, String)> {
        attributes(html)
            .into_iter()
            .map(|a| {
                let raw = html[a.span.clone()].to_string();
                (a.tag, a.name, a.value, raw)
            })
            .collect()
    }

    fn t(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
        (a.into(), b.into(), c.into(), d.into())
    }

    #[test]
    fn quoting_case_whitespace_and_entities_are_read_as_a_browser_does() {
        assert_eq!(
            attrs("<IMG SRC=fig.png\n  Width = '400' alt=\"A &amp; B\">"),
            [
                t("img", "src", "fig.png", "fig.png"),
                t("img", "width", "400", "400"),
                t("img", "alt", "A & B", "A &amp; B"),
            ]
        );
        assert_eq!(
            attrs("<a href='x.md#a'>x</a> <!-- <img src=old.png> -->"),
            [t("a", "href", "x.md#a", "x.md#a")]
        );
        assert_eq!(attrs("</a href=x.md>"), []);
        assert_eq!(
            attrs("<script>var s = '<img src=x.png>';</script><img src=y.png>"),
            [t("img", "src", "y.png", "y.png")]
        );
    }

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

    #[test]
    fn srcset_candidates() {
        let v = "a.png 1x,  b b.png 2x ,c.png";
        let urls: Vec<&str> = srcset_urls(v).into_iter().map(|r| &v[r]).collect();
        assert_eq!(urls, ["a.png", "b", "c.png"]);
    }
}
