//! A rebuild into the same output folder writes only what changed (issue 12: a no-change
//! build costs less than copying the site), and never trusts its record of the folder when
//! someone else has touched it: the result is always the site a fresh build writes.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{TempDir, read_folders, read_tree, run};

fn build(course: &Path, out: &Path, cache: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(["build", "--root"])
        .arg(course)
        .arg("--out")
        .arg(out)
        .env("SEMESTER_CACHE_DIR", cache)
        .output()
        .expect("run semester");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Each file of the folder with its inode, which tells a file left alone from one written.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                e.metadata().unwrap().ino(),
            )
        })
        .collect()
}

fn setup(tmp: &TempDir) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let course = tmp.path().join("course");
    assert!(run(&["new", &course.to_string_lossy()]).status.success());
    let (out, cache) = (tmp.path().join("public"), tmp.path().join("cache"));
    build(&course, &out, &cache);
    (course, out, cache)
}

/// The output folder of a fresh build of `course` (its own folder and cache, named by `tag`).
fn fresh_out(tmp: &TempDir, course: &Path, tag: &str) -> PathBuf {
    let out = tmp.path().join(format!("fresh-{tag}"));
    build(course, &out, &tmp.path().join(format!("cache-{tag}")));
    out
}

/// The site a fresh build of `course` writes.
fn fresh(tmp: &TempDir, course: &Path, tag: &str) -> BTreeMap<String, Vec<u8>> {
    read_tree(&fresh_out(tmp, course, tag))
}

#[test]
fn a_build_with_nothing_changed_leaves_every_file_alone() {
    let tmp = TempDir::new("reuse-nochange");
    let (course, out, cache) = setup(&tmp);
    let before = inodes(&out);
    build(&course, &out, &cache);
    assert_eq!(inodes(&out), before, "a file was written again");
    assert_eq!(read_tree(&out), fresh(&tmp, &course, "a"));
}

#[test]
fn an_edit_writes_the_changed_files_and_links_the_rest() {
    let tmp = TempDir::new("reuse-edit");
    let (course, out, cache) = setup(&tmp);
    let before = inodes(&out);
    let syllabus = course.join("content/syllabus.md");
    let text = std::fs::read_to_string(&syllabus).unwrap();
    std::fs::write(&syllabus, format!("{text}\nOne more line.\n")).unwrap();
    build(&course, &out, &cache);
    let after = inodes(&out);
    let page = after
        .keys()
        .find(|k| k.ends_with("syllabus/index.html"))
        .expect("the syllabus page");
    assert_ne!(after[page], before[page], "the edited page was not written");
    let kept = after.iter().filter(|(k, i)| before.get(*k) == Some(i));
    assert!(
        kept.count() * 2 > after.len(),
        "most files are unchanged and must be linked, not written"
    );
    assert_eq!(read_tree(&out), fresh(&tmp, &course, "b"));
}

#[test]
fn a_folder_touched_by_hand_is_written_whole() {
    let tmp = TempDir::new("reuse-touched");
    let (course, out, cache) = setup(&tmp);
    let want = fresh(&tmp, &course, "c");
    let page = out.join(
        read_tree(&out)
            .keys()
            .find(|k| k.ends_with("syllabus/index.html"))
            .expect("the syllabus page"),
    );
    // Edited in place (same inode, same size: only the time tells), removed, and an extra file.
    let bytes = std::fs::read(&page).unwrap();
    let mut changed = bytes.clone();
    changed[0] = b'X';
    // File times are kept at the kernel's clock tick: let one pass, as it would for a person.
    std::thread::sleep(std::time::Duration::from_millis(50));
    std::fs::write(&page, &changed).unwrap();
    build(&course, &out, &cache);
    assert_eq!(read_tree(&out), want, "a file edited by hand was kept");
    std::fs::remove_file(&page).unwrap();
    build(&course, &out, &cache);
    assert_eq!(
        read_tree(&out),
        want,
        "a file removed by hand was not written"
    );
    std::fs::write(out.join("stray.txt"), "x").unwrap();
    build(&course, &out, &cache);
    assert_eq!(read_tree(&out), want, "a file added by hand was kept");
    // Deeper, where only the folder's change time tells: a file beside a page, an empty
    // folder, and what a build killed while writing in place leaves.
    let folder = page.parent().unwrap().to_path_buf();
    for (what, path) in [
        ("a file added beside a page", folder.join("notes.txt")),
        ("a temporary file", folder.join(".semester-new-1-2")),
    ] {
        std::fs::write(&path, "x").unwrap();
        build(&course, &out, &cache);
        assert_eq!(read_tree(&out), want, "{what} was kept");
    }
    std::fs::create_dir(folder.join("empty")).unwrap();
    build(&course, &out, &cache);
    assert!(
        !folder.join("empty").exists(),
        "a folder made by hand was kept"
    );
    assert_eq!(read_folders(&out), fresh_folders(&tmp, &course, "d"));
}

/// The folders a fresh build of `course` writes.
fn fresh_folders(tmp: &TempDir, course: &Path, tag: &str) -> std::collections::BTreeSet<String> {
    read_folders(&fresh_out(tmp, course, tag))
}

/// A page added and removed again: updated in place (the other pages keep their inodes), the
/// output is the fresh build's, folders included (the page's folder goes with it).
#[test]
fn a_page_added_and_removed_leaves_what_a_fresh_build_writes() {
    let tmp = TempDir::new("reuse-remove");
    let (course, out, cache) = setup(&tmp);
    let page = course.join("content/topics/extra-topic.md");
    std::fs::write(&page, "---\ntitle: Extra\n---\n\nMore.\n").unwrap();
    build(&course, &out, &cache);
    assert!(
        read_folders(&out)
            .iter()
            .any(|f| f.ends_with("extra-topic"))
    );
    assert_eq!(read_tree(&out), fresh(&tmp, &course, "e"));
    let before = inodes(&out);
    std::fs::remove_file(&page).unwrap();
    build(&course, &out, &cache);
    assert_eq!(read_tree(&out), fresh(&tmp, &course, "f"));
    assert_eq!(read_folders(&out), fresh_folders(&tmp, &course, "g"));
    let after = inodes(&out);
    let syllabus = after
        .keys()
        .find(|k| k.ends_with("syllabus/index.html"))
        .unwrap();
    assert_eq!(after[syllabus], before[syllabus], "not updated in place");
}

/// `semester build` into `out` with a limit on the size of any file it writes (as a full disk
/// would refuse it): `ulimit -f` in blocks of 512 bytes, SIGXFSZ ignored so that the write
/// fails with EFBIG instead of killing the process.
fn build_limited(course: &Path, out: &Path, cache: &Path, blocks: u32) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_semester"))
        .args(["build", "--root"])
        .arg(course)
        .arg("--out")
        .arg(out)
        .env("SEMESTER_CACHE_DIR", cache)
        .output()
        .expect("run semester")
}

/// Every file (bytes and inode) and folder of an output: what "exactly as it was" means.
#[derive(PartialEq)]
struct Snapshot {
    bytes: BTreeMap<String, Vec<u8>>,
    inodes: BTreeMap<String, u64>,
    folders: std::collections::BTreeSet<String>,
}

fn snapshot(dir: &Path) -> Snapshot {
    Snapshot {
        bytes: read_tree(dir),
        inodes: inodes(dir),
        folders: read_folders(dir),
    }
}

/// A build that fails while writing (a page too large for the disk, written into a new
/// folder) leaves the previous output exactly as it was, whether the change was to be made in
/// place or, with the cache gone, by writing a whole new folder; the error names the file.
#[test]
fn a_build_that_cannot_write_leaves_the_previous_output_exactly() {
    let tmp = TempDir::new("reuse-full");
    let (course, out, cache) = setup(&tmp);
    let before = snapshot(&out);
    let page = course.join("content/topics/huge-topic.md");
    let body = "A long line of text that makes this page large. ".repeat(4000);
    std::fs::write(&page, format!("---\ntitle: Huge\n---\n\n{body}\n")).unwrap();
    for (what, cache) in [
        ("in place", cache.clone()),
        ("new folder", tmp.path().join("none")),
    ] {
        let r = build_limited(&course, &out, &cache, 256);
        assert_eq!(r.status.code(), Some(1), "{what}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            err.contains("error: cannot write") && err.contains("huge-topic"),
            "{what}: {err}"
        );
        assert!(
            snapshot(&out) == before,
            "{what}: the previous output changed"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["cache", "course", "public"],
        "nothing left beside the output"
    );
    build(&course, &out, &cache);
    assert_eq!(read_tree(&out), fresh(&tmp, &course, "h"));
}
