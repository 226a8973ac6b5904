//! Versions (SPEC section 7): `semester freeze` snapshots the current term into
//! versions/<term>/, and the build publishes every snapshot beside the current term.
//!
//! A snapshot is itself a course folder (course.yaml, terms/<id>.yaml, content/, static/,
//! templates/), rendered with the current theme and the current `base_url`, so its pages keep
//! their URLs. A snapshot whose inputs have not changed since the last build into the same
//! folder is not rendered again: its files are linked from the previous output (see
//! [`input_hash`] for what "inputs" means).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::VersionLink;
use crate::render::{BuildOptions, Data, OutputFile};

/// What a snapshot is made of, besides the term file.
const FROZEN: [&str; 4] = ["course.yaml", "content", "static", "templates"];

/// The folder of frozen terms, below the course root.
pub const VERSIONS_DIR: &str = "versions";

/// Where the build remembers which inputs made each version's output, inside the output.
pub const CACHE_FILE: &str = ".semester-versions.json";

/// A folder below versions/.
#[derive(Debug, Clone)]
pub struct VersionDir {
    /// Its name, which is the term's id.
    pub id: String,
    /// The folder.
    pub root: PathBuf,
}

/// A version and the page paths it has (below its term root: `labs/02-docker/`), for the
/// switcher's "same page in the other term".
#[derive(Debug, Clone)]
pub struct VersionPages {
    /// The version.
    pub link: VersionLink,
    /// Its pages' URL paths relative to the term root (`""` is the home page).
    pub paths: HashSet<String>,
}

/// The switcher's links for the page at `url_path`: that page in each version where it exists,
/// else the version's home.
pub fn alternates(versions: &[VersionPages], url_path: &str) -> Vec<VersionLink> {
    versions
        .iter()
        .map(|v| {
            let mut link = v.link.clone();
            if v.paths.contains(url_path) {
                link.url = format!("{}{url_path}", v.link.url);
            }
            link
        })
        .collect()
}

/// The folders of versions/, sorted by name. A folder whose name is not a term id is an error.
pub fn discover(root: &Path, diags: &mut Diagnostics) -> Vec<VersionDir> {
    let dir = root.join(VERSIONS_DIR);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let shown = PathBuf::from(VERSIONS_DIR).join(&name);
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
        if !crate::term::is_term_id(&name) {
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
pub fn freeze(root: &Path, force: bool) -> Result<Frozen, Diagnostics> {
    let mut diags = Diagnostics::new();
    let config = crate::config::load_config(root, None, &mut diags);
    let Some(config) = config else {
        return Err(diags);
    };
    let id = config.course.current_term.clone();
    let target = root.join(VERSIONS_DIR).join(&id);
    if target.exists() && !force {
        let (l, c) = config.spans.at(&[crate::yaml::Seg::Key("current_term")]);
        diags.push(
            Diagnostic::error("course.yaml", l, c, format!("term `{id}` is already frozen in versions/{id}/"))
                .with_hint("to replace the snapshot with the files as they are now, run `semester freeze --force`"),
        );
        return Err(diags);
    }
    let options = BuildOptions {
        drafts: false,
        private: false,
        as_of: crate::today_in(root),
        base_url: None,
        search: false,
    };
    let _ = crate::build_site(root, &options, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
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
    for part in &parts {
        let from = root.join(part);
        if !from.exists() {
            continue;
        }
        files += copy_tree(&from, &tmp.join(part)).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            io(e, part)
        })?;
    }
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| io(e, &target))?;
    }
    std::fs::rename(&tmp, &target).map_err(|e| io(e, &target))?;
    Ok(Frozen {
        id,
        dir: target,
        files,
    })
}

/// Copies a file or a folder tree (following symlinks, so the snapshot stands on its own).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<usize> {
    if from.is_file() {
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(from, to)?;
        return Ok(1);
    }
    let mut n = 0;
    for e in walkdir::WalkDir::new(from).follow_links(true) {
        let e = e.map_err(std::io::Error::other)?;
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else {
            std::fs::copy(e.path(), &dest)?;
            n += 1;
        }
    }
    Ok(n)
}

/// A hash of everything a version's output depends on: every file of its folder, the files of
/// the current theme folder, the semester binary itself, the list of versions with their page
/// paths (the switcher of every page names them), and the build switches that change pages
/// (`--as-of` only when the version hides labs until their release).
/// A change to the current term's text does not change it; adding or removing a page does.
pub fn input_hash(
    version: &VersionDir,
    theme_dir: &Path,
    versions: &[VersionPages],
    options: &BuildOptions,
    base_url: &str,
    code_colours: &crate::config::HighlightConfig,
    as_of_matters: bool,
) -> String {
    let mut h = crate::cache::Hash128::default();
    h.str("semester-version-cache-2");
    h.str(&code_colours.light).str(&code_colours.dark);
    h.str(env!("CARGO_PKG_VERSION"));
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        h.u64(meta.len());
        if let Some(t) = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        {
            h.u64(t.as_nanos() as u64);
        }
    }
    for dir in [&version.root, &theme_dir.to_path_buf()] {
        h.str(&dir.to_string_lossy());
        for (rel, path) in crate::templates::files_below(dir) {
            h.str(&rel);
            match std::fs::read(&path) {
                Ok(bytes) => h.bytes(&bytes),
                Err(_) => h.str("<unreadable>"),
            };
        }
    }
    for v in versions {
        h.str(&v.link.id);
        h.str(&v.link.name);
        h.str(&v.link.url);
        h.u64(u64::from(v.link.current));
        let mut paths: Vec<&String> = v.paths.iter().collect();
        paths.sort();
        for p in paths {
            h.str(p);
        }
    }
    h.u64(u64::from(options.drafts));
    h.u64(u64::from(options.private));
    h.str(base_url);
    if as_of_matters {
        h.str(&options.as_of.to_string());
    }
    h.hex()
}

/// The hashes recorded by the last build into `out`.
pub fn read_cache(out: &Path) -> BTreeMap<String, String> {
    std::fs::read(out.join(CACHE_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The cache file for this build.
pub fn cache_file(hashes: &BTreeMap<String, String>) -> OutputFile {
    OutputFile {
        path: CACHE_FILE.into(),
        data: Data::Bytes(serde_json::to_vec_pretty(hashes).unwrap_or_default()),
    }
}

/// Every file of a version in the previous output, to be linked into the new one; `None` when
/// the folder is missing or unreadable (then the version is rendered).
pub fn previous_files(out: &Path, id: &str) -> Option<Vec<OutputFile>> {
    let dir = out.join(id);
    if !dir.is_dir() {
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
        };
        let theme = dir.join("no-theme");
        let hl = crate::config::HighlightConfig::default();
        let h1 = input_hash(&v, &theme, &[], &opts, "/", &hl, false);
        assert_eq!(h1, input_hash(&v, &theme, &[], &opts, "/", &hl, false));
        std::fs::write(dir.join("content/a.md"), "two").unwrap();
        let h2 = input_hash(&v, &theme, &[], &opts, "/", &hl, false);
        assert_ne!(h1, h2);
        assert_ne!(
            h2,
            input_hash(&v, &theme, &[], &opts, "/course/", &hl, false)
        );
        let other = crate::config::HighlightConfig {
            light: "GitHub".into(),
            ..hl.clone()
        };
        assert_ne!(h2, input_hash(&v, &theme, &[], &opts, "/", &other, false));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
