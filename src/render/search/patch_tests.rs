//! An index patched after an edit, an added, removed or renamed page is byte for byte the index
//! made from nothing, in memory (`serve`) and from what `build` keeps on disk; and the patch
//! reuses the files that did not change.

use std::sync::Arc;

use super::*;

/// One page: URL, title, section, description, rendered HTML.
use crate::base::lazy_text::LazyText;

type Src = (String, String, String, String, String);

/// A made-up word: enough distinct words over enough pages that some first letters need
/// shards of longer prefixes.
fn word(n: u64) -> String {
    let letters = b"abcdefghijklmnoprstuvw";
    let mut n = n * 2_654_435_761 % 1_000_003;
    // Half the words start with "s": its shard is split by longer prefixes.
    let mut w = if n.is_multiple_of(2) {
        "s".to_string()
    } else {
        String::new()
    };
    for _ in 0..2 + n % 5 {
        w.push(letters[(n % letters.len() as u64) as usize] as char);
        n /= letters.len() as u64;
        n += 7;
    }
    w
}

fn course() -> Vec<Src> {
    (0..120u64)
        .map(|i| {
            let body: Vec<String> = (0..150).map(|k| word(i * 31 + k * k % 400)).collect();
            (
                format!("/t/p{i}/"),
                format!("Page {}", word(i)),
                ["Labs", "Topics"][i as usize % 2].to_string(),
                if i % 3 == 0 {
                    "About ünïcode".into()
                } else {
                    String::new()
                },
                format!("<h1>Title</h1><p>{}</p>", body.join(" ")),
            )
        })
        .collect()
}

/// Each page's HTML as a render holds it.
fn htmls(srcs: &[Src]) -> Vec<LazyText> {
    srcs.iter().map(|s| LazyText::from(s.4.clone())).collect()
}

fn pages<'a>(srcs: &'a [Src], htmls: &'a [LazyText]) -> Vec<Page<'a>> {
    srcs.iter()
        .zip(htmls)
        .map(|((url, title, section, description, _), html)| Page {
            url: url.clone(),
            title: title.clone(),
            section: section.clone(),
            description,
            html,
            key: crate::base::memo::key_of(html.as_str()),
        })
        .collect()
}

/// The index made from nothing.
fn fresh(srcs: &[Src]) -> Vec<(String, Vec<u8>)> {
    let records = srcs
        .iter()
        .map(|(url, title, section, description, html)| Record {
            url: url.clone(),
            title: title.clone(),
            section: section.clone(),
            text: format!("{description} {}", text_of(html)),
        })
        .collect();
    bytes(&index("t", records))
}

fn bytes(files: &[OutputFile]) -> Vec<(String, Vec<u8>)> {
    let of = |d: &Data| match d {
        Data::Bytes(b) => b.clone(),
        Data::Shared(b) => b.to_vec(),
        other => panic!("{other:?}"),
    };
    files
        .iter()
        .map(|f| (f.path.clone(), of(&f.data)))
        .collect()
}

/// How many of `after`'s files are `before`'s very bytes (not made again).
fn reused(before: &[OutputFile], after: &[OutputFile]) -> usize {
    after
        .iter()
        .filter(|a| {
            before.iter().any(|b| match (&a.data, &b.data) {
                (Data::Shared(x), Data::Shared(y)) => Arc::ptr_eq(x, y),
                _ => false,
            })
        })
        .count()
}

/// An edit an author makes, applied to the pages.
type Edit = fn(&mut Vec<Src>);

/// Each edit, with its name.
fn edits() -> Vec<(&'static str, Edit)> {
    vec![
        ("body", |s| s[7].4.push_str("<p>triton autoscaling</p>")),
        ("words gone", |s| s[8].4 = "<p>short</p>".into()),
        ("title", |s| s[3].1 = "Kubernetes quotas".into()),
        ("description", |s| s[4].3 = "Serving models".into()),
        ("section", |s| s[5].2 = "Projects".into()),
        ("added", |s| {
            s.insert(
                10,
                (
                    "/t/new/".into(),
                    "New".into(),
                    "Labs".into(),
                    String::new(),
                    "<p>brand new words abcd</p>".into(),
                ),
            )
        }),
        ("removed", |s| drop(s.remove(2))),
        ("renamed and moved", |s| {
            let mut p = s.remove(1);
            p.0 = "/t/renamed/".into();
            s.insert(50, p);
        }),
        ("two swapped", |s| s.swap(20, 30)),
        ("a copy", |s| s.push(s[0].clone())),
        ("emptied", |s| s.truncate(1)),
        ("none", |s| s.clear()),
        ("refilled", |s| *s = course()),
    ]
}

#[test]
fn a_patched_index_is_the_index_made_from_nothing() {
    let memo = IndexMemo::default();
    let mut srcs = course();
    let mut last = index_of("t", pages(&srcs, &htmls(&srcs)), Some(&memo));
    assert_eq!(bytes(&last), fresh(&srcs));
    let shards = last.len() - srcs.len() - 1;
    assert!(
        last.iter()
            .any(|f| f.path.len() > "t/search-index/61.json".len() && f.path.ends_with(".json")),
        "no shard of a longer prefix"
    );
    for (what, edit) in edits() {
        edit(&mut srcs);
        let now = index_of("t", pages(&srcs, &htmls(&srcs)), Some(&memo));
        assert_eq!(bytes(&now), fresh(&srcs), "after {what}");
        if what == "body" {
            // One page's text changed: its text file, the entry and the shards of its words
            // are made again, nothing else.
            let made = now.len() - reused(&last, &now);
            assert!(
                made > 2 && made < shards / 2,
                "{made} of {shards} shards made again"
            );
        }
        last = now;
    }
}

#[test]
fn an_index_kept_on_disk_is_patched_as_in_memory() {
    let memo = IndexMemo::default();
    let mut srcs = course();
    index_of("t", pages(&srcs, &htmls(&srcs)), Some(&memo));
    for (what, edit) in edits() {
        // What `build` keeps: the files (as the previous output's), the rest as bytes.
        let bytes_kept = memo.to_bytes(|t| t == "t").unwrap();
        let on_disk = IndexMemo::default();
        for (term, key, _) in memo.kept_files() {
            let files = memo.memo.get(&term, key).unwrap().files.clone();
            on_disk.keep_files(&term, key, files);
        }
        on_disk.read_stored_with(move || Some(bytes_kept));
        edit(&mut srcs);
        let patched = index_of("t", pages(&srcs, &htmls(&srcs)), Some(&on_disk));
        assert_eq!(bytes(&patched), fresh(&srcs), "after {what}");
        index_of("t", pages(&srcs, &htmls(&srcs)), Some(&memo));
    }
    // Nothing to keep when no index was made, and a term not asked for is not kept.
    let unchanged = IndexMemo::default();
    assert_eq!(unchanged.to_bytes(|_| true), None);
    assert_eq!(memo.to_bytes(|_| false), Some(vec![0]));
}

#[test]
fn unreadable_kept_state_makes_the_index_from_nothing() {
    let memo = IndexMemo::default();
    let mut srcs = course();
    let first = index_of("t", pages(&srcs, &htmls(&srcs)), Some(&memo));
    let (term, key, _) = memo.kept_files().remove(0);
    for junk in [
        Vec::new(),
        vec![0xff; 64],
        memo.to_bytes(|_| true).unwrap()[..100].to_vec(),
    ] {
        let on_disk = IndexMemo::default();
        on_disk.keep_files(&term, key, first.clone());
        on_disk.read_stored_with(move || Some(junk));
        srcs[7].4.push_str("<p>edited</p>");
        assert_eq!(
            bytes(&index_of("t", pages(&srcs, &htmls(&srcs)), Some(&on_disk))),
            fresh(&srcs)
        );
    }
}
