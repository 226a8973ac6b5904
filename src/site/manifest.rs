//! What the last build wrote into an output folder, kept in the cache folder
//! ([`super::disk_cache`]), so that the next build of the same folder can tell which of its files
//! are unchanged: a build that would write exactly the same site writes nothing, and one that
//! changes a few files writes only those, in place ([`super::update`]).
//!
//! The record is trusted only while the folder is as the build left it: every file in it is in
//! the record with the same size, modification time and inode, and no other file is there.
//! Anything else (a file edited, added or removed by hand, a folder restored from a CI cache, a
//! build killed while it renamed its files into place) and the build writes a whole new folder
//! as if there were no record. Checking costs one `readdir` per folder and one `fstatat` per
//! file, folders in parallel; nothing is read.
//!
//! The record is binary (bincode), stamped with the binary that wrote it and sealed like every
//! cache file ([`super::disk_cache::write_stamped`]).

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};

/// One file of the output as the last build wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// [`content_key`] of what was written.
    content: Key,
    /// Size in bytes, modification time (ns since the Unix epoch) and inode, after writing.
    size: u64,
    mtime: i128,
    ino: u64,
}

impl Entry {
    /// Whether `m`, the metadata of the file now at the entry's path, is the file written.
    fn is(&self, m: &std::fs::Metadata) -> bool {
        m.file_type().is_file()
            && self.size == m.len()
            && self.mtime == mtime(m)
            && self.ino == m.ino()
    }
}

/// The record of one output folder: each file's path (relative, `/`-separated) and state.
#[derive(Debug, Default)]
pub struct Manifest {
    files: HashMap<String, Entry>,
    /// The output folder it was checked against (set by [`Manifest::load`]).
    out: std::path::PathBuf,
}

/// What a build will change in an output folder whose record was trusted
/// ([`Manifest::changes`]).
#[derive(Debug, Default)]
pub struct Changes {
    /// For each file of the build, the [`content_key`] of what it will hold; `None` for a file
    /// of the folder reused as it is (`Data::Link` to itself), which is not hashed.
    pub keys: Vec<Option<Key>>,
    /// For each file, whether the folder already holds exactly it.
    pub unchanged: Vec<bool>,
    /// Files of the folder the build no longer writes, in path order.
    pub removed: Vec<String>,
}

impl Changes {
    /// How many files the build writes or removes.
    pub fn count(&self) -> usize {
        self.unchanged.iter().filter(|u| !**u).count() + self.removed.len()
    }
}

/// What an output file will hold, as a key: the hash of its bytes, or for a file copied or
/// linked from elsewhere the source's path, size, modification time and inode (reading it to
/// hash it would cost what writing it costs).
fn content_key(f: &OutputFile) -> Option<Key> {
    match &f.data {
        Data::Bytes(b) => Some(key_of(b.as_slice())),
        Data::Static(b) => Some(key_of(*b)),
        Data::Shared(b) => Some(key_of(b.as_slice())),
        Data::Copy(src) | Data::Link(src) => {
            let m = std::fs::metadata(src).ok()?;
            Some(key_of(&(src, m.len(), mtime(&m), m.ino())))
        }
    }
}

fn mtime(m: &std::fs::Metadata) -> i128 {
    i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec())
}

impl Manifest {
    /// The record of `out`, if there is one and the folder is exactly as it says.
    pub fn load(out: &Path) -> Option<Manifest> {
        let path = super::disk_cache::path_for(out, "manifest")?;
        let bytes = super::disk_cache::read_stamped(&path)?;
        let files: Vec<(String, Entry)> = bincode::deserialize(&bytes).ok()?;
        let m = Manifest {
            files: files.into_iter().collect(),
            out: out.to_path_buf(),
        };
        m.matches(out).then_some(m)
    }

    /// Whether every regular file below `out` (but the output marker) is in the record with
    /// its recorded state, and nothing else is there.
    fn matches(&self, out: &Path) -> bool {
        let seen = AtomicUsize::new(0);
        self.matches_below(out, "", &seen) && seen.into_inner() == self.files.len()
    }

    /// [`Self::matches`] for the folder `dir`, whose path in the output is `prefix` (empty, or
    /// ending in `/`), counting the files found in `seen`. Subfolders are checked in parallel;
    /// each file's state is taken relative to its folder's handle (`fstatat`, no path lookup).
    fn matches_below(&self, dir: &Path, prefix: &str, seen: &AtomicUsize) -> bool {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return false;
        };
        let Ok(entries) = rd.collect::<Result<Vec<_>, _>>() else {
            return false;
        };
        entries.par_iter().all(|e| {
            let (Ok(t), Some(name)) = (e.file_type(), e.file_name().to_str().map(str::to_owned))
            else {
                return false;
            };
            let rel = format!("{prefix}{name}");
            if t.is_dir() {
                return self.matches_below(&e.path(), &format!("{rel}/"), seen);
            }
            if rel == super::output::MARKER {
                return true;
            }
            seen.fetch_add(1, Ordering::Relaxed);
            let entry = self.files.get(&rel);
            entry.is_some_and(|r| e.metadata().is_ok_and(|m| r.is(&m)))
        })
    }

    /// Whether the output folder holds `path` as the last build wrote it (it was checked when
    /// the record was loaded): a build cache may stand for that file's bytes.
    pub fn holds(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// What writing `files` into the folder changes: which of them it already holds exactly
    /// (the same content, or the very file of the output at that path: a page a build cache
    /// reused, see [`Self::holds`]) and which of its files are no longer written.
    pub fn changes(&self, files: &[OutputFile]) -> Changes {
        let (keys, unchanged): (Vec<Option<Key>>, Vec<bool>) = files
            .par_iter()
            .map(|f| {
                let recorded = self.files.get(&f.path).map(|e| e.content);
                if matches!(&f.data, Data::Link(src) if *src == self.out.join(&f.path)) {
                    return (None, recorded.is_some());
                }
                let key = content_key(f);
                (key, recorded.is_some() && recorded == key)
            })
            .unzip();
        let written: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let mut removed: Vec<String> = (self.files.keys())
            .filter(|p| !written.contains(p.as_str()))
            .cloned()
            .collect();
        removed.sort();
        Changes {
            keys,
            unchanged,
            removed,
        }
    }

    /// The folders of the output that hold recorded files (`a/b` for `a/b/c.html`): they
    /// exist, and are real folders.
    pub fn folders(&self) -> HashSet<&str> {
        let mut dirs = HashSet::new();
        for path in self.files.keys() {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                p = parent;
            }
        }
        dirs
    }
}

/// Records what `out` now holds, `files` having just been written into it. With `previous` and
/// the `changes` measured against it, the content keys already computed are reused, and with
/// `in_place` (the files left alone were not touched, [`super::update`]) so are the recorded
/// states of the unchanged files: only the files written are hashed and looked at. Only a
/// saving of time: if the record cannot be written, the next build writes a whole new folder.
pub fn record(
    out: &Path,
    files: &[OutputFile],
    previous: Option<(&Manifest, &Changes)>,
    in_place: bool,
) {
    let Some(path) = super::disk_cache::path_for(out, "manifest") else {
        return;
    };
    let entries: Option<Vec<(String, Entry)>> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let old = previous.and_then(|(m, c)| c.unchanged[i].then(|| m.files.get(&f.path))?);
            if let (true, Some(e)) = (in_place, old) {
                return Some((f.path.clone(), e.clone()));
            }
            let known = previous.and_then(|(_, c)| c.keys[i]);
            let content = known
                .or(old.map(|e| e.content))
                .or_else(|| content_key(f))?;
            let meta = std::fs::symlink_metadata(out.join(&f.path)).ok()?;
            let entry = Entry {
                content,
                size: meta.len(),
                mtime: mtime(&meta),
                ino: meta.ino(),
            };
            Some((f.path.clone(), entry))
        })
        .collect();
    // Without a full record, no record: the next build must not trust a partial one.
    let bytes = entries.and_then(|e| bincode::serialize(&e).ok());
    if bytes.is_none_or(|b| super::disk_cache::write_stamped(&path, &b).is_err()) {
        let _ = std::fs::remove_file(&path);
    }
}

/// Forgets the record of `out` (before its files change in a way the record would not see).
pub fn forget(out: &Path) {
    if let Some(path) = super::disk_cache::path_for(out, "manifest") {
        let _ = std::fs::remove_file(path);
    }
}
