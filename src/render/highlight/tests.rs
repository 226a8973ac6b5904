//! Tests of highlighting: every character's colours against syntect's own highlighter, the
//! memo of lines, the code cache and the stylesheet.

use std::sync::OnceLock;

use syntect::highlighting::FontStyle;
use syntect::util::LinesWithEndings;

use super::lines::highlight_now;
use super::scheme::{Scheme, rgba};
use super::*;

fn schemes() -> &'static Schemes {
    static SCHEMES: OnceLock<Schemes> = OnceLock::new();
    SCHEMES.get_or_init(|| Schemes::named("Coldark-Cold", "Coldark-Dark").unwrap())
}

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
fn highlights_with_flat_classes_and_escapes() {
    let html = highlight(schemes(), "python", "if a < b:\n    print('x')\n").unwrap();
    assert!(html.contains("<span class=\"l"), "{html}");
    assert!(html.contains(" d"), "{html}");
    assert!(html.contains("&lt;"), "{html}");
    assert!(!html.contains("<span class=\"\""), "{html}");
    // Flat: no span inside another.
    assert!(!html.contains("\"><span"), "{html}");
    assert!(highlight(schemes(), "klingon", "x").is_none());
}

/// The colour and font style of every character of our HTML in one scheme, read back
/// through the scheme's classes.
/// Each character with its colour and font style.
type Shown = Vec<(char, (u8, u8, u8, u8), FontStyle)>;

fn shown(html: &str, scheme: &Scheme) -> Shown {
    let mut out = Vec::new();
    let mut rest = html;
    let mut style = (scheme.foreground, FontStyle::empty());
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix("<span class=\"") {
            let (classes, after) = tail.split_once("\">").unwrap();
            style = (scheme.foreground, FontStyle::empty());
            for class in classes.split(' ') {
                let Some(name) = class.strip_prefix(scheme.prefix) else {
                    continue;
                };
                match name {
                    "b" => style.1 |= FontStyle::BOLD,
                    "i" => style.1 |= FontStyle::ITALIC,
                    "u" => style.1 |= FontStyle::UNDERLINE,
                    n => style.0 = scheme.colors[n.parse::<usize>().unwrap()],
                }
            }
            rest = after;
        } else if let Some(tail) = rest.strip_prefix("</span>") {
            style = (scheme.foreground, FontStyle::empty());
            rest = tail;
        } else {
            let (c, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
                .iter()
                .find(|(e, _)| rest.starts_with(e))
                .map_or_else(
                    || {
                        let c = rest.chars().next().unwrap();
                        (c, c.len_utf8())
                    },
                    |(e, c)| (*c, e.len()),
                );
            out.push((c, rgba(style.0), style.1));
            rest = &rest[len..];
        }
    }
    out
}

/// What syntect's own highlighter gives every character of `code` in one theme.
fn expected(lang: &str, code: &str, theme_name: &str) -> Shown {
    let mut lines =
        syntect::easy::HighlightLines::new(find(lang).unwrap(), theme(theme_name).unwrap());
    let mut out = Vec::new();
    for line in LinesWithEndings::from(code) {
        for (style, text) in lines.highlight_line(line, syntaxes()).unwrap() {
            out.extend(
                text.chars()
                    .map(|c| (c, rgba(style.foreground), style.font_style)),
            );
        }
    }
    out
}

fn check(lang: &str, code: &str) {
    let s = schemes();
    let html = highlight_now(s, lang, code, None).unwrap();
    assert_eq!(
        shown(&html, &s.light),
        expected(lang, code, "Coldark-Cold"),
        "light: {lang} {code}"
    );
    assert_eq!(
        shown(&html, &s.dark),
        expected(lang, code, "Coldark-Dark"),
        "dark: {lang} {code}"
    );
    // Again, now from the memo of lines.
    assert_eq!(
        highlight_now(s, lang, code, None).unwrap(),
        html,
        "memo: {lang} {code}"
    );
    // And with no line kept (as `highlight_all` does for lines that occur once).
    assert_eq!(
        highlight_now(s, lang, code, Some(&Default::default())).unwrap(),
        html,
        "no memo: {lang} {code}"
    );
}

#[test]
fn every_character_has_the_colours_syntect_gives_it_in_both_schemes() {
    // The same lines in different states: inside and outside a docstring, a heredoc, a
    // block scalar, an unclosed string.
    for (lang, code) in [
        ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n\n\n"),
        (
            "python",
            "@dataclass\nclass A:\n    def f(self) -> int:\n        return 1 < 2 & 3\n",
        ),
        (
            "bash",
            "echo hi\ncat <<EOF\necho hi\nEOF\necho \"$HOME\" # done\n",
        ),
        ("yaml", "a: 1\nb: |\n  a: 1\nc: [2, 'x']\na: 1\n"),
        ("python", "s = '''\nunclosed\n"),
        ("dockerfile", "FROM python:3.12\nRUN pip install x\n"),
    ] {
        check(lang, code);
    }
    // Every block of the bundled course.
    let mut blocks = 0;
    for entry in walkdir::WalkDir::new("content") {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let links = crate::render::markdown::SiteLinks {
            macros: &Default::default(),
            pages: &Default::default(),
            assets: &Default::default(),
            math: true,
            code: Some(schemes()),
            theme_ids: &[],
            i18n: &crate::base::i18n::I18n::new("en", Default::default(), None),
            facts: &Default::default(),
        };
        let src = crate::render::markdown::Source {
            path: &path,
            rel: "x.md",
            body: &text,
            body_line: 1,
            title: "",
        };
        let page = crate::render::markdown::render_deferred(&src, &links);
        for (lang, code) in page.blocks {
            check(&lang, &code);
            blocks += 1;
        }
    }
    assert!(blocks > 50, "{blocks} blocks");
}

#[test]
fn the_code_cache_round_trips_keeps_what_was_used_and_ignores_damage() {
    let dir = std::env::temp_dir().join(format!("semester-code-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(".public.semester-cache");
    let blocks = [
        ("python".to_string(), "x = 1  # one\n".to_string()),
        ("bash".to_string(), "echo \"<hi>\"\n".to_string()),
    ];
    let all: Vec<&(String, String)> = blocks.iter().collect();
    let first = CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default());
    assert!(first.is_empty());
    let fresh = highlight_all(schemes(), &all, Some(&first));
    std::fs::write(&path, first.to_bytes()).unwrap();
    let second = CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default());
    assert_eq!(second.len(), 2);
    let kept = highlight_all(schemes(), &all, Some(&second));
    for (lang, code) in &blocks {
        let html = fresh.get(lang, code);
        assert!(html.is_some_and(|h| h.contains("<span class=")), "{lang}");
        assert_eq!(kept.get(lang, code), html, "{lang}");
    }
    // A build keeps only what it used.
    let third = CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default());
    highlight_all(schemes(), &all[..1], Some(&third));
    std::fs::write(&path, third.to_bytes()).unwrap();
    assert_eq!(
        CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default()).len(),
        1
    );
    // A damaged file, or one from another version, is an empty cache.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
    assert!(CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default()).is_empty());
    std::fs::write(&path, b"semester code cache 0 0.0.0\n").unwrap();
    assert!(CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default()).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A large code cache on disk is read only when the code to highlight is worth it: a few
/// blocks are highlighted without reading it, and the HTML is the same either way.
#[test]
fn a_large_code_cache_is_read_only_for_enough_code() {
    let blocks = [("python".to_string(), "x = 1  # one\n".to_string())];
    let all: Vec<&(String, String)> = blocks.iter().collect();
    let made = CodeCache::default();
    let fresh = highlight_all(schemes(), &all, Some(&made));
    let bytes = made.to_bytes();
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let lazy = |size: u64| {
        let (reads, bytes) = (reads.clone(), bytes.clone());
        CodeCache::from_source(size, move || {
            reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Some(bytes)
        })
    };
    let large = lazy(1 << 30);
    let got = highlight_all(schemes(), &all, Some(&large));
    assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert_eq!(
        got.get("python", &blocks[0].1),
        fresh.get("python", &blocks[0].1)
    );
    // What it used is kept all the same; a small cache is read, once.
    assert_eq!(large.to_bytes(), bytes);
    let small = lazy(bytes.len() as u64);
    let got = highlight_all(schemes(), &all, Some(&small));
    highlight_all(schemes(), &all, Some(&small));
    assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(
        got.get("python", &blocks[0].1),
        fresh.get("python", &blocks[0].1)
    );
    assert_eq!(small.len(), 1);
}

#[test]
fn stylesheet_has_both_schemes_and_every_class() {
    let s = schemes();
    let css = s.stylesheet();
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    assert!(
        css.contains("pre.code { color: #111b27; background-color: #e3eaf2; }"),
        "{css}"
    );
    for i in 0..s.light.colors.len() {
        assert!(
            css.contains(&format!("\npre.code .l{i} {{ color: #")),
            "l{i}"
        );
    }
    for i in 0..s.dark.colors.len() {
        assert!(
            css.contains(&format!(
                "html[data-theme=\"dark\"] pre.code .d{i} {{ color: #"
            )),
            "d{i}"
        );
        assert!(
            css.contains(&format!(
                "html:not([data-theme=\"light\"]) pre.code .d{i} {{ color: #"
            )),
            "d{i}"
        );
    }
    assert!(Schemes::named("nope", "Coldark-Dark").is_err());
}
