//! How course facts are written in prose: every date, time, weekday and list a reference
//! (`{@…}`) puts into a page is worded here and only here, in the course's `language`: dates,
//! times and weekday names from CLDR through [`crate::base::i18n::Dates`] (the formats the
//! calendar views use, with the site's clock), and the joining words ("at", "and", "every
//! Monday") from the translation tables (`facts_date_at`, `facts_and`, `facts_weekly`).

use jiff::civil::Date;

use crate::base::i18n::I18n;
use crate::load::term::Weekday;

/// Where a part in English begins, in a fact's text (see [`marks_to_html`]).
pub const EN_OPEN: char = '\u{e001}';
/// Where a part in the course's language begins inside an English one.
pub const OWN_OPEN: char = '\u{e002}';
/// Where either part ends.
pub const CLOSE: char = '\u{e003}';

/// `key`'s words with `args` filled in. When they are the English fallback on a site in
/// another language they are marked ([`EN_OPEN`] … [`CLOSE`], each value inside them
/// [`OWN_OPEN`] … [`CLOSE`]), which the facts turn into `<span lang>` after escaping.
fn say(w: &I18n, key: &str, args: &[(&str, &str)]) -> String {
    if !w.marks_english(key) {
        return w.f(key, args);
    }
    let own: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| (*k, format!("{OWN_OPEN}{v}{CLOSE}")))
        .collect();
    let own: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
    format!("{EN_OPEN}{}{CLOSE}", w.f(key, &own))
}

/// A fact's escaped Markdown with its marks made `<span lang="en">` and
/// `<span lang="<course>">`; a mark without its pair (one written in course.yaml by hand) is
/// dropped or closed, so the spans always nest.
pub fn marks_to_html(escaped: &str, language: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut depth = 0usize;
    for c in escaped.chars() {
        match c {
            EN_OPEN => out.push_str("<span lang=\"en\">"),
            OWN_OPEN => out.push_str(&format!("<span lang=\"{language}\">")),
            CLOSE if depth > 0 => out.push_str("</span>"),
            CLOSE => {}
            c => out.push(c),
        }
        match c {
            EN_OPEN | OWN_OPEN => depth += 1,
            CLOSE => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out.push_str(&"</span>".repeat(depth));
    out
}

/// A day: "Mon, Feb 2".
pub fn date(w: &I18n, d: Date) -> String {
    w.dates.date(d)
}

/// A day with its year: "Mon, Feb 2, 2026".
pub fn long_date(w: &I18n, d: Date) -> String {
    w.dates.long_date(d)
}

/// A time of day, minutes after midnight: "11:59 PM" or "23:59" (the site's clock).
pub fn time(w: &I18n, minutes: u16) -> String {
    w.dates.time(minutes)
}

/// A day at a time: "Mon, Feb 2 at 11:59 PM".
pub fn date_at(w: &I18n, d: Date, minutes: u16) -> String {
    say(
        w,
        "facts_date_at",
        &[("date", &date(w, d)), ("time", &time(w, minutes))],
    )
}

/// A span of days: "Mon, Mar 16 – Sun, Mar 22", or one day.
pub fn span(w: &I18n, from: Date, to: Date) -> String {
    if from == to {
        date(w, from)
    } else {
        format!("{} – {}", date(w, from), date(w, to))
    }
}

/// A span of time: "11:00 AM – 1:30 PM".
pub fn time_span(w: &I18n, start: u16, end: u16) -> String {
    format!("{} – {}", time(w, start), time(w, end))
}

/// A weekday in full: "Monday" (a Monday in January 2024 named in the course's language).
pub fn weekday(w: &I18n, d: Weekday) -> String {
    let monday = jiff::civil::date(2024, 1, 1);
    w.dates.weekday_named(monday, d.index().unsigned_abs())
}

/// Weekdays as a recurring habit: "Mondays", "Tuesdays and Thursdays".
pub fn weekdays(w: &I18n, days: &[Weekday]) -> String {
    let names: Vec<String> = days.iter().map(|d| weekly(w, *d)).collect();
    list(w, &names)
}

fn weekly(w: &I18n, d: Weekday) -> String {
    say(w, "facts_weekly", &[("weekday", &weekday(w, d))])
}

/// A weekly due rule: "Mondays at 11:59 PM".
pub fn due_rule(w: &I18n, day: Weekday, minutes: u16) -> String {
    say(
        w,
        "facts_date_at",
        &[("date", &weekly(w, day)), ("time", &time(w, minutes))],
    )
}

/// Items in a sentence: "a", "a and b", "a, b and c".
pub fn list(w: &I18n, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => say(w, "facts_and", &[("a", &init.join(", ")), ("b", last)]),
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

    fn lang(tag: &str, hour12: Option<bool>) -> I18n {
        I18n::new(tag, Default::default(), hour12)
    }

    #[test]
    fn english_reads_as_english() {
        let en = lang("en", Some(true));
        assert_eq!(list(&en, &[]), "");
        assert_eq!(list(&en, &["a".into()]), "a");
        assert_eq!(
            list(&en, &["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(
            weekdays(&en, &[Weekday::Tue, Weekday::Thu]),
            "Tuesdays and Thursdays"
        );
        let d = jiff::civil::date(2026, 3, 16);
        assert_eq!(span(&en, d, d), "Mon, Mar 16");
        assert_eq!(
            span(&en, d, jiff::civil::date(2026, 3, 22)),
            "Mon, Mar 16 – Sun, Mar 22"
        );
        assert_eq!(
            due_rule(&en, Weekday::Mon, 23 * 60 + 59),
            "Mondays at 11:59\u{202f}PM"
        );
        let h24 = lang("en", Some(false));
        assert_eq!(date_at(&h24, d, 23 * 60 + 59), "Mon, Mar 16 at 23:59");
        assert_eq!(with_detail("Lab", ""), "Lab");
    }

    // A language without the words falls back to English, marked for the page; the course's
    // own words inside stay marked as the course's; a stray mark cannot unbalance the spans.
    #[test]
    fn english_fallback_words_are_marked() {
        let sv = lang("sv", None);
        let text = due_rule(&sv, Weekday::Mon, 9 * 60);
        assert_eq!(
            marks_to_html(&text, "sv"),
            "<span lang=\"en\"><span lang=\"sv\"><span lang=\"en\"><span lang=\"sv\">måndag</span>s</span></span> at <span lang=\"sv\">09:00</span></span>"
        );
        assert_eq!(
            marks_to_html("a\u{e003}b\u{e001}c", "sv"),
            "ab<span lang=\"en\">c</span>"
        );
        let de = lang("de", None);
        assert_eq!(
            marks_to_html(&due_rule(&de, Weekday::Mon, 9 * 60), "de"),
            "jeden Montag um 09:00"
        );
    }

    #[test]
    fn other_languages_word_facts_their_way() {
        let de = lang("de", None);
        assert_eq!(
            weekdays(&de, &[Weekday::Tue, Weekday::Thu]),
            "jeden Dienstag und jeden Donnerstag"
        );
        assert_eq!(
            due_rule(&de, Weekday::Fri, 17 * 60),
            "jeden Freitag um 17:00"
        );
        let fr = lang("fr", None);
        assert_eq!(
            list(&fr, &["a".into(), "b".into(), "c".into()]),
            "a, b et c"
        );
        assert_eq!(due_rule(&fr, Weekday::Mon, 9 * 60), "chaque lundi à 09:00");
    }
}
