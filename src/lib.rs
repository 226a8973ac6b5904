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
//! top       serve (watch, rebuild, reload), cli (check, calendar table, new), this file
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

use std::path::Path;

pub use base::diagnostics::{Diagnostic, Diagnostics, Severity};
pub use base::files::{Data, OutputFile};
pub use base::options::BuildOptions;
pub use cli::check::{check, external_links};
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

/// Builds the course at `root` into `out`: load, model, render with what earlier builds kept
/// beside `out` (site::store), then write. On errors the previous output is left untouched.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let out = cli::publish::out_dir(root, out, &mut diags)?;
    site::publish::build_into(root, &out, options)
}

/// Copies the current term's sources into versions/<term>/ (SPEC section 7), once the course
/// builds without errors, so that no broken term is frozen.
pub fn freeze(root: &Path, force: bool) -> Result<site::versions::Frozen, Diagnostics> {
    site::versions::freeze(root, force, |options, diags| {
        let _ = build_site(root, options, diags);
    })
}
