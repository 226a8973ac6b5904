//! The renderer's tests: the HTML and the diagnostics of small pages.

use super::math::mrow_attributes_to_mstyle;
use super::*;

#[test]
fn mrow_with_attributes_becomes_mstyle() {
    let m = "<math><mrow displaystyle=\"false\"><mrow><mi>a</mi></mrow><mfrac><mi>b</mi></mfrac></mrow><mrow><mi>c</mi></mrow></math>";
    assert_eq!(
        mrow_attributes_to_mstyle(m),
        "<math><mstyle displaystyle=\"false\"><mrow><mi>a</mi></mrow><mfrac><mi>b</mi></mfrac></mstyle><mrow><mi>c</mi></mrow></math>"
    );
}

fn site() -> (HashMap<String, String>, HashMap<String, String>) {
    let mut pages = HashMap::new();
    pages.insert(
        "labs/01-setup.md".to_string(),
        "/t/labs/01-setup/".to_string(),
    );
    pages.insert("labs/_index.md".to_string(), "/t/labs/".to_string());
    pages.insert("syllabus.md".to_string(), "/t/syllabus/".to_string());
    pages.insert("_index.md".to_string(), "/t/".to_string());
    let mut assets = HashMap::new();
    assets.insert(
        "labs/img/a.png".to_string(),
        "/t/labs/img/a.png".to_string(),
    );
    (pages, assets)
}

fn md(rel: &str, body: &str) -> Rendered {
    let (pages, assets) = site();
    let theme = ["sm-main".to_string()];
    let schemes = highlight::Schemes::named("Coldark-Cold", "Coldark-Dark").unwrap();
    let links = SiteLinks {
        macros: &Default::default(),
        pages: &pages,
        assets: &assets,
        math: true,
        code: Some(&schemes),
        theme_ids: &theme,
        i18n: &crate::base::i18n::I18n::new("en", Default::default(), None),
        facts: &crate::render::facts::Facts::default(),
    };
    let src = Source {
        path: Path::new("content/x.md"),
        rel,
        body,
        body_line: 5,
        title: "The page",
    };
    render(&src, &links)
}

#[test]
fn relative_md_links_become_page_urls() {
    let r = md(
        "topics/01.md",
        "[a](../labs/01-setup.md#part-2) [b](../syllabus.md) [c](../labs/) [d](https://x.org/a.md)",
    );
    assert!(
        r.html.contains("href=\"/t/labs/01-setup/#part-2\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"/t/syllabus/\""));
    assert!(r.html.contains("href=\"/t/labs/\""));
    assert!(r.html.contains("href=\"https://x.org/a.md\""));
    assert_eq!(r.anchors[0].target, "labs/01-setup.md");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

/// A moved Jekyll course links pages by their old addresses: each form names the page.
#[test]
fn old_site_addresses_of_pages_become_page_urls() {
    let r = md(
        "topics/01.md",
        "[a]({{ site.baseurl }}/syllabus/) [b]({{ site.baseurl }}/syllabus.html#x) [c]({{ '/labs/01-setup/' | relative_url }}) [d](../syllabus) [e]({{ site.baseurl }}/labs/) [f](../labs/01-setup/index.html?v=1)",
    );
    let hrefs: Vec<&str> = r
        .html
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .collect();
    assert_eq!(
        hrefs,
        [
            "/t/syllabus/",
            "/t/syllabus/#x",
            "/t/labs/01-setup/",
            "/t/syllabus/",
            "/t/labs/",
            "/t/labs/01-setup/?v=1"
        ]
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let r = md("topics/01.md", "[a]({{ site.baseurl }}/nowhere/)");
    assert_eq!(
        r.diagnostics[0].message,
        "link to a missing page `../nowhere/`"
    );
}

#[test]
fn missing_pages_and_files_are_errors_with_lines() {
    let r = md(
        "topics/01.md",
        "text\n\n[a](../labs/01-setpu.md)\n\n![x](../labs/img/b.png)",
    );
    let msgs: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str(), d.hint.clone()))
        .collect();
    assert_eq!(msgs[0].0, 7);
    assert_eq!(msgs[0].2, "link to a missing page `../labs/01-setpu.md`");
    assert_eq!(
        msgs[0].3.as_deref(),
        Some("did you mean `../labs/01-setup.md`?")
    );
    assert_eq!(
        (msgs[1].0, msgs[1].2),
        (9, "image `../labs/img/b.png` does not exist")
    );
    let r = md("topics/01.md", "[up](../../x.md)");
    assert_eq!(
        r.diagnostics[0].message,
        "link `../../x.md` points outside content/"
    );
}

#[test]
fn assets_beside_pages_resolve() {
    let r = md("labs/01-setup.md", "![plot](img/a.png)");
    assert!(r.html.contains("src=\"/t/labs/img/a.png\""), "{}", r.html);
}

#[test]
fn headings_get_unique_github_ids_and_anchors() {
    let r = md(
        "a.md",
        "## Part 2: Build it!\n\n## Part 2: Build it!\n\n### Custom {#my-id}\n",
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["part-2-build-it", "part-2-build-it-1", "my-id"]);
    assert!(r.html.contains(
        "<h2 id=\"part-2-build-it\">Part 2: Build it!<a class=\"anchor\" href=\"#part-2-build-it\""
    ));
}

#[test]
fn alerts_tables_footnotes_tasks_strikethrough() {
    let r = md(
        "a.md",
        "> [!WARNING]\n> Delete your lease.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1]\n\n[^1]: note\n\n- [x] done\n\n~~old~~\n",
    );
    assert!(
        r.html
            .contains("<div class=\"markdown-alert markdown-alert-warning\">"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<p class=\"markdown-alert-title\">Warning</p>")
    );
    assert!(r.html.contains("<table>"));
    assert!(
        r.html.contains("<section class=\"footnotes\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("<del>old</del>"));
}

#[test]
fn math_becomes_mathml_and_bad_math_is_an_error() {
    let r = md(
        "a.md",
        "Speedup $S = \\frac{1}{(1-p) + p/n}$ and\n\n$$\n\\sum_{i=1}^n i\n$$\n",
    );
    assert!(r.html.contains("<math"), "{}", r.html);
    assert!(r.html.contains("display=\"block\""), "{}", r.html);
    let r = md("a.md", "bad $\\frac{1}$ math");
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert!(
        r.diagnostics[0]
            .message
            .starts_with("this math does not parse")
    );
}

/// Math nested past the limit is one error, found before the LaTeX parser runs; deep but
/// sane math and escaped braces pass.
#[test]
fn deep_math_is_refused_quickly() {
    let deep = format!("x ${}y{}$", "{".repeat(100_000), "}".repeat(100_000));
    let t = std::time::Instant::now();
    let r = md("a.md", &deep);
    assert!(t.elapsed().as_secs() < 2, "{:?}", t.elapsed());
    let msgs: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        [(5, 3, "this math nests groups more than 64 levels deep")]
    );
    assert!(math_too_deep(&"\\left(".repeat(65)));
    assert!(!math_too_deep(&format!(
        "{}x{}",
        "{".repeat(64),
        "}".repeat(64)
    )));
    assert!(!math_too_deep(&"\\{".repeat(1000)));
    assert!(!math_too_deep(&"{x}".repeat(10_000)));
}

#[test]
fn dollar_amounts_stay_text_as_pandoc_reads_them() {
    let r = md(
        "a.md",
        "between $5-$10 per hour, $20 and $30, costs $5.\n\nCost ($5) or ($10); $5/$10; US$5 and US$10; $x$ stays $5-$6 math $y$.\n",
    );
    assert_eq!(r.html.matches("<math").count(), 2, "{}", r.html);
    assert!(r.html.starts_with("<p>between $5-$10 per hour, $20 and $30, costs $5.</p>\n<p>Cost ($5) or ($10); $5/$10; US$5 and US$10; <math"), "{}", r.html);
    assert!(
        r.html.contains("</math> stays $5-$6 math <math"),
        "{}",
        r.html
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn math_that_looks_like_money_is_warned_about_where_it_is() {
    let r = md(
        "a.md",
        "Fine: $x$.\n\nTickets cost $5 per student or US$ 7 at the door.\n",
    );
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        d,
        [(
            7,
            14,
            "`$5 per student or US$` is shown as math but looks like an amount of money"
        )]
    );
}

#[test]
fn math_errors_name_the_command_at_its_own_line_and_column() {
    let r = md(
        "a.md",
        "Weights $\\bm{w}$ and $\\vect{w}$.\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= \\boxed{d} + \\mathsf{Q} \\llbracket x\n\\end{aligned}\n$$\n",
    );
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        d,
        [
            (5, 23, "the math command `\\vect` is not supported"),
            (10, 29, "the math command `\\llbracket` is not supported"),
        ]
    );
    assert_eq!(r.html.matches("<math").count(), 1, "{}", r.html);
}

#[test]
fn code_is_highlighted_and_unknown_languages_warned() {
    let r = md("a.md", "```python\nx = 1\n```\n\n```klingon\nqapla\n```\n");
    assert!(r.html.contains("<pre class=\"code\" data-lang=\"python\""));
    assert!(r.html.contains("<span class=\"l"), "{}", r.html);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(
        r.diagnostics[0].severity,
        crate::base::diagnostics::Severity::Warning
    );
}

#[test]
fn footnote_marks_without_a_note_are_warned_outside_code() {
    let r = md(
        "a.md",
        "Text[^gone] and `[^code]`.\n\n```\nx[^block]\n```\n\nA [^kept].\n\n[^kept]: Here.\n",
    );
    let msgs: Vec<(usize, usize, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        [(
            5,
            5,
            "`[^gone]` looks like a footnote mark, but the page has no note `[^gone]:`; it is shown as written"
        )]
    );
}

#[test]
fn raw_html_ids_are_ids_of_the_page() {
    let r = md(
        "a.md",
        "## Intro\n\n<a id=\"intro\"></a><span id=\"old anchor\"></span>\n\n[x](#old%20anchor)\n",
    );
    let msgs: Vec<(usize, usize, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        [
            (
                7,
                29,
                "the id `old anchor` contains a space, which HTML does not allow in an id"
            ),
            (
                5,
                1,
                "heading `Intro` gets the id `intro-1`: the id `intro` is written on line 7"
            ),
        ]
    );
    assert_eq!(r.anchors[0].anchor, "old anchor");
    assert!(r.ids.contains(&"old anchor".to_string()));
    assert!(r.ids.contains(&"sm-main".to_string()));
}

#[test]
fn fences_written_as_pandoc_and_quarto_do_name_their_language() {
    for (info, lang) in [
        ("python", "python"),
        ("Python {.numbered}", "python"),
        ("{python}", "python"),
        ("{.python}", "python"),
        ("{.python .numberLines startFrom=\"3\"}", "python"),
        ("{r echo=FALSE}", "r"),
        ("{#lst-a .bash}", "bash"),
        ("{}", ""),
        ("", ""),
    ] {
        assert_eq!(fence_lang(info), lang, "{info}");
    }
    let r = md("a.md", "```{python}\nx = 1\n```\n");
    assert!(r.html.contains("data-lang=\"python\""), "{}", r.html);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn definition_lists_and_attribute_lists_become_html() {
    let r = md(
        "a.md",
        "Epoch\n: One pass over the data.\n\n[Lab 1](labs/01-setup.md){: .btn .btn-purple }\n{: .text-center }\n\n{: .warning }\nDo not commit keys.\n\n{: .note-title }\n> Tip of the week\n>\n> Use `tmux`.\n\n```python\nx = 1\n```\n{: .no-copy }\n\nImportant\n{: .label .label-green }\n",
    );
    assert_eq!(
        r.html,
        "<dl>\n<dt>Epoch</dt>\n<dd>One pass over the data.</dd>\n</dl>\n<p class=\"text-center\"><a href=\"/t/labs/01-setup/\" class=\"btn btn-purple\">Lab 1</a></p>\n<div class=\"markdown-alert markdown-alert-warning\">\n<p class=\"markdown-alert-title\">Warning</p>\n<p>Do not commit keys.</p>\n</div>\n<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Tip of the week</p>\n<p>Use <code>tmux</code>.</p>\n</div>\n<div class=\"no-copy\">\n<div class=\"codeblock\"><pre class=\"code\" data-lang=\"python\" tabindex=\"0\"><code>x <span class=\"l7 d8\">=</span> <span class=\"l5 d7\">1</span>\n</code></pre></div>\n</div>\n<p class=\"label label-green\">Important</p>\n"
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn images_and_spans_take_their_attribute_lists() {
    let r = md(
        "labs/01-setup.md",
        "![A plot](img/a.png \"Loss\"){: width=\"400\" .center } *new*{: .label } [x](#top){: #go }\n",
    );
    assert_eq!(
        r.html,
        "<p><img src=\"/t/labs/img/a.png\" alt=\"A plot\" title=\"Loss\" class=\"center\" width=\"400\"> <em class=\"label\">new</em> <a href=\"#top\" id=\"go\">x</a></p>\n"
    );
    assert_eq!(r.anchors[0].anchor, "top");
}

#[test]
fn portable_markdown_has_no_kramdown_or_liquid() {
    let body = "[Go](x.md){: .btn }\n\nPara\n{: .note }\n\n{% highlight bash %}\nls\n{% endhighlight %}\n\n`{: .kept }` {{ site.title }}\n";
    assert_eq!(
        portable_markdown(body, "labs/a.md", &crate::render::facts::Facts::default()),
        "[Go](x.md)\n\nPara\n\n```bash\nls\n```\n\n`{: .kept }` \n"
    );
}

/// Hostile pages of the constructs this module rewrites render in linear time.
#[test]
fn hostile_repetitions_render_quickly() {
    let n = 20_000;
    let pages = [
        "{% if x ".repeat(n),
        "{{ x ".repeat(n),
        "a\\*".repeat(n) + "{: .x}",
        "1. TOC\n{:toc}\n\n".repeat(n / 10),
        "$5-$1".repeat(n),
        format!("$${}$$", "\\tag{".repeat(n)),
        "`{% x %}` ".repeat(n),
        "x {: .a}\n".repeat(n),
    ];
    for body in pages {
        let started = std::time::Instant::now();
        let r = md("a.md", &body);
        let took = started.elapsed();
        assert!(took.as_secs_f64() < 3.0, "{took:?} for {:?}…", &body[..20]);
        assert!(!r.html.is_empty() || body.contains("toc"));
    }
}

#[test]
fn same_page_anchors_are_recorded() {
    let r = md("a.md", "[x](#nope)");
    assert_eq!(
        (r.anchors[0].target.as_str(), r.anchors[0].anchor.as_str()),
        ("a.md", "nope")
    );
}

#[test]
fn slugs_match_github() {
    assert_eq!(slugify("Late work (72 hours)"), "late-work-72-hours");
    assert_eq!(slugify("Step 1: set up"), "step-1-set-up");
    assert_eq!(slugify("Über café"), "über-café");
}
