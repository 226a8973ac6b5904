//! A term file as written (terms/<id>.yaml), before it is checked: the structs serde reads,
//! shared by `term` (which checks dates and meetings) and `term_plan` (sessions, office
//! hours, identities).

use serde::Deserialize;

/// A term file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    /// "Spring 2026"
    pub name: String,
    /// First day of classes.
    pub start: String,
    /// Last day of classes.
    pub end: String,
    /// Weekly meetings; the first one carries the topics.
    #[serde(default)]
    pub meetings: Vec<MeetingFile>,
    /// Days or ranges without classes.
    #[serde(default)]
    pub holidays: Vec<HolidayFile>,
    /// Days that follow another weekday's schedule.
    #[serde(default)]
    pub swaps: Vec<SwapFile>,
    /// Anything else with a date.
    #[serde(default)]
    pub events: Vec<EventFile>,
    /// Sessions that have no topic page on purpose (review, exam) or are not planned yet.
    #[serde(default)]
    pub sessions: Vec<SessionNoteFile>,
}

/// A weekly meeting as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingFile {
    /// "Lecture", "Recitation"
    pub name: String,
    /// Weekdays it meets on.
    pub days: Vec<String>,
    /// "HH:MM"
    pub start: String,
    /// "HH:MM"
    pub end: String,
    /// Room.
    #[serde(default)]
    pub location: String,
    /// `class` (default) or `office-hours`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Office hours: whose.
    #[serde(default)]
    pub person: String,
    /// A video-call or booking link (http or https).
    #[serde(default)]
    pub link: String,
    /// A stable identity for the .ics (default: its place in the list).
    #[serde(default)]
    pub id: Option<String>,
}

/// A holiday (one `date`, or `from`..`to`) as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    /// A single day.
    pub date: Option<String>,
    /// First day of a range.
    pub from: Option<String>,
    /// Last day of a range (inclusive).
    pub to: Option<String>,
    /// "Spring recess"
    pub name: String,
}

/// A swap day as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwapFile {
    /// The day.
    pub date: String,
    /// The weekday whose meetings happen on it.
    pub follows: String,
    /// "Legislative day"
    #[serde(default)]
    pub name: String,
}

/// An event as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    /// The day.
    pub date: String,
    /// Optional local time "HH:MM".
    pub time: Option<String>,
    /// What happens.
    pub title: String,
    /// A free label, e.g. `project`, `exam`.
    #[serde(default)]
    pub kind: String,
    /// Where, if anywhere.
    #[serde(default)]
    pub location: String,
    /// Optional local end time "HH:MM" (needs `time`).
    pub end: Option<String>,
    /// A stable identity for the .ics (default: its place in the list).
    #[serde(default)]
    pub id: Option<String>,
}

/// "HH:MM" (24-hour) to minutes after midnight.
pub fn parse_time(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// A `sessions:` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionNoteFile {
    /// One session number.
    pub session: Option<i64>,
    /// First of a run of sessions.
    pub from: Option<i64>,
    /// Last of the run (inclusive).
    pub to: Option<i64>,
    /// What happens ("Midterm exam").
    pub title: String,
    /// `review`, `exam`, `project`, `none` (default) or `open`.
    #[serde(default)]
    pub kind: Option<String>,
}
