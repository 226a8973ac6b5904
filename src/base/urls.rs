//! URLs: taken apart and compared as a browser does (percent-decoding, paths joined onto a
//! folder), and the URLs that course data puts into links checked.

/// Checks a URL from course data that becomes a link: `http:`, `https:` and `mailto:` URLs and
/// relative references (`/x`, `../x`, `x.html`, `#x`) pass; any other scheme (`javascript:`,
/// `data:`, `vbscript:`, `file:`…) and any control character or space (browsers drop tabs and
/// newlines inside a scheme, so `java\tscript:` is `javascript:`) is an error.
///
/// Errors are (message, hint). The rule is the one of issue 19: a course someone else wrote
/// must not be able to put script into a link the theme writes.
pub fn check_link_url(url: &str) -> Result<(), (String, String)> {
    let shown = url;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err((
            format!("the URL `{shown}` contains a space or a control character"),
            "write the URL without spaces; encode a space as %20".into(),
        ));
    }
    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match scheme.map(str::to_ascii_lowercase).as_deref() {
        None | Some("http" | "https" | "mailto") => Ok(()),
        Some(other) => Err((
            format!("the URL `{shown}` uses the scheme `{other}:`, which a link may not use"),
            "write an http:// or https:// address (or mailto: for email)".into(),
        )),
    }
}

/// A URL as written, taken apart.
#[derive(Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The path, still percent-encoded (empty for `#x` and `?x`).
    pub path: &'a str,
    /// The query without `?`.
    pub query: Option<&'a str>,
    /// The fragment without `#`, still percent-encoded.
    pub fragment: Option<&'a str>,
}

/// Splits a URL into path, query and fragment (a `?` after `#` belongs to the fragment).
pub fn parts(url: &str) -> Parts<'_> {
    let (rest, fragment) = url
        .split_once('#')
        .map_or((url, None), |(p, f)| (p, Some(f)));
    let (path, query) = rest
        .split_once('?')
        .map_or((rest, None), |(p, q)| (p, Some(q)));
    Parts {
        path,
        query,
        fragment,
    }
}

/// Whether a URL leaves the course: it has a scheme (`https:`, `mailto:`) or a host (`//x`).
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// `%XX` escapes decoded as UTF-8 (what a browser does before it compares a fragment with an
/// id or a path with a file name); an escape that is not UTF-8 stays as written.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}

/// The file a relative path names, relative to content/ (`None` if it climbs out): the path
/// percent-decoded and joined onto the folder of the page `rel`.
pub fn target_of(rel: &str, path: &str) -> Option<String> {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    normalize(dir, &percent_decode(path))
}

/// Joins a relative path onto a folder (both `/`-separated, relative to content/); `None` if it climbs out.
pub fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// How to write a link from `dir` to `target` (both relative to content/).
pub fn relative_from(dir: &str, target: &str) -> String {
    let d: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = target.split('/').collect();
    let common = d.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; d.len() - common];
    out.extend(&t[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links from course data take http(s), mailto and relative URLs, nothing else.
    #[test]
    fn link_urls_are_limited_to_safe_schemes() {
        for ok in [
            "https://x.edu/~me",
            "HTTP://x",
            "mailto:a@b.c",
            "/me/",
            "../a.html",
            "#x",
            "a.html?q=1:2",
        ] {
            assert_eq!(check_link_url(ok), Ok(()), "{ok}");
        }
        let msg = |u: &str| check_link_url(u).unwrap_err().0;
        assert_eq!(
            msg("JavaScript:alert(1)"),
            "the URL `JavaScript:alert(1)` uses the scheme `javascript:`, which a link may not use"
        );
        assert_eq!(
            msg("data:text/html,x"),
            "the URL `data:text/html,x` uses the scheme `data:`, which a link may not use"
        );
        assert_eq!(
            msg("java\tscript:alert(1)"),
            "the URL `java\tscript:alert(1)` contains a space or a control character"
        );
        assert_eq!(
            msg(" javascript:x"),
            "the URL ` javascript:x` contains a space or a control character"
        );
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn urls_are_taken_apart_as_a_browser_does() {
        assert_eq!(
            parts("../a.md?tab=2#caf%C3%A9"),
            Parts {
                path: "../a.md",
                query: Some("tab=2"),
                fragment: Some("caf%C3%A9")
            }
        );
        assert_eq!(
            parts("#x?y"),
            Parts {
                path: "",
                query: None,
                fragment: Some("x?y")
            }
        );
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("bad%FF"), "bad%FF");
        assert!(is_external("mailto:x@y.org") && is_external("//cdn.org/x.js"));
        assert!(!is_external("a.md#b:c") && !is_external("./x:y.png"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            normalize("topics", "../labs/x.md").as_deref(),
            Some("labs/x.md")
        );
        assert_eq!(normalize("", "../x.md"), None);
        assert_eq!(relative_from("topics", "labs/x.md"), "../labs/x.md");
        assert_eq!(relative_from("", "labs/x.md"), "labs/x.md");
        assert_eq!(
            target_of("labs/a.md", "img/f%20g.png").as_deref(),
            Some("labs/img/f g.png")
        );
    }
}
