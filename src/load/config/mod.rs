//! course.yaml: what the course is, which term is current, how it looks (SPEC section 2).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::term::{Weekday, parse_time};
use crate::load::yaml;

mod check;
mod fallback;

use fallback::top_level_value;
pub use fallback::{Fallback, fallback};

/// course.yaml as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseFile {
    /// Course title.
    pub title: String,
    /// Catalogue code, e.g. "ECE-GY 9183".
    #[serde(default)]
    pub code: String,
    /// School or university.
    #[serde(default)]
    pub institution: String,
    /// One paragraph for meta tags and the home page.
    #[serde(default)]
    pub description: String,
    /// Where the site will live; its path prefix is honoured in every link.
    #[serde(default)]
    pub base_url: Option<String>,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default)]
    pub language: Option<String>,
    /// IANA time zone every time in the term files is local to.
    pub timezone: String,
    /// How pages write times: `24h` or `12h` (default from `language`).
    #[serde(default)]
    pub time_format: Option<String>,
    /// The id of the term file in terms/ that is built as the current term.
    pub current_term: String,
    /// Theme folder under themes/, or the built-in default.
    #[serde(default)]
    pub theme: Option<String>,
    /// Shown on the home page and the syllabus.
    #[serde(default)]
    pub instructors: Vec<Instructor>,
    /// Top navigation: content paths (`syllabus`, `labs`, `calendar`…).
    #[serde(default)]
    pub nav: Option<Vec<String>>,
    /// Lab settings.
    #[serde(default)]
    pub labs: LabsConfig,
    /// Markdown settings.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Free data for templates.
    #[serde(default)]
    pub extra: serde_yaml::Mapping,
}

/// One instructor or TA.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instructor {
    /// Full name.
    pub name: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// Office location.
    #[serde(default)]
    pub office: String,
    /// Office hours, as text.
    #[serde(default)]
    pub hours: String,
    /// A personal page.
    #[serde(default)]
    pub url: String,
    /// The role the staff listing groups people by (`Instructor`, `Teaching assistant`…).
    #[serde(default)]
    pub role: String,
    /// Pronouns, shown beside the name.
    #[serde(default)]
    pub pronouns: String,
    /// A photo: a path inside static/ (`people/ana.jpg`).
    #[serde(default)]
    pub photo: String,
    /// Other links (GitHub, a booking page…), each `{name, url}`.
    #[serde(default)]
    pub links: Vec<PersonLink>,
}

/// One of a person's `links`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersonLink {
    /// The link's text.
    pub name: String,
    /// Where it leads (`http(s)://`, `mailto:` or relative).
    pub url: String,
}

/// `labs:` in course.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabsConfig {
    /// The default due rule.
    #[serde(default)]
    pub due: Option<DueRuleFile>,
    /// Hide a lab's page until its release date.
    #[serde(default)]
    pub hide_until_release: bool,
    /// "Open in …" link template with `{url}`.
    #[serde(default)]
    pub notebook_launch: Option<String>,
}

/// A due rule as written: every key optional, missing ones come from the course rule.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DueRuleFile {
    /// Weekday the lab is due on.
    pub weekday: Option<String>,
    /// Local time of day, "HH:MM".
    pub time: Option<String>,
    /// Days after release before the first possible due day.
    pub min_days: Option<i64>,
}

/// `markdown:` in course.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Render `$…$` and `$$…$$` to MathML.
    #[serde(default = "yes")]
    pub math: bool,
    /// Syntax colour schemes.
    #[serde(default)]
    pub highlight: HighlightConfig,
    /// Remove HTML comments from pages and notebooks (CommonMark publishes them).
    #[serde(default)]
    pub strip_comments: bool,
    /// LaTeX macros for every page's math: name (without `\\`) → replacement, `#1`… for
    /// arguments (MathJax's `macros` setting, as Jekyll sites configure it).
    #[serde(default)]
    pub macros: std::collections::BTreeMap<String, String>,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            math: true,
            highlight: HighlightConfig::default(),
            strip_comments: false,
            macros: Default::default(),
        }
    }
}

fn yes() -> bool {
    true
}

/// `markdown.highlight:` theme names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighlightConfig {
    /// Theme for the light colour scheme.
    #[serde(default = "default_light")]
    pub light: String,
    /// Theme for the dark colour scheme.
    #[serde(default = "default_dark")]
    pub dark: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light: default_light(),
            dark: default_dark(),
        }
    }
}

fn default_light() -> String {
    "Coldark-Cold".into()
}
fn default_dark() -> String {
    "Coldark-Dark".into()
}

/// The course rule for due dates, with every key resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRule {
    /// Weekday of the due date.
    pub weekday: Weekday,
    /// Minutes after local midnight.
    pub time: u16,
    /// Minimum days between release and due.
    pub min_days: i64,
}

impl Default for DueRule {
    fn default() -> Self {
        DueRule {
            weekday: Weekday::Mon,
            time: 23 * 60 + 59,
            min_days: 7,
        }
    }
}

/// The validated course configuration the later stages use.
#[derive(Debug, Clone)]
pub struct Config {
    /// The course folder.
    pub root: PathBuf,
    /// course.yaml as written.
    pub course: CourseFile,
    /// base_url's path, always starting and ending with `/`.
    pub base_path: String,
    /// base_url as written (absolute URL or path), ending with `/`.
    pub base_url: String,
    /// Language tag.
    pub language: String,
    /// The interface strings and date formats of `language` (with the course's i18n.yaml).
    pub i18n: std::sync::Arc<crate::base::i18n::I18n>,
    /// Time zone.
    pub tz: jiff::tz::TimeZone,
    /// How every page of the site writes a time of day.
    pub clock: Clock,
    /// Theme name.
    pub theme: String,
    /// The resolved course due rule.
    pub due_rule: DueRule,
    /// The raw text of course.yaml.
    pub source: String,
    /// Where each value of course.yaml is, for errors found in later stages.
    pub spans: yaml::Spans,
    /// Follow symlinks that leave the course (`--follow-outside-symlinks`; set by the build,
    /// never by course.yaml, so a course cannot opt itself in).
    pub outside_links: bool,
}

impl Config {
    /// The fence the build reads this course's folders through.
    pub fn fence(&self) -> crate::base::fence::Fence {
        crate::base::fence::Fence::new(&self.root, self.outside_links)
    }
}

/// Reads and validates `root/course.yaml`. `base_url_override` is `--base-url`.
pub fn load_config(
    root: &Path,
    base_url_override: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    load_config_in(root, base_url_override, None, diags)
}

/// [`load_config`] for a frozen version, which is built with the current course's theme
/// (`theme`) whatever its own course.yaml names.
pub fn load_config_in(
    root: &Path,
    base_url_override: Option<&str>,
    theme: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let theme_override = theme;
    let path = root.join("course.yaml");
    let shown = PathBuf::from("course.yaml");
    // course.yaml and the term files are always the course's own: never read through a link
    // that leaves the course, whatever --follow-outside-symlinks says.
    let fence = crate::base::fence::Fence::new(root, false);
    let source = match fence.read_text(&path, crate::base::fence::Cap::Yaml) {
        Ok(s) => s,
        Err(mut d) => {
            if std::fs::symlink_metadata(&path).is_err() {
                d = Diagnostic::error(&shown, 1, 1, "course.yaml is missing: this folder is not a course")
                    .with_hint("run `semester new DIR` to start a course, or pass --root with the course folder");
            }
            diags.push(d);
            return None;
        }
    };
    parse_config(root, &source, base_url_override, theme_override, diags)
}

/// Validates the text of `root/course.yaml` (`root` is where themes/ and terms/ are looked up).
pub fn parse_config(
    root: &Path,
    source: &str,
    base_url_override: Option<&str>,
    theme_override: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let shown = PathBuf::from("course.yaml");
    if source.trim().is_empty() {
        diags.push(
            Diagnostic::error(&shown, 1, 1, "course.yaml is empty")
                .with_hint("it needs at least `title`, `timezone` and `current_term`"),
        );
        return None;
    }
    let (course, spans): (CourseFile, yaml::Spans) = match yaml::parse(&shown, source, 1) {
        Ok(c) => c,
        Err(ds) => {
            ds.into_iter().for_each(|d| diags.push(d));
            return None;
        }
    };
    let mut check = check::Check::new(&spans, diags, base_url_override.is_some());
    let tz = check.time_zone(&course.timezone);
    check.current_term(&course.current_term);
    let (base_url, base_path) = check.base_url(&course, base_url_override);
    let language = check.language(&course);
    let clock = check.clock(&course, &language);
    let due_rule = check.due_rule(&course);
    check.links_and_people(root, &course);
    let theme = theme_override
        .map(str::to_string)
        .or_else(|| course.theme.clone())
        .unwrap_or_else(|| "default".into());
    if theme_override.is_none() {
        check.theme(root, &theme);
    }
    let ok = check.ok;
    let overrides = crate::load::strings::load_overrides(root, diags);
    let hour12 = course.time_format.as_ref().map(|_| clock == Clock::H12);
    let i18n = std::sync::Arc::new(crate::base::i18n::I18n::new(&language, overrides, hour12));
    ok.then(|| Config {
        root: root.to_path_buf(),
        course,
        base_path,
        base_url,
        language,
        i18n,
        tz,
        clock,
        theme,
        due_rule,
        source: source.to_string(),
        spans,
        outside_links: false,
    })
}

/// How a site writes a time of day (course.yaml `time_format`): one format on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Clock {
    /// `13:30`
    H24,
    /// `1:30 PM`
    H12,
}

impl Clock {
    /// The written `time_format`, or the default of `language`: 12-hour for English without a
    /// region or with one of the regions where the 12-hour clock is the everyday one (US, CA,
    /// AU, NZ, PH, IN, PK), 24-hour for every other language (CLDR's preferred hour cycle).
    pub fn of(written: Option<&str>, language: &str) -> Result<Clock, String> {
        match written.map(str::trim) {
            Some("24h") => return Ok(Clock::H24),
            Some("12h") => return Ok(Clock::H12),
            Some(other) => return Err(format!("`{other}` is not a time format")),
            None => {}
        }
        let mut parts = language.split(['-', '_']);
        let lang = parts.next().unwrap_or("").to_ascii_lowercase();
        let region = parts
            .find(|p| p.len() == 2)
            .map(str::to_ascii_uppercase)
            .unwrap_or_default();
        let twelve = lang == "en"
            && matches!(
                region.as_str(),
                "" | "US" | "CA" | "AU" | "NZ" | "PH" | "IN" | "PK"
            );
        Ok(if twelve { Clock::H12 } else { Clock::H24 })
    }

    /// Minutes after midnight as `13:30` or `1:30 PM`.
    pub fn time(self, minutes: u16) -> String {
        let (h, m) = (minutes / 60 % 24, minutes % 60);
        match self {
            Clock::H24 => format!("{h:02}:{m:02}"),
            Clock::H12 => {
                let (h12, half) = match h {
                    0 => (12, "AM"),
                    1..=11 => (h, "AM"),
                    12 => (12, "PM"),
                    _ => (h - 12, "PM"),
                };
                format!("{h12}:{m:02}\u{a0}{half}")
            }
        }
    }

    /// A span of time, `11:00–13:30` or `11:00 AM–1:30 PM`.
    pub fn span(self, start: u16, end: u16) -> String {
        format!("{}–{}", self.time(start), self.time(end))
    }
}

/// Whether a theme name is a plain name (`campus`, `dark_2`): one folder directly inside
/// themes/, never a path.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Fills a written due rule from `base`. Errors name the key, the message and a hint.
pub fn resolve_due_rule(
    rule: Option<&DueRuleFile>,
    base: DueRule,
) -> Result<DueRule, (&'static str, String, String)> {
    let Some(rule) = rule else { return Ok(base) };
    let weekday = match &rule.weekday {
        Some(w) => Weekday::parse(w).ok_or_else(|| {
            (
                "weekday",
                format!("`{w}` is not a weekday"),
                did_you_mean(w, Weekday::NAMES),
            )
        })?,
        None => base.weekday,
    };
    let time = match &rule.time {
        Some(t) => parse_time(t).ok_or_else(|| {
            (
                "time",
                format!("`{t}` is not a time of day"),
                "write 24-hour time in quotes, e.g. \"23:59\"".to_string(),
            )
        })?,
        None => base.time,
    };
    let min_days = match rule.min_days {
        Some(d) if !(0..=366).contains(&d) => {
            return Err((
                "min_days",
                format!("min_days {d} is out of range"),
                "use a number of days from 0 to 366".into(),
            ));
        }
        Some(d) => d,
        None => base.min_days,
    };
    Ok(DueRule {
        weekday,
        time,
        min_days,
    })
}

/// Splits a base URL into (the URL ending with `/`, its path ending with `/`).
pub fn normalize_base_url(raw: &str) -> Result<(String, String), String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(("/".into(), "/".into()));
    }
    if raw
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
    {
        return Err(format!("`{raw}` is not a valid base_url"));
    }
    let with_slash = if raw.ends_with('/') {
        raw.to_string()
    } else {
        format!("{raw}/")
    };
    if let Some(rest) = with_slash
        .strip_prefix("https://")
        .or_else(|| with_slash.strip_prefix("http://"))
    {
        let path = rest.find('/').map_or("/", |i| &rest[i..]);
        if rest.starts_with('/') || rest.is_empty() {
            return Err(format!("`{raw}` has no host"));
        }
        return Ok((with_slash.clone(), path.to_string()));
    }
    if with_slash.starts_with('/') {
        return Ok((with_slash.clone(), with_slash));
    }
    Err(format!(
        "`{raw}` is neither an http(s) URL nor a path starting with /"
    ))
}

/// Whether `tag` reads as a BCP 47 language tag (`en`, `pt-BR`, `zh-Hans`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Today in the course's time zone (the default of `--as-of`), or UTC today where course.yaml
/// names no valid zone. Reads only the `timezone` key, so that it works on a broken course.
///
/// The text goes to serde_yaml only after the linear index ([`yaml::Spans`]) found it sound:
/// a hostile course.yaml (200 KB of nested `[`) would otherwise take minutes here, before the
/// build even starts. A file that is not sound is read line by line, as [`fallback`] does.
pub fn today_in(root: &Path) -> jiff::civil::Date {
    let tz = crate::base::fence::Fence::new(root, false)
        .read_text(&root.join("course.yaml"), crate::base::fence::Cap::Yaml)
        .ok()
        .and_then(|s| {
            let spans = yaml::Spans::new(&s);
            if spans.syntax_error || !spans.problems.is_empty() {
                return top_level_value(&s, "timezone");
            }
            serde_yaml::from_str::<serde_yaml::Value>(&s)
                .ok()?
                .get("timezone")
                .and_then(|t| t.as_str())
                .map(str::to_string)
        })
        .and_then(|name| jiff::tz::TimeZone::get(&name).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned_datetime(tz).date()
}

#[cfg(test)]
mod tests;
