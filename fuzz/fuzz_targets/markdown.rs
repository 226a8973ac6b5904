//! Any page body through the Markdown stage: links, math, code, alerts, headings.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use semester::markdown::{SiteLinks, render};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let pages: HashMap<String, String> = [
        ("topics/01-a.md", "/t/topics/01-a/"),
        ("labs/_index.md", "/t/labs/"),
        ("syllabus.md", "/t/syllabus/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let assets: HashMap<String, String> = [("topics/fig.png".to_string(), "/t/topics/fig.png".to_string())]
        .into_iter()
        .collect();
    let links = SiteLinks { pages: &pages, assets: &assets, math: true };
    let path = std::path::Path::new("content/topics/01-a.md");
    let r = render(path, "topics/01-a.md", body, 3, &links);
    let _ = semester::markdown::images_without_alt(path, body, 3);
    let _ = r.html.len();
});
