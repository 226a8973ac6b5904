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
    /// `countdown` as HTML: an English fallback is marked `lang="en"`.
    pub countdown_html: String,
    /// `kind_label` as HTML, marked the same way.
    pub kind_label_html: String,
    /// `title` as HTML, marked the same way.
    pub title_html: String,
    /// `detail` as HTML, marked the same way.
    pub detail_html: String,
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
    /// `status` as HTML: an English fallback is marked `lang="en"` (WCAG 3.1.2).
    pub status_html: String,
    /// "Next class" or "First class".
    pub class_heading: String,
    /// `class_heading` as HTML, marked the same way.
    pub class_heading_html: String,
    /// The next class.
    pub class: Option<EntryCtx>,
    /// "Due in the next 7 days", "Due meanwhile", "Still due", "Next deadline".
    pub due_heading: String,
    /// `due_heading` as HTML, marked the same way.
    pub due_heading_html: String,
    /// The deadlines shown.
    pub due: Vec<EntryCtx>,
    /// What the box says when nothing is due.
    pub empty_note: String,
    /// `empty_note` as HTML, marked the same way.
    pub empty_note_html: String,
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

/// [`Data`] as semester.js reads it: an item's HTML only where it differs from its escaped
/// text (an English fallback marked), so a page in a built-in language carries it once.
#[derive(Serialize)]
struct Embedded<'a> {
    start: &'a str,
    start_text: &'a str,
    last: &'a str,
    window: i32,
    holidays: &'a [HolidayData],
    items: Vec<EmbeddedItem<'a>>,
}

#[derive(Serialize)]
struct EmbeddedItem<'a> {
    #[serde(flatten)]
    text: Lean<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind_label_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail_html: Option<&'a str>,
}

/// The text fields of an [`EntryCtx`], in its order.
#[derive(Serialize)]
struct Lean<'a> {
    kind: &'a str,
    kind_label: &'a str,
    date: &'a str,
    date_text: &'a str,
    time_text: &'a str,
    title: &'a str,
    url: &'a str,
    location: &'a str,
    detail: &'a str,
    start: Option<u16>,
    end: Option<u16>,
    countdown: &'a str,
}

impl<'a> Embedded<'a> {
    fn of(data: &'a Data) -> Self {
        let differs =
            |html: &'a str, text: &str| (html != crate::base::i18n::esc(text)).then_some(html);
        let items = data.items.iter().map(|e| EmbeddedItem {
            text: Lean {
                kind: e.kind,
                kind_label: &e.kind_label,
                date: &e.date,
                date_text: &e.date_text,
                time_text: &e.time_text,
                title: &e.title,
                url: &e.url,
                location: &e.location,
                detail: &e.detail,
                start: e.start,
                end: e.end,
                countdown: &e.countdown,
            },
            kind_label_html: differs(&e.kind_label_html, &e.kind_label),
            title_html: differs(&e.title_html, &e.title),
            detail_html: differs(&e.detail_html, &e.detail),
        });
        Embedded {
            start: &data.start,
            start_text: &data.start_text,
            last: &data.last,
            window: data.window,
            holidays: &data.holidays,
            items: items.collect(),
        }
    }
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
        countdown_html: String::new(),
        kind_label_html: i18n.fill_html(item.kind.label_key(), None, &[]),
        title_html: item.title_html.clone(),
        detail_html: item.detail_html.clone(),
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
    let json = serde_json::to_string(&Embedded::of(&data)).unwrap_or_default();
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
        let said = e.date.parse().map_or_else(
            |_| Said::default(),
            |d| countdown_said(self.i18n, self.today, d),
        );
        EntryCtx {
            countdown: said.text,
            countdown_html: said.html,
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

/// A message as text and as HTML (an English fallback marked, [`I18n::fill_html`]).
#[derive(Debug, Clone, Default)]
struct Said {
    text: String,
    html: String,
}

impl Said {
    /// `key`'s message with `{n}` and `args` filled.
    fn of(i18n: &I18n, key: &str, n: Option<i64>, args: &[(&str, &Said)]) -> Said {
        let text: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.text.as_str())).collect();
        let html: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.html.as_str())).collect();
        Said {
            text: i18n.lookup(key, n, &text).0,
            html: i18n.fill_html(key, n, &html),
        }
    }

    /// Words that are no message (a date, a holiday's name).
    fn plain(text: &str) -> Said {
        Said {
            text: text.to_string(),
            html: crate::base::i18n::esc(text),
        }
    }
}

/// "today", "tomorrow", "in 3 days" as text and HTML.
fn countdown_said(i18n: &I18n, today: Date, day: Date) -> Said {
    match (day - today).get_days() {
        0 => Said::of(i18n, "today", None, &[]),
        1 => Said::of(i18n, "tomorrow", None, &[]),
        -1 => Said::of(i18n, "yesterday", None, &[]),
        n if n < 0 => Said::of(i18n, "days_ago", Some(-i64::from(n)), &[]),
        n => Said::of(i18n, "in_days", Some(i64::from(n)), &[]),
    }
}

/// The words of the box: status, headings and the note when nothing is due.
#[derive(Debug, Default)]
struct Words {
    status: Said,
    class_heading: Said,
    due_heading: Said,
    empty_note: Said,
}

fn pick(data: &Data, i18n: &I18n, today: Date, now: u16) -> NextUpCtx {
    let ahead = Ahead::new(data, i18n, today, now);
    let iso = ahead.iso.clone();
    let say = |key: &str, args: &[(&str, &Said)]| Said::of(i18n, key, None, args);
    let mut words = Words {
        class_heading: say("next_class", &[]),
        due_heading: Said::of(i18n, "due_within", Some(i64::from(data.window)), &[]),
        ..Words::default()
    };
    let mut state = "term";
    let mut class = ahead.class.clone();
    let mut due = Vec::new();
    let holiday = data.holidays.iter().find(|h| h.from <= iso && iso <= h.to);
    if iso > data.last {
        state = "over";
        words.status = say("term_over", &[]);
        class = None;
    } else if iso < data.start {
        let when = data
            .start
            .parse()
            .map_or_else(|_| Said::default(), |d| countdown_said(i18n, today, d));
        state = "before";
        let date = Said::plain(&data.start_text);
        words.status = say("term_starts", &[("date", &date), ("when", &when)]);
        words.class_heading = say("first_class", &[]);
        due = ahead.until(&horizon(today, data.window, &iso));
    } else if let Some(h) = holiday {
        state = "break";
        let (name, date) = (Said::plain(&h.name), Said::plain(&h.to_text));
        words.status = match h.from == h.to {
            true => say("holiday_today", &[("name", &name)]),
            false => say("holiday_until", &[("name", &name), ("date", &date)]),
        };
        words.due_heading = say("due_meanwhile", &[]);
        due = ahead.until(ahead.class.as_ref().map_or(&data.last, |c| &c.date));
    } else if ahead.class.is_none() {
        state = "finals";
        words.status = say("classes_over", &[]);
        words.due_heading = say("still_due", &[]);
        due = ahead.until(&data.last);
    } else {
        due = ahead.until(&horizon(today, data.window, &iso));
        if let (true, Some(first)) = (due.is_empty(), ahead.deadlines.first()) {
            words.due_heading = say("next_deadline", &[]);
            due = vec![ahead.counted(first)];
        }
    }
    if due.is_empty() && state != "over" {
        words.empty_note = match ahead.deadlines.is_empty() {
            true => say("nothing_else_due", &[]),
            false => say("nothing_due_until_then", &[]),
        };
    }
    words.into_context(state, iso, class, due)
}

impl Words {
    /// The box's context: these words with its state, day, next class and deadlines.
    fn into_context(
        self,
        state: &'static str,
        as_of: String,
        class: Option<EntryCtx>,
        due: Vec<EntryCtx>,
    ) -> NextUpCtx {
        NextUpCtx {
            state,
            as_of,
            status: self.status.text,
            status_html: self.status.html,
            class_heading: self.class_heading.text,
            class_heading_html: self.class_heading.html,
            class,
            due_heading: self.due_heading.text,
            due_heading_html: self.due_heading.html,
            due,
            empty_note: self.empty_note.text,
            empty_note_html: self.empty_note.html,
            data: String::new(),
        }
    }
}

/// The ISO day `window` days after `today` (`iso` when out of range).
fn horizon(today: Date, window: i32, iso: &str) -> String {
    today
        .checked_add(jiff::Span::new().days(window))
        .map_or_else(|_| iso.to_string(), |d| d.to_string())
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
