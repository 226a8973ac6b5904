//! calendar.ics (SPEC section 6): the term as an RFC 5545 iCalendar feed that students subscribe
//! to or import.
//!
//! Decisions:
//!
//! - Every time is written in UTC (`DTSTART:20260126T160000Z`), converted from the course time
//!   zone with jiff, so the feed needs no VTIMEZONE and stays right across DST changes.
//! - A lab's due time is a zero-length event: `DTSTART` at the due moment and no `DTEND`
//!   (RFC 5545 section 3.6.1: the event ends when it starts). Calendars show it at the due time
//!   rather than as a block that seems to start before the deadline.
//! - A lab's release and every holiday are all-day events (`VALUE=DATE`, `DTEND` the day after the
//!   last day, which RFC 5545 makes exclusive); events without a time too. They, and due times,
//!   are `TRANSP:TRANSPARENT`: they do not make anyone look busy.
//! - A term event with a time but no duration is zero-length, like a due time.
//! - UIDs hash the course code (or `course` when there is none: never the title), the term id,
//!   the kind and the item's own identity, which no wording is part of: a class is its
//!   meeting's `id` (default its place in `meetings`) and its date (so moving topics or
//!   renumbering sessions updates the same events), a lab its slug, an event its `id`
//!   (default its place in `events`), a holiday its first day. Renaming a title, a meeting, a
//!   holiday or the course keeps every UID; moving a deadline keeps its UID too.
//!   The hash (FNV-1a, 128 bits, with a mixing finish) is fixed by this file, so it does not
//!   change with the compiler or the platform.
//! - Revisions: every event carries `DTSTAMP` and `LAST-MODIFIED` at the build's revision
//!   moment and `SEQUENCE` that moment in minutes since 1970, so a later build is a later
//!   revision of every event (RFC 5545 sections 3.8.7.2-4) and clients that compare
//!   revisions apply a moved deadline. The moment is an input (`--as-of` or
//!   `SOURCE_DATE_EPOCH`, see `calendar_page::ics_of`), never the clock, so two builds of the
//!   same course give the same bytes.
//! - `REFRESH-INTERVAL` and `X-PUBLISHED-TTL` (RFC 7986) ask subscribers to check every six
//!   hours.

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::load::term::{Term, Weekday};
use crate::schedule::calendar::{Calendar, local_time};

/// A page an event links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// The page's title.
    pub title: String,
    /// Its absolute URL (`https://example.edu/mlops/spring-2026/topics/01-intro/`).
    pub url: String,
}

/// Everything the feed is made from.
#[derive(Debug, Clone, Copy)]
pub struct IcsInput<'a> {
    /// Course title, "Machine Learning Systems Engineering and Operations".
    pub course_title: &'a str,
    /// Course code, "ECE-GY 9183" (may be empty: the title is used instead).
    pub course_code: &'a str,
    /// The term.
    pub term: &'a Term,
    /// Its computed calendar.
    pub calendar: &'a Calendar,
    /// The course time zone.
    pub tz: &'a TimeZone,
    /// Its IANA name, for `X-WR-TIMEZONE`.
    pub tz_name: &'a str,
    /// Topic slug → title and URL.
    pub topics: &'a HashMap<String, PageLink>,
    /// Lab slug → title and URL.
    pub labs: &'a HashMap<String, PageLink>,
    /// `DTSTAMP` and `LAST-MODIFIED` of every event: the build's revision moment.
    pub dtstamp: Timestamp,
    /// The course's language: the words and dates of summaries and descriptions.
    pub i18n: &'a crate::base::i18n::I18n,
}

/// When an event starts or ends.
#[derive(Debug, Clone, Copy)]
enum When {
    /// A moment, written in UTC.
    At(Timestamp),
    /// A whole day.
    Day(Date),
}

/// One VEVENT before it is written.
#[derive(Debug, Default)]
struct Event {
    identity: Vec<String>,
    summary: String,
    start: Option<When>,
    end: Option<When>,
    location: String,
    url: String,
    description: String,
    categories: Vec<String>,
    transparent: bool,
}

/// The whole feed, CRLF line endings, lines folded at 75 octets.
pub fn ics(input: &IcsInput) -> String {
    let mut events = Vec::new();
    sessions(input, &mut events);
    occurrences(input, &mut events);
    labs(input, &mut events);
    term_events(input, &mut events);
    holidays(input, &mut events);
    let mut out = String::new();
    let name = format!("{} ({})", label(input), input.term.name);
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!(
            "PRODID:-//semester//semester {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(&name)),
        format!("X-WR-CALDESC:{}", escape(input.course_title)),
        format!("X-WR-TIMEZONE:{}", escape(input.tz_name)),
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H".to_string(),
        "X-PUBLISHED-TTL:PT6H".to_string(),
    ] {
        push_line(&mut out, &line);
    }
    for e in &events {
        write_event(&mut out, input, e);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// The course's part of every UID: its code, or `course` (a title is wording, not identity).
fn course_key(input: &IcsInput) -> String {
    match input.course_code.trim() {
        "" => "course".to_string(),
        code => code.to_string(),
    }
}

/// The course code, or the title when there is no code.
fn label<'a>(input: &IcsInput<'a>) -> &'a str {
    if input.course_code.trim().is_empty() {
        input.course_title
    } else {
        input.course_code
    }
}

fn moment(input: &IcsInput, date: Date, minutes: u16) -> Option<When> {
    local_time(input.tz, date, minutes).map(|z| When::At(z.timestamp()))
}

fn next_day(d: Date) -> When {
    When::Day(d.tomorrow().unwrap_or(d))
}

/// The first lines of a session's description: its number of the term's (and its week), and
/// the weekday whose schedule a swap day follows.
fn session_description(
    input: &IcsInput,
    s: &crate::schedule::calendar::Session,
    name: &str,
    total: usize,
) -> String {
    let (n, total_text) = (s.number.to_string(), total.to_string());
    let mut args = vec![
        ("name", name),
        ("n", n.as_str()),
        ("total", total_text.as_str()),
    ];
    let week = s.week.map(|w| w.to_string());
    let key = match &week {
        Some(w) => {
            args.push(("week", w.as_str()));
            "ics_session_week"
        }
        None => "ics_session",
    };
    let mut description = input.i18n.f(key, &args);
    if let Some(follows) = s.swapped_from.filter(|w| *w != Weekday::of(s.date)) {
        let day = weekday_named(input, s.date, follows);
        let _ = write!(
            description,
            "\n{}",
            input.i18n.f("follows_schedule", &[("weekday", &day)])
        );
    }
    description
}

fn sessions(input: &IcsInput, out: &mut Vec<Event>) {
    let meeting = input.term.meetings.first();
    let class = input.i18n.t("kind_session");
    let name = meeting.map_or(class.as_str(), |m| m.name.as_str());
    let id = meeting.map_or("meeting-1", |m| m.id.as_str());
    let total = input.calendar.sessions.len();
    for s in &input.calendar.sessions {
        let pages: Vec<&PageLink> = s
            .topics
            .iter()
            .filter_map(|t| input.topics.get(t))
            .collect();
        let note = s.note.and_then(|i| input.term.notes.get(i));
        let what = if let (true, Some(n)) = (pages.is_empty(), note) {
            n.title.clone()
        } else if pages.is_empty() {
            name.to_string()
        } else {
            pages
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let mut description = session_description(input, s, name, total);
        for p in &pages {
            let _ = write!(description, "\n{}: {}", p.title, p.url);
        }
        out.push(Event {
            identity: vec!["class".into(), id.into(), s.date.to_string()],
            summary: format!(
                "{}: {} — {what}",
                label(input),
                input.i18n.n("session_n", i64::from(s.number))
            ),
            start: moment(input, s.date, s.start),
            end: moment(input, s.date, s.end),
            location: meeting.map_or_else(String::new, |m| m.location.clone()),
            url: pages.first().map_or_else(String::new, |p| p.url.clone()),
            description,
            categories: vec!["session".into()],
            transparent: false,
        });
    }
}

fn occurrences(input: &IcsInput, out: &mut Vec<Event>) {
    for o in &input.calendar.occurrences {
        let Some(m) = input.term.meetings.get(o.meeting) else {
            continue;
        };
        let mut description = String::new();
        if m.office_hours && !m.person.trim().is_empty() {
            let who = [("name", m.person.trim())];
            let _ = write!(description, "{}", input.i18n.f("office_hours_with", &who));
        }
        if !m.link.is_empty() {
            let link = [("link", m.link.as_str())];
            let _ = write!(description, "\n{}", input.i18n.f("join_at", &link));
        }
        out.push(Event {
            identity: vec!["class".into(), m.id.clone(), o.date.to_string()],
            summary: format!("{}: {}", label(input), m.name),
            start: moment(input, o.date, m.start),
            end: moment(input, o.date, m.end),
            location: m.location.clone(),
            url: m.link.clone(),
            description: description.trim_start().to_string(),
            categories: vec![if m.office_hours {
                "office-hours".into()
            } else {
                "meeting".into()
            }],
            transparent: m.office_hours,
        });
    }
}

fn labs(input: &IcsInput, out: &mut Vec<Event>) {
    for l in &input.calendar.labs {
        let page = input.labs.get(&l.slug);
        let title = page.map_or(l.slug.as_str(), |p| p.title.as_str());
        let url = page.map_or_else(String::new, |p| p.url.clone());
        let (dates, t) = (&input.i18n.dates, [("title", title)]);
        let due = l.due.with_time_zone(input.tz.clone());
        let minutes = due.hour() as u16 * 60 + due.minute() as u16;
        let due_text = format!(
            "{} {} {}",
            dates.long_date(due.date()),
            dates.time(minutes),
            due.strftime("%Z")
        );
        out.push(Event {
            identity: vec!["lab-release".into(), l.slug.clone()],
            summary: format!("{}: {}", label(input), input.i18n.f("lab_released", &t)),
            start: Some(When::Day(l.release)),
            end: Some(next_day(l.release)),
            url: url.clone(),
            description: format!("{}\n{url}", input.i18n.f("due_at", &[("when", &due_text)]))
                .trim_end()
                .to_string(),
            categories: vec!["lab".into()],
            transparent: true,
            ..Event::default()
        });
        out.push(Event {
            identity: vec!["lab-due".into(), l.slug.clone()],
            summary: format!("{}: {}", label(input), input.i18n.f("lab_due", &t)),
            start: Some(When::At(l.due.timestamp())),
            url: url.clone(),
            description: format!(
                "{}\n{url}",
                input
                    .i18n
                    .f("released_at", &[("when", &dates.long_date(l.release))])
            )
            .trim_end()
            .to_string(),
            categories: vec!["lab".into(), "deadline".into()],
            transparent: true,
            ..Event::default()
        });
    }
}

fn term_events(input: &IcsInput, out: &mut Vec<Event>) {
    for e in &input.term.events {
        let (start, end) = match e.time {
            Some(t) => (
                moment(input, e.date, t),
                e.end.and_then(|m| moment(input, e.date, m)),
            ),
            None => (Some(When::Day(e.date)), Some(next_day(e.date))),
        };
        out.push(Event {
            identity: vec!["event".into(), e.id.clone()],
            summary: format!("{}: {}", label(input), e.title),
            start,
            end,
            location: e.location.clone(),
            categories: if e.kind.is_empty() {
                Vec::new()
            } else {
                vec![e.kind.clone()]
            },
            transparent: e.time.is_none(),
            ..Event::default()
        });
    }
}

fn holidays(input: &IcsInput, out: &mut Vec<Event>) {
    for h in &input.term.holidays {
        out.push(Event {
            identity: vec!["holiday".into(), h.from.to_string()],
            summary: format!("{}: no class — {}", label(input), h.name),
            start: Some(When::Day(h.from)),
            end: Some(next_day(h.to)),
            categories: vec!["holiday".into()],
            transparent: true,
            ..Event::default()
        });
    }
}

/// The name of weekday `w` in the course's language, from a date of that weekday (the first
/// on or after `near`).
fn weekday_named(input: &IcsInput, near: Date, w: Weekday) -> String {
    input.i18n.dates.weekday_named(near, w.index() as u8)
}

/// `SEQUENCE`: the revision moment in whole minutes since 1970 (a later build, a later
/// revision; fits RFC 5545's signed 32-bit INTEGER until the year 6053).
pub fn sequence(stamp: Timestamp) -> i64 {
    stamp.as_second().max(0) / 60
}

fn write_event(out: &mut String, input: &IcsInput, e: &Event) {
    let Some(start) = e.start else { return };
    let mut identity = vec![course_key(input), input.term.id.clone()];
    identity.extend(e.identity.iter().cloned());
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", uid(&identity)));
    push_line(out, &format!("DTSTAMP:{}", utc(input.dtstamp)));
    push_line(out, &format!("LAST-MODIFIED:{}", utc(input.dtstamp)));
    push_line(out, &format!("SEQUENCE:{}", sequence(input.dtstamp)));
    push_line(out, &format!("DTSTART{}", when(start)));
    if let Some(end) = e.end {
        push_line(out, &format!("DTEND{}", when(end)));
    }
    push_line(out, &format!("SUMMARY:{}", escape(&e.summary)));
    if !e.location.trim().is_empty() {
        push_line(out, &format!("LOCATION:{}", escape(&e.location)));
    }
    if !e.description.is_empty() {
        push_line(out, &format!("DESCRIPTION:{}", escape(&e.description)));
    }
    if !e.url.is_empty() {
        push_line(out, &format!("URL:{}", uri(&e.url)));
    }
    if !e.categories.is_empty() {
        let cats: Vec<String> = e.categories.iter().map(|c| escape(c)).collect();
        push_line(out, &format!("CATEGORIES:{}", cats.join(",")));
    }
    if e.transparent {
        push_line(out, "TRANSP:TRANSPARENT");
    }
    push_line(out, "END:VEVENT");
}

/// `:20260126T160000Z` or `;VALUE=DATE:20260126`.
fn when(w: When) -> String {
    match w {
        When::At(ts) => format!(":{}", utc(ts)),
        When::Day(d) => format!(";VALUE=DATE:{}", d.strftime("%Y%m%d")),
    }
}

fn utc(ts: Timestamp) -> String {
    ts.to_zoned_datetime(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A UID from the parts of an item's identity: the same parts give the same UID in every build.
pub fn uid(parts: &[String]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        // A separator byte that text never holds keeps ["ab", "c"] apart from ["a", "bc"].
        let sep: &[u8] = if i == 0 { b"" } else { b"\x1f" };
        for b in sep.iter().chain(part.as_bytes()) {
            h ^= u128::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    }
    // FNV spreads its last bytes poorly: a bijective finish makes similar items look unrelated.
    let (hi, lo) = ((h >> 64) as u64, h as u64);
    let hi = fmix(hi ^ lo.rotate_left(17));
    let lo = fmix(lo ^ hi);
    format!("{hi:016x}{lo:016x}@semester")
}

/// MurmurHash3's 64-bit finaliser (a bijection).
fn fmix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
    x ^ (x >> 33)
}

/// TEXT escaping (RFC 5545 section 3.3.11): `\`, `;`, `,` and newlines; other control
/// characters are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.replace("\r\n", "\n");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value: not escaped, but nothing that could break the line.
fn uri(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_control() && *c != ' ')
        .collect()
}

/// Writes a content line folded at 75 octets (RFC 5545 section 3.1), never inside a UTF-8
/// character, and ends it with CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests;
