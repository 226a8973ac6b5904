//! The new course, made from the files of the Jekyll site: which file is a page, a file to
//! copy, the staff, the schedule or Jekyll's own machinery; then course.yaml, the term file
//! and every page.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;
use serde_yaml::{Mapping, Value};

use super::Made;
use super::body::Places;
use super::pages::{SrcPage, old_urls, url_key};
use super::report::{Kind, Report};
use crate::base::fence::{Cap, Fence};

/// Folders and files of a Jekyll site that only build it: (prefix, what to tell).
const MACHINERY: &[(&str, &str)] = &[
    (
        "_site/",
        "the built site is not imported (it is made from the sources)",
    ),
    (".jekyll-cache/", ""),
    (".sass-cache/", ""),
    ("vendor/", ""),
    ("node_modules/", ""),
    (
        "_layouts/",
        "custom layouts are not converted: semester's theme lays out every page",
    ),
    (
        "_includes/",
        "includes are not converted: what a page included is left out of it (listed below)",
    ),
    ("_sass/", "the site's styles are not converted"),
    (
        "_data/",
        "data files are not converted: put what templates need under `extra:` in course.yaml",
    ),
    ("_plugins/", "Jekyll plugins do not run in semester"),
    ("_drafts/", "drafts are not imported"),
    ("Gemfile", ""),
    ("_config", ""),
    ("CNAME", ""),
    ("package", ""),
    ("Rakefile", ""),
    ("LICENSE", ""),
    ("404.", "semester makes its own 404 page"),
];

/// The sorted-out files of SRC.
#[derive(Default)]
struct Sorted {
    pages: Vec<SrcPage>,
    staffers: Vec<SrcPage>,
    schedules: Vec<SrcPage>,
    assets: Vec<(String, PathBuf)>,
    config: Option<String>,
}

/// The course made from `files` (relative path, full path) of the site at `fence`'s root, and
/// where each page went (SRC path → path in content/).
pub fn convert(
    fence: &Fence,
    files: &[(String, PathBuf)],
    name: &str,
    today: Date,
    report: &mut Report,
) -> (Vec<(String, Made)>, BTreeMap<String, String>) {
    let sorted = sort(fence, files, report);
    let facts = super::site::read(sorted.config.as_deref(), name, report);
    let rels: Vec<String> = files.iter().map(|(r, _)| r.clone()).collect();
    let staffer_refs: Vec<&SrcPage> = sorted.staffers.iter().collect();
    let staff = super::staff::read(&staffer_refs, &rels, report);
    let meetings: Vec<_> = sorted
        .schedules
        .iter()
        .flat_map(|p| super::schedule::read(p, &staff.names, report))
        .collect();
    let dests = super::pages::place(&sorted.pages, report);
    let dated = super::convert_pages::topic_dates(&sorted.pages, &dests, today, report);
    let n_topics = sorted
        .pages
        .iter()
        .filter(|p| {
            dests
                .get(&p.path)
                .is_some_and(|d| d.starts_with("topics/") && !d.ends_with("_index.md"))
        })
        .count();
    let plan = super::term::plan(&dated, n_topics, &meetings, today, report);
    let mut places = places(&sorted, &dests, &facts.base_path);
    places.site_vars = facts.vars.clone();
    let mut out = super::convert_pages::pages(&sorted.pages, &dests, &plan, &places, report);
    extra_pages(&dests, &staff, &facts.title, &mut out, report);
    for (rel, full) in &sorted.assets {
        if staff.photos.iter().any(|(from, _)| from == rel) {
            continue;
        }
        out.push((format!("content/{rel}"), Made::Copy(full.clone())));
    }
    for (from, inside) in &staff.photos {
        if let Some((_, full)) = files.iter().find(|(r, _)| r == from) {
            out.push((format!("static/{inside}"), Made::Copy(full.clone())));
        }
    }
    let course = course_yaml(&facts, &plan.id, &staff.people);
    out.push(("course.yaml".into(), Made::Text(yaml_text(&course))));
    out.push((
        format!("terms/{}.yaml", plan.id),
        Made::Text(yaml_text(&plan.yaml)),
    ));
    (out, dests)
}

impl Sorted {
    /// Files a page of `collection` (without `_`) among the pages, staff or schedules.
    fn add_page(&mut self, page: SrcPage, collection: Option<&str>) {
        match collection {
            Some("staffers" | "staff") => self.staffers.push(page),
            Some("schedules") => self.schedules.push(page),
            _ => self.pages.push(page),
        }
    }
}

/// Reports a file of Jekyll's machinery (a folder once, a file by its own name) as left out,
/// when there is something to say about it.
fn tell_machinery<'a>(
    rel: &str,
    (prefix, why): (&'a str, &str),
    told: &mut Vec<&'a str>,
    report: &mut Report,
) {
    if !why.is_empty() && !told.contains(&prefix) {
        told.push(prefix);
        // A folder is named once; a file (`404.html`) by its own name.
        let shown = prefix.strip_suffix('/').unwrap_or(rel);
        report.add(
            Kind::LeftOut,
            shown,
            1,
            why.to_string(),
            "nothing to do unless you miss something it did",
        );
    }
}

/// Which file is what.
fn sort(fence: &Fence, files: &[(String, PathBuf)], report: &mut Report) -> Sorted {
    let mut s = Sorted::default();
    let mut told: Vec<&str> = Vec::new();
    for (rel, full) in files {
        if rel == "_config.yml" {
            s.config = read(fence, full, rel, Cap::Yaml, report);
            continue;
        }
        if let Some((prefix, why)) = MACHINERY.iter().find(|(p, _)| rel.starts_with(p)) {
            tell_machinery(rel, (prefix, why), &mut told, report);
            continue;
        }
        let ext = rel
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        // `_pages/` (al-folio and other themes) only holds the site's pages: no collection.
        let collection = rel
            .strip_prefix('_')
            .and_then(|r| r.split_once('/'))
            .map(|(c, _)| c.to_string())
            .filter(|c| c != "pages");
        match (ext.as_str(), collection.as_deref()) {
            ("md" | "markdown", c) => {
                if let Some(text) = read(fence, full, rel, Cap::Page, report) {
                    let page = super::pages::read(rel, collection.clone(), &text, report);
                    s.add_page(page, c);
                }
            }
            ("html" | "htm", c) if starts_with_front_matter(full) => {
                if let Some(text) = read(fence, full, rel, Cap::Page, report) {
                    let mut page = super::pages::read(rel, collection.clone(), &text, report);
                    super::html_page::to_markdown(&mut page, report);
                    s.add_page(page, c);
                }
            }
            ("scss" | "sass", _) => {}
            (_, Some(_)) => report.add(
                Kind::LeftOut,
                rel,
                1,
                "a file inside a collection folder is not copied".into(),
                "move it next to the page that uses it",
            ),
            _ => s.assets.push((rel.clone(), full.clone())),
        }
    }
    if s.pages.iter().any(|p| super::pages::is_home(&p.path)) {
        s.pages
            .retain(|p| !p.path.eq_ignore_ascii_case("readme.md"));
    }
    s
}

fn read(
    fence: &Fence,
    full: &std::path::Path,
    rel: &str,
    cap: Cap,
    report: &mut Report,
) -> Option<String> {
    match fence.read_text(full, cap) {
        Ok(t) => Some(t),
        Err(d) => {
            report.add(
                Kind::LeftOut,
                rel,
                1,
                format!("not read: {}", d.message),
                "copy what it held by hand",
            );
            None
        }
    }
}

fn starts_with_front_matter(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .is_ok_and(|n| n >= 3 && &head[..3] == b"---")
}

/// Every page and file of the new content/, and the old URLs that lead to them.
fn places(s: &Sorted, dests: &BTreeMap<String, String>, base_path: &str) -> Places {
    let mut p = Places {
        by_src: dests.clone(),
        base_path: base_path.to_string(),
        ..Places::default()
    };
    for page in &s.pages {
        if let Some(d) = dests.get(&page.path) {
            for url in old_urls(page) {
                p.by_url.entry(url).or_insert_with(|| d.clone());
            }
            p.by_url.entry(url_key(d, "")).or_insert_with(|| d.clone());
            p.files.insert(d.clone());
        }
    }
    for (rel, _) in &s.assets {
        p.by_url
            .entry(url_key(rel, ""))
            .or_insert_with(|| rel.clone());
        p.files.insert(rel.clone());
    }
    let mut folders = Vec::new();
    for f in &p.files {
        let mut d = f.as_str();
        while let Some((up, _)) = d.rsplit_once('/') {
            folders.push(up.to_string());
            d = up;
        }
    }
    p.folders.extend(folders);
    p
}

/// A home page and a staff page when the site had none.
fn extra_pages(
    dests: &BTreeMap<String, String>,
    staff: &super::staff::Staff,
    title: &str,
    out: &mut Vec<(String, Made)>,
    report: &mut Report,
) {
    if !dests.values().any(|d| d == "_index.md") {
        let mut m = Mapping::new();
        m.insert("title".into(), title.into());
        out.push((
            "content/_index.md".into(),
            Made::Text(format!("---\n{}---\n", yaml_text(&m))),
        ));
        report.add(
            Kind::Guessed,
            "index.md",
            1,
            "the site has no index.md: the home page is new and empty".into(),
            "write a welcome in content/_index.md",
        );
    }
    if !staff.people.is_empty() && !dests.values().any(|d| d == "staff.md") {
        out.push((
            "content/staff.md".into(),
            Made::Text("---\ntitle: Staff\ntemplate: staff.html\n---\n".into()),
        ));
        report.add(
            Kind::Converted,
            "_staffers",
            1,
            format!(
                "{} staff members: course.yaml `instructors`, listed on content/staff.md",
                staff.people.len()
            ),
            "nothing to do",
        );
    }
}

fn course_yaml(f: &super::site::SiteFacts, term: &str, people: &[Value]) -> Mapping {
    let mut m = Mapping::new();
    m.insert("title".into(), f.title.clone().into());
    if !f.description.is_empty() {
        m.insert("description".into(), f.description.clone().into());
    }
    if let Some(b) = &f.base_url {
        m.insert("base_url".into(), b.clone().into());
    }
    if let Some(l) = &f.language {
        m.insert("language".into(), l.clone().into());
    }
    let tz = f
        .timezone
        .clone()
        .unwrap_or_else(|| super::PLACEHOLDER_ZONE.into());
    m.insert("timezone".into(), tz.into());
    m.insert("current_term".into(), term.into());
    if !people.is_empty() {
        m.insert("instructors".into(), Value::Sequence(people.to_vec()));
    }
    m
}

/// A YAML mapping as text (serde_yaml quotes what needs quoting).
pub fn yaml_text(m: &Mapping) -> String {
    if m.is_empty() {
        return String::new();
    }
    serde_yaml::to_string(m).unwrap_or_default()
}
