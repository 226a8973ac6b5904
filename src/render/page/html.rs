//! One page's HTML file: its `page` variable, its notebook, the template it names, and the
//! render through the templates (in serve, kept in the cache by the key of all it is made
//! from).

use std::sync::Arc;

use serde::Serialize;

use super::TermRender;
use crate::base::diagnostics::Diagnostic;
use crate::base::files::{Data, OutputFile};
use crate::base::memo::{AsJson, Key, key_of};
use crate::load::content::{Kind, SourcePage};
use crate::model::site_map::Place;
use crate::render::context::{self, DatesCtx, Link, ListItem, VersionLink};
use crate::render::input::TermInput;
use crate::render::markdown::{Heading, Rendered};

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

impl<'a> TermRender<'a> {
    /// A link to page `i`.
    fn link(&self, i: usize) -> Link {
        let p = &self.input.content.pages[i];
        Link {
            title: p.title.clone(),
            url: self.input.map.url(&p.rel),
        }
    }

    /// Renders page `i` (and its notebook) with its template.
    pub(super) fn page(
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

/// The name of a page kind in templates (`page.kind`).
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

/// The template of a page kind, without `.html`.
fn default_template(kind: Kind) -> &'static str {
    kind_name(kind)
}
