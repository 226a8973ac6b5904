//! The calendar of any term and pages: the input is a term file, then pages separated by lines
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| semester_fuzz::calendar(data));
