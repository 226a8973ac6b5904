//! Code highlighting at build time: syntect with bat's extra syntaxes (two-face), emitting CSS
//! classes, plus one stylesheet that carries a light and a dark colour scheme.

use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
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
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), STYLE);
    for line in LinesWithEndings::from(code) {
        // An error here means a syntax definition failed on this input: show it plain.
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
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

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet("Coldark-Cold", "Coldark-Dark").unwrap();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("html[data-theme=\"dark\"] .hl-"));
        assert!(stylesheet("nope", "Coldark-Dark").is_err());
    }
}
