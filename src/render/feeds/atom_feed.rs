//! The site's Atom feed (`atom.xml`), written by the `atom_syndication` crate.

use atom_syndication as atom;

use super::{FeedHtml, SiteView, feed_buffer, feed_id, feed_updated, undated, updated_of};

pub(super) fn atom_feed(view: &SiteView, html: &FeedHtml, pages: &[usize]) -> Vec<u8> {
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
                updated: updated_of(view, p)
                    .or_else(|| feed_updated(view, pages))
                    .unwrap_or_else(undated),
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
        updated: feed_updated(view, pages).unwrap_or_else(undated),
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
