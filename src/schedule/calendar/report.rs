//! What `semester check` adds about dates, and `semester calendar --format json`.

use jiff::ZonedDateTime;

use super::weeks::{hhmm, holiday_on, plus_days};
use super::{Calendar, DUE_GRACE_DAYS};
use crate::base::diagnostics::Diagnostic;
use crate::load::term::Term;

/// What `semester check` adds about dates: a lab due on a holiday, sessions without a topic
/// (when the course has topic pages at all), and events outside the term (events up to
/// [`DUE_GRACE_DAYS`] after `end`, the finals period, are expected and not reported).
pub fn warnings(term: &Term, cal: &Calendar) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lab in &cal.labs {
        let day = lab.due.date();
        if let Some(h) = holiday_on(term, day) {
            let msg = format!("lab `{}` is due on {day}, during `{}`", lab.slug, h.name);
            out.push(
                Diagnostic::warning(&lab.path, lab.line, lab.col, msg)
                    .with_hint("set `due:` to another day if students should not work then"),
            );
        }
    }
    let empty: Vec<u32> = cal
        .sessions
        .iter()
        .filter(|s| s.topics.is_empty() && s.note.is_none())
        .map(|s| s.number)
        .collect();
    if !empty.is_empty() && !cal.topic_sessions.is_empty() {
        let msg = match empty.as_slice() {
            [one] => format!("session {one} has no topic"),
            _ => format!("sessions {} have no topic", number_runs(&empty)),
        };
        out.push(Diagnostic::warning("content/topics", 0, 0, msg).with_hint(
            "add topic pages, give a topic `sessions: 2`, or declare review and exam days under `sessions:` in the term file",
        ));
    }
    let last = plus_days(term.end, DUE_GRACE_DAYS).unwrap_or(term.end);
    for e in &term.events {
        if e.date < term.start || e.date > last {
            let msg = format!(
                "event `{}` on {} lies outside the term ({} to {})",
                e.title, e.date, term.start, term.end
            );
            out.push(
                Diagnostic::warning(&term.path, e.line, 1, msg)
                    .with_hint("check its date, or remove it"),
            );
        }
    }
    out
}

/// "2, 5 and 13–15" for [2, 5, 13, 14, 15] (sorted input).
pub(super) fn number_runs(numbers: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &n in numbers {
        match runs.last_mut() {
            Some((_, b)) if *b + 1 == n => *b = n,
            _ => runs.push((n, n)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

/// RFC 3339 with the zone's offset: `2026-02-02T23:59:00-05:00`.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// `semester calendar --format json` (SPEC section 8). Events also carry `kind` when set, and
/// `end`, `location` and `id`; sessions carry `note`, a declared session's title, or null.
pub fn to_json(term: &Term, tz_name: &str, cal: &Calendar) -> serde_json::Value {
    use serde_json::{Value, json};
    let weeks: Vec<Value> = cal
        .weeks
        .iter()
        .map(|w| json!({"number": w.number, "monday": w.monday.to_string(), "break": w.break_name}))
        .collect();
    let sessions: Vec<Value> = cal
        .sessions
        .iter()
        .map(|s| {
            let note = s
                .note
                .and_then(|i| term.notes.get(i))
                .map(|n| n.title.clone());
            json!({"number": s.number, "date": s.date.to_string(), "start": hhmm(s.start),
                   "end": hhmm(s.end), "week": s.week, "topics": s.topics, "note": note})
        })
        .collect();
    let labs: Vec<Value> = cal
        .labs
        .iter()
        .map(|l| json!({"slug": l.slug, "release": l.release.to_string(), "due": rfc3339(&l.due)}))
        .collect();
    let events: Vec<Value> = term
        .events
        .iter()
        .map(|e| {
            let mut v =
                json!({"date": e.date.to_string(), "time": e.time.map(hhmm), "title": e.title});
            if !e.kind.is_empty() {
                v["kind"] = json!(e.kind);
            }
            v["end"] = json!(e.end.map(hhmm));
            v["location"] = json!(e.location);
            v["id"] = json!(e.id.strip_prefix("id:").unwrap_or(&e.id));
            v
        })
        .collect();
    let holidays: Vec<Value> = term
        .holidays
        .iter()
        .map(|h| json!({"from": h.from.to_string(), "to": h.to.to_string(), "name": h.name}))
        .collect();
    json!({"term": term.id, "timezone": tz_name, "weeks": weeks, "sessions": sessions,
           "labs": labs, "events": events, "holidays": holidays})
}
