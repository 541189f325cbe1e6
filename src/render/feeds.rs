//! RSS 2.0, Atom and the sitemap, written with the `rss` and `atom_syndication` crates so
//! escaping and element order are right by construction.

use atom_syndication as atom;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, Utc};

use super::assets::{Contents, OutputFile};
use super::context::{summary_html, tag_path};
use crate::model::Site;

/// Each page's feed HTML, made once per build: a page appears in the RSS and Atom feeds
/// and in the feed of each of its tags, and making it absolute is a pass over the article.
pub struct FeedHtml(Vec<OnceLock<String>>);

impl FeedHtml {
    pub fn new(site: &Site) -> Self {
        FeedHtml((0..site.pages.len()).map(|_| OnceLock::new()).collect())
    }

    fn get(&self, site: &Site, p: usize) -> String {
        self.0.get(p).map_or_else(
            || feed_html(site, p),
            |memo| memo.get_or_init(|| feed_html(site, p)).clone(),
        )
    }
}

/// `rss.xml` and `atom.xml`: the latest dated pages of the whole site.
pub fn site_feeds(site: &Site, html: &FeedHtml) -> Vec<OutputFile> {
    let latest = latest_pages(site);
    vec![
        xml_file(
            "rss.xml",
            rss_feed(site, html, &site.config.title, "/rss.xml", "/", &latest),
        ),
        xml_file("atom.xml", atom_feed(site, html, &latest)),
    ]
}

/// The pages the site feeds show, newest first.
pub fn latest_pages(site: &Site) -> Vec<usize> {
    let limit = site.config.feeds.limit;
    site.dated_pages().iter().copied().take(limit).collect()
}

/// The pages one tag's feed shows, newest first.
pub fn tag_feed_pages(site: &Site, t: usize) -> Vec<usize> {
    site.tags[t]
        .pages
        .iter()
        .copied()
        .filter(|&p| site.pages[p].doc.front.date.is_some())
        .take(site.config.feeds.limit)
        .collect()
}

/// `tags/<slug>/rss.xml`.
pub fn tag_feed(site: &Site, html: &FeedHtml, t: usize) -> OutputFile {
    let tag = &site.tags[t];
    let pages = tag_feed_pages(site, t);
    let path = tag_path(&tag.slug);
    let title = format!("{} — {}", tag.name, site.config.title);
    xml_file(
        &format!("{}rss.xml", path.trim_start_matches('/')),
        rss_feed(site, html, &title, &format!("{path}rss.xml"), &path, &pages),
    )
}

fn xml_file(path: &str, xml: Vec<u8>) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: Contents::Bytes(xml.into()),
    }
}

/// A buffer for a feed of `items` whose articles are `html_bytes` long: feeds are the
/// biggest files of a small site, and growing the buffer by doubling copied them over and
/// over. (The crates' `to_string` also copied the whole feed twice more.)
fn feed_buffer(items: usize, html_bytes: usize) -> Vec<u8> {
    Vec::with_capacity(html_bytes + html_bytes / 8 + items * 1024 + 4096)
}

/// The HTML a feed carries for a page: the whole article, or its summary, with links made
/// absolute because feed readers have no page URL to resolve them against.
fn feed_html(site: &Site, p: usize) -> String {
    let page = &site.pages[p];
    let html = if site.config.feeds.full_content {
        page.body
            .as_ref()
            .map(|b| b.html.clone())
            .unwrap_or_default()
    } else {
        summary_html(page)
    };
    // The summary marker means nothing to a feed reader.
    let html = html
        .replace("<!-- more -->\n", "")
        .replace("<!-- more -->", "");
    site.config.urls.absolutize_html(&html)
}

fn updated_of(site: &Site, p: usize) -> Option<DateTime<FixedOffset>> {
    let front = &site.pages[p].doc.front;
    front.updated.or(front.date).map(|d| d.at)
}

/// Newest change among the pages, so the feed date is stable across rebuilds.
fn feed_updated(site: &Site, pages: &[usize]) -> DateTime<FixedOffset> {
    pages
        .iter()
        .filter_map(|&p| updated_of(site, p))
        .max()
        .unwrap_or_else(|| DateTime::<Utc>::UNIX_EPOCH.fixed_offset())
}

fn rss_feed(
    site: &Site,
    html: &FeedHtml,
    title: &str,
    self_path: &str,
    link_path: &str,
    pages: &[usize],
) -> Vec<u8> {
    let urls = &site.config.urls;
    let mut html_bytes = 0;
    let items: Vec<rss::Item> = pages
        .iter()
        .map(|&p| {
            let page = &site.pages[p];
            let front = &page.doc.front;
            let permalink = urls.absolute(&page.path);
            let categories = page
                .tags
                .iter()
                .map(|&t| rss::Category {
                    name: site.tags[t].name.clone(),
                    domain: None,
                })
                .collect();
            let description = html.get(site, p);
            html_bytes += description.len();
            rss::Item {
                title: Some(front.title.0.clone()),
                link: Some(permalink.clone()),
                description: Some(description),
                guid: Some(rss::Guid {
                    value: permalink,
                    permalink: true,
                }),
                pub_date: front.date.map(|d| d.at.to_rfc2822()),
                categories,
                ..Default::default()
            }
        })
        .collect();
    let description = if site.config.description.is_empty() {
        site.config.title.clone()
    } else {
        site.config.description.clone()
    };
    let channel = rss::Channel {
        title: title.to_string(),
        link: urls.absolute(link_path),
        description,
        language: Some(site.config.language.clone()),
        last_build_date: Some(feed_updated(site, pages).to_rfc2822()),
        generator: Some("sheaf".into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        items,
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![rss::extension::atom::Link {
                href: urls.absolute(self_path),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            }],
        }),
        ..Default::default()
    };
    let buffer = feed_buffer(channel.items.len(), html_bytes);
    // Writing to memory cannot fail, and the crate only writes text.
    channel.write_to(buffer).unwrap_or_default()
}

fn atom_feed(site: &Site, html: &FeedHtml, pages: &[usize]) -> Vec<u8> {
    let urls = &site.config.urls;
    let config = &site.config;
    let author = atom::Person {
        name: if config.author.name.is_empty() {
            config.title.clone()
        } else {
            config.author.name.clone()
        },
        uri: (!config.author.url.is_empty()).then(|| config.author.url.clone()),
        email: None,
        extensions: Default::default(),
    };
    let link = |href: String, rel: &str, mime: Option<&str>| atom::Link {
        href,
        rel: rel.into(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    };
    let entries = pages
        .iter()
        .map(|&p| {
            let page = &site.pages[p];
            let front = &page.doc.front;
            let permalink = urls.absolute(&page.path);
            let summary = (!front.description.is_empty())
                .then(|| atom::Text::plain(front.description.clone()));
            atom::Entry {
                title: atom::Text::plain(front.title.0.clone()),
                id: permalink.clone(),
                updated: updated_of(site, p).unwrap_or_else(|| feed_updated(site, pages)),
                published: front.date.map(|d| d.at),
                links: vec![link(permalink, "alternate", Some("text/html"))],
                summary,
                content: Some(atom::Content {
                    value: Some(html.get(site, p)),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                categories: page
                    .tags
                    .iter()
                    .map(|&t| atom::Category {
                        term: site.tags[t].slug.clone(),
                        label: Some(site.tags[t].name.clone()),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            }
        })
        .collect();
    let feed = atom::Feed {
        title: atom::Text::plain(config.title.clone()),
        id: urls.absolute("/"),
        updated: feed_updated(site, pages),
        authors: vec![author],
        links: vec![
            link(
                urls.absolute("/atom.xml"),
                "self",
                Some("application/atom+xml"),
            ),
            link(urls.absolute("/"), "alternate", Some("text/html")),
        ],
        subtitle: (!config.description.is_empty())
            .then(|| atom::Text::plain(config.description.clone())),
        generator: Some(atom::Generator {
            value: "sheaf".into(),
            ..Default::default()
        }),
        lang: Some(config.language.clone()),
        entries,
        ..Default::default()
    };
    let html_bytes: usize = feed
        .entries
        .iter()
        .filter_map(|e| e.content.as_ref()?.value.as_ref().map(String::len))
        .sum();
    // Atom escapes the HTML (`&lt;p&gt;`), so allow for a longer article.
    let buffer = feed_buffer(feed.entries.len(), html_bytes + html_bytes / 4);
    feed.write_to(buffer).unwrap_or_default()
}

/// `sitemap.xml`: every page, section and tag page, with `lastmod` where a date is known.
pub fn sitemap(site: &Site) -> OutputFile {
    let urls = &site.config.urls;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for s in &site.sections {
        let newest = s.pages.iter().filter_map(|&p| updated_of(site, p)).max();
        entries.push((urls.absolute(&s.path), newest.map(|d| d.to_rfc3339())));
    }
    for (i, p) in site.pages.iter().enumerate() {
        entries.push((
            urls.absolute(&p.path),
            updated_of(site, i).map(|d| d.to_rfc3339()),
        ));
    }
    for page in &site.pages {
        for result in page.worksheet.iter().flat_map(|w| &w.results) {
            let path = crate::model::bodies::result_path(&page.path, &result.key);
            entries.push((urls.absolute(&path), None));
        }
    }
    entries.push((urls.absolute("/tags/"), None));
    for tag in &site.tags {
        entries.push((urls.absolute(&tag_path(&tag.slug)), None));
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&super::context::escape(&loc));
        xml.push_str("</loc>\n");
        if let Some(lastmod) = lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(&lastmod);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml_file("sitemap.xml", xml.into_bytes())
}
