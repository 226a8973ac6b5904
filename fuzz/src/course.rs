//! Whole-course builds from a small generated tree: pages, assets, templates, static files and
//! symlinks, laid out in a sandbox folder and built in memory.
//!
//! The input is a list of entries, each starting with a line `%% <path>` (a file, whose text
//! follows) or `%% <path> -> <target>` (a symlink). A minimal course (course.yaml, a term, a
//! home page) is laid out first, so most inputs get past loading; an entry of the same path
//! replaces it. Beside the course the sandbox holds `outside/secret.txt`, which links may point
//! to. Every link the input makes stays inside the sandbox (targets are relative, their `..`
//! never climb above it, and nothing is made below a link), so a run never touches the rest
//! of the machine.
//!
//! Besides "no panic, no hang", each build must keep two promises: without
//! `--follow-outside-symlinks` no copied file comes from outside the course and no output holds
//! the secret; and a build that succeeds has one file per output path.

use std::path::{Component, Path, PathBuf};

/// The text of the file outside the course; an input that contains it cannot be checked for
/// leaks (its pages may quote it).
const SECRET: &str = "OUTSIDE-THE-COURSE-7f3a9c1e";

const COURSE_YAML: &str =
    "title: Fuzz\ntimezone: UTC\ncurrent_term: t\nnav: [syllabus, topics, labs, calendar]\n";
const TERM_YAML: &str = "name: T\nstart: 2026-01-05\nend: 2026-03-27\nmeetings:\n  - name: Lecture\n    days: [mon, wed]\n    start: \"10:00\"\n    end: \"11:30\"\n";
const HOME: &str = "---\ntitle: Home\n---\n\nWelcome.\n";

/// One entry of the input.
enum Entry {
    File(PathBuf, String),
    Link(PathBuf, PathBuf),
}

/// A path of plain names, at most 5 deep; `None` for anything else (`..`, absolute, empty).
fn plain(path: &str) -> Option<PathBuf> {
    let p = Path::new(path.trim());
    let ok = !p.as_os_str().is_empty()
        && p.components().count() <= 5
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// A link target for a link at `link` (relative to the course): relative, its leading `..`
/// climbing at most to the sandbox (one above the course), plain names after them.
fn target(link: &Path, raw: &str) -> Option<PathBuf> {
    let raw = raw.trim().trim_start_matches('/');
    let ups = raw.split('/').take_while(|s| *s == "..").count();
    let rest: Vec<&str> = raw
        .split('/')
        .skip(ups)
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if rest.iter().any(|s| *s == "..") {
        return None;
    }
    // A link in course/a/b can climb 2 folders to the course, 3 to the sandbox.
    let depth = link.components().count();
    let mut t = PathBuf::new();
    for _ in 0..ups.min(depth) {
        t.push("..");
    }
    rest.iter().for_each(|s| t.push(s));
    (!t.as_os_str().is_empty()).then_some(t)
}

fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for chunk in text.split("%% ").skip(1).take(40) {
        let (head, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        match head.split_once(" -> ") {
            Some((link, to)) => {
                if let Some(link) = plain(link)
                    && let Some(to) = target(&link, to)
                {
                    entries.push(Entry::Link(link, to));
                }
            }
            None => {
                if let Some(path) = plain(head) {
                    entries.push(Entry::File(path, body.to_string()));
                }
            }
        }
    }
    entries
}

/// Whether any folder on the way to `rel` below `root` is a symlink (or not a folder): then
/// nothing is made there, so every link lies where its path says.
fn blocked(root: &Path, rel: &Path) -> bool {
    let mut at = root.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return true,
            Err(_) => return false,
        }
    }
    false
}

/// Lays the tree out in `sandbox/course`.
fn lay_out(sandbox: &Path, entries: &[Entry]) -> PathBuf {
    let _ = std::fs::remove_dir_all(sandbox);
    let course = sandbox.join("course");
    let _ = std::fs::create_dir_all(sandbox.join("outside"));
    let _ = std::fs::write(sandbox.join("outside/secret.txt"), SECRET);
    let base = [
        ("course.yaml", COURSE_YAML),
        ("terms/t.yaml", TERM_YAML),
        ("content/_index.md", HOME),
    ];
    for (rel, text) in base {
        let p = course.join(rel);
        let _ = std::fs::create_dir_all(p.parent().unwrap_or(&course));
        let _ = std::fs::write(p, text);
    }
    for e in entries {
        let rel = match e {
            Entry::File(p, _) | Entry::Link(p, _) => p,
        };
        if blocked(&course, rel) {
            continue;
        }
        let p = course.join(rel);
        let _ = std::fs::create_dir_all(p.parent().unwrap_or(&course));
        if std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
            let _ = std::fs::remove_file(&p);
        }
        let _ = match e {
            Entry::File(_, text) => std::fs::write(&p, text),
            Entry::Link(_, to) => std::os::unix::fs::symlink(to, &p),
        };
    }
    course
}

/// Builds the course the input describes, with and without the opt-in, and checks what the
/// site may hold.
pub fn course(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sandbox = std::env::temp_dir().join(format!("semester-fuzz-course-{}", std::process::id()));
    let root = lay_out(&sandbox, &parse(text));
    let real_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    for outside_links in [false, true] {
        let options = semester::BuildOptions {
            drafts: true,
            private: false,
            as_of: jiff::civil::date(2026, 2, 1),
            base_url: None,
            search: true,
            outside_links,
        };
        let mut diags = semester::Diagnostics::new();
        let site = semester::build_site(&root, &options, &mut diags);
        let _ = diags.sorted().iter().map(ToString::to_string).count();
        let Some(site) = site else { continue };
        let mut paths: Vec<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n, "a built site has two files at one path");
        if !outside_links && !text.contains(SECRET) {
            for f in &site.files {
                check_inside(&real_root, f);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&sandbox);
}

/// A file of a site built without the opt-in comes from inside the course and holds nothing
/// of the secret.
fn check_inside(real_root: &Path, f: &semester::OutputFile) {
    use semester::Data;
    let bytes: Vec<u8> = match &f.data {
        Data::Copy(src) => {
            let real = src.canonicalize().expect("a copied file exists");
            assert!(
                real.starts_with(real_root),
                "{} is copied from outside the course: {}",
                f.path,
                real.display()
            );
            std::fs::read(src).unwrap_or_default()
        }
        Data::Bytes(b) => b.clone(),
        Data::Shared(b) => b.to_vec(),
        Data::Static(_) | Data::Link(_) => Vec::new(),
    };
    let leaked = bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes());
    assert!(
        !leaked,
        "{} holds the secret from outside the course",
        f.path
    );
}
