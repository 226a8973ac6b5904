//! `semester calendar`: the computed calendar as a table an instructor reads in a terminal
//! before publishing, as JSON (SPEC section 8), or as the .ics feed.

use std::fmt::Write as _;

use crate::load::config::Config;
use crate::load::content::{Content, Kind};
use jiff::civil::Weekday;

use crate::base::i18n::I18n;
use crate::base::i18n::dates::row_start;
use crate::load::term::Term;
use crate::schedule::agenda::{Item, ItemKind, PageRef, Pages};
use crate::schedule::calendar::Calendar;

/// Page titles by kind and slug (no URLs: a terminal has nowhere to link).
struct Titles<'a>(std::collections::HashMap<(Kind, &'a str), &'a str>);

impl<'a> Titles<'a> {
    fn new(content: &'a Content) -> Self {
        let mut map = std::collections::HashMap::new();
        for p in &content.pages {
            map.entry((p.kind, p.slug.as_str()))
                .or_insert(p.title.as_str());
        }
        Titles(map)
    }

    fn get(&self, kind: Kind, slug: &str) -> Option<PageRef> {
        self.0.get(&(kind, slug)).map(|t| PageRef {
            title: t.to_string(),
            url: String::new(),
        })
    }
}

impl Pages for Titles<'_> {
    fn topic(&self, slug: &str) -> Option<PageRef> {
        self.get(Kind::Topic, slug)
    }
    fn lab(&self, slug: &str) -> Option<PageRef> {
        self.get(Kind::Lab, slug)
    }
}

/// One row per dated item, week by week through the last one (the finals period included):
/// every class day of every meeting, office hours, lab releases and dues, events, every day
/// of a holiday, swap days with whose schedule they follow. Break weeks are named.
///
/// The table is what students will read on the calendar page, so it speaks the course's
/// language: headings, dates, times, week rows (from the language's first day of the week, as
/// the page has them) and labels come from the translation tables and CLDR. The diagnostics
/// printed after it stay English, like every diagnostic of the tool (docs/format.md).
pub fn table(term: &Term, content: &Content, cal: &Calendar, config: &Config) -> String {
    let i18n = &config.i18n;
    let titles = Titles::new(content);
    let items = crate::schedule::agenda::agenda(term, cal, &config.tz, &titles, i18n);
    // Titles, places, links and the course's own strings come from a course someone else
    // wrote: no escape code of theirs reaches the terminal (the rule of diagnostics,
    // `Escaped`). Dates and times are CLDR's (their bidi marks are meant) and stay as written.
    let inert = |s: &str| crate::base::diagnostics::Escaped(s).to_string();
    let rows: Vec<[String; 5]> = rows(term, cal, i18n, &items)
        .into_iter()
        .map(|[week, date, time, kind, what]| {
            [inert(&week), date, time, inert(&kind), inert(&what)]
        })
        .collect();
    let sessions = i18n.n("sessions_count", cal.sessions.len() as i64);
    let last = i18n
        .dates
        .long_date(crate::schedule::agenda::last_day(term, &items));
    // The date goes in after the escaping (a stand-in holds its place), as in the rows.
    let summary = i18n.f(
        "calendar_summary",
        &[
            ("term", &term.name),
            ("id", &term.id),
            ("sessions", &sessions),
            ("date", "\u{e000}"),
            ("zone", &config.course.timezone),
        ],
    );
    let mut out = format!("{}\n", inert(&summary).replace('\u{e000}', &last));
    out.push_str(&layout(&rows));
    let mut unscheduled: Vec<String> = cal
        .topic_sessions
        .iter()
        .filter(|(_, s)| s.is_empty())
        .map(|(slug, _)| inert(&titles.topic(slug).map_or_else(|| slug.clone(), |p| p.title)))
        .collect();
    if !unscheduled.is_empty() {
        unscheduled.sort();
        let list = i18n.f("unscheduled_topics", &[("topics", &unscheduled.join(", "))]);
        let _ = writeln!(out, "\n{list}");
    }
    out
}

/// The rows in columns as wide as their widest cell, a rule under the header.
fn layout(rows: &[[String; 5]]) -> String {
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| format!("{cell}{}", " ".repeat(widths[c] - width(cell))))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    out
}

/// The header and one row per item; the week label only on a week's first row. A row of the
/// calendar starts on the language's first day of the week and shows the term's week of the
/// Monday in it (as the calendar page does).
fn rows(term: &Term, cal: &Calendar, i18n: &I18n, items: &[Item]) -> Vec<[String; 5]> {
    let mut rows: Vec<[String; 5]> =
        vec![["col_week", "col_date", "col_time", "col_kind", "col_what"].map(|k| i18n.t(k))];
    let first = i18n.first_weekday;
    let mut shown_week = None;
    for item in items {
        let start = row_start(item.date, first);
        let monday = start
            .checked_add(jiff::Span::new().days(i64::from(Weekday::Monday.since(first))))
            .unwrap_or(start);
        let week = cal.weeks.iter().find(|w| w.monday == monday);
        let label = match week {
            Some(w) => w.number.map_or_else(
                || {
                    format!(
                        "{}: {}",
                        i18n.t("break"),
                        w.break_name.clone().unwrap_or_default()
                    )
                },
                |n| n.to_string(),
            ),
            None if monday > term.end => i18n.t("finals_period"),
            None => String::new(),
        };
        let first_of_week = shown_week != Some(start);
        shown_week = Some(start);
        rows.push([
            if first_of_week { label } else { String::new() },
            i18n.dates.date(item.date),
            crate::schedule::agenda::time_text_in(item, &i18n.dates)
                .replace(['\u{a0}', '\u{202f}'], " "),
            i18n.t(item.kind.label_key()),
            what(item),
        ]);
    }
    rows
}

/// "Intro to MLOps (Lecture · session 1) @ Room 202".
fn what(item: &Item) -> String {
    let mut s = item.title.clone();
    let detail = match item.kind {
        ItemKind::Swap
            if item
                .title
                .to_lowercase()
                .contains(&item.detail.to_lowercase()) =>
        {
            ""
        }
        _ => item.detail.as_str(),
    };
    if !detail.is_empty() {
        let _ = write!(s, " ({detail})");
    }
    if !item.location.is_empty() {
        let _ = write!(s, " @ {}", item.location);
    }
    if !item.link.is_empty() {
        let _ = write!(s, " <{}>", item.link);
    }
    s
}
