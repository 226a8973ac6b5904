//! A page file of any bytes: front matter split, parsed, and turned into a page.
#![no_main]

use libfuzzer_sys::fuzz_target;
use semester::content::{Filter, page_from_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for rel in ["topics/01-x.md", "labs/_index.md", "_index.md", "notes/a b.md"] {
        let _ = page_from_text(rel.to_string(), text, Filter::default());
    }
});
