//! A build killed at any moment (SIGKILL, no chance to clean up) leaves either the previous
//! site or the new one in place, complete, never a mixture or nothing; the next build cleans up.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{TempDir, read_tree, run};

fn write_pages(course: &Path, marker: &str) {
    let dir = course.join("content/notes");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for i in 0..1200 {
        std::fs::write(
            dir.join(format!("n{i:04}.md")),
            format!(
                "---\ntitle: Note {i}\n---\n\n## Part one\n\nThis is note {i}, {marker}.\n\n```python\nprint({i})\n```\n"
            ),
        )
        .expect("write page");
    }
}

/// Builds `course` with its cache folder beside it (`<tmp>/cache`).
fn build(course: &Path) -> std::process::Output {
    let cache = course.parent().expect("in a temp folder").join("cache");
    Command::new(env!("CARGO_BIN_EXE_semester"))
        .args(["build", "--root", &course.to_string_lossy()])
        .env("SEMESTER_CACHE_DIR", cache)
        .output()
        .expect("run semester")
}

#[test]
fn a_killed_build_leaves_a_whole_site() {
    let tmp = TempDir::new("atomic");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    assert!(run(&["new", &c]).status.success());
    let out = course.join("public");

    // The two sites a build can leave: A (before) and B (after the edit).
    write_pages(&course, "version A");
    assert!(build(&course).status.success());
    let site_a = read_tree(&out);
    write_pages(&course, "version B");
    assert!(build(&course).status.success());
    let site_b = read_tree(&out);
    assert_ne!(site_a, site_b);
    let sites: [(&str, &BTreeMap<String, Vec<u8>>); 2] = [("A", &site_a), ("B", &site_b)];

    // Kill builds at many moments, flipping the content each time.
    let mut next = 0; // build A next
    let mut killed_mid_write = 0;
    for attempt in 0..24 {
        write_pages(&course, &format!("version {}", sites[next].0));
        let mut child = Command::new(env!("CARGO_BIN_EXE_semester"))
            .args(["build", "--root", &c])
            .env("SEMESTER_CACHE_DIR", tmp.path().join("cache"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start build");
        let pid = child.id();
        let started = Instant::now();
        let delay = Duration::from_millis(2 * attempt);
        // Wait for the moment, or for the folder being written to appear, whichever is later
        // in the run (so that some kills land inside the write itself).
        let tmp_dir = course.join(format!(".public.tmp-{pid}"));
        while started.elapsed() < delay || (attempt % 2 == 1 && !tmp_dir.exists()) {
            if started.elapsed() > Duration::from_secs(10) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        if tmp_dir.exists() {
            killed_mid_write += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = read_tree(&out);
        let same_as = sites.iter().find(|(_, s)| **s == now).map(|(n, _)| *n);
        assert!(
            same_as.is_some(),
            "attempt {attempt}: public/ is neither site A nor site B ({} files)",
            now.len()
        );
        if same_as == Some(sites[next].0) {
            next = 1 - next;
        }
    }
    assert!(
        killed_mid_write > 0,
        "no kill landed while the site was being written: the test proved nothing"
    );

    // The next build completes and leaves no temporary folders or files behind: nothing beside
    // public/ (the code cache is in the cache folder, and whole: the build after reads it).
    assert!(build(&course).status.success());
    let left: Vec<String> = std::fs::read_dir(&course)
        .expect("read course")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(left.is_empty(), "leftovers: {left:?}");
    // `$SEMESTER_CACHE_DIR/<hash of the folder holding public/>/code`, and no half-written file.
    let cached: Vec<String> = std::fs::read_dir(tmp.path().join("cache"))
        .expect("the cache folder")
        .flatten()
        .flat_map(|d| {
            std::fs::read_dir(d.path())
                .expect("a cache folder")
                .flatten()
        })
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        cached.iter().filter(|n| *n == "code").count(),
        1,
        "one code cache for the one course: {cached:?}"
    );
    assert!(!cached.iter().any(|n| n.contains(".tmp-")), "{cached:?}");
    let before = read_tree(&course.join("public"));
    assert!(build(&course).status.success());
    assert_eq!(
        read_tree(&course.join("public")),
        before,
        "a build from the cache is the same site"
    );
}

#[test]
fn out_at_or_above_the_course_is_refused() {
    let tmp = TempDir::new("atomic-out");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    assert!(run(&["new", &c]).status.success());
    for out in [
        c.clone(),
        tmp.path().to_string_lossy().to_string(),
        course.join("content").to_string_lossy().to_string(),
        format!("{c}/content/../.."),
    ] {
        let r = run(&["build", "--root", &c, "--out", &out]);
        assert_eq!(r.status.code(), Some(1), "{out}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(err.contains("--out"), "{err}");
    }
    assert!(
        course.join("content/syllabus.md").is_file(),
        "sources intact"
    );
    assert!(course.join("course.yaml").is_file());
}
