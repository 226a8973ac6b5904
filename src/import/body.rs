//! A page's Markdown, moved: `{% link %}` and `{% post_url %}` name the page's new place, the
//! renderer's own Liquid rewriting turns them (and `{{ site.baseurl }}`, `relative_url`) into
//! relative links and leaves out every other tag, and each link to a URL of the old site is
//! pointed at the page that now stands for it. kramdown's attribute lists, callouts and
//! definition lists stay: the renderer reads them (docs/format.md).

use std::collections::{BTreeMap, HashSet};

use super::pages::{SrcPage, url_key};
use super::report::{Kind, Report};
use crate::load::refs;

/// What the links of every page are resolved against.
#[derive(Debug, Default)]
pub struct Places {
    /// Source path → path in content/.
    pub by_src: BTreeMap<String, String>,
    /// An old URL ([`url_key`]) → path in content/ (a page or a file).
    pub by_url: BTreeMap<String, String>,
    /// Every page and file of the new content/.
    pub files: HashSet<String>,
    /// Every folder of the new content/ that holds something.
    pub folders: HashSet<String>,
    /// The old site's `baseurl`.
    pub base_path: String,
    /// `_config.yml`'s text settings, for `{{ site.x }}`.
    pub site_vars: BTreeMap<String, String>,
}

/// The body of `page` (going to content/`dest`), moved.
pub fn convert(page: &SrcPage, dest: &str, places: &Places, report: &mut Report) -> String {
    let (src, body_line) = (page.path.as_str(), page.body_line);
    let body = drop_title(&page.body, &page.title());
    let body = site_and_page_values(&body, &places.site_vars, page);
    let tagged = link_tags(src, &body, body_line, places, report);
    let opts = refs::options() | pulldown_cmark::Options::ENABLE_MATH;
    let mut liquid = crate::load::liquid::rewrite(&tagged, dest, opts);
    // `{% raw %}` stays: the renderer shows its content as written, which the content alone,
    // read again as Liquid, would not be.
    liquid
        .edits
        .retain(|e| !is_raw_tag(&tagged[e.start..e.end]));
    let text = crate::load::rewrite::Rewritten::new(&tagged, &liquid.edits).text;
    let lines = std::cell::OnceCell::new();
    for crate::load::liquid::Dropped { offset, what } in liquid.dropped {
        let line = line_in(lines.get_or_init(|| line_starts(&tagged)), offset) + body_line - 1;
        let what = format!("Liquid `{}` cannot be evaluated: left out", short(&what));
        report.add(
            Kind::LeftOut,
            src,
            line,
            what,
            "write what it showed as Markdown, or a course fact",
        );
    }
    tidy(&relink(src, dest, &text, body_line, places, report))
}

/// Whether `tag` is `{% raw %}` or `{% endraw %}` (with Liquid's `-` trimming marks or not).
fn is_raw_tag(tag: &str) -> bool {
    let inside = tag.strip_prefix("{%").and_then(|t| t.strip_suffix("%}"));
    inside.is_some_and(|t| {
        matches!(
            t.trim_matches(|c: char| c == '-' || c.is_whitespace()),
            "raw" | "endraw"
        )
    })
}

/// The text without the runs of blank lines that left-out Liquid leaves (outside fenced code),
/// starting with its first line of text.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut fenced, mut blank) = (false, 0);
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        blank = if line.trim().is_empty() && !fenced {
            blank + 1
        } else {
            0
        };
        if blank == 0 || (blank == 1 && !out.is_empty()) {
            out.push_str(line);
        }
    }
    out
}

/// The body without a first `# Title` line that repeats the page's title (the theme shows the
/// title): just-the-docs pages start so. Its line stays, empty, so lines keep their numbers.
fn drop_title(body: &str, title: &str) -> String {
    let Some(first) = body.lines().position(|l| !l.trim().is_empty()) else {
        return body.to_string();
    };
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    // `# Lab 1` above the title `Lab 1: Lists` says less than the title: it goes too.
    let is_title = lines.get(first).is_some_and(|l| {
        l.strip_prefix("# ")
            .map(str::trim)
            .is_some_and(|t| !t.is_empty() && !t.contains('{') && title.trim().starts_with(t))
    });
    if !is_title {
        return body.to_string();
    }
    let next_is_ial = lines
        .get(first + 1)
        .is_some_and(|l| l.trim_start().starts_with("{:"));
    lines
        .iter()
        .enumerate()
        .map(
            |(i, l)| match i == first || (next_is_ial && i == first + 1) {
                true => "\n",
                false => l,
            },
        )
        .collect()
}

/// `{{ site.title }}` and every other text setting of `_config.yml`, and `{{ page.title }}`
/// and every other text value of the page's own front matter, written out.
fn site_and_page_values(body: &str, site: &BTreeMap<String, String>, page: &SrcPage) -> String {
    if !body.contains("{{") {
        return body.to_string();
    }
    let mut page_vars: BTreeMap<String, String> = page
        .front
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), super::site::scalar(v)?)))
        .collect();
    page_vars.insert("title".into(), page.title());
    let mut out = body.to_string();
    for (object, vars) in [("site", site), ("page", &page_vars)] {
        for (k, v) in vars {
            for spaced in [
                format!("{{{{ {object}.{k} }}}}"),
                format!("{{{{{object}.{k}}}}}"),
            ] {
                out = out.replace(&spaced, &v.replace(['\n', '\r'], " "));
            }
        }
    }
    out
}

/// `{% link x %}` and `{% post_url x %}` with `x` the page's new path in content/; one whose
/// page is not imported points at the home page, and is reported.
fn link_tags(
    src: &str,
    body: &str,
    body_line: usize,
    places: &Places,
    report: &mut Report,
) -> String {
    let lines = std::cell::OnceCell::new();
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find("{%") {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let mut reach = after.len().min(512);
        while !after.is_char_boundary(reach) {
            reach -= 1;
        }
        // Unclosed, or another tag opens before it closes: this `{%` is text.
        let close = after[2..reach].find("%}").map(|i| i + 2);
        let Some(close) = close.filter(|c| !after[2..*c].contains("{%")) else {
            out.push_str("{%");
            rest = &after[2..];
            continue;
        };
        let inner = after[2..close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let arg = inner
            .strip_prefix("link ")
            .map(|a| (a, false))
            .or_else(|| inner.strip_prefix("post_url ").map(|a| (a, true)));
        match arg {
            Some((a, post)) => {
                let a = a.trim().trim_matches(['"', '\'']);
                let dest = lookup(a, post, places).unwrap_or_else(|| {
                    let at = body.len() - after.len();
                    let line = line_in(lines.get_or_init(|| line_starts(body)), at) + body_line - 1;
                    let what = format!(
                        "`{}` names no page of the site: it now links the home page",
                        short(inner)
                    );
                    report.add(
                        Kind::LeftOut,
                        src,
                        line,
                        what,
                        "point the link at the right page",
                    );
                    "_index.md".into()
                });
                out.push_str(&format!("{{% link {dest} %}}"));
            }
            None => out.push_str(&after[..close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

fn lookup(arg: &str, post: bool, places: &Places) -> Option<String> {
    if post {
        return places
            .by_src
            .iter()
            .find(|(s, _)| s.starts_with("_posts/") && s.contains(arg))
            .map(|(_, d)| d.clone());
    }
    places.by_src.get(arg.trim_start_matches('/')).cloned()
}

/// Each link to a path of the old site that is no page or file of the new course, pointed at
/// the page or file that stands at that old URL; one that leads nowhere points at the home page.
fn relink(
    src: &str,
    dest: &str,
    text: &str,
    body_line: usize,
    places: &Places,
    report: &mut Report,
) -> String {
    let dir = dest.rsplit_once('/').map_or("", |(d, _)| d);
    let lines = std::cell::OnceCell::new();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in refs::of_body(dest, text) {
        let Some(target) = refs::resolve(dir, &r.dest) else {
            continue;
        };
        if exists(&target, &r.dest, places) || r.offset < at {
            continue;
        }
        // The destination is written near its link: looking further would make a page of
        // many links quadratic.
        let near = window(text, r.offset, 8192);
        let Some(pos) = near.find(&r.dest).map(|i| i + r.offset) else {
            continue;
        };
        let fragment = r.dest.find('#').map_or("", |i| &r.dest[i..]);
        let new = match old_url(&target, &r.dest, places) {
            Some(found) => format!("{}{fragment}", relative(dir, &found)),
            None => {
                let line = line_in(lines.get_or_init(|| line_starts(text)), pos) + body_line - 1;
                let what = format!(
                    "the link `{}` leads to nothing the site had: it now links the home page",
                    short(&r.dest)
                );
                report.add(
                    Kind::LeftOut,
                    src,
                    line,
                    what,
                    "point it at the right page or file, or write the full https:// address",
                );
                relative(dir, "_index.md")
            }
        };
        out.push_str(&text[at..pos]);
        out.push_str(&new);
        at = pos + r.dest.len();
    }
    out.push_str(&text[at..]);
    out
}

/// At most `len` bytes of `text` from `from` (cut at a character boundary).
fn window(text: &str, from: usize, len: usize) -> &str {
    let mut end = text.len().min(from.saturating_add(len));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(from..end).unwrap_or("")
}

fn exists(target: &str, dest: &str, places: &Places) -> bool {
    let folder = target.trim_end_matches('/');
    places.files.contains(target)
        || ((dest.split(['#', '?']).next().unwrap_or("").ends_with('/') || !target.contains('.'))
            && (places.folders.contains(folder) || folder.is_empty()))
}

/// The page or file at an old URL: the link as the old site read it (from its root), or as
/// written relative to the page.
fn old_url(target: &str, dest: &str, places: &Places) -> Option<String> {
    let written = dest.split(['#', '?']).next().unwrap_or("");
    [
        url_key(written, &places.base_path),
        url_key(target, &places.base_path),
    ]
    .iter()
    .find_map(|k| places.by_url.get(k).cloned())
}

/// The relative link from a page in `dir` to `to` (both relative to content/).
pub fn relative(dir: &str, to: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    if out.is_empty() { "./".into() } else { out }
}

/// Where each line of `text` starts, to find many lines in one text in linear time.
fn line_starts(text: &str) -> Vec<usize> {
    let ends = text.match_indices('\n').map(|(i, _)| i + 1);
    std::iter::once(0).chain(ends).collect()
}

/// The 1-based line of `offset`, given the text's [`line_starts`].
fn line_in(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|s| *s <= offset).max(1)
}

/// At most 80 characters of a construct, for the report.
fn short(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tags cut short, nested or made of multi-byte text move without a panic; a link tag names
    /// the page's new place, one to no page the home page (reported).
    #[test]
    fn link_tags_survive_odd_text() {
        let mut places = Places::default();
        places.by_src.insert("docs/a.md".into(), "a.md".into());
        let mut report = Report::default();
        let body = "{%} {% {%- link docs/a.md -%} {% link gone.md %} {% é%} {%";
        let got = link_tags("x.md", body, 1, &places, &mut report);
        assert_eq!(got, "{%} {% {% link a.md %} {% link _index.md %} {% é%} {%");
        assert_eq!(report.items.len(), 1);
        assert_eq!(tidy("a\n\n\n\nb\n```\n\n\n```\n"), "a\n\nb\n```\n\n\n```\n");
    }
}
