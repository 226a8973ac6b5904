//! semester: a static site generator for course websites.
//!
//! The build is a pipeline of plain stages, in layers that point one way (each folder of
//! src/ is a layer; a module never imports one above it, `tests/layers.rs` checks):
//!
//! ```text
//! base      diagnostics, output files, build switches, the memo every cache is made of
//! load      course.yaml, terms/<id>.yaml, content/ (front matter)   ─┐
//! schedule  the term's sessions, weeks and lab dates                 ├─► model: Course
//! render    markdown, highlight, templates, pages, calendar, .ics, notebooks, search
//! site      root files, frozen versions, the build cache, output (the only stage that writes)
//! top       serve (watch, rebuild, reload), cli (calendar table, new), this file
//! ```
//!
//! [`build_site`] runs every stage but the last and returns the files in memory;
//! [`build`] also writes them. Mistakes are collected in [`Diagnostics`], never thrown.
#![warn(missing_docs)]
// No input may panic the program: fallible values are handled, never unwrapped (tests may).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod base;
pub mod cli;
pub mod import;
pub mod load;
pub mod model;
pub mod render;
pub mod schedule;
pub mod serve;
pub mod serve_hosts;
pub mod site;

// The library's public paths of old, kept for the tests, benches and fuzz targets that use them.
pub use base::diagnostics;
pub use cli::{calendar_cli, new};
pub use load::{config, content, frontmatter, term, term_plan, yaml, yaml_spans};
pub use render::{calendar_page, highlight, ics, markdown, next_up, notebook, search, templates};
pub use schedule::{agenda, calendar};
pub use site::{cache, output, site_files, versions};

use std::path::{Path, PathBuf};

pub use base::diagnostics::{Diagnostic, Diagnostics, Severity};
pub use base::files::{Data, OutputFile};
pub use base::options::BuildOptions;
pub use load::config::today_in;
pub use model::course::Course;
pub use model::visibility::Publish;
pub use site::build::{Reuse, Site};

/// Loads the course and computes the calendar of `term_id` (default: the current term): what
/// `semester calendar` prints. Drafts and private pages are left out; with `as_of`, so are the
/// labs `labs.hide_until_release` holds back on that date, as in a build of that date (for the
/// feed). `None` when the course has errors (all of them in `diags`).
pub fn schedule(
    root: &Path,
    term_id: Option<&str>,
    as_of: Option<jiff::civil::Date>,
    diags: &mut Diagnostics,
) -> Option<Course> {
    let publish = Publish {
        as_of,
        ..Publish::default()
    };
    Course::load(root, term_id, &publish, diags)
}

/// Runs every stage but output. `None` when the course has errors (all of them in `diags`).
pub fn build_site(root: &Path, options: &BuildOptions, diags: &mut Diagnostics) -> Option<Site> {
    site::build::build_site(root, options, Reuse::default(), diags)
}

/// Builds the course at `root` into `out`. On errors the previous output is left untouched.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let out = output::check_out_dir(root, out).map_err(|msg| {
        let hint = "write the site to a folder of its own, e.g. public/ inside the course";
        diags.push(Diagnostic::error("--out", 1, 1, msg).with_hint(hint));
        diags.clone()
    })?;
    site::publish::build_into(root, &out, options)
}

/// Everything `build` checks plus the warnings only `check` reports; writes nothing. The
/// course is loaded once; only where the build failed are the pages read again for warnings.
pub fn check(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diags = Diagnostics::new();
    // The course's highlighted code, read but not written: `check` leaves no trace.
    let public = site::disk_cache::serve_out(root);
    let code = site::disk_cache::load_code(site::disk_cache::code_path(&public).as_deref());
    let reuse = Reuse {
        code: Some(&code),
        ..Reuse::default()
    };
    let site = site::build::build_site(root, options, reuse, &mut diags);
    // The build reported every error; what follows only adds warnings.
    let content = match &site {
        Some(s) => std::borrow::Cow::Borrowed(&s.course.content),
        None => {
            let mut quiet = Diagnostics::new();
            let mut content = content::load_content(root, Publish::of(options).filter, &mut quiet);
            model::visibility::withhold(&mut content, Publish::of(options).filter, &mut quiet);
            std::borrow::Cow::Owned(content)
        }
    };
    for p in &content.pages {
        diags.extend_from(markdown::images_without_alt(&p.path, &p.body, p.body_line));
    }
    for stale in site::disk_cache::stale_in(root) {
        let shown = stale.file_name().map(PathBuf::from).unwrap_or_default();
        let msg = "a build cache of an older semester in the course folder (never read)";
        let hint = "delete it and remove it from the repository; the cache now lives in .semester-cache/ beside the output, which git ignores";
        diags.push(Diagnostic::warning(shown, 1, 1, msg).with_hint(hint));
    }
    site::disk_cache::tracked_warning(root, &mut diags);
    if let Some(s) = &site {
        diags.extend_from(calendar::warnings(&s.course.term, &s.course.calendar));
        hand_typed_warnings(&s.course, &mut diags);
        let at = match options.base_url {
            Some(_) => ("--base-url", (1, 1)),
            None => (
                "course.yaml",
                yaml::locate(&s.course.config.source, &[yaml::Seg::Key("base_url")]),
            ),
        };
        publishing_warnings(&s.course, at, &mut diags);
        if s.course.config.course.timezone == import::PLACEHOLDER_ZONE {
            let (l, c) = yaml::locate(&s.course.config.source, &[yaml::Seg::Key("timezone")]);
            let msg = format!(
                "`timezone: {}` is the placeholder `semester import` writes",
                import::PLACEHOLDER_ZONE
            );
            let hint = "write the course's IANA time zone, e.g. America/New_York (for UTC itself, write `UTC`)";
            diags.push(Diagnostic::warning("course.yaml", l, c, msg).with_hint(hint));
        }
    }
    diags
}

/// The term facts typed by hand in the current term's pages (docs/format.md, "References to
/// course facts").
fn hand_typed_warnings(course: &Course, diags: &mut Diagnostics) {
    let clues = render::facts::hand_typed::Clues::of(render::facts::Sources {
        config: &course.config,
        term: &course.term,
        content: &course.content,
        calendar: &course.calendar,
    });
    for p in &course.content.pages {
        for d in render::facts::hand_typed::warnings(p, &clues) {
            diags.push(d);
        }
    }
}

/// What is published that the instructor may not expect (files no page uses), and what is not
/// written (a sitemap, without an absolute `base_url`; with where that was set).
fn publishing_warnings(
    course: &Course,
    (base_url_file, (l, c)): (&str, (usize, usize)),
    diags: &mut Diagnostics,
) {
    for rel in model::visibility::unused_files(&course.content) {
        diags.push(
            Diagnostic::warning(
                Path::new("content").join(&rel),
                1,
                1,
                "this file is published, but no page links or embeds it",
            )
            .with_hint("link it from the page it belongs to, or delete it; a file only hidden pages use is not published"),
        );
    }
    let base_url = &course.config.base_url;
    if render::context::absolute_origin(base_url).is_none() {
        let msg =
            format!("no sitemap.xml is written: base_url `{base_url}` has no scheme and host");
        diags.push(
            Diagnostic::warning(base_url_file, l, c, msg)
                .with_hint("a sitemap lists absolute URLs only (sitemaps.org); set base_url to the site's full address, e.g. https://example.edu/my-course/"),
        );
    }
}

/// Every external link of the current term's pages: (file, line, column, URL), sorted.
pub fn external_links(root: &Path, options: &BuildOptions) -> Vec<(PathBuf, usize, usize, String)> {
    let mut quiet = Diagnostics::new();
    let mut content = content::load_content(root, Publish::of(options).filter, &mut quiet);
    model::visibility::withhold(&mut content, Publish::of(options).filter, &mut quiet);
    let mut out: Vec<_> = content
        .pages
        .iter()
        .flat_map(|p| {
            let found = crate::load::refs::external_links(&p.body, p.body_line);
            found.into_iter().map(|(l, c, u)| (p.path.clone(), l, c, u))
        })
        .collect();
    out.sort();
    out
}

/// Copies the current term's sources into versions/<term>/ (SPEC section 7), once the course
/// builds without errors, so that no broken term is frozen.
pub fn freeze(root: &Path, force: bool) -> Result<versions::Frozen, Diagnostics> {
    versions::freeze(root, force, |options, diags| {
        let _ = build_site(root, options, diags);
    })
}
