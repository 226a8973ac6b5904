//! The interface strings in templates and in the theme's script. Templates call
//! `{{ t(key="search") }}`, `{{ t(key="sessions_count", n=3) }}` or
//! `{{ t(key="search_label", course=site.code) }}`: the course's message (or the English one,
//! in `<span lang="en">`), HTML-escaped, with `{n}` and each named value filled in. In an
//! attribute write `t(key=…, attr=true)`: plain text, no span. The messages travel in `site.i18n`,
//! so the function holds no state and compiled templates stay valid for every language.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Kwargs, State, TeraResult, Value};

use crate::base::i18n::{I18n, Message, as_html, category, fill, plural_rules};

/// `site.i18n`: the course's language and every message, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct I18nCtx {
    /// The course's language tag.
    pub language: String,
    /// Key → message and whether it is the English fallback.
    pub messages: BTreeMap<String, MessageCtx>,
}

/// One resolved message.
#[derive(Debug, Clone, Serialize)]
pub struct MessageCtx {
    /// The words (one text, or one per plural category).
    pub m: Message,
    /// Whether they are the English fallback.
    pub en: bool,
}

/// The messages the theme's script shows (copy buttons, "next up", search status).
const SCRIPT_KEYS: [&str; 32] = [
    "search_short",
    "searching",
    "search_none",
    "search_results",
    "search_best_shown",
    "search_failed",
    "copy",
    "copy_code",
    "copied",
    "copy_failed",
    "copy_failed_note",
    "dark_mode",
    "done",
    "to_do",
    "task",
    "next_class",
    "first_class",
    "due_within",
    "term_over",
    "term_starts",
    "holiday_today",
    "holiday_until",
    "due_meanwhile",
    "classes_over",
    "still_due",
    "next_deadline",
    "nothing_else_due",
    "nothing_due_until_then",
    "today",
    "tomorrow",
    "yesterday",
    "in_days",
];

impl I18nCtx {
    /// The context of `i18n`.
    pub fn of(i18n: &I18n) -> I18nCtx {
        let english = i18n.language.to_ascii_lowercase().starts_with("en");
        I18nCtx {
            language: i18n.language.clone(),
            messages: i18n
                .resolved()
                .into_iter()
                .map(|(k, (m, fell))| {
                    let ctx = MessageCtx {
                        m: m.clone(),
                        en: fell && !english,
                    };
                    (k.to_string(), ctx)
                })
                .collect(),
        }
    }

    /// The script's messages as JSON for `<script type="application/json">` (`<` escaped so
    /// no message can end the element): key → text or category → text.
    pub fn script_json(&self) -> String {
        let mut keys: Vec<&str> = SCRIPT_KEYS.to_vec();
        keys.push("days_ago");
        let mut picked: BTreeMap<&str, serde_json::Value> = keys
            .iter()
            .filter_map(|k| self.messages.get(*k).map(|m| (*k, serde_json::json!(m.m))))
            .collect();
        // The keys whose text is the English fallback: the script marks them lang="en".
        let english: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| self.messages.get(*k).is_some_and(|m| m.en))
            .collect();
        if !english.is_empty() {
            picked.insert("_en", serde_json::json!(english));
        }
        serde_json::to_string(&picked)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    }
}

/// A [`MessageCtx`] read back from the template context.
fn message_of(entry: &Value) -> Option<MessageCtx> {
    let en = entry
        .get_from_path("en")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let m = entry.get_from_path("m")?;
    let m = match m.as_str() {
        Some(text) => Message::Text(text.to_string()),
        None => Message::Plural(
            m.as_map()?
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect(),
        ),
    };
    Some(MessageCtx { m, en })
}

/// The template function `t`: see the module's documentation.
pub fn t(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let key: String = kwargs.must_get::<&str>("key")?.to_string();
    let n: Option<i64> = kwargs.get("n")?;
    let attr: bool = kwargs.get("attr")?.unwrap_or(false);
    let site: Option<Value> = state.get("site")?;
    let found = site.as_ref().and_then(|s| {
        let lang = s.get_from_path("i18n.language")?.as_str()?.to_string();
        let path = format!("i18n.messages.{key}");
        let entry = s.get_from_path(&path)?;
        Some((lang, message_of(entry)?))
    });
    let Some((lang, msg)) = found else {
        return Err(tera::Error::message(format!(
            "`{key}` is not an interface string (see the keys in docs/format.md)"
        )));
    };
    let args: Vec<(String, String)> = kwargs
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v)))
        .filter(|(k, _)| !matches!(k.as_str(), "key" | "n" | "attr"))
        .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let rules_lang = if msg.en { "en" } else { lang.as_str() };
    let cat = n.map_or("other", |n| category(plural_rules(rules_lang).as_ref(), n));
    let text = fill(&msg.m, cat, n, &args);
    Ok(if attr {
        Value::normal_string(&text)
    } else {
        Value::safe_string(&as_html(&key, &text, msg.en))
    })
}
