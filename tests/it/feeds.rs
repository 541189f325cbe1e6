//! Semantics of the feeds and the sitemap of a built site (DESIGN.md section 5):
//! `/rss.xml` (RSS 2.0), `/atom.xml` (Atom, RFC 4287), `/tags/<slug>/rss.xml`
//! and `/sitemap.xml`. Well-formedness and the sitemap schema are checked by
//! scripts/validate-site with xmllint; these tests check what a feed reader
//! relies on, by parsing with the `rss` and `atom_syndication` crates.
//!
//! The fixture (tests/fixtures/feeds) has three published essays, one with
//! `&` and `<` in its title, a draft and a future-dated essay that must appear
//! nowhere, and the tags `writing` and `habits`.

use std::collections::BTreeSet;

use atom_syndication::{Feed, Text, TextType};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rss::Channel;

use crate::support::html::link_targets;
use crate::support::{BuiltSite, build_fixture, element_texts, fixture, unescape, write};

const ROOT_BASE: &str = "https://example.org/";
const GUIDE_BASE: &str = "https://example.github.io/guide/";

const SITE_TITLE: &str = "Feeds & fixtures";
const ESCAPING_TITLE: &str = "Ampersands & <angle brackets>";

/// The published essays, newest first: (slug, title).
const ESSAYS: [(&str, &str); 3] = [
    ("escaping", ESCAPING_TITLE),
    ("second-thoughts", "Second thoughts"),
    ("first-steps", "First steps"),
];
/// Essays that must not be published: a draft and a future-dated one.
const HIDDEN: [(&str, &str); 2] = [
    ("unfinished", "Unfinished draft"),
    ("far-future", "From the far future"),
];
/// Tag slug -> titles of the published essays with that tag.
const TAGS: [(&str, &[&str]); 2] = [
    ("writing", &["First steps", "Second thoughts"]),
    ("habits", &["First steps", ESCAPING_TITLE]),
];

fn build(base_url: Option<&str>) -> BuiltSite {
    match base_url {
        None => build_fixture(&fixture("feeds"), &[]),
        Some(base) => build_fixture(&fixture("feeds"), &["--base-url", base]),
    }
}

fn essay_url(base: &str, slug: &str) -> String {
    format!("{base}essays/{slug}/")
}

/// Collects every problem found, so one failing run reports all of them.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(problem());
        }
    }

    fn assert_none(self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{what}: {} problem(s):\n  - {}",
            self.0.len(),
            self.0.join("\n  - ")
        );
    }
}

fn read_rss(site: &BuiltSite, rel: &str) -> Channel {
    assert!(
        site.exists(rel),
        "{rel} is missing; the site has: {:?}",
        site.files()
    );
    Channel::read_from(site.read(rel).as_bytes())
        .unwrap_or_else(|e| panic!("{rel} is not an RSS 2.0 document the rss crate can read: {e}"))
}

fn read_atom(site: &BuiltSite, rel: &str) -> Feed {
    assert!(
        site.exists(rel),
        "{rel} is missing; the site has: {:?}",
        site.files()
    );
    Feed::read_from(site.read(rel).as_bytes())
        .unwrap_or_else(|e| panic!("{rel} is not an Atom document atom_syndication can read: {e}"))
}

/// An Atom text construct as plain text (type="html" holds escaped markup).
fn atom_plain(text: &Text) -> String {
    match text.r#type {
        TextType::Html => unescape(&text.value),
        _ => text.value.clone(),
    }
}

fn is_absolute_http(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/'))
}

/// The scheme and host of a base URL: `https://example.github.io/guide/` ->
/// `https://example.github.io/`.
fn origin(base: &str) -> String {
    let after_scheme = base.find("://").expect("base URL has a scheme") + 3;
    let end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/", &base[..end])
}

/// Links inside feed content are read by feed readers far from the site: they
/// must be absolute (a bare `#fragment` is tolerated), and a link to the site
/// itself must keep the base path.
fn check_content_links(html: &str, base: &str, context: &str, problems: &mut Problems) {
    let site_origin = origin(base);
    for target in link_targets(html) {
        let absolute = is_absolute_http(&target)
            || target.starts_with("mailto:")
            || target.starts_with("data:")
            || target.starts_with('#');
        problems.check(absolute, || {
            format!("{context}: link `{target}` in feed content is not absolute")
        });
        problems.check(
            !target.starts_with(&site_origin) || target.starts_with(base),
            || format!("{context}: link `{target}` in feed content is outside the base URL {base}"),
        );
    }
}

fn rfc2822(date: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc2822(date.trim()).ok()
}

/// Checks that hold for every RSS feed of the site (main and per tag).
/// Returns the item titles in feed order.
fn check_rss(channel: &Channel, base: &str, rel: &str, problems: &mut Problems) -> Vec<String> {
    problems.check(!channel.title().trim().is_empty(), || {
        format!("{rel}: empty channel <title>")
    });
    problems.check(!channel.description().trim().is_empty(), || {
        format!("{rel}: empty channel <description>")
    });
    problems.check(channel.link().starts_with(base), || {
        format!(
            "{rel}: channel <link> `{}` is not under {base}",
            channel.link()
        )
    });

    let mut previous: Option<DateTime<FixedOffset>> = None;
    let mut guids = BTreeSet::new();
    let mut titles = Vec::new();
    for (i, item) in channel.items().iter().enumerate() {
        let title = item.title().unwrap_or_default().to_string();
        let ctx = format!("{rel} item {} `{title}`", i + 1);
        problems.check(
            !title.trim().is_empty() || item.description().is_some_and(|d| !d.trim().is_empty()),
            || format!("{ctx}: neither <title> nor <description>"),
        );
        match item.link() {
            Some(link) => problems.check(is_absolute_http(link) && link.starts_with(base), || {
                format!("{ctx}: <link> `{link}` is not an absolute URL under {base}")
            }),
            None => problems.0.push(format!("{ctx}: no <link>")),
        }
        match item.guid() {
            Some(guid) if !guid.value().trim().is_empty() => {
                problems.check(guids.insert(guid.value().to_string()), || {
                    format!("{ctx}: duplicate <guid> `{}`", guid.value())
                });
                if guid.is_permalink() {
                    problems.check(
                        is_absolute_http(guid.value()) && guid.value().starts_with(base),
                        || {
                            format!(
                                "{ctx}: permalink <guid> `{}` is not under {base}",
                                guid.value()
                            )
                        },
                    );
                }
            }
            _ => problems.0.push(format!("{ctx}: no <guid>")),
        }
        match item.pub_date() {
            Some(date) => match rfc2822(date) {
                Some(parsed) => {
                    if let Some(prev) = previous {
                        problems.check(parsed <= prev, || {
                            format!("{ctx}: <pubDate> {date} is newer than the item before it")
                        });
                    }
                    previous = Some(parsed);
                }
                None => problems
                    .0
                    .push(format!("{ctx}: <pubDate> `{date}` is not RFC 822")),
            },
            None => problems.0.push(format!("{ctx}: no <pubDate>")),
        }
        for html in [item.description(), item.content()].into_iter().flatten() {
            check_content_links(html, base, &ctx, problems);
        }
        titles.push(title);
    }
    titles
}

#[test]
fn rss_feed_has_the_required_elements_and_the_published_essays() {
    let site = build(None);
    let channel = read_rss(&site, "rss.xml");
    let mut problems = Problems::default();
    let titles = check_rss(&channel, ROOT_BASE, "rss.xml", &mut problems);

    problems.check(channel.title() == SITE_TITLE, || {
        format!(
            "channel <title> is `{}`, expected the site title `{SITE_TITLE}`",
            channel.title()
        )
    });
    problems.check(channel.link() == ROOT_BASE, || {
        format!(
            "channel <link> is `{}`, expected the home page {ROOT_BASE}",
            channel.link()
        )
    });
    let expected: Vec<&str> = ESSAYS.iter().map(|(_, t)| *t).collect();
    problems.check(titles == expected, || {
        format!("items are {titles:?}, expected the published essays newest first: {expected:?}")
    });
    for (slug, title) in ESSAYS {
        let url = essay_url(ROOT_BASE, slug);
        let item = channel.items().iter().find(|i| i.title() == Some(title));
        problems.check(item.is_some_and(|i| i.link() == Some(url.as_str())), || {
            format!("item `{title}` should link to {url}")
        });
    }

    // An RFC 3339 date with an offset keeps its instant.
    let second = channel
        .items()
        .iter()
        .find(|i| i.title() == Some("Second thoughts"));
    let expected_instant = DateTime::parse_from_rfc3339("2025-02-20T09:30:00+01:00").unwrap();
    problems.check(
        second.and_then(|i| i.pub_date()).and_then(rfc2822) == Some(expected_instant),
        || {
            format!(
                "`Second thoughts` <pubDate> is {:?}, expected the instant 2025-02-20T09:30:00+01:00",
                second.and_then(|i| i.pub_date())
            )
        },
    );
    // A plain date keeps its calendar day.
    let first = channel
        .items()
        .iter()
        .find(|i| i.title() == Some("First steps"));
    problems.check(
        first
            .and_then(|i| i.pub_date())
            .and_then(rfc2822)
            .map(|d| d.date_naive())
            == NaiveDate::from_ymd_opt(2025, 1, 15),
        || {
            format!(
                "`First steps` <pubDate> is {:?}, expected 15 Jan 2025",
                first.and_then(|i| i.pub_date())
            )
        },
    );
    problems.assert_none("rss.xml");
}

#[test]
fn atom_feed_has_the_required_elements_and_the_published_essays() {
    let site = build(None);
    let raw = site.read("atom.xml");
    let feed = read_atom(&site, "atom.xml");
    let mut problems = Problems::default();
    let epoch = DateTime::parse_from_rfc3339("1970-01-01T00:00:00Z").unwrap();

    problems.check(!feed.id().trim().is_empty(), || "feed has no <id>".into());
    let title = atom_plain(feed.title());
    problems.check(title == SITE_TITLE, || {
        format!("feed <title> is `{title}`, expected the site title `{SITE_TITLE}`")
    });
    // atom_syndication reads a missing <updated> as the epoch and accepts
    // non-RFC 3339 dates, so check the raw text too.
    problems.check(*feed.updated() != epoch, || "feed has no <updated>".into());
    for date in element_texts(&raw, "updated") {
        problems.check(DateTime::parse_from_rfc3339(&date).is_ok(), || {
            format!("<updated>{date}</updated> is not an RFC 3339 date-time")
        });
    }
    for date in element_texts(&raw, "published") {
        problems.check(DateTime::parse_from_rfc3339(&date).is_ok(), || {
            format!("<published>{date}</published> is not an RFC 3339 date-time")
        });
    }
    let self_url = format!("{ROOT_BASE}atom.xml");
    problems.check(
        feed.links()
            .iter()
            .any(|l| l.rel() == "self" && l.href() == self_url),
        || format!("feed has no <link rel=\"self\" href=\"{self_url}\"/>"),
    );
    problems.check(
        feed.links()
            .iter()
            .any(|l| l.rel() == "alternate" && l.href() == ROOT_BASE),
        || format!("feed has no <link rel=\"alternate\" href=\"{ROOT_BASE}\"/>"),
    );

    // RFC 4287 4.1.1: an author on the feed, or on every entry.
    let feed_author = feed.authors().iter().any(|a| !a.name().trim().is_empty());
    let names: BTreeSet<&str> = feed
        .authors()
        .iter()
        .chain(feed.entries().iter().flat_map(|e| e.authors()))
        .map(|a| a.name())
        .collect();
    problems.check(names.contains("Jane Doe"), || {
        format!("the configured author Jane Doe is not an Atom author (authors: {names:?})")
    });

    let mut ids = BTreeSet::new();
    let mut titles = Vec::new();
    for (i, entry) in feed.entries().iter().enumerate() {
        let title = atom_plain(entry.title());
        let ctx = format!("atom.xml entry {} `{title}`", i + 1);
        problems.check(!title.trim().is_empty(), || format!("{ctx}: empty <title>"));
        problems.check(!entry.id().trim().is_empty(), || format!("{ctx}: no <id>"));
        problems.check(ids.insert(entry.id().to_string()), || {
            format!("{ctx}: duplicate <id> {}", entry.id())
        });
        problems.check(*entry.updated() != epoch, || format!("{ctx}: no <updated>"));
        problems.check(entry.updated() <= feed.updated(), || {
            format!(
                "{ctx}: <updated> {} is after the feed's {}",
                entry.updated(),
                feed.updated()
            )
        });
        problems.check(
            feed_author || entry.authors().iter().any(|a| !a.name().trim().is_empty()),
            || format!("{ctx}: no author, and the feed has none"),
        );
        let alternate = entry.links().iter().find(|l| l.rel() == "alternate");
        match alternate {
            Some(link) => {
                problems.check(
                    is_absolute_http(link.href()) && link.href().starts_with(ROOT_BASE),
                    || {
                        format!(
                            "{ctx}: <link> `{}` is not an absolute URL under {ROOT_BASE}",
                            link.href()
                        )
                    },
                );
            }
            None => problems
                .0
                .push(format!("{ctx}: no <link rel=\"alternate\">")),
        }
        if let Some(slug) = ESSAYS.iter().find(|(_, t)| *t == title).map(|(s, _)| *s) {
            let url = essay_url(ROOT_BASE, slug);
            problems.check(alternate.is_some_and(|l| l.href() == url), || {
                format!("{ctx}: should link to {url}")
            });
        }
        let content = entry.content().and_then(|c| c.value()).unwrap_or_default();
        let summary = entry
            .summary()
            .map(|s| s.value.as_str())
            .unwrap_or_default();
        for html in [content, summary] {
            check_content_links(html, ROOT_BASE, &ctx, &mut problems);
        }
        titles.push(title);
    }
    let expected: Vec<&str> = ESSAYS.iter().map(|(_, t)| *t).collect();
    problems.check(titles == expected, || {
        format!("entries are {titles:?}, expected the published essays newest first: {expected:?}")
    });

    // `updated:` front matter is what Atom's <updated> reports.
    let second = feed
        .entries()
        .iter()
        .find(|e| atom_plain(e.title()) == "Second thoughts");
    problems.check(
        second.map(|e| e.updated().date_naive()) == NaiveDate::from_ymd_opt(2025, 3, 1),
        || {
            format!(
                "`Second thoughts` <updated> is {:?}, expected 2025-03-01 (its `updated:`)",
                second.map(|e| e.updated())
            )
        },
    );
    problems.assert_none("atom.xml");
}

#[test]
fn every_tag_has_a_feed_of_its_published_essays() {
    let site = build(None);
    let mut problems = Problems::default();
    for (slug, expected) in TAGS {
        let rel = format!("tags/{slug}/rss.xml");
        let channel = read_rss(&site, &rel);
        let titles: BTreeSet<String> = check_rss(&channel, ROOT_BASE, &rel, &mut problems)
            .into_iter()
            .collect();
        let expected: BTreeSet<String> = expected.iter().map(|t| t.to_string()).collect();
        problems.check(titles == expected, || {
            format!("{rel}: items are {titles:?}, expected {expected:?}")
        });
    }
    // Every tag page, whatever its slug, has its feed.
    let tag_pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| {
            f.starts_with("tags/") && f.ends_with("/index.html") && f.matches('/').count() == 2
        })
        .collect();
    problems.check(tag_pages.len() == TAGS.len(), || {
        format!(
            "expected {} tag pages (tags/<slug>/index.html), found {tag_pages:?}",
            TAGS.len()
        )
    });
    for page in tag_pages {
        let feed = page.replace("/index.html", "/rss.xml");
        problems.check(site.exists(&feed), || format!("{page} has no {feed}"));
    }
    problems.assert_none("tag feeds");
}

#[test]
fn sitemap_lists_absolute_urls_under_the_base_url() {
    let site = build(None);
    let xml = site.read("sitemap.xml");
    let locs = element_texts(&xml, "loc");
    let mut problems = Problems::default();
    problems.check(!locs.is_empty(), || "sitemap.xml has no <loc>".into());
    let mut seen = BTreeSet::new();
    for loc in &locs {
        problems.check(is_absolute_http(loc), || {
            format!("<loc>{loc}</loc> is not absolute")
        });
        problems.check(loc.starts_with(ROOT_BASE), || {
            format!("<loc>{loc}</loc> is not under {ROOT_BASE}")
        });
        problems.check(seen.insert(loc.clone()), || {
            format!("<loc>{loc}</loc> is listed twice")
        });
    }
    let essays_url = format!("{ROOT_BASE}essays/");
    for url in [ROOT_BASE, essays_url.as_str()] {
        problems.check(seen.contains(url), || {
            format!("sitemap.xml does not list {url}")
        });
    }
    for (slug, _) in ESSAYS {
        let url = essay_url(ROOT_BASE, slug);
        problems.check(seen.contains(&url), || {
            format!("sitemap.xml does not list {url}")
        });
    }
    for (slug, _) in HIDDEN {
        let url = essay_url(ROOT_BASE, slug);
        problems.check(!seen.contains(&url), || {
            format!("sitemap.xml lists unpublished {url}")
        });
    }
    // `updated:` is the page's <lastmod>.
    let second = essay_url(ROOT_BASE, "second-thoughts");
    let lastmod = xml
        .split("<url>")
        .find(|block| element_texts(block, "loc").first() == Some(&second))
        .and_then(|block| element_texts(block, "lastmod").into_iter().next());
    problems.check(
        lastmod
            .as_deref()
            .is_some_and(|d| d.starts_with("2025-03-01")),
        || format!("{second} has <lastmod> {lastmod:?}, expected 2025-03-01 (its `updated:`)"),
    );
    problems.assert_none("sitemap.xml");
}

#[test]
fn drafts_and_future_pages_are_in_no_feed() {
    let site = build(None);
    let mut problems = Problems::default();
    let feeds: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".xml"))
        .collect();
    for rel in &feeds {
        let text = unescape(&site.read(rel));
        for (slug, title) in HIDDEN {
            problems.check(
                !text.contains(title) && !text.contains(&format!("essays/{slug}/")),
                || format!("{rel} mentions the unpublished essay `{title}`"),
            );
        }
    }
    problems.assert_none("unpublished pages");
}

#[test]
fn feeds_and_sitemap_follow_a_base_url_with_a_path() {
    let site = build(Some(GUIDE_BASE));
    let mut problems = Problems::default();

    let channel = read_rss(&site, "rss.xml");
    check_rss(&channel, GUIDE_BASE, "rss.xml", &mut problems);
    problems.check(channel.link() == GUIDE_BASE, || {
        format!(
            "channel <link> is `{}`, expected {GUIDE_BASE}",
            channel.link()
        )
    });
    for (slug, _) in TAGS {
        let rel = format!("tags/{slug}/rss.xml");
        check_rss(&read_rss(&site, &rel), GUIDE_BASE, &rel, &mut problems);
    }

    let feed = read_atom(&site, "atom.xml");
    for link in feed
        .links()
        .iter()
        .chain(feed.entries().iter().flat_map(|e| e.links()))
    {
        problems.check(link.href().starts_with(GUIDE_BASE), || {
            format!(
                "atom.xml: <link href=\"{}\"> is not under {GUIDE_BASE}",
                link.href()
            )
        });
    }
    for (slug, title) in ESSAYS {
        let url = essay_url(GUIDE_BASE, slug);
        let entry = feed
            .entries()
            .iter()
            .find(|e| atom_plain(e.title()) == title);
        problems.check(
            entry.is_some_and(|e| {
                e.links()
                    .iter()
                    .any(|l| l.rel() == "alternate" && l.href() == url)
            }),
            || format!("atom.xml: entry `{title}` should link to {url}"),
        );
    }

    let locs = element_texts(&site.read("sitemap.xml"), "loc");
    problems.check(locs.contains(&GUIDE_BASE.to_string()), || {
        format!("sitemap.xml does not list {GUIDE_BASE}")
    });
    for loc in &locs {
        problems.check(loc.starts_with(GUIDE_BASE), || {
            format!("sitemap.xml: <loc>{loc}</loc> is not under {GUIDE_BASE}")
        });
    }

    // --base-url replaces config.yaml's base_url everywhere.
    for rel in site
        .files()
        .iter()
        .filter(|f| f.ends_with(".xml") || f.ends_with(".html") || f.ends_with(".txt"))
    {
        problems.check(!site.read(rel).contains("https://example.org/"), || {
            format!("{rel} still holds config.yaml's base_url https://example.org/")
        });
    }
    problems.assert_none("feeds built with --base-url https://example.github.io/guide/");
}

#[test]
fn helpers_read_xml_text_and_links() {
    let xml = "<urlset><url><loc>https://a/&amp;b</loc><location>x</location>\
               <loc attr=\"1\"><![CDATA[https://c/]]></loc></url></urlset>";
    assert_eq!(element_texts(xml, "loc"), ["https://a/&b", "https://c/"]);
    assert_eq!(
        unescape("a &amp;lt; &lt;b&gt; &#38; &#x3C; &bogus"),
        "a &lt; <b> & < &bogus"
    );
    let html = r#"<a href="https://x/?a=1&amp;b=2">x</a> <img src='/i.png'> <a data-href="no">"#;
    assert_eq!(link_targets(html), ["https://x/?a=1&b=2", "/i.png"]);
    assert_eq!(origin(GUIDE_BASE), "https://example.github.io/");
    assert!(
        is_absolute_http("https://example.org/x")
            && !is_absolute_http("/x")
            && !is_absolute_http("https:///x")
    );
}

/// Regression: the `<!-- more -->` summary marker leaked into feed item content.
#[test]
fn the_summary_marker_stays_out_of_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        root.join("config.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    );
    write(root.join("content/_index.md"), "---\ntitle: Home\n---\n");
    write(
        root.join("content/essays/_index.md"),
        "---\ntitle: Essays\n---\n",
    );
    write(
        root.join("content/essays/a.md"),
        "---\ntitle: A\ndate: 2025-01-01\n---\nIntro.\n\n<!-- more -->\n\nRest.\n",
    );
    let site = build_fixture(&root, &[]);
    for feed in ["rss.xml", "atom.xml"] {
        let xml = site.read(feed);
        assert!(xml.contains("Rest."), "{feed} carries the article");
        assert!(!xml.contains("more --"), "{feed}: {xml}");
    }
}

/// Regression (issue #13): a huge article went whole into every feed listing it (a 100 MB
/// file was copied into `rss.xml` and `atom.xml`). Past 64 KiB of HTML an item carries
/// the summary and a link; past that too, the start of the text.
#[test]
fn feed_items_stay_bounded_for_huge_articles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        root.join("config.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    );
    write(root.join("content/_index.md"), "---\ntitle: Home\n---\n");
    write(
        root.join("content/essays/_index.md"),
        "---\ntitle: Essays\n---\n",
    );
    let paragraphs = "Words and more words in a paragraph of a long essay.\n\n".repeat(20_000);
    // With a summary marker: the summary and a link.
    write(
        root.join("content/essays/marked.md"),
        &format!(
            "---\ntitle: Marked\ndate: 2025-01-01\ntags: [t]\n---\nThe short intro.\n\n<!-- more -->\n\n{paragraphs}"
        ),
    );
    // One enormous first paragraph and no marker: its start, cut, and a link.
    let line = "word ".repeat(100_000);
    write(
        root.join("content/essays/unmarked.md"),
        &format!("---\ntitle: Unmarked\ndate: 2025-01-02\ntags: [t]\n---\n{line}\n\n{paragraphs}"),
    );
    // A normal essay keeps its whole text.
    write(
        root.join("content/essays/small.md"),
        "---\ntitle: Small\ndate: 2025-01-03\n---\nFirst.\n\nSecond paragraph.\n",
    );
    let site = build_fixture(&root, &[]);
    for feed in ["rss.xml", "atom.xml", "tags/t/rss.xml"] {
        let xml = site.read(feed);
        assert!(xml.len() < 3 * 64 * 1024, "{feed} is {} bytes", xml.len());
        assert!(xml.contains("The short intro."), "{feed}");
        assert!(
            xml.contains("Read the whole article"),
            "{feed} links to the article"
        );
        assert!(xml.contains("https://example.org/essays/marked/"), "{feed}");
        assert!(
            xml.contains("word word"),
            "{feed}: the start of the long paragraph"
        );
        assert!(xml.contains('…'), "{feed}: marked as cut");
        if feed != "tags/t/rss.xml" {
            assert!(
                xml.contains("Second paragraph."),
                "{feed}: small essays are whole"
            );
        }
    }
    let page = site.read("essays/marked/index.html");
    assert_eq!(page.matches("a paragraph of a long essay").count(), 20_000);
}

/// `feed.json` parsed with serde_json: a JSON Feed 1.1 document
/// (<https://www.jsonfeed.org/version/1.1/>).
fn read_json_feed(site: &BuiltSite) -> serde_json::Value {
    assert!(site.exists("feed.json"), "no feed.json: {:?}", site.files());
    serde_json::from_str(&site.read("feed.json"))
        .unwrap_or_else(|e| panic!("feed.json is not JSON: {e}"))
}

/// A JSON string field, or "" when missing or not a string.
fn text<'a>(value: &'a serde_json::Value, key: &str) -> &'a str {
    value.get(key).and_then(|v| v.as_str()).unwrap_or_default()
}

#[test]
fn json_feed_has_every_required_field_under_a_base_path() {
    const BASE: &str = "https://example.org/guide/";
    let site = build(Some(BASE));
    let feed = read_json_feed(&site);
    let mut problems = Problems::default();
    // Top level: `version`, `title` and `items` are required.
    problems.check(
        text(&feed, "version") == "https://jsonfeed.org/version/1.1",
        || format!("version is {:?}", feed.get("version")),
    );
    problems.check(text(&feed, "title") == SITE_TITLE, || {
        format!("title is {:?}", feed.get("title"))
    });
    problems.check(text(&feed, "home_page_url") == BASE, || {
        format!("home_page_url is {:?}", feed.get("home_page_url"))
    });
    problems.check(
        text(&feed, "feed_url") == format!("{BASE}feed.json"),
        || format!("feed_url is {:?}", feed.get("feed_url")),
    );
    problems.check(
        text(&feed, "description") == "A small site to check RSS, Atom and the sitemap.",
        || format!("description is {:?}", feed.get("description")),
    );
    problems.check(text(&feed, "language") == "en", || {
        format!("language is {:?}", feed.get("language"))
    });
    let author = &feed["authors"][0];
    problems.check(
        text(author, "name") == "Jane Doe" && text(author, "url") == "https://jane.example.com/",
        || format!("authors is {:?}", feed.get("authors")),
    );
    let items = feed["items"].as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = items.iter().map(|i| text(i, "title")).collect();
    let expected: Vec<&str> = ESSAYS.iter().map(|(_, t)| *t).collect();
    problems.check(titles == expected, || {
        format!("items are {titles:?}, expected the published essays newest first: {expected:?}")
    });
    let mut ids = BTreeSet::new();
    for (item, (slug, title)) in items.iter().zip(ESSAYS) {
        let ctx = format!("feed.json item `{title}`");
        let url = essay_url(BASE, slug);
        // Each item: `id` and one of `content_html`/`content_text` are required.
        problems.check(text(item, "id") == url, || {
            format!(
                "{ctx}: id is {:?}, expected the permalink {url}",
                item.get("id")
            )
        });
        problems.check(ids.insert(text(item, "id").to_string()), || {
            format!("{ctx}: a repeated id")
        });
        problems.check(text(item, "url") == url, || {
            format!("{ctx}: url is {:?}", item.get("url"))
        });
        let html = text(item, "content_html");
        problems.check(!html.trim().is_empty(), || {
            format!("{ctx}: no content_html")
        });
        check_content_links(html, BASE, &ctx, &mut problems);
        problems.check(!text(item, "summary").is_empty(), || {
            format!("{ctx}: no summary (the essay has a description)")
        });
        for key in ["date_published", "date_modified"] {
            problems.check(
                DateTime::parse_from_rfc3339(text(item, key)).is_ok(),
                || format!("{ctx}: {key} {:?} is not RFC 3339", item.get(key)),
            );
        }
        let tags: BTreeSet<&str> = item["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str())
            .collect();
        let expected: BTreeSet<&str> = TAGS
            .iter()
            .filter(|(_, titles)| titles.contains(&title))
            .map(|(tag, _)| *tag)
            .collect();
        problems.check(tags == expected, || {
            format!("{ctx}: tags {tags:?}, expected {expected:?}")
        });
    }
    // The same instants as the other feeds: `updated:` is `date_modified`.
    let second = items.iter().find(|i| text(i, "title") == "Second thoughts");
    let published = second
        .map(|i| text(i, "date_published"))
        .unwrap_or_default();
    problems.check(
        DateTime::parse_from_rfc3339(published).ok()
            == DateTime::parse_from_rfc3339("2025-02-20T09:30:00+01:00").ok(),
        || format!("`Second thoughts` date_published is {published}"),
    );
    let modified = second.map(|i| text(i, "date_modified")).unwrap_or_default();
    problems.check(modified.starts_with("2025-03-01"), || {
        format!("`Second thoughts` date_modified is {modified}, expected its `updated:`")
    });
    // Every page names the feed for readers to discover.
    let home = site.read("index.html");
    problems.check(
        home.contains(&format!(
            "<link rel=\"alternate\" type=\"application/feed+json\" title=\"{}\" href=\"{BASE}feed.json\">",
            "Feeds &amp; fixtures (JSON Feed)"
        )),
        || "the home page has no <link rel=alternate> to feed.json".into(),
    );
    problems.check(home.contains("href=\"/guide/feed.json\""), || {
        "the footer does not link feed.json under the base path".into()
    });
    problems.assert_none("feed.json");
}

/// It is JSON, not HTML: a title that would end a `<script>` or a string still round-trips.
#[test]
fn json_feed_strings_round_trip_hostile_text_and_carry_the_page_image() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        root.join("config.yaml"),
        "title: \"Site \\\"quoted\\\" </script>\"\nbase_url: https://example.org/\nfeeds: { full_content: false }\n",
    );
    write(root.join("content/_index.md"), "---\ntitle: Home\n---\n");
    write(
        root.join("content/essays/_index.md"),
        "---\ntitle: Essays\n---\n",
    );
    let hostile = r#"</script><script>alert("x")</script> \ 'q' "#;
    write(
        root.join("content/essays/a.md"),
        &format!(
            "---\ntitle: '{}'\ndate: 2025-01-01\ndescription: 'Say \"hi\" </script>'\nimage: https://cdn.example.org/a.png\ntags: ['\"t\"']\n---\nSummary here.\n\n<!-- more -->\n\nThe rest, not in the feed.\n",
            hostile.replace('\'', "''")
        ),
    );
    let site = build_fixture(&root, &[]);
    let feed = read_json_feed(&site);
    // Titles and descriptions get smart punctuation (`"` becomes curly) before any feed
    // sees them, so the JSON must say what the RSS feed says, markup and all.
    let channel = read_rss(&site, "rss.xml");
    assert_eq!(text(&feed, "title"), channel.title());
    assert!(text(&feed, "title").contains("</script>"));
    let item = &feed["items"][0];
    assert_eq!(Some(text(item, "title")), channel.items()[0].title());
    assert!(text(item, "title").starts_with("</script><script>alert("));
    assert!(text(item, "title").contains(" \\ "), "a backslash survives");
    assert!(text(item, "summary").ends_with("</script>"));
    // Tags are not smartened: straight quotes inside a JSON string.
    assert_eq!(item["tags"][0], "\"t\"");
    assert_eq!(text(item, "image"), "https://cdn.example.org/a.png");
    // `feeds.full_content: false`: the summary's HTML, as in the other feeds.
    let html = text(item, "content_html");
    assert!(html.contains("Summary here."), "{html}");
    assert!(!html.contains("The rest"), "{html}");
}

/// The feed is one of the site feeds' outputs: a rebuild that changes nothing in it
/// reuses it, and retitling an essay writes it again.
#[test]
fn a_warm_rebuild_reuses_the_json_feed() {
    use sheaf::{BuildOptions, Changes, Session};
    let site = crate::support::Site::fixture("feeds").create();
    let mut session = Session::new(BuildOptions {
        root: site.root.clone(),
        output: site.out.clone(),
        drafts: false,
        future: false,
        base_url: None,
        preview: true,
    });
    assert!(session.rebuild(&Changes::All).is_ok());
    let rebuild = |session: &mut Session, rel: &str| match session
        .rebuild(&Changes::Paths(vec![site.path(rel)]))
    {
        Ok(rebuilt) => rebuilt.changed,
        Err(_) => panic!("the edited site does not build"),
    };
    site.edit(
        "content/essays/_index.md",
        "All the essays.",
        "Every essay there is.",
    );
    let changed = rebuild(&mut session, "content/essays/_index.md");
    assert!(!changed.iter().any(|p| p == "feed.json"), "{changed:?}");
    site.edit(
        "content/essays/first-steps.md",
        "title: First steps",
        "title: First steps, retitled",
    );
    let changed = rebuild(&mut session, "content/essays/first-steps.md");
    assert!(changed.iter().any(|p| p == "feed.json"), "{changed:?}");
    let json = session
        .files()
        .find(|f| f.path == "feed.json")
        .and_then(|f| f.contents.bytes())
        .map(|b| String::from_utf8(b.to_vec()).unwrap_or_default())
        .unwrap_or_default();
    assert!(json.contains("First steps, retitled"), "{json}");
}
