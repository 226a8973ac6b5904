//! Colour schemes: a syntect theme's colours as short classes, and the stylesheet of both.

use std::rc::Rc;

use syntect::highlighting::{Color, FontStyle, Highlighter, Style};
use syntect::parsing::Scope;

use super::{theme, theme_names};

/// One colour scheme for code: a syntect theme, and a short class for each colour it gives.
pub(super) struct Scheme {
    pub(super) name: String,
    highlighter: Highlighter<'static>,
    /// Colour and background of plain code.
    pub(super) foreground: Color,
    background: Option<Color>,
    /// Every other text colour of the theme, sorted: colour `i` is class `<prefix><i>`.
    pub(super) colors: Vec<Color>,
    /// `l` for the light scheme, `d` for the dark one.
    pub(super) prefix: char,
}

pub(super) fn rgba(c: Color) -> (u8, u8, u8, u8) {
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
    pub(super) light: Scheme,
    pub(super) dark: Scheme,
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
    pub(super) fn classes(&self, stack: &[Scope]) -> Rc<str> {
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
