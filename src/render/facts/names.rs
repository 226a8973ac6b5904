//! The month and weekday names a page written in the course's language may type, as CLDR writes
//! them (ICU4X's compiled data: `März`, `mars`, `marzo`, `Montag`, `lundi`), and whether the
//! language writes a numeric date day first (`20.03.2026`, `20/03/2026`). English names are
//! not here: forms.rs always knows them (capitalized, as English prose writes them). Chinese,
//! Japanese and Korean dates (`3月20日`) are written with digits around one sign and are not
//! looked for.

use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{E, M, MD, YMD};
use icu_locale_core::Locale;
use unicode_normalization::UnicodeNormalization;

use crate::load::term::Weekday;

/// The names of one language, lowercased.
#[derive(Debug, Default)]
pub struct Names {
    /// A month's name or abbreviation → its number (1–12).
    months: Vec<(String, i8)>,
    /// A weekday's name or abbreviation (three letters or more) → the day.
    weekdays: Vec<(String, Weekday)>,
    /// Whether `20/03` and `20.03.2026` mean the 20th of March.
    pub day_first: bool,
}

impl Names {
    /// The names of `language` (a BCP 47 tag). English has no names here but may write dates
    /// day first (`en-GB`); Chinese, Japanese and Korean, a tag that does not read, or a
    /// language CLDR does not know: no names, month first.
    pub fn of(language: &str) -> Names {
        let lower = language.to_ascii_lowercase();
        let is = |l: &str| lower == l || lower.starts_with(&format!("{l}-"));
        let Ok(locale) = language.replace('_', "-").parse::<Locale>() else {
            return Names::default();
        };
        if ["zh", "ja", "ko"].into_iter().any(is) {
            return Names::default();
        }
        let mut names = match is("en") {
            true => Names::default(),
            false => read(&locale).unwrap_or_default(),
        };
        names.day_first = day_first(&locale).unwrap_or(false);
        names
    }

    /// Whether the language has names here (it is not English, nor written in CJK).
    pub fn has_names(&self) -> bool {
        !self.months.is_empty()
    }

    /// The month `word` names, if it is a month's name or abbreviation of the language (any
    /// letter case).
    pub fn month(&self, word: &str) -> Option<i8> {
        if self.months.is_empty() {
            return None;
        }
        let w = fold(word);
        self.months.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
    }

    /// The weekday `word` names: a weekday's name or abbreviation, or the name with `s`
    /// (German `montags`).
    pub fn weekday(&self, word: &str) -> Option<Weekday> {
        if self.weekdays.is_empty() {
            return None;
        }
        let w = fold(word);
        let bare = w.strip_suffix('s').unwrap_or(&w);
        self.weekdays
            .iter()
            .find(|(n, _)| *n == w || *n == bare)
            .map(|&(_, d)| d)
    }
}

/// A word as names are compared: NFC, lowercase.
fn fold(word: &str) -> String {
    word.nfc().collect::<String>().to_lowercase()
}

fn read(locale: &Locale) -> Option<Names> {
    let prefs = locale.into();
    let mut names = Names::default();
    let month_forms = [
        FixedCalendarDateTimeFormatter::<Gregorian, M>::try_new(prefs, M::long()).ok()?,
        FixedCalendarDateTimeFormatter::<Gregorian, M>::try_new(prefs, M::medium()).ok()?,
    ];
    let in_dates = [
        FixedCalendarDateTimeFormatter::<Gregorian, MD>::try_new(prefs, MD::long()).ok()?,
        FixedCalendarDateTimeFormatter::<Gregorian, MD>::try_new(prefs, MD::medium()).ok()?,
    ];
    for month in 1..=12u8 {
        let date = Date::try_new_gregorian(2026, month, 15).ok()?;
        let shown = month_forms
            .iter()
            .map(|f| f.format(&date).to_string())
            .chain(in_dates.iter().map(|f| f.format(&date).to_string()));
        for text in shown {
            for word in words(&text) {
                add(&mut names.months, word, month as i8);
            }
        }
    }
    let weekday_forms = [
        FixedCalendarDateTimeFormatter::<Gregorian, E>::try_new(prefs, E::long()).ok()?,
        FixedCalendarDateTimeFormatter::<Gregorian, E>::try_new(prefs, E::short()).ok()?,
    ];
    // 2026-03-16 is a Monday.
    for (k, day) in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .into_iter()
        .enumerate()
    {
        let date = Date::try_new_gregorian(2026, 3, 16 + k as u8).ok()?;
        let day = Weekday::parse(day)?;
        for f in &weekday_forms {
            for word in words(&f.format(&date).to_string()) {
                add(&mut names.weekdays, word, day);
            }
        }
    }
    Some(names)
}

/// Whether the language's short numeric date puts the day before the month: the 27th of March
/// 2026 as `27.03.26` or `27/03/2026`, not `3/27/26` or `2026/03/27`.
fn day_first(locale: &Locale) -> Option<bool> {
    let short =
        FixedCalendarDateTimeFormatter::<Gregorian, YMD>::try_new(locale.into(), YMD::short());
    let shown = short
        .ok()?
        .format(&Date::try_new_gregorian(2026, 3, 27).ok()?)
        .to_string();
    Some(matches!((shown.find("27"), shown.find('3')), (Some(d), Some(m)) if d < m))
}

/// The words of a formatted date that may be names: runs of letters of three letters or more
/// (`März` in `15. März`; not `de` in `15 de marzo`).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

fn add<T: Copy + PartialEq>(list: &mut Vec<(String, T)>, word: &str, value: T) {
    let w = fold(word);
    if !list.iter().any(|(n, _)| *n == w) {
        list.push((w, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cldr_names_and_order_of_some_languages() {
        let de = Names::of("de");
        assert_eq!(de.month("März"), Some(3));
        assert_eq!(de.month("märz"), Some(3));
        assert_eq!(de.month("Dezember"), Some(12));
        assert_eq!(de.weekday("Montag"), Some(Weekday::Mon));
        assert_eq!(de.weekday("montags"), Some(Weekday::Mon));
        assert!(de.day_first);
        let fr = Names::of("fr-FR");
        assert_eq!(fr.month("mars"), Some(3));
        assert_eq!(fr.month("février"), Some(2));
        assert_eq!(fr.weekday("jeudi"), Some(Weekday::Thu));
        assert!(fr.day_first);
        let es = Names::of("es");
        assert_eq!(es.month("marzo"), Some(3));
        assert_eq!(es.weekday("miércoles"), Some(Weekday::Wed));
        assert_eq!(es.month("de"), None);
        let tr = Names::of("tr");
        assert_eq!(tr.month("Mart"), Some(3));
        assert!(tr.day_first);
        for none in ["en", "en-US", "ja", "zh-Hans", "not a tag!"] {
            let n = Names::of(none);
            assert_eq!((n.month("March"), n.day_first), (None, false), "{none}");
        }
        let gb = Names::of("en-GB");
        assert_eq!((gb.month("March"), gb.day_first), (None, true));
    }
}
