//! Where each page of a term sits in the site: its URL, its section, the pages before and
//! after it, the sections above it, what a section page lists, and the top navigation. Built
//! once with the [`Course`](super::course::Course); render only reads it.

use std::collections::HashMap;

use serde::Serialize;

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::config::Config;
use crate::load::content::{Content, Kind, SourcePage};
use crate::load::yaml::Seg;

/// The places of a term's pages and its navigation.
pub struct SiteMap {
    /// Every URL of the term.
    pub urls: Urls,
    /// The top navigation.
    pub nav: Vec<NavItem>,
    /// Each page's place, by its index in `content.pages`.
    pub places: Vec<Place>,
}

/// Where one page sits; pages are named by their index in `content.pages`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The section page it belongs to (none for a section page itself).
    pub section: Option<usize>,
    /// The page before it among the pages of its folder.
    pub prev: Option<usize>,
    /// The page after it.
    pub next: Option<usize>,
    /// The section pages above it, outermost first (the home page is not one of them).
    pub crumbs: Vec<usize>,
    /// For the home page and section pages: the pages directly inside, subsections included.
    pub listing: Vec<usize>,
    /// The key of the nav entry it belongs to (its folder's or its own), or empty.
    pub nav_key: String,
}

impl SiteMap {
    /// The site map of `content`, published in term `term_id` of the course `config`
    /// describes. A `nav` entry of course.yaml that names no page is an error in `diags`.
    pub fn of(config: &Config, term_id: &str, content: &Content, diags: &mut Diagnostics) -> Self {
        let urls = urls(config, term_id, content);
        let nav = nav(config, content, &urls, diags);
        let places = places(&content.pages, &nav);
        SiteMap { urls, nav, places }
    }

    /// The URL of the page at `rel` (relative to content/); empty for one not published.
    pub fn url(&self, rel: &str) -> String {
        self.urls.pages.get(rel).cloned().unwrap_or_default()
    }
}

/// The place of every page among the others, found once per term rather than by a search of
/// all pages for each page.
fn places(pages: &[SourcePage], nav: &[NavItem]) -> Vec<Place> {
    // A folder's section page (the first), and the pages of a folder but its section page.
    let mut sections: HashMap<&str, usize> = HashMap::new();
    let mut siblings: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut position: Vec<Option<usize>> = vec![None; pages.len()];
    for (i, p) in pages.iter().enumerate() {
        if p.kind == Kind::Section {
            sections.entry(p.dir.as_str()).or_insert(i);
        }
        if p.stem != "_index" {
            let folder = siblings.entry(p.dir.as_str()).or_default();
            position[i] = Some(folder.len());
            folder.push(i);
        }
    }
    pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let folder = siblings
                .get(page.dir.as_str())
                .map_or(&[][..], Vec::as_slice);
            let (prev, next) = match position[i] {
                Some(at) => (
                    at.checked_sub(1).and_then(|j| folder.get(j)).copied(),
                    folder.get(at + 1).copied(),
                ),
                None => (None, None),
            };
            Place {
                section: (page.kind != Kind::Section)
                    .then(|| sections.get(page.dir.as_str()).copied())
                    .flatten(),
                prev,
                next,
                crumbs: crumbs(page, &sections),
                listing: listing(pages, page),
                nav_key: nav
                    .iter()
                    .find(|n| n.key == page.dir || n.key == page.rel.trim_end_matches(".md"))
                    .map(|n| n.key.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The section pages of the folders above `page`, outermost first: a section page's own folder
/// is not above it; the home page has none.
fn crumbs(page: &SourcePage, sections: &HashMap<&str, usize>) -> Vec<usize> {
    let mut out = Vec::new();
    if page.kind == Kind::Home {
        return out;
    }
    let mut dir = String::new();
    for part in page.dir.split('/').filter(|s| !s.is_empty()) {
        dir = if dir.is_empty() {
            part.to_string()
        } else {
            format!("{dir}/{part}")
        };
        if page.kind == Kind::Section && dir == page.dir {
            break;
        }
        out.extend(sections.get(dir.as_str()));
    }
    out
}

/// What the home page or a section page lists: the pages directly inside its folder (its
/// subsections included), in order. Empty for other pages.
fn listing(all: &[SourcePage], page: &SourcePage) -> Vec<usize> {
    let dir = match page.kind {
        Kind::Home => "",
        Kind::Section => page.dir.as_str(),
        _ => return Vec::new(),
    };
    let parent_dir = |d: &str| d.rsplit_once('/').map_or("", |(a, _)| a).to_string();
    all.iter()
        .enumerate()
        .filter(|(_, s)| {
            let direct_page = s.dir == dir && s.stem != "_index";
            let subsection =
                s.kind == Kind::Section && parent_dir(&s.dir) == dir && !s.dir.is_empty();
            direct_page || subsection
        })
        .map(|(i, _)| i)
        .collect()
}

/// An entry of the top navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Text.
    pub title: String,
    /// URL.
    pub url: String,
    /// The content path it stands for (`syllabus`, `labs`, `calendar`).
    pub key: String,
}

/// URLs of the term's pages and assets.
pub struct Urls {
    /// The term's root, e.g. `/mlops/spring-2026/`.
    pub term_root: String,
    /// Page source (relative to content/) → URL; empty for a page this build does not publish.
    pub pages: HashMap<String, String>,
    /// Asset (relative to content/) → URL; empty for a file this build does not publish.
    pub assets: HashMap<String, String>,
}

/// Computes every URL of a term.
pub fn urls(config: &Config, term_id: &str, content: &Content) -> Urls {
    urls_below(format!("{}{}/", config.base_path, term_id), content)
}

/// Every URL of a term whose pages live below `term_root` (which ends with `/`).
pub fn urls_below(term_root: String, content: &Content) -> Urls {
    let mut pages: HashMap<String, String> = content
        .pages
        .iter()
        .map(|p| (p.rel.clone(), format!("{term_root}{}", p.url_path)))
        .collect();
    // A page with errors of its own still exists for the links that point at it.
    for rel in &content.unreadable {
        let guess = rel.trim_end_matches(".md").trim_end_matches("_index");
        pages
            .entry(rel.clone())
            .or_insert_with(|| format!("{term_root}{guess}/"));
    }
    // A page or file that is not published has no URL: a link to it is an error of the
    // visibility stage, and the renderer, which knows it exists, writes nothing that names it.
    for w in &content.withheld {
        pages.insert(w.page.rel.clone(), String::new());
    }
    let assets = content
        .assets
        .iter()
        .map(|a| (a.rel.clone(), format!("{term_root}{}", encode_path(&a.rel))))
        .chain(
            content
                .withheld_assets
                .iter()
                .map(|a| (a.rel.clone(), String::new())),
        )
        .collect();
    Urls {
        term_root,
        pages,
        assets,
    }
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters (and `/` between
/// segments); everything else, every non-ASCII byte included, is percent-encoded.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes what may not stand in a URL path (`a b/é.png` → `a%20b/%C3%A9.png`).
pub fn encode_path(p: &str) -> String {
    percent_encoding::utf8_percent_encode(p, PATH).to_string()
}

/// The top navigation from course.yaml `nav` or the default order.
pub fn nav(
    config: &Config,
    content: &Content,
    urls: &Urls,
    diags: &mut Diagnostics,
) -> Vec<NavItem> {
    let Some(list) = &config.course.nav else {
        let keys = default_nav_keys(&content.pages);
        return keys
            .iter()
            .filter_map(|k| nav_entry(config, content, urls, k))
            .collect();
    };
    let mut out = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        if let Some(item) = nav_entry(config, content, urls, entry) {
            out.push(item);
            continue;
        }
        let (l, c) = config.spans.at(&[Seg::Key("nav"), Seg::Index(i)]);
        if let Some(d) = withheld_entry(entry, content, (l, c)) {
            diags.push(d);
            continue;
        }
        // A page that could not be read has its own error: naming it is no mistake.
        if content.folder_unreadable || names_unreadable(entry, &content.pages, urls) {
            continue;
        }
        diags.push(unknown_entry(entry, &content.pages, (l, c)));
    }
    out
}

/// The nav entry for `key` (a page or section path below content/, or `calendar`), if it
/// names a page.
fn nav_entry(config: &Config, content: &Content, urls: &Urls, key: &str) -> Option<NavItem> {
    let key = nav_key(key);
    if key == "calendar" {
        return Some(NavItem {
            title: config.i18n.t("calendar"),
            url: format!("{}calendar/", urls.term_root),
            key: "calendar".into(),
        });
    }
    let page = content.pages.iter().find(|p| {
        (p.kind == Kind::Section && p.dir == key)
            || (p.stem != "_index" && p.rel.trim_end_matches(".md") == key)
    })?;
    Some(NavItem {
        title: page.title.clone(),
        url: urls.pages.get(&page.rel)?.clone(),
        key: key.to_string(),
    })
}

/// The nav without a `nav` key: syllabus, topics, labs, calendar, then the other top-level
/// sections by name.
fn default_nav_keys(pages: &[SourcePage]) -> Vec<String> {
    let mut keys: Vec<String> = vec![
        "syllabus".into(),
        "topics".into(),
        "labs".into(),
        "calendar".into(),
    ];
    let mut others: Vec<String> = pages
        .iter()
        .filter(|p| p.kind == Kind::Section && !p.dir.contains('/') && !keys.contains(&p.dir))
        .map(|p| p.dir.clone())
        .collect();
    others.sort();
    keys.extend(others);
    keys
}

/// The error for a `nav` entry that names no page or section, with the nearest that exists.
fn unknown_entry(entry: &str, pages: &[SourcePage], (l, c): (usize, usize)) -> Diagnostic {
    let mut known: Vec<String> = pages
        .iter()
        .filter(|p| p.kind != Kind::Home)
        .map(|p| {
            if p.stem == "_index" {
                p.dir.clone()
            } else {
                p.rel.trim_end_matches(".md").to_string()
            }
        })
        .collect();
    known.push("calendar".into());
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    Diagnostic::error(
        "course.yaml",
        l,
        c,
        format!("nav entry `{entry}` is not a page or section of content/"),
    )
    .with_hint(did_you_mean(entry, &refs))
}

/// A `nav` entry as a path below content/ without `.md` or `/_index`.
fn nav_key(entry: &str) -> &str {
    entry
        .trim_matches('/')
        .trim_end_matches(".md")
        .trim_end_matches("/_index")
}

/// Whether a nav entry names a page that exists but could not be read (it has a URL but no
/// page: see [`urls`]).
fn names_unreadable(entry: &str, pages: &[SourcePage], urls: &Urls) -> bool {
    let key = nav_key(entry);
    [format!("{key}.md"), format!("{key}/_index.md")]
        .iter()
        .any(|rel| urls.pages.contains_key(rel) && !pages.iter().any(|p| &p.rel == rel))
}

/// The error for a `nav` entry that names a page this build does not publish.
fn withheld_entry(
    entry: &str,
    content: &Content,
    (line, col): (usize, usize),
) -> Option<Diagnostic> {
    let key = nav_key(entry);
    let w = content.withheld.iter().find(|w| {
        (w.page.kind == Kind::Section && w.page.dir == key)
            || (w.page.stem != "_index" && w.page.rel.trim_end_matches(".md") == key)
    })?;
    Some(
        Diagnostic::error(
            "course.yaml",
            line,
            col,
            format!(
                "nav entry `{entry}` is the {} page {}",
                w.why.word(),
                w.page.path.display()
            ),
        )
        .with_hint(format!(
            "{}; a normal build does not publish it, so take it out of nav",
            w.why.published_by()
        )),
    )
}
