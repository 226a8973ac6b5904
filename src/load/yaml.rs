//! YAML with diagnostics: typed parsing (serde_yaml) whose errors point at lines of the file,
//! checked first by a one-pass index ([`Spans`]) that limits nesting, finds repeated keys and
//! gives every later error its position without rescanning the text.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::base::diagnostics::{Diagnostic, did_you_mean};
pub use crate::load::yaml_spans::{MAX_DEPTH, Problem, Root, Seg, Spans, locate, locate_in_course};

/// Parses `text` (which starts at line `first_line` of the file at `path`) into `T`, with the
/// index of its positions (relative to `text`: add `first_line - 1` to a line).
///
/// Errors, all of them in words for instructors: nesting deeper than [`MAX_DEPTH`] (found
/// before serde_yaml, whose recursion is slow on such input, sees the text), every key written
/// twice, a tab in the indentation, a `[` or `{` never closed, other syntax errors; then the
/// first type error: unknown keys get a "did you mean" hint, missing keys say what to add.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<(T, Spans), Vec<Diagnostic>> {
    let spans = Spans::new(text);
    let mut errs: Vec<Diagnostic> = spans
        .problems
        .iter()
        .map(|p| problem_to_diagnostic(path, p, first_line))
        .collect();
    if spans
        .problems
        .iter()
        .any(|p| matches!(p, Problem::TooDeep(_)))
    {
        return Err(errs);
    }
    if spans.syntax_error {
        // The event parser is a port of libyaml's: what it cannot read, serde_yaml cannot
        // either, and serde_yaml would take long on hostile input to say so.
        errs.push(syntax_error(path, text, &spans, first_line));
        return Err(errs);
    }
    let controls = control_chars(path, text, first_line);
    if !controls.is_empty() {
        errs.extend(controls);
        return Err(errs);
    }
    let unknown = unknown_keys::<T>(path, &spans, first_line, &mut errs);
    let err = match serde_yaml::from_str::<T>(text) {
        Ok(value) if errs.is_empty() => return Ok((value, spans)),
        Err(_) if !errs.is_empty() => {
            errs.extend(beside_unknown::<T>(path, text, first_line, &unknown));
            return Err(errs);
        }
        Ok(_) => return Err(errs),
        Err(err) => err,
    };
    let (line, col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    let mut message = err.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    let (message, hint) = explain(&message);
    errs.push(Diagnostic::error(path, line + first_line - 1, col, message).with_hint(hint));
    Err(errs)
}

/// Reports every unknown key of the document (not only the first that serde meets: a page
/// moved from another tool often has several), each where it is written, with the nearest key
/// of its place; returns where they are.
fn unknown_keys<T: DeserializeOwned>(
    path: &Path,
    spans: &Spans,
    first_line: usize,
    errs: &mut Vec<Diagnostic>,
) -> Vec<(usize, usize)> {
    let schema = crate::load::yaml_schema::schema_of::<T>();
    let mut unknown: Vec<(usize, usize)> = Vec::new();
    if spans.root == Some(Root::Mapping) {
        for (pattern, concrete, key, (l, c)) in spans.all_keys() {
            let Some(fields) = schema.get(&pattern) else {
                continue;
            };
            if fields.contains(&key) {
                continue;
            }
            let prefix = if concrete.is_empty() {
                String::new()
            } else {
                format!("{concrete}: ")
            };
            let hint = if fields.is_empty() {
                "this place takes no keys".to_string()
            } else {
                did_you_mean(key, fields)
            };
            errs.push(
                Diagnostic::error(
                    path,
                    l + first_line - 1,
                    c,
                    format!("{prefix}unknown key `{key}`"),
                )
                .with_hint(hint),
            );
            unknown.push((l, c));
        }
    }
    unknown
}

/// The error serde reports once the unknown keys at `keys` (line, column in `text`) are taken
/// out, when it is about a value that is written (a wrong type or value): serde stops at the
/// first unknown key, so without this a misspelt key hid `week: two` until the next run. A
/// missing key is not reported here (the misspelt key may be that one), nor a value left empty
/// by the removal. `None` too when a key does not start its line (flow style, `- key:`).
fn beside_unknown<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
    keys: &[(usize, usize)],
) -> Option<Diagnostic> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    for &(l, c) in keys {
        let indent = lines
            .get(l.checked_sub(1)?)?
            .chars()
            .take_while(|&ch| ch == ' ')
            .count();
        if c != indent + 1 {
            return None;
        }
        lines[l - 1] = "";
        // The key's value on the lines below it: everything indented deeper, and blank lines.
        for line in lines.iter_mut().skip(l) {
            let deeper = line.chars().take_while(|&ch| ch == ' ').count() > indent;
            if !deeper && !line.trim().is_empty() {
                break;
            }
            *line = "";
        }
    }
    let err = serde_yaml::from_str::<T>(&lines.join("\n")).err()?;
    let (line, col) = err.location().map(|l| (l.line(), l.column()))?;
    let mut message = err.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    let (_, rest) = split_path_prefix(&message);
    let about_a_value = (rest.starts_with("invalid type: ")
        && !rest.starts_with("invalid type: unit"))
        || rest.starts_with("invalid value: ")
        || rest.starts_with("unknown variant ");
    if !about_a_value {
        return None;
    }
    let (message, hint) = explain(&message);
    Some(Diagnostic::error(path, line + first_line - 1, col, message).with_hint(hint))
}

/// A mistake the index found, as a diagnostic.
fn problem_to_diagnostic(path: &Path, p: &Problem, first_line: usize) -> Diagnostic {
    match p {
        Problem::TooDeep((l, c)) => Diagnostic::error(
            path,
            l + first_line - 1,
            *c,
            format!("lists and mappings nest more than {MAX_DEPTH} levels deep here"),
        )
        .with_hint(
            "a course file needs a few levels; look for brackets that are opened and never closed",
        ),
        Problem::DuplicateKey { key, at, first } => Diagnostic::error(
            path,
            at.0 + first_line - 1,
            at.1,
            format!(
                "`{key}` is written twice (first on line {})",
                first + first_line - 1
            ),
        )
        .with_hint("each key may appear once: keep the value you mean and delete the other line"),
    }
}

/// A syntax error, located and explained: a tab in the indentation, an unclosed `[` or `{`,
/// or a line that is not YAML.
fn syntax_error(path: &Path, text: &str, spans: &Spans, first_line: usize) -> Diagnostic {
    let shift = first_line - 1;
    let (line, col) = spans.error_at;
    let tab = text.lines().enumerate().find_map(|(i, l)| {
        let indent = &l[..l.len() - l.trim_start().len()];
        indent
            .find('\t')
            .map(|c| (i + 1, indent[..c].chars().count() + 1))
    });
    if let Some((l, c)) = tab {
        return Diagnostic::error(path, l + shift, c, "a tab is used to indent this line")
            .with_hint("YAML indents with spaces only: replace the tab with spaces, lined up with the keys above");
    }
    if let Some((open, (l, c))) = spans.unclosed_flow {
        let close = if open == '[' { ']' } else { '}' };
        return Diagnostic::error(path, l + shift, c, format!("this `{open}` is never closed"))
            .with_hint(format!("close it with `{close}`, or put the whole value in quotes if the `{open}` is part of the text, e.g. title: \"{open}draft{close} Week 1\""));
    }
    Diagnostic::error(path, line + shift, col, "this line is not valid YAML").with_hint(
        "check that children are indented under their key with spaces, and put a value that contains `: ` or ` #`, or starts with `*`, `&`, `!`, `%`, `@` or a backtick, in quotes",
    )
}

/// Whether YAML allows `c` in a file (YAML 1.2 §5.1, `c-printable`): not the C0 controls
/// other than tab, line feed and carriage return, not DEL, not the C1 controls but NEL, not
/// U+FFFE or U+FFFF.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}')
        || ('\u{a0}'..='\u{fffd}').contains(&c)
        || c >= '\u{10000}'
}

/// One error per line that holds a character YAML does not allow (an escape code pasted from
/// a terminal, a stray byte), at its own column; serde_yaml would only say "control
/// characters are not allowed" at the start of the file.
fn control_chars(path: &Path, text: &str, first_line: usize) -> Vec<Diagnostic> {
    text.split('\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let (col, c) = line
                .chars()
                .enumerate()
                .find(|&(_, c)| !yaml_printable(c))?;
            Some(
                Diagnostic::error(
                    path,
                    i + first_line,
                    col + 1,
                    format!(
                        "this line holds the invisible control character U+{:04X}, which YAML does not allow",
                        c as u32
                    ),
                )
                .with_hint("delete it (an editor that shows invisible characters helps); to put an escape code in text, write it in double quotes as \\e or \\u001b"),
            )
        })
        .collect()
}

/// Rewrites serde's wording into an instructor's, and finds a hint.
fn explain(message: &str) -> (String, String) {
    let (prefix, rest) = split_path_prefix(message);
    if let Some(tail) = rest.strip_prefix("unknown field `") {
        let key = tail.split('`').next().unwrap_or_default();
        let expected = backticked(tail.split_once("expected").map_or("", |(_, e)| e));
        let hint = if expected.is_empty() {
            "this place takes no keys".to_string()
        } else {
            did_you_mean(key, &expected)
        };
        return (format!("{prefix}unknown key `{key}`"), hint);
    }
    if let Some(tail) = rest.strip_prefix("unknown variant `") {
        let value = tail.split('`').next().unwrap_or_default();
        let expected = backticked(tail.split_once("expected").map_or("", |(_, e)| e));
        return (
            format!("{prefix}unknown value `{value}`"),
            did_you_mean(value, &expected),
        );
    }
    if let Some(tail) = rest.strip_prefix("missing field `") {
        let key = tail.split('`').next().unwrap_or_default();
        return (
            format!("{prefix}missing required key `{key}`"),
            format!("add a line `{key}: …`"),
        );
    }
    if let Some(tail) = rest.strip_prefix("invalid type: ")
        && let Some((found, expected)) = tail.split_once(", expected ")
        && !found.starts_with("unit")
    {
        return wrong_type(&prefix, found, expected);
    }
    if rest.starts_with("invalid type: unit value") {
        return (
            format!("{prefix}a value is missing here"),
            "write a value after the colon, or remove the key".into(),
        );
    }
    if let Some(tail) = rest.strip_prefix("invalid value: ")
        && let Some((found, expected)) = tail.split_once(", expected ")
    {
        return (
            format!("{prefix}expected {expected}, found {found}"),
            "check the value against docs/format.md".into(),
        );
    }
    if let Some(tail) = rest.strip_prefix("duplicate field `") {
        let key = tail.split('`').next().unwrap_or_default();
        return (
            format!("{prefix}`{key}` is written twice"),
            "each key may appear once: keep the value you mean and delete the other line".into(),
        );
    }
    (
        format!("{prefix}this value cannot be read here"),
        "compare it with the example for this key in docs/format.md".into(),
    )
}

/// A value of the wrong type: what was expected in words, and how to write it.
fn wrong_type(prefix: &str, found: &str, expected: &str) -> (String, String) {
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
    (
        format!("{prefix}expected {expected}, found {found}"),
        hint.to_string(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        session: Option<u32>,
    }

    fn errs(text: &str) -> Vec<String> {
        parse::<T>(Path::new("a.md"), text, 2)
            .unwrap_err()
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} | {}",
                    d.line,
                    d.col,
                    d.message,
                    d.hint.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn unknown_key_gets_line_and_hint() {
        assert_eq!(
            errs("title: x\nsesion: 2\n"),
            ["3:1 unknown key `sesion` | did you mean `session`?"]
        );
    }

    #[test]
    fn missing_key_says_what_to_add() {
        assert_eq!(
            errs("session: 2\n"),
            ["2:1 missing required key `title` | add a line `title: …`"]
        );
    }

    /// Every unknown key at the top is reported, each with its hint, not only the first.
    #[test]
    fn every_unknown_key_is_reported() {
        assert_eq!(
            errs("layout: post\ntitle: x\ntags: [a]\nsesion: 2\n"),
            [
                "2:1 unknown key `layout` | expected one of: `title`, `session`",
                "4:1 unknown key `tags` | expected one of: `title`, `session`",
                "5:1 unknown key `sesion` | did you mean `session`?",
            ]
        );
    }

    /// Every repeated key is reported at its second occurrence, in words, once.
    #[test]
    fn duplicate_keys_are_named_with_both_lines() {
        assert_eq!(
            errs("title: A\ntitle: B\nsession: 1\nsession: 2\n"),
            [
                "3:1 `title` is written twice (first on line 2) | each key may appear once: keep the value you mean and delete the other line",
                "5:1 `session` is written twice (first on line 4) | each key may appear once: keep the value you mean and delete the other line",
            ]
        );
    }

    /// A tab in the indentation, an unclosed bracket and other syntax errors get their own words.
    #[test]
    fn syntax_errors_are_explained() {
        assert_eq!(
            errs("title: x\nextra:\n  a: 1\n\tb: 2\n"),
            [
                "5:1 a tab is used to indent this line | YAML indents with spaces only: replace the tab with spaces, lined up with the keys above"
            ]
        );
        assert_eq!(
            errs("title: [unclosed\n"),
            [
                "2:8 this `[` is never closed | close it with `]`, or put the whole value in quotes if the `[` is part of the text, e.g. title: \"[draft] Week 1\""
            ]
        );
        let e = errs("title: a\n  b: c\n");
        assert!(
            e[0].starts_with("3:4 this line is not valid YAML | "),
            "{e:?}"
        );
    }

    /// Nesting past the limit is an error before serde_yaml sees the text, and fast.
    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = format!("title: {}x{}\n", "{a: ".repeat(50_000), "}".repeat(50_000));
        let t = std::time::Instant::now();
        let e = errs(&deep);
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("nest more than 64 levels"), "{e:?}");
        assert!(t.elapsed().as_secs() < 5);
    }
}
