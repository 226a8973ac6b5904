//! The checks of course.yaml's values, each mistake reported at its key.

use std::path::{Path, PathBuf};

use super::{
    Clock, CourseFile, DueRule, is_language_tag, is_theme_name, normalize_base_url,
    resolve_due_rule,
};
use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::yaml::{self, Seg};

/// Checks course.yaml's values one key at a time; `ok` stays true while none is wrong.
pub(super) struct Check<'a> {
    spans: &'a yaml::Spans,
    diags: &'a mut Diagnostics,
    /// Whether `--base-url` stands for the file's `base_url` (its errors are blamed on it).
    base_url_flag: bool,
    /// No error so far.
    pub(super) ok: bool,
}

impl<'a> Check<'a> {
    /// A check of the course.yaml that `spans` index.
    pub(super) fn new(
        spans: &'a yaml::Spans,
        diags: &'a mut Diagnostics,
        base_url_flag: bool,
    ) -> Self {
        Check {
            spans,
            diags,
            base_url_flag,
            ok: true,
        }
    }

    /// Reports an error at `segs` of `file` (course.yaml, or the flag that stands for a key).
    fn err_in(
        &mut self,
        file: PathBuf,
        segs: &[Seg],
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (l, c) = self.spans.at(segs);
        self.diags
            .push(Diagnostic::error(file, l, c, msg.into()).with_hint(hint.into()));
        self.ok = false;
    }

    /// Reports an error at `segs` of course.yaml.
    fn err(&mut self, segs: &[Seg], msg: impl Into<String>, hint: impl Into<String>) {
        self.err_in(PathBuf::from("course.yaml"), segs, msg, hint);
    }

    /// `timezone`: an IANA name (UTC after an error, so that later checks go on).
    pub(super) fn time_zone(&mut self, name: &str) -> jiff::tz::TimeZone {
        if let Ok(tz) = jiff::tz::TimeZone::get(name) {
            return tz;
        }
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        let hint = crate::base::diagnostics::nearest(name, names.iter().map(String::as_str))
            .map(|n| format!("did you mean `{n}`?"))
            .unwrap_or_else(|| {
                "use an IANA name such as America/New_York, Europe/Berlin or Asia/Kolkata".into()
            });
        self.err(
            &[Seg::Key("timezone")],
            format!("unknown time zone `{name}`"),
            hint,
        );
        jiff::tz::TimeZone::UTC
    }

    /// `current_term`: a term id.
    pub(super) fn current_term(&mut self, id: &str) {
        if !crate::load::term::is_term_id(id) {
            self.err(
                &[Seg::Key("current_term")],
                format!("`{id}` is not a term id"),
                "a term id is a file name in terms/ without .yaml: lowercase letters, digits and dashes, e.g. spring-2026",
            );
        }
    }

    /// `base_url` (or `--base-url`): the site's address and its path (`/` after an error).
    pub(super) fn base_url(&mut self, course: &CourseFile, flag: Option<&str>) -> (String, String) {
        let raw = flag.map(str::to_string).or_else(|| course.base_url.clone());
        match normalize_base_url(raw.as_deref().unwrap_or("/")) {
            Ok(pair) => pair,
            Err(msg) => {
                let file = if self.base_url_flag {
                    "--base-url"
                } else {
                    "course.yaml"
                };
                self.err_in(
                    PathBuf::from(file),
                    &[Seg::Key("base_url")],
                    msg,
                    "write an absolute URL like https://example.edu/mlops/ or a path like /mlops/",
                );
                ("/".into(), "/".into())
            }
        }
    }

    /// `language`: a BCP 47 tag (default `en`).
    pub(super) fn language(&mut self, course: &CourseFile) -> String {
        let language = course.language.clone().unwrap_or_else(|| "en".into());
        if !is_language_tag(&language) {
            self.err(
                &[Seg::Key("language")],
                format!("`{language}` is not a language tag"),
                "use a BCP 47 tag such as en, en-US, fr or pt-BR",
            );
        }
        language
    }

    /// `time_format`: 24h or 12h, else the language's clock.
    pub(super) fn clock(&mut self, course: &CourseFile, language: &str) -> Clock {
        Clock::of(course.time_format.as_deref(), language).unwrap_or_else(|msg| {
            self.err(
                &[Seg::Key("time_format")],
                msg,
                "write time_format: 24h (13:30) or time_format: 12h (1:30 PM)",
            );
            Clock::H24
        })
    }

    /// `labs.due`: the course's due rule, filled from the default; and `labs.notebook_launch`,
    /// which must say where the notebook's address goes.
    pub(super) fn due_rule(&mut self, course: &CourseFile) -> DueRule {
        let rule = match resolve_due_rule(course.labs.due.as_ref(), DueRule::default()) {
            Ok(r) => r,
            Err((key, msg, hint)) => {
                self.err(
                    &[Seg::Key("labs"), Seg::Key("due"), Seg::Key(key)],
                    msg,
                    hint,
                );
                DueRule::default()
            }
        };
        if let Some(tpl) = &course.labs.notebook_launch
            && !tpl.contains("{url}")
        {
            self.err(
                &[Seg::Key("labs"), Seg::Key("notebook_launch")],
                "labs.notebook_launch has no `{url}` in it",
                "write where the notebook's address goes, e.g. https://jupyter.example.edu/open?url={url}",
            );
        }
        rule
    }

    /// Every URL the theme writes into an `href`, and each instructor's name and photo.
    pub(super) fn links_and_people(&mut self, root: &Path, course: &CourseFile) {
        for (segs, url) in course_urls(course) {
            if let Err((msg, hint)) = crate::base::urls::check_link_url(url) {
                self.err(&segs, msg, hint);
            }
        }
        for (i, person) in course.instructors.iter().enumerate() {
            if person.name.trim().is_empty() {
                let at = [Seg::Key("instructors"), Seg::Index(i)];
                self.err(&at, "an instructor without a name", "add `name: …`");
            }
            if let Some((msg, hint)) = photo_problem(root, &person.photo) {
                let at = [Seg::Key("instructors"), Seg::Index(i), Seg::Key("photo")];
                self.err(&at, msg, hint);
            }
        }
    }

    /// `theme`: a plain name, and a folder themes/<name>/ unless it is the built-in `default`.
    pub(super) fn theme(&mut self, root: &Path, theme: &str) {
        let at = self.spans.at(&[Seg::Key("theme")]);
        if !check_theme(root, theme, at, self.diags) {
            self.ok = false;
        }
    }
}

/// What is wrong with an instructor's `photo` (a path inside static/), if anything.
fn photo_problem(root: &Path, photo: &str) -> Option<(String, String)> {
    if photo.is_empty() {
        return None;
    }
    let hint = "give the photo's path inside static/, e.g. `photo: people/ana.jpg` for static/people/ana.jpg";
    let inside = !photo.starts_with('/')
        && !photo.contains('\\')
        && photo
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if !inside {
        return Some((
            format!("`photo: {photo}` is not a path inside static/"),
            hint.into(),
        ));
    }
    match root.join("static").join(photo).is_file() {
        true => None,
        false => Some((format!("there is no file static/{photo}"), hint.into())),
    }
}

/// Every value of course.yaml that the theme writes into an `href`, with its key path.
fn course_urls(course: &CourseFile) -> Vec<(Vec<Seg<'static>>, &str)> {
    let mut out: Vec<(Vec<Seg<'static>>, &str)> = course
        .instructors
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let own = (!p.url.is_empty()).then(|| {
                let segs = vec![Seg::Key("instructors"), Seg::Index(i), Seg::Key("url")];
                (segs, p.url.as_str())
            });
            let links = p.links.iter().enumerate().map(move |(k, l)| {
                let segs = vec![
                    Seg::Key("instructors"),
                    Seg::Index(i),
                    Seg::Key("links"),
                    Seg::Index(k),
                    Seg::Key("url"),
                ];
                (segs, l.url.as_str())
            });
            own.into_iter().chain(links)
        })
        .collect();
    if let Some(tpl) = &course.labs.notebook_launch {
        out.push((vec![Seg::Key("labs"), Seg::Key("notebook_launch")], tpl));
    }
    out
}

/// Checks `theme:` (at `(line, col)` of course.yaml): a plain name, and a folder
/// themes/<name>/ unless it is the built-in `default`. Errors go to `diags`.
fn check_theme(root: &Path, theme: &str, (l, c): (usize, usize), diags: &mut Diagnostics) -> bool {
    if !is_theme_name(theme) {
        diags.push(
            Diagnostic::error(
                "course.yaml",
                l,
                c,
                format!("`theme: {theme}` is not a theme name"),
            )
            .with_hint("a theme is a folder directly inside themes/, named with letters, digits, dashes and underscores (theme: campus for themes/campus/); leave `theme` out for the built-in theme"),
        );
        return false;
    }
    if theme == "default" || root.join("themes").join(theme).is_dir() {
        return true;
    }
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.push("default".into());
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    diags.push(
        Diagnostic::error(
            "course.yaml",
            l,
            c,
            format!("theme `{theme}` does not exist: there is no folder themes/{theme}/"),
        )
        .with_hint(did_you_mean(theme, &refs)),
    );
    false
}
