//! Versions (SPEC section 7): `semester freeze` snapshots the current term into
//! versions/<term>/, and the build publishes every snapshot beside the current term.
//!
//! A snapshot is itself a course folder (course.yaml, terms/<id>.yaml, content/, static/,
//! templates/), rendered with the current theme and the current `base_url`, so its pages keep
//! their URLs. A snapshot whose inputs have not changed since the last build into the same
//! folder is not rendered again: its files are linked from the previous output (see
//! [`input_hash`] for what "inputs" means).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::{
    files::{Data, OutputFile},
    options::BuildOptions,
};
use crate::render::context::VersionPages;

/// What a snapshot is made of, besides the term file.
const FROZEN: [&str; 4] = ["course.yaml", "content", "static", "templates"];

/// The folder of frozen terms, below the course root.
pub const VERSIONS_DIR: &str = "versions";

/// A frozen term, loaded as a course of its own.
pub struct Archived {
    /// Its folder below versions/.
    pub dir: VersionDir,
    /// Its course, term, pages and calendar.
    pub course: crate::model::course::Course,
}

/// A folder below versions/.
#[derive(Debug, Clone, Hash)]
pub struct VersionDir {
    /// Its name, which is the term's id.
    pub id: String,
    /// The folder.
    pub root: PathBuf,
}

/// The folders of versions/, sorted by name. A folder whose name is not a term id is an error.
pub fn discover(root: &Path, diags: &mut Diagnostics) -> Vec<VersionDir> {
    let dir = root.join(VERSIONS_DIR);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    // A version folder is the course's own: never a link out of it.
    let fence = crate::base::fence::Fence::new(root, false);
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let shown = PathBuf::from(VERSIONS_DIR).join(&name);
        if let Err(d) = fence.check(&e.path()) {
            diags.push(d);
            continue;
        }
        if !e.path().is_dir() {
            diags.push(
                Diagnostic::error(
                    shown,
                    1,
                    1,
                    "versions/ holds only folders, one per frozen term",
                )
                .with_hint("move this file elsewhere; `semester freeze` makes the folders"),
            );
            continue;
        }
        if !crate::load::term::is_term_id(&name) {
            diags.push(
                Diagnostic::error(shown, 1, 1, format!("`{name}` is not a term id"))
                    .with_hint("a version folder is named after its term, like spring-2026 (lowercase letters, digits and dashes)"),
            );
            continue;
        }
        found.push(VersionDir {
            id: name,
            root: e.path(),
        });
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// Rewrites a version's diagnostics so that their paths start at the course root
/// (`versions/fall-2025/content/labs/01.md`).
pub fn relocate(id: &str, diags: Diagnostics) -> Diagnostics {
    let mut out = Diagnostics::new();
    for mut d in diags.into_vec() {
        if d.path.is_relative()
            && !d.path.starts_with("<built-in theme>")
            && d.path != Path::new("--out")
        {
            d.path = Path::new(VERSIONS_DIR).join(id).join(&d.path);
        }
        out.push(d);
    }
    out
}

/// What `semester freeze` did.
#[derive(Debug)]
pub struct Frozen {
    /// The term frozen.
    pub id: String,
    /// The snapshot folder.
    pub dir: PathBuf,
    /// Files copied.
    pub files: usize,
}

/// Copies the current term's sources into versions/<term>/ (SPEC section 7). Refuses to replace
/// an existing snapshot unless `force`; the course must build, so that no broken term is frozen.
/// `check` builds the course with the given switches, adding its mistakes to the diagnostics.
pub fn freeze(
    root: &Path,
    force: bool,
    check: impl FnOnce(&BuildOptions, &mut Diagnostics),
) -> Result<Frozen, Diagnostics> {
    let id = term_to_freeze(root, force, check)?;
    let target = root.join(VERSIONS_DIR).join(&id);
    let files = copy_snapshot(root, &id, &target)?;
    Ok(Frozen {
        id,
        dir: target,
        files,
    })
}

/// The current term of the course at `root`, once it may be frozen: not frozen already (unless
/// `force`), published with the course.yaml as it is, and building without errors (`check`).
fn term_to_freeze(
    root: &Path,
    force: bool,
    check: impl FnOnce(&BuildOptions, &mut Diagnostics),
) -> Result<String, Diagnostics> {
    let mut diags = Diagnostics::new();
    let config = crate::load::config::load_config(root, None, &mut diags);
    let Some(config) = config else {
        return Err(diags);
    };
    let id = config.course.current_term.clone();
    let target = root.join(VERSIONS_DIR).join(&id);
    if target.exists() && !force {
        let (l, c) = config
            .spans
            .at(&[crate::load::yaml::Seg::Key("current_term")]);
        diags.push(
            Diagnostic::error("course.yaml", l, c, format!("term `{id}` is already frozen in versions/{id}/"))
                .with_hint("to replace the snapshot with the files as they are now, run `semester freeze --force`"),
        );
        return Err(diags);
    }
    if let Some(d) = published_mismatch(root, &config) {
        diags.push(d);
        return Err(diags);
    }
    let options = BuildOptions {
        drafts: false,
        private: false,
        as_of: crate::load::config::today_in(root),
        base_url: None,
        search: false,
        outside_links: false,
    };
    check(&options, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(id)
}

/// Copies the sources of term `id` into `target` (replacing it): into a fresh folder first,
/// then swapped in, like the output, so that no snapshot is half written. The number of files
/// copied; an error names the path that could not be written.
fn copy_snapshot(root: &Path, id: &str, target: &Path) -> Result<usize, Diagnostics> {
    let io = |e: std::io::Error, what: &Path| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(what, 1, 1, format!("cannot freeze: {e}")));
        d
    };
    let versions = root.join(VERSIONS_DIR);
    std::fs::create_dir_all(&versions).map_err(|e| io(e, &versions))?;
    // Copy into a fresh folder and swap it in, like the output: no half-written snapshot.
    let tmp = versions.join(format!(".{id}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut files = 0;
    let term_file = PathBuf::from("terms").join(format!("{id}.yaml"));
    let mut parts: Vec<PathBuf> = FROZEN.iter().map(PathBuf::from).collect();
    parts.push(term_file);
    let fence = crate::base::fence::Fence::new(root, false);
    for part in &parts {
        let from = root.join(part);
        if !from.exists() {
            continue;
        }
        files += copy_tree(&fence, &from, &tmp.join(part)).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&tmp);
        })?;
    }
    if target.exists() {
        std::fs::remove_dir_all(target).map_err(|e| io(e, target))?;
    }
    std::fs::rename(&tmp, target).map_err(|e| io(e, target))?;
    Ok(files)
}

/// Whether course.yaml still describes the term public/ last published (its versions.json holds
/// the current term and a fingerprint of the course.yaml it was built with): if it names
/// another current term, or a key changed since, freezing would archive the term with what
/// was meant for the next one (a new time zone moves every archived class). No public/, or one
/// of an older semester, proves nothing: then the course is frozen as it is.
fn published_mismatch(root: &Path, config: &crate::load::config::Config) -> Option<Diagnostic> {
    use crate::load::published;
    use crate::load::yaml::Seg;
    let path = root.join("public").join("versions.json");
    let fence = crate::base::fence::Fence::new(root, false);
    let text = fence.read_text(&path, crate::base::fence::Cap::File).ok()?;
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).ok()?;
    let current = list
        .iter()
        .find(|v| v["current"] == serde_json::Value::Bool(true))?;
    let built_id = current["id"].as_str()?;
    let print: BTreeMap<String, String> =
        serde_json::from_value(current.get(published::FIELD)?.clone()).ok()?;
    let id = &config.course.current_term;
    let undo = format!(
        "to keep {built_id} as it was published, undo the edits made for the next term (`git stash`), run `semester freeze`, then make them again; if the edits belong to {built_id}, run `semester build` first"
    );
    if built_id != id {
        let (l, c) = config.spans.at(&[Seg::Key("current_term")]);
        let msg = format!(
            "public/ was last built with `{built_id}` as the current term, but course.yaml now names `{id}`: freezing now would archive `{id}`, not the term that was published"
        );
        return Some(Diagnostic::error("course.yaml", l, c, msg).with_hint(undo));
    }
    let changed = published::changed_keys(&print, &published::fingerprint(&config.source));
    let first = changed.first()?;
    let (l, c) = config.spans.at(&[Seg::Key(first)]);
    let keys: Vec<String> = changed.iter().map(|k| format!("`{k}`")).collect();
    let msg = format!(
        "course.yaml's {} changed since `{id}` was last built into public/: freezing now would archive `{id}` with the new values",
        keys.join(", ")
    );
    Some(Diagnostic::error("course.yaml", l, c, msg).with_hint(undo))
}

/// Copies a file or a folder tree through the course's fence: links are followed only inside
/// the course (so the snapshot stands on its own and never holds a file from elsewhere);
/// hidden files are left out, as the build leaves them out.
fn copy_tree(
    fence: &crate::base::fence::Fence,
    from: &Path,
    to: &Path,
) -> Result<usize, Diagnostics> {
    let fail = |d: Diagnostic| {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    };
    let io = |e: std::io::Error, what: &Path| {
        fail(Diagnostic::error(
            fence.shown(what),
            1,
            1,
            format!("cannot freeze: {e}"),
        ))
    };
    let (files, errors) = if from.is_dir() {
        fence.files_below(from, crate::base::fence::Cap::File)
    } else {
        match fence.check(from) {
            Ok(()) => (vec![(String::new(), from.to_path_buf())], Vec::new()),
            Err(d) => (Vec::new(), vec![d]),
        }
    };
    if !errors.is_empty() {
        let mut all = Diagnostics::new();
        errors.into_iter().for_each(|d| all.push(d));
        return Err(all);
    }
    for (rel, path) in &files {
        let dest = if rel.is_empty() {
            to.to_path_buf()
        } else {
            to.join(rel)
        };
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(e, path))?;
        }
        std::fs::copy(path, &dest).map_err(|e| io(e, path))?;
    }
    Ok(files.len())
}

/// Everything a version's output depends on: every file of its folder, the files of the
/// current theme folder, the semester binary itself, the list of versions with their page
/// paths (the switcher of every page names them), the code colours, and the build switches
/// that change pages (`--as-of` only when the version hides labs until their release or the build date is not
/// after its last dated day).
/// A change to the current term's text does not change it; adding or removing a page does.
#[derive(Hash)]
pub struct VersionInput<'a> {
    /// The frozen term's folder.
    pub version: &'a VersionDir,
    /// The current theme folder.
    pub theme_dir: &'a Path,
    /// Every published term with its page paths.
    pub versions: &'a [VersionPages],
    /// The build switches.
    pub options: &'a BuildOptions,
    /// The site's base URL.
    pub base_url: &'a str,
    /// The code colour schemes (light, dark).
    pub code_colours: (&'a str, &'a str),
    /// Whether the version hides labs until their release (then `--as-of` matters).
    pub as_of_matters: bool,
}

impl VersionInput<'_> {
    /// The key of this input (kept in the cache folder between builds).
    pub fn key(&self) -> crate::base::memo::Key {
        self.key_with(self.files_key())
    }

    /// The key of this input, given the key of its files ([`VersionInput::files_key`], which
    /// `serve` keeps until the watcher reports a change).
    pub fn key_with(&self, files: crate::base::memo::Key) -> crate::base::memo::Key {
        crate::base::memo::key_of(&("semester-version-cache-3", files, self))
    }

    /// The key of every file the version's pages are made from: its folder, the theme folder
    /// and the semester binary itself. Reads every one of those files.
    pub fn files_key(&self) -> crate::base::memo::Key {
        crate::base::memo::key_of(&(
            env!("CARGO_PKG_VERSION"),
            binary_stamp(),
            Files(&self.version.root),
            Files(self.theme_dir),
        ))
    }
}

/// The running binary's size and modification time: a rebuilt semester renders again.
fn binary_stamp() -> Option<(u64, Option<std::time::SystemTime>)> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// `Hash` for a folder: every file's path below it and its bytes.
struct Files<'a>(&'a Path);

impl std::hash::Hash for Files<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
        // Every regular file the build could read there (links followed wherever they lead,
        // so that an opted-in outside file counts too; FIFOs and devices never read).
        let fence = crate::base::fence::Fence::new(self.0, true);
        let (files, _) = fence.files_below(self.0, crate::base::fence::Cap::File);
        for (rel, path) in files {
            rel.hash(state);
            std::fs::read(&path).ok().hash(state);
        }
    }
}

/// What the last build into an output folder recorded of one frozen term: the key of its
/// inputs and the key of the files it wrote below `<out>/<id>/`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    /// [`VersionInput::key`], as hex.
    pub input: String,
    /// `disk_cache::tree_key` of the written files, as hex.
    pub output: String,
}

/// The record the last build into `out` left in the cache folder (empty if none).
pub fn read_cache(out: &Path) -> BTreeMap<String, Recorded> {
    crate::site::disk_cache::path_for(out, "versions")
        .and_then(|p| crate::site::disk_cache::read(&p))
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Records, after a build into `out`, each frozen term's input key (`inputs`: id → hex) with
/// the key of what was written for it. Only a saving of time: a failure is ignored.
pub fn record(out: &Path, inputs: &BTreeMap<String, String>) {
    let Some(path) = crate::site::disk_cache::path_for(out, "versions") else {
        return;
    };
    let recorded: BTreeMap<&String, Recorded> = inputs
        .iter()
        .filter_map(|(id, input)| {
            let output = crate::site::disk_cache::tree_key(&out.join(id))?;
            Some((
                id,
                Recorded {
                    input: input.clone(),
                    output: crate::base::memo::hex(output),
                },
            ))
        })
        .collect();
    let _ = crate::site::disk_cache::write(
        &path,
        &serde_json::to_vec_pretty(&recorded).unwrap_or_default(),
    );
}

/// Every file of a version in the previous output, to be linked into the new one; `None` when
/// the folder is missing or unreadable (then the version is rendered).
/// The files are used only if they are still what the last build wrote (`output`, the hex of
/// their `disk_cache::tree_key`): an output folder edited or replaced since costs a render.
pub fn previous_files(out: &Path, id: &str, output: &str) -> Option<Vec<OutputFile>> {
    let dir = out.join(id);
    if !dir.is_dir()
        || crate::site::disk_cache::tree_key(&dir).map(crate::base::memo::hex)? != output
    {
        return None;
    }
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(&dir) {
        let e = e.ok()?;
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(out).ok()?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(OutputFile {
                path: rel,
                data: Data::Link(e.into_path()),
            });
        }
    }
    Some(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::context::{VersionLink, alternates};

    fn link(id: &str, current: bool) -> VersionLink {
        VersionLink {
            id: id.into(),
            name: id.into(),
            url: format!("/{id}/"),
            current,
        }
    }

    #[test]
    fn alternates_prefer_the_same_page() {
        let versions = vec![
            VersionPages {
                link: link("spring-2027", true),
                paths: ["".into(), "labs/01/".into()].into_iter().collect(),
            },
            VersionPages {
                link: link("fall-2026", false),
                paths: ["".into()].into_iter().collect(),
            },
        ];
        let a = alternates(&versions, "labs/01/");
        assert_eq!(a[0].url, "/spring-2027/labs/01/");
        assert_eq!(a[1].url, "/fall-2026/", "missing page: the version's home");
    }

    #[test]
    fn relocated_paths_start_at_the_course() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("content/a.md", 3, 1, "x"));
        d.push(Diagnostic::error(
            "<built-in theme>/templates/base.html",
            1,
            1,
            "y",
        ));
        let v = relocate("fall-2025", d).into_vec();
        assert_eq!(v[0].path, Path::new("versions/fall-2025/content/a.md"));
        assert_eq!(v[1].path, Path::new("<built-in theme>/templates/base.html"));
    }

    #[test]
    fn the_hash_sees_every_byte() {
        let dir = std::env::temp_dir().join(format!("semester-vhash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/a.md"), "one").unwrap();
        let v = VersionDir {
            id: "fall-2025".into(),
            root: dir.clone(),
        };
        let opts = BuildOptions {
            drafts: false,
            private: false,
            as_of: jiff::civil::date(2026, 1, 1),
            base_url: None,
            search: false,
            outside_links: false,
        };
        let theme = dir.join("no-theme");
        let input_hash = |v: &VersionDir, theme: &Path, base_url: &str, colours: (&str, &str)| {
            VersionInput {
                version: v,
                theme_dir: theme,
                versions: &[],
                options: &opts,
                base_url,
                code_colours: colours,
                as_of_matters: false,
            }
            .key()
        };
        let hl = ("Coldark-Cold", "Coldark-Dark");
        let h1 = input_hash(&v, &theme, "/", hl);
        assert_eq!(h1, input_hash(&v, &theme, "/", hl));
        std::fs::write(dir.join("content/a.md"), "two").unwrap();
        let h2 = input_hash(&v, &theme, "/", hl);
        assert_ne!(h1, h2);
        assert_ne!(h2, input_hash(&v, &theme, "/course/", hl));
        assert_ne!(h2, input_hash(&v, &theme, "/", ("GitHub", hl.1)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
