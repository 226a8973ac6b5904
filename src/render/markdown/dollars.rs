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

/// Math that pulldown-cmark leaves as text because its braces do not balance (it reads a `$`
/// span as math only when they do): `$\frac{1}{$`, or a `$$` block with a `{` never closed.
/// Returned as (offset in `text` of the opening `$`, the span as written), for a `check`
/// warning: the page shows the dollars and the TeX as they are.
pub fn unread_math(text: &str, events: &[(Event, Range<usize>)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut run: Option<Range<usize>> = None;
    let mut in_code = false;
    for (e, r) in events {
        match e {
            Event::Start(pulldown_cmark::Tag::CodeBlock(_)) => in_code = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        if !in_code && matches!(e, Event::Text(_) | Event::SoftBreak | Event::HardBreak) {
            run = Some(run.map_or(r.clone(), |p| p.start..r.end.max(p.end)));
            continue;
        }
        if let Some(run) = run.take() {
            unread_in(text, run, &mut out);
        }
    }
    if let Some(run) = run {
        unread_in(text, run, &mut out);
    }
    out
}

/// The `$…$` and `$$…$$` spans of `text[run]` whose braces do not balance.
fn unread_in(text: &str, run: Range<usize>, out: &mut Vec<(usize, String)>) {
    let Some(s) = text.get(run.clone()) else {
        return;
    };
    let b = s.as_bytes();
    let mut i = 0;
    // Once no `$$` is left after some point, none is after a later one: linear time.
    let mut no_more_fences = false;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let fence = if b.get(i + 1) == Some(&b'$') { 2 } else { 1 };
        let open = i + fence;
        let close = if fence == 2 {
            let found = (!no_more_fences)
                .then(|| s[open..].find("$$").map(|k| open + k))
                .flatten();
            no_more_fences = found.is_none();
            found
        } else if b.get(open).is_some_and(|c| !c.is_ascii_whitespace()) {
            s[open..].find('$').map(|k| open + k)
        } else {
            None
        };
        let Some(close) = close else {
            i = open;
            continue;
        };
        if !balanced(&s[open..close]) {
            let span = s[i..close + fence]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push((run.start + i, span));
        }
        i = close + fence;
    }
}

/// Whether the `{` and `}` of some TeX pair up (`\{` and `\}` are literal braces).
fn balanced(tex: &str) -> bool {
    let mut depth: i64 = 0;
    let mut chars = tex.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn unread(md: &str) -> Vec<(usize, String)> {
        let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_MATH)
            .into_offset_iter()
            .collect();
        unread_math(md, &events)
    }

    #[test]
    fn math_with_unbalanced_braces_is_found() {
        assert_eq!(
            unread("A $\\frac{1}{$ and $x^{$ here."),
            [(2, "$\\frac{1}{$".to_string()), (18, "$x^{$".to_string())]
        );
        assert_eq!(
            unread("Text\n\n$$\n\\frac{1}{2\n$$\n"),
            [(6, "$$ \\frac{1}{2 $$".to_string())]
        );
        // Read as math, money, an escaped dollar, literal braces, code: nothing to say.
        assert!(unread("$\\frac{1}{2}$, $5 and $10, \\$x{$, $\\{a$, `$x{$`.").is_empty());
        assert!(unread("```hcl\nname = \"a-${var.x}\"\nb = \"$\"\n```\n\n    ${x} $\n").is_empty());
    }

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
