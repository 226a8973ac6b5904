//! Each page of the Jekyll site written as a page of the course: its front matter converted,
//! the term's plan applied (a topic's `order` and `sessions`, a lab's `release` and `due`, an
//! announcement's `date`), its body moved. Every hand-typed date is listed in the report.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_yaml::{Mapping, Value};

use super::Made;
use super::body::Places;
use super::dates::{self, Written};
use super::pages::SrcPage;
use super::report::{Kind, Report};
use super::term::{TermPlan, TopicDates};

/// Top-level pages that hold the term's schedule as a table or a list (their dates are class
/// days, without a topic each).
const TABLES: &[&str] = &[
    "schedule.md",
    "calendar-page.md",
    "lectures.md",
    "lectures-page.md",
    "schedule-page.md",
];

/// The year of dates written without one: the one most written in the topics and tables and
/// in the announcements' dates, else this year's.
fn likely_year(
    pages: &[SrcPage],
    dests: &BTreeMap<String, String>,
    found: &[Vec<Written>],
    today: Date,
) -> i16 {
    let mut years: BTreeMap<i16, usize> = BTreeMap::new();
    for w in found.iter().flatten().filter_map(|w| w.year) {
        *years.entry(w).or_default() += 1;
    }
    for p in pages.iter().filter(|p| is(dests, p, "announcements/")) {
        if let Some(y) = p
            .get("date")
            .and_then(|d| dates::find(&d).first().and_then(|w| w.year))
        {
            *years.entry(y).or_default() += 1;
        }
    }
    years
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or(today.year(), |(y, _)| *y)
}

/// The date `w` on line `lines[w.line]` of topic `p` in `year`, reported as converted; `None`
/// for a day without classes (reported too) or one that does not exist (left out).
fn read_date(
    p: &SrcPage,
    lines: &[&str],
    w: &Written,
    year: i16,
    report: &mut Report,
) -> Option<Date> {
    let at = w.line + p.body_line - 1;
    match (w.date(year), no_class(lines, w.line)) {
        (Some(d), Some(why)) => {
            let what = format!("{d} is read as a day {why}: not a class day");
            report.add(
                Kind::Converted,
                &p.path,
                at,
                what,
                "check the holidays in the term file",
            );
        }
        (Some(d), None) => {
            let what = format!(
                "the date on this line is read as {d} ({})",
                d.strftime("%a")
            );
            report.add(
                Kind::Converted,
                &p.path,
                w.line + p.body_line - 1,
                what,
                "nothing to do if right; the term file now computes it",
            );
            return Some(d);
        }
        (None, _) => report.add(
            Kind::LeftOut,
            &p.path,
            at,
            "a date on this line does not exist".into(),
            "correct it",
        ),
    }
    None
}

/// The dates typed in each topic page (in the order of the pages), and last those of the
/// schedule pages (path `""`), with the year each takes:
/// the one written next to it, else the year most written in the site (else this year), one
/// more after a month that goes back by half a year or more (a fall term into January).
pub fn topic_dates(
    pages: &[SrcPage],
    dests: &BTreeMap<String, String>,
    today: Date,
    report: &mut Report,
) -> Vec<TopicDates> {
    let tables = pages.iter().filter(|p| {
        dests
            .get(&p.path)
            .is_some_and(|d| TABLES.contains(&d.as_str()))
    });
    let topics: Vec<&SrcPage> = pages
        .iter()
        .filter(|p| is(dests, p, "topics/"))
        .chain(tables)
        .collect();
    let found: Vec<Vec<Written>> = topics.iter().map(|p| dates::find(&p.body)).collect();
    let mut year = likely_year(pages, dests, &found, today);
    let mut last_month = 0;
    let mut out = Vec::new();
    for (p, written) in topics.into_iter().zip(found) {
        let mut list = Vec::new();
        let lines: Vec<&str> = p.body.lines().collect();
        for w in written {
            if let Some(y) = w.year {
                year = y;
            } else if w.month + 6 <= last_month {
                year += 1;
            }
            last_month = w.month;
            list.extend(read_date(p, &lines, &w, year, report));
        }
        out.push((p.path.clone(), list));
    }
    out
}

/// Why the date on 1-based `line` is no class day, if its line (or the next) says so: a
/// holiday, or a deadline rather than a class.
fn no_class(lines: &[&str], line: usize) -> Option<&'static str> {
    let own = lines
        .get(line - 1)
        .map(|l| l.to_ascii_lowercase())
        .unwrap_or_default();
    let next = lines
        .get(line)
        .map(|l| l.to_ascii_lowercase())
        .unwrap_or_default();
    let said =
        |w: &str| own.contains(w) || (next.trim_start().starts_with(':') && next.contains(w));
    if ["no class", "holiday", "break", "no lecture", "cancel"]
        .iter()
        .any(|w| said(w))
    {
        return Some("without class");
    }
    own.contains("due").then_some("something is due")
}

fn is(dests: &BTreeMap<String, String>, p: &SrcPage, section: &str) -> bool {
    dests
        .get(&p.path)
        .is_some_and(|d| d.starts_with(section) && !d.ends_with("_index.md"))
}

/// Every page, written.
pub fn pages(
    pages: &[SrcPage],
    dests: &BTreeMap<String, String>,
    plan: &TermPlan,
    places: &Places,
    report: &mut Report,
) -> Vec<(String, Made)> {
    let mut seen = super::front::Seen::default();
    let mut topic = 0;
    let labs = lab_order(pages, dests);
    let mut out = Vec::new();
    for p in pages {
        let Some(dest) = dests.get(&p.path) else {
            continue;
        };
        let mut front = super::front::convert(p, dest, &mut seen, report);
        if is(dests, p, "topics/") {
            apply_topic(
                &mut front,
                plan.topics.get(topic).copied().flatten(),
                p,
                report,
            );
            topic += 1;
        } else if is(dests, p, "labs/") {
            let k = labs.iter().position(|l| *l == p.path).unwrap_or(0);
            apply_lab(&mut front, p, k, plan, report);
        } else if is(dests, p, "announcements/") {
            apply_date(&mut front, p, plan.span.0, report);
        }
        let body = super::body::convert(p, dest, places, report);
        let gap = if body.is_empty() { "" } else { "\n" };
        let text = format!("---\n{}---\n{gap}{body}", super::course::yaml_text(&front));
        out.push((format!("content/{dest}"), Made::Text(text)));
    }
    seen.report(report);
    out
}

/// A topic's place in the term: `order` by its first date and its number of class days; a
/// topic without one is unscheduled.
fn apply_topic(
    front: &mut Mapping,
    planned: Option<(i64, usize)>,
    p: &SrcPage,
    report: &mut Report,
) {
    match planned {
        Some((order, n)) => {
            front.insert("order".into(), order.into());
            if n > 1 {
                front.insert("sessions".into(), (n as i64).into());
            }
        }
        None if front.get("unscheduled").is_none() => {
            front.insert("unscheduled".into(), true.into());
            report.add(
                Kind::Guessed,
                &p.path,
                1,
                "no class day is written in this module: it is unscheduled".into(),
                "give it `session:` or `week:` if it has a place in the term",
            );
        }
        None => {}
    }
}

/// The labs' source paths in the order semester numbers them (by `order`, then file name).
fn lab_order(pages: &[SrcPage], dests: &BTreeMap<String, String>) -> Vec<String> {
    let mut labs: Vec<(Option<f64>, String, String)> = pages
        .iter()
        .filter(|p| is(dests, p, "labs/"))
        .map(|p| {
            let order = p.get("nav_order").and_then(|o| o.parse::<f64>().ok());
            (order, dests[&p.path].clone(), p.path.clone())
        })
        .collect();
    labs.sort_by(|a, b| {
        (a.0.is_none(), a.1.as_str())
            .cmp(&(b.0.is_none(), b.1.as_str()))
            .then(a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
    });
    labs.into_iter().map(|(_, _, p)| p).collect()
}

/// A lab's release and due: a due date written in its front matter (`due`, `due_date`,
/// `deadline`) or on a line of it that says "due"; else the course rule, released with session
/// k, or at the end of the term when there are fewer sessions than labs.
fn apply_lab(front: &mut Mapping, p: &SrcPage, k: usize, plan: &TermPlan, report: &mut Report) {
    let (start, end) = plan.span;
    let written = ["due", "due_date", "deadline"]
        .iter()
        .find_map(|key| {
            p.get(key)
                .and_then(|v| dates::find(&v).first().map(|w| (*w, p.line_of(key))))
        })
        .or_else(|| due_line(p));
    let due = written.and_then(|(w, line)| w.date(start.year()).map(|d| (d, line)));
    let last = end.checked_add(jiff::Span::new().days(14)).unwrap_or(end);
    match due {
        Some((d, line)) if d >= start && d <= last => {
            let release = d
                .checked_sub(jiff::Span::new().days(7))
                .unwrap_or(start)
                .max(start);
            front.insert("release".into(), release.to_string().into());
            front.insert("due".into(), d.to_string().into());
            report.add(
                Kind::Guessed,
                &p.path,
                line,
                format!("due {d}, released a week before ({release})"),
                "check the due time (the course rule's) and the release",
            );
            return;
        }
        Some((d, line)) => report.add(
            Kind::LeftOut,
            &p.path,
            line,
            format!("the due date {d} is outside the term ({start} to {end}): not placed"),
            "set `due:` by hand",
        ),
        None => {}
    }
    if k >= plan.sessions.len().max(1) || plan.sessions.is_empty() {
        front.insert("release".into(), end.to_string().into());
    }
}

/// The first date on a line of the page that says "due".
fn due_line(p: &SrcPage) -> Option<(Written, usize)> {
    let line = p
        .body
        .lines()
        .position(|l| l.to_ascii_lowercase().contains("due") && !dates::find(l).is_empty())?;
    let text = p.body.lines().nth(line)?;
    dates::find(text).first().map(|w| (*w, line + p.body_line))
}

/// An announcement's `date`: its front matter's, else the one in a `YYYY-MM-DD-` file name,
/// else the first day of the term (reported).
fn apply_date(front: &mut Mapping, p: &SrcPage, fallback: Date, report: &mut Report) {
    let stem = p.path.rsplit('/').next().unwrap_or(&p.path);
    let found = p
        .get("date")
        .and_then(|d| dates::find(&d).into_iter().find(|w| w.year.is_some()))
        .or_else(|| {
            dates::find(stem.get(..10).unwrap_or(""))
                .into_iter()
                .find(|w| w.year.is_some())
        })
        .and_then(|w| w.date(0));
    let date = found.unwrap_or_else(|| {
        report.add(
            Kind::Guessed,
            &p.path,
            p.line_of("date"),
            format!("no date: posted on the first day of the term, {fallback}"),
            "set `date:`",
        );
        fallback
    });
    front.insert("date".into(), Value::from(date.to_string()));
}
