//! The .ics feed's unit tests: line folding, escaping, determinism, event times, stable UIDs.

use super::*;
use crate::load::config::DueRule;
use crate::schedule::calendar::tests::{SPRING, labs, ny, page, run_in, term};

const STAMP: &str = "2026-01-01T12:00:00Z";

/// The bundled course (11 topics, the last taking 2 sessions, 9 labs with their topics) as a
/// feed, built from `term_src`.
fn feed(term_src: &str) -> String {
    let t = term(term_src);
    let ts: Vec<_> = (1..=11)
        .map(|i| {
            let front = if i == 11 { "sessions: 2\n" } else { "" };
            page("topics", &format!("{i:02}-topic"), front)
        })
        .collect();
    let ls = labs(
        &(1..=9)
            .map(|i| (format!("{i:02}-lab"), format!("topic: {i:02}-topic\n")))
            .collect::<Vec<_>>()
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>(),
    );
    let (cal, errs) = run_in(&t, &ny(), DueRule::default(), &ts, &ls);
    assert!(errs.is_empty(), "{errs:?}");
    let link = |p: &crate::load::content::SourcePage| {
        let url = format!("https://example.edu/mlops/spring-2026/{}", p.url_path);
        (
            p.slug.clone(),
            PageLink {
                title: format!("Title, {}; part\\1", p.slug),
                url,
            },
        )
    };
    let topics: HashMap<_, _> = ts.iter().map(link).collect();
    let lab_links: HashMap<_, _> = ls.iter().map(link).collect();
    ics(&IcsInput {
        course_title: "Machine Learning Systems Engineering and Operations",
        course_code: "ECE-GY 9183",
        term: &t,
        calendar: &cal,
        tz: &ny(),
        tz_name: "America/New_York",
        topics: &topics,
        labs: &lab_links,
        dtstamp: STAMP.parse().unwrap(),
        i18n: &crate::base::i18n::I18n::new("en", Default::default(), None),
    })
}

/// Physical lines joined back into content lines (RFC 5545 unfolding).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for l in text.split("\r\n") {
        match l.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None if l.is_empty() => {}
            None => lines.push(l.to_string()),
        }
    }
    lines
}

/// The VEVENTs as lists of content lines.
fn events(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cur: Option<Vec<String>> = None;
    for l in unfold(text) {
        match l.as_str() {
            "BEGIN:VEVENT" => cur = Some(Vec::new()),
            "END:VEVENT" => out.extend(cur.take()),
            _ => {
                if let Some(c) = cur.as_mut() {
                    c.push(l)
                }
            }
        }
    }
    out
}

fn prop<'a>(event: &'a [String], name: &str) -> Option<&'a str> {
    event.iter().find_map(|l| {
        l.strip_prefix(name)
            .filter(|r| r.starts_with(':') || r.starts_with(';'))
    })
}

fn find<'a>(evs: &'a [Vec<String>], summary: &str) -> &'a [String] {
    let want = format!(":{}", escape(summary));
    evs.iter()
        .find(|e| prop(e, "SUMMARY") == Some(want.as_str()))
        .unwrap_or_else(|| panic!("no event {summary}"))
}

/// Long lines fold at 75 octets, never inside a character, and unfold to the original.
#[test]
fn lines_fold_at_75_octets() {
    for line in [
        "DESCRIPTION:".to_string() + &"x".repeat(200),
        "SUMMARY:".to_string() + &"é".repeat(100),
        "SUMMARY:".to_string() + &"a€".repeat(60),
        "SHORT:ok".to_string(),
    ] {
        let mut out = String::new();
        push_line(&mut out, &line);
        assert!(out.ends_with("\r\n"));
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        assert_eq!(unfold(&out), [line]);
    }
    let mut out = String::new();
    push_line(&mut out, &"y".repeat(150));
    assert_eq!(
        out.split("\r\n").map(str::len).collect::<Vec<_>>(),
        [75, 75, 2, 0]
    );
}

/// TEXT values escape backslash, semicolon, comma and newlines.
#[test]
fn text_is_escaped() {
    assert_eq!(escape("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    assert_eq!(escape("tab\there\u{7}"), "tab here");
}

/// The feed is a VCALENDAR with the required headers, CRLF only, folded lines, and every
/// VEVENT has UID, DTSTAMP and DTSTART; UIDs are unique and the same in every build.
#[test]
fn the_feed_is_well_formed_and_deterministic() {
    let text = feed(SPRING);
    assert_eq!(text, feed(SPRING));
    assert!(!text.replace("\r\n", "").contains('\n'));
    assert!(text.split("\r\n").all(|l| l.len() <= 75));
    let lines = unfold(&text);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    for want in [
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:ECE-GY 9183 (Spring 2026)",
        "X-WR-TIMEZONE:America/New_York",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want}");
    }
    assert!(lines.iter().any(|l| l.starts_with("PRODID:-//semester//")));
    let evs = events(&text);
    // 15 sessions, 9 labs released and due, 2 events, 2 holidays.
    assert_eq!(evs.len(), 15 + 18 + 2 + 2);
    let mut uids = Vec::new();
    for e in &evs {
        uids.push(prop(e, "UID").expect("UID").to_string());
        assert_eq!(prop(e, "DTSTAMP"), Some(":20260101T120000Z"));
        assert!(prop(e, "DTSTART").is_some());
        assert!(prop(e, "SUMMARY").is_some());
    }
    let n = uids.len();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), n);
    assert!(uids.iter().all(|u| u.ends_with("@semester")));
}

/// Times are UTC from the course zone, before and after the DST change; all-day items
/// end on the day after their last.
#[test]
fn events_have_the_right_times() {
    let evs = events(&feed(SPRING));
    let first = find(&evs, "ECE-GY 9183: Session 1 — Title, 01-topic; part\\1");
    assert_eq!(prop(first, "DTSTART"), Some(":20260126T160000Z"));
    assert_eq!(prop(first, "DTEND"), Some(":20260126T183000Z"));
    assert_eq!(prop(first, "LOCATION"), Some(":370 Jay Street\\, Room 202"));
    assert_eq!(
        prop(first, "URL"),
        Some(":https://example.edu/mlops/spring-2026/topics/01-topic/")
    );
    let after_dst = find(&evs, "ECE-GY 9183: Session 7 — Title, 07-topic; part\\1");
    assert_eq!(prop(after_dst, "DTSTART"), Some(":20260309T150000Z"));
    let swap = find(&evs, "ECE-GY 9183: Session 4 — Title, 04-topic; part\\1");
    assert!(
        prop(swap, "DESCRIPTION")
            .unwrap()
            .contains("follows the Monday schedule")
    );
    let free = find(&evs, "ECE-GY 9183: Session 13 — Lecture");
    assert_eq!(prop(free, "URL"), None);
    let due = find(&evs, "ECE-GY 9183: Title, 01-lab; part\\1 due");
    assert_eq!(prop(due, "DTSTART"), Some(":20260203T045900Z"));
    assert_eq!(prop(due, "DTEND"), None);
    let released = find(&evs, "ECE-GY 9183: Title, 01-lab; part\\1 released");
    assert_eq!(prop(released, "DTSTART"), Some(";VALUE=DATE:20260126"));
    assert_eq!(prop(released, "DTEND"), Some(";VALUE=DATE:20260127"));
    let recess = find(&evs, "ECE-GY 9183: no class — Spring recess");
    assert_eq!(prop(recess, "DTSTART"), Some(";VALUE=DATE:20260316"));
    assert_eq!(prop(recess, "DTEND"), Some(";VALUE=DATE:20260323"));
    let proposal = find(&evs, "ECE-GY 9183: Project proposal due");
    assert_eq!(prop(proposal, "DTSTART"), Some(":20260303T045900Z"));
    let finals = find(&evs, "ECE-GY 9183: Final presentations");
    assert_eq!(prop(finals, "DTSTART"), Some(";VALUE=DATE:20260518"));
    assert_eq!(prop(finals, "CATEGORIES"), Some(":project"));
}

/// A new holiday cancels one class: every other event keeps its UID, so a re-import
/// updates the calendar instead of duplicating it.
#[test]
fn uids_survive_unrelated_changes() {
    let uids = |text: &str| -> Vec<String> {
        events(text)
            .iter()
            .map(|e| prop(e, "UID").unwrap().to_string())
            .collect()
    };
    let before = uids(&feed(SPRING));
    let changed = SPRING.replace(
        "holidays:\n",
        "holidays:\n  - { date: 2026-05-11, name: Last day off }\n",
    );
    let after = uids(&feed(&changed));
    let lost: Vec<&String> = before.iter().filter(|u| !after.contains(u)).collect();
    // Only the cancelled class on May 11 disappears.
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(after.len(), before.len());
}

/// UIDs depend on every part of the identity, and on where parts are split.
#[test]
fn uid_parts_matter() {
    let u = |p: &[&str]| uid(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(u(&["a", "b"]), u(&["a", "b"]));
    assert_ne!(u(&["ab", "c"]), u(&["a", "bc"]));
    assert_ne!(u(&["a", "b"]), u(&["a", "c"]));
    assert_eq!(u(&["x"]).len(), 32 + "@semester".len());
}
