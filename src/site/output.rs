//! Output: the only stage that writes. A site is written into a fresh folder beside the
//! target and swapped in, so a failed or killed build leaves the previous site as it was; a
//! small change to a folder exactly as the last build left it is made in place instead
//! ([`super::update`]: a failed build leaves the previous site as it was, a build killed while
//! renaming its files into place leaves a mix the next build repairs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{Changes, Manifest};
use super::update::NotInPlace;
use crate::base::files::{Data, OutputFile};

/// The file that marks a folder as semester's output (so we never replace anything else).
pub const MARKER: &str = crate::base::files::OUTPUT_MARKER;

/// Resolves `out` and refuses places where writing would destroy sources.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot open the course folder {}: {e}", root.display()))?;
    let out = absolute(out).map_err(|e| format!("cannot use --out {}: {e}", out.display()))?;
    if out == root {
        return Err(format!(
            "--out {} is the course folder itself: the build would delete the course",
            out.display()
        ));
    }
    if root.starts_with(&out) {
        return Err(format!(
            "--out {} contains the course folder: the build would delete the course",
            out.display()
        ));
    }
    for src in [
        "content",
        "terms",
        "templates",
        "themes",
        "static",
        "versions",
        "course.yaml",
        ".git",
    ] {
        if out.starts_with(root.join(src)) {
            return Err(format!(
                "--out {} is inside {src}/, a source of the course",
                out.display()
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("--out {} is a file, not a folder", out.display()));
        }
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).exists() {
            return Err(format!(
                "--out {} already holds files that semester did not write; refusing to replace them (remove the folder or choose another)",
                out.display()
            ));
        }
    }
    Ok(out)
}

/// An absolute path with `.` and `..` resolved, through symlinks where the path exists.
fn absolute(p: &Path) -> std::io::Result<PathBuf> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    if let Ok(c) = p.canonicalize() {
        return Ok(c);
    }
    let parent = p
        .parent()
        .map(absolute)
        .transpose()?
        .unwrap_or_else(|| PathBuf::from("/"));
    Ok(match p.file_name() {
        Some(name) if name != ".." => parent.join(name),
        Some(_) => parent.parent().map_or(parent.clone(), Path::to_path_buf),
        None => parent,
    })
}

/// How the new site was put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// A new folder took the old one's place (one exchange, or two renames).
    Folder,
    /// The output folder cannot be renamed (a mount point, a docker volume): the new site was
    /// written inside it and swapped in entry by entry.
    Contents,
    /// The folder already held exactly the new site (see [`super::manifest`]): nothing written.
    Unchanged,
    /// Only the new and changed files were written into the folder, and the files no longer
    /// produced removed ([`super::update`]).
    InPlace,
}

/// Writes `files` as the new content of `out`, replacing the old site only once all is written.
/// With `previous`, the record of what `out` holds (checked against the folder) and what
/// writing `files` changes, a small change is made in place ([`super::update`]), an unchanged
/// site is left as it is, and otherwise a file the old site already holds is linked from it
/// into the new folder instead of written. Errors are messages naming the folder or file that
/// could not be written.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    previous: Option<(&Manifest, &Changes)>,
) -> Result<Swap, String> {
    let (parent, name) = prepare_parent(out)?;
    if let Some((m, changes)) = previous
        && let Some(done) = in_place(out, files, m, changes)
    {
        return done;
    }
    if is_mount_point(out, parent) {
        return swap_contents(out, files).map(|()| Swap::Contents);
    }
    let unchanged = previous.map(|(_, c)| c.unchanged.as_slice());
    swap_folder(out, parent, &name, files, unchanged)
}

/// The parent folder of `out` (created) and the name of `out` in it, once the leftovers of a
/// killed build are cleaned there.
fn prepare_parent(out: &Path) -> Result<(&Path, String), String> {
    let parent = out
        .parent()
        .ok_or_else(|| format!("--out {} has no parent folder", out.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    clean_leftovers(parent, &name);
    Ok((parent, name))
}

/// With the record `m` of what `out` holds and the `changes` writing `files` makes: nothing
/// to do, or a small change made in place ([`super::update`]). `None` when the new site must
/// be swapped in whole.
fn in_place(
    out: &Path,
    files: &[OutputFile],
    m: &Manifest,
    changes: &Changes,
) -> Option<Result<Swap, String>> {
    if changes.count() == 0 {
        return Some(Ok(Swap::Unchanged));
    }
    if !super::update::small(files, changes) {
        return None;
    }
    match super::update::update(out, files, m, changes) {
        Ok(()) => Some(Ok(Swap::InPlace)),
        Err(NotInPlace::Failed(msg)) => Some(Err(msg)),
        Err(NotInPlace::Swap) => None,
    }
}

/// Writes the new site into a fresh folder beside `out` (linking the `unchanged` files from
/// the old site) and swaps it in: one exchange where the system has it, else two renames; a
/// folder that cannot move has its contents swapped instead.
fn swap_folder(
    out: &Path,
    parent: &Path,
    name: &str,
    files: &[OutputFile],
    unchanged: Option<&[bool]>,
) -> Result<Swap, String> {
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = write_all(&tmp, files, unchanged.map(|u| (out, u)));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // One atomic exchange where the system has it: at no moment is there no site.
    if out.exists() {
        match exchange(&tmp, out) {
            Ok(()) => {
                remove_site(&tmp);
                return Ok(Swap::Folder);
            }
            Err(e) if unmovable(&e) => {
                remove_site(&tmp);
                return swap_contents(out, files).map(|()| Swap::Contents);
            }
            Err(_) => {}
        }
        if let Err(e) = std::fs::rename(out, &old) {
            remove_site(&tmp);
            if unmovable(&e) {
                return swap_contents(out, files).map(|()| Swap::Contents);
            }
            return Err(format!(
                "cannot move the old site aside ({}): {e}",
                out.display()
            ));
        }
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        let _ = std::fs::rename(&old, out);
        remove_site(&tmp);
        return Err(format!(
            "cannot put the new site in place ({}): {e}",
            out.display()
        ));
    }
    remove_site(&old);
    Ok(Swap::Folder)
}

/// Whether `out` is an existing folder on another file system than its parent: a mount point,
/// which cannot be renamed, so its contents are swapped instead.
fn is_mount_point(out: &Path, parent: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::symlink_metadata(out), std::fs::metadata(parent)) {
            (Ok(o), Ok(p)) => o.is_dir() && o.dev() != p.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (out, parent);
        false
    }
}

/// A rename refused because the folder cannot move: busy (a mount point, a bind mount) or on
/// another device.
fn unmovable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ResourceBusy | std::io::ErrorKind::CrossesDevices
    )
}

/// Inside `out`: the new site while it is written.
const NEXT: &str = ".semester-next";
/// Inside `out`: the old site while it is moved out.
const PREV: &str = ".semester-prev";

/// Puts a new site in an output folder that cannot itself be renamed. The new site is written
/// completely into `out/.semester-next/` first (a failed write leaves the old site as it
/// was); then the old entries are moved into `out/.semester-prev/`, the new ones into `out`,
/// and the old removed: renames within one file system, so the old and new site stand mixed
/// only for those few renames (a build killed among them leaves the folders, and the next
/// build swaps again from scratch). The marker stays in `out` throughout.
fn swap_contents(out: &Path, files: &[OutputFile]) -> Result<(), String> {
    let (next, prev) = (out.join(NEXT), out.join(PREV));
    let _ = std::fs::remove_dir_all(&next);
    let _ = std::fs::remove_dir_all(&prev);
    if let Err(e) = write_all(&next, files, None) {
        let _ = std::fs::remove_dir_all(&next);
        return Err(e);
    }
    let io = |what: &str, e: std::io::Error| format!("cannot {what} ({}): {e}", out.display());
    std::fs::create_dir(&prev).map_err(|e| io("make room for the old site", e))?;
    let keep = |n: &std::ffi::OsStr| n == NEXT || n == PREV || n == MARKER;
    let old: Vec<std::ffi::OsString> = entries(out).into_iter().filter(|n| !keep(n)).collect();
    for (i, n) in old.iter().enumerate() {
        if let Err(e) = std::fs::rename(out.join(n), prev.join(n)) {
            // Put back what moved: the old site stays whole.
            for m in &old[..i] {
                let _ = std::fs::rename(prev.join(m), out.join(m));
            }
            let _ = std::fs::remove_dir_all(&next);
            let _ = std::fs::remove_dir(&prev);
            return Err(io("move the old site aside", e));
        }
    }
    for n in entries(&next).into_iter().filter(|n| !keep(n)) {
        std::fs::rename(next.join(&n), out.join(&n))
            .map_err(|e| io("put the new site in place", e))?;
    }
    if !out.join(MARKER).exists() {
        std::fs::rename(next.join(MARKER), out.join(MARKER))
            .map_err(|e| io("mark the folder as semester's", e))?;
    }
    remove_site(&next);
    remove_site(&prev);
    Ok(())
}

/// The names in a folder (none if it cannot be read).
fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default()
}

/// Deletes a site folder of ours, its marker last: a deletion cut short still carries the
/// marker, so the next build recognises the rest and finishes the job.
fn remove_site(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_name() == MARKER {
                continue;
            }
            let p = e.path();
            let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Swaps two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`, through rustix's
/// safe wrapper); an error where the system or file system cannot, and the caller falls back.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes folders left by a build that was killed, if they carry our marker. A build killed
/// between its two renames leaves the old site aside and none in place: that one is put back.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = rd.flatten().collect();
    let out = parent.join(name);
    if !out.exists()
        && let Some(old) = entries.iter().find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".{name}.old-"))
                && e.path().join(MARKER).exists()
        })
    {
        let _ = std::fs::rename(old.path(), &out);
    }
    for e in entries {
        let n = e.file_name().to_string_lossy().to_string();
        let ours =
            n.starts_with(&format!(".{name}.tmp-")) || n.starts_with(&format!(".{name}.old-"));
        // A code cache being saved by a build that was killed.
        let cache_tmp = n.starts_with(&format!(".{name}.semester-cache.tmp-"));
        let pid = n.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
        let running = pid.is_some_and(|p| p != std::process::id() && alive(p));
        // An empty folder is one killed between its creation and its marker.
        let empty = std::fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_none());
        if ours && !running && (e.path().join(MARKER).exists() || empty) {
            remove_site(&e.path());
        }
        if cache_tmp && !running {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether another build with this process id is still running (its folder is not ours to
/// remove). Where this cannot be known, the folder is treated as left over.
fn alive(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

/// Writes `files` into the new folder `dir`. With `old`, the old site's folder and for each
/// file whether the old site holds it unchanged: those are hard-linked from it (written when
/// linking fails).
fn write_all(
    dir: &Path,
    files: &[OutputFile],
    old: Option<(&Path, &[bool])>,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // The marker first: a killed build's folder is recognised as ours and cleaned next time.
    std::fs::write(
        dir.join(MARKER),
        b"This folder is written by semester build; it is replaced on every build.\n",
    )
    .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    // In parallel: a large site has thousands of folders (create_dir_all tolerates two
    // threads making the same parent).
    dirs.par_iter().try_for_each(|d| {
        std::fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))
    })?;
    files.par_iter().enumerate().try_for_each(|(i, f)| {
        let dest = dir.join(&f.path);
        if let Some((old, unchanged)) = old
            && unchanged[i]
            && std::fs::hard_link(old.join(&f.path), &dest).is_ok()
        {
            return Ok(());
        }
        match &f.data {
            Data::Bytes(b) => std::fs::write(&dest, b),
            Data::Static(b) => std::fs::write(&dest, b),
            Data::Shared(b) => std::fs::write(&dest, b.as_slice()),
            Data::Copy(src) => std::fs::copy(src, &dest).map(|_| ()),
            Data::Link(src) => {
                std::fs::hard_link(src, &dest).or_else(|_| std::fs::copy(src, &dest).map(|_| ()))
            }
        }
        .map_err(|e| format!("cannot write {}: {e}", dest.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "semester-out-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn rand_suffix() -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(1);
        h.finish()
    }

    #[test]
    fn refuses_to_write_over_sources() {
        let root = tmp();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(
            check_out_dir(&root, &root)
                .unwrap_err()
                .contains("course folder itself")
        );
        assert!(
            check_out_dir(&root, root.parent().unwrap())
                .unwrap_err()
                .contains("contains the course")
        );
        assert!(
            check_out_dir(&root, &root.join("content/out"))
                .unwrap_err()
                .contains("inside content/")
        );
        assert!(check_out_dir(&root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        assert!(
            check_out_dir(&root, &root.join("docs"))
                .unwrap_err()
                .contains("did not write")
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn swaps_in_a_complete_site() {
        let root = tmp();
        let out = root.join("public");
        let files = vec![OutputFile {
            path: "a/index.html".into(),
            data: Data::Bytes(b"one".to_vec()),
        }];
        write_site(&out, &files, None).unwrap();
        let files = vec![OutputFile {
            path: "b/index.html".into(),
            data: Data::Bytes(b"two".to_vec()),
        }];
        write_site(&out, &files, None).unwrap();
        assert!(!out.join("a").exists(), "stale files are gone");
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"two");
        assert!(out.join(MARKER).exists());
        let left: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary folders left: {left:?}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// The contents swap (for an output folder that cannot be renamed) leaves exactly the new
    /// site, keeps the marker, and no staging folder; a write that fails leaves the old site.
    #[test]
    fn swapping_contents_leaves_only_the_new_site() {
        let root = tmp();
        let out = root.join("public");
        let one = vec![OutputFile {
            path: "a/index.html".into(),
            data: Data::Bytes(b"one".to_vec()),
        }];
        write_site(&out, &one, None).unwrap();
        let two = vec![
            OutputFile {
                path: "b/index.html".into(),
                data: Data::Bytes(b"two".to_vec()),
            },
            OutputFile {
                path: "c.txt".into(),
                data: Data::Bytes(b"three".to_vec()),
            },
        ];
        swap_contents(&out, &two).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(names, [MARKER, "b", "c.txt"]);
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"two");
        let broken = vec![OutputFile {
            path: "d.txt".into(),
            data: Data::Copy(root.join("no-such-file")),
        }];
        assert!(swap_contents(&out, &broken).is_err());
        assert_eq!(std::fs::read(out.join("c.txt")).unwrap(), b"three");
        assert!(!out.join(NEXT).exists() && !out.join(PREV).exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
