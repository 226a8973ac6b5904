//! A page's text as the index reads it (its HTML without tags, entities decoded, math once)
//! and its words, folded the way the search page's script folds a query (`search.js`).

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
