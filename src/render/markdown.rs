//! Markdown to HTML: CommonMark plus tables, footnotes, task lists, heading ids, GitHub alerts,
//! math as MathML, highlighted code, and GitHub-style relative `.md` links turned into page URLs.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::base::diagnostics::{Diagnostic, LineIndex};
use crate::render::highlight;

mod attributed;
mod dollars;
mod fact_refs;
mod first_pass;
mod footnotes;
mod headings;
mod ids;
mod kramdown;
mod links;
mod outline;
mod raw_html;
mod texmath;

use crate::load::liquid;
use crate::load::rewrite::{Edit, Rewritten};
use attributed::{Attributed, Marks};

pub use ids::{slugify, template_ids};

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    /// 2 to 6: the level shown, after the outline rules (the page title is the only h1).
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// Plain text (math as its TeX source); never empty.
    pub title: String,
}

/// A link to an anchor on some page, checked once every page is rendered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// The course's LaTeX macros (`markdown.macros`), defined before every page's math.
    pub macros: &'a std::collections::BTreeMap<String, String>,
    /// The colour schemes for code (`None`: code is shown plain).
    pub code: Option<&'a highlight::Schemes>,
    /// The ids the theme's templates put on every page (`sm-main`…; see [`template_ids`]):
    /// no id of the page may take them.
    pub theme_ids: &'a [String],
    /// The course's language: alert titles and the names of tables, equations, checkboxes.
    pub i18n: &'a crate::base::i18n::I18n,
    /// The course facts `{@…}` references name.
    pub facts: &'a crate::render::facts::Facts,
}

/// A rendered page body.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
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
    // One set for the renderer and for the reading of references (visibility), so that both
    // see the same links.
    crate::load::refs::options()
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
    /// The page as written (messages point into it).
    body: &'a str,
    /// The text that is parsed, and the way back to `body`.
    src: &'a Rewritten,
    /// The math macros the page has defined so far.
    macros: texmath::Macros,
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
    /// What is left of this page's "did you mean" comparisons.
    hint_budget: usize,
}

impl Ctx<'_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        let (l, c) = self
            .lines
            .get_or_init(|| LineIndex::new(self.body))
            .locate(self.body, self.src.original(offset));
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
    let liquid = liquid::rewrite(body, rel, opts);
    let facts = fact_refs::resolve(body, rel, opts, links.facts);
    let mut edits = liquid.edits;
    edits.extend(facts.edits);
    let src = parse_like_pandoc(body, edits, opts);
    let mut cx = Ctx {
        path,
        rel,
        body,
        src: &src,
        macros: texmath::Macros::course(links.macros),
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
        hint_budget: crate::base::diagnostics::HINT_BUDGET,
    };
    // About one event per 12 bytes of Markdown: sized up front so the list is not copied as
    // it grows.
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Vec::with_capacity(body.len() / 12 + 16);
    events.extend(Parser::new_ext(&src.text, opts).into_offset_iter());
    for d in liquid.dropped {
        let (l, c) = cx
            .lines
            .get_or_init(|| LineIndex::new(body))
            .locate(body, d.offset);
        cx.out.diagnostics.push(
            Diagnostic::warning(path, l + body_line - 1, c, format!("the Liquid `{}` is left out of the page: semester does not run Jekyll's templates", d.what))
                .with_hint("write what it stood for in Markdown; `{% link %}`, `{{ site.baseurl }}`, `relative_url`, `{% highlight %}`, `{% raw %}` and `{% comment %}` are understood (see \"Moving from Jekyll\" in docs/format.md)"),
        );
    }
    for u in facts.unknown {
        let (l, c) = cx
            .lines
            .get_or_init(|| LineIndex::new(body))
            .locate(body, u.offset);
        cx.out
            .diagnostics
            .push(Diagnostic::error(path, l + body_line - 1, c, u.message).with_hint(u.hint));
    }
    let decorated = kramdown::decorate(&src.text, events);
    for n in &decorated.notes {
        cx.warn(n.offset, n.message.clone(), Some(n.hint.clone()));
    }
    let kramdown::Decorated { events, attrs, .. } = decorated;
    // Ids given by attribute lists (`{: #id}`) are the author's too.
    let listed: Vec<(String, usize)> = attrs
        .iter()
        .filter_map(|(i, a)| Some((a.id.clone()?, events.get(*i)?.1.start)))
        .collect();
    first_pass::reserve_ids(&mut cx, &events, listed);
    if opts.contains(Options::ENABLE_MATH) {
        for (at, span) in dollars::unread_math(&src.text, &events) {
            cx.warn(
                at,
                format!("`{span}` is shown as text, not math: its braces `{{` `}}` do not pair up"),
                Some("close every `{` with `}` (a literal brace is `\\{`): math is read only when its braces pair up; a dollar that is not math is `\\$`".into()),
            );
        }
    }
    let mut marks = Marks::default();
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    let mut alerts: Vec<bool> = Vec::new();
    while i < events.len() {
        if let Some(h) = marks.before.remove(&i) {
            html_events.push(Event::Html(CowStr::from(h)));
        }
        if let Some(h) = marks.instead.remove(&i) {
            html_events.push(Event::Html(CowStr::from(h)));
            i += 1;
            continue;
        }
        if let Some(a) = attrs.get(&i) {
            let mut at = Attributed {
                events: &events,
                marks: &mut marks,
                alerts: &mut alerts,
                out: &mut html_events,
            };
            if let Some(next) = at.start(&mut cx, i, a) {
                i = next;
                continue;
            }
        }
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
                    let (class, key) = alert(*kind);
                    let label = cx.links.i18n.html(key, None, &[]);
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
                let name = cx.links.i18n.n("table_n", cx.tables as i64);
                html_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                    escape_attr(&name)
                ))));
            }
            Event::End(TagEnd::Table) => {
                html_events.push(ev.clone());
                html_events.push(Event::Html(CowStr::from("</div>\n")));
                i += 1;
                continue;
            }
            // A span still read as math against Pandoc's rule (see `parse_like_pandoc`).
            Event::InlineMath(tex) if followed_by_digit(&src.text, range) => {
                html_events.push(Event::Text(CowStr::from(format!("${tex}$"))));
                i += 1;
                continue;
            }
            // A read-only checkbox says what it shows; the item's text follows it.
            Event::TaskListMarker(done) => {
                let (checked, key) = if *done {
                    (" checked", "done")
                } else {
                    ("", "to_do")
                };
                html_events.push(Event::InlineHtml(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{}\"> ",
                    escape_attr(&cx.links.i18n.t(key))
                ))));
                i += 1;
                continue;
            }
            _ => {}
        }
        let e = transform_inline(&mut cx, ev.clone(), range.start);
        html_events.push(e);
        i += 1;
    }
    let mut rest: Vec<_> = marks.before.into_iter().collect();
    rest.sort();
    html_events.extend(rest.into_iter().map(|(_, h)| Event::Html(CowStr::from(h))));
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
    html.push_str(&cx.footnotes.list(cx.links.i18n));
    cx.out.html = html;
    cx.out.ids = std::mem::take(&mut cx.ids.all);
    cx.out.ids.extend(links.theme_ids.iter().cloned());
    (cx.out, cx.deferred)
}

/// A page's Markdown as a plain Markdown reader (a notebook's cells) should get it: Liquid
/// rewritten or left out as for the page, references to course facts replaced by the facts
/// (an unknown one is left as written: the page reports it), kramdown attribute lists taken
/// out. `rel` is the page's path relative to content/.
pub fn portable_markdown(body: &str, rel: &str, facts: &crate::render::facts::Facts) -> String {
    let opts = options() | Options::ENABLE_MATH;
    let mut edits = liquid::rewrite(body, rel, opts).edits;
    edits.extend(fact_refs::resolve(body, rel, opts, facts).edits);
    let text = Rewritten::new(body, &edits).text;
    let removals = kramdown::removals(&text, opts);
    if removals.is_empty() {
        return text;
    }
    Rewritten::new(&text, &removals).text
}

/// How many times a page is parsed again at most to unmake false math: each parse finds every
/// span of the page that breaks the rule, so two are enough but for contrived text.
const DOLLAR_PASSES: usize = 4;

/// The text to parse for `body` after `edits`, with the `$` escaped that Pandoc would not read
/// as the start of math (see [`dollars`]).
fn parse_like_pandoc(body: &str, mut edits: Vec<Edit>, opts: Options) -> Rewritten {
    for _ in 0..DOLLAR_PASSES {
        let src = Rewritten::new(body, &edits);
        let may_be_money = src
            .text
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'$' && w[1].is_ascii_digit());
        if !opts.contains(Options::ENABLE_MATH) || !may_be_money {
            return src;
        }
        let events: Vec<_> = Parser::new_ext(&src.text, opts)
            .into_offset_iter()
            .collect();
        let openers = dollars::false_openers(&src.text, &events);
        if openers.is_empty() {
            return src;
        }
        edits.extend(openers.into_iter().map(|o| {
            let at = src.original(o);
            Edit {
                start: at,
                end: at,
                text: "\\".into(),
            }
        }));
    }
    Rewritten::new(body, &edits)
}

fn followed_by_digit(text: &str, range: &std::ops::Range<usize>) -> bool {
    text.as_bytes()
        .get(range.end)
        .is_some_and(u8::is_ascii_digit)
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

/// How deeply math groups (`{…}`, `\left…\right`, `\begin…\end`) may nest. Real formulas
/// stay under ten; the LaTeX parser's time grows with depth times length, so deeper input is
/// refused before it is parsed.
pub const MAX_MATH_DEPTH: usize = 64;

/// Whether `tex` nests groups deeper than [`MAX_MATH_DEPTH`], by one scan of its characters.
pub fn math_too_deep(tex: &str) -> bool {
    let (mut depth, mut rest) = (0usize, tex);
    while let Some(i) = rest.find(['{', '}', '\\']) {
        let tail = &rest[i..];
        let step = if tail.starts_with("\\left") || tail.starts_with("\\begin") {
            depth += 1;
            6
        } else if tail.starts_with("\\right") || tail.starts_with("\\end") {
            depth = depth.saturating_sub(1);
            4
        } else if let Some(escaped) = tail.strip_prefix('\\') {
            // `\{` and `\}` are braces shown, not groups; any other escape is skipped whole.
            1 + escaped.chars().next().map_or(0, char::len_utf8)
        } else {
            if tail.starts_with('{') {
                depth += 1;
            } else {
                depth = depth.saturating_sub(1);
            }
            1
        };
        if depth > MAX_MATH_DEPTH {
            return true;
        }
        rest = &tail[step.min(tail.len())..];
    }
    false
}

fn math(cx: &mut Ctx, tex: &str, display: bool, offset: usize) -> String {
    use pulldown_latex::{Parser as TexParser, RenderConfig, Storage, config::DisplayMode};
    if math_too_deep(tex) {
        cx.error(
            offset,
            format!("this math nests groups more than {MAX_MATH_DEPTH} levels deep"),
            Some(
                "look for a `{` or `\\left` that is never closed; a literal brace is written \\{"
                    .into(),
            ),
        );
        return format!("<code class=\"math-error\">{}</code>", escape_attr(tex));
    }
    let prepared = texmath::prepare(tex, &mut cx.macros);
    let storage = Storage::new();
    let events: Vec<_> = TexParser::new(&prepared, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        let error = e.to_string();
        for p in texmath::explain(tex, &error, &cx.macros) {
            // The named piece, searched in this math's own source (display math in a quote
            // has `> ` on each line, hence the slack).
            let window = cx.src.text.get(offset..).map_or("", |rest| {
                let mut end = (tex.len() * 2 + 8).min(rest.len());
                while !rest.is_char_boundary(end) {
                    end -= 1;
                }
                &rest[..end]
            });
            let at =
                p.at.as_deref()
                    .and_then(|needle| window.find(needle))
                    .map_or(offset, |i| offset + i);
            cx.error(at, p.message, Some(p.hint));
        }
        return format!("<code class=\"math-error\">{}</code>", escape_attr(tex));
    }
    if !display && dollars::looks_like_currency(tex) {
        cx.warn(
            offset,
            format!("`${tex}$` is shown as math but looks like an amount of money"),
            Some("write a dollar sign that is not math as \\$ (e.g. \\$5 per hour)".into()),
        );
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
        let name = cx.links.i18n.n("equation_n", cx.equations as i64);
        out.push_str(&format!(
            "<span class=\"math-display\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">",
            escape_attr(&name)
        ));
    }
    match pulldown_latex::push_mathml(&mut out, events.into_iter(), config) {
        Ok(()) if display => texmath::finish_mathml(mrow_attributes_to_mstyle(&out)) + "</span>",
        Ok(()) => texmath::finish_mathml(mrow_attributes_to_mstyle(&out)),
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
        BlockQuoteKind::Note => ("note", "note"),
        BlockQuoteKind::Tip => ("tip", "tip"),
        BlockQuoteKind::Important => ("important", "important"),
        BlockQuoteKind::Warning => ("warning", "warning"),
        BlockQuoteKind::Caution => ("caution", "caution"),
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

/// The language of a fence's info string, lowercase: `python {.numbered}` → `python`, and as
/// Pandoc, Quarto and R Markdown write it, `{python}`, `{.python .numberLines}`,
/// `{r echo=FALSE}` → `python`, `python`, `r`. Empty when the info names no language.
pub fn fence_lang(info: &str) -> String {
    let info = info.trim();
    let Some(inside) = info.strip_prefix('{') else {
        return info
            .split([' ', ',', '{'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
    };
    let inside = inside.split('}').next().unwrap_or("");
    inside
        .split([' ', ','])
        .filter(|t| !t.is_empty() && !t.contains('=') && !t.starts_with('#'))
        .map(|t| t.trim_start_matches('.'))
        .find(|t| !t.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase()
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
            macros: &Default::default(),
            pages: &pages,
            assets: &assets,
            math: true,
            code: Some(&schemes),
            theme_ids: &theme,
            i18n: &crate::base::i18n::I18n::new("en", Default::default(), None),
            facts: &crate::render::facts::Facts::default(),
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

    /// A moved Jekyll course links pages by their old addresses: each form names the page.
    #[test]
    fn old_site_addresses_of_pages_become_page_urls() {
        let r = md(
            "topics/01.md",
            "[a]({{ site.baseurl }}/syllabus/) [b]({{ site.baseurl }}/syllabus.html#x) [c]({{ '/labs/01-setup/' | relative_url }}) [d](../syllabus) [e]({{ site.baseurl }}/labs/) [f](../labs/01-setup/index.html?v=1)",
        );
        let hrefs: Vec<&str> = r
            .html
            .split("href=\"")
            .skip(1)
            .filter_map(|h| h.split('"').next())
            .collect();
        assert_eq!(
            hrefs,
            [
                "/t/syllabus/",
                "/t/syllabus/#x",
                "/t/labs/01-setup/",
                "/t/syllabus/",
                "/t/labs/",
                "/t/labs/01-setup/?v=1"
            ]
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let r = md("topics/01.md", "[a]({{ site.baseurl }}/nowhere/)");
        assert_eq!(
            r.diagnostics[0].message,
            "link to a missing page `../nowhere/`"
        );
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

    /// Math nested past the limit is one error, found before the LaTeX parser runs; deep but
    /// sane math and escaped braces pass.
    #[test]
    fn deep_math_is_refused_quickly() {
        let deep = format!("x ${}y{}$", "{".repeat(100_000), "}".repeat(100_000));
        let t = std::time::Instant::now();
        let r = md("a.md", &deep);
        assert!(t.elapsed().as_secs() < 2, "{:?}", t.elapsed());
        let msgs: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            msgs,
            [(5, 3, "this math nests groups more than 64 levels deep")]
        );
        assert!(math_too_deep(&"\\left(".repeat(65)));
        assert!(!math_too_deep(&format!(
            "{}x{}",
            "{".repeat(64),
            "}".repeat(64)
        )));
        assert!(!math_too_deep(&"\\{".repeat(1000)));
        assert!(!math_too_deep(&"{x}".repeat(10_000)));
    }

    #[test]
    fn dollar_amounts_stay_text_as_pandoc_reads_them() {
        let r = md(
            "a.md",
            "between $5-$10 per hour, $20 and $30, costs $5.\n\nCost ($5) or ($10); $5/$10; US$5 and US$10; $x$ stays $5-$6 math $y$.\n",
        );
        assert_eq!(r.html.matches("<math").count(), 2, "{}", r.html);
        assert!(r.html.starts_with("<p>between $5-$10 per hour, $20 and $30, costs $5.</p>\n<p>Cost ($5) or ($10); $5/$10; US$5 and US$10; <math"), "{}", r.html);
        assert!(
            r.html.contains("</math> stays $5-$6 math <math"),
            "{}",
            r.html
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn math_that_looks_like_money_is_warned_about_where_it_is() {
        let r = md(
            "a.md",
            "Fine: $x$.\n\nTickets cost $5 per student or US$ 7 at the door.\n",
        );
        let d: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            d,
            [(
                7,
                14,
                "`$5 per student or US$` is shown as math but looks like an amount of money"
            )]
        );
    }

    #[test]
    fn math_errors_name_the_command_at_its_own_line_and_column() {
        let r = md(
            "a.md",
            "Weights $\\bm{w}$ and $\\vect{w}$.\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= \\boxed{d} + \\mathsf{Q} \\llbracket x\n\\end{aligned}\n$$\n",
        );
        let d: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            d,
            [
                (5, 23, "the math command `\\vect` is not supported"),
                (10, 29, "the math command `\\llbracket` is not supported"),
            ]
        );
        assert_eq!(r.html.matches("<math").count(), 1, "{}", r.html);
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
    fn fences_written_as_pandoc_and_quarto_do_name_their_language() {
        for (info, lang) in [
            ("python", "python"),
            ("Python {.numbered}", "python"),
            ("{python}", "python"),
            ("{.python}", "python"),
            ("{.python .numberLines startFrom=\"3\"}", "python"),
            ("{r echo=FALSE}", "r"),
            ("{#lst-a .bash}", "bash"),
            ("{}", ""),
            ("", ""),
        ] {
            assert_eq!(fence_lang(info), lang, "{info}");
        }
        let r = md("a.md", "```{python}\nx = 1\n```\n");
        assert!(r.html.contains("data-lang=\"python\""), "{}", r.html);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn definition_lists_and_attribute_lists_become_html() {
        let r = md(
            "a.md",
            "Epoch\n: One pass over the data.\n\n[Lab 1](labs/01-setup.md){: .btn .btn-purple }\n{: .text-center }\n\n{: .warning }\nDo not commit keys.\n\n{: .note-title }\n> Tip of the week\n>\n> Use `tmux`.\n\n```python\nx = 1\n```\n{: .no-copy }\n\nImportant\n{: .label .label-green }\n",
        );
        assert_eq!(
            r.html,
            "<dl>\n<dt>Epoch</dt>\n<dd>One pass over the data.</dd>\n</dl>\n<p class=\"text-center\"><a href=\"/t/labs/01-setup/\" class=\"btn btn-purple\">Lab 1</a></p>\n<div class=\"markdown-alert markdown-alert-warning\">\n<p class=\"markdown-alert-title\">Warning</p>\n<p>Do not commit keys.</p>\n</div>\n<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Tip of the week</p>\n<p>Use <code>tmux</code>.</p>\n</div>\n<div class=\"no-copy\">\n<div class=\"codeblock\"><pre class=\"code\" data-lang=\"python\" tabindex=\"0\"><code>x <span class=\"l7 d8\">=</span> <span class=\"l5 d7\">1</span>\n</code></pre></div>\n</div>\n<p class=\"label label-green\">Important</p>\n"
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn images_and_spans_take_their_attribute_lists() {
        let r = md(
            "labs/01-setup.md",
            "![A plot](img/a.png \"Loss\"){: width=\"400\" .center } *new*{: .label } [x](#top){: #go }\n",
        );
        assert_eq!(
            r.html,
            "<p><img src=\"/t/labs/img/a.png\" alt=\"A plot\" title=\"Loss\" class=\"center\" width=\"400\"> <em class=\"label\">new</em> <a href=\"#top\" id=\"go\">x</a></p>\n"
        );
        assert_eq!(r.anchors[0].anchor, "top");
    }

    #[test]
    fn portable_markdown_has_no_kramdown_or_liquid() {
        let body = "[Go](x.md){: .btn }\n\nPara\n{: .note }\n\n{% highlight bash %}\nls\n{% endhighlight %}\n\n`{: .kept }` {{ site.title }}\n";
        assert_eq!(
            portable_markdown(body, "labs/a.md", &crate::render::facts::Facts::default()),
            "[Go](x.md)\n\nPara\n\n```bash\nls\n```\n\n`{: .kept }` \n"
        );
    }

    /// Hostile pages of the constructs this module rewrites render in linear time.
    #[test]
    fn hostile_repetitions_render_quickly() {
        let n = 20_000;
        let pages = [
            "{% if x ".repeat(n),
            "{{ x ".repeat(n),
            "a\\*".repeat(n) + "{: .x}",
            "1. TOC\n{:toc}\n\n".repeat(n / 10),
            "$5-$1".repeat(n),
            format!("$${}$$", "\\tag{".repeat(n)),
            "`{% x %}` ".repeat(n),
            "x {: .a}\n".repeat(n),
        ];
        for body in pages {
            let started = std::time::Instant::now();
            let r = md("a.md", &body);
            let took = started.elapsed();
            assert!(took.as_secs_f64() < 3.0, "{took:?} for {:?}…", &body[..20]);
            assert!(!r.html.is_empty() || body.contains("toc"));
        }
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
