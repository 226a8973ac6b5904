//! Files at the root of public/: the redirect to the current term, 404.html, sitemap.xml,
//! versions.json, the code stylesheet and every static file of the theme and the course.

use std::collections::BTreeMap;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{Data, OutputFile};
use crate::load::config::Config;
use crate::render::context::{SiteCtx, VersionLink};
use crate::render::markdown::escape_attr;
use crate::render::templates::{Source, Templates};

/// What the files at the root of the site are made from.
#[derive(Clone, Copy)]
pub struct RootInput<'a> {
    /// The current course.
    pub config: &'a Config,
    /// Its templates (404 page) and theme static files.
    pub templates: &'a Templates,
    /// The code colour schemes (syntax.css).
    pub schemes: &'a crate::render::highlight::Schemes,
    /// The current term's site context (404 page, redirect).
    pub site: &'a SiteCtx,
    /// Every page URL (sitemap).
    pub page_urls: &'a [String],
    /// Every published term (versions.json).
    pub versions: &'a [VersionLink],
}

/// The root files of the site: the generated ones, then the static files of the theme and the
/// course (the course's win on the same path) outside the folders of the terms.
pub fn site_files(input: &RootInput, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let mut files = generated_files(input, diags);
    let statics = static_files(input.config, input.templates, diags);
    files.extend(outside_term_folders(statics, input, diags));
    files
}

/// The files semester writes itself: the redirect, versions.json, sitemap.xml (with an
/// absolute base URL), 404.html (a template error is reported) and syntax.css.
fn generated_files(input: &RootInput, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let RootInput {
        config,
        templates,
        schemes,
        site,
        page_urls,
        versions,
    } = *input;
    let mut files = vec![
        OutputFile {
            path: "index.html".into(),
            data: Data::Bytes(redirect(config, site).into_bytes()),
        },
        OutputFile {
            path: "versions.json".into(),
            data: Data::Bytes(versions_json(versions, &config.source)),
        },
    ];
    // sitemaps.org requires absolute URLs: without a scheme and host there is no sitemap
    // (`check` says so).
    if let Some(origin) = crate::render::context::absolute_origin(&config.base_url) {
        files.push(OutputFile {
            path: "sitemap.xml".into(),
            data: Data::Bytes(sitemap(&origin, page_urls).into_bytes()),
        });
    }
    match not_found(templates, site, &config.i18n.t("not_found")) {
        Ok(html) => files.push(OutputFile {
            path: "404.html".into(),
            data: Data::Bytes(html.into_bytes()),
        }),
        Err(d) => diags.push(d),
    }
    files.push(OutputFile {
        path: "syntax.css".into(),
        data: Data::Bytes(schemes.stylesheet().into_bytes()),
    });
    files
}

/// The theme's static files, then the course's static/ (which wins on the same path), by site
/// path. Files the fence refuses are reported.
fn static_files(
    config: &Config,
    templates: &Templates,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Data> {
    let mut statics: BTreeMap<String, Data> = BTreeMap::new();
    for (path, src) in &templates.statics {
        let data = match src {
            Source::Embedded(b) => Data::Static(b),
            Source::File(p) => Data::Copy(p.clone()),
        };
        statics.insert(path.clone(), data);
    }
    let (own, errors) = config
        .fence()
        .files_below(&config.root.join("static"), crate::base::fence::Cap::File);
    errors.into_iter().for_each(|d| diags.push(d));
    for (rel, path) in own {
        statics.insert(rel, Data::Copy(path));
    }
    statics
}

/// The static files as output files, but those that would land in the folder of a term
/// (reported: the folders of the terms belong to semester whole). A file that lands on a
/// generated one is reported with both names by `reserved`.
fn outside_term_folders(
    statics: BTreeMap<String, Data>,
    input: &RootInput,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let RootInput {
        config,
        site,
        versions,
        ..
    } = *input;
    let mut files = Vec::new();
    for (path, data) in statics {
        let top = path.split('/').next().unwrap_or("");
        if top == site.term.id || versions.iter().any(|v| v.id == top) {
            let shown = match &data {
                Data::Copy(p) => crate::base::diagnostics::display_path(&config.root, p),
                _ => format!("<built-in theme>/static/{path}").into(),
            };
            diags.push(
                Diagnostic::error(
                    shown,
                    1,
                    1,
                    format!("this static file would be published inside the term folder `{top}/`"),
                )
                .with_hint("rename it or move it; the folder of each term belongs to semester"),
            );
            continue;
        }
        files.push(OutputFile { path, data });
    }
    files
}

fn redirect(config: &Config, site: &SiteCtx) -> String {
    let url = escape_attr(&site.home_url);
    let title = escape_attr(&config.course.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<script>location.replace({json_url} + location.search + location.hash)</script>\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{url}\">\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{current} <a href=\"{url}\">{term}</a></p>\n</main>\n</body>\n</html>\n",
        lang = escape_attr(&config.language),
        dir = if site.dir == "rtl" {
            " dir=\"rtl\""
        } else {
            ""
        },
        current = config.i18n.html("current_term_label", None, &[]),
        term = escape_attr(&site.term.name),
        // A JSON string is a JavaScript string; `<` escaped so it cannot end the script.
        json_url = serde_json::to_string(&site.home_url)
            .unwrap_or_else(|_| "\"/\"".into())
            .replace('<', "\\u003c"),
    )
}

fn not_found(templates: &Templates, site: &SiteCtx, title: &str) -> Result<String, Diagnostic> {
    let page = serde_json::json!({
        "kind": "404", "title": title, "description": "", "section": "", "section_title": "",
        "section_url": "", "url": format!("{}404.html", site.root_url), "nav_key": "", "content": "", "toc": [],
        "show_toc": false, "breadcrumbs": [], "prev": null, "next": null, "pages": [],
        "dates": {"sessions": [], "release": null, "due": null}, "notebook_url": "", "notebook_launch_url": "",
        "extra": {}, "alternates": site.versions,
    });
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("page", &page);
    templates.tera.render("404.html", &ctx).map_err(|e| {
        crate::render::templates::template_error(
            &e,
            &templates.origins,
            Some(std::path::Path::new("404.html")),
        )
    })
}

/// The sitemap of the published pages (`page_urls`: site paths), on `origin` (`https://host`).
fn sitemap(host: &str, page_urls: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut urls: Vec<&String> = page_urls.iter().collect();
    urls.sort();
    for u in urls {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape_attr(&format!("{host}{u}"))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// An entry of versions.json.
#[derive(serde::Serialize)]
struct VersionEntry<'a> {
    #[serde(flatten)]
    link: &'a VersionLink,
    /// The current term's: the fingerprint of the course.yaml it was built with.
    #[serde(skip_serializing_if = "Option::is_none")]
    course_yaml: Option<BTreeMap<String, String>>,
}

/// versions.json: every published term; the current one also carries the fingerprint of the
/// course.yaml it was built with, which `semester freeze` compares with course.yaml as it is.
fn versions_json(versions: &[VersionLink], course_yaml: &str) -> Vec<u8> {
    let list: Vec<VersionEntry> = versions
        .iter()
        .map(|link| VersionEntry {
            link,
            course_yaml: link
                .current
                .then(|| crate::load::published::fingerprint(course_yaml)),
        })
        .collect();
    let mut v = serde_json::to_vec_pretty(&list).unwrap_or_else(|_| b"[]".to_vec());
    v.push(b'\n');
    v
}
