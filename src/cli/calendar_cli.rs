//! `semester calendar`: the computed calendar as a table an instructor reads in a terminal
//! before publishing, as JSON (SPEC section 8), or as the .ics feed.

use std::fmt::Write as _;

use crate::load::content::{Content, Kind};
use crate::load::term::{Term, Weekday};
use crate::render::context;
use crate::schedule::calendar::Calendar;

/// One row per week; sessions, labs released and labs due beside it; break weeks marked.
pub fn table(term: &Term, content: &Content, cal: &Calendar, tz: &jiff::tz::TimeZone) -> String {
    let title = |kind: Kind, slug: &str| {
        content
            .pages
            .iter()
            .find(|p| p.kind == kind && p.slug == slug)
            .map_or_else(|| slug.to_string(), |p| p.title.clone())
    };
    let mut rows: Vec<[String; 5]> = vec![[
        "Week".into(),
        "Dates".into(),
        "Sessions".into(),
        "Released".into(),
        "Due".into(),
    ]];
    for w in &cal.weeks {
        let sunday = w
            .monday
            .checked_add(jiff::Span::new().days(6))
            .unwrap_or(w.monday);
        let in_week = |d: jiff::civil::Date| d >= w.monday && d <= sunday;
        let week = w
            .number
            .map_or_else(|| "break".to_string(), |n| n.to_string());
        let dates = format!(
            "{} – {}",
            context::month_day(w.monday),
            context::month_day(sunday)
        );
        let sessions: Vec<String> = cal
            .sessions
            .iter()
            .filter(|s| in_week(s.date))
            .map(|s| {
                let topics: Vec<String> = s.topics.iter().map(|t| title(Kind::Topic, t)).collect();
                let what = if topics.is_empty() {
                    "(no topic)".to_string()
                } else {
                    topics.join(" + ")
                };
                let swap = s
                    .swapped_from
                    .map_or(String::new(), |w| format!(" [{} schedule]", w.label()));
                format!(
                    "#{} {} {}{swap}: {what}",
                    s.number,
                    Weekday::of(s.date).label(),
                    context::month_day(s.date)
                )
            })
            .collect();
        let released: Vec<String> = cal
            .labs
            .iter()
            .filter(|l| in_week(l.release))
            .map(|l| title(Kind::Lab, &l.slug))
            .collect();
        let due: Vec<String> = cal
            .labs
            .iter()
            .filter(|l| in_week(l.due.date()))
            .map(|l| {
                let when = context::when_zoned(&l.due.with_time_zone(tz.clone()));
                format!(
                    "{} ({} {})",
                    title(Kind::Lab, &l.slug),
                    when.date_text,
                    when.time_text
                )
            })
            .collect();
        let first = if w.number.is_none() {
            vec![format!(
                "— {} —",
                w.break_name.clone().unwrap_or_else(|| "break".into())
            )]
        } else {
            sessions
        };
        let height = first.len().max(released.len()).max(due.len()).max(1);
        for i in 0..height {
            let cell = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            rows.push([
                if i == 0 { week.clone() } else { String::new() },
                if i == 0 { dates.clone() } else { String::new() },
                cell(&first),
                cell(&released),
                cell(&due),
            ]);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "{} ({}), {} sessions\n",
        term.name,
        term.id,
        cal.sessions.len()
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
    let unscheduled: Vec<String> = cal
        .topic_sessions
        .iter()
        .filter(|(_, s)| s.is_empty())
        .map(|(slug, _)| title(Kind::Topic, slug))
        .collect();
    if !unscheduled.is_empty() {
        let mut u = unscheduled;
        u.sort();
        let _ = writeln!(out, "\nUnscheduled topics: {}", u.join(", "));
    }
    out
}
