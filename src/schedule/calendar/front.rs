//! Locating a scheduling mistake in a page's front matter, and the errors shared by topics and
//! labs.

use super::Week;
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::content::SourcePage;
use crate::load::yaml::{self, Seg};

/// (line, column) in the page's file of a front-matter key path.
pub(super) fn pos(page: &SourcePage, path: &[Seg]) -> (usize, usize) {
    let (l, c) = yaml::locate(&page.front_text, path);
    (l + page.front_line.saturating_sub(1), c)
}

pub(super) fn error_at(page: &SourcePage, path: &[Seg], msg: String, hint: String) -> Diagnostic {
    let (l, c) = pos(page, path);
    Diagnostic::error(&page.path, l, c, msg).with_hint(hint)
}

pub(super) fn key_error(
    page: &SourcePage,
    key: &str,
    msg: String,
    hint: impl Into<String>,
) -> Diagnostic {
    error_at(page, &[Seg::Key(key)], msg, hint.into())
}

/// Keys that belong to the other kind of page: reported, so that they are not silently ignored.
pub(super) fn misplaced_keys(page: &SourcePage, is_lab: bool, diags: &mut Diagnostics) -> bool {
    let f = &page.front;
    let (present, this, other, hint) = if is_lab {
        (
            [
                ("session", f.session.is_some()),
                ("sessions", f.sessions.is_some()),
                ("unscheduled", f.unscheduled),
            ],
            "lab",
            "topic",
            "a lab is placed with `topic`, `week` or `release`, and `due`",
        )
    } else {
        (
            [
                ("topic", f.topic.is_some()),
                ("release", f.release.is_some()),
                ("due", f.due.is_some()),
            ],
            "topic",
            "lab",
            "a topic is placed with `session`, `sessions`, `week` or `unscheduled`",
        )
    };
    let mut ok = true;
    for (key, _) in present.iter().filter(|(_, p)| *p) {
        let msg = format!("`{key}` is a key for {other} pages; this is a {this} page");
        diags.push(key_error(page, key, msg, hint));
        ok = false;
    }
    ok
}

pub(super) fn week_range_text(weeks: &[Week]) -> String {
    let last = weeks.iter().filter_map(|w| w.number).max().unwrap_or(0);
    format!("the term's weeks are numbered 1 to {last}")
}

/// A week key that names no teaching week.
pub(super) fn no_such_week(page: &SourcePage, weeks: &[Week], w: i64) -> Diagnostic {
    key_error(
        page,
        "week",
        format!("there is no week {w}: {}", week_range_text(weeks)),
        "pick a numbered week (break weeks have no number); `semester calendar` lists them",
    )
}
