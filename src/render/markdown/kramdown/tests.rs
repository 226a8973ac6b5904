//! kramdown's unit tests: where attribute lists go, headings' lists and `{:toc}`.

use super::*;
use pulldown_cmark::{Options, Parser};

fn html(md: &str) -> (String, Vec<Note>) {
    let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_HEADING_ATTRIBUTES)
        .into_offset_iter()
        .collect();
    let d = decorate(md, events);
    let mut out = String::new();
    let events: Vec<Event> = d
        .events
        .into_iter()
        .enumerate()
        .map(|(i, (e, _))| match (d.attrs.get(&i), &e) {
            (Some(a), Event::Start(Tag::Paragraph)) => {
                Event::Html(CowStr::from(format!("<p{}>", a.html(&[]))))
            }
            (Some(a), Event::Start(Tag::Link { dest_url, .. })) => Event::InlineHtml(CowStr::from(
                format!("<a href=\"{dest_url}\"{}>", a.html(&[])),
            )),
            (Some(a), _) => Event::InlineHtml(CowStr::from(format!("[{}]", a.html(&[])))),
            _ => e,
        })
        .collect();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    (out, d.notes)
}

#[test]
fn lists_go_to_the_element_they_follow_or_precede() {
    let (h, notes) = html(
        "[Start](https://x.org){: .btn .btn-purple } and `k`{: .c}\n\nA paragraph.\n{: .warning }\n\n{: .note }\nNote text.\n\n{: #q }\n\n> quoted\n",
    );
    assert_eq!(
        h,
        "<p><a href=\"https://x.org\" class=\"btn btn-purple\">Start</a> and [ class=\"c\"]</p>\n<p class=\"warning\">A paragraph.</p>\n<p class=\"note\">Note text.</p>\n[ id=\"q\"]\n<p>quoted</p>\n</blockquote>\n"
    );
    assert!(notes.is_empty());
}

#[test]
fn headings_take_their_lists_and_toc_lists_go() {
    let (h, notes) = html(
        "# Title\n{: .no_toc }\n\n## Contents\n{: .no_toc .text-delta }\n\n1. TOC\n{:toc}\n\n## Part {: #p1 }\n\nText {:ref: .x}\n",
    );
    assert_eq!(
        h,
        "<h1 class=\"no_toc\">Title</h1>\n<h2 id=\"p1\">Part</h2>\n<p>Text </p>\n"
    );
    let notes: Vec<_> = notes
        .iter()
        .map(|n| (n.offset, n.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (67, "kramdown's `{:toc}` is left out, with its list"),
            (
                98,
                "the attribute list `{:ref: .x}` follows no element it can apply to, and is left out"
            )
        ]
    );
    let (h, notes) = html("Para.\n\n{: .orphan }\n");
    assert_eq!(h, "<p>Para.</p>\n");
    assert_eq!(
        notes[0].message,
        "this attribute list is followed by no block to apply to, and is left out"
    );
    let (h, notes) = html(
        "<details open markdown=\"block\">\n  <summary>\n    Table of contents\n  </summary>\n  {: .text-delta }\n1. TOC\n{:toc}\n</details>\n\n<div markdown=\"1\">\nx\n</div>\n",
    );
    assert_eq!(h, "<div>\nx\n</div>\n");
    assert_eq!(notes.len(), 1);
}
