//! What a long-lived process (`semester serve`) keeps between builds so that a rebuild only
//! does the work its change needs. Each layer owns the memo of its own step (parsed pages,
//! compiled templates, rendered Markdown and pages, highlighted code); this is where they are
//! kept together. Every entry is keyed by the hash of a typed input (`base::memo`), so a hit
//! is always right and nothing has to be invalidated by hand.

use std::sync::Arc;

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, Memo};
use crate::load::content::SourceCache;
use crate::render::highlight::CodeCache;
use crate::render::input::RenderCache;
use crate::render::templates::TemplateCache;

/// The caches of one serving process.
#[derive(Default)]
pub struct BuildCache {
    /// Parsed page files.
    pub sources: SourceCache,
    /// Compiled templates.
    pub templates: TemplateCache,
    /// The current term's rendered Markdown and pages.
    pub render: RenderCache,
    /// Highlighted code blocks, the same store `build` keeps on disk.
    pub code: CodeCache,
    /// Each frozen term's files, by the key of its inputs.
    versions: Memo<String, Vec<OutputFile>>,
}

impl BuildCache {
    /// A fresh, empty cache.
    pub fn new() -> Self {
        Self::default()
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
