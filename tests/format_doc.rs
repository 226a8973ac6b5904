//! The format reference (docs/format.md) documents every key the code accepts.
//!
//! The accepted keys are read from the code itself: each file struct refuses unknown keys, and
//! serde's refusal lists the keys it would have taken.

use serde::de::DeserializeOwned;

fn accepted<T: DeserializeOwned>() -> Vec<String> {
    let err = serde_yaml::from_str::<T>("zz_not_a_key: 1\n")
        .err()
        .expect("unknown keys are refused")
        .to_string();
    let list = err.split_once("expected").map(|(_, l)| l).unwrap_or("");
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Every key of course.yaml, term files and front matter appears in docs/format.md as `key`,
/// under its parent where it has one (`labs.due.weekday`).
#[test]
fn every_accepted_key_is_documented() {
    use semester::load::{config, frontmatter, term};
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md"))
        .expect("docs/format.md");
    let groups: Vec<(&str, Vec<String>)> = vec![
        ("", accepted::<config::CourseFile>()),
        ("instructors.", accepted::<config::Instructor>()),
        ("instructors.links.", accepted::<config::PersonLink>()),
        ("labs.", accepted::<config::LabsConfig>()),
        ("labs.due.", accepted::<config::DueRuleFile>()),
        ("markdown.", accepted::<config::MarkdownConfig>()),
        ("markdown.highlight.", accepted::<config::HighlightConfig>()),
        ("", accepted::<term::TermFile>()),
        ("meetings.", accepted::<term::MeetingFile>()),
        ("holidays.", accepted::<term::HolidayFile>()),
        ("swaps.", accepted::<term::SwapFile>()),
        ("events.", accepted::<term::EventFile>()),
        ("sessions.", accepted::<term::SessionNoteFile>()),
        ("", accepted::<frontmatter::FrontMatter>()),
    ];
    let mut missing = Vec::new();
    for (prefix, keys) in &groups {
        assert!(!keys.is_empty(), "no keys read for {prefix}");
        for key in keys {
            let full = format!("{prefix}{key}");
            if !doc.contains(&format!("`{full}`")) {
                missing.push(full);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys the code accepts but docs/format.md does not describe: {missing:?}"
    );
    assert!(groups.iter().map(|(_, k)| k.len()).sum::<usize>() > 50);
}

/// Every interface string key (the English table) is in docs/format.md's list, as `key`.
#[test]
fn every_interface_string_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md"))
        .expect("docs/format.md");
    let english = semester::base::i18n::built_in_table(semester::base::i18n::BUILT_IN[0].1);
    let missing: Vec<&String> = english
        .keys()
        .filter(|k| !doc.contains(&format!("| `{k}` |")))
        .collect();
    assert!(missing.is_empty(), "not in docs/format.md: {missing:?}");
}

/// A reference name as docs/format.md writes its kind: numbers as `N`, a topic's or lab's slug
/// as `<slug>`, an event's name as `<name>`, a key of course.yaml as `<key>`.
fn reference_kind(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    let kind = match parts.as_slice() {
        ["course" | "extra", ..] => format!("{}.<key>", parts[0]),
        ["topic" | "lab", slug, rest @ ..] if !rest.is_empty() && !slug.is_empty() => {
            format!("{}.<slug>.{}", parts[0], rest.join("."))
        }
        ["event", _, rest @ ..] => {
            let tail: String = rest.iter().map(|r| format!(".{r}")).collect();
            format!("event.<name>{tail}")
        }
        _ => parts
            .iter()
            .map(|p| if p.parse::<u32>().is_ok() { "N" } else { p })
            .collect::<Vec<_>>()
            .join("."),
    };
    format!("`{kind}`")
}

/// Every reference to course facts the bundled course offers is documented in docs/format.md
/// ("References to course facts"), by kind.
#[test]
fn every_reference_kind_is_documented() {
    let whole = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md"))
        .expect("docs/format.md");
    let from = whole
        .find("\n## References to course facts")
        .expect("the section");
    let rest = &whole[from + 1..];
    let doc = &rest[..rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3)];
    let mut diags = semester::Diagnostics::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let course = semester::schedule(root, None, None, &mut diags).expect("the bundled course");
    let facts = semester::render::facts::Facts::of(semester::render::facts::Sources {
        config: &course.config,
        term: &course.term,
        content: &course.content,
        calendar: &course.calendar,
    });
    let mut missing: Vec<String> = facts
        .names()
        .map(reference_kind)
        .filter(|k| !doc.contains(k.as_str()))
        .collect();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "references docs/format.md does not describe: {missing:?}"
    );
    assert!(facts.names().count() > 100);
}
