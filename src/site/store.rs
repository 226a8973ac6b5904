//! The one cache layer kept on disk: what `build` loads into a [`BuildCache`] before a build and
//! saves from it after, beside the output ([`super::disk_cache`]). The build itself runs the
//! same code as `serve`'s rebuilds: a page, its Markdown or the search index is made again only
//! when the key of its input changed (`base::memo`).
//!
//! Kept per output folder: an index (`<output name>.render`) of each page's rendered Markdown
//! (by source path: its key, headings, ids, anchors and messages, and where its HTML is kept),
//! and the key of each output page and of each term's search index. The HTML of the renders is
//! kept one file each ([`renders`]) and read only when a build uses it, so loading and saving
//! cost what changed, not what the cache holds. The bytes of a page or an index are not copied
//! into the cache: they are the files of the previous output, trusted only while its record
//! ([`super::manifest::Manifest`]) says the folder is exactly as the last build left it.
//! Otherwise only the rendered Markdown is reused.

mod renders;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::base::diagnostics::Diagnostic;
use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};
use crate::base::options::BuildOptions;
use crate::render::markdown::{AnchorRef, Heading, Rendered};
use crate::site::cache::BuildCache;
use crate::site::disk_cache;
use crate::site::manifest::Manifest;
use renders::{Renders, Slot};

/// The index file's contents (after the stamp of the binary, see `disk_cache::STAMP`), with
/// `R` what is kept of each render but its HTML ([`Outline`] as read, [`OutlineOf`] as written).
#[derive(Serialize, Deserialize)]
struct Kept<R> {
    /// The key of the build switches it was made with: a build with others starts cold.
    options: Key,
    /// Rendered Markdown: source path (`labs/01.md`), key of its input, the render but its
    /// HTML, and where its HTML is kept.
    markdown: Vec<(String, Key, R, Slot)>,
    /// Output pages: output path, key of its input.
    pages: Vec<(String, Key)>,
    /// Search indexes: term id, key of its input, the output paths of its files.
    search: Vec<(String, Key, Vec<String>)>,
}

impl<R> Kept<R> {
    /// The key of its names and input keys: equal for two caches that hold the same outputs.
    fn digest(&self) -> Key {
        let markdown: Vec<(&String, &Key)> =
            self.markdown.iter().map(|(n, k, ..)| (n, k)).collect();
        key_of(&(self.options, markdown, &self.pages, &self.search))
    }
}

impl<R> Default for Kept<R> {
    fn default() -> Self {
        Kept {
            options: 0,
            markdown: Vec::new(),
            pages: Vec::new(),
            search: Vec::new(),
        }
    }
}

/// A render but its HTML, as read: what every build uses of every page (a page's headings
/// are part of its output's key, its ids are what links into it are checked against).
type Outline = (Vec<Heading>, Vec<AnchorRef>, Vec<String>, Vec<Diagnostic>);

/// A render but its HTML, as written (written as an [`Outline`]).
struct OutlineOf(Arc<Rendered>);

impl Serialize for OutlineOf {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Rendered {
            html: _,
            headings,
            anchors,
            ids,
            diagnostics,
            key: _,
        } = self.0.as_ref();
        (headings, anchors, ids, diagnostics).serialize(s)
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
    /// The input key of each page's Markdown and where its HTML is kept, as loaded.
    markdown: HashMap<String, (Key, Slot)>,
    /// The folder of the renders' HTML.
    renders: Arc<Renders>,
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
/// The HTML of the renders, and the highlighted code, are read only when the build uses them.
pub fn load(out: &Path, options: &BuildOptions, previous: Option<&Manifest>) -> Loaded {
    let mut loaded = cold(out, options);
    let kept: Kept<Outline> = disk_cache::path_for(out, "render")
        .and_then(|p| disk_cache::read_stamped(&p))
        .and_then(|b| bincode::deserialize::<Kept<Outline>>(&b).ok())
        .filter(|k| k.options == loaded.options)
        .unwrap_or_default();
    loaded.digest = kept.digest();
    let render = &loaded.cache.render;
    for (rel, key, outline, slot) in kept.markdown {
        let (headings, anchors, ids, diagnostics) = outline;
        let r = Rendered {
            html: loaded.renders.lazy(slot),
            headings,
            anchors,
            ids,
            diagnostics,
            key,
        };
        render.markdown.put(&rel, key, Arc::new(r));
        loaded.markdown.insert(rel, (key, slot));
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
                render.search.memo.put(&term, key, Arc::new(files));
            }
        }
    }
    loaded
}

/// The cache of builds into `out` with `options` with nothing of an earlier render: the
/// highlighted code only (read when used).
pub fn cold(out: &Path, options: &BuildOptions) -> Loaded {
    let code = disk_cache::load_code(disk_cache::code_path(out).as_deref());
    Loaded {
        cache: BuildCache::with_code(code),
        options: key_of(options),
        digest: Kept::<Outline>::default().digest(),
        markdown: HashMap::new(),
        renders: Renders::new(disk_cache::path_for(out, "renders")),
    }
}

/// Keeps what the build into `out` made with `loaded`'s cache for the next one: of its render
/// only what is in its output `files` and its pages' `sources` (a page removed since is
/// forgotten), writing only the renders it made; the code it highlighted, when it rendered
/// every page's Markdown (the code cache holds the blocks one build used; the blocks of a page
/// whose Markdown was reused are not seen, and the cache of the last whole render stays).
/// Nothing after a damaged build. Only a saving of time: if it cannot be written, the next
/// build is cold.
pub fn save(out: &Path, loaded: &Loaded, files: &[OutputFile], sources: &[&str]) {
    if loaded.damaged() {
        return;
    }
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
        .all(|rel| loaded.markdown.get(*rel).map(|(k, _)| k) != now.get(*rel));
    if rendered_all {
        disk_cache::save_code(disk_cache::code_path(out).as_deref(), &cache.code);
    }
    let Some(path) = disk_cache::path_for(out, "render") else {
        return;
    };
    let kept = kept_of(loaded, files, sources);
    if kept.digest() == loaded.digest {
        return;
    }
    let written = bincode::serialize(&kept)
        .ok()
        .is_some_and(|bytes| disk_cache::write_stamped(&path, &bytes).is_ok());
    if !written {
        let _ = std::fs::remove_file(&path);
        return;
    }
    let now: HashSet<u128> = kept.markdown.iter().map(|(.., s)| s.tag).collect();
    let before: Vec<Slot> = loaded.markdown.values().map(|(_, s)| *s).collect();
    loaded
        .renders
        .remove_unused(&before, &now, loaded.markdown.is_empty());
}

/// What to keep of `loaded`'s render after a build that wrote `files` from `sources`, sorted
/// so that the same cache writes the same file; the HTML of the renders it made is written.
fn kept_of(loaded: &Loaded, files: &[OutputFile], sources: &[&str]) -> Kept<OutlineOf> {
    let written: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let sources: HashSet<&str> = sources.iter().copied().collect();
    let render = &loaded.cache.render;
    let mut kept = Kept {
        options: loaded.options,
        markdown: markdown_of(loaded, &sources),
        pages: render
            .pages
            .entries()
            .into_iter()
            .filter(|(path, ..)| written.contains(path.as_str()))
            .map(|(path, key, _)| (path, key))
            .collect(),
        search: render
            .search
            .memo
            .entries()
            .into_iter()
            .filter(|(_, _, f)| f.iter().all(|f| written.contains(f.path.as_str())))
            .map(|(term, key, f)| (term, key, f.iter().map(|f| f.path.clone()).collect()))
            .collect(),
    };
    kept.markdown.sort_by(|a, b| a.0.cmp(&b.0));
    kept.pages.sort();
    kept.search.sort();
    kept
}

/// The renders of the pages of `sources`, each with where its HTML is kept: where it was
/// when it was loaded, else written now (a render whose HTML cannot be written is left out).
fn markdown_of(loaded: &Loaded, sources: &HashSet<&str>) -> Vec<(String, Key, OutlineOf, Slot)> {
    let (old, new): (Vec<_>, Vec<_>) = loaded
        .cache
        .render
        .markdown
        .entries()
        .into_iter()
        .filter(|(rel, ..)| sources.contains(rel.as_str()))
        .map(|(rel, key, r)| {
            let slot = loaded
                .markdown
                .get(&rel)
                .filter(|(k, _)| *k == key)
                .map(|(_, s)| *s);
            (rel, key, r, slot)
        })
        .partition(|(.., slot)| slot.is_some());
    let htmls: Vec<&str> = new.iter().map(|(_, _, r, _)| r.html.as_str()).collect();
    let slots = loaded.renders.write(&htmls);
    let new: Vec<_> = new
        .iter()
        .zip(slots)
        .filter_map(|((rel, key, r, _), slot)| Some((rel.clone(), *key, Arc::clone(r), slot?)))
        .collect();
    old.into_iter()
        .filter_map(|(rel, key, r, slot)| Some((rel, key, r, slot?)))
        .chain(new)
        .map(|(rel, key, r, slot)| (rel, key, OutlineOf(r), slot))
        .collect()
}
