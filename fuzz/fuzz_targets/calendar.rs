//! The calendar of any term and pages: the input is a term file, then pages separated by lines
//! `%%` (odd ones topics, even ones labs). Every output of the calendar is made from it.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use semester::Diagnostics;
use semester::config::DueRule;
use semester::content::{Filter, Kind, page_from_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split("\n%%\n");
    let term_text = parts.next().unwrap_or("");
    let mut diags = Diagnostics::new();
    let path = std::path::Path::new("terms/t.yaml");
    let Some(term) = semester::term::parse_term("t", path, term_text, &mut diags) else {
        return;
    };
    let mut pages = Vec::new();
    for (i, body) in parts.enumerate().take(40) {
        let rel = if i % 2 == 0 {
            format!("topics/{i:02}-t.md")
        } else {
            format!("labs/{i:02}-l.md")
        };
        if let Ok(Some(p)) = page_from_text(rel, body, Filter::default()) {
            pages.push(p);
        }
    }
    let topics: Vec<_> = pages.iter().filter(|p| p.kind == Kind::Topic).collect();
    let labs: Vec<_> = pages.iter().filter(|p| p.kind == Kind::Lab).collect();
    for tz in ["America/New_York", "Australia/Sydney", "UTC"] {
        let Ok(tz) = jiff::tz::TimeZone::get(tz) else {
            continue;
        };
        let cal = semester::calendar::schedule(&term, &tz, DueRule::default(), &topics, &labs, &mut diags);
        let _ = semester::calendar::warnings(&term, &cal);
        let _ = semester::calendar::to_json(&term, "UTC", &cal);
        let _ = semester::ics::ics(&semester::ics::IcsInput {
            course_title: "Fuzz",
            course_code: "F 1",
            term: &term,
            calendar: &cal,
            tz: &tz,
            tz_name: "UTC",
            topics: &HashMap::new(),
            labs: &HashMap::new(),
            dtstamp: jiff::Timestamp::UNIX_EPOCH,
        });
    }
});
