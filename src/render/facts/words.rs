//! How course facts are written in prose: every date, time, weekday and list a reference
//! (`{@…}`) puts into a page is worded here and only here, so that a locale-aware wording
//! (the course's `language`) can replace these functions without touching what they word.
//! Dates use the calendar views' own format ([`crate::render::context::date_text`]) and times
//! the site's clock (`time_format`), so a page says a date the way the calendar does.

use jiff::civil::Date;

use crate::load::config::Clock;
use crate::load::term::Weekday;
use crate::render::context;

/// A day: "Mon, Feb 2".
pub fn date(d: Date) -> String {
    context::date_text(d)
}

/// A day with its year: "Mon, Feb 2, 2026".
pub fn long_date(d: Date) -> String {
    context::long_date_text(d)
}

/// A time of day, minutes after midnight: "11:59 PM" or "23:59" (the site's clock).
pub fn time(clock: Clock, minutes: u16) -> String {
    clock.time(minutes)
}

/// A day at a time: "Mon, Feb 2 at 11:59 PM".
pub fn date_at(clock: Clock, d: Date, minutes: u16) -> String {
    format!("{} at {}", date(d), time(clock, minutes))
}

/// A span of days: "Mon, Mar 16 – Sun, Mar 22", or one day.
pub fn span(from: Date, to: Date) -> String {
    if from == to {
        date(from)
    } else {
        format!("{} – {}", date(from), date(to))
    }
}

/// A span of time: "11:00 AM – 1:30 PM".
pub fn time_span(clock: Clock, start: u16, end: u16) -> String {
    format!("{} – {}", time(clock, start), time(clock, end))
}

/// A weekday in full: "Monday".
pub fn weekday(d: Weekday) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][d.index() as usize]
}

/// Weekdays as a recurring habit: "Mondays", "Tuesdays and Thursdays".
pub fn weekdays(days: &[Weekday]) -> String {
    let names: Vec<String> = days.iter().map(|d| format!("{}s", weekday(*d))).collect();
    list(&names)
}

/// A weekly due rule: "Mondays at 11:59 PM".
pub fn due_rule(clock: Clock, day: Weekday, minutes: u16) -> String {
    format!("{}s at {}", weekday(day), time(clock, minutes))
}

/// Items in a sentence: "a", "a and b", "a, b and c".
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A named item with a detail: "Presidents' Day (Mon, Feb 16)".
pub fn with_detail(name: &str, detail: &str) -> String {
    if detail.is_empty() {
        name.to_string()
    } else if name.is_empty() {
        detail.to_string()
    } else {
        format!("{name} ({detail})")
    }
}

/// Several items of a list, one a clause: "Lecture: Mondays …; Recitation: Fridays …".
pub fn clauses(items: &[String]) -> String {
    items.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_weekdays_read_as_english() {
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a".into()]), "a");
        assert_eq!(list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(
            weekdays(&[Weekday::Tue, Weekday::Thu]),
            "Tuesdays and Thursdays"
        );
        let d = jiff::civil::date(2026, 3, 16);
        assert_eq!(span(d, d), "Mon, Mar 16");
        assert_eq!(
            span(d, jiff::civil::date(2026, 3, 22)),
            "Mon, Mar 16 – Sun, Mar 22"
        );
        assert_eq!(date_at(Clock::H24, d, 23 * 60 + 59), "Mon, Mar 16 at 23:59");
        assert_eq!(
            time_span(Clock::H12, 660, 810),
            "11:00\u{a0}AM – 1:30\u{a0}PM"
        );
        assert_eq!(with_detail("Lab", ""), "Lab");
    }
}
