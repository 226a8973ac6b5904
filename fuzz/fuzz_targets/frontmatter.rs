//! A page file of any bytes: front matter split, parsed, and turned into a page.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| semester_fuzz::frontmatter(data));
