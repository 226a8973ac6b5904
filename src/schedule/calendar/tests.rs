//! The calendar's table-driven tests; the helpers are shared with the tests of ics, next_up and
//! term_plan.

use std::path::Path;

use jiff::civil::date;

use super::due::DUE_HINT;
use super::report::number_runs;
use super::weeks::{monday_of, plus_days};
use super::*;
use crate::load::content::Kind;

/// The bundled course's term (SPEC section 3).
pub(crate) const SPRING: &str = "name: Spring 2026
start: 2026-01-20
end: 2026-05-11
meetings:
  - name: Lecture
    days: [mon]
    start: \"11:00\"
    end: \"13:30\"
    location: 370 Jay Street, Room 202
holidays:
  - { date: 2026-02-16, name: Presidents' Day }
  - { from: 2026-03-16, to: 2026-03-22, name: Spring recess }
swaps:
  - { date: 2026-02-18, follows: mon, name: Legislative day }
events:
  - { date: 2026-03-02, time: \"23:59\", title: Project proposal due, kind: project }
  - { date: 2026-05-18, title: Final presentations, kind: project }
";

pub(crate) fn term(src: &str) -> Term {
    let mut d = Diagnostics::new();
    let path = Path::new("terms/spring-2026.yaml");
    let t = crate::load::term::parse_term("spring-2026", path, src, &mut d);
    assert!(!d.has_errors(), "{:?}", d.sorted());
    t.expect("a valid term")
}

/// A page whose front matter is `title: <stem>` and then `front` (so its first key is on
/// line 3 of the file).
pub(crate) fn page(dir: &str, stem: &str, front: &str) -> SourcePage {
    let path = PathBuf::from(format!("content/{dir}/{stem}.md"));
    let text = format!("title: {stem}\n{front}");
    let fm = crate::load::frontmatter::parse(&path, &text, 2).expect("front matter parses");
    let slug = fm.slug.clone().unwrap_or_else(|| stem.to_string());
    SourcePage {
        path,
        rel: format!("{dir}/{stem}.md"),
        dir: dir.to_string(),
        stem: stem.to_string(),
        kind: if dir == "labs" {
            Kind::Lab
        } else {
            Kind::Topic
        },
        front: fm,
        front_line: 2,
        body: String::new(),
        body_line: text.lines().count() + 3,
        front_text: text,
        title: stem.to_string(),
        url_path: format!("{dir}/{slug}/"),
        slug,
        generated: false,
    }
}

pub(crate) fn topics(specs: &[(&str, &str)]) -> Vec<SourcePage> {
    specs.iter().map(|(s, f)| page("topics", s, f)).collect()
}

pub(crate) fn labs(specs: &[(&str, &str)]) -> Vec<SourcePage> {
    specs.iter().map(|(s, f)| page("labs", s, f)).collect()
}

pub(crate) fn ny() -> TimeZone {
    TimeZone::get("America/New_York").unwrap()
}

/// Schedules and returns the calendar and every diagnostic as `path:line:col message`.
pub(crate) fn run_in(
    t: &Term,
    tz: &TimeZone,
    rule: DueRule,
    topics: &[SourcePage],
    labs: &[SourcePage],
) -> (Calendar, Vec<String>) {
    let mut d = Diagnostics::new();
    let tr: Vec<&SourcePage> = topics.iter().collect();
    let lr: Vec<&SourcePage> = labs.iter().collect();
    let cal = schedule(t, tz, rule, &tr, &lr, &mut d);
    let msgs = d
        .sorted()
        .iter()
        .map(|d| format!("{}:{}:{} {}", d.path.display(), d.line, d.col, d.message))
        .collect();
    (cal, msgs)
}

pub(crate) fn run(topics: &[SourcePage], labs: &[SourcePage]) -> (Calendar, Vec<String>) {
    run_in(&term(SPRING), &ny(), DueRule::default(), topics, labs)
}

/// The one diagnostic of a run, with its hint.
fn only_error(topics: &[SourcePage], labs: &[SourcePage]) -> (String, String) {
    let mut d = Diagnostics::new();
    let tr: Vec<&SourcePage> = topics.iter().collect();
    let lr: Vec<&SourcePage> = labs.iter().collect();
    schedule(&term(SPRING), &ny(), DueRule::default(), &tr, &lr, &mut d);
    let all = d.sorted();
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    (
        format!("{}:{}:{} {}", d.path.display(), d.line, d.col, d.message),
        d.hint.clone().unwrap_or_default(),
    )
}

fn dates(cal: &Calendar) -> Vec<String> {
    cal.sessions.iter().map(|s| s.date.to_string()).collect()
}

fn slot(cal: &Calendar, slug: &str) -> Vec<u32> {
    cal.topic_sessions.get(slug).cloned().unwrap_or_default()
}

fn lab<'a>(cal: &'a Calendar, slug: &str) -> &'a LabDates {
    cal.labs
        .iter()
        .find(|l| l.slug == slug)
        .expect("lab scheduled")
}

// ---- the bundled course -----------------------------------------------------------------

/// The bundled Spring 2026 course gives the 15 sessions, weeks and lab dates of its syllabus.
#[test]
fn bundled_course_matches_the_syllabus() {
    let mut ts: Vec<(String, String)> = (1..=11)
        .map(|i| (format!("{i:02}-topic"), String::new()))
        .collect();
    ts[10].1 = "sessions: 2\n".into();
    let ts: Vec<SourcePage> = ts.iter().map(|(s, f)| page("topics", s, f)).collect();
    let ls: Vec<SourcePage> = (1..=9)
        .map(|i| {
            page(
                "labs",
                &format!("{i:02}-lab"),
                &format!("topic: {i:02}-topic\n"),
            )
        })
        .collect();
    let (cal, errs) = run(&ts, &ls);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(
        dates(&cal),
        [
            "2026-01-26",
            "2026-02-02",
            "2026-02-09",
            "2026-02-18",
            "2026-02-23",
            "2026-03-02",
            "2026-03-09",
            "2026-03-23",
            "2026-03-30",
            "2026-04-06",
            "2026-04-13",
            "2026-04-20",
            "2026-04-27",
            "2026-05-04",
            "2026-05-11"
        ]
    );
    assert_eq!(cal.sessions[3].swapped_from, Some(Weekday::Mon));
    assert_eq!(cal.sessions[0].week, Some(2));
    let recess = cal
        .weeks
        .iter()
        .find(|w| w.monday == date(2026, 3, 16))
        .unwrap();
    assert_eq!(
        (recess.number, recess.break_name.as_deref()),
        (None, Some("Spring recess"))
    );
    assert_eq!(cal.weeks.len(), 17);
    assert_eq!(cal.weeks.last().unwrap().number, Some(16));
    assert_eq!(slot(&cal, "11-topic"), [11, 12]);
    assert_eq!(cal.sessions[11].topics, ["11-topic"]);
    let first = lab(&cal, "01-lab");
    assert_eq!(first.release, date(2026, 1, 26));
    assert_eq!(rfc3339(&first.due), "2026-02-02T23:59:00-05:00");
    // Released Mar 9, due on the Monday of spring recess, after the DST change.
    assert_eq!(
        rfc3339(&lab(&cal, "07-lab").due),
        "2026-03-16T23:59:00-04:00"
    );
    let w = warnings(&term(SPRING), &cal);
    let w: Vec<&str> = w.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        w,
        [
            "lab `03-lab` is due on 2026-02-16, during `Presidents' Day`",
            "lab `07-lab` is due on 2026-03-16, during `Spring recess`",
            "sessions 13–15 have no topic"
        ]
    );
}

// ---- class days -------------------------------------------------------------------------

/// Swaps, holidays and other meetings decide the class days (table).
#[test]
fn class_days_follow_swaps_and_holidays() {
    let base = "name: T\nstart: 2026-02-02\nend: 2026-02-15\nmeetings:\n  - { name: Lecture, days: [mon, wed], start: \"09:00\", end: \"10:00\" }\n  - { name: Recitation, days: [fri], start: \"12:00\", end: \"13:00\" }\n";
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "",
            &["2026-02-02", "2026-02-04", "2026-02-09", "2026-02-11"],
            &["2026-02-06", "2026-02-13"],
        ),
        // A holiday removes every meeting that day.
        (
            "holidays:\n  - { date: 2026-02-04, name: H }\n  - { date: 2026-02-06, name: H2 }\n",
            &["2026-02-02", "2026-02-09", "2026-02-11"],
            &["2026-02-13"],
        ),
        // Tuesday following Monday gets the lecture.
        (
            "swaps:\n  - { date: 2026-02-03, follows: mon }\n",
            &[
                "2026-02-02",
                "2026-02-03",
                "2026-02-04",
                "2026-02-09",
                "2026-02-11",
            ],
            &["2026-02-06", "2026-02-13"],
        ),
        // Friday following Wednesday: lecture instead of its recitation.
        (
            "swaps:\n  - { date: 2026-02-06, follows: wed }\n",
            &[
                "2026-02-02",
                "2026-02-04",
                "2026-02-06",
                "2026-02-09",
                "2026-02-11",
            ],
            &["2026-02-13"],
        ),
        // Monday following Friday: recitation instead of the lecture.
        (
            "swaps:\n  - { date: 2026-02-09, follows: fri }\n",
            &["2026-02-02", "2026-02-04", "2026-02-11"],
            &["2026-02-06", "2026-02-09", "2026-02-13"],
        ),
    ];
    for (extra, want_sessions, want_occ) in cases {
        let t = term(&format!("{base}{extra}"));
        let (cal, errs) = run_in(&t, &ny(), DueRule::default(), &[], &[]);
        assert!(errs.is_empty());
        assert_eq!(dates(&cal), *want_sessions, "{extra}");
        let occ: Vec<String> = cal.occurrences.iter().map(|o| o.date.to_string()).collect();
        assert_eq!(occ, *want_occ, "{extra}");
        assert!(cal.occurrences.iter().all(|o| o.meeting == 1));
        let numbers: Vec<u32> = cal.sessions.iter().map(|s| s.number).collect();
        assert_eq!(
            numbers,
            (1..=want_sessions.len() as u32).collect::<Vec<_>>()
        );
    }
}

/// A session on a swap day says whose schedule it follows; others do not.
#[test]
fn swap_sessions_are_marked() {
    let (cal, _) = run(&[], &[]);
    let marked: Vec<(String, Weekday)> = cal
        .sessions
        .iter()
        .filter_map(|s| s.swapped_from.map(|w| (s.date.to_string(), w)))
        .collect();
    assert_eq!(marked, [("2026-02-18".to_string(), Weekday::Mon)]);
    assert_eq!((cal.sessions[3].start, cal.sessions[3].end), (660, 810));
}

// ---- weeks ------------------------------------------------------------------------------

/// Week numbering and break naming (table of term variants → (monday, number, break)).
#[test]
fn weeks_number_and_name_breaks() {
    let m = "meetings:\n  - { name: L, days: [mon], start: \"09:00\", end: \"10:00\" }\n";
    type Row = (&'static str, Option<u32>, Option<&'static str>);
    let cases: &[(&str, &[Row])] = &[
        // Starts on a Saturday: week 1 holds it, though it has no weekday in the term.
        (
            "start: 2026-01-24\nend: 2026-02-03\n",
            &[
                ("2026-01-19", Some(1), None),
                ("2026-01-26", Some(2), None),
                ("2026-02-02", Some(3), None),
            ],
        ),
        // A whole week off is a break and takes no number.
        (
            "start: 2026-03-02\nend: 2026-03-27\nholidays:\n  - { from: 2026-03-16, to: 2026-03-20, name: Spring recess }\n",
            &[
                ("2026-03-02", Some(1), None),
                ("2026-03-09", Some(2), None),
                ("2026-03-16", None, Some("Spring recess")),
                ("2026-03-23", Some(3), None),
            ],
        ),
        // Two holidays covering a week: both names.
        (
            "start: 2026-11-16\nend: 2026-12-04\nholidays:\n  - { from: 2026-11-23, to: 2026-11-25, name: Fall break }\n  - { from: 2026-11-26, to: 2026-11-27, name: Thanksgiving }\n",
            &[
                ("2026-11-16", Some(1), None),
                ("2026-11-23", None, Some("Fall break / Thanksgiving")),
                ("2026-11-30", Some(2), None),
            ],
        ),
        // A week with one class day left is no break.
        (
            "start: 2026-03-02\nend: 2026-03-13\nholidays:\n  - { from: 2026-03-09, to: 2026-03-12, name: Most of a week }\n",
            &[("2026-03-02", Some(1), None), ("2026-03-09", Some(2), None)],
        ),
        // The last week counts only the days up to `end`: Monday off, term ends Monday.
        (
            "start: 2026-03-02\nend: 2026-03-09\nholidays:\n  - { date: 2026-03-09, name: Last day off }\n",
            &[
                ("2026-03-02", Some(1), None),
                ("2026-03-09", None, Some("Last day off")),
            ],
        ),
        // Week 1 stays week 1 even when its weekdays are all holidays.
        (
            "start: 2026-03-02\nend: 2026-03-13\nholidays:\n  - { from: 2026-03-02, to: 2026-03-06, name: Late start }\n",
            &[("2026-03-02", Some(1), None), ("2026-03-09", Some(2), None)],
        ),
    ];
    for (dates_yaml, want) in cases {
        let t = term(&format!("name: T\n{dates_yaml}{m}"));
        let (cal, _) = run_in(&t, &ny(), DueRule::default(), &[], &[]);
        let got: Vec<(String, Option<u32>, Option<String>)> = cal
            .weeks
            .iter()
            .map(|w| (w.monday.to_string(), w.number, w.break_name.clone()))
            .collect();
        let want: Vec<(String, Option<u32>, Option<String>)> = want
            .iter()
            .map(|(m, n, b)| (m.to_string(), *n, b.map(str::to_string)))
            .collect();
        assert_eq!(got, want, "{dates_yaml}");
    }
}

// ---- topics -----------------------------------------------------------------------------

/// Topic placement: defaults, `sessions`, pins by session and week, unscheduled (table).
#[test]
fn topics_are_placed_by_the_rules() {
    type Case = (
        &'static [(&'static str, &'static str)],
        &'static [(&'static str, &'static [u32])],
    );
    let cases: &[Case] = &[
        (
            &[("a", ""), ("b", ""), ("c", "")],
            &[("a", &[1]), ("b", &[2]), ("c", &[3])],
        ),
        (
            &[("a", "sessions: 2\n"), ("b", "")],
            &[("a", &[1, 2]), ("b", &[3])],
        ),
        (
            &[("a", ""), ("b", "session: 5\n"), ("c", "")],
            &[("a", &[1]), ("b", &[5]), ("c", &[6])],
        ),
        // Week 4 starts Feb 9 (session 3); week 5's first session is the swap day Feb 18.
        (
            &[("a", "week: 4\n"), ("b", "week: 5\n"), ("c", "")],
            &[("a", &[3]), ("b", &[4]), ("c", &[5])],
        ),
        // Week 9 follows the spring recess: its session is Mar 23, session 8.
        (&[("a", "week: 9\n")], &[("a", &[8])]),
        (
            &[("a", ""), ("b", "unscheduled: true\n"), ("c", "")],
            &[("a", &[1]), ("b", &[]), ("c", &[2])],
        ),
        // A pin back into a gap: later unpinned topics continue after it, skipping held sessions.
        (
            &[
                ("a", "session: 3\n"),
                ("b", ""),
                ("c", "session: 1\n"),
                ("d", ""),
                ("e", ""),
            ],
            &[
                ("a", &[3]),
                ("b", &[4]),
                ("c", &[1]),
                ("d", &[2]),
                ("e", &[5]),
            ],
        ),
        // An unpinned two-session topic skips a one-session hole.
        (
            &[
                ("a", "session: 2\n"),
                ("b", "session: 1\n"),
                ("c", "sessions: 2\n"),
            ],
            &[("a", &[2]), ("b", &[1]), ("c", &[3, 4])],
        ),
        (&[("a", "session: 14\nsessions: 2\n")], &[("a", &[14, 15])]),
    ];
    for (specs, want) in cases {
        let (cal, errs) = run(&topics(specs), &[]);
        assert!(errs.is_empty(), "{specs:?}: {errs:?}");
        for (slug, sessions) in *want {
            assert_eq!(slot(&cal, slug), *sessions, "{specs:?}: {slug}");
            for n in *sessions {
                assert_eq!(cal.sessions[*n as usize - 1].topics, [*slug]);
            }
        }
    }
}

/// Every topic mistake, with its place, exact message and hint (table).
#[test]
fn topic_errors_are_exact() {
    type Case = (
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );
    let cases: &[Case] = &[
        (
            &[("a", "session: 16\n")],
            "content/topics/a.md:3:1 there is no session 16: the term has 15 sessions",
            "pin to a session from 1 to 15, or pin by `week:`",
        ),
        (
            &[("a", "session: 0\n")],
            "content/topics/a.md:3:1 there is no session 0: the term has 15 sessions",
            "pin to a session from 1 to 15, or pin by `week:`",
        ),
        (
            &[("a", "week: 1\n")],
            "content/topics/a.md:3:1 week 1 has no session",
            "week 1 (from 2026-01-19) has no Lecture day: pin to another week, or by `session:`",
        ),
        (
            &[("a", "week: 17\n")],
            "content/topics/a.md:3:1 there is no week 17: the term's weeks are numbered 1 to 16",
            "pick a numbered week (break weeks have no number); `semester calendar` lists them",
        ),
        (
            &[("a", "sessions: 0\n")],
            "content/topics/a.md:3:1 `sessions: 0`: a topic takes at least one session",
            "write sessions: 1 or more; to leave the topic off the calendar write `unscheduled: true`",
        ),
        (
            &[("a", "session: 2\nweek: 3\n")],
            "content/topics/a.md:4:1 this topic is pinned twice, with `session: 2` and `week: 3`",
            "keep one of the two",
        ),
        (
            &[("a", ""), ("b", "session: 1\n")],
            "content/topics/b.md:3:1 this topic is pinned to session 1, which topic `a` already takes",
            "two topics cannot share a session: pin this one to a free session, pin `a` (content/topics/a.md) elsewhere, or merge the two pages",
        ),
        (
            &[("a", "session: 3\n"), ("b", "session: 2\nsessions: 2\n")],
            "content/topics/b.md:3:1 this topic takes sessions 2 to 3 from its pin, but session 3 already has topic `a`",
            "two topics cannot share a session: pin this one to a free session, pin `a` (content/topics/a.md) elsewhere, or merge the two pages",
        ),
        (
            &[("a", "session: 15\nsessions: 2\n")],
            "content/topics/a.md:3:1 this topic takes 2 sessions from session 15, but the term has only 15",
            "pin it earlier, or lower `sessions`",
        ),
        (
            &[("a", "unscheduled: true\nweek: 3\n")],
            "content/topics/a.md:4:1 this topic is `unscheduled: true` but also pinned with `week`",
            "remove `week:` to leave it unscheduled, or remove `unscheduled: true`",
        ),
        (
            &[("a", "due: 2026-03-02\n")],
            "content/topics/a.md:3:1 `due` is a key for lab pages; this is a topic page",
            "a topic is placed with `session`, `sessions`, `week` or `unscheduled`",
        ),
        (
            &[("a", "sessions: 16\n")],
            "content/topics/a.md:3:1 1 topic does not fit in the term's 15 sessions: `a`",
            "mark topics `unscheduled: true`, merge topics, lower a topic's `sessions`, or add class days in terms/spring-2026.yaml",
        ),
    ];
    for (specs, want, hint) in cases {
        let (got, got_hint) = only_error(&topics(specs), &[]);
        assert_eq!(
            (got.as_str(), got_hint.as_str()),
            (*want, *hint),
            "{specs:?}"
        );
    }
}

/// More topics than sessions: one error, at the first that does not fit, naming them all.
#[test]
fn too_many_topics_is_one_error_naming_them() {
    let specs: Vec<(String, &str)> = (1..=18).map(|i| (format!("t{i:02}"), "")).collect();
    let specs: Vec<(&str, &str)> = specs.iter().map(|(s, f)| (s.as_str(), *f)).collect();
    let (got, _) = only_error(&topics(&specs), &[]);
    assert_eq!(
        got,
        "content/topics/t16.md:2:1 3 topics do not fit in the term's 15 sessions: `t16`, `t17`, `t18`"
    );
}

// ---- labs -------------------------------------------------------------------------------

/// Every way of releasing a lab (table: front matter → release date).
#[test]
fn labs_are_released_every_way() {
    let ts = topics(&[("intro", ""), ("docker", ""), ("later", "session: 10\n")]);
    let cases: &[(&str, &str, Date)] = &[
        ("lab-a", "topic: docker\n", date(2026, 2, 2)),
        ("lab-b", "topic: later\n", date(2026, 4, 6)),
        ("lab-c", "week: 5\n", date(2026, 2, 18)),
        // Week 1 has no session: its first instructional day is the first day of the term.
        ("lab-d", "week: 1\n", date(2026, 1, 20)),
        ("lab-e", "release: 2026-03-04\n", date(2026, 3, 4)),
        // By default lab k is released with session k: this is the 6th lab.
        ("lab-f", "", date(2026, 3, 2)),
    ];
    let specs: Vec<(&str, &str)> = cases.iter().map(|(s, f, _)| (*s, *f)).collect();
    let (cal, errs) = run(&ts, &labs(&specs));
    assert!(errs.is_empty(), "{errs:?}");
    for (slug, _, want) in cases {
        assert_eq!(lab(&cal, slug).release, *want, "{slug}");
    }
}

/// A week without a session releases on its first instructional day, skipping holidays.
#[test]
fn week_release_skips_holidays() {
    let src = "name: T\nstart: 2026-03-02\nend: 2026-03-27\nmeetings:\n  - { name: L, days: [fri], start: \"09:00\", end: \"10:00\" }\nholidays:\n  - { from: 2026-03-09, to: 2026-03-10, name: Off }\n  - { date: 2026-03-13, name: Fri off }\n";
    let (cal, errs) = run_in(
        &term(src),
        &ny(),
        DueRule::default(),
        &[],
        &labs(&[("l", "week: 2\n")]),
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(lab(&cal, "l").release, date(2026, 3, 11));
}

/// Due dates from the course rule, a lab's own rule, or an explicit date (table).
#[test]
fn due_dates_follow_rules_and_dates() {
    let cases: &[(&str, &str)] = &[
        // Released Mon Feb 2: the course rule (mon 23:59, 7 days) gives Feb 9.
        ("release: 2026-02-02\n", "2026-02-09T23:59:00-05:00"),
        // Released Tue Feb 3: 7 days later is Tue Feb 10, next Monday Feb 16.
        ("release: 2026-02-03\n", "2026-02-16T23:59:00-05:00"),
        (
            "release: 2026-02-02\ndue: { weekday: fri }\n",
            "2026-02-13T23:59:00-05:00",
        ),
        (
            "release: 2026-02-02\ndue: { weekday: fri, time: \"17:00\", min_days: 2 }\n",
            "2026-02-06T17:00:00-05:00",
        ),
        // min_days 0 and released on the due weekday: due the same day.
        (
            "release: 2026-02-02\ndue: { min_days: 0 }\n",
            "2026-02-02T23:59:00-05:00",
        ),
        (
            "release: 2026-02-02\ndue:\n  weekday: wed\n  min_days: 10\n",
            "2026-02-18T23:59:00-05:00",
        ),
        (
            "release: 2026-02-02\ndue: 2026-03-02 17:00\n",
            "2026-03-02T17:00:00-05:00",
        ),
        (
            "release: 2026-02-02\ndue: \"2026-03-02T09:30\"\n",
            "2026-03-02T09:30:00-05:00",
        ),
        // A date alone takes the course rule's time.
        (
            "release: 2026-02-02\ndue: 2026-03-02\n",
            "2026-03-02T23:59:00-05:00",
        ),
        // Due on release day is allowed.
        (
            "release: 2026-02-02\ndue: 2026-02-02 08:00\n",
            "2026-02-02T08:00:00-05:00",
        ),
        // The last allowed day: end + 14.
        (
            "release: 2026-05-01\ndue: 2026-05-25\n",
            "2026-05-25T23:59:00-04:00",
        ),
    ];
    for (front, want) in cases {
        let (cal, errs) = run(&[], &labs(&[("l", front)]));
        assert!(errs.is_empty(), "{front}: {errs:?}");
        assert_eq!(rfc3339(&lab(&cal, "l").due), *want, "{front}");
    }
}

/// Every lab mistake, with its place, exact message and hint (table).
#[test]
fn lab_errors_are_exact() {
    let ts = topics(&[
        ("intro", ""),
        ("docker", ""),
        ("extra", "unscheduled: true\n"),
    ]);
    let cases: &[(&str, &str, &str)] = &[
        (
            "topic: dockr\n",
            "content/labs/l.md:3:1 there is no topic `dockr`",
            "did you mean `docker`?",
        ),
        (
            "topic: extra\n",
            "content/labs/l.md:3:1 topic `extra` is unscheduled, so it has no session to release this lab with",
            "set `release: YYYY-MM-DD` or `week: w` instead, or schedule the topic",
        ),
        (
            "topic: docker\nweek: 3\n",
            "content/labs/l.md:4:1 this lab sets its release date in more than one way: `topic` and `week`",
            "keep one of `topic`, `week` or `release`",
        ),
        (
            "topic: docker\nweek: 3\nrelease: 2026-02-02\n",
            "content/labs/l.md:4:1 this lab sets its release date in more than one way: `topic`, `week`, `release`",
            "keep one of `topic`, `week` or `release`",
        ),
        (
            "week: 40\n",
            "content/labs/l.md:3:1 there is no week 40: the term's weeks are numbered 1 to 16",
            "pick a numbered week (break weeks have no number); `semester calendar` lists them",
        ),
        (
            "release: 2026-02-30\n",
            "content/labs/l.md:3:1 `2026-02-30` is not a real date",
            "write the release date as YYYY-MM-DD, e.g. release: 2026-02-02",
        ),
        (
            "release: Feb 2\n",
            "content/labs/l.md:3:1 `Feb 2` is not a date in the form YYYY-MM-DD",
            "write the release date as YYYY-MM-DD, e.g. release: 2026-02-02",
        ),
        (
            "release: 2026-05-04\ndue: 2026-05-26\n",
            "content/labs/l.md:4:1 this lab is due on 2026-05-26, more than 14 days after the term ends (2026-05-11)",
            "the latest a lab can be due is 2026-05-25: set an earlier `due`, or release the lab earlier",
        ),
        // Without a `due` key the error points at what set the release.
        (
            "release: 2026-05-20\n",
            "content/labs/l.md:3:1 this lab is due on 2026-06-01, more than 14 days after the term ends (2026-05-11)",
            "the latest a lab can be due is 2026-05-25: set an earlier `due`, or release the lab earlier",
        ),
        (
            "release: 2026-03-02\ndue: 2026-03-01\n",
            "content/labs/l.md:4:1 this lab is due on 2026-03-01 at 23:59, before it is released on 2026-03-02",
            "set a later `due`, or release the lab earlier",
        ),
        (
            "release: 2026-03-02\ndue: 2026-03-09 25:00\n",
            "content/labs/l.md:4:1 `25:00` is not a time of day",
            DUE_HINT,
        ),
        (
            "release: 2026-03-02\ndue: next monday\n",
            "content/labs/l.md:4:1 due `next monday` is not a date in the form YYYY-MM-DD or YYYY-MM-DD HH:MM",
            DUE_HINT,
        ),
        (
            "release: 2026-03-02\ndue: 2026-02-29\n",
            "content/labs/l.md:4:1 `2026-02-29` is not a real date",
            DUE_HINT,
        ),
        (
            "release: 2026-03-02\ndue: 7\n",
            "content/labs/l.md:4:1 `due` must be a date, a date and time, or a rule; found a number",
            DUE_HINT,
        ),
        (
            "release: 2026-03-02\ndue:\n  wekday: fri\n",
            "content/labs/l.md:5:3 unknown key `wekday` in the due rule",
            "did you mean `weekday`?",
        ),
        (
            "release: 2026-03-02\ndue: { weekday: fry }\n",
            "content/labs/l.md:4:8 `fry` is not a weekday",
            "did you mean `fri`?",
        ),
        (
            "release: 2026-03-02\ndue:\n  time: \"5pm\"\n",
            "content/labs/l.md:5:3 `5pm` is not a time of day",
            "write 24-hour time in quotes, e.g. \"23:59\"",
        ),
        (
            "release: 2026-03-02\ndue:\n  min_days: -1\n",
            "content/labs/l.md:5:3 min_days -1 is out of range",
            "use a number of days from 0 to 366",
        ),
        (
            "release: 2026-03-02\ndue:\n  min_days: a week\n",
            "content/labs/l.md:5:3 `min_days` must be a whole number of days",
            "write e.g. min_days: 7",
        ),
        (
            "release: 2026-03-02\ndue:\n  weekday: [mon]\n",
            "content/labs/l.md:5:3 `weekday` must be a day name",
            "write e.g. weekday: fri",
        ),
        (
            "release: 2026-03-02\nsession: 3\n",
            "content/labs/l.md:4:1 `session` is a key for topic pages; this is a lab page",
            "a lab is placed with `topic`, `week` or `release`, and `due`",
        ),
    ];
    for (front, want, hint) in cases {
        let (got, got_hint) = only_error(&ts, &labs(&[("l", front)]));
        assert_eq!((got.as_str(), got_hint.as_str()), (*want, *hint), "{front}");
    }
}

/// The default release needs a session k for lab k.
#[test]
fn default_release_needs_a_session() {
    let src = "name: T\nstart: 2026-03-02\nend: 2026-03-10\nmeetings:\n  - { name: L, days: [mon], start: \"09:00\", end: \"10:00\" }\n";
    let (_, errs) = run_in(
        &term(src),
        &ny(),
        DueRule::default(),
        &[],
        &labs(&[("a", ""), ("b", ""), ("c", "")]),
    );
    assert_eq!(
        errs,
        [
            "content/labs/c.md:2:1 lab 3 is released with session 3 by default, but the term has only 2 sessions"
        ]
    );
}

/// Terms at the edges of the calendar give errors, not panics.
#[test]
fn extreme_dates_do_not_panic() {
    let m = "meetings:\n  - { name: L, days: [mon, fri], start: \"09:00\", end: \"10:00\" }\n";
    let late = term(&format!("name: T\nstart: 9999-12-01\nend: 9999-12-31\n{m}"));
    let (cal, errs) = run_in(
        &late,
        &ny(),
        DueRule::default(),
        &[],
        &labs(&[("l", "release: 9999-12-30\n")]),
    );
    assert_eq!(cal.weeks.last().unwrap().monday, date(9999, 12, 27));
    assert_eq!(
        errs,
        [
            "content/labs/l.md:3:1 the due date after a release on 9999-12-30 is past the last date the calendar can hold"
        ]
    );
    let early = term(&format!("name: T\nstart: 0000-01-01\nend: 0000-01-31\n{m}"));
    let (cal, errs) = run_in(&early, &ny(), DueRule::default(), &[], &labs(&[("l", "")]));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(cal.weeks[0].monday.to_string(), "-000001-12-27");
}

/// No topics at all: a lab naming one says so.
#[test]
fn topic_release_without_topics() {
    let (_, hint) = only_error(&[], &labs(&[("l", "topic: intro\n")]));
    assert_eq!(hint, "there are no topic pages in content/topics/");
}

// ---- time zones -------------------------------------------------------------------------

/// Due times across DST changes in the US, Europe and the southern hemisphere (table:
/// zone, release, due → RFC 3339).
#[test]
fn due_times_are_correct_across_dst() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // US: spring forward on Sun 2026-03-08.
        (
            "America/New_York",
            "2026-02-23",
            "",
            "2026-03-02T23:59:00-05:00",
        ),
        (
            "America/New_York",
            "2026-03-02",
            "",
            "2026-03-09T23:59:00-04:00",
        ),
        // 02:30 does not exist that night: it moves forward past the gap.
        (
            "America/New_York",
            "2026-03-02",
            "due: 2026-03-08 02:30\n",
            "2026-03-08T03:30:00-04:00",
        ),
        // US: fall back on Sun 2026-11-01; 01:30 happens twice, the first one counts.
        (
            "America/New_York",
            "2026-10-26",
            "",
            "2026-11-02T23:59:00-05:00",
        ),
        (
            "America/New_York",
            "2026-10-19",
            "",
            "2026-10-26T23:59:00-04:00",
        ),
        (
            "America/New_York",
            "2026-10-26",
            "due: 2026-11-01 01:30\n",
            "2026-11-01T01:30:00-04:00",
        ),
        // Europe: spring forward Sun 2026-03-29, fall back Sun 2026-10-25.
        (
            "Europe/Berlin",
            "2026-03-16",
            "",
            "2026-03-23T23:59:00+01:00",
        ),
        (
            "Europe/Berlin",
            "2026-03-23",
            "",
            "2026-03-30T23:59:00+02:00",
        ),
        (
            "Europe/Berlin",
            "2026-03-23",
            "due: 2026-03-29 02:30\n",
            "2026-03-29T03:30:00+02:00",
        ),
        (
            "Europe/Berlin",
            "2026-10-19",
            "",
            "2026-10-26T23:59:00+01:00",
        ),
        (
            "Europe/Berlin",
            "2026-10-19",
            "due: 2026-10-25 02:30\n",
            "2026-10-25T02:30:00+02:00",
        ),
        // Sydney: DST ends Sun 2026-04-05, starts Sun 2026-10-04.
        (
            "Australia/Sydney",
            "2026-03-23",
            "",
            "2026-03-30T23:59:00+11:00",
        ),
        (
            "Australia/Sydney",
            "2026-03-30",
            "",
            "2026-04-06T23:59:00+10:00",
        ),
        (
            "Australia/Sydney",
            "2026-03-30",
            "due: 2026-04-05 02:30\n",
            "2026-04-05T02:30:00+11:00",
        ),
        (
            "Australia/Sydney",
            "2026-09-21",
            "",
            "2026-09-28T23:59:00+10:00",
        ),
        (
            "Australia/Sydney",
            "2026-09-28",
            "",
            "2026-10-05T23:59:00+11:00",
        ),
        (
            "Australia/Sydney",
            "2026-09-28",
            "due: 2026-10-04 02:30\n",
            "2026-10-04T03:30:00+11:00",
        ),
        // A zone without DST.
        (
            "Asia/Kolkata",
            "2026-03-02",
            "",
            "2026-03-09T23:59:00+05:30",
        ),
    ];
    let src = "name: Year\nstart: 2026-01-05\nend: 2026-12-18\nmeetings:\n  - { name: L, days: [mon], start: \"09:00\", end: \"10:00\" }\n";
    let t = term(src);
    for (zone, release, due, want) in cases {
        let tz = TimeZone::get(zone).unwrap();
        let front = format!("release: {release}\n{due}");
        let (cal, errs) = run_in(&t, &tz, DueRule::default(), &[], &labs(&[("l", &front)]));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rfc3339(&lab(&cal, "l").due), *want, "{zone} {front}");
    }
}

// ---- warnings and JSON ------------------------------------------------------------------

/// `check` warns about a lab due on a holiday, sessions without topics, and stray events.
#[test]
fn warnings_point_at_the_right_lines() {
    let src = format!("{SPRING}  - {{ date: 2026-06-30, title: Stray, kind: x }}\n");
    let t = term(&src);
    let ts = topics(&[("a", ""), ("b", "session: 4\n")]);
    let ls = labs(&[("l", "release: 2026-02-09\ndue: 2026-02-16 12:00\n")]);
    let (cal, errs) = run_in(&t, &ny(), DueRule::default(), &ts, &ls);
    assert!(errs.is_empty(), "{errs:?}");
    let got: Vec<String> = warnings(&t, &cal).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        got,
        [
            "content/labs/l.md:4:1: warning: lab `l` is due on 2026-02-16, during `Presidents' Day`\n  hint: set `due:` to another day if students should not work then",
            "content/topics:1:1: warning: sessions 2–3 and 5–15 have no topic\n  hint: add topic pages, give a topic `sessions: 2`, or declare review and exam days under `sessions:` in the term file",
            "terms/spring-2026.yaml:18:1: warning: event `Stray` on 2026-06-30 lies outside the term (2026-01-20 to 2026-05-11)\n  hint: check its date, or remove it",
        ]
    );
    // No topic pages at all: no "no topic" warning.
    let (cal, _) = run_in(&term(SPRING), &ny(), DueRule::default(), &[], &[]);
    assert!(warnings(&term(SPRING), &cal).is_empty());
}

/// Runs of numbers read compactly.
#[test]
fn number_runs_read_compactly() {
    assert_eq!(number_runs(&[3]), "3");
    assert_eq!(number_runs(&[1, 2]), "1–2");
    assert_eq!(number_runs(&[2, 5, 13, 14, 15]), "2, 5 and 13–15");
}

/// `semester calendar --format json` has SPEC section 8's shape.
#[test]
fn json_has_the_spec_shape() {
    let ts = topics(&[("01-intro", "")]);
    let ls = labs(&[("01-setup", "topic: 01-intro\n")]);
    let t = term(SPRING);
    let (cal, _) = run_in(&t, &ny(), DueRule::default(), &ts, &ls);
    let j = to_json(&t, "America/New_York", &cal);
    assert_eq!(j["term"], "spring-2026");
    assert_eq!(j["timezone"], "America/New_York");
    assert_eq!(
        j["weeks"][0],
        serde_json::json!({"number": 1, "monday": "2026-01-19", "break": null})
    );
    assert_eq!(
        j["weeks"][8],
        serde_json::json!({"number": null, "monday": "2026-03-16", "break": "Spring recess"})
    );
    assert_eq!(
        j["sessions"][0],
        serde_json::json!({"number": 1, "date": "2026-01-26", "start": "11:00", "end": "13:30",
                               "week": 2, "topics": ["01-intro"], "note": null})
    );
    assert_eq!(
        j["labs"][0],
        serde_json::json!({"slug": "01-setup", "release": "2026-01-26",
                               "due": "2026-02-02T23:59:00-05:00"})
    );
    assert_eq!(
        j["events"],
        serde_json::json!([
            {"date": "2026-03-02", "time": "23:59", "title": "Project proposal due", "kind": "project",
             "end": null, "location": "", "id": "event-1"},
            {"date": "2026-05-18", "time": null, "title": "Final presentations", "kind": "project",
             "end": null, "location": "", "id": "event-2"}
        ])
    );
    assert_eq!(
        j["holidays"][1],
        serde_json::json!({"from": "2026-03-16", "to": "2026-03-22", "name": "Spring recess"})
    );
}

// ---- properties -------------------------------------------------------------------------

mod props {
    use proptest::prelude::*;

    use super::*;

    const ZONES: &[&str] = &[
        "America/New_York",
        "Europe/Berlin",
        "Australia/Sydney",
        "America/Santiago",
        "Asia/Kolkata",
        "UTC",
    ];

    /// A random valid term file: dates, meetings, holidays, swaps.
    #[derive(Debug, Clone)]
    struct Spec {
        start: i64,
        len: i64,
        meetings: Vec<(u8, u16)>,
        holidays: Vec<(i64, i64)>,
        swaps: Vec<(i64, u8)>,
        rule: (u8, u16, i64),
        zone: usize,
        labs: Vec<i64>,
        topics: Vec<i64>,
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            (0i64..4000, 0i64..200),
            prop::collection::vec((1u8..128, 0u16..1380), 1..3),
            prop::collection::vec((0i64..200, 0i64..12), 0..5),
            prop::collection::vec((0i64..200, 0u8..7), 0..4),
            (0u8..7, 0u16..1440, 0i64..20),
            0..ZONES.len(),
            prop::collection::vec(0i64..200, 0..8),
            prop::collection::vec(1i64..4, 0..10),
        )
            .prop_map(
                |((start, len), meetings, holidays, swaps, rule, zone, labs, topics)| Spec {
                    start,
                    len,
                    meetings,
                    holidays,
                    swaps,
                    rule,
                    zone,
                    labs,
                    topics,
                },
            )
    }

    fn day(base: Date, n: i64) -> Date {
        plus_days(base, n).unwrap()
    }

    fn yaml(s: &Spec) -> String {
        let base = date(2020, 1, 1);
        let (start, end) = (day(base, s.start), day(base, s.start + s.len));
        let mut y = format!("name: P\nstart: {start}\nend: {end}\nmeetings:\n");
        for (i, (mask, t)) in s.meetings.iter().enumerate() {
            let days: Vec<&str> = (0..7)
                .filter(|b| mask & (1 << b) != 0)
                .map(|b| Weekday::NAMES[b])
                .collect();
            let (a, b) = (t, t + 45);
            y += &format!(
                "  - {{ name: M{i}, days: [{}], start: \"{:02}:{:02}\", end: \"{:02}:{:02}\" }}\n",
                days.join(", "),
                a / 60,
                a % 60,
                b / 60,
                b % 60
            );
        }
        let mut off: Vec<(i64, i64)> = Vec::new();
        y += "holidays:\n";
        for (i, (at, len)) in s.holidays.iter().enumerate() {
            let a = at % (s.len + 1);
            let b = (a + len).min(s.len);
            off.push((a, b));
            y += &format!(
                "  - {{ from: {}, to: {}, name: H{i} }}\n",
                day(start, a),
                day(start, b)
            );
        }
        y += "swaps:\n";
        let mut seen = Vec::new();
        for (at, follows) in &s.swaps {
            let a = at % (s.len + 1);
            if off.iter().any(|(f, t)| *f <= a && a <= *t) || seen.contains(&a) {
                continue;
            }
            seen.push(a);
            y += &format!(
                "  - {{ date: {}, follows: {} }}\n",
                day(start, a),
                Weekday::NAMES[*follows as usize]
            );
        }
        y
    }

    fn rule(s: &Spec) -> DueRule {
        let w = Weekday::parse(Weekday::NAMES[s.rule.0 as usize]).unwrap();
        DueRule {
            weekday: w,
            time: s.rule.1,
            min_days: s.rule.2,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Over random terms: no class on a holiday, sessions in order, weeks without gaps,
        /// due dates on the rule's weekday at least min_days after release, with the zone's
        /// own offset, and never two topics on a session.
        #[test]
        fn random_terms_keep_every_rule(s in spec()) {
            let t = term(&yaml(&s));
            let tz = TimeZone::get(ZONES[s.zone]).unwrap();
            let ls: Vec<SourcePage> = s.labs.iter().enumerate()
                .map(|(i, off)| page("labs", &format!("l{i}"), &format!("release: {}\n", day(t.start, off % (s.len + 1)))))
                .collect();
            let ts: Vec<SourcePage> = s.topics.iter().enumerate()
                .map(|(i, n)| page("topics", &format!("t{i:02}"), &format!("sessions: {n}\n")))
                .collect();
            let r = rule(&s);
            let (cal, _) = run_in(&t, &tz, r, &ts, &ls);
            for (i, x) in cal.sessions.iter().enumerate() {
                prop_assert!(holiday_on(&t, x.date).is_none());
                prop_assert_eq!(x.number as usize, i + 1);
                prop_assert!(t.start <= x.date && x.date <= t.end);
                let wd = t.swaps.iter().find(|w| w.date == x.date).map_or(Weekday::of(x.date), |w| w.follows);
                prop_assert!(t.meetings[0].days.contains(&wd));
                prop_assert!(x.topics.len() <= 1);
            }
            for pair in cal.sessions.windows(2) {
                prop_assert!(pair[0].date < pair[1].date);
            }
            for o in &cal.occurrences {
                prop_assert!(holiday_on(&t, o.date).is_none());
            }
            let numbers: Vec<u32> = cal.weeks.iter().filter_map(|w| w.number).collect();
            prop_assert_eq!(numbers.clone(), (1..=numbers.len() as u32).collect::<Vec<_>>());
            prop_assert_eq!(cal.weeks[0].monday, monday_of(t.start).unwrap());
            prop_assert_eq!(cal.weeks.last().unwrap().monday, monday_of(t.end).unwrap());
            for pair in cal.weeks.windows(2) {
                prop_assert_eq!(day(pair[0].monday, 7), pair[1].monday);
            }
            for l in &cal.labs {
                let d = l.due.date();
                let earliest = day(l.release, r.min_days);
                prop_assert_eq!(Weekday::of(d), r.weekday);
                prop_assert!(earliest <= d && d < day(earliest, 7));
                prop_assert_eq!(l.due.offset(), tz.to_offset(l.due.timestamp()));
                let local = i32::from(l.due.hour()) * 60 + i32::from(l.due.minute());
                // Only a time inside a DST gap moves, and only forward.
                prop_assert!(local >= i32::from(r.time));
                prop_assert!(l.due.date() <= day(t.end, DUE_GRACE_DAYS));
            }
            let mut taken: Vec<u32> = cal.topic_sessions.values().flatten().copied().collect();
            let total = taken.len();
            taken.sort();
            taken.dedup();
            prop_assert_eq!(taken.len(), total);
        }

        /// Any values in the scheduling keys give diagnostics, never a panic.
        #[test]
        fn any_front_matter_is_safe(
            session in prop::option::of(-5i64..40),
            sessions in prop::option::of(-3i64..40),
            week in prop::option::of(-3i64..40),
            unscheduled in any::<bool>(),
            release in prop::option::of("[0-9a-z: -]{0,18}"),
            due in prop::option::of("[0-9TZ: -]{0,20}"),
            lab_week in prop::option::of(-3i64..40),
        ) {
            let mut tf = String::new();
            if let Some(v) = session { tf += &format!("session: {v}\n"); }
            if let Some(v) = sessions { tf += &format!("sessions: {v}\n"); }
            if let Some(v) = week { tf += &format!("week: {v}\n"); }
            if unscheduled { tf += "unscheduled: true\n"; }
            let mut lf = String::new();
            if let Some(v) = &release { lf += &format!("release: \"{v}\"\n"); }
            if let Some(v) = &due { lf += &format!("due: \"{v}\"\n"); }
            if let Some(v) = lab_week { lf += &format!("week: {v}\n"); }
            let ts = topics(&[("a", ""), ("b", &tf), ("c", "")]);
            let ls = labs(&[("x", &lf), ("y", "topic: b\n")]);
            let _ = run(&ts, &ls);
        }
    }
}
