//! Every page's Markdown rendered, its code highlighted for the whole site at once; in serve,
//! only the pages whose inputs changed.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::memo::{Key, key_of};
use crate::load::content::{Content, SourcePage};
use crate::render::facts::Facts;
use crate::render::input::RenderCache;
use crate::render::markdown::{self, Rendered, SiteLinks};

/// What a page's Markdown renders from besides its own text: every link target, math, and
/// the code colour schemes.
#[derive(Hash)]
struct LinksInput<'a> {
    pages: Vec<(&'a String, &'a String)>,
    assets: Vec<(&'a String, &'a String)>,
    math: bool,
    macros: &'a std::collections::BTreeMap<String, String>,
    code: Option<(&'a str, &'a str)>,
    theme_ids: &'a [String],
    strings: (&'a str, &'a crate::base::i18n::Table),
    facts: &'a Facts,
}

impl<'a> LinksInput<'a> {
    fn of(links: &'a SiteLinks) -> Self {
        // Destructured so that a new field of SiteLinks cannot be left out of the key.
        let SiteLinks {
            pages,
            assets,
            math,
            macros,
            code,
            theme_ids,
            i18n,
            facts,
        } = links;
        let sorted = |m: &'a HashMap<String, String>| {
            let mut v: Vec<_> = m.iter().collect();
            v.sort();
            v
        };
        LinksInput {
            pages: sorted(pages),
            assets: sorted(assets),
            math: *math,
            macros,
            code: code.map(|s| s.names()),
            theme_ids,
            strings: (i18n.language.as_str(), i18n.table()),
            facts,
        }
    }
}

/// What a page's Markdown is made from.
#[derive(Hash)]
struct MarkdownInput<'a> {
    links: Key,
    rel: &'a str,
    path: &'a std::path::Path,
    body_line: usize,
    body: &'a str,
    /// The `h1` above the body (see `markdown::Source::title`).
    title: &'a str,
}

/// Every page's Markdown, then all the code of the site at once, block by block on every core
/// (a site's code is often in a few long pages, which page-by-page work would leave to one
/// core), then the code into the pages.
pub(super) fn render_markdown(
    content: &Content,
    links: &SiteLinks,
    course_title: &str,
    kept: Option<&crate::render::highlight::CodeCache>,
) -> Vec<std::sync::Arc<Rendered>> {
    let deferred: Vec<markdown::Deferred> = content
        .pages
        .par_iter()
        .map(|p| markdown::render_deferred(&source_of(p, course_title), links))
        .collect();
    let blocks: Vec<&(String, String)> = deferred.iter().flat_map(|d| d.blocks.iter()).collect();
    let code = links
        .code
        .map(|s| crate::render::highlight::highlight_all(s, &blocks, kept));
    drop(blocks);
    deferred
        .into_par_iter()
        .zip(content.pages.par_iter())
        .map(|(d, p)| {
            let filled = markdown::fill(d, code.as_ref())
                .unwrap_or_else(|| markdown::render(&source_of(p, course_title), links));
            std::sync::Arc::new(filled)
        })
        .collect()
}

/// The key of what every page's Markdown may link to and use (part of each page's key).
pub(super) fn links_key(links: &SiteLinks) -> Key {
    key_of(&LinksInput::of(links))
}

/// The key of page `p`'s Markdown, with `shared` the [`links_key`] of the term.
fn markdown_key(p: &SourcePage, shared: Key, course_title: &str) -> Key {
    key_of(&MarkdownInput {
        links: shared,
        rel: &p.rel,
        path: &p.path,
        body_line: p.body_line,
        body: &p.body,
        title: source_of(p, course_title).title,
    })
}

/// In serve, a page's Markdown is rendered again only when its text changed or the set of
/// pages and files it may link to did (or the colour schemes); the pages to render go through
/// the same path as a one-shot build, with `code` remembering every block highlighted before.
/// `links` comes with its [`links_key`].
pub(super) fn render_markdown_cached(
    content: &Content,
    (links, shared): (&SiteLinks, Key),
    course_title: &str,
    code: Option<&crate::render::highlight::CodeCache>,
    cache: &RenderCache,
) -> Vec<Arc<Rendered>> {
    let keys: Vec<Key> = content
        .pages
        .par_iter()
        .map(|p| markdown_key(p, shared, course_title))
        .collect();
    let kept: Vec<Option<Arc<Rendered>>> = content
        .pages
        .iter()
        .zip(&keys)
        .map(|(p, k)| cache.markdown.get(&p.rel, *k))
        .collect();
    let todo: Content = Content {
        pages: content
            .pages
            .iter()
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .map(|(p, _)| p.clone())
            .collect(),
        ..Content::default()
    };
    let mut made = render_markdown(&todo, links, course_title, code).into_iter();
    content
        .pages
        .iter()
        .zip(keys)
        .zip(kept)
        .map(|((p, key), kept)| {
            kept.unwrap_or_else(|| {
                let r = made.next().map(Arc::unwrap_or_clone).unwrap_or_default();
                let r = Arc::new(Rendered { key, ..r });
                cache.markdown.put(&p.rel, key, Arc::clone(&r));
                r
            })
        })
        .collect()
}

/// Page `p`'s Markdown as [`render_markdown_cached`] makes it (and keeps it in `cache`), for
/// a term whose other pages did not change.
pub(super) fn render_one(
    p: &SourcePage,
    (links, shared): (&SiteLinks, Key),
    course_title: &str,
    code: Option<&crate::render::highlight::CodeCache>,
    cache: &RenderCache,
) -> Arc<Rendered> {
    let key = markdown_key(p, shared, course_title);
    if let Some(kept) = cache.markdown.get(&p.rel, key) {
        return kept;
    }
    let one = Content {
        pages: vec![p.clone()],
        ..Content::default()
    };
    let made = render_markdown(&one, links, course_title, code).pop();
    let r = Arc::new(Rendered {
        key,
        ..made.map(Arc::unwrap_or_clone).unwrap_or_default()
    });
    cache.markdown.put(&p.rel, key, Arc::clone(&r));
    r
}

/// What the Markdown of a page is rendered from: its body, and the `h1` the theme shows above
/// it (the course title on the home page, else the page title).
pub(super) fn source_of<'a>(p: &'a SourcePage, course_title: &'a str) -> markdown::Source<'a> {
    markdown::Source {
        path: &p.path,
        rel: &p.rel,
        body: &p.body,
        body_line: p.body_line,
        title: if p.rel == "_index.md" {
            course_title
        } else {
            &p.title
        },
    }
}
