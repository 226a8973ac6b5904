//! The code keeps the shape ../shared/STYLE.md asks for: no function of src/ outside test code
//! is longer than 60 lines (signature to closing brace), and no file of src/ holds more than 600
//! lines of code outside its tests (blank and comment-only lines not counted). Unit tests live
//! in `tests.rs` files and `#[cfg(test)]` items, which are not measured.

use std::path::{Path, PathBuf};

/// Longest function, in lines from `fn` to its closing brace.
const MAX_FN_LINES: usize = 60;
/// Most lines of code in one file, outside test code.
const MAX_FILE_CODE: usize = 600;

/// Offenders that another change in flight owns (issue 12 is split between engineers: the
/// cache/serve/site part and highlighting's speed each rewrite these files). Each entry is a
/// path, or `path:function`; remove it when that change lands.
const ALLOWED: &[&str] = &[];

/// Every .rs file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
    files.sort();
    files
}

/// The lines of `text` with each `#[cfg(test)]` item blanked out (kept as empty lines, so line
/// numbers stay those of the file). An item ends at the first line that closes it: a line
/// ending in `;` before any `{`, or the closing brace at the attribute's indentation.
fn non_test_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut skipping: Option<(String, bool)> = None; // (indent, seen an opening brace)
    for line in text.lines() {
        if let Some((indent, opened)) = &mut skipping {
            out.push("");
            let trimmed = line.trim_end();
            if !*opened && trimmed.ends_with(';') && !trimmed.starts_with('#') {
                skipping = None;
            } else if trimmed.ends_with('{') {
                *opened = true;
            } else if *opened && trimmed == format!("{indent}}}") {
                skipping = None;
            }
            continue;
        }
        if line.trim() == "#[cfg(test)]" {
            let indent = line[..line.len() - line.trim_start().len()].to_string();
            skipping = Some((indent, false));
            out.push("");
            continue;
        }
        out.push(line);
    }
    out
}

/// `(name, indentation)` when `line` starts a function with a body.
fn fn_start(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut rest = trimmed;
    if let Some(r) = rest.strip_prefix("pub") {
        rest = match r.strip_prefix('(') {
            Some(r) => r.split_once(") ")?.1,
            None => r.strip_prefix(' ')?,
        };
    }
    for q in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(q).unwrap_or(rest);
    }
    let name: String = rest
        .strip_prefix("fn ")?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty() && !line.trim_end().ends_with(';')).then_some((name, indent))
}

/// Each function of `lines` longer than [`MAX_FN_LINES`]: (line, name, length).
fn long_functions(lines: &[&str]) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((name, indent)) = fn_start(line) else {
            continue;
        };
        let close = format!("{indent}}}");
        if let Some(end) = (i + 1..lines.len()).find(|j| lines[*j] == close) {
            let len = end - i + 1;
            if len > MAX_FN_LINES {
                out.push((i + 1, name, len));
            }
        }
    }
    out
}

/// Lines that hold code: not blank, not only a comment.
fn code_lines(lines: &[&str]) -> usize {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count()
}

/// Every offender of the crate at `root`, as `path:line: what`, minus the allowed ones.
fn offenders(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for path in rust_files(&root.join("src")) {
        if path.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = non_test_lines(&text);
        let code = code_lines(&lines);
        if code > MAX_FILE_CODE && !ALLOWED.contains(&rel.as_str()) {
            out.push(format!(
                "{rel}:1: {code} lines of code (at most {MAX_FILE_CODE}): split it by idea"
            ));
        }
        for (line, name, len) in long_functions(&lines) {
            if !ALLOWED.contains(&format!("{rel}:{name}").as_str()) {
                out.push(format!(
                    "{rel}:{line}: fn {name} is {len} lines (at most {MAX_FN_LINES}): extract the steps it takes"
                ));
            }
        }
    }
    out
}

/// No function of src/ passes 60 lines and no file 600 lines of code, but the allowed ones.
#[test]
fn functions_and_files_stay_small() {
    let found = offenders(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

/// Every allow-list entry still names an offender, so the list shrinks as changes land.
#[test]
fn the_allow_list_names_only_offenders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for entry in ALLOWED {
        let (file, name) = match entry.split_once(':') {
            Some((f, n)) => (f, Some(n)),
            None => (*entry, None),
        };
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        let lines = non_test_lines(&text);
        let still = match name {
            Some(n) => long_functions(&lines).iter().any(|(_, f, _)| f == n),
            None => code_lines(&lines) > MAX_FILE_CODE,
        };
        if !still {
            stale.push(*entry);
        }
    }
    assert!(
        stale.is_empty(),
        "no longer too long, remove from ALLOWED: {stale:?}"
    );
}

/// The measure sees a long function, skips test items and counts only code lines.
#[test]
fn the_measure_sees_what_it_should() {
    let body = "    x();\n".repeat(MAX_FN_LINES - 1);
    let text = format!(
        "/// doc\npub(crate) fn long() {{\n{body}}}\n\nfn short() {{\n    // a comment\n}}\n\n#[cfg(test)]\nmod tests {{\n    fn huge() {{\n{body}{body}    }}\n}}\n"
    );
    let lines = non_test_lines(&text);
    assert_eq!(long_functions(&lines), vec![(2, "long".to_string(), 61)]);
    assert_eq!(code_lines(&lines), MAX_FN_LINES + 1 + 2);
    let decl = non_test_lines("fn a() {\n}\n#[cfg(test)]\nmod tests;\nfn b() {\n}\n");
    assert_eq!(decl, vec!["fn a() {", "}", "", "", "fn b() {", "}"]);
}
