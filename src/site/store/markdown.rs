//! The index of the renders the last build kept (`<output name>.markdown`): each page's
//! rendered Markdown by source path, with its key, headings, ids, anchors and messages, and
//! where its HTML is kept ([`super::renders`]). It is read on a thread of its own while the
//! course loads, and joined when the render first asks for a page's Markdown. A save that
//! changes a few renders writes only those, into a delta file (`<output name>.markdown.delta`)
//! bound to the index it changes; one that changes many writes the whole index again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

use super::SetDigest;
use super::renders::{Renders, Slot};
use crate::base::diagnostics::Diagnostic;
use crate::base::memo::{Key, Memo, lock};
use crate::render::markdown::{AnchorRef, Heading, Rendered};
use crate::site::disk_cache;

/// The index file's contents (after the stamp of the binary), with `R` what is kept of each
/// render but its HTML ([`Outline`] as read, [`OutlineOf`] as written).
#[derive(Serialize, Deserialize)]
struct Index<R> {
    /// The key of the build switches it was made with: a build with others starts cold.
    options: Key,
    /// Source path (`labs/01.md`), key of its input, the render but its HTML, and where its
    /// HTML is kept.
    entries: Vec<(String, Key, R, Slot)>,
}

/// The renders changed since the index it is bound to (by that index's digest).
/// `E` is an entry of the index and `N` a source path, as read or (by reference) as written.
#[derive(Serialize, Deserialize)]
struct Delta<E, N> {
    options: Key,
    base: SetDigest,
    /// Renders added or changed since.
    entries: Vec<E>,
    /// Pages whose render is gone since.
    removed: Vec<N>,
}

/// The delta file of the index at `path`.
fn delta_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".delta");
    PathBuf::from(p)
}

/// A render but its HTML, as read: what every build uses of every page (a page's headings
/// are part of its output's key, its ids are what links into it are checked against).
type Outline = (Vec<Heading>, Vec<AnchorRef>, Vec<String>, Vec<Diagnostic>);

/// A render but its HTML, as written (read as an [`Outline`]).
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

/// What the index said, to tell at the end what changed.
#[derive(Default)]
pub struct Read {
    /// The input key of each page's Markdown and where its HTML is kept.
    pub slots: HashMap<String, (Key, Slot)>,
    /// The digest of its names and keys.
    pub digest: SetDigest,
    /// The same of the index file alone (without its delta).
    base: HashMap<String, Key>,
    base_digest: SetDigest,
}

/// The renders kept by the last build, read on another thread.
pub struct Kept {
    thread: Mutex<Option<JoinHandle<(Read, Entries)>>>,
    read: OnceLock<Read>,
    entries: Mutex<Entries>,
}

type Entries = Vec<(String, Key, Arc<Rendered>)>;

impl Kept {
    /// Starts reading the index at `path` (`None`: nothing kept) of builds with switches
    /// `options`, its renders' HTML to be read from `renders` when used.
    pub fn start(path: Option<PathBuf>, options: Key, renders: &Arc<Renders>) -> Arc<Kept> {
        let renders = Arc::clone(renders);
        let thread = path.and_then(|path| {
            std::thread::Builder::new()
                .name("semester-cache".into())
                .spawn(move || read(&path, options, &renders))
                .ok()
        });
        Arc::new(Kept {
            thread: Mutex::new(thread),
            read: OnceLock::new(),
            entries: Mutex::new(Vec::new()),
        })
    }

    /// What the index said (waiting for the thread if it is still reading).
    pub fn read(&self) -> &Read {
        self.read.get_or_init(|| {
            let thread = lock(&self.thread).take();
            let (read, entries) = thread.and_then(|t| t.join().ok()).unwrap_or_default();
            *lock(&self.entries) = entries;
            read
        })
    }

    /// Puts the kept renders into `memo` when it is first used.
    pub fn fill_later(self: &Arc<Self>, memo: &Memo<String, Arc<Rendered>>) {
        let kept = Arc::clone(self);
        memo.fill_later(move || {
            kept.read();
            std::mem::take(&mut *lock(&kept.entries))
        });
    }
}

/// The index at `path` with its delta, if it is one of this binary for builds with
/// `options`, and its renders.
fn read(path: &Path, options: Key, renders: &Arc<Renders>) -> (Read, Entries) {
    let mut all: Vec<(String, Key, Outline, Slot)> = disk_cache::read_stamped(path)
        .and_then(|b| bincode::deserialize::<Index<Outline>>(&b).ok())
        .filter(|i| i.options == options)
        .map(|i| i.entries)
        .unwrap_or_default();
    let mut read = Read::default();
    for (rel, key, ..) in &all {
        read.base_digest.add(&(rel, *key));
        read.base.insert(rel.clone(), *key);
    }
    let delta = disk_cache::read_stamped(&delta_path(path))
        .and_then(|b| bincode::deserialize::<Delta<(String, Key, Outline, Slot), String>>(&b).ok())
        .filter(|d| d.options == options && d.base == read.base_digest && !read.base.is_empty());
    if let Some(delta) = delta {
        let gone: HashSet<&String> = delta
            .removed
            .iter()
            .chain(delta.entries.iter().map(|e| &e.0))
            .collect();
        all.retain(|e| !gone.contains(&e.0));
        all.extend(delta.entries);
    }
    let mut entries = Vec::with_capacity(all.len());
    for (rel, key, outline, slot) in all {
        let (headings, anchors, ids, diagnostics) = outline;
        let r = Rendered {
            html: renders.lazy(slot),
            headings,
            anchors,
            ids,
            diagnostics,
            key,
        };
        read.digest.add(&(&rel, key));
        read.slots.insert(rel.clone(), (key, slot));
        entries.push((rel, key, Arc::new(r)));
    }
    (read, entries)
}

/// Whether the renders of `memo` for the pages of `sources` are those the index named.
pub fn unchanged(read: &Read, memo: &Memo<String, Arc<Rendered>>, sources: &HashSet<&str>) -> bool {
    let mut now = SetDigest::default();
    memo.visit(|rel, key, _| {
        if sources.contains(rel.as_str()) {
            now.add(&(rel, key));
        }
    });
    now == read.digest
}

/// Whether some page of `sources` reused its render from the index.
pub fn reused_any(
    read: &Read,
    memo: &Memo<String, Arc<Rendered>>,
    sources: &HashSet<&str>,
) -> bool {
    let mut any = false;
    memo.visit(|rel, key, _| {
        any |=
            sources.contains(rel.as_str()) && read.slots.get(rel).is_some_and(|(k, _)| *k == key);
    });
    any
}

/// A render as written: source path, key, the render, where its HTML is kept.
type Entry = (String, Key, OutlineOf, Slot);

/// Writes the index of the renders of `memo` for the pages of `sources` to `path` (only what
/// changed since the index file, into its delta file, when that is little), with the HTML of
/// those not kept yet written to `renders`, and removes the renders no longer named.
pub fn write(
    path: &Path,
    options: Key,
    (read, renders): (&Read, &Renders),
    memo: &Memo<String, Arc<Rendered>>,
    sources: &HashSet<&str>,
) {
    let (old, new): (Vec<_>, Vec<_>) = memo
        .entries()
        .into_iter()
        .filter(|(rel, ..)| sources.contains(rel.as_str()))
        .map(|(rel, key, r)| {
            let slot = read.slots.get(&rel).filter(|(k, _)| *k == key);
            (rel, key, r, slot.map(|(_, s)| *s))
        })
        .partition(|(.., slot)| slot.is_some());
    let htmls: Vec<&str> = new.iter().map(|(_, _, r, _)| r.html.as_str()).collect();
    let slots = renders.write(&htmls);
    let new = new
        .into_iter()
        .zip(slots)
        .map(|((rel, key, r, _), s)| (rel, key, r, s));
    let mut entries: Vec<Entry> = old
        .into_iter()
        .chain(new)
        .filter_map(|(rel, key, r, slot)| Some((rel, key, OutlineOf(r), slot?)))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let now: HashSet<u128> = entries.iter().map(|(.., s)| s.tag).collect();
    let before: Vec<Slot> = read.slots.values().map(|(_, s)| *s).collect();
    let whole = !write_delta(path, options, read, &entries);
    if whole {
        let index = Index { options, entries };
        let written = bincode::serialize(&index)
            .ok()
            .is_some_and(|bytes| disk_cache::write_stamped(path, &bytes).is_ok());
        let _ = std::fs::remove_file(delta_path(path));
        if !written {
            let _ = std::fs::remove_file(path);
            return;
        }
    }
    renders.remove_unused(&before, &now, whole);
}

/// Writes what changed in `entries` since the index file of `read` into its delta file, if
/// that is little (at most one render in 16, or 32); whether it did.
fn write_delta(path: &Path, options: Key, read: &Read, entries: &[Entry]) -> bool {
    let changed: Vec<&Entry> = entries
        .iter()
        .filter(|(rel, key, ..)| read.base.get(rel) != Some(key))
        .collect();
    let named: HashSet<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    let removed: Vec<&String> = read
        .base
        .keys()
        .filter(|rel| !named.contains(rel.as_str()))
        .collect();
    let little = (read.base.len() / 16).max(32);
    if read.base.is_empty() || changed.len() + removed.len() > little {
        return false;
    }
    let delta = Delta {
        options,
        base: read.base_digest,
        entries: changed,
        removed,
    };
    bincode::serialize(&delta)
        .ok()
        .is_some_and(|bytes| disk_cache::write_stamped(&delta_path(path), &bytes).is_ok())
}
