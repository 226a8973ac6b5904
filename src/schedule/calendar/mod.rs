//! The computed calendar (SPEC section 4): class days, sessions, weeks, topic placement and lab
//! release and due dates, all from the term file. Pure: the term and the pages come in as
//! arguments, never from the clock.
//!
//! Rules the SPEC leaves open, decided here:
//!
//! - **Week 1** is always the week holding `start`, even when it has no class day; only later
//!   weeks can be breaks. A break week made of several holidays is named after all of them
//!   (`Thanksgiving / Fall break`).
//! - **Topics** are placed in section order. An unpinned topic takes the first run of
//!   `sessions` free sessions at or after the cursor (the session after the previous topic); a
//!   pinned topic (`session: k` or `week: w`) takes its sessions where it is pinned and moves the
//!   cursor to just after them, so later unpinned topics continue after it, skipping sessions
//!   that earlier pins already hold. Two topics never share a session: a pin that lands on a
//!   session an earlier topic (in section order) already holds is an error on the later topic.
//! - **Due times** are local times in the course time zone. A time that does not exist (in a
//!   spring-forward gap) moves forward by the length of the gap (02:30 becomes 03:30); a time
//!   that happens twice (fall-back) is the first of the two. This is jiff's `compatible` rule.
//! - **Labs** may be due up to [`DUE_GRACE_DAYS`] after the last day of classes (finals);
//!   events in that window are not warned about either.

mod due;
mod front;
mod labs;
mod report;
mod topics;
mod weeks;

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::base::diagnostics::Diagnostics;
use crate::load::config::DueRule;
use crate::load::content::SourcePage;
use crate::load::term::{Term, Weekday};

pub use labs::due_by_rule;
pub use report::{rfc3339, to_json, warnings};
pub use weeks::{holiday_on, local_time};

use labs::{Ctx, lab_dates};
use topics::place_topics;
use weeks::{class_days, declare_sessions, week_of, weeks_of};

/// How many days after `end` a lab may still be due (the finals period).
pub const DUE_GRACE_DAYS: i64 = 14;

/// A Monday-to-Sunday week of the term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    /// 1.. for teaching weeks; `None` for a break week.
    pub number: Option<u32>,
    /// The Monday that starts it.
    pub monday: Date,
    /// For a break week: the holiday's name.
    pub break_name: Option<String>,
}

/// One class day of the first meeting: what topics are scheduled on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// 1..N in date order.
    pub number: u32,
    /// The day.
    pub date: Date,
    /// Local start, minutes after midnight.
    pub start: u16,
    /// Local end, minutes after midnight.
    pub end: u16,
    /// The teaching week it falls in (`None` only for a weekend class in a break week).
    pub week: Option<u32>,
    /// Slugs of the topics scheduled on it.
    pub topics: Vec<String>,
    /// The weekday whose schedule it follows when it is a swap day.
    pub swapped_from: Option<Weekday>,
    /// The term's `sessions:` entry that declares it (index into `term.notes`), if any.
    pub note: Option<usize>,
}

/// A class day of a meeting other than the first (recitation, lab section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index into `term.meetings`.
    pub meeting: usize,
    /// The day.
    pub date: Date,
}

/// A lab's computed dates.
#[derive(Debug, Clone, PartialEq)]
pub struct LabDates {
    /// The lab's slug.
    pub slug: String,
    /// The day it is released.
    pub release: Date,
    /// When it is due, in the course time zone.
    pub due: ZonedDateTime,
    /// The lab page, so that later warnings (`semester check`) can point at it.
    pub path: PathBuf,
    /// Line in that file of the key that decided the due date (`due`, else the release key).
    pub line: usize,
    /// Column of that key.
    pub col: usize,
}

/// Everything the site, the .ics and `semester calendar` show about dates.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Every calendar week from the one holding `start` to the one holding `end`.
    pub weeks: Vec<Week>,
    /// Sessions of the first meeting, numbered.
    pub sessions: Vec<Session>,
    /// Class days of the other meetings.
    pub occurrences: Vec<Occurrence>,
    /// Topic slug → the session numbers it takes (empty for unscheduled topics).
    pub topic_sessions: HashMap<String, Vec<u32>>,
    /// Labs in their section's order.
    pub labs: Vec<LabDates>,
}

/// Computes the calendar of `term` for the topic pages and lab pages given (each already
/// sorted in section order). Author mistakes (a topic pinned to a missing session, more topics
/// than sessions, a lab naming a missing topic, a due date before release…) go to `diags`;
/// a topic or lab with a mistake is left off the calendar rather than guessed at.
pub fn schedule(
    term: &Term,
    tz: &TimeZone,
    rule: DueRule,
    topics: &[&SourcePage],
    labs: &[&SourcePage],
    diags: &mut Diagnostics,
) -> Calendar {
    let weeks = weeks_of(term);
    let (mut sessions, occurrences) = class_days(term);
    for s in &mut sessions {
        s.week = week_of(&weeks, s.date).and_then(|w| w.number);
    }
    declare_sessions(term, &mut sessions, diags);
    let topic_sessions = place_topics(term, &weeks, &sessions, topics, diags);
    for page in topics {
        for n in topic_sessions.get(&page.slug).into_iter().flatten() {
            let i = (*n as usize).checked_sub(1);
            if let Some(s) = i.and_then(|i| sessions.get_mut(i)) {
                s.topics.push(page.slug.clone());
            }
        }
    }
    let ctx = Ctx {
        term,
        tz,
        rule,
        weeks: &weeks,
        sessions: &sessions,
        topics,
        topic_sessions: &topic_sessions,
    };
    let labs = labs
        .iter()
        .enumerate()
        .filter_map(|(i, page)| lab_dates(&ctx, i, page, diags))
        .collect();
    Calendar {
        weeks,
        sessions,
        occurrences,
        topic_sessions,
        labs,
    }
}

#[cfg(test)]
pub(crate) mod tests;
