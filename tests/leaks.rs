//! Nothing private leaks (issue 14). In tests/fixtures/leaks, every draft, private and
//! unreleased page, every page of a draft or private section, and every file only they use
//! carries the marker `leakmark` (in its file name, and in its title, text or bytes) — in the
//! current term and in a frozen one (versions/spring-2026/). The one exception is by design: an
//! unreleased lab's title ("Lab 3: Serving") is shown on the calendar before its release.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{TempDir, read_tree, repo};

const MARKER: &str = "leakmark";

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/leaks")
}

/// Builds the fixture and returns every output file (path → bytes, `.ics` lines unfolded so a
/// marker cannot hide across a fold).
fn build(as_of: jiff::civil::Date, hidden_too: bool) -> BTreeMap<String, Vec<u8>> {
    let tmp = TempDir::new("leaks");
    let out = tmp.path().join("public");
    let options = semester::BuildOptions {
        drafts: hidden_too,
        private: hidden_too,
        as_of,
        ..common::options()
    };
    if let Err(d) = semester::build(&fixture(), &out, &options) {
        panic!("the leak fixture does not build: {:?}", d.sorted());
    }
    read_tree(&out)
        .into_iter()
        .map(|(path, bytes)| {
            let bytes = if path.ends_with(".ics") {
                String::from_utf8_lossy(&bytes)
                    .replace("\r\n ", "")
                    .into_bytes()
            } else {
                bytes
            };
            (path, bytes)
        })
        .collect()
}

/// Every word of the fixture (file names and texts) that starts with the marker.
fn markers() -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    let mut take = |text: &str| {
        let text = text.to_lowercase();
        for (at, _) in text.match_indices(MARKER) {
            let word: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            words.insert(word.trim_end_matches('-').to_string());
        }
    };
    for (path, bytes) in read_tree(&fixture()) {
        take(&path);
        take(&String::from_utf8_lossy(&bytes));
    }
    words
}

fn contains(bytes: &[u8], word: &str) -> bool {
    String::from_utf8_lossy(bytes).to_lowercase().contains(word)
}

/// A normal build publishes not one byte of a hidden page or of a file only hidden pages use:
/// no file name and no file (HTML, JSON, search shards, .ics, notebooks, sitemap, copies)
/// holds the marker, so neither their text nor their URLs are out.
#[test]
fn a_normal_build_publishes_nothing_hidden() {
    let files = build(jiff::civil::date(2026, 9, 20), false);
    let leaks: Vec<String> = files
        .iter()
        .filter(|(path, bytes)| contains(path.as_bytes(), MARKER) || contains(bytes, MARKER))
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            let at = text.find(MARKER).unwrap_or(0);
            let from = text.floor_char_boundary(at.saturating_sub(60));
            let to = text.ceil_char_boundary((at + 60).min(text.len()));
            format!("{path}: …{}…", &text[from..to])
        })
        .collect();
    assert!(leaks.is_empty(), "leaked:\n{}", leaks.join("\n"));
    // What is public is still there: the files published pages use (Markdown and raw HTML),
    // a file no page uses, the sitemap, both terms.
    for path in [
        "fall-2026/labs/01-setup/data.csv",
        "fall-2026/labs/01-setup/diagram.svg",
        "fall-2026/labs/01-setup/01-setup.ipynb",
        "fall-2026/handouts/reading-list.txt",
        "sitemap.xml",
        "spring-2026/labs/01-setup/index.html",
    ] {
        assert!(files.contains_key(path), "{path} is missing");
    }
}

/// An unreleased lab is on the calendar page and the home page with its title and dates, not
/// linked, and its .ics events carry no URL.
#[test]
fn an_unreleased_lab_is_listed_not_linked() {
    let files = build(jiff::civil::date(2026, 9, 20), false);
    let calendar = String::from_utf8_lossy(&files["fall-2026/calendar/index.html"]);
    for line in [
        "<span class=\"cal-when\"><time datetime=\"2026-11-02\">Mon, Nov 2</time></span>\n<span class=\"cal-kind\">Lab</span>\n<span class=\"cal-what\">Lab 3: Serving released</span>",
        "<span class=\"cal-what\">Lab 3: Serving due</span>",
    ] {
        assert!(calendar.contains(line), "the calendar page lacks {line}");
    }
    // The home page's "Next up" data (which its script shows) lists the lab's due date, unlinked.
    let home = String::from_utf8_lossy(&files["fall-2026/index.html"]);
    let item = "\"date\":\"2026-11-09\",\"date_text\":\"Mon, Nov 9\",\"time_text\":\"11:59\u{202f}PM\",\"title\":\"Lab 3: Serving due\",\"url\":\"\"";
    assert!(home.contains(item), "the home page lacks {item}");
    let ics = String::from_utf8_lossy(&files["fall-2026/calendar.ics"]).to_string();
    let lab3: Vec<&str> = ics
        .split("BEGIN:VEVENT")
        .filter(|e| e.contains("SUMMARY:LT 101: Lab 3: Serving"))
        .collect();
    assert_eq!(lab3.len(), 2, "{ics}");
    for event in lab3 {
        assert!(!event.contains("URL:"), "{event}");
        assert!(!event.contains("https://"), "{event}");
    }
    // A released lab's events do link its page.
    assert!(ics.contains("URL:https://example.edu/leaks/fall-2026/labs/01-setup/"));
}

/// With `--private --drafts` and a build date after every release, every hidden page and file
/// is published: each marker word of the fixture appears in the output.
#[test]
fn a_full_build_publishes_every_hidden_page() {
    let files = build(jiff::civil::date(2026, 12, 20), true);
    let words = markers();
    assert!(words.len() > 40, "{words:?}");
    let missing: Vec<&String> = words
        .iter()
        .filter(|w| {
            !files
                .iter()
                .any(|(path, bytes)| contains(path.as_bytes(), w) || contains(bytes, w))
        })
        .collect();
    assert!(missing.is_empty(), "never published: {missing:?}");
    for path in [
        "fall-2026/labs/02-leakmark-answers/index.html",
        "fall-2026/labs/02-leakmark-answers/leakmark-priv-raw.png",
        "fall-2026/labs/03-leakmark-unreleased/03-leakmark-unreleased.ipynb",
        "fall-2026/solutions-leakmark/deep/more/index.html",
        "fall-2026/solutions-leakmark/key.txt",
        "fall-2026/answers-leakmark/leakmark-folder-unused.txt",
        "spring-2026/ta-leakmark-v/grading/index.html",
        "spring-2026/labs/02-leakmark-v-answers/02-leakmark-v-answers.ipynb",
    ] {
        assert!(files.contains_key(path), "{path} is missing");
    }
}

/// `check` lists the files published although no page uses them, and says that a `base_url`
/// without scheme and host gives no sitemap (sitemaps.org wants absolute `<loc>`s); the build
/// then writes none.
#[test]
fn check_names_unused_files_and_a_missing_sitemap() {
    let options = semester::BuildOptions {
        base_url: Some("/leaks/".into()),
        as_of: jiff::civil::date(2026, 9, 20),
        ..common::options()
    };
    let warnings: Vec<String> = semester::check(&fixture(), &options)
        .sorted()
        .iter()
        .filter(|d| !d.message.starts_with("sessions"))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        warnings,
        [
            "--base-url:1:1: warning: no sitemap.xml is written: base_url `/leaks/` has no scheme and host\n  hint: a sitemap lists absolute URLs only (sitemaps.org); set base_url to the site's full address, e.g. https://example.edu/my-course/",
            "content/handouts/reading-list.txt:1:1: warning: this file is published, but no page links or embeds it\n  hint: link it from the page it belongs to, or delete it; a file only hidden pages use is not published",
        ]
    );
    let tmp = TempDir::new("leaks-sitemap");
    let out = tmp.path().join("public");
    semester::build(&fixture(), &out, &options).expect("builds");
    assert!(!out.join("sitemap.xml").exists());
    assert!(out.join("fall-2026/index.html").exists());
}

/// HTML comments are published, as CommonMark says, in pages and notebooks; with
/// `markdown.strip_comments: true` neither holds them (comments inside code stay code).
#[test]
fn comments_are_published_unless_stripped() {
    let comment = "Note for TAs: the venv step fails on Windows.";
    let files = build(jiff::civil::date(2026, 9, 20), false);
    for path in [
        "fall-2026/labs/01-setup/index.html",
        "fall-2026/labs/01-setup/01-setup.ipynb",
    ] {
        assert!(contains(&files[path], &comment.to_lowercase()), "{path}");
    }
    let tmp = TempDir::new("leaks-comments");
    let root = tmp.path().join("course");
    common::copy_tree(&fixture(), &root);
    let yaml = std::fs::read_to_string(root.join("course.yaml")).expect("course.yaml");
    std::fs::write(
        root.join("course.yaml"),
        format!("{yaml}markdown:\n  strip_comments: true\n"),
    )
    .expect("write");
    let out = tmp.path().join("public");
    let options = semester::BuildOptions {
        as_of: jiff::civil::date(2026, 9, 20),
        ..common::options()
    };
    semester::build(&root, &out, &options).expect("builds");
    let files = read_tree(&out);
    for (path, bytes) in &files {
        assert!(!contains(bytes, "note for tas"), "{path}");
        assert!(!contains(bytes, "a comment is published"), "{path}");
    }
    assert!(files.contains_key("fall-2026/labs/01-setup/01-setup.ipynb"));
}
