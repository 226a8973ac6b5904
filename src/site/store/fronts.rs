//! Each page's front matter as parsed (`load::frontmatter::FrontCache`), kept beside the output
//! (`<output name>.fronts`): a build parses the YAML of a page only when its front matter
//! changed (the YAML parsers were a sixth of a one-page edit's CPU on the large benchmark
//! course). The file is read on a thread of its own while the build starts, and joined when
//! the first page asks for its front matter. Each front matter is kept as JSON, and only when
//! JSON gives it back exactly: a YAML tag, a key that is not a string or a NaN would not come
//! back the same, so such a page's YAML is parsed again in every build (its path and key are
//! kept without it, so that the file is not written again when nothing changed).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::SetDigest;
use crate::base::memo::Key;
use crate::load::frontmatter::{FrontCache, FrontMatter};
use crate::site::disk_cache;

/// The file's contents (after the stamp of the binary): source path, key of the YAML text,
/// the front matter as JSON (`None`: JSON would not give it back exactly).
type Entries<N> = Vec<(N, Key, Option<String>)>;

/// What was read, to tell at the end whether anything changed.
pub struct Kept {
    /// The digest of the paths and keys read (set once the memo took them).
    digest: Arc<OnceLock<SetDigest>>,
}

/// Starts reading the front matter kept at `path` (`None`: nothing kept) into `memo`, which
/// takes it on first use.
pub fn start(path: Option<PathBuf>, memo: &FrontCache) -> Kept {
    let digest = Arc::new(OnceLock::new());
    let thread = path.and_then(|path| {
        std::thread::Builder::new()
            .name("semester-fronts".into())
            .spawn(move || read(&path))
            .ok()
    });
    let set = Arc::clone(&digest);
    memo.fill_later(move || {
        let (entries, d) = thread.and_then(|t| t.join().ok()).unwrap_or_default();
        let _ = set.set(d);
        entries
    });
    Kept { digest }
}

/// The front matter kept at `path` that still reads, and the digest of its paths and keys.
fn read(path: &Path) -> (Vec<(String, Key, FrontMatter)>, SetDigest) {
    let kept: Entries<String> = disk_cache::read_stamped(path)
        .and_then(|bytes| bincode::deserialize(&bytes).ok())
        .unwrap_or_default();
    let mut digest = SetDigest::default();
    let entries = kept
        .into_iter()
        .filter_map(|(rel, key, json)| {
            // Counted even when not taken: the build parses it and keeps it under this key.
            digest.add(&(&rel, key));
            let front = serde_json::from_str(&json?).ok()?;
            Some((rel, key, front))
        })
        .collect();
    (entries, digest)
}

/// Writes the front matter of `memo` of the pages at `sources` to `path`, unless it is what
/// was read (`kept`). A file that cannot be written is removed (it would be out of date).
pub fn save(path: Option<PathBuf>, kept: &Kept, memo: &FrontCache, sources: &HashSet<&str>) {
    let Some(path) = path else {
        return;
    };
    let mut now = SetDigest::default();
    memo.visit(|rel, key, _| {
        if sources.contains(rel.as_str()) {
            now.add(&(rel, key));
        }
    });
    if kept.digest.get() == Some(&now) {
        return;
    }
    let mut entries: Entries<String> = Vec::new();
    memo.visit(|rel, key, front| {
        if sources.contains(rel.as_str()) {
            entries.push((rel.clone(), key, exact_json(front)));
        }
    });
    let written = bincode::serialize(&entries)
        .ok()
        .is_some_and(|bytes| disk_cache::write_stamped(&path, &bytes).is_ok());
    if !written {
        let _ = std::fs::remove_file(&path);
    }
}

/// `front` as JSON, if JSON gives it back exactly.
fn exact_json(front: &FrontMatter) -> Option<String> {
    let json = serde_json::to_string(front).ok()?;
    let back: FrontMatter = serde_json::from_str(&json).ok()?;
    (back == *front).then_some(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn front(yaml: &str) -> FrontMatter {
        crate::load::frontmatter::parse(Path::new("content/a.md"), yaml, 2).unwrap()
    }

    #[test]
    fn json_keeps_front_matter_exactly_or_not_at_all() {
        let plain = "title: Lab 1\norder: 3\ndue: {weekday: fri, time: '23:59'}\nnotebook: true\n";
        let extras = "title: A\nextra:\n  video: https://e.org/v\n  minutes: 50\n  ratio: 0.5\n";
        for yaml in [plain, extras] {
            let json = exact_json(&front(yaml)).expect("kept");
            assert_eq!(
                serde_json::from_str::<FrontMatter>(&json).unwrap(),
                front(yaml)
            );
        }
        // A tag, a key that is not a string, a NaN: JSON would not give them back.
        for yaml in [
            "title: A\nextra: {v: !shout hi}\n",
            "title: A\nextra: {1: one}\n",
            "title: A\nextra: {r: .nan}\n",
        ] {
            assert_eq!(exact_json(&front(yaml)), None, "{yaml}");
        }
    }

    #[test]
    fn saved_front_matter_is_read_back_and_not_written_again() {
        let dir = std::env::temp_dir().join(format!("semester-fronts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.fronts");
        let memo = FrontCache::default();
        let first = start(None, &memo);
        let yaml = "title: Lab 1\nweek: 2\n";
        let key = crate::base::memo::key_of(yaml);
        memo.put(&"labs/01.md".to_string(), key, front(yaml));
        memo.put(&"gone.md".to_string(), 7, front("title: Gone\n"));
        let tagged = "title: T\nextra: {v: !shout hi}\n";
        let tagged_key = crate::base::memo::key_of(tagged);
        memo.put(&"tagged.md".to_string(), tagged_key, front(tagged));
        let sources = HashSet::from(["labs/01.md", "tagged.md"]);
        save(Some(path.clone()), &first, &memo, &sources);
        let again = FrontCache::default();
        let kept = start(Some(path.clone()), &again);
        assert_eq!(again.get(&"labs/01.md".to_string(), key), Some(front(yaml)));
        assert_eq!(again.get(&"gone.md".to_string(), 7), None);
        assert_eq!(again.get(&"tagged.md".to_string(), tagged_key), None);
        // The build parses the tagged page again, under the same key: nothing changed, so
        // nothing is written.
        again.put(&"tagged.md".to_string(), tagged_key, front(tagged));
        std::fs::remove_file(&path).unwrap();
        save(Some(path.clone()), &kept, &again, &sources);
        assert!(!path.exists(), "written again though nothing changed");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
