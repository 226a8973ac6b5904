//! Visibility's unit tests: hidden sections and the files that follow their pages, unreleased labs.

use super::*;
use crate::load::content::page_from_text;

/// A content/ of (path, text) pages and (path) files, as loaded.
fn content(pages: &[(&str, &str)], files: &[&str]) -> Content {
    let mut pages: Vec<SourcePage> = pages
        .iter()
        .map(|(rel, text)| page_from_text(rel.to_string(), text).unwrap())
        .collect();
    for dir in ["labs", "answers", "answers/deep"] {
        if pages.iter().any(|p| p.dir == dir)
            && !pages.iter().any(|p| p.dir == dir && p.stem == "_index")
        {
            let mut s = page_from_text(format!("{dir}/_index.md"), "").unwrap();
            s.generated = true;
            pages.push(s);
        }
    }
    Content {
        pages,
        assets: files
            .iter()
            .map(|f| crate::load::content::Asset {
                source: f.into(),
                rel: f.to_string(),
            })
            .collect(),
        ..Content::default()
    }
}

fn shown(c: &Content) -> Vec<&str> {
    let mut v: Vec<&str> = c.pages.iter().map(|p| p.rel.as_str()).collect();
    v.extend(c.assets.iter().map(|a| a.rel.as_str()));
    v.sort();
    v
}

const HOME: (&str, &str) = ("_index.md", "---\ntitle: Home\n---\n");

#[test]
fn sections_hide_everything_below_them_and_files_follow_their_pages() {
    let mut c = content(
        &[
            HOME,
            ("ta/_index.md", "---\nprivate: true\n---\n"),
            ("ta/rubric.md", "---\ntitle: R\n---\n![](chart.png)"),
            ("ta/deep/more.md", "---\ntitle: M\n---\n"),
            (
                "labs/01.md",
                "---\ntitle: L\n---\n[d](01/data.csv) <img src=\"shared.png\">",
            ),
            (
                "labs/02-key.md",
                "---\ntitle: K\nprivate: true\n---\n[s](02-key/sol.py) ![](../labs/shared.png)",
            ),
            ("answers/x.md", "---\ntitle: X\ndraft: true\n---\n"),
        ],
        &[
            "ta/chart.png",
            "ta/notes.txt",
            "labs/01/data.csv",
            "labs/02-key/sol.py",
            "labs/shared.png",
            "answers/old.txt",
            "free.pdf",
        ],
    );
    let mut diags = Diagnostics::new();
    withhold(&mut c, Filter::default(), &mut diags);
    publish_files(&mut c, &mut diags);
    assert!(diags.is_empty(), "{:?}", diags.sorted());
    assert_eq!(
        shown(&c),
        [
            "_index.md",
            "free.pdf",
            "labs/01.md",
            "labs/01/data.csv",
            "labs/_index.md",
            "labs/shared.png"
        ]
    );
    assert_eq!(unused_files(&c), ["free.pdf"]);
    let why: Vec<(&str, Hidden)> = c
        .withheld
        .iter()
        .map(|w| (w.page.rel.as_str(), w.why))
        .collect();
    assert!(
        why.contains(&("ta/deep/more.md", Hidden::Private)),
        "{why:?}"
    );
    assert!(
        why.contains(&("answers/_index.md", Hidden::Draft)),
        "{why:?}"
    );

    // The switches publish them again; a file no page uses is then published too.
    let mut c = content(
        &[
            HOME,
            ("ta/_index.md", "---\nprivate: true\n---\n"),
            ("ta/rubric.md", "---\ntitle: R\n---\n"),
        ],
        &["ta/notes.txt"],
    );
    let all = Filter {
        drafts: true,
        private: true,
        ..Filter::default()
    };
    withhold(&mut c, all, &mut diags);
    publish_files(&mut c, &mut diags);
    assert_eq!(
        shown(&c),
        ["_index.md", "ta/_index.md", "ta/notes.txt", "ta/rubric.md"]
    );
}

#[test]
fn a_page_cannot_publish_itself_inside_a_hidden_section() {
    let mut c = content(
        &[
            HOME,
            ("ta/_index.md", "---\ndraft: true\nprivate: true\n---\n"),
            (
                "ta/deep/x.md",
                "---\ntitle: X\nprivate: false\ndraft: false\n---\n",
            ),
        ],
        &[],
    );
    let mut diags = Diagnostics::new();
    withhold(
        &mut c,
        Filter {
            drafts: true,
            private: true,
            ..Filter::default()
        },
        &mut diags,
    );
    let got: Vec<String> = diags
        .sorted()
        .iter()
        .map(|d| format!("{}:{}:{} {}", d.path.display(), d.line, d.col, d.message))
        .collect();
    assert_eq!(
        got,
        [
            "content/ta/deep/x.md:3:1 this page says `private: false`, but it is inside the private section content/ta/_index.md",
            "content/ta/deep/x.md:4:1 this page says `draft: false`, but it is inside the draft section content/ta/_index.md",
        ]
    );
}

#[test]
fn unreleased_labs_are_withheld_until_their_day() {
    let lab = |slug: &str, d: jiff::civil::Date| crate::schedule::calendar::LabDates {
        slug: slug.into(),
        release: d,
        due: d.to_zoned_datetime(jiff::tz::TimeZone::UTC).unwrap(),
        path: Default::default(),
        line: 1,
        col: 1,
    };
    let cal = Calendar {
        labs: vec![
            lab("01", jiff::civil::date(2026, 2, 2)),
            lab("02", jiff::civil::date(2026, 2, 9)),
        ],
        ..Calendar::default()
    };
    let pages = [
        HOME,
        ("labs/01.md", "---\ntitle: A\n---\n"),
        ("labs/02.md", "---\ntitle: B\n---\n"),
    ];
    for (as_of, hidden) in [((2026, 2, 8), vec!["labs/02.md"]), ((2026, 2, 9), vec![])] {
        let mut c = content(&pages, &[]);
        withhold_unreleased(
            &mut c,
            true,
            &cal,
            jiff::civil::date(as_of.0, as_of.1, as_of.2),
        );
        let got: Vec<&str> = c.withheld.iter().map(|w| w.page.rel.as_str()).collect();
        assert_eq!(got, hidden);
    }
    let mut c = content(&pages, &[]);
    withhold_unreleased(&mut c, false, &cal, jiff::civil::date(2026, 1, 1));
    assert!(c.withheld.is_empty());
}
