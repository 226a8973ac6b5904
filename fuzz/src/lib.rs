//! The bodies of the fuzz targets, as functions: `cargo fuzz run <name>` calls them with
//! generated inputs, and `tests/seeds.rs` with the seed corpus and every input that once
//! crashed (regressions/), so each crash found becomes a test.

use std::collections::HashMap;

mod course;
pub use course::course;

use semester::Diagnostics;
use semester::load::config::DueRule;
use semester::load::content::{Kind, page_from_text};
use semester::render::markdown::{SiteLinks, render};

/// A page file of any bytes: front matter split, parsed, and turned into a page.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for rel in [
        "topics/01-x.md",
        "labs/_index.md",
        "_index.md",
        "notes/a b.md",
    ] {
        let _ = page_from_text(rel.to_string(), text);
    }
}

/// course.yaml of any text.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::new();
    let root = std::path::Path::new("/nonexistent-semester-fuzz-root");
    let _ = semester::load::config::parse_config(root, text, None, None, &mut diags);
    let _ = semester::load::config::parse_config(root, text, Some(text), Some("default"), &mut diags);
    let _ = diags.sorted();
}

/// A term file of any text.
pub fn term(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::new();
    let path = std::path::Path::new("terms/spring-2026.yaml");
    let _ = semester::load::term::parse_term("spring-2026", path, text, &mut diags);
    let _ = diags.sorted();
}

/// The calendar of any term and pages: the input is a term file, then pages separated by lines
pub fn calendar(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split("\n%%\n");
    let term_text = parts.next().unwrap_or("");
    let mut diags = Diagnostics::new();
    let path = std::path::Path::new("terms/t.yaml");
    let Some(term) = semester::load::term::parse_term("t", path, term_text, &mut diags) else {
        return;
    };
    let mut pages = Vec::new();
    for (i, body) in parts.enumerate().take(40) {
        let rel = if i % 2 == 0 {
            format!("topics/{i:02}-t.md")
        } else {
            format!("labs/{i:02}-l.md")
        };
        if let Ok(p) = page_from_text(rel, body) {
            pages.push(p);
        }
    }
    let topics: Vec<_> = pages.iter().filter(|p| p.kind == Kind::Topic).collect();
    let labs: Vec<_> = pages.iter().filter(|p| p.kind == Kind::Lab).collect();
    for tz in ["America/New_York", "Australia/Sydney", "UTC"] {
        let Ok(tz) = jiff::tz::TimeZone::get(tz) else {
            continue;
        };
        let cal = semester::schedule::calendar::schedule(
            &term,
            &tz,
            DueRule::default(),
            &topics,
            &labs,
            &mut diags,
        );
        let _ = semester::schedule::calendar::warnings(&term, &cal);
        let _ = semester::schedule::calendar::to_json(&term, "UTC", &cal);
        let _ = semester::render::ics::ics(&semester::render::ics::IcsInput {
            course_title: "Fuzz",
            course_code: "F 1",
            term: &term,
            calendar: &cal,
            tz: &tz,
            tz_name: "UTC",
            topics: &HashMap::new(),
            labs: &HashMap::new(),
            dtstamp: jiff::Timestamp::UNIX_EPOCH,
            i18n: &semester::base::i18n::I18n::new("en", Default::default(), None),
        });
    }
}

/// Any page body through the Markdown stage: links, math, code, alerts, headings.
pub fn markdown(data: &[u8]) {
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
    let assets: HashMap<String, String> = [(
        "topics/fig.png".to_string(),
        "/t/topics/fig.png".to_string(),
    )]
    .into_iter()
    .collect();
    let defaults = semester::load::config::HighlightConfig::default();
    let schemes = semester::render::highlight::Schemes::named(&defaults.light, &defaults.dark).ok();
    let macros: std::collections::BTreeMap<String, String> =
        [("R".to_string(), "\\mathbb{R}".to_string())]
            .into_iter()
            .collect();
    let theme_ids = vec!["sm-main".to_string(), "search-q".to_string()];
    let facts = semester::render::facts::Facts::from_pairs(&[("term.name", "Fall 2026")]);
    let links = SiteLinks {
        pages: &pages,
        assets: &assets,
        code: schemes.as_ref(),
        math: true,
        macros: &macros,
        theme_ids: &theme_ids,
        i18n: &semester::base::i18n::I18n::new("en", Default::default(), None),
        facts: &facts,
    };
    let path = std::path::Path::new("content/topics/01-a.md");
    let source = semester::render::markdown::Source {
        path,
        rel: "topics/01-a.md",
        body,
        body_line: 3,
        title: "Unit 1",
    };
    let r = render(&source, &links);
    let _ = semester::render::markdown::images_without_alt(path, body, 3);
    let _ = r.html.len();
}
