//! The calendar page (`/<term>/calendar/`) and feed (`calendar.ics`) of a term.

use std::collections::HashMap;

use serde::Serialize;

use crate::base::diagnostics::Diagnostic;
use crate::base::files::{Data, OutputFile};
use crate::load::content::Kind;
use crate::load::term::Weekday;
use crate::render::context::{self, Link, SiteCtx, Urls};
use crate::render::input::{TermInput, generated_page};

/// One line of a week on the calendar page.
#[derive(Debug, Clone, Serialize)]
pub struct ItemCtx {
    /// `session`, `meeting`, `release`, `due`, `event`, `holiday`.
    pub kind: &'static str,
    /// ISO date.
    pub date: String,
    /// "Mon, Feb 2"
    pub date_text: String,
    /// "Mon"
    pub weekday: String,
    /// "11:00–13:30", "11:59 PM EST", or empty.
    pub time_text: String,
    /// What it is.
    pub title: String,
    /// Where to read more (empty if nowhere).
    pub url: String,
    /// Room.
    pub location: String,
    #[serde(skip)]
    sort: (jiff::civil::Date, u8, u16),
}

/// A week on the calendar page.
#[derive(Debug, Clone, Serialize)]
pub struct WeekCtx {
    /// Teaching week number, none for a break.
    pub number: Option<u32>,
    /// "Week 3" or the break's name.
    pub label: String,
    /// ISO Monday.
    pub monday: String,
    /// ISO Sunday.
    pub sunday: String,
    /// "Jan 19 – Jan 25"
    pub dates_text: String,
    /// A break week.
    pub is_break: bool,
    /// The break's name, or empty.
    pub break_name: String,
    /// Set by script in the browser; always false in the file (the site is built before the term).
    pub is_current: bool,
    /// What happens that week.
    pub items: Vec<ItemCtx>,
}

/// The `calendar` variable of templates (every page of a term has it).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarCtx {
    /// Week by week.
    pub weeks: Vec<WeekCtx>,
    /// The .ics feed.
    pub ics_url: String,
}

/// The calendar as templates see it.
pub fn calendar_ctx(input: &TermInput, urls: &Urls, site: &SiteCtx) -> CalendarCtx {
    CalendarCtx {
        weeks: weeks(input, urls),
        ics_url: site.ics_url.clone(),
    }
}

/// The week-by-week view of the calendar, for the calendar page and the home page.
pub fn weeks(input: &TermInput, urls: &Urls) -> Vec<WeekCtx> {
    let TermInput {
        term,
        calendar,
        content,
        config,
        ..
    } = input;
    let mut by_slug: std::collections::HashMap<(Kind, &str), Link> =
        std::collections::HashMap::new();
    for p in &content.pages {
        by_slug
            .entry((p.kind, p.slug.as_str()))
            .or_insert_with(|| Link {
                title: p.title.clone(),
                url: urls.pages.get(&p.rel).cloned().unwrap_or_default(),
            });
    }
    // A lab not released yet is on the calendar with its title and dates, and no link.
    for p in unreleased(content) {
        by_slug
            .entry((p.kind, p.slug.as_str()))
            .or_insert_with(|| Link {
                title: p.title.clone(),
                url: String::new(),
            });
    }
    let title_of = |kind: Kind, slug: &str| by_slug.get(&(kind, slug)).cloned();
    let mut items: Vec<ItemCtx> = Vec::new();
    let item = |kind: &'static str,
                date: jiff::civil::Date,
                rank: u8,
                minutes: u16,
                time_text: String,
                title: String,
                url: String,
                location: String| ItemCtx {
        kind,
        date: date.to_string(),
        date_text: context::date_text(date),
        weekday: Weekday::of(date).label().to_string(),
        time_text,
        title,
        url,
        location,
        sort: (date, rank, minutes),
    };
    let first = term.meetings.first();
    for s in &calendar.sessions {
        let topics: Vec<Link> = s
            .topics
            .iter()
            .filter_map(|t| title_of(Kind::Topic, t))
            .collect();
        let name = first.map_or("Session", |m| m.name.as_str());
        let (title, url) = match topics.as_slice() {
            [] => (format!("{name} {}", s.number), String::new()),
            [one] => (one.title.clone(), one.url.clone()),
            many => (
                many.iter()
                    .map(|l| l.title.as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
                many[0].url.clone(),
            ),
        };
        let time = format!("{}–{}", context::hhmm(s.start), context::hhmm(s.end));
        let loc = first.map_or_else(String::new, |m| m.location.clone());
        items.push(item("session", s.date, 1, s.start, time, title, url, loc));
    }
    for o in &calendar.occurrences {
        if let Some(m) = term.meetings.get(o.meeting) {
            let time = format!("{}–{}", context::hhmm(m.start), context::hhmm(m.end));
            items.push(item(
                "meeting",
                o.date,
                1,
                m.start,
                time,
                m.name.clone(),
                String::new(),
                m.location.clone(),
            ));
        }
    }
    for l in &calendar.labs {
        let link = title_of(Kind::Lab, &l.slug).unwrap_or(Link {
            title: l.slug.clone(),
            url: String::new(),
        });
        let due = l.due.with_time_zone(config.tz.clone());
        let when = context::when_zoned(&due);
        let minutes = (due.hour() as u16) * 60 + due.minute() as u16;
        items.push(item(
            "release",
            l.release,
            2,
            0,
            String::new(),
            format!("{} released", link.title),
            link.url.clone(),
            String::new(),
        ));
        items.push(item(
            "due",
            due.date(),
            3,
            minutes,
            when.time_text,
            format!("{} due", link.title),
            link.url,
            String::new(),
        ));
    }
    for e in &term.events {
        let time = e.time.map_or_else(String::new, context::hhmm);
        items.push(item(
            "event",
            e.date,
            4,
            e.time.unwrap_or(0),
            time,
            e.title.clone(),
            String::new(),
            e.location.clone(),
        ));
    }
    for h in &term.holidays {
        let mut d = h.from;
        while d <= h.to {
            items.push(item(
                "holiday",
                d,
                0,
                0,
                String::new(),
                h.name.clone(),
                String::new(),
                String::new(),
            ));
            match d.tomorrow() {
                Ok(n) => d = n,
                Err(_) => break,
            }
        }
    }
    items.sort_by_key(|i| i.sort);
    calendar
        .weeks
        .iter()
        .map(|w| {
            let sunday = w
                .monday
                .checked_add(jiff::Span::new().days(6))
                .unwrap_or(w.monday);
            let mut week_items: Vec<ItemCtx> = items
                .iter()
                .filter(|i| i.sort.0 >= w.monday && i.sort.0 <= sunday)
                .cloned()
                .collect();
            if w.number.is_none() {
                // A break week shows its name once, not a line per day.
                week_items.retain(|i| i.kind != "holiday");
            } else {
                dedup_ranges(&mut week_items);
            }
            WeekCtx {
                number: w.number,
                label: w.number.map_or_else(
                    || w.break_name.clone().unwrap_or_else(|| "Break".into()),
                    |n| format!("Week {n}"),
                ),
                monday: w.monday.to_string(),
                sunday: sunday.to_string(),
                dates_text: format!(
                    "{} – {}",
                    context::month_day(w.monday),
                    context::month_day(sunday)
                ),
                is_break: w.number.is_none(),
                break_name: w.break_name.clone().unwrap_or_default(),
                is_current: false,
                items: week_items,
            }
        })
        .collect()
}

/// Holidays spanning several days of a teaching week are listed once, on their first day.
fn dedup_ranges(items: &mut Vec<ItemCtx>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| i.kind != "holiday" || seen.insert(i.title.clone()));
}

/// Renders `/<term>/calendar/index.html` and `/<term>/calendar.ics`.
pub fn render(
    input: &TermInput,
    tera: &tera::Tera,
    urls: &Urls,
    site: &SiteCtx,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let term = input.term;
    let page = generated_page(
        input,
        urls,
        "calendar",
        "Calendar",
        &format!(
            "Every session, lab and deadline of {}, week by week.",
            term.name
        ),
        &site.calendar_url,
    );
    let mut ctx = tera::Context::new();
    ctx.insert("page", &page);
    let html = tera.render("calendar.html", &ctx).map_err(|e| {
        crate::render::templates::template_error(
            &e,
            &input.templates.origins,
            Some(std::path::Path::new("calendar")),
        )
    })?;
    let feed = ics_of(input.config, term, input.content, input.calendar);
    Ok(vec![
        OutputFile {
            path: format!("{}/calendar/index.html", term.id),
            data: Data::Bytes(html.into_bytes()),
        },
        OutputFile {
            path: format!("{}/calendar.ics", term.id),
            data: Data::Bytes(feed.into_bytes()),
        },
    ])
}

/// The term's calendar.ics. Links are absolute when `base_url` is (a feed is read outside the
/// site, so a path alone means nothing there); otherwise events carry no URL.
///
/// `DTSTAMP` is `SOURCE_DATE_EPOCH` when set, else midnight UTC of the term's first day: the
/// same course gives the same bytes, so a rebuild that changes nothing changes no file.
pub fn ics_of(
    config: &crate::load::config::Config,
    term: &crate::load::term::Term,
    content: &crate::load::content::Content,
    calendar: &crate::schedule::calendar::Calendar,
) -> String {
    use crate::render::ics::PageLink;
    let urls = crate::render::context::urls(config, &term.id, content);
    let origin = absolute_origin(&config.base_url);
    let links = |kind: Kind| -> HashMap<String, PageLink> {
        let published = content.pages.iter().map(|p| (p, true));
        published
            .chain(unreleased(content).map(|p| (p, false)))
            .filter(|(p, _)| p.kind == kind)
            .map(|(p, published)| {
                let url = match (&origin, urls.pages.get(&p.rel)) {
                    (Some(o), Some(path)) if published => format!("{o}{path}"),
                    _ => String::new(),
                };
                (
                    p.slug.clone(),
                    PageLink {
                        title: p.title.clone(),
                        url,
                    },
                )
            })
            .collect()
    };
    let (topics, labs) = (links(Kind::Topic), links(Kind::Lab));
    let dtstamp = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .or_else(|| {
            term.start
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp())
        })
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let tz_name = config.tz.iana_name().unwrap_or("UTC");
    crate::render::ics::ics(&crate::render::ics::IcsInput {
        course_title: &config.course.title,
        course_code: &config.course.code,
        term,
        calendar,
        tz: &config.tz,
        tz_name,
        topics: &topics,
        labs: &labs,
        dtstamp,
    })
}

/// The labs withheld until their release: shown on the calendar, never linked.
fn unreleased(
    content: &crate::load::content::Content,
) -> impl Iterator<Item = &crate::load::content::SourcePage> {
    content
        .withheld
        .iter()
        .filter(|w| matches!(w.why, crate::load::content::Hidden::Unreleased(_)))
        .map(|w| &w.page)
}

/// `https://example.edu` from `https://example.edu/mlops/`; `None` for a bare path.
pub fn absolute_origin(base_url: &str) -> Option<String> {
    let (scheme, rest) = base_url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}
