//! The whole site of a build: the current term, every frozen term beside it, and the files at
//! the root. Returns files in memory; `output` writes them.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{Data, OutputFile};
use crate::base::options::BuildOptions;
use crate::load::yaml;
use crate::load::{config, content, term};
use crate::model::course::{Course, frozen_current_warning, schedule_pages};
use crate::model::visibility::Publish;
use crate::render::context::{VersionLink, VersionPages};
use crate::render::highlight::{self, CodeCache, Schemes};
use crate::render::input::TermInput;
use crate::render::page;
use crate::render::templates::{self, Templates};
use crate::site::cache::BuildCache;
use crate::site::versions::Archived;
use crate::site::{reserved, site_files, versions};
use std::sync::Arc;

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
    /// Each frozen term's input key (hex), by term id, for `versions::record`.
    pub frozen: BTreeMap<String, String>,
    /// What `--verbose` says besides the timings (how the output was put in place).
    pub notes: Vec<String>,
    /// The current term's course, as built (for `check`'s warnings).
    pub course: Course,
    /// What patching this build takes besides `course` (`site::patch`), when it was built
    /// with a cache.
    pub look: Option<Look>,
}

/// What a build with a cache keeps for patching it (`site::patch`), besides its course: the
/// current term's templates and code colours, every published term's pages, and the term's
/// render state.
pub struct Look {
    pub(super) templates: Templates,
    pub(super) schemes: Schemes,
    pub(super) versions: Vec<VersionPages>,
    pub(super) term: crate::render::page::TermState,
}

/// What a build may reuse from earlier ones; all of it only saves time.
#[derive(Clone, Copy, Default)]
pub struct Reuse<'a> {
    /// The last build's output folder (frozen terms whose inputs did not change are kept).
    pub previous: Option<&'a Path>,
    /// A serving process's memory of earlier builds.
    pub cache: Option<&'a BuildCache>,
    /// Code highlighted by earlier builds: the course's code cache on disk
    /// (`site::disk_cache::code_path`; serve loads it into its `cache` when it starts).
    pub code: Option<&'a CodeCache>,
}

/// The current course as loaded for a build: the model, its templates and code colours.
struct Current {
    course: Course,
    templates: Templates,
    schemes: Schemes,
}

impl Current {
    /// The course, and what patching the build takes besides (with the term's render state
    /// `term`, kept when the term was rendered with a cache).
    fn keep(
        self,
        versions: Vec<VersionPages>,
        term: Option<crate::render::page::TermState>,
    ) -> (Course, Option<Look>) {
        let look = term.map(|term| Look {
            templates: self.templates,
            schemes: self.schemes,
            versions,
            term,
        });
        (self.course, look)
    }
}

/// Runs every stage but output. `None` when the course has errors (all of them in `diags`).
pub fn build_site(
    root: &Path,
    options: &BuildOptions,
    reuse: Reuse,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, t: &mut Instant| {
        timings.push((name, t.elapsed()));
        *t = Instant::now();
    };
    let current = load_current(root, options, reuse, diags);
    let version_dirs = versions::discover(root, diags);
    lap("load", &mut t);
    let current = current?;
    let loaded = load_versions(&current.course, version_dirs, options, reuse, diags);
    let archived: Vec<&Archived> = loaded.iter().filter_map(|l| l.0.as_ref()).collect();
    let pages = version_pages(&current.course, &archived);
    lap("calendar", &mut t);
    let look = (&current.templates, &current.schemes);
    let input = term_input(look, &current.course, &pages, options, reuse, false);
    let out = page::render_term(&input, diags)?;
    lap("render", &mut t);
    let mut files = out.files;
    let (frozen, hashes) = frozen_files(root, &current, &archived, &pages, options, reuse, diags);
    files.extend(frozen);
    if !archived.is_empty() {
        lap("versions", &mut t);
    }
    let html_pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let links: Vec<VersionLink> = pages.iter().map(|p| p.link.clone()).collect();
    files.extend(site_files::site_files(
        &site_files::RootInput {
            config: &current.course.config,
            templates: &current.templates,
            schemes: &current.schemes,
            site: &out.site,
            page_urls: &out.page_urls,
            versions: &links,
        },
        diags,
    ));
    add_frozen_statics(&mut files, &archived, reuse, diags);
    check_paths(root, &current.course, &archived, &files, reuse, diags);
    lap("site files", &mut t);
    let term_id = current.course.term.id.clone();
    let (course, look) = current.keep(pages, out.state);
    (!diags.has_errors()).then_some(Site {
        files,
        timings,
        term_id,
        pages: html_pages,
        frozen: hashes,
        notes: Vec::new(),
        course,
        look,
    })
}

/// Every output path has one source, over the current term and every frozen one.
fn check_paths(
    root: &Path,
    current: &Course,
    archived: &[&Archived],
    files: &[OutputFile],
    reuse: Reuse,
    diags: &mut Diagnostics,
) {
    let mut terms = vec![reserved::TermPages {
        id: &current.term.id,
        pages: &current.content.pages,
        shown_prefix: std::path::PathBuf::new(),
    }];
    terms.extend(archived.iter().map(|a| reserved::TermPages {
        id: &a.dir.id,
        pages: &a.course.content.pages,
        shown_prefix: Path::new(versions::VERSIONS_DIR).join(&a.dir.id),
    }));
    reserved::check_cached(root, files, &terms, reuse.cache.map(|c| &c.reserved), diags);
}

/// What can still be checked when course.yaml, the term file, the templates or the code colours
/// are broken: the term file (found through what course.yaml's `current_term` says, even when
/// other keys are wrong), the pages' schedule, links, anchors and math. One build, every file's
/// mistakes.
fn check_broken_course(
    root: &Path,
    config: Option<&config::Config>,
    term: Option<&term::Term>,
    content: &content::Content,
    diags: &mut Diagnostics,
) {
    match (config, term) {
        (Some(c), Some(t)) => {
            schedule_pages(t, &c.tz, c.due_rule, content, diags);
        }
        (None, _) => {
            if let Some(fb) = config::fallback(root) {
                let mut quiet = Diagnostics::new();
                let term = term::load_term_lenient(root, &fb.current_term, &mut quiet);
                // A missing term file is named against course.yaml, whose errors come first.
                let file = root.join("terms").join(format!("{}.yaml", fb.current_term));
                if file.exists() {
                    diags.extend(quiet);
                }
                if let Some(t) = term {
                    schedule_pages(&t, &fb.tz, fb.due_rule, content, diags);
                }
            }
        }
        _ => {}
    }
    page::check_pages(config, content, diags);
}

/// Loads course.yaml, the current term, content/, the templates and the code colours, every
/// one of them even when another has errors, so that all mistakes are reported at once.
fn load_current(
    root: &Path,
    options: &BuildOptions,
    reuse: Reuse,
    diags: &mut Diagnostics,
) -> Option<Current> {
    let config = config::load_config(root, options.base_url.as_deref(), diags).map(|mut c| {
        c.outside_links = options.outside_links;
        c
    });
    let mut term_diags = Diagnostics::new();
    let term = config
        .as_ref()
        .and_then(|c| term::load_term_lenient(root, &c.course.current_term, &mut term_diags));
    let term_ok = !term_diags.has_errors();
    diags.extend(term_diags);
    let reused = reuse.cache.map(BuildCache::reused).unwrap_or_default();
    let content = content::load_content_cached(root, Publish::of(options).filter, reused, diags);
    let templates = config.as_ref().and_then(|c| {
        let theme = root.join("themes").join(&c.theme);
        templates::load_layers(c, &theme, reuse.cache.map(|c| &c.templates), diags)
    });
    let schemes = config
        .as_ref()
        .and_then(|c| highlight::load_schemes(c, diags));
    let (config, term, templates, schemes) = match (config, term, templates, schemes) {
        (Some(c), Some(t), Some(tp), Some(s)) if term_ok => (c, t, tp, s),
        (config, term, ..) => {
            check_broken_course(root, config.as_ref(), term.as_ref(), &content, diags);
            return None;
        }
    };
    let course = Course::new(config, term, content, &Publish::of(options), diags);
    Some(Current {
        course,
        templates,
        schemes,
    })
}

/// Each frozen term, loaded as a course of its own, side by side; messages kept in order.
/// In serve, a frozen term loaded before is taken as it was, unless the watcher reported a
/// change below its folder (`BuildCache::forget`) or what it is loaded with changed.
fn load_versions(
    current: &Course,
    dirs: Vec<versions::VersionDir>,
    options: &BuildOptions,
    reuse: Reuse,
    diags: &mut Diagnostics,
) -> Vec<Arc<(Option<Archived>, Diagnostics)>> {
    let loaded: Vec<Arc<(Option<Archived>, Diagnostics)>> = dirs
        .into_par_iter()
        .map(|dir| {
            let id = dir.id.clone();
            let load = || {
                let mut own = Diagnostics::new();
                let loaded = load_version(current, dir, options, &mut own);
                Arc::new((loaded, versions::relocate(&id, own)))
            };
            let input = FrozenLoadInput {
                current_term: &current.term.id,
                base_url: &current.config.base_url,
                theme: &current.config.theme,
                highlight: (
                    &current.config.course.markdown.highlight.light,
                    &current.config.course.markdown.highlight.dark,
                ),
                publish: Publish::of(options),
            };
            match reuse.cache {
                Some(c) => c.frozen.get_or(&id, &input, load),
                None => load(),
            }
        })
        .collect();
    for l in &loaded {
        diags.extend(l.1.clone());
    }
    loaded
}

/// What loading a frozen term takes from the current course (its files aside).
#[derive(Hash)]
struct FrozenLoadInput<'a> {
    current_term: &'a str,
    base_url: &'a str,
    theme: &'a str,
    highlight: (&'a str, &'a str),
    /// Which pages and files it publishes (drafts, private pages, labs by the build date).
    publish: Publish,
}

/// Loads one folder of versions/ as a course of its own, with the current theme and base URL.
fn load_version(
    current: &Course,
    dir: versions::VersionDir,
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> Option<Archived> {
    if dir.id == current.term.id {
        diags.push(frozen_current_warning(&dir.id));
        return None;
    }
    let base_url = &current.config.base_url;
    let theme = current.config.theme.as_str();
    let config = config::load_config_in(&dir.root, Some(base_url), Some(theme), diags);
    if let Some(c) = &config
        && c.course.current_term != dir.id
    {
        let (l, col) = c.spans.at(&[yaml::Seg::Key("current_term")]);
        diags.push(
            Diagnostic::error("course.yaml", l, col, format!(
                "this frozen course says current_term `{}`, but its folder is versions/{}/",
                c.course.current_term, dir.id
            ))
            .with_hint("a snapshot's current_term is the name of its folder; `semester freeze` writes both"),
        );
        return None;
    }
    let term = term::load_term(&dir.root, &dir.id, diags);
    let content = content::load_content(&dir.root, Publish::of(options).filter, diags);
    let (mut config, term) = (config?, term?);
    config.outside_links = options.outside_links;
    // Code is coloured for the one stylesheet of the site: the current course's schemes.
    config.course.markdown.highlight = current.config.course.markdown.highlight.clone();
    let course = Course::new(config, term, content, &Publish::of(options), diags);
    Some(Archived { dir, course })
}

/// Every published term's link and page paths, newest first (by first day; the current term
/// first among equals).
fn version_pages(current: &Course, archived: &[&Archived]) -> Vec<VersionPages> {
    let mut all: Vec<(jiff::civil::Date, usize, VersionPages)> = std::iter::once((current, true))
        .chain(archived.iter().map(|a| (&a.course, false)))
        .enumerate()
        .map(|(i, (c, is_current))| (c.term.start, i, pages_of(current, c, is_current)))
        .collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    all.into_iter().map(|(_, _, p)| p).collect()
}

/// A version's link and the paths of its published pages.
fn pages_of(site: &Course, course: &Course, current: bool) -> VersionPages {
    let paths = course
        .content
        .pages
        .iter()
        .map(|p| p.url_path.clone())
        .chain(["calendar/".to_string(), "search/".to_string()])
        .collect();
    VersionPages {
        link: VersionLink {
            id: course.term.id.clone(),
            name: course.term.name.clone(),
            url: format!("{}{}/", site.config.base_path, course.term.id),
            current,
        },
        paths,
    }
}

/// What rendering one term of the site needs.
pub(super) fn term_input<'a>(
    look: (&'a Templates, &'a Schemes),
    course: &'a Course,
    pages: &'a [VersionPages],
    options: &'a BuildOptions,
    reuse: Reuse<'a>,
    archived: bool,
) -> TermInput<'a> {
    TermInput {
        config: &course.config,
        term: &course.term,
        content: &course.content,
        calendar: &course.calendar,
        map: &course.map,
        templates: look.0,
        schemes: look.1,
        versions: pages.iter().map(|p| p.link.clone()).collect(),
        others: pages,
        archived,
        options,
        cache: if archived {
            None
        } else {
            reuse.cache.map(|c| &c.render)
        },
        code: reuse.code,
    }
}

/// The files of every frozen term: reused from the last build (or serve's memory) where the
/// term's inputs did not change, else rendered; plus the record of their input keys.
fn frozen_files(
    root: &Path,
    current: &Current,
    archived: &[&Archived],
    pages: &[VersionPages],
    options: &BuildOptions,
    reuse: Reuse,
    diags: &mut Diagnostics,
) -> (Vec<OutputFile>, BTreeMap<String, String>) {
    if archived.is_empty() {
        return Default::default();
    }
    let config = &current.course.config;
    let theme_dir = root.join("themes").join(&config.theme);
    let recorded = reuse.previous.map(versions::read_cache).unwrap_or_default();
    let keys: Vec<crate::base::memo::Key> = archived
        .par_iter()
        .map(|a| {
            let input = version_input(a, &theme_dir, current, pages, options);
            version_key(&input, reuse)
        })
        .collect();
    let mut files = Vec::new();
    let mut hashes = BTreeMap::new();
    for (a, key) in archived.iter().zip(keys) {
        let hex = crate::base::memo::hex(key);
        let reused = recorded
            .get(&a.dir.id)
            .filter(|r| r.input == hex)
            .and_then(|r| versions::previous_files(reuse.previous?, &a.dir.id, &r.output))
            .or_else(|| reuse.cache.and_then(|c| c.version(&a.dir.id, key)));
        match reused {
            Some(reused) => files.extend(reused),
            None => files.extend(render_version(
                current, a, pages, options, reuse, key, diags,
            )),
        }
        hashes.insert(a.dir.id.clone(), hex);
    }
    (files, hashes)
}

/// What the pages of the frozen term `a` are made from, in this build.
fn version_input<'a>(
    a: &'a Archived,
    theme_dir: &'a Path,
    current: &'a Current,
    pages: &'a [VersionPages],
    options: &'a BuildOptions,
) -> versions::VersionInput<'a> {
    versions::VersionInput {
        version: &a.dir,
        theme_dir,
        versions: pages,
        options,
        base_url: &current.course.config.base_url,
        code_colours: current.schemes.names(),
        // Next up, the current week and the feed's revision read the build date
        // until the version's last dated day.
        as_of_matters: a.course.config.course.labs.hide_until_release
            || options.as_of
                <= crate::render::calendar_page::last_dated_day(&a.course.term, &a.course.calendar),
    }
}

/// The key of a frozen term's `input`. In serve, the files are read and hashed again only
/// after the watcher saw a change.
fn version_key(input: &versions::VersionInput, reuse: Reuse) -> crate::base::memo::Key {
    let files = match reuse.cache {
        Some(c) => c
            .frozen_files
            .get_or(&input.version.id, &(), || input.files_key()),
        None => input.files_key(),
    };
    input.key_with(files)
}

/// Renders a frozen version's pages (everything below `public/<id>/`), with the current
/// theme folder over the version's own templates.
fn render_version(
    current: &Current,
    a: &Archived,
    pages: &[VersionPages],
    options: &BuildOptions,
    reuse: Reuse,
    key: crate::base::memo::Key,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut own = Diagnostics::new();
    let theme_dir = current
        .course
        .config
        .root
        .join("themes")
        .join(&current.course.config.theme);
    let made = templates::load_layers(&a.course.config, &theme_dir, None, &mut own)
        .map(|templates| {
            let look = (&templates, &current.schemes);
            let input = term_input(look, &a.course, pages, options, reuse, true);
            page::render_term(&input, &mut own).map_or_else(Vec::new, |o| o.files)
        })
        .unwrap_or_default();
    let ok = !own.has_errors();
    diags.extend(versions::relocate(&a.dir.id, own));
    match reuse.cache {
        Some(c) if ok => c.store_version(&a.dir.id, key, made),
        _ => made,
    }
}

/// A frozen version's own static files are published too, where the current course has no
/// file of the same name (read through the frozen term's fence; its errors are relocated).
/// In serve, a frozen term's folder is listed again only after the watcher saw a change below
/// it (`BuildCache::forget`).
fn add_frozen_statics(
    files: &mut Vec<OutputFile>,
    archived: &[&Archived],
    reuse: Reuse,
    diags: &mut Diagnostics,
) {
    let taken: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for a in archived {
        let static_dir = a.dir.root.join("static");
        let fence = a.course.config.fence();
        let list = || fence.files_below(&static_dir, crate::base::fence::Cap::File);
        let (statics, errors) = match reuse.cache {
            Some(c) => c.frozen_statics.get_or(&a.dir.id, &(), list),
            None => list(),
        };
        let mut own = Diagnostics::new();
        errors.into_iter().for_each(|d| own.push(d));
        diags.extend(versions::relocate(&a.dir.id, own));
        for (rel, path) in statics {
            if !taken.contains(&rel) {
                files.push(OutputFile {
                    path: rel,
                    data: Data::Copy(path),
                });
            }
        }
    }
}
