//! Markdown to HTML: CommonMark plus tables, footnotes, task lists, heading ids, GitHub alerts,
//! math as MathML, highlighted code, and GitHub-style relative `.md` links turned into page URLs.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::base::diagnostics::{Diagnostic, LineIndex};
use crate::render::highlight;

mod first_pass;
mod footnotes;
mod headings;
mod html_blocks;
mod ids;
mod links;
mod outline;
mod raw_html;
mod refs;

pub use ids::{slugify, template_ids};
pub use refs::{Reference, external_links, references};

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 2 to 6: the level shown, after the outline rules (the page title is the only h1).
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// Plain text (math as its TeX source); never empty.
    pub title: String,
}

/// A link to an anchor on some page, checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// The target page, as a path relative to content/.
    pub target: String,
    /// The anchor without `#`, percent-decoded (`café` for `#caf%C3%A9`), as a browser
    /// compares it with the ids of the page.
    pub anchor: String,
    /// Where the link is written.
    pub line: usize,
    /// Column of the link.
    pub col: usize,
}

/// What the renderer needs to know about the rest of the site.
pub struct SiteLinks<'a> {
    /// Page source path relative to content/ (`labs/02-x.md`, `labs/_index.md`) → URL.
    pub pages: &'a HashMap<String, String>,
    /// Asset path relative to content/ → URL.
    pub assets: &'a HashMap<String, String>,
    /// Render math.
    pub math: bool,
    /// The colour schemes for code (`None`: code is shown plain).
    pub code: Option<&'a highlight::Schemes>,
    /// The ids the theme's templates put on every page (`sm-main`…; see [`template_ids`]):
    /// no id of the page may take them.
    pub theme_ids: &'a [String],
}

/// A rendered page body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Its headings, in order.
    pub headings: Vec<Heading>,
    /// Links to anchors to check.
    pub anchors: Vec<AnchorRef>,
    /// Every id on the page (headings, footnotes, raw HTML, the theme's): what a link's
    /// `#fragment` may name.
    pub ids: Vec<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// A hash of everything the HTML was made from (set when a cache is in use, else 0).
    pub key: u128,
}

/// Options every page is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A page body to render.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file, as shown in messages.
    pub path: &'a Path,
    /// Its path relative to content/ (`labs/01-setup.md`), which relative links start from.
    pub rel: &'a str,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// The page's `h1` as the theme shows it (the page title; the course title on the home
    /// page): an author's first `# …` that repeats it is not shown twice.
    pub title: &'a str,
}

struct Ctx<'a> {
    path: &'a Path,
    rel: &'a str,
    body: &'a str,
    body_line: usize,
    /// Where lines start, computed on the first message.
    lines: std::cell::OnceCell<LineIndex>,
    links: &'a SiteLinks<'a>,
    out: Rendered,
    /// Every id of the page, the theme's included.
    ids: ids::PageIds,
    outline: outline::Outline,
    footnotes: footnotes::Footnotes,
    /// Tables and display equations so far: each scrolling region gets its own name.
    tables: usize,
    equations: usize,
    /// When set, code to highlight is collected here and a marker stands in its place
    /// (see [`render_deferred`]).
    deferred: Option<Vec<(String, String)>>,
}

impl Ctx<'_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        let (l, c) = self
            .lines
            .get_or_init(|| LineIndex::new(self.body))
            .locate(self.body, offset);
        (l + self.body_line - 1, c)
    }

    fn error(&mut self, offset: usize, message: String, hint: Option<String>) {
        let (l, c) = self.at(offset);
        self.out
            .diagnostics
            .push(Diagnostic::error(self.path, l, c, message).with_hint_opt(hint));
    }

    fn warn(&mut self, offset: usize, message: String, hint: Option<String>) {
        let (l, c) = self.at(offset);
        self.out
            .diagnostics
            .push(Diagnostic::warning(self.path, l, c, message).with_hint_opt(hint));
    }
}

/// Renders a page body.
pub fn render(page: &Source, links: &SiteLinks) -> Rendered {
    render_with(page, links, None).0
}

/// A page rendered with its code blocks still to highlight.
pub struct Deferred {
    rendered: Rendered,
    /// The blocks to highlight, as (language, code), in the order of their markers.
    pub blocks: Vec<(String, String)>,
}

/// [`render`], leaving each block of code to highlight as a marker and listing the blocks, so
/// that a build can highlight every block of the site at once, spread over all cores, and then
/// [`fill`] the pages in.
pub fn render_deferred(page: &Source, links: &SiteLinks) -> Deferred {
    let (rendered, blocks) = render_with(page, links, Some(Vec::new()));
    Deferred {
        rendered,
        blocks: blocks.unwrap_or_default(),
    }
}

/// Characters that never occur in text (Unicode noncharacters) around a block's number.
const MARK_OPEN: char = '\u{FDD0}';
const MARK_CLOSE: char = '\u{FDD1}';

fn code_marker(n: usize) -> String {
    format!("{MARK_OPEN}{n}{MARK_CLOSE}")
}

/// Puts the highlighted code into a [`Deferred`] page. `None` if the page's own text used the
/// marker characters (then render it with [`render`]).
pub fn fill(deferred: Deferred, code: Option<&highlight::Highlighted>) -> Option<Rendered> {
    let Deferred {
        mut rendered,
        blocks,
    } = deferred;
    if blocks.is_empty() {
        return Some(rendered);
    }
    // Blocks are left to highlight only where there are colour schemes, hence `code`.
    let code = code?;
    if rendered.html.matches(MARK_OPEN).count() != blocks.len() {
        return None;
    }
    let mut html = String::with_capacity(rendered.html.len() * 2);
    let mut rest = rendered.html.as_str();
    for (n, (lang, text)) in blocks.iter().enumerate() {
        let marker = code_marker(n);
        let at = rest.find(&marker)?;
        html.push_str(&rest[..at]);
        match code.get(lang, text) {
            Some(h) => html.push_str(h),
            None => html.push_str(&escape_html(text)),
        }
        rest = &rest[at + marker.len()..];
    }
    html.push_str(rest);
    rendered.html = html;
    Some(rendered)
}

fn render_with(
    page: &Source,
    links: &SiteLinks,
    deferred: Option<Vec<(String, String)>>,
) -> (Rendered, Option<Vec<(String, String)>>) {
    let Source {
        path,
        rel,
        body,
        body_line,
        title,
    } = *page;
    let mut opts = options();
    if links.math {
        opts |= Options::ENABLE_MATH;
    }
    let mut cx = Ctx {
        path,
        rel,
        body,
        body_line,
        lines: std::cell::OnceCell::new(),
        links,
        out: Rendered::default(),
        ids: ids::PageIds::with_theme(links.theme_ids),
        outline: outline::Outline::new(title),
        footnotes: footnotes::Footnotes::default(),
        tables: 0,
        equations: 0,
        deferred,
    };
    // About one event per 12 bytes of Markdown: sized up front so the list is not copied as
    // it grows.
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Vec::with_capacity(body.len() / 12 + 16);
    events.extend(Parser::new_ext(body, opts).into_offset_iter());
    first_pass::reserve_ids(&mut cx, &events);
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    let mut alerts: Vec<bool> = Vec::new();
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                let (html, end) = headings::heading(&mut cx, &events, i);
                html_events.extend(html);
                i = end + 1;
                continue;
            }
            Event::Start(Tag::HtmlBlock) => {
                i = raw_html::block(&mut cx, &events, i, &mut html_events);
                continue;
            }
            Event::FootnoteReference(_)
            | Event::Start(Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::FootnoteDefinition) => {
                footnotes::event(&mut cx, &events, i, &mut html_events);
                i += 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i);
                let code: String = events[i + 1..end]
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
                html_events.push(Event::Html(CowStr::from(code_block(
                    &mut cx,
                    &lang,
                    &code,
                    range.start,
                ))));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                alerts.push(kind.is_some());
                if let Some(kind) = kind {
                    let (class, label) = alert(*kind);
                    html_events.push(Event::Html(CowStr::from(format!(
                        "<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{label}</p>\n"
                    ))));
                    i += 1;
                    continue;
                }
            }
            Event::End(TagEnd::BlockQuote(_)) if alerts.last() == Some(&true) => {
                alerts.pop();
                html_events.push(Event::Html(CowStr::from("</div>\n")));
                i += 1;
                continue;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                alerts.pop();
            }
            // A wide table scrolls inside its own box, which keyboard users can focus.
            Event::Start(Tag::Table(_)) => {
                cx.tables += 1;
                html_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table {}\">\n",
                    cx.tables
                ))));
            }
            Event::End(TagEnd::Table) => {
                html_events.push(ev.clone());
                html_events.push(Event::Html(CowStr::from("</div>\n")));
                i += 1;
                continue;
            }
            // A read-only checkbox says what it shows; the item's text follows it.
            Event::TaskListMarker(done) => {
                html_events.push(Event::InlineHtml(CowStr::from(if *done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
                })));
                i += 1;
                continue;
            }
            _ => {}
        }
        let e = transform_inline(&mut cx, ev.clone(), range.start);
        html_events.push(e);
        i += 1;
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
    html.push_str(&cx.footnotes.list());
    cx.out.html = html;
    cx.out.ids = std::mem::take(&mut cx.ids.all);
    cx.out.ids.extend(links.theme_ids.iter().cloned());
    (cx.out, cx.deferred)
}

/// The index of the event that closes the one opened at `start`.
fn find_end(events: &[(Event, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Links, images, raw HTML and math: the events that need the site or a check.
fn transform_inline<'a>(cx: &mut Ctx, ev: Event<'a>, offset: usize) -> Event<'a> {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = links::resolve_link(cx, &dest_url, offset, false);
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(dest),
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = links::resolve_link(cx, &dest_url, offset, true);
            Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(dest),
                title,
                id,
            })
        }
        Event::InlineMath(tex) => Event::InlineHtml(CowStr::from(math(cx, &tex, false, offset))),
        Event::DisplayMath(tex) => Event::InlineHtml(CowStr::from(math(cx, &tex, true, offset))),
        Event::InlineHtml(html) => {
            Event::InlineHtml(CowStr::from(raw_html::resolve(cx, &html, &|at| {
                offset + at
            })))
        }
        other => other,
    }
}

fn math(cx: &mut Ctx, tex: &str, display: bool, offset: usize) -> String {
    use pulldown_latex::{Parser as TexParser, RenderConfig, Storage, config::DisplayMode};
    let storage = Storage::new();
    let events: Vec<_> = TexParser::new(tex, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        let msg = e
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("parsing error: ")
            .to_string();
        cx.error(
            offset,
            format!("this math does not parse: {msg}"),
            Some(
                "check the LaTeX between the dollar signs; a literal dollar is written \\$".into(),
            ),
        );
        return format!("<code class=\"math-error\">{}</code>", escape_attr(tex));
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    if display {
        // Display math sits inside a paragraph, so the scrolling box is a span shown as a block.
        cx.equations += 1;
        out.push_str(&format!(
            "<span class=\"math-display\" tabindex=\"0\" role=\"region\" aria-label=\"Equation {}\">",
            cx.equations
        ));
    }
    match pulldown_latex::push_mathml(&mut out, events.into_iter(), config) {
        Ok(()) if display => mrow_attributes_to_mstyle(&out) + "</span>",
        Ok(()) => mrow_attributes_to_mstyle(&out),
        Err(_) => format!("<code class=\"math-error\">{}</code>", escape_attr(tex)),
    }
}

/// pulldown-latex writes `displaystyle` and `scriptlevel` on `<mrow>` (for `\tfrac`, `\dfrac`);
/// HTML's MathML allows them only on `<mstyle>`, which means the same. Renames each `<mrow …>`
/// that has attributes, and its own closing tag.
fn mrow_attributes_to_mstyle(mathml: &str) -> String {
    if !mathml.contains("<mrow ") {
        return mathml.to_string();
    }
    let mut out = String::with_capacity(mathml.len());
    let mut open: Vec<bool> = Vec::new(); // per open <mrow>: renamed?
    let mut rest = mathml;
    while let Some(at) = rest
        .find("<mrow")
        .into_iter()
        .chain(rest.find("</mrow>"))
        .min()
    {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(tail) = rest.strip_prefix("</mrow>") {
            out.push_str(if open.pop() == Some(true) {
                "</mstyle>"
            } else {
                "</mrow>"
            });
            rest = tail;
        } else {
            let renamed = rest.starts_with("<mrow ");
            open.push(renamed);
            out.push_str(if renamed { "<mstyle" } else { "<mrow" });
            rest = &rest["<mrow".len()..];
        }
    }
    out.push_str(rest);
    out
}

fn code_block(cx: &mut Ctx, lang: &str, code: &str, offset: usize) -> String {
    let known = !lang.is_empty() && highlight::is_known(lang);
    if !lang.is_empty() && !known {
        cx.warn(offset, format!("code block in unknown language `{lang}` is shown without colours"), Some("use a common name such as python, bash, yaml, dockerfile, json, toml, hcl, sql; or `text`".into()));
    }
    let highlighted = match cx.links.code {
        Some(schemes) if known && !highlight::is_plain(lang) => match cx.deferred.as_mut() {
            Some(blocks) => {
                blocks.push((lang.to_string(), code.to_string()));
                Some(code_marker(blocks.len() - 1))
            }
            None => highlight::highlight(schemes, lang, code),
        },
        _ => None,
    };
    let inner = highlighted.unwrap_or_else(|| escape_html(code));
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape_attr(lang))
    };
    format!(
        "<div class=\"codeblock\"><pre class=\"code\"{lang_attr} tabindex=\"0\"><code>{inner}</code></pre></div>\n"
    )
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Escapes text for an HTML attribute or element.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // Only ASCII bytes are replaced, so `plain..i` is always on character boundaries.
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

fn escape_html(s: &str) -> String {
    escape_attr(s)
}

/// Alt-text and other checks that only `semester check` reports.
pub fn images_without_alt(path: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    let lines = LineIndex::new(body);
    let events: Vec<_> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut out = Vec::new();
    for (i, (e, r)) in events.iter().enumerate() {
        if let Event::Start(Tag::Image { dest_url, .. }) = e {
            let end = find_end(&events, i);
            if plain_text(
                &events[i + 1..end]
                    .iter()
                    .map(|(e, _)| e.clone())
                    .collect::<Vec<_>>(),
            )
            .is_empty()
            {
                let (l, c) = lines.locate(body, r.start);
                out.push(
                    Diagnostic::warning(path, l + body_line - 1, c, format!("image `{dest_url}` has no alt text"))
                        .with_hint("describe the image between the brackets: ![a plot of loss per epoch](loss.png)"),
                );
            }
        }
    }
    out
}

/// The language of a fence's info string (`python {.numbered}` → `python`).
fn fence_lang(info: &str) -> String {
    info.split([' ', ',', '{']).next().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mrow_with_attributes_becomes_mstyle() {
        let m = "<math><mrow displaystyle=\"false\"><mrow><mi>a</mi></mrow><mfrac><mi>b</mi></mfrac></mrow><mrow><mi>c</mi></mrow></math>";
        assert_eq!(
            mrow_attributes_to_mstyle(m),
            "<math><mstyle displaystyle=\"false\"><mrow><mi>a</mi></mrow><mfrac><mi>b</mi></mfrac></mstyle><mrow><mi>c</mi></mrow></math>"
        );
    }

    fn site() -> (HashMap<String, String>, HashMap<String, String>) {
        let mut pages = HashMap::new();
        pages.insert(
            "labs/01-setup.md".to_string(),
            "/t/labs/01-setup/".to_string(),
        );
        pages.insert("labs/_index.md".to_string(), "/t/labs/".to_string());
        pages.insert("syllabus.md".to_string(), "/t/syllabus/".to_string());
        pages.insert("_index.md".to_string(), "/t/".to_string());
        let mut assets = HashMap::new();
        assets.insert(
            "labs/img/a.png".to_string(),
            "/t/labs/img/a.png".to_string(),
        );
        (pages, assets)
    }

    fn md(rel: &str, body: &str) -> Rendered {
        let (pages, assets) = site();
        let theme = ["sm-main".to_string()];
        let schemes = highlight::Schemes::named("Coldark-Cold", "Coldark-Dark").unwrap();
        let links = SiteLinks {
            pages: &pages,
            assets: &assets,
            math: true,
            code: Some(&schemes),
            theme_ids: &theme,
        };
        let src = Source {
            path: Path::new("content/x.md"),
            rel,
            body,
            body_line: 5,
            title: "The page",
        };
        render(&src, &links)
    }

    #[test]
    fn relative_md_links_become_page_urls() {
        let r = md(
            "topics/01.md",
            "[a](../labs/01-setup.md#part-2) [b](../syllabus.md) [c](../labs/) [d](https://x.org/a.md)",
        );
        assert!(
            r.html.contains("href=\"/t/labs/01-setup/#part-2\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/t/syllabus/\""));
        assert!(r.html.contains("href=\"/t/labs/\""));
        assert!(r.html.contains("href=\"https://x.org/a.md\""));
        assert_eq!(r.anchors[0].target, "labs/01-setup.md");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn missing_pages_and_files_are_errors_with_lines() {
        let r = md(
            "topics/01.md",
            "text\n\n[a](../labs/01-setpu.md)\n\n![x](../labs/img/b.png)",
        );
        let msgs: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str(), d.hint.clone()))
            .collect();
        assert_eq!(msgs[0].0, 7);
        assert_eq!(msgs[0].2, "link to a missing page `../labs/01-setpu.md`");
        assert_eq!(
            msgs[0].3.as_deref(),
            Some("did you mean `../labs/01-setup.md`?")
        );
        assert_eq!(
            (msgs[1].0, msgs[1].2),
            (9, "image `../labs/img/b.png` does not exist")
        );
        let r = md("topics/01.md", "[up](../../x.md)");
        assert_eq!(
            r.diagnostics[0].message,
            "link `../../x.md` points outside content/"
        );
    }

    #[test]
    fn assets_beside_pages_resolve() {
        let r = md("labs/01-setup.md", "![plot](img/a.png)");
        assert!(r.html.contains("src=\"/t/labs/img/a.png\""), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_github_ids_and_anchors() {
        let r = md(
            "a.md",
            "## Part 2: Build it!\n\n## Part 2: Build it!\n\n### Custom {#my-id}\n",
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["part-2-build-it", "part-2-build-it-1", "my-id"]);
        assert!(r.html.contains("<h2 id=\"part-2-build-it\">Part 2: Build it!<a class=\"anchor\" href=\"#part-2-build-it\""));
    }

    #[test]
    fn alerts_tables_footnotes_tasks_strikethrough() {
        let r = md(
            "a.md",
            "> [!WARNING]\n> Delete your lease.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1]\n\n[^1]: note\n\n- [x] done\n\n~~old~~\n",
        );
        assert!(
            r.html
                .contains("<div class=\"markdown-alert markdown-alert-warning\">"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<p class=\"markdown-alert-title\">Warning</p>")
        );
        assert!(r.html.contains("<table>"));
        assert!(
            r.html.contains("<section class=\"footnotes\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<del>old</del>"));
    }

    #[test]
    fn math_becomes_mathml_and_bad_math_is_an_error() {
        let r = md(
            "a.md",
            "Speedup $S = \\frac{1}{(1-p) + p/n}$ and\n\n$$\n\\sum_{i=1}^n i\n$$\n",
        );
        assert!(r.html.contains("<math"), "{}", r.html);
        assert!(r.html.contains("display=\"block\""), "{}", r.html);
        let r = md("a.md", "bad $\\frac{1}$ math");
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert!(
            r.diagnostics[0]
                .message
                .starts_with("this math does not parse")
        );
    }

    #[test]
    fn code_is_highlighted_and_unknown_languages_warned() {
        let r = md("a.md", "```python\nx = 1\n```\n\n```klingon\nqapla\n```\n");
        assert!(r.html.contains("<pre class=\"code\" data-lang=\"python\""));
        assert!(r.html.contains("<span class=\"l"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(
            r.diagnostics[0].severity,
            crate::base::diagnostics::Severity::Warning
        );
    }

    #[test]
    fn footnote_marks_without_a_note_are_warned_outside_code() {
        let r = md(
            "a.md",
            "Text[^gone] and `[^code]`.\n\n```\nx[^block]\n```\n\nA [^kept].\n\n[^kept]: Here.\n",
        );
        let msgs: Vec<(usize, usize, &str)> = r
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            msgs,
            [(
                5,
                5,
                "`[^gone]` looks like a footnote mark, but the page has no note `[^gone]:`; it is shown as written"
            )]
        );
    }

    #[test]
    fn raw_html_ids_are_ids_of_the_page() {
        let r = md(
            "a.md",
            "## Intro\n\n<a id=\"intro\"></a><span id=\"old anchor\"></span>\n\n[x](#old%20anchor)\n",
        );
        let msgs: Vec<(usize, usize, &str)> = r
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            msgs,
            [
                (
                    7,
                    29,
                    "the id `old anchor` contains a space, which HTML does not allow in an id"
                ),
                (
                    5,
                    1,
                    "heading `Intro` gets the id `intro-1`: the id `intro` is written on line 7"
                ),
            ]
        );
        assert_eq!(r.anchors[0].anchor, "old anchor");
        assert!(r.ids.contains(&"old anchor".to_string()));
        assert!(r.ids.contains(&"sm-main".to_string()));
    }

    #[test]
    fn same_page_anchors_are_recorded() {
        let r = md("a.md", "[x](#nope)");
        assert_eq!(
            (r.anchors[0].target.as_str(), r.anchors[0].anchor.as_str()),
            ("a.md", "nope")
        );
    }

    #[test]
    fn slugs_match_github() {
        assert_eq!(slugify("Late work (72 hours)"), "late-work-72-hours");
        assert_eq!(slugify("Step 1: set up"), "step-1-set-up");
        assert_eq!(slugify("Über café"), "über-café");
    }
}
