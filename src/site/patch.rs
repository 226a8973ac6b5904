//! serve's rebuild of what one save reaches. When the watcher reports only page files of
//! content/ whose front matter did not change, the site is the last one but for those pages'
//! own files (HTML, notebook), the term's search index and, for an announcement, the feed:
//! nothing else of the site reads a page's body. So only those pages are read again
//! (`content::load_page`) and rendered again (`page::render_page_again`); the rest of the
//! course, the frozen terms and the files at the root are neither read nor hashed. Anything
//! else (course.yaml, a term file, templates, a page added, removed or with new front matter,
//! a body that breaks an anchor) is left to a whole build: `patch` says `None`.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::base::files::{Data, OutputFile};
use crate::base::options::BuildOptions;
use crate::load::content;
use crate::model::course::Course;
use crate::model::visibility::Publish;
use crate::render::page;
use crate::render::search::is_index_file;
use crate::site::build::{Look, Reuse, Site, term_input};
use crate::site::cache::BuildCache;

/// The last good build, as serve keeps it between saves.
pub struct Last {
    course: Course,
    look: Look,
    /// The current term's search index as served (its files share their bytes).
    index: Vec<OutputFile>,
}

impl Last {
    /// What is kept of `site`, whose files are `files`: `None` for a site built without a
    /// cache.
    pub fn of(site: Site, files: &[OutputFile]) -> Option<Last> {
        let term = format!("{}/", site.course.term.id);
        let index = files
            .iter()
            .filter(|f| f.path.starts_with(&term) && is_index_file(&f.path))
            .cloned()
            .collect();
        Some(Last {
            look: site.look?,
            course: site.course,
            index,
        })
    }
}

/// The files a patch made again.
pub struct Patched {
    /// The changed pages' files (and the feed) and the files of the search index that
    /// changed, each in place of the file of the same path.
    pub files: Vec<OutputFile>,
    /// The files of the old search index that the new one does not have.
    pub removed: Vec<String>,
    /// Time per stage, for `--verbose`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The site of `last` after the page files `changed` (`/`-separated, below content/) were
/// saved, as files to put in place of the old, when the change reaches no further than those
/// pages (see the module's documentation) and the pages render without a mistake. `None`
/// when a whole build is needed: `last` may then be partly patched, and is to be replaced by
/// that build.
pub fn patch(
    root: &Path,
    options: &BuildOptions,
    cache: &BuildCache,
    last: &mut Last,
    changed: &[String],
) -> Option<Patched> {
    let started = Instant::now();
    let filter = Publish::of(options).filter;
    let mut at = Vec::with_capacity(changed.len());
    for rel in changed {
        let page = content::load_page(root, rel, filter, cache.reused())?.ok()?;
        at.push(last.course.replace_body(page)?);
    }
    let loaded = started.elapsed();
    let Last {
        course,
        look,
        index: served,
    } = last;
    let reuse = Reuse {
        previous: None,
        cache: Some(cache),
        code: Some(&cache.code),
    };
    let looks = (&look.templates, &look.schemes);
    let input = term_input(looks, course, &look.versions, options, reuse, false);
    let mut files = Vec::new();
    let mut index = None;
    for i in at {
        let made = page::render_page_again(&input, &mut look.term, i)?;
        files.extend(made.files);
        index = made.index.or(index);
    }
    let mut removed = Vec::new();
    if let Some(index) = index {
        let (changed, gone) = index_changes(served, &index);
        files.extend(changed);
        removed = gone;
        *served = index;
    }
    Some(Patched {
        files,
        removed,
        timings: vec![("load", loaded), ("render", started.elapsed() - loaded)],
    })
}

/// The files of search index `new` that differ from or are not in `old`, and the paths of
/// `old` that `new` lacks. An index kept whole (every file the same, in the same order) is
/// told apart in one pass, without a map.
fn index_changes(old: &[OutputFile], new: &[OutputFile]) -> (Vec<OutputFile>, Vec<String>) {
    let same = |a: &OutputFile, b: &OutputFile| a.path == b.path && same_data(&a.data, &b.data);
    if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| same(a, b)) {
        return (Vec::new(), Vec::new());
    }
    let before: HashMap<&str, &OutputFile> = old.iter().map(|f| (f.path.as_str(), f)).collect();
    let changed = new
        .iter()
        .filter(|f| !before.get(f.path.as_str()).is_some_and(|o| same(o, f)))
        .cloned()
        .collect();
    let after: HashSet<&str> = new.iter().map(|f| f.path.as_str()).collect();
    let gone = old
        .iter()
        .filter(|f| !after.contains(f.path.as_str()))
        .map(|f| f.path.clone())
        .collect();
    (changed, gone)
}

/// Whether two files' contents are the same: the same shared bytes, equal bytes, or the same
/// source file.
fn same_data(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Shared(x), Data::Shared(y)) => Arc::ptr_eq(x, y) || x == y,
        (Data::Copy(x), Data::Copy(y)) | (Data::Link(x), Data::Link(y)) => x == y,
        _ => match (bytes_of(a), bytes_of(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// The bytes of a file held in memory.
fn bytes_of(d: &Data) -> Option<&[u8]> {
    match d {
        Data::Bytes(b) => Some(b),
        Data::Shared(b) => Some(b.as_slice()),
        Data::Static(b) => Some(b),
        Data::Copy(_) | Data::Link(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, data: &Arc<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            data: Data::Shared(Arc::clone(data)),
        }
    }

    #[test]
    fn only_the_index_files_that_changed_are_put_in_place() {
        let (a, b, c) = (
            Arc::new(b"a".to_vec()),
            Arc::new(b"b".to_vec()),
            Arc::new(b"c".to_vec()),
        );
        let old = vec![file("t/search-index/61", &a), file("t/search-index/62", &b)];
        let paths = |(f, gone): (Vec<OutputFile>, Vec<String>)| {
            (f.into_iter().map(|f| f.path).collect::<Vec<_>>(), gone)
        };
        assert_eq!(paths(index_changes(&old, &old.clone())), (vec![], vec![]));
        // The same bytes in another allocation are the same file.
        let copied = vec![
            file("t/search-index/61", &Arc::new(b"a".to_vec())),
            file("t/search-index/62", &b),
        ];
        assert_eq!(paths(index_changes(&old, &copied)), (vec![], vec![]));
        let new = vec![file("t/search-index/61", &c), file("t/search-index/63", &b)];
        assert_eq!(
            paths(index_changes(&old, &new)),
            (
                vec![
                    "t/search-index/61".to_string(),
                    "t/search-index/63".to_string()
                ],
                vec!["t/search-index/62".to_string()]
            )
        );
    }
}
