//! The one cache layer: a cached step takes a typed input, and the input's hash is the key.
//!
//! A step defines its input as a struct with `#[derive(Hash)]` holding everything its output
//! depends on, and asks a [`Memo`] for the output of that input. A new field of the input is
//! part of the key by construction, so no key is assembled by hand and none can go stale
//! (../shared/STYLE.md, "Caches that cannot go stale"). A memo is a value owned by whoever
//! keeps it between builds (`serve`'s `BuildCache`); there is no process-wide cache.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A key: the 128-bit XXH3 hash of a value (default secret), so that the same input gives the
/// same key in every run of the same binary (keys kept on disk are also bound to the binary's
/// version, see `site::cache`). 128 bits make an accidental collision between two inputs of one
/// course practically impossible (about 2^-64 at a billion entries). Keys are not secrets and
/// not meant to resist inputs made to collide: a cache file is sealed with a keyed hash of its
/// own (`site::disk_cache`), so only the user's own builds ever read one.
pub type Key = u128;

/// The [`Key`] of `input`: its `Hash` fed to XXH3-128. A page's key hashes its whole context;
/// XXH3 keys the pages of a large course in about 30 ms less than SipHash-1-3 did.
pub fn key_of<T: Hash + ?Sized>(input: &T) -> Key {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    input.hash(&mut h);
    h.digest128()
}

/// `key` as 32 lowercase hex digits (how keys are written into files).
pub fn hex(key: Key) -> String {
    format!("{key:032x}")
}

/// The outputs of one cached step: name (a page path, a file) → (the key of the input it was
/// made from, the output). A lookup hits only when the input's key is the same as last time;
/// a new output replaces the old one of that name, so the memo holds one output per name.
pub struct Memo<N, V> {
    map: Mutex<HashMap<N, (Key, V)>>,
    /// Outputs of an earlier process still being read (on another thread): added on first use
    /// of the memo, under what was kept since ([`Memo::fill_later`]).
    pending: Mutex<Option<Pending<N, V>>>,
}

/// What gives a memo the outputs an earlier process kept.
type Pending<N, V> = Box<dyn FnOnce() -> Vec<(N, Key, V)> + Send>;

impl<N, V> Default for Memo<N, V> {
    fn default() -> Self {
        Memo {
            map: Mutex::new(HashMap::new()),
            pending: Mutex::new(None),
        }
    }
}

impl<N: Hash + Eq + Clone, V: Clone> Memo<N, V> {
    /// The outputs, with those of [`Memo::fill_later`] added if they were not yet.
    fn map(&self) -> MutexGuard<'_, HashMap<N, (Key, V)>> {
        let mut map = lock(&self.map);
        if let Some(pending) = lock(&self.pending).take() {
            for (n, k, v) in pending() {
                map.entry(n).or_insert((k, v));
            }
        }
        map
    }

    /// Adds the outputs `later` gives (outputs an earlier process kept, being read on another
    /// thread) when the memo is first used; an output kept before that stays.
    pub fn fill_later(&self, later: impl FnOnce() -> Vec<(N, Key, V)> + Send + 'static) {
        *lock(&self.pending) = Some(Box::new(later));
    }

    /// Calls `f` with every kept output, its name and the key of its input (in no order),
    /// without copying them.
    pub fn visit(&self, mut f: impl FnMut(&N, Key, &V)) {
        for (n, (k, v)) in self.map().iter() {
            f(n, *k, v);
        }
    }

    /// The output kept for `name` if it was made from an input with key `key`.
    pub fn get(&self, name: &N, key: Key) -> Option<V> {
        self.map()
            .get(name)
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// The output kept for `name`, whatever input it was made from (for a step whose caller
    /// accepts an out-of-date output, such as `serve`'s search index).
    pub fn latest(&self, name: &N) -> Option<V> {
        self.map().get(name).map(|(_, v)| v.clone())
    }

    /// Keeps `value` as the output of `name` made from the input with key `key`.
    pub fn put(&self, name: &N, key: Key, value: V) {
        self.map().insert(name.clone(), (key, value));
    }

    /// The output of `name` for `input`: the kept one if `input` hashes as last time, else
    /// `make()`, kept for next time.
    pub fn get_or<I: Hash + ?Sized>(&self, name: &N, input: &I, make: impl FnOnce() -> V) -> V {
        let key = key_of(input);
        if let Some(v) = self.get(name, key) {
            return v;
        }
        let v = make();
        self.put(name, key, v.clone());
        v
    }

    /// Forgets the output of `name` (its inputs changed in a way the key cannot see, such as a
    /// file the watcher reported).
    pub fn remove(&self, name: &N) {
        self.map().remove(name);
    }

    /// Every kept output with its name and the key of its input (in no order): what a cache
    /// kept on disk writes.
    pub fn entries(&self) -> Vec<(N, Key, V)> {
        self.map()
            .iter()
            .map(|(n, (k, v))| (n.clone(), *k, v.clone()))
            .collect()
    }

    /// Forgets every output.
    pub fn clear(&self) {
        self.map().clear();
    }

    /// Like [`Memo::get_or`] for a step that can fail: a `None` is not kept.
    pub fn try_get_or<I: Hash + ?Sized>(
        &self,
        name: &N,
        input: &I,
        make: impl FnOnce() -> Option<V>,
    ) -> Option<V> {
        let key = key_of(input);
        if let Some(v) = self.get(name, key) {
            return Some(v);
        }
        let v = make()?;
        self.put(name, key, v.clone());
        Some(v)
    }
}

/// A lock that survives a panicked holder (what it guards is a cache: at worst, a miss).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `Hash` for a value that has none (a template context, a JSON value): its JSON bytes.
/// serde_json writes a struct's fields in declaration order, so equal values give equal bytes.
pub struct AsJson<'a, T: serde::Serialize>(pub &'a T);

impl<T: serde::Serialize> Hash for AsJson<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut w = HashWriter(state);
        // Writing to a hasher cannot fail; a value serde cannot write hashes as what was written.
        let _ = serde_json::to_writer(&mut w, self.0);
    }
}

struct HashWriter<'a, H: Hasher>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_their_parts_and_are_stable() {
        assert_ne!(key_of(&("ab", "c")), key_of(&("a", "bc")));
        assert_eq!(key_of(&("x", 1u8)), key_of(&("x", 1u8)));
        // Fixed keys: the same value hashes the same in every run of this binary.
        assert_eq!(hex(key_of("semester")).len(), 32);
    }

    #[test]
    fn a_memo_hits_only_for_the_same_input() {
        let m: Memo<String, u32> = Memo::default();
        let name = "a/index.html".to_string();
        assert_eq!(m.get_or(&name, &("in", 1), || 1), 1);
        assert_eq!(m.get_or(&name, &("in", 1), || 2), 1);
        assert_eq!(m.get_or(&name, &("in", 2), || 3), 3);
        assert_eq!(m.get(&"b".to_string(), key_of(&("in", 2))), None);
    }

    /// Outputs kept by an earlier process, read on another thread, join the memo on its first
    /// use; an output kept before that wins.
    #[test]
    fn outputs_filled_later_join_on_first_use() {
        let m: Memo<String, u32> = Memo::default();
        let read = std::thread::spawn(|| vec![("a".to_string(), 1, 10), ("b".to_string(), 2, 20)]);
        m.fill_later(move || read.join().unwrap_or_default());
        assert_eq!(m.get(&"a".to_string(), 1), Some(10));
        m.put(&"b".to_string(), 3, 30);
        let mut seen = Vec::new();
        m.visit(|n, k, v| seen.push((n.clone(), k, *v)));
        seen.sort();
        assert_eq!(seen, [("a".to_string(), 1, 10), ("b".to_string(), 3, 30)]);
        let later: Memo<String, u32> = Memo::default();
        later.put(&"a".to_string(), 5, 50);
        later.fill_later(|| vec![("a".to_string(), 1, 10)]);
        assert_eq!(later.latest(&"a".to_string()), Some(50));
    }

    #[test]
    fn json_hashing_sees_every_field() {
        #[derive(serde::Serialize)]
        struct S {
            a: u8,
            b: &'static str,
        }
        assert_ne!(
            key_of(&AsJson(&S { a: 1, b: "x" })),
            key_of(&AsJson(&S { a: 1, b: "y" }))
        );
    }
}
