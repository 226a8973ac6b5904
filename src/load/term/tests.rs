//! The term file's unit tests: a good term, every rule at its line, unknown keys, times and dates.

use super::*;

fn parse(src: &str) -> (Option<Term>, Vec<String>) {
    let mut d = Diagnostics::new();
    let t = parse_term("t", Path::new("terms/t.yaml"), src, &mut d);
    (
        t,
        d.sorted()
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect(),
    )
}

const GOOD: &str = "name: Spring 2026\nstart: 2026-01-20\nend: 2026-05-11\nmeetings:\n  - name: Lecture\n    days: [mon]\n    start: \"11:00\"\n    end: \"13:30\"\n    location: Room 202\nholidays:\n  - { date: 2026-02-16, name: Presidents' Day }\n  - { from: 2026-03-16, to: 2026-03-22, name: Spring recess }\nswaps:\n  - { date: 2026-02-18, follows: mon, name: Legislative day }\n";

#[test]
fn a_good_term_parses() {
    let (t, errs) = parse(GOOD);
    assert!(errs.is_empty(), "{errs:?}");
    let t = t.unwrap();
    assert_eq!(t.meetings[0].start, 660);
    assert_eq!(t.holidays[1].to, jiff::civil::date(2026, 3, 22));
    assert_eq!(t.swaps[0].follows, Weekday::Mon);
}

#[test]
fn every_rule_is_reported_with_its_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "end: 2026-05-11",
            "end: 2026-01-01",
            "3:1 the term ends (2026-01-01) before it starts (2026-01-20)",
        ),
        (
            "date: 2026-02-16,",
            "date: 2027-02-16,",
            "11:3 holiday `Presidents' Day` (2027-02-16) lies outside the term (2026-01-20 to 2026-05-11)",
        ),
        (
            "date: 2026-02-18, follows",
            "date: 2026-02-16, follows",
            "14:7 swap day 2026-02-16 falls on holiday `Presidents' Day`",
        ),
        (
            "end: \"13:30\"",
            "end: \"10:30\"",
            "8:5 meeting `Lecture` ends at 10:30 but starts at 11:00",
        ),
        ("days: [mon]", "days: [mun]", "6:5 `mun` is not a weekday"),
        (
            "start: 2026-01-20",
            "start: 2026-02-30",
            "2:1 `2026-02-30` is not a real date",
        ),
        (
            "follows: mon",
            "follows: monday-ish",
            "14:25 `monday-ish` is not a weekday",
        ),
    ];
    for (from, to, want) in cases {
        let (t, errs) = parse(&GOOD.replace(from, to));
        assert!(t.is_none(), "{to}");
        assert_eq!(errs, vec![want.to_string()], "{to}");
    }
}

#[test]
fn unknown_keys_are_errors() {
    let (_, errs) = parse(&GOOD.replace("location: Room 202", "room: Room 202"));
    assert_eq!(
        errs,
        vec!["9:5 meetings[0]: unknown key `room`".to_string()]
    );
}

#[test]
fn times_and_dates() {
    assert_eq!(parse_time("23:59"), Some(1439));
    assert_eq!(parse_time("9:05"), Some(545));
    assert_eq!(parse_time("24:00"), None);
    assert_eq!(parse_time("11"), None);
    assert!(parse_date("2026-1-2").is_err());
    assert!(parse_date("2025-02-29").is_err());
    assert!(parse_date("2024-02-29").is_ok());
}
