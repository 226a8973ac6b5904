//! semester: a static site generator for course websites.
//!
//! The build is a pipeline of plain stages, each a function from one value to the next:
//!
//! ```text
//! course.yaml, terms/ ─► config, term ─┐
//! content/ ─► content (front matter) ──┼─► visibility ─► calendar ─► visibility ─► render (markdown, highlight, templates) ─► output
//! themes/, templates/ ─► templates ────┘
//! ```
//!
//! `visibility` decides once which pages and files the build publishes; every later stage sees
//! only those.
//!
//! [`build_site`] runs every stage but the last and returns the files in memory;
//! [`build`] also writes them. Mistakes are collected in [`Diagnostics`], never thrown.
#![warn(missing_docs)]
// No input may panic the program: fallible values are handled, never unwrapped (tests may).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cache;
pub mod calendar;
pub mod calendar_cli;
pub mod calendar_page;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod frontmatter;
pub mod highlight;
pub mod ics;
pub mod markdown;
pub mod model;
pub mod new;
pub mod notebook;
pub mod output;
pub mod refs;
pub mod render;
pub mod search;
pub mod serve;
pub mod site_files;
pub mod templates;
pub mod term;
pub mod versions;
pub mod visibility;
pub mod yaml;

use std::path::Path;
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use render::{BuildOptions, Data, OutputFile};

/// A built site, in memory.
pub struct Site {
    /// Every file below public/.
    pub files: Vec<OutputFile>,
    /// Time spent in each stage, for `--verbose`.
    pub timings: Vec<(&'static str, Duration)>,
    /// The current term's id.
    pub term_id: String,
    /// Number of HTML pages.
    pub pages: usize,
}

/// The course, a term and its computed calendar: what `semester calendar` prints.
pub struct Schedule {
    /// course.yaml.
    pub config: config::Config,
    /// The term.
    pub term: term::Term,
    /// The pages.
    pub content: content::Content,
    /// The computed dates.
    pub calendar: calendar::Calendar,
}

/// Loads the course and computes the calendar of `term_id` (default: the current term). With
/// `as_of`, the labs `labs.hide_until_release` holds back on that date are withheld, as in a
/// build of that date (for the feed); without it every lab's page is kept (the instructor's
/// view).
pub fn schedule(
    root: &Path,
    term_id: Option<&str>,
    as_of: Option<jiff::civil::Date>,
    diags: &mut Diagnostics,
) -> Option<Schedule> {
    let config = config::load_config(root, None, diags)?;
    let id = term_id.unwrap_or(&config.course.current_term).to_string();
    let term = term::load_term(root, &id, diags);
    let content = content::load_content(root, diags);
    let term = term?;
    // Drafts and private pages are left out, as in a normal build.
    let publish_as = Publish {
        as_of,
        ..Publish::default()
    };
    let (content, calendar) = publish(&config, &term, content, &publish_as, diags);
    (!diags.has_errors()).then_some(Schedule {
        config,
        term,
        content,
        calendar,
    })
}

/// What decides which pages and files a build publishes.
#[derive(Default)]
struct Publish {
    /// `--drafts`, `--private`.
    filter: content::Filter,
    /// The build date, for `labs.hide_until_release` (`None`: show every lab).
    as_of: Option<jiff::civil::Date>,
    /// List the files no page uses (`check`).
    list_unused: bool,
}

/// The visibility and calendar stages: hidden pages withheld, the calendar computed from the
/// rest, unreleased labs withheld, then the files the published pages use (SPEC §9).
fn publish(
    config: &config::Config,
    term: &term::Term,
    mut content: content::Content,
    publish: &Publish,
    diags: &mut Diagnostics,
) -> (content::Content, calendar::Calendar) {
    if config.course.markdown.strip_comments {
        for p in &mut content.pages {
            p.body = refs::strip_comments(&p.body);
        }
    }
    visibility::withhold(&mut content, publish.filter, diags);
    let calendar = compute_calendar(config, term, &content, diags);
    if let Some(as_of) = publish.as_of {
        let hide = config.course.labs.hide_until_release;
        visibility::withhold_unreleased(&mut content, hide, &calendar, as_of);
    }
    visibility::publish_files(&mut content, publish.list_unused, diags);
    (content, calendar)
}

impl Publish {
    fn of(options: &BuildOptions) -> Self {
        Publish {
            filter: content::Filter {
                drafts: options.drafts,
                private: options.private,
            },
            as_of: Some(options.as_of),
            list_unused: false,
        }
    }
}

fn compute_calendar(
    config: &config::Config,
    term: &term::Term,
    content: &content::Content,
    diags: &mut Diagnostics,
) -> calendar::Calendar {
    let of_kind = |k| {
        content
            .pages
            .iter()
            .filter(|p| p.kind == k)
            .collect::<Vec<_>>()
    };
    let mut own = Diagnostics::new();
    let cal = calendar::schedule(
        term,
        &config.tz,
        config.due_rule,
        &of_kind(content::Kind::Topic),
        &of_kind(content::Kind::Lab),
        &mut own,
    );
    // A topic page that could not be read has its own error already; a lab that names it is
    // not a second mistake.
    let broken: Vec<String> = content
        .unreadable
        .iter()
        .filter_map(|rel| rel.strip_prefix("topics/")?.strip_suffix(".md"))
        .map(|slug| format!("there is no topic `{slug}`"))
        .collect();
    for d in own.into_vec() {
        if !broken.contains(&d.message) {
            diags.push(d);
        }
    }
    cal
}

/// Runs every stage but output. `None` when the course has errors (all of them in `diags`).
pub fn build_site(root: &Path, options: &BuildOptions, diags: &mut Diagnostics) -> Option<Site> {
    build_site_reusing(root, options, None, None, None, diags)
}

/// A frozen version, loaded.
struct Archived {
    dir: versions::VersionDir,
    config: config::Config,
    term: term::Term,
    content: content::Content,
    calendar: calendar::Calendar,
}

/// [`build_site`], reusing from `previous` (the last build's output folder) the files of every
/// frozen version whose inputs have not changed, and from `cache` (a serving process's memory)
/// whatever of the current term has not changed.
pub fn build_site_reusing(
    root: &Path,
    options: &BuildOptions,
    previous: Option<&Path>,
    cache: Option<&cache::BuildCache>,
    code: Option<&highlight::CodeCache>,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, t: &mut Instant| {
        timings.push((name, t.elapsed()));
        *t = Instant::now();
    };
    let config = config::load_config(root, options.base_url.as_deref(), diags);
    let term = config
        .as_ref()
        .and_then(|c| term::load_term(root, &c.course.current_term, diags));
    let content = content::load_content_cached(root, cache, diags);
    let templates = config
        .as_ref()
        .and_then(|c| templates::load_layers(c, &root.join("themes").join(&c.theme), cache, diags));
    let version_dirs = versions::discover(root, diags);
    lap("load", &mut t);
    let (config, term, templates) = (config?, term?, templates?);
    let (content, calendar) = publish(&config, &term, content, &Publish::of(options), diags);
    lap("calendar", &mut t);

    // Each frozen term is a course of its own: loaded side by side, messages kept in order.
    let loaded: Vec<(Option<Archived>, Diagnostics)> = {
        use rayon::prelude::*;
        version_dirs
            .into_par_iter()
            .map(|dir| {
                let mut own = Diagnostics::new();
                let id = dir.id.clone();
                let loaded = load_version(&config, &term, dir, options, &mut own);
                (loaded, versions::relocate(&id, own))
            })
            .collect()
    };
    let mut archived: Vec<Archived> = Vec::with_capacity(loaded.len());
    for (a, own) in loaded {
        diags.extend(own);
        archived.extend(a);
    }
    let mut pages = vec![version_pages(&config, &term, &content, true)];
    pages.extend(
        archived
            .iter()
            .map(|a| version_pages(&config, &a.term, &a.content, false)),
    );
    let mut starts: Vec<(jiff::civil::Date, usize)> = std::iter::once(term.start)
        .chain(archived.iter().map(|a| a.term.start))
        .enumerate()
        .map(|(i, d)| (d, i))
        .collect();
    starts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let pages: Vec<versions::VersionPages> =
        starts.iter().map(|(_, i)| pages[*i].clone()).collect();
    let links: Vec<model::VersionLink> = pages.iter().map(|p| p.link.clone()).collect();

    let input = render::TermInput {
        config: &config,
        term: &term,
        content: &content,
        calendar: &calendar,
        templates: &templates,
        versions: links.clone(),
        others: &pages,
        archived: false,
        options,
        cache,
        code,
    };
    let out = render::render_term(&input, diags)?;
    lap("render", &mut t);
    let mut files = out.files;
    let theme_dir = root.join("themes").join(&config.theme);
    let cached = previous.map(versions::read_cache).unwrap_or_default();
    let mut hashes = std::collections::BTreeMap::new();
    let input_hashes: Vec<String> = {
        use rayon::prelude::*;
        archived
            .par_iter()
            .map(|a| {
                versions::input_hash(
                    &a.dir,
                    &theme_dir,
                    &pages,
                    options,
                    &config.base_url,
                    &config.course.markdown.highlight,
                    a.config.course.labs.hide_until_release,
                )
            })
            .collect()
    };
    for (a, hash) in archived.iter().zip(input_hashes) {
        let reused = (cached.get(&a.dir.id) == Some(&hash))
            .then(|| previous.and_then(|p| versions::previous_files(p, &a.dir.id)))
            .flatten()
            .or_else(|| cache.and_then(|c| c.version(&a.dir.id, &hash)));
        if let Some(reused) = reused {
            files.extend(reused);
        } else {
            let mut own = Diagnostics::new();
            let made = render_version(a, &theme_dir, &links, &pages, options, code, &mut own);
            let ok = !own.has_errors();
            diags.extend(versions::relocate(&a.dir.id, own));
            match cache {
                Some(c) if ok => files.extend(c.store_version(&a.dir.id, &hash, made)),
                _ => files.extend(made),
            }
        }
        hashes.insert(a.dir.id.clone(), hash);
    }
    if !archived.is_empty() {
        lap("versions", &mut t);
        files.push(versions::cache_file(&hashes));
    }
    let html_pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    files.extend(site_files::site_files(
        &config,
        &templates,
        &out.site,
        &out.page_urls,
        &links,
        diags,
    ));
    // A frozen version's own static files are published too, where the current course has no
    // file of the same name.
    let taken: std::collections::HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for a in &archived {
        for (rel, path) in templates::files_below(&a.dir.root.join("static")) {
            if !taken.contains(&rel) {
                files.push(OutputFile {
                    path: rel,
                    data: Data::Copy(path),
                });
            }
        }
    }
    lap("site files", &mut t);
    if diags.has_errors() {
        return None;
    }
    Some(Site {
        files,
        timings,
        term_id: term.id,
        pages: html_pages,
    })
}

/// Loads one folder of versions/ as a course of its own, with the current theme and base URL.
fn load_version(
    current: &config::Config,
    current_term: &term::Term,
    dir: versions::VersionDir,
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> Option<Archived> {
    if dir.id == current_term.id {
        diags.push(
            Diagnostic::warning("course.yaml", 1, 1, format!(
                "`{}` is the current term: its pages are built from content/, not from this frozen copy",
                dir.id
            ))
            .with_hint("set current_term in course.yaml to the next term once it is ready; until then the snapshot waits"),
        );
        return None;
    }
    let config = config::load_config_in(
        &dir.root,
        Some(&current.base_url),
        Some(current.theme.as_str()),
        diags,
    );
    if let Some(c) = &config
        && c.course.current_term != dir.id
    {
        let (l, col) = yaml::locate(&c.source, &[yaml::Seg::Key("current_term")]);
        diags.push(
            Diagnostic::error(
                "course.yaml",
                l,
                col,
                format!(
                    "this frozen course says current_term `{}`, but its folder is versions/{}/",
                    c.course.current_term, dir.id
                ),
            )
            .with_hint("a snapshot's current_term is the name of its folder; `semester freeze` writes both"),
        );
        return None;
    }
    let term = term::load_term(&dir.root, &dir.id, diags);
    let content = content::load_content(&dir.root, diags);
    let (mut config, term) = (config?, term?);
    // Code is coloured for the one stylesheet of the site: the current course's schemes.
    config.course.markdown.highlight = current.course.markdown.highlight.clone();
    let (content, calendar) = publish(&config, &term, content, &Publish::of(options), diags);
    Some(Archived {
        dir,
        config,
        term,
        content,
        calendar,
    })
}

/// A version's link and the paths of its published pages.
fn version_pages(
    config: &config::Config,
    term: &term::Term,
    content: &content::Content,
    current: bool,
) -> versions::VersionPages {
    let paths = content
        .pages
        .iter()
        .map(|p| p.url_path.clone())
        .chain(["calendar/".to_string(), "search/".to_string()])
        .collect();
    versions::VersionPages {
        link: model::VersionLink {
            id: term.id.clone(),
            name: term.name.clone(),
            url: format!("{}{}/", config.base_path, term.id),
            current,
        },
        paths,
    }
}

/// Renders a frozen version's pages (everything below `public/<id>/`).
fn render_version(
    a: &Archived,
    theme_dir: &Path,
    links: &[model::VersionLink],
    pages: &[versions::VersionPages],
    options: &BuildOptions,
    code: Option<&highlight::CodeCache>,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let Some(templates) = templates::load_layers(&a.config, theme_dir, None, diags) else {
        return Vec::new();
    };
    let input = render::TermInput {
        config: &a.config,
        term: &a.term,
        content: &a.content,
        calendar: &a.calendar,
        templates: &templates,
        versions: links.to_vec(),
        others: pages,
        archived: true,
        options,
        cache: None,
        code,
    };
    render::render_term(&input, diags).map_or_else(Vec::new, |o| o.files)
}

/// Builds the course at `root` into `out`. On errors the previous output is left untouched.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let out = match output::check_out_dir(root, out) {
        Ok(o) => o,
        Err(msg) => {
            diags.push(Diagnostic::error("--out", 1, 1, msg).with_hint(
                "write the site to a folder of its own, e.g. public/ inside the course",
            ));
            return Err(diags);
        }
    };
    let code_cache = output::code_cache_path(&out);
    let code = highlight::CodeCache::load(&code_cache);
    let Some(mut site) =
        build_site_reusing(root, options, Some(&out), None, Some(&code), &mut diags)
    else {
        return Err(diags);
    };
    let t = Instant::now();
    if let Err(msg) = output::write_site(&out, &site.files) {
        diags.push(Diagnostic::error(out.clone(), 1, 1, msg));
        return Err(diags);
    }
    // Only a saving of time for the next build: if it cannot be written, that build is cold.
    let _ = code.save(&code_cache);
    site.timings.push(("write", t.elapsed()));
    Ok(site)
}

/// Every external link of the current term's pages: (file, line, column, URL), sorted.
pub fn external_links(
    root: &Path,
    options: &BuildOptions,
) -> Vec<(std::path::PathBuf, usize, usize, String)> {
    let mut quiet = Diagnostics::new();
    let mut content = content::load_content(root, &mut quiet);
    visibility::withhold(&mut content, Publish::of(options).filter, &mut quiet);
    let mut out: Vec<_> = content
        .pages
        .iter()
        .flat_map(|p| {
            markdown::external_links(&p.body, p.body_line)
                .into_iter()
                .map(|(l, c, u)| (p.path.clone(), l, c, u))
        })
        .collect();
    out.sort();
    out
}

/// Everything `build` checks plus the warnings only `check` reports; writes nothing.
pub fn check(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let _ = build_site(root, options, &mut diags);
    // The build reported every error; what follows only adds warnings.
    let mut quiet = Diagnostics::new();
    let mut content = content::load_content(root, &mut quiet);
    let course = config::load_config(root, options.base_url.as_deref(), &mut quiet).and_then(|c| {
        let term = term::load_term(root, &c.course.current_term, &mut quiet)?;
        Some((c, term))
    });
    let calendar = match &course {
        Some((config, term)) => {
            let publish_as = Publish {
                list_unused: true,
                ..Publish::of(options)
            };
            let (c, calendar) = publish(config, term, content, &publish_as, &mut quiet);
            content = c;
            Some(calendar)
        }
        None => {
            visibility::withhold(&mut content, Publish::of(options).filter, &mut quiet);
            None
        }
    };
    for p in &content.pages {
        markdown::images_without_alt(&p.path, &p.body, p.body_line)
            .into_iter()
            .for_each(|d| diags.push(d));
    }
    if !diags.has_errors()
        && let (Some((config, term)), Some(calendar)) = (&course, &calendar)
    {
        calendar::warnings(term, calendar)
            .into_iter()
            .for_each(|d| diags.push(d));
        let base_url_from = match options.base_url {
            Some(_) => ("--base-url", (1, 1)),
            None => (
                "course.yaml",
                yaml::locate(&config.source, &[yaml::Seg::Key("base_url")]),
            ),
        };
        publishing_warnings(config, &content, base_url_from, &mut diags);
    }
    diags
}

/// What is published that the instructor may not expect, and what is not written.
fn publishing_warnings(
    config: &config::Config,
    content: &content::Content,
    (base_url_file, (l, c)): (&str, (usize, usize)),
    diags: &mut Diagnostics,
) {
    for rel in &content.unreferenced {
        diags.push(
            Diagnostic::warning(
                std::path::Path::new("content").join(rel),
                1,
                1,
                "this file is published, but no page links or embeds it",
            )
            .with_hint("link it from the page it belongs to, or delete it; a file only hidden pages use is not published"),
        );
    }
    if calendar_page::absolute_origin(&config.base_url).is_none() {
        diags.push(
            Diagnostic::warning(
                base_url_file,
                l,
                c,
                format!(
                    "no sitemap.xml is written: base_url `{}` has no scheme and host",
                    config.base_url
                ),
            )
            .with_hint("a sitemap lists absolute URLs only (sitemaps.org); set base_url to the site's full address, e.g. https://example.edu/my-course/"),
        );
    }
}

/// Today in the course's time zone (the default of `--as-of`), or UTC today without a course.
pub fn today_in(root: &Path) -> jiff::civil::Date {
    let tz = std::fs::read_to_string(root.join("course.yaml"))
        .ok()
        .and_then(|s| serde_yaml::from_str::<serde_yaml::Value>(&s).ok())
        .and_then(|v| {
            v.get("timezone")
                .and_then(|t| t.as_str())
                .map(str::to_string)
        })
        .and_then(|name| jiff::tz::TimeZone::get(&name).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned_datetime(tz).date()
}
