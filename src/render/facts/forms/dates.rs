//! The forms of a hand-typed date: ISO (`2026-03-02`), slashed (`3/20`), dotted (`20.03.`),
//! month first (`March 20`), day first (`20 March`, `20. März`), each optionally after a
//! weekday; numeric forms without a year only after a word that introduces a date.

use super::{Text, Typed, day_of, digits, plain_day};

/// `day` of `month` when it is a date of some year (February 29 included).
fn month_day(month: i16, day: i8) -> Option<(i8, i8)> {
    let m = i8::try_from(month).ok()?;
    // 2024 is a leap year: February 29 is a date.
    jiff::civil::Date::new(2024, m, day).ok()?;
    Some((m, day))
}

/// A date that starts at word `i`: (its last word, the date).
pub(super) fn date_at(t: &Text, i: usize) -> Option<(usize, Typed)> {
    let (last, month, day, year) = iso(t, i)
        .or_else(|| slashed(t, i))
        .or_else(|| dotted(t, i))
        .or_else(|| month_first(t, i))
        .or_else(|| day_first(t, i))
        .or_else(|| weekday_then_date(t, i))?;
    let start = t.tok(i)?.start;
    let span = start..t.tok(last)?.end;
    Some((
        last,
        Typed::Date {
            span,
            month,
            day,
            year,
        },
    ))
}

/// A date found: its last word, month, day and year if written.
type Found = (usize, i8, i8, Option<i16>);

/// `2026-03-02`.
fn iso(t: &Text, i: usize) -> Option<Found> {
    let year = t.tok(i)?.s;
    let y = digits(year, 4).filter(|_| year.len() == 4)?;
    let m = digits(t.tok(i + 1)?.s, 2)?;
    let d = plain_day(t.tok(i + 2)?.s)?;
    let joined = t.gap(i + 1)? == "-" && t.gap(i + 2)? == "-";
    let alone = !matches!(t.byte_before(i), Some(b'-' | b'/' | b'.'))
        && !matches!(t.byte_after(i + 2), Some(b'-' | b'/'));
    let (m, d) = month_day(m, d).filter(|_| joined && alone)?;
    Some((i + 2, m, d, Some(y)))
}

/// `3/20`, `3/20/2026`, `03/20/26`, after a word that introduces a date when without a year;
/// `20/3`, `20/03/2026` where the course's language writes the day first.
fn slashed(t: &Text, i: usize) -> Option<Found> {
    let (first, second) = (t.tok(i)?.s, t.tok(i + 1)?.s);
    let (m, d) = match t.names.day_first {
        true => (digits(second, 2)?, plain_day(first)?),
        false => (digits(first, 2)?, plain_day(second)?),
    };
    if t.gap(i + 1)? != "/" || matches!(t.byte_before(i), Some(b'/' | b'.' | b'-')) {
        return None;
    }
    let year = numeric_year(t, i + 2, "/");
    let last = if year.is_some() { i + 2 } else { i + 1 };
    if matches!(t.byte_after(last), Some(b'/' | b'-'))
        || t.byte_after(last) == Some(b'.') && t.gap(last + 1) == Some(".")
    {
        return None;
    }
    if year.is_none() && !introduces_date(t, i) {
        return None;
    }
    let (m, d) = month_day(m, d)?;
    Some((last, m, d, year))
}

/// The year of a numeric date at word `k`, after `sep`: `2026`, or `26` for 2026.
fn numeric_year(t: &Text, k: usize, sep: &str) -> Option<i16> {
    let y = t.tok(k).filter(|_| t.gap(k) == Some(sep))?;
    match y.s.len() {
        4 => digits(y.s, 4),
        2 => digits(y.s, 2).map(|y| 2000 + y),
        _ => None,
    }
}

/// `20.03.2026`, `20.3.26`, and after a word that introduces a date `20.03.`, where the
/// course's language writes the day first.
fn dotted(t: &Text, i: usize) -> Option<Found> {
    if !t.names.day_first || matches!(t.byte_before(i), Some(b'.' | b'/' | b'-')) {
        return None;
    }
    let d = plain_day(t.tok(i)?.s)?;
    let m = digits(t.tok(i + 1)?.s, 2)?;
    if t.gap(i + 1)? != "." || t.byte_after(i + 1) != Some(b'.') {
        return None;
    }
    let year = numeric_year(t, i + 2, ".");
    let last = if year.is_some() { i + 2 } else { i + 1 };
    // `1.2.3.4` is no date; `20.03.` needs its cue (`bis 20.03.`).
    let next_is_number = t.byte_after(last) == Some(b'.')
        && t.tok(last + 1)
            .is_some_and(|n| n.start == t.tok(last).map_or(0, |x| x.end) + 1);
    if next_is_number || (year.is_none() && !introduces_date(t, i)) {
        return None;
    }
    let (m, d) = month_day(m, d)?;
    Some((last, m, d, year))
}

/// Words that introduce a date in the languages of the built-in tables, read only in a course
/// of that language family (`am` is no cue in English): German, French, Spanish, Italian,
/// Portuguese, Dutch.
const OTHER_CUES: [&str; 19] = [
    "bis", "am", "ab", "vom", "le", "du", "au", "avant", "el", "del", "hasta", "il", "entro",
    "dal", "até", "em", "op", "tot", "vóór",
];

/// Whether the word before word `i` introduces a date (`due 3/20`, `on 3/20`, `Fri 3/20`).
fn introduces_date(t: &Text, i: usize) -> bool {
    const CUES: [&str; 13] = [
        "due", "on", "by", "until", "till", "before", "after", "from", "through", "thru",
        "deadline", "starting", "date",
    ];
    let Some(prev) = i.checked_sub(1).and_then(|k| t.tok(k)) else {
        return false;
    };
    let gap = t.gap(i).unwrap_or("");
    let close = gap.len() <= 3 && gap.chars().all(|c| matches!(c, ' ' | ':' | ',' | '('));
    let lower = prev.s.to_lowercase();
    let other = t.names.has_names() && OTHER_CUES.contains(&lower.as_str());
    close && (CUES.contains(&lower.as_str()) || other || t.weekday(prev.s).is_some())
}

/// The year after word `i`, if it is written (`March 20, 2026`, `20 March 2026`, Spanish and
/// Portuguese `20 de marzo de 2026`): its last word and the year.
fn year_after(t: &Text, i: usize) -> Option<(usize, i16)> {
    let k = match t.tok(i + 1)?.s {
        "de" if t.gap(i + 1)? == " " => i + 2,
        _ => i + 1,
    };
    let y = t.tok(k)?;
    let gap = t.gap(k)?;
    (y.s.len() == 4 && matches!(gap, " " | ", "))
        .then(|| digits(y.s, 4).map(|y| (k, y)))
        .flatten()
}

/// `March 20`, `Mar. 20th`, `March 20, 2026`.
fn month_first(t: &Text, i: usize) -> Option<Found> {
    let m = t.month(t.tok(i)?.s)?;
    if !matches!(t.gap(i + 1)?, " " | ". " | "." | "\u{a0}") {
        return None;
    }
    let d = day_of(t.tok(i + 1)?.s)?;
    // `March 20:30`, `Mar 3.2`: not dates.
    if matches!(t.byte_after(i + 1), Some(b':' | b'.' | b'/'))
        && t.tok(i + 2)
            .is_some_and(|n| n.start == t.tok(i + 1).map_or(0, |x| x.end) + 1)
    {
        return None;
    }
    let (m, d) = month_day(m.into(), d)?;
    match year_after(t, i + 1) {
        Some((k, y)) => Some((k, m, d, Some(y))),
        None => Some((i + 1, m, d, None)),
    }
}

/// `20 March`, `20th of March`, `20 March 2026`; in the course's language `20. März`,
/// `20 de marzo de 2026`, `20 mars`.
fn day_first(t: &Text, i: usize) -> Option<Found> {
    let d = day_of(t.tok(i)?.s)?;
    if matches!(t.byte_before(i), Some(b'.' | b'/' | b'-' | b'$')) {
        return None;
    }
    let joined = matches!(t.tok(i + 1)?.s, "of" | "de");
    let (k, gap_ok) = if joined {
        (i + 2, t.gap(i + 1)? == " " && t.gap(i + 2)? == " ")
    } else {
        let gap = t.gap(i + 1)?;
        let ordinal_dot = gap == ". " && t.names.has_names();
        (i + 1, gap == " " || gap == "\u{a0}" || ordinal_dot)
    };
    let m = t.month(t.tok(k)?.s).filter(|_| gap_ok)?;
    let (m, d) = month_day(m.into(), d)?;
    match year_after(t, k) {
        Some((last, y)) => Some((last, m, d, Some(y))),
        None => Some((k, m, d, None)),
    }
}

/// `Monday, March 2`, `Fri 3/20`: the date after a weekday, the weekday included.
fn weekday_then_date(t: &Text, i: usize) -> Option<Found> {
    t.weekday(t.tok(i)?.s)?;
    if !matches!(t.gap(i + 1)?, " " | ", " | ". ") {
        return None;
    }
    iso(t, i + 1)
        .or_else(|| slashed(t, i + 1))
        .or_else(|| dotted(t, i + 1))
        .or_else(|| month_first(t, i + 1))
        .or_else(|| day_first(t, i + 1))
}
