//! After any single-file edit, a build that reuses earlier work — serve's in-memory cache, or
//! `build` into the previous output folder with its code cache — writes exactly the bytes a
//! fresh build writes (issue 12, ../shared/STYLE.md "Caches that cannot go stale").

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use semester::site::cache::BuildCache;
use semester::{BuildOptions, Data, Diagnostics, Reuse};

use common::{TempDir, read_folders, read_tree};

fn options() -> BuildOptions {
    BuildOptions {
        drafts: false,
        private: false,
        as_of: jiff::civil::date(2026, 9, 1),
        base_url: None,
        search: true,
        outside_links: false,
    }
}

/// Every output file's bytes, from a build in memory.
fn bytes_of(site: &semester::Site) -> BTreeMap<String, Vec<u8>> {
    site.files
        .iter()
        .map(|f| {
            let bytes = match &f.data {
                Data::Bytes(b) => b.clone(),
                Data::Shared(b) => b.to_vec(),
                Data::Static(b) => b.to_vec(),
                Data::Copy(p) | Data::Link(p) => std::fs::read(p).unwrap(),
            };
            (f.path.clone(), bytes)
        })
        .collect()
}

fn build_in_memory(root: &Path, cache: Option<&BuildCache>) -> BTreeMap<String, Vec<u8>> {
    let mut diags = Diagnostics::new();
    let reuse = Reuse {
        previous: None,
        cache,
        code: cache.map(|c| &c.code),
    };
    let site = semester::site::build::build_site(root, &options(), reuse, &mut diags);
    let site = site.unwrap_or_else(|| panic!("build failed: {:?}", diags.into_vec()));
    bytes_of(&site)
}

/// A course with a frozen term beside the current one, so edits of a frozen term are tried.
fn course(dir: &Path) {
    common::basic_frozen_then_spring(dir);
}

/// The files edits wrote since the last build, as serve's watcher reports them.
static EDITED: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    EDITED.lock().unwrap().push(path.clone());
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, f(old)).unwrap();
}

/// One edit an author makes between two builds.
#[derive(Debug, Clone)]
enum Edit {
    Body(usize, String),
    Title(usize, String),
    FrontMatterKey(usize),
    TermDates,
    Highlight(&'static str),
    Template,
    ThemeStatic,
    FrozenPage(String),
    NewPage(String),
    /// The pages `NewPage` added are removed (their folders in the output must go too).
    RemoveNewPages,
    RemovePage(usize),
    RenamePage,
}

const PAGES: &[&str] = &[
    "content/syllabus.md",
    "content/notes.md",
    "content/topics/01-intro.md",
    "content/topics/02-tools.md",
    "content/labs/01-first.md",
    "content/labs/02-second.md",
];

/// Pages no other edit writes and no page links to, removed by `RemovePage`.
const MOVABLE: &[&str] = &["content/topics/03-pinned.md", "content/topics/04-later.md"];
/// The unscheduled topic `RenamePage` renames to a name that sorts first (so the pages after
/// it in the search index move), and the name (the calendar stays as it was).
const RENAMED: [&str; 2] = ["content/topics/04-later.md", "content/topics/00-later.md"];

fn apply(root: &Path, e: &Edit) {
    match e {
        Edit::Body(i, text) => edit(root, PAGES[i % PAGES.len()], |s| {
            format!("{s}\n{text}\n\n```python\nprint({text:?})\n```\n")
        }),
        Edit::Title(i, t) => edit(root, PAGES[i % PAGES.len()], |s| {
            let start = s.find("title:").unwrap();
            let end = start + s[start..].find('\n').unwrap();
            format!("{}title: \"{t}\"{}", &s[..start], &s[end..])
        }),
        Edit::FrontMatterKey(i) => edit(root, PAGES[i % PAGES.len()], |s| {
            let kept: Vec<&str> = s
                .lines()
                .filter(|l| !l.starts_with("description:"))
                .collect();
            kept.join("\n")
                .replacen("---\n", "---\ndescription: Changed by the test.\n", 1)
                + "\n"
        }),
        Edit::TermDates => edit(root, "terms/spring-2027.yaml", |s| {
            s.replace("2027-01-19", "2027-01-26")
        }),
        // A second colour edit replaces the first (two `markdown:` keys would be a mistake).
        Edit::Highlight(light) => edit(root, "course.yaml", |s| {
            let s = s.split("\nmarkdown:\n").next().unwrap_or(&s);
            format!("{s}\nmarkdown:\n  highlight: {{ light: \"{light}\" }}\n")
        }),
        Edit::Template => {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            edit(root, "templates/custom.html", |s| {
                s.replacen("{% endblock", "<p>edited</p>{% endblock", 1)
            });
        }
        Edit::ThemeStatic => {
            std::fs::create_dir_all(root.join("themes/default/static")).unwrap();
            edit(root, "themes/default/static/extra.css", |s| {
                format!("{s}\np {{ margin: 0 }}\n")
            });
        }
        Edit::FrozenPage(text) => edit(root, "versions/fall-2026/content/notes.md", |s| {
            format!("{s}\n{text}\n")
        }),
        Edit::NewPage(name) => edit(root, &format!("content/{name}.md"), |_| {
            format!("---\ntitle: {name}\n---\n\nSee the [syllabus](syllabus.md).\n")
        }),
        Edit::RemoveNewPages => {
            for e in std::fs::read_dir(root.join("content")).unwrap().flatten() {
                if e.file_name().to_string_lossy().starts_with("new") {
                    EDITED.lock().unwrap().push(e.path());
                    std::fs::remove_file(e.path()).unwrap();
                }
            }
        }
        Edit::RemovePage(i) => {
            let path = root.join(MOVABLE[i % MOVABLE.len()]);
            EDITED.lock().unwrap().push(path.clone());
            let _ = std::fs::remove_file(path);
        }
        Edit::RenamePage => {
            let [from, to] = RENAMED.map(|p| root.join(p));
            EDITED.lock().unwrap().extend([from.clone(), to.clone()]);
            let _ = std::fs::rename(from, to);
        }
    }
}

fn an_edit() -> impl Strategy<Value = Edit> {
    let text = "[a-z]{1,12}";
    prop_oneof![
        (0..PAGES.len(), text).prop_map(|(i, t)| Edit::Body(i, t)),
        (0..PAGES.len(), "[A-Z][a-z]{0,10}").prop_map(|(i, t)| Edit::Title(i, t)),
        (0..PAGES.len()).prop_map(Edit::FrontMatterKey),
        Just(Edit::TermDates),
        prop_oneof![Just("GitHub"), Just("InspiredGitHub"), Just("Coldark-Cold")]
            .prop_map(Edit::Highlight),
        Just(Edit::Template),
        Just(Edit::ThemeStatic),
        text.prop_map(Edit::FrozenPage),
        "new[a-z]{1,6}".prop_map(Edit::NewPage),
        Just(Edit::RemoveNewPages),
        (0..MOVABLE.len()).prop_map(Edit::RemovePage),
        Just(Edit::RenamePage),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, .. ProptestConfig::default() })]

    /// serve's path: one cache kept across builds gives what a fresh build gives.
    #[test]
    fn serve_rebuilds_equal_fresh_builds(edits in prop::collection::vec(an_edit(), 1..4)) {
        let dir = TempDir::new("incremental-serve");
        course(dir.path());
        let cache = BuildCache::new();
        build_in_memory(dir.path(), Some(&cache));
        for e in &edits {
            apply(dir.path(), e);
            // What serve's watcher does with the paths it saw change.
            let edited: Vec<_> = EDITED.lock().unwrap().drain(..).filter(|p| p.starts_with(dir.path())).collect();
            cache.forget(dir.path(), &edited);
            let incremental = build_in_memory(dir.path(), Some(&cache));
            let fresh = build_in_memory(dir.path(), None);
            prop_assert_eq!(incremental.keys().collect::<Vec<_>>(), fresh.keys().collect::<Vec<_>>());
            for (path, bytes) in &fresh {
                prop_assert!(&incremental[path] == bytes, "{} differs after {:?}", path, e);
            }
        }
    }

    /// `build` into the previous output, with the cache beside it (rendered Markdown, pages,
    /// search index, code, frozen terms), writes after each edit what a build into an empty
    /// folder with no cache writes.
    #[test]
    fn builds_into_the_previous_output_equal_fresh_builds(edits in prop::collection::vec(an_edit(), 1..4)) {
        let dir = TempDir::new("incremental-build");
        course(dir.path());
        let out = dir.path().join("public");
        build_into(dir.path(), &out)?;
        for e in &edits {
            apply(dir.path(), e);
            build_into(dir.path(), &out)?;
            let fresh = TempDir::new("incremental-fresh");
            build_into(dir.path(), &fresh.path().join("public"))?;
            let (a, b) = (read_tree(&out), read_tree(&fresh.path().join("public")));
            prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            // No folder left behind by a file removed in place.
            prop_assert_eq!(read_folders(&out), read_folders(&fresh.path().join("public")));
            for (path, bytes) in &b {
                prop_assert!(&a[path] == bytes, "{} differs after {:?}", path, e);
            }
        }
    }
}

/// `semester build` of the course at `root` into `out`, its cache beside `out`.
fn build_into(root: &Path, out: &Path) -> Result<(), TestCaseError> {
    build_with(root, out, &options())
}

fn build_with(root: &Path, out: &Path, options: &BuildOptions) -> Result<(), TestCaseError> {
    semester::build(root, out, options)
        .map(|_| ())
        .map_err(|d| TestCaseError::fail(format!("{:?}", d.into_vec())))
}

/// A build with other switches (drafts, another date, no search) into the same output, with
/// the cache the last build left, writes what a fresh build with those switches writes.
#[test]
fn builds_with_other_switches_into_the_same_output_equal_fresh_builds() {
    let dir = TempDir::new("incremental-switches");
    course(dir.path());
    std::fs::write(
        dir.path().join("content/draft.md"),
        "---\ntitle: A draft\ndraft: true\n---\n\nNot yet.\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let variants = [
        options(),
        BuildOptions {
            drafts: true,
            ..options()
        },
        BuildOptions {
            as_of: jiff::civil::date(2027, 3, 1),
            ..options()
        },
        BuildOptions {
            search: false,
            ..options()
        },
        options(),
    ];
    for o in &variants {
        build_with(dir.path(), &out, o).unwrap();
        let fresh = TempDir::new("incremental-switches-fresh");
        build_with(dir.path(), &fresh.path().join("public"), o).unwrap();
        assert_eq!(
            read_tree(&out),
            read_tree(&fresh.path().join("public")),
            "{o:?}"
        );
    }
}

/// A build that reuses the cache writes nothing when nothing changed, and reuses the pages of
/// the previous output as its own files (the same inodes), not copies.
#[test]
fn an_unchanged_build_reuses_the_previous_pages() {
    use std::os::unix::fs::MetadataExt;
    let dir = TempDir::new("incremental-unchanged");
    course(dir.path());
    let out = dir.path().join("public");
    build_into(dir.path(), &out).unwrap();
    build_into(dir.path(), &out).unwrap();
    let page = out.join("spring-2027/syllabus/index.html");
    let before = std::fs::metadata(&page).unwrap().ino();
    build_into(dir.path(), &out).unwrap();
    assert_eq!(
        std::fs::metadata(&page).unwrap().ino(),
        before,
        "the page was written again"
    );
    apply(dir.path(), &Edit::Body(1, "changed".into()));
    build_into(dir.path(), &out).unwrap();
    assert_eq!(
        std::fs::metadata(&page).unwrap().ino(),
        before,
        "an unchanged page was written again"
    );
}

/// The bug that started this: serve kept old colour classes after markdown.highlight changed.
#[test]
fn changing_the_code_colours_recolours_unchanged_pages_in_serve() {
    let dir = TempDir::new("incremental-colours");
    course(dir.path());
    let cache = BuildCache::new();
    let before = build_in_memory(dir.path(), Some(&cache));
    apply(dir.path(), &Edit::Highlight("GitHub"));
    let after = build_in_memory(dir.path(), Some(&cache));
    let page = "spring-2027/labs/01-first/index.html";
    assert_ne!(before[page], after[page], "the page kept its old colours");
    assert_eq!(after[page], build_in_memory(dir.path(), None)[page]);
}
