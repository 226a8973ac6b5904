//! The model templates see: URLs, navigation, dates as text, and each page's context
//! (the variables documented in docs/templates.md).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::base::i18n::dates::Dates;
use crate::load::config::Config;
use crate::load::content::{Kind, SourcePage};
use crate::load::term::{Term, Weekday};
use crate::load::yaml::Seg;
use crate::schedule::calendar::Calendar;

/// A link with a title.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text.
    pub title: String,
    /// URL.
    pub url: String,
}

/// An entry of the top navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Text.
    pub title: String,
    /// URL.
    pub url: String,
    /// The content path it stands for (`syllabus`, `labs`, `calendar`).
    pub key: String,
}

/// A version of the site (a term) for the switcher.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct VersionLink {
    /// Term id.
    pub id: String,
    /// Term name.
    pub name: String,
    /// URL of the term's home.
    pub url: String,
    /// Whether this is the current term.
    pub current: bool,
}

/// A version and the page paths it has (below its term root: `labs/02-docker/`), for the
/// switcher's "same page in the other term".
#[derive(Debug, Clone)]
pub struct VersionPages {
    /// The version.
    pub link: VersionLink,
    /// Its pages' URL paths relative to the term root (`""` is the home page).
    pub paths: HashSet<String>,
}

/// The switcher's links for the page at `url_path`: that page in each version where it exists,
/// else the version's home.
pub fn alternates(versions: &[VersionPages], url_path: &str) -> Vec<VersionLink> {
    versions
        .iter()
        .map(|v| {
            let mut link = v.link.clone();
            if v.paths.contains(url_path) {
                link.url = format!("{}{url_path}", v.link.url);
            }
            link
        })
        .collect()
}

impl std::hash::Hash for VersionPages {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.link.hash(state);
        let mut paths: Vec<&String> = self.paths.iter().collect();
        paths.sort();
        paths.hash(state);
    }
}

/// Data shared by every page of a term (`site` in templates).
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    /// Course title.
    pub title: String,
    /// Course code.
    pub code: String,
    /// Institution.
    pub institution: String,
    /// Description.
    pub description: String,
    /// Language tag.
    pub language: String,
    /// `rtl` for a language written right to left (Arabic, Hebrew…), else `ltr`.
    pub dir: &'static str,
    /// The interface strings, which the template function `t` reads.
    pub i18n: crate::render::i18n::I18nCtx,
    /// The messages the theme's script shows, as JSON.
    pub script_strings: String,
    /// Site root URL path.
    pub root_url: String,
    /// This term's home.
    pub home_url: String,
    /// Calendar page.
    pub calendar_url: String,
    /// The .ics feed.
    pub ics_url: String,
    /// The feed's absolute https URL, or empty when `base_url` is a bare path (semester.js
    /// fills it in from the page's own address).
    pub ics_absolute_url: String,
    /// The same as a `webcal://` link that calendar apps subscribe to, or empty likewise.
    pub webcal_url: String,
    /// "America/New_York", written once per page: every time on the site is in it.
    pub zone_text: String,
    /// Search index (empty when there is none).
    pub search_url: String,
    /// The term.
    pub term: TermCtx,
    /// IANA zone name.
    pub timezone: String,
    /// Instructors.
    pub instructors: Vec<crate::load::config::Instructor>,
    /// The same people grouped by role, with their office hours.
    pub staff: Vec<crate::render::people::Group>,
    /// The published announcements, newest first.
    pub announcements: Vec<Announcement>,
    /// The term's Atom feed of announcements, or empty when the course has none.
    pub feed_url: String,
    /// Top navigation.
    pub nav: Vec<NavItem>,
    /// Every published term, newest first.
    pub versions: Vec<VersionLink>,
    /// Whether this term is a frozen older one.
    pub archived: bool,
    /// Name of the current term.
    pub current_term_name: String,
    /// Home of the current term.
    pub current_term_url: String,
    /// course.yaml `extra`.
    pub extra: serde_yaml::Mapping,
    /// "semester x.y.z".
    pub generator: String,
}

/// One announcement as templates see it (`site.announcements`).
#[derive(Debug, Clone, Serialize)]
pub struct Announcement {
    /// Title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// `2026-01-20`.
    pub date: String,
    /// `Tue, Jan 20`.
    pub date_text: String,
    /// Its front matter `description`.
    pub description: String,
}

/// The term as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TermCtx {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// First class day, ISO.
    pub start: String,
    /// Last class day, ISO.
    pub end: String,
    /// First class day as text.
    pub start_text: String,
    /// Last class day as text.
    pub end_text: String,
}

/// A session a topic is taught in.
#[derive(Debug, Clone, Serialize)]
pub struct SessionCtx {
    /// Session number.
    pub number: u32,
    /// Week number.
    pub week: Option<u32>,
    /// ISO date.
    pub date: String,
    /// "Mon, Feb 2"
    pub date_text: String,
    /// "Mon"
    pub weekday: String,
    /// "11:00"
    pub start: String,
    /// "13:30"
    pub end: String,
    /// Room.
    pub location: String,
}

/// A moment shown on a page.
#[derive(Debug, Clone, Serialize)]
pub struct WhenCtx {
    /// ISO 8601 (a date, or a date-time with offset).
    pub iso: String,
    /// "Mon, Feb 2"
    pub date_text: String,
    /// "11:59 PM" or "23:59" (the site's time format; empty for a whole day).
    pub time_text: String,
}

/// A page's computed dates.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DatesCtx {
    /// Sessions (topics).
    pub sessions: Vec<SessionCtx>,
    /// Release (labs).
    pub release: Option<WhenCtx>,
    /// Due (labs).
    pub due: Option<WhenCtx>,
    /// Posted (announcements).
    pub posted: Option<WhenCtx>,
}

/// A page in a section listing.
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Description.
    pub description: String,
    /// Kind.
    pub kind: Kind,
    /// Dates.
    pub dates: DatesCtx,
}

/// "Mon, Feb 2" in English (the CLI's table; pages use [`Dates`]).
pub fn date_text(d: Date) -> String {
    format!("{}, {}", Weekday::of(d).label(), month_day(d))
}

/// "Feb 2"
pub fn month_day(d: Date) -> String {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {}",
        M[(d.month() as usize).saturating_sub(1) % 12],
        d.day()
    )
}

/// "Mon, Feb 2, 2026"
pub fn long_date_text(d: Date) -> String {
    format!("{}, {}", date_text(d), d.year())
}

/// Minutes after midnight as "HH:MM".
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A zoned moment for pages: ISO with offset, date text, and the time in the site's one
/// format ("11:59 PM" or "23:59"); the zone is written once per page, not beside each time.
pub fn when_zoned(z: &jiff::ZonedDateTime, dates: &Dates) -> WhenCtx {
    let minutes = z.hour() as u16 * 60 + z.minute() as u16;
    WhenCtx {
        iso: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        date_text: dates.date(z.date()),
        time_text: dates.time(minutes),
    }
}

/// A whole day for pages.
pub fn when_date(d: Date, dates: &Dates) -> WhenCtx {
    WhenCtx {
        iso: d.to_string(),
        date_text: dates.date(d),
        time_text: String::new(),
    }
}

/// URLs of the term's pages and assets.
pub struct Urls {
    /// The term's root, e.g. `/mlops/spring-2026/`.
    pub term_root: String,
    /// Page source (relative to content/) → URL; empty for a page this build does not publish.
    pub pages: HashMap<String, String>,
    /// Asset (relative to content/) → URL; empty for a file this build does not publish.
    pub assets: HashMap<String, String>,
}

/// Computes every URL of a term.
pub fn urls(config: &Config, term_id: &str, content: &crate::load::content::Content) -> Urls {
    urls_below(format!("{}{}/", config.base_path, term_id), content)
}

/// Every URL of a term whose pages live below `term_root` (which ends with `/`).
pub fn urls_below(term_root: String, content: &crate::load::content::Content) -> Urls {
    let mut pages: HashMap<String, String> = content
        .pages
        .iter()
        .map(|p| (p.rel.clone(), format!("{term_root}{}", p.url_path)))
        .collect();
    // A page with errors of its own still exists for the links that point at it.
    for rel in &content.unreadable {
        let guess = rel.trim_end_matches(".md").trim_end_matches("_index");
        pages
            .entry(rel.clone())
            .or_insert_with(|| format!("{term_root}{guess}/"));
    }
    // A page or file that is not published has no URL: a link to it is an error of the
    // visibility stage, and the renderer, which knows it exists, writes nothing that names it.
    for w in &content.withheld {
        pages.insert(w.page.rel.clone(), String::new());
    }
    let assets = content
        .assets
        .iter()
        .map(|a| (a.rel.clone(), format!("{term_root}{}", encode_path(&a.rel))))
        .chain(
            content
                .withheld_assets
                .iter()
                .map(|a| (a.rel.clone(), String::new())),
        )
        .collect();
    Urls {
        term_root,
        pages,
        assets,
    }
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters (and `/` between
/// segments); everything else, every non-ASCII byte included, is percent-encoded.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes what may not stand in a URL path (`a b/é.png` → `a%20b/%C3%A9.png`).
pub fn encode_path(p: &str) -> String {
    percent_encoding::utf8_percent_encode(p, PATH).to_string()
}

/// The top navigation from course.yaml `nav` or the default order.
pub fn nav(
    config: &Config,
    content: &crate::load::content::Content,
    urls: &Urls,
    diags: &mut Diagnostics,
) -> Vec<NavItem> {
    let pages = content.pages.as_slice();
    let find = |key: &str| -> Option<NavItem> {
        let key = key
            .trim_matches('/')
            .trim_end_matches(".md")
            .trim_end_matches("/_index");
        if key == "calendar" {
            return Some(NavItem {
                title: config.i18n.t("calendar"),
                url: format!("{}calendar/", urls.term_root),
                key: "calendar".into(),
            });
        }
        let page = pages.iter().find(|p| {
            (p.kind == Kind::Section && p.dir == key)
                || (p.stem != "_index" && p.rel.trim_end_matches(".md") == key)
        })?;
        Some(NavItem {
            title: page.title.clone(),
            url: urls.pages.get(&page.rel)?.clone(),
            key: key.to_string(),
        })
    };
    match &config.course.nav {
        Some(list) => {
            let mut out = Vec::new();
            for (i, entry) in list.iter().enumerate() {
                match find(entry) {
                    Some(item) => out.push(item),
                    None => {
                        let (l, c) = config.spans.at(&[Seg::Key("nav"), Seg::Index(i)]);
                        if let Some(d) = withheld_entry(entry, content, (l, c)) {
                            diags.push(d);
                            continue;
                        }
                        // A page that could not be read has its own error: naming it is no
                        // mistake.
                        if content.folder_unreadable || names_unreadable(entry, pages, urls) {
                            continue;
                        }
                        let mut known: Vec<String> = pages
                            .iter()
                            .filter(|p| p.kind != Kind::Home)
                            .map(|p| {
                                if p.stem == "_index" {
                                    p.dir.clone()
                                } else {
                                    p.rel.trim_end_matches(".md").to_string()
                                }
                            })
                            .collect();
                        known.push("calendar".into());
                        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
                        diags.push(
                            Diagnostic::error(
                                "course.yaml",
                                l,
                                c,
                                format!("nav entry `{entry}` is not a page or section of content/"),
                            )
                            .with_hint(did_you_mean(entry, &refs)),
                        );
                    }
                }
            }
            out
        }
        None => {
            let mut keys: Vec<String> = vec![
                "syllabus".into(),
                "topics".into(),
                "labs".into(),
                "calendar".into(),
            ];
            let mut others: Vec<String> = pages
                .iter()
                .filter(|p| {
                    p.kind == Kind::Section && !p.dir.contains('/') && !keys.contains(&p.dir)
                })
                .map(|p| p.dir.clone())
                .collect();
            others.sort();
            keys.extend(others);
            keys.iter().filter_map(|k| find(k)).collect()
        }
    }
}

/// A `nav` entry as a path below content/ without `.md` or `/_index`.
fn nav_key(entry: &str) -> &str {
    entry
        .trim_matches('/')
        .trim_end_matches(".md")
        .trim_end_matches("/_index")
}

/// Whether a nav entry names a page that exists but could not be read (it has a URL but no
/// page: see [`urls`]).
fn names_unreadable(entry: &str, pages: &[SourcePage], urls: &Urls) -> bool {
    let key = nav_key(entry);
    [format!("{key}.md"), format!("{key}/_index.md")]
        .iter()
        .any(|rel| urls.pages.contains_key(rel) && !pages.iter().any(|p| &p.rel == rel))
}

/// The error for a `nav` entry that names a page this build does not publish.
fn withheld_entry(
    entry: &str,
    content: &crate::load::content::Content,
    (line, col): (usize, usize),
) -> Option<Diagnostic> {
    let key = nav_key(entry);
    let w = content.withheld.iter().find(|w| {
        (w.page.kind == Kind::Section && w.page.dir == key)
            || (w.page.stem != "_index" && w.page.rel.trim_end_matches(".md") == key)
    })?;
    Some(
        Diagnostic::error(
            "course.yaml",
            line,
            col,
            format!(
                "nav entry `{entry}` is the {} page {}",
                w.why.word(),
                w.page.path.display()
            ),
        )
        .with_hint(format!(
            "{}; a normal build does not publish it, so take it out of nav",
            w.why.published_by()
        )),
    )
}

/// The site context of one term.
pub fn site_ctx(
    config: &Config,
    term: &Term,
    urls: &Urls,
    nav: Vec<NavItem>,
    versions: Vec<VersionLink>,
    archived: bool,
) -> SiteCtx {
    let c = &config.course;
    let i18n = crate::render::i18n::I18nCtx::of(&config.i18n);
    let current = versions.iter().find(|v| v.current);
    SiteCtx {
        title: c.title.clone(),
        code: c.code.clone(),
        institution: c.institution.clone(),
        description: c.description.clone(),
        language: config.language.clone(),
        dir: if config.i18n.rtl() { "rtl" } else { "ltr" },
        i18n: i18n.clone(),
        script_strings: i18n.script_json(),
        root_url: config.base_path.clone(),
        home_url: urls.term_root.clone(),
        calendar_url: format!("{}calendar/", urls.term_root),
        ics_url: format!("{}calendar.ics", urls.term_root),
        ics_absolute_url: absolute(config, &format!("{}calendar.ics", urls.term_root)),
        webcal_url: webcal(&absolute(
            config,
            &format!("{}calendar.ics", urls.term_root),
        )),
        zone_text: c.timezone.replace('_', " "),
        search_url: format!("{}search/", urls.term_root),
        term: TermCtx {
            id: term.id.clone(),
            name: term.name.clone(),
            start: term.start.to_string(),
            end: term.end.to_string(),
            start_text: config.i18n.dates.long_date(term.start),
            end_text: config.i18n.dates.long_date(term.end),
        },
        timezone: c.timezone.clone(),
        instructors: c.instructors.clone(),
        staff: crate::render::people::groups(config, term),
        announcements: Vec::new(),
        feed_url: String::new(),
        nav,
        archived,
        current_term_name: current.map_or_else(|| term.name.clone(), |v| v.name.clone()),
        current_term_url: current.map_or_else(|| urls.term_root.clone(), |v| v.url.clone()),
        versions,
        extra: c.extra.clone(),
        generator: format!("semester {}", env!("CARGO_PKG_VERSION")),
    }
}

/// `https://example.edu` from `https://example.edu/mlops/`; `None` for a bare path.
pub fn absolute_origin(base_url: &str) -> Option<String> {
    let (scheme, rest) = base_url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}

/// `path` (already holding the base path) as an absolute URL, or empty without an origin.
fn absolute(config: &Config, path: &str) -> String {
    absolute_origin(&config.base_url).map_or_else(String::new, |o| format!("{o}{path}"))
}

/// `webcal://host/path` for an http(s) URL; empty for anything else.
pub fn webcal(url: &str) -> String {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map_or_else(String::new, |rest| format!("webcal://{rest}"))
}

/// The dates of a topic or lab page, from the calendar.
pub fn page_dates(
    page: &SourcePage,
    term: &Term,
    cal: &Calendar,
    labs: &std::collections::HashMap<&str, &crate::schedule::calendar::LabDates>,
    config: &Config,
) -> DatesCtx {
    let (tz, dates) = (&config.tz, &config.i18n.dates);
    match page.kind {
        Kind::Topic => {
            let numbers = cal
                .topic_sessions
                .get(&page.slug)
                .cloned()
                .unwrap_or_default();
            let meeting = term.meetings.first();
            let sessions = numbers
                .iter()
                .filter_map(|n| cal.sessions.iter().find(|s| s.number == *n))
                .map(|s| SessionCtx {
                    number: s.number,
                    week: s.week,
                    date: s.date.to_string(),
                    date_text: dates.date(s.date),
                    weekday: dates.weekday(s.date),
                    start: dates.time(s.start),
                    end: dates.time(s.end),
                    location: meeting.map_or_else(String::new, |m| m.location.clone()),
                })
                .collect();
            DatesCtx {
                sessions,
                ..DatesCtx::default()
            }
        }
        Kind::Lab => match labs.get(page.slug.as_str()) {
            Some(l) => DatesCtx {
                release: Some(when_date(l.release, dates)),
                due: Some(when_zoned(&l.due.with_time_zone(tz.clone()), dates)),
                ..DatesCtx::default()
            },
            None => DatesCtx::default(),
        },
        Kind::Announcement => DatesCtx {
            posted: crate::load::content::posted(&page.front).map(|d| when_date(d, dates)),
            ..DatesCtx::default()
        },
        _ => DatesCtx::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // English pages and the CLI's table write dates alike; times follow the site's clock.
    #[test]
    fn dates_read_like_a_person_wrote_them() {
        let d = jiff::civil::date(2026, 2, 2);
        assert_eq!(date_text(d), "Mon, Feb 2");
        assert_eq!(long_date_text(d), "Mon, Feb 2, 2026");
        let en = crate::base::i18n::dates::Dates::new("en", None);
        assert_eq!(
            (en.date(d), en.long_date(d)),
            (date_text(d), long_date_text(d))
        );
        let tz = jiff::tz::TimeZone::get("America/New_York").unwrap();
        let z = d.at(23, 59, 0, 0).to_zoned_datetime(tz.clone()).unwrap();
        let w = when_zoned(&z, &en);
        assert_eq!(w.iso, "2026-02-02T23:59:00-05:00");
        assert_eq!(w.time_text, "11:59\u{202f}PM");
        let h24 = crate::base::i18n::dates::Dates::new("en", Some(false));
        assert_eq!(when_zoned(&z, &h24).time_text, "23:59");
        let z = jiff::civil::date(2026, 4, 6)
            .at(12, 5, 0, 0)
            .to_zoned_datetime(tz)
            .unwrap();
        assert_eq!(when_zoned(&z, &en).time_text, "12:05\u{202f}PM");
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(encode_path("labs/img/my fig.png"), "labs/img/my%20fig.png");
    }
}
