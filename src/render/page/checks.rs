//! What is checked of the rendered Markdown: anchors into pages, and the bodies of pages that
//! cannot be published, or of a course that cannot be built.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::markdown_pass::{render_markdown, source_of};
use crate::base::diagnostics::{Diagnostic, Diagnostics, nearest_within};
use crate::load::config::Config;
use crate::load::content::{Content, SourcePage};
use crate::render::context;
use crate::render::facts::Facts;
use crate::render::markdown::{self, Rendered, SiteLinks};

/// What can be checked of the pages when the course cannot be built (course.yaml, the term
/// file or the templates are broken): every page's links, anchors, images and math, and the
/// nav entries when course.yaml could be read. So one build reports the mistakes of every file.
pub fn check_pages(config: Option<&Config>, content: &Content, diags: &mut Diagnostics) {
    let urls = match config {
        Some(c) => context::urls(c, "term", content),
        None => context::urls_below("/term/".into(), content),
    };
    if let Some(c) = config {
        crate::model::site_map::nav(c, content, &urls, diags);
    }
    let no_macros = std::collections::BTreeMap::new();
    let english;
    let i18n = match config {
        Some(c) => &*c.i18n,
        None => {
            english = crate::base::i18n::I18n::new("en", Default::default(), None);
            &english
        }
    };
    let links = SiteLinks {
        i18n,
        pages: &urls.pages,
        assets: &urls.assets,
        math: config.is_none_or(|c| c.course.markdown.math),
        code: None,
        macros: config.map_or(&no_macros, |c| &c.course.markdown.macros),
        // The templates may be what is broken; an anchor to one of the theme's ids is then
        // reported, which a working build would accept (rare, and the build fails anyway).
        theme_ids: &[],
        // Without a term there are no facts: references are neither replaced nor reported.
        facts: &Facts::default(),
    };
    let title = config.map_or("", |c| c.course.title.as_str());
    let rendered = render_markdown(content, &links, title, None);
    check_anchors(&content.pages, &rendered, diags);
    for r in &rendered {
        r.diagnostics.iter().for_each(|d| diags.push(d.clone()));
    }
    check_broken_bodies(content, &links, diags);
}

/// The links, math and raw HTML of each page whose front matter has errors, checked as if it
/// had none (`Content::broken_bodies`), so that one run reports every mistake of the page. Only
/// the diagnostics are kept; nothing of these pages is published.
pub(super) fn check_broken_bodies(content: &Content, links: &SiteLinks, diags: &mut Diagnostics) {
    let links = SiteLinks {
        code: None,
        ..*links
    };
    let rendered: Vec<std::sync::Arc<Rendered>> = content
        .broken_bodies
        .par_iter()
        .map(|p| std::sync::Arc::new(markdown::render(&source_of(p, ""), &links)))
        .collect();
    // Anchors into the page itself; those into other pages are checked once it reads.
    check_anchors(&content.broken_bodies, &rendered, diags);
    for r in &rendered {
        r.diagnostics.iter().for_each(|d| diags.push(d.clone()));
    }
}

/// Every `#anchor` a page links to must be an id of its target (a heading, a footnote, an
/// `id` in raw HTML or one of the theme's), compared after percent-decoding.
pub(super) fn check_anchors(
    pages: &[SourcePage],
    rendered: &[std::sync::Arc<Rendered>],
    diags: &mut Diagnostics,
) {
    // Each page's ids, in order (for hints) and as a set (for the check).
    let ids: HashMap<&str, (Vec<&str>, HashSet<&str>)> = pages
        .iter()
        .zip(rendered)
        .map(|(p, r)| {
            let list: Vec<&str> = r.ids.iter().map(String::as_str).collect();
            let set = list.iter().copied().collect();
            (p.rel.as_str(), (list, set))
        })
        .collect();
    for (p, r) in pages.iter().zip(rendered) {
        // Each page's hints share one budget, and a wrong anchor repeated costs one search.
        let mut budget = crate::base::diagnostics::HINT_BUDGET;
        let mut hints: HashMap<(&str, &str), Option<&str>> = HashMap::new();
        for a in &r.anchors {
            let Some((known, set)) = ids.get(a.target.as_str()) else {
                continue;
            };
            if names_an_id(&a.anchor, |id| set.contains(id)) {
                continue;
            }
            let near = *hints
                .entry((a.target.as_str(), a.anchor.as_str()))
                .or_insert_with(|| nearest_within(&a.anchor, known.iter().copied(), &mut budget));
            let hint = near
                .map(|n| format!("did you mean `#{n}`?"))
                .unwrap_or_else(|| {
                    "link to a heading that exists, or give the heading an id: ## Title {#my-id}"
                        .into()
                });
            let target = if a.target == p.rel {
                "this page".to_string()
            } else {
                format!("content/{}", a.target)
            };
            diags.push(
                Diagnostic::error(
                    &p.path,
                    a.line,
                    a.col,
                    format!("link to a missing heading `#{}` in {target}", a.anchor),
                )
                .with_hint(hint),
            );
        }
    }
}

/// Whether a link's `#anchor` names an element of a page that `has` the ids of. An empty
/// anchor, and `#top`, need no element: browsers scroll to the top of the page (HTML's
/// "indicated part of the document").
pub(super) fn names_an_id(anchor: &str, has: impl Fn(&str) -> bool) -> bool {
    anchor.is_empty() || has(anchor) || anchor.eq_ignore_ascii_case("top")
}
