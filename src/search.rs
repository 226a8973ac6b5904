//! Search: each term gets its own index of its pages and a search page (`/<term>/search/`).
//! The index is a few static files (see [`index`]) split so that a query fetches only the
//! shards of the words typed: search works with no server and no other host, and a reader
//! downloads a few kilobytes per query rather than the whole index.
//!
//! Only a page's own content is indexed (its Markdown output, title and description), never
//! the navigation around it. Matching and ranking happen in the browser
//! (`themes/default/static/search.js`): every query word must match the start of a word of the
//! page, and pages are ranked by BM25 over the weights stored here.

use crate::diagnostics::Diagnostic;
use crate::model::{SiteCtx, Urls};
use crate::render::{Data, OutputFile, TermInput};

/// Renders `/<term>/search/index.html` with the theme's `search.html`.
pub fn page(
    input: &TermInput,
    tera: &tera::Tera,
    urls: &Urls,
    site: &SiteCtx,
) -> Result<OutputFile, Diagnostic> {
    let page = crate::calendar_page::generated_page(
        input,
        urls,
        "search",
        "Search",
        &format!("Search every page of {} {}.", site.code, site.term.name),
        &site.search_url,
    );
    let mut ctx = tera::Context::new();
    ctx.insert("page", &page);
    let html = tera.render("search.html", &ctx).map_err(|e| {
        crate::templates::template_error(
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

/// The length of the tag at the start of `html`; a heading's "#" link to itself counts whole
/// (it is not text of the page).
fn tag_len(html: &str) -> usize {
    let end = if html.starts_with("<a class=\"anchor\"") {
        html.find("</a>").map(|i| i + "</a>".len())
    } else {
        html.find('>').map(|i| i + 1)
    };
    end.unwrap_or(html.len())
}

/// The text of rendered HTML: tags dropped, the five entities Markdown output uses decoded.
/// (The index is built from the pages' own Markdown output, not from the themed pages, so
/// navigation never matches and nothing has to be parsed twice.)
pub fn text_of(html: &str) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(html.len() / 2);
    // Whether a space is due before the next visible character (tags and runs of white space
    // become one space; none at either end).
    let mut space = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        let shown = match c {
            '<' => {
                len = tag_len(rest);
                None
            }
            '&' => match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, ch)) => {
                    len = e.len();
                    Some(*ch)
                }
                None => Some('&'),
            },
            c if c.is_whitespace() => None,
            c => Some(c),
        };
        match shown {
            Some(ch) => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(ch);
            }
            None => space = true,
        }
        rest = &rest[len..];
    }
    out
}

/// How much more a word in a page's title counts than one in its text.
const TITLE_WEIGHT: u32 = 8;
/// Words longer than this are not indexed (hashes, encoded data, long identifiers).
const MAX_WORD: usize = 40;

/// Whether `c` is written without spaces between words (Chinese, Japanese): each such
/// character is a word of its own. The search page's script uses the same ranges.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Calls `f` with every word of `text` the index holds, in order: lowercase runs of letters and
/// digits of at least two characters, and single Chinese or Japanese characters. The search
/// page splits a query the same way (`search.js`), so both sides agree on what a word is.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    let mut emit = |run: &str, f: &mut dyn FnMut(&str)| {
        if run.len() > MAX_WORD * 4 || run.chars().nth(1).is_none() {
            return;
        }
        lower.clear();
        if run.is_ascii() {
            lower.push_str(run);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&run.to_lowercase());
        }
        if lower.len() <= MAX_WORD || lower.chars().count() <= MAX_WORD {
            f(&lower);
        }
    };
    let mut start = None;
    for (i, c) in text.char_indices() {
        if unspaced(c) {
            if let Some(s) = start.take() {
                emit(&text[s..i], &mut f);
            }
            f(&text[i..i + c.len_utf8()]);
        } else if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            emit(&text[s..i], &mut f);
        }
    }
    if let Some(s) = start {
        emit(&text[s..], &mut f);
    }
}

/// The shard a word is kept in: the hex of the UTF-8 bytes of its first two characters. Every
/// word a query word is a prefix of is in the query word's shard.
pub fn shard_of(word: &str) -> String {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    word.as_bytes()[..end]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One page's words: how often each occurs (title words weigh more) and how many there are.
fn page_words(r: &Record) -> (std::collections::HashMap<String, u32>, u32) {
    let mut counts = std::collections::HashMap::new();
    let mut len = 0u32;
    let mut add = |w: &str, weight: u32| match counts.get_mut(w) {
        Some(n) => *n += weight,
        None => {
            counts.insert(w.to_string(), weight);
        }
    };
    for_each_word(&r.text, |w| {
        len += 1;
        add(w, 1);
    });
    for_each_word(&r.title, |w| add(w, TITLE_WEIGHT));
    (counts, len)
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
/// - `search-index/<shard>.json`: for every word of the shard, the pages it is in and its
///   weight there (`{"word": [page, weight, page, weight, …]}`);
/// - `search-index/text/<page>.txt`: each page's text, for the excerpts of shown results.
///
/// A query fetches the entry, one shard per word typed, and the texts of the results it shows.
pub fn index(term_id: &str, records: Vec<Record>) -> Vec<OutputFile> {
    use rayon::prelude::*;
    use std::collections::{BTreeMap, HashMap};
    let counted: Vec<(HashMap<String, u32>, u32)> = records.par_iter().map(page_words).collect();
    let lens: Vec<u32> = counted.iter().map(|(_, len)| *len).collect();
    let mut words: HashMap<String, Vec<u32>> = HashMap::new();
    for (page, (counts, _)) in counted.into_iter().enumerate() {
        for (word, weight) in counts {
            let postings = words.entry(word).or_default();
            postings.push(page as u32);
            postings.push(weight);
        }
    }
    let mut shards: BTreeMap<String, Vec<(String, Vec<u32>)>> = BTreeMap::new();
    for (word, postings) in words {
        shards
            .entry(shard_of(&word))
            .or_default()
            .push((word, postings));
    }
    let total: u64 = lens.iter().map(|l| u64::from(*l)).sum();
    let average = if records.is_empty() {
        0.0
    } else {
        total as f64 / records.len() as f64
    };
    let pages: Vec<serde_json::Value> = records
        .iter()
        .zip(&lens)
        .map(|(r, len)| serde_json::json!([r.url, r.title, r.section, len]))
        .collect();
    let entry = serde_json::json!({
        "version": 1,
        "pages": pages,
        "average_words": (average * 10.0).round() / 10.0,
        "shards": shards.keys().collect::<Vec<_>>(),
    });
    let mut files = vec![OutputFile {
        path: format!("{term_id}/search-index.json"),
        data: Data::Bytes(entry.to_string().into_bytes()),
    }];
    files.par_extend(shards.into_par_iter().map(|(key, mut words)| {
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let words: BTreeMap<String, Vec<u32>> = words.into_iter().collect();
        OutputFile {
            path: format!("{term_id}/search-index/{key}.json"),
            data: Data::Bytes(serde_json::to_vec(&words).unwrap_or_default()),
        }
    }));
    files.par_extend(
        records
            .into_par_iter()
            .enumerate()
            .map(|(i, r)| OutputFile {
                path: format!("{term_id}/search-index/text/{i}.txt"),
                data: Data::Bytes(r.text.into_bytes()),
            }),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, title: &str, text: &str) -> Record {
        Record {
            url: url.into(),
            title: title.into(),
            section: "Labs".into(),
            text: text.into(),
        }
    }

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn text_drops_tags_and_decodes() {
        assert_eq!(
            text_of("<p>a &lt;b&gt; <code>x &amp; y</code></p>"),
            "a <b> x & y"
        );
        assert_eq!(
            text_of(r##"<h2 id="b">Batching<a class="anchor" href="#b">#</a></h2><p>Next</p>"##),
            "Batching Next"
        );
    }

    #[test]
    fn words_are_lowercase_runs_of_letters_and_digits() {
        assert_eq!(
            words("Deploy Triton's model_v2 to k8s: 3 GPUs, ÉTÉ Οδός!"),
            [
                "deploy", "triton", "model", "v2", "to", "k8s", "gpus", "été", "οδός"
            ]
        );
        // One-letter words are left out; Chinese and Japanese characters are words of their own.
        assert_eq!(words("a b 模型部署 x"), ["模", "型", "部", "署"]);
        assert_eq!(words("ab日本cd"), ["ab", "日", "本", "cd"]);
        // Very long runs (hashes, encoded data) are not words anyone searches for.
        assert!(words(&"f".repeat(41)).is_empty());
        assert_eq!(words(&"f".repeat(40)).len(), 1);
    }

    #[test]
    fn shards_are_keyed_by_the_first_two_characters() {
        assert_eq!(shard_of("triton"), "7472");
        assert_eq!(shard_of("tr"), "7472");
        assert_eq!(shard_of("été"), "c3a974");
        assert_eq!(shard_of("模"), "e6a8a1");
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
        let au = json(&files, "t/search-index/6175.json");
        assert_eq!(
            au["autoscaling"],
            serde_json::json!([0, 1 + TITLE_WEIGHT, 1, 1])
        );
        assert_eq!(au.as_object().unwrap().len(), 1, "{au}");
        let an = json(&files, "t/search-index/616e.json");
        assert_eq!(an["and"], serde_json::json!([0, 1]));
        let qu = json(&files, "t/search-index/7175.json");
        assert_eq!(qu["quotas"], serde_json::json!([0, 2]));
        // Every shard the entry lists exists, and every word is in the shard its name says.
        for key in entry["shards"].as_array().unwrap() {
            let shard = json(
                &files,
                &format!("t/search-index/{}.json", key.as_str().unwrap()),
            );
            for word in shard.as_object().unwrap().keys() {
                assert_eq!(&shard_of(word), key);
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
