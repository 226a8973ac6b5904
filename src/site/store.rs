//! The one cache layer kept on disk: what `build` loads into a [`BuildCache`] before a build and
//! saves from it after, beside the output ([`super::disk_cache`]). The build itself runs the
//! same code as `serve`'s rebuilds: a page, its Markdown or the search index is made again only
//! when the key of its input changed (`base::memo`).
//!
//! Kept per output folder: each page's rendered Markdown (by source path: its key and the
//! render, HTML, headings, ids and messages), and the key of each output page and of each
//! term's search index. The bytes of a page or an index are not copied into the cache: they
//! are the files of the previous output, trusted only while its record
//! ([`super::manifest::Manifest`]) says the folder is exactly as the last build left it.
//! Otherwise only the rendered Markdown is reused.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};
use crate::base::options::BuildOptions;
use crate::render::markdown::Rendered;
use crate::site::cache::BuildCache;
use crate::site::disk_cache;
use crate::site::manifest::Manifest;

/// The file's contents (after the stamp of the binary, see `disk_cache::STAMP`).
#[derive(Serialize, Deserialize, Default)]
struct Kept {
    /// The key of the build switches it was made with: a build with others starts cold.
    options: Key,
    /// Rendered Markdown: source path (`labs/01.md`), key of its input, the render.
    markdown: Vec<(String, Key, Shared)>,
    /// Output pages: output path, key of its input.
    pages: Vec<(String, Key)>,
    /// Search indexes: term id, key of its input, the output paths of its files.
    search: Vec<(String, Key, Vec<String>)>,
}

/// A render as the memo shares it, written and read as the render itself (not copied to be
/// written).
struct Shared(Arc<Rendered>);

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.as_ref().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Rendered::deserialize(d).map(|r| Shared(Arc::new(r)))
    }
}

/// A build's cache as loaded, with what was kept (to tell at the end whether anything changed).
pub struct Loaded {
    /// The cache to build with.
    pub cache: BuildCache,
    /// The key of the build switches.
    options: Key,
    /// The key of every kept name and input key, as loaded ([`Kept::digest`]).
    digest: Key,
    /// The input key of each page's Markdown, as loaded.
    markdown: HashMap<String, Key>,
}

impl Kept {
    /// The key of its names and input keys: equal for two caches that hold the same outputs.
    fn digest(&self) -> Key {
        let markdown: Vec<(&String, &Key)> = self.markdown.iter().map(|(n, k, _)| (n, k)).collect();
        key_of(&(self.options, markdown, &self.pages, &self.search))
    }
}

/// The cache of builds into `out` with `options`: the highlighted code, and what the last build
/// into `out` with the same switches kept of its render. Pages and indexes are taken only with
/// `previous`, the record of `out` checked against the folder (their bytes are its files).
pub fn load(out: &Path, options: &BuildOptions, previous: Option<&Manifest>) -> Loaded {
    let code = disk_cache::load_code(disk_cache::code_path(out).as_deref());
    let cache = BuildCache::with_code(code);
    let options = key_of(options);
    let kept: Kept = disk_cache::path_for(out, "render")
        .and_then(|p| disk_cache::read_stamped(&p))
        .and_then(|b| bincode::deserialize::<Kept>(&b).ok())
        .filter(|k| k.options == options)
        .unwrap_or_default();
    let digest = kept.digest();
    let markdown = kept
        .markdown
        .iter()
        .map(|(n, k, _)| (n.clone(), *k))
        .collect();
    let render = &cache.render;
    for (rel, key, r) in kept.markdown {
        render.markdown.put(&rel, key, r.0);
    }
    if let Some(m) = previous {
        let file = |path: &String| {
            m.holds(path).then(|| OutputFile {
                path: path.clone(),
                data: Data::Link(out.join(path)),
            })
        };
        for (path, key) in kept.pages {
            if let Some(f) = file(&path) {
                render.pages.put(&path, key, f.data);
            }
        }
        for (term, key, paths) in kept.search {
            let files: Option<Vec<OutputFile>> = paths.iter().map(file).collect();
            if let Some(files) = files {
                render.search.keep_files(&term, key, files);
            }
        }
        if let Some(path) = disk_cache::path_for(out, "search") {
            render
                .search
                .read_stored_with(move || disk_cache::read_stamped(&path));
        }
    }
    Loaded {
        cache,
        options,
        digest,
        markdown,
    }
}

/// Keeps what the build into `out` made with `loaded`'s cache for the next one: of its render
/// only what is in its output `files` and its pages' `sources` (a page removed since is
/// forgotten); the code it highlighted, when it rendered every page's Markdown (the code
/// cache holds the blocks one build used; the blocks of a page whose Markdown was reused are
/// not seen, and the cache of the last whole render stays). Only a saving of time: if it cannot
/// be written, the next build is cold.
pub fn save(out: &Path, loaded: &Loaded, files: &[OutputFile], sources: &[&str]) {
    let cache = &loaded.cache;
    let now: HashMap<String, Key> = cache
        .render
        .markdown
        .entries()
        .into_iter()
        .map(|(n, k, _)| (n, k))
        .collect();
    let rendered_all = sources
        .iter()
        .all(|rel| loaded.markdown.get(*rel) != now.get(*rel));
    if rendered_all {
        disk_cache::save_code(disk_cache::code_path(out).as_deref(), &cache.code);
    }
    save_search(out, loaded, files);
    let Some(path) = disk_cache::path_for(out, "render") else {
        return;
    };
    let kept = kept_of(loaded, files, sources);
    if kept.digest() == loaded.digest {
        return;
    }
    match bincode::serialize(&kept) {
        Ok(bytes) => {
            let _ = disk_cache::write_stamped(&path, &bytes);
        }
        Err(_) => {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Keeps what patching the search indexes in `files` takes, when the build made one.
fn save_search(out: &Path, loaded: &Loaded, files: &[OutputFile]) {
    let written: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let search = &loaded.cache.render.search;
    let terms: HashSet<String> = search
        .kept_files()
        .into_iter()
        .filter(|(.., paths)| paths.iter().all(|p| written.contains(p.as_str())))
        .map(|(term, ..)| term)
        .collect();
    let bytes = search.to_bytes(|term| terms.contains(term));
    let (Some(path), Some(bytes)) = (disk_cache::path_for(out, "search"), bytes) else {
        return;
    };
    if disk_cache::write_stamped(&path, &bytes).is_err() {
        let _ = std::fs::remove_file(&path);
    }
}

/// What to keep of `loaded`'s render after a build that wrote `files` from `sources`, sorted
/// so that the same cache writes the same file.
fn kept_of(loaded: &Loaded, files: &[OutputFile], sources: &[&str]) -> Kept {
    let written: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let sources: HashSet<&str> = sources.iter().copied().collect();
    let render = &loaded.cache.render;
    let mut kept = Kept {
        options: loaded.options,
        markdown: render
            .markdown
            .entries()
            .into_iter()
            .filter(|(rel, ..)| sources.contains(rel.as_str()))
            .map(|(rel, key, r)| (rel, key, Shared(r)))
            .collect(),
        pages: render
            .pages
            .entries()
            .into_iter()
            .filter(|(path, ..)| written.contains(path.as_str()))
            .map(|(path, key, _)| (path, key))
            .collect(),
        search: render
            .search
            .kept_files()
            .into_iter()
            .filter(|(_, _, paths)| paths.iter().all(|p| written.contains(p.as_str())))
            .collect(),
    };
    kept.markdown.sort_by(|a, b| a.0.cmp(&b.0));
    kept.pages.sort();
    kept.search.sort();
    kept
}
