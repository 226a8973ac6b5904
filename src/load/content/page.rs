//! One page of content/ from its text: front matter, kind, title, URL name and path, each
//! mistake reported at its line.

use std::path::{Path, PathBuf};

use super::{Kind, PageResult, SourcePage};
use crate::base::diagnostics::Diagnostic;
use crate::load::frontmatter::{self, FrontCache, FrontMatter};

/// Parses the text of the page at `rel` (relative to content/): front matter, kind, title, URL.
pub fn page_from_text(rel: String, text: &str) -> PageResult {
    page_from_text_with(rel, text, None)
}

/// [`page_from_text`], with its front matter taken from `fronts` when parsed before.
pub fn page_from_text_with(rel: String, text: &str, fronts: Option<&FrontCache>) -> PageResult {
    let shown = PathBuf::from("content").join(&rel);
    let split = frontmatter::split(&shown, text).map_err(|d| vec![d])?;
    let front = read_front(&shown, &split, fronts.map(|f| (f, rel.as_str())))?;
    let (dir, file) = rel
        .rsplit_once('/')
        .map_or(("", rel.as_str()), |(d, f)| (d, f));
    let stem = file.trim_end_matches(".md").to_string();
    let is_index = stem == "_index";
    let kind = page_kind(dir, is_index);
    let key_line = |key: &str| line_of_key(split.yaml.unwrap_or(""), key) + split.yaml_line - 1;
    let mut errs = Vec::new();
    let title = page_title(&front, kind, dir, split.yaml.is_some()).unwrap_or_else(|hint| {
        errs.push(Diagnostic::error(&shown, 1, 1, "this page has no title").with_hint(hint));
        String::new()
    });
    let slug = page_slug(&front, &stem, is_index).unwrap_or_else(|(msg, hint, fallback)| {
        errs.push(Diagnostic::error(&shown, key_line("slug"), 1, msg).with_hint(hint));
        fallback
    });
    if kind == Kind::Announcement
        && let Some(e) = date_problem(&front, split.yaml, split.yaml_line, &shown)
    {
        errs.push(e);
    }
    if kind != Kind::Announcement && front.date.is_some() {
        let line = key_line("date");
        let msg = "`date` is only for announcements (pages in content/announcements/)";
        let hint = "remove it; a topic's or lab's dates come from the term file";
        errs.push(Diagnostic::error(&shown, line, 1, msg).with_hint(hint));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let url_path = url_path(dir, &slug);
    Ok(SourcePage {
        path: shown,
        rel: rel.clone(),
        dir: dir.to_string(),
        stem,
        kind,
        front_text: split.yaml.unwrap_or("").to_string(),
        front_line: split.yaml_line,
        body: split.body.to_string(),
        body_line: split.body_line,
        front,
        title,
        slug,
        url_path,
        generated: false,
    })
}

/// A page's front matter, parsed; too large a one is an error before it is read.
fn read_front(
    shown: &Path,
    split: &frontmatter::Split,
    cached: Option<(&FrontCache, &str)>,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    if let Some(y) = split.yaml
        && y.len() as u64 > crate::base::fence::Cap::FrontMatter.bytes()
    {
        let cap = crate::base::fence::Cap::FrontMatter;
        return Err(vec![crate::base::fence::too_large(
            shown,
            y.len() as u64,
            cap,
        )]);
    }
    match split.yaml {
        Some(y) => frontmatter::parse_cached(shown, y, split.yaml_line, cached),
        None => Ok(FrontMatter::default()),
    }
}

/// A page's path below the term's root: its folder, then its URL name (`labs/setup/`).
fn url_path(dir: &str, slug: &str) -> String {
    match (dir, slug) {
        ("", "") => String::new(),
        (d, "") => format!("{d}/"),
        ("", s) => format!("{s}/"),
        (d, s) => format!("{d}/{s}/"),
    }
}

/// A page's kind, from its folder and whether it is an `_index.md`.
fn page_kind(dir: &str, is_index: bool) -> Kind {
    if is_index && dir.is_empty() {
        Kind::Home
    } else if is_index {
        Kind::Section
    } else if dir == "topics" {
        Kind::Topic
    } else if dir == "labs" {
        Kind::Lab
    } else if dir == "announcements" {
        Kind::Announcement
    } else {
        Kind::Page
    }
}

/// A page's title: its `title`, else its folder's name for a section page, else none for the
/// home page; any other page without one is a mistake (`Err`: the hint).
fn page_title(
    front: &FrontMatter,
    kind: Kind,
    dir: &str,
    has_front_matter: bool,
) -> Result<String, &'static str> {
    match (&front.title, kind) {
        (Some(t), _) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        (_, Kind::Section) => Ok(folder_title(dir)),
        (_, Kind::Home) => Ok(String::new()),
        _ if !has_front_matter => {
            Err("start the file with front matter:\n  ---\n  title: …\n  ---")
        }
        _ => Err("add a line `title: …` to the front matter"),
    }
}

/// A page's URL name: its `slug`, else its file name (none for a section page). A section page
/// cannot set one and a slug must be a URL name (`Err`: message, hint, the name used instead).
fn page_slug(
    front: &FrontMatter,
    stem: &str,
    is_index: bool,
) -> Result<String, (String, &'static str, String)> {
    match &front.slug {
        Some(s) if is_index => Err((
            format!("a section page cannot set `slug: {s}`"),
            "rename the folder instead",
            String::new(),
        )),
        Some(s) if !is_slug(s) => Err((
            format!("`{s}` cannot be a URL name"),
            "use lowercase letters, digits, dashes and underscores, e.g. slug: model-serving",
            stem.to_string(),
        )),
        Some(s) => Ok(s.clone()),
        None if is_index => Ok(String::new()),
        None => Ok(stem.to_string()),
    }
}

/// The day an announcement is posted: its front matter `date`, `YYYY-MM-DD`.
pub fn posted(front: &FrontMatter) -> Option<jiff::civil::Date> {
    front.date.as_deref()?.trim().parse().ok()
}

/// The error for an announcement without a valid `date`.
fn date_problem(
    front: &FrontMatter,
    yaml: Option<&str>,
    yaml_line: usize,
    shown: &Path,
) -> Option<Diagnostic> {
    if posted(front).is_some() {
        return None;
    }
    let (line, msg) = match &front.date {
        None => (1, "this announcement has no `date`".to_string()),
        Some(d) => (
            line_of_key(yaml.unwrap_or(""), "date") + yaml_line - 1,
            format!("`date: {d}` is not a date"),
        ),
    };
    let hint = "write the day it is posted as `date: 2026-01-20`; it is published from that day on";
    Some(Diagnostic::error(shown, line, 1, msg).with_hint(hint))
}

/// 1-based line (within the front matter) of a top-level key, or 1.
pub fn line_of_key(yaml: &str, key: &str) -> usize {
    crate::load::yaml::locate(yaml, &[crate::load::yaml::Seg::Key(key)]).0
}

/// Whether `s` can be a URL name: lowercase letters, digits, dashes and underscores.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// "lab-handouts" → "Lab handouts".
pub(super) fn folder_title(dir: &str) -> String {
    let name = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut c = name.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_titles_read_well() {
        assert_eq!(folder_title("labs"), "Labs");
        assert_eq!(folder_title("notes/lab-handouts"), "Lab handouts");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(is_slug("model-serving_2"));
        assert!(!is_slug("Model Serving"));
        assert!(!is_slug("../x"));
        assert!(!is_slug(""));
    }
}
