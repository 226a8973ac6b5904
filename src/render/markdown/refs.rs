//! What a page refers to, without rendering it: every link, image and raw-HTML URL of a body.

use pulldown_cmark::{Event, Parser, Tag};

use super::links::{is_external, parts, target_of};
use super::raw_html::{UrlKind, attributes, srcset_urls, url_kind};
use super::{html_blocks, options};
use crate::base::diagnostics::LineIndex;

/// One URL a page body names, in a Markdown link or image or in a raw-HTML attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Line in the file (the body's first line is `body_line`).
    pub line: usize,
    /// Column (1-based, in characters).
    pub col: usize,
    /// The URL as written (character references of raw HTML decoded).
    pub url: String,
    /// For a relative URL with a path, the file it names relative to content/, percent-decoded
    /// (`labs/img/a b.png`); `None` for another site, a `#fragment` alone, a site-absolute path
    /// or one that climbs out of content/.
    pub target: Option<String>,
}

/// Every URL the body of the page `rel` (path relative to content/) names, in the order
/// written: Markdown links and images, and the URL attributes of raw HTML (`href`, `src`,
/// `srcset`, `poster`, `data`) as [`super::render`] resolves them. Nothing is checked; the
/// privacy rules use this to publish exactly the files a published page uses.
pub fn references(rel: &str, body: &str, body_line: usize) -> Vec<Reference> {
    let lines = LineIndex::new(body);
    let make = |url: &str, offset: usize| {
        let (l, c) = lines.locate(body, offset);
        let p = parts(url);
        let target = if is_external(url) || p.path.is_empty() || p.path.starts_with('/') {
            None
        } else {
            target_of(rel, p.path)
        };
        Reference {
            line: l + body_line - 1,
            col: c,
            url: url.to_string(),
            target,
        }
    };
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut out = Vec::new();
    let mut html = |text: &str, offset_of: &dyn Fn(usize) -> usize| {
        for a in attributes(text) {
            match url_kind(&a.tag, &a.name) {
                Some(UrlKind::SrcSet) => {
                    for r in srcset_urls(&a.value) {
                        out.push(make(&a.value[r.clone()], offset_of(a.span.start + r.start)));
                    }
                }
                Some(_) => out.push(make(&a.value, offset_of(a.span.start))),
                None => {}
            }
        }
    };
    let mut links = Vec::new();
    for (i, (e, r)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push((r.start, make(dest_url, r.start)));
            }
            Event::InlineHtml(t) => html(t, &|at| r.start + at),
            Event::Start(Tag::HtmlBlock) => {
                let block = html_blocks::gather(&events, i);
                html(&block.text, &|at| block.source_offset(at));
            }
            _ => {}
        }
    }
    // Markdown links and raw HTML were collected apart: put them back in the order written.
    let mut all: Vec<(usize, usize, Reference)> = links
        .into_iter()
        .map(|(_, r)| (r.line, r.col, r))
        .chain(out.into_iter().map(|r| (r.line, r.col, r)))
        .collect();
    all.sort_by_key(|(l, c, _)| (*l, *c));
    all.into_iter().map(|(_, _, r)| r).collect()
}

/// Every link to another site in a page body (Markdown or raw HTML), as (line, column, URL),
/// for review before a term starts (`semester check --links`): links rot between terms.
pub fn external_links(body: &str, body_line: usize) -> Vec<(usize, usize, String)> {
    references("", body, body_line)
        .into_iter()
        .filter(|r| {
            r.url.starts_with("http://") || r.url.starts_with("https://") || r.url.starts_with("//")
        })
        .map(|r| (r.line, r.col, r.url))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_raw_html_references_in_order() {
        let body = "![plot](img/a%20b.png) [s](../syllabus.md#grading)\n\n<IMG SRC=fig.png\n  srcset=\"f1.png 1x, f2.png 2x\">\n\nSee <a href='https://x.org'>x</a> and [top](#top).\n";
        let got: Vec<(usize, usize, String, Option<String>)> = references("labs/01.md", body, 4)
            .into_iter()
            .map(|r| (r.line, r.col, r.url, r.target))
            .collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            got,
            [
                (4, 1, "img/a%20b.png".into(), s("labs/img/a b.png")),
                (4, 24, "../syllabus.md#grading".into(), s("syllabus.md")),
                (6, 10, "fig.png".into(), s("labs/fig.png")),
                (7, 11, "f1.png".into(), s("labs/f1.png")),
                (7, 22, "f2.png".into(), s("labs/f2.png")),
                (9, 14, "https://x.org".into(), None),
                (9, 39, "#top".into(), None),
            ]
        );
    }

    #[test]
    fn external_links_are_listed_with_their_place() {
        let body = "Intro\n\nSee [Ray](https://ray.io) and [lab](../labs/01.md).\n\n![x](http://e.org/a.png)\n\n<a href=\"https://k8s.io\">k</a>\n";
        let l = external_links(body, 5);
        assert_eq!(
            l,
            vec![
                (7, 5, "https://ray.io".to_string()),
                (9, 1, "http://e.org/a.png".to_string()),
                (11, 10, "https://k8s.io".to_string()),
            ]
        );
    }
}
