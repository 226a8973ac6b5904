//! Announcements: the dated pages of content/announcements/, newest first, as the home page
//! lists them and as the term's Atom feed (RFC 4287) `<term>/announcements.xml` carries them.
//! Only published announcements are seen here: one dated after the build date was withheld by
//! the visibility stage, so no output can list it.

use crate::base::files::{Data, OutputFile};
use crate::load::config::Config;
use crate::load::content::{Content, Kind, SourcePage, posted};
use crate::load::term::Term;
use crate::render::context::Announcement as Item;

/// The feed's file name inside the term's folder.
pub const FEED_FILE: &str = "announcements.xml";

/// The published announcements with their posting date, newest first.
fn published(content: &Content) -> Vec<(&SourcePage, jiff::civil::Date)> {
    let mut out: Vec<_> = content
        .pages
        .iter()
        .filter(|p| p.kind == Kind::Announcement)
        .filter_map(|p| posted(&p.front).map(|d| (p, d)))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.stem.cmp(&b.0.stem)));
    out
}

/// The announcements for templates (`site.announcements`), newest first.
pub fn items(
    config: &Config,
    content: &Content,
    urls: &std::collections::HashMap<String, String>,
) -> Vec<Item> {
    published(content)
        .into_iter()
        .map(|(p, d)| Item {
            title: p.title.clone(),
            url: urls.get(&p.rel).cloned().unwrap_or_default(),
            date: d.to_string(),
            date_text: config.i18n.dates.date(d),
            description: p.front.description.clone(),
        })
        .collect()
}

/// What the feed is made of.
pub struct FeedInput<'a> {
    /// The course.
    pub config: &'a Config,
    /// The term.
    pub term: &'a Term,
    /// Its published content.
    pub content: &'a Content,
    /// Page source (relative to content/) → URL path.
    pub urls: &'a std::collections::HashMap<String, String>,
    /// Page source → rendered HTML.
    pub html: &'a std::collections::HashMap<&'a str, &'a str>,
    /// The term's home URL path.
    pub term_root: &'a str,
}

/// Whether the course has an announcements section (published, even if empty for now: a
/// reader subscribes before the first announcement), and so a feed.
pub fn has_feed(content: &Content) -> bool {
    content
        .pages
        .iter()
        .any(|p| p.kind == Kind::Announcement || p.dir == "announcements")
}

/// The term's Atom feed, when the course has an announcements section.
pub fn feed(input: &FeedInput) -> Option<OutputFile> {
    if !has_feed(input.content) {
        return None;
    }
    let text = atom(input);
    Some(OutputFile {
        path: format!("{}/{FEED_FILE}", input.term.id),
        data: Data::Bytes(text.into_bytes()),
    })
}

/// The feed's text.
fn atom(input: &FeedInput) -> String {
    let c = &input.config.course;
    let origin = crate::render::context::absolute_origin(&input.config.base_url);
    let items = published(input.content);
    let updated = items.first().map_or(input.term.start, |(_, d)| *d);
    let author = c
        .instructors
        .first()
        .map_or(c.title.as_str(), |p| p.name.as_str());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let base = origin
        .as_deref()
        .map_or_else(String::new, |o| format!(" xml:base=\"{}/\"", xml(o)));
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\"{base}>\n",
        xml(&input.config.language)
    ));
    let key = |rest: &str| id(input, rest);
    out.push_str(&format!("<id>{}</id>\n", key("")));
    let title = format!("{}: announcements, {}", c.title, input.term.name);
    out.push_str(&format!("<title>{}</title>\n", xml(&title)));
    out.push_str(&format!("<updated>{}</updated>\n", stamp(input, updated)));
    out.push_str(&format!("<author><name>{}</name></author>\n", xml(author)));
    let home = format!("{}announcements/", input.term_root);
    out.push_str(&link("alternate", &home));
    if origin.is_some() {
        out.push_str(&link("self", &format!("{}{FEED_FILE}", input.term_root)));
    }
    out.push_str("<generator>semester</generator>\n");
    for (p, d) in items {
        entry(input, p, d, &mut out);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(input: &FeedInput, p: &SourcePage, d: jiff::civil::Date, out: &mut String) {
    let url = input.urls.get(&p.rel).cloned().unwrap_or_default();
    out.push_str("<entry>\n");
    out.push_str(&format!("<id>{}</id>\n", id(input, &p.rel)));
    out.push_str(&format!("<title>{}</title>\n", xml(&p.title)));
    out.push_str(&format!("<published>{}</published>\n", stamp(input, d)));
    out.push_str(&format!("<updated>{}</updated>\n", stamp(input, d)));
    out.push_str(&link("alternate", &url));
    if !p.front.description.is_empty() {
        out.push_str(&format!(
            "<summary>{}</summary>\n",
            xml(&p.front.description)
        ));
    }
    let html = input.html.get(p.rel.as_str()).copied().unwrap_or_default();
    out.push_str(&format!("<content type=\"html\">{}</content>\n", xml(html)));
    out.push_str("</entry>\n");
}

fn link(rel: &str, href: &str) -> String {
    format!(
        "<link rel=\"{rel}\" type=\"{}\" href=\"{}\"/>\n",
        if rel == "self" {
            "application/atom+xml"
        } else {
            "text/html"
        },
        xml(href)
    )
}

/// A stable `urn:uuid:` for the feed (`rest` empty) or an entry: the course code, the term id
/// and the page's source path, never a title, so a reworded announcement keeps its identity.
fn id(input: &FeedInput, rest: &str) -> String {
    let code = match input.config.course.code.trim() {
        "" => "course",
        c => c,
    };
    let parts = [
        code.to_string(),
        input.term.id.clone(),
        "announcements".to_string(),
        rest.to_string(),
    ];
    let hex = crate::render::ics::uid(&parts);
    let h = hex.trim_end_matches("@semester");
    match (
        h.get(0..8),
        h.get(8..12),
        h.get(12..16),
        h.get(16..20),
        h.get(20..32),
    ) {
        (Some(a), Some(b), Some(c), Some(d), Some(e)) => format!("urn:uuid:{a}-{b}-{c}-{d}-{e}"),
        _ => format!("urn:uuid:{h}"),
    }
}

/// Midnight of `d` in the course time zone, as RFC 3339.
fn stamp(input: &FeedInput, d: jiff::civil::Date) -> String {
    match d.to_zoned_datetime(input.config.tz.clone()) {
        Ok(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        Err(_) => format!("{d}T00:00:00Z"),
    }
}

/// Text escaped for XML content and attributes.
/// Characters XML 1.0 cannot hold (most control characters) are left out.
fn xml(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    html_escape::encode_double_quoted_attribute(&kept)
        .replace('>', "&gt;")
        .replace('\'', "&#39;")
}
