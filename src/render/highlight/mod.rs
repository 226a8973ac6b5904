//! Code highlighting at build time: syntect with bat's extra syntaxes (two-face), emitting CSS
//! classes, plus one stylesheet that carries a light and a dark colour scheme.
//!
//! Here: which languages are known and the syntax set. `scheme`: the colour schemes and the
//! stylesheet. `lines`: highlighting blocks line by line (where the time goes: syntect's parser,
//! see bench/README.md). `cache`: highlighted blocks kept for a build and between builds.

use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::parsing::{SyntaxReference, SyntaxSet};

mod cache;
mod lines;
mod scheme;
#[cfg(test)]
mod tests;

pub use cache::{CodeCache, Highlighted};
pub use lines::{highlight, highlight_all};
pub use scheme::{Schemes, load_schemes};

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

/// Starts loading the syntax set on a thread of its own and returns at once, so that it is
/// ready by the time the course's first code block is read: its loading (bincode from
/// two-face's dump, about 5 ms) then overlaps reading the course instead of delaying it.
/// Anything that needs the set before it is loaded waits for it (`OnceLock`).
pub fn warm_up() {
    std::thread::spawn(|| {
        syntaxes();
    });
}

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
