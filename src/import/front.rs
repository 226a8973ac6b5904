//! A Jekyll page's front matter → semester's: `title`, `description`, `nav_order` → `order`,
//! `published: false` → `draft: true`, an announcement's `date`; the keys of Jekyll's layouts
//! and navigation are dropped, every other key is kept under `extra` (where templates can read
//! it and `check` does not refuse it). Each is reported once per key, with the first place.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::pages::SrcPage;
use super::report::{Kind, Report};

/// Keys of Jekyll and its themes that only placed or laid out the page.
const LAYOUT_KEYS: &[&str] = &[
    "layout",
    "nav_exclude",
    "has_children",
    "parent",
    "grand_parent",
    "permalink",
    "has_toc",
    "search_exclude",
    "last_modified_date",
    "nav_fold",
    "child_nav_order",
    "nav_order",
    "categories",
    "category",
    "tags",
    "render_with_liquid",
    "sitemap",
    "published",
];

/// Keys met across all pages, for one line each in the report: (first path, line, count).
#[derive(Debug, Default)]
pub struct Seen {
    dropped: BTreeMap<String, (String, usize, usize)>,
    kept: BTreeMap<String, (String, usize, usize)>,
}

impl Seen {
    fn note(map: &mut BTreeMap<String, (String, usize, usize)>, key: &str, p: &SrcPage) {
        map.entry(key.to_string())
            .or_insert_with(|| (p.path.clone(), p.line_of(key), 0))
            .2 += 1;
    }

    /// One report line per key.
    pub fn report(&self, report: &mut Report) {
        for (key, (path, line, n)) in &self.dropped {
            let what = format!("front matter `{key}` ({n} page(s)) is not needed");
            report.add(
                Kind::Converted,
                path,
                *line,
                what,
                "nothing to do: the section, its order and the theme place the page",
            );
        }
        for (key, (path, line, n)) in &self.kept {
            let what = format!(
                "front matter `{key}` ({n} page(s)) has no meaning in semester: kept as `extra.{key}`"
            );
            report.add(
                Kind::LeftOut,
                path,
                *line,
                what,
                "use it in a template (`page.extra`) or delete it",
            );
        }
    }
}

/// The front matter of the page `p` going to content/`dest`.
pub fn convert(p: &SrcPage, dest: &str, seen: &mut Seen, report: &mut Report) -> Mapping {
    let mut out = Mapping::new();
    let mut extra = Mapping::new();
    let is_index = dest.ends_with("_index.md");
    if !is_index || p.get("title").is_some() {
        out.insert("title".into(), p.title().into());
        if p.get("title").is_none() && !is_index {
            report.add(
                Kind::Guessed,
                &p.path,
                1,
                format!("no `title`: the page is called \"{}\"", p.title()),
                "check the title in the imported page",
            );
        }
    }
    for (k, v) in &p.front {
        let Some(key) = k.as_str() else { continue };
        match key {
            "title" => {}
            "date" if dest.starts_with("announcements/") => {}
            "due" | "due_date" | "deadline" if dest.starts_with("labs/") => {}
            "description" | "summary" => {
                if let Some(d) = super::site::scalar(v) {
                    out.insert("description".into(), one_line(&d).into());
                }
            }
            "nav_order" => order(p, v, &mut out, report),
            "published" if v.as_bool() == Some(false) => {
                out.insert("draft".into(), true.into());
            }
            "toc" if v.is_bool() => {
                out.insert("toc".into(), v.clone());
            }
            k if LAYOUT_KEYS.contains(&k) => Seen::note(&mut seen.dropped, k, p),
            k => {
                Seen::note(&mut seen.kept, k, p);
                extra.insert(k.into(), v.clone());
            }
        }
    }
    if dest == "staff.md" {
        out.insert("template".into(), "staff.html".into());
    }
    if !extra.is_empty() {
        out.insert("extra".into(), Value::Mapping(extra));
    }
    out
}

fn order(p: &SrcPage, v: &Value, out: &mut Mapping, report: &mut Report) {
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite() && f.abs() < 1e15)
    // Ten times, so that just-the-docs' `nav_order: 2.5` keeps its place between 2 and 3.
    .map(|f| (f * 10.0).round() as i64);
    match (n, v.as_i64()) {
        (Some(n), Some(_)) => {
            out.insert("order".into(), n.into());
        }
        (Some(n), None) => {
            out.insert("order".into(), n.into());
            let what = format!(
                "`nav_order: {}` is not a whole number: `order: {n}` (every order is ten times the nav_order)",
                super::site::scalar(v).unwrap_or_default()
            );
            report.add(
                Kind::Guessed,
                &p.path,
                p.line_of("nav_order"),
                what,
                "renumber the section's `order`s if the order is wrong",
            );
        }
        (None, _) => {
            report.add(
                Kind::LeftOut,
                &p.path,
                p.line_of("nav_order"),
                "`nav_order` is not a number".into(),
                "give the page an `order`",
            );
        }
    }
}

/// Text on one line (a description is one line).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
