//! The site in the course's language: the fixture course built in each built-in language has
//! no English interface string left outside the author's own text, its dates are CLDR's, and
//! Arabic and Hebrew pages are right to left.

mod common;

use std::collections::BTreeMap;

use scraper::{ElementRef, Html, Node};
use semester::base::i18n::{BUILT_IN, Message, built_in_table};

/// The fixture course with `language: <lang>` (and, for `extra`, more lines of course.yaml).
fn build_in(lang: &str, extra: &str) -> BTreeMap<String, Vec<u8>> {
    let tmp = common::TempDir::new("i18n");
    let root = fixture_in(&tmp, lang, extra);
    common::golden::build(&root)
}

/// A copy of the fixture course in `tmp` with `language: <lang>` and `extra` lines.
fn fixture_in(tmp: &common::TempDir, lang: &str, extra: &str) -> std::path::PathBuf {
    let root = tmp.path().join("course");
    common::copy_tree(&common::repo().join("tests/fixtures/basic"), &root);
    let yaml = std::fs::read_to_string(root.join("course.yaml")).expect("course.yaml");
    std::fs::write(
        root.join("course.yaml"),
        format!("{yaml}\nlanguage: {lang}\n{extra}"),
    )
    .expect("write");
    root
}

/// The literal words of every English message (between placeholders, tags and entities), the
/// ones with a letter and at least four characters, less those the language's own table
/// also writes (a cognate such as "Important" or a product name is not a leftover).
fn english_fragments(lang_table: &str) -> Vec<String> {
    let words = |m: &Message| -> Vec<String> {
        let texts: Vec<&String> = match m {
            Message::Text(t) => vec![t],
            Message::Plural(f) => f.values().collect(),
        };
        texts
            .iter()
            .flat_map(|t| t.split(['{', '}', '<', '>', '(', ')', ':', '“', '”', '.']))
            .map(|s| s.trim().to_string())
            .filter(|s| s.chars().filter(|c| c.is_alphabetic()).count() >= 4)
            .collect()
    };
    let own: Vec<String> = built_in_table(lang_table)
        .values()
        .flat_map(words)
        .collect();
    let mut out: Vec<String> = built_in_table(BUILT_IN[0].1)
        .values()
        .flat_map(words)
        .filter(|w| !own.iter().any(|o| o.contains(w.as_str())))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether `hay` holds `word` as whole words.
fn has_words(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The interface text of a page: text nodes and the `aria-label`/`title` attributes outside
/// the author's own text (the Markdown body, code, the course's and pages' names).
fn interface_text(html: &str) -> Vec<String> {
    const AUTHOR: [&str; 13] = [
        "content",
        "brand",
        "cal-what",
        "person-name",
        "page-card-title",
        "page-card-desc",
        "lead",
        "breadcrumbs",
        "site-nav",
        "quick-links",
        "pager-title",
        "versions-menu",
        "footer-course",
    ];
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let outside = |n: ElementRef| {
            let tag = n.value().name();
            !matches!(tag, "script" | "style" | "code" | "pre" | "h1" | "title")
                && !n.value().classes().any(|c| AUTHOR.contains(&c))
        };
        let mut up = node.ancestors().filter_map(ElementRef::wrap);
        if !up.all(outside) {
            continue;
        }
        match node.value() {
            Node::Text(t) => out.push(t.trim().to_string()),
            Node::Element(e) if ElementRef::wrap(node).is_some_and(outside) => {
                out.extend(
                    ["aria-label", "title"]
                        .iter()
                        .filter_map(|a| e.attr(a))
                        .map(str::to_string),
                );
            }
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

// Every page, the .ics and the 404 of the fixture built in each built-in language other than
// English: no English interface string is left (the author's text is English and stays).
#[test]
fn no_english_is_left_in_any_built_in_language() {
    let mut left = Vec::new();
    for (lang, table) in BUILT_IN.iter().skip(1) {
        let fragments = english_fragments(table);
        let built = build_in(lang, "");
        for (path, bytes) in &built {
            let text = String::from_utf8_lossy(bytes);
            let found: Vec<String> = if path.ends_with(".html") {
                interface_text(&text)
            } else if path.ends_with(".ics") {
                text.lines()
                    .filter(|l| l.starts_with("DESCRIPTION:"))
                    .map(str::to_string)
                    .collect()
            } else {
                continue;
            };
            for t in found {
                if let Some(f) = fragments.iter().find(|f| has_words(&t, f)) {
                    left.push(format!("{lang} {path}: “{f}” in “{t}”"));
                }
            }
        }
        let html = String::from_utf8_lossy(&built["fall-2026/index.html"]).to_string();
        let rtl = matches!(*lang, "ar" | "he");
        assert_eq!(html.contains(" dir=\"rtl\""), rtl, "{lang}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
    }
    left.dedup();
    assert!(
        left.is_empty(),
        "{} English strings left:\n{}",
        left.len(),
        left.join("\n")
    );
}

// The calendar page's dates and times are CLDR's, hand-written here for four languages (the
// fixture's first session is Tue 8 Sep 2026, 9:30), and the agenda's words are translated.
#[test]
fn calendar_dates_are_written_as_cldr_says() {
    let cases = [
        (
            "de",
            "Di., 8. Sept.",
            "09:30–10:45",
            "Woche 1",
            "Lab 1: First fällig",
        ),
        (
            "fr",
            "mar. 8 sept.",
            "09:30–10:45",
            "Semaine 1",
            "Lab 1: First à rendre",
        ),
        (
            "ja",
            "9月8日(火)",
            "9:30–10:45",
            "第 1 週",
            "Lab 1: First 締め切り",
        ),
        (
            "ar",
            "الثلاثاء، 8 سبتمبر",
            "9:30 ص–10:45 ص",
            "الأسبوع 1",
            "موعد تسليم <bdi>Lab 1: First</bdi>",
        ),
    ];
    for (lang, date, time, week, due) in cases {
        let built = build_in(lang, "");
        let page = String::from_utf8_lossy(&built["fall-2026/calendar/index.html"]).to_string();
        for want in [date, time, week, due] {
            assert!(
                page.contains(want),
                "{lang}: no “{want}” on the calendar page"
            );
        }
    }
}

// A language without a table of its own: the interface is English, each string marked
// lang="en"; the course's i18n.yaml translates what it names.
#[test]
fn other_languages_fall_back_to_marked_english() {
    let tmp = common::TempDir::new("i18n-sv");
    let root = tmp.path().join("course");
    common::copy_tree(&common::repo().join("tests/fixtures/basic"), &root);
    let yaml = std::fs::read_to_string(root.join("course.yaml")).expect("course.yaml");
    std::fs::write(root.join("course.yaml"), format!("{yaml}\nlanguage: sv\n")).expect("write");
    std::fs::write(root.join("i18n.yaml"), "search: Sök\n").expect("write");
    let built = common::golden::build(&root);
    let page = String::from_utf8_lossy(&built["fall-2026/index.html"]).to_string();
    assert!(page.contains("<span>Sök</span>"), "{page}");
    assert!(page.contains(
        "<a class=\"skip-link\" href=\"#sm-main\"><span lang=\"en\">Skip to content</span></a>"
    ));
}

// The calendar's rows start on the first day of the week of the course's language (CLDR), and
// keep the term's numbering: week 1 is still the week of Monday 7 Sep 2026, in every row; a
// `-u-fw-` key in the tag asks for another first day.
#[test]
fn calendar_weeks_start_where_the_language_starts_them() {
    let cases = [
        (
            "en",
            "2026-09-06",
            "2026-09-12",
            "Week 1</span> <span class=\"week-dates\">Sep 6 – Sep 12",
        ),
        (
            "en-GB",
            "2026-09-07",
            "2026-09-13",
            "Week 1</span> <span class=\"week-dates\">7 Sept – 13 Sept",
        ),
        (
            "en-US-u-fw-mon",
            "2026-09-07",
            "2026-09-13",
            "Week 1</span> <span class=\"week-dates\">Sep 7 – Sep 13",
        ),
        (
            "de",
            "2026-09-07",
            "2026-09-13",
            "Woche 1</span> <span class=\"week-dates\">7. Sept. – 13. Sept.",
        ),
        (
            "he",
            "2026-09-06",
            "2026-09-12",
            "שבוע 1</span> <span class=\"week-dates\">6 בספט׳ – 12 בספט׳",
        ),
        (
            "ar",
            "2026-09-05",
            "2026-09-11",
            "الأسبوع 1</span> <span class=\"week-dates\">5 سبتمبر – 11 سبتمبر",
        ),
    ];
    for (lang, start, end, heading) in cases {
        let built = build_in(lang, "");
        let page = String::from_utf8_lossy(&built["fall-2026/calendar/index.html"]).to_string();
        let row = format!(
            "<li id=\"sm-week-2026-09-07\" class=\"week\" data-week-start=\"{start}\" data-week-end=\"{end}\">"
        );
        let shown: Vec<&str> = page
            .lines()
            .filter(|l| l.contains("week-label"))
            .take(1)
            .collect();
        assert!(page.contains(&row), "{lang}: no {row}");
        assert!(page.contains(heading), "{lang}: {shown:?}");
    }
}

// `semester calendar` prints what students will read in the course's language: headings,
// dates, times, week rows from the language's first day of the week, labels (hand-written).
#[test]
fn the_calendar_command_speaks_the_course_language() {
    let cases: [(&str, &[&str]); 3] = [
        (
            "de",
            &[
                "Fall 2026 (fall-2026), 14 Termine, bis Do., 05.11.2026; Zeiten in America/Chicago",
                "1                  Di., 8. Sept.                Übung                    Lab 1: First veröffentlicht",
                "                   Di., 8. Sept.   09:30–10:45  Termin                   Introduction (Lecture · Termin 1) @ Hall A",
                "Pause: Fall break  Mo., 12. Okt.                Keine Lehrveranstaltung  Fall break",
            ],
        ),
        (
            "ja",
            &[
                "Fall 2026（fall-2026）、全 14 回、2026/11/05(木) まで。時刻は America/Chicago 時間",
                // Two terminal columns a character: 週 and its padding are as wide as `1` and its.
                "週                日付          時刻         種類            内容",
                "1                 9月8日(火)                 演習            Lab 1: First 公開",
            ],
        ),
        (
            "ar",
            &[
                "Fall 2026 (fall-2026)، 14 محاضرة، حتى الخميس، 05\u{200f}/11\u{200f}/2026؛ الأوقات بتوقيت America/Chicago",
                "1                        الثلاثاء، 8 سبتمبر                    مختبر             نُشر Lab 1: First",
            ],
        ),
    ];
    for (lang, want) in cases {
        let tmp = common::TempDir::new("i18n-cli");
        let root = fixture_in(&tmp, lang, "");
        let out = common::run(&["calendar", "--root", root.to_str().expect("utf-8")]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        for line in want {
            assert!(
                text.lines().any(|l| l.trim_end() == *line),
                "{lang}: no line “{line}” in\n{text}"
            );
        }
    }
}

/// The text nodes of a page whose nearest `lang` is not `en` and that the author did not
/// write (`authored` holds every source file of the course: a node found in it is theirs).
fn unmarked_text(html: &str, authored: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        let t = t.trim();
        let mut up = node.ancestors().filter_map(ElementRef::wrap);
        let lang = up
            .clone()
            .find_map(|e| e.value().attr("lang"))
            .unwrap_or("");
        // Raw text, the document's title (no markup can mark a part of it), the Markdown body
        // (prose references are checked on their own) and URLs are not interface text.
        let skipped = up.any(|n| {
            matches!(n.value().name(), "script" | "style" | "noscript" | "title")
                || n.value().classes().any(|c| c == "content")
        });
        let url = t.starts_with("https://") || t.starts_with("webcal://");
        let theirs = authored.contains(&t.split_whitespace().collect::<Vec<_>>().join(" "));
        if lang != "en" && !skipped && !url && !t.is_empty() && !theirs {
            out.push(t.to_string());
        }
    }
    out
}

/// Every text file under `root`, one after another.
fn all_text(root: &std::path::Path) -> String {
    let mut out = String::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
                out.push('\n');
            }
        }
    }
    out
}

// A Swedish course (no built-in table) with a partial i18n.yaml: every English word the site
// writes around the author's text, on every page (calendar, next up, staff, announcements,
// search, notebooks' pages, prose references), is inside an element marked lang="en".
#[test]
fn every_english_fallback_is_marked() {
    let tmp = common::TempDir::new("i18n-sv-all");
    let root = common::bundled_course_in(&tmp, "sv");
    std::fs::write(
        root.join("i18n.yaml"),
        "search: Sök\nnext: Nästa\nin_days:\n  one: om {n} dag\n  other: om {n} dagar\n",
    )
    .expect("write");
    let ann = root.join("content/announcements");
    std::fs::create_dir_all(&ann).expect("mkdir");
    std::fs::write(ann.join("_index.md"), "---\ntitle: Meddelanden\n---\n").expect("write");
    std::fs::write(
        ann.join("welcome.md"),
        "---\ntitle: Välkommen\ndate: 2025-12-01\n---\nVälkommen till kursen, {@meetings}.\n",
    )
    .expect("write");
    let fragments = english_fragments("search: Sök\nnext: Nästa\n");
    let authored = all_text(&root);
    let built = common::golden::build(&root);
    let mut left = Vec::new();
    for (path, bytes) in built.iter().filter(|(p, _)| p.ends_with(".html")) {
        for t in unmarked_text(&String::from_utf8_lossy(bytes), &authored) {
            if let Some(f) = fragments.iter().find(|f| has_words(&t, f)) {
                left.push(format!("{path}: “{f}” in “{t}”"));
            }
        }
    }
    left.sort();
    left.dedup();
    assert!(
        left.is_empty(),
        "{} unmarked:\n{}",
        left.len(),
        left.join("\n")
    );
    // Prose references: the English joining words are marked, the Swedish day inside them too.
    let welcome = &built["spring-2026/announcements/welcome/index.html"];
    let welcome = String::from_utf8_lossy(welcome);
    assert!(
        welcome.contains("<span lang=\"en\"><span lang=\"sv\">måndag</span>s</span> 11:00 – 13:30"),
        "{welcome}"
    );
}
