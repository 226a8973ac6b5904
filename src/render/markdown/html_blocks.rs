//! A block of raw HTML comes from the parser line by line (inside a list or a quote, without
//! the line's `>` or indent); it is read as one piece, so that a tag written over several
//! lines is one tag, while each place in it still maps back to the Markdown source.

use std::ops::Range;

use pulldown_cmark::{Event, TagEnd};

/// The text of one HTML block and where its pieces come from.
pub(super) struct Block {
    /// The block's HTML, its lines joined.
    pub text: String,
    /// (start in `text`, start in the source) of each piece, in order.
    pieces: Vec<(usize, usize)>,
    /// The index of the event that ends the block.
    pub end: usize,
}

impl Block {
    /// The offset in the source of the byte at `at` in `text`.
    pub fn source_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|(start, _)| *start <= at);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some((start, source)) => source + (at - start),
            None => self.pieces.first().map_or(0, |p| p.1),
        }
    }
}

/// The HTML block that starts with the event at `start` (a `Start(Tag::HtmlBlock)`).
pub(super) fn gather(events: &[(Event, Range<usize>)], start: usize) -> Block {
    let mut block = Block {
        text: String::new(),
        pieces: Vec::new(),
        end: events.len().saturating_sub(1),
    };
    for (j, (e, r)) in events.iter().enumerate().skip(start + 1) {
        match e {
            Event::Html(t) | Event::Text(t) => {
                block.pieces.push((block.text.len(), r.start));
                block.text.push_str(t);
            }
            Event::End(TagEnd::HtmlBlock) => {
                block.end = j;
                break;
            }
            _ => {}
        }
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, Tag};

    #[test]
    fn a_tag_over_several_lines_in_a_quote_maps_back_to_the_source() {
        let src = "> <div\n>   id=\"a.png\">\n";
        let events: Vec<_> = Parser::new(src).into_offset_iter().collect();
        let start = events
            .iter()
            .position(|(e, _)| matches!(e, Event::Start(Tag::HtmlBlock)))
            .expect("an html block");
        let b = gather(&events, start);
        assert_eq!(b.text, "<div\n  id=\"a.png\">\n");
        let at = b.text.find("a.png").expect("value");
        assert_eq!(&src[b.source_offset(at)..b.source_offset(at) + 5], "a.png");
    }
}
