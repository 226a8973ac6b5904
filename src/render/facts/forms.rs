//! The forms in which prose types a term fact by hand: dates (`3/20`, `March 20`, `20 March`,
//! `2026-03-02`, with or without a weekday or year) and weekday phrases (`Mondays at 11AM`,
//! `due on Monday night`). [`scan`] finds them in one pass over a run of prose, looking at
//! most a few words ahead of each word, so its time is linear in the text.
//!
//! What is not a date: a ratio or version (`3/4 of the grade`, `Python 3/4`, `3.20`), a year
//! (`Vaswani et al., 2017`), a month and year (`March 2019`). A slashed date counts only after a
//! word that introduces a date (`due 3/20`, `on 3/20`, `Fri 3/20`) or with its year (`3/20/2026`).

use std::ops::Range;

use super::names::Names;
use crate::load::term::Weekday;
use dates::date_at;
use weekdays::weekday_at;

mod dates;
mod weekdays;

/// A fact typed by hand, at a byte range of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// A date: month, day and, if written, the year.
    Date {
        /// Where it is written (a weekday before it included).
        span: Range<usize>,
        /// 1 to 12.
        month: i8,
        /// 1 to 31.
        day: i8,
        /// The year, if written.
        year: Option<i16>,
    },
    /// A weekday with a time of day after it or `due` before it.
    Weekday {
        /// Where it is written (through the time).
        span: Range<usize>,
        /// Which day.
        day: Weekday,
        /// Whether a time of day (`11AM`, `13:30`, `night`) follows it.
        timed: bool,
        /// Whether `due` comes shortly before it.
        due: bool,
    },
}

impl Typed {
    /// Where it is written.
    pub fn span(&self) -> Range<usize> {
        match self {
            Typed::Date { span, .. } | Typed::Weekday { span, .. } => span.clone(),
        }
    }
}

/// A word: a run of letters and digits (any script: `März`, `miércoles`).
struct Tok<'a> {
    s: &'a str,
    start: usize,
    end: usize,
}

struct Text<'a> {
    text: &'a str,
    toks: Vec<Tok<'a>>,
    /// The course language's month and weekday names, and its order of numeric dates.
    names: &'a Names,
}

impl<'a> Text<'a> {
    fn new(text: &'a str, names: &'a Names) -> Self {
        let mut toks = Vec::new();
        let mut start = None;
        for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric() && at < text.len(), start) {
                (true, None) => start = Some(at),
                (false, Some(from)) => {
                    toks.push(Tok {
                        s: &text[from..at],
                        start: from,
                        end: at,
                    });
                    start = None;
                }
                _ => {}
            }
        }
        Text { text, toks, names }
    }

    /// The month word `s` names: in English (capitalized) or in the course's language.
    fn month(&self, s: &str) -> Option<i8> {
        month_of(s).or_else(|| self.names.month(s))
    }

    /// The weekday word `s` names: in English or in the course's language.
    fn weekday(&self, s: &str) -> Option<Weekday> {
        weekday_of(s).or_else(|| self.names.weekday(s))
    }

    fn tok(&self, i: usize) -> Option<&Tok<'a>> {
        self.toks.get(i)
    }

    /// The text between word `i - 1` and word `i`.
    fn gap(&self, i: usize) -> Option<&'a str> {
        let prev = self.toks.get(i.checked_sub(1)?)?;
        Some(&self.text[prev.end..self.toks.get(i)?.start])
    }

    fn byte_before(&self, i: usize) -> Option<u8> {
        let at = self.toks.get(i)?.start;
        at.checked_sub(1).map(|k| self.text.as_bytes()[k])
    }

    fn byte_after(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(self.toks.get(i)?.end).copied()
    }
}

/// Every hand-typed fact in `text`, in order; dates and weekdays in English or, with `names`,
/// in the course's language.
pub fn scan(text: &str, names: &Names) -> Vec<Typed> {
    let t = Text::new(text, names);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.toks.len() {
        if let Some((last, found)) = date_at(&t, i) {
            out.push(found);
            i = last + 1;
        } else if let Some((last, found)) = weekday_at(&t, i) {
            out.push(found);
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn digits(s: &str, max: usize) -> Option<i16> {
    (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A day of the month: `20`, `20th`, `1st`.
fn day_of(s: &str) -> Option<i8> {
    let cut = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, suffix) = s.split_at(cut);
    let ok = matches!(suffix, "" | "st" | "nd" | "rd" | "th");
    let d = digits(num, 2)?;
    (ok && (1..=31).contains(&d)).then_some(d as i8)
}

/// A day of the month in digits only: `20`, `03`.
fn plain_day(s: &str) -> Option<i8> {
    digits(s, 2).and_then(|_| day_of(s))
}

/// A month's name as prose writes it (capitalized; `May` only in full).
fn month_of(s: &str) -> Option<i8> {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const SHORT: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let k = NAMES
        .iter()
        .position(|n| *n == s)
        .or_else(|| SHORT.iter().position(|n| *n == s))
        .or_else(|| (s == "Sept").then_some(8))?;
    Some(k as i8 + 1)
}

/// A weekday's name: in full (`Monday`, `mondays`) or, capitalized, short (`Mon`, `Thurs`).
fn weekday_of(s: &str) -> Option<Weekday> {
    let lower = s.to_ascii_lowercase();
    let full = lower.strip_suffix('s').unwrap_or(&lower);
    if full.ends_with("day") && full.len() > 5 {
        return Weekday::parse(full);
    }
    const SHORT: [(&str, &str); 9] = [
        ("Mon", "mon"),
        ("Tue", "tue"),
        ("Tues", "tue"),
        ("Wed", "wed"),
        ("Thu", "thu"),
        ("Thur", "thu"),
        ("Thurs", "thu"),
        ("Fri", "fri"),
        ("Sat", "sat"),
    ];
    SHORT
        .iter()
        .find(|(w, _)| *w == s)
        .and_then(|(_, d)| Weekday::parse(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each hit as (its text, what it is).
    fn hits(text: &str) -> Vec<(String, String)> {
        hits_in(text, &Names::default())
    }

    /// Each hit as (its text, what it is), in a course written in another language.
    fn hits_in(text: &str, names: &Names) -> Vec<(String, String)> {
        scan(text, names)
            .into_iter()
            .map(|f| {
                let what = match &f {
                    Typed::Date {
                        month, day, year, ..
                    } => format!("{month}/{day}/{year:?}"),
                    Typed::Weekday {
                        day, timed, due, ..
                    } => format!("{} timed={timed} due={due}", day.short()),
                };
                (text[f.span()].to_string(), what)
            })
            .collect()
    }

    fn one(text: &str) -> String {
        let h = hits(text);
        assert_eq!(h.len(), 1, "{text}: {h:?}");
        format!("{} => {}", h[0].0, h[0].1)
    }

    #[test]
    fn dates_in_common_forms_are_found() {
        assert_eq!(one("Due 3/20 at noon"), "3/20 => 3/20/None");
        assert_eq!(one("on 03/20/2026."), "03/20/2026 => 3/20/Some(2026)");
        assert_eq!(one("the 3/20/26 deadline"), "3/20/26 => 3/20/Some(2026)");
        assert_eq!(one("by March 20, come"), "March 20 => 3/20/None");
        assert_eq!(one("Mar. 2nd"), "Mar. 2nd => 3/2/None");
        assert_eq!(
            one("on March 20, 2026 we"),
            "March 20, 2026 => 3/20/Some(2026)"
        );
        assert_eq!(one("on 20 March 2026"), "20 March 2026 => 3/20/Some(2026)");
        assert_eq!(one("the 20th of March"), "20th of March => 3/20/None");
        assert_eq!(one("(2026-03-02)"), "2026-03-02 => 3/2/Some(2026)");
        assert_eq!(one("Monday, March 2 is"), "Monday, March 2 => 3/2/None");
        assert_eq!(one("Fri 3/20"), "Fri 3/20 => 3/20/None");
        assert_eq!(one("Sept 9"), "Sept 9 => 9/9/None");
    }

    #[test]
    fn neighbours_of_dates_are_not() {
        for text in [
            "Python 3/4 and 2/3 of the class",
            "3/4 of the grade; a 16/9 screen; 1/2 cup; one of 1/3",
            "version 3.20 and 3.2.1, ratio 3:20",
            "(Vaswani et al., 2017) and Smith 2019",
            "in March 2019 and May 2020",
            "you may 2 or 3 times; march 20 steps",
            "file 2026-03-02-notes.md and v2026-03-02",
            "0.0.0.0/0 and 10.0.0.1/24 and https://x.org/3/20/",
            "February 30 and 13/20 are no dates",
            "$5/10 and 5-10 March",
        ] {
            assert_eq!(hits(text), Vec::<(String, String)>::new(), "{text}");
        }
    }

    #[test]
    fn weekday_phrases_with_a_time_or_due_are_found() {
        assert_eq!(
            one("We meet on Mondays at 11AM."),
            "Mondays at 11AM => mon timed=true due=false"
        );
        assert_eq!(
            one("due on Monday night"),
            "Monday night => mon timed=true due=true"
        );
        assert_eq!(
            one("Labs are due Monday."),
            "Monday => mon timed=false due=true"
        );
        assert_eq!(one("Tue 9:30am"), "Tue 9:30am => tue timed=true due=false");
        assert_eq!(
            one("Thursdays, 2 p.m."),
            "Thursdays, 2 p.m => thu timed=true due=false"
        );
        assert_eq!(
            one("Fridays at 17:00"),
            "Fridays at 17:00 => fri timed=true due=false"
        );
        assert_eq!(
            one("Tuesdays at 2:15 PM."),
            "Tuesdays at 2:15 PM => tue timed=true due=false"
        );
    }

    #[test]
    fn weekdays_without_a_time_or_due_are_not() {
        for text in [
            "Monday is a holiday. At 11 we start",
            "Mondays are busy; the 11 labs",
            "The Monday schedule",
            "due. Monday at 3",
            "Mon 5 of them",
        ] {
            let found = hits(text);
            assert!(
                found.iter().all(|(s, _)| s != "Monday" && s != "Mondays"),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn dates_and_times_in_the_course_language_are_found() {
        let (de, fr, es, gb) = (
            Names::of("de"),
            Names::of("fr"),
            Names::of("es"),
            Names::of("en-GB"),
        );
        let found = |text: &str, names: &Names| {
            hits_in(text, names)
                .into_iter()
                .map(|(s, w)| format!("{s} => {w}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found(
                "Abgabe bis 20. März, Klausur am 2.4. und am 20.03.2026",
                &de
            ),
            [
                "20. März => 3/20/None",
                "2.4 => 4/2/None",
                "20.03.2026 => 3/20/Some(2026)"
            ]
        );
        assert_eq!(
            found(
                "Vorlesung montags um 11 Uhr; Übung Dienstag, 17. März 2026",
                &de
            ),
            [
                "montags um 11 Uhr => mon timed=true due=false",
                "Dienstag, 17. März 2026 => 3/17/Some(2026)"
            ]
        );
        assert_eq!(
            found(
                "rendu le 20 mars ; cours le lundi à 11h30 et le jeudi à 14 h",
                &fr
            ),
            [
                "20 mars => 3/20/None",
                "lundi à 11h30 => mon timed=true due=false",
                "jeudi à 14 h => thu timed=true due=false"
            ]
        );
        assert_eq!(
            found("entrega el 20 de marzo de 2026, el 03/04", &es),
            [
                "20 de marzo de 2026 => 3/20/Some(2026)",
                "03/04 => 4/3/None"
            ]
        );
        assert_eq!(
            found("due 20/03/2026", &gb),
            ["20/03/2026 => 3/20/Some(2026)"]
        );
    }

    #[test]
    fn neighbours_of_dates_in_other_languages_are_not() {
        let de = Names::of("de");
        for text in [
            "Python 3.11.2 und Version 1.2.3, Kapitel 2.4 und 20.3",
            "IP 10.03.2026.1 und im März 2026",
            "So geht es; Do it now; zu 3/4 der Zeit",
        ] {
            assert_eq!(hits_in(text, &de), Vec::<(String, String)>::new(), "{text}");
        }
        // English prose keeps English rules: `am` introduces no date, `20.03.` is none.
        assert_eq!(
            hits("I am 3/4 done by 20.03.2026"),
            Vec::<(String, String)>::new()
        );
    }

    #[test]
    fn a_long_page_of_near_misses_takes_linear_time() {
        // Four times the text takes about four times as long (quadratic work would take 16):
        // the fastest of three runs of each, so a loaded machine does not decide.
        let de = Names::of("de");
        let fastest = |n: usize| {
            let text = "Monday 3/ März due 2026-03- 20. of 1.2. ".repeat(n);
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    assert!(scan(&text, &de).is_empty());
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let (small, large) = (fastest(2_000), fastest(8_000));
        assert!(large < small * 8.0, "{small:.4} s then {large:.4} s");
    }
}
