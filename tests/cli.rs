//! The commands as a user runs them: `new`, `build`, `check`, and the bundled course.

mod common;

use common::{TempDir, read_tree, run};

/// `semester new --language de DIR`: English sample text, a German interface; a tag that is no
/// tag (a line break would write a key of its own) is refused before anything is made.
#[test]
fn new_course_in_another_language() {
    let tmp = TempDir::new("new-de");
    let dir = tmp.path().join("kurs");
    let d = dir.to_string_lossy().to_string();
    let r = run(&["new", "--language", "de", &d]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let yaml = std::fs::read_to_string(dir.join("course.yaml")).expect("course.yaml");
    assert!(yaml.contains("\nlanguage: de\n"), "{yaml}");
    let r = run(&["build", "--root", &d]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let home = read_tree(&dir.join("public"))["spring-2027/index.html"].clone();
    let home = String::from_utf8_lossy(&home);
    assert!(home.contains("<html lang=\"de\">"));
    assert!(home.contains(">Zum Inhalt springen</a>"));
    assert!(home.contains("Welcome to the course."));
    let bad = tmp.path().join("bad");
    let r = run(&["new", "--language", "de\ntheme: x", &bad.to_string_lossy()]);
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        "error: `de\ntheme: x` is not a language tag; use a BCP 47 tag such as en, en-US, fr or pt-BR\n"
    );
    assert!(!bad.exists());
    // A language's name gets its tag as the hint.
    let r = run(&["new", "--language", "German", &bad.to_string_lossy()]);
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        "error: `German` is not a language tag; write the language's tag: `language: de`\n"
    );
    assert!(!bad.exists());
}

/// `semester new DIR` makes a course that builds at once, with no themes/ folder.
#[test]
fn new_course_builds_without_a_theme_folder() {
    let tmp = TempDir::new("new");
    let dir = tmp.path().join("course");
    let d = dir.to_string_lossy().to_string();
    let r = run(&["new", &d]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!dir.join("themes").exists());
    let r = run(&["build", "--root", &d]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let files = read_tree(&dir.join("public"));
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "versions.json",
        "spring-2027/index.html",
        "spring-2027/syllabus/index.html",
        "spring-2027/labs/01-getting-started/index.html",
        "spring-2027/labs/01-getting-started/01-getting-started.ipynb",
        "spring-2027/calendar/index.html",
        "semester.css",
        "syntax.css",
    ] {
        assert!(files.contains_key(f), "missing {f}");
    }
    let r = run(&["new", &d]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "new refuses a folder that is not empty"
    );
}

/// The bundled course (the repository itself) builds every page the README promises.
#[test]
fn bundled_course_builds_completely() {
    let tmp = TempDir::new("bundled");
    let out = tmp.path().join("public");
    let repo = common::repo();
    let r = run(&[
        "build",
        "--root",
        &repo.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let files = read_tree(&out);
    let pages = |dir: &str| {
        files
            .keys()
            .filter(|k| {
                k.starts_with(dir)
                    && k.ends_with("/index.html")
                    && k.as_str() != format!("{dir}index.html")
            })
            .count()
    };
    assert_eq!(
        pages("spring-2026/topics/"),
        12,
        "the 11 lecture topics and the case-study sessions"
    );
    assert!(pages("spring-2026/labs/") >= 8, "at least 8 labs");
    for f in [
        "spring-2026/index.html",
        "spring-2026/syllabus/index.html",
        "spring-2026/project/index.html",
        "spring-2026/instructor-guide/index.html",
        "spring-2026/calendar/index.html",
    ] {
        assert!(files.contains_key(f), "missing {f}");
    }
    let index = String::from_utf8_lossy(&files["index.html"]);
    assert!(
        index.contains("url=/spring-2026/") && index.contains("href=\"/spring-2026/\""),
        "{index}"
    );
    let r = run(&["check", "--root", &repo.to_string_lossy()]);
    assert!(
        r.status.success(),
        "check: {}",
        String::from_utf8_lossy(&r.stderr)
    );
}

/// `--out` may never point at the course or a folder of its sources.
#[test]
fn out_is_refused_where_it_would_delete_sources() {
    let tmp = TempDir::new("outs");
    let dir = tmp.path().join("c");
    let d = dir.to_string_lossy().to_string();
    assert!(run(&["new", &d]).status.success());
    for bad in [
        d.clone(),
        tmp.path().to_string_lossy().to_string(),
        format!("{d}/content"),
        format!("{d}/content/x"),
    ] {
        let r = run(&["build", "--root", &d, "--out", &bad]);
        assert_eq!(r.status.code(), Some(1), "--out {bad} was accepted");
    }
    assert!(
        dir.join("content/_index.md").exists(),
        "the sources are intact"
    );
}

/// Drafts and private pages are left out unless asked for.
#[test]
fn drafts_and_private_pages_need_flags() {
    let tmp = TempDir::new("drafts");
    let root = common::repo().join("tests/fixtures/basic");
    let out = tmp.path().join("o");
    let r = run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!out.join("fall-2026/draft/index.html").exists());
    assert!(!out.join("fall-2026/notes/index.html").exists());
    let r = run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--drafts",
        "--private",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(out.join("fall-2026/draft/index.html").exists());
    assert!(out.join("fall-2026/notes/index.html").exists());
}

/// A path prefix in base_url (or --base-url) is honoured in every link.
#[test]
fn base_url_prefix_is_in_every_link() {
    let tmp = TempDir::new("base");
    let root = common::repo().join("tests/fixtures/basic");
    let out = tmp.path().join("o");
    let r = run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--base-url",
        "/deep/er/",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let html = std::fs::read_to_string(out.join("fall-2026/syllabus/index.html")).unwrap();
    assert!(
        html.contains("href=\"/deep/er/fall-2026/labs/01-first/#part-1\""),
        "{html}"
    );
    assert!(html.contains("href=\"/deep/er/semester.css\""));
    for (i, _) in html.match_indices("href=\"/") {
        assert!(
            html[i..].starts_with("href=\"/deep/er/"),
            "unprefixed link at {i}: {}",
            &html[i..i + 60]
        );
    }
}

/// A 20 MB page (a pasted log, say) builds: no hang, no crash, the text is all there.
#[test]
fn a_20_mb_page_builds() {
    let tmp = TempDir::new("huge");
    let dir = tmp.path().join("course");
    let d = dir.to_string_lossy().to_string();
    assert!(run(&["new", &d]).status.success());
    let mut page = String::from("---\ntitle: Huge page\n---\n\n");
    let mut i = 0;
    while page.len() < 20 * 1024 * 1024 {
        if i % 500 == 0 {
            page.push_str(&format!("## Section {i}\n\n```python\nprint({i})\n```\n\n"));
        }
        page.push_str(&format!(
            "Paragraph {i}: the training loss went down and the serving latency stayed flat.\n\n"
        ));
        i += 1;
    }
    std::fs::write(dir.join("content/huge.md"), &page).expect("write");
    let r = run(&["build", "--root", &d]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let html =
        std::fs::read_to_string(dir.join("public/spring-2027/huge/index.html")).expect("page");
    assert!(html.contains(&format!("Paragraph {}:", i - 1)));
    assert!(html.contains("id=\"section-0\""));
}

/// `semester check --strict` (warnings are errors) in `root`, with its output on failure.
fn check_strict(root: &std::path::Path) {
    let r = run(&["check", "--strict", "--root", &root.to_string_lossy()]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "check --strict on {}:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
}

/// The README's publishing line passes on a new course, on the bundled course, and on a fork
/// that moves the course to a twice-weekly fall term and declares its exam and review days;
/// the same fork without the declarations still warns about the sessions nobody planned.
#[test]
fn check_strict_passes_on_new_bundled_and_forked_courses() {
    let tmp = TempDir::new("strict");
    let new = tmp.path().join("x");
    let r = run(&["new", &new.to_string_lossy()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    check_strict(&new);

    // The bundled course and a fork of it, with base_url set to the site's address as the
    // README's publishing section says (with `/`, check warns that no sitemap is written).
    let fork = tmp.path().join("fork");
    for part in ["course.yaml", "content", "static"] {
        let from = common::repo().join(part);
        if from.is_dir() {
            common::copy_tree(&from, &fork.join(part));
        } else if from.is_file() {
            std::fs::create_dir_all(&fork).unwrap();
            std::fs::copy(&from, fork.join(part)).unwrap();
        }
    }
    let course = std::fs::read_to_string(fork.join("course.yaml")).unwrap();
    let course = course.replace(
        "base_url: https://example.edu/\n",
        "base_url: https://example.edu/mlops/\n",
    );
    std::fs::write(fork.join("course.yaml"), &course).unwrap();
    common::copy_tree(&common::repo().join("terms"), &fork.join("terms"));
    check_strict(&fork);
    // The project page names the term's milestones by id (`{@event.proposal}`): the fork's
    // term has them too, under its own titles.
    std::fs::write(
        fork.join("course.yaml"),
        course.replace("current_term: spring-2026", "current_term: fall-2026"),
    )
    .unwrap();
    let term = "name: Fall 2026\nstart: 2026-09-02\nend: 2026-12-14\nmeetings:\n  - { name: Lecture, days: [mon, wed], start: \"09:30\", end: \"10:45\", location: Room 5 }\n  - { name: Office hours, kind: office-hours, person: A. Instructor, days: [thu], start: \"15:00\", end: \"16:00\", link: \"https://zoom.example.edu/j/1\" }\nholidays:\n  - { date: 2026-09-07, name: Labor Day }\n  - { from: 2026-11-25, to: 2026-11-29, name: Thanksgiving }\nevents:\n  - { date: 2026-12-21, time: \"09:00\", end: \"11:00\", title: Final exam, kind: exam, id: final }\n  - { date: 2026-10-05, time: \"23:59\", title: Proposal, kind: project, id: proposal }\n  - { date: 2026-11-09, title: Design review, kind: project, id: design-review }\n  - { date: 2026-12-16, title: Demos, kind: project, id: final-presentations }\n";
    let sessions = "sessions:\n  - { session: 9, title: Midterm exam, kind: exam }\n  - { from: 17, to: 27, title: Project work, kind: project }\n  - { session: 28, title: Review, kind: review }\n";
    std::fs::create_dir_all(fork.join("terms")).unwrap();
    std::fs::write(
        fork.join("terms/fall-2026.yaml"),
        format!("{term}{sessions}"),
    )
    .unwrap();
    check_strict(&fork);
    std::fs::write(fork.join("terms/fall-2026.yaml"), term).unwrap();
    let r = run(&["check", "--strict", "--root", &fork.to_string_lossy()]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("content/topics:1:1: error: sessions 16–28 have no topic"),
        "{err}"
    );
}
