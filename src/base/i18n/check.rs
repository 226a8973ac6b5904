//! What an author can get wrong about the course's language: a `language` that is no language
//! tag (`german`, `de_AT`, empty), and a message of `i18n.yaml` whose form or `{placeholders}`
//! do not fit its key. The loaders place each problem in its file; the rules are here.

use super::{BUILT_IN, Message, built_in_for, built_in_table};

/// Common ways of naming a language instead of tagging it, with the tag meant (English names,
/// the language's own name, with and without accents).
const NAMES: [(&str, &str); 44] = [
    ("english", "en"),
    ("german", "de"),
    ("deutsch", "de"),
    ("french", "fr"),
    ("français", "fr"),
    ("francais", "fr"),
    ("spanish", "es"),
    ("español", "es"),
    ("espanol", "es"),
    ("italian", "it"),
    ("italiano", "it"),
    ("portuguese", "pt"),
    ("português", "pt"),
    ("portugues", "pt"),
    ("brazilian", "pt-BR"),
    ("dutch", "nl"),
    ("nederlands", "nl"),
    ("turkish", "tr"),
    ("türkçe", "tr"),
    ("turkce", "tr"),
    ("chinese", "zh-Hans"),
    ("mandarin", "zh-Hans"),
    ("中文", "zh-Hans"),
    ("japanese", "ja"),
    ("日本語", "ja"),
    ("korean", "ko"),
    ("한국어", "ko"),
    ("hindi", "hi"),
    ("हिन्दी", "hi"),
    ("arabic", "ar"),
    ("العربية", "ar"),
    ("hebrew", "he"),
    ("עברית", "he"),
    ("swedish", "sv"),
    ("svenska", "sv"),
    ("polish", "pl"),
    ("russian", "ru"),
    ("greek", "el"),
    ("persian", "fa"),
    ("farsi", "fa"),
    ("ukrainian", "uk"),
    ("vietnamese", "vi"),
    ("danish", "da"),
    ("norwegian", "nb"),
];

/// Why `tag` is no BCP 47 language tag, with a hint, or `None` when it is one. The language
/// subtag must have two or three letters (the only ones IANA's registry holds), and the whole
/// tag must read as Unicode's locale identifier (ICU4X), so `en-US-u-fw-mon` is one.
pub fn language_problem(tag: &str) -> Option<(String, String)> {
    let first = tag.split(['-', '_']).next().unwrap_or("");
    let letters = first.chars().all(|c| c.is_ascii_alphabetic());
    let reads = tag.parse::<icu_locale_core::Locale>().is_ok();
    if (2..=3).contains(&first.len()) && letters && reads && !tag.contains('_') {
        return None;
    }
    let message = format!("`{tag}` is not a language tag");
    let lower = tag.trim().to_lowercase();
    let named = NAMES.iter().find(|(name, _)| *name == lower);
    let hint = if let Some((_, code)) = named {
        format!("write the language's tag: `language: {code}`")
    } else if tag.contains('_')
        && tag
            .replace('_', "-")
            .parse::<icu_locale_core::Locale>()
            .is_ok()
    {
        format!(
            "a tag joins its parts with `-`: `{}`",
            tag.replace('_', "-")
        )
    } else if tag.trim().is_empty() {
        "write a BCP 47 tag such as en, en-US, fr or pt-BR, or leave `language` out (English)"
            .to_string()
    } else {
        "use a BCP 47 tag such as en, en-US, fr or pt-BR".to_string()
    };
    Some((message, hint))
}

/// When the course's language has no built-in table and `i18n.yaml` leaves keys out: what the
/// site will say in English, as a warning with its hint.
pub fn coverage(language: &str, own: &super::Table) -> Option<(String, String)> {
    if built_in_for(language).is_some() {
        return None;
    }
    let english = built_in_table(BUILT_IN[0].1);
    let missing = english.keys().filter(|k| !own.contains_key(*k)).count();
    (missing > 0).then(|| {
        (
            format!(
                "there is no built-in translation for `{language}`: {missing} of the site's {} interface strings will be English (marked lang=\"en\")",
                english.len()
            ),
            "translate them in i18n.yaml beside course.yaml (docs/format.md, \"i18n.yaml\"), or use a language with a built-in table".to_string(),
        )
    })
}

/// One problem of a message: the plural category it is in (if the message counts), whether it
/// is an error (else a warning), what is wrong and how to mend it.
#[derive(Debug, PartialEq, Eq)]
pub struct MessageProblem {
    /// The form it is in (`other`), or `None` for the message as a whole.
    pub category: Option<String>,
    /// An error (the site would show it wrong); else a warning.
    pub error: bool,
    /// What is wrong.
    pub message: String,
    /// How to mend it.
    pub hint: String,
}

/// The problems of the course's message `msg` for `key`, whose English message is `english`:
/// a count's forms given to a message that does not count, a `{placeholder}` the site does
/// not fill (an error: it would be shown as written), and one it fills that is left out (a
/// warning: the page loses it; `{n}` may be left out of every form but `other`, as
/// "one day" writes the count in words).
pub fn message_problems(key: &str, msg: &Message, english: &Message) -> Vec<MessageProblem> {
    let mut out = Vec::new();
    let forms: Vec<(Option<&str>, &str)> = match msg {
        Message::Text(t) => vec![(None, t.as_str())],
        Message::Plural(f) => f
            .iter()
            .map(|(c, t)| (Some(c.as_str()), t.as_str()))
            .collect(),
    };
    if matches!((msg, english), (Message::Plural(_), Message::Text(_))) {
        out.push(MessageProblem {
            category: None,
            error: true,
            message: format!(
                "`{key}` does not count: it takes one text, not one per plural category"
            ),
            hint: format!("write `{key}: \"…\"`"),
        });
    }
    for (category, text) in forms {
        out.extend(form_problems(key, category, text, english));
    }
    out
}

/// The `{placeholder}` problems of one form (`category`) of `key`'s message.
fn form_problems(
    key: &str,
    category: Option<&str>,
    text: &str,
    english: &Message,
) -> Vec<MessageProblem> {
    let known = placeholders(english);
    let problem = |error: bool, message: String, hint: String| MessageProblem {
        category: category.map(str::to_string),
        error,
        message,
        hint,
    };
    let written = written_placeholders(text);
    let mut out = Vec::new();
    for name in written.iter().filter(|n| !known.contains(n)) {
        let near = crate::base::diagnostics::nearest(name, known.iter().map(String::as_str));
        let hint = match near {
            Some(n) => format!("did you mean `{{{n}}}`?"),
            None if known.is_empty() => {
                format!("`{key}` has no values to fill in; write the words without braces")
            }
            None => {
                let shown: Vec<String> = known.iter().map(|n| format!("`{{{n}}}`")).collect();
                format!("the values of `{key}` are {}", shown.join(", "))
            }
        };
        let message = format!("`{{{name}}}` is not a value of `{key}`");
        out.push(problem(true, message, hint));
    }
    // A misspelled value is one mistake, not also a value left out.
    if !out.is_empty() {
        return out;
    }
    for name in &known {
        let may_drop = name == "n" && category.is_some_and(|c| c != "other");
        if !may_drop && !written.contains(name) {
            let message = format!("`{key}` leaves out `{{{name}}}`");
            let hint = format!(
                "the site fills `{{{name}}}` in here; keep it (the English text is “{}”)",
                first_text(english)
            );
            out.push(problem(false, message, hint));
        }
    }
    out
}

fn first_text(m: &Message) -> &str {
    match m {
        Message::Text(t) => t,
        Message::Plural(f) => f.get("other").map_or("", String::as_str),
    }
}

/// The `{name}`s of every form of `m`, sorted, once each.
fn placeholders(m: &Message) -> Vec<String> {
    let mut out: Vec<String> = match m {
        Message::Text(t) => written_placeholders(t),
        Message::Plural(f) => f.values().flat_map(|t| written_placeholders(t)).collect(),
    };
    out.sort();
    out.dedup();
    out
}

/// The `{name}`s written in `text` (a name is letters, digits and `_`).
fn written_placeholders(text: &str) -> Vec<String> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_and_names() {
        for ok in [
            "en",
            "pt-BR",
            "zh-Hant",
            "de-AT",
            "en-US-u-fw-mon",
            "EN",
            "de-DE-1996",
            "yue",
        ] {
            assert_eq!(language_problem(ok), None, "{ok}");
        }
        let cases = [
            ("german", "write the language's tag: `language: de`"),
            ("Deutsch", "write the language's tag: `language: de`"),
            ("de_AT", "a tag joins its parts with `-`: `de-AT`"),
            (
                "",
                "write a BCP 47 tag such as en, en-US, fr or pt-BR, or leave `language` out (English)",
            ),
            ("klingon", "use a BCP 47 tag such as en, en-US, fr or pt-BR"),
            (
                "x-klingon",
                "use a BCP 47 tag such as en, en-US, fr or pt-BR",
            ),
            ("en-", "use a BCP 47 tag such as en, en-US, fr or pt-BR"),
        ];
        for (tag, hint) in cases {
            let (msg, got) = language_problem(tag).expect(tag);
            assert_eq!(msg, format!("`{tag}` is not a language tag"));
            assert_eq!(got, hint, "{tag}");
        }
    }

    // A value left out is a warning; `{n}` may be left out of a form other than `other`
    // ("one day"); a misspelled value is an error (the site would show the braces).
    #[test]
    fn placeholders_of_a_message() {
        let en = built_in_table(BUILT_IN[0].1);
        let text = |t: &str| Message::Text(t.to_string());
        let forms = |f: &[(&str, &str)]| {
            Message::Plural(
                f.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        let shown = |key: &str, m: &Message| -> Vec<String> {
            message_problems(key, m, &en[key])
                .into_iter()
                .map(|p| format!("{:?} {} {}: {}", p.category, p.error, p.message, p.hint))
                .collect()
        };
        assert!(
            shown(
                "in_days",
                &forms(&[("one", "om en dag"), ("other", "om {n} dagar")])
            )
            .is_empty()
        );
        assert!(shown("in_days", &text("om {n} dag(ar)")).is_empty());
        assert_eq!(
            shown(
                "in_days",
                &forms(&[("one", "om {n} dag"), ("other", "om några dagar")])
            ),
            [
                "Some(\"other\") false `in_days` leaves out `{n}`: the site fills `{n}` in here; keep it (the English text is “in {n} days”)"
            ]
        );
        assert_eq!(
            shown("search", &text("Sök {q}")),
            [
                "None true `{q}` is not a value of `search`: `search` has no values to fill in; write the words without braces"
            ]
        );
        assert_eq!(
            shown("search_none", &text("Inget för {query}")),
            [
                "None true `{query}` is not a value of `search_none`: the values of `search_none` are `{q}`"
            ]
        );
    }
}
