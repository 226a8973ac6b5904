//! Highlighting blocks line by line, with a memo of lines seen before.

use std::rc::Rc;

use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp};
use syntect::util::LinesWithEndings;

use super::cache::{CodeCache, CodeMap, Highlighted};
use super::{Schemes, find, is_plain, syntaxes};

/// The maps of highlighting's inner loops (lines, scope stacks) hash with FxHash: SipHash's
/// resistance to chosen keys buys nothing here (the keys are the course's own code), and it
/// was 1.3 % of a cold build's instructions (medium benchmark course, bench/README.md).
type Map<K, V> = rustc_hash::FxHashMap<K, V>;
type Set<T> = rustc_hash::FxHashSet<T>;

/// Highlights every block at once, spread over all cores block by block (a site's code is
/// often in a few long pages, which page-by-page work would leave to one core); blocks in
/// `kept` (an earlier build's) are taken from there. Each thread's memo of lines is emptied
/// afterwards: a one-shot build needs the memory for its pages.
pub fn highlight_all<'a>(
    schemes: &'a Schemes,
    blocks: &[&(String, String)],
    kept: Option<&CodeCache>,
) -> Highlighted<'a> {
    use rayon::prelude::*;
    let mut seen = std::collections::HashSet::new();
    let mut reused = CodeMap::new();
    let mut todo: Vec<(u128, &str, &str)> = Vec::new();
    for (lang, code) in blocks {
        if is_plain(lang) {
            continue;
        }
        let k = key(schemes, lang, code);
        if !seen.insert(k) {
            continue;
        }
        // A block highlighted by an earlier rebuild of this process.
        match kept.and_then(|c| crate::base::memo::lock(&c.used).get(&k).cloned()) {
            Some(html) => {
                reused.insert(k, html);
            }
            None => todo.push((k, lang.as_str(), code.as_str())),
        }
    }
    // Blocks highlighted by an earlier build, when reading them pays.
    let code_bytes = todo.iter().map(|(_, _, code)| code.len() as u64).sum();
    if let Some(c) = kept.filter(|c| c.worth_reading(code_bytes)) {
        let previous = c.previous();
        todo.retain(|(k, _, _)| match previous.get(k) {
            Some(html) => {
                reused.insert(*k, html.clone());
                false
            }
            None => true,
        });
    }
    let repeated = repeated_lines(&todo);
    // Longest first, so that no core is left with one big block at the end.
    todo.sort_by_key(|(_, _, code)| std::cmp::Reverse(code.len()));
    let mut done: CodeMap = todo
        .into_par_iter()
        .with_max_len(1)
        .map(|(k, lang, code)| {
            (
                k,
                highlight_now(schemes, lang, code, Some(&repeated)).map(std::sync::Arc::from),
            )
        })
        .collect();
    rayon::broadcast(|_| LINES.with(|memo| drop(memo.take())));
    done.extend(reused);
    if let Some(c) = kept {
        crate::base::memo::lock(&c.used).extend(done.iter().map(|(k, v)| (*k, v.clone())));
    }
    Highlighted {
        schemes,
        code: done,
    }
}

/// A block's key: what its HTML is made from.
pub(super) fn key(schemes: &Schemes, lang: &str, code: &str) -> u128 {
    crate::base::memo::key_of(&(schemes.names(), lang, code))
}

/// Highlighted HTML (the inside of `<code>`) for `code` in `lang`; `None` for an unknown language.
pub fn highlight(schemes: &Schemes, lang: &str, code: &str) -> Option<String> {
    if is_plain(lang) {
        return None;
    }
    highlight_now(schemes, lang, code, None)
}

/// The code lines that occur more than once among the blocks of `todo`: only these are worth
/// keeping in the memo of lines (a line kept costs a copy of two parser states and of the line,
/// and most code lines of a course occur once).
fn repeated_lines<'a>(todo: &[(u128, &str, &'a str)]) -> Set<&'a str> {
    let mut once = Set::default();
    let mut again = Set::default();
    for (_, _, code) in todo {
        for line in LinesWithEndings::from(code) {
            if !once.insert(line) {
                again.insert(line);
            }
        }
    }
    again
}

/// `code` highlighted in `lang` (`None`: an unknown language, or the syntax failed on it), with
/// the memo of lines kept for the lines in `repeated` (for all lines if `None`).
pub(super) fn highlight_now(
    schemes: &Schemes,
    lang: &str,
    code: &str,
    repeated: Option<&Set<&str>>,
) -> Option<String> {
    let syntax = find(lang)?;
    // Lines are remembered by the schemes' names (not their address: schemes are made anew
    // for each build) and by syntax (the syntax set is loaded once and never changes).
    let scheme_id = crate::base::memo::key_of(&schemes.names());
    LINES.with(|memo| {
        let mut memo = memo.borrow_mut();
        let memo = &mut *memo;
        if memo.bytes > MEMO_BYTES {
            *memo = LineMemo::default();
        }
        let lines = memo
            .by_syntax
            .entry((scheme_id, std::ptr::from_ref(syntax) as usize))
            .or_default();
        let mut now = LineState {
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        };
        let mut html = String::with_capacity(code.len() * 2);
        for line in LinesWithEndings::from(code) {
            let kept = repeated.is_none_or(|r| r.contains(line));
            let seen = kept
                .then(|| lines.get(line))
                .flatten()
                .and_then(|all| all.iter().find(|e| e.before == now));
            if let Some(e) = seen {
                html.push_str(&e.html);
                now.clone_from(&e.after);
                continue;
            }
            let before = kept.then(|| now.clone());
            // An error here means a syntax definition failed on this input: show it plain.
            let ops = now.parse.parse_line(line, syntaxes()).ok()?;
            let start = html.len();
            let classes = memo.classes.entry(scheme_id).or_default();
            line_html(schemes, classes, &mut now.scopes, line, &ops, &mut html)?;
            if let Some(before) = before {
                let parsed = Parsed {
                    before,
                    html: html[start..].into(),
                    after: now.clone(),
                };
                memo.bytes += remember(lines, line, parsed);
            }
        }
        Some(html)
    })
}

/// Keeps `parsed` as what `line` gives from its state, unless the line is kept from as many
/// states already. Returns the bytes it took (approximately).
fn remember(lines: &mut Map<Box<str>, Vec<Parsed>>, line: &str, parsed: Parsed) -> usize {
    // The line is copied into the memo only the first time it is seen.
    let all = match lines.get_mut(line) {
        Some(all) => all,
        None => lines.entry(line.into()).or_default(),
    };
    if all.len() >= MEMO_STATES_PER_LINE {
        return 0;
    }
    let bytes = 2 * line.len() + parsed.html.len() + MEMO_ENTRY_BYTES;
    all.push(parsed);
    bytes
}

/// The HTML of one parsed line: runs of text with the same colours in both schemes, each in
/// one `<span>` (none for plain text). `None` if the syntax's operations do not fit its own
/// scope stack (a broken syntax definition: the block is then shown plain).
fn line_html(
    schemes: &Schemes,
    classes: &mut Map<Vec<Scope>, Rc<str>>,
    scopes: &mut ScopeStack,
    line: &str,
    ops: &[(usize, ScopeStackOp)],
    out: &mut String,
) -> Option<()> {
    let mut run_class: Rc<str> = "".into();
    let mut run_start = 0;
    let mut at = 0;
    for (pos, op) in ops
        .iter()
        .map(|(p, op)| (*p, Some(op)))
        .chain([(line.len(), None)])
    {
        let pos = pos.min(line.len());
        if pos > at {
            let class = match classes.get(scopes.scopes.as_slice()) {
                Some(c) => c,
                None => classes
                    .entry(scopes.scopes.clone())
                    .or_insert_with(|| schemes.classes(&scopes.scopes)),
            };
            if !Rc::ptr_eq(class, &run_class) && **class != *run_class {
                push_run(out, &run_class, &line[run_start..at]);
                run_class = class.clone();
                run_start = at;
            }
            at = pos;
        }
        if let Some(op) = op {
            scopes.apply(op).ok()?;
        }
    }
    push_run(out, &run_class, &line[run_start..at]);
    Some(())
}

fn push_run(out: &mut String, class: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    if !class.is_empty() {
        out.push_str("<span class=\"");
        out.push_str(&class[1..]);
        out.push_str("\">");
    }
    // Escaped by runs: the text between two special characters is copied at once.
    let mut rest = text;
    while let Some(i) = rest.find(['&', '<', '>']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    if !class.is_empty() {
        out.push_str("</span>");
    }
}

/// Where the highlighter is at the start of a line: what the same line will produce depends
/// on this and on nothing else.
#[derive(Clone, PartialEq, Eq)]
struct LineState {
    parse: ParseState,
    scopes: ScopeStack,
}

/// A line highlighted once, from one state.
struct Parsed {
    before: LineState,
    html: Box<str>,
    after: LineState,
}

/// Lines already highlighted on this thread, by colour schemes, syntax and text. Code repeats
/// within a course (imports, blank lines, boilerplate, the same command in many labs); a line
/// seen again in the same state gives the same HTML and the same next state, so it is not
/// parsed again. Parsing is syntect's cost (regex matching, tens of microseconds a line); a
/// hit costs a hash lookup.
#[derive(Default)]
struct LineMemo {
    /// The classes of each scope stack seen, by colour schemes.
    classes: Map<u128, Map<Vec<Scope>, Rc<str>>>,
    by_syntax: Map<(u128, usize), Map<Box<str>, Vec<Parsed>>>,
    bytes: usize,
}

/// The memo's size limit per thread (approximate), after which it starts again empty.
const MEMO_BYTES: usize = 96 << 20;
/// A guess at the size of an entry's two states.
const MEMO_ENTRY_BYTES: usize = 1024;
/// States kept per line (a blank line can occur in many).
const MEMO_STATES_PER_LINE: usize = 8;

thread_local! {
    static LINES: std::cell::RefCell<LineMemo> = std::cell::RefCell::new(LineMemo::default());
}
