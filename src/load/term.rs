//! terms/<id>.yaml: the dates of one term, parsed and checked (SPEC section 3).

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::yaml::{self, Seg};

pub use crate::load::term_file::{
    EventFile, HolidayFile, MeetingFile, SessionNoteFile, SwapFile, TermFile, parse_time,
};

/// A day of the week, as written in term files (`mon` … `sun`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// Monday
    Mon,
    /// Tuesday
    Tue,
    /// Wednesday
    Wed,
    /// Thursday
    Thu,
    /// Friday
    Fri,
    /// Saturday
    Sat,
    /// Sunday
    Sun,
}

impl Weekday {
    /// The short names accepted in files.
    pub const NAMES: &'static [&'static str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// Accepts `mon`, `Mon`, `monday`, `Monday`.
    pub fn parse(s: &str) -> Option<Weekday> {
        let l = s.trim().to_ascii_lowercase();
        const LONG: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        (0..7)
            .find(|&i| l == Self::NAMES[i] || l == LONG[i])
            .map(|i| Self::ALL[i])
    }

    /// The weekday of a date.
    pub fn of(date: Date) -> Weekday {
        Self::ALL[date.weekday().to_monday_zero_offset() as usize]
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> i8 {
        self as i8
    }

    /// `mon` … `sun`.
    pub fn short(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// `Mon` … `Sun`, for people.
    pub fn label(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self as usize]
    }
}

/// A checked meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Name.
    pub name: String,
    /// Weekdays.
    pub days: Vec<Weekday>,
    /// Minutes after midnight.
    pub start: u16,
    /// Minutes after midnight, after `start`.
    pub end: u16,
    /// Room.
    pub location: String,
    /// Office hours rather than a class.
    pub office_hours: bool,
    /// Office hours: whose.
    pub person: String,
    /// A link to join or book (http or https), or empty.
    pub link: String,
    /// Its identity in the .ics: the written `id`, else `meeting-<n>` (its place in the list).
    pub id: String,
}

/// A checked holiday: a closed range of dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// Name.
    pub name: String,
}

/// A checked swap day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    /// The day.
    pub date: Date,
    /// Whose schedule it follows.
    pub follows: Weekday,
    /// Name.
    pub name: String,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The day.
    pub date: Date,
    /// Minutes after midnight, if timed.
    pub time: Option<u16>,
    /// Title.
    pub title: String,
    /// Kind label.
    pub kind: String,
    /// Location.
    pub location: String,
    /// Minutes after midnight it ends, if given.
    pub end: Option<u16>,
    /// Its identity in the .ics: the written `id`, else `event-<n>` (its place in the list).
    pub id: String,
    /// 1-based line in the term file, for warnings.
    pub line: usize,
}

/// A checked term.
#[derive(Debug, Clone)]
pub struct Term {
    /// File name without .yaml.
    pub id: String,
    /// The file, relative to the course root.
    pub path: PathBuf,
    /// "Spring 2026"
    pub name: String,
    /// First day of classes.
    pub start: Date,
    /// Last day of classes.
    pub end: Date,
    /// Meetings; the first carries topics.
    pub meetings: Vec<Meeting>,
    /// Holidays.
    pub holidays: Vec<Holiday>,
    /// Swap days.
    pub swaps: Vec<Swap>,
    /// Events.
    pub events: Vec<Event>,
    /// Sessions declared without a topic, in the order written.
    pub notes: Vec<crate::term_plan::SessionNote>,
}

/// Whether `id` is a valid term id (`spring-2026`).
pub fn is_term_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// "YYYY-MM-DD" to a date, with a message that says what is wrong.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let t = s.trim();
    let shape_ok = t.len() == 10
        && t.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!("`{t}` is not a date in the form YYYY-MM-DD"));
    }
    t.parse::<Date>()
        .map_err(|_| format!("`{t}` is not a real date"))
}

/// The ids of the term files in `root/terms/`, sorted.
pub fn known_terms(root: &Path) -> Vec<String> {
    let mut known: Vec<String> = std::fs::read_dir(root.join("terms"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    known
}

/// The hint for a term id with no file: the nearest term file, or how to make one.
pub fn missing_term_hint(root: &Path, id: &str) -> String {
    let known = known_terms(root);
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    if refs.is_empty() {
        format!("create terms/{id}.yaml with the term's dates (name, start, end, meetings)")
    } else {
        did_you_mean(id, &refs)
    }
}

/// Reads and checks `root/terms/<id>.yaml` (`id` is course.yaml's `current_term`, whose line
/// a missing file is blamed on).
pub fn load_term(root: &Path, id: &str, diags: &mut Diagnostics) -> Option<Term> {
    let shown = PathBuf::from("terms").join(format!("{id}.yaml"));
    let path = root.join(&shown);
    // Something at the path (a folder, a FIFO, a broken link) is read and refused by name.
    if !is_term_id(id) || std::fs::symlink_metadata(&path).is_err() {
        let (l, c) = crate::load::yaml::locate_in_course(root, &[Seg::Key("current_term")]);
        diags.push(
            Diagnostic::error(
                "course.yaml",
                l,
                c,
                format!("current_term `{id}` has no file {}", shown.display()),
            )
            .with_hint(missing_term_hint(root, id)),
        );
        return None;
    }
    let fence = crate::base::fence::Fence::new(root, false);
    let source = match fence.read_text(&path, crate::base::fence::Cap::Yaml) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    parse_term(id, &shown, &source, diags)
}

/// Parses and checks the text of a term file.
pub fn parse_term(id: &str, shown: &Path, source: &str, diags: &mut Diagnostics) -> Option<Term> {
    if source.trim().is_empty() {
        diags.push(
            Diagnostic::error(shown, 1, 1, "the term file is empty")
                .with_hint("it needs name, start, end and meetings"),
        );
        return None;
    }
    let file: TermFile = match yaml::parse(shown, source, 1) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut errs = Diagnostics::new();
    // Mistakes found by helpers while `err` holds `errs`; merged at the end.
    let mut more = Diagnostics::new();
    let mut err = |segs: &[Seg], msg: String, hint: &str| {
        let (l, c) = yaml::locate(source, segs);
        errs.push(Diagnostic::error(shown, l, c, msg).with_hint(hint.to_string()));
    };
    let date_hint = "write dates as YYYY-MM-DD, e.g. 2026-01-20";
    let date = |segs: &[Seg], s: &str, err: &mut dyn FnMut(&[Seg], String, &str)| -> Option<Date> {
        parse_date(s).map_err(|m| err(segs, m, date_hint)).ok()
    };
    let mut start = date(&[Seg::Key("start")], &file.start, &mut err);
    let mut end = date(&[Seg::Key("end")], &file.end, &mut err);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            err(
                &[Seg::Key("end")],
                format!("the term ends ({e}) before it starts ({s})"),
                "swap start and end, or fix the year",
            );
            // Without a valid range, checks against it would only repeat this error.
            (start, end) = (None, None);
        } else if (e - s).get_days() > 400 || e.since(s).map_or(true, |span| span.get_years() > 1) {
            err(
                &[Seg::Key("end")],
                format!("the term runs from {s} to {e}, more than a year"),
                "check the year of start and end",
            );
        }
    }
    if file.meetings.is_empty() {
        err(
            &[Seg::Key("name")],
            "the term has no meetings".into(),
            "add `meetings:` with at least one meeting (name, days, start, end)",
        );
    }
    let mut meetings = Vec::new();
    for (i, m) in file.meetings.iter().enumerate() {
        let at = |k: &'static str| [Seg::Key("meetings"), Seg::Index(i), Seg::Key(k)];
        let mut days = Vec::new();
        if m.days.is_empty() {
            err(
                &at("days"),
                format!("meeting `{}` has no days", m.name),
                "list its weekdays, e.g. days: [mon, wed]",
            );
        }
        for d in &m.days {
            match Weekday::parse(d) {
                Some(w) if !days.contains(&w) => days.push(w),
                Some(_) => err(
                    &at("days"),
                    format!("`{d}` is listed twice"),
                    "list each weekday once",
                ),
                None => err(
                    &at("days"),
                    format!("`{d}` is not a weekday"),
                    &did_you_mean(d, Weekday::NAMES),
                ),
            }
        }
        let time_hint = "write 24-hour time in quotes, e.g. \"11:00\"";
        let t0 = parse_time(&m.start);
        let t1 = parse_time(&m.end);
        if t0.is_none() {
            err(
                &at("start"),
                format!("`{}` is not a time of day", m.start),
                time_hint,
            );
        }
        if t1.is_none() {
            err(
                &at("end"),
                format!("`{}` is not a time of day", m.end),
                time_hint,
            );
        }
        if let (Some(a), Some(b)) = (t0, t1) {
            if b <= a {
                err(
                    &at("end"),
                    format!(
                        "meeting `{}` ends at {} but starts at {}",
                        m.name, m.end, m.start
                    ),
                    "a meeting's end must be after its start on the same day",
                );
            }
            days.sort();
            let extra = crate::term_plan::meeting_extras(i, m, source, shown, &mut more);
            meetings.push(Meeting {
                name: m.name.clone(),
                days,
                start: a,
                end: b,
                location: m.location.clone(),
                office_hours: extra.office_hours,
                person: m.person.clone(),
                link: m.link.clone(),
                id: extra.id,
            });
        }
    }
    let mut holidays = Vec::new();
    for (i, h) in file.holidays.iter().enumerate() {
        let at = |k: &'static str| [Seg::Key("holidays"), Seg::Index(i), Seg::Key(k)];
        let item = [Seg::Key("holidays"), Seg::Index(i)];
        let range = match (&h.date, &h.from, &h.to) {
            (Some(d), None, None) => date(&at("date"), d, &mut err).map(|d| (d, d)),
            (None, Some(f), Some(t)) => {
                let (f, t) = (date(&at("from"), f, &mut err), date(&at("to"), t, &mut err));
                match (f, t) {
                    (Some(f), Some(t)) if t < f => {
                        err(
                            &at("to"),
                            format!("holiday `{}` ends before it starts", h.name),
                            "`to` is the last day of the range, on or after `from`",
                        );
                        None
                    }
                    (Some(f), Some(t)) => Some((f, t)),
                    _ => None,
                }
            }
            _ => {
                err(
                    &item,
                    format!(
                        "holiday `{}` needs either `date`, or `from` and `to`",
                        h.name
                    ),
                    "write { date: 2026-02-16, name: … } or { from: 2026-03-16, to: 2026-03-22, name: … }",
                );
                None
            }
        };
        if let (Some((f, t)), Some(s), Some(e)) = (range, start, end)
            && (t < s || f > e)
        {
            err(
                &item,
                format!(
                    "holiday `{}` ({f}) lies outside the term ({s} to {e})",
                    h.name
                ),
                "remove it, or fix its date",
            );
            continue;
        }
        if let Some((from, to)) = range {
            holidays.push(Holiday {
                from,
                to,
                name: h.name.clone(),
            });
        }
    }
    let mut swaps = Vec::new();
    for (i, s) in file.swaps.iter().enumerate() {
        let at = |k: &'static str| [Seg::Key("swaps"), Seg::Index(i), Seg::Key(k)];
        let d = date(&at("date"), &s.date, &mut err);
        let follows = Weekday::parse(&s.follows);
        if follows.is_none() {
            err(
                &at("follows"),
                format!("`{}` is not a weekday", s.follows),
                &did_you_mean(&s.follows, Weekday::NAMES),
            );
        }
        if let Some(d) = d {
            if let Some(h) = holidays.iter().find(|h| h.from <= d && d <= h.to) {
                err(
                    &at("date"),
                    format!("swap day {d} falls on holiday `{}`", h.name),
                    "a day cannot both have no classes and follow another schedule: remove one",
                );
            }
            if let (Some(s0), Some(e0)) = (start, end)
                && (d < s0 || d > e0)
            {
                err(
                    &at("date"),
                    format!("swap day {d} lies outside the term ({s0} to {e0})"),
                    "remove it, or fix its date",
                );
            }
            if swaps.iter().any(|x: &Swap| x.date == d) {
                err(
                    &at("date"),
                    format!("swap day {d} is listed twice"),
                    "keep one of them",
                );
            }
            if let Some(follows) = follows {
                swaps.push(Swap {
                    date: d,
                    follows,
                    name: s.name.clone(),
                });
            }
        }
    }
    let mut events = Vec::new();
    for (i, ev) in file.events.iter().enumerate() {
        let at = |k: &'static str| [Seg::Key("events"), Seg::Index(i), Seg::Key(k)];
        let d = date(&at("date"), &ev.date, &mut err);
        let time = match &ev.time {
            Some(t) => match parse_time(t) {
                Some(m) => Some(m),
                None => {
                    err(
                        &at("time"),
                        format!("`{t}` is not a time of day"),
                        "write 24-hour time in quotes, e.g. \"23:59\"",
                    );
                    None
                }
            },
            None => None,
        };
        if ev.title.trim().is_empty() {
            err(
                &at("title"),
                "an event without a title".into(),
                "say what happens, e.g. title: Project proposal due",
            );
        }
        let end = crate::term_plan::event_end(i, ev, time, source, shown, &mut more);
        if let Some(date) = d {
            let line = yaml::locate(source, &[Seg::Key("events"), Seg::Index(i)]).0;
            events.push(Event {
                date,
                time,
                title: ev.title.clone(),
                kind: ev.kind.clone(),
                location: ev.location.clone(),
                end,
                id: crate::term_plan::identity("event", i, ev.id.as_deref()),
                line,
            });
        }
    }
    if file.name.trim().is_empty() {
        err(
            &[Seg::Key("name")],
            "the term has no name".into(),
            "write e.g. name: Spring 2026",
        );
    }
    errs.extend(more);
    crate::term_plan::check_ids(&file, source, shown, &mut errs);
    let notes = crate::term_plan::session_notes(&file.sessions, source, shown, &mut errs);
    let failed = errs.has_errors();
    diags.extend(errs);
    if failed {
        return None;
    }
    Some(Term {
        id: id.to_string(),
        path: shown.to_path_buf(),
        name: file.name,
        start: start?,
        end: end?,
        meetings,
        holidays,
        swaps,
        events,
        notes,
    })
}

#[cfg(test)]
mod tests {
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
}
