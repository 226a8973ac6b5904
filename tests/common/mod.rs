//! Helpers shared by the integration tests: temporary course folders and output trees.
#![allow(dead_code)]

pub mod golden;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// tests/fixtures/basic in `dir`, frozen as fall-2026, then a spring-2027 term (the same
/// sessions, dates moved) made current: a course with a frozen term beside the current one.
pub fn basic_frozen_then_spring(dir: &Path) {
    copy_tree(&repo().join("tests/fixtures/basic"), dir);
    let _ = std::fs::remove_dir_all(dir.join("expected"));
    semester::freeze(dir, false).unwrap_or_else(|d| panic!("{:?}", d.into_vec()));
    let term = std::fs::read_to_string(dir.join("terms/fall-2026.yaml")).unwrap();
    let next = term
        .replace("Fall 2026", "Spring 2027")
        .replace("2026-09-08", "2027-01-19")
        .replace("2026-10-30", "2027-03-26")
        .replace("2026-10-12", "2027-03-08")
        .replace("2026-10-16", "2027-03-12")
        .replace("2026-10-19", "2027-03-16")
        .replace("2026-10-02", "2027-02-12")
        .replace("2026-10-22", "2027-03-18")
        .replace("2026-10-23", "2027-03-19")
        .replace("2026-11-05", "2027-04-01");
    std::fs::write(dir.join("terms/spring-2027.yaml"), next).unwrap();
    let yaml = std::fs::read_to_string(dir.join("course.yaml")).unwrap();
    let yaml = yaml.replace("current_term: fall-2026", "current_term: spring-2027");
    std::fs::write(dir.join("course.yaml"), yaml).unwrap();
}

/// A temporary folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let p =
            std::env::temp_dir().join(format!("semester-test-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository root (the bundled course).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree (symlinks are recreated, not followed).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("below root");
        let dest = to.join(rel);
        let ft = entry.file_type();
        if ft.is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if ft.is_symlink() {
            let target = std::fs::read_link(entry.path()).expect("readlink");
            let _ = std::fs::remove_file(&dest);
            std::os::unix::fs::symlink(target, &dest).expect("symlink");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Every file below `dir` (relative path → bytes).
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Every folder below `dir` (relative, `/`-separated), to tell an output left with empty
/// folders from a fresh one.
pub fn read_folders(dir: &Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("below");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// Build options with a fixed date, so output does not depend on the day the test runs.
pub fn options() -> semester::BuildOptions {
    semester::BuildOptions {
        drafts: false,
        private: false,
        as_of: jiff::civil::date(2026, 1, 1),
        base_url: None,
        search: true,
        outside_links: false,
    }
}

/// Runs the built binary.
pub fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(args)
        .output()
        .expect("run semester")
}

// ---- Tools outside Rust ----------------------------------------------------------------------
//
// A check that needs a program outside Rust asks for it with `need`. Where the program is
// missing, the check is skipped with a line printed past libtest's capture (so it shows in the
// summary of a plain `cargo test`, with what is missing and how to get it); under `CI=true` a
// missing program fails the check instead: CI never reads a check that did not run as "ok".

/// The tool `found`, or `None` after saying that the calling check is skipped for want of
/// `what` (how to get it included). Under `CI=true` a missing tool is a failure.
#[track_caller]
pub fn need<T>(found: Option<T>, what: &str) -> Option<T> {
    if found.is_some() {
        return found;
    }
    let advice =
        "`.ci/run tools` installs every tool of the full suite; README, \"Tests\", lists them";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("missing {what}\n({advice})");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a check")
        .to_string();
    // Written to the process's stderr directly, not through eprintln!, which libtest captures.
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {test}: missing {what} ({advice})"
    );
    None
}

/// Every file called `name` in the folders of PATH, in PATH's order.
pub fn all_on_path(name: &str) -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .filter(|p| p.is_file())
        .collect()
}

/// The program `$env_var` names, else the first `name` on PATH.
pub fn tool(env_var: &str, name: &str) -> Option<PathBuf> {
    match std::env::var_os(env_var) {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => all_on_path(name).into_iter().next(),
    }
}

/// A copy of the bundled course (course.yaml, terms/, content/) in `tmp` whose `language` is
/// `lang`: the same pages with the interface in another language.
pub fn bundled_course_in(tmp: &TempDir, lang: &str) -> PathBuf {
    let root = tmp.path().join(format!("course-{lang}"));
    for part in ["terms", "content"] {
        copy_tree(&repo().join(part), &root.join(part));
    }
    let yaml = std::fs::read_to_string(repo().join("course.yaml")).expect("course.yaml");
    let yaml = yaml.replacen("\nlanguage: en\n", &format!("\nlanguage: {lang}\n"), 1);
    assert!(
        yaml.contains(&format!("\nlanguage: {lang}\n")),
        "course.yaml sets language"
    );
    std::fs::write(root.join("course.yaml"), yaml).expect("write course.yaml");
    root
}
