//! A term file of any text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| semester_fuzz::term(data));
