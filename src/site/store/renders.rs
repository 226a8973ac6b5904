//! The HTML of each page's rendered Markdown, kept one file per render in a folder beside the
//! store's index (`<output name>.renders/`), named by the render's [`Slot::tag`]. A build reads
//! only the renders it uses (a page whose output is reused whole uses none), when it uses them;
//! a save writes only the renders the build made and removes those no longer named.
//!
//! A render is trusted only as the sealed index names it: its length and its tag (SipHash-2-4
//! under the user's secret, `disk_cache::tag`) must match, so a file that was changed, swapped
//! or written by anyone else is never read. A render that cannot be read as named marks the
//! whole cache damaged ([`Renders::damaged`]): what was built with it is thrown away.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::lazy_text::{LazyText, TextSource};
use crate::base::memo::hex;
use crate::site::disk_cache;

/// Where a render's HTML is kept and how it is checked: its length and tag.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    /// `disk_cache::tag` of the HTML; also the name of its file (hex).
    pub tag: u128,
    /// Its length in bytes.
    pub len: u64,
}

/// The folder of one output folder's renders, shared by the renders read from it.
pub struct Renders {
    /// The folder (`None`: no cache folder, nothing is kept).
    dir: Option<PathBuf>,
    /// Whether a render named by the index could not be read as named.
    damaged: AtomicBool,
}

impl Renders {
    /// The renders kept in `dir`, a folder in a cache folder.
    pub fn new(dir: Option<PathBuf>) -> Arc<Renders> {
        Arc::new(Renders {
            dir,
            damaged: AtomicBool::new(false),
        })
    }

    /// The HTML of the render kept at `slot`, read when first used.
    pub fn lazy(self: &Arc<Self>, slot: Slot) -> LazyText {
        LazyText::from_source(Arc::new(Kept {
            renders: Arc::clone(self),
            slot,
        }))
    }

    /// Whether a render could not be read as the index named it (the folder changed since the
    /// index was written, or someone else wrote into it).
    pub fn damaged(&self) -> bool {
        self.damaged.load(Ordering::SeqCst)
    }

    /// Writes each of `htmls` (once, however many pages share it) and gives its slot, in
    /// order; `None` for one that could not be written.
    pub fn write(&self, htmls: &[&str]) -> Vec<Option<Slot>> {
        let Some(dir) = self.writable() else {
            return vec![None; htmls.len()];
        };
        let made = std::fs::create_dir_all(dir).is_ok();
        let slots: Vec<Option<Slot>> = htmls
            .par_iter()
            .map(|h| {
                let tag = disk_cache::tag(h.as_bytes()).filter(|_| made)?;
                Some(Slot {
                    tag,
                    len: h.len() as u64,
                })
            })
            .collect();
        let mut seen = HashSet::new();
        let todo: Vec<(usize, Slot)> = slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.filter(|s| seen.insert(s.tag)).map(|s| (i, s)))
            .collect();
        let failed: HashSet<u128> = todo
            .par_iter()
            .filter(|(i, s)| {
                disk_cache::write_plain(&file(dir, s.tag), htmls[*i].as_bytes()).is_err()
            })
            .map(|(_, s)| s.tag)
            .collect();
        slots
            .into_iter()
            .map(|s| s.filter(|s| !failed.contains(&s.tag)))
            .collect()
    }

    /// Removes the renders of `before` that `now` no longer names; with `sweep`, every file of
    /// the folder that `now` does not name (what an earlier build left when it was stopped, or
    /// when its index could not be read).
    pub fn remove_unused(&self, before: &[Slot], now: &HashSet<u128>, sweep: bool) {
        let Some(dir) = self.writable() else {
            return;
        };
        if sweep {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let name = e.file_name();
                let named = name
                    .to_str()
                    .and_then(|n| u128::from_str_radix(n, 16).ok().filter(|_| n.len() == 32));
                if named.is_none_or(|t| !now.contains(&t)) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
            return;
        }
        for s in before.iter().filter(|s| !now.contains(&s.tag)) {
            let _ = std::fs::remove_file(file(dir, s.tag));
        }
    }
}

impl Renders {
    /// The folder, unless its cache folder is tracked by git (then it is neither read, since
    /// the index is not, nor written: `disk_cache::tracked_by_git`).
    fn writable(&self) -> Option<&PathBuf> {
        let dir = self.dir.as_ref()?;
        (!dir.parent().is_some_and(disk_cache::tracked_by_git)).then_some(dir)
    }
}

/// The file of the render with tag `tag`.
fn file(dir: &Path, tag: u128) -> PathBuf {
    dir.join(hex(tag))
}

/// A render kept on disk, not read yet.
struct Kept {
    renders: Arc<Renders>,
    slot: Slot,
}

impl TextSource for Kept {
    fn text(&self) -> Option<String> {
        let read = self.renders.dir.as_ref().and_then(|d| {
            let bytes =
                disk_cache::read_tagged(&file(d, self.slot.tag), self.slot.len, self.slot.tag)?;
            String::from_utf8(bytes).ok()
        });
        if read.is_none() {
            self.renders.damaged.store(true, Ordering::SeqCst);
        }
        read
    }
}
