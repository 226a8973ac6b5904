//! Jekyll's Liquid, as pages moved over from a Jekyll site carry it. semester does not run
//! Liquid; the few tags that only make links and code are rewritten into the Markdown they
//! stand for, and every other tag or output is left out of the page with a warning (never
//! published as text):
//!
//! - `{% link path.md %}` → the relative link to that page (`path` is from content/, as it was
//!   from the Jekyll site's root), checked like any link;
//! - `{{ site.baseurl }}/x`, `{{ site.url }}{{ site.baseurl }}/x`, `{{ "/x" | relative_url }}`
//!   → the relative path to content/x;
//! - `{% highlight lang %}` … `{% endhighlight %}` on lines of their own → a fenced code block;
//! - `{% raw %}` … `{% endraw %}` → its content, as text; `{% comment %}` … `{% endcomment %}` →
//!   nothing.
//!
//! Code, inline code and math are never touched.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::rewrite::Edit;

/// A construct left out, at an offset in the page as written.
#[derive(Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Offset in the page as written.
    pub offset: usize,
    /// What was left out.
    pub what: String,
}

/// The edits that turn a page's Liquid into Markdown, and what was left out.
#[derive(Debug, Default)]
pub struct Liquid {
    /// Edits to the page as written.
    pub edits: Vec<Edit>,
    /// Constructs left out.
    pub dropped: Vec<Dropped>,
}

/// Where Liquid (and a reference to course facts, `{@…}`) is not looked for: code blocks,
/// inline code, math.
pub fn literal_ranges(body: &str, opts: Options) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (e, r) in Parser::new_ext(body, opts).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_))
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => out.push(r),
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The path from the page in folder `dir` (relative to content/) to content/ itself.
fn to_root(dir: &str) -> String {
    let depth = dir.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The Liquid of the page `rel` (relative to content/) with `body`.
pub fn rewrite(body: &str, rel: &str, opts: Options) -> Liquid {
    let mut out = Liquid::default();
    if !body.contains("{%") && !body.contains("{{") {
        return out;
    }
    let literal = literal_ranges(body, opts);
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let root = to_root(dir);
    let mut at = 0;
    while let Some(found) = body[at..].find(['{']).map(|i| at + i) {
        at = found + 1;
        // The ranges are in order and do not overlap: the one that may hold `found` is the
        // last to start at or before it.
        let k = literal.partition_point(|r| r.start <= found);
        if let Some(r) = k
            .checked_sub(1)
            .map(|k| &literal[k])
            .filter(|r| r.contains(&found))
        {
            at = r.end.max(at);
            continue;
        }
        let rest = &body[found..];
        let (inside, len) = if rest.starts_with("{%") {
            match closing(rest, "%}") {
                Some(x) => x,
                None => continue,
            }
        } else if rest.starts_with("{{") {
            match closing(rest, "}}") {
                Some(x) => x,
                None => continue,
            }
        } else {
            continue;
        };
        let span = found..found + len;
        at = if rest.starts_with("{%") {
            tag(body, span, inside, &root, &mut out)
        } else {
            output(body, span, inside, &root, &mut out)
        };
    }
    out
}

/// How far a tag's end is looked for: a tag is short, and a page of unclosed `{%` must not take
/// quadratic time.
const TAG_REACH: usize = 512;

/// The inside of a `{% … %}` or `{{ … }}` at the start of `s` (trimmed, without Liquid's `-`
/// whitespace control) and its length, when it closes within a few lines.
fn closing<'s>(s: &'s str, close: &str) -> Option<(&'s str, usize)> {
    let mut reach = TAG_REACH.min(s.len());
    while !s.is_char_boundary(reach) {
        reach -= 1;
    }
    let end = s.get(2..reach)?.find(close)? + 2;
    let inside = &s[2..end];
    (inside.matches('\n').count() <= 3 && !inside.contains("{%") && !inside.contains("{{"))
        .then(|| (inside.trim_matches('-').trim(), end + close.len()))
}

fn replace(out: &mut Liquid, span: Range<usize>, text: impl Into<String>) {
    out.edits.push(Edit {
        start: span.start,
        end: span.end,
        text: text.into(),
    });
}

fn drop(out: &mut Liquid, body: &str, span: Range<usize>) {
    out.dropped.push(Dropped {
        offset: span.start,
        what: body[span.clone()].to_string(),
    });
    replace(out, span, "");
}

/// Whether `span` is alone on its line in `body`.
fn own_line(body: &str, span: &Range<usize>) -> bool {
    let line_start = body[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[span.end..]
        .find('\n')
        .map_or(body.len(), |i| span.end + i);
    body[line_start..span.start].trim().is_empty() && body[span.end..line_end].trim().is_empty()
}

/// A `{% … %}` tag; returns where to go on looking.
fn tag(body: &str, span: Range<usize>, inside: &str, root: &str, out: &mut Liquid) -> usize {
    let mut words = inside.split_whitespace();
    let name = words.next().unwrap_or("");
    let end = span.end;
    match name {
        "link" => {
            let target = words.next().unwrap_or("").trim_matches(['"', '\'']);
            replace(
                out,
                span,
                format!("{root}{}", target.trim_start_matches('/')),
            );
        }
        "raw" | "comment" => {
            let close = format!("end{name}");
            let Some((end_span, _)) = find_tag(body, end, &close) else {
                drop(out, body, span);
                return end;
            };
            if name == "raw" {
                replace(out, span, "");
                replace(out, end_span.clone(), "");
            } else {
                replace(out, span.start..end_span.end, "");
            }
            return end_span.end;
        }
        "highlight" if own_line(body, &span) => {
            let lang = words.next().unwrap_or("");
            match find_tag(body, end, "endhighlight").filter(|(s, _)| own_line(body, s)) {
                Some((end_span, _)) => {
                    replace(out, span, format!("```{lang}"));
                    replace(out, end_span.clone(), "```");
                    return end_span.end;
                }
                None => drop(out, body, span),
            }
        }
        _ => drop(out, body, span),
    }
    end
}

/// The next `{% name %}` from `from`: its span and inside.
fn find_tag<'b>(body: &'b str, from: usize, name: &str) -> Option<(Range<usize>, &'b str)> {
    let mut at = from;
    while let Some(i) = body[at..].find("{%") {
        let start = at + i;
        let (inside, len) = closing(&body[start..], "%}")?;
        if inside.split_whitespace().next() == Some(name) {
            return Some((start..start + len, inside));
        }
        at = start + 2;
    }
    None
}

/// A `{{ … }}` output; returns where to go on looking.
fn output(body: &str, span: Range<usize>, inside: &str, root: &str, out: &mut Liquid) -> usize {
    let end = span.end;
    let compact: String = inside.split_whitespace().collect::<Vec<_>>().join(" ");
    let base = compact == "site.baseurl" || compact == "site.url";
    if compact == "site.url" && body[end..].trim_start().starts_with("{{") {
        let next = body[end..].trim_start();
        if closing(next, "}}").is_some_and(|(i, _)| i == "site.baseurl") {
            replace(out, span, "");
            return end;
        }
    }
    if base {
        // `{{ site.baseurl }}/x` is content/x: the slash goes with the tag.
        let slash = usize::from(body[end..].starts_with('/'));
        replace(out, span.start..end + slash, root);
        return end + slash;
    }
    if let Some((path, filter)) = compact.split_once('|') {
        let filter = filter.trim();
        let path = path.trim().trim_matches(['"', '\'']);
        if (filter == "relative_url" || filter == "absolute_url") && !path.contains(' ') {
            replace(out, span, format!("{root}{}", path.trim_start_matches('/')));
            return end;
        }
    }
    drop(out, body, span);
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::rewrite::Rewritten;

    fn run(body: &str, rel: &str) -> (String, Vec<(usize, String)>) {
        let l = rewrite(body, rel, Options::ENABLE_MATH);
        let text = Rewritten::new(body, &l.edits).text;
        (
            text,
            l.dropped.into_iter().map(|d| (d.offset, d.what)).collect(),
        )
    }

    #[test]
    fn links_and_base_urls_become_relative_paths() {
        let (t, d) = run(
            "[Syllabus]({% link syllabus.md %}) ![x]({{ site.baseurl }}/assets/a.png) [h]({{ site.baseurl }}) [r]({{ '/labs/' | relative_url }}) [u]({{ site.url }}{{ site.baseurl }}/b.md)",
            "labs/01.md",
        );
        assert_eq!(
            t,
            "[Syllabus](../syllabus.md) ![x](../assets/a.png) [h](../) [r](../labs/) [u](../b.md)"
        );
        assert!(d.is_empty());
        let (t, _) = run("[S]({% link /docs/a.md %})", "x.md");
        assert_eq!(t, "[S](./docs/a.md)");
    }

    #[test]
    fn other_liquid_is_left_out_and_code_and_math_are_untouched() {
        let body = "Hi {{ page.title }}.\n{% include note.html content=\"x\" %}\n`{{ x }}` $\\frac{{a}}{b}$\n\n```yaml\nv: ${{ secrets.KEY }}\n```\n{% raw %}{{ kept }}{% endraw %} {% comment %}gone {{ x }}{% endcomment %}end\n";
        let (t, d) = run(body, "a.md");
        assert_eq!(
            t,
            "Hi .\n\n`{{ x }}` $\\frac{{a}}{b}$\n\n```yaml\nv: ${{ secrets.KEY }}\n```\n{{ kept }} end\n"
        );
        assert_eq!(
            d,
            [
                (3, "{{ page.title }}".to_string()),
                (21, "{% include note.html content=\"x\" %}".to_string())
            ]
        );
    }

    #[test]
    fn highlight_blocks_become_fences() {
        let (t, d) = run(
            "{% highlight python %}\nx = 1\n{% endhighlight %}\n",
            "a.md",
        );
        assert_eq!(t, "```python\nx = 1\n```\n");
        assert!(d.is_empty());
    }
}
