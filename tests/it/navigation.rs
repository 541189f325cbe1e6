//! The navigation (`menu:` in `config.yaml`, else the top-level sections) and the smart
//! punctuation of titles and descriptions, through `sheaf build`.

use crate::support::Site;
use crate::support::html::parse;

/// `(text, href, rel)` of each link in the header's navigation of `html`.
fn nav_links(html: &str) -> Vec<(String, String, Option<String>)> {
    let start = html.find("<nav class=\"site-nav\"").expect("a navigation");
    let end = start + html[start..].find("</nav>").unwrap();
    let page = parse(&html[start..end]);
    page.tags_named("a")
        .map(|a| {
            let href = a.attr("href").unwrap().to_string();
            let at = html[start..end].find(&format!("href=\"{href}\"")).unwrap();
            let after = &html[start + at..end];
            let text = after[after.find('>').unwrap() + 1..after.find("</a>").unwrap()].to_string();
            (text, href, a.attr("rel").map(str::to_string))
        })
        .collect()
}

fn guide() -> crate::support::site::SiteBuilder {
    Site::new()
        .prefix("navigation")
        .page("essays/_index.md", "---\ntitle: Essays\nweight: 2\n---\n")
        .page(
            "essays/one.md",
            "---\ntitle: One\ndate: 2024-01-01\n---\nOne.\n",
        )
        .page(
            "docs/_index.md",
            "---\ntitle: Docs\nweight: 1\nsort_by: weight\n---\n",
        )
        .page("docs/setup.md", "---\ntitle: Setup\n---\nSetup.\n")
        .page("about.md", "---\ntitle: About\n---\nAbout.\n")
        .page("later.md", "---\ntitle: Later\ndraft: true\n---\nSoon.\n")
}

#[test]
fn without_a_menu_the_navigation_lists_the_top_level_sections() {
    let site = guide()
        .config("title: T\nbase_url: https://example.org/guide/\n")
        .build();
    let links = nav_links(&site.read("index.html"));
    let shown: Vec<(&str, &str)> = links
        .iter()
        .map(|(t, h, _)| (t.as_str(), h.as_str()))
        .collect();
    assert_eq!(
        shown,
        [("Docs", "/guide/docs/"), ("Essays", "/guide/essays/")]
    );
}

#[test]
fn a_menu_lists_pages_sections_and_addresses_in_its_order_under_the_base_path() {
    let site = guide()
        .config(
            "title: T\nbase_url: https://example.org/guide/\nmenu:\n  - page: about.md\n  - { page: essays/, title: Writing }\n  - page: docs/_index.md\n  - { title: Tags, url: /tags/ }\n  - { title: Source, url: 'https://github.com/o/r' }\n",
        )
        .build();
    let html = site.read("docs/setup/index.html");
    let links = nav_links(&html);
    let shown: Vec<(&str, &str, Option<&str>)> = links
        .iter()
        .map(|(t, h, r)| (t.as_str(), h.as_str(), r.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            ("About", "/guide/about/", None),
            ("Writing", "/guide/essays/", None),
            ("Docs", "/guide/docs/", None),
            ("Tags", "/guide/tags/", None),
            ("Source", "https://github.com/o/r", Some("external")),
        ]
    );
    // The page's section is marked as where the reader is; the About page as the page.
    assert!(
        html.contains(r#"<a href="/guide/docs/" aria-current="true">Docs</a>"#),
        "{html}"
    );
    let about = site.read("about/index.html");
    assert!(about.contains(r#"<a href="/guide/about/" aria-current="page">About</a>"#));
}

#[test]
fn a_menu_page_that_does_not_exist_is_located_with_the_nearest_name() {
    let site = guide()
        .config("title: T\nbase_url: https://example.org/\nmenu:\n  - page: essays/\n  - page: abuot.md\n")
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    insta::assert_snapshot!(run.stderr, @r"
    error: menu page `abuot.md` is no page or section in content/
     --> config.yaml:5:11
      |
    5 |   - page: abuot.md
      |           ^^^^^^^^ did you mean `about.md`?
      |
    help: write the path of a file under content/ (`about.md`, `essays/first.md`) or a section's folder (`essays/`)

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_draft_in_the_menu_waits_for_publication_with_a_warning() {
    let site = guide()
        .config("title: T\nbase_url: https://example.org/\nmenu:\n  - page: later.md\n  - page: about.md\n")
        .create();
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("warning: menu page `later.md` is a draft: the menu leaves it out"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("config.yaml:4:11"), "{}", run.stderr);
    let titles: Vec<String> = nav_links(&site.read("index.html"))
        .into_iter()
        .map(|l| l.0)
        .collect();
    assert_eq!(titles, ["About"]);
    site.build_ok(&["--drafts"]);
    let titles: Vec<String> = nav_links(&site.read("index.html"))
        .into_iter()
        .map(|l| l.0)
        .collect();
    assert_eq!(titles, ["Later", "About"]);
}

#[test]
fn titles_and_descriptions_get_the_bodys_smart_punctuation() {
    let site = Site::new()
        .prefix("navigation")
        .config("title: \"Don't panic\"\nbase_url: https://example.org/\ndescription: \"A \\\"field\\\" guide -- for now...\"\n")
        .page(
            "essay.md",
            "---\ntitle: \"What's \\\"reach\\\" worth?\"\ndescription: It's the *same* -- <b>literally</b>\ndate: 2024-01-01\n---\nIt's \"the\" body -- same rules...\n",
        )
        .build();
    let html = site.read("essay/index.html");
    let page = parse(&html);
    assert_eq!(
        page.meta("property", "og:title").as_deref(),
        Some("What’s “reach” worth?")
    );
    assert_eq!(
        page.meta("name", "description").as_deref(),
        Some("It’s the *same* – <b>literally</b>"),
        "no Markdown or HTML in a description, only punctuation"
    );
    assert!(html.contains("<h1>What’s “reach” worth?</h1>"), "{html}");
    assert!(
        html.contains("It’s “the” body – same rules…"),
        "the body's own rules"
    );
    assert!(
        html.contains("<title>What’s “reach” worth? — Don’t panic</title>"),
        "{html}"
    );
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<title>What’s “reach” worth?</title>"),
        "{feed}"
    );
    assert!(feed.contains("A “field” guide – for now…"), "{feed}");
}
