//! Days and weeks: the term's weeks, its class days and declared sessions, local times.

use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Occurrence, Session, Week};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::term::{Holiday, Term, Weekday};

/// The holiday that `date` falls in, if any.
pub fn holiday_on(term: &Term, date: Date) -> Option<&Holiday> {
    term.holidays
        .iter()
        .find(|h| h.from <= date && date <= h.to)
}

/// `date` plus `n` days, or `None` past the end of the calendar.
pub(super) fn plus_days(date: Date, n: i64) -> Option<Date> {
    let span = jiff::Span::new().try_days(n).ok()?;
    date.checked_add(span).ok()
}

/// The Monday of the week holding `date`.
pub(super) fn monday_of(date: Date) -> Option<Date> {
    plus_days(date, -i64::from(Weekday::of(date).index()))
}

/// Every date from `from` to `to`, both included.
pub(super) fn days(from: Date, to: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(from), |d| d.tomorrow().ok()).take_while(move |d| *d <= to)
}

/// The week holding `date`.
pub(super) fn week_of(weeks: &[Week], date: Date) -> Option<&Week> {
    let monday = monday_of(date)?;
    weeks.iter().find(|w| w.monday == monday)
}

/// The teaching week numbered `n`.
pub(super) fn numbered_week(weeks: &[Week], n: i64) -> Option<&Week> {
    weeks.iter().find(|w| w.number.map(i64::from) == Some(n))
}

/// Weeks from the one holding `start` to the one holding `end`, breaks unnumbered.
pub(super) fn weeks_of(term: &Term) -> Vec<Week> {
    let mut out: Vec<Week> = Vec::new();
    let mut number = 0;
    let mut monday = monday_of(term.start);
    while let Some(m) = monday.filter(|m| *m <= term.end) {
        let break_name = if out.is_empty() {
            None
        } else {
            break_name(term, m)
        };
        let n = break_name.is_none().then(|| {
            number += 1;
            number
        });
        out.push(Week {
            number: n,
            monday: m,
            break_name,
        });
        monday = plus_days(m, 7);
    }
    out
}

/// The break's name when every Monday-to-Friday date of the week inside the term is a holiday.
pub(super) fn break_name(term: &Term, monday: Date) -> Option<String> {
    let friday = plus_days(monday, 4)?;
    let mut names: Vec<&str> = Vec::new();
    for d in days(monday, friday).filter(|d| term.start <= *d && *d <= term.end) {
        let h = holiday_on(term, d)?;
        if !names.contains(&h.name.as_str()) {
            names.push(&h.name);
        }
    }
    (!names.is_empty()).then(|| names.join(" / "))
}

/// Sessions of the first meeting and occurrences of the others, in date order.
pub(super) fn class_days(term: &Term) -> (Vec<Session>, Vec<Occurrence>) {
    let (mut sessions, mut occurrences) = (Vec::new(), Vec::new());
    for date in days(term.start, term.end) {
        if holiday_on(term, date).is_some() {
            continue;
        }
        let swap = term.swaps.iter().find(|s| s.date == date);
        let weekday = swap.map_or(Weekday::of(date), |s| s.follows);
        for (i, m) in term.meetings.iter().enumerate() {
            if !m.days.contains(&weekday) {
                continue;
            }
            if i > 0 {
                occurrences.push(Occurrence { meeting: i, date });
                continue;
            }
            sessions.push(Session {
                number: sessions.len() as u32 + 1,
                date,
                start: m.start,
                end: m.end,
                week: None,
                topics: Vec::new(),
                swapped_from: swap.map(|s| s.follows),
                note: None,
            });
        }
    }
    (sessions, occurrences)
}

/// Marks the sessions the term's `sessions:` entries declare; an entry past the last session,
/// or one that overlaps an earlier entry, is an error at its line.
pub(super) fn declare_sessions(term: &Term, sessions: &mut [Session], diags: &mut Diagnostics) {
    let n = sessions.len() as u32;
    for (i, note) in term.notes.iter().enumerate() {
        let err = |msg: String, hint: &str| {
            Diagnostic::error(&term.path, note.line, note.col, msg).with_hint(hint.to_string())
        };
        if note.last > n {
            diags.push(err(
                format!(
                    "there is no session {}: the term has {n} sessions",
                    note.last
                ),
                "check the session numbers with `semester calendar`",
            ));
            continue;
        }
        let range = (note.first - 1) as usize..note.last as usize;
        if let Some(s) = sessions[range.clone()].iter().find(|s| s.note.is_some()) {
            diags.push(err(
                format!("session {} is declared twice in `sessions:`", s.number),
                "keep one entry for each session",
            ));
            continue;
        }
        for s in &mut sessions[range] {
            s.note = Some(i);
        }
    }
}

/// Whether topics skip session `s` (declared, and not `kind: open`).
pub(super) fn reserved(term: &Term, s: &Session) -> bool {
    s.note
        .and_then(|i| term.notes.get(i))
        .is_some_and(|n| n.kind != crate::load::term_plan::NoteKind::Open)
}

/// The first Monday-to-Friday date of `week` inside the term that is no holiday.
pub(super) fn first_instructional_day(term: &Term, week: &Week) -> Option<Date> {
    let friday = plus_days(week.monday, 4)?;
    days(week.monday, friday)
        .find(|d| term.start <= *d && *d <= term.end && holiday_on(term, *d).is_none())
}

pub(super) fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A local date and time in `tz`: a time in a spring-forward gap moves forward past the gap,
/// a time that happens twice at fall-back is the first of the two.
pub fn local_time(tz: &TimeZone, date: Date, minutes: u16) -> Option<ZonedDateTime> {
    let time = jiff::civil::Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()?;
    tz.to_zoned_datetime(date.to_datetime(time)).ok()
}
