//! A course moved over from a just-the-docs (Jekyll) site as an instructor would move it:
//! pages copied into content/, front matter adapted (`nav_order` → `order`, `layout` dropped),
//! bodies untouched, with kramdown attribute lists, callouts, buttons, labels, `{:toc}`,
//! `{% link %}`, `{{ site.baseurl }}`, definition lists, LaTeX habits (`\bm`, `\boxed`, `\tag`,
//! `\newcommand`), prices, and a French page saved in decomposed Unicode
//! (tests/fixtures/from-jekyll). Its pages' `<main>` are compared with
//! tests/fixtures/from-jekyll/expected/ (`UPDATE_EXPECT=1` rewrites them after a deliberate
//! change, to be reviewed by eye); the Nu checker and axe run on it in tests/site_checks.rs
//! and tests/browser.rs.

mod common;

use common::{TempDir, options, read_tree};
use std::collections::BTreeMap;

fn fixture() -> std::path::PathBuf {
    common::repo().join("tests/fixtures/from-jekyll")
}

/// The built site's HTML pages, by path.
fn built_pages() -> BTreeMap<String, String> {
    let tmp = TempDir::new("moved");
    let out = tmp.path().join("public");
    if let Err(d) = semester::build(&fixture(), &out, &options()) {
        panic!(
            "the moved course must build:\n{}",
            d.sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    read_tree(&out)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, String::from_utf8(v).expect("UTF-8 page")))
        .collect()
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

/// No kramdown or Liquid is published as text: not `{:`, `{%` nor `{{ site.` in any file of
/// the site (pages, the lab's notebook, the search texts, the theme's files).
#[test]
fn no_kramdown_or_liquid_is_left_in_the_output() {
    let tmp = TempDir::new("moved-literal");
    let out = tmp.path().join("public");
    semester::build(&fixture(), &out, &options()).expect("builds");
    let tree = read_tree(&out);
    assert!(
        tree.keys().any(|k| k.ends_with(".ipynb")),
        "{:?}",
        tree.keys()
    );
    assert!(tree.keys().filter(|k| k.ends_with(".html")).count() >= 6);
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for literal in ["{:", "{%", "{{ site.", "{{site."] {
            assert!(!text.contains(literal), "{path} holds `{literal}`");
        }
    }
}

/// Each content page's `<main>` is exactly the reviewed one.
#[test]
fn pages_match_the_reviewed_output() {
    let pages = built_pages();
    let expected_dir = fixture().join("expected");
    let got: BTreeMap<String, &str> = pages
        .iter()
        .filter(|(k, _)| {
            k.starts_with("spring-2027/") && !k.contains("calendar") && !k.contains("search")
        })
        .map(|(k, v)| (k.clone(), main_of(v)))
        .collect();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, main) in &got {
            let dest = expected_dir.join(path);
            std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
            std::fs::write(dest, format!("{main}\n")).expect("write");
        }
        return;
    }
    let want: BTreeMap<String, String> = read_tree(&expected_dir)
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8(v).expect("UTF-8")))
        .collect();
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "pages built and pages expected differ"
    );
    for (path, main) in &got {
        assert_eq!(
            format!("{main}\n"),
            want[path],
            "{path} differs from tests/fixtures/from-jekyll/expected/{path}"
        );
    }
}

/// `check` says where each construct was left out or moved (the home page's `#` heading, which
/// is not the course title, is shown as h2 under it), and nothing else is wrong.
#[test]
fn check_warns_where_jekyll_constructs_are_left_out() {
    let diags = semester::check(&fixture(), &options());
    let root = format!("{}/", fixture().display());
    let got: Vec<String> = diags
        .sorted()
        .iter()
        .map(|d| d.to_string().replace(&root, ""))
        .collect();
    assert_eq!(
        got,
        [
            "content/_index.md:5:1: warning: level-1 heading `# STAT 342: Statistical Learning for Engineers` is shown as level 2: the page title is the page's only level-1 heading\n  hint: start sections with `##`; the headings below a `#` heading are each shown one level down too",
            "content/labs/01-setup.md:42:1: warning: the Liquid `{% include youtube.html id=\"dQw4w9WgXcQ\" %}` is left out of the page: semester does not run Jekyll's templates\n  hint: write what it stood for in Markdown; `{% link %}`, `{{ site.baseurl }}`, `relative_url`, `{% highlight %}`, `{% raw %}` and `{% comment %}` are understood (see \"Moving from Jekyll\" in docs/format.md)",
            "content/syllabus.md:16:1: warning: kramdown's `{:toc}` is left out, with its list\n  hint: the theme shows the page's own table of contents (front matter `toc: true` forces it)",
            "content/syllabus.md:46:2: warning: the Liquid `{{ site.data.contacts.helpdesk }}` is left out of the page: semester does not run Jekyll's templates\n  hint: write what it stood for in Markdown; `{% link %}`, `{{ site.baseurl }}`, `relative_url`, `{% highlight %}`, `{% raw %}` and `{% comment %}` are understood (see \"Moving from Jekyll\" in docs/format.md)",
            "content/topics:1:1: warning: sessions 2–16 have no topic\n  hint: add topic pages, give a topic `sessions: 2`, or declare review and exam days under `sessions:` in the term file",
            "content/topics/01-linear-models.md:13:1: warning: kramdown's `{:toc}` is left out, with its list\n  hint: the theme shows the page's own table of contents (front matter `toc: true` forces it)",
            // The moved course has no base_url yet (Jekyll's url: was not carried over).
            "course.yaml:1:1: warning: no sitemap.xml is written: base_url `/` has no scheme and host\n  hint: a sitemap lists absolute URLs only (sitemaps.org); set base_url to the site's full address, e.g. https://example.edu/my-course/",
        ]
    );
}

/// The search index folds what the French page was saved as (NFD, entities in raw HTML) to
/// the words readers type, and holds math once, as TeX.
#[test]
fn search_index_holds_folded_words_and_tex_once() {
    let tmp = TempDir::new("moved-search");
    let out = tmp.path().join("public");
    semester::build(&fixture(), &out, &options()).expect("builds");
    let tree = read_tree(&out);
    let words: BTreeMap<String, serde_json::Value> = tree
        .iter()
        .filter(|(k, _)| k.starts_with("spring-2027/search-index/") && k.ends_with(".json"))
        .flat_map(|(_, v)| {
            serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(v).expect("a shard")
        })
        .collect();
    for w in [
        "modeles",
        "regularisation",
        "cafe",
        "creme",
        "istanbul",
        "isik",
        "insan",
        "bm",
        "boxed",
        "sssl",
    ] {
        assert_eq!(words.contains_key(w), w != "sssl", "{w}");
    }
    let texts: Vec<String> = tree
        .iter()
        .filter(|(k, _)| k.starts_with("spring-2027/search-index/text/"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("café crème à 1 €")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("curl -sSL https://example.edu")),
        "{texts:?}"
    );
    // The TeX of the first equation is there once, and no MathML token list beside it.
    let topic = texts
        .iter()
        .find(|t| t.contains("normal equations"))
        .expect("the topic");
    assert_eq!(topic.matches("\\hat{\\bm{w}}").count(), 1, "{topic}");
    assert!(!topic.contains("𝒘"), "{topic}");
}
