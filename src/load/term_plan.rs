//! The parts of a term file that say what a session, a meeting or an event *is*, beyond its
//! date: sessions declared without a topic (review, exam, not planned yet), office hours as
//! meetings, an event's end time, and the stable identities the .ics is built on.
//!
//! Rules decided here (docs/format.md, "Term files"):
//!
//! - `sessions:` entries name one session (`session: 8`) or a run (`from: 3, to: 12`) and give
//!   it a `title`. Their `kind` is `review`, `exam`, `project` or `none` (the default): topics
//!   skip such a session. `kind: open` marks sessions not planned yet: topics still fill them
//!   in order, and one left without a topic shows the title instead of a warning.
//! - A meeting's `kind` is `class` (the default) or `office-hours`; office hours take a
//!   `person` and a `link` and cannot be the first meeting (the first carries the topics).
//! - An item's identity in the .ics is its written `id`, else its place in its list
//!   (`event-3`, `meeting-2`): a title, a name or a date can change and the feed still updates
//!   the same item.

use std::path::Path;

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::term_file::{EventFile, MeetingFile, SessionNoteFile, TermFile, parse_time};
use crate::load::yaml::{self, Seg};

/// What a declared session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    /// A review session.
    Review,
    /// An exam.
    Exam,
    /// Project work or presentations.
    Project,
    /// Any other session without a topic.
    None,
    /// Not planned yet: topics may still take it.
    Open,
}

impl NoteKind {
    /// The names accepted in term files.
    pub const NAMES: &'static [&'static str] = &["review", "exam", "project", "none", "open"];

    fn parse(s: &str) -> Option<NoteKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "review" => NoteKind::Review,
            "exam" => NoteKind::Exam,
            "project" => NoteKind::Project,
            "none" | "" => NoteKind::None,
            "open" => NoteKind::Open,
            _ => return None,
        })
    }

    /// The name as written (`review` … `open`).
    pub fn name(self) -> &'static str {
        match self {
            NoteKind::Review => "review",
            NoteKind::Exam => "exam",
            NoteKind::Project => "project",
            NoteKind::None => "none",
            NoteKind::Open => "open",
        }
    }
}

/// A checked `sessions:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionNote {
    /// First session number (1-based).
    pub first: u32,
    /// Last session number, inclusive.
    pub last: u32,
    /// What happens.
    pub title: String,
    /// What kind of session.
    pub kind: NoteKind,
    /// Line of the entry in the term file.
    pub line: usize,
    /// Column of the entry.
    pub col: usize,
}

fn error(out: &mut Diagnostics, shown: &Path, source: &str, segs: &[Seg], msg: String, hint: &str) {
    let (l, c) = yaml::locate(source, segs);
    out.push(Diagnostic::error(shown, l, c, msg).with_hint(hint.to_string()));
}

/// The identity of the `i`-th item of a list: its written `id`, else `<what>-<i+1>`.
pub fn identity(what: &str, i: usize, written: Option<&str>) -> String {
    match written.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => format!("{what}-{}", i + 1),
    }
}

/// What a meeting adds to its times: office hours or not, and its identity.
pub struct MeetingExtras {
    /// `kind: office-hours`.
    pub office_hours: bool,
    /// Its identity.
    pub id: String,
}

/// Checks a meeting's `kind`, `link` and `id`.
pub fn meeting_extras(
    i: usize,
    m: &MeetingFile,
    source: &str,
    shown: &Path,
    out: &mut Diagnostics,
) -> MeetingExtras {
    let at = |k: &'static str| [Seg::Key("meetings"), Seg::Index(i), Seg::Key(k)];
    let kinds = ["class", "office-hours"];
    let kind = m.kind.as_deref().map(|k| k.trim().to_ascii_lowercase());
    let office_hours = match kind.as_deref() {
        None | Some("class") => false,
        Some("office-hours" | "office_hours" | "office hours") => true,
        Some(other) => {
            let msg = format!("`{other}` is not a kind of meeting");
            error(
                out,
                shown,
                source,
                &at("kind"),
                msg,
                &did_you_mean(other, &kinds),
            );
            false
        }
    };
    if office_hours && i == 0 {
        let msg = format!("the first meeting, `{}`, is office hours", m.name);
        let hint = "the first meeting carries the topics: list the class first, office hours after";
        error(out, shown, source, &at("kind"), msg, hint);
    }
    let link = m.link.trim();
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
        let msg = format!("`{link}` is not a web address");
        let hint = "write the full address, starting with https://";
        error(out, shown, source, &at("link"), msg, hint);
    }
    if !office_hours && !m.person.trim().is_empty() {
        let msg = format!(
            "meeting `{}` has a `person` but is not office hours",
            m.name
        );
        let hint = "add `kind: office-hours`, or remove `person:`";
        error(out, shown, source, &at("person"), msg, hint);
    }
    MeetingExtras {
        office_hours,
        id: identity("meeting", i, m.id.as_deref()),
    }
}

/// Checks an event's `end`: a time after `time`, which it needs.
pub fn event_end(
    i: usize,
    ev: &EventFile,
    time: Option<u16>,
    source: &str,
    shown: &Path,
    out: &mut Diagnostics,
) -> Option<u16> {
    let written = ev.end.as_deref()?;
    let at = [Seg::Key("events"), Seg::Index(i), Seg::Key("end")];
    let Some(end) = parse_time(written) else {
        let msg = format!("`{written}` is not a time of day");
        error(
            out,
            shown,
            source,
            &at,
            msg,
            "write 24-hour time in quotes, e.g. \"12:30\"",
        );
        return None;
    };
    match time {
        None if ev.time.is_none() => {
            let msg = format!("event `{}` has an `end` but no `time`", ev.title);
            error(
                out,
                shown,
                source,
                &at,
                msg,
                "add `time:` with when it starts",
            );
            None
        }
        Some(t) if end <= t => {
            let msg = format!(
                "event `{}` ends at {written} but starts at {}",
                ev.title,
                ev.time.as_deref().unwrap_or("")
            );
            error(
                out,
                shown,
                source,
                &at,
                msg,
                "an event's end must be after its start on the same day",
            );
            None
        }
        _ => Some(end),
    }
}

/// Two meetings or two events with the same written `id` would be one item in calendars.
pub fn check_ids(file: &TermFile, source: &str, shown: &Path, out: &mut Diagnostics) {
    let lists: [(&'static str, Vec<Option<&str>>); 2] = [
        (
            "meetings",
            file.meetings.iter().map(|m| m.id.as_deref()).collect(),
        ),
        (
            "events",
            file.events.iter().map(|e| e.id.as_deref()).collect(),
        ),
    ];
    for (list, ids) in lists {
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id.map(str::trim) else {
                continue;
            };
            let at = [Seg::Key(list), Seg::Index(i), Seg::Key("id")];
            if id.is_empty() {
                error(
                    out,
                    shown,
                    source,
                    &at,
                    "an empty `id`".into(),
                    "remove `id:`, or give a short name",
                );
            } else if ids[..i].iter().any(|o| o.map(str::trim) == Some(id)) {
                let msg = format!("`id: {id}` is used twice in {list}");
                error(
                    out,
                    shown,
                    source,
                    &at,
                    msg,
                    "each id names one item: make this one different",
                );
            }
        }
    }
}

/// The sessions a `sessions:` entry declares: (first, last, the key that gave them), or an
/// error when it gives neither `session` nor `from` and `to`.
fn note_range(
    n: &SessionNoteFile,
    (source, shown, item): (&str, &Path, &[Seg]),
    out: &mut Diagnostics,
) -> Option<(i64, i64, &'static str)> {
    match (n.session, n.from, n.to) {
        (Some(k), None, None) => Some((k, k, "session")),
        (None, Some(a), Some(b)) => Some((a, b, "from")),
        _ => {
            let msg = format!("`{}` needs either `session`, or `from` and `to`", n.title);
            let hint = "write { session: 8, title: Midterm exam } or { from: 3, to: 12, title: … }";
            error(out, shown, source, item, msg, hint);
            None
        }
    }
}

/// Sessions `a` to `b` are numbered from 1 and in order.
fn check_numbers(a: i64, b: i64) -> Result<(), String> {
    if a < 1 {
        return Err(format!(
            "there is no session {a}: sessions are numbered from 1"
        ));
    }
    if b < a || b > i64::from(u32::MAX) {
        return Err(format!("sessions {a} to {b}: `to` comes before `from`"));
    }
    Ok(())
}

/// Checks the `sessions:` entries (numbers are checked against the calendar later).
pub fn session_notes(
    written: &[SessionNoteFile],
    source: &str,
    shown: &Path,
    out: &mut Diagnostics,
) -> Vec<SessionNote> {
    let mut notes = Vec::new();
    for (i, n) in written.iter().enumerate() {
        let item = [Seg::Key("sessions"), Seg::Index(i)];
        let at = |k: &'static str| [Seg::Key("sessions"), Seg::Index(i), Seg::Key(k)];
        let range = note_range(n, (source, shown, &item), out);
        let kind = NoteKind::parse(n.kind.as_deref().unwrap_or(""));
        if kind.is_none() {
            let k = n.kind.as_deref().unwrap_or("");
            let msg = format!("`{k}` is not a kind of session");
            error(
                out,
                shown,
                source,
                &at("kind"),
                msg,
                &did_you_mean(k, NoteKind::NAMES),
            );
        }
        if n.title.trim().is_empty() {
            let msg = "a session without a title".to_string();
            error(
                out,
                shown,
                source,
                &at("title"),
                msg,
                "say what happens, e.g. title: Midterm exam",
            );
        }
        let Some((a, b, key)) = range else { continue };
        if let Err(msg) = check_numbers(a, b) {
            let hint = "check the session numbers with `semester calendar`";
            error(out, shown, source, &at(key), msg, hint);
            continue;
        }
        if let Some(kind) = kind {
            let (line, col) = yaml::locate(source, &item);
            notes.push(SessionNote {
                first: a as u32,
                last: b as u32,
                title: n.title.trim().to_string(),
                kind,
                line,
                col,
            });
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use crate::base::diagnostics::Diagnostics;
    use crate::load::config::DueRule;
    use crate::schedule::calendar::tests::{SPRING, labs, ny, page, run_in, term};

    /// Every mistake in the new keys, as `line:col message` (the term is SPRING plus `extra`).
    fn errors(extra: &str) -> Vec<String> {
        let mut d = Diagnostics::new();
        let src = format!("{SPRING}{extra}");
        let t =
            crate::load::term::parse_term("t", std::path::Path::new("terms/t.yaml"), &src, &mut d);
        let mut out: Vec<String> = d
            .sorted()
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        if let Some(t) = t {
            let (_, errs) = run_in(&t, &ny(), DueRule::default(), &[], &[]);
            out.extend(errs);
        }
        out
    }

    /// Each mistake in `sessions:`, office hours, event ends and ids is named at its line.
    #[test]
    fn mistakes_are_reported_where_they_are() {
        let cases: &[(&str, &str)] = &[
            (
                "sessions:\n  - { session: 0, title: X }\n",
                "19:7 there is no session 0: sessions are numbered from 1",
            ),
            (
                "sessions:\n  - { from: 5, to: 3, title: X }\n",
                "19:7 sessions 5 to 3: `to` comes before `from`",
            ),
            (
                "sessions:\n  - { title: X }\n",
                "19:3 `X` needs either `session`, or `from` and `to`",
            ),
            (
                "sessions:\n  - { session: 3, title: X, kind: exma }\n",
                "19:29 `exma` is not a kind of session",
            ),
            (
                "sessions:\n  - { session: 16, title: X }\n",
                "terms/t.yaml:19:3 there is no session 16: the term has 15 sessions",
            ),
            (
                "sessions:\n  - { session: 3, title: X }\n  - { from: 2, to: 4, title: Y }\n",
                "terms/t.yaml:20:3 session 3 is declared twice in `sessions:`",
            ),
        ];
        for (extra, want) in cases {
            let got = errors(extra);
            assert_eq!(got.len(), 1, "{extra}: {got:?}");
            assert!(
                got[0].ends_with(want),
                "{extra}: {got:?} should end with {want}"
            );
        }
        let bad_meetings = SPRING.replace(
            "    location: 370 Jay Street, Room 202\n",
            "    location: 370 Jay Street, Room 202\n  - { name: OH, kind: office hour, days: [tue], start: \"10:00\", end: \"11:00\", link: zoom.us/j/1 }\n",
        );
        let mut d = Diagnostics::new();
        crate::load::term::parse_term("t", std::path::Path::new("t.yaml"), &bad_meetings, &mut d);
        let msgs: Vec<String> = d.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            msgs,
            [
                "`office hour` is not a kind of meeting",
                "`zoom.us/j/1` is not a web address"
            ]
        );
        let first_oh = SPRING.replace(
            "  - name: Lecture\n",
            "  - name: Lecture\n    kind: office-hours\n",
        );
        let mut d = Diagnostics::new();
        crate::load::term::parse_term("t", std::path::Path::new("t.yaml"), &first_oh, &mut d);
        assert_eq!(
            d.sorted()[0].message,
            "the first meeting, `Lecture`, is office hours"
        );
        let ev = |e: &str| {
            let src = SPRING.replace(
                "  - { date: 2026-05-18, title: Final presentations, kind: project }\n",
                e,
            );
            let mut d = Diagnostics::new();
            crate::load::term::parse_term("t", std::path::Path::new("t.yaml"), &src, &mut d);
            d.sorted()
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ev("  - { date: 2026-05-18, end: \"12:00\", title: Exam }\n"),
            ["event `Exam` has an `end` but no `time`"]
        );
        assert_eq!(
            ev("  - { date: 2026-05-18, time: \"12:00\", end: \"11:00\", title: Exam }\n"),
            ["event `Exam` ends at 11:00 but starts at 12:00"]
        );
        assert_eq!(
            ev(
                "  - { date: 2026-05-18, title: A, id: x }\n  - { date: 2026-05-19, title: B, id: x }\n"
            ),
            ["`id: x` is used twice in events"]
        );
        assert!(ev("  - { date: 2026-05-18, time: \"10:00\", end: \"12:00\", title: Exam, id: final }\n").is_empty());
    }

    /// Topics skip declared sessions but fill `kind: open` ones; a pin on a declared session is
    /// an error; declared sessions are not "sessions without a topic".
    #[test]
    fn declared_sessions_shape_placement_and_warnings() {
        let src = format!(
            "{SPRING}sessions:\n  - {{ session: 2, title: Review, kind: review }}\n  - {{ from: 4, to: 15, title: To be planned, kind: open }}\n"
        );
        let t = term(&src);
        let topics: Vec<_> = (1..=3)
            .map(|i| page("topics", &format!("0{i}-t"), ""))
            .collect();
        let (cal, errs) = run_in(&t, &ny(), DueRule::default(), &topics, &labs(&[]));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(cal.topic_sessions["01-t"], [1]);
        assert_eq!(cal.topic_sessions["02-t"], [3]);
        assert_eq!(cal.topic_sessions["03-t"], [4]);
        assert!(crate::schedule::calendar::warnings(&t, &cal).is_empty());
        let pinned = [page("topics", "01-t", "session: 2\n")];
        let (_, errs) = run_in(&t, &ny(), DueRule::default(), &pinned, &labs(&[]));
        assert_eq!(
            errs,
            [
                "content/topics/01-t.md:3:1 this topic is pinned to session 2, which terms/spring-2026.yaml declares as `Review`"
            ]
        );
        // Without the open run, sessions nobody planned still warn.
        let t = term(&format!(
            "{SPRING}sessions:\n  - {{ session: 2, title: Review }}\n"
        ));
        let (cal, _) = run_in(&t, &ny(), DueRule::default(), &topics, &labs(&[]));
        let w = crate::schedule::calendar::warnings(&t, &cal);
        assert_eq!(w[0].message, "sessions 5–15 have no topic");
    }
}
