//! Any page body through the Markdown stage: links, math, code, alerts, headings.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| semester_fuzz::markdown(data));
