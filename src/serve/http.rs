//! What `semester serve` answers: request paths to site files, content types, the live-reload
//! client and the error overlay injected into pages.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};

use crate::base::diagnostics::{Diagnostics, Severity};

/// The errors of a failed build as the terminal shows them.
pub(super) fn error_text(diags: &Diagnostics) -> String {
    let mut text = String::new();
    for d in diags
        .sorted()
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        text.push_str(&d.to_string());
        text.push('\n');
    }
    text
}

/// The page every path shows while the course has never built: the errors in the overlay, and
/// the client that reloads it once a save fixes them.
pub(super) fn error_page(errors: &str) -> Response<Body> {
    let html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>semester: the build failed</title></head><body>\n</body></html>\n";
    let lead = "semester: the course does not build yet; fix these and save, and the page reloads.";
    let bytes = inject_lead(html.as_bytes().to_vec(), Some(errors), lead);
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(super) fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The site file a request path names, or `None` for a path that tries to leave the site
/// (`..`, in any encoding), carries a backslash or NUL, or is not UTF-8 once decoded.
/// The result is only ever looked up in the built site's own list of files.
pub fn file_key(raw_path: &str) -> Option<String> {
    let path = raw_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// `%XX` escapes decoded; `None` for a malformed escape (`%zz`, `%2`) or a result that is not
/// UTF-8: such a path names no file of the site.
pub(super) fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let well_formed = b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || b.get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// `/spring-2026/labs/x/` for `spring-2026/labs/x/index.html`.
pub(super) fn url_of(path: &str) -> String {
    format!("/{}", path.strip_suffix("index.html").unwrap_or(path))
}

pub(super) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "ipynb" => "application/x-ipynb+json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" | "py" | "sh" | "yaml" | "yml" | "toml" | "csv" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// What the overlay says above the errors on a page of the last good site.
const LAST_GOOD: &str = "semester: the build failed; this is the last good page.";

/// The live-reload client, and the error overlay when the last build failed.
pub(super) fn inject(html: Vec<u8>, error: Option<&str>) -> Vec<u8> {
    inject_lead(html, error, LAST_GOOD)
}

/// [`inject`] with the overlay's first line.
pub(super) fn inject_lead(html: Vec<u8>, error: Option<&str>, lead: &str) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(e) = error {
        extra.push_str(&overlay(e, lead));
    }
    // One style for the overlay, whether the server or the page's script makes it.
    extra.push_str(OVERLAY_STYLE);
    extra.push_str(CLIENT);
    let text = String::from_utf8_lossy(&html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

pub(super) fn overlay(errors: &str, lead: &str) -> String {
    format!(
        "<div id=\"semester-error\" role=\"alert\"><strong>{lead}</strong>\n{}</div>",
        crate::render::markdown::escape_attr(errors)
    )
}

const OVERLAY_STYLE: &str = "<style>#semester-error{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1rem 1.25rem;background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;border-top:4px solid #ff6b6b}</style>\n";

/// Reloads the page when its own URL changed, swaps stylesheets on a CSS-only change, and
/// shows or clears the error overlay.
const CLIENT: &str = r#"<script>
(function () {
  var es = new EventSource("/__semester/events");
  var here = location.pathname;
  es.addEventListener("reload", function (e) {
    var paths = JSON.parse(e.data);
    if (paths.indexOf("*") >= 0 || paths.indexOf(here) >= 0 || paths.indexOf(here + "index.html") >= 0) location.reload();
  });
  es.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href); u.searchParams.set("v", Date.now()); l.href = u.href;
    });
  });
  es.addEventListener("failed", function (e) {
    var box = document.getElementById("semester-error");
    if (!box) {
      box = document.createElement("div"); box.id = "semester-error"; box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = "semester: the build failed; this is the last good page.\n" + JSON.parse(e.data);
  });
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        for bad in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/a/..%5c..%5cetc/passwd",
            "/%00",
            "/%ff",
            "/%zz",
            "/%2",
        ] {
            assert_eq!(file_key(bad), None, "{bad}");
        }
        assert_eq!(file_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_key("/spring-2026/labs/").as_deref(),
            Some("spring-2026/labs/index.html")
        );
        assert_eq!(
            file_key("/spring-2026/a%20b.png?x=1").as_deref(),
            Some("spring-2026/a b.png")
        );
        assert_eq!(file_key("/./x//y").as_deref(), Some("x/y"));
    }

    #[test]
    fn the_client_goes_before_the_end_of_the_body() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            Some("a <b>"),
        ))
        .unwrap();
        assert!(out.contains("<p>x</p><div id=\"semester-error\""));
        assert!(out.contains("a &lt;b&gt;"));
        assert!(out.ends_with("</script>\n</body></html>"));
    }
}
