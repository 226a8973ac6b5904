//! The build cache is never trusted from the course: a cache shipped in a repository is never
//! read, and a cache file that is not a regular file of sane size is not read either, so a
//! tampered cache can cost time but never change output (issue 19, "The cache is never trusted").

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{TempDir, read_tree, run};

fn semester(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(args)
        .env("SEMESTER_CACHE_DIR", cache)
        .output()
        .expect("run semester")
}

/// A new course with a lab holding code, built once into public/ with the cache in `cache`.
fn course(tmp: &TempDir, cache: &Path) -> std::path::PathBuf {
    let course = tmp.path().join("course");
    assert!(run(&["new", &course.to_string_lossy()]).status.success());
    std::fs::write(
        course.join("content/notes.md"),
        "---\ntitle: Notes\n---\n\n```python\nprint('hello')\n```\n",
    )
    .unwrap();
    let built = semester(&["build", "--root", &course.to_string_lossy()], cache);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    course
}

fn the_code_cache(cache: &Path) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "code"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn a_cache_shipped_in_the_course_is_never_read_and_check_warns() {
    let tmp = TempDir::new("cache-shipped");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let clean = read_tree(&course.join("public"));
    // A real cache, doctored to inject a script, committed beside public/ as old versions kept it.
    let real = std::fs::read(the_code_cache(&cache)).unwrap();
    let text = String::from_utf8_lossy(&real).replace("hello", "<script>alert(1)</script>");
    std::fs::write(course.join(".public.semester-cache"), text.as_bytes()).unwrap();
    let fresh_cache = tmp.path().join("fresh-cache");
    let built = semester(
        &["build", "--root", &course.to_string_lossy()],
        &fresh_cache,
    );
    assert!(built.status.success());
    let site = read_tree(&course.join("public"));
    assert!(
        site.values()
            .all(|b| !String::from_utf8_lossy(b).contains("alert(1)")),
        "the shipped cache was read"
    );
    assert_eq!(site, clean);
    let checked = semester(
        &["check", "--root", &course.to_string_lossy()],
        &fresh_cache,
    );
    let err = String::from_utf8_lossy(&checked.stderr);
    assert!(
        err.contains(".public.semester-cache:1:1: warning: a build cache of an older semester"),
        "{err}"
    );
}

#[test]
fn a_cache_file_that_is_a_link_to_dev_zero_is_not_read() {
    let tmp = TempDir::new("cache-zero");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let clean = read_tree(&course.join("public"));
    let file = the_code_cache(&cache);
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
    let started = Instant::now();
    let built = semester(&["build", "--root", &course.to_string_lossy()], &cache);
    assert!(built.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the build read /dev/zero"
    );
    assert_eq!(read_tree(&course.join("public")), clean);
}

#[test]
fn a_tampered_frozen_term_in_the_previous_output_is_rendered_again() {
    let tmp = TempDir::new("cache-frozen");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let root = course.to_string_lossy().to_string();
    assert!(
        semester(&["freeze", "--root", &root], &cache)
            .status
            .success()
    );
    let yaml = std::fs::read_to_string(course.join("course.yaml")).unwrap();
    let current = yaml
        .lines()
        .find_map(|l| l.strip_prefix("current_term: "))
        .unwrap()
        .trim()
        .to_string();
    let term = std::fs::read_to_string(course.join(format!("terms/{current}.yaml"))).unwrap();
    std::fs::write(
        course.join("terms/next-term.yaml"),
        term.replace("name: ", "name: Next "),
    )
    .unwrap();
    std::fs::write(
        course.join("course.yaml"),
        yaml.replace(
            &format!("current_term: {current}"),
            "current_term: next-term",
        ),
    )
    .unwrap();
    assert!(
        semester(&["build", "--root", &root], &cache)
            .status
            .success()
    );
    let clean = read_tree(&course.join("public"));
    // Someone edits the frozen term's published page in public/ between builds.
    let page = course.join("public").join(&current).join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        html.replace("<main", "<script>alert(1)</script><main"),
    )
    .unwrap();
    assert!(
        semester(&["build", "--root", &root], &cache)
            .status
            .success()
    );
    assert_eq!(
        read_tree(&course.join("public")),
        clean,
        "the tampered page was reused"
    );
}

/// Runs `semester serve` on `course` with its cache in `cache` until it has built the site once,
/// then stops it.
fn serve_once(course: &Path, cache: &Path) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(["serve", "--port", "0", "--root"])
        .arg(course)
        .env("SEMESTER_CACHE_DIR", cache)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start serve");
    let stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let serving = stderr
        .lines()
        .map_while(Result::ok)
        .any(|l| l.starts_with("Serving "));
    let _ = child.kill();
    let _ = child.wait();
    assert!(serving, "serve did not start");
}

/// Writes `real` to `file` with each `hello` made `word` (of the same length, byte for byte,
/// so the file stays a whole cache, which a build trusts).
fn with_hello_as(file: &Path, real: &[u8], word: &str) {
    let mut bytes = real.to_vec();
    let at: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i..].starts_with(b"hello"))
        .collect();
    assert!(!at.is_empty(), "the cache holds the code");
    for i in at {
        bytes[i..i + 5].copy_from_slice(word.as_bytes());
    }
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn builds_into_any_folder_and_serve_share_the_course_code_cache() {
    let tmp = TempDir::new("cache-shared");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let file = the_code_cache(&cache);
    let real = std::fs::read(&file).unwrap();
    with_hello_as(&file, &real, "HELLO");
    let elsewhere = tmp.path().join("elsewhere");
    let args = ["build", "--root", &course.to_string_lossy(), "--out"];
    let built = semester(
        &[&args[..], &[&elsewhere.to_string_lossy()]].concat(),
        &cache,
    );
    assert!(built.status.success());
    let shown = |dir: &Path, word: &str| {
        read_tree(dir)
            .values()
            .any(|b| String::from_utf8_lossy(b).contains(word))
    };
    assert!(
        shown(&elsewhere, "HELLO"),
        "a build into another folder read the course's cache"
    );
    assert_eq!(the_code_cache(&cache), file, "one code cache per course");
    // serve reads it (what it keeps is what it used: the cache's HTML, not a new highlight) ...
    with_hello_as(&file, &real, "HOLLA");
    serve_once(&course, &cache);
    assert!(String::from_utf8_lossy(&std::fs::read(&file).unwrap()).contains("HOLLA"));
    // ... and writes it for the next build when there was none.
    std::fs::remove_dir_all(&cache).unwrap();
    serve_once(&course, &cache);
    assert_eq!(std::fs::read(the_code_cache(&cache)).unwrap(), real);
}
