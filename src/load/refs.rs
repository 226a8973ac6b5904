//! What a page links to or embeds, read from its Markdown source: the destinations of Markdown
//! links and images, and the URL attributes of raw HTML (`src`, `href`, `srcset`, `poster`,
//! `data`). The visibility stage uses them to publish a file of content/ only with the pages
//! that use it. Also the optional stripping of HTML comments (`markdown.strip_comments`).
//!
//! Reading is shared with the renderer (the same Markdown options, Liquid reading and HTML
//! tokenizer), so a reference is found here exactly where the renderer resolves one.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::html::{attributes, gather, url_kind, urls_in};
use super::rewrite::Rewritten;
use crate::base::diagnostics::LineIndex;
use crate::base::urls::{is_external, normalize, parts, percent_decode};

/// The Markdown extensions every page is read with, here and by the renderer
/// (`render::markdown::options`), so that a link is found here exactly where the renderer sees
/// one.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// A link or embed written in a page body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The destination as the renderer reads it (`03-answers/solution.py`,
    /// `../labs/01.md#part-2`; a Jekyll `{% link x.md %}` or `{{ site.baseurl }}/x` already as
    /// the relative path it stands for), character references of raw HTML decoded.
    pub dest: String,
    /// Byte offset in the body where it is written (the link, or the HTML attribute's value).
    pub offset: usize,
}

/// Every link and embed of the body of the page `rel` (path relative to content/), in the
/// order written: Markdown links and images, and the URL attributes of raw HTML exactly as the
/// renderer resolves them ([`super::html::url_kind`]; each URL of a `srcset`). Liquid is read
/// as the renderer reads it ([`super::liquid`]). Text inside HTML comments and code is not a
/// use. Nothing is checked.
pub fn of_body(rel: &str, body: &str) -> Vec<Ref> {
    let opts = options() | Options::ENABLE_MATH;
    let liquid = super::liquid::rewrite(body, rel, opts);
    let src = Rewritten::new(body, &liquid.edits);
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&src.text, opts)
        .into_offset_iter()
        .collect();
    let mut out = Vec::new();
    let mut push = |dest: &str, at: usize| {
        out.push(Ref {
            dest: dest.to_string(),
            offset: src.original(at),
        })
    };
    for (i, (e, r)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                push(dest_url, r.start)
            }
            Event::InlineHtml(t) => html_refs(t, &|at| r.start + at, &mut push),
            Event::Start(Tag::HtmlBlock) => {
                let block = gather(&events, i);
                html_refs(&block.text, &|at| block.source_offset(at), &mut push);
            }
            _ => {}
        }
    }
    out.sort_by_key(|r| r.offset);
    out
}

/// The URLs of the attributes of a piece of raw HTML, each given to `push` with its offset
/// (`offset_of` maps a place in `html` to the text it was read from).
fn html_refs(html: &str, offset_of: &dyn Fn(usize) -> usize, push: &mut dyn FnMut(&str, usize)) {
    for a in attributes(html) {
        if let Some(kind) = url_kind(&a.tag, &a.name) {
            for r in urls_in(kind, &a.value) {
                push(&a.value[r.clone()], offset_of(a.span.start + r.start));
            }
        }
    }
}

/// The path (relative to content/, `/`-separated, percent-decoded, without `#…` or `?…`) that
/// `dest`, written in a page of the folder `dir`, points at. `None` for another site, an
/// anchor on the same page, or a path that climbs out of content/. A path from the site's
/// root (`/assets/x.png`, as Jekyll courses write them) is read from content/; one that names
/// no file of content/ is simply no use of one.
pub fn resolve(dir: &str, dest: &str) -> Option<String> {
    let path = parts(dest).path;
    if is_external(dest) || path.is_empty() {
        return None;
    }
    let dir = if path.starts_with('/') { "" } else { dir };
    normalize(dir, &percent_decode(path))
}

/// Every link to another site in a page body (Markdown or raw HTML), as (line, column, URL),
/// for review before a term starts (`semester check --links`): links rot between terms.
/// `body_line` is the line of the file the body starts on.
pub fn external_links(body: &str, body_line: usize) -> Vec<(usize, usize, String)> {
    let lines = LineIndex::new(body);
    of_body("", body)
        .into_iter()
        .filter(|r| {
            ["http://", "https://", "//"]
                .iter()
                .any(|p| r.dest.starts_with(p))
        })
        .map(|r| {
            let (l, c) = lines.locate(body, r.offset);
            (l + body_line - 1, c, r.dest)
        })
        .collect()
}

/// The body with every HTML comment of its Markdown removed (`markdown.strip_comments`), keeping
/// the comment's line breaks so that later messages point at the right lines. Comments inside
/// code are text, and stay.
pub fn strip_comments(body: &str) -> String {
    if !body.contains("<!--") {
        return body.to_string();
    }
    // The spans of raw HTML: each HTML block whole, each inline tag.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Html(_) => match spans.last_mut() {
                // Lines of one block, perhaps with a block quote's `>` between them.
                Some(last)
                    if body[last.end..range.start]
                        .trim_matches(|c: char| c.is_whitespace() || c == '>')
                        .is_empty() =>
                {
                    last.end = range.end
                }
                _ => spans.push(range),
            },
            Event::InlineHtml(_) => spans.push(range),
            _ => {}
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut copied = 0;
    for span in spans {
        let mut at = span.start.max(copied);
        while let Some(open) = body[at..span.end].find("<!--").map(|k| at + k) {
            let close = body[open + 4..span.end]
                .find("-->")
                .map_or(span.end, |k| open + 4 + k + 3);
            out.push_str(&body[copied..open]);
            // Each line break stays, with the `>` and indentation that open the next line, so
            // a comment inside a block quote or a list leaves the quote or the list whole.
            for line in body[open..close].split('\n').skip(1) {
                out.push('\n');
                out.extend(line.chars().take_while(|c| matches!(c, ' ' | '\t' | '>')));
            }
            copied = close;
            at = close;
        }
    }
    out.push_str(&body[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dests(body: &str) -> Vec<(String, usize)> {
        of_body("labs/x.md", body)
            .into_iter()
            .map(|r| (r.dest, r.offset))
            .collect()
    }

    #[test]
    fn markdown_and_raw_html_references_are_found_where_written() {
        let body = "See [a](a.md) and ![p](img/p.png).\n\n<div>\n<img alt=\"x\"\n  src=\"fig one.png\">\n</div>\n\nInline <a href='sol.py'>x</a> and <img srcset=\"s1.png 1x, s2.png 2x\">.\n";
        let got = dests(body);
        let want: Vec<(&str, &str)> = vec![
            ("a.md", "[a]"),
            ("img/p.png", "![p]"),
            ("fig one.png", "fig one"),
            ("sol.py", "sol.py"),
            ("s1.png", "s1.png"),
            ("s2.png", "s2.png"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((dest, offset), (wd, at)) in got.iter().zip(want) {
            assert_eq!(dest, wd);
            assert!(
                body[*offset..].starts_with(at),
                "{dest}: {}",
                &body[*offset..]
            );
        }
    }

    #[test]
    fn jekyll_liquid_paths_are_read_from_content() {
        let body = "![p]({{ site.baseurl }}/assets/p.svg) [d]({{ \"/files/d.csv\" | relative_url }}) {{ page.title }} [l]({% link syllabus.md %})";
        let got: Vec<Option<String>> = of_body("labs/x.md", body)
            .into_iter()
            .map(|r| resolve("labs", &r.dest))
            .collect();
        let want = ["assets/p.svg", "files/d.csv", "syllabus.md"];
        assert_eq!(got, want.map(|w| Some(w.to_string())));
    }

    #[test]
    fn commented_out_references_are_not_uses() {
        let body = "<!-- ![old](old.png) <img src=\"old2.png\"> -->\n\nText <!-- <a href=\"x.py\"> --> end\n";
        assert_eq!(dests(body), vec![]);
        assert_eq!(
            dests("<!-- <img src=a.png> --><img src=b.png>"),
            vec![("b.png".to_string(), 33)]
        );
        // An unquoted value ends the tag at `>`; text after it is not an attribute.
        assert_eq!(
            dests("<a href=x.py>see src=y.png</a><img\n  SRC = 'z.png' alt>"),
            vec![("x.py".to_string(), 8), ("z.png".to_string(), 44)]
        );
    }

    #[test]
    fn destinations_resolve_inside_content() {
        assert_eq!(
            resolve("labs", "03-answers/solution.py").as_deref(),
            Some("labs/03-answers/solution.py")
        );
        assert_eq!(
            resolve("labs", "../syllabus.md#grading").as_deref(),
            Some("syllabus.md")
        );
        assert_eq!(
            resolve("", "my%20fig.png?v=2").as_deref(),
            Some("my fig.png")
        );
        assert_eq!(resolve("", "../x.md"), None);
        assert_eq!(resolve("labs", "https://x.org/a.png"), None);
        assert_eq!(resolve("labs", "mailto:a@b.c"), None);
        assert_eq!(resolve("labs", "#part"), None);
        assert_eq!(
            resolve("labs", "/assets/a.png").as_deref(),
            Some("assets/a.png")
        );
    }

    #[test]
    fn comments_are_stripped_outside_code_keeping_lines() {
        let body = "a <!-- secret --> b\n\n<!--\nTA: answer is 42\n-->\n\n```html\n<!-- kept -->\n```\n\n`<!-- kept too -->`\n";
        assert_eq!(
            strip_comments(body),
            "a  b\n\n\n\n\n\n```html\n<!-- kept -->\n```\n\n`<!-- kept too -->`\n"
        );
        assert_eq!(strip_comments("plain"), "plain");
        assert_eq!(
            strip_comments("> a\n>\n> <!--\n> secret\n> -->\n> b\n"),
            "> a\n>\n> \n> \n> \n> b\n"
        );
    }
}
