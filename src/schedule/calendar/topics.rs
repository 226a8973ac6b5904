//! Topic placement: each topic's sessions, by the rule in the module documentation of
//! [`super`].

use std::collections::HashMap;
use std::ops::Range;

use super::front::{key_error, misplaced_keys, no_such_week};
use super::weeks::{numbered_week, reserved};
use super::{Session, Week};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::content::SourcePage;
use crate::load::term::Term;

/// Where a topic asks to go.
pub(super) enum Want {
    Unscheduled,
    Next(usize),
    Pinned {
        start: usize,
        count: usize,
        key: &'static str,
    },
}

/// Places every topic; see the module documentation for the rule.
pub(super) fn place_topics(
    term: &Term,
    weeks: &[Week],
    sessions: &[Session],
    topics: &[&SourcePage],
    diags: &mut Diagnostics,
) -> HashMap<String, Vec<u32>> {
    let n = sessions.len();
    let mut owner: Vec<Option<&SourcePage>> = vec![None; n];
    let blocked: Vec<bool> = sessions.iter().map(|s| reserved(term, s)).collect();
    let mut next = 0usize;
    let mut placed = HashMap::new();
    let mut unfit: Vec<&SourcePage> = Vec::new();
    for page in topics {
        let span = match topic_want(term, weeks, sessions, page, diags) {
            None | Some(Want::Unscheduled) => None,
            Some(Want::Next(count)) => {
                let fits = |s: &usize| {
                    s.checked_add(count)
                        .and_then(|e| owner.get(*s..e).zip(blocked.get(*s..e)))
                        .is_some_and(|(run, b)| {
                            run.iter().all(Option::is_none) && !b.iter().any(|x| *x)
                        })
                };
                let start = (next..n).find(fits);
                if start.is_none() {
                    unfit.push(page);
                }
                start.map(|s| s..s + count)
            }
            Some(Want::Pinned { start, count, key }) => {
                pinned_span(page, start, count, key, &owner, diags).filter(|r| {
                    let hit = r.clone().find(|i| blocked[*i]);
                    if let Some(i) = hit {
                        diags.push(declared_error(term, page, key, &sessions[i]));
                    }
                    hit.is_none()
                })
            }
        };
        let mut numbers = Vec::new();
        if let Some(range) = span {
            next = range.end;
            for i in range {
                owner[i] = Some(page);
                numbers.push(i as u32 + 1);
            }
        }
        placed.insert(page.slug.clone(), numbers);
    }
    if let Some(first) = unfit.first() {
        diags.push(unfit_error(term, first, &unfit, n));
    }
    placed
}

/// Reads and checks a topic's scheduling keys. `None`: a mistake was reported.
pub(super) fn topic_want(
    term: &Term,
    weeks: &[Week],
    sessions: &[Session],
    page: &SourcePage,
    diags: &mut Diagnostics,
) -> Option<Want> {
    let f = &page.front;
    let mut ok = misplaced_keys(page, false, diags);
    let count = f.sessions.unwrap_or(1);
    if count < 1 {
        let msg = format!("`sessions: {count}`: a topic takes at least one session");
        let hint = "write sessions: 1 or more; to leave the topic off the calendar write `unscheduled: true`";
        diags.push(key_error(page, "sessions", msg, hint));
        ok = false;
    }
    if f.unscheduled {
        for (key, set) in [("session", f.session.is_some()), ("week", f.week.is_some())] {
            if set {
                let msg = format!("this topic is `unscheduled: true` but also pinned with `{key}`");
                let hint = format!(
                    "remove `{key}:` to leave it unscheduled, or remove `unscheduled: true`"
                );
                diags.push(key_error(page, key, msg, hint));
            }
        }
        return Some(Want::Unscheduled);
    }
    if let (Some(k), Some(w)) = (f.session, f.week) {
        let msg = format!("this topic is pinned twice, with `session: {k}` and `week: {w}`");
        diags.push(key_error(page, "week", msg, "keep one of the two"));
        return None;
    }
    let count = usize::try_from(count).ok().filter(|_| ok)?;
    if let Some(k) = f.session {
        return session_pin(term, sessions, page, (k, count), diags);
    }
    if let Some(w) = f.week {
        return week_pin(term, weeks, sessions, page, (w, count), diags);
    }
    Some(Want::Next(count))
}

/// A topic pinned with `session: k` to `count` sessions; an error when there is no session `k`.
fn session_pin(
    term: &Term,
    sessions: &[Session],
    page: &SourcePage,
    (k, count): (i64, usize),
    diags: &mut Diagnostics,
) -> Option<Want> {
    let n = sessions.len();
    if k < 1 || k > n as i64 {
        let (msg, hint) = if n == 0 {
            (
                format!("there is no session {k}: the term has no sessions"),
                format!(
                    "give the first meeting in {} class days",
                    term.path.display()
                ),
            )
        } else {
            (
                format!("there is no session {k}: the term has {n} sessions"),
                format!("pin to a session from 1 to {n}, or pin by `week:`"),
            )
        };
        diags.push(key_error(page, "session", msg, hint));
        return None;
    }
    let start = (k - 1) as usize;
    Some(Want::Pinned {
        start,
        count,
        key: "session",
    })
}

/// A topic pinned with `week: w` to the week's first session; an error when the week is no
/// teaching week or has no session.
fn week_pin(
    term: &Term,
    weeks: &[Week],
    sessions: &[Session],
    page: &SourcePage,
    (w, count): (i64, usize),
    diags: &mut Diagnostics,
) -> Option<Want> {
    let Some(week) = numbered_week(weeks, w) else {
        diags.push(no_such_week(page, weeks, w));
        return None;
    };
    if let Some(start) = sessions.iter().position(|s| s.week == week.number) {
        return Some(Want::Pinned {
            start,
            count,
            key: "week",
        });
    }
    let meeting = term.meetings.first().map_or("class", |m| m.name.as_str());
    let msg = format!("week {w} has no session");
    let hint = format!(
        "week {w} (from {}) has no {meeting} day: pin to another week, or by `session:`",
        week.monday
    );
    diags.push(key_error(page, "week", msg, hint));
    None
}

/// The sessions a pinned topic takes, or an error when they run out or are taken.
pub(super) fn pinned_span(
    page: &SourcePage,
    start: usize,
    count: usize,
    key: &'static str,
    owner: &[Option<&SourcePage>],
    diags: &mut Diagnostics,
) -> Option<Range<usize>> {
    let n = owner.len();
    let end = start.saturating_add(count);
    if end > n {
        let msg = format!(
            "this topic takes {count} sessions from session {}, but the term has only {n}",
            start + 1
        );
        diags.push(key_error(
            page,
            key,
            msg,
            "pin it earlier, or lower `sessions`",
        ));
        return None;
    }
    let taken = (start..end).find_map(|i| owner[i].map(|o| (i, o)));
    let Some((i, other)) = taken else {
        return Some(start..end);
    };
    let msg = if count == 1 {
        format!(
            "this topic is pinned to session {}, which topic `{}` already takes",
            i + 1,
            other.slug
        )
    } else {
        format!(
            "this topic takes sessions {} to {end} from its pin, but session {} already has topic `{}`",
            start + 1,
            i + 1,
            other.slug
        )
    };
    let hint = format!(
        "two topics cannot share a session: pin this one to a free session, pin `{}` ({}) elsewhere, or merge the two pages",
        other.slug,
        other.path.display()
    );
    diags.push(key_error(page, key, msg, hint));
    None
}

/// A topic pinned onto a session the term declares as review, exam…
pub(super) fn declared_error(term: &Term, page: &SourcePage, key: &str, s: &Session) -> Diagnostic {
    let title = s
        .note
        .and_then(|i| term.notes.get(i))
        .map_or("", |n| n.title.as_str());
    let msg = format!(
        "this topic is pinned to session {}, which {} declares as `{title}`",
        s.number,
        term.path.display()
    );
    let hint = "pin it to another session, or remove the session from `sessions:` in the term file";
    key_error(page, key, msg, hint)
}

/// One error naming every topic that did not fit, at the first of them.
pub(super) fn unfit_error(
    term: &Term,
    first: &SourcePage,
    unfit: &[&SourcePage],
    n: usize,
) -> Diagnostic {
    let names: Vec<String> = unfit.iter().map(|p| format!("`{}`", p.slug)).collect();
    let names = names.join(", ");
    let k = unfit.len();
    let topics = if k == 1 { "topic does" } else { "topics do" };
    let msg = if n == 0 {
        format!("the term has no sessions, so {k} {topics} not fit: {names}")
    } else {
        format!("{k} {topics} not fit in the term's {n} sessions: {names}")
    };
    let hint = format!(
        "mark topics `unscheduled: true`, merge topics, lower a topic's `sessions`, or add class days in {}",
        term.path.display()
    );
    let key = if first.front.sessions.is_some() {
        "sessions"
    } else {
        "title"
    };
    key_error(first, key, msg, hint)
}
