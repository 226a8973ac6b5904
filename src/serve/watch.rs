//! Which changes the watcher of `semester serve` passes on, and the browser it opens.

use std::path::{Path, PathBuf};

/// Whether a changed path can change the site (editor swap files, output and VCS folders can't).
pub(super) fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut comps = rel.components().map(|c| c.as_os_str().to_string_lossy());
    if let Some(first) = comps.next()
        && matches!(
            first.as_ref(),
            "public" | "target" | ".git" | "node_modules" | crate::site::disk_cache::CACHE_DIR
        )
    {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    !(name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913"
        || name.starts_with(".public.")
        || rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with(".public")))
}

pub(super) fn collect(root: &Path, ev: notify::Result<notify::Event>, into: &mut Vec<PathBuf>) {
    let Ok(ev) = ev else {
        // The watcher lost track (e.g. too many events): rebuild to be safe.
        into.push(root.join("course.yaml"));
        return;
    };
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return;
    }
    into.extend(ev.paths.into_iter().filter(|p| relevant(root, p)));
}

pub(super) fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("(could not open a browser: open {url} yourself)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_not_changes() {
        let root = Path::new("/c");
        assert!(relevant(root, Path::new("/c/content/a.md")));
        assert!(!relevant(root, Path::new("/c/content/.a.md.swp")));
        assert!(!relevant(root, Path::new("/c/content/a.md~")));
        assert!(!relevant(root, Path::new("/c/public/index.html")));
        assert!(!relevant(root, Path::new("/c/.git/index")));
        assert!(!relevant(root, Path::new("/c/content/4913")));
    }
}
