//! Render: one term's pages into files in memory. Only `output` touches the disk.

use std::collections::{HashMap, HashSet};

use std::sync::Arc;

use rayon::prelude::*;

use crate::base::memo::{AsJson, Key, key_of};
use serde::Serialize;

use crate::base::diagnostics::{Diagnostic, Diagnostics, nearest_within};
use crate::base::files::{Data, OutputFile};
use crate::load::config::Config;
use crate::load::content::{Content, Kind, SourcePage};
use crate::render::context::{self, DatesCtx, Link, ListItem, SiteCtx, Urls, VersionLink};
use crate::render::facts::Facts;
use crate::render::input::{RenderCache, TermInput};
use crate::render::markdown::{self, Heading, Rendered, SiteLinks};
use crate::schedule::calendar::Calendar;

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
}

/// Renders every page of a term, its calendar page and feed, and lists its assets.
pub fn render_term(input: &TermInput, diags: &mut Diagnostics) -> Option<TermOutput> {
    let TermInput {
        config,
        term,
        content,
        calendar,
        templates,
        versions,
        archived,
        options,
        ..
    } = input;
    let urls = context::urls(config, &term.id, content);
    let nav = context::nav(config, content, &urls, diags);
    let mut site = context::site_ctx(config, term, &urls, nav, versions.clone(), *archived);
    site.announcements = crate::render::announcements::items(config, content, &urls.pages);
    if crate::render::announcements::has_feed(content) {
        let file = crate::render::announcements::FEED_FILE;
        site.feed_url = format!("{}{file}", urls.term_root);
    }
    let facts = Facts::of(crate::render::facts::Sources {
        config,
        term,
        content,
        calendar,
    });
    let layout = Layout::of(&content.pages, calendar, facts);
    let links = SiteLinks {
        facts: &layout.facts,
        pages: &urls.pages,
        assets: &urls.assets,
        math: config.course.markdown.math,
        macros: &config.course.markdown.macros,
        code: Some(input.schemes),
        theme_ids: &templates.ids,
        i18n: &config.i18n,
    };

    // The calendar's week-by-week view (shared by every page's template) is made while the
    // pages' Markdown is rendered.
    let (rendered, calendar_ctx): (Vec<std::sync::Arc<Rendered>>, _) = rayon::join(
        || match input.cache {
            None => render_markdown(content, &links, &config.course.title, input.code),
            Some(cache) => {
                render_markdown_cached(content, &links, &config.course.title, input.code, cache)
            }
        },
        || crate::render::calendar_page::calendar_ctx(input, &urls, &site),
    );
    check_anchors(&content.pages, &rendered, diags);
    for r in &rendered {
        r.diagnostics.iter().for_each(|d| diags.push(d.clone()));
    }
    check_broken_bodies(content, &links, diags);

    let mut tera = templates.tera.clone();
    tera.global_context().insert("site", &site);
    tera.global_context().insert("calendar", &calendar_ctx);
    // What every page shares; part of each page's cache key.
    let globals = input.cache.map_or(0, |_| {
        key_of(&SharedInput {
            templates: templates.fingerprint,
            site: AsJson(&site),
            calendar: AsJson(&calendar_ctx),
        })
    });
    let pages: Vec<(&SourcePage, &Rendered)> = content
        .pages
        .iter()
        .zip(rendered.iter().map(|r| r.as_ref()))
        .collect();
    let section_title = |p: &SourcePage| {
        layout
            .section_of(p)
            .map_or_else(|| config.i18n.t("course"), |s| s.title.clone())
    };
    let records = || {
        pages
            .par_iter()
            .map(|(p, r)| crate::render::search::Page {
                url: urls.pages.get(&p.rel).cloned().unwrap_or_default(),
                title: if p.title.is_empty() {
                    config.course.title.clone()
                } else {
                    p.title.clone()
                },
                section: section_title(p),
                description: &p.front.description,
                html: &r.html,
                key: r.key,
            })
            .collect()
    };
    // The calendar page, the feed and the search page are made anew every time: they read the
    // whole term (every lab's title and dates), so a key short of all of it would go stale,
    // and making them costs about as much as rendering one page.
    let generated = || -> Vec<Result<Vec<OutputFile>, Diagnostic>> {
        vec![
            crate::render::calendar_page::render(input, &tera, &urls, &site),
            crate::render::search::page(input, &tera, &urls, &site).map(|f| vec![f]),
            Ok(feed(input, &urls, &pages).into_iter().collect()),
        ]
    };
    // The pages, the search index and the generated pages are made side by side.
    let (results, (search, generated)): (Vec<Result<Vec<OutputFile>, Diagnostic>>, _) = rayon::join(
        || {
            pages
                .par_iter()
                .map(|(page, r)| {
                    render_page(
                        input,
                        &tera,
                        &urls,
                        &site,
                        page,
                        r,
                        &content.pages,
                        &layout,
                        globals,
                    )
                })
                .collect()
        },
        || {
            rayon::join(
                || {
                    options.search.then(|| {
                        let memo = input.cache.map(|c| &c.search);
                        crate::render::search::index_of(&term.id, records(), memo)
                    })
                },
                generated,
            )
        },
    );
    let mut files = Vec::with_capacity(results.len() + content.assets.len() + 2);
    for r in results {
        match r {
            Ok(f) => files.extend(f),
            Err(d) => diags.push(d),
        }
    }
    files.extend(search.into_iter().flatten());
    for made in generated {
        match made {
            Ok(f) => files.extend(f),
            Err(d) => diags.push(d),
        }
    }
    let term_dir = format!("{}/", term.id);
    for a in &content.assets {
        files.push(OutputFile {
            path: format!("{term_dir}{}", a.rel),
            data: Data::Copy(a.source.clone()),
        });
    }
    let page_urls = pages
        .iter()
        .filter_map(|(p, _)| urls.pages.get(&p.rel).cloned())
        .chain([site.calendar_url.clone()])
        .collect();
    Some(TermOutput {
        files,
        site,
        page_urls,
    })
}

/// What can be checked of the pages when the course cannot be built (course.yaml, the term
/// file or the templates are broken): every page's links, anchors, images and math, and the
/// nav entries when course.yaml could be read. So one build reports the mistakes of every file.
pub fn check_pages(config: Option<&Config>, content: &Content, diags: &mut Diagnostics) {
    let urls = match config {
        Some(c) => context::urls(c, "term", content),
        None => context::urls_below("/term/".into(), content),
    };
    if let Some(c) = config {
        context::nav(c, content, &urls, diags);
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
fn check_broken_bodies(content: &Content, links: &SiteLinks, diags: &mut Diagnostics) {
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
fn check_anchors(
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
            // `#top` needs no element: browsers scroll to the top of the page (HTML's
            // "indicated part of the document").
            if a.anchor.is_empty()
                || set.contains(a.anchor.as_str())
                || a.anchor.eq_ignore_ascii_case("top")
            {
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

/// Every page's Markdown, then all the code of the site at once, block by block on every core
/// (a site's code is often in a few long pages, which page-by-page work would leave to one
/// core), then the code into the pages.
fn render_markdown(
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

/// In serve, a page's Markdown is rendered again only when its text changed or the set of
/// pages and files it may link to did (or the colour schemes); the pages to render go through
/// the same path as a one-shot build, with `code` remembering every block highlighted before.
fn render_markdown_cached(
    content: &Content,
    links: &SiteLinks,
    course_title: &str,
    code: Option<&crate::render::highlight::CodeCache>,
    cache: &RenderCache,
) -> Vec<Arc<Rendered>> {
    let shared = key_of(&LinksInput::of(links));
    let keys: Vec<Key> = content
        .pages
        .par_iter()
        .map(|p| {
            key_of(&MarkdownInput {
                links: shared,
                rel: &p.rel,
                path: &p.path,
                body_line: p.body_line,
                body: &p.body,
                title: source_of(p, course_title).title,
            })
        })
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

/// What the Markdown of a page is rendered from: its body, and the `h1` the theme shows above
/// it (the course title on the home page, else the page title).
fn source_of<'a>(p: &'a SourcePage, course_title: &'a str) -> markdown::Source<'a> {
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

/// Where each page sits among the others, found once per term rather than by a search of all
/// pages for each page.
struct Layout<'a> {
    /// A folder's section page, by folder.
    sections: HashMap<&'a str, &'a SourcePage>,
    /// The pages of a folder (not its section page), in order, by folder.
    siblings: HashMap<&'a str, Vec<&'a SourcePage>>,
    /// A page's place among its siblings, by source path.
    position: HashMap<&'a str, usize>,
    /// The dates of each lab, by slug.
    labs: HashMap<&'a str, &'a crate::schedule::calendar::LabDates>,
    /// The course facts that references in the pages (and their notebooks) name.
    facts: Facts,
}

impl<'a> Layout<'a> {
    /// The section page `page` belongs to (none for a section page itself).
    fn section_of(&self, page: &SourcePage) -> Option<&'a SourcePage> {
        (page.kind != Kind::Section)
            .then(|| self.sections.get(page.dir.as_str()).copied())
            .flatten()
    }

    fn of(pages: &'a [SourcePage], calendar: &'a Calendar, facts: Facts) -> Self {
        let mut layout = Layout {
            facts,
            sections: HashMap::new(),
            siblings: HashMap::new(),
            position: HashMap::new(),
            labs: calendar.labs.iter().map(|l| (l.slug.as_str(), l)).collect(),
        };
        for p in pages {
            if p.kind == Kind::Section {
                layout.sections.entry(p.dir.as_str()).or_insert(p);
            }
            if p.stem != "_index" {
                let folder = layout.siblings.entry(p.dir.as_str()).or_default();
                layout.position.insert(p.rel.as_str(), folder.len());
                folder.push(p);
            }
        }
        layout
    }
}

/// Renders one page (and its notebook) with its template.
#[allow(clippy::too_many_arguments)]
fn render_page(
    input: &TermInput,
    tera: &tera::Tera,
    urls: &Urls,
    site: &SiteCtx,
    page: &SourcePage,
    r: &Rendered,
    all: &[SourcePage],
    layout: &Layout,
    globals: u128,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let TermInput {
        config,
        term,
        calendar,
        templates,
        ..
    } = input;
    let url = urls.pages.get(&page.rel).cloned().unwrap_or_default();
    let section = layout.section_of(page);
    let siblings: &[&SourcePage] = layout
        .siblings
        .get(page.dir.as_str())
        .map_or(&[], Vec::as_slice);
    let pos = layout.position.get(page.rel.as_str()).copied();
    let link_to = |s: &SourcePage| Link {
        title: s.title.clone(),
        url: urls.pages.get(&s.rel).cloned().unwrap_or_default(),
    };
    let (prev, next) = match pos {
        Some(i) if page.stem != "_index" => (
            i.checked_sub(1)
                .and_then(|j| siblings.get(j))
                .map(|s| link_to(s)),
            siblings.get(i + 1).map(|s| link_to(s)),
        ),
        _ => (None, None),
    };
    let mut breadcrumbs = Vec::new();
    if page.kind != Kind::Home {
        breadcrumbs.push(Link {
            title: config.i18n.t("home"),
            url: urls.term_root.clone(),
        });
        let mut dir = String::new();
        for part in page.dir.split('/').filter(|s| !s.is_empty()) {
            dir = if dir.is_empty() {
                part.to_string()
            } else {
                format!("{dir}/{part}")
            };
            if page.kind == Kind::Section && dir == page.dir {
                break;
            }
            if let Some(s) = layout.sections.get(dir.as_str()) {
                breadcrumbs.push(link_to(s));
            }
        }
    }
    let listing = if page.kind == Kind::Section || page.kind == Kind::Home {
        let dir = if page.kind == Kind::Home {
            ""
        } else {
            page.dir.as_str()
        };
        siblings_of(all, dir)
            .into_iter()
            .map(|s| ListItem {
                title: s.title.clone(),
                url: urls.pages.get(&s.rel).cloned().unwrap_or_default(),
                description: s.front.description.clone(),
                kind: s.kind,
                dates: context::page_dates(s, term, calendar, &layout.labs, config),
            })
            .collect()
    } else {
        Vec::new()
    };
    let toc: Vec<&Heading> = r
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .collect();
    let show_toc = page.front.toc.unwrap_or(r.headings.len() >= 3);
    let nav_key = site
        .nav
        .iter()
        .find(|n| n.key == page.dir || n.key == page.rel.trim_end_matches(".md"))
        .map(|n| n.key.clone())
        .unwrap_or_default();
    let mut files = Vec::new();
    let (notebook_url, notebook_launch_url) = match crate::render::notebook::kernel_of(page) {
        Ok(Some(kernel)) => {
            let nb_path = format!("{}/{}{}.ipynb", term.id, page.url_path, page.slug);
            let nb_url = format!("{url}{}.ipynb", page.slug);
            files.push(OutputFile {
                path: nb_path,
                data: Data::Bytes(crate::render::notebook::notebook(
                    page,
                    kernel,
                    &layout.facts,
                )),
            });
            let launch =
                config
                    .course
                    .labs
                    .notebook_launch
                    .as_ref()
                    .map_or_else(String::new, |t| {
                        t.replace(
                            "{url}",
                            &crate::render::notebook::encode_component(&format!(
                                "{}{}",
                                config.base_url.trim_end_matches('/'),
                                nb_url
                                    .strip_prefix(config.base_path.trim_end_matches('/'))
                                    .unwrap_or(&nb_url)
                            )),
                        )
                    });
            (nb_url, launch)
        }
        Ok(None) => (String::new(), String::new()),
        Err(d) => return Err(d),
    };
    let mut ctx = PageCtx {
        kind: kind_name(page.kind),
        title: if page.kind == Kind::Home && page.title.is_empty() {
            &config.course.title
        } else {
            &page.title
        },
        description: &page.front.description,
        section: &page.dir,
        section_title: section.map_or_else(String::new, |s| s.title.clone()),
        section_url: section
            .and_then(|s| urls.pages.get(&s.rel).cloned())
            .unwrap_or_default(),
        url: url.clone(),
        nav_key,
        // With a cache, the page's key stands for its content (see below).
        content: if input.cache.is_some() { "" } else { &r.html },
        toc,
        show_toc,
        breadcrumbs,
        prev,
        next,
        pages: listing,
        dates: context::page_dates(page, term, calendar, &layout.labs, config),
        notebook_url,
        notebook_launch_url,
        extra: &page.front.extra,
        alternates: crate::render::context::alternates(input.others, &page.url_path),
    };
    let template = page
        .front
        .template
        .clone()
        .unwrap_or_else(|| format!("{}.html", default_template(page.kind)));
    if !templates.origins.contains_key(&template) {
        let line =
            crate::load::content::line_of_key(&page.front_text, "template") + page.front_line - 1;
        let known: Vec<&str> = templates
            .origins
            .keys()
            .map(String::as_str)
            .filter(|k| !k.starts_with("partials/") && *k != "base.html")
            .collect();
        return Err(Diagnostic::error(
            &page.path,
            line,
            1,
            format!("template `{template}` does not exist"),
        )
        .with_hint(crate::base::diagnostics::did_you_mean(&template, &known)));
    }
    let path = format!("{}/{}index.html", term.id, page.url_path);
    let key = input.cache.map(|_| {
        key_of(&PageInput {
            shared: globals,
            template: &template,
            markdown: r.key,
            page: AsJson(&ctx),
        })
    });
    if let (Some(cache), Some(key)) = (input.cache, key)
        && let Some(data) = cache.pages.get(&path, key)
    {
        files.push(OutputFile { path, data });
        return Ok(files);
    }
    if ctx.content.is_empty() {
        ctx.content = &r.html;
    }
    let mut ctx_t = tera::Context::new();
    ctx_t.insert("page", &ctx);
    // Sized for the body and the theme around it, so the page is not copied as it grows.
    let mut html = Vec::with_capacity(r.html.len() + 16 * 1024);
    tera.render_to(&template, &ctx_t, &mut html).map_err(|e| {
        crate::render::templates::template_error(&e, &templates.origins, Some(&page.path))
    })?;
    let data = match (input.cache, key) {
        (Some(cache), Some(key)) => {
            let bytes = std::sync::Arc::new(html);
            cache
                .pages
                .put(&path, key, Data::Shared(Arc::clone(&bytes)));
            Data::Shared(bytes)
        }
        _ => Data::Bytes(html),
    };
    files.push(OutputFile { path, data });
    Ok(files)
}

/// The pages directly inside `dir` (its subsections included), in order.
fn siblings_of<'a>(all: &'a [SourcePage], dir: &str) -> Vec<&'a SourcePage> {
    all.iter()
        .filter(|s| {
            let direct_page = s.dir == dir && s.stem != "_index";
            let subsection =
                s.kind == Kind::Section && parent_dir(&s.dir) == dir && !s.dir.is_empty();
            direct_page || subsection
        })
        .collect()
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

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(a, _)| a)
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
