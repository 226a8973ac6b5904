//! The calendar page (`/<term>/calendar/`) and feed (`calendar.ics`) of a term.

use std::collections::HashMap;

use serde::Serialize;

use jiff::civil::Date;

use crate::base::diagnostics::Diagnostic;
use crate::base::files::{Data, OutputFile};
use crate::base::i18n::I18n;
use crate::load::content::Kind;
use crate::render::context::{SiteCtx, Urls};
use crate::render::input::{TermInput, generated_page};
use crate::schedule::agenda::{Item, ItemKind, PageRef, Pages};

/// One line of a week on the calendar page.
#[derive(Debug, Clone, Serialize)]
pub struct ItemCtx {
    /// `session`, `meeting`, `office-hours`, `release`, `due`, `event`, `holiday`, `swap`.
    pub kind: &'static str,
    /// "Class", "Due", "No class"…
    pub kind_label: String,
    /// ISO date.
    pub date: String,
    /// "Mon, Feb 2"
    pub date_text: String,
    /// "Mon"
    pub weekday: String,
    /// "11:00 AM–1:30 PM", "11:59 PM", or empty, in the site's one time format.
    pub time_text: String,
    /// What it is.
    pub title: String,
    /// Where to read more (empty if nowhere).
    pub url: String,
    /// Room.
    pub location: String,
    /// A link to join (office hours), or empty.
    pub link: String,
    /// "Lecture · session 4 · Monday schedule", "with Ana Lee", or empty.
    pub detail: String,
    /// `kind_label` as HTML: an English fallback is marked `lang="en"` (WCAG 3.1.2).
    pub kind_label_html: String,
    /// `title` as HTML, marked the same way.
    pub title_html: String,
    /// `detail` as HTML, marked the same way.
    pub detail_html: String,
}

/// A week on the calendar page.
#[derive(Debug, Clone, Serialize)]
pub struct WeekCtx {
    /// Teaching week number, none for a break or the finals period.
    pub number: Option<u32>,
    /// "Week 3", the break's name, or "Finals period".
    pub label: String,
    /// `label` as HTML: an English fallback is marked `lang="en"`.
    pub label_html: String,
    /// ISO date of the Monday in the row: the term's week it shows (and the row's id).
    pub monday: String,
    /// ISO date of the Sunday after that Monday (the end of the term's week).
    pub sunday: String,
    /// ISO date of the row's first day: the first day of the week in the course's language
    /// (`monday`, or the Sunday or Saturday before it).
    pub start: String,
    /// ISO date of the row's last day, six days after `start`.
    pub end: String,
    /// The row's days, `start` to `end`: "Jan 18 – Jan 24"
    pub dates_text: String,
    /// A break week.
    pub is_break: bool,
    /// A week after the last day of classes (the finals period).
    pub is_finals: bool,
    /// The break's name, or empty.
    pub break_name: String,
    /// Whether the build date (`--as-of`) falls in it; semester.js moves the mark to the
    /// reader's own week.
    pub is_current: bool,
    /// What happens that week.
    pub items: Vec<ItemCtx>,
}

/// The `calendar` variable of templates (every page of a term has it).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarCtx {
    /// Week by week, through the last dated item.
    pub weeks: Vec<WeekCtx>,
    /// The .ics feed.
    pub ics_url: String,
    /// The Monday (ISO) of the week holding the build date, or empty outside the weeks.
    pub current_week: String,
    /// The next class and deadlines as of the build date.
    pub next_up: crate::render::next_up::NextUpCtx,
}

/// The calendar as templates see it.
pub fn calendar_ctx(input: &TermInput, urls: &Urls, site: &SiteCtx) -> CalendarCtx {
    let items = agenda_of(input, urls);
    let as_of = input.options.as_of;
    let weeks = weeks(input, &items);
    CalendarCtx {
        current_week: weeks
            .iter()
            .find(|w| w.is_current)
            .map_or_else(String::new, |w| w.monday.clone()),
        weeks,
        ics_url: site.ics_url.clone(),
        next_up: crate::render::next_up::next_up(input.term, &items, &input.config.i18n, as_of, 0),
    }
}

/// Page titles and URLs for the agenda, from the term's content.
pub struct PageIndex<'a> {
    by_slug: HashMap<(Kind, &'a str), (&'a str, String)>,
}

impl<'a> PageIndex<'a> {
    /// Indexes the topic and lab pages of `content`.
    pub fn new(content: &'a crate::load::content::Content, urls: &Urls) -> Self {
        let mut by_slug = HashMap::new();
        for p in &content.pages {
            let url = urls.pages.get(&p.rel).cloned().unwrap_or_default();
            by_slug
                .entry((p.kind, p.slug.as_str()))
                .or_insert((p.title.as_str(), url));
        }
        // A lab not released yet is on the calendar with its title and dates, and no link.
        for p in unreleased(content) {
            by_slug
                .entry((p.kind, p.slug.as_str()))
                .or_insert((p.title.as_str(), String::new()));
        }
        PageIndex { by_slug }
    }

    fn get(&self, kind: Kind, slug: &str) -> Option<PageRef> {
        self.by_slug.get(&(kind, slug)).map(|(t, u)| PageRef {
            title: t.to_string(),
            url: u.clone(),
        })
    }
}

impl Pages for PageIndex<'_> {
    fn topic(&self, slug: &str) -> Option<PageRef> {
        self.get(Kind::Topic, slug)
    }
    fn lab(&self, slug: &str) -> Option<PageRef> {
        self.get(Kind::Lab, slug)
    }
}

/// The term's agenda with page titles and URLs.
pub fn agenda_of(input: &TermInput, urls: &Urls) -> Vec<Item> {
    let index = PageIndex::new(input.content, urls);
    crate::schedule::agenda::agenda(
        input.term,
        input.calendar,
        &input.config.tz,
        &index,
        &input.config.i18n,
    )
}

fn item_ctx(item: &Item, i18n: &I18n) -> ItemCtx {
    ItemCtx {
        kind: item.kind.name(),
        kind_label: i18n.t(item.kind.label_key()),
        date: item.date.to_string(),
        date_text: i18n.dates.date(item.date),
        weekday: i18n.dates.weekday(item.date),
        time_text: crate::schedule::agenda::time_text_in(item, &i18n.dates),
        title: item.title.clone(),
        url: item.url.clone(),
        location: item.location.clone(),
        link: item.link.clone(),
        detail: item.detail.clone(),
        kind_label_html: i18n.fill_html(item.kind.label_key(), None, &[]),
        title_html: item.title_html.clone(),
        detail_html: item.detail_html.clone(),
    }
}

/// The week-by-week view: the term's weeks, then the weeks of the finals period up to the
/// last dated item. A break week names its break once instead of a line per holiday.
///
/// A row starts on the first day of the week of the course's language (CLDR: Sunday for
/// `en-US`, Monday for `de`, Saturday for `ar`) and holds exactly one Monday: it carries the
/// number (or break) of the term's week that Monday starts, so the term's numbering keeps
/// its meaning and only where a weekend falls changes.
pub fn weeks(input: &TermInput, items: &[Item]) -> Vec<WeekCtx> {
    let i18n = &input.config.i18n;
    let first = i18n.first_weekday;
    let mut all: Vec<(Option<u32>, Date, Option<String>, bool)> = input
        .calendar
        .weeks
        .iter()
        .map(|w| (w.number, w.monday, w.break_name.clone(), false))
        .collect();
    let last = crate::schedule::agenda::last_day(input.term, items);
    while let Some(next) = all
        .last()
        .and_then(|w| w.1.checked_add(jiff::Span::new().days(7)).ok())
        .filter(|m| crate::base::i18n::dates::row_start(*m, first) <= last)
    {
        all.push((None, next, None, true));
    }
    all.into_iter()
        .map(|(number, monday, break_name, is_finals)| {
            let row = Row {
                number,
                monday,
                break_name,
                is_finals,
            };
            week_ctx(row, items, i18n, input.options.as_of)
        })
        .collect()
}

/// One row of the week-by-week view before it is worded.
struct Row {
    number: Option<u32>,
    monday: Date,
    break_name: Option<String>,
    is_finals: bool,
}

fn week_ctx(row: Row, items: &[Item], i18n: &I18n, as_of: Date) -> WeekCtx {
    let days = |d: Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap_or(d);
    let Row {
        number,
        monday,
        break_name,
        is_finals,
    } = row;
    let start = crate::base::i18n::dates::row_start(monday, i18n.first_weekday);
    let end = days(start, 6);
    let is_break = number.is_none() && !is_finals;
    let week_items = items
        .iter()
        .filter(|i| i.date >= start && i.date <= end)
        .filter(|i| !(is_break && i.kind == ItemKind::Holiday))
        .map(|i| item_ctx(i, i18n))
        .collect();
    let (key, n) = match (number, &break_name, is_finals) {
        (Some(n), _, _) => ("week_n", Some(i64::from(n))),
        (None, _, true) => ("finals_period", None),
        (None, Some(_), _) => ("", None),
        (None, None, _) => ("break", None),
    };
    let (label, label_html) = match (key, &break_name) {
        ("", Some(b)) => (b.clone(), crate::base::i18n::esc(b)),
        _ => (i18n.lookup(key, n, &[]).0, i18n.fill_html(key, n, &[])),
    };
    WeekCtx {
        number,
        label,
        label_html,
        monday: monday.to_string(),
        sunday: days(monday, 6).to_string(),
        start: start.to_string(),
        end: end.to_string(),
        dates_text: format!(
            "{} – {}",
            i18n.dates.month_day(start),
            i18n.dates.month_day(end)
        ),
        is_break,
        is_finals,
        break_name: break_name.unwrap_or_default(),
        is_current: start <= as_of && as_of <= end,
        items: week_items,
    }
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
        &input.config.i18n.t("calendar"),
        &input
            .config
            .i18n
            .f("calendar_lead", &[("term", &term.name)]),
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
    let feed = ics_of(
        input.config,
        term,
        input.content,
        input.calendar,
        input.options.as_of,
    );
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
/// The revision moment (`DTSTAMP`, `LAST-MODIFIED`, `SEQUENCE`) is [`revision`]: from the
/// inputs, so the same course built for the same day gives the same bytes.
pub fn ics_of(
    config: &crate::load::config::Config,
    term: &crate::load::term::Term,
    content: &crate::load::content::Content,
    calendar: &crate::schedule::calendar::Calendar,
    as_of: Date,
) -> String {
    use crate::render::ics::PageLink;
    let urls = crate::render::context::urls(config, &term.id, content);
    let origin = crate::render::context::absolute_origin(&config.base_url);
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
    let dtstamp = revision(
        term,
        calendar,
        as_of,
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
    );
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
        i18n: &config.i18n,
    })
}

/// The feed's revision moment: `SOURCE_DATE_EPOCH` (seconds) when set, as reproducible builds
/// define it; else midnight UTC of the build date (`--as-of`), held at the day after the
/// term's last dated item, so a finished term's feed stops changing. A build on a later day
/// is a later revision of every event, which is what makes calendar clients apply a moved
/// deadline (docs/format.md, "The calendar feed").
pub fn revision(
    term: &crate::load::term::Term,
    calendar: &crate::schedule::calendar::Calendar,
    as_of: Date,
    source_date_epoch: Option<&str>,
) -> jiff::Timestamp {
    if let Some(t) = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
    {
        return t;
    }
    let day = last_dated_day(term, calendar)
        .tomorrow()
        .map_or(as_of, |after| as_of.min(after));
    day.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(jiff::Timestamp::UNIX_EPOCH, |z| z.timestamp())
}

/// The day of the term's last dated item (`end`, an event or a lab due in the finals period, the
/// last day of a holiday), the same day as [`crate::schedule::agenda::last_day`] of the term's agenda.
/// A build date after it renders the same pages and feed as any other such date.
pub fn last_dated_day(
    term: &crate::load::term::Term,
    calendar: &crate::schedule::calendar::Calendar,
) -> Date {
    term.events
        .iter()
        .map(|e| e.date)
        .chain(calendar.labs.iter().map(|l| l.due.date()))
        .chain(term.holidays.iter().map(|h| h.to))
        .fold(term.end, Date::max)
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
