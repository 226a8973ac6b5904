//! Where `build` keeps what saves time for the next build of the same output folder: the
//! highlighted code, the record of each frozen term's inputs and output, and the record of the
//! files written into the output folder ([`super::manifest`]).
//!
//! Never in the course or beside its output: a repository (or a pull request) could ship a
//! crafted cache there, and a cache is trusted to stand for its inputs. It lives in the user's
//! cache folder — `$SEMESTER_CACHE_DIR`, else `$XDG_CACHE_HOME/semester`, else
//! `$HOME/.cache/semester` — one file per output folder and kind, named by the hash of the
//! output folder's absolute path. A file is read only if it is a regular file (not a link, a
//! device or a FIFO) of at most [`MAX_BYTES`]; anything else counts as no cache. Without a
//! cache folder, every build is cold and still correct.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::base::memo::{Key, hex, key_of};

/// The largest cache file read (bytes); a larger one is ignored.
pub const MAX_BYTES: u64 = 1 << 30;

/// The cache folder, from the environment (see the module's documentation).
pub fn dir() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("SEMESTER_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("semester")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("semester")))
        .filter(|d| d.is_absolute())
}

/// The cache file of kind `what` (`code`, `versions`) for the output folder `out`.
pub fn path_for(out: &Path, what: &str) -> Option<PathBuf> {
    let out = std::path::absolute(out).ok()?;
    Some(dir()?.join(format!("{}.{what}", hex(key_of(&out)))))
}

/// The bytes of the cache file at `path`, if it is a regular file of at most [`MAX_BYTES`].
pub fn read(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    std::fs::File::open(path)
        .ok()?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= MAX_BYTES).then_some(bytes)
}

/// Writes the cache file at `path` through a temporary file and a rename, so a killed build
/// leaves the old file or the new one.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The key of every file below `dir` (path and bytes, in path order): what a frozen term's
/// output in the previous site must still be for it to be reused. `None` if unreadable.
pub fn tree_key(dir: &Path) -> Option<Key> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.ok()?;
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).ok()?.to_path_buf();
            files.push((rel, std::fs::read(e.path()).ok()?));
        } else if !e.file_type().is_dir() {
            return None;
        }
    }
    Some(key_of(&files))
}

/// Cache files a course folder holds, which older versions of semester wrote beside the output
/// (`.public.semester-cache`): never read, and worth removing from a repository.
pub fn stale_in(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".semester-cache"))
        })
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_cap_are_read() {
        let d = std::env::temp_dir().join(format!("semester-dc-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("a.code");
        write(&f, b"x").unwrap();
        assert_eq!(read(&f).as_deref(), Some(&b"x"[..]));
        let link = d.join("zero.code");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(read(&link), None, "a link (to /dev/zero) is never read");
        assert_eq!(read(Path::new("/dev/zero")), None, "a device is never read");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
