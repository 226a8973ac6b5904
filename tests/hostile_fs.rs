//! A course someone else wrote: nothing outside the course folder is read or published, only
//! regular files of a sane size are read, `--term` is an id, and an output folder that is a
//! mount point still gets a whole site. (The cases that fit a fixture are in
//! tests/fixtures/invalid/: symlink-outside, special-files, theme-path, collide-generated…)

mod common;

use common::{TempDir, options, read_tree, run};
use std::os::unix::fs::symlink;
use std::path::Path;

/// A course made by `semester new` in `tmp/course`.
fn new_course(tmp: &TempDir) -> std::path::PathBuf {
    let dir = tmp.path().join("course");
    let r = run(&["new", &dir.to_string_lossy()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    dir
}

/// The errors of building `root` with `outside_links`, one line each (hints left out).
fn errors(root: &Path, outside_links: bool) -> Vec<String> {
    let opts = semester::BuildOptions {
        outside_links,
        ..options()
    };
    let out = root.join("public");
    match semester::build(root, &out, &opts) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .sorted()
            .iter()
            .map(|d| d.to_string().lines().next().unwrap_or("").to_string())
            .collect(),
    }
}

fn stderr(r: &std::process::Output) -> String {
    String::from_utf8_lossy(&r.stderr).to_string()
}

/// Links that stay inside the course are followed (a shared folder, a logo used twice), and
/// their targets published like any file.
#[test]
fn links_inside_the_course_are_followed() {
    let tmp = TempDir::new("inside-links");
    let dir = new_course(&tmp);
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::write(dir.join("shared/data.csv"), "a,b\n1,2\n").unwrap();
    std::fs::create_dir_all(dir.join("static")).unwrap();
    std::fs::write(dir.join("content/logo.svg"), "<svg/>").unwrap();
    symlink("../shared", dir.join("content/data")).unwrap();
    symlink("../content/logo.svg", dir.join("static/logo.svg")).unwrap();
    assert_eq!(errors(&dir, false), Vec::<String>::new());
    let site = read_tree(&dir.join("public"));
    assert_eq!(site["spring-2027/data/data.csv"], b"a,b\n1,2\n");
    assert_eq!(site["logo.svg"], b"<svg/>");
}

/// A link to /etc is an error naming the link and its target, and nothing of /etc is
/// published; `--follow-outside-symlinks` (the person building trusts the target) publishes it.
#[test]
fn a_link_to_etc_is_refused_unless_the_builder_opts_in() {
    let tmp = TempDir::new("etc-link");
    let dir = new_course(&tmp);
    symlink("/etc/passwd", dir.join("content/passwd.txt")).unwrap();
    assert_eq!(
        errors(&dir, false),
        ["content/passwd.txt:1:1: error: this symlink points outside the course, to `/etc/passwd`"]
    );
    assert!(!dir.join("public").exists());
    let r = run(&["build", "--root", &dir.to_string_lossy()]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains("hint: semester publishes only files inside the course folder: copy the file into the course, or build with --follow-outside-symlinks if you trust where it points"),
        "{}",
        stderr(&r)
    );
    let r = run(&[
        "build",
        "--root",
        &dir.to_string_lossy(),
        "--follow-outside-symlinks",
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let published = std::fs::read(dir.join("public/spring-2027/passwd.txt")).unwrap();
    assert_eq!(published, std::fs::read("/etc/passwd").unwrap());
}

/// Even with the opt-in, a link to a device is an error (reading /dev/zero never ends), and
/// course.yaml is never read through a link out of the course: the build answers at once.
#[test]
fn devices_are_never_read() {
    let tmp = TempDir::new("dev-zero");
    let dir = new_course(&tmp);
    let course = std::fs::read(dir.join("course.yaml")).unwrap();
    std::fs::remove_file(dir.join("course.yaml")).unwrap();
    symlink("/dev/zero", dir.join("course.yaml")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    symlink("/dev/zero", dir.join("templates/page.html")).unwrap();
    symlink("/dev/null", dir.join("content/empty.txt")).unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        errors(&dir, true),
        [
            "content/empty.txt:1:1: error: this symlink points to a device, not to a regular file",
            "course.yaml:1:1: error: this symlink points outside the course, to `/dev/zero`",
        ]
    );
    std::fs::remove_file(dir.join("course.yaml")).unwrap();
    std::fs::write(dir.join("course.yaml"), course).unwrap();
    assert_eq!(
        errors(&dir, true),
        [
            "content/empty.txt:1:1: error: this symlink points to a device, not to a regular file",
            "templates/page.html:1:1: error: this symlink points to a device, not to a regular file",
        ]
    );
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

/// Each kind of file has a size cap, and a file past it is an error that says both sizes.
#[test]
fn files_past_their_cap_are_errors() {
    let tmp = TempDir::new("caps");
    let dir = new_course(&tmp);
    let mb = 1024 * 1024;
    let mut front = String::from("---\ntitle: Big front matter\nextra:\n");
    while front.len() < mb + 10 {
        front.push_str("  k: just some value that repeats and repeats\n");
    }
    front.push_str("---\n\nText.\n");
    std::fs::write(dir.join("content/front.md"), &front).unwrap();
    std::fs::write(
        dir.join("content/page.md"),
        format!("---\ntitle: Big\n---\n\n{}", "word ".repeat(33 * mb / 5)),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("templates/page.html"), "x".repeat(mb + 1)).unwrap();
    let mut course = std::fs::read_to_string(dir.join("course.yaml")).unwrap();
    course.push_str(&format!("# {}\n", "x".repeat(mb)));
    std::fs::write(dir.join("course.yaml"), &course).unwrap();
    let yaml_too_large =
        "error: this file is larger than a YAML file (course.yaml, a term) may be (1 MB at most)";
    assert_eq!(
        errors(&dir, false),
        [
            "content/front.md:1:1: error: this file is larger than a page's front matter may be (1 MB at most)".to_string(),
            "content/page.md:1:1: error: this file is larger than a Markdown page may be (32 MB at most)".to_string(),
            format!("course.yaml:1:1: {yaml_too_large}"),
        ]
    );
    let r = run(&["build", "--root", &dir.to_string_lossy()]);
    assert!(
        stderr(&r).contains(&format!(
            "hint: it is {} bytes; no course needs this much YAML",
            course.len()
        )),
        "{}",
        stderr(&r)
    );
    course.truncate(course.find("# xxx").unwrap());
    std::fs::write(dir.join("course.yaml"), &course).unwrap();
    assert_eq!(
        errors(&dir, false),
        [
            "content/front.md:1:1: error: this file is larger than a page's front matter may be (1 MB at most)",
            "content/page.md:1:1: error: this file is larger than a Markdown page may be (32 MB at most)",
            "templates/page.html:1:1: error: this file is larger than a template may be (1 MB at most)",
        ]
    );
}

/// `--term` is a term id: a path is refused and blamed on the flag, never read.
#[test]
fn the_term_flag_is_an_id() {
    let tmp = TempDir::new("term-flag");
    let dir = new_course(&tmp);
    std::fs::copy(
        dir.join("terms/spring-2027.yaml"),
        tmp.path().join("x.yaml"),
    )
    .unwrap();
    let root = dir.to_string_lossy().to_string();
    for (term, want) in [
        (
            "../../x",
            "--term:1:1: error: `../../x` is not a term id\n  hint: a term id is the name of a file in terms/ without .yaml: lowercase letters, digits and dashes (--term spring-2026)\n1 error\n",
        ),
        (
            "/etc/passwd",
            "--term:1:1: error: `/etc/passwd` is not a term id\n  hint: a term id is the name of a file in terms/ without .yaml: lowercase letters, digits and dashes (--term spring-2026)\n1 error\n",
        ),
        (
            "spring-2028",
            "--term:1:1: error: there is no term `spring-2028`: no file terms/spring-2028.yaml\n  hint: did you mean `spring-2027`?\n1 error\n",
        ),
    ] {
        let r = run(&["calendar", "--root", &root, "--term", term]);
        assert_eq!(r.status.code(), Some(1), "{term}");
        assert_eq!(stderr(&r), want, "{term}");
        assert!(r.stdout.is_empty());
    }
}

/// `semester freeze` copies what a link inside the course points to, as a file of the
/// snapshot, and refuses (copying nothing) when a link leads out of the course.
#[test]
fn freeze_never_copies_what_lies_outside() {
    let tmp = TempDir::new("freeze-links");
    let dir = new_course(&tmp);
    let root = dir.to_string_lossy().to_string();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    symlink("../notes.txt", dir.join("content/notes.txt")).unwrap();
    symlink("/etc/passwd", dir.join("content/passwd.txt")).unwrap();
    let r = run(&["freeze", "--root", &root]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).starts_with(
            "content/passwd.txt:1:1: error: this symlink points outside the course, to `/etc/passwd`"
        ),
        "{}",
        stderr(&r)
    );
    assert!(!dir.join("versions").exists());
    std::fs::remove_file(dir.join("content/passwd.txt")).unwrap();
    let r = run(&["freeze", "--root", &root]);
    assert!(r.status.success(), "{}", stderr(&r));
    let copy = dir.join("versions/spring-2027/content/notes.txt");
    assert!(!std::fs::symlink_metadata(&copy).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(copy).unwrap(), "mine");
}

/// An output folder that is a mount point (a docker volume) cannot be renamed: the build
/// swaps its contents instead, leaves no copy beside it and no stale file in it, and says so
/// with -v. Needs root to mount a tmpfs; elsewhere it says it was skipped.
#[test]
fn a_mount_point_gets_a_whole_site() {
    let tmp = TempDir::new("mount");
    let dir = new_course(&tmp);
    let out = tmp.path().join("site");
    std::fs::create_dir_all(&out).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&out)
        .output();
    if !mounted.as_ref().is_ok_and(|m| m.status.success()) {
        eprintln!(
            "SKIPPED a_mount_point_gets_a_whole_site: cannot mount a tmpfs here (needs root)"
        );
        return;
    }
    let o = out.to_string_lossy().to_string();
    let root = dir.to_string_lossy().to_string();
    let result = std::panic::catch_unwind(|| {
        let r = run(&["build", "--root", &root, "--out", &o, "-v"]);
        assert!(r.status.success(), "{}", stderr(&r));
        assert!(stderr(&r).contains(&format!(
            "{o} cannot be renamed (a mount point?): the new site was swapped in entry by entry"
        )));
        std::fs::write(
            dir.join("content/extra.md"),
            "---\ntitle: Extra\n---\n\nMore.\n",
        )
        .unwrap();
        let r = run(&["build", "--root", &root, "--out", &o]);
        assert!(r.status.success(), "{}", stderr(&r));
        assert!(out.join("spring-2027/extra/index.html").exists());
        std::fs::remove_file(dir.join("content/extra.md")).unwrap();
        let r = run(&["build", "--root", &root, "--out", &o]);
        assert!(r.status.success(), "{}", stderr(&r));
        assert!(
            !out.join("spring-2027/extra").exists(),
            "a stale page stayed"
        );
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".semester-output",
                "404.html",
                "index.html",
                "search.js",
                "semester.css",
                "semester.js",
                "sitemap.xml",
                "spring-2027",
                "syntax.css",
                "versions.json"
            ]
        );
        let beside: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("tmp") || n.contains("old"))
            .collect();
        assert!(beside.is_empty(), "a copy was left beside: {beside:?}");
    });
    let _ = std::process::Command::new("umount").arg(&out).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// course.yaml → /dev/zero: `check` and `build` (which read the time zone for the default
/// `--as-of` first) answer at once with the error, instead of reading until memory runs out.
#[test]
fn a_course_yaml_linked_to_dev_zero_is_answered_at_once() {
    let tmp = TempDir::new("zero-course");
    let dir = new_course(&tmp);
    std::fs::remove_file(dir.join("course.yaml")).unwrap();
    symlink("/dev/zero", dir.join("course.yaml")).unwrap();
    let root = dir.to_string_lossy().to_string();
    for cmd in ["check", "build"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_semester"))
            .args([cmd, "--root", &root])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed().as_secs() > 30 {
                let _ = child.kill();
                panic!("`semester {cmd}` still runs after 30 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(
                "course.yaml:1:1: error: this symlink points outside the course, to `/dev/zero`\n"
            ),
            "{cmd}: {err}"
        );
    }
}

/// A device file inside the course (made with mknod, which needs root; skipped visibly
/// elsewhere) is an error by name, never read.
#[test]
fn a_device_inside_the_course_is_an_error() {
    let tmp = TempDir::new("mknod");
    let dir = new_course(&tmp);
    let made = std::process::Command::new("mknod")
        .arg(dir.join("content/zero.bin"))
        .args(["c", "1", "5"])
        .output();
    if !made.as_ref().is_ok_and(|m| m.status.success()) {
        eprintln!("SKIPPED a_device_inside_the_course_is_an_error: mknod needs root");
        return;
    }
    assert_eq!(
        errors(&dir, false),
        ["content/zero.bin:1:1: error: this is a device, not a regular file"]
    );
}

/// `semester calendar` prints titles and places from the course: an escape code in them (written
/// `\e` in a double-quoted YAML string, so the file itself is valid) reaches the terminal inert.
#[test]
fn the_calendar_table_never_prints_escape_codes() {
    let tmp = TempDir::new("calendar-escapes");
    let dir = new_course(&tmp);
    let term = dir.join("terms/spring-2027.yaml");
    let text = std::fs::read_to_string(&term).unwrap().replace(
        "title: Project proposal due",
        r#"title: "Proposal\e[2J\e]0;pwned\a due""#,
    );
    std::fs::write(&term, text).unwrap();
    let r = run(&["calendar", "--root", &dir.to_string_lossy()]);
    assert!(r.status.success(), "{}", stderr(&r));
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'));
    let row = out.lines().find(|l| l.contains("Proposal")).unwrap();
    assert_eq!(
        row.split("Event").nth(1).map(str::trim),
        Some(r"Proposal\u{1b}[2J\u{1b}]0;pwned\u{7} due")
    );
}

/// content/ itself a link out of the course, or missing: one error, and `nav` naming its pages
/// is not reported too (each nav entry would otherwise be "not a page of content/").
#[test]
fn an_unreadable_content_folder_is_one_error() {
    let tmp = TempDir::new("content-outside");
    let dir = new_course(&tmp);
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::rename(dir.join("content"), &elsewhere).unwrap();
    symlink(&elsewhere, dir.join("content")).unwrap();
    let shown = elsewhere.display();
    assert_eq!(
        errors(&dir, false),
        [format!(
            "content:1:1: error: this symlink points outside the course, to `{shown}`"
        )]
    );
    std::fs::remove_file(dir.join("content")).unwrap();
    assert_eq!(
        errors(&dir, false),
        ["content:1:1: error: there is no content/ folder"]
    );
}

/// The default build date (`--as-of` left out: today in the course's zone) is read from a
/// course.yaml that may be hostile: 200 KB of nested `[` is the depth error at once, for
/// `build`, `check` and `calendar` alike, not minutes of serde_yaml before it (the bench
/// passes `--as-of`, so it never took this path).
#[test]
fn a_deeply_nested_course_yaml_fails_at_once_without_as_of() {
    let tmp = TempDir::new("deep-yaml-today");
    let dir = new_course(&tmp);
    let yaml = dir.join("course.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    let line = text.lines().count() + 1;
    text.push_str(&format!("extra_key: {}\n", "[".repeat(200_000)));
    std::fs::write(&yaml, text).unwrap();
    let root = dir.to_string_lossy().to_string();
    for cmd in ["build", "check", "calendar"] {
        let started = std::time::Instant::now();
        let r = run(&[cmd, "--root", &root]);
        let took = started.elapsed();
        assert_eq!(r.status.code(), Some(1), "{cmd}");
        let first = stderr(&r).lines().next().unwrap_or("").to_string();
        assert_eq!(
            first,
            format!(
                "course.yaml:{line}:76: error: lists and mappings nest more than 64 levels deep here"
            ),
            "{cmd}"
        );
        assert!(
            took < std::time::Duration::from_secs(20),
            "{cmd} took {took:?}"
        );
    }
}
