//! Code highlighting at build time: syntect with bat's extra syntaxes (two-face), emitting CSS
//! classes, plus one stylesheet that carries a light and a dark colour scheme.

use std::rc::Rc;
use std::sync::OnceLock;

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Languages shown plain on purpose: no warning for them.
const PLAIN: &[&str] = &[
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "none",
    "math",
];

/// Names authors write that the syntax set knows under another token.
const ALIASES: &[(&str, &str)] = &[
    ("console", "bash"),
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("shell-session", "bash"),
    ("terraform", "tf"),
    ("hcl", "hcl"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("protobuf", "proto"),
    ("proto", "proto"),
    ("makefile", "Makefile"),
    ("make", "Makefile"),
    ("py", "python"),
    ("python3", "python"),
    ("ipython", "python"),
    ("js", "javascript"),
    ("ts", "typescript"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("ini", "ini"),
    ("cfg", "ini"),
    ("conf", "ini"),
    ("nginx", "nginx"),
    ("golang", "go"),
    ("rs", "rust"),
    ("patch", "diff"),
    ("pbtxt", "proto"),
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static two_face::theme::EmbeddedLazyThemeSet {
    static SET: OnceLock<two_face::theme::EmbeddedLazyThemeSet> = OnceLock::new();
    SET.get_or_init(two_face::theme::extra)
}

/// The names of the colour schemes `markdown.highlight` accepts.
pub fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|n| n.as_name())
        .collect()
}

fn theme(name: &str) -> Option<&'static Theme> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .find(|n| n.as_name().eq_ignore_ascii_case(name))
        .map(|n| themes().get(*n))
}

/// Whether a fence language is one we show plain without complaint.
pub fn is_plain(lang: &str) -> bool {
    PLAIN.contains(&lang.to_ascii_lowercase().as_str())
}

fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lang, |(_, t)| *t);
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_name(token))
        .or_else(|| set.find_syntax_by_token(&lower))
        .or_else(|| {
            set.syntaxes()
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(lang))
        })
}

/// Whether `lang` can be highlighted.
pub fn is_known(lang: &str) -> bool {
    is_plain(lang) || find(lang).is_some()
}

/// One colour scheme for code: a syntect theme, and a short class for each colour it gives.
struct Scheme {
    name: String,
    highlighter: Highlighter<'static>,
    /// Colour and background of plain code.
    foreground: Color,
    background: Option<Color>,
    /// Every other text colour of the theme, sorted: colour `i` is class `<prefix><i>`.
    colors: Vec<Color>,
    /// `l` for the light scheme, `d` for the dark one.
    prefix: char,
}

fn rgba(c: Color) -> (u8, u8, u8, u8) {
    (c.r, c.g, c.b, c.a)
}

fn css_color(c: Color) -> String {
    if c.a == 0xFF {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

impl Scheme {
    fn new(name: &str, prefix: char) -> Option<Scheme> {
        let theme = theme(name)?;
        let foreground = theme.settings.foreground.unwrap_or(Color::BLACK);
        let mut colors: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .filter(|c| *c != foreground)
            .collect();
        colors.sort_by_key(|c| rgba(*c));
        colors.dedup();
        Some(Scheme {
            name: name.to_string(),
            highlighter: Highlighter::new(theme),
            foreground,
            background: theme.settings.background,
            colors,
            prefix,
        })
    }

    /// Appends the classes of `style` (space-separated, each preceded by a space).
    fn classes(&self, style: Style, out: &mut String) {
        use std::fmt::Write;
        if style.foreground != self.foreground
            && let Ok(i) = self
                .colors
                .binary_search_by_key(&rgba(style.foreground), |c| rgba(*c))
        {
            let _ = write!(out, " {}{i}", self.prefix);
        }
        for (flag, letter) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) {
                out.push(' ');
                out.push(self.prefix);
                out.push(letter);
            }
        }
    }

    /// The CSS rules of this scheme, each selector after `scope`.
    fn rules(&self, scope: &str, out: &mut String) {
        use std::fmt::Write;
        let background = self
            .background
            .map(|b| format!(" background-color: {};", css_color(b)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{scope}pre.code {{ color: {};{background} }}",
            css_color(self.foreground)
        );
        for (i, c) in self.colors.iter().enumerate() {
            let _ = writeln!(
                out,
                "{scope}pre.code .{}{i} {{ color: {}; }}",
                self.prefix,
                css_color(*c)
            );
        }
        for (letter, rule) in [
            ('b', "font-weight: bold"),
            ('i', "font-style: italic"),
            ('u', "text-decoration: underline"),
        ] {
            let _ = writeln!(
                out,
                "{scope}pre.code .{}{letter} {{ {rule}; }}",
                self.prefix
            );
        }
    }
}

/// The colour schemes course.yaml names (`markdown.highlight`), checked before anything is
/// rendered: a name that is not a theme is an error at its line of course.yaml (with the
/// nearest theme name as a hint), and the build stops before it could use another scheme.
pub fn load_schemes(
    config: &crate::load::config::Config,
    diags: &mut crate::base::diagnostics::Diagnostics,
) -> Option<Schemes> {
    use crate::load::yaml::Seg;
    let hl = &config.course.markdown.highlight;
    Schemes::named(&hl.light, &hl.dark)
        .map_err(|bad| {
            let key = if bad == hl.light { "light" } else { "dark" };
            let (l, c) =
                config
                    .spans
                    .at(&[Seg::Key("markdown"), Seg::Key("highlight"), Seg::Key(key)]);
            diags.push(
                crate::base::diagnostics::Diagnostic::error(
                    "course.yaml",
                    l,
                    c,
                    format!("`{bad}` is not a colour scheme for code"),
                )
                .with_hint(crate::base::diagnostics::did_you_mean(&bad, &theme_names())),
            );
        })
        .ok()
}

/// The light and dark colour schemes code is shown in (course.yaml `markdown.highlight`).
/// Each piece of code gets one flat `<span>` whose classes name its colour in each scheme
/// (`l3 d7`): a page carries the colours of both schemes, and the stylesheet picks one.
pub struct Schemes {
    light: Scheme,
    dark: Scheme,
}

impl Schemes {
    /// The schemes named `light` and `dark`; `Err(name)` for a name that is not a theme.
    pub fn named(light: &str, dark: &str) -> Result<Schemes, String> {
        let l = Scheme::new(light, 'l').ok_or_else(|| light.to_string())?;
        let d = Scheme::new(dark, 'd').ok_or_else(|| dark.to_string())?;
        Ok(Schemes { light: l, dark: d })
    }

    /// The names of the light and the dark scheme: what a block's highlighting depends on.
    pub fn names(&self) -> (&str, &str) {
        (&self.light.name, &self.dark.name)
    }

    /// The classes of code under the scopes `stack`, each preceded by a space ("" for plain).
    fn classes(&self, stack: &[Scope]) -> Rc<str> {
        let mut out = String::new();
        self.light
            .classes(self.light.highlighter.style_for_stack(stack), &mut out);
        self.dark
            .classes(self.dark.highlighter.style_for_stack(stack), &mut out);
        out.into()
    }

    /// The stylesheet: the light scheme by default, the dark one when the system or the
    /// reader's toggle asks for dark (`html[data-theme=dark]`, or no toggle and a dark system).
    pub fn stylesheet(&self) -> String {
        let mut out = format!(
            "/* Code colours, generated by semester from the syntect themes \"{}\" (light) and \"{}\" (dark). */\n",
            self.light.name, self.dark.name
        );
        self.light.rules("", &mut out);
        // In the dark scheme a light class must not show: every span starts plain.
        let reset = "pre.code span { color: inherit; font-weight: inherit; font-style: inherit; text-decoration: inherit; }\n";
        out.push_str("@media (prefers-color-scheme: dark) {\n");
        let system = "html:not([data-theme=\"light\"]) ";
        out.push_str(&format!("{system}{reset}"));
        self.dark.rules(system, &mut out);
        out.push_str("}\n");
        let toggle = "html[data-theme=\"dark\"] ";
        out.push_str(&format!("{toggle}{reset}"));
        self.dark.rules(toggle, &mut out);
        out
    }
}

/// Highlighted code by block key (`None`: the syntax failed on the block, shown plain).
type CodeMap = std::collections::HashMap<u128, Option<std::sync::Arc<str>>>;

/// The code blocks of one build, highlighted in its colour schemes.
pub struct Highlighted<'a> {
    schemes: &'a Schemes,
    code: CodeMap,
}

impl Highlighted<'_> {
    /// The HTML for a block: `None` if it was not among the blocks or its syntax failed on it.
    pub fn get(&self, lang: &str, code: &str) -> Option<&str> {
        self.code
            .get(&key(self.schemes, lang, code))
            .and_then(|h| h.as_deref())
    }
}

/// Highlighted code kept from one build to the next: a rebuild highlights only the blocks it
/// has not seen before. A build keeps exactly the blocks it used. `site::disk_cache` keeps it
/// on disk between `build`s; `serve` keeps one in memory. Bytes that are not a whole cache of
/// this version of semester count as empty: a damaged cache costs time, never output, since
/// each block is found by the key of its schemes, language and text.
#[derive(Default)]
pub struct CodeCache {
    previous: CodeMap,
    used: std::sync::Mutex<CodeMap>,
}

const CACHE_MAGIC: &str = concat!("semester code cache 1 ", env!("CARGO_PKG_VERSION"), "\n");

impl CodeCache {
    /// The cache written as `bytes` by [`CodeCache::to_bytes`]; empty if they are not one.
    pub fn from_bytes(bytes: &[u8]) -> CodeCache {
        CodeCache {
            previous: decode(bytes).unwrap_or_default(),
            used: Default::default(),
        }
    }

    /// What this build used, as bytes for [`CodeCache::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let used = crate::base::memo::lock(&self.used);
        let mut keys: Vec<&u128> = used.keys().collect();
        keys.sort();
        let mut out = Vec::with_capacity(CACHE_MAGIC.len() + used.len() * 64);
        out.extend_from_slice(CACHE_MAGIC.as_bytes());
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
            match &used[k] {
                Some(html) => {
                    out.push(1);
                    out.extend_from_slice(&(html.len() as u64).to_le_bytes());
                    out.extend_from_slice(html.as_bytes());
                }
                None => out.push(0),
            }
        }
        out
    }

    /// Blocks highlighted by an earlier build.
    pub fn len(&self) -> usize {
        self.previous.len()
    }

    /// Whether no earlier build left blocks.
    pub fn is_empty(&self) -> bool {
        self.previous.is_empty()
    }
}

/// Reads a cache file's entries; `None` if it is not one of ours, whole.
fn decode(bytes: &[u8]) -> Option<CodeMap> {
    let mut rest = bytes.strip_prefix(CACHE_MAGIC.as_bytes())?;
    let mut map = CodeMap::new();
    fn take<'a>(n: usize, rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        *rest = tail;
        Some(head)
    }
    while !rest.is_empty() {
        let key = u128::from_le_bytes(take(16, &mut rest)?.try_into().ok()?);
        let html = match take(1, &mut rest)?[0] {
            0 => None,
            1 => {
                let len = u64::from_le_bytes(take(8, &mut rest)?.try_into().ok()?);
                let text =
                    std::str::from_utf8(take(usize::try_from(len).ok()?, &mut rest)?).ok()?;
                Some(std::sync::Arc::from(text))
            }
            _ => return None,
        };
        map.insert(key, html);
    }
    Some(map)
}

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
        // A block highlighted by an earlier build, or by an earlier rebuild of this process.
        let earlier = kept.and_then(|c| {
            c.previous
                .get(&k)
                .cloned()
                .or_else(|| crate::base::memo::lock(&c.used).get(&k).cloned())
        });
        match earlier {
            Some(html) => {
                reused.insert(k, html);
            }
            None => todo.push((k, lang.as_str(), code.as_str())),
        }
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
fn key(schemes: &Schemes, lang: &str, code: &str) -> u128 {
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
fn repeated_lines<'a>(todo: &[(u128, &str, &'a str)]) -> std::collections::HashSet<&'a str> {
    let mut once = std::collections::HashSet::new();
    let mut again = std::collections::HashSet::new();
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
fn highlight_now(
    schemes: &Schemes,
    lang: &str,
    code: &str,
    repeated: Option<&std::collections::HashSet<&str>>,
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
fn remember(
    lines: &mut std::collections::HashMap<Box<str>, Vec<Parsed>>,
    line: &str,
    parsed: Parsed,
) -> usize {
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
    classes: &mut std::collections::HashMap<Vec<Scope>, Rc<str>>,
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
    classes: std::collections::HashMap<u128, std::collections::HashMap<Vec<Scope>, Rc<str>>>,
    by_syntax:
        std::collections::HashMap<(u128, usize), std::collections::HashMap<Box<str>, Vec<Parsed>>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn schemes() -> &'static Schemes {
        static SCHEMES: OnceLock<Schemes> = OnceLock::new();
        SCHEMES.get_or_init(|| Schemes::named("Coldark-Cold", "Coldark-Dark").unwrap())
    }

    #[test]
    fn every_language_an_ml_systems_course_shows_is_known() {
        for lang in [
            "python",
            "bash",
            "sh",
            "shell",
            "console",
            "yaml",
            "json",
            "toml",
            "ini",
            "dockerfile",
            "Dockerfile",
            "hcl",
            "terraform",
            "sql",
            "javascript",
            "typescript",
            "rust",
            "go",
            "makefile",
            "diff",
            "nginx",
            "protobuf",
        ] {
            assert!(find(lang).is_some(), "no syntax for {lang}");
        }
        assert!(!is_known("klingon"));
        assert!(is_known("text"));
    }

    #[test]
    fn highlights_with_flat_classes_and_escapes() {
        let html = highlight(schemes(), "python", "if a < b:\n    print('x')\n").unwrap();
        assert!(html.contains("<span class=\"l"), "{html}");
        assert!(html.contains(" d"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        assert!(!html.contains("<span class=\"\""), "{html}");
        // Flat: no span inside another.
        assert!(!html.contains("\"><span"), "{html}");
        assert!(highlight(schemes(), "klingon", "x").is_none());
    }

    /// The colour and font style of every character of our HTML in one scheme, read back
    /// through the scheme's classes.
    /// Each character with its colour and font style.
    type Shown = Vec<(char, (u8, u8, u8, u8), FontStyle)>;

    fn shown(html: &str, scheme: &Scheme) -> Shown {
        let mut out = Vec::new();
        let mut rest = html;
        let mut style = (scheme.foreground, FontStyle::empty());
        while !rest.is_empty() {
            if let Some(tail) = rest.strip_prefix("<span class=\"") {
                let (classes, after) = tail.split_once("\">").unwrap();
                style = (scheme.foreground, FontStyle::empty());
                for class in classes.split(' ') {
                    let Some(name) = class.strip_prefix(scheme.prefix) else {
                        continue;
                    };
                    match name {
                        "b" => style.1 |= FontStyle::BOLD,
                        "i" => style.1 |= FontStyle::ITALIC,
                        "u" => style.1 |= FontStyle::UNDERLINE,
                        n => style.0 = scheme.colors[n.parse::<usize>().unwrap()],
                    }
                }
                rest = after;
            } else if let Some(tail) = rest.strip_prefix("</span>") {
                style = (scheme.foreground, FontStyle::empty());
                rest = tail;
            } else {
                let (c, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map_or_else(
                        || {
                            let c = rest.chars().next().unwrap();
                            (c, c.len_utf8())
                        },
                        |(e, c)| (*c, e.len()),
                    );
                out.push((c, rgba(style.0), style.1));
                rest = &rest[len..];
            }
        }
        out
    }

    /// What syntect's own highlighter gives every character of `code` in one theme.
    fn expected(lang: &str, code: &str, theme_name: &str) -> Shown {
        let mut lines =
            syntect::easy::HighlightLines::new(find(lang).unwrap(), theme(theme_name).unwrap());
        let mut out = Vec::new();
        for line in LinesWithEndings::from(code) {
            for (style, text) in lines.highlight_line(line, syntaxes()).unwrap() {
                out.extend(
                    text.chars()
                        .map(|c| (c, rgba(style.foreground), style.font_style)),
                );
            }
        }
        out
    }

    fn check(lang: &str, code: &str) {
        let s = schemes();
        let html = highlight_now(s, lang, code, None).unwrap();
        assert_eq!(
            shown(&html, &s.light),
            expected(lang, code, "Coldark-Cold"),
            "light: {lang} {code}"
        );
        assert_eq!(
            shown(&html, &s.dark),
            expected(lang, code, "Coldark-Dark"),
            "dark: {lang} {code}"
        );
        // Again, now from the memo of lines.
        assert_eq!(
            highlight_now(s, lang, code, None).unwrap(),
            html,
            "memo: {lang} {code}"
        );
        // And with no line kept (as `highlight_all` does for lines that occur once).
        assert_eq!(
            highlight_now(s, lang, code, Some(&Default::default())).unwrap(),
            html,
            "no memo: {lang} {code}"
        );
    }

    #[test]
    fn every_character_has_the_colours_syntect_gives_it_in_both_schemes() {
        // The same lines in different states: inside and outside a docstring, a heredoc, a
        // block scalar, an unclosed string.
        for (lang, code) in [
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n\n\n"),
            (
                "python",
                "@dataclass\nclass A:\n    def f(self) -> int:\n        return 1 < 2 & 3\n",
            ),
            (
                "bash",
                "echo hi\ncat <<EOF\necho hi\nEOF\necho \"$HOME\" # done\n",
            ),
            ("yaml", "a: 1\nb: |\n  a: 1\nc: [2, 'x']\na: 1\n"),
            ("python", "s = '''\nunclosed\n"),
            ("dockerfile", "FROM python:3.12\nRUN pip install x\n"),
        ] {
            check(lang, code);
        }
        // Every block of the bundled course.
        let mut blocks = 0;
        for entry in walkdir::WalkDir::new("content") {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let links = crate::render::markdown::SiteLinks {
                macros: &Default::default(),
                pages: &Default::default(),
                assets: &Default::default(),
                math: true,
                code: Some(schemes()),
                theme_ids: &[],
                i18n: &crate::base::i18n::I18n::new("en", Default::default(), None),
                facts: &Default::default(),
            };
            let src = crate::render::markdown::Source {
                path: &path,
                rel: "x.md",
                body: &text,
                body_line: 1,
                title: "",
            };
            let page = crate::render::markdown::render_deferred(&src, &links);
            for (lang, code) in page.blocks {
                check(&lang, &code);
                blocks += 1;
            }
        }
        assert!(blocks > 50, "{blocks} blocks");
    }

    #[test]
    fn the_code_cache_round_trips_keeps_what_was_used_and_ignores_damage() {
        let dir = std::env::temp_dir().join(format!("semester-code-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(".public.semester-cache");
        let blocks = [
            ("python".to_string(), "x = 1  # one\n".to_string()),
            ("bash".to_string(), "echo \"<hi>\"\n".to_string()),
        ];
        let all: Vec<&(String, String)> = blocks.iter().collect();
        let first = CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default());
        assert!(first.is_empty());
        let fresh = highlight_all(schemes(), &all, Some(&first));
        std::fs::write(&path, first.to_bytes()).unwrap();
        let second = CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default());
        assert_eq!(second.len(), 2);
        let kept = highlight_all(schemes(), &all, Some(&second));
        for (lang, code) in &blocks {
            let html = fresh.get(lang, code);
            assert!(html.is_some_and(|h| h.contains("<span class=")), "{lang}");
            assert_eq!(kept.get(lang, code), html, "{lang}");
        }
        // A build keeps only what it used.
        let third = CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default());
        highlight_all(schemes(), &all[..1], Some(&third));
        std::fs::write(&path, third.to_bytes()).unwrap();
        assert_eq!(
            CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default()).len(),
            1
        );
        // A damaged file, or one from another version, is an empty cache.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default()).is_empty());
        std::fs::write(&path, b"semester code cache 0 0.0.0\n").unwrap();
        assert!(CodeCache::from_bytes(&std::fs::read(&path).unwrap_or_default()).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stylesheet_has_both_schemes_and_every_class() {
        let s = schemes();
        let css = s.stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(
            css.contains("pre.code { color: #111b27; background-color: #e3eaf2; }"),
            "{css}"
        );
        for i in 0..s.light.colors.len() {
            assert!(
                css.contains(&format!("\npre.code .l{i} {{ color: #")),
                "l{i}"
            );
        }
        for i in 0..s.dark.colors.len() {
            assert!(
                css.contains(&format!(
                    "html[data-theme=\"dark\"] pre.code .d{i} {{ color: #"
                )),
                "d{i}"
            );
            assert!(
                css.contains(&format!(
                    "html:not([data-theme=\"light\"]) pre.code .d{i} {{ color: #"
                )),
                "d{i}"
            );
        }
        assert!(Schemes::named("nope", "Coldark-Dark").is_err());
    }
}
