//! Markdown the way course authors write it (issue 13, kinds 1, 2, 3, 5): the course in
//! tests/fixtures/authored has colliding and emoji-only headings, math in headings, non-Latin
//! headings, footnotes with spaced labels, percent-encoded fragments, links with a `?query`,
//! raw HTML with relative `src`/`href`/`srcset`/`poster` written every way HTML allows, and
//! outlines that skip levels. Its output (as tests/common/golden.rs compares it) is compared
//! with tests/fixtures/authored/expected/ and the warnings of `check` with
//! expected-check.txt beside it, both reviewed by eye; `UPDATE_EXPECT=1 cargo test --test
//! authored` rewrites them after a deliberate change.

mod common;

use common::{TempDir, golden, options, read_tree};

fn fixture() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/authored")
}

/// `semester check` on the fixture: every place where the renderer moved a heading, renamed
/// a generated id or kept a note nobody references, each with path:line:col.
fn check_report() -> String {
    let diags = semester::check(&fixture(), &options());
    diags.sorted().iter().map(|d| format!("{d}\n")).collect()
}

/// Each page (its `<main>`, one whole page per template) and every other output file are
/// exactly what was reviewed.
#[test]
fn authored_pages_render_as_reviewed() {
    golden::check(&golden::build(&fixture()), &fixture().join("expected"), &[]);
}

/// The warnings of `semester check` are exactly what was reviewed (expected-check.txt).
#[test]
fn check_reports_every_fallback_with_its_place() {
    let got = check_report();
    let file = fixture().join("expected-check.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&file, &got).expect("write");
        return;
    }
    let want = std::fs::read_to_string(&file).expect("expected-check.txt");
    assert_eq!(want, got, "differs from {}", file.display());
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
