//! serve's rebuild of what one save reaches. When the watcher reports only page files of
//! content/ whose front matter did not change, the site is the last one but for those pages'
//! own files (HTML, notebook), the term's search index and, for an announcement, the feed:
//! nothing else of the site reads a page's body. So only those pages are read again
//! (`content::load_page`) and rendered again (`page::render_page_again`); the rest of the
//! course, the frozen terms and the files at the root are neither read nor hashed. Anything
//! else (course.yaml, a term file, templates, a page added, removed or with new front matter,
//! a body that breaks an anchor) is left to a whole build: `patch` says `None`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::base::files::OutputFile;
use crate::base::options::BuildOptions;
use crate::load::content;
use crate::model::course::Course;
use crate::model::visibility::Publish;
use crate::render::context::VersionPages;
use crate::render::highlight::Schemes;
use crate::render::page::{self, TermState};
use crate::render::templates::Templates;
use crate::site::build::{Reuse, Site, term_input};
use crate::site::cache::BuildCache;

/// What a build with a cache keeps for patching it, besides its course: the current term's
/// templates and code colours, every published term's pages, and the term's render state.
pub struct Look {
    pub(super) templates: Templates,
    pub(super) schemes: Schemes,
    pub(super) versions: Vec<VersionPages>,
    pub(super) term: TermState,
}

/// The last good build, as serve keeps it between saves.
pub struct Last {
    course: Course,
    look: Look,
}

impl Last {
    /// What is kept of `site` (its files aside): `None` for a site built without a cache.
    pub fn of(site: Site) -> Option<Last> {
        Some(Last {
            look: site.look?,
            course: site.course,
        })
    }
}

/// The files a patch made again.
pub struct Patched {
    /// The changed pages' files (and the feed), each in place of the file of the same path.
    pub files: Vec<OutputFile>,
    /// The current term's id and its search index, in place of every file of the old one
    /// (`search::is_index_file`); `None` when the build makes no index.
    pub index: Option<(String, Vec<OutputFile>)>,
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
        let page = content::load_page(root, rel, filter, Some(&cache.sources))?.ok()?;
        at.push(last.course.replace_body(page)?);
    }
    let loaded = started.elapsed();
    let Last { course, look } = last;
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
        index = made.index.map(|f| (course.term.id.clone(), f));
    }
    Some(Patched {
        files,
        index,
        timings: vec![("load", loaded), ("render", started.elapsed() - loaded)],
    })
}
