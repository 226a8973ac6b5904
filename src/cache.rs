//! What a long-lived process (`semester serve`) keeps between builds so that a rebuild only
//! does the work its change needs: the rendered Markdown of each page, the HTML of each page,
//! and highlighted code blocks. Every entry is keyed by a hash of all of its inputs, so a hit
//! is always right and nothing has to be invalidated by hand: a page whose inputs did not
//! change is simply not rendered again.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex, PoisonError};

use crate::markdown::Rendered;

/// A cache key: SipHash over the bytes, and a second, differently seeded SipHash over the
/// lengths of the parts (cheap, and it separates inputs of different shapes). No extra
/// dependency. The hashers' keys are fixed, so a key is stable across runs of one binary
/// (frozen versions' keys are kept in public/ and also cover the binary itself).
#[derive(Clone)]
pub struct Hash128 {
    a: std::collections::hash_map::DefaultHasher,
    b: std::collections::hash_map::DefaultHasher,
}

impl Default for Hash128 {
    fn default() -> Self {
        let a = std::collections::hash_map::DefaultHasher::new();
        let mut b = std::collections::hash_map::DefaultHasher::new();
        b.write_u8(0x5a);
        Hash128 { a, b }
    }
}

impl Hash128 {
    /// Adds bytes, length-prefixed so that ("ab","c") and ("a","bc") differ.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.a.write_usize(bytes.len());
        self.a.write(bytes);
        self.b.write_usize(bytes.len());
        self
    }

    /// Adds a string.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// Adds a number.
    pub fn u64(&mut self, n: u64) -> &mut Self {
        self.bytes(&n.to_le_bytes())
    }

    /// The hash.
    pub fn finish(&self) -> u128 {
        (u128::from(self.a.finish()) << 64) | u128::from(self.b.finish())
    }

    /// The hash as 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.finish())
    }
}

/// The caches of one serving process.
#[derive(Default)]
pub struct BuildCache {
    markdown: Keyed<String, u128, Arc<Rendered>>,
    pages: Keyed<String, u128, Arc<Vec<u8>>>,
    versions: Keyed<String, String, Vec<crate::render::OutputFile>>,
    sources: Keyed<std::path::PathBuf, FileStamp, crate::content::PageResult>,
    templates: Mutex<Option<(u128, tera::Tera)>>,
}

/// Name → (the key of the inputs it was made from, what was made).
type Keyed<N, K, V> = Mutex<HashMap<N, (K, V)>>;

/// What says a file is unchanged: its size, modification time and the filter it was read with.
type FileStamp = (u64, Option<std::time::SystemTime>, bool, bool);

impl BuildCache {
    /// A fresh cache; also turns on the process-wide cache of highlighted code blocks.
    pub fn new() -> Self {
        crate::highlight::enable_cache();
        Self::default()
    }

    /// The rendered Markdown of the page `rel` if its inputs hash to `key` as last time, else
    /// `make()`, remembered in place of the old one.
    pub fn markdown(&self, rel: &str, key: u128, make: impl FnOnce() -> Rendered) -> Arc<Rendered> {
        if let Some((_, r)) = lock(&self.markdown).get(rel).filter(|(k, _)| *k == key) {
            return Arc::clone(r);
        }
        let r = Arc::new(make());
        lock(&self.markdown).insert(rel.to_string(), (key, Arc::clone(&r)));
        r
    }

    /// The page written at `path` if its inputs hash to `key` as last time.
    pub fn page(&self, path: &str, key: u128) -> Option<Arc<Vec<u8>>> {
        lock(&self.pages)
            .get(path)
            .filter(|(k, _)| *k == key)
            .map(|(_, bytes)| Arc::clone(bytes))
    }

    /// Remembers the page written at `path` from inputs hashing to `key`.
    pub fn store_page(&self, path: &str, key: u128, bytes: Arc<Vec<u8>>) {
        lock(&self.pages).insert(path.to_string(), (key, bytes));
    }
}

impl BuildCache {
    /// The parsed page at `path`, or `parse()` when the file changed since it was last parsed.
    /// (A file rewritten within the same clock tick with the same size is caught by the next
    /// change; editors' saves change the size or the time.)
    pub fn source(
        &self,
        path: &std::path::Path,
        drafts: bool,
        private: bool,
        parse: impl FnOnce() -> crate::content::PageResult,
    ) -> crate::content::PageResult {
        let stamp = std::fs::metadata(path)
            .ok()
            .map(|m| (m.len(), m.modified().ok(), drafts, private));
        if let Some(stamp) = stamp
            && let Some((_, r)) = lock(&self.sources).get(path).filter(|(s, _)| *s == stamp)
        {
            return r.clone();
        }
        let r = parse();
        if let Some(stamp) = stamp {
            lock(&self.sources).insert(path.to_path_buf(), (stamp, r.clone()));
        }
        r
    }

    /// The compiled templates whose texts hash to `fingerprint`, or `compile()` remembered.
    pub fn templates(
        &self,
        fingerprint: u128,
        compile: impl FnOnce() -> Option<tera::Tera>,
    ) -> Option<tera::Tera> {
        if let Some((_, t)) = lock(&self.templates)
            .as_ref()
            .filter(|(f, _)| *f == fingerprint)
        {
            return Some(t.clone());
        }
        let t = compile()?;
        *lock(&self.templates) = Some((fingerprint, t.clone()));
        Some(t)
    }

    /// The files of frozen version `id` if its inputs still hash to `hash`.
    pub fn version(&self, id: &str, hash: &str) -> Option<Vec<crate::render::OutputFile>> {
        lock(&self.versions)
            .get(id)
            .filter(|(h, _)| h == hash)
            .map(|(_, files)| files.clone())
    }

    /// Remembers the files of frozen version `id`; their bytes are shared, not copied.
    pub fn store_version(
        &self,
        id: &str,
        hash: &str,
        files: Vec<crate::render::OutputFile>,
    ) -> Vec<crate::render::OutputFile> {
        use crate::render::{Data, OutputFile};
        let shared: Vec<OutputFile> = files
            .into_iter()
            .map(|f| OutputFile {
                data: match f.data {
                    Data::Bytes(b) => Data::Shared(Arc::new(b)),
                    other => other,
                },
                path: f.path,
            })
            .collect();
        lock(&self.versions).insert(id.to_string(), (hash.to_string(), shared.clone()));
        shared
    }
}

/// A lock that survives a panicked holder (the data is a cache: at worst, a miss).
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_separate_their_parts() {
        let h = |parts: &[&str]| {
            let mut h = Hash128::default();
            for p in parts {
                h.str(p);
            }
            h.finish()
        };
        assert_ne!(h(&["ab", "c"]), h(&["a", "bc"]));
        assert_eq!(h(&["x"]), h(&["x"]));
    }

    #[test]
    fn pages_hit_only_with_the_same_key() {
        let c = BuildCache::default();
        c.store_page("a/index.html", 7, Arc::new(b"one".to_vec()));
        assert!(c.page("a/index.html", 7).is_some());
        assert!(c.page("a/index.html", 8).is_none());
        assert!(c.page("b/index.html", 7).is_none());
    }
}
