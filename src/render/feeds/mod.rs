//! RSS 2.0 and Atom feeds (and, in `json_feed`, JSON Feed), written with the `rss` and `atom_syndication` crates so
//! escaping and element order are right by construction.

use atom_syndication as atom;
use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, Utc};

use super::context::{escape, summary_html, tag_path};
use super::reads::{SiteView, Touch};
use crate::model::Site;
use crate::output::{Contents, OutputFile};

/// Each page's feed HTML and RSS item, made once per build: a page appears in the RSS and
/// Atom feeds and in the feed of each of its tags, making the HTML absolute is a pass over
/// the article, and writing the item copies it again. Each is kept with what making it
/// read, which every feed that uses it records as its own reads.
pub(crate) struct FeedHtml {
    html: Vec<OnceLock<(String, Vec<Touch>)>>,
    rss_items: Vec<OnceLock<(Vec<u8>, Vec<Touch>)>>,
}

impl FeedHtml {
    pub(crate) fn new(site: &Site) -> Self {
        FeedHtml {
            html: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            rss_items: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    pub(super) fn get(&self, view: &SiteView, p: usize) -> String {
        match self.html.get(p) {
            Some(memo) => {
                let (html, touches) = memo.get_or_init(|| view.apart(|v| feed_html(v, p)));
                view.replay(touches);
                html.clone()
            }
            None => feed_html(view, p),
        }
    }

    fn rss_item<'m>(&'m self, view: &SiteView, p: usize) -> &'m [u8] {
        match self.rss_items.get(p) {
            Some(memo) => {
                let (xml, touches) = memo.get_or_init(|| view.apart(|v| rss_item_xml(v, self, p)));
                view.replay(touches);
                xml
            }
            None => &[],
        }
    }
}

/// `rss.xml`, `atom.xml` and `feed.json`: the latest dated pages of the whole site.
pub(crate) fn site_feeds(view: &SiteView, html: &FeedHtml) -> Vec<OutputFile> {
    let latest = latest_pages(view);
    let title = &view.config().title;
    let mut files = vec![
        xml_file(
            "rss.xml",
            rss_feed(view, html, title, "/rss.xml", "/", &latest),
        ),
        xml_file("atom.xml", atom_feed(view, html, &latest)),
        super::json_feed::json_feed(view, html),
    ];
    // Same bytes at the old paths: each copy says where the feed lives now (its self link).
    for (path, format) in view.config().feeds.site_copies() {
        let original = files.iter().find(|f| f.path == format.original());
        if let Some(original) = original {
            files.push(OutputFile {
                path: path.to_string(),
                contents: original.contents.clone(),
            });
        }
    }
    files
}

/// The pages the site feeds show, newest first.
pub(crate) fn latest_pages(view: &SiteView) -> Vec<usize> {
    let limit = view.config().feeds.limit;
    view.dated().iter().copied().take(limit).collect()
}

/// The pages one tag's feed shows, newest first.
pub(crate) fn tag_feed_pages(view: &SiteView, t: usize) -> Vec<usize> {
    let limit = view.config().feeds.limit;
    view.tag(t)
        .pages
        .iter()
        .copied()
        .filter(|&p| view.page_front(p).front.date.is_some())
        .take(limit)
        .collect()
}

pub(crate) mod shown;

/// `tags/<slug>/rss.xml`, and its copies under the names `feeds.copies` gives
/// (`tags/*/index.xml`: where an old site's readers subscribed to the tag).
pub(crate) fn tag_feed(view: &SiteView, html: &FeedHtml, t: usize) -> Vec<OutputFile> {
    let pages = tag_feed_pages(view, t);
    let (name, slug) = view.tag_ref(t);
    let path = tag_path(slug);
    let title = format!("{} — {}", name, view.config().title);
    let folder = path.trim_start_matches('/');
    let feed = xml_file(
        &format!("{folder}rss.xml"),
        rss_feed(view, html, &title, &format!("{path}rss.xml"), &path, &pages),
    );
    let copies = view.config().feeds.tag_copies().map(|name| OutputFile {
        path: format!("{folder}{name}"),
        contents: feed.contents.clone(),
    });
    let copies: Vec<OutputFile> = copies.collect();
    std::iter::once(feed).chain(copies).collect()
}

/// `series/<slug>/rss.xml`: every part of series `s`, the last part first (so the newest
/// part of a series read in date order heads the feed), at most `feeds.limit`. Unlike a
/// tag's feed it keeps undated parts: in a series ordered by weight they are the series.
pub(crate) fn series_feed(view: &SiteView, html: &FeedHtml, s: usize) -> OutputFile {
    let series = view.series(s);
    let limit = view.config().feeds.limit;
    let pages: Vec<usize> = series.pages.iter().rev().take(limit).copied().collect();
    let path = crate::model::series::series_path(&series.slug);
    let title = format!("{} — {}", series.name, view.config().title);
    xml_file(
        &format!("{}rss.xml", path.trim_start_matches('/')),
        rss_feed(view, html, &title, &format!("{path}rss.xml"), &path, &pages),
    )
}

pub(super) fn xml_file(path: &str, xml: Vec<u8>) -> OutputFile {
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

/// Largest HTML a feed item carries (64 KiB). A longer article is represented by its
/// summary and a link to it: every feed that lists the page (the site's RSS and Atom feeds
/// and each of its tags' feeds) copies the item, and a 100 MB article went whole into
/// `rss.xml`. Most essays are far below this; feed readers show long ones badly anyway.
pub(crate) const FEED_ITEM_MAX_BYTES: usize = 64 * 1024;

/// The HTML a feed carries for a page: the whole article, or its summary, with links made
/// absolute because feed readers have no page URL to resolve them against. Past
/// [`FEED_ITEM_MAX_BYTES`] the summary is used, and past it too the start of the text.
fn feed_html(view: &SiteView, p: usize) -> String {
    let page = view.page(p);
    let config = view.config();
    // Expanded only when the feed carries whole articles (see `markdown::Html`).
    let article = match &page.body {
        Some(body) if config.feeds.full_content => body.html.as_str(),
        _ => Cow::Borrowed(""),
    };
    let too_long = config.feeds.full_content && article.len() > FEED_ITEM_MAX_BYTES;
    let mut html = if config.feeds.full_content && !too_long {
        article.into_owned()
    } else {
        summary_html(page)
    };
    let cut = html.len() > FEED_ITEM_MAX_BYTES;
    if cut {
        html = format!("<p>{}</p>", escape(&text_start(page, 1000)));
    }
    if cut || too_long {
        html.push_str(&format!(
            "\n<p><a href=\"{}\">Read the whole article</a></p>\n",
            escape(&config.urls.absolute(&page.path))
        ));
    }
    // The summary marker means nothing to a feed reader. Most articles have none: the
    // look is one pass, dropping it two more and two copies of the article.
    const MORE: &str = "<!-- more -->";
    if html.contains(MORE) {
        html = html.replace(&format!("{MORE}\n"), "").replace(MORE, "");
    }
    config.urls.absolutize_html(&html)
}

/// The first `chars` characters of the page's description or first paragraph (plain
/// text), with `…` when cut.
fn text_start(page: &crate::model::Page, chars: usize) -> String {
    let front = &page.doc.front.description;
    let text = if front.is_empty() {
        page.body
            .as_ref()
            .and_then(|b| b.first_paragraph.as_deref())
            .unwrap_or("")
    } else {
        front.as_str()
    };
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}

pub(super) fn updated_of(view: &SiteView, p: usize) -> Option<DateTime<FixedOffset>> {
    let front = view.page_front(p).front;
    front.updated.or(front.date).map(|d| d.at)
}

/// Newest change among the pages, so the feed date is stable across rebuilds.
fn feed_updated(view: &SiteView, pages: &[usize]) -> DateTime<FixedOffset> {
    pages
        .iter()
        .filter_map(|&p| updated_of(view, p))
        .max()
        .unwrap_or_else(|| DateTime::<Utc>::UNIX_EPOCH.fixed_offset())
}

fn rss_feed(
    view: &SiteView,
    html: &FeedHtml,
    title: &str,
    self_path: &str,
    link_path: &str,
    pages: &[usize],
) -> Vec<u8> {
    let channel = rss_channel(view, title, self_path, link_path, pages);
    // The crate writes the items last, just before `</channel>`: the channel is written
    // without them and each page's `<item>`, made once per build, spliced in.
    let items: Vec<&[u8]> = pages.iter().map(|&p| html.rss_item(view, p)).collect();
    let bytes: usize = items.iter().map(|i| i.len()).sum();
    let mut xml = feed_buffer(0, bytes);
    xml = channel.write_to(xml).unwrap_or_default();
    if !xml.ends_with(CHANNEL_END) || items.iter().any(|i| i.is_empty()) {
        return rss_feed_whole(view, html, channel, pages);
    }
    xml.truncate(xml.len() - CHANNEL_END.len());
    for item in items {
        xml.extend_from_slice(item);
    }
    xml.extend_from_slice(CHANNEL_END);
    xml
}

/// The channel of an RSS feed, without its items.
fn rss_channel(
    view: &SiteView,
    title: &str,
    self_path: &str,
    link_path: &str,
    pages: &[usize],
) -> rss::Channel {
    let config = view.config();
    let urls = &config.urls;
    let description = if config.description.is_empty() {
        config.title.clone()
    } else {
        config.description.clone()
    };
    rss::Channel {
        title: title.to_string(),
        link: urls.absolute(link_path),
        description,
        language: Some(config.language.clone()),
        last_build_date: Some(feed_updated(view, pages).to_rfc2822()),
        generator: Some("sheaf".into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![rss::extension::atom::Link {
                href: urls.absolute(self_path),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            }],
        }),
        ..Default::default()
    }
}

/// How the `rss` crate ends a channel.
const CHANNEL_END: &[u8] = b"</channel></rss>";

/// The feed written by the crate alone, items and all: what splicing must equal (and the
/// way taken should the crate ever write something splicing does not expect).
fn rss_feed_whole(
    view: &SiteView,
    html: &FeedHtml,
    mut channel: rss::Channel,
    pages: &[usize],
) -> Vec<u8> {
    channel.items = pages.iter().map(|&p| rss_item(view, html, p)).collect();
    let bytes = channel
        .items
        .iter()
        .filter_map(|i| i.description.as_ref())
        .map(String::len)
        .sum();
    let buffer = feed_buffer(channel.items.len(), bytes);
    // Writing to memory cannot fail, and the crate only writes text.
    channel.write_to(buffer).unwrap_or_default()
}

/// The id of a page's feed items: its `feed_id:` (an old site's id, kept so readers' feed
/// apps do not show a moved page as new), else its address.
pub(super) fn feed_id(id: Option<&crate::load::fields::FeedId>, permalink: &str) -> String {
    id.map_or_else(|| permalink.to_string(), |id| id.0.clone())
}

/// Page `p` as an RSS item.
fn rss_item(view: &SiteView, html: &FeedHtml, p: usize) -> rss::Item {
    let page = view.page(p);
    let front = &page.doc.front;
    let permalink = view.config().urls.absolute(&page.path);
    let categories = page
        .tags
        .iter()
        .map(|&t| rss::Category {
            name: view.tag_ref(t).0.to_string(),
            domain: None,
        })
        .collect();
    rss::Item {
        title: Some(front.title.0.clone()),
        link: Some(permalink.clone()),
        description: Some(html.get(view, p)),
        guid: Some(match &front.feed_id {
            Some(id) => rss::Guid {
                value: id.0.clone(),
                permalink: false,
            },
            None => rss::Guid {
                value: permalink,
                permalink: true,
            },
        }),
        pub_date: front.date.map(|d| d.at.to_rfc2822()),
        categories,
        ..Default::default()
    }
}

/// The `<item>...</item>` bytes of page `p`, as the crate writes them inside a channel;
/// empty if the crate's output is not shaped as expected.
fn rss_item_xml(view: &SiteView, html: &FeedHtml, p: usize) -> Vec<u8> {
    let channel = rss::Channel {
        items: vec![rss_item(view, html, p)],
        ..Default::default()
    };
    let xml = channel.write_to(Vec::new()).unwrap_or_default();
    // The item is the last child, and the empty channel's own text holds no `<item>`.
    let start = xml.windows(6).position(|w| w == b"<item>");
    match (start, xml.ends_with(CHANNEL_END)) {
        (Some(start), true) => xml[start..xml.len() - CHANNEL_END.len()].to_vec(),
        _ => Vec::new(),
    }
}

fn atom_feed(view: &SiteView, html: &FeedHtml, pages: &[usize]) -> Vec<u8> {
    let config = view.config();
    let urls = &config.urls;
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
            let page = view.page(p);
            let front = &page.doc.front;
            let permalink = urls.absolute(&page.path);
            let summary = (!front.description.is_empty())
                .then(|| atom::Text::plain(front.description.clone()));
            atom::Entry {
                title: atom::Text::plain(front.title.0.clone()),
                id: feed_id(front.feed_id.as_ref(), &permalink),
                updated: updated_of(view, p).unwrap_or_else(|| feed_updated(view, pages)),
                published: front.date.map(|d| d.at),
                links: vec![link(permalink, "alternate", Some("text/html"))],
                summary,
                content: Some(atom::Content {
                    value: Some(html.get(view, p)),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                categories: page
                    .tags
                    .iter()
                    .map(|&t| {
                        let (name, slug) = view.tag_ref(t);
                        atom::Category {
                            term: slug.to_string(),
                            label: Some(name.to_string()),
                            ..Default::default()
                        }
                    })
                    .collect(),
                ..Default::default()
            }
        })
        .collect();
    let feed = atom::Feed {
        title: atom::Text::plain(config.title.clone()),
        id: urls.absolute("/"),
        updated: feed_updated(view, pages),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildOptions, render};

    /// A site whose articles hold what could confuse splicing: raw `<item>` and
    /// `</channel>` markup, a CDATA end, tags shared between pages.
    fn site() -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "config.yaml",
            "title: T\nbase_url: https://example.org/b/\n",
        );
        write("content/_index.md", "---\ntitle: Home\n---\n");
        write("content/essays/_index.md", "---\ntitle: Essays\n---\n");
        for (i, body) in [
            "<item>raw</item> and </channel></rss>",
            "text ]]> more <![CDATA[ x",
            "```rust\nfn main() {}\n```",
        ]
        .iter()
        .enumerate()
        {
            write(
                &format!("content/essays/e{i}.md"),
                &format!(
                    "---\ntitle: E{i} <&>\ndate: 2025-01-0{}\ntags: [a, b{i}]\n---\n\n{body}\n",
                    i + 1
                ),
            );
        }
        let Ok(built) = render(&BuildOptions::plain(dir.path())) else {
            panic!("the test site builds");
        };
        let site = built.site;
        (dir, site)
    }

    #[test]
    fn spliced_feeds_equal_the_crates_own() {
        let (_dir, site) = site();
        let now = crate::render::reads::Current::new(&site, 0);
        let view = SiteView::new(&now);
        let html = FeedHtml::new(&site);
        let mut feeds = vec![("rss.xml".to_string(), latest_pages(&view))];
        for t in 0..site.tags.len() {
            feeds.push((site.tags[t].slug.clone(), tag_feed_pages(&view, t)));
        }
        for (name, pages) in feeds {
            assert!(!pages.is_empty(), "{name}");
            let spliced = rss_feed(&view, &html, "T", "/rss.xml", "/", &pages);
            let channel = rss_channel(&view, "T", "/rss.xml", "/", &pages);
            let whole = rss_feed_whole(&view, &html, channel, &pages);
            assert_eq!(
                String::from_utf8(spliced).unwrap(),
                String::from_utf8(whole).unwrap(),
                "{name}"
            );
        }
    }
}
