//! The checks of a parsed term file, part by part (dates, meetings, holidays, swaps, events),
//! each mistake reported at its key.

use std::path::Path;

use jiff::civil::Date;

use super::{Event, Holiday, Meeting, Swap, Term, Weekday, parse_date};
use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::term_file::{EventFile, HolidayFile, MeetingFile, TermFile, parse_time};
use crate::load::yaml::{self, Seg};

/// [`parse_term`](super::parse_term), returning the term without its faulty holidays, swaps
/// and events when its dates and every meeting are right (see
/// [`load_term_lenient`](super::load_term_lenient)).
pub(super) fn parse_term_lenient(
    id: &str,
    shown: &Path,
    source: &str,
    diags: &mut Diagnostics,
) -> Option<Term> {
    if source.trim().is_empty() {
        diags.push(
            Diagnostic::error(shown, 1, 1, "the term file is empty")
                .with_hint("it needs name, start, end and meetings"),
        );
        return None;
    }
    let (file, spans): (TermFile, yaml::Spans) = match yaml::parse(shown, source, 1) {
        Ok(f) => f,
        Err(ds) => {
            ds.into_iter().for_each(|d| diags.push(d));
            return None;
        }
    };
    let mut check = Check {
        shown,
        source,
        spans: &spans,
        errs: Diagnostics::new(),
        more: Diagnostics::new(),
    };
    let range = check.range(&file);
    let meetings = check.meetings(&file);
    let holidays = check.holidays(&file, range);
    let swaps = check.swaps(&file, range, &holidays);
    let events = check.events(&file);
    if file.name.trim().is_empty() {
        let hint = "write e.g. name: Spring 2026";
        check.err(&[Seg::Key("name")], "the term has no name".into(), hint);
    }
    let Check { mut errs, more, .. } = check;
    errs.extend(more);
    crate::load::term_plan::check_ids(&file, source, shown, &mut errs);
    let notes = crate::load::term_plan::session_notes(&file.sessions, source, shown, &mut errs);
    diags.extend(errs);
    if meetings.len() != file.meetings.len() || meetings.is_empty() {
        return None;
    }
    let (start, end) = range?;
    Some(Term {
        id: id.to_string(),
        path: shown.to_path_buf(),
        name: file.name,
        start,
        end,
        meetings,
        holidays,
        swaps,
        events,
        notes,
    })
}

/// The term's first and last day, when both are dates and in order.
type Range = Option<(Date, Date)>;

const DATE_HINT: &str = "write dates as YYYY-MM-DD, e.g. 2026-01-20";

/// Checks a parsed term file part by part, each mistake reported at its key.
struct Check<'a> {
    shown: &'a Path,
    source: &'a str,
    spans: &'a yaml::Spans,
    /// Mistakes found here, in the order of the file's parts.
    errs: Diagnostics,
    /// Mistakes found by term_plan's helpers, reported after `errs`.
    more: Diagnostics,
}

impl Check<'_> {
    /// Reports `msg` at the value `segs` leads to.
    fn err(&mut self, segs: &[Seg], msg: String, hint: &str) {
        let (l, c) = self.spans.at(segs);
        let d = Diagnostic::error(self.shown, l, c, msg).with_hint(hint.to_string());
        self.errs.push(d);
    }

    /// The date `s` at `segs`, or an error there.
    fn date(&mut self, segs: &[Seg], s: &str) -> Option<Date> {
        parse_date(s).map_err(|m| self.err(segs, m, DATE_HINT)).ok()
    }

    /// `start` and `end`: both dates, in order, at most a year apart (a longer term is
    /// reported but kept).
    fn range(&mut self, file: &TermFile) -> Range {
        let start = self.date(&[Seg::Key("start")], &file.start);
        let end = self.date(&[Seg::Key("end")], &file.end);
        let (s, e) = start.zip(end)?;
        if e < s {
            self.err(
                &[Seg::Key("end")],
                format!("the term ends ({e}) before it starts ({s})"),
                "swap start and end, or fix the year",
            );
            // Without a valid range, checks against it would only repeat this error.
            return None;
        }
        if (e - s).get_days() > 400 || e.since(s).map_or(true, |span| span.get_years() > 1) {
            self.err(
                &[Seg::Key("end")],
                format!("the term runs from {s} to {e}, more than a year"),
                "check the year of start and end",
            );
        }
        Some((s, e))
    }

    /// Every meeting whose days and times are right.
    fn meetings(&mut self, file: &TermFile) -> Vec<Meeting> {
        if file.meetings.is_empty() {
            self.err(
                &[Seg::Key("name")],
                "the term has no meetings".into(),
                "add `meetings:` with at least one meeting (name, days, start, end)",
            );
        }
        let mut meetings = Vec::new();
        for (i, m) in file.meetings.iter().enumerate() {
            meetings.extend(self.meeting(i, m));
        }
        meetings
    }

    /// Meeting `i`, when its times are times of day (an end before the start is reported but
    /// kept, as are bad weekdays, left out).
    fn meeting(&mut self, i: usize, m: &MeetingFile) -> Option<Meeting> {
        let at = |k: &'static str| [Seg::Key("meetings"), Seg::Index(i), Seg::Key(k)];
        let mut days = self.meeting_days(&at("days"), m);
        let time_hint = "write 24-hour time in quotes, e.g. \"11:00\"";
        let t0 = parse_time(&m.start);
        let t1 = parse_time(&m.end);
        if t0.is_none() {
            let msg = format!("`{}` is not a time of day", m.start);
            self.err(&at("start"), msg, time_hint);
        }
        if t1.is_none() {
            let msg = format!("`{}` is not a time of day", m.end);
            self.err(&at("end"), msg, time_hint);
        }
        let (a, b) = t0.zip(t1)?;
        if b <= a {
            self.err(
                &at("end"),
                format!(
                    "meeting `{}` ends at {} but starts at {}",
                    m.name, m.end, m.start
                ),
                "a meeting's end must be after its start on the same day",
            );
        }
        days.sort();
        let extra =
            crate::load::term_plan::meeting_extras(i, m, self.source, self.shown, &mut self.more);
        Some(Meeting {
            name: m.name.clone(),
            days,
            start: a,
            end: b,
            location: m.location.clone(),
            office_hours: extra.office_hours,
            person: m.person.clone(),
            link: m.link.clone(),
            id: extra.id,
        })
    }

    /// A meeting's weekdays, each once; a missing, repeated or unknown one is reported at `at`.
    fn meeting_days(&mut self, at: &[Seg], m: &MeetingFile) -> Vec<Weekday> {
        let mut days = Vec::new();
        if m.days.is_empty() {
            self.err(
                at,
                format!("meeting `{}` has no days", m.name),
                "list its weekdays, e.g. days: [mon, wed]",
            );
        }
        for d in &m.days {
            match Weekday::parse(d) {
                Some(w) if !days.contains(&w) => days.push(w),
                Some(_) => self.err(
                    at,
                    format!("`{d}` is listed twice"),
                    "list each weekday once",
                ),
                None => {
                    let hint = did_you_mean(d, Weekday::NAMES);
                    self.err(at, format!("`{d}` is not a weekday"), &hint)
                }
            }
        }
        days
    }

    /// Every holiday whose dates are right and inside the term.
    fn holidays(&mut self, file: &TermFile, range: Range) -> Vec<Holiday> {
        let mut holidays = Vec::new();
        for (i, h) in file.holidays.iter().enumerate() {
            let item = [Seg::Key("holidays"), Seg::Index(i)];
            let days = self.holiday_days(i, h);
            if let (Some((f, t)), Some((s, e))) = (days, range)
                && (t < s || f > e)
            {
                self.err(
                    &item,
                    format!(
                        "holiday `{}` ({f}) lies outside the term ({s} to {e})",
                        h.name
                    ),
                    "remove it, or fix its date",
                );
                continue;
            }
            if let Some((from, to)) = days {
                let name = h.name.clone();
                holidays.push(Holiday { from, to, name });
            }
        }
        holidays
    }

    /// Holiday `i`'s first and last day: `date`, or `from` and `to` in order.
    fn holiday_days(&mut self, i: usize, h: &HolidayFile) -> Option<(Date, Date)> {
        let at = |k: &'static str| [Seg::Key("holidays"), Seg::Index(i), Seg::Key(k)];
        match (&h.date, &h.from, &h.to) {
            (Some(d), None, None) => self.date(&at("date"), d).map(|d| (d, d)),
            (None, Some(f), Some(t)) => {
                let (f, t) = (self.date(&at("from"), f), self.date(&at("to"), t));
                let (f, t) = f.zip(t)?;
                if t < f {
                    self.err(
                        &at("to"),
                        format!("holiday `{}` ends before it starts", h.name),
                        "`to` is the last day of the range, on or after `from`",
                    );
                    return None;
                }
                Some((f, t))
            }
            _ => {
                self.err(
                    &[Seg::Key("holidays"), Seg::Index(i)],
                    format!(
                        "holiday `{}` needs either `date`, or `from` and `to`",
                        h.name
                    ),
                    "write { date: 2026-02-16, name: … } or { from: 2026-03-16, to: 2026-03-22, name: … }",
                );
                None
            }
        }
    }

    /// Every swap day with a date and a weekday to follow; one on a holiday, outside the term or
    /// listed twice is reported (and kept).
    fn swaps(&mut self, file: &TermFile, range: Range, holidays: &[Holiday]) -> Vec<Swap> {
        let mut swaps = Vec::new();
        let on_holiday = match range {
            Some((s0, e0)) if !file.swaps.is_empty() => holiday_days(holidays, s0, e0),
            _ => Vec::new(),
        };
        let mut swap_days = std::collections::HashSet::new();
        for (i, s) in file.swaps.iter().enumerate() {
            let at = |k: &'static str| [Seg::Key("swaps"), Seg::Index(i), Seg::Key(k)];
            let d = self.date(&at("date"), &s.date);
            let follows = Weekday::parse(&s.follows);
            if follows.is_none() {
                let hint = did_you_mean(&s.follows, Weekday::NAMES);
                let msg = format!("`{}` is not a weekday", s.follows);
                self.err(&at("follows"), msg, &hint);
            }
            let Some(d) = d else { continue };
            let day = range.and_then(|(s0, _)| usize::try_from((d - s0).get_days()).ok());
            let holiday = day.and_then(|i| *on_holiday.get(i)?).map(|h| &holidays[h]);
            self.swap_day_conflicts(&at("date"), d, (holiday, range), swap_days.contains(&d));
            if let Some(follows) = follows {
                swap_days.insert(d);
                let name = s.name.clone();
                swaps.push(Swap {
                    date: d,
                    follows,
                    name,
                });
            }
        }
        swaps
    }

    /// Reports a swap day `d` that falls on `holiday`, outside the term, or is listed `twice`.
    fn swap_day_conflicts(
        &mut self,
        at: &[Seg],
        d: Date,
        (holiday, range): (Option<&Holiday>, Range),
        twice: bool,
    ) {
        if let Some(h) = holiday {
            self.err(
                at,
                format!("swap day {d} falls on holiday `{}`", h.name),
                "a day cannot both have no classes and follow another schedule: remove one",
            );
        }
        if let Some((s0, e0)) = range
            && (d < s0 || d > e0)
        {
            self.err(
                at,
                format!("swap day {d} lies outside the term ({s0} to {e0})"),
                "remove it, or fix its date",
            );
        }
        if twice {
            self.err(
                at,
                format!("swap day {d} is listed twice"),
                "keep one of them",
            );
        }
    }

    /// Every event with a date; a bad time or a missing title is reported.
    fn events(&mut self, file: &TermFile) -> Vec<Event> {
        let mut events = Vec::new();
        for (i, ev) in file.events.iter().enumerate() {
            events.extend(self.event(i, ev));
        }
        events
    }

    /// Event `i`, when its date is a date.
    fn event(&mut self, i: usize, ev: &EventFile) -> Option<Event> {
        let at = |k: &'static str| [Seg::Key("events"), Seg::Index(i), Seg::Key(k)];
        let d = self.date(&at("date"), &ev.date);
        let time = ev.time.as_ref().and_then(|t| {
            let m = parse_time(t);
            if m.is_none() {
                let hint = "write 24-hour time in quotes, e.g. \"23:59\"";
                self.err(&at("time"), format!("`{t}` is not a time of day"), hint);
            }
            m
        });
        if ev.title.trim().is_empty() {
            self.err(
                &at("title"),
                "an event without a title".into(),
                "say what happens, e.g. title: Project proposal due",
            );
        }
        let end =
            crate::load::term_plan::event_end(i, ev, time, self.source, self.shown, &mut self.more);
        let line = self.spans.at(&[Seg::Key("events"), Seg::Index(i)]).0;
        Some(Event {
            date: d?,
            time,
            title: ev.title.clone(),
            kind: ev.kind.clone(),
            location: ev.location.clone(),
            end,
            id: crate::load::term_plan::identity("event", i, ev.id.as_deref()),
            line,
        })
    }
}

/// For each day from `start` to `end`, the first holiday (in file order) that covers it: one
/// pass over the holidays, each clamped to the term, instead of a search per day asked.
fn holiday_days(holidays: &[Holiday], start: Date, end: Date) -> Vec<Option<usize>> {
    let len = usize::try_from((end - start).get_days()).unwrap_or(0) + 1;
    let mut days = vec![None; len];
    let index = |d: Date| usize::try_from((d - start).get_days()).unwrap_or(0);
    for (h, holiday) in holidays.iter().enumerate() {
        if holiday.to < start || holiday.from > end {
            continue;
        }
        let (from, to) = (index(holiday.from.max(start)), index(holiday.to.min(end)));
        for slot in days.iter_mut().take(to + 1).skip(from) {
            slot.get_or_insert(h);
        }
    }
    days
}
