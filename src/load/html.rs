//! Raw HTML as a browser reads it. Start tags are read with a WHATWG tokenizer (html5gum), so
//! quoting, case, whitespace and entities are understood as a browser does, and the attributes
//! that name another file are found with their exact place in the text. A block of raw HTML
//! comes from the Markdown parser line by line (inside a list or a quote, without the line's `>`
//! or indent); [`gather`] reads it as one piece, so that a tag written over several lines is one
//! tag, while each place in it still maps back to the Markdown source.
//!
//! Used by the reading of references (privacy, [`super::refs`]) and by the renderer, which
//! rewrites the URLs found here: both see the same attributes.

use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
use pulldown_cmark::{Event, TagEnd};

/// One attribute of a start tag in a fragment of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
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
pub fn attributes(html: &str) -> Vec<Attr> {
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

/// How deep the elements of `html` nest, as its tags say: each start tag opens one level and its
/// end tag closes it. Void elements (`<br>`, `<img>`) and those whose end tag may be left out
/// (`<p>`, `<li>`, `<td>`…, HTML § 13.1.2.4) are not counted, so a page that leaves out those
/// end tags is not counted deeper than it is; the tree a parser builds can still nest deeper
/// (a bare `<td>` opens a `<tbody>` and a `<tr>` too), so this is a cheap first bound, not the
/// depth.
pub fn nesting(html: &str) -> usize {
    const UNCOUNTED: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"param",
        b"source",
        b"track",
        b"wbr",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"tr",
        b"td",
        b"th",
        b"tbody",
        b"thead",
        b"tfoot",
        b"option",
        b"optgroup",
        b"rt",
        b"rp",
        b"colgroup",
        b"caption",
        b"html",
        b"head",
        b"body",
    ];
    let counted = |name: &[u8]| !UNCOUNTED.iter().any(|u| u.eq_ignore_ascii_case(name));
    let (mut depth, mut deepest, mut open) = (0usize, 0usize, false);
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<usize>| {
        match event {
            CallbackEvent::OpenStartTag { name } => open = counted(name),
            CallbackEvent::CloseStartTag { self_closing } if open && !self_closing => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            CallbackEvent::EndTag { name } if counted(name) => depth = depth.saturating_sub(1),
            _ => {}
        }
        None::<std::convert::Infallible>
    });
    // The text of `<script>`, `<style>`, `<textarea>`… is not read as tags.
    emitter.naively_switch_states(true);
    // The reader is a string and the emitter yields nothing, so this cannot fail.
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
    deepest
}

/// The start tags of `html` named one of `names` (lowercase), in order: each one's name and the
/// byte offset of its `<`. The text of `<script>`, `<style>`… is not read as tags.
pub fn start_tags(html: &str, names: &[&str]) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: Span<usize>| {
        if let CallbackEvent::OpenStartTag { name } = event
            && let Some(n) = names
                .iter()
                .find(|n| n.as_bytes().eq_ignore_ascii_case(name))
        {
            found.push((n.to_string(), span.start));
        }
        None::<std::convert::Infallible>
    });
    emitter.naively_switch_states(true);
    // The reader is a string and the emitter yields nothing, so this cannot fail.
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
    found
}

/// How an attribute names another file, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// One URL to a page or a file (`<a href>`, `<iframe src>`).
    Link,
    /// One URL to an image or media file (`<img src>`, `<video poster>`).
    Media,
    /// A list of image candidates, `url descriptor, url descriptor` (`srcset`).
    SrcSet,
    /// CSS in a `style` attribute, whose `url(…)`s load files (`background: url(fig.png)`).
    Style,
}

/// Whether `tag`'s attribute `name` holds a URL that the build resolves (the attributes through
/// which a page loads or links another file of the course).
pub fn url_kind(tag: &str, name: &str) -> Option<UrlKind> {
    match (tag, name) {
        ("a" | "area" | "link", "href") => Some(UrlKind::Link),
        ("iframe" | "embed" | "script", "src") | ("object", "data") => Some(UrlKind::Link),
        ("img" | "source" | "video" | "audio" | "track" | "input", "src") => Some(UrlKind::Media),
        ("video", "poster") => Some(UrlKind::Media),
        // SVG written inline: `<image href>`, `<use xlink:href>`.
        ("image" | "use", "href" | "xlink:href") => Some(UrlKind::Media),
        ("img" | "source", "srcset") => Some(UrlKind::SrcSet),
        (_, "style") => Some(UrlKind::Style),
        _ => None,
    }
}

/// Where the URLs are in an attribute value that holds several: each candidate of a `srcset`,
/// each `url(…)` of a `style` (quoted or not). Other kinds hold one URL: the whole value.
pub fn urls_in(kind: UrlKind, value: &str) -> Vec<Range<usize>> {
    match kind {
        UrlKind::SrcSet => srcset_urls(value),
        UrlKind::Style => style_urls(value),
        UrlKind::Link | UrlKind::Media => std::iter::once(0..value.len()).collect(),
    }
}

/// The URLs of the `url(…)`s of some CSS, with their ranges in it.
fn style_urls(css: &str) -> Vec<Range<usize>> {
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = lower[from..].find("url(") {
        let open = from + k + 4;
        let lead = css[open..].len() - css[open..].trim_start().len();
        let start = open + lead;
        let (start, end) = match css[start..].chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = css[start + 1..]
                    .find(q)
                    .map_or(css.len(), |e| start + 1 + e);
                (start + 1, end)
            }
            _ => {
                let end = css[start..].find(')').map_or(css.len(), |e| start + e);
                (start, start + css[start..end].trim_end().len())
            }
        };
        if end > start {
            out.push(start..end);
        }
        from = end.max(open);
    }
    out
}

/// The URLs of a `srcset` value with their ranges in it (`a.png 1x, b.png 2x`).
pub fn srcset_urls(value: &str) -> Vec<Range<usize>> {
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

/// The text of one HTML block and where its pieces come from.
pub struct Block {
    /// The block's HTML, its lines joined.
    pub text: String,
    /// (start in `text`, start in the source) of each piece, in order.
    pieces: Vec<(usize, usize)>,
    /// The index of the event that ends the block.
    pub end: usize,
}

impl Block {
    /// The offset in the source of the byte at `at` in `text`.
    pub fn source_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|(start, _)| *start <= at);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some((start, source)) => source + (at - start),
            None => self.pieces.first().map_or(0, |p| p.1),
        }
    }
}

/// The HTML block that starts with the event at `start` (a `Start(Tag::HtmlBlock)`).
pub fn gather(events: &[(Event, Range<usize>)], start: usize) -> Block {
    let mut block = Block {
        text: String::new(),
        pieces: Vec::new(),
        end: events.len().saturating_sub(1),
    };
    for (j, (e, r)) in events.iter().enumerate().skip(start + 1) {
        match e {
            Event::Html(t) | Event::Text(t) => {
                block.pieces.push((block.text.len(), r.start));
                block.text.push_str(t);
            }
            Event::End(TagEnd::HtmlBlock) => {
                block.end = j;
                break;
            }
            _ => {}
        }
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, Tag};

    fn attrs(html: &str) -> Vec<(String, String, String, String)> {
        attributes(html)
            .into_iter()
            .map(|a| {
                let raw = html[a.span.clone()].to_string();
                (a.tag, a.name, a.value, raw)
            })
            .collect()
    }

    #[test]
    fn nesting_counts_open_elements_not_void_or_optional_end_ones() {
        assert_eq!(
            nesting("<div><p>a<p>b<ul><li>c<li>d</ul></div><br><img src=x>"),
            2
        );
        assert_eq!(nesting("<DIV><Span>x</span></div><div/>"), 2);
        assert_eq!(nesting(&"<b><i>".repeat(50)), 100);
        assert_eq!(nesting("</div></div><em>x</em>"), 1);
        assert_eq!(nesting("<script><div><div></script>"), 1);
        assert_eq!(nesting("text only"), 0);
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
    fn style_urls_quoted_or_not() {
        let v = "background: URL( 'a b.png' ); mask: url(m.svg#x) , url(\"c.png\"); color: red";
        let urls: Vec<&str> = style_urls(v).into_iter().map(|r| &v[r]).collect();
        assert_eq!(urls, ["a b.png", "m.svg#x", "c.png"]);
        assert!(style_urls("color: red; url(").is_empty());
    }

    #[test]
    fn srcset_candidates() {
        let v = "a.png 1x,  b b.png 2x ,c.png";
        let urls: Vec<&str> = srcset_urls(v).into_iter().map(|r| &v[r]).collect();
        assert_eq!(urls, ["a.png", "b", "c.png"]);
    }

    #[test]
    fn a_tag_over_several_lines_in_a_quote_maps_back_to_the_source() {
        let src = "> <div\n>   id=\"a.png\">\n";
        let events: Vec<_> = Parser::new(src).into_offset_iter().collect();
        let start = events
            .iter()
            .position(|(e, _)| matches!(e, Event::Start(Tag::HtmlBlock)))
            .expect("an html block");
        let b = gather(&events, start);
        assert_eq!(b.text, "<div\n  id=\"a.png\">\n");
        let at = b.text.find("a.png").expect("value");
        assert_eq!(&src[b.source_offset(at)..b.source_offset(at) + 5], "a.png");
    }
}
