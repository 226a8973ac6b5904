//! Links as they work on GitHub, turned into the site's URLs: a relative link to a `.md` file
//! becomes that page's URL (its `#fragment` checked once every page is rendered), a file beside
//! a page becomes the file's URL. Paths and fragments are compared as a browser compares them,
//! after percent-decoding; a `?query` is kept.

use super::{AnchorRef, Ctx};
use crate::base::diagnostics::nearest_within;
use crate::base::urls::{Parts, is_external, parts, percent_decode, relative_from, target_of};

/// Rewrites a link as written in Markdown or raw HTML into the URL it must have on the site;
/// a missing page or file is an error at `offset`.
pub(super) fn resolve_link(cx: &mut Ctx, dest: &str, offset: usize, image: bool) -> String {
    if is_external(dest) || dest.is_empty() {
        return dest.to_string();
    }
    let url = parts(dest);
    if url.path.is_empty() {
        if let Some(f) = url.fragment {
            let target = cx.rel.to_string();
            record_anchor(cx, target, f, offset);
        }
        return dest.to_string();
    }
    if url.path.starts_with('/') {
        cx.warn(offset, format!("link `{dest}` is site-absolute and is not checked"), Some("link to the page's .md file with a relative path, e.g. ../labs/01-setup.md, so it works on GitHub and with any base_url".into()));
        return dest.to_string();
    }
    let Some(target) = target_of(cx.rel, url.path) else {
        cx.error(
            offset,
            format!("link `{dest}` points outside content/"),
            Some(
                "links between pages are relative to the page's own folder inside content/".into(),
            ),
        );
        return dest.to_string();
    };
    let key = match page_key(cx, &target, url.path) {
        Some(k) if !cx.links.pages.contains_key(&k) => old_site_page(cx, &target).or(Some(k)),
        other => other.or_else(|| old_site_page(cx, &target)),
    };
    let found = match key {
        Some(key) => page_url(cx, key, &url, offset),
        None => cx.links.assets.get(&target).cloned().ok_or(target),
    };
    match found {
        Ok(base) => with_query_and_fragment(base, &url),
        Err(missing) => {
            missing_target(cx, dest, &missing, offset, image);
            dest.to_string()
        }
    }
}

/// The page a target names, as a key of `SiteLinks::pages`, if it names a page rather than a
/// file: `x.md`, a folder (`labs/`, `labs`) with a section page, README.md as `_index.md`.
fn page_key(cx: &Ctx, target: &str, path: &str) -> Option<String> {
    let key = if target.ends_with(".md") {
        target.to_string()
    } else if target.is_empty() {
        "_index.md".to_string()
    } else if path.ends_with('/') || cx.links.pages.contains_key(&format!("{target}/_index.md")) {
        format!("{target}/_index.md")
    } else {
        return None;
    };
    Some(match key.strip_suffix("README.md") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}_index.md"),
        _ => key,
    })
}

/// A page named by its address on a Jekyll site, as moved courses write it
/// (`{{ site.baseurl }}/syllabus/`, `syllabus.html`, `syllabus/index.html`, `syllabus`): the page
/// `syllabus.md`, when there is such a page and no folder page or file by that name.
fn old_site_page(cx: &Ctx, target: &str) -> Option<String> {
    let stem = target
        .strip_suffix("/index.html")
        .or_else(|| target.strip_suffix(".html"))
        .unwrap_or(target)
        .trim_end_matches('/');
    let key = format!("{stem}.md");
    let folder = format!("{stem}/_index.md");
    (!stem.is_empty()
        && !cx.links.assets.contains_key(target)
        && !cx.links.pages.contains_key(&folder)
        && cx.links.pages.contains_key(&key))
    .then_some(key)
}

/// The URL of the page `key`, recording its fragment for the anchor check; `Err(key)` when
/// there is no such page.
fn page_url(cx: &mut Ctx, key: String, url: &Parts, offset: usize) -> Result<String, String> {
    let Some(page) = cx.links.pages.get(&key).cloned() else {
        return Err(key);
    };
    if let Some(f) = url.fragment {
        record_anchor(cx, key, f, offset);
    }
    Ok(page)
}

fn record_anchor(cx: &mut Ctx, target: String, fragment: &str, offset: usize) {
    let (line, col) = cx.at(offset);
    cx.out.anchors.push(AnchorRef {
        target,
        anchor: percent_decode(fragment),
        line,
        col,
    });
}

fn with_query_and_fragment(mut base: String, url: &Parts) -> String {
    if let Some(q) = url.query {
        base.push('?');
        base.push_str(q);
    }
    if let Some(f) = url.fragment {
        base.push('#');
        base.push_str(f);
    }
    base
}

fn missing_target(cx: &mut Ctx, dest: &str, missing: &str, offset: usize, image: bool) {
    let dir = cx.rel.rsplit_once('/').map_or("", |(d, _)| d);
    if missing.ends_with(".md") {
        let hint = nearest_within(
            missing,
            cx.links.pages.keys().map(String::as_str),
            &mut cx.hint_budget,
        )
        .map(|k| format!("did you mean `{}`?", relative_from(dir, k)));
        let what = if image { "image" } else { "link" };
        cx.error(
            offset,
            format!("{what} to a missing page `{dest}`"),
            hint.or(Some(
                "check the file name; links are relative to this page's folder".into(),
            )),
        );
        return;
    }
    let hint = nearest_within(
        missing,
        cx.links.assets.keys().map(String::as_str),
        &mut cx.hint_budget,
    )
    .map(|k| format!("did you mean `{}`?", relative_from(dir, k)));
    let what = if image { "image" } else { "link to a file" };
    cx.error(
        offset,
        format!("{what} `{dest}` does not exist"),
        hint.or(Some(
            "put the file next to the page inside content/, or fix the path".into(),
        )),
    );
}
