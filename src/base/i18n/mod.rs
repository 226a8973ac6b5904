//! The site in the course's language: every interface string from a translation table (the
//! built-in one of the language, under the course's own `i18n.yaml`), plurals by CLDR's rules
//! (ICU4X `icu_plurals`), dates and times by CLDR's patterns (ICU4X `icu_datetime`, see
//! [`dates`]). A string a table lacks falls back to English; [`I18n::html`] marks it
//! `lang="en"`.
//!
//! To add a string: add the key to `tables/en.yaml` (tests fail until every built-in table
//! has it too), then write `{{ t(key="the_key") }}` in a template or `i18n.t("the_key")` in
//! Rust.

pub mod check;
pub mod dates;

use std::collections::BTreeMap;

use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;

/// The built-in tables: language tag → YAML text.
pub const BUILT_IN: [(&str, &str); 14] = [
    ("en", include_str!("tables/en.yaml")),
    ("de", include_str!("tables/de.yaml")),
    ("fr", include_str!("tables/fr.yaml")),
    ("es", include_str!("tables/es.yaml")),
    ("it", include_str!("tables/it.yaml")),
    ("pt", include_str!("tables/pt.yaml")),
    ("nl", include_str!("tables/nl.yaml")),
    ("tr", include_str!("tables/tr.yaml")),
    ("zh-Hans", include_str!("tables/zh-Hans.yaml")),
    ("ja", include_str!("tables/ja.yaml")),
    ("ko", include_str!("tables/ko.yaml")),
    ("hi", include_str!("tables/hi.yaml")),
    ("ar", include_str!("tables/ar.yaml")),
    ("he", include_str!("tables/he.yaml")),
];

/// One message: a text, or one text per CLDR plural category (`one`, `few`, `other`…) for a
/// message that counts; `{n}` in it stands for the count, `{name}` for a named value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum Message {
    /// The same words whatever the count.
    Text(String),
    /// Category → words.
    Plural(BTreeMap<String, String>),
}

/// A table: key → message.
pub type Table = BTreeMap<String, Message>;

/// Parses a built-in table (an empty one if the text does not read: the tests prove each does).
pub fn built_in_table(text: &str) -> Table {
    serde_yaml::from_str(text).unwrap_or_default()
}

/// The built-in table whose language serves `language` (`pt-BR` → `pt`, `zh-CN` → `zh-Hans`),
/// if there is one.
pub fn built_in_for(language: &str) -> Option<(&'static str, &'static str)> {
    let lower = language.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let tag = match lang {
        // Simplified Chinese unless the tag asks for Traditional script or region.
        "zh" if rest
            .iter()
            .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo")) =>
        {
            return None;
        }
        "zh" => "zh-Hans",
        "iw" => "he",
        other => other,
    };
    BUILT_IN.iter().copied().find(|(t, _)| *t == tag)
}

/// What a page needs to speak the course's language: its messages and its date formats.
#[derive(Debug)]
pub struct I18n {
    /// The course's language tag, as written.
    pub language: String,
    /// The course's messages: the built-in table of its language under `i18n.yaml`.
    table: Table,
    /// The English table every missing message falls back to.
    english: Table,
    plurals: Option<PluralRules>,
    english_plurals: Option<PluralRules>,
    /// Dates and times as CLDR writes them in the language.
    pub dates: dates::Dates,
    /// The first day of a week on the calendar views (CLDR's, [`dates::first_weekday`]).
    pub first_weekday: jiff::civil::Weekday,
}

impl I18n {
    /// The messages and formats of `language`, with the course's own `overrides` on top.
    /// `hour12` is course.yaml's `time_format` (`None`: the language's own clock).
    pub fn new(language: &str, overrides: Table, hour12: Option<bool>) -> I18n {
        let english = built_in_table(BUILT_IN[0].1);
        let mut table = built_in_for(language).map_or_else(Table::new, |(_, t)| built_in_table(t));
        table.extend(overrides);
        I18n {
            language: language.to_string(),
            table,
            english,
            plurals: plural_rules(language),
            english_plurals: plural_rules("en"),
            dates: dates::Dates::new(language, hour12),
            first_weekday: dates::first_weekday(language),
        }
    }

    /// The message `key` and whether it is the English fallback.
    fn message(&self, key: &str) -> (Option<&Message>, bool) {
        match self.table.get(key) {
            Some(m) => (Some(m), false),
            None => (self.english.get(key), true),
        }
    }

    /// `key`'s text with `{name}` filled from `args` and, for a counting message, the form of
    /// `n`; the key itself when not even English has it (a template's typo shows, never
    /// vanishes). The flag says the text is the English fallback.
    pub fn lookup(&self, key: &str, n: Option<i64>, args: &[(&str, &str)]) -> (String, bool) {
        let (msg, fallback) = self.message(key);
        let rules = if fallback {
            &self.english_plurals
        } else {
            &self.plurals
        };
        let Some(msg) = msg else {
            return (key.to_string(), true);
        };
        let category = n.map_or("other", |n| category(rules.as_ref(), n));
        (fill(msg, category, n, args), fallback)
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None, &[]).0
    }

    /// The text of `key` with `{name}`s filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lookup(key, None, args).0
    }

    /// The form of counting message `key` for `n`, `{n}` filled.
    pub fn n(&self, key: &str, n: i64) -> String {
        self.lookup(key, Some(n), &[]).0
    }

    /// The text of `key` as HTML for an element's content (see [`as_html`]).
    pub fn html(&self, key: &str, n: Option<i64>, args: &[(&str, &str)]) -> String {
        let (text, fallback) = self.lookup(key, n, args);
        as_html(
            key,
            &text,
            fallback && !self.language.to_ascii_lowercase().starts_with("en"),
        )
    }

    /// `key`'s message as HTML for an element's content, its `{name}`s filled with `args`,
    /// which are HTML already (escape the author's text with [`esc`]). When the message is
    /// the English fallback on a page in another language, it is wrapped in
    /// `<span lang="en">` and each filled-in value in a span of the course's language (a
    /// title or a date inside English words is still the course's), WCAG 3.1.2.
    pub fn fill_html(&self, key: &str, n: Option<i64>, args: &[(&str, &str)]) -> String {
        let (msg, fallback) = self.message(key);
        let Some(msg) = msg else {
            return esc(key);
        };
        let marked = fallback && !self.is_english();
        let rules = if fallback {
            &self.english_plurals
        } else {
            &self.plurals
        };
        let category = n.map_or("other", |n| category(rules.as_ref(), n));
        // Escaped first (`{` and `}` are not touched), filled after: values are HTML.
        let escaped = match (key.ends_with("_html"), msg) {
            (true, m) => m.clone(),
            (false, Message::Text(t)) => Message::Text(esc(t)),
            (false, Message::Plural(f)) => {
                Message::Plural(f.iter().map(|(k, v)| (k.clone(), esc(v))).collect())
            }
        };
        // On a right-to-left site a value (a title in Latin letters, a number) is isolated, so
        // that its punctuation stays with it (`موعد تسليم Lab 4 (part 2)`).
        let rtl = self.rtl();
        let wrapped: Vec<(&str, String)> = args
            .iter()
            .map(|(name, value)| {
                let value = match rtl && !value.is_empty() {
                    true => format!("<bdi>{value}</bdi>"),
                    false => (*value).to_string(),
                };
                match marked && !value.is_empty() {
                    true => (
                        *name,
                        format!("<span lang=\"{}\">{value}</span>", esc(&self.language)),
                    ),
                    false => (*name, value),
                }
            })
            .collect();
        let args: Vec<(&str, &str)> = wrapped.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = fill(&escaped, category, n, &args);
        match marked {
            true => format!("<span lang=\"en\">{out}</span>"),
            false => out,
        }
    }

    /// Whether `key`'s message is the English one on a site in another language (so that a
    /// page must mark it `lang="en"`).
    pub fn marks_english(&self, key: &str) -> bool {
        self.message(key).1 && !self.is_english()
    }

    /// Whether the course's language is English (no fallback needs marking).
    pub fn is_english(&self) -> bool {
        let lang = self.language.split(['-', '_']).next().unwrap_or("");
        lang.eq_ignore_ascii_case("en")
    }

    /// The course's own table (its language's built-in one under its i18n.yaml).
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Whether the language is written right to left (Arabic, Hebrew, Persian, Urdu…).
    pub fn rtl(&self) -> bool {
        let lang = self.language.split(['-', '_']).next().unwrap_or("");
        matches!(
            lang.to_ascii_lowercase().as_str(),
            "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug"
        )
    }

    /// Every message, resolved (for the theme's script and the template function `t`):
    /// key → the course's message or the English one, and whether it fell back.
    pub fn resolved(&self) -> BTreeMap<&str, (&Message, bool)> {
        self.english
            .iter()
            .map(|(k, en)| match self.table.get(k) {
                Some(m) => (k.as_str(), (m, false)),
                None => (k.as_str(), (en, true)),
            })
            .collect()
    }
}

/// CLDR's cardinal plural rules of `language`, if ICU4X knows it.
pub fn plural_rules(language: &str) -> Option<PluralRules> {
    let locale: icu_locale_core::Locale = language.replace('_', "-").parse().ok()?;
    PluralRules::try_new_cardinal((&locale).into()).ok()
}

/// The CLDR plural category of `n` (`one`, `few`, `other`…); `other` without rules.
pub fn category(rules: Option<&PluralRules>, n: i64) -> &'static str {
    match rules.map_or(PluralCategory::Other, |r| r.category_for(n)) {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The words of `msg` for plural `category` (`other` when the message lacks it), with `{n}`
/// and each `{name}` of `args` filled in.
pub fn fill(msg: &Message, category: &str, n: Option<i64>, args: &[(&str, &str)]) -> String {
    let text = match msg {
        Message::Text(t) => t.as_str(),
        Message::Plural(forms) => forms
            .get(category)
            .or_else(|| forms.get("other"))
            .map_or("", String::as_str),
    };
    let count = n.map(|n| n.to_string());
    let mut all: Vec<(&str, &str)> = args.to_vec();
    if let Some(c) = &count {
        all.push(("n", c));
    }
    substitute(text, &all)
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass: a value is never
/// read for placeholders (a lab titled "Using {n} GPUs" keeps its braces). A `{word}` not in
/// `args` stays as written.
pub fn substitute(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]);
        match name.and_then(|name| args.iter().find(|(k, _)| *k == name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` escaped for an element's content or a quoted attribute.
pub fn esc(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// `text` (the message of `key`) as HTML for an element's content: escaped, unless the key
/// ends in `_html` (its text is markup); in `<span lang="en">` when `english` (a fallback on a
/// page in another language, WCAG 3.1.2).
pub fn as_html(key: &str, text: &str, english: bool) -> String {
    let body = if key.ends_with("_html") {
        text.to_string()
    } else {
        html_escape::encode_text(text).into_owned()
    };
    if english {
        format!("<span lang=\"en\">{body}</span>")
    } else {
        body
    }
}

#[cfg(test)]
mod tests;
