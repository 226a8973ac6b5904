//! Writing only what changed into an output folder that is exactly as the last build left it
//! (its record, [`super::manifest`], was checked against it): the new and changed files, and
//! the removal of files no longer produced. Files the build reuses as they are stay in place.
//!
//! In two phases, so that a failure leaves the previous site exactly as it was:
//!
//! 1. **Write.** Each new or changed file is written completely under a temporary name in the
//!    folder where it goes (`.semester-new-<pid>-<n>`), creating the folders a new file needs.
//!    If any write fails (disk full, no permission, something else where a file must go), every
//!    temporary file and every folder made are removed and the build fails: the old site is
//!    untouched.
//! 2. **Commit**, only once every file is written: each temporary file is renamed over its
//!    target (one atomic step per file: a reader sees the old file or the new one, never part
//!    of one), then the files no longer produced are removed, and the folders this left empty.
//!
//! A build killed during the commit (a few milliseconds per thousand files) can leave a site in
//! which some files are already new and others still old, some old files not yet removed, and
//! temporary `.semester-new-*` files; every file is whole. The record then no longer matches
//! the folder (new inodes, unknown files), so the next build writes a whole new folder and
//! swaps it in, which repairs it. A build killed in the write phase leaves the old site with
//! temporary files and perhaps new empty folders beside it, which the next build (not trusting
//! the folder either) removes with the rest. Large changes are not made in place: see
//! [`IN_PLACE_MAX`]. A failed build leaves every file as it was (bytes and inode), but the
//! change times of the folders it wrote temporary files into have moved: the next build
//! writes a whole new folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{Changes, Manifest};
use crate::base::files::{Data, OutputFile};

/// The largest number of files (written or removed) a build changes in place, unless that is
/// less than a quarter of the site: above it, a whole new folder is written and swapped in
/// (it costs about what writing that many files costs, and a build killed at any moment then
/// leaves the old site or the new one, never a mix).
pub const IN_PLACE_MAX: usize = 256;

/// Why the folder was not updated in place.
#[derive(Debug)]
pub enum NotInPlace {
    /// The change is better made by writing a whole new folder: too large, or a file must go
    /// where the folder has a folder (or the reverse). Nothing was changed.
    Swap,
    /// A file could not be written; nothing was changed. The message names the file.
    Failed(String),
}

/// Whether `changes` are small enough to be made in place ([`IN_PLACE_MAX`]).
pub fn small(files: &[OutputFile], changes: &Changes) -> bool {
    changes.count() <= IN_PLACE_MAX.max(files.len() / 4)
}

/// Makes the folder `out`, which holds what `previous` records, hold `files` (see the module's
/// documentation). Errors: [`NotInPlace`]; an error in the commit phase (a rename refused
/// although the write phase succeeded) is a `Failed` message saying the folder is partly
/// updated.
pub fn update(
    out: &Path,
    files: &[OutputFile],
    previous: &Manifest,
    changes: &Changes,
) -> Result<(), NotInPlace> {
    let changed: Vec<usize> = (0..files.len())
        .filter(|i| !changes.unchanged[*i])
        .collect();
    if conflicts(&changed, files, previous) {
        return Err(NotInPlace::Swap);
    }
    let made = make_folders(out, &changed, files, previous)?;
    let temps: Vec<PathBuf> = changed
        .iter()
        .map(|i| temp_for(out, *i, &files[*i]))
        .collect();
    let written = changed
        .par_iter()
        .zip(&temps)
        .try_for_each(|(i, tmp)| write_one(out, &files[*i], tmp));
    if let Err(e) = written {
        temps.par_iter().for_each(|t| {
            let _ = std::fs::remove_file(t);
        });
        for d in made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        return Err(e);
    }
    commit(out, files, &changed, &temps, &changes.removed)
}

/// Whether a file to write must go where the folder has a folder, or inside a recorded file
/// (`a/b.html/c` while `a/b.html` is a file): a change of kind that renames cannot make.
fn conflicts(changed: &[usize], files: &[OutputFile], previous: &Manifest) -> bool {
    changed.iter().any(|i| {
        let path = files[*i].path.as_str();
        let mut above = path;
        previous.has_folder(path)
            || std::iter::from_fn(|| {
                above = above.rsplit_once('/')?.0;
                Some(above)
            })
            .any(|dir| previous.holds(dir))
    })
}

/// Creates the folders the changed files need that the record does not show (a folder there
/// though unrecorded — empty, made by hand — is used). Returns the folders made, parents
/// first; on failure removes them and names the folder.
fn make_folders(
    out: &Path,
    changed: &[usize],
    files: &[OutputFile],
    previous: &Manifest,
) -> Result<Vec<PathBuf>, NotInPlace> {
    let mut needed = BTreeSet::new();
    for i in changed {
        let mut p = files[*i].path.as_str();
        while let Some((dir, _)) = p.rsplit_once('/') {
            if previous.has_folder(dir) || !needed.insert(dir) {
                break;
            }
            p = dir;
        }
    }
    let mut made = Vec::new();
    // In path order: a parent comes before its children.
    for dir in needed {
        let d = out.join(dir);
        match std::fs::create_dir(&d) {
            Ok(()) => made.push(d),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => {
                for m in made.iter().rev() {
                    let _ = std::fs::remove_dir(m);
                }
                let msg = format!("cannot create {}: {e}", d.display());
                return Err(NotInPlace::Failed(msg));
            }
        }
    }
    Ok(made)
}

/// The temporary name of `f`, the `n`th file of the build, while it is written: in the folder where it goes (so that the
/// rename is one step on one file system), a short name whatever the length of the target's.
fn temp_for(out: &Path, n: usize, f: &OutputFile) -> PathBuf {
    let name = format!("{TEMP_PREFIX}{}-{n}", std::process::id());
    match f.path.rsplit_once('/') {
        Some((dir, _)) => out.join(dir).join(name),
        None => out.join(name),
    }
}

/// What the temporary files of an update are named like.
pub const TEMP_PREFIX: &str = ".semester-new-";

/// Writes `f` completely to `tmp`, failing if its target is not a file.
fn write_one(out: &Path, f: &OutputFile, tmp: &Path) -> Result<(), NotInPlace> {
    let dest = out.join(&f.path);
    if std::fs::symlink_metadata(&dest).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(NotInPlace::Failed(format!(
            "cannot write {}: something other than a file is there",
            dest.display()
        )));
    }
    match &f.data {
        Data::Bytes(b) => std::fs::write(tmp, b),
        Data::Static(b) => std::fs::write(tmp, b),
        Data::Shared(b) => std::fs::write(tmp, b.as_slice()),
        Data::Copy(src) => std::fs::copy(src, tmp).map(|_| ()),
        // A link to the target itself would make the rename a no-op that leaves `tmp`.
        Data::Link(src) if *src == dest => std::fs::copy(src, tmp).map(|_| ()),
        Data::Link(src) => {
            std::fs::hard_link(src, tmp).or_else(|_| std::fs::copy(src, tmp).map(|_| ()))
        }
    }
    .map_err(|e| NotInPlace::Failed(format!("cannot write {}: {e}", dest.display())))
}

/// The commit phase: the written files renamed over their targets, then the `removed` files
/// and the folders they leave empty removed.
fn commit(
    out: &Path,
    files: &[OutputFile],
    changed: &[usize],
    temps: &[PathBuf],
    removed: &[String],
) -> Result<(), NotInPlace> {
    let renamed = changed.par_iter().zip(temps).try_for_each(|(i, tmp)| {
        let dest = out.join(&files[*i].path);
        std::fs::rename(tmp, &dest).map_err(|e| (dest, e))
    });
    if let Err((dest, e)) = renamed {
        temps.par_iter().for_each(|t| {
            let _ = std::fs::remove_file(t);
        });
        return Err(NotInPlace::Failed(format!(
            "cannot put {} in place: {e}; the output folder is partly updated, and the next build writes it whole",
            dest.display()
        )));
    }
    removed.par_iter().for_each(|p| {
        let _ = std::fs::remove_file(out.join(p));
    });
    // The folders removals emptied, deepest first; a folder still holding files stays.
    let mut emptied: Vec<&str> = removed
        .iter()
        .flat_map(|p| {
            let mut p = p.as_str();
            std::iter::from_fn(move || {
                p = p.rsplit_once('/')?.0;
                Some(p)
            })
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    emptied.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for d in emptied {
        let _ = std::fs::remove_dir(out.join(d));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path, PathBuf};

    use crate::base::files::{Data, OutputFile};
    use crate::site::manifest::{self, Manifest};
    use crate::site::output::{Swap, write_site};

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("semester-update-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn site(files: &[(&str, &str)]) -> Vec<OutputFile> {
        let file = |(p, t): &(&str, &str)| OutputFile {
            path: p.to_string(),
            data: Data::Bytes(t.as_bytes().to_vec()),
        };
        files.iter().map(file).collect()
    }

    /// Each file's bytes and inode, by path.
    type Files = BTreeMap<String, (Vec<u8>, u64)>;

    /// Every file (bytes and inode) and folder below `dir`, the marker included.
    fn snapshot(dir: &Path) -> (Files, BTreeSet<String>) {
        let (mut files, mut folders) = (BTreeMap::new(), BTreeSet::new());
        for e in walkdir::WalkDir::new(dir).min_depth(1) {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if e.file_type().is_dir() {
                folders.insert(rel);
            } else {
                let ino = e.metadata().unwrap().ino();
                files.insert(rel, (std::fs::read(e.path()).unwrap(), ino));
            }
        }
        (files, folders)
    }

    /// Writes `files` into `out` as `build` does (with the record of the last write) and
    /// records the result.
    fn build(out: &Path, files: &[OutputFile]) -> Result<Swap, String> {
        let previous = Manifest::load(out);
        let changes = previous.as_ref().map(|m| m.changes(files));
        let previous = previous.as_ref().zip(changes.as_ref());
        let swap = write_site(out, files, previous)?;
        if swap != Swap::Unchanged {
            manifest::record(out, files, previous, swap == Swap::InPlace);
        }
        Ok(swap)
    }

    const ONE: &[(&str, &str)] = &[
        ("index.html", "home"),
        ("a/index.html", "a"),
        ("gone/deep/index.html", "gone"),
        ("search/1.json", "[1]"),
    ];
    const TWO: &[(&str, &str)] = &[
        ("index.html", "home"),
        ("a/index.html", "a, changed"),
        ("new/deep/index.html", "new"),
        ("search/1.json", "[1]"),
    ];

    /// An update in place writes the changed and new files, removes the files no longer built
    /// and the folders they leave empty, and leaves the others alone: the folder is then
    /// exactly what a fresh write of the new site gives, and a second build trusts it.
    #[test]
    fn an_update_in_place_equals_a_fresh_write() {
        let d = tmp("equal");
        let (out, fresh) = (d.join("public"), d.join("fresh"));
        assert_eq!(build(&out, &site(ONE)), Ok(Swap::Folder));
        let before = snapshot(&out).0;
        assert_eq!(build(&out, &site(TWO)), Ok(Swap::InPlace));
        assert_eq!(build(&fresh, &site(TWO)), Ok(Swap::Folder));
        let (got, want) = (snapshot(&out), snapshot(&fresh));
        let bytes = |s: &Files| -> Vec<(String, Vec<u8>)> {
            s.iter().map(|(p, (b, _))| (p.clone(), b.clone())).collect()
        };
        assert_eq!(bytes(&got.0), bytes(&want.0));
        assert_eq!(got.1, want.1, "the folders");
        for kept in ["index.html", "search/1.json"] {
            assert_eq!(got.0[kept].1, before[kept].1, "{kept} was written again");
        }
        assert_ne!(got.0["a/index.html"].1, before["a/index.html"].1);
        assert_eq!(build(&out, &site(TWO)), Ok(Swap::Unchanged));
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A write that fails in the middle (a source that cannot be read, after other files and a
    /// new folder were made) leaves the previous site exactly as it was — every file, inode and
    /// folder — whether the change was to be made in place or by a new folder.
    #[test]
    fn a_failed_write_leaves_the_previous_site_exactly() {
        let d = tmp("failed");
        let out = d.join("public");
        build(&out, &site(ONE)).unwrap();
        let before = snapshot(&out);
        let mut broken = site(TWO);
        broken.push(OutputFile {
            path: "new/zz/missing.css".into(),
            data: Data::Copy(d.join("no-such-file")),
        });
        let err = build(&out, &broken).unwrap_err();
        assert!(err.contains("new/zz/missing.css"), "{err}");
        assert_eq!(snapshot(&out), before, "in place");
        manifest::forget(&out);
        assert!(build(&out, &broken).is_err());
        assert_eq!(snapshot(&out), before, "by a new folder");
        build(&out, &site(TWO)).unwrap();
        let names: Vec<String> = snapshot(&out).0.into_keys().collect();
        let want = [
            ".semester-output",
            "a/index.html",
            "index.html",
            "new/deep/index.html",
            "search/1.json",
        ];
        assert_eq!(names, want);
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A file where the old site has a folder (or the reverse) cannot be renamed into place: the
    /// build writes a whole new folder instead.
    #[test]
    fn a_file_where_a_folder_was_swaps_a_new_folder_in() {
        let d = tmp("kind");
        let out = d.join("public");
        build(&out, &site(ONE)).unwrap();
        let two = site(&[("index.html", "home"), ("a", "a file now")]);
        assert_eq!(build(&out, &two), Ok(Swap::Folder));
        assert_eq!(std::fs::read(out.join("a")).unwrap(), b"a file now");
        let three = site(&[("index.html", "home"), ("a/index.html", "a folder again")]);
        assert_eq!(build(&out, &three), Ok(Swap::Folder));
        let (files, folders) = snapshot(&out);
        let names: Vec<&String> = files.keys().collect();
        assert_eq!(names, [".semester-output", "a/index.html", "index.html"]);
        assert_eq!(folders, BTreeSet::from(["a".to_string()]));
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A large change (more than IN_PLACE_MAX files and a quarter of the site) is written as a
    /// new folder, so that a build killed meanwhile leaves the old site or the new one.
    #[test]
    fn a_large_change_swaps_a_new_folder_in() {
        let d = tmp("large");
        let out = d.join("public");
        let many = |v: &str| -> Vec<OutputFile> {
            let f = |i| OutputFile {
                path: format!("p{i}/index.html"),
                data: Data::Bytes(format!("{v} {i}").into_bytes()),
            };
            (0..super::IN_PLACE_MAX + 1).map(f).collect()
        };
        build(&out, &many("one")).unwrap();
        assert_eq!(build(&out, &many("two")), Ok(Swap::Folder));
        let mut three = many("two");
        three[0].data = Data::Bytes(b"three".to_vec());
        assert_eq!(build(&out, &three), Ok(Swap::InPlace));
        assert_eq!(std::fs::read(out.join("p0/index.html")).unwrap(), b"three");
        let _ = std::fs::remove_dir_all(&d);
    }
}
