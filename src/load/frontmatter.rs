//! Front matter: the YAML between `---` lines at the top of a page (SPEC section 5).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::diagnostics::Diagnostic;
use crate::load::yaml;

/// A page's front matter as written. Scheduling keys are checked later by the calendar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title (required on pages; sections may take their folder name).
    pub title: Option<String>,
    /// One-line summary.
    #[serde(default)]
    pub description: String,
    /// Sort key inside the section.
    pub order: Option<i64>,
    /// URL name.
    pub slug: Option<String>,
    /// Left out unless `--drafts` (on a section's `_index.md`: everything below it too).
    /// `None` when not written, so that `draft: false` inside a draft section can be refused.
    pub draft: Option<bool>,
    /// Left out unless `--private` (on a section's `_index.md`: everything below it too).
    pub private: Option<bool>,
    /// Show a table of contents.
    pub toc: Option<bool>,
    /// Another template than the section's default.
    pub template: Option<String>,
    /// Topics: pin to session k.
    pub session: Option<i64>,
    /// Topics: number of consecutive sessions.
    pub sessions: Option<i64>,
    /// Topics: first session of week w; labs: release in week w.
    pub week: Option<i64>,
    /// Topics: leave out of the calendar.
    #[serde(default)]
    pub unscheduled: bool,
    /// Labs: release with this topic's session.
    pub topic: Option<String>,
    /// Labs: release date.
    pub release: Option<String>,
    /// Labs: due date-time, or a due rule map.
    pub due: Option<serde_yaml::Value>,
    /// Labs: also publish as a notebook (`python3`, `bash`, or `true`).
    pub notebook: Option<serde_yaml::Value>,
    /// Announcements: the day it is posted (`YYYY-MM-DD`); hidden before it.
    pub date: Option<String>,
    /// Free data for templates.
    #[serde(default)]
    pub extra: serde_yaml::Mapping,
}

/// A page file split in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text (without the fences), if there was front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the file where the YAML text starts.
    pub yaml_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits a page into front matter and body. An opening fence without a closing one is an error.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            return Ok(Split {
                yaml: Some(&text[first_end..offset]),
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "the front matter that opens here is never closed",
    )
    .with_hint("end the front matter with a line of three dashes: ---"))
}

/// Pages' front matter as parsed, by path below content/ (`labs/01.md`), keyed by the YAML
/// text alone (what it parses into depends on nothing else): a page whose front matter did
/// not change is not parsed again. Kept on disk by `build` (`site::store`), in memory by
/// `serve`. Only front matter that parses is kept.
pub type FrontCache = crate::base::memo::Memo<String, FrontMatter>;

/// [`parse`], taking the front matter of the page at `rel` from `cache` when its YAML text is
/// the one parsed before, and keeping it there otherwise (when it parses).
pub fn parse_cached(
    path: &Path,
    yaml_text: &str,
    first_line: usize,
    cached: Option<(&FrontCache, &str)>,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let Some((cache, rel)) = cached else {
        return parse(path, yaml_text, first_line);
    };
    let rel = rel.to_string();
    let key = crate::base::memo::key_of(yaml_text);
    if let Some(front) = cache.get(&rel, key) {
        return Ok(front);
    }
    let parsed = parse(path, yaml_text, first_line);
    if let Ok(front) = &parsed {
        cache.put(&rel, key, front.clone());
    }
    parsed
}

/// Parses front matter YAML (from [`split`]) into [`FrontMatter`].
pub fn parse(
    path: &Path,
    yaml_text: &str,
    first_line: usize,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    if yaml_text.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let parsed = yaml::parse(path, yaml_text, first_line).map(|(fm, _)| fm);
    // A list or a scalar where a mapping belongs deserves its own words (checked only when the
    // front matter does not parse: the common case reads the YAML once).
    if parsed.is_err()
        && let spans = yaml::Spans::new(yaml_text)
        && !spans.syntax_error
        && spans.problems.is_empty()
        && matches!(spans.root, Some(yaml::Root::Sequence | yaml::Root::Scalar))
    {
        return Err(vec![
            Diagnostic::error(path, first_line, 1, "front matter must be keys and values")
                .with_hint("write `key: value` lines, e.g. title: Model serving"),
        ]);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_and_counts_lines() {
        let s = split(p(), "---\ntitle: A\n---\n# Hi\n").unwrap();
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!((s.yaml_line, s.body_line, s.body), (2, 4, "# Hi\n"));
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split(p(), "# Hi\n---\n").unwrap();
        assert_eq!((s.yaml, s.body), (None, "# Hi\n---\n"));
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let s = split(p(), "\u{feff}---\r\ntitle: A\r\n---\r\nbody").unwrap();
        assert_eq!(
            (s.yaml, s.body, s.body_line),
            (Some("title: A\r\n"), "body", 4)
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split(p(), "---\ntitle: A\n# Hi\n").unwrap_err();
        assert_eq!(
            (d.line, d.message.as_str()),
            (1, "the front matter that opens here is never closed")
        );
    }

    #[test]
    fn errors_carry_file_lines() {
        let d = parse(p(), "title: A\ndescription: x\nsesions: 2\n", 2).unwrap_err()[0].clone();
        assert_eq!((d.line, d.col), (4, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `sessions`?"));
        let d = parse(p(), "- a\n- b\n", 2).unwrap_err()[0].clone();
        assert_eq!(d.message, "front matter must be keys and values");
        let d = parse(p(), "title: [unclosed\n", 2).unwrap_err()[0].clone();
        assert_eq!(d.line, 2);
    }

    #[test]
    fn a_list_or_a_scalar_is_not_front_matter() {
        for text in ["- title\n- Two\n", "[A, 1]\n", "just words\n", "7\n"] {
            let d = parse(p(), text, 2).unwrap_err()[0].clone();
            assert_eq!(d.message, "front matter must be keys and values", "{text}");
        }
    }

    #[test]
    fn parses_every_kind_of_value() {
        let fm = parse(p(), "title: A\norder: 3\ndraft: true\ndue: {weekday: fri}\nnotebook: python3\nextra: {x: 1}\n", 2).unwrap();
        assert_eq!((fm.order, fm.draft), (Some(3), Some(true)));
        assert!(fm.due.unwrap().is_mapping());
        assert_eq!(fm.extra.len(), 1);
    }
}
