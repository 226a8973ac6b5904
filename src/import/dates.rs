//! Dates typed by hand in a Jekyll course (`Oct 19`, `Jan. 8, 2024`, `3/20`, `2024-01-08`),
//! found line by line. The importer turns the dates of the weekly modules into a term file
//! skeleton (see `term.rs`); every date found is listed in the report.

use jiff::civil::Date;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Month, day and the year when written.
type MonthDay = (i8, i8, Option<i16>);

/// A date found at the start of a text, and how many bytes it took.
type Found = Option<(MonthDay, usize)>;

/// A date written in a text, as found: month and day, and the year when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// 1-based line in the text.
    pub line: usize,
    /// 1..=12.
    pub month: i8,
    /// 1..=31.
    pub day: i8,
    /// The year, when written.
    pub year: Option<i16>,
}

impl Written {
    /// The date in `year` when none is written; `None` for a day the month lacks (`Feb 30`).
    pub fn date(self, year: i16) -> Option<Date> {
        Date::new(self.year.unwrap_or(year), self.month, self.day).ok()
    }
}

/// Every date written in `text` (outside fenced code), in order.
pub fn find(text: &str) -> Vec<Written> {
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for (month, day, year) in in_line(line) {
            out.push(Written {
                line: i + 1,
                month,
                day,
                year,
            });
        }
    }
    out
}

/// The dates of one line: month names, `M/D[/Y]` and ISO dates.
fn in_line(line: &str) -> Vec<MonthDay> {
    let lower = line.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_word = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let found = match b[i] {
            c if starts_word && c.is_ascii_alphabetic() => month_day(&lower[i..]),
            c if starts_word && c.is_ascii_digit() && (i == 0 || b[i - 1] != b'/') => {
                numeric(&lower[i..])
            }
            _ => None,
        };
        match found {
            Some((date, used)) => {
                out.push(date);
                i += used.max(1);
            }
            None => i += 1,
        }
    }
    out
}

/// `oct 19`, `october 19th`, `jan. 8, 2024` at the start of `s` (lowercase).
fn month_day(s: &str) -> Found {
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &s[..word_len];
    let m = MONTHS.iter().position(|m| {
        word.len() >= 3
            && (word.starts_with(m)
                && (word.len() == 3 || full_name(m).starts_with(word) || word == "sept"))
    })?;
    let mut rest = &s[word_len..];
    rest = rest.strip_prefix('.').unwrap_or(rest);
    let spaces = rest.len() - rest.trim_start().len();
    if spaces == 0 {
        return None;
    }
    rest = rest.trim_start();
    let (day, used) = number(rest, 2)?;
    let mut used_total = s.len() - rest.len() + used;
    let after = &rest[used..];
    let after = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|x| after.strip_prefix(x))
        .unwrap_or(after);
    if after
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let gap = [", ", ",", " "]
        .iter()
        .find(|g| after.starts_with(**g))
        .map_or(0, |g| g.len());
    let year = number(&after[gap..], 4).filter(|(n, len)| *len == 4 && (1990..2100).contains(n));
    if let Some((_, len)) = year {
        used_total = s.len() - after.len() + gap + len;
    }
    let day = i8::try_from(day).ok().filter(|d| (1..=31).contains(d))?;
    Some((
        (m as i8 + 1, day, year.map(|(y, _)| y as i16)),
        used_total.min(s.len()),
    ))
}

fn full_name(short: &str) -> &'static str {
    match short {
        "jan" => "january",
        "feb" => "february",
        "mar" => "march",
        "apr" => "april",
        "may" => "may",
        "jun" => "june",
        "jul" => "july",
        "aug" => "august",
        "sep" => "september",
        "oct" => "october",
        "nov" => "november",
        _ => "december",
    }
}

/// `3/20`, `3/20/2024`, `3/20/24` or `2024-03-20` at the start of `s`.
fn numeric(s: &str) -> Found {
    let (first, len) = number(s, 4)?;
    let rest = &s[len..];
    if len == 4 {
        let (m, l2) = rest.strip_prefix('-').and_then(|r| number(r, 2))?;
        let (d, l3) = rest[1 + l2..]
            .strip_prefix('-')
            .and_then(|r| number(r, 2))?;
        let used = len + 2 + l2 + l3;
        let ok = s[used..].bytes().next().is_none_or(|c| !c.is_ascii_digit());
        return ok
            .then_some(((m as i8, d as i8, Some(first as i16)), used))
            .filter(|_| valid(m, d));
    }
    let (day, l2) = rest.strip_prefix('/').and_then(|r| number(r, 2))?;
    let mut used = len + 1 + l2;
    let mut year = None;
    if let Some((y, l3)) = s[used..].strip_prefix('/').and_then(|r| number(r, 4)) {
        year = match l3 {
            2 => Some(2000 + y as i16),
            4 => Some(y as i16),
            _ => return None,
        };
        used += 1 + l3;
    }
    let next = s[used..].bytes().next();
    if next.is_some_and(|c| c.is_ascii_digit() || c == b'/') || !valid(first, day) {
        return None;
    }
    Some(((first as i8, day as i8, year), used))
}

fn valid(m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// A number of at most `max` digits at the start of `s`, and its length.
fn number(s: &str, max: usize) -> Option<(u32, usize)> {
    let len = s.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > max {
        return None;
    }
    s[..len].parse().ok().map(|n| (n, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates in the forms instructors type them, and things that are not dates.
    #[test]
    fn dates_typed_by_hand_are_found() {
        let got: Vec<MonthDay> = find(
            "Oct 19\n: Lecture\nJan. 8, 2024 and September 3rd\nDue 3/20, then 12/1/24; 2024-01-08\n\
             version 1/2/3, Mayhem 12, 5/40, march on, Sept 9\n```\nJan 1\n```\n",
        )
        .into_iter()
        .map(|w| (w.month, w.day, w.year))
        .collect();
        assert_eq!(
            got,
            [
                (10, 19, None),
                (1, 8, Some(2024)),
                (9, 3, None),
                (3, 20, None),
                (12, 1, Some(2024)),
                (1, 8, Some(2024)),
                (9, 9, None),
            ]
        );
    }
}
