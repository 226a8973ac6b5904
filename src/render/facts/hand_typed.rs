//! `semester check` finds term facts typed by hand in a page's prose — a date, a meeting's
//! weekday and time, the due rule, an instructor's name or email — which would not move when
//! the term file or course.yaml changes, and names the reference to write instead. Code, math,
//! raw HTML and the term files themselves are not looked at; dates outside the term (give or
//! take [`MARGIN_DAYS`]) are not term facts.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::civil::Date;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Sources;
use super::forms::{self, Typed};
use crate::base::diagnostics::{Diagnostic, LineIndex};
use crate::load::content::SourcePage;
use crate::load::term::Weekday;

/// How far before the first or after the last day of classes a date may be and still be a
/// term's date (the finals and the last due dates follow the last class).
pub const MARGIN_DAYS: i64 = 45;

/// What hand-typed facts are compared with: the term's dates with their references, its
/// meeting days, the due rule's weekday, and the people of course.yaml.
pub struct Clues {
    term_id: String,
    window: (Date, Date),
    /// A date → the references that write it, most likely first.
    dates: BTreeMap<Date, Vec<String>>,
    /// Each meeting's number (from 1), weekdays, and whether it is office hours.
    meetings: Vec<(usize, Vec<Weekday>, bool)>,
    due_day: Weekday,
    /// The due rule in words ("Mondays at 11:59 PM").
    due_words: String,
    /// (text as course.yaml writes it, its reference), names and emails.
    people: Vec<(String, String)>,
    /// The month and weekday names of the course's language.
    names: super::names::Names,
}

impl Clues {
    /// The clues of one term.
    pub fn of(src: Sources) -> Clues {
        let (term, cal) = (src.term, src.calendar);
        let margin = jiff::Span::new().days(MARGIN_DAYS);
        let window = (
            term.start.checked_sub(margin).unwrap_or(term.start),
            term.end.checked_add(margin).unwrap_or(term.end),
        );
        let mut dates: BTreeMap<Date, Vec<String>> = BTreeMap::new();
        let mut add = |d: Date, r: String| dates.entry(d).or_default().push(r);
        add(term.start, "term.start".into());
        add(term.end, "term.end".into());
        for l in &cal.labs {
            add(l.due.date(), format!("lab.{}.due", l.slug));
        }
        for e in &term.events {
            add(
                e.date,
                format!("event.{}.date", super::event_name(e, &term.events)),
            );
        }
        for s in &cal.sessions {
            add(s.date, format!("session.{}.date", s.number));
        }
        for l in &cal.labs {
            add(l.release, format!("lab.{}.release", l.slug));
        }
        for h in &term.holidays {
            add(h.from, "term.breaks".into());
        }
        Clues {
            term_id: term.id.clone(),
            window,
            dates,
            meetings: meeting_days(term),
            due_day: src.config.due_rule.weekday,
            due_words: super::words::due_rule(
                &src.config.i18n,
                src.config.due_rule.weekday,
                src.config.due_rule.time,
            ),
            people: people(src.config),
            names: super::names::Names::of(&src.config.language),
        }
    }
}

fn meeting_days(term: &crate::load::term::Term) -> Vec<(usize, Vec<Weekday>, bool)> {
    term.meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (i + 1, m.days.clone(), m.office_hours))
        .collect()
}

fn people(config: &crate::load::config::Config) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, p) in config.course.instructors.iter().enumerate() {
        let n = i + 1;
        for (text, field) in [(&p.name, "name"), (&p.email, "email")] {
            // A one-word name ("Staff") is too likely to be an ordinary word.
            if text.trim().chars().count() >= 4 && text.trim().contains([' ', '@']) {
                out.push((text.trim().to_string(), format!("instructor.{n}.{field}")));
            }
        }
    }
    out
}

/// The warnings for the hand-typed facts in `page`'s prose.
pub fn warnings(page: &SourcePage, clues: &Clues) -> Vec<Diagnostic> {
    let body = page.body.as_str();
    let prose = prose_of(body);
    let mut found: Vec<(usize, String, String)> = Vec::new();
    for run in &prose.runs {
        let text = &body[run.clone()];
        for typed in forms::scan(text, &clues.names) {
            let span = typed.span();
            if let Some((msg, hint)) = judge(&typed, &text[span.clone()], clues) {
                found.push((run.start + span.start, msg, hint));
            }
        }
        for (at, msg, hint) in people_in(text, clues) {
            found.push((run.start + at, msg, hint));
        }
    }
    for (range, dest) in &prose.links {
        for (who, reference) in clues
            .people
            .iter()
            .filter(|(w, _)| dest.contains(w.as_str()))
        {
            let at = body[range.clone()].rfind(who.as_str()).unwrap_or(0);
            found.push((
                range.start + at,
                person_message(who),
                person_hint(reference),
            ));
        }
    }
    found.sort_by_key(|f| f.0);
    let lines = LineIndex::new(body);
    found
        .into_iter()
        .map(|(at, msg, hint)| {
            let (l, c) = lines.locate(body, at);
            Diagnostic::warning(&page.path, l + page.body_line - 1, c, msg).with_hint(hint)
        })
        .collect()
}

/// The dates of the term typed by hand in `body`'s prose (as [`warnings`] finds them): each
/// one's byte range in `body` and the references that write that date, most likely first. A
/// date of the term that no reference writes is not listed. For tools that write references in
/// place of typed dates (`semester import jekyll`).
pub fn typed_dates(body: &str, clues: &Clues) -> Vec<(Range<usize>, Vec<String>)> {
    let mut out = Vec::new();
    for run in prose_of(body).runs {
        let text = &body[run.clone()];
        for typed in forms::scan(text, &clues.names) {
            let Typed::Date {
                month, day, year, ..
            } = &typed
            else {
                continue;
            };
            let refs = date_in_term(*month, *day, *year, clues).and_then(|d| clues.dates.get(&d));
            if let Some(refs) = refs {
                let span = typed.span();
                out.push((run.start + span.start..run.start + span.end, refs.clone()));
            }
        }
    }
    out
}

/// What of a page is looked at.
#[derive(Default)]
struct Prose {
    /// The byte ranges that are prose: text outside code, math and raw HTML, adjacent pieces
    /// joined.
    runs: Vec<Range<usize>>,
    /// Each link (its range) and where it leads: a `mailto:` may type an email by hand.
    links: Vec<(Range<usize>, String)>,
}

fn prose_of(body: &str) -> Prose {
    let opts = crate::load::refs::options() | Options::ENABLE_MATH;
    let mut out = Prose::default();
    let mut in_code = false;
    for (e, r) in Parser::new_ext(body, opts).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { dest_url, .. }) => out.links.push((r, dest_url.to_string())),
            Event::Text(_) if !in_code => match out.runs.last_mut() {
                Some(last) if last.end == r.start => last.end = r.end,
                _ => out.runs.push(r),
            },
            _ => {}
        }
    }
    out
}

/// The message and hint for a hand-typed fact, if it is one of this term's.
fn judge(typed: &Typed, written: &str, clues: &Clues) -> Option<(String, String)> {
    match typed {
        Typed::Date {
            month, day, year, ..
        } => {
            let date = date_in_term(*month, *day, *year, clues)?;
            let msg = format!(
                "`{written}` is a date typed by hand: it will not move when the term file changes"
            );
            Some((msg, date_hint(date, clues)))
        }
        Typed::Weekday {
            day, timed, due, ..
        } => weekday_judgement(*day, *timed, *due, written, clues),
    }
}

/// The date of the term that month/day (and year, if written) name, if any.
fn date_in_term(month: i8, day: i8, year: Option<i16>, clues: &Clues) -> Option<Date> {
    let (from, to) = clues.window;
    let years = match year {
        Some(y) => vec![y],
        None => vec![from.year(), to.year()],
    };
    years
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok())
        .find(|d| (from..=to).contains(d))
}

fn date_hint(date: Date, clues: &Clues) -> String {
    match clues.dates.get(&date) {
        Some(refs) => {
            let shown: Vec<String> = refs.iter().take(3).map(|r| format!("`{{@{r}}}`")).collect();
            format!(
                "write {} instead (docs/format.md, \"References to course facts\")",
                shown.join(" or ")
            )
        }
        None => format!(
            "if it is a date of the term, add it to terms/{}.yaml as an event and write `{{@event.<name>.date}}`; a date written with another year is not flagged",
            clues.term_id
        ),
    }
}

fn weekday_judgement(
    day: Weekday,
    timed: bool,
    due: bool,
    written: &str,
    clues: &Clues,
) -> Option<(String, String)> {
    let meeting = clues
        .meetings
        .iter()
        .find(|(_, days, _)| days.contains(&day));
    let night = written.to_ascii_lowercase().contains("night");
    if (due || night) && day == clues.due_day {
        let msg = format!(
            "`{written}` types the due rule by hand: it will not move when course.yaml's `labs.due` changes"
        );
        let hint = format!(
            "write `{{@labs.due}}` for the rule (\"{}\"), or `{{@lab.due}}` on a lab page",
            clues.due_words
        );
        return Some((msg, hint));
    }
    let (n, _, office_hours) = meeting.filter(|_| timed)?;
    let msg = format!(
        "`{written}` types a meeting time by hand: it will not move when the term file changes"
    );
    let all = match office_hours {
        true => String::new(),
        false => "`{@meetings}` for every class meeting, or ".to_string(),
    };
    let hint = format!(
        "write {all}`{{@meeting.{n}}}` (its days `{{@meeting.{n}.days}}`, time `{{@meeting.{n}.time}}`)"
    );
    Some((msg, hint))
}

/// The names and emails of course.yaml's people written in `text`: (offset, message, hint).
fn people_in(text: &str, clues: &Clues) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for (who, reference) in &clues.people {
        for (at, _) in text.match_indices(who.as_str()) {
            let before = text[..at].chars().next_back();
            let after = text[at + who.len()..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            out.push((at, person_message(who), person_hint(reference)));
        }
    }
    out
}

fn person_message(who: &str) -> String {
    format!(
        "`{who}` is typed by hand from course.yaml: a fork with other instructors would still show it"
    )
}

fn person_hint(reference: &str) -> String {
    format!("write `{{@{reference}}}`, or `{{@instructors}}` for everyone")
}
