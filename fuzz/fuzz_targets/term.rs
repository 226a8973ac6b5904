//! A term file of any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use semester::Diagnostics;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::new();
    let path = std::path::Path::new("terms/spring-2026.yaml");
    let _ = semester::term::parse_term("spring-2026", path, text, &mut diags);
    let _ = diags.sorted();
});
