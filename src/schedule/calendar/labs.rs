//! Lab release and due dates.

use std::collections::HashMap;

use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::due::{DueSpec, due_spec};
use super::front::{key_error, misplaced_keys, no_such_week, pos};
use super::weeks::{first_instructional_day, hhmm, local_time, numbered_week, plus_days};
use super::{DUE_GRACE_DAYS, LabDates, Session, Week};
use crate::base::diagnostics::{Diagnostics, did_you_mean};
use crate::load::config::DueRule;
use crate::load::content::SourcePage;
use crate::load::term::{Term, Weekday, parse_date};
use crate::load::yaml::Seg;

/// What lab placement needs to know.
pub(super) struct Ctx<'a> {
    pub(super) term: &'a Term,
    pub(super) tz: &'a TimeZone,
    pub(super) rule: DueRule,
    pub(super) weeks: &'a [Week],
    pub(super) sessions: &'a [Session],
    pub(super) topics: &'a [&'a SourcePage],
    pub(super) topic_sessions: &'a HashMap<String, Vec<u32>>,
}

/// A lab's release and due dates, or `None` after reporting what is wrong.
pub(super) fn lab_dates(
    ctx: &Ctx,
    index: usize,
    page: &SourcePage,
    diags: &mut Diagnostics,
) -> Option<LabDates> {
    let ok = misplaced_keys(page, true, diags);
    let release = lab_release(ctx, index, page, diags);
    let spec = due_spec(ctx.rule, page, diags);
    let ((release, release_key), spec) = (release?, spec?);
    if !ok {
        return None;
    }
    let due_day = match spec {
        DueSpec::Rule(r) => due_by_rule(release, r).map(|d| (d, r.time)),
        DueSpec::At(d, t) => Some((d, t.unwrap_or(ctx.rule.time))),
    };
    let key = if page.front.due.is_some() {
        "due"
    } else {
        release_key
    };
    let due = checked_due(ctx, (page, key), release, due_day, diags)?;
    let (line, col) = pos(page, &[Seg::Key(key)]);
    Some(LabDates {
        slug: page.slug.clone(),
        release,
        due,
        path: page.path.clone(),
        line,
        col,
    })
}

/// The due time of a lab released on `release`, due on `due_day` (`None`: past the calendar's
/// last date), or an error at `key` when it comes before the release, after the finals period,
/// or cannot be placed in the time zone.
fn checked_due(
    ctx: &Ctx,
    (page, key): (&SourcePage, &str),
    release: Date,
    due_day: Option<(Date, u16)>,
    diags: &mut Diagnostics,
) -> Option<ZonedDateTime> {
    let bad = |msg: String, hint: String| key_error(page, key, msg, hint);
    let Some((date, minutes)) = due_day else {
        let msg = format!(
            "the due date after a release on {release} is past the last date the calendar can hold"
        );
        diags.push(bad(msg, "release the lab earlier".into()));
        return None;
    };
    if date < release {
        let msg = format!(
            "this lab is due on {date} at {}, before it is released on {release}",
            hhmm(minutes)
        );
        diags.push(bad(
            msg,
            "set a later `due`, or release the lab earlier".into(),
        ));
        return None;
    }
    let last = plus_days(ctx.term.end, DUE_GRACE_DAYS).unwrap_or(Date::MAX);
    if date > last {
        let msg = format!(
            "this lab is due on {date}, more than {DUE_GRACE_DAYS} days after the term ends ({})",
            ctx.term.end
        );
        let hint = format!(
            "the latest a lab can be due is {last}: set an earlier `due`, or release the lab earlier"
        );
        diags.push(bad(msg, hint));
        return None;
    }
    let Some(due) = local_time(ctx.tz, date, minutes) else {
        let msg = format!(
            "{date} {} cannot be placed in the course time zone",
            hhmm(minutes)
        );
        diags.push(bad(msg, "pick another due date".into()));
        return None;
    };
    Some(due)
}

/// The first `rule.weekday` on or after `release` + `rule.min_days`.
pub fn due_by_rule(release: Date, rule: DueRule) -> Option<Date> {
    let earliest = plus_days(release, rule.min_days)?;
    let ahead = (rule.weekday.index() - Weekday::of(earliest).index()).rem_euclid(7);
    plus_days(earliest, i64::from(ahead))
}

/// The release date and the key that set it (`title` for the default).
pub(super) fn lab_release(
    ctx: &Ctx,
    index: usize,
    page: &SourcePage,
    diags: &mut Diagnostics,
) -> Option<(Date, &'static str)> {
    let f = &page.front;
    let given: Vec<&'static str> = [
        ("topic", f.topic.is_some()),
        ("week", f.week.is_some()),
        ("release", f.release.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, set)| set.then_some(k))
    .collect();
    if given.len() > 1 {
        let names: Vec<String> = given.iter().map(|k| format!("`{k}`")).collect();
        let list = match names.as_slice() {
            [a, b] => format!("{a} and {b}"),
            _ => names.join(", "),
        };
        let msg = format!("this lab sets its release date in more than one way: {list}");
        let hint = "keep one of `topic`, `week` or `release`";
        diags.push(key_error(page, given[1], msg, hint));
        return None;
    }
    let date = if let Some(slug) = &f.topic {
        release_with_topic(ctx, page, slug, diags)?
    } else if let Some(w) = f.week {
        release_in_week(ctx, page, w, diags)?
    } else if let Some(text) = &f.release {
        let hint = "write the release date as YYYY-MM-DD, e.g. release: 2026-02-02";
        parse_date(text)
            .map_err(|msg| diags.push(key_error(page, "release", msg, hint)))
            .ok()?
    } else {
        let Some(s) = ctx.sessions.get(index) else {
            let k = index + 1;
            let n = ctx.sessions.len();
            let msg = format!(
                "lab {k} is released with session {k} by default, but the term has only {n} sessions"
            );
            let hint =
                "set `release: YYYY-MM-DD`, `week: w` or `topic: <slug>` in its front matter";
            diags.push(key_error(page, "title", msg, hint));
            return None;
        };
        return Some((s.date, "title"));
    };
    Some((date, given[0]))
}

pub(super) fn release_with_topic(
    ctx: &Ctx,
    page: &SourcePage,
    slug: &str,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let Some(topic) = ctx.topics.iter().find(|t| t.slug == slug) else {
        let slugs: Vec<&str> = ctx.topics.iter().map(|t| t.slug.as_str()).collect();
        let hint = if slugs.is_empty() {
            "there are no topic pages in content/topics/".to_string()
        } else {
            did_you_mean(slug, &slugs)
        };
        diags.push(key_error(
            page,
            "topic",
            format!("there is no topic `{slug}`"),
            hint,
        ));
        return None;
    };
    if topic.front.unscheduled {
        let msg =
            format!("topic `{slug}` is unscheduled, so it has no session to release this lab with");
        let hint = "set `release: YYYY-MM-DD` or `week: w` instead, or schedule the topic";
        diags.push(key_error(page, "topic", msg, hint));
        return None;
    }
    // A topic that could not be placed has its own error already.
    let first = ctx.topic_sessions.get(slug)?.first()?;
    ctx.sessions
        .iter()
        .find(|s| s.number == *first)
        .map(|s| s.date)
}

pub(super) fn release_in_week(
    ctx: &Ctx,
    page: &SourcePage,
    w: i64,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let Some(week) = numbered_week(ctx.weeks, w) else {
        diags.push(no_such_week(page, ctx.weeks, w));
        return None;
    };
    let session = ctx.sessions.iter().find(|s| s.week == week.number);
    let date = session
        .map(|s| s.date)
        .or_else(|| first_instructional_day(ctx.term, week));
    if date.is_none() {
        let msg = format!("week {w} has no class day to release this lab on");
        let hint = "set `release: YYYY-MM-DD` instead, or pick another week";
        diags.push(key_error(page, "week", msg, hint));
    }
    date
}
