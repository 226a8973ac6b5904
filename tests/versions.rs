//! Versions (SPEC section 7): freeze a term, move the course on, and both terms stay published
//! with their own text, dates and links.

mod common;

use std::path::Path;

use common::{TempDir, read_tree, run};

fn ok(r: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(r.status.success(), "{err}");
    err
}

/// Every `href="/…"` and `src="/…"` in the site's HTML names a file of the site (or a folder
/// with an index.html), and every `#anchor` on it exists. Returns how many links were checked.
fn check_links(out: &Path) -> usize {
    let files = read_tree(out);
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let Some(target) = piece.split('"').next() else {
                    continue;
                };
                if !target.starts_with('/') || target.starts_with("//") {
                    continue;
                }
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                let rel = file.trim_start_matches('/');
                let key = if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                };
                let Some(page) = files.get(&key) else {
                    panic!("{path}: link to {target}, which the site does not have");
                };
                if !anchor.is_empty() {
                    let page = String::from_utf8_lossy(page);
                    assert!(
                        page.contains(&format!("id=\"{anchor}\"")),
                        "{path}: link to {target}, which has no #{anchor}"
                    );
                }
                checked += 1;
            }
        }
    }
    checked
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const FALL: &str = "name: Fall 2027
start: 2027-09-07
end: 2027-12-14
meetings:
  - { name: Lecture, days: [tue], start: \"09:30\", end: \"10:45\", location: Room 9 }
holidays:
  - { from: 2027-11-22, to: 2027-11-26, name: Thanksgiving break }
";

#[test]
fn freeze_then_move_on_keeps_both_terms() {
    let tmp = TempDir::new("versions");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    ok(&run(&["new", &c]));
    ok(&run(&["build", "--root", &c]));

    // Freeze the spring term; a second freeze is refused, --force replaces it.
    let said = ok(&run(&["freeze", "--root", &c]));
    assert!(said.contains("Froze spring-2027"), "{said}");
    assert!(
        course
            .join("versions/spring-2027/content/syllabus.md")
            .is_file()
    );
    assert!(
        course
            .join("versions/spring-2027/terms/spring-2027.yaml")
            .is_file()
    );
    assert!(course.join("versions/spring-2027/course.yaml").is_file());
    let again = run(&["freeze", "--root", &c]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already frozen"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    ok(&run(&["freeze", "--root", &c, "--force"]));

    // Move the course on: a fall term, new text, and a page only the fall term has.
    write(&course.join("terms/fall-2027.yaml"), FALL);
    let yaml = std::fs::read_to_string(course.join("course.yaml")).expect("course.yaml");
    write(
        &course.join("course.yaml"),
        // The links checked below are those of a site at the root of its host.
        &yaml
            .replace("current_term: spring-2027", "current_term: fall-2027")
            .replace("base_url: https://example.edu/my-course/", "base_url: /"),
    );
    let syllabus = course.join("content/syllabus.md");
    let text = std::fs::read_to_string(&syllabus).expect("syllabus");
    write(
        &syllabus,
        &format!("{text}\n## New this fall\n\nA fall-only paragraph.\n"),
    );
    write(
        &course.join("content/faq.md"),
        "---\ntitle: FAQ\n---\n\nQuestions, answered.\n",
    );
    ok(&run(&["build", "--root", &c]));

    let out = course.join("public");
    let files = read_tree(&out);
    let page = |p: &str| {
        String::from_utf8_lossy(files.get(p).unwrap_or_else(|| panic!("missing {p}"))).to_string()
    };
    // Each term has its own text.
    assert!(page("fall-2027/syllabus/index.html").contains("A fall-only paragraph."));
    assert!(!page("spring-2027/syllabus/index.html").contains("A fall-only paragraph."));
    assert!(files.contains_key("fall-2027/faq/index.html"));
    assert!(!files.contains_key("spring-2027/faq/index.html"));
    // … and its own dates: spring lectures on Mondays in January, fall on Tuesdays in September.
    let spring_cal = page("spring-2027/calendar/index.html");
    let fall_cal = page("fall-2027/calendar/index.html");
    assert!(
        spring_cal.contains("datetime=\"2027-01-20"),
        "spring calendar dates"
    );
    assert!(
        fall_cal.contains("datetime=\"2027-09-07"),
        "fall calendar dates"
    );
    assert!(!fall_cal.contains("datetime=\"2027-01-20"));
    assert!(files.contains_key("spring-2027/calendar.ics"));

    // versions.json: newest first, the current one marked.
    let v: serde_json::Value = serde_json::from_slice(&files["versions.json"]).expect("json");
    assert_eq!(v[0]["id"], "fall-2027");
    assert_eq!(v[0]["current"], true);
    assert_eq!(v[1]["id"], "spring-2027");
    assert_eq!(v[1]["url"], "/spring-2027/");
    assert_eq!(v[1]["current"], false);
    // The root sends the browser to the current term.
    assert!(page("index.html").contains("/fall-2027/"));

    // The archived notice links to the same page in the current term; the switcher in the
    // current term links to the same page in the archived one, or to its home.
    let old = page("spring-2027/syllabus/index.html");
    assert!(old.contains("archived-notice"));
    assert!(old.contains("href=\"/fall-2027/syllabus/\""));
    let new = page("fall-2027/syllabus/index.html");
    assert!(!new.contains("archived-notice"));
    assert!(new.contains("href=\"/spring-2027/syllabus/\""));
    let faq = page("fall-2027/faq/index.html");
    assert!(faq.contains("href=\"/spring-2027/\""), "missing page: home");

    // Every link of both terms resolves.
    assert!(check_links(&out) > 100);
}

#[test]
fn unchanged_versions_are_reused_and_changed_ones_rebuilt() {
    let tmp = TempDir::new("versions-cache");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    ok(&run(&["new", &c]));
    ok(&run(&["freeze", "--root", &c]));
    write(&course.join("terms/fall-2027.yaml"), FALL);
    let yaml = std::fs::read_to_string(course.join("course.yaml")).expect("course.yaml");
    write(
        &course.join("course.yaml"),
        &yaml.replace("current_term: spring-2027", "current_term: fall-2027"),
    );
    ok(&run(&["build", "--root", &c]));
    let old_page = course.join("public/spring-2027/syllabus/index.html");
    let first = std::fs::read_to_string(&old_page).expect("archived page");

    // A rebuild with the snapshot unchanged reuses its files: they are linked from the last
    // output (the same file), not written anew.
    use std::os::unix::fs::MetadataExt;
    let inode = |p: &std::path::Path| std::fs::metadata(p).expect("archived page").ino();
    let before = inode(&old_page);
    ok(&run(&["build", "--root", &c]));
    assert_eq!(inode(&old_page), before, "the snapshot was rendered again");
    assert_eq!(
        std::fs::read_to_string(&old_page).expect("archived page"),
        first
    );

    // Editing the snapshot renders it again.
    let frozen = course.join("versions/spring-2027/content/syllabus.md");
    let text = std::fs::read_to_string(&frozen).expect("frozen syllabus");
    write(&frozen, &format!("{text}\nA correction to the archive.\n"));
    ok(&run(&["build", "--root", &c]));
    let third = std::fs::read_to_string(&old_page).expect("archived page");
    assert!(third.contains("A correction to the archive."));
}

#[test]
fn a_broken_link_in_a_snapshot_is_an_error_with_its_path() {
    let tmp = TempDir::new("versions-broken");
    let course = tmp.path().join("course");
    let c = course.to_string_lossy().to_string();
    ok(&run(&["new", &c]));
    ok(&run(&["freeze", "--root", &c]));
    write(&course.join("terms/fall-2027.yaml"), FALL);
    let yaml = std::fs::read_to_string(course.join("course.yaml")).expect("course.yaml");
    write(
        &course.join("course.yaml"),
        &yaml.replace("current_term: spring-2027", "current_term: fall-2027"),
    );
    write(
        &course.join("content/faq.md"),
        "---\ntitle: FAQ\n---\n\nQuestions.\n",
    );
    // A page of the snapshot links to a page that only the current term has.
    let frozen = course.join("versions/spring-2027/content/syllabus.md");
    let text = std::fs::read_to_string(&frozen).expect("frozen syllabus");
    write(&frozen, &format!("{text}\nSee the [FAQ](faq.md).\n"));
    let r = run(&["build", "--root", &c]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("versions/spring-2027/content/syllabus.md:")
            && err.contains("missing page `faq.md`"),
        "{err}"
    );
}
