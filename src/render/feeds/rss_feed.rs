//! RSS 2.0 feeds, written by the `rss` crate: the channel once per feed, and each page's
//! `<item>` once per build (`FeedHtml`), spliced into every feed that lists the page.

use super::{FeedHtml, SiteView, feed_buffer, feed_updated};

pub(super) fn rss_feed(
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
pub(super) fn rss_channel(
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
        // Optional in RSS: left out rather than 1970 when no page in the feed has a date.
        last_build_date: feed_updated(view, pages).map(|d| d.to_rfc2822()),
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
pub(super) fn rss_feed_whole(
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
pub(super) fn rss_item_xml(view: &SiteView, html: &FeedHtml, p: usize) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildOptions, render};
    use crate::model::Site;
    use crate::render::feeds::{latest_pages, tag_feed_pages};

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
