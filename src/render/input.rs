//! What rendering one term takes in: the term's course, its templates and code colours, the
//! other published terms, and what may be reused from earlier builds.

use std::sync::Arc;

use crate::base::memo::Memo;
use crate::base::options::BuildOptions;
use crate::load::config::Config;
use crate::load::content::Content;
use crate::load::term::Term;
use crate::render::context::{Urls, VersionLink, VersionPages};
use crate::render::markdown::Rendered;
use crate::render::templates::Templates;
use crate::schedule::calendar::Calendar;

/// Everything one term's render needs.
pub struct TermInput<'a> {
    /// The term's course configuration.
    pub config: &'a Config,
    /// The term.
    pub term: &'a Term,
    /// Its pages.
    pub content: &'a Content,
    /// Its computed dates.
    pub calendar: &'a Calendar,
    /// Where its pages sit: URLs, sections, neighbours, navigation.
    pub map: &'a crate::model::site_map::SiteMap,
    /// The templates.
    pub templates: &'a Templates,
    /// Every published term, newest first.
    pub versions: Vec<VersionLink>,
    /// The same, with each term's page paths: the switcher's "this page in that term".
    pub others: &'a [VersionPages],
    /// Whether this is a frozen, older term.
    pub archived: bool,
    /// Build switches.
    pub options: &'a BuildOptions,
    /// The code colour schemes (checked at load).
    pub schemes: &'a crate::render::highlight::Schemes,
    /// What a serving process keeps of this term's render between builds.
    pub cache: Option<&'a RenderCache>,
    /// Code highlighted by the previous build into the same output folder.
    pub code: Option<&'a crate::render::highlight::CodeCache>,
}

/// What a build keeps of a term's render for the next one (in `serve`'s memory, or on disk
/// beside the output, see `site::store`): each page's rendered Markdown and HTML and the
/// term's search index, each by the key of everything it was made from.
#[derive(Default)]
pub struct RenderCache {
    /// Rendered Markdown, by page source path.
    pub markdown: Memo<String, Arc<Rendered>>,
    /// Output pages, by output path (their bytes, or the file of the previous output that
    /// holds them).
    pub pages: Memo<String, crate::base::files::Data>,
    /// The term's search index files, by term id.
    pub search: crate::render::search::kept::IndexMemo,
}

/// The `page` variable of a page the build makes itself (the calendar, search): no Markdown
/// behind it, the same keys as every other page.
pub fn generated_page(
    input: &TermInput,
    urls: &Urls,
    kind: &str,
    title: &str,
    description: &str,
    url: &str,
) -> serde_json::Value {
    let path = url.strip_prefix(&urls.term_root).unwrap_or("");
    serde_json::json!({
        "kind": kind,
        "title": title,
        "description": description,
        "section": "",
        "section_title": "",
        "section_url": "",
        "url": url,
        "nav_key": kind,
        "content": "",
        "toc": [],
        "show_toc": false,
        "breadcrumbs": [{"title": input.config.i18n.t("home"), "url": urls.term_root}],
        "prev": null,
        "next": null,
        "pages": [],
        "dates": {"sessions": [], "release": null, "due": null},
        "notebook_url": "",
        "notebook_launch_url": "",
        "extra": {},
        "alternates": crate::render::context::alternates(input.others, path),
    })
}
