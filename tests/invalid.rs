//! Bad input: every case under tests/fixtures/invalid/ is the base course with a few files
//! replaced (and those listed in REMOVE deleted, SYMLINKS and FIFOS made); its exact
//! diagnostics are in expected.txt.
//! `UPDATE_EXPECT=1 cargo test --test invalid` rewrites the expectations.

mod common;

use common::{TempDir, copy_tree, options, read_tree, run};
use std::path::Path;

fn fixture_dir() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/invalid")
}

/// Lays out the base course with the case's files on top.
fn materialize(case: &str, dest: &Path) {
    copy_tree(&fixture_dir().join("_base"), dest);
    copy_tree(&fixture_dir().join(case), dest);
    let _ = std::fs::remove_file(dest.join("expected.txt"));
    if let Ok(list) = std::fs::read_to_string(dest.join("REMOVE")) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let _ = std::fs::remove_file(dest.join(line.trim()));
        }
        let _ = std::fs::remove_file(dest.join("REMOVE"));
    }
    // Symlinks are made here rather than committed: a loop inside the repository would
    // trouble every tool that walks it.
    if let Ok(list) = std::fs::read_to_string(dest.join("SYMLINKS")) {
        for line in list.lines().filter_map(|l| l.split_once(" -> ")) {
            let link = dest.join(line.0.trim());
            std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
            std::os::unix::fs::symlink(line.1.trim(), &link).expect("symlink");
        }
        let _ = std::fs::remove_file(dest.join("SYMLINKS"));
    }
    // Named pipes (FIFOs) cannot be committed either: each line of FIFOS is made with mkfifo.
    if let Ok(list) = std::fs::read_to_string(dest.join("FIFOS")) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let fifo = dest.join(line.trim());
            std::fs::create_dir_all(fifo.parent().expect("parent")).expect("mkdir");
            let _ = std::fs::remove_file(&fifo);
            let ok = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .expect("run mkfifo");
            assert!(ok.success(), "mkfifo {}", fifo.display());
        }
        let _ = std::fs::remove_file(dest.join("FIFOS"));
    }
}

fn diagnostics_of(case: &str) -> String {
    let tmp = TempDir::new(case);
    materialize(case, tmp.path());
    let out = tmp.path().join("public");
    match semester::build(tmp.path(), &out, &options()) {
        Ok(_) => "(built without errors)\n".to_string(),
        Err(diags) => {
            assert!(!out.exists(), "{case}: a failed build wrote output");
            diags
                .sorted()
                .iter()
                .filter(|d| d.severity == semester::Severity::Error)
                .map(|d| format!("{d}\n"))
                .collect()
        }
    }
}

/// Every fixture fails with exactly the diagnostics it expects, each as path:line:col.
#[test]
fn every_invalid_fixture_reports_exactly_its_errors() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("fixtures")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('_'))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the catalogue shrank: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let got = diagnostics_of(case);
        assert!(
            got.contains(": error: "),
            "{case}: no error reported:\n{got}"
        );
        let expected_path = fixture_dir().join(case).join("expected.txt");
        if update {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {case}\nexpected:\n{want}\ngot:\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Mistakes in two files are all reported, the command exits 1, and the previous site stays byte for byte.
#[test]
fn a_failed_build_reports_everything_and_keeps_the_old_site() {
    let tmp = TempDir::new("keep");
    materialize("two-files", tmp.path());
    let good = TempDir::new("keep-good");
    materialize("_base", good.path());
    let out = tmp.path().join("public");
    semester::build(good.path(), &out, &options()).expect("the base course builds");
    let before = read_tree(&out);
    assert!(before.contains_key("spring-2026/index.html"));

    let root = tmp.path().to_string_lossy().to_string();
    let r = run(&[
        "build",
        "--root",
        &root,
        "--out",
        &out.to_string_lossy(),
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains("content/topics/01-one.md:3:1: error: unknown key `sesions`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/labs/01-lab.md:"), "{stderr}");
    assert!(
        stderr.contains("content/_index.md:7:5: error: link to a missing page `topics/02-two.md`"),
        "{stderr}"
    );
    assert_eq!(read_tree(&out), before, "the previous output changed");
}

/// Wrong usage exits 2, as the SPEC says.
#[test]
fn wrong_usage_exits_2() {
    assert_eq!(run(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(
        run(&["build", "--as-of", "tomorrow"]).status.code(),
        Some(2)
    );
}
