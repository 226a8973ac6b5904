//! The only way the build reads a course: from inside the course folder, regular files only,
//! each kind of file under its own size cap.
//!
//! Courses are forked and shared, so `semester build` runs on folders someone else wrote. A
//! symlink is followed only when what it points to stays inside the course (else an error that
//! names the link and its target, unless the person building passes
//! `--follow-outside-symlinks`); FIFOs, devices and sockets are errors (reading one would hang
//! or never end); a file past its cap is an error, read no further than the cap. The rules are
//! documented in docs/format.md, "Files the build reads".

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::base::diagnostics::Diagnostic;
use crate::base::files::OUTPUT_MARKER;

/// What a file is for, which sets how large it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// course.yaml and term files.
    Yaml,
    /// The front matter of a page.
    FrontMatter,
    /// A Markdown page.
    Page,
    /// A template of the theme or of templates/.
    Template,
    /// Anything copied as it is: assets beside pages, static/, a theme's static/.
    File,
}

const MB: u64 = 1024 * 1024;

impl Cap {
    /// The largest size allowed, in bytes.
    pub fn bytes(self) -> u64 {
        match self {
            Cap::Yaml | Cap::FrontMatter | Cap::Template => MB,
            Cap::Page => 32 * MB,
            Cap::File => 512 * MB,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Cap::Yaml => "a YAML file (course.yaml, a term)",
            Cap::FrontMatter => "a page's front matter",
            Cap::Page => "a Markdown page",
            Cap::Template => "a template",
            Cap::File => "a copied file",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Cap::Yaml | Cap::FrontMatter => {
                "no course needs this much YAML: check what the file is; large data belongs in a file beside the pages"
            }
            Cap::Page => "split the page in several, or move data into a file beside it",
            Cap::Template => "check what the file is: a template is HTML with a few tags",
            Cap::File => {
                "publish large data sets elsewhere (a release, a data repository) and link to them"
            }
        }
    }
}

/// A cap as an instructor reads it (`1 MB`, `512 MB`).
fn size_words(n: u64) -> String {
    format!("{} MB", n / MB)
}

/// The error for a file of `len` bytes past `cap`, at `shown`.
pub fn too_large(shown: &Path, len: u64, cap: Cap) -> Diagnostic {
    Diagnostic::error(
        shown,
        1,
        1,
        format!(
            "this file is larger than {} may be ({} at most)",
            cap.what(),
            size_words(cap.bytes())
        ),
    )
    .with_hint(format!("it is {len} bytes; {}", cap.hint()))
}

/// The course folder, and whether links may leave it.
#[derive(Debug, Clone)]
pub struct Fence {
    /// The course folder as given (messages are relative to it).
    root: PathBuf,
    /// The same, with every symlink resolved.
    real: PathBuf,
    /// `--follow-outside-symlinks`.
    outside: bool,
}

/// The hint of every "outside the course" error.
const OUTSIDE_HINT: &str = "semester publishes only files inside the course folder: copy the file into the course, or build with --follow-outside-symlinks if you trust where it points";

impl Fence {
    /// The fence of the course at `root`. `outside`: links may point anywhere
    /// (`--follow-outside-symlinks`); FIFOs, devices and sizes are checked all the same.
    pub fn new(root: &Path, outside: bool) -> Fence {
        Fence {
            root: root.to_path_buf(),
            real: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            outside,
        }
    }

    /// The course folder as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` (below the root) as shown in messages.
    pub fn shown(&self, path: &Path) -> PathBuf {
        crate::base::diagnostics::display_path(&self.root, path)
    }

    /// Whether `path`, below the root, resolves to a place inside the course. The error names
    /// the first link on the way that leads out (or that is broken, or a loop). A path that does
    /// not exist is `Ok`: whoever opens it says so.
    pub fn check(&self, path: &Path) -> Result<(), Diagnostic> {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let mut at = self.root.clone();
        for part in rel.components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => self.check_link(&at)?,
                Ok(_) => {}
                Err(_) => return Ok(()),
            }
        }
        Ok(())
    }

    /// Checks one symlink: it resolves, and inside the course unless links may leave it.
    fn check_link(&self, link: &Path) -> Result<(), Diagnostic> {
        let target = std::fs::read_link(link)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        let shown = self.shown(link);
        match link.canonicalize() {
            Ok(_) if self.outside => Ok(()),
            Ok(real) if real.starts_with(&self.real) => self.unpublished(&real, &target, shown),
            Ok(real) => {
                // Through another link: say where the chain ends.
                let chained = link.parent().map(|d| d.join(&target)).is_some_and(|t| {
                    std::fs::symlink_metadata(t).is_ok_and(|m| m.file_type().is_symlink())
                });
                let end = if chained {
                    format!(", which leads to `{}`", real.display())
                } else {
                    String::new()
                };
                Err(Diagnostic::error(
                    shown,
                    1,
                    1,
                    format!("this symlink points outside the course, to `{target}`{end}"),
                )
                .with_hint(OUTSIDE_HINT))
            }
            Err(e) if is_loop(&e) => Err(loop_error(shown)),
            Err(_) => Err(Diagnostic::error(
                shown,
                1,
                1,
                format!("this symlink points to `{target}`, which does not exist"),
            )
            .with_hint("remove the link, or point it at a file of the course")),
        }
    }

    /// A link's target `real` (resolved, inside the course) must not be a part of the course
    /// that is never published: a hidden file or folder (`.git/config`, `.env`, a cache), or
    /// a site semester built (a folder holding [`OUTPUT_MARKER`], perhaps built `--private`).
    fn unpublished(&self, real: &Path, target: &str, shown: PathBuf) -> Result<(), Diagnostic> {
        let rel = real.strip_prefix(&self.real).unwrap_or(real);
        let mut at = self.real.clone();
        for part in rel.components() {
            at.push(part);
            let name = part.as_os_str().to_string_lossy();
            if name.starts_with('.') {
                return Err(Diagnostic::error(
                    shown,
                    1,
                    1,
                    format!("this symlink points to `{target}`, into `{name}`, a hidden part of the course that is never published"),
                )
                .with_hint("hidden files and folders (.git, .env, caches) stay private: copy what the page needs into a file that is not hidden"));
            }
            if at.join(OUTPUT_MARKER).exists() {
                return Err(built_site(shown, Some(target)));
            }
        }
        Ok(())
    }

    /// Reads the UTF-8 text of `path` (below the root): checked with [`Fence::check`], a
    /// regular file, at most `cap` bytes. Errors name the file as shown below the root.
    pub fn read_text(&self, path: &Path, cap: Cap) -> Result<String, Diagnostic> {
        self.check(path)?;
        read_capped(path, &self.shown(path), cap)
    }

    /// Every file below `dir` (hidden ones left out), as (`/`-separated path relative to
    /// `dir`, full path), sorted by name. Links leaving the course, broken links, loops,
    /// FIFOs, devices, sockets and files past `cap` are errors in the second list, and their
    /// files are left out. A missing `dir` has no files.
    pub fn files_below(&self, dir: &Path, cap: Cap) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        if let Err(d) = self.check(dir) {
            return (Vec::new(), vec![d]);
        }
        if !dir.is_dir() {
            return (Vec::new(), errors);
        }
        let mut files = Vec::new();
        let walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                    return false;
                }
                if e.depth() > 0
                    && e.path_is_symlink()
                    && let Err(d) = self.check_link(e.path())
                {
                    errors.push(d);
                    return false;
                }
                if e.depth() > 0 && e.file_type().is_dir() && e.path().join(OUTPUT_MARKER).exists()
                {
                    errors.push(built_site(self.shown(e.path()), None));
                    return false;
                }
                true
            });
        let mut walk_errors = Vec::new();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => match regular(&e, cap, &self.shown(e.path())) {
                    Ok(()) => files.push((rel_slash(dir, e.path()), e.into_path())),
                    Err(d) => walk_errors.push(d),
                },
                Err(e) => walk_errors.push(self.walk_error(&e)),
            }
        }
        errors.extend(walk_errors);
        (files, errors)
    }

    /// Whether [`Fence::files_below`]`(dir, cap)` would list the file `rel` (`/`-separated,
    /// below `dir`) with no error, found without walking the rest of `dir`: no part of the way
    /// hidden or a link, no folder on it a built site, and the file a regular one within `cap`.
    /// What `serve` checks before it reads one changed page alone.
    pub fn lists_plainly(&self, dir: &Path, rel: &str, cap: Cap) -> bool {
        let parts: Vec<&str> = rel.split('/').collect();
        if self.check(dir).is_err() || parts.iter().any(|p| p.is_empty() || p.starts_with('.')) {
            return false;
        }
        let mut at = dir.to_path_buf();
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            let Ok(meta) = std::fs::symlink_metadata(&at) else {
                return false;
            };
            let last = i + 1 == parts.len();
            let plain = match last {
                true => meta.file_type().is_file() && meta.len() <= cap.bytes(),
                false => meta.file_type().is_dir() && !at.join(OUTPUT_MARKER).exists(),
            };
            if !plain {
                return false;
            }
        }
        true
    }

    fn walk_error(&self, e: &walkdir::Error) -> Diagnostic {
        let shown = e
            .path()
            .map_or_else(|| PathBuf::from("."), |p| self.shown(p));
        // A link that leads out of the course is named so, even where it also loops.
        if let Some(p) = e.path()
            && std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
            && let Err(d) = self.check_link(p)
        {
            return d;
        }
        if e.loop_ancestor().is_some() {
            return loop_error(shown);
        }
        let why = e.io_error().map_or_else(|| e.to_string(), io_words);
        Diagnostic::error(shown, 1, 1, format!("cannot read: {why}"))
            .with_hint("check the file's permissions")
    }
}

/// A path that cannot be resolved because its links go round in a circle (`ELOOP`).
fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

fn loop_error(shown: PathBuf) -> Diagnostic {
    Diagnostic::error(
        shown,
        1,
        1,
        "this link points back into a folder that contains it (a symlink loop)",
    )
    .with_hint("remove the link, or point it at a folder that does not contain it")
}

/// The error for a link to, or a folder reached through links that is, a site semester built.
fn built_site(shown: PathBuf, target: Option<&str>) -> Diagnostic {
    let msg = match target {
        Some(t) => format!("this symlink points to `{t}`, into a site semester built"),
        None => "this folder is a site semester built, reached through a symlink".to_string(),
    };
    Diagnostic::error(shown, 1, 1, msg).with_hint(
        "a built site is never a source of the course (it may hold pages built with --private): link the files of content/ or static/ instead",
    )
}

/// What a non-regular file is, in words.
fn kind_words(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn not_regular(shown: &Path, t: std::fs::FileType, via_link: bool) -> Diagnostic {
    if t.is_dir() {
        return Diagnostic::error(shown, 1, 1, "this is a folder where a file is expected")
            .with_hint("put the file itself here, and the folder's contents elsewhere");
    }
    let what = kind_words(t);
    let msg = if via_link {
        format!("this symlink points to {what}, not to a regular file")
    } else {
        format!("this is {what}, not a regular file")
    };
    Diagnostic::error(shown, 1, 1, msg)
        .with_hint("a course holds regular files only: remove it, or put a file in its place")
}

/// A walked entry is a regular file within its cap.
fn regular(e: &walkdir::DirEntry, cap: Cap, shown: &Path) -> Result<(), Diagnostic> {
    if !e.file_type().is_file() {
        return Err(not_regular(shown, e.file_type(), e.path_is_symlink()));
    }
    let len = e.metadata().map(|m| m.len()).unwrap_or(0);
    if len > cap.bytes() {
        return Err(too_large(shown, len, cap));
    }
    Ok(())
}

/// Reads a regular file of at most `cap` bytes as UTF-8 text, without following it outside
/// the checks already made: a FIFO is never opened, a device never read, a file that grows
/// past the cap while read is cut off at the cap and refused.
pub fn read_capped(path: &Path, shown: &Path, cap: Cap) -> Result<String, Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(
            shown,
            1,
            1,
            format!("cannot read this file: {}", io_words(&e)),
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        let via_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        return Err(not_regular(shown, meta.file_type(), via_link));
    }
    if meta.len() > cap.bytes() {
        return Err(too_large(shown, meta.len(), cap));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.bytes() + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > cap.bytes() {
        return Err(too_large(shown, bytes.len() as u64, cap));
    }
    utf8(bytes, shown)
}

fn utf8(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::error(shown, line, col, "this file is not UTF-8 text")
            .with_hint("save it as UTF-8 (most editors have an \"encoding\" menu)")
    })
}

/// `path` relative to `base`, with `/` separators.
pub fn rel_slash(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// An I/O error in words.
pub fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
