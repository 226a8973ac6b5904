//! What a build cache keeps of search indexes: each term's index in memory (`serve`), and for
//! `build` what patching it takes, as bytes for a file beside the output (`site::store` reads
//! and writes that file; its files are the previous output's). The file is read only when an
//! index is patched: a build in which no indexed text changed never reads it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::base::files::OutputFile;
use crate::base::memo::{Key, Memo, lock};
use crate::render::search::index::{Index, State};

/// A build cache's memory of search indexes, by term id: each index by the key of everything
/// it is made from, with what patching it takes.
#[derive(Default)]
pub struct IndexMemo {
    /// Each term's index, by the key of its input.
    pub memo: Memo<String, Arc<Index>>,
    /// Reads the states kept on disk ([`IndexMemo::to_bytes`]); taken when first needed.
    stored: Mutex<Option<Reader>>,
    /// Whether an index was made since the memo was filled from disk.
    made: AtomicBool,
}

/// Reads the bytes [`IndexMemo::to_bytes`] wrote.
type Reader = Box<dyn FnOnce() -> Option<Vec<u8>> + Send>;

impl IndexMemo {
    /// Keeps `files` as term `term`'s index made from the input with key `key` (what patching
    /// it takes comes from [`IndexMemo::read_stored_with`]).
    pub fn keep_files(&self, term: &str, key: Key, files: Vec<OutputFile>) {
        let index = Index { files, state: None };
        self.memo.put(&term.to_string(), key, Arc::new(index));
    }

    /// Sets where the bytes [`IndexMemo::to_bytes`] wrote are read from, when first needed.
    pub fn read_stored_with(&self, read: impl FnOnce() -> Option<Vec<u8>> + Send + 'static) {
        *lock(&self.stored) = Some(Box::new(read));
    }

    /// Term `term`'s last index, taken out of the memo (it is about to be replaced), with what
    /// patching it takes read from disk if it was kept there.
    pub fn take(&self, term: &str) -> Option<Index> {
        let name = term.to_string();
        let (_, key, kept) = self.memo.entries().into_iter().find(|(n, ..)| *n == name)?;
        self.memo.remove(&name);
        let mut index = Arc::unwrap_or_clone(kept);
        if index.state.is_none() {
            index.state = self.stored(term, key);
        }
        Some(index)
    }

    /// The state kept on disk for term `term`'s index made from the input with key `key`.
    fn stored(&self, term: &str, key: Key) -> Option<State> {
        let read = lock(&self.stored).take()?;
        let bytes = read()?;
        let all: Vec<(String, Key, Stored)> =
            bincode::Options::deserialize(coding(), &bytes).ok()?;
        let (_, _, s) = all.into_iter().find(|(t, k, _)| t == term && *k == key)?;
        s.state()
    }

    /// Keeps `index` as term `term`'s index made from the input with key `key`.
    pub fn put(&self, term: &str, key: Key, index: Index) -> Arc<Index> {
        self.made.store(true, Ordering::Relaxed);
        let index = Arc::new(index);
        self.memo.put(&term.to_string(), key, Arc::clone(&index));
        index
    }

    /// Every term's index: term id, key of its input, the paths of its files.
    pub fn kept_files(&self) -> Vec<(String, Key, Vec<String>)> {
        let entries = self.memo.entries().into_iter();
        let paths = |i: &Index| i.files.iter().map(|f| f.path.clone()).collect();
        entries.map(|(t, k, i)| (t, k, paths(&i))).collect()
    }

    /// What patching the indexes of the terms `keep` allows takes, as bytes for a file; `None`
    /// if no index was made since the memo was filled (what is on disk is still right).
    pub fn to_bytes(&self, keep: impl Fn(&str) -> bool) -> Option<Vec<u8>> {
        if !self.made.load(Ordering::Relaxed) {
            return None;
        }
        let mut all = self.memo.entries();
        all.retain(|(t, _, i)| keep(t) && i.state.is_some());
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = all
            .iter()
            .filter_map(|(t, k, i)| Some((t, k, Stored::of(i.state.as_ref()?))));
        bincode::Options::serialize(coding(), &stored.collect::<Vec<_>>()).ok()
    }
}

/// Bincode with variable-length integers.
fn coding() -> impl bincode::Options {
    bincode::DefaultOptions::new()
}

/// A [`State`] as kept on disk: its words in order, and all their postings in one run of
/// bytes (see [`encode`]), which reads back in one pass rather than number by number.
#[derive(Serialize, Deserialize)]
struct Stored {
    pages: Vec<(Key, u32)>,
    words: Vec<String>,
    postings: Bytes,
    shards: Vec<(String, Key)>,
}

impl Stored {
    fn of(s: &State) -> Stored {
        Stored {
            pages: s.pages.clone(),
            words: s.words.keys().cloned().collect(),
            postings: Bytes(encode(s.words.values())),
            shards: s.shards.clone(),
        }
    }

    /// The state; `None` if the postings are not whole.
    fn state(self) -> Option<State> {
        let postings = decode(&self.postings.0, self.words.len())?;
        Some(State {
            pages: self.pages,
            words: self
                .words
                .into_iter()
                .zip(postings)
                .collect::<BTreeMap<_, _>>(),
            shards: self.shards,
        })
    }
}

/// Bytes written and read by serde as one run (bincode: a length and the bytes), not as a
/// sequence of numbers.
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, b: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(b.to_vec()))
            }
            fn visit_byte_buf<E>(self, b: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(b))
            }
        }
        d.deserialize_byte_buf(Visit)
    }
}

/// Each word's postings, in order: how many pairs, then each pair's page (as the difference
/// from the page before) and weight, every number in LEB128 (seven bits a byte, most take one).
fn encode<'a>(all: impl Iterator<Item = &'a Vec<u32>>) -> Vec<u8> {
    fn put(out: &mut Vec<u8>, mut v: u32) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    let mut out = Vec::new();
    for p in all {
        put(&mut out, (p.len() / 2) as u32);
        let mut last = 0;
        for pair in p.chunks_exact(2) {
            put(&mut out, pair[0].wrapping_sub(last));
            put(&mut out, pair[1]);
            last = pair[0];
        }
    }
    out
}

/// The postings of `words` words [`encode`] wrote; `None` if `b` is not exactly that.
fn decode(b: &[u8], words: usize) -> Option<Vec<Vec<u32>>> {
    let mut at = 0;
    let mut get = || {
        let mut v = 0u32;
        for shift in [0, 7, 14, 21, 28] {
            let byte = *b.get(at)?;
            at += 1;
            v |= u32::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(v);
            }
        }
        None
    };
    let mut all = Vec::with_capacity(words);
    for _ in 0..words {
        let n = get()? as usize;
        // Each pair takes two bytes at least: a longer count is not this encoding.
        let mut p = Vec::with_capacity(2 * n.min(b.len() / 2));
        let mut last = 0u32;
        for _ in 0..n {
            last = last.checked_add(get()?)?;
            p.extend([last, get()?]);
        }
        all.push(p);
    }
    (at == b.len()).then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_kept_as_differences_and_read_back() {
        let mut words = BTreeMap::new();
        words.insert("gpu".to_string(), vec![0, 2, 7, 1, 300, 9, 70_000, 1]);
        words.insert("ab".to_string(), vec![5, 1]);
        let state = State {
            pages: vec![(1, 10)],
            words,
            shards: vec![("g".into(), 3)],
        };
        let stored = Stored::of(&state);
        // "ab": one pair; "gpu": four, 293 (300 - 7) and 69,700 in two and three bytes.
        assert_eq!(
            stored.postings.0,
            [1, 5, 1, 4, 0, 2, 7, 1, 0xa5, 0x02, 9, 0xc4, 0xa0, 0x04, 1]
        );
        let bytes = bincode::Options::serialize(coding(), &stored).unwrap();
        let back: Stored = bincode::Options::deserialize(coding(), &bytes).unwrap();
        assert_eq!(back.state(), Some(state));
    }

    #[test]
    fn postings_cut_short_or_too_long_are_not_read() {
        let whole = encode([vec![3, 1, 9, 2]].iter());
        assert_eq!(decode(&whole, 1), Some(vec![vec![3, 1, 9, 2]]));
        assert_eq!(decode(&whole[..whole.len() - 1], 1), None);
        assert_eq!(decode(&[whole.clone(), vec![0]].concat(), 1), None);
        assert_eq!(decode(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 1), None);
        assert_eq!(decode(&[0x80], 1), None);
    }
}
