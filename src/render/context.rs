//! The model templates see: URLs, navigation, dates as text, and each page's context
//! (the variables documented in docs/templates.md).

use std::collections::HashSet;

use jiff::civil::Date;
use serde::Serialize;

use crate::base::i18n::dates::Dates;
use crate::load::config::Config;
use crate::load::content::{Kind, SourcePage};
use crate::load::term::{Term, Weekday};
use crate::schedule::calendar::Calendar;

pub use crate::model::site_map::{NavItem, Urls, encode_path, urls, urls_below};

/// A link with a title.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text.
    pub title: String,
    /// URL.
    pub url: String,
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
