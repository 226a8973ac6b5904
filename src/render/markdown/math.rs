//! Math: `$…$` and `$$…$$` as MathML (pulldown-latex), with the page's macros, a guard
//! against deep nesting, and errors that name the piece of LaTeX at fault.

use super::{Ctx, dollars, escape_attr, texmath};

/// How deeply math groups (`{…}`, `\left…\right`, `\begin…\end`) may nest. Real formulas
/// stay under ten; the LaTeX parser's time grows with depth times length, so deeper input is
/// refused before it is parsed.
pub const MAX_MATH_DEPTH: usize = 64;

/// Whether `tex` nests groups deeper than [`MAX_MATH_DEPTH`], by one scan of its characters.
pub fn math_too_deep(tex: &str) -> bool {
    let (mut depth, mut rest) = (0usize, tex);
    while let Some(i) = rest.find(['{', '}', '\\']) {
        let tail = &rest[i..];
        let step = if tail.starts_with("\\left") || tail.starts_with("\\begin") {
            depth += 1;
            6
        } else if tail.starts_with("\\right") || tail.starts_with("\\end") {
            depth = depth.saturating_sub(1);
            4
        } else if let Some(escaped) = tail.strip_prefix('\\') {
            // `\{` and `\}` are braces shown, not groups; any other escape is skipped whole.
            1 + escaped.chars().next().map_or(0, char::len_utf8)
        } else {
            if tail.starts_with('{') {
                depth += 1;
            } else {
                depth = depth.saturating_sub(1);
            }
            1
        };
        if depth > MAX_MATH_DEPTH {
            return true;
        }
        rest = &tail[step.min(tail.len())..];
    }
    false
}

/// `tex` as MathML (display math in a box that scrolls); a mistake is an error at its place
/// and the source is shown as code.
pub(super) fn math(cx: &mut Ctx, tex: &str, display: bool, offset: usize) -> String {
    use pulldown_latex::{Parser as TexParser, RenderConfig, Storage, config::DisplayMode};
    if math_too_deep(tex) {
        cx.error(
            offset,
            format!("this math nests groups more than {MAX_MATH_DEPTH} levels deep"),
            Some(
                "look for a `{` or `\\left` that is never closed; a literal brace is written \\{"
                    .into(),
            ),
        );
        return format!("<code class=\"math-error\">{}</code>", escape_attr(tex));
    }
    let prepared = texmath::prepare(tex, &mut cx.macros);
    let storage = Storage::new();
    let events: Vec<_> = TexParser::new(&prepared, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        report_tex_error(cx, tex, &e.to_string(), offset);
        return format!("<code class=\"math-error\">{}</code>", escape_attr(tex));
    }
    if !display && dollars::looks_like_currency(tex) {
        cx.warn(
            offset,
            format!("`${tex}$` is shown as math but looks like an amount of money"),
            Some("write a dollar sign that is not math as \\$ (e.g. \\$5 per hour)".into()),
        );
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    if display {
        out.push_str(&display_box(cx));
    }
    match pulldown_latex::push_mathml(&mut out, events.into_iter(), config) {
        Ok(()) if display => texmath::finish_mathml(mrow_attributes_to_mstyle(&out)) + "</span>",
        Ok(()) => texmath::finish_mathml(mrow_attributes_to_mstyle(&out)),
        Err(_) => format!("<code class=\"math-error\">{}</code>", escape_attr(tex)),
    }
}

/// pulldown-latex writes `displaystyle` and `scriptlevel` on `<mrow>` (for `\tfrac`, `\dfrac`);
/// HTML's MathML allows them only on `<mstyle>`, which means the same. Renames each `<mrow …>`
/// that has attributes, and its own closing tag.
pub(super) fn mrow_attributes_to_mstyle(mathml: &str) -> String {
    if !mathml.contains("<mrow ") {
        return mathml.to_string();
    }
    let mut out = String::with_capacity(mathml.len());
    let mut open: Vec<bool> = Vec::new(); // per open <mrow>: renamed?
    let mut rest = mathml;
    while let Some(at) = rest
        .find("<mrow")
        .into_iter()
        .chain(rest.find("</mrow>"))
        .min()
    {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(tail) = rest.strip_prefix("</mrow>") {
            out.push_str(if open.pop() == Some(true) {
                "</mstyle>"
            } else {
                "</mrow>"
            });
            rest = tail;
        } else {
            let renamed = rest.starts_with("<mrow ");
            open.push(renamed);
            out.push_str(if renamed { "<mstyle" } else { "<mrow" });
            rest = &rest["<mrow".len()..];
        }
    }
    out.push_str(rest);
    out
}

/// The opening of display math's box. Display math sits inside a paragraph, so the scrolling
/// box is a span shown as a block, named by its number.
fn display_box(cx: &mut Ctx) -> String {
    cx.equations += 1;
    let name = cx.links.i18n.n("equation_n", cx.equations as i64);
    format!(
        "<span class=\"math-display\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">",
        escape_attr(&name)
    )
}

/// Reports the LaTeX parser's `error` in `tex` (at `offset`), one error per piece that
/// [`texmath::explain`] names, each at that piece when it is found.
fn report_tex_error(cx: &mut Ctx, tex: &str, error: &str, offset: usize) {
    for p in texmath::explain(tex, error, &cx.macros) {
        // The named piece, searched in this math's own source (display math in a quote
        // has `> ` on each line, hence the slack).
        let window = cx.src.text.get(offset..).map_or("", |rest| {
            let mut end = (tex.len() * 2 + 8).min(rest.len());
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            &rest[..end]
        });
        let at =
            p.at.as_deref()
                .and_then(|needle| window.find(needle))
                .map_or(offset, |i| offset + i);
        cx.error(at, p.message, Some(p.hint));
    }
}
