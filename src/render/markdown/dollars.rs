//! Dollar signs as Pandoc reads them. pulldown-cmark opens inline math at a `$` followed by a
//! non-space and closes it at a `$` preceded by one, but it does not have Pandoc's third rule:
//! a closing `$` must not be followed by a digit. Without it `between $5-$10 per hour` is
//! math. The pages are parsed, the spans that break the rule are found, their opening `$` is
//! escaped in the text to parse (see [`super::source`]) and the page is parsed again.

use std::ops::Range;

use pulldown_cmark::Event;

/// Offsets (in the parsed `text`) of the `$` opening each inline math span that Pandoc would
/// not read as math: its closing `$` is followed by a digit (`$5-$10`, `($5) or ($10)`).
pub fn false_openers(text: &str, events: &[(Event, Range<usize>)]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|(e, r)| match e {
            Event::InlineMath(_)
                if text.as_bytes().get(r.start) == Some(&b'$')
                    && text.as_bytes().get(r.end).is_some_and(u8::is_ascii_digit) =>
            {
                Some(r.start)
            }
            _ => None,
        })
        .collect()
}

/// Whether inline math read by the rules above still looks like prose about money: it starts
/// with a number and either holds a word of prose (`$5 per hour or US$`) or ends the way an
/// amount in a sentence does (`$5-$ 10`).
pub fn looks_like_currency(tex: &str) -> bool {
    let t = tex.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    if t.ends_with(['-', '/', ',', '(', '.']) {
        return true;
    }
    // A run of two or more letters between blanks (or a blank and the end) is a word of prose:
    // in TeX a product of variables is written without a blank before it.
    t.split_whitespace().skip(1).any(|w| {
        let w = w.trim_end_matches([',', '.', ';', ':', '!', '?', ')']);
        w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn openers(md: &str) -> Vec<usize> {
        let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_MATH)
            .into_offset_iter()
            .collect();
        false_openers(md, &events)
    }

    #[test]
    fn a_closing_dollar_before_a_digit_is_no_closing() {
        assert_eq!(openers("between $5-$10 per hour"), [8]);
        assert_eq!(openers("Cost ($5) or ($10)."), [6]);
        assert_eq!(openers("Either $5/$10 and US$5, US$10"), [7, 20]);
        assert!(openers("$x$ and $20 and $30, costs $5.").is_empty());
        assert!(openers("`$5-$10` in code").is_empty());
    }

    #[test]
    fn currency_looking_math_is_told_apart() {
        assert!(looks_like_currency("5 per hour or US"));
        assert!(looks_like_currency("5-"));
        assert!(looks_like_currency("20, "));
        assert!(!looks_like_currency("2x + 1"));
        assert!(!looks_like_currency("x per hour"));
        assert!(!looks_like_currency("10^{-3}"));
        assert!(!looks_like_currency("2 \\cdot x"));
    }
}
