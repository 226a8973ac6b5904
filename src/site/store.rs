//! The one cache layer kept on disk: what `build` loads into a [`BuildCache`] before a build and
//! saves from it after, beside the output ([`super::disk_cache`]). The build itself runs the
//! same code as `serve`'s rebuilds: a page, its Markdown or the search index is made again only
//! when the key of its input changed (`base::memo`).
//!
//! Kept per output folder: each page's rendered Markdown ([`markdown`], an index read on a
//! thread of its own while the course loads; the HTML of each render in a file of its own,
//! [`renders`], read only when a build uses it), and the key of each output page and of each
//! term's search index (`<output name>.render`), and each page's front matter as parsed
//! ([`fronts`]). A save writes only the renders the build
//! made, and the indexes only when something changed: loading and saving cost what changed,
//! not what the cache holds. The bytes of a page or an index are not copied into the cache:
//! they are the files of the previous output, trusted only while its record
//! ([`super::manifest::Manifest`]) says the folder is exactly as the last build left it.
//! Otherwise only the rendered Markdown is reused.

mod fronts;
mod markdown;
mod renders;

use std::collections::HashSet;
use std::hash::Hash;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};
use crate::base::options::BuildOptions;
use crate::load::content::Content;
use crate::site::cache::BuildCache;
use crate::site::disk_cache;
use crate::site::manifest::Manifest;
use renders::Renders;

/// The outputs' index file (after the stamp of the binary, see `disk_cache::STAMP`).
#[derive(Serialize, Deserialize, Default)]
struct Outputs {
    /// The key of the build switches it was made with: a build with others starts cold.
    options: Key,
    /// Output pages: output path, key of its input.
    pages: Vec<(String, Key)>,
    /// Search indexes: term id, key of its input, the output paths of its files.
    search: Vec<(String, Key, Vec<String>)>,
}

/// The digest of a set, whatever the order it is seen in: how many, and the wrapping sum of
/// the key of each. Two caches that hold the same names and keys have the same.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetDigest {
    count: usize,
    sum: Key,
}

impl SetDigest {
    /// Counts `item` in.
    fn add<T: Hash + ?Sized>(&mut self, item: &T) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(key_of(item));
    }
}

/// A build's cache as loaded, with what was kept (to tell at the end whether anything changed).
pub struct Loaded {
    /// The cache to build with.
    pub cache: BuildCache,
    /// The key of the build switches.
    options: Key,
    /// The digest of the outputs' index as loaded ([`outputs_digest`]).
    outputs: SetDigest,
    /// The renders the last build kept (read on another thread).
    markdown: Arc<markdown::Kept>,
    /// The folder of the renders' HTML.
    renders: Arc<Renders>,
    /// The pages' front matter the last build kept (read on another thread).
    fronts: fronts::Kept,
}

impl Loaded {
    /// Whether the build read a render that was not as the index named it (the cache changed
    /// under it, or was tampered with): what it built must be thrown away and built again
    /// with [`cold`].
    pub fn damaged(&self) -> bool {
        self.renders.damaged()
    }
}

/// The cache of builds into `out` with `options`: the highlighted code, and what the last build
/// into `out` with the same switches kept of its render. Pages and indexes are taken only with
/// `previous`, the record of `out` checked against the folder (their bytes are its files).
/// The renders' index is read on another thread; the HTML of the renders, and the highlighted
/// code, are read only when the build uses them.
pub fn load(out: &Path, options: &BuildOptions, previous: Option<&Manifest>) -> Loaded {
    let options = key_of(options);
    let renders = Renders::new(disk_cache::path_for(out, "renders"));
    let markdown = markdown::Kept::start(disk_cache::path_for(out, "markdown"), options, &renders);
    let cache =
        BuildCache::for_one_build(disk_cache::load_code(disk_cache::code_path(out).as_deref()));
    let fronts = fronts::start(disk_cache::path_for(out, "fronts"), &cache.fronts);
    let mut loaded = Loaded {
        cache,
        options,
        outputs: SetDigest::default(),
        markdown,
        renders,
        fronts,
    };
    loaded.markdown.fill_later(&loaded.cache.render.markdown);
    let kept: Outputs = disk_cache::path_for(out, "render")
        .and_then(|p| disk_cache::read_stamped(&p))
        .and_then(|b| bincode::deserialize::<Outputs>(&b).ok())
        .filter(|k| k.options == options)
        .unwrap_or_default();
    loaded.outputs = outputs_digest(&kept);
    let Some(m) = previous else {
        return loaded;
    };
    let render = &loaded.cache.render;
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
    loaded
}

/// The cache of builds into `out` with `options` with nothing of an earlier render: the
/// highlighted code only (read when used).
pub fn cold(out: &Path, options: &BuildOptions) -> Loaded {
    let renders = Renders::new(disk_cache::path_for(out, "renders"));
    let cache =
        BuildCache::for_one_build(disk_cache::load_code(disk_cache::code_path(out).as_deref()));
    let fronts = fronts::start(disk_cache::path_for(out, "fronts"), &cache.fronts);
    Loaded {
        cache,
        options: key_of(options),
        outputs: SetDigest::default(),
        markdown: markdown::Kept::start(None, 0, &renders),
        renders,
        fronts,
    }
}

/// The digest of an outputs' index (what a save compares with, see [`SetDigest`]).
fn outputs_digest(kept: &Outputs) -> SetDigest {
    let mut d = SetDigest::default();
    kept.pages.iter().for_each(|(p, k)| d.add(&(p, k)));
    kept.search.iter().for_each(|(t, k, p)| d.add(&(t, k, p)));
    d
}

/// Keeps what the build into `out` made with `loaded`'s cache for the next one: of its render
/// only what is in its output `files` and of its `content`'s pages (a page removed since is
/// forgotten; of a page withheld from this build, only its front matter), writing only the renders it made, and each index only if it changed; the code
/// it highlighted, when it rendered every page's Markdown (the code cache holds the blocks one
/// build used; the blocks of a page whose Markdown was reused are not seen, and the cache of
/// the last whole render stays). Nothing after a damaged build. Only a saving of time: if it
/// cannot be written, the next build is cold.
pub fn save(out: &Path, loaded: &Loaded, files: &[OutputFile], content: &Content) {
    let published: Vec<&str> = content.pages.iter().map(|p| p.rel.as_str()).collect();
    let withheld: Vec<&str> = content
        .withheld
        .iter()
        .map(|w| w.page.rel.as_str())
        .collect();
    save_sources(out, loaded, files, &published, &withheld);
}

/// [`save`], with the paths (below content/) of the pages published and of those withheld.
fn save_sources(
    out: &Path,
    loaded: &Loaded,
    files: &[OutputFile],
    published: &[&str],
    withheld: &[&str],
) {
    if loaded.damaged() {
        return;
    }
    let sources: HashSet<&str> = published.iter().copied().collect();
    let parsed: HashSet<&str> = sources.iter().chain(withheld).copied().collect();
    let path = disk_cache::path_for(out, "fronts");
    fronts::save(path, &loaded.fronts, &loaded.cache.fronts, &parsed);
    let render = &loaded.cache.render;
    let read = loaded.markdown.read();
    if !markdown::reused_any(read, &render.markdown, &sources) {
        disk_cache::save_code(disk_cache::code_path(out).as_deref(), &loaded.cache.code);
    }
    if let Some(path) = disk_cache::path_for(out, "markdown")
        && !markdown::unchanged(read, &render.markdown, &sources)
    {
        let at = (read, loaded.renders.as_ref());
        markdown::write(&path, loaded.options, at, &render.markdown, &sources);
    }
    let written: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    save_search(out, loaded, &written);
    let mut now = SetDigest::default();
    render.pages.visit(|path, key, _| {
        if written.contains(path.as_str()) {
            now.add(&(path, key));
        }
    });
    let kept = outputs_of(loaded, &written, false);
    kept.search.iter().for_each(|(t, k, p)| now.add(&(t, k, p)));
    if now == loaded.outputs {
        return;
    }
    let kept = outputs_of(loaded, &written, true);
    let Some(path) = disk_cache::path_for(out, "render") else {
        return;
    };
    let written = bincode::serialize(&kept)
        .ok()
        .is_some_and(|bytes| disk_cache::write_stamped(&path, &bytes).is_ok());
    if !written {
        let _ = std::fs::remove_file(&path);
    }
}

/// Keeps what patching the search indexes among the `written` files takes, when the build
/// made one.
fn save_search(out: &Path, loaded: &Loaded, written: &HashSet<&str>) {
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

/// The outputs of `loaded`'s render among the `written` files (the search indexes only, but
/// for `pages`), sorted so that the same cache writes the same file.
fn outputs_of(loaded: &Loaded, written: &HashSet<&str>, pages: bool) -> Outputs {
    let render = &loaded.cache.render;
    let mut kept = Outputs {
        options: loaded.options,
        pages: Vec::new(),
        search: Vec::new(),
    };
    render.pages.visit(|path, key, _| {
        if pages && written.contains(path.as_str()) {
            kept.pages.push((path.clone(), key));
        }
    });
    let search = render.search.kept_files().into_iter();
    kept.search = search
        .filter(|(_, _, paths)| paths.iter().all(|p| written.contains(p.as_str())))
        .collect();
    kept.pages.sort();
    kept.search.sort();
    kept
}

#[cfg(test)]
mod tests;
