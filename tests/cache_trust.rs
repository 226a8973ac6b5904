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
        .env("SEMESTER_CACHE_SECRET", SECRET)
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

/// The code cache file below `cache` (`$SEMESTER_CACHE_DIR/<hash of the output's parent>/code`).
fn the_code_cache(cache: &Path) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("code"))
        .filter(|p| p.is_file())
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
        .env("SEMESTER_CACHE_SECRET", SECRET)
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

/// The cache secret of every semester these tests run: caches they doctor are sealed with it,
/// as the user's own would be (docs/format.md, "The build cache").
const SECRET: &str = "cache-trust-test-secret";

/// The seal `semester` puts before the cache file `body` under [`SECRET`].
fn sealed(body: &[u8]) -> Vec<u8> {
    let key = siphasher::sip128::SipHasher24::new().hash(SECRET.as_bytes());
    let tag = siphasher::sip128::SipHasher24::new_with_key(&key.as_bytes()).hash(body);
    [&tag.as_bytes()[..], body].concat()
}

/// Writes `real` to `file` with each `hello` made `word` (of the same length, byte for byte,
/// so the file stays a whole cache), sealed again with [`SECRET`]: the user's own cache,
/// changed, which a build trusts.
fn with_hello_as(file: &Path, real: &[u8], word: &str) {
    let mut bytes = real[16..].to_vec();
    let at: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i..].starts_with(b"hello"))
        .collect();
    assert!(!at.is_empty(), "the cache holds the code");
    for i in at {
        bytes[i..i + 5].copy_from_slice(word.as_bytes());
    }
    std::fs::write(file, sealed(&bytes)).unwrap();
}

#[test]
fn builds_into_folders_side_by_side_and_serve_share_one_code_cache() {
    let tmp = TempDir::new("cache-shared");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let file = the_code_cache(&cache);
    let real = std::fs::read(&file).unwrap();
    with_hello_as(&file, &real, "HELLO");
    let beside = course.join("preview");
    let args = ["build", "--root", &course.to_string_lossy(), "--out"];
    let built = semester(&[&args[..], &[&beside.to_string_lossy()]].concat(), &cache);
    assert!(built.status.success());
    let shown = |dir: &Path, word: &str| {
        read_tree(dir)
            .values()
            .any(|b| String::from_utf8_lossy(b).contains(word))
    };
    assert!(
        shown(&beside, "HELLO"),
        "a build into a folder beside public/ read its cache"
    );
    assert_eq!(the_code_cache(&cache), file, "one code cache beside both");
    // serve reads it (what it keeps is what it used: the cache's HTML, not a new highlight) ...
    with_hello_as(&file, &real, "HOLLA");
    serve_once(&course, &cache);
    assert!(String::from_utf8_lossy(&std::fs::read(&file).unwrap()).contains("HOLLA"));
    // ... and writes it for the next build when there was none.
    std::fs::remove_dir_all(&cache).unwrap();
    serve_once(&course, &cache);
    assert_eq!(std::fs::read(the_code_cache(&cache)).unwrap(), real);
}

/// Without `$SEMESTER_CACHE_DIR` the cache is `.semester-cache/` beside the output, which tells
/// git to ignore it; a cache that git tracks all the same (it came with the repository) is
/// never read, and `check` says so.
#[test]
fn the_cache_beside_the_output_is_never_read_when_git_tracks_it() {
    let tmp = TempDir::new("cache-git");
    let course = tmp.path().join("course");
    assert!(run(&["new", &course.to_string_lossy()]).status.success());
    std::fs::write(
        course.join("content/notes.md"),
        "---\ntitle: Notes\n---\n\n```python\nprint('hello')\n```\n",
    )
    .unwrap();
    let root = course.to_string_lossy().to_string();
    let build = || {
        let out = Command::new(env!("CARGO_BIN_EXE_semester"))
            .env("SEMESTER_CACHE_SECRET", SECRET)
            .args(["build", "--root", &root])
            .env_remove("SEMESTER_CACHE_DIR")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build();
    let dir = course.join(".semester-cache");
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "# Written by semester: a build cache, never committed.\n*\n"
    );
    let clean = read_tree(&course.join("public"));
    let file = dir.join("code");
    let real = std::fs::read(&file).unwrap();
    // The doctored cache is read while git does not track it ...
    with_hello_as(&file, &real, "HELLO");
    std::fs::write(
        course.join("content/notes.md"),
        "---\ntitle: Notes\n---\n\n```python\nprint('hello')\n```\n\nMore.\n",
    )
    .unwrap();
    build();
    assert!(
        read_tree(&course.join("public"))
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("HELLO"))
    );
    // ... and not once git tracks it (forced past its .gitignore, as a hostile repository would).
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&course)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        eprintln!("SKIPPED: git is not installed");
        return;
    }
    assert!(
        git(&["add", "-f", ".semester-cache/code"])
            .unwrap()
            .status
            .success()
    );
    std::fs::write(
        course.join("content/notes.md"),
        "---\ntitle: Notes\n---\n\n```python\nprint('hello')\n```\n",
    )
    .unwrap();
    let renders = dir.join("public.renders");
    // A build that wrote into the folder would sweep a file it does not know.
    std::fs::write(renders.join("stray"), "x").unwrap();
    let before = read_tree(&renders);
    build();
    assert_eq!(
        read_tree(&course.join("public")),
        clean,
        "a tracked cache was read"
    );
    assert_eq!(read_tree(&renders), before, "a tracked cache was written");
    let checked = Command::new(env!("CARGO_BIN_EXE_semester"))
        .env("SEMESTER_CACHE_SECRET", SECRET)
        .args(["check", "--root", &root])
        .env_remove("SEMESTER_CACHE_DIR")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&checked.stderr);
    assert!(
        err.contains(
            ".semester-cache:1:1: warning: git tracks this build cache, so it is never read"
        ),
        "{err}"
    );
}

/// A page of the current term edited by hand in the output is written again by the next build:
/// a build reuses a page of the previous output only while that folder is as it left it.
#[test]
fn a_tampered_page_in_the_previous_output_is_written_again() {
    let tmp = TempDir::new("cache-page");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let root = course.to_string_lossy().to_string();
    let clean = read_tree(&course.join("public"));
    let page = clean
        .keys()
        .find(|p| p.ends_with("notes/index.html"))
        .expect("the notes page")
        .clone();
    let file = course.join("public").join(&page);
    let html = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
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

/// A cache sealed with someone else's secret — a `.semester-cache/` that came in an archive of
/// a course, not through git — is never read: the doctored code does not reach the pages, and
/// the next build is as if there were no cache.
#[test]
fn a_cache_sealed_by_someone_else_is_never_read() {
    let tmp = TempDir::new("cache-foreign");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let clean = read_tree(&course.join("public"));
    let file = the_code_cache(&cache);
    let real = std::fs::read(&file).unwrap();
    // The same cache, the code made a script, sealed with another secret (its author's).
    let body = String::from_utf8_lossy(&real[16..]).replace("hello", "<b>x</b>");
    let theirs = siphasher::sip128::SipHasher24::new_with_key(&[9; 16]).hash(body.as_bytes());
    std::fs::write(&file, [&theirs.as_bytes()[..], body.as_bytes()].concat()).unwrap();
    std::fs::remove_dir_all(course.join("public")).unwrap();
    let built = semester(&["build", "--root", &course.to_string_lossy()], &cache);
    assert!(built.status.success());
    assert_eq!(read_tree(&course.join("public")), clean);
}

/// A page's rendered Markdown kept in the cache, changed after it was written (the user's own
/// cache, the index untouched), is never used: the build that reads it is made again without
/// the cache, and the site is the one a fresh build makes.
#[test]
fn a_tampered_render_in_the_cache_is_never_used() {
    let tmp = TempDir::new("cache-render");
    let cache = tmp.path().join("cache");
    let course = course(&tmp, &cache);
    let root = course.to_string_lossy().to_string();
    let clean = read_tree(&course.join("public"));
    let renders: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("public.renders"))
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(renders.len(), 1, "{renders:?}");
    let mut changed = 0;
    for e in std::fs::read_dir(&renders[0]).unwrap().flatten() {
        let html = std::fs::read_to_string(e.path()).unwrap();
        if html.contains("hello") {
            // Same length, so only the tag can tell.
            std::fs::write(e.path(), html.replace("hello", "HELLO")).unwrap();
            changed += 1;
        }
    }
    assert!(
        changed >= 1,
        "the notes page's render is kept in a file of its own"
    );
    // Without the previous output every page is rendered from the kept Markdown.
    std::fs::remove_dir_all(course.join("public")).unwrap();
    let built = semester(&["build", "--root", &root], &cache);
    assert!(built.status.success());
    assert_eq!(read_tree(&course.join("public")), clean);
    // The build after it finds a whole cache again.
    std::fs::remove_dir_all(course.join("public")).unwrap();
    assert!(
        semester(&["build", "--root", &root], &cache)
            .status
            .success()
    );
    assert_eq!(read_tree(&course.join("public")), clean);
}
