//! terms/<id>.yaml: the dates of one term, parsed and checked (SPEC section 3).

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::yaml::Seg;

mod check;

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
    pub notes: Vec<crate::load::term_plan::SessionNote>,
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
    let mut own = Diagnostics::new();
    let term = load_term_lenient(root, id, &mut own);
    let failed = own.has_errors();
    diags.extend(own);
    term.filter(|_| !failed)
}

/// [`load_term`], but a term whose dates and meetings are right is returned even when some
/// holidays, swaps or events have errors (those are left out): enough to check the pages'
/// schedule in the same run.
pub fn load_term_lenient(root: &Path, id: &str, diags: &mut Diagnostics) -> Option<Term> {
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
    check::parse_term_lenient(id, &shown, &source, diags)
}

/// Parses and checks the text of a term file. `None` when it has errors (all in `diags`).
pub fn parse_term(id: &str, shown: &Path, source: &str, diags: &mut Diagnostics) -> Option<Term> {
    let mut own = Diagnostics::new();
    let term = check::parse_term_lenient(id, shown, source, &mut own);
    let failed = own.has_errors();
    diags.extend(own);
    term.filter(|_| !failed)
}

#[cfg(test)]
mod tests;
