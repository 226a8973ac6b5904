//! course.yaml of any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use semester::Diagnostics;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::new();
    let root = std::path::Path::new("/nonexistent-semester-fuzz-root");
    let _ = semester::config::parse_config(root, text, None, None, &mut diags);
    let _ = semester::config::parse_config(root, text, Some(text), Some("default"), &mut diags);
    let _ = diags.sorted();
});
