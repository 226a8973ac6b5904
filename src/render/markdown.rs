//! Markdown to HTML: CommonMark plus tables, footnotes, task lists, heading ids, GitHub alerts,
//! math as MathML, highlighted code, and GitHub-style relative `.md` links turned into page URLs.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

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
mod math;
mod outline;
mod raw_html;
mod texmath;
mod walk;

use crate::load::liquid;
use crate::load::rewrite::{Edit, Rewritten};

pub use ids::{slugify, template_ids};
use math::math;
pub use math::{MAX_MATH_DEPTH, math_too_deep};

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
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML (kept by an earlier build, it is read from the cache when first used).
    pub html: crate::base::lazy_text::LazyText,
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

impl<'a> Ctx<'a> {
    /// The state of rendering `page`, parsed as `src`.
    fn new(
        page: &Source<'a>,
        links: &'a SiteLinks<'a>,
        src: &'a Rewritten,
        deferred: Option<Vec<(String, String)>>,
    ) -> Self {
        Ctx {
            path: page.path,
            rel: page.rel,
            body: page.body,
            src,
            macros: texmath::Macros::course(links.macros),
            body_line: page.body_line,
            lines: std::cell::OnceCell::new(),
            links,
            out: Rendered::default(),
            ids: ids::PageIds::with_theme(links.theme_ids),
            outline: outline::Outline::new(page.title),
            footnotes: footnotes::Footnotes::default(),
            tables: 0,
            equations: 0,
            deferred,
            hint_budget: crate::base::diagnostics::HINT_BUDGET,
        }
    }

    /// Line and column in the page's file of an offset in the page as written (not the text
    /// parsed).
    fn at_written(&self, offset: usize) -> (usize, usize) {
        let (l, c) = self
            .lines
            .get_or_init(|| LineIndex::new(self.body))
            .locate(self.body, offset);
        (l + self.body_line - 1, c)
    }

    /// Reports the Liquid left out of the page (a warning each) and the unknown references to
    /// course facts (an error each).
    fn report_rewrites(&mut self, dropped: &[liquid::Dropped], unknown: Vec<fact_refs::Unknown>) {
        for d in dropped {
            let (l, c) = self.at_written(d.offset);
            self.out.diagnostics.push(
                Diagnostic::warning(self.path, l, c, format!("the Liquid `{}` is left out of the page: semester does not run Jekyll's templates", d.what))
                    .with_hint("write what it stood for in Markdown; `{% link %}`, `{{ site.baseurl }}`, `relative_url`, `{% highlight %}`, `{% raw %}` and `{% comment %}` are understood (see \"Moving from Jekyll\" in docs/format.md)"),
            );
        }
        for u in unknown {
            let (l, c) = self.at_written(u.offset);
            self.out
                .diagnostics
                .push(Diagnostic::error(self.path, l, c, u.message).with_hint(u.hint));
        }
    }

    /// Warns of each `$…$` span shown as text because its braces do not pair up.
    fn report_unread_math(&mut self, events: &[(Event, std::ops::Range<usize>)]) {
        for (at, span) in dollars::unread_math(&self.src.text, events) {
            self.warn(
                at,
                format!("`{span}` is shown as text, not math: its braces `{{` `}}` do not pair up"),
                Some("close every `{` with `}` (a literal brace is `\\{`): math is read only when its braces pair up; a dollar that is not math is `\\$`".into()),
            );
        }
    }

    /// Line and column in the page's file of an offset in the text parsed.
    fn at(&self, offset: usize) -> (usize, usize) {
        self.at_written(self.src.original(offset))
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
    rendered.html = html.into();
    Some(rendered)
}

/// Renders `page`; with `deferred`, code to highlight is collected there instead (see
/// [`render_deferred`]).
fn render_with(
    page: &Source,
    links: &SiteLinks,
    deferred: Option<Vec<(String, String)>>,
) -> (Rendered, Option<Vec<(String, String)>>) {
    let mut opts = options();
    if links.math {
        opts |= Options::ENABLE_MATH;
    }
    let liquid = liquid::rewrite(page.body, page.rel, opts);
    let facts = fact_refs::resolve(page.body, page.rel, opts, links.facts);
    let mut edits = liquid.edits;
    edits.extend(facts.edits);
    let src = parse_like_pandoc(page.body, edits, opts);
    let mut cx = Ctx::new(page, links, &src, deferred);
    cx.report_rewrites(&liquid.dropped, facts.unknown);
    // About one event per 12 bytes of Markdown: sized up front so the list is not copied as
    // it grows.
    let mut events: Vec<(Event, std::ops::Range<usize>)> =
        Vec::with_capacity(page.body.len() / 12 + 16);
    events.extend(Parser::new_ext(&src.text, opts).into_offset_iter());
    let kramdown::Decorated {
        events,
        attrs,
        notes,
    } = kramdown::decorate(&src.text, events);
    for n in &notes {
        cx.warn(n.offset, n.message.clone(), Some(n.hint.clone()));
    }
    // Ids given by attribute lists (`{: #id}`) are the author's too.
    let listed: Vec<(String, usize)> = attrs
        .iter()
        .filter_map(|(i, a)| Some((a.id.clone()?, events.get(*i)?.1.start)))
        .collect();
    first_pass::reserve_ids(&mut cx, &events, listed);
    if opts.contains(Options::ENABLE_MATH) {
        cx.report_unread_math(&events);
    }
    let html_events = walk::Walk::html_events(&mut cx, &events, &attrs, &src.text);
    let mut html = String::with_capacity(page.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
    html.push_str(&cx.footnotes.list(cx.links.i18n));
    cx.out.html = html.into();
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
mod tests;
