//! YAML with diagnostics: typed parsing whose errors point at lines of the file, and a small
//! locator that finds the line of a key path for errors found after parsing (a date out of range…).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::base::diagnostics::{Diagnostic, did_you_mean};

/// Parses `text` (which starts at line `first_line` of the file at `path`) into `T`.
///
/// Unknown keys get a "did you mean" hint; missing keys say what to add.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str::<T>(text).map_err(|err| error_to_diagnostic(path, &err, first_line))
}

fn error_to_diagnostic(path: &Path, err: &serde_yaml::Error, first_line: usize) -> Diagnostic {
    let (line, col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    let mut message = err.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    let (message, hint) = explain(&message);
    Diagnostic::error(path, line + first_line - 1, col, message).with_hint_opt(hint)
}

/// Rewrites serde's wording into an instructor's, and finds a hint.
fn explain(message: &str) -> (String, Option<String>) {
    let (prefix, rest) = split_path_prefix(message);
    if let Some(tail) = rest.strip_prefix("unknown field `") {
        let key = tail.split('`').next().unwrap_or_default();
        let expected = backticked(tail.split_once("expected").map_or("", |(_, e)| e));
        let hint = if expected.is_empty() {
            "this place takes no keys".to_string()
        } else {
            did_you_mean(key, &expected)
        };
        return (format!("{prefix}unknown key `{key}`"), Some(hint));
    }
    if let Some(tail) = rest.strip_prefix("unknown variant `") {
        let value = tail.split('`').next().unwrap_or_default();
        let expected = backticked(tail.split_once("expected").map_or("", |(_, e)| e));
        return (
            format!("{prefix}unknown value `{value}`"),
            Some(did_you_mean(value, &expected)),
        );
    }
    if let Some(tail) = rest.strip_prefix("missing field `") {
        let key = tail.split('`').next().unwrap_or_default();
        return (
            format!("{prefix}missing required key `{key}`"),
            Some(format!("add a line `{key}: …`")),
        );
    }
    if let Some(tail) = rest.strip_prefix("invalid type: ")
        && let Some((found, expected)) = tail.split_once(", expected ")
        && !found.starts_with("unit")
    {
        let expected = match expected {
            "i64" | "u32" | "u64" | "i32" | "usize" => "a whole number",
            "a boolean" => "true or false",
            e => e,
        };
        let hint = if found == "sequence" && expected == "a string" {
            "a `[` starts a list in YAML: put text that begins with [ in quotes"
        } else if found == "map" && expected == "a string" {
            "a `{` or a `key: value` starts a mapping in YAML: put the text in quotes"
        } else if expected == "a whole number" {
            "write a number without quotes, e.g. 2"
        } else if expected == "true or false" {
            "write true or false without quotes"
        } else if expected == "a string" {
            "put the value in quotes"
        } else {
            "check the value's type in docs/format.md"
        };
        return (
            format!("{prefix}expected {expected}, found {found}"),
            Some(hint.to_string()),
        );
    }
    if rest.starts_with("invalid type: unit value") {
        return (
            format!("{prefix}a value is missing here"),
            Some("write a value after the colon, or remove the key".into()),
        );
    }
    (message.to_string(), None)
}

/// serde_yaml prefixes errors with the path of the value ("meetings[0].days[1]: …").
fn split_path_prefix(message: &str) -> (String, &str) {
    match message.split_once(": ") {
        Some((path, rest))
            if !path.contains(' ')
                && path
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_.[]-".contains(c)) =>
        {
            (format!("{path}: "), rest)
        }
        _ => (String::new(), message),
    }
}

fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// `key:`
    Key(&'a str),
    /// the n-th `- ` item (0-based)
    Index(usize),
}

/// Finds the 1-based (line, column) of the value at `path` in block-style YAML.
///
/// It is a locator for messages, not a parser: when it cannot follow the path (flow style,
/// anchors) it returns the deepest place it found, and at worst line 1.
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    // The block we search in: lines [start, end) whose indent is > parent_indent.
    let (mut start, mut end, mut parent_indent) = (0usize, lines.len(), -1i64);
    let mut found = (1, 1);
    for seg in path {
        let mut hit = None;
        match *seg {
            Seg::Key(key) => {
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    let trimmed = line.trim_start();
                    let indent = (line.len() - trimmed.len()) as i64;
                    let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
                    let indent = indent + (trimmed.len() - body.len()) as i64;
                    if indent > parent_indent
                        && (body.starts_with(&format!("{key}:"))
                            || body.starts_with(&format!("\"{key}\":")))
                    {
                        hit = Some((i, indent));
                        break;
                    }
                    // `- { key: v }` flow items: point at the key inside the braces.
                    if let Some(pos) = body
                        .find(&format!(" {key}:"))
                        .or_else(|| body.find(&format!("{{{key}:")))
                        && body.starts_with('{')
                        && indent > parent_indent
                    {
                        hit = Some((i, indent + pos as i64 + 1));
                        break;
                    }
                }
            }
            Seg::Index(n) => {
                let mut count = 0;
                let mut dash_indent = None;
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    let trimmed = line.trim_start();
                    let indent = (line.len() - trimmed.len()) as i64;
                    if trimmed.starts_with("- ") || trimmed == "-" {
                        let d = *dash_indent.get_or_insert(indent);
                        if indent == d {
                            if count == n {
                                hit = Some((i, indent));
                                break;
                            }
                            count += 1;
                        }
                    }
                }
            }
        }
        let Some((line, indent)) = hit else { break };
        found = (line + 1, indent as usize + 1);
        // The child block: following lines indented deeper than this one (or list items at it).
        parent_indent = indent - 1;
        end = lines
            .iter()
            .enumerate()
            .skip(line + 1)
            .find(|(_, l)| {
                let t = l.trim_start();
                !t.is_empty() && !t.starts_with('#') && ((l.len() - t.len()) as i64) < indent
            })
            .map_or(lines.len(), |(i, _)| i);
        if let Seg::Key(_) = seg {
            start = line + 1;
            // Values on the key's own line (`key: value`) stay pointed at the key.
            if lines[line].trim_end().ends_with(':') {
                parent_indent = indent;
                // `key:\n- a` puts items at the key's indent.
                if let Some(next) = lines.iter().skip(line + 1).find(|l| !l.trim().is_empty()) {
                    let t = next.trim_start();
                    if t.starts_with("- ") && ((next.len() - t.len()) as i64) == indent {
                        parent_indent = indent - 1;
                        end = lines
                            .iter()
                            .enumerate()
                            .skip(line + 1)
                            .find(|(_, l)| {
                                let t = l.trim_start();
                                !t.is_empty()
                                    && !t.starts_with('#')
                                    && ((l.len() - t.len()) as i64) <= indent
                                    && !t.starts_with('-')
                            })
                            .map_or(lines.len(), |(i, _)| i);
                    }
                }
            }
        } else {
            start = line;
        }
    }
    found
}

/// The (line, column) of a key path in course.yaml, for errors found in other stages.
pub fn locate_in_course(root: &Path, path: &[Seg]) -> (usize, usize) {
    crate::base::fence::Fence::new(root, false)
        .read_text(&root.join("course.yaml"), crate::base::fence::Cap::Yaml)
        .map_or((1, 1), |s| locate(&s, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERM: &str = "name: Spring\nstart: 2026-01-20\nholidays:\n  - { date: 2026-02-16, name: A }\n  - from: 2026-03-16\n    to: 2026-03-22\n    name: B\nmeetings:\n- name: Lecture\n  days: [mon]\n";

    #[test]
    fn locates_keys_and_items() {
        assert_eq!(locate(TERM, &[Seg::Key("start")]), (2, 1));
        assert_eq!(locate(TERM, &[Seg::Key("holidays"), Seg::Index(0)]), (4, 3));
        assert_eq!(
            locate(TERM, &[Seg::Key("holidays"), Seg::Index(1), Seg::Key("to")]),
            (6, 5)
        );
        assert_eq!(
            locate(
                TERM,
                &[Seg::Key("holidays"), Seg::Index(0), Seg::Key("date")]
            ),
            (4, 7)
        );
        assert_eq!(
            locate(
                TERM,
                &[Seg::Key("meetings"), Seg::Index(0), Seg::Key("days")]
            ),
            (10, 3)
        );
        assert_eq!(locate(TERM, &[Seg::Key("nope")]), (1, 1));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        session: Option<u32>,
    }

    #[test]
    fn unknown_key_gets_line_and_hint() {
        let d = parse::<T>(Path::new("a.md"), "title: x\nsesion: 2\n", 2).unwrap_err();
        assert_eq!((d.line, d.message.as_str()), (3, "unknown key `sesion`"));
        assert_eq!(d.hint.as_deref(), Some("did you mean `session`?"));
    }

    #[test]
    fn missing_key_says_what_to_add() {
        let d = parse::<T>(Path::new("a.md"), "session: 2\n", 2).unwrap_err();
        assert_eq!(d.message, "missing required key `title`");
    }
}
