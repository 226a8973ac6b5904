//! Text that may be read only when it is used: a page's rendered HTML kept on disk by an earlier
//! build (`site::store`) is read when a page, the search index or the feed needs it, not when
//! the cache is loaded. Most of a rebuild's pages are reused whole and never need it.

use std::sync::{Arc, OnceLock};

/// Where text that is not read yet comes from.
pub trait TextSource: Send + Sync {
    /// The text, or `None` if it cannot be had as it was kept (missing, damaged, or sealed by
    /// someone else). A source that answers `None` must say so to whoever made it, so that
    /// what was built with the stand-in (empty text) is thrown away and built again.
    fn text(&self) -> Option<String>;
}

/// Text in memory, or read from its [`TextSource`] the first time it is used (then kept).
/// Reads as a `String` (`Deref`); text a source cannot give reads as empty.
#[derive(Default)]
pub struct LazyText {
    text: OnceLock<String>,
    source: Option<Arc<dyn TextSource>>,
}

impl LazyText {
    /// Text that is read from `source` when first used.
    pub fn from_source(source: Arc<dyn TextSource>) -> Self {
        LazyText {
            text: OnceLock::new(),
            source: Some(source),
        }
    }

    /// Whether the text is in memory (made here, or already read).
    pub fn is_loaded(&self) -> bool {
        self.text.get().is_some()
    }

    /// The text, read from its source if it was not yet.
    pub fn as_string(&self) -> &String {
        self.text.get_or_init(|| {
            self.source
                .as_ref()
                .and_then(|s| s.text())
                .unwrap_or_default()
        })
    }
}

impl From<String> for LazyText {
    fn from(text: String) -> Self {
        LazyText {
            text: OnceLock::from(text),
            source: None,
        }
    }
}

impl From<&str> for LazyText {
    fn from(text: &str) -> Self {
        LazyText::from(text.to_string())
    }
}

impl std::ops::Deref for LazyText {
    type Target = String;
    fn deref(&self) -> &String {
        self.as_string()
    }
}

impl Clone for LazyText {
    /// The text if it was read, else the same source (read again by the copy when it is used).
    fn clone(&self) -> Self {
        match self.text.get() {
            Some(t) => LazyText::from(t.clone()),
            None => LazyText {
                text: OnceLock::new(),
                source: self.source.clone(),
            },
        }
    }
}

impl std::fmt::Debug for LazyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.text.get() {
            Some(t) => t.fmt(f),
            None => f.write_str("<not read yet>"),
        }
    }
}

impl std::fmt::Display for LazyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_string())
    }
}

impl PartialEq for LazyText {
    fn eq(&self, other: &Self) -> bool {
        self.as_string() == other.as_string()
    }
}

impl PartialEq<str> for LazyText {
    fn eq(&self, other: &str) -> bool {
        self.as_string() == other
    }
}

impl PartialEq<&str> for LazyText {
    fn eq(&self, other: &&str) -> bool {
        self.as_string() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counted(AtomicUsize, Option<&'static str>);

    impl TextSource for Counted {
        fn text(&self) -> Option<String> {
            self.0.fetch_add(1, Ordering::SeqCst);
            self.1.map(str::to_string)
        }
    }

    /// The source is read once, on first use, and not before; a copy made before that reads
    /// it again; text the source cannot give reads as empty.
    #[test]
    fn the_source_is_read_once_when_used() {
        let source = Arc::new(Counted(AtomicUsize::new(0), Some("<p>x</p>")));
        let lazy = LazyText::from_source(source.clone());
        let copy = lazy.clone();
        assert!(!lazy.is_loaded());
        assert_eq!(source.0.load(Ordering::SeqCst), 0);
        assert_eq!(lazy.as_str(), "<p>x</p>");
        assert_eq!(lazy.len(), 8);
        assert_eq!(source.0.load(Ordering::SeqCst), 1);
        assert_eq!(copy, "<p>x</p>");
        assert_eq!(source.0.load(Ordering::SeqCst), 2);
        assert_eq!(format!("{:?}", lazy.clone()), "\"<p>x</p>\"");
        let missing = LazyText::from_source(Arc::new(Counted(AtomicUsize::new(0), None)));
        assert_eq!(format!("{missing:?}"), "<not read yet>");
        assert_eq!(missing, "");
        assert_eq!(LazyText::from("a"), LazyText::from("a".to_string()));
    }
}
