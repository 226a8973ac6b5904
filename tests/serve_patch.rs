//! serve after a save serves exactly what a fresh build of the course makes, whether it patched
//! the last site (a page's body changed and reaches nothing else: site::patch) or rebuilt it
//! (front matter, pages added or removed, a body that links elsewhere or breaks an anchor), and
//! it patches where it can (issue 12).

mod common;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;
use semester::serve::{HostPolicy, Rebuild, Server};
use semester::{Data, Diagnostics, Reuse};

use common::TempDir;

/// The basic fixture with an announcement, frozen as fall-2026, then current as spring-2027.
fn course(dir: &Path) {
    common::basic_frozen_then_spring(dir);
    // A file only the draft links to: not published until a published page links it.
    std::fs::write(dir.join("content/answers.txt"), "42\n").unwrap();
    let draft = std::fs::read_to_string(dir.join("content/draft.md")).unwrap();
    let draft = format!("{draft}\nThe [answers](answers.txt).\n");
    std::fs::write(dir.join("content/draft.md"), draft).unwrap();
    std::fs::create_dir_all(dir.join("content/announcements")).unwrap();
    std::fs::write(
        dir.join("content/announcements/welcome.md"),
        "---\ntitle: Welcome\ndate: 2026-01-05\n---\n\nThe course starts soon.\n",
    )
    .unwrap();
}

fn server(root: &Path) -> Arc<Server> {
    let hosts = HostPolicy::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]);
    let server = Server::new(root, false, false, hosts);
    let first = server.rebuild();
    assert!(first.changed.is_some(), "{}", first.errors);
    server
}

/// A fresh build with serve's switches, no cache: its files, or `None` when it fails.
fn fresh(root: &Path, server: &Server) -> Option<BTreeMap<String, Vec<u8>>> {
    let mut diags = Diagnostics::new();
    let site =
        semester::site::build::build_site(root, server.options(), Reuse::default(), &mut diags)?;
    let files = site.files.iter().map(|f| {
        let bytes = match &f.data {
            Data::Bytes(b) => b.clone(),
            Data::Shared(b) => b.to_vec(),
            Data::Static(b) => b.to_vec(),
            Data::Copy(p) | Data::Link(p) => std::fs::read(p).unwrap(),
        };
        (f.path.clone(), bytes)
    });
    Some(files.collect())
}

/// One save an author makes.
#[derive(Debug, Clone)]
enum Edit {
    /// A paragraph and a code block at the end of page `.0`.
    Body(usize, String),
    /// A new heading (a new id other pages may link to).
    Heading(usize, String),
    /// A link from page `.0` to an anchor of page `.1`, which may not be there.
    Anchor(usize, usize, &'static str),
    /// The links `Anchor` added to page `.0` taken out again.
    Unlink(usize),
    /// An embed of the lab's figure.
    Figure(usize),
    /// A link to the file only the draft links to (which publishes it).
    Answers(usize),
    Title(usize, String),
    Description(usize),
    NewPage(String),
    RemovePage(String),
    /// A file added to the frozen term's static/ (its folder is listed again only then).
    FrozenStatic(String),
}

const PAGES: &[&str] = &[
    "content/syllabus.md",
    "content/topics/01-intro.md",
    "content/topics/02-tools.md",
    "content/labs/01-first.md",
    "content/labs/02-second.md",
    "content/announcements/welcome.md",
    "content/draft.md",
];

/// Where page `to` is from page `from`, as a relative link.
fn link(from: usize, to: usize) -> String {
    let from = Path::new(PAGES[from % PAGES.len()]).parent().unwrap();
    let to = Path::new(PAGES[to % PAGES.len()]);
    let up = from.components().count() - 1;
    let rel = to
        .strip_prefix("content")
        .unwrap()
        .to_string_lossy()
        .into_owned();
    format!("{}{rel}", "../".repeat(up))
}

/// Applies `e` to the course at `root`; the paths the watcher would report.
fn apply(root: &Path, e: &Edit) -> Vec<PathBuf> {
    let page = |i: &usize| root.join(PAGES[i % PAGES.len()]);
    let edit = |path: PathBuf, f: &dyn Fn(String) -> String| {
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, f(old)).unwrap();
        vec![path]
    };
    match e {
        Edit::Body(i, t) => edit(page(i), &|s| {
            format!("{s}\n{t}\n\n```python\nprint({t:?})\n```\n")
        }),
        Edit::Heading(i, t) => edit(page(i), &|s| format!("{s}\n## {t}\n\nMore.\n")),
        Edit::Anchor(i, j, anchor) => {
            let to = link(*i, *j);
            edit(page(i), &|s| format!("{s}\nSee [there]({to}#{anchor}).\n"))
        }
        Edit::Unlink(i) => edit(page(i), &|s| {
            s.lines()
                .filter(|l| !l.starts_with("See [there]"))
                .map(|l| format!("{l}\n"))
                .collect()
        }),
        Edit::Figure(i) => {
            let fig = link(*i, 3).replace("01-first.md", "img/fig.png");
            edit(page(i), &|s| format!("{s}\n![A figure]({fig})\n"))
        }
        Edit::Answers(i) => {
            let to = link(*i, 0).replace("syllabus.md", "answers.txt");
            edit(page(i), &|s| format!("{s}\nThe [answers]({to}).\n"))
        }
        Edit::Title(i, t) => edit(page(i), &|s| {
            let start = s.find("title:").unwrap();
            let end = start + s[start..].find('\n').unwrap();
            format!("{}title: \"{t}\"{}", &s[..start], &s[end..])
        }),
        Edit::Description(i) => edit(page(i), &|s| {
            s.replacen("---\n", "---\ndescription: Changed.\n", 1)
        }),
        Edit::NewPage(name) => {
            let path = root.join(format!("content/topics/{name}.md"));
            std::fs::write(
                &path,
                format!("---\ntitle: {name}\n---\n\nSee the [intro](01-intro.md).\n"),
            )
            .unwrap();
            vec![path]
        }
        Edit::FrozenStatic(name) => {
            let dir = root.join("versions/fall-2026/static");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{name}.txt"));
            std::fs::write(&path, name).unwrap();
            vec![path]
        }
        Edit::RemovePage(name) => {
            let path = root.join(format!("content/topics/{name}.md"));
            let _ = std::fs::remove_file(&path);
            vec![path]
        }
    }
}

fn an_edit() -> impl Strategy<Value = Edit> {
    let n = PAGES.len();
    prop_oneof![
        4 => (0..n, "[a-z]{1,12}").prop_map(|(i, t)| Edit::Body(i, t)),
        1 => (0..n, "[A-Z][a-z]{0,8}").prop_map(|(i, t)| Edit::Heading(i, t)),
        1 => (0..n, 0..n, prop_oneof![Just("part-1"), Just("top"), Just("nowhere")])
            .prop_map(|(i, j, a)| Edit::Anchor(i, j, a)),
        2 => (0..n).prop_map(Edit::Unlink),
        1 => (0..n).prop_map(Edit::Figure),
        1 => (0..n).prop_map(Edit::Answers),
        1 => (0..n, "[A-Z][a-z]{0,8}").prop_map(|(i, t)| Edit::Title(i, t)),
        1 => (0..n).prop_map(Edit::Description),
        1 => "new[a-c]".prop_map(Edit::NewPage),
        1 => "new[a-c]".prop_map(Edit::RemovePage),
        1 => "old[a-z]{1,4}".prop_map(Edit::FrozenStatic),
    ]
}

/// Whether serve's rebuild `r` matches the fresh build `fresh` of the same course.
fn check(
    server: &Server,
    r: &Rebuild,
    fresh: Option<BTreeMap<String, Vec<u8>>>,
    e: &Edit,
) -> Result<(), TestCaseError> {
    let Some(fresh) = fresh else {
        prop_assert!(
            r.changed.is_none(),
            "serve built what a fresh build refuses, after {:?}",
            e
        );
        return Ok(());
    };
    prop_assert!(
        r.changed.is_some(),
        "serve failed where a fresh build works, after {:?}: {}",
        e,
        r.errors
    );
    let served = server.served_bytes();
    prop_assert_eq!(
        served.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        prop_assert!(
            &served[path] == bytes,
            "{} differs after {:?} (patched: {})",
            path,
            e,
            r.patched
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, .. ProptestConfig::default() })]

    /// After each save, what serve serves (patched or rebuilt) is what a fresh build makes.
    #[test]
    fn serve_after_a_save_equals_a_fresh_build(edits in prop::collection::vec(an_edit(), 1..6)) {
        let dir = TempDir::new("serve-patch");
        course(dir.path());
        let server = server(dir.path());
        for e in &edits {
            let changed = apply(dir.path(), e);
            let r = server.rebuild_after(&changed);
            check(&server, &r, fresh(dir.path(), &server), e)?;
        }
    }
}

/// A body edit of a published page is patched; its page changes and nothing else but the
/// search index; front matter, a draft page's body and a new page are rebuilt whole.
#[test]
fn a_body_edit_is_patched_and_the_rest_rebuilt() {
    let dir = TempDir::new("serve-patch-which");
    course(dir.path());
    let server = server(dir.path());
    let r = server.rebuild_after(&apply(dir.path(), &Edit::Body(1, "changed".into())));
    assert!(r.patched);
    let (index, pages) = split_index(r.changed.unwrap());
    assert_eq!(pages, ["spring-2027/topics/01-intro/index.html"]);
    assert!(
        index.contains(&"spring-2027/search-index.json".to_string()),
        "the search index follows the save: {index:?}"
    );
    let r = server.rebuild_after(&apply(dir.path(), &Edit::Body(5, "news".into())));
    assert!(r.patched);
    assert_eq!(
        split_index(r.changed.unwrap()).1,
        [
            "spring-2027/announcements.xml",
            "spring-2027/announcements/welcome/index.html"
        ]
    );
    for e in [
        Edit::Title(1, "Renamed".into()),
        Edit::Body(6, "draft".into()),
        Edit::NewPage("newa".into()),
    ] {
        let r = server.rebuild_after(&apply(dir.path(), &e));
        assert!(!r.patched, "{e:?} was patched");
        assert!(r.changed.is_some(), "{}", r.errors);
    }
    let r = server.rebuild_after(&apply(dir.path(), &Edit::Body(2, "again".into())));
    assert!(r.patched, "a rebuild whole leaves a site to patch");
}

/// Changed paths split into the search index's files and the others.
fn split_index(changed: Vec<String>) -> (Vec<String>, Vec<String>) {
    changed
        .into_iter()
        .partition(|p| semester::render::search::is_index_file(p))
}

/// A body that breaks an anchor fails as a whole build does, keeps the last good site, and
/// the next good save is served whole.
#[test]
fn a_broken_anchor_fails_as_a_build_does() {
    let dir = TempDir::new("serve-patch-anchor");
    course(dir.path());
    let server = server(dir.path());
    let before = server.served_bytes();
    let r = server.rebuild_after(&apply(dir.path(), &Edit::Anchor(0, 3, "nowhere")));
    assert!(!r.patched);
    assert!(
        r.errors
            .contains("link to a missing heading `#nowhere` in content/labs/01-first.md"),
        "{}",
        r.errors
    );
    assert_eq!(server.served_bytes(), before);
    let r = server.rebuild_after(&apply(dir.path(), &Edit::Unlink(0)));
    assert!(!r.patched && r.changed.is_some(), "{}", r.errors);
    assert_eq!(server.served_bytes(), fresh(dir.path(), &server).unwrap());
}
