//! Search: each term gets its own index of its pages and a search page (`/<term>/search/`).
//! The index is a few static files (see [`index`]) split so that a query fetches only the
//! shards of the words typed: search works with no server and no other host, and a reader
//! downloads a few kilobytes per query rather than the whole index.
//!
//! Only a page's own content is indexed (its Markdown output, title and description), never
//! the navigation around it. Matching and ranking happen in the browser
//! (`themes/default/static/search.js`): every query word must match the start of a word of the
//! page, and pages are ranked by BM25 over the weights stored here.

use std::sync::Arc;

use crate::base::diagnostics::Diagnostic;
use crate::base::files::{Data, OutputFile};
use crate::base::memo::{Key, key_of};
use crate::render::context::{SiteCtx, Urls};
use crate::render::input::TermInput;

pub mod index;
pub mod kept;
mod text;

pub use index::hex;
use index::{Counted, Index, Row};
pub use kept::IndexMemo;
pub use text::{fold, for_each_word, text_of};

/// Renders `/<term>/search/index.html` with the theme's `search.html`.
pub fn page(
    input: &TermInput,
    tera: &tera::Tera,
    urls: &Urls,
    site: &SiteCtx,
) -> Result<OutputFile, Diagnostic> {
    let page = crate::render::input::generated_page(
        input,
        urls,
        "search",
        &input.config.i18n.t("search"),
        &input.config.i18n.f(
            "search_lead",
            &[("term", format!("{} {}", site.code, site.term.name).trim())],
        ),
        &site.search_url,
    );
    let mut ctx = tera::Context::new();
    ctx.insert("page", &page);
    let html = tera.render("search.html", &ctx).map_err(|e| {
        crate::render::templates::template_error(
            &e,
            &input.templates.origins,
            Some(std::path::Path::new("search")),
        )
    })?;
    Ok(OutputFile {
        path: format!("{}/search/index.html", input.term.id),
        data: Data::Bytes(html.into_bytes()),
    })
}

/// One page as the index sees it.
#[derive(Debug, Clone)]
pub struct Record {
    /// The page's URL (site-absolute).
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its section ("Labs"; "Course" for pages at the top).
    pub section: String,
    /// Its text.
    pub text: String,
}

/// How much more a word in a page's title counts than one in its text.
const TITLE_WEIGHT: u32 = 8;

/// One page's words: how often each occurs in its text and title (title words weigh more), and
/// how many words its text has.
fn page_words(text: &str, title: &str) -> (std::collections::HashMap<String, u32>, u32) {
    let mut counts = std::collections::HashMap::new();
    let mut len = 0u32;
    let mut add = |w: &str, weight: u32| match counts.get_mut(w) {
        Some(n) => *n += weight,
        None => {
            counts.insert(w.to_string(), weight);
        }
    };
    for_each_word(text, |w| {
        len += 1;
        add(w, 1);
    });
    for_each_word(title, |w| add(w, TITLE_WEIGHT));
    (counts, len)
}

/// One page as the index is made from it: its record but for the text, and the rendered
/// Markdown the text comes from, with that render's key (`Rendered::key`, 0 without a cache).
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The page's URL (site-absolute).
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its section.
    pub section: String,
    /// Its front matter's description (indexed before its text).
    pub description: &'a str,
    /// Its rendered Markdown (read from the build cache only if the page is counted again).
    pub html: &'a crate::base::lazy_text::LazyText,
    /// The key of everything `html` was made from (0: unknown).
    pub key: Key,
}

/// What a term's index is made from: each page's record but for its text, and the key of the
/// rendered Markdown that text comes from (which stands for the text, unread).
#[derive(Hash)]
struct IndexInput<'a> {
    term_id: &'a str,
    pages: Vec<(&'a str, &'a str, &'a str, &'a str, Key)>,
}

/// What one page's [`Counted`] is made from (the key of [`Row::key`]).
#[derive(Hash)]
struct PageInput<'a> {
    render: Key,
    description: &'a str,
    title: &'a str,
}

/// Counts a page's text (its description, then the text of `html`) and title.
fn count(description: &str, html: &str, title: &str) -> Counted {
    let text = format!("{description} {}", text_of(html));
    let (words, len) = page_words(&text, title);
    Counted {
        text,
        words: words.into_iter().collect(),
        len,
    }
}

/// The index files of a term's pages ([`index`]). With `memo` (a build cache) and every page's
/// render key known: taken from it when no indexed text changed, else the last index patched
/// (only the pages whose text changed are read out of their HTML and counted again).
pub fn index_of(term_id: &str, pages: Vec<Page>, memo: Option<&IndexMemo>) -> Vec<OutputFile> {
    let rows: Vec<Row> = pages
        .iter()
        .map(|p| Row {
            url: &p.url,
            title: &p.title,
            section: &p.section,
            key: key_of(&PageInput {
                render: p.key,
                description: p.description,
                title: &p.title,
            }),
        })
        .collect();
    let count = |i: usize| {
        count(
            pages[i].description,
            pages[i].html.as_str(),
            &pages[i].title,
        )
    };
    let memo = memo.filter(|_| pages.iter().all(|p| p.key != 0));
    let Some(memo) = memo else {
        return Index::make(None, term_id, &rows, count).files;
    };
    let input = IndexInput {
        term_id,
        pages: pages
            .iter()
            .map(|p| (&*p.url, &*p.title, &*p.section, p.description, p.key))
            .collect(),
    };
    let key = key_of(&input);
    if let Some(kept) = memo.memo.get(&term_id.to_string(), key) {
        return kept.files.clone();
    }
    let index = Index::make(memo.take(term_id), term_id, &rows, count);
    memo.put(term_id, key, index).files.clone()
}

/// Whether an output path (`<term>/…`) is a file of a term's search index.
pub fn is_index_file(path: &str) -> bool {
    path.split_once('/')
        .is_some_and(|(_, rest)| rest == "search-index.json" || rest.starts_with("search-index/"))
}

/// The search index of a term's pages, as static files under `<term>/`:
///
/// - `search-index.json`: every page (`[url, title, section, words]`), the average page length
///   and the list of shards;
/// - `search-index/<shard>.json`: for every word of the shard (see [`index::shards`]), the
///   pages it is in and its weight there (`{"word": [page, weight, page, weight, …]}`);
/// - `search-index/text/<page>.txt`: each page's text, for the excerpts of shown results.
///
/// A query fetches the entry, one shard per word typed, and the texts of the results it shows.
pub fn index(term_id: &str, records: Vec<Record>) -> Vec<OutputFile> {
    let rows: Vec<Row> = records
        .iter()
        .map(|r| Row {
            url: &r.url,
            title: &r.title,
            section: &r.section,
            key: 0,
        })
        .collect();
    let count = |i: usize| {
        let (words, len) = page_words(&records[i].text, &records[i].title);
        Counted {
            text: records[i].text.clone(),
            words: words.into_iter().collect(),
            len,
        }
    };
    let files = Index::make(None, term_id, &rows, count).files;
    files
        .into_iter()
        .map(|f| OutputFile {
            data: match f.data {
                Data::Shared(b) => Data::Bytes(Arc::unwrap_or_clone(b)),
                other => other,
            },
            path: f.path,
        })
        .collect()
}

#[cfg(test)]
mod patch_tests;

#[cfg(test)]
mod tests {
    use super::index::{MAX_PREFIX, SHARD_BYTES, prefix, shards};
    use super::*;

    fn record(url: &str, title: &str, text: &str) -> Record {
        Record {
            url: url.into(),
            title: title.into(),
            section: "Labs".into(),
            text: text.into(),
        }
    }

    #[test]
    fn shards_split_by_longer_prefixes_only_when_large() {
        assert_eq!(hex("tr"), "7472");
        assert_eq!(hex("ét"), "c3a974");
        assert_eq!(hex("模"), "e6a8a1");
        // A small index: one shard per first letter.
        let small = shards([("triton", &[0, 1][..]), ("tr", &[1, 1][..])]);
        assert_eq!(small.len(), 1);
        assert_eq!(small[0].0, "t");
        // A large one: "t" words split by two letters, then three; short words stay behind.
        let mut words: Vec<(String, Vec<u32>)> = Vec::new();
        for i in 0..3000 {
            words.push((format!("tr{i}x"), vec![i, 1]));
            words.push((format!("ta{i}"), vec![i, 1]));
        }
        words.push(("tr".into(), vec![0, 1]));
        words.push(("zebra".into(), vec![0, 1]));
        let all: Vec<String> = words.iter().map(|(w, _)| w.clone()).collect();
        let made = shards(words.iter().map(|(w, p)| (w.as_str(), p.as_slice())));
        let keys: Vec<&str> = made.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&"tr") && keys.contains(&"z"), "{keys:?}");
        assert!(
            keys.iter().any(|k| k.starts_with("tr") && k.len() > 2),
            "{keys:?}"
        );
        for (key, ws) in &made {
            let size: usize = ws.iter().map(|(w, p)| w.len() + 6 + p.len() * 5).sum();
            assert!(
                size <= SHARD_BYTES || key.chars().count() == MAX_PREFIX,
                "{key}"
            );
        }
        // Every word is in exactly one shard, and the client's rule (a key that is a prefix of
        // the query word, or starts with it) finds it from any query of 2+ of its letters.
        for w in &all {
            let holders: Vec<&str> = made
                .iter()
                .filter(|(_, ws)| ws.iter().any(|(x, _)| x == w))
                .map(|(k, _)| k.as_str())
                .collect();
            assert_eq!(holders.len(), 1, "{w}");
            for n in 2..=w.chars().count() {
                let q = prefix(w, n);
                assert!(
                    holders[0].starts_with(q) || q.starts_with(holders[0]),
                    "{w} from {q}"
                );
            }
        }
    }

    fn json(files: &[OutputFile], path: &str) -> serde_json::Value {
        let f = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        let Data::Bytes(b) = &f.data else {
            panic!("bytes")
        };
        serde_json::from_slice(b).unwrap()
    }

    #[test]
    fn indexes_every_page_with_weights_and_text() {
        let records = vec![
            record(
                "/t/labs/01/",
                "Autoscaling",
                "Kubernetes autoscaling with quotas and quotas",
            ),
            record(
                "/t/labs/02/",
                "Serving",
                "Triton dynamic batching for autoscaling",
            ),
        ];
        let files = index("t", records);
        let entry = json(&files, "t/search-index.json");
        assert_eq!(entry["version"], 1);
        assert_eq!(
            entry["pages"],
            serde_json::json!([
                ["/t/labs/01/", "Autoscaling", "Labs", 6],
                ["/t/labs/02/", "Serving", "Labs", 5]
            ])
        );
        assert_eq!(entry["average_words"], 5.5);
        // "autoscaling": once in page 0's text plus its title; once in page 1's text.
        // A small index has a shard per first letter ("a" is 61 in hex).
        let a = json(&files, "t/search-index/61.json");
        assert_eq!(
            a["autoscaling"],
            serde_json::json!([0, 1 + TITLE_WEIGHT, 1, 1])
        );
        assert_eq!(a["and"], serde_json::json!([0, 1]));
        let q = json(&files, "t/search-index/71.json");
        assert_eq!(q["quotas"], serde_json::json!([0, 2]));
        // Every shard the entry lists exists, and its words start with the shard's prefix.
        for key in entry["shards"].as_array().unwrap() {
            let key = key.as_str().unwrap();
            let shard = json(&files, &format!("t/search-index/{key}.json"));
            for word in shard.as_object().unwrap().keys() {
                assert!(hex(word).starts_with(key), "{word} in {key}");
            }
        }
        let text = files
            .iter()
            .find(|f| f.path == "t/search-index/text/1.txt")
            .unwrap();
        assert!(matches!(&text.data, Data::Bytes(b) if b.starts_with(b"Triton dynamic")));
    }

    #[test]
    fn an_empty_term_has_an_empty_index() {
        let files = index("t", Vec::new());
        assert_eq!(files.len(), 1);
        let entry = json(&files, "t/search-index.json");
        assert_eq!(entry["pages"], serde_json::json!([]));
        assert_eq!(entry["shards"], serde_json::json!([]));
    }
}
