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
    use semester::{config, frontmatter, term};
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md"))
        .expect("docs/format.md");
    let groups: Vec<(&str, Vec<String>)> = vec![
        ("", accepted::<config::CourseFile>()),
        ("instructors.", accepted::<config::Instructor>()),
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
