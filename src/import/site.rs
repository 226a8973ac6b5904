//! `_config.yml` → course.yaml: what a Jekyll site says about itself that a course keeps
//! (title, description, `url` + `baseurl`, time zone, language), and a list of everything else.

use serde_yaml::{Mapping, Value};

use super::report::{Kind, Report};

/// Jekyll's own settings and those of its themes: how the old site was built, which a course
/// has no use for (its theme and Markdown are semester's). Reported once, together.
const BUILD_KEYS: &[&str] = &[
    "theme",
    "remote_theme",
    "plugins",
    "gems",
    "markdown",
    "kramdown",
    "highlighter",
    "exclude",
    "include",
    "keep_files",
    "collections",
    "collections_dir",
    "defaults",
    "sass",
    "permalink",
    "source",
    "destination",
    "layouts_dir",
    "incremental",
    "future",
    "livereload",
    "search_enabled",
    "search",
    "aux_links",
    "aux_links_new_tab",
    "heading_anchors",
    "color_scheme",
    "ga_tracking",
    "ga_tracking_anonymize_ip",
    "footer_content",
    "logo",
    "favicon_ico",
    "back_to_top",
    "back_to_top_text",
    "gh_edit_link",
    "gh_edit_link_text",
    "gh_edit_repository",
    "gh_edit_branch",
    "gh_edit_view_mode",
    "last_edit_timestamp",
    "last_edit_time_format",
    "callouts",
    "callouts_level",
    "nav_sort",
    "encoding",
    "repository",
    "github_username",
    "twitter_username",
    "liquid",
    "show_excerpts",
    "paginate",
    "paginate_path",
    "excerpt_separator",
    "strict_front_matter",
    "safe",
    "webrick",
];

/// What course.yaml gets from `_config.yml`.
#[derive(Debug, Default)]
pub struct SiteFacts {
    /// `title`, or the folder's name.
    pub title: String,
    /// `description` (or `tagline`).
    pub description: String,
    /// `url` + `baseurl`, checked; `None` when absent or unusable.
    pub base_url: Option<String>,
    /// `baseurl` alone (`/cs101`), to read the old site's links.
    pub base_path: String,
    /// An IANA time zone name, when `timezone` gives one.
    pub timezone: Option<String>,
    /// `lang`, when it is a language tag.
    pub language: Option<String>,
    /// The `collections` it declares (without the leading `_`).
    pub collections: Vec<String>,
    /// `permalink: pretty` and the like: pages were published as folders.
    pub pretty: bool,
    /// Every text setting but the site's address, for `{{ site.x }}` in pages.
    pub vars: std::collections::BTreeMap<String, String>,
}

/// Reads `_config.yml` (text `None` when there is none). A file that is not YAML is reported
/// and read as empty: the rest of the site is still imported.
pub fn read(text: Option<&str>, folder_name: &str, report: &mut Report) -> SiteFacts {
    let path = "_config.yml";
    let map = match text.map(serde_yaml::from_str::<Value>) {
        None => {
            report.add(
                Kind::Guessed,
                path,
                1,
                "there is no _config.yml".into(),
                "set `title` and `description` in course.yaml",
            );
            Mapping::new()
        }
        Some(Ok(Value::Mapping(m))) => m,
        Some(Ok(_)) => Mapping::new(),
        Some(Err(e)) => {
            let line = e.location().map_or(1, |l| l.line());
            report.add(
                Kind::LeftOut,
                path,
                line,
                format!("_config.yml is not valid YAML ({e}): only its one-line settings are read"),
                "check `title`, `description` and `base_url` in course.yaml",
            );
            one_liners(text.unwrap_or(""))
        }
    };
    let text = text.unwrap_or("");
    let get = |k: &str| map.get(k).and_then(scalar);
    let mut facts = SiteFacts {
        title: get("title").unwrap_or_else(|| folder_name.to_string()),
        description: get("description")
            .or_else(|| get("tagline"))
            .unwrap_or_default(),
        base_path: get("baseurl").unwrap_or_default(),
        ..SiteFacts::default()
    };
    facts.base_url = base_url(get("url"), &facts.base_path, text, report);
    facts.timezone = get("timezone").filter(|tz| jiff::tz::TimeZone::get(tz).is_ok());
    if facts.timezone.is_none() {
        report.add(Kind::Guessed, path, line_of(text, "timezone"), "no usable `timezone` in _config.yml: course.yaml has the placeholder `timezone: Etc/UTC`".into(), "write the course's IANA time zone (e.g. America/New_York) in course.yaml; `semester check` warns until you do");
    }
    facts.language = get("lang").filter(|l| crate::load::config::is_language_tag(l));
    facts.pretty = get("permalink").is_some_and(|p| p == "pretty" || p.ends_with('/'));
    facts.collections = match map.get("collections") {
        Some(Value::Mapping(m)) => m.keys().filter_map(scalar).collect(),
        Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
        _ => Vec::new(),
    };
    facts.vars = map
        .iter()
        .filter_map(|(k, v)| Some((scalar(k)?, scalar(v)?)))
        .filter(|(k, _)| !["url", "baseurl"].contains(&k.as_str()))
        .collect();
    list_other_keys(&map, text, report);
    facts
}

/// The top-level `key: value` lines of a YAML text that is not valid as a whole, each read alone.
fn one_liners(text: &str) -> Mapping {
    let mut out = Mapping::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphanumeric()))
    {
        if let Ok(Value::Mapping(m)) = serde_yaml::from_str::<Value>(line) {
            out.extend(m.into_iter().filter(|(_, v)| scalar(v).is_some()));
        }
    }
    out
}

fn base_url(url: Option<String>, base: &str, text: &str, report: &mut Report) -> Option<String> {
    let url = url.filter(|u| !u.is_empty())?;
    let joined = format!(
        "{}/{}",
        url.trim_end_matches('/'),
        base.trim_start_matches('/')
    );
    match crate::load::config::normalize_base_url(&joined) {
        Ok((full, _)) => Some(full),
        Err(e) => {
            let what = format!("`url` + `baseurl` ({joined}) is not a base_url: {e}");
            report.add(
                Kind::LeftOut,
                "_config.yml",
                line_of(text, "url"),
                what,
                "set `base_url` in course.yaml",
            );
            None
        }
    }
}

fn list_other_keys(map: &Mapping, text: &str, report: &mut Report) {
    let mut build = Vec::new();
    const READ: &[&str] = &[
        "title",
        "description",
        "tagline",
        "url",
        "baseurl",
        "timezone",
        "lang",
        "collections",
    ];
    for key in map.keys().filter_map(scalar) {
        if READ.contains(&key.as_str()) {
            continue;
        }
        if BUILD_KEYS.contains(&key.as_str()) {
            build.push(key);
            continue;
        }
        let what = format!("_config.yml's `{key}` has no place in a course");
        let todo = "if templates need it, copy it under `extra:` in course.yaml";
        report.add(
            Kind::LeftOut,
            "_config.yml",
            line_of(text, &key),
            what,
            todo,
        );
    }
    if !build.is_empty() {
        let what = format!(
            "Jekyll's build settings ({}) are not needed",
            build.join(", ")
        );
        report.add(
            Kind::Converted,
            "_config.yml",
            1,
            what,
            "nothing to do: semester has its own theme and Markdown",
        );
    }
}

/// A YAML scalar as text.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The 1-based line of a top-level `key:` in a YAML text, or 1.
pub fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}
