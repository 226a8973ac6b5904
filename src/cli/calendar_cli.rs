//! `semester calendar`: the computed calendar as a table an instructor reads in a terminal
//! before publishing, as JSON (SPEC section 8), or as the .ics feed.

use std::fmt::Write as _;

use crate::load::config::Config;
use crate::load::content::{Content, Kind};
use crate::load::term::{Term, Weekday};
use crate::render::context as model;
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
pub fn table(term: &Term, content: &Content, cal: &Calendar, config: &Config) -> String {
    let titles = Titles::new(content);
    let items = crate::schedule::agenda::agenda(term, cal, &config.tz, &titles, &config.i18n);
    // Titles, places and links come from a course someone else wrote: no escape code of
    // theirs reaches the terminal (the rule of diagnostics, `Escaped`).
    let inert = |s: &str| crate::base::diagnostics::Escaped(s).to_string();
    let rows: Vec<[String; 5]> = rows(term, cal, config, &items)
        .into_iter()
        .map(|r| r.map(|cell| inert(&cell)))
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "{} ({}), {} sessions, through {}; times in {}\n",
        inert(&term.name),
        term.id,
        cal.sessions.len(),
        model::long_date_text(crate::schedule::agenda::last_day(term, &items)),
        config.course.timezone
    );
    for (i, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| format!("{cell:<w$}", w = widths[c]))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    let mut unscheduled: Vec<String> = cal
        .topic_sessions
        .iter()
        .filter(|(_, s)| s.is_empty())
        .map(|(slug, _)| inert(&titles.topic(slug).map_or_else(|| slug.clone(), |p| p.title)))
        .collect();
    if !unscheduled.is_empty() {
        unscheduled.sort();
        let _ = writeln!(out, "\nUnscheduled topics: {}", unscheduled.join(", "));
    }
    out
}

/// The header and one row per item; the week label only on a week's first row.
fn rows(term: &Term, cal: &Calendar, config: &Config, items: &[Item]) -> Vec<[String; 5]> {
    let mut rows: Vec<[String; 5]> = vec![[
        "Week".into(),
        "Date".into(),
        "Time".into(),
        "Kind".into(),
        "What".into(),
    ]];
    let mut shown_week = None;
    for item in items {
        let monday = item
            .date
            .checked_sub(jiff::Span::new().days(i64::from(Weekday::of(item.date).index())))
            .unwrap_or(item.date);
        let week = cal.weeks.iter().find(|w| w.monday == monday);
        let label = match week {
            Some(w) => w.number.map_or_else(
                || format!("break: {}", w.break_name.clone().unwrap_or_default()),
                |n| n.to_string(),
            ),
            None if item.date > term.end => "finals".to_string(),
            None => String::new(),
        };
        let first_of_week = shown_week != Some(monday);
        shown_week = Some(monday);
        rows.push([
            if first_of_week { label } else { String::new() },
            format!(
                "{} {}",
                Weekday::of(item.date).label(),
                model::month_day(item.date)
            ),
            crate::schedule::agenda::time_text(item, config.clock).replace('\u{a0}', " "),
            item.kind.label().to_string(),
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
