//! The pages of a Jekyll site and where each goes in content/: collections become sections
//! (`_modules` → topics, `_announcements` and `_posts` → announcements, `_labs`,
//! `_assignments`, `_homework` → labs), just-the-docs' `parent` / `grand_parent` become folders
//! and `has_children` pages their `_index.md`; file and folder names become URL names.

use std::collections::{BTreeMap, HashSet};

use serde_yaml::{Mapping, Value};

use super::report::{Kind, Report};
use super::site::scalar;

/// A page of the Jekyll site, read.
#[derive(Debug, Clone)]
pub struct SrcPage {
    /// Path relative to SRC, `/`-separated.
    pub path: String,
    /// The collection it belongs to, without `_` (`modules`), if any.
    pub collection: Option<String>,
    /// Its front matter (empty when it has none or it is not YAML).
    pub front: Mapping,
    /// The front matter's text, to find the line of a key.
    pub front_text: String,
    /// 1-based line where the front matter starts.
    pub front_line: usize,
    /// The Markdown body.
    pub body: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

impl SrcPage {
    /// A front matter value as text.
    pub fn get(&self, key: &str) -> Option<String> {
        self.front
            .get(key)
            .and_then(scalar)
            .filter(|s| !s.is_empty())
    }

    /// The line of the file where front matter `key` is written (the front matter's first line
    /// if it is not).
    pub fn line_of(&self, key: &str) -> usize {
        super::site::line_of(&self.front_text, key) + self.front_line - 1
    }

    /// The title: front matter `title`, else the first `# heading`, else the file name.
    pub fn title(&self) -> String {
        if let Some(t) = self.get("title") {
            return t;
        }
        let heading = self
            .body
            .lines()
            .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()));
        heading.unwrap_or_else(|| {
            let stem = stem_of(&self.path).replace(['-', '_'], " ");
            let mut c = stem.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
    }
}

/// Reads a page: its front matter (a file whose front matter is not YAML keeps its body and is
/// reported) and its body.
pub fn read(path: &str, collection: Option<String>, text: &str, report: &mut Report) -> SrcPage {
    let shown = std::path::Path::new(path);
    let mut page = SrcPage {
        path: path.to_string(),
        collection,
        front: Mapping::new(),
        front_text: String::new(),
        front_line: 2,
        body: text.to_string(),
        body_line: 1,
    };
    let Ok(split) = crate::load::frontmatter::split(shown, text) else {
        let what = "the front matter is never closed: the whole file is taken as text".into();
        report.add(
            Kind::LeftOut,
            path,
            1,
            what,
            "check the top of the imported page",
        );
        return page;
    };
    page.body = split.body.to_string();
    page.body_line = split.body_line;
    let Some(yaml) = split.yaml else {
        return page;
    };
    page.front_text = yaml.to_string();
    page.front_line = split.yaml_line;
    match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => page.front = m,
        Ok(_) => {}
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line()) + split.yaml_line - 1;
            let what = format!("the front matter is not valid YAML ({e}); it is left out");
            report.add(
                Kind::LeftOut,
                path,
                line,
                what,
                "give the imported page its title and keys by hand",
            );
        }
    }
    page
}

/// Whether the page at `path` (relative to SRC) is the site's home page: `index.md`,
/// `index.markdown` or `index.html` at the top.
pub fn is_home(path: &str) -> bool {
    matches!(
        path,
        "index.md" | "index.markdown" | "index.html" | "index.htm"
    )
}

/// `Week 1!` → `week-1`: lowercase ASCII letters and digits, other runs become one `-`.
/// Accents are dropped (`Sémaine` → `semaine`).
pub fn slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.trim().nfd() {
        match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_') => out.push(c),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "page".into() } else { out }
}

fn stem_of(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// The section a collection goes to.
fn section_of(collection: &str) -> String {
    match collection {
        "modules" | "weeks" | "lectures" => "topics".into(),
        "announcements" | "posts" => "announcements".into(),
        "labs" | "assignments" | "homework" | "homeworks" | "hw" => "labs".into(),
        other => slug(other),
    }
}

/// Names semester's own generated pages take: a page of that name is renamed.
const TAKEN: &[&str] = &["calendar", "search", "404", "announcements"];

/// Where each page goes (path relative to content/, ending `.md`), by source path.
pub fn place(pages: &[SrcPage], report: &mut Report) -> BTreeMap<String, String> {
    let titles: BTreeMap<String, &SrcPage> = pages
        .iter()
        .filter(|p| p.collection.is_none())
        .map(|p| (p.title(), p))
        .collect();
    let all: Vec<String> = pages.iter().map(|p| wanted(p, &titles)).collect();
    let mut out = BTreeMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for (p, wanted) in pages.iter().zip(&all) {
        let wanted = beside_folder(wanted, &all);
        let mut dest = wanted.clone();
        let mut n = 2;
        while !used.insert(dest.clone()) {
            dest = match wanted.strip_suffix(".md") {
                Some(s) if !s.ends_with("_index") => format!("{s}-{n}.md"),
                _ => format!("{}-{n}/_index.md", wanted.trim_end_matches("/_index.md")),
            };
            n += 1;
        }
        if dest != wanted {
            let what =
                format!("another page also goes to content/{wanted}: this one is content/{dest}");
            report.add(Kind::Guessed, &p.path, 1, what, "rename one of them");
        }
        out.insert(p.path.clone(), dest);
    }
    out
}

/// The path a page would take in content/, before name clashes.
/// `x.md` when a folder `x/` is made too: the folder's `_index.md` (they would share a URL).
fn beside_folder(wanted: &str, all: &[String]) -> String {
    let Some(stem) = wanted
        .strip_suffix(".md")
        .filter(|s| !s.ends_with("_index"))
    else {
        return wanted.to_string();
    };
    let folder = format!("{stem}/");
    let index = format!("{stem}/_index.md");
    match (
        all.iter().any(|d| d.starts_with(&folder)),
        all.contains(&index),
    ) {
        (false, _) => wanted.to_string(),
        (true, false) => index,
        (true, true) => format!("{stem}-page.md"),
    }
}

/// Folder names of weekly pages, in the languages courses are written in: their pages are topics.
const TOPIC_WORDS: &[&str] = &[
    "lectures",
    "lecture",
    "modules",
    "module",
    "weeks",
    "week",
    "weekly",
    "schedule",
    "topics",
    "sessions",
    "cours",
    "semaines",
    "clases",
    "sesiones",
    "vorlesungen",
    "aulas",
];

fn wanted(p: &SrcPage, titles: &BTreeMap<String, &SrcPage>) -> String {
    let has_children = p.get("has_children").is_some_and(|v| v == "true");
    let mut folders = folders_of(p, titles, has_children);
    let stem = stem_of(&p.path);
    let dir_of_src = p.path.rsplit_once('/').map_or("", |(d, _)| d);
    if let Some(c) = &p.collection {
        let inner = dir_of_src.split('/').skip(1).map(slug).collect::<Vec<_>>();
        let mut parts = vec![section_of(c)];
        parts.extend(inner);
        parts.push(format!("{}.md", slug(stem)));
        return parts.join("/");
    }
    let root_permalink = p
        .get("permalink")
        .is_some_and(|l| url_key(&l, "").is_empty());
    if is_home(&p.path) || root_permalink {
        return "_index.md".into();
    }
    if has_children {
        folders.push(slug(&p.title()));
        topics_folder(&mut folders);
        return format!("{}/_index.md", folders.join("/"));
    }
    topics_folder(&mut folders);
    let mut name = slug(stem);
    if name == "index" || name == "readme" {
        return match folders.is_empty() {
            true => "_index.md".into(),
            false => format!("{}/_index.md", folders.join("/")),
        };
    }
    if folders.is_empty() && name == "announcements" {
        return "announcements/_index.md".into();
    }
    if folders.is_empty() && TAKEN.contains(&name.as_str()) {
        name = format!("{name}-page");
    }
    folders.push(format!("{name}.md"));
    folders.join("/")
}

/// Folders that only hold a site's pages: `docs/plan.md` is the course's `plan.md`.
const CONTAINERS: &[&str] = &["docs", "pages", "_pages", "content"];

/// The folders of a page: its parents' titles (just-the-docs), else its own folders (but a
/// top-level page with children of just-the-docs, whose children name it by title).
fn folders_of(p: &SrcPage, titles: &BTreeMap<String, &SrcPage>, top_parent: bool) -> Vec<String> {
    let dir_of_src = p.path.rsplit_once('/').map_or("", |(d, _)| d);
    match (p.get("grand_parent"), p.get("parent")) {
        (Some(g), Some(par)) => folder(&g, titles)
            .split('/')
            .map(str::to_string)
            .chain([slug(&par)])
            .collect(),
        (None, Some(par)) => folder(&par, titles)
            .split('/')
            .map(str::to_string)
            .collect(),
        _ if top_parent => Vec::new(),
        _ => dir_of_src
            .split('/')
            .filter(|s| !s.is_empty())
            .enumerate()
            .filter(|(i, s)| !(*i == 0 && CONTAINERS.contains(s)))
            .map(|(_, s)| slug(s))
            .collect(),
    }
}

/// A top folder of weekly pages becomes topics/.
fn topics_folder(folders: &mut [String]) {
    if let Some(first) = folders.first_mut()
        && TOPIC_WORDS.contains(&first.as_str())
    {
        *first = "topics".into();
    }
}

/// The folder of a just-the-docs parent page, by its title: below its own parent, if it has one.
fn folder(title: &str, titles: &BTreeMap<String, &SrcPage>) -> String {
    match titles.get(title).and_then(|p| p.get("parent")) {
        Some(up) if up != title => format!("{}/{}", slug(&up), slug(title)),
        _ => slug(title),
    }
}

/// The URLs the old site published a page at, normalised by [`url_key`]: its `permalink` and
/// the one Jekyll makes from its path.
pub fn old_urls(p: &SrcPage) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(link) = p.get("permalink") {
        out.push(url_key(&link, ""));
    }
    let path = match &p.collection {
        Some(_) => p.path.trim_start_matches('_').to_string(),
        None => p.path.clone(),
    };
    let no_ext = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s);
    out.push(url_key(no_ext, ""));
    // Posts: /2024/01/08/title.html from _posts/2024-01-08-title.md.
    if p.collection.as_deref() == Some("posts") {
        let stem = stem_of(&p.path);
        if stem.len() > 11 && stem.as_bytes()[10] == b'-' {
            let (date, title) = (&stem[..10], &stem[11..]);
            out.push(url_key(&format!("{}/{title}", date.replace('-', "/")), ""));
        }
    }
    out
}

/// A URL path compared without the base path, slashes at its ends, `.html` and `index`.
pub fn url_key(url: &str, base: &str) -> String {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let base = base.trim_matches('/');
    let mut p = path.trim_matches('/');
    if !base.is_empty()
        && let Some(rest) = p.strip_prefix(base)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        p = rest.trim_start_matches('/');
    }
    let p = p.strip_suffix(".html").unwrap_or(p);
    let p = p.strip_suffix(".md").unwrap_or(p);
    let p = p.strip_suffix("index").unwrap_or(p);
    p.trim_matches('/').to_ascii_lowercase()
}
