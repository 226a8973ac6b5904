//! What the last build wrote into an output folder, kept in the cache folder
//! ([`super::disk_cache`]), so that the next build of the same folder can tell which of its files
//! are unchanged: a build that would write exactly the same site writes nothing, and one that
//! changes a few files links the others from the old site into the new one instead of writing
//! them again. The new site is still swapped in whole (a killed build leaves the old site).
//!
//! The record is trusted only while the folder is as the build left it: every file in it is in
//! the record with the same size, modification time and inode, and no other file is there.
//! Anything else (a file edited, added or removed by hand, a folder restored from a CI cache)
//! and the build writes every file as if there were no record.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, hex, key_of};

/// One file of the output as the last build wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// [`content_key`] of what was written, in hex.
    content: String,
    /// Size in bytes, modification time (ns since the Unix epoch) and inode, after writing.
    size: u64,
    mtime: i128,
    ino: u64,
}

/// The record of one output folder: each file's path (relative, `/`-separated) and state.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    files: BTreeMap<String, Entry>,
    /// The output folder it was checked against (set by [`Manifest::load`]).
    #[serde(skip)]
    out: std::path::PathBuf,
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
        let bytes = super::disk_cache::read(&path)?;
        let mut m: Manifest = serde_json::from_slice(&bytes).ok()?;
        m.out = out.to_path_buf();
        m.matches(out).then_some(m)
    }

    /// Whether every regular file below `out` (but the output marker) is in the record with
    /// its recorded state, and nothing else is there.
    fn matches(&self, out: &Path) -> bool {
        let mut seen = 0usize;
        for e in walkdir::WalkDir::new(out).min_depth(1) {
            let Ok(e) = e else { return false };
            let t = e.file_type();
            if t.is_dir() {
                continue;
            }
            let Some(rel) = relative(out, e.path()) else {
                return false;
            };
            if rel == super::output::MARKER {
                continue;
            }
            let Ok(m) = e.metadata() else { return false };
            let same = self.files.get(&rel).is_some_and(|r| {
                t.is_file() && r.size == m.len() && r.mtime == mtime(&m) && r.ino == m.ino()
            });
            if !same {
                return false;
            }
            seen += 1;
        }
        seen == self.files.len()
    }

    /// Whether the output folder holds `path` as the last build wrote it (it was checked when
    /// the record was loaded): a build cache may stand for that file's bytes.
    pub fn holds(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// For each of `files`, whether the output already holds exactly it: the same content, or
    /// the very file of the output at that path (a page a build cache reused, see `holds`).
    pub fn unchanged(&self, files: &[OutputFile]) -> Vec<bool> {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|f| {
                let recorded = self.files.get(&f.path).map(|e| e.content.as_str());
                let itself = matches!(&f.data, Data::Link(src) if *src == self.out.join(&f.path));
                recorded.is_some() && (itself || recorded == content_key(f).map(hex).as_deref())
            })
            .collect()
    }

    /// Whether the output already is exactly `files`: no file to write, none to remove.
    pub fn is_exactly(&self, files: &[OutputFile], unchanged: &[bool]) -> bool {
        files.len() == self.files.len() && unchanged.iter().all(|u| *u)
    }
}

/// Records what `out` now holds, `files` having just been written into it. Only a saving of
/// time: if the record cannot be written, the next build writes every file.
pub fn record(out: &Path, files: &[OutputFile]) {
    let Some(path) = super::disk_cache::path_for(out, "manifest") else {
        return;
    };
    let mut m = Manifest::default();
    for f in files {
        let (Some(key), Ok(meta)) = (content_key(f), std::fs::symlink_metadata(out.join(&f.path)))
        else {
            // Without a full record, no record: the next build must not trust a partial one.
            let _ = std::fs::remove_file(&path);
            return;
        };
        m.files.insert(
            f.path.clone(),
            Entry {
                content: hex(key),
                size: meta.len(),
                mtime: mtime(&meta),
                ino: meta.ino(),
            },
        );
    }
    match serde_json::to_vec(&m) {
        Ok(bytes) => {
            let _ = super::disk_cache::write(&path, &bytes);
        }
        Err(_) => {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Forgets the record of `out` (before its files change in a way the record would not see).
pub fn forget(out: &Path) {
    if let Some(path) = super::disk_cache::path_for(out, "manifest") {
        let _ = std::fs::remove_file(path);
    }
}

/// `path` relative to `base`, `/`-separated; `None` if it is not valid UTF-8.
fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}
