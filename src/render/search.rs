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

pub use index::hex;
use index::{Counted, Index, Row};
pub use kept::IndexMemo;

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

/// Elements that do not break a word: the text on both sides of their tags runs on
/// (`<span>curl</span> <span>-</span><span>sSL</span>` is `curl -sSL`).
const INLINE: [&str; 20] = [
    "a", "abbr", "b", "bdi", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup",
];

/// The length of the tag at the start of `html`, and whether it separates words; a heading's
/// "#" link to itself and a footnote's "↩" link back to its mark count whole (they are not text
/// of the page).
fn tag_at(html: &str) -> (usize, bool) {
    if html.starts_with("<a class=\"anchor\"") || html.starts_with("<a class=\"footnote-backref\"")
    {
        return (
            html.find("</a>").map_or(html.len(), |i| i + "</a>".len()),
            true,
        );
    }
    if let Some(comment) = html.strip_prefix("<!--") {
        // A comment is not text, whatever it holds (`<!-- <b>answer</b> -->`).
        let len = comment
            .find("-->")
            .map_or(html.len(), |i| i + "<!---->".len());
        return (len, true);
    }
    let len = html.find('>').map_or(html.len(), |i| i + 1);
    let name = html[1..len]
        .trim_start_matches('/')
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    (len, !INLINE.contains(&name.as_str()))
}

/// The TeX of a `<math>` element at the start of `html` (its annotation) and the element's
/// length: a formula is indexed once, as its author wrote it, not as MathML tokens.
fn math_at(html: &str) -> (&str, usize) {
    let len = html
        .find("</math>")
        .map_or(html.len(), |i| i + "</math>".len());
    let inner = &html[..len];
    let tex = inner
        .find("<annotation")
        .and_then(|i| {
            let from = i + inner[i..].find('>')? + 1;
            Some(&inner[from..from + inner[from..].find("</annotation>")?])
        })
        .unwrap_or("");
    (tex, len)
}

/// The character reference at the start of `html` (`&eacute;`, `&#233;`, `&#xE9;`) decoded,
/// with its length; `None` for a lone `&`.
fn entity_at(html: &str) -> Option<(String, usize)> {
    let end = html.char_indices().take(40).find(|(_, c)| *c == ';')?.0 + 1;
    let name = &html[1..end - 1];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#') {
        return None;
    }
    let decoded = html_escape::decode_html_entities(&html[..end]);
    (decoded != html[..end]).then(|| (decoded.into_owned(), end))
}

/// The text of rendered HTML: tags dropped (block tags separate words, inline ones do not),
/// character references decoded, math as its TeX. (The index is built from the pages' own
/// Markdown output, not from the themed pages, so navigation never matches and nothing has to
/// be parsed twice.)
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    // Whether a space is due before the next visible character (block tags and runs of white
    // space become one space; none at either end).
    let mut space = false;
    let mut rest = html;
    let push = |out: &mut String, text: &str, space: &mut bool| {
        for ch in text.chars() {
            if ch.is_whitespace() {
                *space = true;
                continue;
            }
            if *space && !out.is_empty() {
                out.push(' ');
            }
            *space = false;
            out.push(ch);
        }
    };
    while let Some(c) = rest.chars().next() {
        let len = match c {
            '<' if rest.starts_with("<math") => {
                let (tex, len) = math_at(rest);
                space = true;
                push(
                    &mut out,
                    &html_escape::decode_html_entities(tex),
                    &mut space,
                );
                space = true;
                len
            }
            '<' => {
                let (len, breaks) = tag_at(rest);
                space |= breaks;
                len
            }
            '&' => match entity_at(rest) {
                Some((text, len)) => {
                    push(&mut out, &text, &mut space);
                    len
                }
                None => {
                    push(&mut out, "&", &mut space);
                    1
                }
            },
            c => {
                push(&mut out, c.encode_utf8(&mut [0; 4]), &mut space);
                c.len_utf8()
            }
        };
        rest = &rest[len..];
    }
    out
}

/// The form of text that search compares: Unicode NFC, lowercase, without diacritics (the
/// accents of the canonical decomposition dropped, see [`is_diacritic`], so `modèles`,
/// `modeles` and a decomposed `mode\u{300}les` are one word, and Turkish `İ` is `i`), final
/// sigma as `σ`, Turkish dotless `ı` as `i`, German `ß` as `ss`. `search.js` folds a query the
/// same way: `s.toLowerCase().normalize("NFD").replace(DIACRITICS, "").replace(/ς/g, "σ")
/// .replace(/ı/g, "i").normalize("NFC").replace(/ß/g, "ss")`.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.to_lowercase()
        .nfd()
        .filter(|c| !is_diacritic(*c))
        .map(|c| match c {
            'ς' => 'σ',
            // Turkish dotless ı: `IŞIK` lowercases to `isik`, so `ışık` must meet it there.
            'ı' => 'i',
            c => c,
        })
        .nfc()
        .collect::<String>()
        // German `ß` is `ss` (as Swiss German writes it, and as `STRASSE` lowercases).
        .replace('ß', "ss")
}

/// Whether `c` is a mark that search folds away: accents of Latin, Greek and Cyrillic (the
/// combining diacritical blocks), Hebrew points, Arabic harakat. Never the vowel signs of
/// Devanagari, Thai and the like: `काम` (work) and `कम` (less) stay two words. `search.js`
/// folds the same ranges (`DIACRITICS`).
fn is_diacritic(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
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

/// Calls `f` with every word of `text` the index holds, in order: runs of letters and digits
/// of at least two characters, and single Chinese or Japanese characters, all [`fold`]ed. The
/// search page splits a query the same way (`search.js`), so both sides agree on what a word
/// is.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let folded = fold(text);
    let text = folded.as_str();
    let emit = |run: &str, f: &mut dyn FnMut(&str)| {
        if run.len() > MAX_WORD * 4 || run.chars().nth(1).is_none() {
            return;
        }
        if run.len() <= MAX_WORD || run.chars().count() <= MAX_WORD {
            f(run);
        }
    };
    let mut start = None;
    for (i, c) in text.char_indices() {
        if unspaced(c) {
            if let Some(s) = start.take() {
                emit(&text[s..i], &mut f);
            }
            f(&text[i..i + c.len_utf8()]);
        } else if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
            // A mark that is left (a Devanagari virama) belongs to its word.
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            emit(&text[s..i], &mut f);
        }
    }
    if let Some(s) = start {
        emit(&text[s..], &mut f);
    }
}

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
        assert_eq!(
            text_of("<p>Shown</p><!-- TA: <b>the answer</b> is 42 -> x --><p>too</p>"),
            "Shown too"
        );
    }

    #[test]
    fn text_keeps_code_spacing_decodes_every_entity_and_takes_math_once() {
        assert_eq!(
            text_of(
                r#"<pre><code><span class="a">curl</span> <span class="b">-</span><span class="c">sSL</span> x</code></pre><p>next</p>"#
            ),
            "curl -sSL x next"
        );
        assert_eq!(
            text_of("<p>Caf&eacute; cr&#232;me &amp; th&#xE9; &nope; AT&T</p>"),
            "Café crème & thé &nope; AT&T"
        );
        assert_eq!(
            text_of(
                r#"<p>Loss <math display="inline"><semantics><mrow><mi>ℒ</mi></mrow><annotation encoding="application/x-tex">\mathcal{L} &lt; 1</annotation></semantics></math>, done</p>"#
            ),
            r"Loss \mathcal{L} < 1 , done"
        );
    }

    #[test]
    fn folding_drops_case_diacritics_and_decomposition() {
        assert_eq!(fold("Modèles"), "modeles");
        assert_eq!(fold("Se\u{301}curite\u{301}"), "securite");
        assert_eq!(fold("İstanbul IŞIK"), "istanbul isik");
        assert_eq!(fold("ışık Işık"), "isik isik");
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
        assert_eq!(fold("Straße ÆON"), "strasse æon");
        assert_eq!(words("Réseaux, SÉCURITÉ"), ["reseaux", "securite"]);
        // Arabic harakat and Hebrew points fold away; Hindi's vowel signs are letters.
        assert_eq!(words("مُحَاضَرَة محاضرة"), ["محاضرة", "محاضرة"]);
        assert_eq!(words("שָׁלוֹם שלום"), ["שלום", "שלום"]);
        assert_eq!(words("काम कम क्या"), ["काम", "कम", "क्या"]);
    }

    #[test]
    fn words_are_lowercase_runs_of_letters_and_digits() {
        assert_eq!(
            words("Deploy Triton's model_v2 to k8s: 3 GPUs, ÉTÉ Οδός!"),
            [
                "deploy", "triton", "model", "v2", "to", "k8s", "gpus", "ete", "οδοσ"
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
