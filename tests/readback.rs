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

/// The table an instructor reads: aligned, with the break week named.
#[test]
fn calendar_table_names_the_break() {
    let r = run(&["calendar", "--root", &common::repo().to_string_lossy()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let table = String::from_utf8_lossy(&r.stdout);
    assert!(table.contains("Spring recess"), "{table}");
    assert!(table.contains("#1 Mon Jan 26"), "{table}");
    assert!(table.contains("[Mon schedule]"), "{table}");
}
