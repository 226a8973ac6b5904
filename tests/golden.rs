//! Golden output: the fixture course in tests/fixtures/basic builds to exactly the files in
//! tests/fixtures/basic/expected/, compared as tests/common/golden.rs describes (each page's
//! `<main>`, one whole page per template, other files whole; missing and stale files fail).
//! `UPDATE_EXPECT=1 cargo test --test golden` rewrites the expectation after a deliberate change.

mod common;

use common::golden;
use std::collections::BTreeMap;

fn fixture() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/basic")
}

/// Pages kept whole besides one per theme template: this one uses the course's custom.html.
const ALSO_WHOLE: &[&str] = &["fall-2026/labs/02-second/index.html"];

/// Every output file of the fixture course is what we expect.
#[test]
fn fixture_course_matches_expected_output() {
    golden::check(
        &golden::build(&fixture()),
        &fixture().join("expected"),
        ALSO_WHOLE,
    );
}

/// The build is deterministic: two builds give the same bytes.
#[test]
fn builds_are_reproducible() {
    assert_eq!(golden::build(&fixture()), golden::build(&fixture()));
}

/// The default theme's static files, left out of the goldens, are in the output unchanged.
#[test]
fn theme_static_files_are_copied_unchanged() {
    let tmp = common::TempDir::new("statics");
    let out = tmp.path().join("public");
    semester::build(&fixture(), &out, &common::options()).expect("the fixture builds");
    let built = common::read_tree(&out);
    for (path, bytes) in golden::theme_statics() {
        assert!(
            built.get(&path) == Some(&bytes),
            "{path} is not the theme's"
        );
    }
}

/// A change outside `<main>` touches only the whole pages; one inside `<main>` is caught on
/// every page; a missing or an extra file fails.
#[test]
fn goldens_see_main_on_every_page_and_the_rest_once_per_template() {
    let built = golden::build(&fixture());
    let want = golden::golden_forms(&built, ALSO_WHOLE);
    let edit = |path: &str, from: &str, to: &str| {
        let mut changed = built.clone();
        let page = String::from_utf8(changed[path].clone()).expect("utf-8");
        assert!(page.contains(from), "{path} has {from}");
        changed.insert(path.into(), page.replacen(from, to, 1).into_bytes());
        golden::differences(&golden::golden_forms(&changed, ALSO_WHOLE), &want)
    };
    let (first, second) = (
        "fall-2026/topics/01-intro/index.html",
        "fall-2026/topics/02-tools/index.html",
    );
    let header = "<header class=\"site-header\">";
    let renamed = "<header class=\"site-header new\">";
    assert_eq!(edit(second, header, renamed), Vec::<String>::new());
    assert_eq!(
        edit(first, header, renamed).len(),
        1,
        "the whole topic page sees its header"
    );
    assert_eq!(
        edit(second, "<h1>", "<h1 class=\"x\">").len(),
        1,
        "every page's <main> counts"
    );

    let mut missing = built.clone();
    missing.remove(second);
    let mut extra = built.clone();
    extra.insert("stale.html".into(), b"<main></main>".to_vec());
    let problems = |tree: &BTreeMap<String, Vec<u8>>| {
        golden::differences(&golden::golden_forms(tree, ALSO_WHOLE), &want)
    };
    assert_eq!(
        problems(&missing),
        [format!("expected but not built: {second}")]
    );
    assert_eq!(problems(&extra), ["built but not expected: stale.html"]);
}
