//! `feed.json`: JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>), the same items as
//! `rss.xml` and `atom.xml`, for readers and tools that would rather not parse XML.
//!
//! Serialised with serde_json from the structs below, never by hand, so every string is
//! escaped by construction (a title holding `"` or `</script>` is still one JSON string).

use serde::Serialize;

use super::{FeedHtml, SiteView, latest_pages, updated_of};
use crate::output::{Contents, OutputFile};

/// The version URL the spec asks every 1.1 feed to carry.
const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    authors: Vec<Author<'a>>,
    items: Vec<Item>,
}

/// The spec wants at least one of `name`, `url`, `avatar`: the name is never empty (the
/// site's title stands in, as in Atom).
#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
struct Item {
    /// The permalink, as Atom's `<id>`: stable while the page keeps its URL.
    id: String,
    url: String,
    title: String,
    content_html: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

/// `feed.json`: the latest dated pages, newest first (`feeds::latest_pages`).
pub(crate) fn json_feed(view: &SiteView, html: &FeedHtml) -> OutputFile {
    let config = view.config();
    let urls = &config.urls;
    let items = latest_pages(view)
        .into_iter()
        .map(|p| item(view, html, p))
        .collect();
    let author = Author {
        name: if config.author.name.is_empty() {
            &config.title
        } else {
            &config.author.name
        },
        url: &config.author.url,
    };
    let feed = Feed {
        version: VERSION,
        title: &config.title,
        home_page_url: urls.absolute("/"),
        feed_url: urls.absolute(FEED_PATH),
        description: &config.description,
        language: &config.language,
        authors: vec![author],
        items,
    };
    // Plain structs of strings always serialise; an empty file would fail the tests loudly.
    let json = serde_json::to_vec_pretty(&feed).unwrap_or_default();
    OutputFile {
        path: FEED_PATH.trim_start_matches('/').into(),
        contents: Contents::Bytes(json.into()),
    }
}

/// Where the feed is, as a site path.
pub(crate) const FEED_PATH: &str = "/feed.json";

/// Page `p` as an item: the same HTML as its RSS and Atom entries.
fn item(view: &SiteView, html: &FeedHtml, p: usize) -> Item {
    let page = view.page(p);
    let front = &page.doc.front;
    let urls = &view.config().urls;
    let permalink = urls.absolute(&page.path);
    let image = view.page_front(p).image.map(|image| {
        if image.url.starts_with("https://") || image.url.starts_with("http://") {
            image.url.clone()
        } else {
            urls.absolute(&image.url)
        }
    });
    Item {
        id: super::feed_id(front.feed_id.as_ref(), &permalink),
        url: permalink,
        title: front.title.0.clone(),
        content_html: html.get(view, p),
        summary: front.description.clone(),
        image,
        date_published: front.date.map(|d| d.at.to_rfc3339()),
        date_modified: updated_of(view, p).map(|d| d.to_rfc3339()),
        tags: page
            .tags
            .iter()
            .map(|&t| view.tag_ref(t).0.to_string())
            .collect(),
    }
}
