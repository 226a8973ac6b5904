//! Dates, times and numbers as CLDR writes them in a language, through ICU4X's compiled data:
//! month and weekday names, their order, the language's clock (unless course.yaml's
//! `time_format` says), Always the Gregorian calendar (the term file's); jiff's
//! dates are handed over field by field. A language CLDR does not know is written as English.

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{E, MD, MDE, T, YMDE};
use icu_datetime::preferences::HourCycle;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_datetime::{NoCalendarFormatter, input::Time};
use icu_locale_core::Locale;

type Fixed<F> = FixedCalendarDateTimeFormatter<Gregorian, F>;

/// The formatters of one language; `None` when even English cannot be had from ICU4X's
/// data (never in practice), and then ISO dates and 24-hour times.
#[derive(Debug)]
pub struct Dates(Option<Formatters>);

#[derive(Debug)]
struct Formatters {
    weekday_month_day: Fixed<MDE>,
    long: Fixed<YMDE>,
    month_day: Fixed<MD>,
    weekday: Fixed<E>,
    weekday_long: Fixed<E>,
    time: NoCalendarFormatter<T>,
}

impl Dates {
    /// The formats of `language` (English when ICU4X has no data for it or the tag does not
    /// read); `hour12` forces a 12- or 24-hour clock.
    pub fn new(language: &str, hour12: Option<bool>) -> Dates {
        Dates(formatters(language, hour12).or_else(|| formatters("en", hour12)))
    }

    fn with(
        &self,
        d: jiff::civil::Date,
        f: impl Fn(&Formatters, &Date<Gregorian>) -> String,
    ) -> String {
        let g = Date::try_new_gregorian(i32::from(d.year()), d.month() as u8, d.day() as u8);
        match (&self.0, g) {
            (Some(fs), Ok(g)) => f(fs, &g),
            _ => d.to_string(),
        }
    }

    /// "Mon, Feb 2" / "Mo., 2. Feb." / "2月2日(月)".
    pub fn date(&self, d: jiff::civil::Date) -> String {
        self.with(d, |f, g| f.weekday_month_day.format(g).to_string())
    }

    /// "Mon, Feb 2, 2026".
    pub fn long_date(&self, d: jiff::civil::Date) -> String {
        self.with(d, |f, g| f.long.format(g).to_string())
    }

    /// "Feb 2".
    pub fn month_day(&self, d: jiff::civil::Date) -> String {
        self.with(d, |f, g| f.month_day.format(g).to_string())
    }

    /// "Mon".
    pub fn weekday(&self, d: jiff::civil::Date) -> String {
        self.with(d, |f, g| f.weekday.format(g).to_string())
    }

    /// "Monday".
    pub fn weekday_long(&self, d: jiff::civil::Date) -> String {
        self.with(d, |f, g| f.weekday_long.format(g).to_string())
    }

    /// The name of weekday `index` (0 = Monday … 6 = Sunday), "Monday", from a date of that
    /// weekday on or after `near`.
    pub fn weekday_named(&self, near: jiff::civil::Date, index: u8) -> String {
        let now = i64::from(near.weekday().to_monday_zero_offset());
        let ahead = (i64::from(index) - now).rem_euclid(7);
        self.weekday_long(
            near.checked_add(jiff::Span::new().days(ahead))
                .unwrap_or(near),
        )
    }

    /// Minutes after midnight: "11:59 PM" / "23:59" / "오후 11:59".
    pub fn time(&self, minutes: u16) -> String {
        let (h, m) = ((minutes / 60 % 24) as u8, (minutes % 60) as u8);
        match (&self.0, Time::try_new(h, m, 0, 0)) {
            (Some(f), Ok(t)) => f.time.format(&t).to_string(),
            _ => format!("{h:02}:{m:02}"),
        }
    }

    /// A span of time, "11:00–13:30".
    pub fn span(&self, start: u16, end: u16) -> String {
        format!("{}–{}", self.time(start), self.time(end))
    }
}

fn formatters(language: &str, hour12: Option<bool>) -> Option<Formatters> {
    let locale: Locale = language.replace('_', "-").parse().ok()?;
    let mut prefs = DateTimeFormatterPreferences::from(&locale);
    prefs.hour_cycle = hour12.map(|h| if h { HourCycle::H12 } else { HourCycle::H23 });
    Some(Formatters {
        weekday_month_day: Fixed::try_new(prefs, MDE::medium()).ok()?,
        long: Fixed::try_new(prefs, YMDE::medium()).ok()?,
        month_day: Fixed::try_new(prefs, MD::medium()).ok()?,
        weekday: Fixed::try_new(prefs, E::short()).ok()?,
        weekday_long: Fixed::try_new(prefs, E::long()).ok()?,
        time: NoCalendarFormatter::try_new(prefs, T::hm()).ok()?,
    })
}

/// The first day of the week in `language`'s region, as CLDR's week data says (ICU4X
/// `WeekInformation`): Sunday in the US, Monday in Germany, Saturday in Egypt. A tag without
/// a region takes its language's likely region (`ar` → Egypt); a tag that does not read, or a
/// region CLDR has no data for, takes CLDR's default, Monday.
pub fn first_weekday(language: &str) -> jiff::civil::Weekday {
    use icu_calendar::types::Weekday as W;
    use icu_calendar::week::WeekInformation;
    use jiff::civil::Weekday;
    let Ok(locale) = language.replace('_', "-").parse::<Locale>() else {
        return Weekday::Monday;
    };
    match WeekInformation::try_new((&locale).into()).map(|w| w.first_weekday) {
        Ok(W::Sunday) => Weekday::Sunday,
        Ok(W::Tuesday) => Weekday::Tuesday,
        Ok(W::Wednesday) => Weekday::Wednesday,
        Ok(W::Thursday) => Weekday::Thursday,
        Ok(W::Friday) => Weekday::Friday,
        Ok(W::Saturday) => Weekday::Saturday,
        _ => Weekday::Monday,
    }
}

/// The first day of the row that holds `d` on a calendar whose weeks start on `first`: `d`
/// itself or up to six days before it.
pub fn row_start(d: jiff::civil::Date, first: jiff::civil::Weekday) -> jiff::civil::Date {
    let back = d.weekday().since(first);
    d.checked_sub(jiff::Span::new().days(i64::from(back)))
        .unwrap_or(d)
}
