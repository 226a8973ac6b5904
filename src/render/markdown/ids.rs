//! One namespace of `id`s per page: the theme's own ids, explicit ids (`{#id}` on a heading,
//! `id="…"` in raw HTML), footnotes and generated heading ids never share a value, and an
//! explicit id is never renamed (a generated one yields to it instead).

use std::collections::HashMap;

/// Who holds an id of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Holder {
    /// The theme's templates (`sm-main`, `search-q`…).
    Theme,
    /// Written by the author at this byte offset of the body.
    Explicit(usize),
    /// Made by the renderer (a heading's slug, a footnote).
    Generated,
}

/// The ids of one page, in the order they were handed out.
#[derive(Debug, Default)]
pub(super) struct PageIds {
    taken: HashMap<String, Holder>,
    /// For each generated base, the next suffix to try (GitHub's `foo`, `foo-1`, `foo-2`).
    next: HashMap<String, usize>,
    /// Every id in the order it was taken.
    pub(super) all: Vec<String>,
}

impl PageIds {
    /// A namespace that already holds the theme's ids.
    pub(super) fn with_theme(theme: &[String]) -> PageIds {
        let mut ids = PageIds::default();
        for id in theme {
            ids.taken.insert(id.clone(), Holder::Theme);
        }
        ids
    }

    /// Takes an id the author wrote at `offset`; on a clash, who holds it already.
    pub(super) fn explicit(&mut self, id: &str, offset: usize) -> Result<(), Holder> {
        if let Some(h) = self.taken.get(id) {
            return Err(h.clone());
        }
        self.taken.insert(id.to_string(), Holder::Explicit(offset));
        self.all.push(id.to_string());
        Ok(())
    }

    /// A free id made from `base`: `base` itself, else `base-1`, `base-2`… (GitHub's rule).
    /// Also says who held `base` when it was not free and the holder is not another generated
    /// id (a generated id that yields to an explicit or theme id is worth a warning).
    pub(super) fn generated(&mut self, base: &str) -> (String, Option<Holder>) {
        let blocker = match self.taken.get(base) {
            Some(Holder::Generated) | None => None,
            Some(h) => Some(h.clone()),
        };
        let n = self.next.entry(base.to_string()).or_insert(0);
        loop {
            let candidate = if *n == 0 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(candidate.clone(), Holder::Generated);
                self.all.push(candidate.clone());
                return (candidate, blocker);
            }
        }
    }
}

/// GitHub's heading ids: lowercase; letters, digits, `-` and `_` kept; spaces become `-`.
pub fn slugify(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The base of a generated heading id, and whether it is a fallback (the text alone gave no
/// id): GitHub's slug; for a heading of emoji only, their names (`🚀` → `rocket`); for one
/// with no letter, digit or emoji, `section`.
pub(super) fn heading_base(text: &str) -> (String, bool) {
    let slug = slugify(text);
    if slug.chars().any(|c| c != '-') {
        return (slug, false);
    }
    let names = emoji_names(text);
    let named = slugify(&names);
    if named.is_empty() {
        ("section".to_string(), true)
    } else {
        (named, true)
    }
}

/// The names of the emoji in `text`, space-separated (`👩‍💻 🚀` → `woman technologist rocket`).
pub(super) fn emoji_names(text: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        if let Some(e) = emojis::get(word) {
            names.push(e.name());
            continue;
        }
        let mut buf = [0u8; 4];
        names.extend(
            word.chars()
                .filter_map(|c| emojis::get(c.encode_utf8(&mut buf)).map(|e| e.name())),
        );
    }
    names.join(" ")
}

/// A footnote label as an id part: its slug, or `note` for a label with no letter or digit.
pub(super) fn label_slug(label: &str) -> String {
    let s = slugify(&label.split_whitespace().collect::<Vec<_>>().join(" "));
    if s.chars().any(|c| c != '-') {
        s
    } else {
        "note".to_string()
    }
}

/// The literal `id="…"` values of a template (values built from template expressions are left
/// out: they cannot be known before rendering).
pub fn template_ids(text: &str) -> Vec<String> {
    crate::load::html::attributes(text)
        .into_iter()
        .filter(|a| a.name == "id" && !a.value.contains("{{") && !a.value.contains("{%"))
        .map(|a| a.value)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_follow_github_and_yield_to_explicit_ones() {
        let mut ids = PageIds::with_theme(&["sm-main".to_string()]);
        assert_eq!(ids.explicit("install", 40), Ok(()));
        assert_eq!(ids.explicit("install", 90), Err(Holder::Explicit(40)));
        assert_eq!(ids.generated("foo"), ("foo".into(), None));
        assert_eq!(ids.generated("foo"), ("foo-1".into(), None));
        assert_eq!(ids.generated("foo-1"), ("foo-1-1".into(), None));
        assert_eq!(
            ids.generated("install"),
            ("install-1".into(), Some(Holder::Explicit(40)))
        );
        assert_eq!(
            ids.generated("sm-main"),
            ("sm-main-1".into(), Some(Holder::Theme))
        );
        assert_eq!(ids.explicit("sm-main", 7), Err(Holder::Theme));
    }

    #[test]
    fn headings_without_letters_get_a_meaningful_base() {
        assert_eq!(heading_base("🚀"), ("rocket".into(), true));
        assert_eq!(heading_base("🚀 🔥"), ("rocket-fire".into(), true));
        assert_eq!(heading_base("👩‍💻"), ("woman-technologist".into(), true));
        assert_eq!(heading_base("???"), ("section".into(), true));
        assert_eq!(heading_base("🚀 Launch"), ("-launch".into(), false));
        assert_eq!(heading_base("مقدمة"), ("مقدمة".into(), false));
        assert_eq!(heading_base("Übung 2"), ("übung-2".into(), false));
    }

    #[test]
    fn footnote_labels_become_valid_id_parts() {
        assert_eq!(label_slug("my note"), "my-note");
        assert_eq!(label_slug("My  Note"), "my-note");
        assert_eq!(label_slug("*"), "note");
        assert_eq!(label_slug("1"), "1");
    }

    #[test]
    fn template_ids_are_the_literal_ones() {
        let t = r#"<main id="sm-main"><input ID=search-q><li id="sm-week-{{ w }}">"#;
        assert_eq!(template_ids(t), ["sm-main", "search-q"]);
    }
}
