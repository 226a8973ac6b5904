//! Weekday phrases: a weekday with a time of day a few words after it (`Mondays at 11AM`,
//! `Friday 13:30`, `Monday night`) or `due` shortly before it (`due Monday`).

use super::{Text, Typed, digits};

/// How many words after a weekday a time of day may stand (`Mondays from 11 AM`).
const TIME_REACH: usize = 4;

/// A weekday with a time after it or `due` before it, at word `i`.
pub(super) fn weekday_at(t: &Text, i: usize) -> Option<(usize, Typed)> {
    let day = t.weekday(t.tok(i)?.s)?;
    let mut last = i;
    let mut timed = false;
    for j in i + 1..=i + TIME_REACH {
        if t.gap(j).is_none_or(ends_sentence) {
            break;
        }
        if let Some(end) = time_at(t, j) {
            (last, timed) = (end, true);
            break;
        }
    }
    let due = (i.saturating_sub(3)..i).any(|k| {
        t.tok(k).is_some_and(|w| w.s.eq_ignore_ascii_case("due"))
            && (k + 1..=i).all(|g| !t.gap(g).is_some_and(ends_sentence))
    });
    if !timed && !due {
        return None;
    }
    let span = t.tok(i)?.start..t.tok(last)?.end;
    Some((
        last,
        Typed::Weekday {
            span,
            day,
            timed,
            due,
        },
    ))
}

/// Whether the text between two words ends a sentence (a weekday and a time of day on each
/// side of it are not one phrase).
fn ends_sentence(gap: &str) -> bool {
    gap.contains(['.', ';', '!', '?', '\n'])
}

/// A time of day starting at word `j`: its last word. `11AM`, `11 am`, `11 a.m.`, `13:30`,
/// `11:00pm`, `noon`, `night`.
fn time_at(t: &Text, j: usize) -> Option<usize> {
    let w = t.tok(j)?.s;
    let lower = w.to_ascii_lowercase();
    const WORDS: [&str; 7] = [
        "noon",
        "midnight",
        "night",
        "nights",
        "evening",
        "morning",
        "afternoon",
    ];
    if WORDS.contains(&lower.as_str()) {
        return Some(j);
    }
    let cut = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (num, suffix) = lower.split_at(cut);
    let hour = digits(num, 2).filter(|h| (0..=24).contains(h))?;
    let _ = hour;
    // `11AM`, and French and German `11h`, `11h30`.
    let hours_h = suffix
        .strip_prefix('h')
        .is_some_and(|m| m.is_empty() || (m.len() == 2 && digits(m, 2).is_some()));
    if matches!(suffix, "am" | "pm") || hours_h {
        return Some(j);
    }
    if !suffix.is_empty() {
        return None;
    }
    if t.gap(j + 1) == Some(":") {
        let next = t.tok(j + 1)?.s.to_ascii_lowercase();
        let minutes = next.get(..2).is_some_and(|m| digits(m, 2).is_some());
        return match next.get(2..) {
            Some("am" | "pm") if minutes => Some(j + 1),
            Some("") if minutes => Some(
                meridiem_after(t, j + 1)
                    .or_else(|| hours_after(t, j + 1))
                    .unwrap_or(j + 1),
            ),
            _ => None,
        };
    }
    meridiem_after(t, j).or_else(|| hours_after(t, j))
}

/// The word `Uhr` or `h` right after word `j` (German `11 Uhr`, French `11 h`).
fn hours_after(t: &Text, j: usize) -> Option<usize> {
    let word = t.tok(j + 1)?.s;
    let spaced = matches!(t.gap(j + 1)?, " " | "\u{a0}");
    (spaced && (word.eq_ignore_ascii_case("uhr") || word == "h")).then_some(j + 1)
}

/// The last word of ` AM`, ` pm` or ` a.m.` right after word `j`.
fn meridiem_after(t: &Text, j: usize) -> Option<usize> {
    let meridiem = t.tok(j + 1)?.s.to_ascii_lowercase();
    let spaced = matches!(t.gap(j + 1)?, " " | "\u{a0}");
    match meridiem.as_str() {
        "am" | "pm" if spaced => Some(j + 1),
        "a" | "p" if spaced && t.gap(j + 2) == Some(".") && t.tok(j + 2)?.s == "m" => Some(j + 2),
        _ => None,
    }
}
