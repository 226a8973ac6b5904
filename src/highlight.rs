//! Code highlighting at build time: syntect with bat's extra syntaxes (two-face), emitting CSS
//! classes, plus one stylesheet that carries a light and a dark colour scheme.

use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Languages shown plain on purpose: no warning for them.
const PLAIN: &[&str] = &[
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "none",
    "math",
];

/// Names authors write that the syntax set knows under another token.
const ALIASES: &[(&str, &str)] = &[
    ("console", "bash"),
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("shell-session", "bash"),
    ("terraform", "tf"),
    ("hcl", "hcl"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("protobuf", "proto"),
    ("proto", "proto"),
    ("makefile", "Makefile"),
    ("make", "Makefile"),
    ("py", "python"),
    ("python3", "python"),
    ("ipython", "python"),
    ("js", "javascript"),
    ("ts", "typescript"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("ini", "ini"),
    ("cfg", "ini"),
    ("conf", "ini"),
    ("nginx", "nginx"),
    ("golang", "go"),
    ("rs", "rust"),
    ("patch", "diff"),
    ("pbtxt", "proto"),
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static two_face::theme::EmbeddedLazyThemeSet {
    static SET: OnceLock<two_face::theme::EmbeddedLazyThemeSet> = OnceLock::new();
    SET.get_or_init(two_face::theme::extra)
}

/// The names of the colour schemes `markdown.highlight` accepts.
pub fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|n| n.as_name())
        .collect()
}

fn theme(name: &str) -> Option<&'static Theme> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .find(|n| n.as_name().eq_ignore_ascii_case(name))
        .map(|n| themes().get(*n))
}

/// Whether a fence language is one we show plain without complaint.
pub fn is_plain(lang: &str) -> bool {
    PLAIN.contains(&lang.to_ascii_lowercase().as_str())
}

fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lang, |(_, t)| *t);
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_name(token))
        .or_else(|| set.find_syntax_by_token(&lower))
        .or_else(|| {
            set.syntaxes()
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(lang))
        })
}

/// Whether `lang` can be highlighted.
pub fn is_known(lang: &str) -> bool {
    is_plain(lang) || find(lang).is_some()
}

static CACHE_ON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

type HighlightCache = std::sync::Mutex<std::collections::HashMap<u128, Option<String>>>;

fn cache() -> &'static HighlightCache {
    static CACHE: OnceLock<HighlightCache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Keeps every highlighted block for the life of the process, so that rebuilds in `serve`
/// highlight only the blocks that changed. Off for one-shot builds, where each block is
/// highlighted once anyway.
pub fn enable_cache() {
    CACHE_ON.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Highlights every block at once, spread over all cores block by block (a site's code is
/// often in a few long pages, which page-by-page work would leave to one core), and keeps the
/// results for the page renderer. Turns the cache on.
pub fn prewarm(blocks: Vec<(String, String)>) {
    use rayon::prelude::*;
    enable_cache();
    let mut seen = std::collections::HashSet::new();
    let todo: Vec<(u128, String, String)> = blocks
        .into_iter()
        .filter(|(lang, _)| !is_plain(lang))
        .map(|(lang, code)| (key(&lang, &code), lang, code))
        .filter(|(k, _, _)| seen.insert(*k) && !crate::cache::lock(cache()).contains_key(k))
        .collect();
    // Longest first, so that no core is left with one big block at the end.
    let mut todo = todo;
    todo.sort_by_key(|(_, _, code)| std::cmp::Reverse(code.len()));
    let done: Vec<(u128, Option<String>)> = todo
        .into_par_iter()
        .with_max_len(1)
        .map(|(k, lang, code)| (k, highlight_now(&lang, &code)))
        .collect();
    crate::cache::lock(cache()).extend(done);
}

fn key(lang: &str, code: &str) -> u128 {
    crate::cache::Hash128::default()
        .str(lang)
        .str(code)
        .finish()
}

/// Highlighted HTML (the inside of `<code>`) for `code` in `lang`; `None` for an unknown language.
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    if is_plain(lang) {
        return None;
    }
    if !CACHE_ON.load(std::sync::atomic::Ordering::Relaxed) {
        return highlight_now(lang, code);
    }
    let key = crate::cache::Hash128::default()
        .str(lang)
        .str(code)
        .finish();
    if let Some(hit) = crate::cache::lock(cache()).get(&key) {
        return hit.clone();
    }
    let html = highlight_now(lang, code);
    crate::cache::lock(cache()).insert(key, html.clone());
    html
}

fn highlight_now(lang: &str, code: &str) -> Option<String> {
    let syntax = find(lang)?;
    LINES.with(|memo| {
        let mut memo = memo.borrow_mut();
        let memo = &mut *memo;
        if memo.bytes > MEMO_BYTES {
            *memo = LineMemo::default();
        }
        let lines = memo
            .by_syntax
            .entry(std::ptr::from_ref(syntax) as usize)
            .or_default();
        let mut now = LineState {
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        };
        let mut open_spans = 0isize;
        let mut html = String::with_capacity(code.len() * 2);
        for line in LinesWithEndings::from(code) {
            let seen = lines
                .get(line)
                .and_then(|all| all.iter().find(|e| e.before == now));
            if let Some(e) = seen {
                html.push_str(&e.html);
                open_spans += e.span_delta;
                now.clone_from(&e.after);
                continue;
            }
            let before = now.clone();
            // An error here means a syntax definition failed on this input: show it plain.
            let ops = now.parse.parse_line(line, syntaxes()).ok()?;
            let (out, span_delta) =
                line_tokens_to_classed_spans(line, &ops, STYLE, &mut now.scopes).ok()?;
            html.push_str(&out);
            open_spans += span_delta;
            let all = lines.entry(line.into()).or_default();
            if all.len() < MEMO_STATES_PER_LINE {
                memo.bytes += line.len() + out.len() + 256;
                all.push(Parsed {
                    before,
                    html: out.into(),
                    span_delta,
                    after: now.clone(),
                });
            }
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Some(html)
    })
}

/// Where the highlighter is at the start of a line: what the same line will produce depends
/// on this and on nothing else.
#[derive(Clone, PartialEq, Eq)]
struct LineState {
    parse: ParseState,
    scopes: ScopeStack,
}

/// A line highlighted once, from one state.
struct Parsed {
    before: LineState,
    html: Box<str>,
    span_delta: isize,
    after: LineState,
}

/// Lines already highlighted on this thread, by syntax and text. Code repeats within a course
/// (imports, blank lines, boilerplate, the same command in many labs); a line seen again in the
/// same state gives the same HTML and the same next state, so it is not parsed again. Parsing
/// is syntect's cost (regex matching, tens of microseconds a line); a hit costs a hash lookup.
#[derive(Default)]
struct LineMemo {
    by_syntax: std::collections::HashMap<usize, std::collections::HashMap<Box<str>, Vec<Parsed>>>,
    bytes: usize,
}

/// The memo's size limit per thread (approximate), after which it starts again empty.
const MEMO_BYTES: usize = 64 << 20;
/// States kept per line (a blank line can occur in many).
const MEMO_STATES_PER_LINE: usize = 8;

thread_local! {
    static LINES: std::cell::RefCell<LineMemo> = std::cell::RefCell::new(LineMemo::default());
}

/// The stylesheet for code: the light scheme by default, the dark one when the system or the
/// reader's toggle asks for dark (`html[data-theme=dark]`, or no toggle and a dark system).
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    type Sheets =
        std::sync::Mutex<std::collections::HashMap<(String, String), Result<String, String>>>;
    static SHEETS: OnceLock<Sheets> = OnceLock::new();
    let sheets = SHEETS.get_or_init(Default::default);
    let key = (light.to_string(), dark.to_string());
    if let Some(hit) = crate::cache::lock(sheets).get(&key) {
        return hit.clone();
    }
    let made = make_stylesheet(light, dark);
    crate::cache::lock(sheets).insert(key, made.clone());
    made
}

fn make_stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let lt = theme(light).ok_or_else(|| light.to_string())?;
    let dk = theme(dark).ok_or_else(|| dark.to_string())?;
    let light_css = css_for_theme_with_class_style(lt, STYLE).map_err(|_| light.to_string())?;
    let dark_css = css_for_theme_with_class_style(dk, STYLE).map_err(|_| dark.to_string())?;
    let mut out = String::with_capacity(light_css.len() * 3);
    out.push_str("/* Code colours, generated by semester from the syntect themes ");
    out.push_str(&format!("\"{light}\" (light) and \"{dark}\" (dark). */\n"));
    out.push_str(&light_css.replace(".hl-code", "pre.code"));
    out.push_str("\n@media (prefers-color-scheme: dark) {\n");
    out.push_str(&scope_rules(&dark_css, "html:not([data-theme=\"light\"])"));
    out.push_str("}\n");
    out.push_str(&scope_rules(&dark_css, "html[data-theme=\"dark\"]"));
    Ok(out)
}

/// Prefixes every selector of a flat stylesheet with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for rule in css.split_inclusive('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let selectors = strip_comments(selectors);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {}", s.replace(".hl-code", "pre.code")))
            .collect();
        if scoped.is_empty() {
            continue;
        }
        out.push_str(&scoped.join(", "));
        out.push_str(" {");
        out.push_str(body);
        out.push('\n');
    }
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_an_ml_systems_course_shows_is_known() {
        for lang in [
            "python",
            "bash",
            "sh",
            "shell",
            "console",
            "yaml",
            "json",
            "toml",
            "ini",
            "dockerfile",
            "Dockerfile",
            "hcl",
            "terraform",
            "sql",
            "javascript",
            "typescript",
            "rust",
            "go",
            "makefile",
            "diff",
            "nginx",
            "protobuf",
        ] {
            assert!(find(lang).is_some(), "no syntax for {lang}");
        }
        assert!(!is_known("klingon"));
        assert!(is_known("text"));
    }

    #[test]
    fn highlights_with_classes_and_escapes() {
        let html = highlight("python", "if a < b:\n    print('x')\n").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        assert!(highlight("klingon", "x").is_none());
    }

    /// What syntect's own HTML generator makes of `code`, line by line with no memo.
    fn reference(lang: &str, code: &str) -> String {
        let syntax = find(lang).unwrap();
        let mut g =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), STYLE);
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        g.finalize()
    }

    #[test]
    fn remembered_lines_give_the_same_html_as_parsing_them() {
        // The same lines in different states: inside and outside a docstring, a heredoc, a
        // block scalar; a block seen twice is highlighted the second time from the memo alone.
        let cases = [
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n\n\n"),
            (
                "python",
                "def f():\n    return 1\n\ndef f():\n    return 1\n",
            ),
            ("bash", "echo hi\ncat <<EOF\necho hi\nEOF\necho hi\n"),
            ("yaml", "a: 1\nb: |\n  a: 1\nc: 2\na: 1\n"),
            ("python", "s = '''\nunclosed\n"),
        ];
        for (lang, code) in cases {
            let want = reference(lang, code);
            assert_eq!(highlight_now(lang, code).unwrap(), want, "{lang}: {code}");
            assert_eq!(
                highlight_now(lang, code).unwrap(),
                want,
                "{lang} again: {code}"
            );
        }
        // Every block of the bundled course, each highlighted twice.
        let mut blocks = 0;
        for entry in walkdir::WalkDir::new("content") {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (lang, code) in crate::markdown::code_blocks(&text) {
                if is_plain(&lang) || find(&lang).is_none() {
                    continue;
                }
                let want = reference(&lang, &code);
                assert_eq!(highlight_now(&lang, &code).unwrap(), want, "{lang}");
                assert_eq!(highlight_now(&lang, &code).unwrap(), want, "{lang}");
                blocks += 1;
            }
        }
        assert!(blocks > 50, "{blocks} blocks");
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet("Coldark-Cold", "Coldark-Dark").unwrap();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("html[data-theme=\"dark\"] .hl-"));
        assert!(stylesheet("nope", "Coldark-Dark").is_err());
    }
}
