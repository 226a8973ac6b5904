//! Highlighted blocks by key, for one build and from one build to the next.

use super::Schemes;
use super::lines::key;

/// Highlighted code by block key (`None`: the syntax failed on the block, shown plain).
pub(super) type CodeMap = std::collections::HashMap<u128, Option<std::sync::Arc<str>>>;

/// The code blocks of one build, highlighted in its colour schemes.
pub struct Highlighted<'a> {
    pub(super) schemes: &'a Schemes,
    pub(super) code: CodeMap,
}

impl Highlighted<'_> {
    /// The HTML for a block: `None` if it was not among the blocks or its syntax failed on it.
    pub fn get(&self, lang: &str, code: &str) -> Option<&str> {
        self.code
            .get(&key(self.schemes, lang, code))
            .and_then(|h| h.as_deref())
    }
}

/// Highlighted code kept from one build to the next: a rebuild highlights only the blocks it
/// has not seen before. A build keeps exactly the blocks it used. `site::disk_cache` keeps it
/// on disk between `build`s; `serve` keeps one in memory. Bytes that are not a whole cache of
/// this version of semester count as empty: a damaged cache costs time, never output, since
/// each block is found by the key of its schemes, language and text.
///
/// A cache kept on disk is read only when a build has enough code to highlight for reading it
/// to cost less than highlighting that code ([`CodeCache::worth_reading`]): a one-page edit of a
/// large course does not read the code of every page. Either way the HTML is the same.
#[derive(Default)]
pub struct CodeCache {
    /// The earlier build's blocks, once read.
    previous: std::sync::OnceLock<CodeMap>,
    /// Where they are read from (taken on first use), with the size of what it reads.
    source: std::sync::Mutex<Option<Source>>,
    source_bytes: u64,
    pub(super) used: std::sync::Mutex<CodeMap>,
}

/// What reads a code cache's bytes.
type Source = Box<dyn FnOnce() -> Option<Vec<u8>> + Send>;

const CACHE_MAGIC: &str = concat!("semester code cache 1 ", env!("CARGO_PKG_VERSION"), "\n");

/// How many bytes of a code cache are read, checked and decoded in the time one byte of code
/// is highlighted (about 25 ns a byte against 1 µs, large benchmark course, bench/README.md).
const READ_PER_HIGHLIGHT: u64 = 40;

/// A code cache this small is always read when there is code to highlight (it takes well
/// under a millisecond).
const ALWAYS_READ_BYTES: u64 = 1 << 20;

impl CodeCache {
    /// The cache written as `bytes` by [`CodeCache::to_bytes`]; empty if they are not one.
    pub fn from_bytes(bytes: &[u8]) -> CodeCache {
        CodeCache {
            previous: std::sync::OnceLock::from(decode(bytes).unwrap_or_default()),
            ..CodeCache::default()
        }
    }

    /// The cache that `read` gives (bytes written by [`CodeCache::to_bytes`], about `bytes`
    /// long; `None` or other bytes count as empty), read only when a build needs it.
    pub fn from_source(
        bytes: u64,
        read: impl FnOnce() -> Option<Vec<u8>> + Send + 'static,
    ) -> Self {
        CodeCache {
            source: std::sync::Mutex::new(Some(Box::new(read))),
            source_bytes: bytes,
            ..CodeCache::default()
        }
    }

    /// The earlier build's blocks, read now if they were not.
    pub(super) fn previous(&self) -> &CodeMap {
        self.previous.get_or_init(|| {
            let read = crate::base::memo::lock(&self.source).take();
            let bytes = read.and_then(|r| r()).unwrap_or_default();
            decode(&bytes).unwrap_or_default()
        })
    }

    /// Whether the earlier build's blocks are worth reading to highlight `code_bytes` bytes of
    /// code: they are already read, or reading them costs less than highlighting the code.
    pub(super) fn worth_reading(&self, code_bytes: u64) -> bool {
        self.previous.get().is_some()
            || code_bytes > 0
                && (self.source_bytes <= ALWAYS_READ_BYTES
                    || code_bytes.saturating_mul(READ_PER_HIGHLIGHT) >= self.source_bytes)
    }

    /// What this build used, as bytes for [`CodeCache::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let used = crate::base::memo::lock(&self.used);
        let mut keys: Vec<&u128> = used.keys().collect();
        keys.sort();
        let mut out = Vec::with_capacity(CACHE_MAGIC.len() + used.len() * 64);
        out.extend_from_slice(CACHE_MAGIC.as_bytes());
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
            match &used[k] {
                Some(html) => {
                    out.push(1);
                    out.extend_from_slice(&(html.len() as u64).to_le_bytes());
                    out.extend_from_slice(html.as_bytes());
                }
                None => out.push(0),
            }
        }
        out
    }

    /// Blocks highlighted by an earlier build (read now if they were not).
    pub fn len(&self) -> usize {
        self.previous().len()
    }

    /// Whether no earlier build left blocks (read now if they were not).
    pub fn is_empty(&self) -> bool {
        self.previous().is_empty()
    }
}

/// Reads a cache file's entries; `None` if it is not one of ours, whole.
fn decode(bytes: &[u8]) -> Option<CodeMap> {
    let mut rest = bytes.strip_prefix(CACHE_MAGIC.as_bytes())?;
    let mut map = CodeMap::new();
    fn take<'a>(n: usize, rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        *rest = tail;
        Some(head)
    }
    while !rest.is_empty() {
        let key = u128::from_le_bytes(take(16, &mut rest)?.try_into().ok()?);
        let html = match take(1, &mut rest)?[0] {
            0 => None,
            1 => {
                let len = u64::from_le_bytes(take(8, &mut rest)?.try_into().ok()?);
                let text =
                    std::str::from_utf8(take(usize::try_from(len).ok()?, &mut rest)?).ok()?;
                Some(std::sync::Arc::from(text))
            }
            _ => return None,
        };
        map.insert(key, html);
    }
    Some(map)
}
