//! The term file skeleton, from the dates of the weekly modules: start and end are the first
//! and last date, the meeting weekdays those that recur, a class day without a module date is
//! a holiday (a week without any: a break), and each module takes as many sessions as it has
//! class days, in the order of its first date. Without any date, a placeholder term that holds
//! every topic, reported.

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday};
use serde_yaml::{Mapping, Value};

use super::report::{Kind, Report};
use super::schedule::MeetingPlan;

/// What the term file and the topics' front matter get.
#[derive(Debug)]
pub struct TermPlan {
    /// `fall-2024`.
    pub id: String,
    /// The term file.
    pub yaml: Mapping,
    /// For each topic (by index): its `order` and `sessions`, or `None` (no class day: unscheduled).
    pub topics: Vec<Option<(i64, usize)>>,
    /// The class days, in order.
    pub sessions: Vec<Date>,
    /// First and last day.
    pub span: (Date, Date),
}

/// The dates of one topic page: (its source path, the dates in it).
pub type TopicDates = (String, Vec<Date>);

/// Plans the term from the topics' dates and the meetings of `_schedules` (may be empty).
/// `dated` holds the topics' dates, then those of schedule pages (which have no topic).
pub fn plan(
    dated: &[TopicDates],
    n_topics: usize,
    meetings: &[MeetingPlan],
    today: Date,
    report: &mut Report,
) -> TermPlan {
    let all: BTreeSet<Date> = dated.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let topics = &dated[..n_topics.min(dated.len())];
    let (Some(&start), Some(&end)) = (all.first(), all.last()) else {
        return placeholder(topics.len(), meetings, today, report);
    };
    let days = class_days(&all, meetings);
    let sessions: Vec<Date> = all
        .iter()
        .copied()
        .filter(|d| days.contains(&d.weekday()))
        .collect();
    let holidays = gaps(start, end, &days, &all);
    let topic_plan = owned_sessions(topics, &days);
    let meetings = with_class(meetings, &days, report);
    let id = term_id(start);
    let yaml = term_yaml(&id, (start, end), &meetings, &holidays);
    report.add(
        Kind::Guessed,
        "_modules",
        1,
        format!(
            "the term runs {start} to {end} ({} class days on {}), from the dates of the modules",
            sessions.len(),
            names(&days)
        ),
        "check terms/ against the official calendar",
    );
    for (from, to) in &holidays {
        report.add(
            Kind::Guessed,
            "_modules",
            1,
            format!(
                "no module has a class on {from}{}: a holiday in the term file",
                if from == to {
                    String::new()
                } else {
                    format!(" to {to}")
                }
            ),
            "name the holiday, or delete it if there was class",
        );
    }
    TermPlan {
        id,
        yaml,
        topics: topic_plan,
        sessions,
        span: (start, end),
    }
}

/// The weekdays of the first class meeting: those of `_schedules`, else every weekday that
/// holds at least two module dates (or the only one's).
fn class_days(all: &BTreeSet<Date>, meetings: &[MeetingPlan]) -> Vec<Weekday> {
    if let Some(m) = meetings.iter().find(|m| !m.office_hours) {
        return m.days.clone();
    }
    let mut counts = [0usize; 7];
    for d in all {
        counts[d.weekday().to_monday_zero_offset() as usize] += 1;
    }
    // A weekday seen once among many dates is an exception (a makeup class), not a meeting.
    let min = if all.len() < 6 { 1 } else { 2 };
    let days: Vec<Weekday> = (0..7)
        .filter(|&i| counts[i] >= min)
        .map(|i| Weekday::from_monday_zero_offset(i as i8).unwrap_or(Weekday::Monday))
        .collect();
    if days.is_empty() {
        let mut found: Vec<Weekday> = Vec::new();
        for d in all {
            if !found.contains(&d.weekday()) {
                found.push(d.weekday());
            }
        }
        found.sort_by_key(|d| d.to_monday_zero_offset());
        found
    } else {
        days
    }
}

/// Runs of class days in [start, end] that no module names: (first, last).
fn gaps(start: Date, end: Date, days: &[Weekday], all: &BTreeSet<Date>) -> Vec<(Date, Date)> {
    let mut out: Vec<(Date, Date)> = Vec::new();
    let mut open = false;
    for d in start
        .series(jiff::Span::new().days(1))
        .take_while(|d| *d <= end)
    {
        if !days.contains(&d.weekday()) {
            continue;
        }
        match (all.contains(&d), open) {
            (true, _) => open = false,
            (false, true) => {
                if let Some(last) = out.last_mut() {
                    last.1 = d;
                }
            }
            (false, false) => {
                out.push((d, d));
                open = true;
            }
        }
    }
    out
}

/// Each topic's `order` (by first date) and its class days not taken by an earlier topic.
fn owned_sessions(topics: &[TopicDates], days: &[Weekday]) -> Vec<Option<(i64, usize)>> {
    let mut taken: BTreeSet<Date> = BTreeSet::new();
    let mut by_first: Vec<(Date, usize)> = topics
        .iter()
        .enumerate()
        .filter_map(|(i, (_, d))| d.iter().min().map(|m| (*m, i)))
        .collect();
    by_first.sort();
    let mut out = vec![None; topics.len()];
    for (rank, (_, i)) in by_first.into_iter().enumerate() {
        let mut own: Vec<Date> = topics[i]
            .1
            .iter()
            .copied()
            .filter(|d| days.contains(&d.weekday()))
            .collect();
        own.sort();
        own.dedup();
        let n = own.iter().filter(|d| taken.insert(**d)).count();
        out[i] = (n > 0).then_some(((rank as i64 + 1) * 10, n));
    }
    out
}

/// The meetings with a class first: `_schedules`' own, else a `Lecture` on `days`.
fn with_class(meetings: &[MeetingPlan], days: &[Weekday], report: &mut Report) -> Vec<MeetingPlan> {
    let mut out: Vec<MeetingPlan> = meetings.to_vec();
    out.sort_by_key(|m| m.office_hours);
    if out.first().is_none_or(|m| m.office_hours) {
        out.insert(0, MeetingPlan::lecture(days.to_vec()));
        let what = format!(
            "no `_schedules` names the class meeting: a `Lecture` on {}, 10:00–11:15, without a room",
            names(days)
        );
        report.add(
            Kind::Guessed,
            "_schedules",
            1,
            what,
            "write the class's real times and room in the term file's first meeting",
        );
    }
    out
}

fn placeholder(
    n_topics: usize,
    meetings: &[MeetingPlan],
    today: Date,
    report: &mut Report,
) -> TermPlan {
    let start = today
        .series(jiff::Span::new().days(1))
        .find(|d| d.weekday() == Weekday::Monday)
        .unwrap_or(today);
    let weeks = 14.max(n_topics / 2 + 2) as i64;
    let end = start
        .checked_add(jiff::Span::new().days(weeks * 7 - 3))
        .unwrap_or(start);
    let meetings = with_class(meetings, &[Weekday::Monday, Weekday::Wednesday], report);
    let id = term_id(start);
    let yaml = term_yaml(&id, (start, end), &meetings, &[]);
    report.add(Kind::LeftOut, "_config.yml", 1, format!("no dates were found in the modules: terms/{id}.yaml is a placeholder ({start} to {end})"), "write the term's real start, end, meetings and holidays in the term file");
    TermPlan {
        id,
        yaml,
        topics: vec![None; n_topics],
        sessions: Vec::new(),
        span: (start, end),
    }
}

/// `fall-2024` from the first day.
fn term_id(start: Date) -> String {
    let season = match start.month() {
        1..=5 => "spring",
        6..=8 => "summer",
        _ => "fall",
    };
    format!("{season}-{}", start.year())
}

fn term_yaml(
    id: &str,
    (start, end): (Date, Date),
    meetings: &[MeetingPlan],
    holidays: &[(Date, Date)],
) -> Mapping {
    let mut m = Mapping::new();
    let (season, year) = id.split_once('-').unwrap_or((id, ""));
    let name = format!("{}{} {year}", season[..1].to_uppercase(), &season[1..]);
    m.insert("name".into(), name.into());
    m.insert("start".into(), start.to_string().into());
    m.insert("end".into(), end.to_string().into());
    m.insert(
        "meetings".into(),
        Value::Sequence(meetings.iter().map(MeetingPlan::yaml).collect()),
    );
    if !holidays.is_empty() {
        let list = holidays.iter().map(|(f, t)| {
            let mut h = Mapping::new();
            if f == t {
                h.insert("date".into(), f.to_string().into());
            } else {
                h.insert("from".into(), f.to_string().into());
                h.insert("to".into(), t.to_string().into());
            }
            h.insert("name".into(), "No class".into());
            Value::Mapping(h)
        });
        m.insert("holidays".into(), Value::Sequence(list.collect()));
    }
    m
}

fn names(days: &[Weekday]) -> String {
    days.iter()
        .map(|d| super::schedule::short(*d))
        .collect::<Vec<_>>()
        .join(", ")
}
