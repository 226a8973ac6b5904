//! Markdown the way course authors write it (issue 13, kinds 1, 2, 3, 5): the course in
//! tests/fixtures/authored has colliding and emoji-only headings, math in headings, non-Latin
//! headings, footnotes with spaced labels, percent-encoded fragments, links with a `?query`,
//! raw HTML with relative `src`/`href`/`srcset`/`poster` written every way HTML allows, and
//! outlines that skip levels. The `<main>` of each of its pages and the warnings of `check` are
//! compared with tests/fixtures/authored/expected/ (reviewed by eye);
//! `UPDATE_EXPECT=1 cargo test --test authored` rewrites them after a deliberate change.

mod common;

use common::{TempDir, options, read_tree};
use std::collections::BTreeMap;

fn fixture() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/authored")
}

/// The pages written in Markdown, as built: path of the page → its `<main>` element.
fn mains() -> BTreeMap<String, String> {
    let tmp = TempDir::new("authored");
    let out = tmp.path().join("public");
    if let Err(d) = semester::build(&fixture(), &out, &options()) {
        panic!(
            "the fixture course must build:\n{}",
            d.sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    let pages = [
        "",
        "syllabus/",
        "notes/ids/",
        "topics/03-serving/",
        "labs/02-notebook-style/",
        "labs/01-raw-html/",
    ];
    let tree = read_tree(&out);
    pages
        .iter()
        .map(|p| {
            let file = format!("ws-2026/{p}index.html");
            let html = String::from_utf8(tree[&file].clone()).expect("UTF-8");
            let start = html.find("<main").expect("a <main>");
            let end = html.find("</main>").expect("a </main>") + "</main>".len();
            let name = if p.is_empty() {
                "home".to_string()
            } else {
                p.trim_end_matches('/').replace('/', "-")
            };
            (format!("{name}.html"), html[start..end].to_string() + "\n")
        })
        .collect()
}

/// `semester check` on the fixture: every place where the renderer moved a heading, renamed
/// a generated id or kept a note nobody references, each with path:line:col.
fn check_report() -> String {
    let diags = semester::check(&fixture(), &options());
    diags.sorted().iter().map(|d| format!("{d}\n")).collect()
}

fn compare(got: BTreeMap<String, String>) {
    let dir = fixture().join("expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for (name, text) in &got {
            std::fs::write(dir.join(name), text).expect("write");
        }
        return;
    }
    let want: BTreeMap<String, String> = read_tree(&dir)
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8(v).expect("UTF-8")))
        .collect();
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "expected files"
    );
    for (name, text) in &got {
        assert_eq!(
            &want[name], text,
            "{name} differs from tests/fixtures/authored/expected/{name}"
        );
    }
}

/// Each page's `<main>` and the check report are exactly what was reviewed.
#[test]
fn authored_pages_render_as_reviewed() {
    let mut got = mains();
    got.insert("check.txt".to_string(), check_report());
    compare(got);
}

/// No id appears twice on any page of the fixture, theme included, and every heading in the
/// table of contents has text.
#[test]
fn every_id_on_a_page_is_unique() {
    let tmp = TempDir::new("authored-ids");
    let out = tmp.path().join("public");
    semester::build(&fixture(), &out, &options()).expect("builds");
    for (path, bytes) in read_tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8(bytes).expect("UTF-8"));
        let mut seen = std::collections::BTreeSet::new();
        for el in doc.select(&scraper::Selector::parse("[id]").expect("selector")) {
            let id = el.value().attr("id").unwrap_or_default().to_string();
            assert!(
                seen.insert(id.clone()),
                "{path}: the id `{id}` appears twice"
            );
        }
        for a in doc.select(&scraper::Selector::parse(".toc a").expect("selector")) {
            assert!(
                !a.text().collect::<String>().trim().is_empty(),
                "{path}: an empty TOC link"
            );
        }
    }
}
