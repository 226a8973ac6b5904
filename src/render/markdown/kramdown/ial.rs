//! The grammar of a kramdown attribute list: `{: .class #id key="value" }`, `{:toc}`, and the
//! extensions that are recognised only to be reported (`{::options}`, `{:name: …}`).

/// The attributes an attribute list gives an element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    /// `#id`.
    pub id: Option<String>,
    /// `.class`, in order.
    pub classes: Vec<String>,
    /// `key="value"`, in order.
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub(super) fn merge(&mut self, other: Attrs) {
        if other.id.is_some() {
            self.id = other.id;
        }
        for c in other.classes {
            if !self.classes.contains(&c) {
                self.classes.push(c);
            }
        }
        self.pairs.extend(other.pairs);
    }

    /// The attributes as HTML (` id="…" class="…" key="…"`), `extra` classes first.
    pub fn html(&self, extra: &[&str]) -> String {
        let mut out = String::new();
        if let Some(id) = &self.id {
            out.push_str(&format!(" id=\"{}\"", super::super::escape_attr(id)));
        }
        let classes: Vec<&str> = extra
            .iter()
            .copied()
            .chain(self.classes.iter().map(String::as_str))
            .collect();
        if !classes.is_empty() {
            out.push_str(&format!(
                " class=\"{}\"",
                super::super::escape_attr(&classes.join(" "))
            ));
        }
        for (k, v) in &self.pairs {
            out.push_str(&format!(" {k}=\"{}\"", super::super::escape_attr(v)));
        }
        out
    }
}

/// What a `{:…}` says.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ial {
    Attrs(Attrs),
    /// `{:toc}`.
    Toc,
    /// Another kramdown extension, named for the warning.
    Other(String),
}

/// Whether `name` may be an attribute name in HTML (and is no event handler).
fn attribute_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        && !name.to_ascii_lowercase().starts_with("on")
}

/// The `{:…}` at the start of `s`, with its length; `None` if `s` does not start with one.
pub(super) fn parse(s: &str) -> Option<(Ial, usize)> {
    let body = s.strip_prefix("{:")?;
    let mut quote = None;
    let close = body.char_indices().find_map(|(i, c)| match (quote, c) {
        (None, '"' | '\'') => {
            quote = Some(c);
            None
        }
        (Some(q), c) if c == q => {
            quote = None;
            None
        }
        (None, '}') => Some(i),
        (_, '\n') => Some(usize::MAX),
        _ => None,
    })?;
    if close == usize::MAX {
        return None;
    }
    let len = 2 + close + 1;
    let inside = body[..close].trim();
    if inside.starts_with(':')
        || inside
            .split_whitespace()
            .next()
            .is_some_and(|t| t.ends_with(':'))
    {
        return Some((Ial::Other(s[..len].to_string()), len));
    }
    if inside == "toc" {
        return Some((Ial::Toc, len));
    }
    attributes(inside).map_or_else(
        || Some((Ial::Other(s[..len].to_string()), len)),
        |a| Some((Ial::Attrs(a), len)),
    )
}

/// `.class #id key="value"` read into [`Attrs`]; `None` when a part is none of these.
fn attributes(inside: &str) -> Option<Attrs> {
    let mut a = Attrs::default();
    let mut rest = inside.trim_start();
    while !rest.is_empty() {
        let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if let Some(class) = rest.strip_prefix('.') {
            let n = token_end - 1;
            (n > 0).then_some(())?;
            a.classes.push(class[..n].to_string());
            rest = &rest[token_end..];
        } else if let Some(id) = rest.strip_prefix('#') {
            let n = token_end - 1;
            (n > 0).then_some(())?;
            a.id = Some(id[..n].to_string());
            rest = &rest[token_end..];
        } else {
            let eq = rest.find('=')?;
            let key = &rest[..eq];
            attribute_name(key).then_some(())?;
            let value_start = &rest[eq + 1..];
            let (value, used) = match value_start.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = value_start[1..].find(q)?;
                    (&value_start[1..1 + end], end + 2)
                }
                _ => {
                    let end = value_start
                        .find(char::is_whitespace)
                        .unwrap_or(value_start.len());
                    (&value_start[..end], end)
                }
            };
            a.pairs.push((key.to_string(), value.to_string()));
            rest = &value_start[used..];
        }
        rest = rest.trim_start();
    }
    Some(a)
}

/// Parses a whole text made of attribute lists only (a line `{: .a }{: #b}`).
pub(super) fn only_ials(text: &str) -> Option<Vec<Ial>> {
    let mut rest = text.trim();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (ial, len) = parse(rest)?;
        out.push(ial);
        rest = rest[len..].trim_start();
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists_are_read() {
        assert_eq!(
            parse("{: .btn .btn-purple #go data-x=\"a b\" k='v' w=40 } rest"),
            Some((
                Ial::Attrs(Attrs {
                    id: Some("go".into()),
                    classes: vec!["btn".into(), "btn-purple".into()],
                    pairs: vec![
                        ("data-x".into(), "a b".into()),
                        ("k".into(), "v".into()),
                        ("w".into(), "40".into())
                    ],
                }),
                49
            ))
        );
        assert_eq!(parse("{:toc}"), Some((Ial::Toc, 6)));
        assert_eq!(parse("{:.note}").map(|p| p.1), Some(8));
        assert!(matches!(
            parse("{::options parse_block_html=\"true\" /}"),
            Some((Ial::Other(_), _))
        ));
        assert!(matches!(parse("{:ref: .x}"), Some((Ial::Other(_), _))));
        assert!(matches!(
            parse("{: onclick=\"x\"}"),
            Some((Ial::Other(_), _))
        ));
        assert_eq!(parse("{: .x"), None);
        assert_eq!(parse("{x}"), None);
    }
}
