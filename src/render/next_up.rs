//! "Next up": the box at the top of the home and calendar pages that says what a student has
//! to do next. It is computed here for the build date (`--as-of`), so the file reads right
//! without script, and again in the browser by semester.js from the reader's clock (or
//! `?today=YYYY-MM-DD`) with the same rule, from the data this module embeds.
//!
//! The rule, for a day `today` and a time `now` (the start of the day at build time):
//!
//! - An item is still ahead when its day is after `today`, or it is today and has not ended
//!   (an item without a time lasts the whole day).
//! - After the last dated item of the term: "The term is over."
//! - Before `start`: when the term starts, the first class, and deadlines in the next
//!   [`WINDOW_DAYS`] days.
//! - On a holiday: its name and last day, the next class, and everything due until that class.
//! - After the last class (the finals period): "Classes are over." and everything still due.
//! - Otherwise: the next class and deadlines (lab dues and events) in the next
//!   [`WINDOW_DAYS`] days, or else the next deadline.
//!
//! Every item carries its countdown ("today", "tomorrow", "in 3 days").

use jiff::civil::Date;
use serde::Serialize;

use crate::base::i18n::I18n;
use crate::load::term::Term;
use crate::schedule::agenda::{Item, ItemKind};

/// How many days ahead "next up" lists deadlines.
pub const WINDOW_DAYS: i32 = 7;

/// One item of the box.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntryCtx {
    /// `session`, `due`, `event`.
    pub kind: &'static str,
    /// "Class", "Due", "Event".
    pub kind_label: String,
    /// ISO date.
    pub date: String,
    /// "Mon, Mar 2"
    pub date_text: String,
    /// "11:00 AM–1:30 PM", "11:59 PM" or empty.
    pub time_text: String,
    /// What.
    pub title: String,
    /// A page, or empty.
    pub url: String,
    /// Where.
    pub location: String,
    /// "Lecture · session 4".
    pub detail: String,
    /// Minutes after midnight it starts, if timed.
    pub start: Option<u16>,
    /// Minutes after midnight it ends, if it has an end.
    pub end: Option<u16>,
    /// "today", "tomorrow", "in 3 days" (empty in the embedded data).
    pub countdown: String,
}

/// The `calendar.next_up` variable of templates.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NextUpCtx {
    /// `before`, `term`, `break`, `finals` or `over`.
    pub state: &'static str,
    /// The day it was computed for (ISO).
    pub as_of: String,
    /// One sentence about where the term stands (may be empty).
    pub status: String,
    /// "Next class" or "First class".
    pub class_heading: String,
    /// The next class.
    pub class: Option<EntryCtx>,
    /// "Due in the next 7 days", "Due meanwhile", "Still due", "Next deadline".
    pub due_heading: String,
    /// The deadlines shown.
    pub due: Vec<EntryCtx>,
    /// What the box says when nothing is due.
    pub empty_note: String,
    /// The data semester.js recomputes the box from, as JSON safe inside `<script>`.
    pub data: String,
}

/// What both the build and the browser compute from.
#[derive(Debug, Clone, Serialize)]
struct Data {
    start: String,
    start_text: String,
    last: String,
    window: i32,
    holidays: Vec<HolidayData>,
    items: Vec<EntryCtx>,
}

#[derive(Debug, Clone, Serialize)]
struct HolidayData {
    from: String,
    to: String,
    name: String,
    to_text: String,
}

fn entry(item: &Item, i18n: &I18n) -> EntryCtx {
    EntryCtx {
        kind: item.kind.name(),
        kind_label: i18n.t(item.kind.label_key()),
        date: item.date.to_string(),
        date_text: i18n.dates.date(item.date),
        time_text: crate::schedule::agenda::time_text_in(item, &i18n.dates),
        title: item.title.clone(),
        url: item.url.clone(),
        location: item.location.clone(),
        detail: item.detail.clone(),
        start: item.start,
        end: item.end,
        countdown: String::new(),
    }
}

/// "today", "tomorrow", "in 3 days", "yesterday", in the course's language.
pub fn countdown(i18n: &I18n, today: Date, day: Date) -> String {
    match (day - today).get_days() {
        0 => i18n.t("today"),
        1 => i18n.t("tomorrow"),
        -1 => i18n.t("yesterday"),
        n if n < 0 => i18n.n("days_ago", -i64::from(n)),
        n => i18n.n("in_days", i64::from(n)),
    }
}

fn ahead(e: &EntryCtx, today: &str, now: u16) -> bool {
    e.date.as_str() > today || (e.date == today && e.end.or(e.start).is_none_or(|t| t > now))
}

/// The box for `today` at `now` (minutes after midnight), from the term's agenda.
pub fn next_up(term: &Term, items: &[Item], i18n: &I18n, today: Date, now: u16) -> NextUpCtx {
    let data = Data {
        start: term.start.to_string(),
        start_text: i18n.dates.date(term.start),
        last: crate::schedule::agenda::last_day(term, items).to_string(),
        window: WINDOW_DAYS,
        holidays: term
            .holidays
            .iter()
            .map(|h| HolidayData {
                from: h.from.to_string(),
                to: h.to.to_string(),
                name: h.name.clone(),
                to_text: i18n.dates.date(h.to),
            })
            .collect(),
        items: items
            .iter()
            .filter(|i| i.kind == ItemKind::Session || i.kind.is_deadline())
            .map(|i| entry(i, i18n))
            .collect(),
    };
    let json = serde_json::to_string(&data).unwrap_or_default();
    let mut ctx = pick(&data, i18n, today, now);
    // `<` never reaches the page raw, so no text can close the script element.
    ctx.data = json.replace('<', "\\u003c");
    ctx
}

/// What is still ahead on a day: the next class and the deadlines, with countdowns.
struct Ahead<'a> {
    i18n: &'a I18n,
    today: Date,
    iso: String,
    class: Option<EntryCtx>,
    deadlines: Vec<&'a EntryCtx>,
}

impl<'a> Ahead<'a> {
    fn new(data: &'a Data, i18n: &'a I18n, today: Date, now: u16) -> Self {
        let iso = today.to_string();
        let upcoming: Vec<&EntryCtx> = data.items.iter().filter(|e| ahead(e, &iso, now)).collect();
        let mut ahead = Ahead {
            i18n,
            today,
            iso,
            class: None,
            deadlines: upcoming
                .iter()
                .copied()
                .filter(|e| e.kind != "session")
                .collect(),
        };
        ahead.class = upcoming
            .iter()
            .find(|e| e.kind == "session")
            .map(|e| ahead.counted(e));
        ahead
    }

    fn counted(&self, e: &EntryCtx) -> EntryCtx {
        EntryCtx {
            countdown: e
                .date
                .parse()
                .map_or_else(|_| String::new(), |d| countdown(self.i18n, self.today, d)),
            ..e.clone()
        }
    }

    /// The deadlines on or before `until` (ISO date).
    fn until(&self, until: &str) -> Vec<EntryCtx> {
        self.deadlines
            .iter()
            .filter(|e| e.date.as_str() <= until)
            .map(|e| self.counted(e))
            .collect()
    }
}

/// The state, status and deadlines of a day from the term's start (or before it) to its
/// last dated day: before the term, in a break, after the last class, or a day of classes.
fn in_term(
    ctx: &mut NextUpCtx,
    ahead: &Ahead,
    (data, i18n): (&Data, &I18n),
    (today, horizon): (Date, &String),
) {
    let iso = &ahead.iso;
    let holiday = data
        .holidays
        .iter()
        .find(|h| &h.from <= iso && iso <= &h.to);
    if *iso < data.start {
        let when = data
            .start
            .parse()
            .map_or_else(|_| String::new(), |d| countdown(i18n, today, d));
        ctx.state = "before";
        let date = data.start_text.as_str();
        ctx.status = i18n.f("term_starts", &[("date", date), ("when", &when)]);
        ctx.class_heading = i18n.t("first_class");
        ctx.due = ahead.until(horizon);
    } else if let Some(h) = holiday {
        ctx.state = "break";
        ctx.status = if h.from == h.to {
            i18n.f("holiday_today", &[("name", &h.name)])
        } else {
            i18n.f("holiday_until", &[("name", &h.name), ("date", &h.to_text)])
        };
        ctx.due_heading = i18n.t("due_meanwhile");
        ctx.due = ahead.until(ahead.class.as_ref().map_or(&data.last, |c| &c.date));
    } else if ahead.class.is_none() {
        ctx.state = "finals";
        ctx.status = i18n.t("classes_over");
        ctx.due_heading = i18n.t("still_due");
        ctx.due = ahead.until(&data.last);
    } else {
        ctx.due = ahead.until(horizon);
        if let (true, Some(first)) = (ctx.due.is_empty(), ahead.deadlines.first()) {
            ctx.due_heading = i18n.t("next_deadline");
            ctx.due = vec![ahead.counted(first)];
        }
    }
}

fn pick(data: &Data, i18n: &I18n, today: Date, now: u16) -> NextUpCtx {
    let ahead = Ahead::new(data, i18n, today, now);
    let iso = ahead.iso.clone();
    let horizon = today
        .checked_add(jiff::Span::new().days(data.window))
        .map_or_else(|_| iso.clone(), |d| d.to_string());
    let mut ctx = NextUpCtx {
        state: "term",
        as_of: iso.clone(),
        status: String::new(),
        class_heading: i18n.t("next_class"),
        class: ahead.class.clone(),
        due_heading: i18n.n("due_within", i64::from(data.window)),
        due: Vec::new(),
        empty_note: String::new(),
        data: String::new(),
    };
    if iso > data.last {
        ctx.state = "over";
        ctx.status = i18n.t("term_over");
        ctx.class = None;
        return ctx;
    }
    in_term(&mut ctx, &ahead, (data, i18n), (today, &horizon));
    if ctx.due.is_empty() {
        ctx.empty_note = if ahead.deadlines.is_empty() {
            i18n.t("nothing_else_due")
        } else {
            i18n.t("nothing_due_until_then")
        };
    }
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::config::DueRule;
    use crate::schedule::agenda::{PageRef, Pages};
    use crate::schedule::calendar::tests::{SPRING, labs, ny, page, run_in, term};

    struct Slugs;
    impl Pages for Slugs {
        fn topic(&self, slug: &str) -> Option<PageRef> {
            Some(PageRef {
                title: slug.into(),
                url: String::new(),
            })
        }
        fn lab(&self, slug: &str) -> Option<PageRef> {
            Some(PageRef {
                title: slug.into(),
                url: String::new(),
            })
        }
    }

    /// The box as `state | status | class | due…`, each item `date title countdown`.
    fn show(day: &str, now: u16) -> String {
        let t = term(SPRING);
        let topics: Vec<_> = (1..=15)
            .map(|i| page("topics", &format!("{i:02}-t"), ""))
            .collect();
        let ls = labs(&[("01-lab", "topic: 01-t\n"), ("07-lab", "topic: 07-t\n")]);
        let (cal, errs) = run_in(&t, &ny(), DueRule::default(), &topics, &ls);
        assert!(errs.is_empty(), "{errs:?}");
        let items = crate::schedule::agenda::agenda(
            &t,
            &cal,
            &ny(),
            &Slugs,
            &I18n::new("en", Default::default(), Some(false)),
        );
        let en = I18n::new("en", Default::default(), Some(false));
        let b = next_up(&t, &items, &en, day.parse().unwrap(), now);
        let line = |e: &EntryCtx| format!("{} {} {}", e.date, e.title, e.countdown);
        let mut out = format!("{} | {} | ", b.state, b.status);
        out += &b
            .class
            .as_ref()
            .map_or_else(String::new, |c| format!("{}: {}", b.class_heading, line(c)));
        out += &format!(" | {}: ", b.due_heading);
        out += &b.due.iter().map(line).collect::<Vec<_>>().join("; ");
        out + &b.empty_note
    }

    /// Before the term, a Sunday before a Monday deadline, a break, the finals period, after.
    #[test]
    fn the_box_says_what_is_next_on_every_kind_of_day() {
        let cases = [
            (
                "2026-01-10",
                0,
                "before | The term starts Tue, Jan 20, in 10 days. | First class: 2026-01-26 01-t in 16 days | Due in the next 7 days: Nothing is due until then.",
            ),
            (
                "2026-03-01",
                0,
                "term |  | Next class: 2026-03-02 06-t tomorrow | Due in the next 7 days: 2026-03-02 Project proposal due tomorrow",
            ),
            (
                "2026-03-02",
                23 * 60 + 58,
                "term |  | Next class: 2026-03-09 07-t in 7 days | Due in the next 7 days: 2026-03-02 Project proposal due today",
            ),
            (
                "2026-03-02",
                23 * 60 + 59,
                "term |  | Next class: 2026-03-09 07-t in 7 days | Next deadline: 2026-03-16 07-lab due in 14 days",
            ),
            (
                "2026-03-18",
                0,
                "break | Spring recess until Sun, Mar 22. | Next class: 2026-03-23 08-t in 5 days | Due meanwhile: Nothing is due until then.",
            ),
            (
                "2026-03-15",
                0,
                "term |  | Next class: 2026-03-23 08-t in 8 days | Due in the next 7 days: 2026-03-16 07-lab due tomorrow",
            ),
            (
                "2026-02-16",
                0,
                "break | Presidents' Day: no class today. | Next class: 2026-02-18 04-t in 2 days | Due meanwhile: Nothing is due until then.",
            ),
            (
                "2026-05-13",
                0,
                "finals | Classes are over. |  | Still due: 2026-05-18 Final presentations in 5 days",
            ),
            (
                "2026-05-19",
                0,
                "over | The term is over. |  | Due in the next 7 days: ",
            ),
        ];
        for (day, now, want) in cases {
            assert_eq!(show(day, now), want, "{day} {now}");
        }
    }

    #[test]
    fn countdowns_read_naturally() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let en = I18n::new("en", Default::default(), None);
        assert_eq!(countdown(&en, d("2026-03-01"), d("2026-03-01")), "today");
        assert_eq!(countdown(&en, d("2026-03-01"), d("2026-03-02")), "tomorrow");
        assert_eq!(
            countdown(&en, d("2026-03-01"), d("2026-03-04")),
            "in 3 days"
        );
        assert_eq!(
            countdown(&en, d("2026-03-01"), d("2026-02-28")),
            "yesterday"
        );
        assert_eq!(
            countdown(&en, d("2026-03-03"), d("2026-03-01")),
            "2 days ago"
        );
        let de = I18n::new("de", Default::default(), None);
        assert_eq!(countdown(&de, d("2026-03-01"), d("2026-03-02")), "morgen");
        assert_eq!(
            countdown(&de, d("2026-03-01"), d("2026-03-04")),
            "in 3 Tagen"
        );
    }
}
