//! Search: each term gets its own Pagefind index of its rendered pages (`/<term>/pagefind/`)
//! and a search page (`/<term>/search/`). Pagefind splits the index into small chunks that the
//! browser fetches on demand from the site itself, so search works with no server and no other
//! host, and costs a reader a few kilobytes per query rather than the whole index.
//!
//! Only the part of a page the theme marks `data-pagefind-body` is indexed (the article, not the
//! navigation), with the page's section as `data-pagefind-meta`.

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

/// The text of rendered HTML: tags dropped, the five entities Markdown output uses decoded.
/// (The index is built from the pages' own Markdown output, not from the themed pages, so
/// navigation never matches and nothing has to be parsed twice.)
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Pagefind index of a term's pages, as files under `<term>/pagefind/`.
pub fn index(term_id: &str, language: &str, records: &[Record]) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    let built = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))?;
        for r in records {
            let meta = [
                ("title".to_string(), r.title.clone()),
                ("section".to_string(), r.section.clone()),
            ]
            .into_iter()
            .collect();
            index
                .add_custom_record(
                    r.url.clone(),
                    r.text.clone(),
                    language.to_string(),
                    Some(meta),
                    None,
                    None,
                )
                .await?;
        }
        index.get_files().await
    });
    let built = built.map_err(|e| format!("the search index could not be built: {e}"))?;
    Ok(built
        .into_iter()
        // The ready-made UI and the playground: our theme has its own search page.
        .filter(|f| {
            let name = f.filename.to_string_lossy();
            !name.starts_with("pagefind-ui")
                && !name.starts_with("pagefind-modular-ui")
                && !name.starts_with("pagefind-component-ui")
                && !name.starts_with("playground")
        })
        .map(|f| {
            let rel = f
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            OutputFile {
                path: format!("{term_id}/pagefind/{rel}"),
                data: Data::Bytes(f.contents),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, text: &str) -> Record {
        Record {
            url: url.into(),
            title: "A lab".into(),
            section: "Labs".into(),
            text: text.into(),
        }
    }

    #[test]
    fn text_drops_tags_and_decodes() {
        assert_eq!(
            text_of("<p>a &lt;b&gt; <code>x &amp; y</code></p>"),
            "a <b> x & y"
        );
    }

    #[test]
    fn indexes_every_record() {
        let records = vec![
            record("/t/labs/01/", "Kubernetes autoscaling with quotas"),
            record("/t/labs/02/", "Triton dynamic batching"),
        ];
        let out = index("t", "en", &records).unwrap();
        assert!(out.iter().any(|f| f.path == "t/pagefind/pagefind.js"));
        assert!(out.iter().any(|f| f.path.starts_with("t/pagefind/index/")));
        assert!(
            out.iter()
                .any(|f| f.path.starts_with("t/pagefind/fragment/"))
        );
        assert!(out.iter().all(|f| !f.path.contains("pagefind-ui")));
        let entry = out
            .iter()
            .find(|f| f.path == "t/pagefind/pagefind-entry.json")
            .unwrap();
        let Data::Bytes(b) = &entry.data else {
            panic!("bytes")
        };
        let v: serde_json::Value = serde_json::from_slice(b).unwrap();
        assert_eq!(v["languages"]["en"]["page_count"], 2, "{v}");
    }
}
