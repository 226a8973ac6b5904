//! Render: one term's pages into files in memory. Only `output` touches the disk.

mod checks;
mod html;
mod markdown_pass;
mod one;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{Data, OutputFile};
use crate::base::memo::{AsJson, Key, key_of};
use crate::load::content::{Kind, SourcePage};
use crate::render::context::{self, SiteCtx};
use crate::render::facts::Facts;
use crate::render::input::TermInput;
use crate::render::markdown::{Rendered, SiteLinks};
use markdown_pass::{render_markdown, render_markdown_cached};

pub use checks::check_pages;
pub use one::{PageFiles, TermState, render_page_again};

/// What every page of a term shares: part of each page's input.
#[derive(Hash)]
struct SharedInput<'a> {
    templates: Key,
    site: AsJson<'a, SiteCtx>,
    calendar: AsJson<'a, crate::render::calendar_page::CalendarCtx>,
}

/// The result of rendering one term.
pub struct TermOutput {
    /// Files below public/.
    pub files: Vec<OutputFile>,
    /// The site context, for pages outside the term (404).
    pub site: SiteCtx,
    /// Page URLs, for the sitemap.
    pub page_urls: Vec<String>,
    /// What re-rendering one of its pages takes ([`render_page_again`]); kept when the term is
    /// rendered with a cache.
    pub state: Option<TermState>,
}

/// Renders every page of a term, its calendar page and feed, and lists its assets.
pub fn render_term(input: &TermInput, diags: &mut Diagnostics) -> Option<TermOutput> {
    let TermInput {
        content,
        map,
        templates,
        ..
    } = input;
    let site = site_of(input);
    let facts = facts_of(input);
    let layout = Layout::of(input, &facts);
    let links = site_links(input, &facts);
    let links_key = input.cache.map_or(0, |_| markdown_pass::links_key(&links));
    // The calendar's week-by-week view (shared by every page's template) is made while the
    // pages' Markdown is rendered.
    let (rendered, calendar_ctx) = rayon::join(
        || markdown_of(input, &links, links_key, diags),
        || crate::render::calendar_page::calendar_ctx(input, &map.urls, &site),
    );
    let mut tera = templates.tera.clone();
    tera.global_context().insert("site", &site);
    tera.global_context().insert("calendar", &calendar_ctx);
    let globals = globals_key(input, &site, &calendar_ctx);
    let pages: Vec<(&SourcePage, &Rendered)> = content
        .pages
        .iter()
        .zip(rendered.iter().map(|r| r.as_ref()))
        .collect();
    let term = TermRender {
        input,
        tera: &tera,
        site: &site,
        layout: &layout,
        globals,
    };
    let files = term.files(&pages, diags);
    let page_urls = pages
        .iter()
        .filter_map(|(p, _)| map.urls.pages.get(&p.rel).cloned())
        .chain([site.calendar_url.clone()])
        .collect();
    let state = input.cache.map(|_| TermState {
        tera,
        site: site.clone(),
        facts,
        globals,
        links: links_key,
        rendered,
    });
    Some(TermOutput {
        files,
        site,
        page_urls,
        state,
    })
}

/// The key of what every page shares (part of each page's cache key); 0 without a cache.
fn globals_key(
    input: &TermInput,
    site: &SiteCtx,
    calendar: &crate::render::calendar_page::CalendarCtx,
) -> Key {
    input.cache.map_or(0, |_| {
        key_of(&SharedInput {
            templates: input.templates.fingerprint,
            site: AsJson(site),
            calendar: AsJson(calendar),
        })
    })
}

/// Every page's Markdown rendered (in serve, only what changed), with its mistakes and those
/// of the pages that cannot be published reported.
fn markdown_of(
    input: &TermInput,
    links: &SiteLinks,
    links_key: Key,
    diags: &mut Diagnostics,
) -> Vec<Arc<Rendered>> {
    let TermInput {
        config, content, ..
    } = input;
    let title = &config.course.title;
    let rendered = match input.cache {
        None => render_markdown(content, links, title, input.code),
        Some(cache) => {
            render_markdown_cached(content, (links, links_key), title, input.code, cache)
        }
    };
    checks::check_anchors(&content.pages, &rendered, diags);
    for r in &rendered {
        r.diagnostics.iter().for_each(|d| diags.push(d.clone()));
    }
    checks::check_broken_bodies(content, links, diags);
    rendered
}

/// The `site` variable of the term's templates, with its announcements and feed.
fn site_of(input: &TermInput) -> SiteCtx {
    let TermInput {
        config,
        term,
        content,
        map,
        versions,
        archived,
        ..
    } = input;
    let urls = &map.urls;
    let nav = map.nav.clone();
    let mut site = context::site_ctx(config, term, urls, nav, versions.clone(), *archived);
    site.announcements = crate::render::announcements::items(config, content, &urls.pages);
    if crate::render::announcements::has_feed(content) {
        let file = crate::render::announcements::FEED_FILE;
        site.feed_url = format!("{}{file}", urls.term_root);
    }
    site
}

/// What every page's Markdown may link to and use: the term's URLs, facts, math and code.
fn site_links<'a>(input: &'a TermInput, facts: &'a Facts) -> SiteLinks<'a> {
    let config = input.config;
    SiteLinks {
        facts,
        pages: &input.map.urls.pages,
        assets: &input.map.urls.assets,
        math: config.course.markdown.math,
        macros: &config.course.markdown.macros,
        code: Some(input.schemes),
        theme_ids: &input.templates.ids,
        i18n: &config.i18n,
    }
}

/// What the term's pages are rendered with, shared by all of them.
struct TermRender<'a> {
    input: &'a TermInput<'a>,
    /// The templates, with `site` and `calendar` in their global context.
    tera: &'a tera::Tera,
    site: &'a SiteCtx,
    layout: &'a Layout<'a>,
    /// The key of what every page shares (0 without a cache).
    globals: u128,
}

impl<'a> TermRender<'a> {
    /// Every file of the term: its pages (side by side with the search index and the pages
    /// the build makes itself), then its assets. A page that cannot be rendered is an error.
    fn files(
        &self,
        pages: &[(&SourcePage, &Rendered)],
        diags: &mut Diagnostics,
    ) -> Vec<OutputFile> {
        let TermInput {
            term,
            content,
            options,
            ..
        } = self.input;
        type Made = Result<Vec<OutputFile>, Diagnostic>;
        let (results, (search, generated)): (Vec<Made>, _) = rayon::join(
            || {
                let each = pages.par_iter().enumerate();
                each.map(|(i, (page, r))| self.page(i, page, r)).collect()
            },
            || {
                rayon::join(
                    || {
                        let memo = self.input.cache.map(|c| &c.search);
                        let index =
                            || crate::render::search::index_of(&term.id, self.records(pages), memo);
                        options.search.then(index)
                    },
                    || self.generated(pages),
                )
            },
        );
        let mut files = Vec::with_capacity(results.len() + content.assets.len() + 2);
        let mut take = |made: Made| match made {
            Ok(f) => files.extend(f),
            Err(d) => diags.push(d),
        };
        results.into_iter().for_each(&mut take);
        take(Ok(search.into_iter().flatten().collect()));
        generated.into_iter().for_each(&mut take);
        let term_dir = format!("{}/", term.id);
        for a in &content.assets {
            files.push(OutputFile {
                path: format!("{term_dir}{}", a.rel),
                data: Data::Copy(a.source.clone()),
            });
        }
        files
    }

    /// The search index's pages: each page's URL, title, section, and the render its text comes
    /// from (with that render's key, which stands for the text).
    fn records<'p>(
        &self,
        pages: &[(&'p SourcePage, &'p Rendered)],
    ) -> Vec<crate::render::search::Page<'p>> {
        let TermInput { config, map, .. } = self.input;
        pages
            .iter()
            .enumerate()
            .map(|(i, (p, r))| crate::render::search::Page {
                url: map.url(&p.rel),
                title: if p.title.is_empty() {
                    config.course.title.clone()
                } else {
                    p.title.clone()
                },
                section: map.places[i]
                    .section
                    .map_or_else(|| config.i18n.t("course"), |s| self.title_of(s)),
                description: &p.front.description,
                html: &r.html,
                key: r.key,
            })
            .collect()
    }

    /// The calendar page, the feed and the search page. They are made anew every time: they
    /// read the whole term (every lab's title and dates), so a key short of all of it would go
    /// stale, and making them costs about as much as rendering one page.
    fn generated(
        &self,
        pages: &[(&SourcePage, &Rendered)],
    ) -> Vec<Result<Vec<OutputFile>, Diagnostic>> {
        let (input, tera, site) = (self.input, self.tera, self.site);
        let urls = &input.map.urls;
        vec![
            crate::render::calendar_page::render(input, tera, urls, site),
            crate::render::search::page(input, tera, urls, site).map(|f| vec![f]),
            Ok(feed(input, urls, pages).into_iter().collect()),
        ]
    }

    /// The title of page `i`.
    fn title_of(&self, i: usize) -> String {
        self.input.content.pages[i].title.clone()
    }
}

/// What a page is rendered with besides the term's shared parts: the lab dates by slug, and
/// the course facts its references (and its notebook's) name.
struct Layout<'a> {
    /// The dates of each lab, by slug.
    labs: HashMap<&'a str, &'a crate::schedule::calendar::LabDates>,
    /// The course facts that references in the pages (and their notebooks) name.
    facts: &'a Facts,
}

impl<'a> Layout<'a> {
    fn of(input: &'a TermInput, facts: &'a Facts) -> Self {
        let labs = input.calendar.labs.iter();
        Layout {
            labs: labs.map(|l| (l.slug.as_str(), l)).collect(),
            facts,
        }
    }
}

/// The course facts of the term's pages.
fn facts_of(input: &TermInput) -> Facts {
    Facts::of(crate::render::facts::Sources {
        config: input.config,
        term: input.term,
        content: input.content,
        calendar: input.calendar,
    })
}

/// The term's Atom feed of announcements, if it has an announcements section.
fn feed(
    input: &TermInput,
    urls: &context::Urls,
    pages: &[(&SourcePage, &Rendered)],
) -> Option<OutputFile> {
    let html: HashMap<&str, &str> = pages
        .iter()
        .filter(|(p, _)| p.kind == Kind::Announcement)
        .map(|(p, r)| (p.rel.as_str(), r.html.as_str()))
        .collect();
    crate::render::announcements::feed(&crate::render::announcements::FeedInput {
        config: input.config,
        term: input.term,
        content: input.content,
        urls: &urls.pages,
        html: &html,
        term_root: &urls.term_root,
    })
}
