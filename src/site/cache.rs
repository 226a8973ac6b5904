//! What a long-lived process (`semester serve`) keeps between builds so that a rebuild only
//! does the work its change needs. Each layer owns the memo of its own step (parsed pages,
//! compiled templates, rendered Markdown and pages, highlighted code); this is where they are
//! kept together. Every entry is keyed by the hash of a typed input (`base::memo`), so a hit
//! is always right and nothing has to be invalidated by hand.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::diagnostics::Diagnostics;

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, Memo};
use crate::load::content::SourceCache;
use crate::render::highlight::CodeCache;
use crate::render::input::RenderCache;
use crate::render::templates::TemplateCache;
use crate::site::versions::Archived;

/// The files below a folder (path relative to it, full path) and the errors of listing it, as
/// `base::fence::Fence::files_below` gives them.
pub type FileList = (
    Vec<(String, PathBuf)>,
    Vec<crate::base::diagnostics::Diagnostic>,
);

/// The caches of one serving process.
#[derive(Default)]
pub struct BuildCache {
    /// Parsed page files.
    pub sources: SourceCache,
    /// Parsed front matter (kept on disk by `build`, see `site::store`).
    pub fronts: crate::load::frontmatter::FrontCache,
    /// Compiled templates.
    pub templates: TemplateCache,
    /// The current term's rendered Markdown and pages.
    pub render: RenderCache,
    /// Highlighted code blocks, the same store `build` keeps on disk.
    pub code: CodeCache,
    /// Each frozen term's files, by the key of its inputs.
    versions: Memo<String, Vec<OutputFile>>,
    /// Each frozen term as loaded (with what loading it said), by term id, until the watcher
    /// reports a change below its folder ([`BuildCache::forget`]).
    pub frozen: Memo<String, Arc<(Option<Archived>, Diagnostics)>>,
    /// The key of each frozen term's files (`VersionInput::files_key`), by term id, likewise.
    pub frozen_files: Memo<String, Key>,
    /// Each frozen term's static files (and what listing them said), by term id, likewise.
    pub frozen_statics: Memo<String, FileList>,
    /// What the check of output paths said (`reserved::check_cached`).
    pub reserved: Memo<(), Vec<crate::base::diagnostics::Diagnostic>>,
    /// Whether this is the cache of one build that ends with its process (`semester build`):
    /// it keeps no parsed pages (`sources`), which no later build would read, and which would
    /// copy every page's text once more.
    one_build: bool,
}

impl BuildCache {
    /// A fresh, empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache but for `code`: highlighted code an earlier process kept on disk.
    pub fn with_code(code: CodeCache) -> Self {
        Self {
            code,
            ..Self::default()
        }
    }

    /// The cache of one `semester build`: `code` (highlighted code an earlier process kept on
    /// disk), and no parsed pages kept (nothing after it would read them).
    pub fn for_one_build(code: CodeCache) -> Self {
        Self {
            code,
            one_build: true,
            ..Self::default()
        }
    }

    /// What a load of content/ takes from this cache: its parsed pages if it keeps them, and
    /// its parsed front matter.
    pub fn reused(&self) -> crate::load::content::Reused<'_> {
        crate::load::content::Reused {
            pages: (!self.one_build).then_some(&self.sources),
            fronts: Some(&self.fronts),
        }
    }

    /// Forgets what depends on the files at `paths` (below the course at `root`) in a way no key
    /// sees: a page file's parse (below content/), a frozen term's files (below versions/<id>/),
    /// the theme folder's (every frozen term's pages use it). course.yaml, or a path outside
    /// the course, forgets all of these: it is also what a watcher that lost track reports.
    pub fn forget(&self, root: &Path, paths: &[PathBuf]) {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for p in paths {
            let Some(rel) = p
                .strip_prefix(root)
                .or_else(|_| p.strip_prefix(&canonical))
                .ok()
            else {
                self.forget_all();
                continue;
            };
            let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
            match (parts.next().as_deref(), parts.next()) {
                (Some("content"), Some(_)) => {
                    let below: Vec<String> = rel
                        .components()
                        .skip(1)
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    // A folder (renamed or removed) takes every page below it along.
                    if p.is_dir()
                        || !p.exists() && !below.last().is_some_and(|n| n.ends_with(".md"))
                    {
                        self.sources.clear();
                    } else {
                        self.sources.remove(&below.join("/"));
                    }
                }
                (Some("content"), None) => self.sources.clear(),
                (Some("versions"), Some(id)) => {
                    self.frozen.remove(&id.to_string());
                    self.frozen_files.remove(&id.to_string());
                    self.frozen_statics.remove(&id.to_string());
                }
                (Some("themes"), _) => self.frozen_files.clear(),
                (Some("course.yaml"), None) | (Some("versions"), None) => self.forget_all(),
                _ => {}
            }
        }
    }

    fn forget_all(&self) {
        self.sources.clear();
        self.frozen.clear();
        self.frozen_files.clear();
        self.frozen_statics.clear();
    }

    /// The files of frozen version `id` if its inputs still hash to `key`.
    pub fn version(&self, id: &str, key: Key) -> Option<Vec<OutputFile>> {
        self.versions.get(&id.to_string(), key)
    }

    /// Remembers the files of frozen version `id`; their bytes are shared, not copied.
    pub fn store_version(&self, id: &str, key: Key, files: Vec<OutputFile>) -> Vec<OutputFile> {
        let shared: Vec<OutputFile> = files
            .into_iter()
            .map(|f| OutputFile {
                data: match f.data {
                    Data::Bytes(b) => Data::Shared(Arc::new(b)),
                    other => other,
                },
                path: f.path,
            })
            .collect();
        self.versions.put(&id.to_string(), key, shared.clone());
        shared
    }
}
