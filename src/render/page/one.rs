//! One page of a term rendered again when only its body changed (serve): its HTML and
//! notebook, the term's search index and, for an announcement, the feed. Every other file of
//! the term is made from what the body does not touch (front matter, the term, the templates),
//! so it is what it was; what a body does reach of other pages (the anchors they link to) is
//! checked here, and a change that reaches further is left to a whole render.

use std::collections::HashMap;
use std::sync::Arc;

use super::checks::names_an_id;
use super::markdown_pass::render_one;
use super::{Layout, TermRender, feed, site_links};
use crate::base::diagnostics::Severity;
use crate::base::files::OutputFile;
use crate::base::memo::Key;
use crate::load::content::{Kind, SourcePage};
use crate::render::context::SiteCtx;
use crate::render::facts::Facts;
use crate::render::input::TermInput;
use crate::render::markdown::Rendered;

/// What a term's render keeps for rendering one of its pages again: the templates with the
/// term's `site` and `calendar` in their global context, the facts, the keys every page's
/// Markdown and HTML share, and each page's rendered Markdown (in the order of the pages).
pub struct TermState {
    pub(super) tera: tera::Tera,
    pub(super) site: SiteCtx,
    pub(super) facts: Facts,
    pub(super) globals: Key,
    pub(super) links: Key,
    pub(super) rendered: Vec<Arc<Rendered>>,
}

/// The files [`render_page_again`] made.
pub struct PageFiles {
    /// The page's HTML, its notebook if it has one, and the feed if it is an announcement.
    pub files: Vec<OutputFile>,
    /// The term's search index, every file of it (`None` when the build makes none).
    pub index: Option<Vec<OutputFile>>,
}

/// Page `i` of `input` rendered again, for a term that `state` was made from but for the
/// body of that page (its front matter, and so its title, URL, dates and place, unchanged:
/// the caller's check). `state` is brought up to date. `None`, with `state` as it was, when
/// the body reaches further than its own files or has a mistake: a Markdown error, a link to
/// an anchor that is not there, an anchor that another page links to gone. Only a whole render
/// of the term tells (and reports) those.
pub fn render_page_again(input: &TermInput, state: &mut TermState, i: usize) -> Option<PageFiles> {
    let cache = input.cache?;
    let page = input.content.pages.get(i)?;
    let links = site_links(input, &state.facts);
    let title = &input.config.course.title;
    let r = render_one(page, (&links, state.links), title, input.code, cache);
    let error = r.diagnostics.iter().any(|d| d.severity == Severity::Error);
    if error || !anchors_hold(input.content.pages.as_slice(), &state.rendered, i, &r) {
        return None;
    }
    state.rendered[i] = Arc::clone(&r);
    let state = &*state;
    let layout = Layout::of(input, &state.facts);
    let term = TermRender {
        input,
        tera: &state.tera,
        site: &state.site,
        layout: &layout,
        globals: state.globals,
    };
    let mut files = term.page(i, page, &r).ok()?;
    let pages: Vec<(&SourcePage, &Rendered)> = input
        .content
        .pages
        .iter()
        .zip(state.rendered.iter().map(|r| r.as_ref()))
        .collect();
    if page.kind == Kind::Announcement {
        files.extend(feed(input, &input.map.urls, &pages));
    }
    let index = input.options.search.then(|| {
        let memo = Some(&cache.search);
        crate::render::search::index_of(&input.term.id, term.records(&pages), memo)
    });
    Some(PageFiles { files, index })
}

/// Whether the anchors still hold with `new` as the render of page `i`: those `new` links to
/// (in any page), and, when its ids changed, those other pages link to in it.
fn anchors_hold(
    pages: &[SourcePage],
    rendered: &[Arc<Rendered>],
    i: usize,
    new: &Rendered,
) -> bool {
    let rel = pages[i].rel.as_str();
    let ids_changed = rendered.get(i).is_none_or(|old| old.ids != new.ids);
    if new.anchors.is_empty() && !ids_changed {
        return true;
    }
    let index: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(j, p)| (p.rel.as_str(), j))
        .collect();
    let ids_of = |target: &str| -> Option<&Rendered> {
        match index.get(target) {
            Some(&j) if j == i => Some(new),
            Some(&j) => rendered.get(j).map(|r| r.as_ref()),
            None => None,
        }
    };
    let holds = |r: &Rendered, only: Option<&str>| {
        r.anchors
            .iter()
            .filter(|a| only.is_none_or(|t| a.target == t))
            .all(|a| {
                ids_of(&a.target)
                    .is_none_or(|t| names_an_id(&a.anchor, |id| t.ids.iter().any(|x| x == id)))
            })
    };
    holds(new, None)
        && (!ids_changed
            || rendered
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .all(|(_, r)| holds(r, Some(rel))))
}
