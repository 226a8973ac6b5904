//! Everything dated in a term, as one list in date order: what the calendar page, the home
//! page, the "next up" box and `semester calendar` show. Made once from the term and its
//! computed calendar, so no view can leave a kind of item out.
//!
//! - Every class day of every meeting (sessions with their topics or declared title, other
//!   meetings, office hours with their person and link), every lab's release and due time,
//!   every event, every day of every holiday, every swap day with whose schedule it follows.
//! - The list runs through the last dated item, so the finals period (events and dues up to
//!   [`DUE_GRACE_DAYS`](crate::schedule::calendar::DUE_GRACE_DAYS) after `end`) is on every view.

use crate::base::i18n::{I18n, esc};
use jiff::civil::Date;

use crate::load::config::Clock;
use crate::load::term::{Term, Weekday};
use crate::schedule::calendar::{Calendar, LabDates};

/// What a dated item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    /// A day without classes.
    Holiday,
    /// A day that follows another weekday's schedule.
    Swap,
    /// A session of the first meeting.
    Session,
    /// A class day of another meeting.
    Meeting,
    /// Office hours.
    OfficeHours,
    /// A lab is released.
    Release,
    /// A lab is due.
    Due,
    /// A term event.
    Event,
}

impl ItemKind {
    /// The CSS and JSON name: `holiday`, `swap`, `session`, `meeting`, `office-hours`,
    /// `release`, `due`, `event`.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Holiday => "holiday",
            ItemKind::Swap => "swap",
            ItemKind::Session => "session",
            ItemKind::Meeting => "meeting",
            ItemKind::OfficeHours => "office-hours",
            ItemKind::Release => "release",
            ItemKind::Due => "due",
            ItemKind::Event => "event",
        }
    }

    /// The short label a person reads beside the item.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Holiday => "No class",
            ItemKind::Swap => "Schedule",
            ItemKind::Session => "Class",
            ItemKind::Meeting => "Meeting",
            ItemKind::OfficeHours => "Office hours",
            ItemKind::Release => "Lab",
            ItemKind::Due => "Due",
            ItemKind::Event => "Event",
        }
    }

    /// The key of its label in the interface strings.
    pub fn label_key(self) -> &'static str {
        match self {
            ItemKind::Holiday => "kind_holiday",
            ItemKind::Swap => "kind_swap",
            ItemKind::Session => "kind_session",
            ItemKind::Meeting => "kind_meeting",
            ItemKind::OfficeHours => "office_hours",
            ItemKind::Release => "kind_release",
            ItemKind::Due => "due",
            ItemKind::Event => "kind_event",
        }
    }

    /// Whether "next up" lists it as a deadline.
    pub fn is_deadline(self) -> bool {
        matches!(self, ItemKind::Due | ItemKind::Event)
    }
}

/// A page an item links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRef {
    /// Its title.
    pub title: String,
    /// Its URL, or empty when it must not be linked.
    pub url: String,
}

/// One dated item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Its day (in the course time zone).
    pub date: Date,
    /// Local start, minutes after midnight (none for a whole day).
    pub start: Option<u16>,
    /// Local end, minutes after midnight.
    pub end: Option<u16>,
    /// What a reader sees.
    pub title: String,
    /// A page to read more, or empty.
    pub url: String,
    /// Where.
    pub location: String,
    /// A link to join (office hours), or empty.
    pub link: String,
    /// A short note: "Session 4", "Monday schedule", "with Ana Lee"…
    pub detail: String,
    /// `title` as HTML, an English fallback in it marked `lang="en"` ([`I18n::fill_html`]).
    pub title_html: String,
    /// `detail` as HTML, marked the same way.
    pub detail_html: String,
}

/// Titles and URLs of the pages items link to.
pub trait Pages {
    /// A topic by slug.
    fn topic(&self, slug: &str) -> Option<PageRef>;
    /// A lab by slug.
    fn lab(&self, slug: &str) -> Option<PageRef>;
}

/// Every dated item of the term, sorted by date, whole-day items (holidays, swaps, releases)
/// first, then by time.
/// Its words (default names, "due", "released") are in the course's language (`i18n`).
pub fn agenda(
    term: &Term,
    cal: &Calendar,
    tz: &jiff::tz::TimeZone,
    pages: &dyn Pages,
    i18n: &I18n,
) -> Vec<Item> {
    let mut items = Vec::new();
    sessions(term, cal, pages, i18n, &mut items);
    meetings(term, cal, i18n, &mut items);
    for lab in &cal.labs {
        items.extend(lab_items(lab, tz, pages, i18n));
    }
    for e in &term.events {
        items.push(Item {
            kind: ItemKind::Event,
            date: e.date,
            start: e.time,
            end: e.end,
            title: e.title.clone(),
            url: String::new(),
            location: e.location.clone(),
            link: String::new(),
            detail: String::new(),
            title_html: esc(&e.title),
            detail_html: String::new(),
        });
    }
    days_off(term, i18n, &mut items);
    // Whole-day items first, then by time; the sort is stable, so ties keep their order.
    items.sort_by_key(|i| (i.date, i.start.is_some(), i.start, i.kind));
    items
}

fn whole_day(kind: ItemKind, date: Date, title: String, detail: String) -> Item {
    Item {
        kind,
        date,
        start: None,
        end: None,
        url: String::new(),
        location: String::new(),
        link: String::new(),
        title_html: esc(&title),
        detail_html: esc(&detail),
        title,
        detail,
    }
}

fn sessions(term: &Term, cal: &Calendar, pages: &dyn Pages, i18n: &I18n, out: &mut Vec<Item>) {
    let first = term.meetings.first();
    let class = i18n.t("kind_session");
    let name = first.map_or(class.as_str(), |m| m.name.as_str());
    let name_html = first.map_or_else(
        || i18n.fill_html("kind_session", None, &[]),
        |m| esc(&m.name),
    );
    for s in &cal.sessions {
        let topics: Vec<PageRef> = s.topics.iter().filter_map(|t| pages.topic(t)).collect();
        let note = s.note.and_then(|i| term.notes.get(i));
        let title = match (topics.as_slice(), note) {
            ([], Some(n)) => n.title.clone(),
            ([], None) => format!("{name} {}", s.number),
            (many, _) => many
                .iter()
                .map(|t| t.title.as_str())
                .collect::<Vec<_>>()
                .join(" · "),
        };
        let title_html = match (topics.as_slice(), note) {
            ([], None) => format!("{name_html} {}", s.number),
            _ => esc(&title),
        };
        let number = i64::from(s.number);
        let mut detail = format!("{name} · {}", i18n.n("session_n", number));
        let mut detail_html = format!(
            "{name_html} · {}",
            i18n.fill_html("session_n", Some(number), &[])
        );
        if let Some(w) = s.swapped_from.filter(|w| *w != Weekday::of(s.date)) {
            detail.push_str(&format!(" · {}", schedule_of(i18n, s.date, w)));
            detail_html.push_str(&format!(" · {}", schedule_html(i18n, s.date, w)));
        }
        out.push(Item {
            kind: ItemKind::Session,
            date: s.date,
            start: Some(s.start),
            end: Some(s.end),
            title,
            url: topics.first().map_or_else(String::new, |t| t.url.clone()),
            location: first.map_or_else(String::new, |m| m.location.clone()),
            link: String::new(),
            detail,
            title_html,
            detail_html,
        });
    }
}

fn meetings(term: &Term, cal: &Calendar, i18n: &I18n, out: &mut Vec<Item>) {
    for o in &cal.occurrences {
        let Some(m) = term.meetings.get(o.meeting) else {
            continue;
        };
        let who = m.person.trim();
        let (kind, detail, detail_html) = if m.office_hours && !who.is_empty() {
            let detail = i18n.f("with_person", &[("name", who)]);
            let html = i18n.fill_html("with_person", None, &[("name", &esc(who))]);
            (ItemKind::OfficeHours, detail, html)
        } else if m.office_hours {
            (ItemKind::OfficeHours, String::new(), String::new())
        } else {
            (ItemKind::Meeting, String::new(), String::new())
        };
        out.push(Item {
            kind,
            date: o.date,
            start: Some(m.start),
            end: Some(m.end),
            title: m.name.clone(),
            url: String::new(),
            location: m.location.clone(),
            link: m.link.clone(),
            detail,
            title_html: esc(&m.name),
            detail_html,
        });
    }
}

/// A lab's two items, released and due. Every view shows a lab through this one function, so
/// what a lab may link to (an unpublished page must not be) is decided once.
pub fn lab_items(
    lab: &LabDates,
    tz: &jiff::tz::TimeZone,
    pages: &dyn Pages,
    i18n: &I18n,
) -> [Item; 2] {
    let page = pages.lab(&lab.slug).unwrap_or_else(|| PageRef {
        title: lab.slug.clone(),
        url: String::new(),
    });
    let due = lab.due.with_time_zone(tz.clone());
    let minutes = due.hour() as u16 * 60 + due.minute() as u16;
    let release = Item {
        kind: ItemKind::Release,
        date: lab.release,
        start: None,
        end: None,
        title: i18n.f("lab_released", &[("title", &page.title)]),
        url: page.url.clone(),
        location: String::new(),
        link: String::new(),
        detail: String::new(),
        title_html: i18n.fill_html("lab_released", None, &[("title", &esc(&page.title))]),
        detail_html: String::new(),
    };
    let due = Item {
        kind: ItemKind::Due,
        date: due.date(),
        start: Some(minutes),
        end: None,
        title: i18n.f("lab_due", &[("title", &page.title)]),
        url: page.url,
        location: String::new(),
        link: String::new(),
        detail: String::new(),
        title_html: i18n.fill_html("lab_due", None, &[("title", &esc(&page.title))]),
        detail_html: String::new(),
    };
    [release, due]
}

/// Every day of every holiday inside the term, and every swap day. A range is cut to the term
/// (a range may run for years; a term runs for at most 400 days).
fn days_off(term: &Term, i18n: &I18n, out: &mut Vec<Item>) {
    for h in &term.holidays {
        let (from, to) = (h.from.max(term.start), h.to.min(term.end));
        let days = std::iter::successors(Some(from), |d| d.tomorrow().ok());
        for d in days.take_while(|d| *d <= to) {
            out.push(whole_day(
                ItemKind::Holiday,
                d,
                h.name.clone(),
                String::new(),
            ));
        }
    }
    for s in &term.swaps {
        let follows = schedule_of(i18n, s.date, s.follows);
        let follows_html = schedule_html(i18n, s.date, s.follows);
        let unnamed = s.name.trim().is_empty();
        let title = if unnamed { &follows } else { &s.name };
        let mut item = whole_day(ItemKind::Swap, s.date, title.clone(), follows.clone());
        if unnamed {
            item.title_html = follows_html.clone();
        }
        item.detail_html = follows_html;
        out.push(item);
    }
}

/// [`schedule_of`] as HTML ([`I18n::fill_html`]).
fn schedule_html(i18n: &I18n, near: Date, w: Weekday) -> String {
    let day = esc(&i18n.dates.weekday_named(near, w.index() as u8));
    i18n.fill_html("weekday_schedule", None, &[("weekday", &day)])
}

/// "Monday schedule" in the course's language, for a day near `near`.
fn schedule_of(i18n: &I18n, near: Date, w: Weekday) -> String {
    let day = i18n.dates.weekday_named(near, w.index() as u8);
    i18n.f("weekday_schedule", &[("weekday", &day)])
}

/// The day of the last dated item (at least `end`): the views run through it.
pub fn last_day(term: &Term, items: &[Item]) -> Date {
    items.iter().map(|i| i.date).fold(term.end, Date::max)
}

/// `Monday` … `Sunday`.
pub fn long_day(w: Weekday) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][w.index() as usize]
}

/// "11:00–13:30", "23:59", or empty for a whole day, as the course's language writes times.
pub fn time_text_in(item: &Item, dates: &crate::base::i18n::dates::Dates) -> String {
    match (item.start, item.end) {
        (Some(a), Some(b)) => dates.span(a, b),
        (Some(a), None) => dates.time(a),
        _ => String::new(),
    }
}

/// "11:00–13:30", "23:59", or empty for a whole day, in the site's clock (the CLI's table).
pub fn time_text(item: &Item, clock: Clock) -> String {
    match (item.start, item.end) {
        (Some(a), Some(b)) => clock.span(a, b),
        (Some(a), None) => clock.time(a),
        _ => String::new(),
    }
}
