//! A term's search index as files (see `search::index` for what they hold), and how it is made
//! again after an edit: by patching the last index rather than remaking it whole. Only the pages
//! whose indexed text changed are read and counted again; the other pages' words are taken
//! from the last index's postings, and a shard or text file whose bytes cannot have changed is
//! the last index's file (in `build`, the previous output's file). The result is byte for byte
//! the index made from nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};

/// About how many bytes of JSON a shard may hold before it is split by a longer prefix: a
/// query word costs a reader one such file, or a few when it is shorter than the prefixes.
pub const SHARD_BYTES: usize = 16 * 1024;
/// The longest prefix a shard is keyed by.
pub const MAX_PREFIX: usize = 6;

/// One page as the index counts it.
pub struct Counted {
    /// Its text (the excerpts' source, `text/<page>.txt`).
    pub text: String,
    /// Each of its words with its weight (how often it occurs; title words weigh more).
    pub words: Vec<(String, u32)>,
    /// How many words its text has.
    pub len: u32,
}

/// One page's row of the index, in the index's order.
pub struct Row<'a> {
    /// The page's URL (site-absolute).
    pub url: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its section.
    pub section: &'a str,
    /// The key of everything its [`Counted`] is made from (its text and title).
    pub key: Key,
}

/// A term's index: its files (the entry, then one per shard, then one text per page) and, when
/// known, what patching it takes.
#[derive(Clone, Default)]
pub struct Index {
    /// The files.
    pub files: Vec<OutputFile>,
    /// What they are made from (`None`: not known, the index is made from nothing next time).
    pub state: Option<State>,
}

/// What the files of an index are made from, beyond the rows of its pages.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct State {
    /// Each page's key ([`Row::key`]) and length in words, in order.
    pub pages: Vec<(Key, u32)>,
    /// Each word's postings: `[page, weight, page, weight, …]`, pages ascending.
    pub words: BTreeMap<String, Vec<u32>>,
    /// Each shard's prefix and the key of its list of words, in the order of the files.
    pub shards: Vec<(String, Key)>,
}

/// A word and its postings, borrowed from [`State::words`].
pub type Entry<'a> = (&'a str, &'a [u32]);
/// A shard: its prefix and its words, sorted.
pub type Shard<'a> = (String, Vec<Entry<'a>>);

/// What a patch did to the postings: each (word, page) it removed or added, with the weight
/// before and after; `None`: pages were renumbered, any posting may have changed.
type Changes = Option<HashMap<(String, u32), [Option<u32>; 2]>>;

/// The words whose postings `changes` changed (`None`: any may have).
fn touched(changes: Changes) -> Option<HashSet<String>> {
    let changed = changes?.into_iter().filter(|(_, [a, b])| a != b);
    Some(changed.map(|((w, _), _)| w).collect())
}

impl Index {
    /// The index of pages `rows`, made from `old` (the last index of the same term; `None` or
    /// one without its state: from nothing). `count(i)` counts page `i`; it is called only for
    /// the pages whose key no page of `old` has.
    pub fn make(
        old: Option<Index>,
        term_id: &str,
        rows: &[Row],
        count: impl Fn(usize) -> Counted + Sync,
    ) -> Index {
        let (old_files, old) = usable(old);
        let keys: Vec<Key> = rows.iter().map(|r| r.key).collect();
        let from = matched(&old.pages, &keys);
        let fresh: Vec<usize> = (0..rows.len()).filter(|i| from[*i].is_none()).collect();
        let counted: Vec<Counted> = fresh.par_iter().map(|i| count(*i)).collect();
        let mut words = old.words;
        let mut changes = remap(&mut words, &from, old.pages.len());
        if fresh.len() * 4 > rows.len() {
            // Most words change: telling which is not worth it.
            changes = None;
        }
        let old_texts = &old_files[(1 + old.shards.len()).min(old_files.len())..];
        let mut pages = Vec::with_capacity(rows.len());
        let mut texts = Vec::with_capacity(rows.len());
        let mut counted = fresh.iter().zip(counted);
        let mut added = Added::default();
        for (i, j) in from.iter().enumerate() {
            let path = format!("{term_id}/search-index/text/{i}.txt");
            let (len, data) = match j {
                Some(j) => (old.pages[*j].1, old_texts[*j].data.clone()),
                None => {
                    let Some((_, c)) = counted.next() else {
                        unreachable!("every page without a match is counted")
                    };
                    added.page(i as u32, c.words, &mut changes);
                    (c.len, Data::Shared(Arc::new(c.text.into_bytes())))
                }
            };
            pages.push((keys[i], len));
            texts.push(OutputFile { path, data });
        }
        added.merge_into(&mut words);
        let kept: HashMap<&str, (Key, &OutputFile)> = old
            .shards
            .iter()
            .zip(old_files.iter().skip(1))
            .map(|((p, k), f)| (p.as_str(), (*k, f)))
            .collect();
        let touched = touched(changes);
        let (shards, files) = shard_files(term_id, &words, &kept, touched.as_ref());
        let state = State {
            pages,
            words,
            shards,
        };
        let mut all = Vec::with_capacity(1 + files.len() + texts.len());
        all.push(entry(term_id, rows, &state));
        all.extend(files);
        all.extend(texts);
        Index {
            files: all,
            state: Some(state),
        }
    }
}

/// The files and state of `old` if it has a state that fits its files, else none (an index
/// made from nothing).
fn usable(old: Option<Index>) -> (Vec<OutputFile>, State) {
    match old {
        Some(Index {
            files,
            state: Some(state),
        }) if files.len() == 1 + state.shards.len() + state.pages.len() => (files, state),
        _ => (Vec::new(), State::default()),
    }
}

/// For each new page (by key), the old page it is: the one at the same place if its key is the
/// same, else the first unclaimed old page with its key; `None` for a page no old one is.
fn matched(old: &[(Key, u32)], keys: &[Key]) -> Vec<Option<usize>> {
    let mut from: Vec<Option<usize>> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| old.get(i).filter(|(o, _)| o == k).map(|_| i))
        .collect();
    let mut unclaimed: HashMap<Key, Vec<usize>> = HashMap::new();
    for (j, (k, _)) in old.iter().enumerate().rev() {
        if from.get(j).is_none_or(|f| f.is_none()) {
            unclaimed.entry(*k).or_default().push(j);
        }
    }
    for (f, k) in from.iter_mut().zip(keys) {
        if f.is_none() {
            *f = unclaimed.get_mut(k).and_then(Vec::pop);
        }
    }
    from
}

/// The pair of page `page` in postings `p`: `Ok(its index)` or `Err(where it would go)`.
fn find(p: &[u32], page: u32) -> Result<usize, usize> {
    let (mut lo, mut hi) = (0, p.len() / 2);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match p[2 * mid].cmp(&page) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Ok(mid),
        }
    }
    Err(lo)
}

/// Renumbers the postings of the old pages as the new pages they are (`from[new] = old`),
/// dropping the old pages that are no new one; a word left in no page goes. Returns the
/// postings it removed (`None` when pages were renumbered: any may have changed).
fn remap(
    words: &mut BTreeMap<String, Vec<u32>>,
    from: &[Option<usize>],
    old_len: usize,
) -> Changes {
    let mut to = vec![None; old_len];
    for (i, j) in from.iter().enumerate() {
        if let Some(j) = j {
            to[*j] = Some(i as u32);
        }
    }
    let gone: Vec<u32> = (0..old_len as u32)
        .filter(|j| to[*j as usize].is_none())
        .collect();
    if gone.len() == old_len {
        // No old page is a new one (or there were none): nothing to keep.
        words.clear();
        return None;
    }
    let same_places = to
        .iter()
        .enumerate()
        .all(|(j, i)| i.is_none_or(|i| i as usize == j));
    let mut changes = HashMap::new();
    if !same_places {
        renumber(words, &to);
        return None;
    }
    words.retain(|w, p| {
        for g in &gone {
            if let Ok(k) = find(p, *g) {
                changes.insert((w.clone(), *g), [Some(p[2 * k + 1]), None]);
                p.drain(2 * k..2 * k + 2);
            }
        }
        !p.is_empty()
    });
    Some(changes)
}

/// Renumbers every posting's page `j` as `to[j]`, dropping those that are `None`.
fn renumber(words: &mut BTreeMap<String, Vec<u32>>, to: &[Option<u32>]) {
    let in_order = to.iter().flatten().is_sorted();
    words.retain(|_, p| {
        let mut kept = 0;
        for k in 0..p.len() / 2 {
            if let Some(i) = to[p[2 * k] as usize] {
                p[2 * kept] = i;
                p[2 * kept + 1] = p[2 * k + 1];
                kept += 1;
            }
        }
        p.truncate(2 * kept);
        if !in_order {
            let mut pairs: Vec<[u32; 2]> = p.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
            pairs.sort_unstable();
            *p = pairs.concat();
        }
        !p.is_empty()
    });
}

/// The postings of the pages counted again, gathered by word before they join the others:
/// one hash look-up per word of a page, and one ordered insertion per word in the end (in a
/// build from nothing, a bulk build of the ordered map), rather than an ordered look-up per
/// word of every page.
#[derive(Default)]
struct Added(HashMap<String, Vec<u32>>);

impl Added {
    /// Adds the words of page `page` (one that no posting holds yet, and greater than every page
    /// added before), noting them in `changes`.
    fn page(&mut self, page: u32, counted: Vec<(String, u32)>, changes: &mut Changes) {
        for (word, weight) in counted {
            if let Some(c) = changes {
                c.entry((word.clone(), page)).or_default()[1] = Some(weight);
            }
            self.0.entry(word).or_default().extend([page, weight]);
        }
    }

    /// Merges the postings into `words`, each word's pages staying ascending.
    fn merge_into(self, words: &mut BTreeMap<String, Vec<u32>>) {
        if words.is_empty() {
            *words = self.0.into_iter().collect();
            return;
        }
        for (word, added) in self.0 {
            let p = words.entry(word).or_default();
            if p.last_chunk::<2>().is_none_or(|[last, _]| *last < added[0]) {
                p.extend(added);
            } else {
                *p = merged(p, &added);
            }
        }
    }
}

/// Two postings lists (`[page, weight, …]`, pages ascending, no page in both) as one.
fn merged(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            out.extend_from_slice(&a[i..i + 2]);
            i += 2;
        } else {
            out.extend_from_slice(&b[j..j + 2]);
            j += 2;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The first `n` characters of `word` (all of it if shorter).
pub fn prefix(word: &str, n: usize) -> &str {
    &word[..word.char_indices().nth(n).map_or(word.len(), |(i, _)| i)]
}

/// Splits words (sorted) into shards keyed by a common prefix: by their first character, and a
/// shard over [`SHARD_BYTES`] again by one more character. Words no longer than a split prefix
/// stay in the shard of that prefix. A word is in exactly one shard; the shards holding the
/// words that start with a query word `q` are those whose key is a prefix of `q` or starts
/// with `q`. Each shard's words stay sorted.
pub fn shards<'a>(words: impl IntoIterator<Item = Entry<'a>>) -> Vec<Shard<'a>> {
    fn split<'a>(key: &str, n: usize, words: Vec<Entry<'a>>, out: &mut Vec<Shard<'a>>) {
        let size: usize = words.iter().map(|(w, p)| w.len() + 6 + p.len() * 5).sum();
        if size <= SHARD_BYTES || n >= MAX_PREFIX {
            out.push((key.to_string(), words));
            return;
        }
        let mut here = Vec::new();
        let mut longer: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
        for (w, p) in words {
            if w.chars().count() <= n {
                here.push((w, p));
            } else {
                longer.entry(prefix(w, n + 1)).or_default().push((w, p));
            }
        }
        if !here.is_empty() {
            out.push((key.to_string(), here));
        }
        for (k, ws) in longer {
            split(k, n + 1, ws, out);
        }
    }
    let mut first: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
    for (w, p) in words {
        first.entry(prefix(w, 1)).or_default().push((w, p));
    }
    let mut out = Vec::new();
    for (k, ws) in first {
        split(k, 1, ws, &mut out);
    }
    out
}

/// A shard's name: the hex of the UTF-8 bytes of the prefix its words share.
pub fn hex(prefix: &str) -> String {
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A shard's words as JSON (`{"word": [page, weight, …]}`).
struct ShardJson<'a>(&'a [Entry<'a>]);

impl Serialize for ShardJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().copied())
    }
}

/// The shards of `words` (each prefix with the key of its list of words) and their files: a
/// shard whose prefix and words are those of a `kept` one and none of whose words was
/// `touched` is that one's file.
fn shard_files(
    term_id: &str,
    words: &BTreeMap<String, Vec<u32>>,
    kept: &HashMap<&str, (Key, &OutputFile)>,
    touched: Option<&HashSet<String>>,
) -> (Vec<(String, Key)>, Vec<OutputFile>) {
    let split = shards(words.iter().map(|(w, p)| (w.as_str(), p.as_slice())));
    split
        .into_par_iter()
        .map(|(prefix, entries)| {
            let names: Vec<&str> = entries.iter().map(|(w, _)| *w).collect();
            let key = key_of(&names);
            let same = |t: &HashSet<String>| !names.iter().any(|w| t.contains(*w));
            let file = match kept.get(prefix.as_str()) {
                Some((k, f)) if *k == key && touched.is_some_and(same) => (*f).clone(),
                _ => OutputFile {
                    path: format!("{term_id}/search-index/{}.json", hex(&prefix)),
                    data: Data::Shared(Arc::new(
                        serde_json::to_vec(&ShardJson(&entries)).unwrap_or_default(),
                    )),
                },
            };
            ((prefix, key), file)
        })
        .unzip()
}

/// `search-index.json`: every page (`[url, title, section, words]`), the average page length
/// and the list of shards; its keys in alphabetical order.
#[derive(Serialize)]
struct EntryJson<'a> {
    average_words: f64,
    pages: Vec<(&'a str, &'a str, &'a str, u32)>,
    shards: Vec<String>,
    version: u32,
}

/// The entry file of an index.
fn entry(term_id: &str, rows: &[Row], state: &State) -> OutputFile {
    let total: u64 = state.pages.iter().map(|(_, l)| u64::from(*l)).sum();
    let average = if rows.is_empty() {
        0.0
    } else {
        total as f64 / rows.len() as f64
    };
    let entry = EntryJson {
        average_words: (average * 10.0).round() / 10.0,
        pages: rows
            .iter()
            .zip(&state.pages)
            .map(|(r, (_, len))| (r.url, r.title, r.section, *len))
            .collect(),
        shards: state.shards.iter().map(|(k, _)| hex(k)).collect(),
        version: 1,
    };
    OutputFile {
        path: format!("{term_id}/search-index.json"),
        data: Data::Shared(Arc::new(serde_json::to_vec(&entry).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_matched_in_place_first_then_by_key() {
        let old = [(1, 0), (2, 0), (3, 0), (2, 0)];
        assert_eq!(
            matched(&old, &[1, 9, 3, 2]),
            [Some(0), None, Some(2), Some(3)]
        );
        assert_eq!(matched(&old, &[2, 2, 1]), [Some(3), Some(1), Some(0)]);
        assert_eq!(matched(&[], &[1]), [None]);
    }

    #[test]
    fn renumbering_keeps_postings_in_page_order() {
        let mut words = BTreeMap::new();
        words.insert("a".to_string(), vec![0, 1, 1, 2, 2, 3]);
        words.insert("b".to_string(), vec![1, 5]);
        // Page 1 went; pages 0 and 2 swapped places: any word may have changed.
        assert_eq!(remap(&mut words, &[Some(2), Some(0)], 3), None);
        assert_eq!(words["a"], [0, 3, 1, 1]);
        assert!(!words.contains_key("b"));
        let mut changes = Some(HashMap::new());
        let mut added = Added::default();
        added.page(2, vec![("a".into(), 7)], &mut changes);
        added.page(5, vec![("a".into(), 4), ("c".into(), 1)], &mut changes);
        added.merge_into(&mut words);
        assert_eq!(words["a"], [0, 3, 1, 1, 2, 7, 5, 4]);
        assert_eq!(words["c"], [5, 1]);
        assert_eq!(touched(changes).unwrap().len(), 2);
    }

    #[test]
    fn added_pages_go_between_the_kept_ones() {
        let mut words = BTreeMap::new();
        words.insert("a".to_string(), vec![0, 3, 3, 1, 6, 2]);
        let mut added = Added::default();
        added.page(1, vec![("a".into(), 5), ("b".into(), 1)], &mut None);
        added.page(4, vec![("a".into(), 9)], &mut None);
        added.page(7, vec![("a".into(), 8)], &mut None);
        added.merge_into(&mut words);
        assert_eq!(words["a"], [0, 3, 1, 5, 3, 1, 4, 9, 6, 2, 7, 8]);
        assert_eq!(words["b"], [1, 1]);
        // Into no words at all (a build from nothing): the same postings, in word order.
        let mut fresh = BTreeMap::new();
        let mut added = Added::default();
        added.page(0, vec![("z".into(), 1), ("a".into(), 2)], &mut None);
        added.page(1, vec![("a".into(), 3)], &mut None);
        added.merge_into(&mut fresh);
        let all: Vec<_> = fresh.into_iter().collect();
        assert_eq!(
            all,
            [("a".into(), vec![0, 2, 1, 3]), ("z".into(), vec![0, 1])]
        );
    }

    #[test]
    fn a_page_replaced_in_place_touches_only_its_changed_words() {
        let mut words = BTreeMap::new();
        words.insert("a".to_string(), vec![0, 1, 1, 2, 2, 3]);
        words.insert("b".to_string(), vec![1, 5]);
        words.insert("c".to_string(), vec![0, 1]);
        let mut changes = remap(&mut words, &[Some(0), None, Some(2)], 3);
        assert_eq!(words["a"], [0, 1, 2, 3]);
        assert!(!words.contains_key("b"));
        assert_eq!(words["c"], [0, 1]);
        // Page 1 again, with "a" as before, "b" twice as often and "d" new: "a" is untouched.
        let mut added = Added::default();
        let again = vec![("a".into(), 2), ("b".into(), 10), ("d".into(), 1)];
        added.page(1, again, &mut changes);
        added.merge_into(&mut words);
        assert_eq!(words["a"], [0, 1, 1, 2, 2, 3]);
        let touched = touched(changes).unwrap();
        assert_eq!(touched, HashSet::from(["b".into(), "d".into()]));
        // Every old page gone: nothing is kept.
        assert_eq!(remap(&mut words, &[None], 3), None);
        assert!(words.is_empty());
    }
}
