//! A rebuild from the paths the watcher saw change: the last site patched where the change
//! reaches only the saved pages' own files (`site::patch`), else the whole pipeline.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::{Rebuild, Served, Server, served, signal_for};
use crate::site::patch::{Patched, patch};

impl Server {
    /// Builds the site again after the files at `changed` (absolute paths below the course)
    /// changed, and tells the open pages what changed. The caches forget what depends on
    /// those files in a way no key sees (`BuildCache::forget`) first.
    pub fn rebuild_after(&self, changed: &[PathBuf]) -> Rebuild {
        self.cache.forget(&self.root, changed);
        self.patched(changed).unwrap_or_else(|| self.rebuild())
    }

    /// The last site patched for a change of the page files `changed` alone. `None` (and
    /// nothing kept to patch) when the change needs a whole build.
    fn patched(&self, changed: &[PathBuf]) -> Option<Rebuild> {
        let started = Instant::now();
        let pages = content_pages(&self.root, changed)?;
        let mut last = crate::base::memo::lock(&self.last);
        let kept = last.as_mut()?;
        if self.current().error.is_some() {
            return None;
        }
        let Some(made) = patch(&self.root, &self.options, &self.cache, kept, &pages) else {
            *last = None;
            return None;
        };
        let swapped = Instant::now();
        let mut timings = made.timings.clone();
        let changed = {
            let mut now = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
            // Copied only if a request still reads it; else changed in place.
            patch_files(&mut Arc::make_mut(&mut now).files, made)
        };
        if let Some(s) = signal_for(false, &changed) {
            let _ = self.signals.send(s);
        }
        timings.push(("serve", swapped.elapsed()));
        Some(Rebuild {
            took: started.elapsed(),
            changed: Some(changed),
            errors: String::new(),
            timings,
            patched: true,
        })
    }
}

/// The changed files as page files below content/ (`/`-separated), if that is all they are.
fn content_pages(root: &Path, changed: &[PathBuf]) -> Option<Vec<String>> {
    let mut pages: Vec<String> = changed
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root).ok()?;
            let mut parts = rel.components().map(|c| c.as_os_str().to_str());
            (parts.next()?? == "content").then_some(())?;
            let below: Option<Vec<&str>> = parts.collect();
            let below = below?.join("/");
            below.ends_with(".md").then_some(below)
        })
        .collect::<Option<_>>()?;
    pages.sort();
    pages.dedup();
    (!pages.is_empty()).then_some(pages)
}

/// `files` with those of `made` in place; the paths whose file changed, sorted.
fn patch_files(files: &mut HashMap<String, Served>, made: Patched) -> Vec<String> {
    let mut changed: Vec<String> = Vec::new();
    for path in made.removed {
        if files.remove(&path).is_some() {
            changed.push(path);
        }
    }
    for (path, file) in served(made.files) {
        if !files.get(&path).is_some_and(|old| old.same_as(&file)) {
            changed.push(path.clone());
        }
        files.insert(path, file);
    }
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_page_files_below_content_can_be_patched() {
        let root = Path::new("/c");
        let pages = |ps: &[&str]| {
            let ps: Vec<PathBuf> = ps.iter().map(PathBuf::from).collect();
            content_pages(root, &ps)
        };
        assert_eq!(
            pages(&[
                "/c/content/labs/01.md",
                "/c/content/a.md",
                "/c/content/a.md"
            ]),
            Some(vec!["a.md".to_string(), "labs/01.md".to_string()])
        );
        assert_eq!(pages(&["/c/content/a.md", "/c/course.yaml"]), None);
        assert_eq!(pages(&["/c/content/figure.png"]), None);
        assert_eq!(pages(&["/c/content"]), None);
        assert_eq!(pages(&["/c/templates/page.md"]), None);
        assert_eq!(pages(&["/elsewhere/content/a.md"]), None);
        assert_eq!(pages(&[]), None);
    }
}
