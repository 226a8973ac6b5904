//! Golden output: the fixture course in tests/fixtures/basic builds to exactly the files in
//! tests/fixtures/basic/expected/ (missing and stale files fail too). The theme's own static
//! files and the generated code stylesheet are left out: they are copied, not computed per page.
//! `UPDATE_EXPECT=1 cargo test --test golden` rewrites the expectation after a deliberate change.

mod common;

use common::{TempDir, options, read_tree};
use std::collections::BTreeMap;

fn fixture() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/basic")
}

fn built() -> BTreeMap<String, Vec<u8>> {
    let tmp = TempDir::new("golden");
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
    let theme_statics: Vec<String> = read_tree(&common::repo().join("themes/default/static"))
        .into_keys()
        .collect();
    read_tree(&out)
        .into_iter()
        // The theme's own files and the code colours are the theme's, not this course's.
        .filter(|(k, _)| !theme_statics.contains(k) && k != "syntax.css")
        .collect()
}

/// Every output file of the fixture course is byte-for-byte what we expect.
#[test]
fn fixture_course_matches_expected_output() {
    let got = built();
    let expected_dir = fixture().join("expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, bytes) in &got {
            let dest = expected_dir.join(path);
            std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
            std::fs::write(dest, bytes).expect("write");
        }
        return;
    }
    let want = read_tree(&expected_dir);
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:?}\nunexpected: {extra:?}"
    );
    for (path, bytes) in &got {
        assert!(
            want[path] == *bytes,
            "{path} differs from tests/fixtures/basic/expected/{path}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// The build is deterministic: two builds give the same bytes.
#[test]
fn builds_are_reproducible() {
    assert_eq!(built(), built());
}
