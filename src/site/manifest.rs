//! What the last build wrote into an output folder, kept in the cache folder
//! ([`super::disk_cache`]), so that the next build of the same folder can tell which of its files
//! are unchanged: a build that would write exactly the same site writes nothing, and one that
//! changes a few files writes only those, in place ([`super::update`]).
//!
//! The record is trusted only while the folder is as the build left it: every file in it is in
//! the record with the same size, modification time and inode, and every folder with the same
//! inode and change time (`ctime`, which the system sets whenever an entry of the folder is
//! added, removed or renamed, and which no user can set back), so no other file or folder is
//! there. Anything else (a file edited, added or removed by hand, a folder restored from a CI
//! cache, a build killed while it renamed its files into place) and the build writes a whole
//! new folder as if there were no record. Checking costs one `fstatat` per file and per folder
//! (relative to the output folder, in parallel) and no `readdir`: nothing is read. As with any check by file times, a change made
//! within the same tick of the system's clock as the build's last write (a few milliseconds)
//! can go unseen.
//!
//! The record is binary (bincode), stamped with the binary that wrote it and sealed like every
//! cache file ([`super::disk_cache::write_stamped`]).

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};

/// One file of the output as the last build wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// [`content_key`] of what was written.
    content: Key,
    /// Size in bytes, modification time (ns since the Unix epoch) and inode, after writing.
    size: u64,
    mtime: i128,
    ino: u64,
}

impl Entry {
    /// Whether `s`, the state of the file now at the entry's path, is the file written.
    fn is(&self, s: &State) -> bool {
        s.file && self.size == s.size && self.mtime == s.mtime && self.ino == s.ino
    }
}

/// One folder of the output, or the output folder itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Folder {
    /// Change time (ns since the Unix epoch) and inode, after the build.
    ctime: i128,
    ino: u64,
}

impl Folder {
    fn of(s: &State) -> Folder {
        Folder {
            ctime: s.ctime,
            ino: s.ino,
        }
    }
}

/// What `stat` says of a file or folder, as the record compares it (times in ns since the Unix
/// epoch).
struct State {
    file: bool,
    dir: bool,
    size: u64,
    mtime: i128,
    ctime: i128,
    ino: u64,
}

/// A time in ns since the Unix epoch, from its seconds and nanoseconds.
fn ns(secs: i64, nanos: i64) -> i128 {
    i128::from(secs) * 1_000_000_000 + i128::from(nanos)
}

impl State {
    fn of(m: &std::fs::Metadata) -> State {
        State {
            file: m.file_type().is_file(),
            dir: m.is_dir(),
            size: m.len(),
            mtime: ns(m.mtime(), m.mtime_nsec()),
            ctime: ns(m.ctime(), m.ctime_nsec()),
            ino: m.ino(),
        }
    }

    /// The state of `rel` (not following a link) below the folder `dir` is open as, or of that
    /// folder itself for `""`: one `fstatat` relative to the folder, no walk of the whole path
    /// (about half the cost of a `stat` of the full path, for ten thousand files).
    #[allow(
        clippy::unnecessary_cast,
        reason = "the field types differ between targets"
    )]
    fn at(dir: &std::os::fd::OwnedFd, rel: &str) -> Option<State> {
        use rustix::fs::{AtFlags, FileType, fstat, statat};
        let st = if rel.is_empty() {
            fstat(dir)
        } else {
            statat(dir, rel, AtFlags::SYMLINK_NOFOLLOW)
        }
        .ok()?;
        let kind = FileType::from_raw_mode(st.st_mode);
        Some(State {
            file: kind == FileType::RegularFile,
            dir: kind == FileType::Directory,
            size: u64::try_from(st.st_size).ok()?,
            mtime: ns(st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctime: ns(st.st_ctime as i64, st.st_ctime_nsec as i64),
            ino: st.st_ino as u64,
        })
    }
}

/// The record as kept on disk: each file's and folder's path (relative, `/`-separated, the
/// output folder itself `""`) and state.
#[derive(Deserialize)]
struct Kept {
    files: Vec<(String, Entry)>,
    folders: Vec<(String, Folder)>,
}

/// [`Kept`] as written, borrowing the paths of the build's files (the same bytes).
#[derive(Serialize)]
struct ToKeep<'a> {
    files: Vec<(&'a str, Entry)>,
    folders: Vec<(&'a str, Folder)>,
}

/// The record of one output folder, checked against it.
#[derive(Debug, Default)]
pub struct Manifest {
    files: HashMap<String, Entry>,
    folders: HashMap<String, Folder>,
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

impl Kept {
    /// Whether every recorded file and folder below `out` is there in its recorded state. With
    /// the folders' change times, that also says that nothing else is there.
    fn matches(&self, out: &Path) -> bool {
        use rustix::fs::{Mode, OFlags, open};
        // The output folder itself may be a link to a folder: it is followed.
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let Ok(dir) = open(out, flags, Mode::empty()) else {
            return false;
        };
        let file = |(path, e): &(String, Entry)| State::at(&dir, path).is_some_and(|s| e.is(&s));
        let folder = |(path, f): &(String, Folder)| {
            State::at(&dir, path).is_some_and(|s| s.dir && Folder::of(&s) == *f)
        };
        let has_root = self.folders.iter().any(|(p, _)| p.is_empty());
        has_root && self.folders.par_iter().all(folder) && self.files.par_iter().all(file)
    }
}

/// What an output file will hold, as a key: the 128-bit XXH3 hash of its bytes (a build hashes
/// tens of megabytes of pages and search index: one XXH3 call over the bytes, rather than
/// [`key_of`] streaming them through `Hash`), or for a file copied or linked from elsewhere the source's path,
/// size, modification time and inode (reading it to hash it would cost what writing it costs).
fn content_key(f: &OutputFile) -> Option<Key> {
    use xxhash_rust::xxh3::xxh3_128;
    match &f.data {
        Data::Bytes(b) => Some(xxh3_128(b)),
        Data::Static(b) => Some(xxh3_128(b)),
        Data::Shared(b) => Some(xxh3_128(b)),
        Data::Copy(src) | Data::Link(src) => {
            let m = std::fs::metadata(src).ok()?;
            Some(key_of(&(src, m.len(), State::of(&m).mtime, m.ino())))
        }
    }
}

impl Manifest {
    /// The record of `out`, if there is one and the folder is exactly as it says.
    pub fn load(out: &Path) -> Option<Manifest> {
        let path = super::disk_cache::path_for(out, "manifest")?;
        let bytes = super::disk_cache::read_stamped(&path)?;
        let kept: Kept = bincode::deserialize(&bytes).ok()?;
        kept.matches(out).then(|| Manifest {
            files: kept.files.into_iter().collect(),
            folders: kept.folders.into_iter().collect(),
            out: out.to_path_buf(),
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

    /// Whether `path` is a folder of the output (not the output folder itself).
    pub fn has_folder(&self, path: &str) -> bool {
        !path.is_empty() && self.folders.contains_key(path)
    }
}

/// Records what `out` now holds, `files` having just been written into it. With `previous` and
/// the `changes` measured against it, the content keys already computed are reused, and with
/// `in_place` (the files left alone were not touched, [`super::update`]) so are the recorded
/// states of the unchanged files and of the folders no file was written to or removed from:
/// only what was written is hashed and looked at. Only a saving of time: if the record cannot
/// be written, the next build writes a whole new folder.
pub fn record(
    out: &Path,
    files: &[OutputFile],
    previous: Option<(&Manifest, &Changes)>,
    in_place: bool,
) {
    let Some(path) = super::disk_cache::path_for(out, "manifest") else {
        return;
    };
    let kept = previous.filter(|_| in_place);
    let entries = file_entries(out, files, previous, in_place);
    let folders = entries.as_ref().and_then(|e| folder_entries(out, e, kept));
    // Without a full record, no record: the next build must not trust a partial one.
    let bytes = entries
        .zip(folders)
        .and_then(|(files, folders)| bincode::serialize(&ToKeep { files, folders }).ok());
    if bytes.is_none_or(|b| super::disk_cache::write_stamped(&path, &b).is_err()) {
        let _ = std::fs::remove_file(&path);
    }
}

/// The record of each of `files` just written into `out` (see [`record`]); `None` if one
/// cannot be had.
fn file_entries<'a>(
    out: &Path,
    files: &'a [OutputFile],
    previous: Option<(&Manifest, &Changes)>,
    in_place: bool,
) -> Option<Vec<(&'a str, Entry)>> {
    files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let old = previous.and_then(|(m, c)| c.unchanged[i].then(|| m.files.get(&f.path))?);
            if let (true, Some(e)) = (in_place, old) {
                return Some((f.path.as_str(), *e));
            }
            let known = previous.and_then(|(_, c)| c.keys[i]);
            let content = known
                .or(old.map(|e| e.content))
                .or_else(|| content_key(f))?;
            let s = State::of(&std::fs::symlink_metadata(out.join(&f.path)).ok()?);
            let entry = Entry {
                content,
                size: s.size,
                mtime: s.mtime,
                ino: s.ino,
            };
            Some((f.path.as_str(), entry))
        })
        .collect()
}

/// The record of every folder of `out` after a build that wrote `files` (the output folder and
/// the folders holding them). With `kept`, the record and changes of an update in place: a
/// folder no file was written to or removed from keeps its entry, and a folder of the old
/// site that holds no file now must be gone (else an unrecorded folder would go unchecked).
fn folder_entries<'a>(
    out: &Path,
    files: &[(&'a str, Entry)],
    kept: Option<(&Manifest, &Changes)>,
) -> Option<Vec<(&'a str, Folder)>> {
    let mut all: HashSet<&'a str> = HashSet::from([""]);
    for (path, _) in files {
        all.extend(ancestors(path));
    }
    let mut touched: HashSet<&str> = HashSet::new();
    if let Some((m, c)) = kept {
        let written = files.iter().enumerate().filter(|(i, _)| !c.unchanged[*i]);
        for p in written
            .map(|(_, (p, _))| *p)
            .chain(c.removed.iter().map(String::as_str))
        {
            touched.insert("");
            touched.extend(ancestors(p));
        }
        let gone = m.folders.keys().filter(|d| !all.contains(d.as_str()));
        if gone
            .into_iter()
            .any(|d| std::fs::symlink_metadata(out.join(d)).is_ok())
        {
            return None;
        }
    }
    all.into_par_iter()
        .map(|dir| {
            let old = kept.and_then(|(m, _)| m.folders.get(dir));
            if let (false, Some(f)) = (touched.contains(dir), old) {
                return Some((dir, *f));
            }
            let m = if dir.is_empty() {
                std::fs::metadata(out)
            } else {
                std::fs::symlink_metadata(out.join(dir))
            };
            Some((dir, Folder::of(&State::of(&m.ok()?))))
        })
        .collect()
}

/// The folders above `path` (`a/b` and `a` for `a/b/c.html`), but the output folder itself.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut p = path;
    std::iter::from_fn(move || {
        p = p.rsplit_once('/')?.0;
        Some(p)
    })
}

/// Forgets the record of `out` (before its files change in a way the record would not see).
pub fn forget(out: &Path) {
    if let Some(path) = super::disk_cache::path_for(out, "manifest") {
        let _ = std::fs::remove_file(path);
    }
}
