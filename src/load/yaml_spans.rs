//! Where each value of a YAML document is: an index built in one pass over the document's
//! events, so that an error found after parsing (a date out of range in the 40,000th event)
//! is placed in constant time instead of by rescanning the text.
//!
//! The same pass checks what serde_yaml would only report late or in its own words: nesting
//! deeper than [`MAX_DEPTH`] (checked before any recursive parser sees the text), a key written
//! twice in one mapping, and where a flow collection that never closes was opened.
//!
//! The events come from `yaml-rust`'s parser, which is iterative (no recursion, however deep
//! the input) and carries a mark (line, column) on every event.

use std::collections::HashMap;

use yaml_rust::parser::{Event, Parser};

/// How deeply collections may nest. A course file needs five levels; serde_yaml gives up at
/// 128, but only after a parse whose cost grows with depth times length.
pub const MAX_DEPTH: usize = 64;

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// `key:`
    Key(&'a str),
    /// the n-th item (0-based)
    Index(usize),
}

/// A mistake found while indexing, at a 1-based (line, column) of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Collections nest deeper than [`MAX_DEPTH`]; the place is where the limit was passed.
    TooDeep((usize, usize)),
    /// `key` appears a second time in one mapping, here; `first` is the line of the first.
    DuplicateKey {
        /// The key as written.
        key: String,
        /// Where it is written again.
        at: (usize, usize),
        /// The line of its first occurrence.
        first: usize,
    },
}

/// The positions of every value of a document, found by following a path of [`Seg`]s.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    nodes: Vec<Node>,
    /// What indexing found wrong, in document order.
    pub problems: Vec<Problem>,
    /// Where the innermost flow collection (`[` or `{`) still open at a syntax error began.
    pub unclosed_flow: Option<(char, (usize, usize))>,
    /// Whether the event parser stopped at a syntax error.
    pub syntax_error: bool,
    /// Where it stopped, 1-based (line, column).
    pub error_at: (usize, usize),
    /// Whether the document is a mapping (`key: value` lines), a list or a single value; `None`
    /// for an empty document or one that stopped before its first value.
    pub root: Option<Root>,
}

/// What the top of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `key: value` lines.
    Mapping,
    /// `- item` lines or `[…]`.
    Sequence,
    /// One value.
    Scalar,
}

#[derive(Debug, Clone)]
struct Node {
    at: (usize, usize),
    keys: HashMap<String, usize>,
    items: Vec<usize>,
}

/// A collection being read: its node (None inside a complex key), and for a mapping whether
/// the next node is a key, the pending key and the keys seen so far with their lines.
struct Frame {
    node: Option<usize>,
    map: Option<MapState>,
    flow: Option<(char, (usize, usize))>,
}

struct MapState {
    expect_key: bool,
    key: Option<(String, (usize, usize))>,
    seen: HashMap<String, usize>,
}

impl Spans {
    /// Indexes `text` (one YAML document). Never fails: on a syntax error the index holds what
    /// came before it and `syntax_error` is set.
    pub fn new(text: &str) -> Spans {
        let chars: Vec<char> = text.chars().collect();
        let mut spans = Spans::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new(text.chars());
        loop {
            let (event, mark) = match parser.next() {
                Ok(e) => e,
                Err(e) => {
                    spans.syntax_error = true;
                    let m = e.marker();
                    spans.error_at = (m.line(), m.col() + 1);
                    spans.unclosed_flow = stack.iter().rev().find_map(|f| f.flow);
                    if let Some(at) = flow_deeper_than(text, MAX_DEPTH) {
                        spans.problems.push(Problem::TooDeep(at));
                    }
                    break;
                }
            };
            let at = (mark.line(), mark.col() + 1);
            match event {
                Event::StreamEnd | Event::DocumentEnd => break,
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                }
                Event::Scalar(..) | Event::Alias(_) if stack.is_empty() => {
                    spans.root = Some(Root::Scalar);
                }
                Event::Scalar(..) | Event::Alias(_) => {
                    let key = match &event {
                        Event::Scalar(s, ..) => Some(s.as_str()),
                        _ => None,
                    };
                    spans.place(&mut stack, at, key, mark.index(), &chars);
                }
                Event::SequenceStart(_) | Event::MappingStart(_) => {
                    if stack.len() >= MAX_DEPTH {
                        spans.problems.push(Problem::TooDeep(at));
                        break;
                    }
                    let is_map = matches!(event, Event::MappingStart(_));
                    spans.open(&mut stack, (at, mark.index()), is_map, &chars);
                }
                _ => {}
            }
        }
        spans
    }

    /// Places a collection that starts at `at` (`index` in `chars`) and opens its frame.
    fn open(
        &mut self,
        stack: &mut Vec<Frame>,
        (at, index): ((usize, usize), usize),
        is_map: bool,
        chars: &[char],
    ) {
        let node = self.place(stack, at, None, index, chars);
        if stack.is_empty() {
            self.root = Some(if is_map {
                Root::Mapping
            } else {
                Root::Sequence
            });
        }
        let flow = chars
            .get(index)
            .filter(|c| **c == '[' || **c == '{')
            .map(|c| (*c, at));
        stack.push(Frame {
            node,
            map: is_map.then(|| MapState {
                expect_key: true,
                key: None,
                seen: HashMap::new(),
            }),
            flow,
        });
    }

    /// Records a node that starts at `at` (char offset `index`) in its parent, and returns its
    /// index in the tree (None for keys and for what lies inside a complex key).
    fn place(
        &mut self,
        stack: &mut [Frame],
        at: (usize, usize),
        scalar: Option<&str>,
        index: usize,
        chars: &[char],
    ) -> Option<usize> {
        let Some(top) = stack.last_mut() else {
            return Some(self.push(at));
        };
        let parent = top.node;
        match &mut top.map {
            Some(m) if m.expect_key => {
                m.expect_key = false;
                m.key = scalar.map(|k| (k.to_string(), at));
                if let Some(k) = scalar {
                    if let Some(first) = m.seen.get(k) {
                        self.problems.push(Problem::DuplicateKey {
                            key: k.to_string(),
                            at,
                            first: *first,
                        });
                    } else {
                        m.seen.insert(k.to_string(), at.0);
                    }
                }
                None
            }
            Some(m) => {
                m.expect_key = true;
                let (key, key_at) = m.key.take()?;
                let parent = parent?;
                let node = self.push(key_at);
                self.nodes[parent].keys.entry(key).or_insert(node);
                Some(node)
            }
            None => {
                let parent = parent?;
                let node = self.push(dash_before(at, index, chars));
                self.nodes[parent].items.push(node);
                Some(node)
            }
        }
    }

    fn push(&mut self, at: (usize, usize)) -> usize {
        self.nodes.push(Node {
            at,
            keys: HashMap::new(),
            items: Vec::new(),
        });
        self.nodes.len() - 1
    }

    /// Every key of every mapping, in the order written: (the place as a pattern with `[]` for
    /// any item, e.g. `meetings[]`; the place as serde_yaml names it, e.g. `meetings[0]`; the
    /// key; its position). The top is `""`.
    pub fn all_keys(&self) -> Vec<(String, String, &str, (usize, usize))> {
        let mut out = Vec::new();
        if !self.nodes.is_empty() {
            self.keys_below(0, "", "", &mut out);
        }
        out
    }

    fn keys_below<'s>(
        &'s self,
        node: usize,
        pattern: &str,
        concrete: &str,
        out: &mut Vec<(String, String, &'s str, (usize, usize))>,
    ) {
        let mut keys: Vec<(&str, usize)> = self.nodes[node]
            .keys
            .iter()
            .map(|(k, &n)| (k.as_str(), n))
            .collect();
        keys.sort_by_key(|(_, n)| self.nodes[*n].at);
        let join = |base: &str, key: &str| {
            if base.is_empty() {
                key.to_string()
            } else {
                format!("{base}.{key}")
            }
        };
        for (key, child) in keys {
            out.push((
                pattern.to_string(),
                concrete.to_string(),
                key,
                self.nodes[child].at,
            ));
            self.keys_below(child, &join(pattern, key), &join(concrete, key), out);
        }
        for (i, &item) in self.nodes[node].items.iter().enumerate() {
            let (p, c) = (format!("{pattern}[]"), format!("{concrete}[{i}]"));
            self.keys_below(item, &p, &c, out);
        }
    }

    /// The keys of the top-level mapping with their positions, in the order written.
    pub fn top_keys(&self) -> Vec<(&str, (usize, usize))> {
        let mut keys: Vec<(&str, (usize, usize))> = self
            .nodes
            .first()
            .map(|root| {
                root.keys
                    .iter()
                    .map(|(k, &n)| (k.as_str(), self.nodes[n].at))
                    .collect()
            })
            .unwrap_or_default();
        keys.sort_by_key(|(_, at)| *at);
        keys
    }

    /// The 1-based (line, column) of the value at `path`: a key's position for a mapping value,
    /// the `-` of a block sequence item. When the path cannot be followed to its end, the
    /// deepest place found; at worst line 1.
    pub fn at(&self, path: &[Seg]) -> (usize, usize) {
        let Some(mut node) = self.nodes.first() else {
            return (1, 1);
        };
        let mut found = (1, 1);
        for seg in path {
            let next = match *seg {
                Seg::Key(k) => node.keys.get(k),
                Seg::Index(i) => node.items.get(i),
            };
            let Some(next) = next.and_then(|&n| self.nodes.get(n)) else {
                break;
            };
            node = next;
            found = node.at;
        }
        found
    }
}

/// A block sequence item is shown at its `-`, not at the value after it.
fn dash_before(at: (usize, usize), index: usize, chars: &[char]) -> (usize, usize) {
    let mut j = index.min(chars.len());
    while j > 0 && chars[j - 1] == ' ' {
        j -= 1;
    }
    if j > 0 && chars[j - 1] == '-' && at.1 > index - j + 1 {
        (at.0, at.1 - (index - j + 1))
    } else {
        at
    }
}

/// Where flow collections (`[…]`, `{…}`) first nest deeper than `limit`, by a plain scan of the
/// characters (quoted text and comments skipped). The event parser looks ahead along a line
/// before it reports a collection, so nesting on one line is measured here instead.
fn flow_deeper_than(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut prev = '\n'; // the last character that was not a space
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    let mut before = '\n'; // the character just before `c`
    while let Some(c) = chars.next() {
        col += 1;
        let after_space = matches!(before, ' ' | '\t' | '\n');
        before = c;
        if c == '\n' {
            (line, col, prev) = (line + 1, 0, '\n');
            if depth == 0 {
                quote = None;
            }
            continue;
        }
        if let Some(q) = quote {
            if c == '\\' && q == '"' {
                chars.next();
                col += 1;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        let token_start = matches!(prev, '\n' | '[' | '{' | ',' | ':' | '-' | '?');
        match c {
            '#' if after_space => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            '"' | '\'' if token_start => quote = Some(c),
            '[' | '{' if depth > 0 || token_start => {
                depth += 1;
                if depth > limit {
                    return Some((line, col));
                }
            }
            ']' | '}' if depth > 0 => depth -= 1,
            _ => {}
        }
        if c != ' ' && c != '\t' {
            prev = c;
        }
    }
    None
}

/// The position of `path` in `text`: [`Spans::at`] for a one-off lookup. Index once with
/// [`Spans::new`] when looking up many paths in one text.
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    Spans::new(text).at(path)
}

/// The (line, column) of a key path in `root/course.yaml`, for errors found in other stages
/// when the loaded course is not at hand (line 1 when the file cannot be read).
pub fn locate_in_course(root: &std::path::Path, path: &[Seg]) -> (usize, usize) {
    // Read as every course file is: inside the course, a regular file, capped.
    let fence = crate::base::fence::Fence::new(root, false);
    fence
        .read_text(&root.join("course.yaml"), crate::base::fence::Cap::Yaml)
        .map_or((1, 1), |s| locate(&s, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERM: &str = "name: Spring\nstart: 2026-01-20\nholidays:\n  - { date: 2026-02-16, name: A }\n  - from: 2026-03-16\n    to: 2026-03-22\n    name: B\nmeetings:\n- name: Lecture\n  days: [mon]\n";

    /// Keys point at the key, block items at their dash, flow items at the item.
    #[test]
    fn locates_keys_and_items() {
        let s = Spans::new(TERM);
        assert_eq!(s.at(&[Seg::Key("start")]), (2, 1));
        assert_eq!(s.at(&[Seg::Key("holidays"), Seg::Index(0)]), (4, 3));
        let to = [Seg::Key("holidays"), Seg::Index(1), Seg::Key("to")];
        assert_eq!(s.at(&to), (6, 5));
        let date = [Seg::Key("holidays"), Seg::Index(0), Seg::Key("date")];
        assert_eq!(s.at(&date), (4, 7));
        let days = [Seg::Key("meetings"), Seg::Index(0), Seg::Key("days")];
        assert_eq!(s.at(&days), (10, 3));
        let mon = [
            Seg::Key("meetings"),
            Seg::Index(0),
            Seg::Key("days"),
            Seg::Index(0),
        ];
        assert_eq!(s.at(&mon), (10, 10));
        assert_eq!(s.at(&[Seg::Key("nope")]), (1, 1));
        assert!(s.problems.is_empty());
    }

    /// A repeated key is found with both lines; nesting past the limit stops the index.
    #[test]
    fn finds_duplicates_and_depth() {
        let s = Spans::new("title: A\nx: {a: 1}\ntitle: B\n");
        assert_eq!(
            s.problems,
            vec![Problem::DuplicateKey {
                key: "title".into(),
                at: (3, 1),
                first: 1
            }]
        );
        let deep = format!("x: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let s = Spans::new(&deep);
        assert_eq!(s.problems, vec![Problem::TooDeep((1, 4 + MAX_DEPTH))]);
    }

    /// What libyaml (serde_yaml) reads, the index reads too: otherwise a valid file would get a
    /// syntax error. Snippets that instructors write, moved from other tools.
    #[test]
    fn reads_whatever_serde_yaml_reads() {
        let snippets = [
            "title: x\t# a comment after a tab\n",
            "title: 'it''s'\nname: \"a \\\"b\\\"\"\n",
            "a: |\n  line\n\tstill text\n",
            "a: >-\n  folded\n  text\n",
            "? complex\n: value\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 2026-01-20\n",
            "list:\n- a\n- b: c\n  d: e\n",
            "%YAML 1.1\n---\na: 1\n",
            "a: 1\n...\n",
            "a: [1, 2,]\n",
            "a: {b: 1, c: [x, y]}\n",
            "url: http://example.edu/a#b\n",
            "title: Lab 1 – Einführung 🎓\n",
            "\u{feff}title: bom\n",
            "a:\r\n  b: 1\r\n",
            "a: \"multi\n  line\"\n",
            "a: plain\n  continued\n",
            "- { date: 2026-02-16, name: Presidents' Day }\n",
            "a: -1\nb: ~\nc: null\nd: .inf\n",
        ];
        for s in snippets {
            let ok = serde_yaml::from_str::<serde_yaml::Value>(s).is_ok();
            let spans = Spans::new(s);
            assert_eq!(!spans.syntax_error, ok, "{s:?}");
        }
    }

    /// An unclosed `[` is remembered where it opens.
    #[test]
    fn remembers_an_unclosed_flow_collection() {
        let s = Spans::new("title: [unclosed\nx: 1\n");
        assert!(s.syntax_error);
        assert_eq!(s.unclosed_flow, Some(('[', (1, 8))));
    }
}
