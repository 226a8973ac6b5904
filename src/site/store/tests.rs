use super::*;

use crate::render::markdown::{Heading, Rendered};

fn options() -> BuildOptions {
    BuildOptions {
        drafts: false,
        private: false,
        as_of: jiff::civil::date(2026, 6, 1),
        base_url: None,
        search: true,
        outside_links: false,
    }
}

/// An output folder in a fresh temporary folder (its cache is `.semester-cache/` beside it).
fn out_in(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("semester-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d.join("public")
}

/// A render of `rel` made by this build: its HTML in memory.
fn put(loaded: &Loaded, rel: &str, key: Key, html: &str) {
    let r = Rendered {
        html: html.into(),
        headings: vec![Heading {
            level: 2,
            id: format!("h-{key}"),
            title: "Part".into(),
        }],
        anchors: Vec::new(),
        ids: vec![format!("h-{key}")],
        diagnostics: Vec::new(),
        key,
    };
    loaded
        .cache
        .render
        .markdown
        .put(&rel.to_string(), key, Arc::new(r));
}

/// The renders as the next build loads them: path → (key, the render).
fn renders_of(loaded: &Loaded) -> Vec<(String, Key, Arc<Rendered>)> {
    let mut all = loaded.cache.render.markdown.entries();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// The files of the renders' folder of `out`, sorted.
fn files_of(out: &Path) -> Vec<String> {
    let dir = disk_cache::path_for(out, "renders").unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A cold build into `out` that rendered and saved `a.md` (key 1) and `b.md` (key 2).
fn saved_a_and_b(out: &Path) {
    let first = cold(out, &options());
    put(&first, "a.md", 1, "<p>a</p>");
    put(&first, "b.md", 2, "<p>b</p>");
    save_sources(out, &first, &[], &["a.md", "b.md"], &[]);
}

/// What a build saves is what the next loads: every render's key, headings and ids at once,
/// its HTML only when used (read from its own file), the same as was made.
#[test]
fn renders_round_trip_and_their_html_is_read_when_used() {
    let out = out_in("round");
    saved_a_and_b(&out);
    assert_eq!(files_of(&out).len(), 2);
    let next = load(&out, &options(), None);
    let got = renders_of(&next);
    assert_eq!(got.len(), 2);
    let (rel, key, a) = &got[0];
    assert_eq!((rel.as_str(), *key, a.key), ("a.md", 1, 1));
    assert_eq!(a.ids, ["h-1"]);
    assert_eq!(a.headings[0].title, "Part");
    assert!(
        !a.html.is_loaded(),
        "the HTML is read when used, not when loaded"
    );
    assert_eq!(a.html.as_str(), "<p>a</p>");
    assert_eq!(got[1].2.html.as_str(), "<p>b</p>");
    assert!(!next.damaged());
    // Another build's switches start cold.
    let other = BuildOptions {
        drafts: true,
        ..options()
    };
    assert!(renders_of(&load(&out, &other, None)).is_empty());
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// A save writes only the renders the build made, and removes those of pages that are gone
/// or were rendered again; the others' files are left as they are.
#[test]
fn a_save_writes_what_changed_and_drops_what_is_gone() {
    let out = out_in("drop");
    let first = cold(&out, &options());
    put(&first, "a.md", 1, "<p>a</p>");
    put(&first, "b.md", 2, "<p>b</p>");
    put(&first, "c.md", 3, "<p>c</p>");
    save_sources(&out, &first, &[], &["a.md", "b.md", "c.md"], &[]);
    let dir = disk_cache::path_for(&out, "renders").unwrap();
    let a_file = dir.join(crate::base::memo::hex(
        disk_cache::tag(b"<p>a</p>").unwrap(),
    ));
    let a_inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&a_file).unwrap());
    // b.md edited, c.md removed.
    let next = load(&out, &options(), None);
    put(&next, "b.md", 4, "<p>b, edited</p>");
    save_sources(&out, &next, &[], &["a.md", "b.md"], &[]);
    let after = load(&out, &options(), None);
    let got: Vec<(String, Key, String)> = renders_of(&after)
        .into_iter()
        .map(|(rel, key, r)| (rel, key, r.html.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("a.md".to_string(), 1, "<p>a</p>".to_string()),
            ("b.md".to_string(), 4, "<p>b, edited</p>".to_string())
        ]
    );
    assert_eq!(files_of(&out).len(), 2, "{:?}", files_of(&out));
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&a_file).unwrap());
    assert_eq!(inode, a_inode, "an unchanged render is not written again");
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// A render's file changed after it was written (same length, another byte), swapped for
/// another render's file, or made a link, is never read: the HTML reads empty and the cache
/// says it is damaged, so the build is made again without it; the next save sweeps the folder.
#[test]
fn an_altered_render_is_never_read() {
    let out = out_in("altered");
    saved_a_and_b(&out);
    let dir = disk_cache::path_for(&out, "renders").unwrap();
    let file = |html: &[u8]| dir.join(crate::base::memo::hex(disk_cache::tag(html).unwrap()));
    let html_of = |rel: &str| {
        let loaded = load(&out, &options(), None);
        let r = loaded
            .cache
            .render
            .markdown
            .latest(&rel.to_string())
            .unwrap();
        (r.html.to_string(), loaded.damaged())
    };
    std::fs::write(file(b"<p>a</p>"), "<p>x</p>").unwrap();
    assert_eq!(html_of("a.md"), (String::new(), true));
    assert_eq!(html_of("b.md"), ("<p>b</p>".to_string(), false));
    std::fs::copy(file(b"<p>b</p>"), file(b"<p>a</p>")).unwrap();
    assert_eq!(html_of("a.md"), (String::new(), true));
    std::fs::remove_file(file(b"<p>a</p>")).unwrap();
    std::os::unix::fs::symlink(file(b"<p>b</p>"), file(b"<p>a</p>")).unwrap();
    assert_eq!(html_of("a.md"), (String::new(), true));
    // A damaged build saves nothing; a cold one writes every render again and sweeps the rest.
    let damaged = load(&out, &options(), None);
    let _ = damaged
        .cache
        .render
        .markdown
        .latest(&"a.md".to_string())
        .unwrap()
        .html
        .len();
    save_sources(&out, &damaged, &[], &[], &[]);
    assert_eq!(renders_of(&load(&out, &options(), None)).len(), 2);
    std::fs::write(dir.join("stray"), "x").unwrap();
    let again = cold(&out, &options());
    put(&again, "a.md", 1, "<p>a</p>");
    save_sources(&out, &again, &[], &["a.md"], &[]);
    assert_eq!(html_of("a.md"), ("<p>a</p>".to_string(), false));
    assert_eq!(
        files_of(&out),
        [crate::base::memo::hex(
            disk_cache::tag(b"<p>a</p>").unwrap()
        )]
    );
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// A save that changes a few renders writes them into the index's delta file, which the next
/// load applies (a changed page, a removed one); one that changes many writes the index again.
#[test]
fn a_few_changes_go_into_the_delta_and_many_into_the_index() {
    let out = out_in("delta");
    let rels: Vec<String> = (0..40).map(|i| format!("p{i:02}.md")).collect();
    let all: Vec<&str> = rels.iter().map(String::as_str).collect();
    let first = cold(&out, &options());
    for (i, rel) in rels.iter().enumerate() {
        put(&first, rel, i as Key, &format!("<p>{i}</p>"));
    }
    save_sources(&out, &first, &[], &all, &[]);
    let index = disk_cache::path_for(&out, "markdown").unwrap();
    let delta = std::path::PathBuf::from(format!("{}.delta", index.display()));
    let written = std::fs::read(&index).unwrap();
    assert!(!delta.exists());
    // p00 edited, p39 removed: a delta; the index file is left as it was.
    let next = load(&out, &options(), None);
    put(&next, "p00.md", 100, "<p>edited</p>");
    save_sources(&out, &next, &[], &all[..39], &[]);
    assert!(delta.exists());
    assert_eq!(std::fs::read(&index).unwrap(), written);
    let after = load(&out, &options(), None);
    let got = renders_of(&after);
    assert_eq!(got.len(), 39);
    assert_eq!((got[0].1, got[0].2.html.as_str()), (100, "<p>edited</p>"));
    assert_eq!((got[1].1, got[1].2.html.as_str()), (1, "<p>1</p>"));
    assert_eq!(files_of(&out).len(), 39);
    // Many changes: the index is written whole and the delta removed.
    let many = load(&out, &options(), None);
    for (i, rel) in rels.iter().enumerate().take(39).skip(1) {
        put(&many, rel, 200 + i as Key, &format!("<p>{i} again</p>"));
    }
    save_sources(&out, &many, &[], &all[..39], &[]);
    assert!(!delta.exists());
    let got = renders_of(&load(&out, &options(), None));
    assert_eq!((got[0].1, got[0].2.html.as_str()), (100, "<p>edited</p>"));
    assert_eq!((got[5].1, got[5].2.html.as_str()), (205, "<p>5 again</p>"));
    assert_eq!(files_of(&out).len(), 39);
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// A delta file whose index was written again since (by another build) is not applied.
#[test]
fn a_delta_of_another_index_is_not_applied() {
    let out = out_in("stale-delta");
    saved_a_and_b(&out);
    let next = load(&out, &options(), None);
    put(&next, "a.md", 3, "<p>a2</p>");
    save_sources(&out, &next, &[], &["a.md", "b.md"], &[]);
    let index = disk_cache::path_for(&out, "markdown").unwrap();
    let delta = std::path::PathBuf::from(format!("{}.delta", index.display()));
    let kept = std::fs::read(&delta).unwrap();
    // Another build writes the index whole (b.md changed), then the old delta comes back.
    let other = cold(&out, &options());
    put(&other, "a.md", 1, "<p>a</p>");
    put(&other, "b.md", 4, "<p>b2</p>");
    save_sources(&out, &other, &[], &["a.md", "b.md"], &[]);
    std::fs::write(&delta, kept).unwrap();
    let got: Vec<(String, Key)> = renders_of(&load(&out, &options(), None))
        .into_iter()
        .map(|(rel, key, _)| (rel, key))
        .collect();
    assert_eq!(got, [("a.md".to_string(), 1), ("b.md".to_string(), 4)]);
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// The front matter of a page withheld from a build (a draft, a lab not yet released) is kept
/// too: the next build, which reads every page, does not parse it again; a page gone is not.
#[test]
fn front_matter_of_withheld_pages_is_kept() {
    let out = out_in("fronts");
    let first = cold(&out, &options());
    let front = |title: &str| crate::load::frontmatter::FrontMatter {
        title: Some(title.into()),
        ..Default::default()
    };
    let fronts = &first.cache.fronts;
    fronts.put(&"a.md".to_string(), 1, front("A"));
    fronts.put(&"draft.md".to_string(), 2, front("Draft"));
    fronts.put(&"gone.md".to_string(), 3, front("Gone"));
    save_sources(&out, &first, &[], &["a.md"], &["draft.md"]);
    let next = load(&out, &options(), None);
    let mut kept = next.cache.fronts.entries();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let kept: Vec<(String, Key, Option<String>)> =
        kept.into_iter().map(|(p, k, f)| (p, k, f.title)).collect();
    assert_eq!(
        kept,
        [
            ("a.md".to_string(), 1, Some("A".to_string())),
            ("draft.md".to_string(), 2, Some("Draft".to_string()))
        ]
    );
}
