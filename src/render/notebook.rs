//! Lab handouts as Jupyter notebooks (nbformat 4): prose becomes Markdown cells, fenced code in
//! the kernel's language becomes code cells. One source, two outputs.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use serde_json::{Value, json};

use crate::base::diagnostics::Diagnostic;
use crate::load::content::SourcePage;

/// A notebook kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// ipykernel's `python3`.
    Python3,
    /// The bash kernel.
    Bash,
}

impl Kernel {
    fn languages(self) -> &'static [&'static str] {
        match self {
            Kernel::Python3 => &["python", "python3", "py", "ipython", "ipython3"],
            Kernel::Bash => &["bash", "sh", "shell"],
        }
    }

    fn spec(self) -> Value {
        match self {
            Kernel::Python3 => json!({
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"}
            }),
            Kernel::Bash => json!({
                "kernelspec": {"display_name": "Bash", "language": "bash", "name": "bash"},
                "language_info": {"name": "bash"}
            }),
        }
    }
}

/// The notebook kernel a page asks for with `notebook:`, if any.
pub fn kernel_of(page: &SourcePage) -> Result<Option<Kernel>, Diagnostic> {
    use serde_yaml::Value as Y;
    let Some(v) = &page.front.notebook else {
        return Ok(None);
    };
    let kernel = match v {
        Y::Bool(false) => None,
        Y::Bool(true) => Some(Kernel::Python3),
        Y::String(s) if s == "python3" || s == "python" => Some(Kernel::Python3),
        Y::String(s) if s == "bash" => Some(Kernel::Bash),
        _ => {
            let line = crate::load::content::line_of_key(&page.front_text, "notebook")
                + page.front_line
                - 1;
            let shown = serde_yaml::to_string(v).unwrap_or_default();
            return Err(Diagnostic::error(
                &page.path,
                line,
                1,
                format!("`notebook: {}` is not a notebook kernel", shown.trim()),
            )
            .with_hint("write notebook: python3, notebook: bash, or notebook: true (python3)"));
        }
    };
    Ok(kernel)
}

/// The notebook of a page as JSON bytes.
pub fn notebook(page: &SourcePage, kernel: Kernel, facts: &crate::render::facts::Facts) -> Vec<u8> {
    let mut cells = Vec::new();
    let mut intro = format!("# {}\n", page.title);
    if !page.front.description.is_empty() {
        intro.push_str(&format!("\n{}\n", page.front.description));
    }
    cells.push(markdown_cell(&intro, cells.len()));
    // As the page shows it: Liquid, references and kramdown attribute lists are not Markdown.
    let portable = crate::render::markdown::portable_markdown(&page.body, &page.rel, facts);
    let body = portable.as_str();
    let mut depth = 0usize;
    let mut prose_from = 0usize;
    let mut code: Option<String> = None;
    let mut block_start = 0usize;
    for (ev, range) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter()
    {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if depth == 0 => {
                let lang = crate::render::markdown::fence_lang(&info);
                if kernel.languages().contains(&lang.as_str()) {
                    code = Some(String::new());
                    block_start = range.start;
                }
                depth += 1;
            }
            Event::Text(t) if code.is_some() => {
                if let Some(c) = code.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(_) if depth == 1 && code.is_some() => {
                depth -= 1;
                push_prose(&mut cells, &body[prose_from..block_start]);
                if let Some(c) = code.take() {
                    cells.push(code_cell(&c, cells.len()));
                }
                prose_from = range.end;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    push_prose(&mut cells, &body[prose_from..]);
    let nb = json!({
        "cells": cells,
        "metadata": kernel.spec(),
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let mut out = serde_json::to_vec_pretty(&nb).unwrap_or_default();
    out.push(b'\n');
    out
}

fn push_prose(cells: &mut Vec<Value>, text: &str) {
    let cleaned: String = text
        .lines()
        .map(strip_heading_id)
        .collect::<Vec<_>>()
        .join("\n");
    let trimmed = cleaned.trim();
    if !trimmed.is_empty() {
        let n = cells.len();
        cells.push(markdown_cell(trimmed, n));
    }
}

/// `## Part 2 {#part-2}` → `## Part 2`: Jupyter does not know the attribute syntax.
fn strip_heading_id(line: &str) -> &str {
    if line.trim_start().starts_with('#')
        && line.trim_end().ends_with('}')
        && let Some(i) = line.rfind(" {#")
    {
        return &line[..i];
    }
    line
}

fn source_lines(text: &str) -> Value {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    Value::from(lines)
}

fn markdown_cell(text: &str, n: usize) -> Value {
    json!({"cell_type": "markdown", "id": format!("cell-{n}"), "metadata": {}, "source": source_lines(text)})
}

fn code_cell(code: &str, n: usize) -> Value {
    json!({
        "cell_type": "code",
        "execution_count": null,
        "id": format!("cell-{n}"),
        "metadata": {},
        "outputs": [],
        "source": source_lines(code)
    })
}

/// What a query value keeps as it is: RFC 3986's unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a URL for use as a query value (`{url}` in `labs.notebook_launch`).
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::Kind;
    use crate::load::frontmatter::FrontMatter;

    fn page(body: &str, notebook: &str) -> SourcePage {
        SourcePage {
            path: "content/labs/x.md".into(),
            rel: "labs/x.md".into(),
            dir: "labs".into(),
            stem: "x".into(),
            kind: Kind::Lab,
            front: FrontMatter {
                notebook: Some(serde_yaml::from_str(notebook).unwrap()),
                description: "Try it.".into(),
                ..FrontMatter::default()
            },
            front_text: format!("title: X\nnotebook: {notebook}\n"),
            front_line: 2,
            body: body.into(),
            body_line: 5,
            title: "Lab X".into(),
            slug: "x".into(),
            url_path: "labs/x/".into(),
            generated: false,
        }
    }

    #[test]
    fn python_blocks_become_code_cells_and_the_rest_markdown() {
        let p = page(
            "## Part 1 {#p1}\n\nRun this:\n\n```python\nimport os\nprint(os.getcwd())\n```\n\n```bash\nls\n```\n\nDone.\n",
            "python3",
        );
        let k = kernel_of(&p).unwrap().unwrap();
        let nb: Value =
            serde_json::from_slice(&notebook(&p, k, &crate::render::facts::Facts::default()))
                .unwrap();
        let cells = nb["cells"].as_array().unwrap();
        let kinds: Vec<&str> = cells
            .iter()
            .map(|c| c["cell_type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["markdown", "markdown", "code", "markdown"]);
        assert_eq!(cells[1]["source"][0], "## Part 1\n");
        assert_eq!(
            cells[2]["source"],
            json!(["import os\n", "print(os.getcwd())"])
        );
        assert!(
            cells[3]["source"][0]
                .as_str()
                .unwrap()
                .starts_with("```bash")
        );
        assert_eq!(nb["metadata"]["kernelspec"]["name"], "python3");
        assert_eq!(nb["nbformat"], 4);
    }

    #[test]
    fn bad_kernels_are_errors_on_the_right_line() {
        let p = page("x", "ruby");
        let d = kernel_of(&p).unwrap_err();
        assert_eq!(
            (d.line, d.message.as_str()),
            (3, "`notebook: ruby` is not a notebook kernel")
        );
        assert_eq!(
            kernel_of(&page("x", "true")).unwrap(),
            Some(Kernel::Python3)
        );
        assert_eq!(kernel_of(&page("x", "false")).unwrap(), None);
        assert_eq!(kernel_of(&page("x", "bash")).unwrap(), Some(Kernel::Bash));
    }

    #[test]
    fn launch_urls_are_encoded() {
        assert_eq!(
            encode_component("https://x.edu/a b.ipynb"),
            "https%3A%2F%2Fx.edu%2Fa%20b.ipynb"
        );
    }
}
