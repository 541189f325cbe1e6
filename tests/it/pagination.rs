//! Split lists (issue #19): a section, a tag and the home page's latest list, `paginate_by`
//! from `config.yaml` and `_index.md`, the pager's links, URLs and `rel` values, the
//! `page/1/` redirect, the sitemap, and links to later pages checked like any site path.

use crate::support::Site;
use crate::support::html::{link_rel, parse, title};

/// 45 dated essays tagged `long`, newest first `Essay 45` .. `Essay 01`; the section splits
/// ten to a page, tags and the home page by the site's `paginate_by`.
fn forty_five(config: &str) -> Site {
    let mut site = Site::new().prefix("pagination").config(config).page(
        "essays/_index.md",
        "---\ntitle: Essays\nsort_by: date\npaginate_by: 10\n---\nAll the essays.\n",
    );
    for n in 1..=45 {
        site = site.page(
            &format!("essays/e{n:02}.md"),
            &format!(
                "---\ntitle: Essay {n:02}\ndate: 2024-{:02}-{:02}\ntags: [long]\n---\nText {n}.\n",
                1 + (n - 1) / 28,
                1 + (n - 1) % 28
            ),
        );
    }
    site.build()
}

/// The titles of the cards on a list page, in order.
fn card_titles(html: &str) -> Vec<String> {
    html.split("<h2 class=\"card-title\"><a href=\"")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_string()
        })
        .collect()
}

/// `(text, href, rel, aria-current)` of each link in the list's pager.
fn pager(html: &str) -> Vec<(String, String, Option<String>, bool)> {
    let Some(start) = html.find("<nav class=\"list-pager\"") else {
        return Vec::new();
    };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<a ")
        .skip(1)
        .map(|anchor| {
            let tag_end = anchor.find('>').unwrap();
            let tag = parse(&format!("<a {}>", &anchor[..tag_end]));
            let a = tag.tags_named("a").next().unwrap();
            let text = strip_tags(&anchor[tag_end + 1..anchor.find("</a>").unwrap()]);
            (
                text,
                a.attr("href").unwrap().to_string(),
                a.attr("rel").map(str::to_string),
                a.attr("aria-current") == Some("page"),
            )
        })
        .collect()
}

/// An element's text: `<span>Page </span>3` is `Page 3`.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_string()
}

const GUIDE: &str = "title: T\nbase_url: https://example.org/guide/\n";

#[test]
fn a_section_of_45_at_ten_a_page_has_five_pages_with_exact_links() {
    let site = forty_five(GUIDE);
    let first = site.read("essays/index.html");
    assert_eq!(card_titles(&first)[0], "Essay 45");
    assert_eq!(card_titles(&first).len(), 10);
    assert!(
        first.contains("All the essays."),
        "page 1 has the introduction"
    );
    assert_eq!(link_rel(&first, "prev"), None);
    assert_eq!(
        link_rel(&first, "next").as_deref(),
        Some("/guide/essays/page/2/")
    );

    let third = site.read("essays/page/3/index.html");
    let titles = card_titles(&third);
    assert_eq!(titles.first().map(String::as_str), Some("Essay 25"));
    assert_eq!(titles.last().map(String::as_str), Some("Essay 16"));
    assert!(
        !third.contains("All the essays."),
        "later pages leave the introduction out"
    );
    assert_eq!(title(&third).as_deref(), Some("Essays (page 3 of 5) — T"));
    assert_eq!(
        link_rel(&third, "prev").as_deref(),
        Some("/guide/essays/page/2/")
    );
    assert_eq!(
        link_rel(&third, "next").as_deref(),
        Some("/guide/essays/page/4/")
    );
    assert_eq!(
        link_rel(&third, "canonical").as_deref(),
        Some("https://example.org/guide/essays/page/3/")
    );
    let links = pager(&third);
    let shown: Vec<(&str, &str, Option<&str>, bool)> = links
        .iter()
        .map(|(t, h, r, c)| (t.as_str(), h.as_str(), r.as_deref(), *c))
        .collect();
    assert_eq!(
        shown,
        [
            ("← Previous", "/guide/essays/page/2/", Some("prev"), false),
            ("Page 1", "/guide/essays/", None, false),
            ("Page 2", "/guide/essays/page/2/", None, false),
            ("Page 3", "/guide/essays/page/3/", None, true),
            ("Page 4", "/guide/essays/page/4/", None, false),
            ("Page 5", "/guide/essays/page/5/", None, false),
            ("Next →", "/guide/essays/page/4/", Some("next"), false),
        ]
    );

    let last = site.read("essays/page/5/index.html");
    assert_eq!(card_titles(&last).len(), 5);
    assert_eq!(
        card_titles(&last).last().map(String::as_str),
        Some("Essay 01")
    );
    assert_eq!(link_rel(&last, "next"), None);
    assert!(!site.exists("essays/page/6/index.html"));

    // `page/1/` sends readers and search engines to the section itself.
    let redirect = site.read("essays/page/1/index.html");
    assert!(
        redirect.contains("url=https://example.org/guide/essays/"),
        "{redirect}"
    );
    assert_eq!(
        link_rel(&redirect, "canonical").as_deref(),
        Some("https://example.org/guide/essays/")
    );
}

#[test]
fn a_tag_and_the_home_page_split_by_the_sites_paginate_by() {
    let site = forty_five(&format!("{GUIDE}paginate_by: 20\n"));
    let tag = site.read("tags/long/index.html");
    assert_eq!(card_titles(&tag).len(), 20);
    assert!(tag.contains("45 pages"), "the tag still counts every page");
    let tag3 = site.read("tags/long/page/3/index.html");
    assert_eq!(card_titles(&tag3).len(), 5);
    assert_eq!(
        link_rel(&tag3, "prev").as_deref(),
        Some("/guide/tags/long/page/2/")
    );
    assert!(site.exists("tags/long/page/1/index.html"));
    assert!(!site.exists("tags/long/page/4/index.html"));

    let home2 = site.read("page/2/index.html");
    let titles = card_titles(&home2);
    assert_eq!(titles.len(), 20);
    assert_eq!(
        titles[0], "Essay 25",
        "the home page's list is the latest pages"
    );
    assert_eq!(link_rel(&home2, "prev").as_deref(), Some("/guide/"));
    assert_eq!(link_rel(&home2, "next").as_deref(), Some("/guide/page/3/"));
    assert!(site.exists("page/3/index.html"));
    assert!(!site.exists("page/4/index.html"));
}

#[test]
fn later_pages_are_reachable_but_left_out_of_the_sitemap() {
    let site = forty_five(GUIDE);
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guide/essays/</loc>"));
    assert!(!sitemap.contains("/page/"), "{sitemap}");
}

/// Regression (found by a review): `page/1/` was written only for a list of two pages or
/// more, so a link to it broke when a list shrank to one page, and was a 404 on every list
/// too short to split.
#[test]
fn page_one_redirects_on_a_list_of_one_page_too() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/repo/\n")
        .page("essays/_index.md", "---\ntitle: Essays\n---\n")
        .page(
            "essays/a.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags: [t]\nseries: S\n---\nA.\n",
        )
        .build();
    assert!(pager(&site.read("essays/index.html")).is_empty());
    for (redirect, list) in [
        ("essays/page/1/index.html", "essays/"),
        ("tags/t/page/1/index.html", "tags/t/"),
        ("series/s/page/1/index.html", "series/s/"),
        ("page/1/index.html", ""),
    ] {
        let html = site.read(redirect);
        let target = format!("https://example.org/repo/{list}");
        assert_eq!(
            link_rel(&html, "canonical"),
            Some(target.clone()),
            "{redirect}"
        );
        assert!(
            html.contains(&format!("url={target}")),
            "{redirect}: {html}"
        );
    }
    assert!(!site.exists("essays/page/2/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("/page/"), "{sitemap}");
}

#[test]
fn paginate_by_zero_lists_everything_on_one_page() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/\npaginate_by: 0\n")
        .page(
            "essays/_index.md",
            "---\ntitle: Essays\nsort_by: date\n---\n",
        )
        .page(
            "essays/a.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags: [t]\n---\nA.\n",
        )
        .page(
            "essays/b.md",
            "---\ntitle: B\ndate: 2024-01-02\ntags: [t]\n---\nB.\n",
        )
        .build();
    assert_eq!(card_titles(&site.read("essays/index.html")), ["B", "A"]);
    assert!(pager(&site.read("essays/index.html")).is_empty());
    let paged: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.contains("page/"))
        .collect();
    assert!(paged.is_empty(), "{paged:?}");
}

#[test]
fn links_to_later_pages_are_checked_like_any_site_path() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/guide/\npaginate_by: 1\n")
        .page("essays/_index.md", "---\ntitle: Essays\nsort_by: date\n---\n")
        .page(
            "essays/a.md",
            "---\ntitle: A\ndate: 2024-01-01\n---\nSee [older](/essays/page/2/) and [the first](../page/1/).\n",
        )
        .page("essays/b.md", "---\ntitle: B\ndate: 2024-01-02\n---\nB.\n")
        .build();
    let a = site.read("essays/a/index.html");
    assert!(a.contains("href=\"/guide/essays/page/2/\""), "{a}");

    site.write(
        "content/essays/b.md",
        "---\ntitle: B\ndate: 2024-01-02\n---\n[nowhere](/essays/page/3/)\n",
    );
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains("content/essays/b.md:5:11"),
        "the link is located: {run}"
    );
}

#[test]
fn a_bad_paginate_by_is_a_located_error() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/\npaginate_by: many\n")
        .page(
            "essays/_index.md",
            "---\ntitle: Essays\npaginate_by: -3\n---\n",
        )
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(run.stderr.contains("config.yaml:3:14"), "{run}");
}

#[test]
fn a_negative_section_paginate_by_is_located_in_its_index() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/\n")
        .page(
            "essays/_index.md",
            "---\ntitle: Essays\npaginate_by: -3\n---\n",
        )
        .create();
    let run = site.build(&[]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains("content/essays/_index.md:3:14"),
        "{run}"
    );
}
