//! What the later stages need of a course.yaml that has errors, read key by key or line by
//! line.

use std::path::Path;

use super::{DueRule, DueRuleFile, resolve_due_rule};
use crate::load::yaml;

/// What the later stages need of a course.yaml that has errors: enough to check the term file
/// and schedule the pages, so that one build reports the mistakes of every file.
#[derive(Debug, Clone)]
pub struct Fallback {
    /// `current_term`, when it is a term id.
    pub current_term: String,
    /// `timezone` when it names one, else UTC.
    pub tz: jiff::tz::TimeZone,
    /// `labs.due` when it reads, else the default rule.
    pub due_rule: DueRule,
}

/// Reads [`Fallback`] from `root/course.yaml` key by key, ignoring what does not read (its
/// errors were reported by [`super::load_config`]). `None` without a usable `current_term`.
pub fn fallback(root: &Path) -> Option<Fallback> {
    // Read as every course file is: inside the course, a regular file, capped.
    let fence = crate::base::fence::Fence::new(root, false);
    let text = fence
        .read_text(&root.join("course.yaml"), crate::base::fence::Cap::Yaml)
        .ok()?;
    let spans = yaml::Spans::new(&text);
    if spans.syntax_error || !spans.problems.is_empty() {
        return fallback_by_lines(&text);
    }
    let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    let current_term = value.get("current_term")?.as_str()?.to_string();
    if !crate::load::term::is_term_id(&current_term) {
        return None;
    }
    let tz = value
        .get("timezone")
        .and_then(|t| t.as_str())
        .and_then(|t| jiff::tz::TimeZone::get(t).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let due = value
        .get("labs")
        .and_then(|l| l.get("due"))
        .and_then(|d| serde_yaml::from_value::<DueRuleFile>(d.clone()).ok());
    let due_rule = resolve_due_rule(due.as_ref(), DueRule::default()).unwrap_or_default();
    Some(Fallback {
        current_term,
        tz,
        due_rule,
    })
}

/// [`Fallback`] from a course.yaml that is not YAML at all (a `[` never closed, a tab): the
/// top-level `current_term:` and `timezone:` lines read as plain text, so that the term file's
/// own mistakes are still reported beside course.yaml's.
fn fallback_by_lines(text: &str) -> Option<Fallback> {
    let current_term =
        top_level_value(text, "current_term").filter(|t| crate::load::term::is_term_id(t))?;
    let tz = top_level_value(text, "timezone")
        .and_then(|t| jiff::tz::TimeZone::get(&t).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    Some(Fallback {
        current_term,
        tz,
        due_rule: DueRule::default(),
    })
}

/// The value of the first top-level `key: value` line of `text`, read as plain text (quotes
/// and a ` #` comment taken off), for a file that is not YAML.
pub(super) fn top_level_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        let v = v.split(" #").next().unwrap_or(v).trim();
        Some(v.trim_matches(|c| c == '"' || c == '\'').to_string())
    })
}
