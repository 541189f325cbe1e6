//! The site's feeds: RSS 2.0 (`rss_feed`), Atom (`atom_feed`) and JSON Feed (`json_feed`),
//! written with the `rss`, `atom_syndication` and `serde_json` crates so
//! escaping and element order are right by construction.

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
        json_feed::json_feed(view, html),
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

mod atom_feed;
mod json_feed;
mod rss_feed;
pub(crate) mod shown;

use atom_feed::atom_feed;
use rss_feed::{rss_feed, rss_item_xml};

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

/// Newest change among the pages, so the feed date is stable across rebuilds; `None`
/// when no page has a date (a feed of undated series parts, a site with no dated page).
fn feed_updated(view: &SiteView, pages: &[usize]) -> Option<DateTime<FixedOffset>> {
    pages.iter().filter_map(|&p| updated_of(view, p)).max()
}

/// What an Atom feed of undated pages says for `updated`, which Atom requires: a fixed
/// date, so the bytes stay the same from build to build (the time of the build would not).
fn undated() -> DateTime<FixedOffset> {
    DateTime::<Utc>::UNIX_EPOCH.fixed_offset()
}

/// The id of a page's feed items: its `feed_id:` (an old site's id, kept so readers' feed
/// apps do not show a moved page as new), else its address.
pub(super) fn feed_id(id: Option<&crate::load::fields::FeedId>, permalink: &str) -> String {
    id.map_or_else(|| permalink.to_string(), |id| id.0.clone())
}
