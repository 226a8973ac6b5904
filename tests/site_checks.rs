//! Checks on the built bundled course, without a browser (issue 5, "Checked in CI"):
//! every internal link, `src` and `#anchor` resolves; no page loads anything from another host;
//! the Nu HTML Checker (vnu) finds no error in any page.
//!
//! The course built is the repository's own (`SEMESTER_TEST_COURSE=DIR` builds another).
//! vnu is looked for at `SEMESTER_VNU_JAR`, else at
//! `target/ci-tools/node_modules/vnu-jar/build/dist/vnu.jar` (`.ci/run` installs it there), and
//! runs on the `java` on PATH. Where either is missing the check says it is
//! skipped (`common::need`); under `CI=true` it fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TempDir;
use scraper::{ElementRef, Html, Selector};

/// Builds the course into a fresh temporary folder, served from `/`.
fn build_site(tag: &str) -> TempDir {
    let root = std::env::var_os("SEMESTER_TEST_COURSE")
        .map(PathBuf::from)
        .unwrap_or_else(common::repo);
    build_course(tag, &root)
}

/// The course moved over from a just-the-docs site (tests/moved_course.rs).
fn moved_course() -> PathBuf {
    common::repo().join("tests/fixtures/from-jekyll")
}

/// Builds the course at `root` into a fresh temporary folder, served from `/`.
fn build_course(tag: &str, root: &Path) -> TempDir {
    let out = TempDir::new(tag);
    let result = Command::new(env!("CARGO_BIN_EXE_semester"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out.path())
        .args(["--base-url", "/"])
        .output()
        .expect("run semester build");
    assert!(
        result.status.success(),
        "semester build failed on {}:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// Every file below `dir`, as a path relative to it with `/` separators.
fn files(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("below the output")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    all.sort();
    all
}

fn is_html(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

/// The parsed HTML pages of the site, by path relative to the output folder.
fn pages(out: &Path) -> BTreeMap<String, Html> {
    files(out)
        .into_iter()
        .filter(|rel| is_html(rel))
        .map(|rel| {
            let text = std::fs::read_to_string(out.join(&rel)).expect("read page");
            (rel, Html::parse_document(&text))
        })
        .collect()
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

/// `%XX` escapes decoded (a bad escape is kept as written).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether a URL names a scheme or host of its own (so it is not a path in this site).
fn scheme_of(url: &str) -> Option<String> {
    if url.starts_with("//") {
        return Some("//".into());
    }
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether a URL points at another host.
fn is_other_host(url: &str) -> bool {
    matches!(
        scheme_of(url.trim()).as_deref(),
        Some("http" | "https" | "//" | "ftp" | "ws" | "wss")
    )
}

/// Resolves a site-internal reference made from the file `from` (relative to the output folder)
/// to (path relative to the output folder, fragment). `None` for anything that is not a path in
/// this site (another scheme or host). `Err` when a relative path climbs above the site root.
fn resolve(from: &str, url: &str) -> Option<Result<(String, Option<String>), String>> {
    let url = url.trim();
    if scheme_of(url).is_some() {
        return None;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(percent_decode(f))),
        None => (url, None),
    };
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    if path.is_empty() {
        // "#x" or "?q": this same file.
        return Some(Ok((from.to_string(), fragment)));
    }
    let path = percent_decode(path);
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        let mut dir: Vec<&str> = from.split('/').collect();
        dir.pop(); // the file itself
        dir
    };
    let trailing_slash = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(format!("`{url}` climbs above the site root")));
                }
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if trailing_slash || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(Ok((joined, fragment)))
}

/// The ids a fragment may name in each page (`id` on any element, `name` on `<a>`).
fn anchors(pages: &BTreeMap<String, Html>) -> BTreeMap<String, BTreeSet<String>> {
    let any_id = sel("[id]");
    let named = sel("a[name]");
    pages
        .iter()
        .map(|(rel, doc)| {
            let mut ids: BTreeSet<String> = doc
                .select(&any_id)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            ids.extend(
                doc.select(&named)
                    .filter_map(|e| e.value().attr("name").map(str::to_string)),
            );
            (rel.clone(), ids)
        })
        .collect()
}

/// The URLs of a `srcset` attribute.
fn srcset_urls(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter_map(|c| c.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// `url(…)` and `@import "…"` references in a style sheet (comments removed first).
fn css_urls(css: &str) -> Vec<String> {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    text.push_str(rest);
    let lower = text.to_ascii_lowercase();
    let mut urls = Vec::new();
    let unquote = |s: &str| {
        s.trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .to_string()
    };
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let start = from + i + 4;
        let end = text[start..].find(')').map_or(text.len(), |e| start + e);
        urls.push(unquote(&text[start..end]));
        from = end;
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find("@import") {
        let start = from + i + 7;
        let tail = text[start..].trim_start();
        if let Some(q) = tail.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = tail[1..].find(q)
        {
            urls.push(tail[1..1 + end].to_string());
        }
        from = start;
    }
    urls.retain(|u| !u.is_empty());
    urls
}

/// A short description of an element for messages: `<tag attr="value">`.
fn describe(e: &ElementRef, attr: &str, value: &str) -> String {
    format!("<{} {attr}=\"{value}\">", e.value().name())
}

/// The URL in a `<meta http-equiv="refresh" content="0; url=…">`.
fn refresh_url(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let i = lower.find("url=")?;
    Some(
        content[i + 4..]
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string(),
    )
}

/// Checks one internal reference; pushes a message when it does not resolve.
fn check_ref(
    out: &Path,
    ids: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    what: &str,
    url: &str,
    problems: &mut Vec<String>,
) {
    let (target, fragment) = match resolve(from, url) {
        None => return,
        Some(Err(e)) => {
            problems.push(format!("{from}: {what}: {e}"));
            return;
        }
        Some(Ok(t)) => t,
    };
    let mut target = target;
    let full = out.join(&target);
    if full.is_dir() {
        target = format!("{}/index.html", target.trim_end_matches('/'));
    }
    if !out.join(&target).is_file() {
        problems.push(format!("{from}: {what}: no file `{target}` in the output"));
        return;
    }
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return;
    };
    match ids.get(&target) {
        Some(set) if set.contains(&fragment) => {}
        Some(_) => problems.push(format!(
            "{from}: {what}: `{target}` has no element with id `{fragment}`"
        )),
        None if is_html(&target) => {
            problems.push(format!("{from}: {what}: `{target}` was not read as a page"))
        }
        None => problems.push(format!(
            "{from}: {what}: `#{fragment}` points into `{target}`, which is not a page"
        )),
    }
}

fn report(title: &str, problems: &[String]) {
    if !problems.is_empty() {
        panic!(
            "{title} ({} problems):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
}

/// Attributes that hold one URL, on any element.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "poster",
    "data",
    "action",
    "cite",
    "formaction",
];

#[test]
fn every_internal_link_and_anchor_resolves() {
    let site = build_site("links");
    links_resolve(site.path());
}

/// The same in the course moved from Jekyll: `{% link %}` and `{{ site.baseurl }}` resolve.
#[test]
fn every_link_of_the_moved_jekyll_course_resolves() {
    let site = build_course("links-moved", &moved_course());
    links_resolve(site.path());
}

fn links_resolve(out: &Path) {
    let pages = pages(out);
    assert!(
        pages.len() > 5,
        "expected the bundled course's pages, found {}",
        pages.len()
    );
    let ids = anchors(&pages);
    let mut problems = Vec::new();
    let mut checked = 0usize;
    let all = sel("*");
    let refresh = sel("meta[http-equiv]");
    for (rel, doc) in &pages {
        for e in doc.select(&all) {
            for attr in URL_ATTRS {
                // <object data> holds a URL; data-* attributes are separate names.
                if *attr == "data" && e.value().name() != "object" {
                    continue;
                }
                if let Some(v) = e.value().attr(attr) {
                    checked += 1;
                    check_ref(out, &ids, rel, &describe(&e, attr, v), v, &mut problems);
                }
            }
            if let Some(v) = e.value().attr("srcset") {
                for url in srcset_urls(v) {
                    checked += 1;
                    check_ref(
                        out,
                        &ids,
                        rel,
                        &describe(&e, "srcset", v),
                        &url,
                        &mut problems,
                    );
                }
            }
            if let Some(style) = e.value().attr("style") {
                for url in css_urls(style) {
                    check_ref(out, &ids, rel, "style attribute", &url, &mut problems);
                }
            }
            if e.value().name() == "style" {
                for url in css_urls(&e.text().collect::<String>()) {
                    check_ref(out, &ids, rel, "<style>", &url, &mut problems);
                }
            }
        }
        for m in doc.select(&refresh) {
            let equiv = m.value().attr("http-equiv").unwrap_or("");
            if equiv.eq_ignore_ascii_case("refresh") {
                let content = m.value().attr("content").unwrap_or("");
                if let Some(url) = refresh_url(content) {
                    checked += 1;
                    let what = format!("<meta http-equiv=\"refresh\" content=\"{content}\">");
                    check_ref(out, &ids, rel, &what, &url, &mut problems);
                }
            }
        }
    }
    // Style sheets: their url(…) references are relative to the sheet.
    for rel in files(out).iter().filter(|f| f.ends_with(".css")) {
        let css = std::fs::read_to_string(out.join(rel)).expect("read css");
        for url in css_urls(&css) {
            checked += 1;
            check_ref(out, &ids, rel, &format!("url({url})"), &url, &mut problems);
        }
    }
    // versions.json: the version switcher's targets.
    if let Ok(text) = std::fs::read_to_string(out.join("versions.json")) {
        let versions: serde_json::Value = serde_json::from_str(&text).expect("versions.json");
        for v in versions.as_array().expect("versions.json is a list") {
            let url = v["url"].as_str().expect("a version has a url");
            checked += 1;
            check_ref(
                out,
                &ids,
                "versions.json",
                &format!("url {url}"),
                url,
                &mut problems,
            );
        }
    }
    eprintln!(
        "checked {checked} references in {} pages and the style sheets",
        pages.len()
    );
    report("broken internal links or anchors", &problems);
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let site = build_site("hosts");
    let out = site.path();
    let pages = pages(out);
    let mut problems = Vec::new();
    // Elements whose URL the browser fetches as part of the page.
    let fetched: &[(&str, &[&str])] = &[
        ("script", &["src"]),
        ("img", &["src", "srcset"]),
        ("source", &["src", "srcset"]),
        ("iframe", &["src"]),
        ("frame", &["src"]),
        ("embed", &["src"]),
        ("object", &["data"]),
        ("video", &["src", "poster"]),
        ("audio", &["src"]),
        ("track", &["src"]),
        ("input", &["src"]),
        ("image", &["href"]),
        ("use", &["href"]),
        ("base", &["href"]),
    ];
    // <link> relations that make the browser fetch (or connect to) the target.
    let fetching_rels = [
        "stylesheet",
        "icon",
        "preload",
        "modulepreload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "prerender",
        "manifest",
    ];
    let links = sel("link[href]");
    let styled = sel("[style]");
    let styles = sel("style");
    for (rel, doc) in &pages {
        for (tag, attrs) in fetched {
            for e in doc.select(&sel(tag)) {
                for attr in *attrs {
                    let Some(v) = e.value().attr(attr) else {
                        continue;
                    };
                    let urls = if *attr == "srcset" {
                        srcset_urls(v)
                    } else {
                        vec![v.to_string()]
                    };
                    if urls.iter().any(|u| is_other_host(u)) {
                        problems.push(format!("{rel}: {}", describe(&e, attr, v)));
                    }
                }
            }
        }
        for e in doc.select(&links) {
            let rels = e.value().attr("rel").unwrap_or("").to_ascii_lowercase();
            let href = e.value().attr("href").unwrap_or("");
            let fetches = rels.split_whitespace().any(|r| {
                fetching_rels.contains(&r) || r.contains("icon") // apple-touch-icon, mask-icon
            });
            if fetches && is_other_host(href) {
                problems.push(format!("{rel}: <link rel=\"{rels}\" href=\"{href}\">"));
            }
        }
        for e in doc.select(&styled) {
            let style = e.value().attr("style").unwrap_or("");
            for url in css_urls(style).into_iter().filter(|u| is_other_host(u)) {
                problems.push(format!("{rel}: style attribute: url({url})"));
            }
        }
        for e in doc.select(&styles) {
            for url in css_urls(&e.text().collect::<String>())
                .into_iter()
                .filter(|u| is_other_host(u))
            {
                problems.push(format!("{rel}: <style>: url({url})"));
            }
        }
    }
    for rel in files(out).iter().filter(|f| f.ends_with(".css")) {
        let css = std::fs::read_to_string(out.join(rel)).expect("read css");
        for url in css_urls(&css).into_iter().filter(|u| is_other_host(u)) {
            problems.push(format!(
                "{rel}: url({url}) (fonts and images come from this site)"
            ));
        }
    }
    report("pages that load from another host", &problems);
}

/// Where vnu.jar is, or a failure that says how to get it.
#[track_caller]
fn vnu_jar() -> Option<PathBuf> {
    let p = std::env::var_os("SEMESTER_VNU_JAR").map_or_else(
        || common::repo().join("target/ci-tools/node_modules/vnu-jar/build/dist/vnu.jar"),
        PathBuf::from,
    );
    let what = format!(
        "the Nu HTML Checker: no {} (set SEMESTER_VNU_JAR, or run `.ci/run tools`)",
        p.display()
    );
    common::need(p.is_file().then_some(p), &what)
}

#[test]
fn nu_html_checker_finds_no_errors() {
    nu_check(|| build_site("vnu"), true);
}

/// The fixture of pages written the way authors write them (issue 13) has neither an error nor
/// a warning of the Nu HTML Checker: no duplicate id, no skipped heading level, no empty heading.
#[test]
fn nu_html_checker_finds_nothing_in_authored_pages() {
    nu_check(
        || {
            build_course(
                "vnu-authored",
                &common::repo().join("tests/fixtures/authored"),
            )
        },
        false,
    );
}

/// Attribute lists, callouts, definition lists and the rest of a moved Jekyll course are
/// valid HTML too.
#[test]
fn nu_html_checker_finds_no_errors_in_the_moved_jekyll_course() {
    nu_check(|| build_course("vnu-moved", &moved_course()), true);
}

/// The bundled course in Arabic and in German (issue 17) is valid HTML: `dir="rtl"`, the
/// translated labels and the CLDR dates break nothing.
#[test]
fn nu_html_checker_finds_no_errors_in_arabic_and_german() {
    for lang in ["ar", "de"] {
        nu_check(
            || {
                let src = TempDir::new(&format!("vnu-src-{lang}"));
                let root = common::bundled_course_in(&src, lang);
                build_course(&format!("vnu-{lang}"), &root)
            },
            true,
        );
    }
}

#[track_caller]
/// Runs vnu on every page of the course `build` makes and fails on each message it reports
/// (errors only, or warnings too).
fn nu_check(build: impl FnOnce() -> TempDir, errors_only: bool) {
    let jar = vnu_jar();
    let java = common::need(
        common::all_on_path("java").into_iter().next(),
        "Java for the Nu HTML Checker: no `java` on PATH (apt-get install default-jre-headless)",
    );
    let (Some(jar), Some(java)) = (jar, java) else {
        return;
    };
    let site = build();
    let out = site.path();
    let html: Vec<String> = files(out).into_iter().filter(|f| is_html(f)).collect();
    assert!(!html.is_empty(), "no pages built");
    let result = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(if errors_only {
            &["--errors-only"][..]
        } else {
            &[]
        })
        .args(["--format", "json", "--skip-non-html"])
        .arg(out)
        .output()
        .expect("run java -jar vnu.jar");
    // vnu writes its report to stderr.
    let text = String::from_utf8_lossy(&result.stderr);
    let report_json: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "vnu did not print a JSON report ({e}); exit {:?}:\n{text}{}",
            result.status.code(),
            String::from_utf8_lossy(&result.stdout)
        )
    });
    let prefix = format!("file:{}/", out.display());
    let mut problems = Vec::new();
    let mut seen_files = BTreeSet::new();
    for m in report_json["messages"].as_array().into_iter().flatten() {
        let kind = m["type"].as_str().unwrap_or("?");
        let url = m["url"].as_str().unwrap_or("?");
        let file = url.strip_prefix(&prefix).unwrap_or(url);
        seen_files.insert(file.to_string());
        // Without --errors-only a warning is an "info" message of subType "warning".
        if kind == "info" && (errors_only || m["subType"].as_str() != Some("warning")) {
            continue;
        }
        let line = m["lastLine"]
            .as_u64()
            .or(m["firstLine"].as_u64())
            .unwrap_or(0);
        let col = m["firstColumn"].as_u64().unwrap_or(0);
        let message = m["message"].as_str().unwrap_or("");
        let extract = m["extract"]
            .as_str()
            .unwrap_or("")
            .replace('\n', "↵")
            .chars()
            .take(160)
            .collect::<String>();
        problems.push(format!(
            "{file}:{line}:{col}: {kind}: {message}\n      {extract}"
        ));
    }
    eprintln!(
        "vnu checked {} pages: {} errors",
        html.len(),
        problems.len()
    );
    if !problems.is_empty() {
        panic!(
            "the Nu HTML Checker found {} errors in {} of {} pages:\n  {}",
            problems.len(),
            seen_files.len(),
            html.len(),
            problems.join("\n  ")
        );
    }
    assert!(
        result.status.success(),
        "vnu exited with {:?} without reporting an error:\n{text}",
        result.status.code()
    );
}

#[test]
fn the_link_resolver_handles_relative_and_absolute_urls() {
    let from = "t/labs/x/index.html";
    let ok = |u: &str| resolve(from, u).expect("internal").expect("resolves");
    assert_eq!(ok("/t/"), ("t/index.html".into(), None));
    assert_eq!(ok("/"), ("index.html".into(), None));
    assert_eq!(
        ok("../y/#a%20b"),
        ("t/labs/y/index.html".into(), Some("a b".into()))
    );
    assert_eq!(ok("x.ipynb"), ("t/labs/x/x.ipynb".into(), None));
    assert_eq!(ok("#top"), (from.into(), Some("top".into())));
    assert_eq!(ok("./img/a.png?v=1"), ("t/labs/x/img/a.png".into(), None));
    assert!(resolve(from, "../../../../a").expect("internal").is_err());
    for external in [
        "https://a.org/",
        "//cdn.example/x.js",
        "mailto:a@b.c",
        "data:,x",
        "webcal://h/x",
    ] {
        assert!(resolve(from, external).is_none(), "{external}");
    }
    assert!(is_other_host("HTTPS://fonts.example/x.woff2"));
    assert!(is_other_host("//cdn.example/x.js"));
    assert!(!is_other_host("/semester.css"));
    assert!(!is_other_host("data:font/woff2;base64,AAAA"));
    assert_eq!(
        css_urls("/* url(http://no) */ a { background: URL( 'x.png' ) } @import \"y.css\";"),
        vec!["x.png".to_string(), "y.css".to_string()]
    );
    assert_eq!(srcset_urls("a.png 1x, b.png 2x"), vec!["a.png", "b.png"]);
    assert_eq!(refresh_url("0; url=/t/").as_deref(), Some("/t/"));
    assert_eq!(percent_decode("a%2Fb%zz%"), "a/b%zz%");
}
