//! Whole-course builds from a small generated tree with symlinks, in a sandbox folder.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| semester_fuzz::course(data));
