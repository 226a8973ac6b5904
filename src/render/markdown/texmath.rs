//! LaTeX as course notes write it, made ready for pulldown-latex, and its errors made to say
//! which command is wrong. pulldown-latex knows most of amsmath but not a few habits (`\bm`,
//! `\boxed`, `\tag`, `\newcommand` without `[n]`): they are rewritten here into what it knows.
//! Macros a page defines (`\newcommand`, `\renewcommand`, `\DeclareMathOperator`, `\def`) hold
//! for the rest of the page, as they do in a LaTeX document.

/// Commands written another way that pulldown-latex knows, with the same look.
const ALIASES: [(&str, &str); 16] = [
    ("bm", "\\boldsymbol"),
    ("pmb", "\\boldsymbol"),
    ("bold", "\\mathbf"),
    ("Bbb", "\\mathbb"),
    ("mathbbm", "\\mathbb"),
    ("mathds", "\\mathbb"),
    ("mathscr", "\\mathcal"),
    ("mbox", "\\text"),
    ("hbox", "\\text"),
    ("emph", "\\textit"),
    ("ensuremath", ""),
    ("notag", ""),
    ("nonumber", ""),
    ("argmin", "\\operatorname{argmin}"),
    ("argmax", "\\operatorname{argmax}"),
    // A box: drawn by the colour's stand-in (see [`finish_mathml`]).
    ("boxed", "\\textcolor{#010203}"),
];

/// The colour that stands for `\boxed` in pulldown-latex's output.
const BOX_MARK: &str = "style=\"color: rgb(1 2 3)\"";
/// What a box looks like.
const BOX_STYLE: &str = "style=\"border: 0.06em solid; padding: 0.15em 0.25em\"";

/// The macros a page has defined so far: name (with its backslash) and `\def` form.
#[derive(Debug, Default)]
pub struct Macros {
    defs: Vec<(String, String)>,
}

impl Macros {
    /// The course's macros (`markdown.macros`: name, with or without its `\\`, → replacement
    /// with `#1`… for arguments), as a page starts with them.
    pub fn course(macros: &std::collections::BTreeMap<String, String>) -> Macros {
        let mut m = Macros::default();
        for (name, body) in macros {
            let name = name.trim_start_matches('\\');
            let params = (1..=9u8)
                .filter(|n| body.contains(&format!("#{n}")))
                .max()
                .unwrap_or(0);
            let hashes: String = (1..=params).map(|i| format!("#{i}")).collect();
            m.define(
                format!("\\{name}"),
                format!("\\def\\{name}{hashes}{{{body}}}"),
            );
        }
        m
    }

    fn define(&mut self, name: String, def: String) {
        match self.defs.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = def,
            None => self.defs.push((name, def)),
        }
    }

    fn knows(&self, name: &str) -> bool {
        self.defs
            .iter()
            .any(|(n, _)| n.strip_prefix('\\') == Some(name))
    }
}

/// The TeX to give pulldown-latex for `tex`: the page's macros first, then `tex` with its own
/// definitions taken out (and remembered in `macros` for later math) and every alias,
/// `\tag{…}` and `\label{…}` rewritten.
pub fn prepare(tex: &str, macros: &mut Macros) -> String {
    let body = take_definitions(tex, macros);
    let mut all = String::with_capacity(body.len() + 64);
    for (_, def) in &macros.defs {
        all.push_str(def);
    }
    all.push_str(&body);
    rewrite(&all, macros)
}

/// pulldown-latex's MathML with the boxes of `\boxed` drawn.
pub fn finish_mathml(mathml: String) -> String {
    if mathml.contains(BOX_MARK) {
        mathml.replace(BOX_MARK, BOX_STYLE)
    } else {
        mathml
    }
}

/// The letters of the command at the start of `s` (after its backslash).
fn command_name(s: &str) -> &str {
    let end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    &s[..end]
}

/// How far the end of an argument is looked for: arguments of `\\tag`, `\\label` and macro
/// bodies are short, and a formula of unclosed `\\tag{` must not take quadratic time.
const GROUP_REACH: usize = 16 * 1024;

/// The `{…}` group at the start of `s` (after blanks): (its inside, bytes used).
fn group(s: &str) -> Option<(&str, usize)> {
    let skip = s.len() - s.trim_start().len();
    let rest = &s[skip..];
    if !rest.starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in rest.char_indices().take(GROUP_REACH) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&rest[1..i], skip + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// The macro name of a definition: `{\name}` or `\name`, with the bytes used.
fn defined_name(s: &str) -> Option<(String, usize)> {
    let skip = s.len() - s.trim_start().len();
    let rest = &s[skip..];
    if let Some(after) = rest.strip_prefix('\\') {
        let n = command_name(after);
        return (!n.is_empty()).then(|| (format!("\\{n}"), skip + 1 + n.len()));
    }
    let (inside, used) = group(rest)?;
    let inner = inside.trim();
    let n = command_name(inner.strip_prefix('\\')?);
    (inner.len() == n.len() + 1 && !n.is_empty()).then(|| (inner.to_string(), skip + used))
}

/// One definition at the start of `s` (which begins after the defining command): the name,
/// its `\def` form and the bytes used. `None` for a form not understood (left for
/// pulldown-latex to report).
fn definition(command: &str, s: &str) -> Option<(String, String, usize)> {
    let star = usize::from(s.starts_with('*'));
    let s2 = &s[star..];
    if command == "def" {
        let (name, used) = defined_name(s2)?;
        let params_end = s2[used..].find('{')?;
        let params = &s2[used..used + params_end];
        let (body, body_used) = group(&s2[used + params_end..])?;
        let total = star + used + params_end + body_used;
        return Some((
            name.clone(),
            format!("\\def{name}{params}{{{body}}}"),
            total,
        ));
    }
    let (name, mut used) = defined_name(s2)?;
    if command == "DeclareMathOperator" {
        let (text, n) = group(&s2[used..])?;
        // pulldown-latex sets `\operatorname{arg\,min}` letter by letter: the spaces go.
        let text: String = text
            .replace("\\,", "")
            .replace("\\;", "")
            .replace("\\ ", "");
        let def = format!("\\def{name}{{\\operatorname{{{text}}}}}");
        return Some((name, def, star + used + n));
    }
    let mut params = 0u8;
    let rest = s2[used..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        params = after[..close].trim().parse().ok().filter(|n| *n <= 9)?;
        used = s2.len() - after.len() + close + 1;
        if s2[used..].trim_start().starts_with('[') {
            return None; // an optional argument's default: not supported
        }
    }
    let (body, n) = group(&s2[used..])?;
    let hashes: String = (1..=params).map(|i| format!("#{i}")).collect();
    Some((
        name.clone(),
        format!("\\def{name}{hashes}{{{body}}}"),
        star + used + n,
    ))
}

/// `tex` without the definitions it makes, which go into `macros`.
/// The commands that define a macro, read (and taken out) by [`take_definitions`].
const DEFINERS: [&str; 5] = [
    "newcommand",
    "renewcommand",
    "providecommand",
    "DeclareMathOperator",
    "def",
];

fn take_definitions(tex: &str, macros: &mut Macros) -> String {
    if !DEFINERS.iter().any(|d| tex.contains(d)) {
        return tex.to_string();
    }
    let mut out = String::with_capacity(tex.len());
    let mut rest = tex;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = command_name(after);
        let found = DEFINERS
            .contains(&name)
            .then(|| definition(name, &after[name.len()..]))
            .flatten();
        match found {
            Some((defined, def, used)) => {
                macros.define(defined, def);
                rest = &after[name.len() + used..];
            }
            None => {
                let len = if name.is_empty() {
                    after.chars().next().map_or(0, char::len_utf8)
                } else {
                    name.len()
                };
                out.push_str(&rest[at..at + 1 + len]);
                rest = &after[len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Aliases replaced (but for names the page defines itself); `\tag{x}` shown as `(x)` at the
/// right; `\label{…}` dropped.
fn rewrite(tex: &str, macros: &Macros) -> String {
    let mut out = String::with_capacity(tex.len() + 16);
    let mut rest = tex;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = command_name(after);
        let tail = &after[name.len()..];
        let alias = ALIASES.iter().find(|(from, _)| *from == name);
        if let Some((_, to)) = alias.filter(|_| !macros.knows(name)) {
            out.push_str(to);
            // `\bm x` must not become `\boldsymbolx`.
            if to.ends_with(|c: char| c.is_ascii_alphabetic())
                && tail.starts_with(|c: char| c.is_ascii_alphabetic())
            {
                out.push(' ');
            }
            rest = tail;
            continue;
        }
        if name == "tag" || name == "label" {
            let star = tail.starts_with('*');
            if let Some((inside, used)) = group(&tail[usize::from(star)..]) {
                if name == "tag" {
                    let shown = if star {
                        inside.to_string()
                    } else {
                        format!("({inside})")
                    };
                    out.push_str(&format!("\\qquad\\text{{{shown}}}"));
                }
                rest = &tail[usize::from(star) + used..];
                continue;
            }
        }
        let len = if name.is_empty() {
            after.chars().next().map_or(0, char::len_utf8)
        } else {
            name.len()
        };
        out.push_str(&rest[at..at + 1 + len]);
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// A math error as the author should read it: the message, and the text to point at (found
/// in the page's source) when there is one.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// The piece of the author's TeX it is about, if it can be named.
    pub at: Option<String>,
    /// How to fix it.
    pub hint: String,
}

/// Whether pulldown-latex fails on `tex` with a message that starts with `kind`.
fn fails_with(tex: &str, kind: &str) -> bool {
    let storage = pulldown_latex::Storage::new();
    pulldown_latex::Parser::new(tex, &storage)
        .filter_map(Result::err)
        .next()
        .is_some_and(|e| error_kind(&e.to_string()).starts_with(kind))
}

fn error_kind(message: &str) -> &str {
    let first = message.lines().next().unwrap_or("");
    first.trim_start_matches("parsing error: ")
}

/// The text pulldown-latex shows around an error (the first line of its context).
fn error_context(message: &str) -> Option<String> {
    message
        .lines()
        .skip_while(|l| !l.contains("context:"))
        .skip(1)
        .map(|l| l.trim_start_matches('│'))
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim_start_matches(['…', ' ']).trim_end().to_string())
        .filter(|s| !s.is_empty())
}

/// What is wrong with the author's `tex`, given pulldown-latex's `error` on its prepared form:
/// every unknown command and environment by name, else pulldown-latex's own message.
pub fn explain(tex: &str, error: &str, macros: &Macros) -> Vec<Problem> {
    let kind = error_kind(error);
    let mut out = Vec::new();
    if kind.starts_with("unknown primitive") {
        out = unknown_commands(tex, macros);
    } else if kind.starts_with("unkown mathematical environment") {
        for (i, _) in tex.match_indices("\\begin{") {
            let Some((env, _)) = group(&tex[i + "\\begin".len()..]) else {
                continue;
            };
            if fails_with(
                &format!("\\begin{{{env}}}\\end{{{env}}}"),
                "unkown mathematical",
            ) {
                out.push(Problem {
                    message: format!("the math environment `{env}` is not supported"),
                    at: Some(format!("\\begin{{{env}}}")),
                    hint: "use aligned, align, gather, cases, matrix, pmatrix, bmatrix, vmatrix, array or split".into(),
                });
            }
        }
    }
    // A line break outside an environment: point at the `\\` itself.
    let newline =
        (kind.starts_with("new line command") && tex.contains("\\\\")).then(|| "\\\\".to_string());
    if let Some(at) = newline.filter(|_| out.is_empty()) {
        out.push(Problem {
            message: "a line break `\\\\` is allowed only inside an environment".into(),
            at: Some(at),
            hint: "put the lines in \\begin{gathered} … \\end{gathered} (or aligned, with & where they line up)".into(),
        });
        return out;
    }
    if out.is_empty() {
        out.push(Problem {
            message: format!("this math does not parse: {kind}"),
            at: error_context(error).filter(|c| tex.contains(c.as_str())),
            hint: "check the LaTeX between the dollar signs; a literal dollar is written \\$"
                .into(),
        });
    }
    out
}

/// Each command of `tex` that pulldown-latex does not know (and no macro defines), once.
fn unknown_commands(tex: &str, macros: &Macros) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, _) in tex.match_indices('\\') {
        let name = command_name(&tex[i + 1..]);
        // `\tag`, `\label` and the definers are rewritten before pulldown-latex reads
        // the math: never what it failed on.
        let handled = matches!(name, "tag" | "label") || DEFINERS.contains(&name);
        if name.is_empty() || seen.contains(&name) || macros.knows(name) || handled {
            continue;
        }
        seen.push(name);
        if !ALIASES.iter().any(|(a, _)| *a == name)
            && fails_with(&format!("\\{name}"), "unknown primitive")
        {
            out.push(Problem {
                message: format!("the math command `\\{name}` is not supported"),
                at: Some(format!("\\{name}")),
                hint: format!("define it, e.g. `\\newcommand{{\\{name}}}{{…}}` in a $$ block of this page before its first use or `{name}: …` under `markdown.macros` in course.yaml, or write it with supported commands (docs/format.md lists the extra ones)"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(tex: &str) -> String {
        prepare(tex, &mut Macros::default())
    }

    #[test]
    fn aliases_tags_and_labels_become_what_pulldown_latex_knows() {
        assert_eq!(prep(r"\bm{w} + \bm x"), r"\boldsymbol{w} + \boldsymbol x");
        assert_eq!(prep(r"\bmx"), r"\bmx"); // another command, untouched
        assert_eq!(prep(r"E = mc^2 \tag{3}"), r"E = mc^2 \qquad\text{(3)}");
        assert_eq!(prep(r"a \tag*{A} \label{eq:a}"), r"a \qquad\text{A} ");
        assert_eq!(prep(r"\\ \boxed{d}"), r"\\ \textcolor{#010203}{d}");
        assert_eq!(prep(r"\argmin_x"), r"\operatorname{argmin}_x");
        // A page's own definition wins over an alias.
        assert_eq!(
            prep(r"\DeclareMathOperator*{\argmin}{arg\,min} \argmin_w"),
            r"\def\argmin{\operatorname{argmin}} \argmin_w"
        );
    }

    #[test]
    fn definitions_hold_for_the_rest_of_the_page() {
        let mut m = Macros::default();
        assert_eq!(
            prepare(r"\newcommand{\R}{\mathbb{R}} x \in \R", &mut m),
            r"\def\R{\mathbb{R}} x \in \R"
        );
        assert_eq!(prepare(r"\R^n", &mut m), r"\def\R{\mathbb{R}}\R^n");
        prepare(
            r"\renewcommand\R{\mathbf{R}}\newcommand{\norm}[1]{\lVert #1 \rVert}\DeclareMathOperator*{\E}{E}\def\w{\bm{w}}",
            &mut m,
        );
        assert_eq!(
            prepare(r"\norm{x}", &mut m),
            r"\def\R{\mathbf{R}}\def\norm#1{\lVert #1 \rVert}\def\E{\operatorname{E}}\def\w{\boldsymbol{w}}\norm{x}"
        );
        assert!(m.knows("norm") && !m.knows("nope"));
    }

    fn render(tex: &str, macros: &mut Macros) -> Result<String, String> {
        let prepared = prepare(tex, macros);
        let storage = pulldown_latex::Storage::new();
        let events: Vec<_> = pulldown_latex::Parser::new(&prepared, &storage).collect();
        if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
            return Err(e.to_string());
        }
        let mut out = String::new();
        pulldown_latex::push_mathml(&mut out, events.into_iter(), Default::default())
            .map_err(|e| e.to_string())?;
        Ok(finish_mathml(out))
    }

    #[test]
    fn course_macros_come_first_and_a_page_may_redefine_them() {
        let mut course = std::collections::BTreeMap::new();
        course.insert("R".to_string(), r"\mathbb{R}".to_string());
        course.insert(r"\norm".to_string(), r"\lVert #1 \rVert".to_string());
        let mut m = Macros::course(&course);
        assert_eq!(
            prepare(r"\norm{x} \in \R", &mut m),
            r"\def\R{\mathbb{R}}\def\norm#1{\lVert #1 \rVert}\norm{x} \in \R"
        );
        assert_eq!(
            prepare(r"\renewcommand{\R}{\mathbf{R}}\R", &mut m),
            r"\def\R{\mathbf{R}}\def\norm#1{\lVert #1 \rVert}\R"
        );
        assert!(render(r"\norm{\R^n}", &mut Macros::course(&course)).is_ok());
    }

    #[test]
    fn the_supported_habits_render() {
        let mut m = Macros::default();
        for tex in [
            r"\bm{w}^\top x",
            r"\boxed{d}",
            r"E = mc^2 \tag{3}",
            r"\text{if } x > 0",
            r"\operatorname{softmax}(z)",
            r"\mathbb{E}[X]",
            r"\newcommand{\R}{\mathbb{R}} x \in \R^n",
            r"\R",
            r"\def\v#1{\mathbf{#1}} \v{x}",
            r"\v{y}",
        ] {
            assert!(
                render(tex, &mut m).is_ok(),
                "{tex}: {:?}",
                render(tex, &mut m)
            );
        }
        let boxed = render(r"\boxed{d}", &mut m).unwrap();
        assert!(boxed.contains(BOX_STYLE), "{boxed}");
    }

    #[test]
    fn errors_name_the_unknown_command_or_environment() {
        let m = Macros::default();
        let tex = "a \\foo{x} + \\frac{1}{2} \\qux";
        let err = render(tex, &mut Macros::default()).unwrap_err();
        let p = explain(tex, &err, &m);
        let names: Vec<_> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            names,
            [
                "the math command `\\foo` is not supported",
                "the math command `\\qux` is not supported"
            ]
        );
        assert_eq!(p[0].at.as_deref(), Some("\\foo"));
        let tex = "\\begin{eqnarray} a \\end{eqnarray}";
        let err = render(tex, &mut Macros::default()).unwrap_err();
        let p = explain(tex, &err, &m);
        assert_eq!(
            p[0].message,
            "the math environment `eqnarray` is not supported"
        );
        // Only the unknown command: `\tag` and `\newcommand` beside it are read before.
        let mut page = Macros::default();
        let tex = "\\newcommand{\\R}{\\mathbb{R}} x \\in \\R \\foo{y} \\tag{1}";
        let err = render(tex, &mut page).unwrap_err();
        let p = explain(tex, &err, &page);
        let names: Vec<_> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(names, ["the math command `\\foo` is not supported"]);
        let tex = "a = b \\\\ c = d";
        let err = render(tex, &mut Macros::default()).unwrap_err();
        let p = explain(tex, &err, &m);
        assert_eq!(p[0].at.as_deref(), Some("\\\\"));
        assert_eq!(
            p[0].message,
            "a line break `\\\\` is allowed only inside an environment"
        );
        let tex = "a^b^c";
        let err = render(tex, &mut Macros::default()).unwrap_err();
        let p = explain(tex, &err, &m);
        assert_eq!(
            p[0].message,
            "this math does not parse: trying to add a superscript twice to the same element"
        );
    }
}
