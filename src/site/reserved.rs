//! Every output path has one source. The list of what is generated is the build's own output,
//! not a hand-kept list: after every stage has made its files, two files at one path (an asset
//! `content/index.html` and the home page, a page `calendar.md` and the calendar, a static file
//! and `sitemap.xml`, a lab's notebook and a file beside it), or a file where a folder of the
//! site must be (`content/calendar` and `calendar/index.html`), is an error naming both.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::base::files::{Data, OutputFile};
use crate::load::content::SourcePage;

/// Who made an output file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    /// A file of the course copied as it is (relative to the course root).
    Copied(PathBuf),
    /// Rendered from a page (its source), as its page or its notebook.
    Page(PathBuf, &'static str),
    /// Made by semester from everything (the calendar, the search index, sitemap.xml…).
    Generated,
    /// A file of the built-in theme.
    BuiltIn,
}

impl Owner {
    fn words(&self, out: &str) -> String {
        match self {
            Owner::Copied(p) => format!("the file {}", p.display()),
            Owner::Page(p, "notebook") => format!("the notebook of {}", p.display()),
            Owner::Page(p, _) => format!("the page {}", p.display()),
            Owner::Generated => "a file semester generates".to_string(),
            Owner::BuiltIn => format!("the built-in theme's static/{out}"),
        }
    }

    /// The course file to blame, if the owner is one.
    fn file(&self) -> Option<&Path> {
        match self {
            Owner::Copied(p) | Owner::Page(p, _) => Some(p),
            Owner::Generated | Owner::BuiltIn => None,
        }
    }
}

/// The pages of one term, to tell which output files they made.
pub struct TermPages<'a> {
    /// The term's id (its folder below public/).
    pub id: &'a str,
    /// Its pages.
    pub pages: &'a [SourcePage],
    /// Prefix of the pages' paths in messages (`versions/fall-2025/` for a frozen term).
    pub shown_prefix: PathBuf,
}

/// What [`check`] looks at: each output path with where its file comes from (a copied file's
/// source, the built-in theme, or made by the build), and each term's pages.
#[derive(Hash)]
struct CheckInput<'a> {
    root: &'a Path,
    /// Output path, copied file's source, whether from the built-in theme.
    files: Vec<(&'a str, Option<&'a Path>, bool)>,
    /// Term id, shown prefix, and each page's source, URL path and slug.
    terms: Vec<(&'a str, &'a Path, Vec<PageSpot<'a>>)>,
}

/// A page's source path, URL path and slug: what decides the output paths it takes.
type PageSpot<'a> = (&'a Path, &'a str, &'a str);

/// [`check`], its messages kept in `memo` (a build cache) by the key of what it looks at: a
/// rebuild whose paths and sources did not change does not check them again.
pub fn check_cached(
    root: &Path,
    files: &[OutputFile],
    terms: &[TermPages],
    memo: Option<&crate::base::memo::Memo<(), Vec<Diagnostic>>>,
    diags: &mut Diagnostics,
) {
    let Some(memo) = memo else {
        return check(root, files, terms, diags);
    };
    let input = CheckInput {
        root,
        files: files
            .iter()
            .map(|f| match &f.data {
                Data::Copy(src) => (f.path.as_str(), Some(src.as_path()), false),
                Data::Static(_) => (f.path.as_str(), None, true),
                _ => (f.path.as_str(), None, false),
            })
            .collect(),
        terms: terms
            .iter()
            .map(|t| {
                let pages = t
                    .pages
                    .iter()
                    .map(|p| (p.path.as_path(), p.url_path.as_str(), p.slug.as_str()));
                (t.id, t.shown_prefix.as_path(), pages.collect())
            })
            .collect(),
    };
    let found = memo.get_or(&(), &input, || {
        let mut own = Diagnostics::new();
        check(root, files, terms, &mut own);
        own.into_vec()
    });
    found.into_iter().for_each(|d| diags.push(d));
}

/// Reports every output path made twice, and every file where a folder must be. `root` is the
/// course root (copied files are named relative to it).
pub fn check(root: &Path, files: &[OutputFile], terms: &[TermPages], diags: &mut Diagnostics) {
    let mut by_page: HashMap<String, Vec<Owner>> = HashMap::new();
    for t in terms {
        for p in t.pages {
            let shown = t.shown_prefix.join(&p.path);
            let dir = format!("{}/{}", t.id, p.url_path);
            let nb = format!("{dir}{}.ipynb", p.slug);
            let mut add = |path: String, kind| {
                by_page
                    .entry(path)
                    .or_default()
                    .push(Owner::Page(shown.clone(), kind));
            };
            add(format!("{dir}index.html"), "page");
            add(nb, "notebook");
        }
    }
    let mut at: BTreeMap<&str, Vec<&Data>> = BTreeMap::new();
    for f in files {
        at.entry(f.path.as_str()).or_default().push(&f.data);
    }
    let owners: BTreeMap<&str, Vec<Owner>> = at
        .into_iter()
        .map(|(path, data)| {
            let pages = by_page.get(path).map_or(&[][..], Vec::as_slice);
            (path, owners_of(root, &data, pages))
        })
        .collect();
    for (path, list) in &owners {
        // Two pages at one URL are reported by the content stage, with both names.
        let pages = list.iter().all(|o| matches!(o, Owner::Page(_, "page")));
        if list.len() > 1 && !pages {
            diags.push(twice(path, list));
        }
        if let Some(d) = folder_taken(path, &owners) {
            diags.push(d);
        }
    }
}

/// Who made each of the files at one path: a copied file names its source; of the files
/// rendered there, as many as there are pages at that path are theirs, the rest semester's.
fn owners_of(root: &Path, data: &[&Data], pages: &[Owner]) -> Vec<Owner> {
    let mut pages = pages.iter();
    let mut owners: Vec<Owner> = data
        .iter()
        .map(|d| match d {
            Data::Copy(src) => Owner::Copied(display_path(root, src)),
            Data::Static(_) => Owner::BuiltIn,
            _ => pages.next().cloned().unwrap_or(Owner::Generated),
        })
        .collect();
    owners.sort();
    owners
}

/// The error for `path` made by each of `owners` (sorted: copied files first, so the file
/// an author can rename is the one blamed).
fn twice(path: &str, owners: &[Owner]) -> Diagnostic {
    let blamed = owners.iter().position(|o| o.file().is_some()).unwrap_or(0);
    let others: Vec<String> = owners
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != blamed)
        .map(|(_, o)| o.words(path))
        .collect();
    let (file, first) = match owners[blamed].file() {
        Some(p) => {
            let this = match owners[blamed] {
                Owner::Page(_, "notebook") => "this page's notebook",
                Owner::Page(..) => "this page",
                _ => "this file",
            };
            (p.to_path_buf(), this.to_string())
        }
        None => (PathBuf::from(path), owners[blamed].words(path)),
    };
    Diagnostic::error(
        file,
        1,
        1,
        format!(
            "{first} would be published as `{path}`, which is also {}",
            others.join(" and ")
        ),
    )
    .with_hint("rename or move one of them: every file of the site comes from one source, and the generated files (the pages, calendar, search index, sitemap.xml, 404.html, versions.json, notebooks, the theme's files) keep their names")
}

/// A file at `path` where another output needs a folder of that name.
fn folder_taken(path: &str, at: &BTreeMap<&str, Vec<Owner>>) -> Option<Diagnostic> {
    let prefix = format!("{path}/");
    let (inner, _) = at.range(prefix.as_str()..).next()?;
    if !inner.starts_with(&prefix) {
        return None;
    }
    let owner = at.get(path)?.first()?;
    let inner_owner = at.get(inner)?.first()?;
    let file = owner
        .file()
        .or(inner_owner.file())
        .map_or_else(|| PathBuf::from(path), Path::to_path_buf);
    Some(
        Diagnostic::error(
            file,
            1,
            1,
            format!(
                "{} would be published as `{path}`, but the site needs a folder of that name for {}",
                owner.words(path),
                inner_owner.words(inner)
            ),
        )
        .with_hint("rename the file, e.g. with an extension"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, data: Data) -> OutputFile {
        OutputFile {
            path: path.into(),
            data,
        }
    }

    #[test]
    fn a_copied_file_over_a_generated_one_is_blamed() {
        let root = Path::new("/c");
        let files = [
            file("t/calendar.ics", Data::Bytes(Vec::new())),
            file(
                "t/calendar.ics",
                Data::Copy("/c/content/calendar.ics".into()),
            ),
            file("t/x", Data::Copy("/c/content/x".into())),
            file("t/x/index.html", Data::Bytes(Vec::new())),
        ];
        let mut d = Diagnostics::new();
        check(root, &files, &[], &mut d);
        let got: Vec<String> = d.into_vec().iter().map(|d| d.to_string()).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("content/calendar.ics:1:1: error: this file would be published as `t/calendar.ics`, which is also a file semester generates"), "{got:?}");
        assert!(got[1].starts_with("content/x:1:1: error: the file content/x would be published as `t/x`, but the site needs a folder of that name for a file semester generates"), "{got:?}");
    }
}
