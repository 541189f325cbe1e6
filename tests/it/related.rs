//! Related reading (`src/model/related.rs`) through `sheaf build`: the `section.related`
//! list after an essay, under a base path, on a small site where the answer is plain.

use crate::support::Site;
use crate::support::html::parse;

/// The hrefs of the related cards' titles on `html`, in order; `None` without the section.
fn related_links(html: &str) -> Option<Vec<String>> {
    let start = html.find("<section class=\"related\"")?;
    let end = start + html[start..].find("</section>")?;
    let section = parse(&html[start..end]);
    let links = section
        .tags_named("a")
        .filter_map(|a| a.attr("href").map(str::to_string))
        .filter(|href| !href.contains("/tags/"))
        .collect();
    Some(links)
}

fn essay(title: &str, date: &str, tags: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\n---\nAbout {title}.\n")
}

/// Two essays share a rare tag (`sourdough`); eleven more share two common ones (`food`,
/// `kitchen`) with the first, the newest of them being `pans`. A loner shares nothing.
fn kitchen() -> crate::support::site::SiteBuilder {
    let mut site = Site::new()
        .prefix("related")
        .config("title: Kitchen\nbase_url: https://example.org/guide/\n")
        .page("essays/_index.md", "---\ntitle: Essays\n---\n")
        .page(
            "essays/starter.md",
            &essay("Starter", "2024-01-01", "sourdough, food, kitchen"),
        )
        .page(
            "essays/crumb.md",
            &essay("Crumb", "2023-01-01", "sourdough"),
        )
        .page(
            "essays/pans.md",
            &essay("Pans", "2024-06-01", "food, kitchen"),
        )
        .page("essays/loner.md", &essay("Loner", "2024-06-01", "knitting"))
        .page(
            "essays/draft.md",
            "---\ntitle: Draft\ndate: 2024-07-01\ndraft: true\ntags: [sourdough]\n---\nSoon.\n",
        );
    for n in 0..10 {
        let rel = format!("essays/food-{n}.md");
        site = site.page(
            &rel,
            &essay(&format!("Food {n}"), "2024-05-01", "food, kitchen"),
        );
    }
    site
}

#[test]
fn a_rare_shared_tag_comes_first_under_the_base_path() {
    let site = kitchen().build();
    let html = site.read("essays/starter/index.html");
    let links = related_links(&html).expect("a related section");
    assert_eq!(links.len(), 3, "{links:?}");
    // The one page sharing the rare tag beats eleven sharing two common tags; of those the
    // newest, then (ten tied on tags and date) the first title.
    assert_eq!(
        links,
        [
            "/guide/essays/crumb/",
            "/guide/essays/pans/",
            "/guide/essays/food-0/"
        ]
    );
    assert!(html.contains("<h2 id=\"related-title\">Related reading</h2>"));
    assert!(
        html.find("<section class=\"related\"") < html.find("<nav class=\"pager\""),
        "after the article, before the pager"
    );
    // Cards are the lists' cards: a level-3 title, the date, the summary.
    assert!(
        html.contains("<h3 class=\"card-title\"><a href=\"/guide/essays/crumb/\">Crumb</a></h3>")
    );
    assert!(html.contains("<p>About Crumb.</p>"));
    // Never the page itself, never the draft.
    assert!(
        !links
            .iter()
            .any(|l| l.contains("starter") || l.contains("draft"))
    );
}

#[test]
fn a_page_sharing_no_tag_gets_no_list_and_search_skips_it() {
    let site = kitchen().build();
    assert_eq!(related_links(&site.read("essays/loner/index.html")), None);
    // The list is outside the indexed article and marked ignored.
    let html = site.read("essays/crumb/index.html");
    let section = html.find("<section class=\"related\"").expect("a list");
    let opening = &html[section..section + html[section..].find('>').unwrap() + 1];
    assert_eq!(
        opening,
        "<section class=\"related\" aria-labelledby=\"related-title\" data-pagefind-ignore>"
    );
    let article = html.find("data-pagefind-body").expect("an indexed article");
    let article_end = article + html[article..].find("</article>\n<").expect("its end");
    assert!(
        article_end < section,
        "the list is outside the indexed article"
    );
    assert_eq!(related_links(&html).unwrap()[0], "/guide/essays/starter/");
}

#[test]
fn drafts_are_candidates_only_when_built() {
    let site = kitchen().build();
    site.build_ok(&["--drafts"]);
    let links = related_links(&site.read("essays/crumb/index.html")).unwrap();
    assert!(
        links.contains(&"/guide/essays/draft/".to_string()),
        "{links:?}"
    );
}

#[test]
fn related_can_be_limited_or_turned_off_and_a_bad_limit_is_located() {
    let site = kitchen()
        .config("title: Kitchen\nbase_url: https://example.org/guide/\nrelated:\n  limit: 1\n")
        .build();
    let links = related_links(&site.read("essays/starter/index.html")).unwrap();
    assert_eq!(links, ["/guide/essays/crumb/"]);

    let site = kitchen()
        .config(
            "title: Kitchen\nbase_url: https://example.org/guide/\nrelated: { enabled: false }\n",
        )
        .build();
    assert_eq!(related_links(&site.read("essays/starter/index.html")), None);

    let site = kitchen()
        .config("title: Kitchen\nbase_url: https://example.org/guide/\nrelated:\n  limit: 99\n")
        .create();
    let run = site.build(&[]);
    assert!(!run.success());
    let shown = run.to_string();
    assert!(
        shown.contains("related.limit must be between 1 and 10"),
        "{shown}"
    );
    assert!(shown.contains("config.yaml:4:10"), "{shown}");

    let site = kitchen()
        .config("title: Kitchen\nbase_url: https://example.org/guide/\nrelated: { limti: 2 }\n")
        .create();
    let shown = site.build(&[]).to_string();
    assert!(shown.contains("limti"), "{shown}");
}
