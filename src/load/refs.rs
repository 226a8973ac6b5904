//! What a page links to or embeds, read from its Markdown source: the destinations of Markdown
//! links and images, and the URL attributes of raw HTML (`src`, `href`, `srcset`, `poster`,
//! `data`). The visibility stage uses them to publish a file of content/ only with the pages
//! that use it. Also the optional stripping of HTML comments (`markdown.strip_comments`).
//!
//! Rewriting raw HTML's URLs belongs to the Markdown renderer; reading them lives here, apart,
//! so that the two can change independently.

use pulldown_cmark::{Event, Options, Parser, Tag};

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
    /// The destination as written (`03-answers/solution.py`, `../labs/01.md#part-2`).
    pub dest: String,
    /// Byte offset in the body where it is written (the link, or the HTML tag's attribute).
    pub offset: usize,
}

/// Every link and embed of a Markdown body, in order. Text inside HTML comments is not a use.
/// Jekyll's `{{ site.baseurl }}/x` and `{{ "/x" | relative_url }}` (which the renderer
/// understands) are read as `/x`, a path from content/; on such a line, offsets after the
/// Liquid are off by its length.
pub fn of_body(body: &str) -> Vec<Ref> {
    if body.contains("{{") {
        return refs_in(&liquid_paths(body));
    }
    refs_in(body)
}

/// `{{ site.baseurl }}` dropped and `{{ "/x" | relative_url }}` (or `absolute_url`) turned into
/// `/x`, everywhere in `body`.
fn liquid_paths(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find("{{") {
        let Some(len) = rest[open..].find("}}").map(|k| k + 2) else {
            break;
        };
        let inner = rest[open + 2..open + len - 2].trim();
        let (value, filter) = inner.split_once('|').unwrap_or((inner, ""));
        let filter = filter.trim();
        let replaced = match value.trim() {
            "site.baseurl" | "site.base_url" => Some(String::new()),
            v if filter == "relative_url" || filter == "absolute_url" => {
                Some(v.trim_matches(|c| c == '"' || c == '\'').to_string())
            }
            _ => None,
        };
        out.push_str(&rest[..open]);
        match replaced {
            Some(r) => out.push_str(&r),
            None => out.push_str(&rest[open..open + len]),
        }
        rest = &rest[open + len..];
    }
    out.push_str(rest);
    out
}

fn refs_in(body: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    // Consecutive lines of an HTML block are read as one text, so a tag may span lines.
    let mut block = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (offset in `block`, offset in body)
    let flush = |block: &mut String, starts: &mut Vec<(usize, usize)>, out: &mut Vec<Ref>| {
        for (at, dest) in html_refs(block) {
            let (from, base) = starts
                .iter()
                .rev()
                .find(|(s, _)| *s <= at)
                .copied()
                .unwrap_or((0, 0));
            out.push(Ref {
                dest,
                offset: base + (at - from),
            });
        }
        block.clear();
        starts.clear();
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Event::Html(text) = &event {
            starts.push((block.len(), range.start));
            block.push_str(text);
            continue;
        }
        flush(&mut block, &mut starts, &mut out);
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                out.push(Ref {
                    dest: dest_url.to_string(),
                    offset: range.start,
                })
            }
            Event::InlineHtml(text) => {
                out.extend(html_refs(&text).into_iter().map(|(at, dest)| Ref {
                    dest,
                    offset: range.start + at,
                }))
            }
            _ => {}
        }
    }
    flush(&mut block, &mut starts, &mut out);
    out
}

/// The URL attributes of the tags in a piece of raw HTML, as (byte offset of the attribute,
/// value), comments skipped. A `srcset` gives each of its URLs.
pub fn html_refs(html: &str) -> Vec<(usize, String)> {
    const URL_ATTRIBUTES: [&str; 6] = ["src", "href", "srcset", "poster", "data", "xlink:href"];
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|k| k + i) {
        if html[lt..].starts_with("<!--") {
            i = html[lt + 4..]
                .find("-->")
                .map_or(html.len(), |k| lt + 4 + k + 3);
            continue;
        }
        // The tag name, then its attributes up to `>`.
        i = skip(html, lt + 1, |b| {
            !b.is_ascii_whitespace() && b != b'>' && b != b'/'
        });
        while let Some(attr) = attribute(html, &mut i) {
            let Some((name_at, name, value)) = attr else {
                continue;
            };
            if !URL_ATTRIBUTES.contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
            let value = value.replace("&amp;", "&");
            if name.eq_ignore_ascii_case("srcset") {
                let urls = value.split(',').filter_map(|c| c.split_whitespace().next());
                out.extend(urls.map(|url| (name_at, url.to_string())));
            } else {
                out.push((name_at, value.trim().to_string()));
            }
        }
    }
    out
}

/// The next attribute of a tag from `*i` on, as (offset of its name, name, value); `Some(None)`
/// for one without a value; `None` at the tag's end. Moves `*i` past it.
fn attribute<'a>(html: &'a str, i: &mut usize) -> Option<Option<(usize, &'a str, &'a str)>> {
    let bytes = html.as_bytes();
    *i = skip(html, *i, |b| b.is_ascii_whitespace() || b == b'/');
    if *i >= bytes.len() || bytes[*i] == b'>' {
        return None;
    }
    let name_at = *i;
    *i = skip(html, *i, |b| {
        !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/')
    });
    let name = &html[name_at..*i];
    let eq = skip(html, *i, |b| b.is_ascii_whitespace());
    if bytes.get(eq) != Some(&b'=') {
        return Some(None);
    }
    let at = skip(html, eq + 1, |b| b.is_ascii_whitespace());
    let value = match bytes.get(at) {
        Some(&q @ (b'"' | b'\'')) => {
            let close = skip(html, at + 1, |b| b != q);
            *i = (close + 1).min(html.len());
            &html[at + 1..close]
        }
        _ => {
            *i = skip(html, at, |b| !b.is_ascii_whitespace() && b != b'>');
            &html[at..*i]
        }
    };
    Some(Some((name_at, name, value)))
}

/// The first offset from `from` whose byte does not satisfy `keep` (or the end).
fn skip(html: &str, from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let bytes = html.as_bytes();
    let mut i = from.min(bytes.len());
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}

/// The path (relative to content/, `/`-separated, percent-decoded, without `#…` or `?…`) that
/// `dest`, written in a page of the folder `dir`, points at. `None` for another site, an
/// anchor on the same page, or a path that climbs out of content/. A path from the site's
/// root is read from content/.
pub fn resolve(dir: &str, dest: &str) -> Option<String> {
    let scheme = dest.split_once(':').map(|(s, _)| s);
    let external = dest.starts_with("//")
        || scheme.is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if external || path.is_empty() {
        return None;
    }
    let decoded = percent_decode(path);
    // A path from the site's root (`/assets/x.png`, as Jekyll courses write them) is read from
    // content/; one that names no file of content/ is simply no use of one.
    let dir = if path.starts_with('/') { "" } else { dir };
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
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
        of_body(body)
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
            ("fig one.png", "src=\"fig"),
            ("sol.py", "href='sol"),
            ("s1.png", "srcset"),
            ("s2.png", "srcset"),
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
        let body = "![p]({{ site.baseurl }}/assets/p.svg) [d]({{ \"/files/d.csv\" | relative_url }}) {{ page.title }}";
        let got: Vec<String> = of_body(body).into_iter().map(|r| r.dest).collect();
        assert_eq!(got, ["/assets/p.svg", "/files/d.csv"]);
    }

    #[test]
    fn commented_out_references_are_not_uses() {
        let body = "<!-- ![old](old.png) <img src=\"old2.png\"> -->\n\nText <!-- <a href=\"x.py\"> --> end\n";
        assert_eq!(dests(body), vec![]);
        assert_eq!(
            html_refs("<!-- <img src=a.png> --><img src=b.png>"),
            vec![(29, "b.png".to_string())]
        );
        // An unquoted value ends the tag at `>`; text after it is not an attribute.
        assert_eq!(
            html_refs("<a href=x.py>see src=y.png</a><img\n  SRC = 'z.png' alt>"),
            vec![(3, "x.py".to_string()), (37, "z.png".to_string())]
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
