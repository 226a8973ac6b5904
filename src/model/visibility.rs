//! Visibility: which pages and files of content/ a build publishes (SPEC §9, v1.1).
//!
//! Decided here, once, for every page and file. What a build does not publish is moved out of
//! `Content::pages` and `Content::assets` into `withheld` and `withheld_assets`, so that no
//! later stage — pages, section lists, navigation, prev/next, breadcrumbs, search, sitemap, the
//! calendar page and feed, notebooks, versions — can publish it, or decide for itself.
//!
//! 1. [`withhold`]: `draft` and `private`, written on a page or on the `_index.md` of any
//!    section above it.
//! 2. [`withhold_unreleased`]: labs released after the build date (`labs.hide_until_release`),
//!    once the calendar has computed the release dates. Their title and dates stay on the
//!    calendar, without a link.
//! 3. [`publish_files`]: a file is published if a published page links or embeds it, or if no
//!    page does (unless it lies inside a hidden section); a published page that links a hidden
//!    page, or a file of a hidden section, is an error.

use std::collections::{HashMap, HashSet};

use crate::base::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::base::options::BuildOptions;
use crate::load::content::{Content, Filter, Hidden, Kind, SourcePage, Withheld};
use crate::load::frontmatter::FrontMatter;
use crate::load::refs;
use crate::load::yaml;
use crate::schedule::calendar::Calendar;

/// What decides which pages and files a build publishes.
#[derive(Debug, Clone, Copy, Default, Hash)]
pub struct Publish {
    /// `--drafts`, `--private`.
    pub filter: Filter,
    /// The build date, for `labs.hide_until_release` (`None`: every lab is published).
    pub as_of: Option<jiff::civil::Date>,
}

impl Publish {
    /// What a build with `options` publishes.
    pub fn of(options: &BuildOptions) -> Publish {
        Publish {
            filter: Filter {
                drafts: options.drafts,
                private: options.private,
                outside_links: options.outside_links,
            },
            as_of: Some(options.as_of),
        }
    }
}

/// Withholds the draft and private pages `filter` leaves out. A section's `draft: true` or
/// `private: true` holds for every page and folder below it; a page below it that says
/// `draft: false` or `private: false` is an error, and so is a hidden home page. A folder
/// without `_index.md` whose pages are all hidden is hidden too (it holds nothing to show).
pub fn withhold(content: &mut Content, filter: Filter, diags: &mut Diagnostics) {
    let sections: HashMap<&str, &SourcePage> = content
        .pages
        .iter()
        .filter(|p| p.stem == "_index" && !p.generated && p.kind != Kind::Home)
        .map(|p| (p.dir.as_str(), p))
        .collect();
    let declared: Vec<Option<Hidden>> = content
        .pages
        .iter()
        .map(|p| declared_hidden(p, &sections, filter, diags))
        .collect();
    let sealed: Vec<(String, Hidden)> = content
        .pages
        .iter()
        .zip(&declared)
        .filter(|(p, _)| p.kind == Kind::Section && !p.generated)
        .filter_map(|(p, w)| w.map(|w| (p.dir.clone(), w)))
        .collect();
    let why = with_empty_folders(&content.pages, &declared);
    let pages = std::mem::take(&mut content.pages);
    for (page, w) in pages.into_iter().zip(why) {
        match w {
            Some(why) => content.withheld.push(Withheld { page, why }),
            None => content.pages.push(page),
        }
    }
    content.sealed_dirs = sealed;
}

/// Why a page is hidden by its own or its section's `draft` or `private` (what `filter`
/// publishes is not), if it is.
fn declared_hidden(
    p: &SourcePage,
    sections: &HashMap<&str, &SourcePage>,
    filter: Filter,
    diags: &mut Diagnostics,
) -> Option<Hidden> {
    let draft = flag(p, sections, "draft", |f| f.draft, diags);
    let private = flag(p, sections, "private", |f| f.private, diags);
    match (draft && !filter.drafts, private && !filter.private) {
        (true, _) => Some(Hidden::Draft),
        (_, true) => Some(Hidden::Private),
        _ => None,
    }
}

/// `declared`, with the section pages made for folders without _index.md hidden when nothing
/// in their folder is published (hidden like the pages below them).
fn with_empty_folders(pages: &[SourcePage], declared: &[Option<Hidden>]) -> Vec<Option<Hidden>> {
    // Folders that show something: those of published pages, and every folder above them.
    let mut shown: HashSet<&str> = HashSet::new();
    for (p, w) in pages.iter().zip(declared) {
        if w.is_none() && !p.generated {
            let mut d = p.dir.as_str();
            while shown.insert(d) && !d.is_empty() {
                d = parent(d);
            }
        }
    }
    let hidden_below = |dir: &str| {
        pages
            .iter()
            .zip(declared)
            .find(|(p, w)| w.is_some() && inside(&p.dir, dir))
            .and_then(|(_, w)| *w)
    };
    // A folder without _index.md and with nothing published in it is hidden like its pages.
    pages
        .iter()
        .zip(declared)
        .map(|(p, w)| match w {
            None if p.generated && !shown.contains(p.dir.as_str()) => hidden_below(&p.dir),
            _ => *w,
        })
        .collect()
}

/// Whether the page is draft (or private: `key` picks the flag), by itself or by a section
/// above it. Reports a page that says `false` below a section that says `true`, and a home
/// page that says `true` (every page is below it).
fn flag(
    page: &SourcePage,
    sections: &HashMap<&str, &SourcePage>,
    name: &str,
    key: fn(&FrontMatter) -> Option<bool>,
    diags: &mut Diagnostics,
) -> bool {
    let own = key(&page.front);
    let at = || {
        let (l, c) = yaml::locate(&page.front_text, &[yaml::Seg::Key(name)]);
        (l + page.front_line - 1, c)
    };
    if page.kind == Kind::Home {
        if own == Some(true) {
            let (l, c) = at();
            diags.push(
                Diagnostic::error(&page.path, l, c, format!("the home page cannot be {name}"))
                    .with_hint(format!(
                        "every page is below the home page; put {name} pages in a folder of their own whose _index.md says `{name}: true`"
                    )),
            );
        }
        return false;
    }
    let mut dir = if page.stem == "_index" {
        parent(&page.dir)
    } else {
        page.dir.as_str()
    };
    let from = loop {
        if dir.is_empty() {
            break None;
        }
        if let Some(s) = sections.get(dir).filter(|s| key(&s.front) == Some(true)) {
            break Some(*s);
        }
        dir = parent(dir);
    };
    if let (Some(false), Some(section)) = (own, from) {
        let (l, c) = at();
        diags.push(
            Diagnostic::error(
                &page.path,
                l,
                c,
                format!(
                    "this page says `{name}: false`, but it is inside the {name} section {}",
                    section.path.display()
                ),
            )
            .with_hint(format!(
                "everything below a {name} section is {name}; to publish this page, move it out of content/{}/",
                section.dir
            )),
        );
    }
    own == Some(true) || from.is_some()
}

/// Withholds the labs released after `as_of`, when `labs.hide_until_release` is set (`hide`).
pub fn withhold_unreleased(
    content: &mut Content,
    hide: bool,
    calendar: &Calendar,
    as_of: jiff::civil::Date,
) {
    if !hide {
        return;
    }
    let late: HashMap<&str, jiff::civil::Date> = calendar
        .labs
        .iter()
        .filter(|l| l.release > as_of)
        .map(|l| (l.slug.as_str(), l.release))
        .collect();
    let pages = std::mem::take(&mut content.pages);
    for page in pages {
        match late.get(page.slug.as_str()) {
            Some(&release) if page.kind == Kind::Lab => content.withheld.push(Withheld {
                page,
                why: Hidden::Unreleased(release),
            }),
            _ => content.pages.push(page),
        }
    }
}

/// Withholds the announcements dated after `as_of`: like an unreleased lab, every output
/// (section list, home, feed, search, sitemap) then lacks them, since none sees them.
pub fn withhold_upcoming(content: &mut Content, as_of: jiff::civil::Date) {
    let pages = std::mem::take(&mut content.pages);
    for page in pages {
        let date = crate::load::content::posted(&page.front);
        match date.filter(|d| *d > as_of) {
            Some(d) if page.kind == Kind::Announcement => content.withheld.push(Withheld {
                page,
                why: Hidden::Upcoming(d),
            }),
            _ => content.pages.push(page),
        }
    }
}

/// What a link in a page points at.
enum Target {
    Page(String),
    File(String),
}

/// Where a page names what it uses.
#[derive(Clone, Copy)]
enum Place {
    /// A link or embed in the body, at this byte offset.
    Body(usize),
    /// A value of the front matter's `extra` (which custom templates may turn into a link).
    Extra,
}

/// One page or file a page uses.
struct Use {
    target: Target,
    place: Place,
}

/// Everything `page` links or embeds: its body's links and embeds, and each `extra` value of its
/// front matter that names a file of content/ (relative to the page, as links are).
fn uses_of(page: &SourcePage, pages: &HashSet<&str>, assets: &HashSet<&str>) -> Vec<Use> {
    let mut out: Vec<Use> = refs::of_body(&page.rel, &page.body)
        .into_iter()
        .filter_map(|r| {
            let target = refs::resolve(&page.dir, &r.dest)?;
            Some(Use {
                target: target_of(target, &r.dest, pages),
                place: Place::Body(r.offset),
            })
        })
        .collect();
    let mut values = vec![serde_yaml::Value::Mapping(page.front.extra.clone())];
    while let Some(v) = values.pop() {
        match v {
            serde_yaml::Value::String(s) => {
                if let Some(file) = refs::resolve(&page.dir, &s)
                    && assets.contains(file.as_str())
                {
                    out.push(Use {
                        target: Target::File(file),
                        place: Place::Extra,
                    });
                }
            }
            serde_yaml::Value::Sequence(items) => values.extend(items),
            serde_yaml::Value::Mapping(m) => values.extend(m.into_iter().map(|(_, v)| v)),
            serde_yaml::Value::Tagged(t) => values.push(t.value),
            _ => {}
        }
    }
    out
}

/// What of a page's body [`publish_files`] reads: each link's and embed's target (relative
/// to content/) with whether it was written as a folder (`labs/`), sorted. Two bodies with
/// the same targets publish the same files and are the same mistakes to it.
pub fn body_targets(page: &SourcePage) -> std::collections::BTreeSet<(String, bool)> {
    refs::of_body(&page.rel, &page.body)
        .into_iter()
        .filter_map(|r| {
            let folder = r.dest.split(['#', '?']).next().unwrap_or("").ends_with('/');
            Some((refs::resolve(&page.dir, &r.dest)?, folder))
        })
        .collect()
}

/// Publishes the files of content/ that published pages use, or that no page uses; withholds
/// those used only by withheld pages and those inside a hidden section. A published page that
/// links a withheld page or a file of a hidden section is an error at the link. A course that
/// withholds no page is not read for links at all: every file is published anyway.
pub fn publish_files(content: &mut Content, diags: &mut Diagnostics) {
    if content.withheld.is_empty() {
        return;
    }
    let (by_shown, by_hidden) = uses(content, diags);
    let emptied: Vec<&str> = content
        .withheld
        .iter()
        .filter(|w| w.page.generated)
        .map(|w| w.page.dir.as_str())
        .collect();
    let assets = std::mem::take(&mut content.assets);
    for asset in assets {
        let dir = parent(&asset.rel);
        let publish = sealed(&content.sealed_dirs, &asset.rel).is_none()
            && (by_shown.contains(&asset.rel)
                || (!by_hidden.contains(&asset.rel) && !emptied.iter().any(|d| inside(dir, d))));
        match publish {
            true => content.assets.push(asset),
            false => content.withheld_assets.push(asset),
        }
    }
}

/// The published files of `content` (after [`publish_files`]) that no published page links,
/// embeds or names in `extra`, for `check` to list.
pub fn unused_files(content: &Content) -> Vec<String> {
    let (by_shown, _) = uses(content, &mut Diagnostics::new());
    content
        .assets
        .iter()
        .filter(|a| !by_shown.contains(&a.rel))
        .map(|a| a.rel.clone())
        .collect()
}

/// What one page uses, and whether the page is hidden.
struct Found<'a> {
    page: &'a SourcePage,
    hidden: bool,
    found: Vec<Use>,
}

impl Found<'_> {
    /// Adds the files the page uses to `used`; a published page that uses a file of a sealed
    /// folder or links to a withheld page is an error at the use.
    fn record(
        self,
        content: &Content,
        withheld: &HashMap<&str, Hidden>,
        used: &mut HashSet<String>,
        diags: &mut Diagnostics,
    ) {
        let Found {
            page,
            hidden,
            found,
        } = self;
        let lines = std::cell::OnceCell::new();
        let at = |place: Place| match place {
            Place::Body(offset) => {
                let (l, c) = lines
                    .get_or_init(|| LineIndex::new(&page.body))
                    .locate(&page.body, offset);
                (l + page.body_line - 1, c)
            }
            Place::Extra => {
                let (l, c) = yaml::locate(&page.front_text, &[yaml::Seg::Key("extra")]);
                (l + page.front_line - 1, c)
            }
        };
        for Use { target, place } in found {
            match (target, hidden) {
                (Target::File(file), true) => {
                    used.insert(file);
                }
                (Target::File(file), false) => {
                    if let Some((dir, why)) = sealed(&content.sealed_dirs, &file) {
                        diags.push(file_error(&page.path, at(place), &file, dir, why));
                    }
                    used.insert(file);
                }
                (Target::Page(rel), false) => {
                    if let Some(why) = withheld.get(rel.as_str()) {
                        diags.push(link_error(&page.path, at(place), &rel, *why));
                    }
                }
                (Target::Page(_), true) => {}
            }
        }
    }
}

/// The files that published pages use and those that withheld pages use (paths relative to
/// content/). Reports each link of a published page to a withheld page or a sealed file.
fn uses(content: &Content, diags: &mut Diagnostics) -> (HashSet<String>, HashSet<String>) {
    use rayon::prelude::*;
    let withheld: HashMap<&str, Hidden> = content
        .withheld
        .iter()
        .map(|w| (w.page.rel.as_str(), w.why))
        .collect();
    let pages: HashSet<&str> = content
        .pages
        .iter()
        .chain(content.withheld.iter().map(|w| &w.page))
        .map(|p| p.rel.as_str())
        .chain(content.unreadable.iter().map(String::as_str))
        .collect();
    let all: Vec<(&SourcePage, bool)> = content
        .pages
        .iter()
        .map(|p| (p, false))
        .chain(content.withheld.iter().map(|w| (&w.page, true)))
        .collect();
    let assets: HashSet<&str> = content.assets.iter().map(|a| a.rel.as_str()).collect();
    let found: Vec<Vec<Use>> = all
        .par_iter()
        .map(|(p, _)| uses_of(p, &pages, &assets))
        .collect();
    let (mut by_shown, mut by_hidden) = (HashSet::new(), HashSet::new());
    for ((page, hidden), found) in all.into_iter().zip(found) {
        let used = if hidden {
            &mut by_hidden
        } else {
            &mut by_shown
        };
        let found = Found {
            page,
            hidden,
            found,
        };
        found.record(content, &withheld, used, diags);
    }
    (by_shown, by_hidden)
}

/// The error for a link from a published page to `file`, inside the section `dir` hidden for
/// `why`.
fn file_error(
    path: &std::path::Path,
    (line, col): (usize, usize),
    file: &str,
    dir: &str,
    why: Hidden,
) -> Diagnostic {
    Diagnostic::error(
        path,
        line,
        col,
        format!(
            "this page links content/{file}, a file inside the {} section content/{dir}/",
            why.word()
        ),
    )
    .with_hint(format!(
        "{}; to publish the file with this page, move it out of content/{dir}/",
        why.published_by()
    ))
}

/// The error for a link from a published page to the page `rel`, hidden for `why`.
fn link_error(
    path: &std::path::Path,
    (line, col): (usize, usize),
    rel: &str,
    why: Hidden,
) -> Diagnostic {
    let what = match (why, rel.strip_suffix("_index.md")) {
        (Hidden::Unreleased(_), _) => format!("the unreleased lab content/{rel}"),
        (Hidden::Upcoming(_), _) => format!("the upcoming announcement content/{rel}"),
        (_, Some(dir)) => format!("the {} section content/{dir}", why.word()),
        (_, None) => format!("the {} page content/{rel}", why.word()),
    };
    let remedy = match why {
        Hidden::Unreleased(_) => {
            "until then remove this link (it would lead to a missing page), or link the calendar"
        }
        Hidden::Upcoming(_) => "until then remove this link (it would lead to a missing page)",
        _ => "a normal build does not publish it, so remove this link",
    };
    Diagnostic::error(path, line, col, format!("this page links {what}"))
        .with_hint(format!("{}; {remedy}", why.published_by()))
}

/// A page (its source path) or a file, as the Markdown renderer reads a link: `.md` files and
/// folders with a section page are pages (`README.md` is the folder's `_index.md`).
fn target_of(target: String, dest: &str, pages: &HashSet<&str>) -> Target {
    let dest_path = dest.split(['#', '?']).next().unwrap_or("");
    if target.is_empty() {
        return Target::Page("_index.md".into());
    }
    if let Some(dir) = target.strip_suffix("README.md") {
        return Target::Page(format!("{dir}_index.md"));
    }
    if target.ends_with(".md") {
        return Target::Page(target);
    }
    let index = format!("{target}/_index.md");
    if dest_path.ends_with('/') || pages.contains(index.as_str()) {
        return Target::Page(index);
    }
    Target::File(target)
}

/// The hidden section (folder and reason) that `rel` lies inside, if any.
fn sealed<'a>(dirs: &'a [(String, Hidden)], rel: &str) -> Option<(&'a str, Hidden)> {
    dirs.iter()
        .find(|(d, _)| inside(parent(rel), d))
        .map(|(d, w)| (d.as_str(), *w))
}

/// Whether the folder `dir` is `of` or below it (both relative to content/).
fn inside(dir: &str, of: &str) -> bool {
    of.is_empty() || dir == of || dir.strip_prefix(of).is_some_and(|r| r.starts_with('/'))
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(a, _)| a)
}

#[cfg(test)]
mod tests;
