//! The course's own interface strings: `i18n.yaml` beside course.yaml, key → text (or one
//! text per CLDR plural category), over the built-in table of the course's `language`.

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::base::fence::{Cap, Fence};
use crate::base::i18n::check::message_problems;
use crate::base::i18n::{BUILT_IN, Message, Table, built_in_table};
use crate::load::yaml::{self, Seg};

/// The plural categories CLDR names.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Reads `root/i18n.yaml` if there is one. Every unknown key, and every counting message
/// without `other` or with a category CLDR does not name, is an error in `diags`; the file's
/// valid messages are returned either way (an empty table without the file).
pub fn load_overrides(root: &Path, diags: &mut Diagnostics) -> Table {
    let path = root.join("i18n.yaml");
    if std::fs::symlink_metadata(&path).is_err() {
        return Table::new();
    }
    let shown = PathBuf::from("i18n.yaml");
    let text = match Fence::new(root, false).read_text(&path, Cap::Yaml) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Table::new();
        }
    };
    if text.trim().is_empty() {
        return Table::new();
    }
    let (table, spans): (Table, yaml::Spans) = match yaml::parse(&shown, &text, 1) {
        Ok(t) => t,
        Err(ds) => {
            ds.into_iter().for_each(|d| diags.push(d));
            return Table::new();
        }
    };
    let english = built_in_table(BUILT_IN[0].1);
    let mut problems: Vec<Diagnostic> = Vec::new();
    let table: Table = table
        .into_iter()
        .filter(|(key, msg)| usable(key, msg, &english, &spans, &mut problems))
        .collect();
    problems.sort_by_key(|d| (d.line, d.col));
    problems.into_iter().for_each(|d| diags.push(d));
    table
}

/// Whether i18n.yaml's message `msg` for `key` can be used: `key` is one of `english`'s, its
/// plural categories are CLDR's and its placeholders the English message's. What is wrong goes
/// to `problems`, at its place in i18n.yaml (`spans`); an error drops the message (English is
/// shown), a warning keeps it.
fn usable(
    key: &str,
    msg: &Message,
    english: &Table,
    spans: &yaml::Spans,
    problems: &mut Vec<Diagnostic>,
) -> bool {
    let shown = "i18n.yaml";
    let (l, c) = spans.at(&[Seg::Key(key)]);
    let problem = match english.get(key) {
        None => {
            let keys: Vec<&str> = english.keys().map(String::as_str).collect();
            Some((
                format!("`{key}` is not an interface string"),
                did_you_mean(key, &keys),
            ))
        }
        Some(_) => plural_problem(msg),
    };
    if let Some((msg, hint)) = &problem {
        problems.push(Diagnostic::error(shown, l, c, msg).with_hint(hint));
        return false;
    }
    let mut fine = true;
    for p in english
        .get(key)
        .map_or_else(Vec::new, |en| message_problems(key, msg, en))
    {
        let (l, c) = match &p.category {
            Some(cat) => spans.at(&[Seg::Key(key), Seg::Key(cat)]),
            None => (l, c),
        };
        fine &= !p.error;
        problems.push(
            match p.error {
                true => Diagnostic::error(shown, l, c, p.message),
                false => Diagnostic::warning(shown, l, c, p.message),
            }
            .with_hint(p.hint),
        );
    }
    fine
}

/// What is wrong with a counting message's categories, if anything.
fn plural_problem(msg: &Message) -> Option<(String, String)> {
    let Message::Plural(forms) = msg else {
        return None;
    };
    let hint = "write one text per CLDR plural category: zero, one, two, few, many, other (`other` is required)";
    if let Some(bad) = forms.keys().find(|k| !CATEGORIES.contains(&k.as_str())) {
        return Some((format!("`{bad}` is not a plural category"), hint.into()));
    }
    (!forms.contains_key("other"))
        .then(|| ("a counting message without `other`".into(), hint.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // A course's i18n.yaml: good keys kept, each mistake reported where it is written.
    #[test]
    fn overrides_are_checked() {
        let dir = std::env::temp_dir().join(format!("sm-i18n-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("i18n.yaml"),
            "search: Sök\nserach: x\nin_days:\n  one: om {n} dag\n  plenty: x\n",
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let table = load_overrides(&dir, &mut diags);
        let shown: Vec<String> = diags.into_vec().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "i18n.yaml:2:1: error: `serach` is not an interface string\n  hint: did you mean `search`?",
                "i18n.yaml:3:1: error: `plenty` is not a plural category\n  hint: write one text per CLDR plural category: zero, one, two, few, many, other (`other` is required)",
            ]
        );
        assert_eq!(table.keys().collect::<Vec<_>>(), ["search"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
