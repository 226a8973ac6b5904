//! References to course facts in a page's Markdown: `{@name}` stands for the fact's text
//! (docs/format.md, "References to course facts"). The syntax is neither Tera's (`{{ }}`,
//! `{% %}`, `{# #}`) nor Liquid's, nor an attribute list (`{: }`, `{#id}`); GitHub shows it as
//! written. References in code, inline code and math are text; `\{@name}` is the text
//! `{@name}`. A reference is rewritten before the page is parsed, so a fact may stand in a
//! link's URL (`mailto:{@instructor.1.email}`) as in prose.

use pulldown_cmark::Options;

use crate::load::liquid::literal_ranges;
use crate::load::rewrite::Edit;
use crate::render::facts::Facts;

/// How far a reference's `}` is looked for: a name is short, and a page of unclosed `{@` must
/// not take quadratic time.
const NAME_REACH: usize = 128;

/// A reference that names no fact (or is no name), at an offset in the page as written.
#[derive(Debug, PartialEq, Eq)]
pub struct Unknown {
    /// Offset of its `{@` in the page as written.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to mend it.
    pub hint: String,
}

/// The edits that put each fact in place of its reference, and the references that name none.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Edits to the page as written.
    pub edits: Vec<Edit>,
    /// References that name no fact.
    pub unknown: Vec<Unknown>,
}

/// The references of the page `rel` (relative to content/) with `body`, resolved in `facts`.
pub fn resolve(body: &str, rel: &str, opts: Options, facts: &Facts) -> Resolved {
    let mut out = Resolved::default();
    if !facts.known() || !body.contains("{@") {
        return out;
    }
    let literal = literal_ranges(body, opts);
    let mut next_literal = 0;
    // The next `}` or line end at or after the reference: found once for all the references
    // before it, so a page of unclosed `{@` is read once.
    let mut stop = 0;
    for (at, _) in body.match_indices("{@") {
        while literal.get(next_literal).is_some_and(|r| r.end <= at) {
            next_literal += 1;
        }
        if literal.get(next_literal).is_some_and(|r| r.contains(&at)) || body[..at].ends_with('\\')
        {
            continue;
        }
        if stop <= at {
            stop = body[at..].find(['}', '\n']).map_or(body.len(), |i| at + i);
        }
        if stop >= body.len() || body.as_bytes()[stop] != b'}' || stop - at >= NAME_REACH {
            continue;
        }
        let len = stop - at + 1;
        let name = body[at + 2..at + len - 1].trim();
        match check_name(name).and_then(|()| facts.resolve(name, rel).map_err(|h| (name, h))) {
            Ok(text) => out.edits.push(Edit {
                start: at,
                end: at + len,
                text: text.to_string(),
            }),
            Err((_, hint)) if !is_name(name) => out.unknown.push(Unknown {
                offset: at,
                message: format!(
                    "`{{@{name}}}` is not a reference: a name is letters, digits, `.`, `-` and `_`"
                ),
                hint,
            }),
            Err((_, hint)) => out.unknown.push(Unknown {
                offset: at,
                message: format!("unknown reference `{{@{name}}}`"),
                hint,
            }),
        }
    }
    out
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn check_name(name: &str) -> Result<(), (&str, String)> {
    if is_name(name) {
        Ok(())
    } else {
        Err((
            name,
            "write a reference as `{@term.start}`; to show `{@` as text, write `\\{@`".to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::from_pairs(&[("term.name", "Fall 2026"), ("extra.forum", "Ed")])
    }

    fn run(body: &str) -> (String, Vec<String>) {
        let r = resolve(
            body,
            "syllabus.md",
            crate::render::markdown::options(),
            &facts(),
        );
        let text = crate::load::rewrite::Rewritten::new(body, &r.edits).text;
        let unknown = r
            .unknown
            .iter()
            .map(|u| format!("{}: {} / {}", u.offset, u.message, u.hint))
            .collect();
        (text, unknown)
    }

    #[test]
    fn references_in_prose_and_urls_are_replaced() {
        let (text, unknown) =
            run("In {@term.name}, ask on [{@ extra.forum }](https://x/{@extra.forum}).");
        assert_eq!(text, "In Fall 2026, ask on [Ed](https://x/Ed).");
        assert!(unknown.is_empty());
    }

    #[test]
    fn code_math_and_escapes_are_left_alone() {
        let body = "`{@term.name}` and\n\n```\n{@term.name}\n```\n\n$\\{@x\\}$ and \\{@term.name} and {@ unclosed\n";
        let (text, unknown) = run(body);
        assert_eq!(text, body);
        assert!(unknown.is_empty());
    }

    #[test]
    fn unknown_names_and_non_names_are_errors_with_hints() {
        let (_, unknown) = run("{@term.nme} {@term name}");
        assert_eq!(
            unknown,
            [
                "0: unknown reference `{@term.nme}` / did you mean `{@term.name}`? every reference is listed in docs/format.md",
                "12: `{@term name}` is not a reference: a name is letters, digits, `.`, `-` and `_` / write a reference as `{@term.start}`; to show `{@` as text, write `\\{@`",
            ]
        );
    }

    #[test]
    fn many_unclosed_references_take_linear_time() {
        let body = "{@".repeat(200_000);
        let t = std::time::Instant::now();
        let (text, _) = run(&body);
        assert_eq!(text.len(), body.len());
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
    }
}
