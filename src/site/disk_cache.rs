//! Where `build` and `serve` keep what saves time for the next build: the highlighted code
//! (shared by every `build` into output folders beside each other, by `serve` and by the
//! frozen terms they render), and for each output folder the record of its frozen terms, of
//! the files written into it ([`super::manifest`]) and of its rendered pages and search index
//! ([`super::store`]).
//!
//! The cache folder is `.semester-cache/` beside the output folder (for `public/` inside the
//! course, `<course>/.semester-cache/`; `serve` uses the one of `public/`), never inside the
//! published folder. `$SEMESTER_CACHE_DIR` overrides it: then the cache of an output folder is
//! `$SEMESTER_CACHE_DIR/<hash of the folder holding the output>/`. Inside, `code` is the
//! highlighted code and `<output name>.<kind>` the records of one output folder.
//!
//! A cache is data, never code, and it is only trusted to stand for its inputs: a file is read
//! only if it is a regular file (not a link, a device or a FIFO) of at most [`MAX_BYTES`]
//! sealed with the secret of the user running semester ([`secret`]), so a cache folder that
//! came from anyone else — committed to a repository, in an archive — is never read; anything
//! else counts as no cache. The folder holds a `.gitignore` of `*` (so git never
//! commits it) and a `CACHEDIR.TAG` (so backup tools skip it); a cache folder that git tracks
//! anyway — one that came with a repository — is never read ([`tracked_by_git`]). Without a
//! cache folder every build is cold and still correct.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::base::memo::{Key, hex, key_of};
use crate::render::highlight::CodeCache;

/// The largest cache file read (bytes); a larger one is ignored.
pub const MAX_BYTES: u64 = 1 << 30;

/// The name of the cache folder beside the output folder.
pub const CACHE_DIR: &str = ".semester-cache";

/// What the cache folder holds besides the caches: git ignores the folder, backup tools skip it
/// (<https://bford.info/cachedir/>).
const FOLDER_FILES: [(&str, &str); 2] = [
    (
        ".gitignore",
        "# Written by semester: a build cache, never committed.\n*\n",
    ),
    (
        "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n# semester's build cache (https://bford.info/cachedir/)\n",
    ),
];

/// `$SEMESTER_CACHE_DIR`, when set to an absolute path.
fn override_dir() -> Option<PathBuf> {
    std::env::var_os("SEMESTER_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
}

/// The cache folder of the output folder `out` (see the module's documentation); `None` when
/// `out` has no parent or is itself named like a cache folder.
pub fn dir_for(out: &Path) -> Option<PathBuf> {
    let out = std::path::absolute(out).ok()?;
    if out.file_name()? == CACHE_DIR {
        return None;
    }
    let parent = out.parent()?;
    match override_dir() {
        Some(d) => Some(d.join(hex(key_of(parent)))),
        None => Some(parent.join(CACHE_DIR)),
    }
}

/// The cache file of kind `what` (`manifest`, `versions`, `render`, `search`, `fronts`, …) for
/// the output folder `out`.
pub fn path_for(out: &Path, what: &str) -> Option<PathBuf> {
    let name = std::path::absolute(out).ok()?.file_name()?.to_owned();
    let mut file = name;
    file.push(format!(".{what}"));
    Some(dir_for(out)?.join(file))
}

/// The code cache file of builds into `out` (and of `serve`, which stands for `public/`): one
/// for every output folder beside it, since a block is found by the key of its colour schemes,
/// language and text, whatever output or term it was built for.
pub fn code_path(out: &Path) -> Option<PathBuf> {
    Some(dir_for(out)?.join("code"))
}

/// The output folder `serve` stands for when it reads and writes the cache: `public/`.
pub fn serve_out(root: &Path) -> PathBuf {
    root.join("public")
}

/// What every file of [`read_stamped`] and [`write_stamped`] starts with: the version and the
/// sources of the binary that wrote it (build.rs), so that a binary built from other sources —
/// which may render the same input otherwise — never reads it.
pub const STAMP: &str = concat!(
    "semester cache ",
    env!("CARGO_PKG_VERSION"),
    " ",
    env!("SEMESTER_SOURCE_KEY"),
    "\n"
);

/// The bytes after [`STAMP`] of the cache file at `path`; `None` if there is none, it is not
/// a file [`read`] reads, or another binary wrote it.
pub fn read_stamped(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = read(path)?;
    bytes.starts_with(STAMP.as_bytes()).then(|| {
        bytes.drain(..STAMP.len());
        bytes
    })
}

/// Writes `bytes` after [`STAMP`] to the cache file at `path` (see [`write`]).
pub fn write_stamped(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut all = Vec::with_capacity(STAMP.len() + bytes.len());
    all.extend_from_slice(STAMP.as_bytes());
    all.extend_from_slice(bytes);
    write(path, &all)
}

/// The highlighted code kept at `path` (see [`code_path`]); empty without a path or a whole
/// cache file of this binary there. The file is read (and its seal checked) only when a build
/// has enough code to highlight for that to pay (`CodeCache::from_source`).
pub fn load_code(path: Option<&Path>) -> CodeCache {
    let Some(path) = path else {
        return CodeCache::default();
    };
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return CodeCache::default();
    };
    let path = path.to_path_buf();
    CodeCache::from_source(meta.len(), move || read_stamped(&path))
}

/// Keeps what `code` was used for at `path`. Only a saving of time for the next build: if it
/// cannot be written, that build is cold.
pub fn save_code(path: Option<&Path>, code: &CodeCache) {
    if let Some(path) = path {
        let _ = write_stamped(path, &code.to_bytes());
    }
}

/// How many bytes of a cache file are its seal: SipHash-2-4's 128-bit tag of the rest, keyed
/// with the user's [`secret`].
const SEAL_BYTES: usize = 16;

/// The user's cache secret, which seals every cache file this user writes so that a cache file
/// nobody on this account wrote — one in a repository or archive from elsewhere, whatever its
/// name and wherever it lies — is never read: `$SEMESTER_CACHE_SECRET` when set (for CI, from
/// a repository secret), else the 16 random bytes of `secret` in the user's cache folder
/// (`$XDG_CACHE_HOME/semester/`, else `~/.cache/semester/`), made on first use. `None` (no
/// cache at all: every build cold) when neither can be had. Read once per process.
fn secret() -> Option<[u8; 16]> {
    static SECRET: std::sync::OnceLock<Option<[u8; 16]>> = std::sync::OnceLock::new();
    *SECRET.get_or_init(|| {
        if let Some(s) = std::env::var_os("SEMESTER_CACHE_SECRET").filter(|s| !s.is_empty()) {
            let tag = siphasher::sip128::SipHasher24::new().hash(s.as_encoded_bytes());
            return Some(tag.as_bytes());
        }
        let home = std::env::var_os("XDG_CACHE_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .filter(|d| d.is_absolute())
            .or_else(|| std::env::home_dir().map(|h| h.join(".cache")))?;
        secret_in(&home.join("semester").join("secret"))
    })
}

/// The secret kept at `file`, made (16 random bytes, readable by the user only) if missing. Two
/// builds that make it at once keep the one that was renamed into place last.
fn secret_in(file: &Path) -> Option<[u8; 16]> {
    let kept = |f: &Path| -> Option<[u8; 16]> {
        let meta = std::fs::symlink_metadata(f).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        std::fs::read(f).ok()?.get(..16)?.try_into().ok()
    };
    if let Some(k) = kept(file) {
        return Some(k);
    }
    let mut fresh = [0u8; 16];
    getrandom::fill(&mut fresh).ok()?;
    std::fs::create_dir_all(file.parent()?).ok()?;
    let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .ok()?;
        f.write_all(&fresh).ok()?;
    }
    let _ = std::fs::rename(&tmp, file);
    let _ = std::fs::remove_file(&tmp);
    kept(file)
}

/// The seal of `bytes` under `key`.
fn seal(key: &[u8; 16], bytes: &[u8]) -> [u8; SEAL_BYTES] {
    siphasher::sip128::SipHasher24::new_with_key(key)
        .hash(bytes)
        .as_bytes()
}

/// The bytes of the cache file at `path`, if it is a regular file of at most [`MAX_BYTES`]
/// sealed with the user's [`secret`] (the seal taken off).
pub fn read(path: &Path) -> Option<Vec<u8>> {
    let key = secret()?;
    let mut bytes = read_file(path)?;
    let (tag, body) = bytes.split_at_checked(SEAL_BYTES)?;
    if *tag != seal(&key, body) {
        return None;
    }
    bytes.drain(..SEAL_BYTES);
    Some(bytes)
}

/// The bytes of the file at `path`, if it is a regular file of at most [`MAX_BYTES`] outside a
/// cache folder that git tracks.
fn read_file(path: &Path) -> Option<Vec<u8>> {
    if path.parent().is_some_and(tracked_by_git) {
        return None;
    }
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

/// Writes `bytes` to the cache file at `path`, sealed with the user's [`secret`] (nothing is
/// written without one), through a temporary file and a rename, so a killed build leaves the
/// old file or the new one.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        if tracked_by_git(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent)?;
        for (name, text) in FOLDER_FILES {
            let file = parent.join(name);
            if std::fs::symlink_metadata(&file).is_err() {
                std::fs::write(file, text)?;
            }
        }
    }
    let Some(key) = secret() else {
        return Ok(());
    };
    let mut sealed = Vec::with_capacity(SEAL_BYTES + bytes.len());
    sealed.extend_from_slice(&seal(&key, bytes));
    sealed.extend_from_slice(bytes);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, &sealed)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The tag of `bytes` kept inside a sealed file (an entry of `site::store`, kept in a file of
/// its own): SipHash-2-4 under the user's [`secret`], as a file's seal. `None` without a secret.
pub fn tag(bytes: &[u8]) -> Option<u128> {
    Some(u128::from_le_bytes(seal(&secret()?, bytes)))
}

/// The bytes of the file at `path` if it is a regular file of `len` bytes (a link is not
/// followed) whose [`tag`] is `tag`: an entry written by [`write_plain`] and named in a sealed
/// file. Anything else — missing, changed, or someone else's — is `None`.
pub fn read_tagged(path: &Path, len: u64, tag: u128) -> Option<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        // Neither a link followed nor a FIFO waited on: anything but a regular file is refused.
        .custom_flags((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.file_type().is_file() || meta.len() != len || len > MAX_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    file.take(len + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == len && self::tag(&bytes)? == tag).then_some(bytes)
}

/// Writes `bytes` as they are to `path` in an existing folder, through a temporary file and a
/// rename: an entry whose [`tag`] a sealed file holds ([`read_tagged`]).
pub fn write_plain(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Whether `dir`, a cache folder named [`CACHE_DIR`], is tracked by git: a path below a
/// `.semester-cache/` is in the index of the git repository around it (its `.git` folder, or
/// the folder a `.git` file names). Such a cache came with the repository, and whoever wrote
/// the repository could have made it say anything: it is neither read nor written. A cache
/// folder elsewhere (`$SEMESTER_CACHE_DIR`) is the user's own and is not checked.
pub fn tracked_by_git(dir: &Path) -> bool {
    if dir.file_name().is_none_or(|n| n != CACHE_DIR) {
        return false;
    }
    let Some(index) = dir.ancestors().skip(1).find_map(git_index) else {
        return false;
    };
    let needle = format!("{CACHE_DIR}/");
    index.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A warning when the course's cache folder (beside `public/`) is tracked by git, so never read.
pub fn tracked_warning(root: &Path, diags: &mut crate::base::diagnostics::Diagnostics) {
    if tracked_by_git(&root.join(CACHE_DIR)) {
        let msg = "git tracks this build cache, so it is never read (it could say anything)";
        let hint = "remove it from the repository (`git rm -r --cached .semester-cache`); semester writes a .gitignore into it";
        diags.push(
            crate::base::diagnostics::Diagnostic::warning(CACHE_DIR, 1, 1, msg).with_hint(hint),
        );
    }
}

/// The bytes of the git index of the repository whose top folder is `top`, if it is one (at
/// most 256 MiB are read).
fn git_index(top: &Path) -> Option<Vec<u8>> {
    let git = top.join(".git");
    let meta = std::fs::symlink_metadata(&git).ok()?;
    let git_dir = if meta.is_dir() {
        git
    } else {
        // A worktree or submodule: `.git` is a file saying `gitdir: <path>`.
        let text = std::fs::read_to_string(&git).ok()?;
        let named = PathBuf::from(text.strip_prefix("gitdir:")?.trim());
        if named.is_absolute() {
            named
        } else {
            top.join(named)
        }
    };
    let mut bytes = Vec::new();
    std::fs::File::open(git_dir.join("index"))
        .ok()?
        .take(256 << 20)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
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
/// (`.public.semester-cache`, a file; today's cache is the folder [`CACHE_DIR`]): never read,
/// and worth removing from a repository.
pub fn stale_in(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.ends_with(".semester-cache") && n != CACHE_DIR
                })
        })
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache file is read only with the seal of this user's secret: one copied from anyone
    /// else (a repository, an archive), or changed after it was written, is no cache.
    #[test]
    fn only_files_sealed_with_the_users_secret_are_read() {
        let d = std::env::temp_dir().join(format!("semester-seal-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("x.render");
        write(&f, b"<p>rendered</p>").unwrap();
        assert_eq!(read(&f).as_deref(), Some(&b"<p>rendered</p>"[..]));
        let sealed = std::fs::read(&f).unwrap();
        assert_eq!(&sealed[SEAL_BYTES..], b"<p>rendered</p>");
        // The same bytes sealed with another secret: another user's cache.
        let other = seal(&[7; 16], b"<p>rendered</p>");
        std::fs::write(&f, [&other[..], b"<p>rendered</p>"].concat()).unwrap();
        assert_eq!(read(&f), None);
        // This user's seal over other bytes: changed after it was written.
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() = b'!';
        std::fs::write(&f, &changed).unwrap();
        assert_eq!(read(&f), None);
        std::fs::write(&f, &sealed[..SEAL_BYTES - 1]).unwrap();
        assert_eq!(read(&f), None);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn the_secret_is_made_once_and_kept_private() {
        let d = std::env::temp_dir().join(format!("semester-secret-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let file = d.join("semester").join("secret");
        let first = secret_in(&file).expect("made");
        assert_eq!(secret_in(&file), Some(first));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
        let _ = std::fs::remove_dir_all(&d);
    }

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
