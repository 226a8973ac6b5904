//! Prose that computes (issue 16): references to course facts in page Markdown, `check`'s
//! warnings for facts typed by hand, the bundled course forked to another term, and a freeze
//! that keeps what was published.

mod common;

use common::{TempDir, copy_tree, options, read_tree, repo};
use std::path::Path;

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/prose")
}

/// The text of every `<li>` of a page's `<main>`, tags taken out.
fn items(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("main .content li").expect("selector");
    doc.select(&sel)
        .map(|li| li.text().collect::<String>())
        .collect()
}

fn built(root: &Path) -> (TempDir, std::collections::BTreeMap<String, Vec<u8>>) {
    let out = TempDir::new("prose-out");
    let dir = out.path().join("public");
    if let Err(d) = semester::build(root, &dir, &options()) {
        let all: Vec<String> = d.sorted().iter().map(|d| format!("{d}")).collect();
        panic!("the course does not build:\n{}", all.join("\n"));
    }
    let files = read_tree(&dir);
    (out, files)
}

fn text(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("no {path}")).clone()).expect("utf-8")
}

/// Every kind of reference is replaced by the fact, worded as the calendar words it, with
/// Markdown in a fact shown as written; references in code and escaped ones stay as written.
#[test]
fn every_kind_of_reference_says_its_fact() {
    let (_out, files) = built(&fixture());
    let refs = items(&text(&files, "ws-2026/refs/index.html"));
    assert_eq!(
        refs,
        [
            "Winter 2026 | ws-2026 | Tue, Oct 13 | Thu, Dec 17 | Tue, Oct 13, 2026 | Thu, Dec 17, 2026",
            "Study day (Tue, Nov 3) and Retreat (Tue, Nov 10 – Thu, Nov 12)",
            "Lecture: Tuesdays and Thursdays 14:15 – 15:45, HS 2 <Nord>; Recitation: Fridays 10:00 – 11:00, Room 2_B",
            "Fridays 10:00 – 11:00, Room 2_B / Recitation / Tuesdays and Thursdays / 14:15 – 15:45 / HS 2 <Nord>",
            "Tue, Oct 13 14:15 – 15:45 Clocks / Thu, Oct 15 2",
            "Tue, Oct 13 / Fri, Oct 23 at 17:00 / Fri, Oct 23 / 17:00",
            "Fridays at 17:00 / Friday 17:00 5",
            "Fri, Nov 20 at 17:00 / 17:00 / Thu, Dec 17 / Thu, Dec 17",
            "Ada Lovelace (ada@example.edu) and Charles Babbage (cb_1@example.edu) / cb_1@example.edu / Ada Lovelace",
            "Verteilte Systeme / VS 101 / Charles Babbage / Moodle *forum* / 1234",
            "{@term.name} and {@term.name} and {@ unclosed",
        ]
    );
    let refs_html = text(&files, "ws-2026/refs/index.html");
    assert!(refs_html.contains("<a href=\"mailto:ada@example.edu\">Ada Lovelace</a>"));
    assert!(refs_html.contains("<code>{@term.name}\n</code>"), "a code block is left alone");
    // "This lab" on a lab page, in the page and in its notebook's prose (not in its code).
    let lab = text(&files, "ws-2026/labs/01-x/index.html");
    let said = "Released Tue, Oct 13, due Fri, Oct 23 at 17:00 (Fri, Oct 23, 17:00).";
    assert!(lab.contains(said), "{lab}");
    let notebook = text(&files, "ws-2026/labs/01-x/01-x.ipynb");
    assert!(notebook.contains(said), "{notebook}");
    assert!(notebook.contains("print(\\\"{@lab.due}\\\")"), "{notebook}");
}

/// `check` flags each hand-typed form (dates, meeting times, the due rule, names and emails,
/// in prose and in a mailto link) with the reference to write, and none of the neighbours.
#[test]
fn check_flags_term_facts_typed_by_hand_and_nothing_else() {
    let diags = semester::check(&fixture(), &options());
    let got: Vec<String> = diags
        .sorted()
        .iter()
        .filter(|d| d.path.ends_with("handtyped.md"))
        .map(|d| format!("{d}"))
        .collect();
    let want = std::fs::read_to_string(fixture().join("expected-check.txt")).unwrap_or_default();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(fixture().join("expected-check.txt"), got.join("\n") + "\n").expect("write");
        return;
    }
    assert_eq!(got.join("\n") + "\n", want);
    let others = diags
        .sorted()
        .iter()
        .filter(|d| d.path.starts_with("content") && !d.path.ends_with("handtyped.md") && !d.path.ends_with("topics"))
        .map(|d| format!("{d}"))
        .collect::<Vec<_>>();
    assert!(others.is_empty(), "references are no hand-typed facts: {others:?}");
}

/// The bundled course has no hand-typed term fact.
#[test]
fn the_bundled_course_types_no_term_fact_by_hand() {
    let diags = semester::check(&repo(), &options());
    let typed: Vec<String> = diags
        .sorted()
        .iter()
        .filter(|d| d.message.contains("by hand"))
        .map(|d| format!("{d}"))
        .collect();
    assert_eq!(typed, Vec::<String>::new());
}
