//! Prose that computes (issue 16): references to course facts in page Markdown, `check`'s
//! warnings for facts typed by hand, the bundled course forked to another term, and a freeze
//! that keeps what was published.

mod common;

use common::{TempDir, copy_tree, options, read_tree, repo};
use std::path::Path;

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/prose")
}

/// The text of every `<li>` of a page's `<main>`, tags taken out.
fn items(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("main .content li").expect("selector");
    doc.select(&sel)
        .map(|li| li.text().collect::<String>())
        .collect()
}

fn built(root: &Path) -> (TempDir, std::collections::BTreeMap<String, Vec<u8>>) {
    let out = TempDir::new("prose-out");
    let dir = out.path().join("public");
    if let Err(d) = semester::build(root, &dir, &options()) {
        let all: Vec<String> = d.sorted().iter().map(|d| format!("{d}")).collect();
        panic!("the course does not build:\n{}", all.join("\n"));
    }
    let files = read_tree(&dir);
    (out, files)
}

fn text(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .expect("utf-8")
}

/// Every kind of reference is replaced by the fact, worded as the calendar words it, with
/// Markdown in a fact shown as written; references in code and escaped ones stay as written.
#[test]
fn every_kind_of_reference_says_its_fact() {
    let (_out, files) = built(&fixture());
    let refs = items(&text(&files, "ws-2026/refs/index.html"));
    assert_eq!(
        refs,
        [
            "Winter 2026 | ws-2026 | Tue, Oct 13 | Thu, Dec 17 | Tue, Oct 13, 2026 | Thu, Dec 17, 2026",
            "Study day (Tue, Nov 3) and Retreat (Tue, Nov 10 – Thu, Nov 12)",
            "Lecture: Tuesdays and Thursdays 14:15 – 15:45, HS 2 <Nord>; Recitation: Fridays 10:00 – 11:00, Room 2_B",
            "Fridays 10:00 – 11:00, Room 2_B / Recitation / Tuesdays and Thursdays / 14:15 – 15:45 / HS 2 <Nord>",
            "Tue, Oct 13 14:15 – 15:45 Clocks / Thu, Oct 15 2",
            "Tue, Oct 13 / Fri, Oct 23 at 17:00 / Fri, Oct 23 / 17:00",
            "Fridays at 17:00 / Friday 17:00 5",
            "Fri, Nov 20 at 17:00 / 17:00 / Thu, Dec 17 / Thu, Dec 17",
            "Ada Lovelace (ada@example.edu) and Charles Babbage (cb_1@example.edu) / cb_1@example.edu / Ada Lovelace",
            "Verteilte Systeme / VS 101 / Charles Babbage / Moodle *forum* / 1234",
            "{@term.name} and {@term.name} and {@ unclosed",
        ]
    );
    let refs_html = text(&files, "ws-2026/refs/index.html");
    assert!(refs_html.contains("<a href=\"mailto:ada@example.edu\">Ada Lovelace</a>"));
    assert!(
        refs_html.contains("<code>{@term.name}\n</code>"),
        "a code block is left alone"
    );
    // "This lab" on a lab page, in the page and in its notebook's prose (not in its code).
    let lab = text(&files, "ws-2026/labs/01-x/index.html");
    let said = "Released Tue, Oct 13, due Fri, Oct 23 at 17:00 (Fri, Oct 23, 17:00).";
    assert!(lab.contains(said), "{lab}");
    let notebook = text(&files, "ws-2026/labs/01-x/01-x.ipynb");
    assert!(notebook.contains(said), "{notebook}");
    assert!(notebook.contains("print(\\\"{@lab.due}\\\")"), "{notebook}");
}

/// `check` flags each hand-typed form (dates, meeting times, the due rule, names and emails,
/// in prose and in a mailto link) with the reference to write, and none of the neighbours.
#[test]
fn check_flags_term_facts_typed_by_hand_and_nothing_else() {
    let diags = semester::check(&fixture(), &options());
    let got: Vec<String> = diags
        .sorted()
        .iter()
        .filter(|d| d.path.ends_with("handtyped.md"))
        .map(|d| format!("{d}"))
        .collect();
    let want = std::fs::read_to_string(fixture().join("expected-check.txt")).unwrap_or_default();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(fixture().join("expected-check.txt"), got.join("\n") + "\n").expect("write");
        return;
    }
    assert_eq!(got.join("\n") + "\n", want);
    let others = diags
        .sorted()
        .iter()
        .filter(|d| {
            d.path.starts_with("content")
                && !d.path.ends_with("handtyped.md")
                && !d.path.ends_with("topics")
        })
        .map(|d| format!("{d}"))
        .collect::<Vec<_>>();
    assert!(
        others.is_empty(),
        "references are no hand-typed facts: {others:?}"
    );
}

/// The bundled course has no hand-typed term fact.
#[test]
fn the_bundled_course_types_no_term_fact_by_hand() {
    let diags = semester::check(&repo(), &options());
    let typed: Vec<String> = diags
        .sorted()
        .iter()
        .filter(|d| d.message.contains("by hand"))
        .map(|d| format!("{d}"))
        .collect();
    assert_eq!(typed, Vec::<String>::new());
}

/// The Fall term of the fork: Tuesdays and Thursdays in Los Angeles, dues on Fridays at 17:00.
const FALL: &str = "name: Fall 2026
start: 2026-09-01
end: 2026-12-10
meetings:
  - name: Lecture
    days: [tue, thu]
    start: \"14:00\"
    end: \"15:15\"
    location: Bechtel Hall 120
holidays:
  - { from: 2026-11-25, to: 2026-11-27, name: Thanksgiving break }
events:
  - { date: 2026-10-02, time: \"17:00\", title: Project proposal due, kind: project, id: proposal }
  - { date: 2026-11-05, time: \"14:00\", title: Project design review, kind: project, id: design-review }
  - { date: 2026-12-15, time: \"14:00\", title: Final project presentations, kind: project, id: final-presentations }
sessions:
  - { from: 16, to: 29, title: Project work, kind: open }
";

/// Makes the bundled course into a fork: the Fall term, another time zone, due rule and
/// instructor, an absolute base URL (for the sitemap `check --strict` asks for).
fn fork(dest: &Path) {
    for part in ["course.yaml", "terms", "content"] {
        let from = repo().join(part);
        if from.is_dir() {
            copy_tree(&from, &dest.join(part));
        } else {
            std::fs::copy(&from, dest.join(part)).expect("copy");
        }
    }
    std::fs::write(dest.join("terms/fall-2026.yaml"), FALL).expect("term");
    let course = std::fs::read_to_string(dest.join("course.yaml")).expect("course.yaml");
    let mut out = Vec::new();
    let mut skip = false;
    for line in course.lines() {
        if skip && line.starts_with("    ") {
            continue;
        }
        skip = false;
        let line = match line.split_once(':').map(|(k, _)| k) {
            Some("timezone") => "timezone: America/Los_Angeles".to_string(),
            Some("current_term") => "current_term: fall-2026".to_string(),
            Some("base_url") => "base_url: https://example.edu/mlops/".to_string(),
            Some("  due") => "  due: { weekday: fri, time: \"17:00\", min_days: 7 }".to_string(),
            Some("  - name") => {
                skip = true;
                "  - name: Grace Hopper\n    email: ghopper@example.edu\n    office: Bechtel Hall 301".to_string()
            }
            _ => line.to_string(),
        };
        out.push(line);
    }
    std::fs::write(dest.join("course.yaml"), out.join("\n") + "\n").expect("course.yaml");
}

/// What the Spring term wrote that no page of the fork may say: every date it computed, in
/// each form the site writes a date (ISO, the .ics's compact form, "Feb 16"), and its name.
fn spring_words() -> Vec<String> {
    let mut diags = semester::Diagnostics::new();
    let spring = semester::schedule(&repo(), None, None, &mut diags).expect("the bundled course");
    let cal = &spring.calendar;
    let mut dates = vec![spring.term.start, spring.term.end];
    dates.extend(cal.sessions.iter().map(|s| s.date));
    dates.extend(cal.labs.iter().flat_map(|l| [l.release, l.due.date()]));
    dates.extend(spring.term.events.iter().map(|e| e.date));
    dates.extend(spring.term.holidays.iter().flat_map(|h| [h.from, h.to]));
    let mut words = vec!["Spring 2026".to_string(), "spring-2026".to_string()];
    for d in dates {
        words.push(d.to_string());
        words.push(d.strftime("%Y%m%d").to_string());
        words.push(semester::render::context::month_day(d));
    }
    words
}

/// The promise to a forking educator: with a new term file and course.yaml, no page, feed or
/// notebook says a Spring date, "Monday", the old meeting time or the old instructor (every
/// output byte is searched), and `check --strict` finds nothing.
#[test]
fn a_fork_to_another_term_leaves_nothing_of_the_old_one() {
    let tmp = TempDir::new("fork");
    fork(tmp.path());
    let (_out, files) = built(tmp.path());
    let mut forbidden = spring_words();
    forbidden.extend(
        [
            "Monday",
            "11:00",
            "13:30",
            "1:30\u{a0}PM",
            "1:30 PM",
            "Fraida",
            "ffund",
            "America/New_York",
            "370 Jay",
        ]
        .map(String::from),
    );
    let mut found = Vec::new();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for word in &forbidden {
            for (at, _) in text.match_indices(word.as_str()) {
                // "Feb 1" is not in "Feb 16": a month and day ends at a non-digit.
                let next = text[at + word.len()..].chars().next();
                if word.contains(' ') && next.is_some_and(|c| c.is_ascii_digit()) {
                    continue;
                }
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map_or(0, |(i, _)| i);
                let to = (at + word.len() + 40).min(text.len());
                let to = (to..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                found.push(format!("{path}: `{word}` in …{}…", &text[from..to]));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} leftovers:\n{}",
        found.len(),
        found.join("\n")
    );
    let syllabus = text(&files, "fall-2026/syllabus/index.html");
    for said in [
        "The class meets in person, Tuesdays and Thursdays 2:00\u{202f}PM – 3:15\u{202f}PM, Bechtel Hall 120;",
        "(times are in America/Los_Angeles time)",
        "are due on the first Friday at least\n7 days later, at 5:00\u{202f}PM;",
        "email the teaching staff:\nGrace Hopper (ghopper@example.edu).",
        "<a href=\"mailto:ghopper@example.edu\">ghopper@example.edu</a>",
    ] {
        assert!(syllabus.contains(said), "the syllabus does not say {said}");
    }
    let strict: Vec<String> = semester::check(tmp.path(), &options())
        .sorted()
        .iter()
        .map(|d| format!("{d}"))
        .collect();
    assert_eq!(strict, Vec::<String>::new());
}

fn error_lines(d: &semester::Diagnostics) -> Vec<String> {
    d.sorted().iter().map(|d| format!("{d}")).collect()
}

/// `freeze` refuses to archive a term with a course.yaml edited for the next one (a new time
/// zone or current term), and freezes once the edit is built (then it belongs to the term).
#[test]
fn freeze_refuses_a_course_yaml_edited_since_the_term_was_published() {
    let tmp = TempDir::new("freeze-edited");
    let root = tmp.path();
    copy_tree(&fixture(), root);
    semester::build(root, &root.join("public"), &options()).expect("builds");
    let course = std::fs::read_to_string(root.join("course.yaml")).expect("read");
    let moved = course.replace("Europe/Berlin", "America/Los_Angeles");
    std::fs::write(root.join("course.yaml"), &moved).expect("write");
    let hint = "  hint: to keep ws-2026 as it was published, undo the edits made for the next term (`git stash`), run `semester freeze`, then make them again; if the edits belong to ws-2026, run `semester build` first";
    let err = semester::freeze(root, false).expect_err("refused");
    assert_eq!(
        error_lines(&err),
        [format!(
            "course.yaml:4:1: error: course.yaml's `timezone` changed since `ws-2026` was last built into public/: freezing now would archive `ws-2026` with the new values\n{hint}"
        )]
    );
    std::fs::copy(
        root.join("terms/ws-2026.yaml"),
        root.join("terms/ss-2027.yaml"),
    )
    .expect("copy");
    let next = moved.replace("current_term: ws-2026", "current_term: ss-2027");
    std::fs::write(root.join("course.yaml"), &next).expect("write");
    let err = semester::freeze(root, false).expect_err("refused");
    assert_eq!(
        error_lines(&err),
        [format!(
            "course.yaml:6:1: error: public/ was last built with `ws-2026` as the current term, but course.yaml now names `ss-2027`: freezing now would archive `ss-2027`, not the term that was published\n{hint}"
        )]
    );
    assert!(!root.join("versions").exists(), "nothing was frozen");
    // Built as it is, the edit is what was published: freeze keeps it.
    std::fs::write(root.join("course.yaml"), &moved).expect("write");
    semester::build(root, &root.join("public"), &options()).expect("builds");
    let frozen = semester::freeze(root, false).expect("freezes");
    assert_eq!(frozen.id, "ws-2026");
    let kept = std::fs::read_to_string(root.join("versions/ws-2026/course.yaml")).expect("kept");
    assert_eq!(kept, moved);
}

/// A course taught in German types its facts in German: `check` reads the month and weekday
/// names CLDR gives for the course's `language`, its day-first numeric dates and `Uhr`, and
/// leaves versions, chapters and a month with its year alone.
#[test]
fn check_flags_facts_typed_by_hand_in_the_course_language() {
    let tmp = TempDir::new("prose-de");
    let root = tmp.path().join("course");
    copy_tree(&fixture(), &root);
    let yaml = std::fs::read_to_string(root.join("course.yaml")).expect("course.yaml");
    std::fs::write(root.join("course.yaml"), format!("language: de\n{yaml}")).expect("write");
    std::fs::write(
        root.join("content/handtyped.md"),
        "---\ntitle: Handgeschrieben\n---\n\n\
         Abgabe bis 23.10. um 17 Uhr, Exposé am 20. November.\n\
         Beginn: Dienstag, 13. Oktober 2026; Ende 17.12.2026.\n\
         Die Vorlesung ist dienstags um 14:15 Uhr, die Übung freitags um 10 Uhr.\n\
         Nicht gemeint: Version 2.4.1, Kapitel 3.2, im Oktober 2026, 14.15 Prozent. So ist es.\n",
    )
    .expect("write");
    let diags = semester::check(&root, &options());
    let got: Vec<String> = diags
        .sorted()
        .iter()
        .filter(|d| d.path.ends_with("handtyped.md"))
        .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
        .collect();
    let date = "is a date typed by hand: it will not move when the term file changes";
    let time = "types a meeting time by hand: it will not move when the term file changes";
    assert_eq!(
        got,
        [
            format!("5:12: `23.10` {date}"),
            format!("5:40: `20. November` {date}"),
            format!("6:9: `Dienstag, 13. Oktober 2026` {date}"),
            format!("6:42: `17.12.2026` {date}"),
            format!("7:19: `dienstags um 14:15 Uhr` {time}"),
            format!("7:53: `freitags um 10 Uhr` {time}"),
        ]
    );
}
