//! Series (`series:` in front matter): pages of two sections in one ordered series, the
//! "Part N of M" box on each part, the series' page and RSS feed under a base path, and a
//! bad `series:` value located.

use rss::Channel;

use crate::support::html::parse;
use crate::support::{Site, element_texts};

const BASE: &str = "https://example.org/guide/";

/// Three parts in two sections, dated so that the date rule orders them across sections
/// (a part has a `weight`, but not every part, so weights do not decide), spelled three
/// ways, and a page outside the series.
fn site() -> Site {
    Site::new()
        .config("title: Series site\nbase_url: https://example.org/\n")
        .page("_index.md", "---\ntitle: Home\n---\n")
        .page("essays/_index.md", "---\ntitle: Essays\nsort_by: date\n---\n")
        .page("guides/_index.md", "---\ntitle: Guides\nsort_by: weight\n---\n")
        .page(
            "essays/second.md",
            "---\ntitle: The second step\ndate: 2025-02-01\nseries: Building habits\n---\nTwo.\n",
        )
        .page(
            "guides/first.md",
            "---\ntitle: A first step\ndate: 2025-01-01\nweight: 9\nseries: building   habits\n---\nOne.\n",
        )
        .page(
            "essays/third.md",
            "---\ntitle: Third \"and last\"\ndate: 2025-03-01\nseries: Building Habits\n---\nThree.\n",
        )
        .page(
            "essays/alone.md",
            "---\ntitle: Alone\ndate: 2025-04-01\n---\nNot in a series.\n",
        )
        .create()
}

/// Part titles in order with their site paths under the base path.
const PARTS: [(&str, &str); 3] = [
    ("A first step", "/guide/guides/first/"),
    ("The second step", "/guide/essays/second/"),
    ("Third “and last”", "/guide/essays/third/"),
];
const SERIES_URL: &str = "/guide/series/building-habits/";

/// The series box of a built page, if it has one.
fn series_box(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"series\"")?;
    let end = start + html[start..].find("</nav>")? + "</nav>".len();
    Some(&html[start..end])
}

#[test]
fn parts_across_sections_show_their_place_and_the_series_has_a_page_and_a_feed() {
    let site = site();
    site.build_ok(&["--base-url", "https://example.org/guide/"]);
    for (n, (_, url)) in PARTS.iter().enumerate() {
        let file = format!("{}index.html", url.trim_start_matches("/guide/"));
        let html = site.read(&file);
        let Some(part_box) = series_box(&html) else {
            panic!("{file} has no series box");
        };
        let parsed = parse(part_box);
        let nav = &parsed.tags[0];
        assert_eq!(
            nav.attr("aria-label"),
            Some("Series"),
            "{file}: a labelled nav"
        );
        assert!(
            part_box.contains(&format!("Part {} of 3 in the series", n + 1)),
            "{file}: {part_box}"
        );
        // The series' name links to its page; every other part is a link, in order.
        assert_eq!(parsed.anchors[0].href, SERIES_URL, "{file}");
        assert_eq!(
            parsed.anchors[0].text, "building habits",
            "the first part's spelling"
        );
        let items = &parsed.items;
        assert_eq!(items.len(), 3, "{file}: {items:?}");
        for (m, ((part_title, part_url), item)) in PARTS.iter().zip(items).enumerate() {
            assert_eq!(item.text, *part_title, "{file}: part {}", m + 1);
            if m == n {
                assert!(item.hrefs.is_empty(), "{file}: the current part is no link");
            } else {
                assert_eq!(item.hrefs, vec![part_url.to_string()], "{file}");
            }
        }
        let current: Vec<&str> = parsed
            .tags
            .iter()
            .filter(|t| t.attr("aria-current") == Some("page"))
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(current, ["span"], "{file}: one current part");
    }
    assert!(series_box(&site.read("essays/alone/index.html")).is_none());

    // The series' page: its parts in order, as cards.
    let index = site.read("series/building-habits/index.html");
    let cards: Vec<String> = parse(&index)
        .anchors
        .into_iter()
        .filter(|a| PARTS.iter().any(|(_, url)| *url == a.href))
        .map(|a| a.text)
        .collect();
    let titles: Vec<&str> = PARTS.iter().map(|(t, _)| *t).collect();
    assert_eq!(cards, titles);
    assert!(index.contains(&format!("href=\"{SERIES_URL}rss.xml\"")));

    // Its feed: every part, the last first, with absolute links under the base path.
    let feed = Channel::read_from(site.read("series/building-habits/rss.xml").as_bytes())
        .unwrap_or_else(|e| panic!("the series feed is not RSS: {e}"));
    let items: Vec<(&str, &str)> = feed
        .items()
        .iter()
        .map(|i| (i.title().unwrap_or(""), i.link().unwrap_or("")))
        .collect();
    let expected: Vec<(&str, String)> = PARTS
        .iter()
        .rev()
        .map(|(t, url)| (*t, format!("https://example.org{url}")))
        .collect();
    assert_eq!(items.len(), 3, "{items:?}");
    for ((title, link), (want_title, want_link)) in items.iter().zip(&expected) {
        assert_eq!((*title, *link), (*want_title, want_link.as_str()));
    }
    assert_eq!(feed.link(), format!("{BASE}series/building-habits/"));
    assert!(feed.title().starts_with("building habits — "));

    // `/series/` lists it; the sitemap knows both pages.
    let list = parse(&site.read("series/index.html"));
    assert!(list.anchors.iter().any(|a| a.href == SERIES_URL));
    let locs = element_texts(&site.read("sitemap.xml"), "loc");
    for url in [
        format!("{BASE}series/"),
        format!("{BASE}series/building-habits/"),
    ] {
        assert!(locs.contains(&url), "the sitemap does not list {url}");
    }
}

/// Regression (found by a review): a feed whose pages have no date said it was built on
/// 1 January 1970. RSS leaves `lastBuildDate` out then; the site's Atom feed, which must
/// have an `updated`, keeps a fixed one so builds stay byte-identical.
#[test]
fn a_feed_of_undated_parts_claims_no_build_date() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/\n")
        .page("_index.md", "---\ntitle: Home\n---\n")
        .page(
            "guides/_index.md",
            "---\ntitle: Guides\nsort_by: weight\n---\n",
        )
        .page(
            "guides/a.md",
            "---\ntitle: A\nweight: 1\nseries: Eq\n---\nA.\n",
        )
        .page(
            "guides/b.md",
            "---\ntitle: B\nweight: 2\nseries: Eq\n---\nB.\n",
        )
        .create();
    site.build_ok(&[]);
    for feed in ["series/eq/rss.xml", "rss.xml"] {
        let channel = Channel::read_from(site.read(feed).as_bytes()).unwrap();
        assert_eq!(channel.last_build_date(), None, "{feed}");
    }
    let parts = Channel::read_from(site.read("series/eq/rss.xml").as_bytes()).unwrap();
    assert_eq!(parts.items().len(), 2);
    assert!(parts.items().iter().all(|i| i.pub_date().is_none()));
}

#[test]
fn a_site_without_series_writes_no_series_pages() {
    let site = Site::new()
        .config("title: T\nbase_url: https://example.org/\n")
        .page("_index.md", "---\ntitle: Home\n---\n")
        .page("a.md", "---\ntitle: A\n---\nA.\n")
        .create();
    site.build_ok(&[]);
    assert!(!site.exists("series/index.html"));
    assert!(!site.read("sitemap.xml").contains("/series/"));
}

#[test]
fn a_bad_series_value_is_located() {
    for (value, message) in [
        ("\"  \"", "the series name is empty"),
        (
            &format!("\"{}\"", "x".repeat(101)) as &str,
            "longer than 100 characters",
        ),
        ("[One, Two]", "a series name"),
    ] {
        let site = Site::new()
            .config("title: T\nbase_url: https://example.org/\n")
            .page("_index.md", "---\ntitle: Home\n---\n")
            .page(
                "essays/a.md",
                &format!("---\ntitle: A\ndate: 2025-01-01\nseries: {value}\n---\nA.\n"),
            )
            .create();
        let run = site.build(&[]);
        assert_eq!(run.code, Some(1), "{value}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/essays/a.md:4:9"),
            "{value}: not located at the value:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(message), "{value}:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"));
    }
}
