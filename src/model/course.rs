//! [`Course`]: one term of a course, loaded and scheduled, with where each page sits.

use std::path::Path;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{self, Content, Kind, SourcePage};
use crate::load::term::{self, Term};
use crate::model::site_map::SiteMap;
use crate::model::visibility::{self, Publish};
use crate::schedule::calendar::{self, Calendar};

/// A course in one term: course.yaml, the term file, the pages and the dates computed for them.
pub struct Course {
    /// course.yaml.
    pub config: Config,
    /// The term.
    pub term: Term,
    /// The pages and assets of content/.
    pub content: Content,
    /// The computed dates.
    pub calendar: Calendar,
    /// Where each published page sits: URLs, sections, neighbours, navigation.
    pub map: SiteMap,
}

impl Course {
    /// Decides what `publish` publishes of `content` and schedules it in `term` (SPEC sections
    /// 5 and 9): hidden pages withheld, the calendar computed from the rest, unreleased labs
    /// withheld, then the files the published pages use. Mistakes go to `diags`; a lab that
    /// names a topic page which could not be read is not a second mistake.
    pub fn new(
        config: Config,
        term: Term,
        mut content: Content,
        publish: &Publish,
        diags: &mut Diagnostics,
    ) -> Course {
        if config.course.markdown.strip_comments {
            for p in &mut content.pages {
                p.body = crate::load::refs::strip_comments(&p.body);
            }
        }
        visibility::withhold(&mut content, publish.filter, diags);
        let calendar = schedule_pages(&term, &config.tz, config.due_rule, &content, diags);
        if let Some(as_of) = publish.as_of {
            let hide = config.course.labs.hide_until_release;
            visibility::withhold_unreleased(&mut content, hide, &calendar, as_of);
            visibility::withhold_upcoming(&mut content, as_of);
        }
        visibility::publish_files(&mut content, diags);
        let map = SiteMap::of(&config, &term.id, &content, diags);
        Course {
            config,
            term,
            content,
            calendar,
            map,
        }
    }

    /// Loads the course at `root` in term `term_id` (default: course.yaml's current term),
    /// publishing what `publish` says. `None` when it has errors (all of them in `diags`); a
    /// `term_id` that is not a term id or has no file is an error blamed on `--term`.
    pub fn load(
        root: &Path,
        term_id: Option<&str>,
        publish: &Publish,
        diags: &mut Diagnostics,
    ) -> Option<Course> {
        if let Some(id) = term_id {
            check_term_flag(root, id, diags)?;
        }
        let config = crate::load::config::load_config(root, None, diags)?;
        let id = term_id.unwrap_or(&config.course.current_term).to_string();
        let term = term::load_term(root, &id, diags);
        let content = content::load_content(root, publish.filter, diags);
        let course = Course::new(config, term?, content, publish, diags);
        (!diags.has_errors()).then_some(course)
    }
}

impl Course {
    /// Puts `new`, a page file read again, in place of the published page it was, when only
    /// its body changed in a way nothing else of the course reads (serve's rebuild of one
    /// page): the same front matter (so the same title, URL, dates, place and visibility),
    /// and, when the course withholds pages (so that which files are published depends on
    /// what the pages link), the same link targets. Its body gets what [`Course::new`] does
    /// to bodies. The page's index in `content.pages`, or `None` (and the course as it was).
    pub fn replace_body(&mut self, mut new: SourcePage) -> Option<usize> {
        let i = self
            .content
            .pages
            .iter()
            .position(|p| p.rel == new.rel && !p.generated)?;
        if self.config.course.markdown.strip_comments {
            new.body = crate::load::refs::strip_comments(&new.body);
        }
        let old = &self.content.pages[i];
        let same = old.front_text == new.front_text
            && (old.front_line, old.body_line) == (new.front_line, new.body_line)
            && (&old.title, &old.slug, &old.url_path) == (&new.title, &new.slug, &new.url_path)
            && old.kind == new.kind
            && (self.content.withheld.is_empty()
                || visibility::body_targets(old) == visibility::body_targets(&new));
        same.then(|| self.content.pages[i] = new)?;
        Some(i)
    }
}

/// `--term ID`: a term id (no `/`, no `..`) with a file in terms/.
fn check_term_flag(root: &Path, id: &str, diags: &mut Diagnostics) -> Option<()> {
    let msg = if !term::is_term_id(id) {
        format!("`{id}` is not a term id")
    } else if std::fs::symlink_metadata(root.join("terms").join(format!("{id}.yaml"))).is_err() {
        format!("there is no term `{id}`: no file terms/{id}.yaml")
    } else {
        return Some(());
    };
    let hint = if term::is_term_id(id) {
        term::missing_term_hint(root, id)
    } else {
        "a term id is the name of a file in terms/ without .yaml: lowercase letters, digits and dashes (--term spring-2026)".to_string()
    };
    diags.push(Diagnostic::error("--term", 1, 1, msg).with_hint(hint));
    None
}

/// The calendar of `term` for the pages of `content`, in `tz` with the course's due rule.
/// Calendar mistakes go to `diags`; a lab that names a topic page which could not be read is
/// not a second mistake.
pub fn schedule_pages(
    term: &Term,
    tz: &jiff::tz::TimeZone,
    due_rule: crate::load::config::DueRule,
    content: &Content,
    diags: &mut Diagnostics,
) -> Calendar {
    let of_kind = |k| {
        content
            .pages
            .iter()
            .filter(|p| p.kind == k)
            .collect::<Vec<_>>()
    };
    let mut own = Diagnostics::new();
    let cal = calendar::schedule(
        term,
        tz,
        due_rule,
        &of_kind(Kind::Topic),
        &of_kind(Kind::Lab),
        &mut own,
    );
    let broken: Vec<String> = content
        .unreadable
        .iter()
        .filter_map(|rel| rel.strip_prefix("topics/")?.strip_suffix(".md"))
        .map(|slug| format!("there is no topic `{slug}`"))
        .collect();
    for d in own.into_vec() {
        if !broken.contains(&d.message) {
            diags.push(d);
        }
    }
    cal
}

/// The warning for a frozen copy of the current term (its pages come from content/).
pub fn frozen_current_warning(id: &str) -> Diagnostic {
    Diagnostic::warning("course.yaml", 1, 1, format!(
        "`{id}` is the current term: its pages are built from content/, not from this frozen copy"
    ))
    .with_hint("set current_term in course.yaml to the next term once it is ready; until then the snapshot waits")
}
