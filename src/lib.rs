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
use std::time::Instant;

pub use base::diagnostics::{Diagnostic, Diagnostics, Severity};
pub use base::files::{Data, OutputFile};
pub use base::options::BuildOptions;
pub use load::config::today_in;
pub use model::course::Course;
pub use site::build::{Reuse, Site};

/// Loads the course and computes the calendar of `term_id` (default: the current term): what
/// `semester calendar` prints. `None` when the course has errors (all of them in `diags`).
pub fn schedule(root: &Path, term_id: Option<&str>, diags: &mut Diagnostics) -> Option<Course> {
    Course::load(root, term_id, diags)
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
    let code_cache = site::disk_cache::path_for(&out, "code");
    let kept = code_cache.as_deref().and_then(site::disk_cache::read);
    let code = highlight::CodeCache::from_bytes(kept.as_deref().unwrap_or_default());
    let reuse = Reuse {
        previous: Some(&out),
        cache: None,
        code: Some(&code),
    };
    let mut site =
        site::build::build_site(root, options, reuse, &mut diags).ok_or(diags.clone())?;
    let t = Instant::now();
    match output::write_site(&out, &site.files) {
        Ok(output::Swap::Folder) => {}
        Ok(output::Swap::Contents) => site.notes.push(format!(
            "{} cannot be renamed (a mount point?): the new site was swapped in entry by entry",
            out.display()
        )),
        Err(msg) => {
            diags.push(Diagnostic::error(out.clone(), 1, 1, msg));
            return Err(diags);
        }
    }
    // Only a saving of time for the next build: if it cannot be written, that build is cold.
    if let Some(path) = code_cache {
        let _ = site::disk_cache::write(&path, &code.to_bytes());
    }
    versions::record(&out, &site.frozen);
    site.timings.push(("write", t.elapsed()));
    Ok(site)
}

/// Everything `build` checks plus the warnings only `check` reports; writes nothing. The
/// course is loaded once; only where the build failed are the pages read again for warnings.
pub fn check(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let site = build_site(root, options, &mut diags);
    // The build reported every error; what follows only adds warnings.
    let content = match &site {
        Some(s) => std::borrow::Cow::Borrowed(&s.course.content),
        None => {
            let mut quiet = Diagnostics::new();
            let filter = Course::filter(options);
            std::borrow::Cow::Owned(content::load_content(root, filter, &mut quiet))
        }
    };
    for p in &content.pages {
        diags.extend_from(markdown::images_without_alt(&p.path, &p.body, p.body_line));
    }
    for stale in site::disk_cache::stale_in(root) {
        let shown = stale.file_name().map(PathBuf::from).unwrap_or_default();
        let msg = "a build cache of an older semester in the course folder (never read)";
        let hint =
            "delete it and remove it from the repository; caches now live in ~/.cache/semester";
        diags.push(Diagnostic::warning(shown, 1, 1, msg).with_hint(hint));
    }
    if let Some(s) = &site {
        diags.extend_from(calendar::warnings(&s.course.term, &s.course.calendar));
    }
    diags
}

/// Every external link of the current term's pages: (file, line, column, URL), sorted.
pub fn external_links(root: &Path, options: &BuildOptions) -> Vec<(PathBuf, usize, usize, String)> {
    let content = content::load_content(root, Course::filter(options), &mut Diagnostics::new());
    let mut out: Vec<_> = content
        .pages
        .iter()
        .flat_map(|p| {
            let found = markdown::external_links(&p.body, p.body_line);
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
