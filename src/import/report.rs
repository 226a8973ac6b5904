//! The import's report: everything converted, guessed or left out, each with the source
//! `path:line` and what to do. Printed, and written as IMPORT.md in the new course.

use std::fmt::Write as _;

/// How an item of the report came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Left out: nothing in the course stands for it; the author must act.
    LeftOut,
    /// Guessed: the importer chose; the author should check.
    Guessed,
    /// Converted as it was meant.
    Converted,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::LeftOut => "Left out: act on these",
            Kind::Guessed => "Guessed: check these",
            Kind::Converted => "Converted",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// How it came about.
    pub kind: Kind,
    /// The source file, relative to SRC (`_config.yml`).
    pub path: String,
    /// 1-based line in it (1 when the whole file is meant).
    pub line: usize,
    /// What happened.
    pub what: String,
    /// What to do.
    pub todo: String,
}

/// The report, as it is filled.
#[derive(Debug, Default)]
pub struct Report {
    /// Its items, in the order found.
    pub items: Vec<Item>,
}

impl Report {
    /// Adds an item.
    pub fn add(&mut self, kind: Kind, path: &str, line: usize, what: String, todo: &str) {
        self.items.push(Item {
            kind,
            path: path.to_string(),
            line: line.max(1),
            what,
            todo: todo.to_string(),
        });
    }

    /// The report as Markdown (IMPORT.md): a section per kind, items sorted by place.
    pub fn markdown(&self, src_name: &str) -> String {
        let mut items: Vec<&Item> = self.items.iter().collect();
        items.sort();
        let mut out = format!(
            "# Imported from the Jekyll site `{}`\n\nEach line names the place in the Jekyll site (`path:line`) and what to do. \
             Run `semester check` after each change.\n",
            one_line(src_name)
        );
        for kind in [Kind::LeftOut, Kind::Guessed, Kind::Converted] {
            let of_kind: Vec<&&Item> = items.iter().filter(|i| i.kind == kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            let _ = write!(out, "\n## {} ({})\n\n", kind.heading(), of_kind.len());
            for i in of_kind {
                let _ = writeln!(
                    out,
                    "- `{}:{}`: {}. {}",
                    one_line(&i.path),
                    i.line,
                    one_line(&i.what),
                    one_line(&i.todo)
                );
            }
        }
        out
    }
}

/// Text on one line, without backquotes that would break the list's code spans, nor control
/// characters (a file name may hold any).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}
