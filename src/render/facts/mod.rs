//! Course facts a page's Markdown may name: `{@term.start}`, `{@meetings}`,
//! `{@lab.02-containers.due}`, `{@instructors}`, `{@extra.qa_forum}` … (docs/format.md,
//! "References to course facts"). [`Facts`] is every name a course offers with the Markdown it
//! stands for, computed once per term from the same model the calendar is (course.yaml, the
//! term file and the computed calendar), so a page says what the calendar says.

mod forms;
pub mod hand_typed;
mod names;
pub mod words;

use std::collections::BTreeMap;

use crate::base::i18n::I18n;
use crate::load::config::Config;
use crate::load::content::{Content, Kind};
use crate::load::term::Term;
use crate::schedule::calendar::Calendar;

/// Every reference a term's pages may use, and the Markdown each stands for.
#[derive(Debug, Clone, Default, Hash)]
pub struct Facts {
    /// Reference name → Markdown (the fact's text with Markdown's punctuation escaped).
    values: BTreeMap<String, String>,
    /// A lab page (relative to content/) → its slug, for `{@lab.due}` on the page itself.
    lab_pages: BTreeMap<String, String>,
    /// Whether these are a term's facts; without a term (a course that cannot be loaded),
    /// references are neither replaced nor reported.
    known: bool,
}

/// What the facts are computed from: one term of the course.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// course.yaml.
    pub config: &'a Config,
    /// The term.
    pub term: &'a Term,
    /// The pages (topic titles, lab slugs).
    pub content: &'a Content,
    /// The computed dates.
    pub calendar: &'a Calendar,
}

/// The parts of a lab's facts that `{@lab.…}` on the lab's own page may name.
const THIS_LAB: &[&str] = &["release", "due", "due.date", "due.time"];

impl Facts {
    /// The facts of one term (see the module's documentation for the names).
    pub fn of(src: Sources) -> Facts {
        let mut f = Facts {
            known: true,
            ..Facts::default()
        };
        let w = &src.config.i18n;
        course_fields(&mut f, &src.config.source);
        term_facts(&mut f, src.term, w);
        meeting_facts(&mut f, src.term, w);
        session_facts(&mut f, src, w);
        lab_facts(&mut f, src, w);
        event_facts(&mut f, src.term, w);
        people_facts(&mut f, src.config);
        due_rule_facts(&mut f, src.config);
        f
    }

    fn put(&mut self, name: impl Into<String>, text: &str) {
        self.values.insert(name.into(), escape(text));
    }

    /// The Markdown that reference `name` stands for on the page `rel` (relative to
    /// content/). `Err` holds the hint for an unknown name: the nearest known one, or how
    /// `{@lab.due}` works off a lab page.
    pub fn resolve(&self, name: &str, rel: &str) -> Result<&str, String> {
        let own = name
            .strip_prefix("lab.")
            .filter(|rest| THIS_LAB.contains(rest))
            .and_then(|rest| Some(format!("lab.{}.{rest}", self.lab_pages.get(rel)?)));
        let key = own.as_deref().unwrap_or(name);
        if let Some(v) = self.values.get(key) {
            return Ok(v);
        }
        if let Some(rest) = name.strip_prefix("lab.").filter(|r| THIS_LAB.contains(r)) {
            return Err(format!(
                "`{{@lab.{rest}}}` names the lab of the page it is on, and this page is no lab: write `{{@lab.<slug>.{rest}}}`"
            ));
        }
        // On a lab page, its own facts (`lab.due`) are names too.
        let own: Vec<String> = match self.lab_pages.contains_key(rel) {
            true => THIS_LAB.iter().map(|p| format!("lab.{p}")).collect(),
            false => Vec::new(),
        };
        let names = own
            .iter()
            .map(String::as_str)
            .chain(self.values.keys().map(String::as_str));
        // A session the term does not have: its count, not a neighbour's number.
        let session_number = name
            .strip_prefix("session.")
            .and_then(|r| r.split('.').next())
            .filter(|n| n.parse::<u32>().is_ok())
            .is_some_and(|n| !self.values.contains_key(&format!("session.{n}.date")));
        if session_number {
            return Err(self.missing_hint(name));
        }
        Err(match crate::base::diagnostics::nearest(name, names) {
            Some(n) => {
                format!("did you mean `{{@{n}}}`? every reference is listed in docs/format.md")
            }
            None => self.missing_hint(name),
        })
    }

    /// The hint for a name nothing is near: what the term file lacks, for an event or session.
    fn missing_hint(&self, name: &str) -> String {
        let term = self.values.get("term.id").map_or("<term>", String::as_str);
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            ["event", id, ..] => format!(
                "terms/{term}.yaml has no event `{id}`: give the event `id: {id}`, or write the name of one it has"
            ),
            ["session", n, ..] => {
                let count = self
                    .values
                    .keys()
                    .filter(|k| k.starts_with("session.") && k.ends_with(".date"))
                    .count();
                format!("there is no session {n}: the term has {count} sessions")
            }
            _ => "every reference is listed in docs/format.md, \"References to course facts\""
                .to_string(),
        }
    }

    /// Facts from (name, text) pairs, for tests and fuzz targets: each text is escaped as a
    /// course's facts are.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Facts {
        let mut f = Facts {
            known: true,
            ..Facts::default()
        };
        for (name, text) in pairs {
            f.put(*name, text);
        }
        f
    }

    /// Whether these are a term's facts (see [`Facts::default`]: none, nothing checked).
    pub fn known(&self) -> bool {
        self.known
    }

    /// Every reference name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

/// Escapes what Markdown would read as markup in a fact's text (`*`, `_`, `[`, `<`, `$`…, and
/// a leading `-`, `+` or `1.` that would start a list where the reference starts a line), and
/// makes its line breaks spaces, so that "Room 2_B" stays as written and stays in its sentence.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Lines joined by one space; other spaces (a no-break space in "11:59 PM") kept.
    let text = text
        .split(['\n', '\r'])
        .map(|l| l.trim_matches(|c: char| c.is_ascii_whitespace()))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in text.char_indices() {
        let spaced = text[i + c.len_utf8()..].starts_with(' ') || i + 1 == text.len();
        let starts_list = spaced
            && ((i == 0 && matches!(c, '-' | '+'))
                || (digits > 0 && i == digits && matches!(c, '.' | ')')));
        if starts_list
            || matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '['
                    | ']'
                    | '<'
                    | '>'
                    | '|'
                    | '~'
                    | '$'
                    | '&'
                    | '{'
                    | '}'
                    | '#'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `course.<key>` for every value of course.yaml (list items numbered from 1:
/// `course.instructors.1.email`), and `extra.<key>` for those under `extra`.
fn course_fields(f: &mut Facts, source: &str) {
    let Ok(root) = serde_yaml::from_str::<serde_yaml::Value>(source) else {
        return;
    };
    let mut found = Vec::new();
    flatten("course", &root, &mut found);
    for (name, text) in found {
        if let Some(rest) = name.strip_prefix("course.extra.") {
            f.put(format!("extra.{rest}"), &text);
        }
        f.put(name, &text);
    }
}

fn flatten(prefix: &str, v: &serde_yaml::Value, out: &mut Vec<(String, String)>) {
    use serde_yaml::Value;
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                if let Some(k) = scalar(k) {
                    flatten(&format!("{prefix}.{k}"), v, out);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{}", i + 1), v, out);
            }
        }
        Value::Tagged(t) => flatten(prefix, &t.value, out),
        other => {
            if let Some(text) = scalar(other) {
                out.push((prefix.to_string(), text));
            }
        }
    }
}

fn scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn term_facts(f: &mut Facts, term: &Term, w: &I18n) {
    f.put("term.id", &term.id);
    f.put("term.name", &term.name);
    f.put("term.start", &words::date(w, term.start));
    f.put("term.end", &words::date(w, term.end));
    f.put("term.start.long", &words::long_date(w, term.start));
    f.put("term.end.long", &words::long_date(w, term.end));
    let breaks: Vec<String> = term
        .holidays
        .iter()
        .map(|h| words::with_detail(&h.name, &words::span(w, h.from, h.to)))
        .collect();
    f.put("term.breaks", &words::list(w, &breaks));
}

/// `meetings` (the classes, office hours left out), and `meeting.N` with its parts.
fn meeting_facts(f: &mut Facts, term: &Term, w: &I18n) {
    let mut classes = Vec::new();
    for (i, m) in term.meetings.iter().enumerate() {
        let n = i + 1;
        let when = format!(
            "{} {}",
            words::weekdays(w, &m.days),
            words::time_span(w, m.start, m.end)
        );
        let whole = [when.as_str(), m.location.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        f.put(format!("meeting.{n}"), &whole);
        f.put(format!("meeting.{n}.name"), &m.name);
        f.put(format!("meeting.{n}.days"), &words::weekdays(w, &m.days));
        f.put(
            format!("meeting.{n}.time"),
            &words::time_span(w, m.start, m.end),
        );
        f.put(format!("meeting.{n}.location"), &m.location);
        if !m.office_hours {
            classes.push((m.name.clone(), whole));
        }
    }
    let text = match classes.as_slice() {
        [(_, one)] => one.clone(),
        many => words::clauses(
            &many
                .iter()
                .map(|(name, w)| format!("{name}: {w}"))
                .collect::<Vec<_>>(),
        ),
    };
    f.put("meetings", &text);
}

/// `session.N.date`, `.time`, `.topic`; `topic.<slug>.date` and `.session`.
fn session_facts(f: &mut Facts, src: Sources, w: &I18n) {
    let title = |slug: &str| {
        src.content
            .pages
            .iter()
            .find(|p| p.kind == Kind::Topic && p.slug == slug)
            .map_or_else(|| slug.to_string(), |p| p.title.clone())
    };
    for s in &src.calendar.sessions {
        let n = s.number;
        f.put(format!("session.{n}.date"), &words::date(w, s.date));
        f.put(
            format!("session.{n}.time"),
            &words::time_span(w, s.start, s.end),
        );
        let topics: Vec<String> = s.topics.iter().map(|t| title(t)).collect();
        f.put(format!("session.{n}.topic"), &words::list(w, &topics));
    }
    for (slug, numbers) in &src.calendar.topic_sessions {
        let first = numbers
            .first()
            .and_then(|n| src.calendar.sessions.iter().find(|s| s.number == *n));
        if let Some(s) = first {
            f.put(format!("topic.{slug}.date"), &words::date(w, s.date));
            f.put(format!("topic.{slug}.session"), &s.number.to_string());
        }
    }
}

/// `lab.<slug>.release`, `.due`, `.due.date`, `.due.time`, and which page is which lab.
fn lab_facts(f: &mut Facts, src: Sources, w: &I18n) {
    for l in &src.calendar.labs {
        let slug = &l.slug;
        let due_minutes = l.due.hour() as u16 * 60 + l.due.minute() as u16;
        f.put(format!("lab.{slug}.release"), &words::date(w, l.release));
        f.put(
            format!("lab.{slug}.due"),
            &words::date_at(w, l.due.date(), due_minutes),
        );
        f.put(
            format!("lab.{slug}.due.date"),
            &words::date(w, l.due.date()),
        );
        f.put(format!("lab.{slug}.due.time"), &words::time(w, due_minutes));
    }
    for p in src.content.pages.iter().filter(|p| p.kind == Kind::Lab) {
        f.lab_pages.insert(p.rel.clone(), p.slug.clone());
    }
}

/// `event.<name>`, `.date` and `.time`, where the name is the event's `id` (written, or
/// `event-<n>` by its place in the list) and also its title in lowercase with dashes
/// ("Project proposal due" → `project-proposal-due`) when no other event has that title.
fn event_facts(f: &mut Facts, term: &Term, w: &I18n) {
    for e in &term.events {
        let whole = match e.time {
            Some(t) => words::date_at(w, e.date, t),
            None => words::date(w, e.date),
        };
        let mut keys = vec![event_id(e).to_string()];
        keys.extend(title_name(e, &term.events));
        for key in keys {
            f.put(format!("event.{key}"), &whole);
            f.put(format!("event.{key}.date"), &words::date(w, e.date));
            if let Some(t) = e.time {
                f.put(format!("event.{key}.time"), &words::time(w, t));
            }
        }
    }
}

/// The name references best give event `e` of `all`: its written `id`, else its title's name
/// when no other event has the same, else `event-<n>`.
pub fn event_name(e: &crate::load::term::Event, all: &[crate::load::term::Event]) -> String {
    match e.id.strip_prefix("id:") {
        Some(id) => id.to_string(),
        None => title_name(e, all).unwrap_or_else(|| e.id.clone()),
    }
}

/// `e`'s title as a reference name, unless another event of `all` has the same one.
fn title_name(e: &crate::load::term::Event, all: &[crate::load::term::Event]) -> Option<String> {
    let key = title_key(&e.title);
    let same = all.iter().filter(|o| title_key(&o.title) == key).count();
    (same == 1 && !key.is_empty() && key != event_id(e)).then_some(key)
}

/// An event's identity as references write it: its `id` as written, else `event-<n>`.
pub fn event_id(e: &crate::load::term::Event) -> &str {
    e.id.strip_prefix("id:").unwrap_or(&e.id)
}

/// A title as a reference name: lowercase, each run of other characters than letters and
/// digits one `-`.
fn title_key(title: &str) -> String {
    let mut key = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_end_matches('-').to_string()
}

/// `instructors` ("Ada Lovelace (ada@example.edu)" for each) and `instructor.N.<field>`.
fn people_facts(f: &mut Facts, config: &Config) {
    let mut all = Vec::new();
    for (i, p) in config.course.instructors.iter().enumerate() {
        let n = i + 1;
        f.put(format!("instructor.{n}.name"), &p.name);
        f.put(format!("instructor.{n}.email"), &p.email);
        f.put(format!("instructor.{n}.office"), &p.office);
        f.put(format!("instructor.{n}.hours"), &p.hours);
        f.put(format!("instructor.{n}.url"), &p.url);
        all.push(words::with_detail(&p.name, &p.email));
    }
    f.put("instructors", &words::list(&config.i18n, &all));
}

/// `labs.due` in words ("Mondays at 11:59 PM") and its parts.
fn due_rule_facts(f: &mut Facts, config: &Config) {
    let rule = config.due_rule;
    let at = words::time(&config.i18n, rule.time);
    f.put(
        "labs.due",
        &words::due_rule(&config.i18n, rule.weekday, rule.time),
    );
    f.put(
        "labs.due.weekday",
        &words::weekday(&config.i18n, rule.weekday),
    );
    f.put("labs.due.time", &at);
    f.put("labs.due.min_days", &rule.min_days.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_fact_is_escaped() {
        assert_eq!(escape("Room 2_B <east> $5"), "Room 2\\_B \\<east\\> \\$5");
        assert_eq!(escape("ffund@nyu.edu"), "ffund@nyu.edu");
        assert_eq!(escape("- one\n\n  two"), "\\- one two");
        assert_eq!(escape("2026. A year"), "2026\\. A year");
        assert_eq!(escape("3.20 and 1) x"), "3.20 and 1) x");
        assert_eq!(escape("11:59\u{a0}PM"), "11:59\u{a0}PM");
    }

    #[test]
    fn yaml_values_flatten_with_items_from_one() {
        let mut f = Facts::default();
        course_fields(
            &mut f,
            "title: T\ninstructors:\n  - {name: A, email: a@x}\nextra: {forum: Ed, n: 3, on: true}\n",
        );
        let names: Vec<&str> = f.names().collect();
        assert_eq!(
            names,
            [
                "course.extra.forum",
                "course.extra.n",
                "course.extra.on",
                "course.instructors.1.email",
                "course.instructors.1.name",
                "course.title",
                "extra.forum",
                "extra.n",
                "extra.on"
            ]
        );
        assert_eq!(f.resolve("extra.n", "x.md"), Ok("3"));
        assert_eq!(
            f.resolve("extra.forun", "x.md"),
            Err(
                "did you mean `{@extra.forum}`? every reference is listed in docs/format.md".into()
            )
        );
    }
}
