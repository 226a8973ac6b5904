//! kramdown's attribute lists, as pages moved over from Jekyll (just-the-docs and the like)
//! carry them: `{: .btn .btn-purple }` after a link, `{: .note }` on the line before a
//! paragraph, `{: #id key="value" }` after a block. pulldown-cmark reads them as text; here they
//! are taken out of the events and given to the element they belong to. `{:toc}` (kramdown's
//! generated table of contents) is dropped with its list, since the theme shows its own; any
//! other kramdown extension (`{::options}`, attribute definitions `{:name: …}`) is dropped with a
//! warning.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

mod ial;

pub use ial::Attrs;
use ial::{Ial, only_ials, parse};

/// A warning about a construct left out of the page.
#[derive(Debug, PartialEq, Eq)]
pub struct Note {
    /// Where (an offset in the parsed text).
    pub offset: usize,
    /// What.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// The events with the attribute lists taken out, the attributes of the elements they belong
/// to (by index in `events`; a heading's are merged into its own event) and the warnings.
#[derive(Debug, Default)]
pub struct Decorated<'a> {
    /// The events.
    pub events: Vec<(Event<'a>, Range<usize>)>,
    /// Attributes of `Start` (and `Code`) events, by index.
    pub attrs: HashMap<usize, Attrs>,
    /// Constructs left out.
    pub notes: Vec<Note>,
}

fn toc_note(offset: usize) -> Note {
    Note {
        offset,
        message: "kramdown's `{:toc}` is left out, with its list".into(),
        hint:
            "the theme shows the page's own table of contents (front matter `toc: true` forces it)"
                .into(),
    }
}

fn other_note(offset: usize, what: &str) -> Note {
    Note {
        offset,
        message: format!("the kramdown extension `{what}` is not supported and is left out"),
        hint: "attribute lists such as `{: .note }` and `{: #id }` are supported; see \"Moving from Jekyll\" in docs/format.md".into(),
    }
}

/// Text events side by side made one, so that an attribute list split by the parser is whole
/// (in linear time: a run of thousands of escapes is thousands of text events).
fn merge_text<'a>(events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(events.len());
    let mut run: Option<(String, Range<usize>)> = None;
    let mut first: Option<(Event<'a>, Range<usize>)> = None;
    for (e, r) in events {
        if let Event::Text(t) = &e {
            match (&mut run, first.take()) {
                (Some((text, range)), _) => {
                    text.push_str(t);
                    range.end = r.end;
                }
                (None, Some((Event::Text(prev), pr))) => {
                    run = Some((format!("{prev}{t}"), pr.start..r.end));
                }
                (None, _) => first = Some((e, r)),
            }
            continue;
        }
        if let Some((text, range)) = run.take() {
            out.push((Event::Text(CowStr::from(text)), range));
        }
        out.extend(first.take());
        out.push((e, r));
    }
    if let Some((text, range)) = run.take() {
        out.push((Event::Text(CowStr::from(text)), range));
    }
    out.extend(first);
    out
}

/// Takes the attribute lists out of `events` (parsed from `text`).
pub fn decorate<'a>(text: &str, events: Vec<(Event<'a>, Range<usize>)>) -> Decorated<'a> {
    if !text.contains("{:") && !text.contains("markdown=") {
        return Decorated {
            events,
            ..Decorated::default()
        };
    }
    let mut d = Pass::new(text);
    let events = drop_toc_lists(text, merge_text(events), &mut d.notes);
    let mut i = 0;
    while i < events.len() {
        i = d.step(&events, i);
    }
    if d.pending.is_some() {
        d.notes.push(Note {
            offset: d.pending_at,
            message: "this attribute list is followed by no block to apply to, and is left out"
                .into(),
            hint: "put it on the line right after the element, or right before a block".into(),
        });
    }
    Decorated {
        events: d.out,
        attrs: d.attrs,
        notes: d.notes,
    }
}

/// The state of one pass over the events.
struct Pass<'t, 'a> {
    text: &'t str,
    out: Vec<(Event<'a>, Range<usize>)>,
    attrs: HashMap<usize, Attrs>,
    notes: Vec<Note>,
    /// Indices in `out` of the elements open.
    open: Vec<usize>,
    /// The last element closed: its index in `out` and how many were open around it.
    closed: Option<(usize, usize)>,
    /// Attributes for the next block.
    pending: Option<Attrs>,
    /// Where the pending attributes were written.
    pending_at: usize,
}

impl<'t, 'a> Pass<'t, 'a> {
    fn new(text: &'t str) -> Self {
        Pass {
            text,
            out: Vec::new(),
            attrs: HashMap::new(),
            notes: Vec::new(),
            open: Vec::new(),
            closed: None,
            pending: None,
            pending_at: 0,
        }
    }

    fn give(&mut self, index: usize, a: Attrs) {
        if let Some((
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }),
            _,
        )) = self.out.get_mut(index)
        {
            if let Some(new_id) = a.id {
                *id = Some(CowStr::from(new_id));
            }
            classes.extend(a.classes.into_iter().map(CowStr::from));
            attrs.extend(
                a.pairs
                    .into_iter()
                    .map(|(k, v)| (CowStr::from(k), Some(CowStr::from(v)))),
            );
            return;
        }
        self.attrs.entry(index).or_default().merge(a);
    }

    /// Handles `events[i]` (and what belongs with it); returns the next index.
    fn step(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> usize {
        let (e, r) = &events[i];
        match e {
            Event::Start(Tag::Paragraph) => {
                if let Some(next) = self.ial_paragraph(events, i) {
                    return next;
                }
            }
            Event::Text(t) => return self.text_event(events, i, t),
            Event::Start(Tag::TableRow) => {
                if let Some(next) = self.ial_row(events, i) {
                    return next;
                }
            }
            Event::Html(h) if h.contains("{:") || h.contains("markdown=") => {
                if let Some(next) = self.html_block(events, i) {
                    return next;
                }
            }
            _ => {}
        }
        self.push(e.clone(), r.clone());
        i + 1
    }

    fn push(&mut self, e: Event<'a>, r: Range<usize>) {
        let index = self.out.len();
        match &e {
            Event::Start(_) => {
                if let Some(a) = self.pending.take() {
                    self.out.push((e, r));
                    self.give(index, a);
                    self.open.push(index);
                    return;
                }
                self.open.push(index);
            }
            Event::End(_) => {
                let start = self.open.pop().unwrap_or(index);
                self.closed = Some((start, self.open.len()));
            }
            _ => {}
        }
        self.out.push((e, r));
    }

    /// A paragraph made only of attribute lists: for the block before it when no blank line is
    /// between, else for the block after it.
    fn ial_paragraph(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        let mut j = i + 1;
        let mut ials = Vec::new();
        loop {
            match events.get(j)? {
                (Event::Text(t), _) => ials.extend(only_ials(t)?),
                (Event::SoftBreak, _) => {}
                (Event::End(TagEnd::Paragraph), _) => break,
                _ => return None,
            }
            j += 1;
        }
        let start = events[i].1.start;
        let before = self.text[..start].trim_end_matches([' ', '\t']);
        let joined = !before.ends_with("\n\n") && !before.is_empty();
        let target = self
            .closed
            .filter(|(_, depth)| joined && *depth == self.open.len())
            .map(|(index, _)| index);
        for ial in ials {
            match ial {
                Ial::Attrs(a) => match target {
                    Some(index) => self.give(index, a),
                    None => {
                        self.pending_at = start;
                        self.pending.get_or_insert_with(Attrs::default).merge(a);
                    }
                },
                Ial::Toc => self.notes.push(toc_note(start)),
                Ial::Other(what) => self.notes.push(other_note(start, &what)),
            }
        }
        Some(j + 1)
    }

    /// A table row whose only text is an attribute list (the line after a table, which GFM
    /// reads as a row): for the table.
    fn ial_row(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        let end = end_of(events, i);
        let mut ials = Vec::new();
        for (e, _) in &events[i + 1..end] {
            match e {
                Event::Text(t) if ials.is_empty() => ials = only_ials(t)?,
                Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => {}
                _ => return None,
            }
        }
        let table = self
            .open
            .iter()
            .rev()
            .find(|&&ix| matches!(self.out[ix].0, Event::Start(Tag::Table(_))))
            .copied()?;
        for ial in ials {
            self.apply(ial, table, events[i].1.start);
        }
        Some(end + 1)
    }

    /// A text event: an attribute list at its start for the element just closed (a span
    /// list), or alone on the first or last line of a block (a block list), or at the end of
    /// a heading.
    fn text_event(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize, t: &str) -> usize {
        let r = events[i].1.clone();
        let mut text = t;
        let mut offset = r.start;
        if text.starts_with("{:") {
            let target = match self.out.last() {
                Some((Event::Code(_), _)) => Some(self.out.len() - 1),
                Some((
                    Event::End(
                        TagEnd::Link
                        | TagEnd::Image
                        | TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough,
                    ),
                    _,
                )) => self.closed.map(|(index, _)| index),
                _ => None,
            };
            if let (Some(index), Some((ial, len))) = (target, parse(text)) {
                self.apply(ial, index, offset);
                text = &text[len..];
                offset += len;
            }
        }
        let ends_block = matches!(events.get(i + 1), Some((Event::End(_), _)));
        let block = self.open.last().copied();
        if let (Some(index), Some(ials)) = (block, only_ials(text)) {
            let last_line = matches!(self.out.last(), Some((Event::SoftBreak, _))) && ends_block;
            let first_line = matches!(self.out.last(), Some((Event::Start(_), _)))
                && matches!(events.get(i + 1), Some((Event::SoftBreak, _)));
            if last_line || first_line {
                if last_line {
                    self.out.pop();
                }
                for ial in ials {
                    self.apply(ial, index, offset);
                }
                return if first_line { i + 2 } else { i + 1 };
            }
        }
        if let (Some(index), Some(at)) = (block, text.rfind(" {:")) {
            let heading = matches!(
                self.out.get(index),
                Some((Event::Start(Tag::Heading { .. }), _))
            );
            if let Some(ials) = only_ials(&text[at..]).filter(|_| heading && ends_block) {
                for ial in ials {
                    self.apply(ial, index, offset + at + 1);
                }
                text = &text[..at];
            }
        }
        let kept = self.stray_lists(text, offset);
        if !kept.is_empty() {
            self.push(Event::Text(CowStr::from(kept)), offset..r.end);
        }
        i + 1
    }

    /// `text` without the attribute lists left in it (in the middle of a line, after a space:
    /// kramdown would print them, semester leaves them out), each with a note.
    fn stray_lists(&mut self, text: &str, offset: usize) -> String {
        if !text.contains("{:") {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut at = offset;
        while let Some(i) = rest.find("{:") {
            out.push_str(&rest[..i]);
            match parse(&rest[i..]) {
                Some((_, len)) => {
                    self.notes.push(Note {
                        offset: at + i,
                        message: format!(
                            "the attribute list `{}` follows no element it can apply to, and is left out",
                            &rest[i..i + len]
                        ),
                        hint: "write it right after a link, image, `code` or emphasis with no space, or on its own line after a block".into(),
                    });
                    rest = &rest[i + len..];
                    at += i + len;
                }
                None => {
                    out.push_str("{:");
                    rest = &rest[i + 2..];
                    at += i + 2;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn apply(&mut self, ial: Ial, index: usize, offset: usize) {
        match ial {
            Ial::Attrs(a) => self.give(index, a),
            Ial::Other(what) => self.notes.push(other_note(offset, &what)),
            Ial::Toc => self.notes.push(toc_note(offset)),
        }
    }

    /// A raw HTML block with kramdown in it: `markdown="…"` (kramdown's switch, not HTML) is
    /// taken off its tags and attribute-list lines are dropped; a `<details>` block that holds
    /// a `{:toc}` (just-the-docs' collapsible table of contents) is dropped whole.
    fn html_block(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        let (Event::Html(h), r) = &events[i] else {
            return None;
        };
        let line = h.trim();
        if let Some(ials) = only_ials(line) {
            for ial in ials {
                match ial {
                    Ial::Toc => self.notes.push(toc_note(r.start)),
                    Ial::Other(what) => self.notes.push(other_note(r.start, &what)),
                    Ial::Attrs(_) => {}
                }
            }
            return Some(i + 1);
        }
        let cleaned = strip_markdown_attribute(h);
        self.push(Event::Html(CowStr::from(cleaned)), r.clone());
        Some(i + 1)
    }
}

/// `html` without kramdown's `markdown="…"` attributes.
fn strip_markdown_attribute(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" markdown=") {
        out.push_str(&rest[..at]);
        let value = &rest[at + " markdown=".len()..];
        let used = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].find(q).map_or(value.len(), |e| e + 2),
            _ => value
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(value.len()),
        };
        rest = &value[used..];
    }
    out.push_str(rest);
    out
}

/// Edits that take every attribute list and `{:toc}` out of `text` (outside code), and the
/// line it stood on when it stood alone: the Markdown of a page as another Markdown reader
/// (a notebook) should see it.
pub fn removals(text: &str, opts: pulldown_cmark::Options) -> Vec<crate::load::rewrite::Edit> {
    let mut out = Vec::new();
    if !text.contains("{:") {
        return out;
    }
    for (e, r) in pulldown_cmark::Parser::new_ext(text, opts).into_offset_iter() {
        let (Event::Text(_) | Event::Html(_)) = e else {
            continue;
        };
        let Some(slice) = text.get(r.clone()) else {
            continue;
        };
        for (i, _) in slice.match_indices("{:") {
            let Some((_, len)) = parse(&slice[i..]) else {
                continue;
            };
            let (mut start, mut end) = (r.start + i, r.start + i + len);
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
            if text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty() {
                (start, end) = (line_start, line_end);
            }
            out.push(crate::load::rewrite::Edit {
                start,
                end,
                text: String::new(),
            });
        }
    }
    out
}

/// The index of the event that closes the one opened at `start`.
fn end_of(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Drops each list that holds a `{:toc}` line (kramdown's "replace this list with the table of
/// contents"), the heading marked `.no_toc` just before it (its title), and a `<details>`
/// block around one; returns the events left and a note for each. One pass.
fn drop_toc_lists<'a>(
    text: &str,
    events: Vec<(Event<'a>, Range<usize>)>,
    notes: &mut Vec<Note>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let is_toc = |e: &Event| match e {
        Event::Text(t) => t.lines().any(|l| l.trim() == "{:toc}"),
        Event::Html(h) => h.lines().any(|l| l.trim() == "{:toc}"),
        _ => false,
    };
    // Where each element ends, and the spans to drop.
    let mut open: Vec<usize> = Vec::new();
    let mut ends = vec![0usize; events.len()];
    let mut marks: Vec<(usize, Vec<usize>)> = Vec::new();
    for (j, (e, _)) in events.iter().enumerate() {
        match e {
            Event::Start(_) => open.push(j),
            Event::End(_) => {
                if let Some(s) = open.pop() {
                    ends[s] = j;
                }
            }
            _ if is_toc(e) => marks.push((j, open.clone())),
            _ => {}
        }
    }
    let mut drop = vec![false; events.len()];
    for (at, around) in marks {
        notes.push(toc_note(events[at].1.start));
        let Some(&outer) = around.first() else {
            drop[at] = true;
            continue;
        };
        let in_html = matches!(events[outer].0, Event::Start(Tag::HtmlBlock));
        let list = around
            .iter()
            .copied()
            .find(|&j| matches!(events[j].0, Event::Start(Tag::List(_))));
        let cut = match list {
            Some(l) if !in_html && l == outer => title_before(text, &events, &ends, l),
            _ if in_html => outer,
            _ => {
                drop[at] = true;
                continue;
            }
        };
        drop[cut..=ends[outer]].iter_mut().for_each(|d| *d = true);
    }
    events
        .into_iter()
        .zip(drop)
        .filter_map(|(e, d)| (!d).then_some(e))
        .collect()
}

/// Where a table-of-contents list at `list` starts being dropped: at the heading just before
/// it when that heading is marked `.no_toc` (with only attribute lists between), else at the
/// list.
fn title_before(
    text: &str,
    events: &[(Event, Range<usize>)],
    ends: &[usize],
    list: usize,
) -> usize {
    let mut j = list;
    while j > 0 {
        j -= 1;
        match &events[j].0 {
            Event::End(TagEnd::Paragraph) | Event::Start(Tag::Paragraph) => {}
            Event::Text(t) if only_ials(t).is_some() => {}
            Event::End(TagEnd::Heading(_)) => {
                // Back over the heading's text to its start (headings hold no blocks).
                while j > 0 && !matches!(events[j].0, Event::Start(Tag::Heading { .. })) {
                    j -= 1;
                }
                let between = &text[events[j].1.start..events[list].1.start];
                let whole = ends[j] < list;
                return if whole && between.contains("no_toc") {
                    j
                } else {
                    list
                };
            }
            _ => return list,
        }
    }
    list
}

#[cfg(test)]
mod tests;
