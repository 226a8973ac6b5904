//! URLs that course data puts into links.

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
