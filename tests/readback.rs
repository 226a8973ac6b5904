//! What the site publishes for other programs, read back by those programs' own parsers:
//! calendar.ics by Python's icalendar, notebooks by nbformat, `semester calendar --format json`
//! by serde. The Python checks use the first `python3` on PATH that has the module
//! (`SEMESTER_PYTHON` names another); where none has it, the check says it
//! is skipped (`common::need`); under `CI=true` it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TempDir, copy_tree, run};

/// The first Python 3 that can import `module`, or a failure that says how to get one.
#[track_caller]
fn python_with(module: &str) -> Option<PathBuf> {
    let candidates = match std::env::var_os("SEMESTER_PYTHON") {
        Some(p) => vec![PathBuf::from(p)],
        None => common::all_on_path("python3"),
    };
    let found = candidates.iter().find(|py| {
        Command::new(py)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    let what = format!(
        "Python's {module}: no python3 imports it (tried: [{}]; apt-get install \
         python3-{module}, or set SEMESTER_PYTHON)",
        tried.join(", ")
    );
    common::need(found.cloned(), &what)
}

/// Runs a Python script with arguments; returns its standard output, panicking with its errors.
fn python(python: &Path, script: &str, args: &[&Path]) -> String {
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn build(root: &Path, out: &Path) {
    let r = run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--base-url",
        "https://courses.example.edu/mlsys/",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

/// Every VEVENT: its UID, DTSTART as UTC ISO text (or a date), and SUMMARY, one per line.
const READ_ICS: &str = r#"
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
assert cal.get('VERSION') == '2.0', 'VERSION'
assert cal.get('PRODID'), 'PRODID'
n = 0
for ev in cal.walk('VEVENT'):
    n += 1
    for key in ('UID', 'DTSTAMP', 'DTSTART', 'SUMMARY'):
        assert ev.get(key) is not None, f'{key} missing in {ev}'
    start = ev.decoded('DTSTART')
    if isinstance(start, datetime.datetime):
        assert start.tzinfo is not None, 'floating time'
        start = start.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ')
    else:
        start = start.isoformat()
    print(ev.get('UID'), start, str(ev.get('SUMMARY')).replace('\n', ' '), sep='\t')
assert n > 0, 'no events'
"#;

fn events(py: &Path, ics: &Path) -> Vec<(String, String, String)> {
    python(py, READ_ICS, &[ics])
        .lines()
        .map(|l| {
            let mut f = l.splitn(3, '\t').map(str::to_string);
            (
                f.next().unwrap_or_default(),
                f.next().unwrap_or_default(),
                f.next().unwrap_or_default(),
            )
        })
        .collect()
}

/// The bundled course's feed parses, has the term's real times (EST before the DST change of
/// 2026-03-08, EDT after), and keeps every UID when a rebuild changes a topic's title.
#[test]
fn calendar_ics_reads_back_with_stable_uids() {
    let Some(py) = python_with("icalendar") else {
        return;
    };
    let tmp = TempDir::new("ics");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&common::repo(), &a);
    let first = events(&py, &a.join("spring-2026/calendar.ics"));

    // Session 1 is Monday 2026-01-26 at 11:00 New York time (EST, UTC-5).
    assert!(
        first.iter().any(
            |(_, start, summary)| start == "2026-01-26T16:00Z" && summary.contains("Session 1")
        ),
        "session 1 at 16:00 UTC: {first:#?}"
    );
    // After the change to EDT (UTC-4) a Monday 11:00 lecture starts at 15:00 UTC.
    assert!(
        first
            .iter()
            .any(|(_, start, _)| start == "2026-03-09T15:00Z"),
        "a session on 2026-03-09 at 15:00 UTC"
    );
    // The legislative day follows a Monday schedule: a lecture on Wednesday 2026-02-18.
    assert!(
        first
            .iter()
            .any(|(_, start, _)| start == "2026-02-18T16:00Z")
    );
    // No class on Presidents' Day, which is an all-day event instead.
    assert!(
        !first
            .iter()
            .any(|(_, start, _)| start == "2026-02-16T16:00Z")
    );
    assert!(
        first
            .iter()
            .any(|(_, start, summary)| start == "2026-02-16" && summary.contains("Presidents"))
    );
    // Every lab due time is there.
    let dues = first
        .iter()
        .filter(|(_, _, s)| s.contains(": Lab ") && s.ends_with(" due"))
        .count();
    assert_eq!(dues, 9, "every lab's due time: {first:#?}");
    let mut uids: Vec<&String> = first.iter().map(|(u, _, _)| u).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), first.len(), "every UID is unique");

    // Another build, after an instructor renames a topic: the same events, updated in place.
    let course = tmp.path().join("course");
    for part in ["course.yaml", "terms", "content"] {
        let from = common::repo().join(part);
        if from.is_dir() {
            copy_tree(&from, &course.join(part));
        } else {
            std::fs::create_dir_all(&course).expect("mkdir");
            std::fs::copy(&from, course.join(part)).expect("copy");
        }
    }
    let topic = course.join("content/topics/07-model-serving.md");
    let text = std::fs::read_to_string(&topic).expect("read topic");
    let renamed = text.replacen("title:", "title: Renamed —", 1);
    assert_ne!(text, renamed);
    std::fs::write(&topic, renamed).expect("write topic");
    build(&course, &b);
    let second = events(&py, &b.join("spring-2026/calendar.ics"));
    let uids_of = |v: &[(String, String, String)]| {
        let mut u: Vec<String> = v.iter().map(|(u, _, _)| u.clone()).collect();
        u.sort();
        u
    };
    assert_eq!(uids_of(&first), uids_of(&second));
    assert!(second.iter().any(|(_, _, s)| s.contains("Renamed")));
}

const VALIDATE_NOTEBOOKS: &str = r#"
import sys, nbformat
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == 'code']
    assert code, f'{path}: no code cells'
    assert nb.metadata.kernelspec.name in ('python3', 'bash'), path
    print(path, len(nb.cells), len(code))
"#;

/// Every notebook the bundled course publishes is valid nbformat 4 with code cells.
#[test]
fn notebooks_validate_with_nbformat() {
    let Some(py) = python_with("nbformat") else {
        return;
    };
    let tmp = TempDir::new("nb");
    let out = tmp.path().join("public");
    build(&common::repo(), &out);
    let notebooks: Vec<PathBuf> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    assert!(notebooks.len() >= 2, "the bundled course has notebook labs");
    let args: Vec<&Path> = notebooks.iter().map(|p| p.as_path()).collect();
    let report = python(&py, VALIDATE_NOTEBOOKS, &args);
    assert_eq!(report.lines().count(), notebooks.len(), "{report}");
}

/// `semester calendar --format json` has SPEC section 8's shape and the bundled term's dates.
#[test]
fn calendar_json_has_the_spec_shape() {
    let r = run(&[
        "calendar",
        "--root",
        &common::repo().to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).expect("json");
    assert_eq!(v["term"], "spring-2026");
    assert_eq!(v["timezone"], "America/New_York");
    let weeks = v["weeks"].as_array().expect("weeks");
    assert_eq!(weeks[0]["number"], 1);
    assert_eq!(weeks[0]["monday"], "2026-01-19");
    let recess = weeks
        .iter()
        .find(|w| w["monday"] == "2026-03-16")
        .expect("recess week");
    assert!(recess["number"].is_null());
    assert_eq!(recess["break"], "Spring recess");
    let numbers: Vec<u64> = weeks.iter().filter_map(|w| w["number"].as_u64()).collect();
    assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    let sessions = v["sessions"].as_array().expect("sessions");
    assert_eq!(sessions[0]["date"], "2026-01-26");
    assert_eq!(sessions[0]["start"], "11:00");
    assert_eq!(sessions[0]["topics"][0], "01-mlops-principles");
    assert!(sessions.iter().any(|s| s["date"] == "2026-02-18"));
    assert!(!sessions.iter().any(|s| s["date"] == "2026-02-16"));
    for lab in v["labs"].as_array().expect("labs") {
        let due = lab["due"].as_str().expect("due");
        assert!(due.ends_with("T23:59:00-05:00") || due.ends_with("T23:59:00-04:00"));
    }
    assert_eq!(v["events"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["holidays"].as_array().map(Vec::len), Some(2));
}

/// The table an instructor reads: aligned, every dated item, the break week named, the swap
/// day with whose schedule it follows, and the finals period.
#[test]
fn calendar_table_names_the_break() {
    let r = run(&["calendar", "--root", &common::repo().to_string_lossy()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let table = String::from_utf8_lossy(&r.stdout);
    assert!(
        table.contains("\nBreak: Spring recess  Mon, Mar 16"),
        "{table}"
    );
    assert!(
        table.contains("Mon, Jan 26  11:00 AM–1:30 PM  Class     MLOps principles (Lecture · Session 1) @ 370 Jay Street, Room 202"),
        "{table}"
    );
    assert!(
        table.contains(
            "Wed, Feb 18                    Schedule  Legislative day (Monday schedule)\n"
        ),
        "{table}"
    );
    // The finals period is in the table, through its last item.
    assert!(
        table.contains("\nFinals period         Mon, May 18  11:00 AM          Event     Final project presentations\n"),
        "{table}"
    );
}

/// Every VEVENT as JSON: UID → its start, end, revision fields and summary.
const READ_REVISIONS: &str = r#"
import sys, json, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
def text(v):
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ')
    return v.isoformat() if v is not None else None
out = {}
for ev in cal.walk('VEVENT'):
    uid = str(ev.get('UID'))
    assert uid not in out, f'duplicate UID {uid}'
    out[uid] = {
        'start': text(ev.decoded('DTSTART')),
        'end': text(ev.decoded('DTEND')) if ev.get('DTEND') is not None else None,
        'sequence': int(ev.get('SEQUENCE')),
        'modified': text(ev.decoded('LAST-MODIFIED')),
        'stamp': text(ev.decoded('DTSTAMP')),
        'summary': str(ev.get('SUMMARY')),
    }
print(json.dumps(out))
"#;

type Feed = std::collections::BTreeMap<String, serde_json::Value>;

/// Builds `root` for `as_of` into `out` and reads its feed back with icalendar.
fn feed(py: &Path, root: &Path, out: &Path, as_of: &str) -> Feed {
    let r = run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--base-url",
        "https://courses.example.edu/mlsys/",
        "--as-of",
        as_of,
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let ics = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "calendar.ics")
        .expect("a calendar.ics");
    serde_json::from_str(&python(py, READ_REVISIONS, &[ics.path()])).expect("json")
}

/// Replaces `from` by `to` in the file `rel` of `root` (which must hold it).
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).expect("write");
}

/// Renaming every title, name and holiday and the course title (and dropping the course code,
/// so the title is all there is) keeps every UID: subscribers see the same events renamed.
#[test]
fn renaming_everything_keeps_every_uid() {
    let Some(py) = python_with("icalendar") else {
        return;
    };
    let tmp = TempDir::new("ics-rename");
    let course = tmp.path().join("course");
    for part in ["course.yaml", "terms", "content"] {
        let from = common::repo().join(part);
        if from.is_dir() {
            copy_tree(&from, &course.join(part));
        } else {
            std::fs::create_dir_all(&course).expect("mkdir");
            std::fs::copy(&from, course.join(part)).expect("copy");
        }
    }
    edit(&course, "course.yaml", "code: ECE-GY 9183\n", "");
    let before = feed(&py, &course, &tmp.path().join("a"), "2026-02-01");
    edit(
        &course,
        "course.yaml",
        "title: Machine Learning",
        "title: Renamed Machine Learning",
    );
    let term = "terms/spring-2026.yaml";
    for (from, to) in [
        ("name: Lecture", "name: Class meeting"),
        ("name: Presidents' Day", "name: Washington's Birthday"),
        ("name: Spring recess", "name: Spring break"),
        ("name: Legislative day", "name: Conversion day"),
        ("title: Project proposal due", "title: Proposal deadline"),
        ("title: Project design review", "title: Design review"),
        ("title: Final project presentations", "title: Final demos"),
    ] {
        edit(&course, term, from, to);
    }
    for dir in ["content/topics", "content/labs"] {
        for entry in std::fs::read_dir(course.join(dir)).expect("read dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read page");
            let renamed: Vec<String> = text
                .lines()
                .map(|l| match l.strip_prefix("title: ") {
                    Some(t) => format!("title: \"Renamed {}\"", t.trim_matches('"')),
                    None => l.to_string(),
                })
                .collect();
            std::fs::write(&path, renamed.join("\n") + "\n").expect("write");
        }
    }
    let after = feed(&py, &course, &tmp.path().join("b"), "2026-02-01");
    assert_eq!(before.len(), after.len());
    for (uid, was) in &before {
        let now = after
            .get(uid)
            .unwrap_or_else(|| panic!("UID of {} lost", was["summary"]));
        assert_eq!(was["start"], now["start"], "{uid}");
        assert_ne!(was["summary"], now["summary"], "{uid} was renamed");
    }
}

/// shared/cases/ics-update: v2 moves an event and a lab's due time, built a day later. Every
/// UID stays, the moved items have their new times, and every event's revision is later:
/// SEQUENCE grows, LAST-MODIFIED and DTSTAMP move to the new build date.
#[test]
fn moving_a_deadline_keeps_its_uid_and_raises_its_revision() {
    let Some(py) = python_with("icalendar") else {
        return;
    };
    let tmp = TempDir::new("ics-move");
    let course = tmp.path().join("course");
    copy_tree(&common::repo().join("tests/fixtures/ics-update"), &course);
    let before = feed(&py, &course, &tmp.path().join("a"), "2027-01-10");
    // The same course and day again: the same bytes, so the same revision.
    assert_eq!(
        before,
        feed(&py, &course, &tmp.path().join("a2"), "2027-01-10")
    );
    edit(
        &course,
        "terms/spring-2027.yaml",
        "date: 2027-03-08",
        "date: 2027-03-10",
    );
    edit(
        &course,
        "content/labs/01-lab.md",
        "due: 2027-02-01 23:59",
        "due: 2027-02-03 17:00",
    );
    let after = feed(&py, &course, &tmp.path().join("b"), "2027-01-11");
    let keys = |f: &Feed| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&before), keys(&after));
    let find = |f: &Feed, summary: &str| -> (String, serde_json::Value) {
        let (u, v) = f
            .iter()
            .find(|(_, v)| v["summary"] == summary)
            .unwrap_or_else(|| panic!("no {summary}"));
        (u.clone(), v.clone())
    };
    let (u1, proposal) = find(&before, "BUG 101: Project proposal due");
    let (u2, moved) = find(&after, "BUG 101: Project proposal due");
    assert_eq!(u1, u2);
    assert_eq!(proposal["start"], "2027-03-09T04:59Z");
    assert_eq!(moved["start"], "2027-03-11T04:59Z");
    let (u1, _) = find(&before, "BUG 101: Lab 1 due");
    let (u2, due) = find(&after, "BUG 101: Lab 1 due");
    assert_eq!(u1, u2);
    assert_eq!(due["start"], "2027-02-03T22:00Z");
    for (uid, was) in &before {
        let now = &after[uid];
        assert_eq!(was["stamp"], "2027-01-10T00:00Z");
        assert_eq!(was["modified"], "2027-01-10T00:00Z");
        assert_eq!(now["stamp"], "2027-01-11T00:00Z");
        assert_eq!(now["modified"], "2027-01-11T00:00Z");
        assert_eq!(
            was["sequence"], 29_992_320,
            "minutes from 1970 to 2027-01-10"
        );
        assert_eq!(now["sequence"], 29_993_760);
    }
}

/// The Atom feed of announcements (the just-the-class site imported) reads back in Python's
/// feedparser without a complaint (RFC 4287: ids, updated, author, links), newest first, with
/// what the build date publishes: on 2025-01-28 the announcement of 2025-02-12 is not in it.
#[test]
fn atom_feed_reads_back_in_feedparser() {
    let Some(py) = python_with("feedparser") else {
        return;
    };
    let tmp = TempDir::new("atom");
    let course = tmp.path().join("course");
    let src = common::repo().join("tests/fixtures/jekyll/just-the-class");
    let options = semester::import::ImportOptions {
        force: false,
        today: jiff::civil::date(2026, 11, 30),
    };
    semester::import::jekyll(&src, &course, options).expect("imports");
    let script = r#"
import sys, feedparser
f = feedparser.parse(open(sys.argv[1], 'rb').read())
print(f.bozo, f.version, f.feed.title, f.feed.author, f.feed.id.startswith('urn:uuid:'))
for e in f.entries:
    print(e.title, '|', e.link, '|', e.published, '|', e.id.startswith('urn:uuid:'), '|', e.summary[:40])
"#;
    let read = |as_of: jiff::civil::Date| {
        let out = tmp.path().join(format!("out-{as_of}"));
        let build = semester::BuildOptions {
            as_of,
            ..common::options()
        };
        semester::build(&course, &out, &build).expect("builds");
        python(&py, script, &[&out.join("spring-2025/announcements.xml")])
    };
    let site = "https://rquintero.github.io/cs2420/spring-2025/announcements";
    assert_eq!(
        read(jiff::civil::date(2025, 1, 28)),
        format!(
            "False atom10 CS 2420 Data Structures: announcements, Spring 2025 Rosa Quintero True\n\
             Office hours moved | {site}/week-2/ | 2025-01-27T00:00:00-07:00 | True | <p>Li's office hours are now on Thursday\n\
             Welcome to CS 2420 | {site}/week-1/ | 2025-01-20T00:00:00-07:00 | True | <p class=\"fs-5\">Welcome! The <a href=\"ht\n"
        )
    );
    let later = read(jiff::civil::date(2025, 3, 1));
    assert_eq!(
        later.lines().nth(1).map(|l| l.split(" | ").next()),
        Some(Some("Exam room"))
    );
    assert_eq!(later.lines().count(), 4);
}
