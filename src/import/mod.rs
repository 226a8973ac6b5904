//! `semester import jekyll SRC DEST`: a Jekyll course site (just-the-docs, just-the-class, or
//! plain Jekyll) → a semester course that builds, and IMPORT.md, the report of everything
//! converted, guessed or left out with its `path:line` in SRC and what to do.
//!
//! SRC is only read, through the same fence as a build (no symlink out of it, no FIFO, size
//! caps); DEST must be empty (or `--force`), and neither may hold the other. Everything is
//! made in memory first and written at the end.

pub mod body;
pub mod convert_pages;
pub mod course;
pub mod dates;
pub mod front;
pub mod html_page;
pub mod pages;
pub mod refer;
pub mod report;
pub mod schedule;
pub mod site;
pub mod staff;
pub mod term;

use std::path::{Path, PathBuf};

use crate::base::fence::{Cap, Fence};
use report::{Kind, Report};

/// The time zone course.yaml gets when `_config.yml` names none: `semester check` warns about
/// it until the author writes the real one.
pub const PLACEHOLDER_ZONE: &str = "Etc/UTC";

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Write into a DEST that is not empty.
    pub force: bool,
    /// Today, for a placeholder term when the site has no dates.
    pub today: jiff::civil::Date,
}

/// What an import made.
#[derive(Debug)]
pub struct Imported {
    /// IMPORT.md's text.
    pub report: String,
    /// How many files were written.
    pub files: usize,
    /// The report's items, counted by kind: (left out, guessed, converted).
    pub counts: (usize, usize, usize),
}

/// A file of the new course: its text, or a file of SRC to copy.
#[derive(Debug)]
pub enum Made {
    /// Text to write.
    Text(String),
    /// A file of SRC to copy (full path, checked by the fence).
    Copy(PathBuf),
}

/// Imports the Jekyll site `src` into the new course folder `dest`. Errors (in words for the
/// person running it): SRC is not a folder, DEST is not empty without `force`, one holds the
/// other, a file cannot be written.
pub fn jekyll(src: &Path, dest: &Path, options: ImportOptions) -> Result<Imported, String> {
    check_folders(src, dest, options.force)?;
    let mut report = Report::default();
    let fence = Fence::new(src, false);
    let (files, errors) = fence.files_below(src, Cap::File);
    for d in errors {
        let path = d.path.display().to_string();
        report.add(
            Kind::LeftOut,
            &path,
            d.line,
            format!("not read: {}", d.message),
            "copy what it held into the course by hand, if it belongs there",
        );
    }
    let name = src
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "course".into());
    let (mut all, dests) = course::convert(&fence, &files, &name, options.today, &mut report);
    write_all(dest, &all)?;
    let src_of = dests.into_iter().map(|(src, to)| (to, src)).collect();
    refer::refer_dates(dest, &src_of, &mut report)?;
    let text = report.markdown(&name);
    all.push(("IMPORT.md".into(), Made::Text(text.clone())));
    write_all(dest, &all[all.len() - 1..])?;
    let count = |k: Kind| report.items.iter().filter(|i| i.kind == k).count();
    Ok(Imported {
        report: text,
        files: all.len(),
        counts: (
            count(Kind::LeftOut),
            count(Kind::Guessed),
            count(Kind::Converted),
        ),
    })
}

/// SRC is a folder; DEST is empty or missing (or `force`); neither holds the other.
fn check_folders(src: &Path, dest: &Path, force: bool) -> Result<(), String> {
    let src_full = src
        .canonicalize()
        .map_err(|e| format!("{}: {}", src.display(), crate::base::fence::io_words(&e)))?;
    if !src_full.is_dir() {
        return Err(format!("{} is not a folder", src.display()));
    }
    let dest_full = match dest.canonicalize() {
        Ok(d) => d,
        Err(_) => match dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) => parent
                .canonicalize()
                .map(|p| p.join(dest.file_name().unwrap_or_default()))
                .map_err(|e| {
                    format!("{}: {}", parent.display(), crate::base::fence::io_words(&e))
                })?,
            None => std::env::current_dir()
                .map_err(|e| e.to_string())?
                .join(dest),
        },
    };
    if dest_full.starts_with(&src_full) || src_full.starts_with(&dest_full) {
        return Err(format!(
            "{} and {} hold one another: import into a folder outside the Jekyll site (SRC is never written)",
            src.display(),
            dest.display()
        ));
    }
    if dest_full.is_file() {
        return Err(format!("{} is a file, not a folder", dest.display()));
    }
    let non_empty = std::fs::read_dir(&dest_full).is_ok_and(|mut d| d.next().is_some());
    if non_empty && !force {
        return Err(format!(
            "{} is not empty: choose a new folder, or pass --force to write over what is there",
            dest.display()
        ));
    }
    Ok(())
}

/// Writes every file below `dest`; a file of SRC is copied.
fn write_all(dest: &Path, files: &[(String, Made)]) -> Result<(), String> {
    for (rel, made) in files {
        let path = dest.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: {}", dir.display(), crate::base::fence::io_words(&e)))?;
        }
        let done = match made {
            Made::Text(t) => std::fs::write(&path, t),
            Made::Copy(from) => std::fs::copy(from, &path).map(|_| ()),
        };
        done.map_err(|e| format!("{}: {}", path.display(), crate::base::fence::io_words(&e)))?;
    }
    Ok(())
}
