//! After an import, the dates typed by hand in the new course's pages that are dates of its new
//! term become references (`{@session.3.date}`, `{@lab.lab1.due.date}`; docs/format.md,
//! "References to course facts"), so the imported course keeps the promise of its term file:
//! edit it, and every date moves. The dates are found as `semester check` finds them; a date
//! that no fact of the term gives stays as typed, and `check` names it.

use std::collections::BTreeMap;
use std::path::Path;

use super::report::{Kind, Report};
use crate::base::diagnostics::Diagnostics;
use crate::load::content::{Filter, Kind as PageKind, SourcePage};
use crate::model::course::Course;
use crate::model::visibility::Publish;
use crate::render::facts::{Sources, hand_typed};

/// Rewrites the pages of the course at `dest` (every page, drafts and private ones too) with
/// references in place of the term's dates typed by hand, and reports each page changed under
/// its SRC path (`src_of`: path in content/ → path in SRC). A course that does not load (its
/// errors are `check`'s to tell) is left as it is. Errors: a page that cannot be written.
pub fn refer_dates(
    dest: &Path,
    src_of: &BTreeMap<String, String>,
    report: &mut Report,
) -> Result<(), String> {
    let publish = Publish {
        filter: Filter {
            drafts: true,
            private: true,
            outside_links: false,
        },
        as_of: None,
    };
    let mut diags = Diagnostics::default();
    let Some(course) = Course::load(dest, None, &publish, &mut diags) else {
        return Ok(());
    };
    let clues = hand_typed::Clues::of(Sources {
        config: &course.config,
        term: &course.term,
        content: &course.content,
        calendar: &course.calendar,
    });
    for page in &course.content.pages {
        let spans: Vec<_> = hand_typed::typed_dates(&page.body, &clues)
            .into_iter()
            .filter_map(|(range, refs)| choose(&refs, page).map(|r| (range, r)))
            .collect();
        if spans.is_empty() {
            continue;
        }
        rewrite(&dest.join(&page.path), &page.body, &spans)?;
        let src = src_of
            .get(&page.rel)
            .map_or(page.rel.as_str(), String::as_str);
        report.add(
            Kind::Converted,
            src,
            1,
            said(&spans),
            "nothing to do: each shows the date the term file gives",
        );
    }
    Ok(())
}

/// The reference to write for a date that `refs` write (most likely first), on `page`: on a lab
/// page its own due date or release, else a session's date, a lab's due date, a lab's release,
/// an event's date, the first or last day. A break (a phrase, not a date) is never chosen.
fn choose(refs: &[String], page: &SourcePage) -> Option<String> {
    let own = format!("lab.{}.", page.slug);
    let rank = |r: &str| match r {
        _ if page.kind == PageKind::Lab && r.starts_with(&own) => 0,
        _ if r.starts_with("session.") => 1,
        _ if r.starts_with("lab.") && r.ends_with(".due") => 2,
        _ if r.starts_with("lab.") => 3,
        _ if r.starts_with("event.") => 4,
        "term.start" | "term.end" => 5,
        _ => 9,
    };
    let best = refs
        .iter()
        .filter(|r| rank(r) < 9)
        .min_by_key(|r| rank(r))?;
    // Only a date was typed: a due date without its time.
    Some(match best.ends_with(".due") {
        true => format!("{best}.date"),
        false => best.clone(),
    })
}

/// Writes the page file at `path`, whose text ends with `body`, with each range of `body` in
/// `spans` replaced by its reference. A file that no longer ends with `body` is left alone.
fn rewrite(
    path: &Path,
    body: &str,
    spans: &[(std::ops::Range<usize>, String)],
) -> Result<(), String> {
    let words =
        |e: std::io::Error| format!("{}: {}", path.display(), crate::base::fence::io_words(&e));
    let text = std::fs::read_to_string(path).map_err(words)?;
    let Some(front) = text.strip_suffix(body) else {
        return Ok(());
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(front);
    let mut done = 0;
    for (range, reference) in spans {
        out.push_str(&body[done..range.start]);
        out.push_str(&format!("{{@{reference}}}"));
        done = range.end;
    }
    out.push_str(&body[done..]);
    std::fs::write(path, out).map_err(words)
}

/// The report's words for the dates of one page made references.
fn said(spans: &[(std::ops::Range<usize>, String)]) -> String {
    let mut names: Vec<String> = spans.iter().map(|(_, r)| format!("`{{@{r}}}`")).collect();
    names.dedup();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "{} date(s) typed by hand now name the term's dates ({}{tail}): they move when the term file changes",
        spans.len(),
        names.join(", ")
    )
}
