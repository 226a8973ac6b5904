//! Templates and theme files, found by presence: the course's templates/, then
//! themes/<theme>/, then the default theme compiled into the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::fence::{Cap, Fence};
use crate::load::config::Config;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Compiled into the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    File(PathBuf),
}

/// The loaded templates and the theme's static files.
pub struct Templates {
    /// The Tera instance with every template.
    pub tera: tera::Tera,
    /// Template name → file shown in messages.
    pub origins: BTreeMap<String, PathBuf>,
    /// Static files of the theme: path below public/ → source.
    pub statics: BTreeMap<String, Source>,
    /// A hash of every template's name and text (part of each page's cache key).
    pub fingerprint: u128,
    /// The literal `id`s written in the templates (`sm-main`, `search-q`…): a page's own ids
    /// must differ from them.
    pub ids: Vec<String>,
}

/// Compiled templates kept between builds (`serve`), by the names and texts of every template.
pub type TemplateCache = crate::base::memo::Memo<(), tera::Tera>;

/// Reads the three layers and compiles the templates; template mistakes go to `diags`.
pub fn load_templates(config: &Config, diags: &mut Diagnostics) -> Option<Templates> {
    let theme_dir = config.root.join("themes").join(&config.theme);
    load_layers(config, &theme_dir, None, diags)
}

/// The templates of a course whose theme lives in `theme_dir` (for a frozen version: the
/// current course's theme folder), over the built-in theme, under the course's own templates/.
/// With a `cache`, unchanged templates are not compiled again.
pub fn load_layers(
    config: &Config,
    theme_dir: &Path,
    cache: Option<&TemplateCache>,
    diags: &mut Diagnostics,
) -> Option<Templates> {
    let (mut texts, mut statics) = built_in_layer(diags);
    // themes/<name>/ lies in the course whose theme it is (for a frozen version: the current
    // course, two folders up from the theme).
    let theme_root = theme_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(theme_dir);
    let theme_fence = Fence::new(theme_root, config.outside_links);
    layer(
        &theme_fence,
        &theme_dir.join("templates"),
        &mut texts,
        diags,
    );
    let (files, errors) = theme_fence.files_below(&theme_dir.join("static"), Cap::File);
    errors.into_iter().for_each(|d| diags.push(d));
    for (rel, path) in files {
        statics.insert(rel, Source::File(path));
    }
    let fence = config.fence();
    layer(&fence, &config.root.join("templates"), &mut texts, diags);
    let fingerprint = crate::base::memo::key_of(&texts);
    let mut ids: Vec<String> = texts
        .values()
        .flat_map(|(text, _)| crate::render::markdown::template_ids(text))
        .collect();
    ids.sort();
    ids.dedup();
    let origins: BTreeMap<String, PathBuf> = texts
        .iter()
        .map(|(k, (_, p))| (k.clone(), p.clone()))
        .collect();
    let tera = match cache {
        Some(c) => c.try_get_or(&(), &fingerprint, || compile(texts, diags).map(|(t, _)| t)),
        None => compile(texts, diags).map(|(t, _)| t),
    }?;
    Some(Templates {
        tera,
        origins,
        statics,
        fingerprint,
        ids,
    })
}

/// The built-in theme's templates (by name: text and the path shown in messages) and static
/// files: the bottom layer, which the theme and the course's templates/ override.
#[allow(clippy::type_complexity)]
fn built_in_layer(
    diags: &mut Diagnostics,
) -> (
    BTreeMap<String, (String, PathBuf)>,
    BTreeMap<String, Source>,
) {
    let mut texts: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    let mut statics: BTreeMap<String, Source> = BTreeMap::new();
    for (rel, bytes) in DEFAULT_THEME {
        let shown = PathBuf::from("<built-in theme>").join(rel);
        if let Some(name) = rel.strip_prefix("templates/") {
            match std::str::from_utf8(bytes) {
                Ok(t) => {
                    texts.insert(name.to_string(), (t.to_string(), shown));
                }
                Err(_) => diags.push(Diagnostic::error(
                    shown,
                    1,
                    1,
                    "built-in template is not UTF-8",
                )),
            }
        } else if let Some(name) = rel.strip_prefix("static/") {
            statics.insert(name.to_string(), Source::Embedded(bytes));
        }
    }
    (texts, statics)
}

/// Reads every template below `dir` into `texts` (a file of the same name replaces the
/// layer below); unreadable ones, links out of the course, FIFOs and the like are errors.
fn layer(
    fence: &Fence,
    dir: &Path,
    texts: &mut BTreeMap<String, (String, PathBuf)>,
    diags: &mut Diagnostics,
) {
    let (files, errors) = fence.files_below(dir, Cap::Template);
    errors.into_iter().for_each(|d| diags.push(d));
    for (name, path) in files {
        let shown = fence.shown(&path);
        match crate::base::fence::read_capped(&path, &shown, Cap::Template) {
            Ok(t) => {
                texts.insert(name, (t, shown));
            }
            Err(d) => diags.push(d),
        }
    }
}

/// Compiles every template; reports each broken one, not only the first.
fn compile(
    mut texts: BTreeMap<String, (String, PathBuf)>,
    diags: &mut Diagnostics,
) -> Option<(tera::Tera, BTreeMap<String, PathBuf>)> {
    let origins: BTreeMap<String, PathBuf> = texts
        .iter()
        .map(|(k, (_, p))| (k.clone(), p.clone()))
        .collect();
    let mut failed = false;
    for _ in 0..=origins.len() {
        let mut tera = tera::Tera::new();
        tera.register_function("t", crate::render::i18n::t);
        match tera.add_raw_templates(texts.iter().map(|(k, (t, _))| (k.as_str(), t.as_str()))) {
            Ok(()) if !failed => return Some((tera, origins)),
            Ok(()) => return None,
            Err(e) => {
                failed = true;
                let d = template_error(&e, &origins, None);
                let culprit = origins
                    .iter()
                    .find(|(_, p)| **p == d.path)
                    .map(|(k, _)| k.clone());
                diags.push(d);
                match culprit {
                    Some(name) => {
                        texts.remove(&name);
                    }
                    None => return None,
                }
            }
        }
    }
    None
}

/// A Tera error as a diagnostic at the template's file and line. `page` is the page being
/// rendered, named in the message of runtime errors.
pub fn template_error(
    e: &tera::Error,
    origins: &BTreeMap<String, PathBuf>,
    page: Option<&Path>,
) -> Diagnostic {
    use tera::ErrorKind;
    let blame = Blame { origins, page };
    match e.kind() {
        ErrorKind::SyntaxError(r) => Diagnostic::error(
            blame.file_of(r.filename()),
            r.span().start_line,
            r.span().start_col + 1,
            format!("template syntax: {}", r.message()),
        )
        .with_hint("see the Tera 2 documentation for the tag's form"),
        ErrorKind::RenderingError(r) => {
            let mut msg = r.message().to_string();
            if let Some(src) = std::error::Error::source(e) {
                msg.push_str(&format!(": {src}"));
            }
            let while_ = page.map_or(String::new(), |p| {
                format!(" (while rendering {})", p.display())
            });
            Diagnostic::error(
                blame.file_of(r.filename()),
                r.span().start_line,
                r.span().start_col + 1,
                format!("template error{while_}: {msg}"),
            )
            .with_hint("docs/templates.md lists every variable a template can use")
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            blame.page_or_templates(),
            1,
            1,
            format!("template `{name}` does not exist"),
        )
        .with_hint(format!(
            "create templates/{name}, or pick an existing template"
        )),
        ErrorKind::Msg(m) => blame.message(m),
        kind => blame.structure(kind).unwrap_or_else(|| {
            Diagnostic::error(
                blame.page_or_templates(),
                1,
                1,
                format!("template error: {e}"),
            )
        }),
    }
}

/// Where a template error is shown: the template's file, else the page being rendered.
struct Blame<'a> {
    /// Each template's file, by name.
    origins: &'a BTreeMap<String, PathBuf>,
    page: Option<&'a Path>,
}

impl Blame<'_> {
    /// The file of template `name` (the name itself when it has none).
    fn file_of(&self, name: &str) -> PathBuf {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    }

    /// The page being rendered, else templates/.
    fn page_or_templates(&self) -> PathBuf {
        self.page
            .map_or_else(|| PathBuf::from("templates"), Path::to_path_buf)
    }

    /// A template that extends one that does not exist, or templates that extend or include
    /// each other in a circle; `None` for another kind of error.
    fn structure(&self, kind: &tera::ErrorKind) -> Option<Diagnostic> {
        use tera::ErrorKind;
        let at_top = |name: &str, msg: String| Diagnostic::error(self.file_of(name), 1, 1, msg);
        Some(match kind {
            ErrorKind::MissingParent { current, parent } => at_top(
                current,
                format!("this template extends `{parent}`, which does not exist"),
            )
            .with_hint("check the name in {% extends %}"),
            ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => at_top(
                tpl,
                format!(
                    "templates extend each other in a circle: {}",
                    inheritance_chain.join(" → ")
                ),
            ),
            ErrorKind::CircularInclude { tpl, include_chain } => at_top(
                tpl,
                format!(
                    "templates include each other in a circle: {}",
                    include_chain.join(" → ")
                ),
            ),
            _ => return None,
        })
    }

    /// An error Tera gives as a message only: at the place it names, when it names one.
    fn message(&self, m: &str) -> Diagnostic {
        let Some((message, name, line, col)) = report_place(m) else {
            return Diagnostic::error(
                self.page_or_templates(),
                1,
                1,
                format!("template error: {m}"),
            );
        };
        let missing = message
            .strip_prefix("Unknown template `")
            .and_then(|t| t.strip_suffix('`'));
        let (message, hint) = match missing {
            Some(t) => (
                format!("this includes the template `{t}`, which does not exist"),
                "an include names a template of templates/, the theme or the built-in theme",
            ),
            None => (
                format!("template error: {message}"),
                "see docs/templates.md",
            ),
        };
        Diagnostic::error(self.file_of(&name), line, col, message).with_hint(hint)
    }
}

/// The first of the reports Tera joins into one message when templates are checked together
/// (`error: Unknown template `x`` then ` --> page.html:1:12` and the source lines): its
/// message, template name, line and column. `None` for a message of another form.
fn report_place(message: &str) -> Option<(String, String, usize, usize)> {
    let mut lines = message.lines();
    let what = lines.find_map(|l| l.trim().strip_prefix("error: "))?;
    let at = lines.next()?.trim().strip_prefix("--> ")?;
    let (rest, col) = at.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((
        what.to_string(),
        name.to_string(),
        line.parse().ok()?,
        col.parse().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_embedded() {
        assert!(
            DEFAULT_THEME
                .iter()
                .any(|(p, _)| *p == "templates/base.html")
        );
        assert!(DEFAULT_THEME.iter().any(|(p, _)| p.starts_with("static/")));
    }

    #[test]
    fn a_map_is_looped_over_in_the_order_it_was_written() {
        // A page's `extra:` as the author wrote it: a template's loop keeps that order in every
        // build (tera's `preserve_order`), so two builds of one course give the same bytes.
        let extra: serde_yaml::Mapping =
            serde_yaml::from_str("zeta: 1\nalpha: 2\nmid: 3\nbeta: 4\nomega: 5\nkappa: 6\n")
                .unwrap();
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t", "{% for k, v in extra %}{{ k }}={{ v }};{% endfor %}")
            .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("extra", &extra);
        for _ in 0..3 {
            let out = tera.render("t", &ctx).unwrap();
            assert_eq!(out, "zeta=1;alpha=2;mid=3;beta=4;omega=5;kappa=6;");
        }
    }

    #[test]
    fn every_broken_template_is_reported_with_its_line() {
        let mut texts = BTreeMap::new();
        texts.insert(
            "a.html".to_string(),
            (
                "ok\n{% if %}".to_string(),
                PathBuf::from("templates/a.html"),
            ),
        );
        texts.insert(
            "b.html".to_string(),
            ("{{ x }".to_string(), PathBuf::from("templates/b.html")),
        );
        texts.insert(
            "c.html".to_string(),
            ("fine".to_string(), PathBuf::from("templates/c.html")),
        );
        let mut d = Diagnostics::new();
        assert!(compile(texts, &mut d).is_none());
        let got: Vec<_> = d
            .sorted()
            .iter()
            .map(|d| (d.path.display().to_string(), d.line))
            .collect();
        assert_eq!(
            got,
            [
                ("templates/a.html".to_string(), 2),
                ("templates/b.html".to_string(), 1)
            ]
        );
    }
}
