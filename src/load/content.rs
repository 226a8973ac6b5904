//! content/: the pages and the files beside them, read and sorted into sections.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::frontmatter::{self, FrontCache, FrontMatter};

mod page;

/// What a page is, which decides its default template and its role in the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// content/_index.md
    Home,
    /// a folder's _index.md (or a folder without one)
    Section,
    /// any other page
    Page,
    /// a page in content/topics/
    Topic,
    /// a page in content/labs/
    Lab,
    /// a page in content/announcements/
    Announcement,
}

/// One Markdown page, read and split, not yet rendered.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// The file relative to the course root, for messages (`content/labs/02-containers.md`).
    pub path: PathBuf,
    /// The file relative to content/, with `/` separators (`labs/02-containers.md`).
    pub rel: String,
    /// The folder relative to content/ (`labs`, or `` for top-level pages).
    pub dir: String,
    /// The file name without `.md`.
    pub stem: String,
    /// What it is.
    pub kind: Kind,
    /// Parsed front matter.
    pub front: FrontMatter,
    /// The raw front matter text, to locate keys in later messages.
    pub front_text: String,
    /// 1-based line where the front matter text starts.
    pub front_line: usize,
    /// The Markdown body.
    pub body: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// Title (front matter, or the folder name for sections).
    pub title: String,
    /// URL name.
    pub slug: String,
    /// The page's path below the term root, ending with `/` (`labs/02-containers/`; `` for home).
    pub url_path: String,
    /// A section page made for a folder that has no `_index.md`.
    pub generated: bool,
}

/// A file in content/ that is not a page: copied beside its page.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute source path.
    pub source: PathBuf,
    /// Path relative to content/, `/`-separated; also its path below the term root.
    pub rel: String,
}

/// Everything read from content/.
///
/// As loaded, `pages` and `assets` hold every page and file; the `visibility` stage then moves
/// those this build does not publish into `withheld` and `withheld_assets`, so that every later
/// stage sees only what is published.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Published pages, sections included, sorted by section then order then file name.
    pub pages: Vec<SourcePage>,
    /// Published files beside the pages.
    pub assets: Vec<Asset>,
    /// Pages that could not be read (their errors are reported): links to them are not errors too.
    pub unreadable: Vec<String>,
    /// Pages that exist but are not published by this build, with the reason.
    pub withheld: Vec<Withheld>,
    /// Files that are not published: used only by withheld pages, or inside a hidden section.
    pub withheld_assets: Vec<Asset>,
    /// Folders (relative to content/) below a draft or private section: everything in them is
    /// hidden, whatever links to it.
    pub sealed_dirs: Vec<(String, Hidden)>,
    /// content/ itself is missing or could not be read (its error is reported): what names
    /// its pages (`nav`) is not a mistake too.
    pub folder_unreadable: bool,
    /// The bodies of the pages whose front matter has errors (those in `unreadable`), each as a
    /// page with no front matter of its own: rendered only so that their links, math and raw
    /// HTML are checked in the same run; never published, listed or scheduled.
    pub broken_bodies: Vec<SourcePage>,
}

/// Why a page or file of content/ is not published by a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// `draft: true`, on the page or a section above it; published with `--drafts`.
    Draft,
    /// `private: true`, on the page or a section above it; published with `--private`.
    Private,
    /// A lab released after the build date (`labs.hide_until_release`); published from then on.
    Unreleased(jiff::civil::Date),
    /// An announcement dated after the build date; published from its date on.
    Upcoming(jiff::civil::Date),
}

impl Hidden {
    /// The adjective for messages: `draft`, `private`, `unreleased`.
    pub fn word(self) -> &'static str {
        match self {
            Hidden::Draft => "draft",
            Hidden::Private => "private",
            Hidden::Unreleased(_) => "unreleased",
            Hidden::Upcoming(_) => "upcoming",
        }
    }

    /// How a build publishes it, for hints.
    pub fn published_by(self) -> String {
        match self {
            Hidden::Draft => "`--drafts` builds include it".into(),
            Hidden::Private => "`--private` builds include it".into(),
            Hidden::Unreleased(d) => {
                format!("it is published from its release on {d} (or with `--as-of {d}`)")
            }
            Hidden::Upcoming(d) => {
                format!("it is published from its date, {d} (or with `--as-of {d}`)")
            }
        }
    }
}

/// A page this build does not publish.
#[derive(Debug, Clone)]
pub struct Withheld {
    /// The page.
    pub page: SourcePage,
    /// Why.
    pub why: Hidden,
}

/// Which hidden pages a build includes (`--drafts`, `--private`).
#[derive(Debug, Clone, Copy, Default, Hash)]
pub struct Filter {
    /// Include draft pages.
    pub drafts: bool,
    /// Include private pages.
    pub private: bool,
    /// Follow symlinks that point outside the course (`--follow-outside-symlinks`).
    pub outside_links: bool,
}

pub use crate::base::fence::io_words;
use page::page_from_text_with;
pub use page::{line_of_key, page_from_text, posted};

/// Walks `root/content`, reading every page (hidden ones too: see `visibility`) and listing
/// assets. Problems go to `diags`.
///
/// Of `filter`, only `outside_links` matters here: which pages a build publishes is decided
/// later, for all pages at once (`model::visibility`).
pub fn load_content(root: &Path, filter: Filter, diags: &mut Diagnostics) -> Content {
    load_content_cached(root, filter, Reused::default(), diags)
}

/// What a page file parsed into.
pub type PageResult = Result<SourcePage, Vec<Diagnostic>>;

/// Parsed pages kept between builds (`serve`), by path relative to content/ (`labs/01.md`).
/// A page parses the same whatever the build's switches (visibility is decided later, for all
/// pages at once), so the key is only whether links outside the course are followed; the
/// file's own bytes are not in it: serve's
/// watcher reports every changed file, and `site::cache::BuildCache::forget` drops its entry,
/// so an unchanged page is neither parsed nor read again.
pub type SourceCache = crate::base::memo::Memo<String, PageResult>;

/// What a load of content/ may take from earlier builds.
#[derive(Clone, Copy, Default)]
pub struct Reused<'a> {
    /// Pages parsed before and not forgotten since (`serve`): not even read again.
    pub pages: Option<&'a SourceCache>,
    /// Front matter parsed before (`build` and `serve`): a page is read, its YAML parsed only
    /// if it changed.
    pub fronts: Option<&'a FrontCache>,
}

/// [`load_content`], reusing what `reused` holds (see [`Reused`]).
pub fn load_content_cached(
    root: &Path,
    filter: Filter,
    reused: Reused,
    diags: &mut Diagnostics,
) -> Content {
    let dir = root.join("content");
    let mut content = Content::default();
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error("content", 1, 1, "there is no content/ folder").with_hint(
                "create content/_index.md (the home page) and the course's pages beside it",
            ),
        );
        content.folder_unreadable = true;
        return content;
    }
    let fence = crate::base::fence::Fence::new(root, filter.outside_links);
    if let Err(d) = fence.check(&dir) {
        diags.push(d);
        content.folder_unreadable = true;
        return content;
    }
    let (files, errors) = fence.files_below(&dir, crate::base::fence::Cap::File);
    errors.into_iter().for_each(|d| diags.push(d));
    let files: Vec<PathBuf> = files.into_iter().map(|(_, p)| p).collect();
    let read: Vec<_> = {
        use rayon::prelude::*;
        let each = files.par_iter();
        each.map(|path| read_entry(&dir, path, filter, reused))
            .collect()
    };
    for (rel, item) in read {
        match item {
            Ok(Ok(page)) => content.pages.push(page),
            Ok(Err(asset)) => content.assets.push(asset),
            Err((ds, body)) => {
                content.unreadable.push(rel);
                ds.into_iter().for_each(|d| diags.push(d));
                content.broken_bodies.extend(body);
            }
        }
    }
    add_missing_sections(&mut content.pages);
    check_home(&content.pages, diags);
    sort_pages(&mut content.pages);
    check_duplicate_urls(&content.pages, diags);
    content
}

/// The page at `rel` (below content/) read alone, as [`load_content_cached`] would read it
/// (through `reused`), for a rebuild that knows no other file changed (serve). `None` when a
/// whole load is needed to tell what the file is: not a `.md` file, or not one the walk of
/// content/ lists without an error (hidden, a link, gone, too large).
pub fn load_page(root: &Path, rel: &str, filter: Filter, reused: Reused) -> Option<PageResult> {
    let dir = root.join("content");
    let fence = crate::base::fence::Fence::new(root, filter.outside_links);
    let cap = crate::base::fence::Cap::File;
    if !rel.ends_with(".md") || !fence.lists_plainly(&dir, rel, cap) {
        return None;
    }
    let path = dir.join(rel);
    let parse = || read_page(&path, rel.to_string(), reused.fronts);
    Some(match reused.pages {
        Some(c) => c.get_or(&rel.to_string(), &filter.outside_links, parse),
        None => parse(),
    })
}

/// What one file of content/ is: a page (parsed, or taken from `cache`), an asset, or a
/// page with errors (and its body, to check as far as it can be), by its path below content/.
#[allow(clippy::type_complexity)]
fn read_entry(
    dir: &Path,
    path: &Path,
    filter: Filter,
    reused: Reused,
) -> (
    String,
    Result<Result<SourcePage, Asset>, (Vec<Diagnostic>, Option<SourcePage>)>,
) {
    let rel = rel_slash(dir, path);
    if !rel.ends_with(".md") {
        let asset = Asset {
            source: path.to_path_buf(),
            rel: rel.clone(),
        };
        return (rel, Ok(Err(asset)));
    }
    let parse = || read_page(path, rel.clone(), reused.fronts);
    let result = match reused.pages {
        Some(c) => c.get_or(&rel, &filter.outside_links, parse),
        None => parse(),
    };
    let result = result.map(Ok).map_err(|ds| (ds, body_only(path, &rel)));
    (rel, result)
}

fn rel_slash(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The page at `path` with its front matter (which has errors) replaced by a bare title on as
/// many lines, so that the body keeps its line numbers. `None` when the page has no front matter
/// to replace or cannot be split at all (an unclosed `---`): then there is no body to check.
fn body_only(path: &Path, rel: &str) -> Option<SourcePage> {
    let shown = PathBuf::from("content").join(rel);
    let text = crate::base::fence::read_capped(path, &shown, crate::base::fence::Cap::Page).ok()?;
    let yaml = frontmatter::split(&shown, &text).ok()?.yaml?;
    let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    let blank = format!("title: x{}", "\n".repeat(yaml.matches('\n').count()));
    let stub = format!("{}{blank}{}", &text[..start], &text[start + yaml.len()..]);
    page_from_text(rel.to_string(), &stub).ok()
}

/// Reads one page, its front matter taken from `fronts` when parsed before.
fn read_page(path: &Path, rel: String, fronts: Option<&FrontCache>) -> PageResult {
    let shown = PathBuf::from("content").join(&rel);
    let text = crate::base::fence::read_capped(path, &shown, crate::base::fence::Cap::Page)
        .map_err(|d| vec![d])?;
    page_from_text_with(rel, &text, fronts)
}

/// A folder with pages but no _index.md still gets a section page listing them.
fn add_missing_sections(pages: &mut Vec<SourcePage>) {
    let have: std::collections::HashSet<String> = pages
        .iter()
        .filter(|p| p.stem == "_index")
        .map(|p| p.dir.clone())
        .collect();
    let mut needed: BTreeMap<String, ()> = BTreeMap::new();
    for p in pages.iter() {
        let mut d = p.dir.as_str();
        while !d.is_empty() {
            if !have.contains(d) {
                needed.insert(d.to_string(), ());
            }
            d = d.rsplit_once('/').map_or("", |(a, _)| a);
        }
    }
    for dir in needed.into_keys() {
        pages.push(SourcePage {
            path: PathBuf::from("content").join(&dir),
            rel: format!("{dir}/_index.md"),
            dir: dir.clone(),
            stem: "_index".into(),
            kind: Kind::Section,
            front: FrontMatter::default(),
            front_text: String::new(),
            front_line: 1,
            body: String::new(),
            body_line: 1,
            title: page::folder_title(&dir),
            slug: String::new(),
            url_path: format!("{dir}/"),
            generated: true,
        });
    }
}

fn check_home(pages: &[SourcePage], diags: &mut Diagnostics) {
    if !pages.iter().any(|p| p.kind == Kind::Home) && !pages.is_empty() {
        diags.push(
            Diagnostic::error("content/_index.md", 1, 1, "the course has no home page")
                .with_hint("create content/_index.md with a title and a welcome"),
        );
    }
}

/// Section pages first, then `order`, then file name — within each folder; announcements
/// newest first.
pub fn sort_pages(pages: &mut [SourcePage]) {
    let newest = |p: &SourcePage| match p.kind {
        Kind::Announcement => std::cmp::Reverse(posted(&p.front)),
        _ => std::cmp::Reverse(None),
    };
    pages.sort_by(|a, b| {
        (
            &a.dir,
            a.stem != "_index",
            newest(a),
            a.front.order.is_none(),
            a.front.order,
            &a.stem,
        )
            .cmp(&(
                &b.dir,
                b.stem != "_index",
                newest(b),
                b.front.order.is_none(),
                b.front.order,
                &b.stem,
            ))
    });
}

fn check_duplicate_urls(pages: &[SourcePage], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &SourcePage> = HashMap::new();
    for p in pages {
        if let Some(first) = seen.insert(&p.url_path, p) {
            diags.push(
                Diagnostic::error(
                    &p.path,
                    1,
                    1,
                    format!(
                        "this page has the same URL (/{}) as {}",
                        p.url_path,
                        first.path.display()
                    ),
                )
                .with_hint("give one of them another file name or `slug:`"),
            );
        }
    }
}
