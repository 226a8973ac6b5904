//! `semester import jekyll`: five Jekyll course sites written in the styles of just-the-docs,
//! just-the-class, plain Jekyll, an older site of HTML pages and a theme that keeps its pages
//! in `_pages/` (the home page by `permalink: /`) (tests/fixtures/jekyll/) import into the course folders
//! kept in tests/fixtures/jekyll-expected/, which pass `check` and build into pages that hold
//! no Liquid or kramdown syntax; the Jekyll site is never written, a full DEST is refused.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{TempDir, golden, options, read_tree, repo};
use semester::import::{ImportOptions, jekyll};

const SITES: [&str; 5] = [
    "just-the-docs",
    "just-the-class",
    "plain",
    "html-pages",
    "pages-folder",
];

fn site(name: &str) -> PathBuf {
    repo().join("tests/fixtures/jekyll").join(name)
}

fn fixed() -> ImportOptions {
    ImportOptions {
        force: false,
        today: jiff::civil::date(2026, 11, 30),
    }
}

/// Imports `name` into a new folder of `tmp`.
fn import(name: &str, tmp: &TempDir) -> PathBuf {
    let dest = tmp.path().join(name);
    if let Err(e) = jekyll(&site(name), &dest, fixed()) {
        panic!("{name} must import: {e}");
    }
    dest
}

/// Each site imports into exactly the expected course folder (every file compared whole).
#[test]
fn each_site_imports_into_the_expected_course() {
    for name in SITES {
        let tmp = TempDir::new("import-golden");
        let dest = import(name, &tmp);
        let expected = repo().join("tests/fixtures/jekyll-expected").join(name);
        golden::check(&read_tree(&dest), &expected, &[]);
    }
}

/// The errors among `diags`, as printed.
fn errors_of(diags: &semester::Diagnostics) -> Vec<String> {
    diags
        .sorted()
        .iter()
        .filter(|d| d.severity == semester::Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

/// Each imported course passes `check` (no errors) and builds.
#[test]
fn each_imported_course_checks_and_builds() {
    for name in SITES {
        let tmp = TempDir::new("import-check");
        let dest = import(name, &tmp);
        let diags = semester::check(&dest, &options());
        let errors = errors_of(&diags);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // Every typed date that a session or a lab gives became its reference.
        let missed: Vec<String> = diags
            .sorted()
            .iter()
            .filter(|d| d.message.contains("is a date typed by hand"))
            .filter(|d| {
                d.hint
                    .as_deref()
                    .is_some_and(|h| h.contains("{@session.") || h.contains("{@lab."))
            })
            .map(|d| d.to_string())
            .collect();
        assert!(missed.is_empty(), "{name}: {missed:#?}");
        let built = golden::build(&dest);
        assert!(built.keys().any(|k| k.ends_with("index.html")), "{name}");
    }
}

/// No published page shows Liquid (`{{`, `{%`) or kramdown (`{:`) outside code, but for what
/// a `{% raw %}` block shows as written (pages-folder's `_pages/about.md`).
#[test]
fn imported_pages_hold_no_liquid_or_kramdown() {
    const RAW: &str = "Use {{ var }} in Jinja.";
    let mut raw_shown = 0;
    for name in SITES {
        let tmp = TempDir::new("import-syntax");
        let dest = import(name, &tmp);
        for (path, bytes) in golden::build(&dest) {
            if !path.ends_with(".html") {
                continue;
            }
            let text = without_code(&String::from_utf8_lossy(&bytes));
            raw_shown += text.matches(RAW).count();
            let text = text.replace(RAW, "");
            for mark in ["{{", "{%", "{:", "%}"] {
                assert!(!text.contains(mark), "{name}: {path} holds `{mark}`");
            }
        }
    }
    assert_eq!(
        raw_shown, 1,
        "the `{{% raw %}}` text is shown, once (the home page)"
    );
}

/// The page's text without what `<pre>` and `<code>` hold (code may show braces).
fn without_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<code") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("</code>").map_or("", |j| &rest[i + j..]);
    }
    out.push_str(rest);
    out
}

/// The hand-typed dates of just-the-class' modules become the term: start, end, Tuesdays and
/// Thursdays, the day that says "No class" a holiday, each week a topic of its class days.
#[test]
fn module_dates_become_the_term() {
    let tmp = TempDir::new("import-term");
    let dest = import("just-the-class", &tmp);
    let term = std::fs::read_to_string(dest.join("terms/spring-2025.yaml")).unwrap();
    for line in [
        "start: 2025-01-21",
        "end: 2025-02-13",
        "- tue\n  - thu",
        "- date: 2025-02-04",
        "kind: office-hours\n  person: Li Wei",
    ] {
        assert!(term.contains(line), "{line} not in\n{term}");
    }
    let mut diags = semester::Diagnostics::new();
    let course = semester::schedule(&dest, None, None, &mut diags).expect("schedules");
    let topics: Vec<(u32, Vec<String>)> = course
        .calendar
        .sessions
        .iter()
        .map(|s| (s.number, s.topics.clone()))
        .collect();
    let weeks = [
        "week-01", "week-01", "week-02", "week-02", "week-03", "week-04", "week-04",
    ];
    let want: Vec<(u32, Vec<String>)> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (i as u32 + 1, vec![w.to_string()]))
        .collect();
    assert_eq!(topics, want);
}

/// SRC is left exactly as it was; a DEST that holds files is refused without --force, and
/// one inside SRC always.
#[test]
fn the_site_is_never_written_and_a_full_dest_is_refused() {
    let src = site("plain");
    let before = tree_with_links(&src);
    let tmp = TempDir::new("import-safe");
    let dest = import("plain", &tmp);
    assert_eq!(tree_with_links(&src), before);
    let again = jekyll(&src, &dest, fixed()).unwrap_err();
    assert!(again.contains("is not empty"), "{again}");
    let forced = ImportOptions {
        force: true,
        ..fixed()
    };
    assert!(jekyll(&src, &dest, forced).is_ok());
    let inside = jekyll(&src, &src.join("out"), forced).unwrap_err();
    assert!(inside.contains("hold one another"), "{inside}");
    assert!(!src.join("out").exists());
}

fn tree_with_links(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let data = match e.path_is_symlink() {
                true => std::fs::read_link(e.path())
                    .unwrap()
                    .display()
                    .to_string()
                    .into_bytes(),
                false => std::fs::read(e.path()).unwrap_or_default(),
            };
            (rel, data)
        })
        .collect()
}

/// A symlink out of the site (just-the-class' assets/passwd → /etc/passwd) is not followed:
/// nothing of it is in the course, and the report names it.
#[test]
fn symlinks_out_of_the_site_are_not_followed() {
    let tmp = TempDir::new("import-links");
    let dest = import("just-the-class", &tmp);
    let all = read_tree(&dest);
    assert!(
        !all.keys().any(|k| k.contains("passwd")),
        "{:?}",
        all.keys()
    );
    let report = String::from_utf8(all["IMPORT.md"].clone()).unwrap();
    assert!(
        report.contains("- `assets/passwd:1`: not read: this symlink points outside"),
        "{report}"
    );
}

/// A site as found in the wild, and worse: a `_config.yml` that is not YAML, pages without or
/// with broken front matter, a file that is not UTF-8, names with spaces, accents and capitals,
/// two pages with one place, a date that does not exist, a fall term running into January,
/// `javascript:` in a staffer, a schedule that is no list, unclosed Liquid, links to nowhere.
/// It imports, the course checks without errors and builds, and the report names each problem.
#[test]
fn a_hostile_site_imports_into_a_course_that_builds() {
    let tmp = TempDir::new("import-hostile");
    let src = tmp.path().join("site");
    let files: &[(&str, &[u8])] = &[
        (
            "_config.yml",
            b"title: Wild\n\tbad: [x\nfoo:\n  - {a: [1, 2}\nlang: 42\n",
        ),
        (
            "index.md",
            b"---\n- a list\n- not a map\n---\n# Hi {% link nowhere.md\n",
        ),
        ("README.md", b"Also a home.\n"),
        (
            "Notes Page.MD",
            b"No front matter. [x](/nowhere.html) [y]({{ site.baseurl }}/gone/)\n",
        ),
        ("notes-page.md", b"---\ntitle: Clash\nnav_order: abc\n---\n"),
        ("binary.md", b"---\ntitle: \xff\xfe\n---\n\x00\x01"),
        ("unclosed.md", b"---\ntitle: Never closed\n"),
        (
            "_modules/Sémaine 1.md",
            b"---\ntitle: \"Week: one\"\n---\nDec 3\n\nDec 5\n\nFeb 30\n",
        ),
        (
            "_modules/week-2.md",
            b"---\ntitle: Two\nnav_order: 1e300\n---\nJan 7\n\nJan 9, no class\n",
        ),
        (
            "_staffers/x.md",
            b"---\nname: Eve\nwebsite: javascript:alert(1)\nphoto: ../../etc/passwd\n---\n",
        ),
        ("_schedules/s.md", b"---\nschedule: nope\n---\n"),
        (
            "_announcements/a.md",
            b"---\ntitle: When?\ndate: yesterday\n---\nSoon.\n",
        ),
        ("_layouts/default.html", b"{{ content }}"),
    ];
    for (path, bytes) in files {
        let full = src.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    let dest = tmp.path().join("course");
    let done = jekyll(&src, &dest, fixed()).expect("imports");
    let diags = semester::check(&dest, &options());
    let errors = errors_of(&diags);
    assert!(errors.is_empty(), "{errors:#?}\n{}", done.report);
    golden::build(&dest);
    for said in [
        "- `_config.yml:2`: _config.yml is not valid YAML",
        "- `binary.md:1`: not read:",
        "- `unclosed.md:1`: the front matter is never closed",
        "- `_staffers/x.md:3`: 'javascript:alert(1)' is not a web address",
        "- `_staffers/x.md:4`: the photo '../../etc/passwd' is not in the site",
        "- `_schedules/s.md:1`: a schedule without a 'schedule:' list of days",
        "- `_modules/Sémaine 1.md:8`: a date on this line does not exist",
        "- `_modules/week-2.md:7`: 2027-01-09 is read as a day without class",
        "- `_announcements/a.md:3`: no date: posted on the first day of the term, 2026-12-03",
        "- `Notes Page.MD:1`: the link '/nowhere.html' leads to nothing the site had",
        "another page also goes to content/notes-page.md",
        "- `notes-page.md:3`: 'nav_order' is not a number",
    ] {
        assert!(
            done.report.contains(said),
            "`{said}` not in\n{}",
            done.report
        );
    }
    let term = std::fs::read_to_string(dest.join("terms/fall-2026.yaml")).unwrap();
    assert!(
        term.contains("start: 2026-12-03\nend: 2027-01-07"),
        "{term}"
    );
    assert!(dest.join("content/topics/semaine-1.md").is_file());
}

/// A page of 20,000 links to nowhere, left-out tags and dates imports in linear time (each
/// report line's place is found in an index of the page's lines, not by counting from its top:
/// that took minutes).
#[test]
fn a_page_of_many_problems_imports_in_linear_time() {
    let md = |k: usize| {
        let day = k % 28 + 1;
        format!("[a{k}](/nowhere{k}/) {{% include x.html %}} {{{{ y }}}} Jan {day}\n")
    };
    // The same as an HTML page, which is converted to Markdown first.
    let html = |k: usize| {
        let day = k % 28 + 1;
        format!(
            "<p><a href=\"/nowhere{k}/\">a{k}</a> {{% include x.html %}} {{{{ y }}}} Jan {day}</p>\n"
        )
    };
    for (file, line) in [
        ("big.md", &md as &dyn Fn(usize) -> String),
        ("big.html", &html),
    ] {
        let tmp = TempDir::new("import-large");
        let src = tmp.path().join("site");
        std::fs::create_dir_all(&src).unwrap();
        let body: String = (0..20_000).map(line).collect();
        std::fs::write(src.join(file), format!("---\ntitle: Big\n---\n{body}")).unwrap();
        let started = std::time::Instant::now();
        let done = jekyll(&src, &tmp.path().join("course"), fixed()).expect("imports");
        let took = started.elapsed();
        // Each link, include and output, and the placeholder term (the site has no topics).
        assert_eq!(done.counts.0, 60_001, "{file}");
        assert!(
            took < std::time::Duration::from_secs(20),
            "{file} took {took:?}"
        );
    }
}
