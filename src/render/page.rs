//! Render: one term's pages into files in memory. Only `output` touches the disk.

mod checks;
mod markdown_pass;
mod one;

use std::collections::HashMap;

use std::sync::Arc;

use rayon::prelude::*;

use crate::base::memo::{AsJson, Key, key_of};
use serde::Serialize;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{Data, OutputFile};
use crate::load::content::{Kind, SourcePage};
use crate::model::site_map::Place;
use crate::render::context::{self, DatesCtx, Link, ListItem, SiteCtx, VersionLink};
use crate::render::facts::Facts;
use crate::render::input::TermInput;
use crate::render::markdown::{Heading, Rendered, SiteLinks};
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

/// What a page's HTML is made from.
#[derive(Hash)]
struct PageInput<'a> {
    shared: Key,
    template: &'a str,
    markdown: Key,
    page: AsJson<'a, PageCtx<'a>>,
}

/// The `page` variable of templates.
#[derive(Debug, Clone, Serialize)]
struct PageCtx<'a> {
    kind: &'static str,
    title: &'a str,
    description: &'a str,
    section: &'a str,
    section_title: String,
    section_url: String,
    url: String,
    nav_key: String,
    content: &'a str,
    toc: Vec<&'a Heading>,
    show_toc: bool,
    breadcrumbs: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
    pages: Vec<ListItem>,
    dates: DatesCtx,
    notebook_url: String,
    notebook_launch_url: String,
    extra: &'a serde_yaml::Mapping,
    alternates: Vec<VersionLink>,
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

    /// A link to page `i`.
    fn link(&self, i: usize) -> Link {
        let p = &self.input.content.pages[i];
        Link {
            title: p.title.clone(),
            url: self.input.map.url(&p.rel),
        }
    }

    /// Renders page `i` (and its notebook) with its template.
    fn page(
        &self,
        i: usize,
        page: &SourcePage,
        r: &Rendered,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let url = self.input.map.url(&page.rel);
        let mut files = Vec::new();
        let (notebook, notebook_url, notebook_launch_url) = self.notebook(page, &url)?;
        files.extend(notebook);
        let mut ctx = self.page_ctx(i, page, r, url);
        (ctx.notebook_url, ctx.notebook_launch_url) = (notebook_url, notebook_launch_url);
        let template = self.template_of(page)?;
        files.push(self.html(page, &template, ctx, r)?);
        Ok(files)
    }

    /// The `page` variable of page `i` (its notebook's URLs left empty).
    fn page_ctx<'p>(
        &self,
        i: usize,
        page: &'p SourcePage,
        r: &'p Rendered,
        url: String,
    ) -> PageCtx<'p>
    where
        'a: 'p,
    {
        let TermInput {
            config,
            term,
            calendar,
            map,
            ..
        } = self.input;
        let place = &map.places[i];
        let section = place.section.map(|s| &self.input.content.pages[s]);
        PageCtx {
            kind: kind_name(page.kind),
            title: if page.kind == Kind::Home && page.title.is_empty() {
                &config.course.title
            } else {
                &page.title
            },
            description: &page.front.description,
            section: &page.dir,
            section_title: section.map_or_else(String::new, |s| s.title.clone()),
            section_url: section.map_or_else(String::new, |s| map.url(&s.rel)),
            url,
            nav_key: place.nav_key.clone(),
            // With a cache, the page's key stands for its content (see `html`).
            content: if self.input.cache.is_some() {
                ""
            } else {
                &r.html
            },
            toc: r
                .headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .collect(),
            show_toc: page.front.toc.unwrap_or(r.headings.len() >= 3),
            breadcrumbs: self.breadcrumbs(page, place),
            prev: place.prev.map(|s| self.link(s)),
            next: place.next.map(|s| self.link(s)),
            pages: place.listing.iter().map(|s| self.list_item(*s)).collect(),
            dates: context::page_dates(page, term, calendar, &self.layout.labs, config),
            notebook_url: String::new(),
            notebook_launch_url: String::new(),
            extra: &page.front.extra,
            alternates: context::alternates(self.input.others, &page.url_path),
        }
    }

    /// The links above a page: home, then the section pages of the folders above it (none on
    /// the home page).
    fn breadcrumbs(&self, page: &SourcePage, place: &Place) -> Vec<Link> {
        let mut out = Vec::new();
        if page.kind != Kind::Home {
            out.push(Link {
                title: self.input.config.i18n.t("home"),
                url: self.input.map.urls.term_root.clone(),
            });
            out.extend(place.crumbs.iter().map(|s| self.link(*s)));
        }
        out
    }

    /// Page `i` as an entry of a section page's list.
    fn list_item(&self, i: usize) -> ListItem {
        let TermInput {
            config,
            term,
            calendar,
            content,
            map,
            ..
        } = self.input;
        let s = &content.pages[i];
        ListItem {
            title: s.title.clone(),
            url: map.url(&s.rel),
            description: s.front.description.clone(),
            kind: s.kind,
            dates: context::page_dates(s, term, calendar, &self.layout.labs, config),
        }
    }

    /// The notebook of a page with a `kernel` (docs/format.md): the file, its URL and the URL
    /// that opens it in the course's notebook service; empty for other pages.
    fn notebook(
        &self,
        page: &SourcePage,
        url: &str,
    ) -> Result<(Option<OutputFile>, String, String), Diagnostic> {
        let TermInput { config, term, .. } = self.input;
        let Some(kernel) = crate::render::notebook::kernel_of(page)? else {
            return Ok((None, String::new(), String::new()));
        };
        let nb_path = format!("{}/{}{}.ipynb", term.id, page.url_path, page.slug);
        let nb_url = format!("{url}{}.ipynb", page.slug);
        let file = OutputFile {
            path: nb_path,
            data: Data::Bytes(crate::render::notebook::notebook(
                page,
                kernel,
                self.layout.facts,
            )),
        };
        let launch = config
            .course
            .labs
            .notebook_launch
            .as_ref()
            .map_or_else(String::new, |t| {
                let site_path = nb_url
                    .strip_prefix(config.base_path.trim_end_matches('/'))
                    .unwrap_or(&nb_url);
                let address = format!("{}{site_path}", config.base_url.trim_end_matches('/'));
                t.replace(
                    "{url}",
                    &crate::render::notebook::encode_component(&address),
                )
            });
        Ok((Some(file), nb_url, launch))
    }

    /// The template a page is rendered with: its `template`, else the one of its kind; one
    /// that does not exist is an error at the key.
    fn template_of(&self, page: &SourcePage) -> Result<String, Diagnostic> {
        let templates = self.input.templates;
        let template = page
            .front
            .template
            .clone()
            .unwrap_or_else(|| format!("{}.html", default_template(page.kind)));
        if templates.origins.contains_key(&template) {
            return Ok(template);
        }
        let line =
            crate::load::content::line_of_key(&page.front_text, "template") + page.front_line - 1;
        let known: Vec<&str> = templates
            .origins
            .keys()
            .map(String::as_str)
            .filter(|k| !k.starts_with("partials/") && *k != "base.html")
            .collect();
        Err(Diagnostic::error(
            &page.path,
            line,
            1,
            format!("template `{template}` does not exist"),
        )
        .with_hint(crate::base::diagnostics::did_you_mean(&template, &known)))
    }

    /// The page's HTML file, rendered with `template`; in serve, taken from the cache when
    /// nothing it is made from changed, and kept there.
    fn html<'p>(
        &self,
        page: &SourcePage,
        template: &str,
        mut ctx: PageCtx<'p>,
        r: &'p Rendered,
    ) -> Result<OutputFile, Diagnostic> {
        let TermInput {
            templates,
            cache,
            term,
            ..
        } = self.input;
        let path = format!("{}/{}index.html", term.id, page.url_path);
        let key = cache.map(|_| {
            key_of(&PageInput {
                shared: self.globals,
                template,
                markdown: r.key,
                page: AsJson(&ctx),
            })
        });
        if let (Some(cache), Some(key)) = (cache, key)
            && let Some(data) = cache.pages.get(&path, key)
        {
            return Ok(OutputFile { path, data });
        }
        if ctx.content.is_empty() {
            ctx.content = &r.html;
        }
        let mut ctx_t = tera::Context::new();
        ctx_t.insert("page", &ctx);
        // Sized for the body and the theme around it, so the page is not copied as it grows.
        let mut html = Vec::with_capacity(r.html.len() + 16 * 1024);
        self.tera
            .render_to(template, &ctx_t, &mut html)
            .map_err(|e| {
                crate::render::templates::template_error(&e, &templates.origins, Some(&page.path))
            })?;
        let data = match (cache, key) {
            (Some(cache), Some(key)) => {
                let bytes = Arc::new(html);
                cache
                    .pages
                    .put(&path, key, Data::Shared(Arc::clone(&bytes)));
                Data::Shared(bytes)
            }
            _ => Data::Bytes(html),
        };
        Ok(OutputFile { path, data })
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

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Home => "home",
        Kind::Section => "section",
        Kind::Page => "page",
        Kind::Topic => "topic",
        Kind::Lab => "lab",
        Kind::Announcement => "announcement",
    }
}

fn default_template(kind: Kind) -> &'static str {
    kind_name(kind)
}
