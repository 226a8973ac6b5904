//! A rebuild into the same output folder writes only what changed (issue 12: a no-change
//! build costs less than copying the site), and never trusts its record of the folder when
//! someone else has touched it: the result is always the site a fresh build writes.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Output};

use common::{TempDir, read_tree, run};

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

/// The site a fresh build of `course` writes (its own output folder and cache).
fn fresh(tmp: &TempDir, course: &Path, tag: &str) -> BTreeMap<String, Vec<u8>> {
    let out = tmp.path().join(format!("fresh-{tag}"));
    build(course, &out, &tmp.path().join(format!("cache-{tag}")));
    read_tree(&out)
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
}
