//! Golden output trees, compared the way mdBook's tests do: an HTML page by its `<main>`
//! element, plus one whole page per page template, so that a change to the theme's header,
//! footer or `<head>` rewrites a handful of expected files instead of all of them.
//!
//! - An HTML page is kept whole when it is the first, in path order, with its `<body …>` tag (the
//!   theme's templates differ there: `class="kind-lab"`, `kind-topic`, …), or when the test names
//!   it (a page that uses a course's own template); any other page is kept as its
//!   `<main>…</main>`, or whole when it has none.
//! - Every other file (.ics, .json, .ipynb, .xml, .css, .txt, images) is compared whole.
//! - Files that are verbatim copies of the default theme's static files are left out: the theme
//!   keeps them, not the fixture (golden.rs checks they are copied unchanged).
//!
//! Missing and unexpected files fail; `UPDATE_EXPECT=1` rewrites the expected folder.
//! A new fixture's test: `golden::check(&golden::build(&root), &root.join("expected"), &[])`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{TempDir, options, read_tree};

/// Builds the course at `root` with the fixed [`options`](super::options) and returns its output
/// (relative path → bytes) without the verbatim copies of the default theme's static files.
/// Panics with the diagnostics when the course does not build.
pub fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let tmp = TempDir::new("golden");
    let out = tmp.path().join("public");
    if let Err(d) = semester::build(root, &out, &options()) {
        let lines: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        panic!("{} must build:\n{}", root.display(), lines.join("\n"));
    }
    let theme = theme_statics();
    read_tree(&out)
        .into_iter()
        .filter(|(path, bytes)| theme.get(path) != Some(bytes))
        .collect()
}

/// The default theme's static files (relative path → bytes), which a build copies to the root.
pub fn theme_statics() -> BTreeMap<String, Vec<u8>> {
    read_tree(&super::repo().join("themes/default/static"))
}

/// What each file of `built` is compared by: the whole file, or an HTML page's `<main>`
/// (see the module comment). `also_whole` names pages kept whole besides one per template.
pub fn golden_forms(
    built: &BTreeMap<String, Vec<u8>>,
    also_whole: &[&str],
) -> BTreeMap<String, Vec<u8>> {
    let mut seen_bodies = BTreeSet::new();
    built
        .iter()
        .map(|(path, bytes)| {
            let whole = !is_html(path)
                || seen_bodies.insert(body_tag(bytes).to_vec())
                || also_whole.contains(&path.as_str());
            let form = if whole { bytes.clone() } else { main_of(bytes) };
            (path.clone(), form)
        })
        .collect()
}

/// Compares `built` with `expected_dir` in golden form, or rewrites `expected_dir` when
/// `UPDATE_EXPECT` is set. Panics listing every missing, unexpected and differing file.
#[track_caller]
pub fn check(built: &BTreeMap<String, Vec<u8>>, expected_dir: &Path, also_whole: &[&str]) {
    let got = golden_forms(built, also_whole);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        write_tree(&got, expected_dir);
        return;
    }
    let problems = differences(&got, &read_tree(expected_dir));
    assert!(
        problems.is_empty(),
        "the output differs from {}:\n{}\n(after a deliberate change, `UPDATE_EXPECT=1 cargo \
         test --test <this test>` rewrites it; review the diff)",
        expected_dir.display(),
        problems.join("\n")
    );
}

/// Every missing, unexpected and differing file, one line each (a differing file names its
/// first differing line).
pub fn differences(
    got: &BTreeMap<String, Vec<u8>>,
    want: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for path in want.keys().filter(|k| !got.contains_key(*k)) {
        problems.push(format!("expected but not built: {path}"));
    }
    for (path, bytes) in got {
        match want.get(path) {
            None => problems.push(format!("built but not expected: {path}")),
            Some(w) if w != bytes => {
                problems.push(format!("differs: {path}: {}", first_diff(w, bytes)))
            }
            Some(_) => {}
        }
    }
    problems
}

/// The first line where `want` and `got` differ, both sides shown.
fn first_diff(want: &[u8], got: &[u8]) -> String {
    let (Ok(want), Ok(got)) = (std::str::from_utf8(want), std::str::from_utf8(got)) else {
        return "the bytes differ (not text)".to_string();
    };
    let (mut w, mut g) = (want.lines(), got.lines());
    for n in 1.. {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => {}
            (None, None) => break,
            (a, b) => {
                let show =
                    |l: Option<&str>| l.map_or("(end of file)".to_string(), |l| format!("`{l}`"));
                return format!("line {n}: expected {}, got {}", show(a), show(b));
            }
        }
    }
    "same lines, different line endings or bytes".to_string()
}

/// Replaces `dir` with exactly the files of `tree`.
fn write_tree(tree: &BTreeMap<String, Vec<u8>>, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    for (path, bytes) in tree {
        let dest = dir.join(path);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::write(dest, bytes).expect("write");
    }
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html")
}

/// The page's `<body …>` opening tag, or nothing.
fn body_tag(page: &[u8]) -> &[u8] {
    let Some(start) = find(page, b"<body") else {
        return b"";
    };
    let end = find(&page[start..], b">").map_or(page.len(), |e| start + e + 1);
    &page[start..end]
}

/// From the page's first `<main` to the end of its last `</main>`, with a final newline; the
/// whole page when it has no `<main>`.
fn main_of(page: &[u8]) -> Vec<u8> {
    let start = (0..page.len()).find(|&i| {
        page[i..].starts_with(b"<main") && matches!(page.get(i + 5), Some(b'>' | b' ' | b'\n'))
    });
    let end = rfind(page, b"</main>").map(|e| e + b"</main>".len());
    match (start, end) {
        (Some(s), Some(e)) if s < e => [&page[s..e], b"\n"].concat(),
        _ => page.to_vec(),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}
