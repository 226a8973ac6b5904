//! `semester check`: everything a build checks, plus the warnings only `check` reports, and
//! the external links to review (`--links`).

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::options::BuildOptions;
use crate::import;
use crate::load::{content, yaml};
use crate::model;
use crate::model::course::Course;
use crate::model::visibility::Publish;
use crate::render;
use crate::schedule::calendar;
use crate::site;
use crate::site::build::Reuse;

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
        diags.extend_from(render::markdown::images_without_alt(
            &p.path,
            &p.body,
            p.body_line,
        ));
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
