//! A Jekyll page written in HTML (`schedule.html` with front matter), turned into Markdown so it
//! joins the course like the site's `.md` pages: its body goes through htmd (turndown's rules,
//! in faithful mode, so what Markdown cannot say — an `<iframe>`, a `<div class>` — stays HTML),
//! with every Liquid tag (`{% … %}`) and output (`{{ … }}`) kept word for word, so the Markdown
//! pages' Liquid rules (body.rs) apply to it too. Scripts and styles are left out and reported.

use super::pages::SrcPage;
use super::report::{Kind, Report};

/// Replaces `page.body` (HTML) by its Markdown, and reports that it did, what it left out, and
/// that later line numbers of this file count lines of the Markdown.
pub fn to_markdown(page: &mut SrcPage, report: &mut Report) {
    let (masked, liquid) = mask_liquid(&page.body);
    let converter = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            translation_mode: htmd::options::TranslationMode::Faithful,
            ..Default::default()
        })
        .skip_tags(vec!["script", "style", "noscript"])
        .build();
    let tree = match crate::load::html::nesting(&masked) {
        n if n > MAX_DEPTH => Ok(None),
        _ => converter.html_to_tree(&masked).map(Some),
    };
    let markdown = match tree {
        Ok(Some(tree)) if depth(&tree) <= MAX_DEPTH => {
            unmask_liquid(&converter.tree_to_markdown(&tree), &liquid) + "\n"
        }
        Ok(_) => {
            let what =
                format!("the HTML nests elements more than {MAX_DEPTH} deep: its body is left out");
            let todo = "write what it showed as a Markdown page";
            report.add(Kind::LeftOut, &page.path, page.body_line, what, todo);
            String::new()
        }
        Err(e) => {
            let what = format!("the HTML could not be read ({e}): its body is left out");
            let todo = "write what it showed as a Markdown page";
            report.add(Kind::LeftOut, &page.path, page.body_line, what, todo);
            String::new()
        }
    };
    for (tag, line) in left_out_tags(&page.body) {
        let what = format!("a `<{tag}>` is left out of the converted page");
        let todo = "semester's theme has its own scripts and styles; write what it did as Markdown";
        report.add(
            Kind::LeftOut,
            &page.path,
            line + page.body_line - 1,
            what,
            todo,
        );
    }
    let what = "an HTML page: converted to Markdown; the lines named below for it are lines of \
                that Markdown"
        .to_string();
    let todo = "check that the page reads as it did";
    report.add(Kind::Converted, &page.path, page.body_line, what, todo);
    page.body = markdown;
}

/// The deepest nesting of elements converted. htmd walks the tree by recursion, so a hostile
/// page nested thousands deep would overflow the stack, and the HTML parser looks through the
/// open elements at each tag (time grows with depth × tags); hand-written pages nest a few
/// dozen. [`crate::load::html::nesting`] refuses most such pages before they are parsed.
const MAX_DEPTH: usize = 200;

/// How deep the elements of `tree` nest (counted without recursion).
fn depth(tree: &std::rc::Rc<htmd::Node>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(tree.clone(), 0)];
    while let Some((node, d)) = stack.pop() {
        deepest = deepest.max(d);
        stack.extend(node.children.borrow().iter().map(|c| (c.clone(), d + 1)));
    }
    deepest
}

/// The placeholder of the `n`th Liquid span: letters and digits only, which neither the HTML
/// parser nor turndown's Markdown escaping changes.
fn placeholder(n: usize) -> String {
    format!("{PLACEHOLDER}{n}Z")
}

/// What every [`placeholder`] starts with.
const PLACEHOLDER: &str = "LIQUIDSPAN";

/// The HTML with each Liquid tag or output replaced by its [`placeholder`], and the spans. An
/// unclosed `{%` or `{{` stays as text.
fn mask_liquid(html: &str) -> (String, Vec<&str>) {
    let mut out = String::with_capacity(html.len());
    let mut spans = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('{') {
        let close = match rest.as_bytes().get(at + 1) {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            _ => {
                out.push_str(&rest[..=at]);
                rest = &rest[at + 1..];
                continue;
            }
        };
        let Some(end) = rest[at + 2..].find(close).map(|e| at + 2 + e + 2) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(&placeholder(spans.len()));
        spans.push(&rest[at..end]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, spans)
}

/// The Markdown with every placeholder given back its Liquid span, in one pass.
fn unmask_liquid(markdown: &str, spans: &[&str]) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find(PLACEHOLDER) {
        let after = &rest[at + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let span = after[..digits]
            .parse::<usize>()
            .ok()
            .filter(|_| after[digits..].starts_with('Z'))
            .and_then(|n| spans.get(n));
        match span {
            Some(span) => {
                out.push_str(&rest[..at]);
                out.push_str(span);
                rest = &after[digits + 1..];
            }
            None => {
                out.push_str(&rest[..at + PLACEHOLDER.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `script`, `style` and `noscript` elements of the HTML, with their 1-based lines.
fn left_out_tags(html: &str) -> Vec<(String, usize)> {
    let (mut line, mut counted) = (1, 0);
    crate::load::html::start_tags(html, &["script", "style", "noscript"])
        .into_iter()
        .map(|(tag, at)| {
            // Offsets come in order: lines are counted once over the whole text.
            line += html.as_bytes()[counted..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = at;
            (tag, line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> SrcPage {
        SrcPage {
            path: "schedule.html".into(),
            collection: None,
            front: Default::default(),
            front_text: String::new(),
            front_line: 2,
            body: body.into(),
            body_line: 4,
        }
    }

    #[test]
    fn html_becomes_markdown_with_liquid_kept() {
        let mut p = page(
            "<h2>Week 1</h2>\n<p>Read <a href=\"{{ site.baseurl }}/notes/\">the notes</a> \
             on <code>my_var</code>.</p>\n<ul>\n<li>{{ site.github_username }}</li>\n\
             <li>{% link syllabus.md %}</li>\n</ul>\n",
        );
        let mut r = Report::default();
        to_markdown(&mut p, &mut r);
        assert_eq!(
            p.body,
            "## Week 1\n\nRead [the notes]({{ site.baseurl }}/notes/) on `my_var`.\n\n\
             - {{ site.github_username }}\n- {% link syllabus.md %}\n"
        );
        assert_eq!(r.items.len(), 1);
        assert_eq!(r.items[0].kind, Kind::Converted);
        assert_eq!(r.items[0].line, 4);
    }

    #[test]
    fn scripts_and_styles_are_left_out_and_reported() {
        let mut p = page(
            "<style>h1 { color: red }</style>\n<p>Hi</p>\n\n<script src=\"x.js\"></script>\n\
             <SCRIPT>alert(1)</SCRIPT>\n<scripts>not one</scripts>\n",
        );
        let mut r = Report::default();
        to_markdown(&mut p, &mut r);
        assert!(
            !p.body.contains("alert") && !p.body.contains("color"),
            "{}",
            p.body
        );
        let left: Vec<(String, usize)> = r
            .items
            .iter()
            .filter(|i| i.kind == Kind::LeftOut)
            .map(|i| (i.what.clone(), i.line))
            .collect();
        assert_eq!(
            left,
            [
                (
                    "a `<style>` is left out of the converted page".to_string(),
                    4
                ),
                (
                    "a `<script>` is left out of the converted page".to_string(),
                    7
                ),
                (
                    "a `<script>` is left out of the converted page".to_string(),
                    8
                ),
            ]
        );
    }

    #[test]
    fn html_nested_too_deep_is_left_out_not_a_crash() {
        for body in [
            format!("{}x{}", "<div>".repeat(20_000), "</div>".repeat(20_000)),
            format!("{}y", "<b><i>".repeat(5_000)),
            // Only 100 deep by its tags, but 400 in the tree: table, tbody, tr, td.
            format!("{}y", "<table><td>".repeat(100)),
        ] {
            let mut p = page(&body);
            let mut r = Report::default();
            to_markdown(&mut p, &mut r);
            assert_eq!(p.body, "");
            assert_eq!(
                r.items[0].what,
                "the HTML nests elements more than 200 deep: its body is left out"
            );
        }
        let ok = format!("{}x{}", "<div>".repeat(150), "</div>".repeat(150));
        let mut p = page(&ok);
        to_markdown(&mut p, &mut Report::default());
        assert!(p.body.contains('x'), "{}", p.body);
    }

    #[test]
    fn unclosed_liquid_and_many_spans_round_trip() {
        let spans: String = (0..12).map(|i| format!("{{{{ v{i} }}}} ")).collect();
        let html = format!("{spans}{{% open");
        let (masked, found) = mask_liquid(&html);
        assert_eq!(found.len(), 12);
        assert!(masked.ends_with("{% open") && !masked.contains("v1"));
        assert_eq!(unmask_liquid(&masked, &found), html);
        // Text that only looks like a placeholder stays as it is.
        let odd = "LIQUIDSPAN LIQUIDSPAN99Z LIQUIDSPAN1 LIQUIDSPAN0Z";
        assert_eq!(
            unmask_liquid(odd, &["{{ a }}"]),
            "LIQUIDSPAN LIQUIDSPAN99Z LIQUIDSPAN1 {{ a }}"
        );
    }
}
