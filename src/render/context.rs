//! Template contexts, computed from the model.
//!
//! A page's card (what lists show) is built once per build and shared by every list that
//! shows the page: tera's values are reference-counted, so putting a card in the section,
//! tag, home and feed lists costs a pointer copy, not a re-serialisation.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value as Json, json};
use tera::Value;

use super::reads::{Check, Current, Reads, SiteView, Touch};
use super::social::{self, Image};
use crate::model::series::series_path;
use crate::model::{NavHref, Page, Site};

/// Per-build values reused by every template render.
pub(crate) struct Contexts {
    /// One card per page, without content or TOC, with what making it read (empty when
    /// the build's jobs list no pages: see `Kind::shows_cards`).
    cards: Vec<Card>,
    /// The site-wide values (`config`, `nav`, `build`): what `Touch::Global` stands for.
    pub globals: tera::Context,
}

/// A page card and the reads it was made from, replayed into every job that shows it.
struct Card {
    value: Value,
    touches: Arc<[Touch]>,
}

impl Contexts {
    /// Page `p`'s card, its reads recorded in `view` (made on the spot if this build made
    /// no cards).
    pub(crate) fn card(&self, view: &SiteView, p: usize) -> Value {
        match self.cards.get(p) {
            Some(card) => {
                view.replay(&card.touches);
                card.value.clone()
            }
            None => Value::from_serializable(&card_json(view, p)),
        }
    }
}

impl Contexts {
    /// Page `p`'s card as a list on another page shows it (related reading), recorded as
    /// the card itself (`Touch::Card`) rather than what it was made from: a body edit that
    /// leaves the card as it was (text after the summary) leaves the list's page alone.
    pub(crate) fn shown_card(&self, view: &SiteView, p: usize) -> Value {
        view.touch(Touch::Card(p));
        match self.cards.get(p) {
            Some(card) => card.value.clone(),
            None => {
                let (card, _) = view.apart(|apart| card_json(apart, p));
                Value::from_serializable(&card)
            }
        }
    }
}

/// The fingerprint of a card's value (`Touch::Card`).
pub(crate) fn card_fingerprint(card: &Json) -> u64 {
    crate::fingerprint::of(&card.to_string())
}

/// Reading speed used for `reading_time`, in words per minute.
const WORDS_PER_MINUTE: usize = 220;

/// Cards by page source path with what each read, kept between the live preview's
/// rebuilds: a card is reused while everything it read is unchanged.
#[derive(Default)]
pub(crate) struct CardCache {
    cards: HashMap<String, Kept>,
}

/// A card as kept: what it read, the same as touches of the site it was last checked on
/// (what jobs that show it replay), and its value.
struct Kept {
    reads: Reads,
    touches: Arc<[Touch]>,
    value: Value,
    /// [`card_fingerprint`] of the value: what `Touch::Card` gives while it is reused.
    fingerprint: u64,
}

impl Kept {
    /// The card, if everything it read is unchanged on `now` (which is told its
    /// fingerprint, so checking the jobs that show it need not make it again).
    fn reuse(&mut self, now: &Current, p: usize) -> Option<Card> {
        match self.reads.check(now) {
            Check::Same => {}
            Check::Moved => self.touches = self.reads.touches().into(),
            Check::Changed => return None,
        }
        now.know_card(p, self.fingerprint);
        Some(Card {
            value: self.value.clone(),
            touches: self.touches.clone(),
        })
    }
}

/// Builds the contexts, reusing each card of `cache` whose reads still hold on `now`. The
/// cards are checked and made in parallel: after a save that adds or removes a page, every
/// one of 10,000 cards is checked against the new model, which serially was 15 ms of each
/// of the preview's two steps.
pub(crate) fn build(now: &Current, preview: bool, cache: &mut CardCache) -> Contexts {
    let site = now.site();
    // Each page with its kept card, taken out of the cache to be checked on its own.
    let mut kept: Vec<(String, Option<Kept>)> = site
        .pages
        .iter()
        .map(
            |page| match cache.cards.remove_entry(&page.doc.source.rel) {
                Some((rel, kept)) => (rel, Some(kept)),
                None => (page.doc.source.rel.clone(), None),
            },
        )
        .collect();
    // What is left belongs to deleted or renamed pages.
    cache.cards.clear();
    let cards: Vec<Card> = kept
        .par_iter_mut()
        .enumerate()
        .map(|(i, (_, slot))| {
            if let Some(card) = slot.as_mut().and_then(|kept| kept.reuse(now, i)) {
                return card;
            }
            let view = SiteView::new(now);
            let json = card_json(&view, i);
            let fingerprint = card_fingerprint(&json);
            now.know_card(i, fingerprint);
            let value = Value::from_serializable(&json);
            let reads = now.record(view.into_touches());
            let touches: Arc<[Touch]> = reads.touches().into();
            *slot = Some(Kept {
                reads,
                touches: touches.clone(),
                value: value.clone(),
                fingerprint,
            });
            Card { value, touches }
        })
        .collect();
    cache.cards.extend(
        kept.into_iter()
            .filter_map(|(rel, slot)| Some((rel, slot?))),
    );
    Contexts {
        cards,
        globals: globals(site, preview),
    }
}

/// Contexts without page cards, for rendering pages that list no other pages.
pub(crate) fn build_globals(site: &Site, preview: bool) -> Contexts {
    Contexts {
        cards: Vec::new(),
        globals: globals(site, preview),
    }
}

/// The site-wide values (`config`, `nav`, `build`), all covered by the global
/// fingerprint (`plan::global_fingerprint`).
fn globals(site: &Site, preview: bool) -> tera::Context {
    let mut globals = tera::Context::new();
    let config = &site.config;
    globals.insert(
        "config",
        &json!({
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "base_url": config.urls.base_url(),
            "author": config.author,
            "extra": config.extra,
            "feeds": config.feeds,
            "csp": config.csp,
            "search": config.search.enabled,
        }),
    );
    let nav: Vec<Json> = site
        .nav
        .iter()
        .map(|link| {
            let (url, external) = match &link.href {
                NavHref::Site(path) => (config.urls.path(path), false),
                NavHref::External(url) => (url.clone(), true),
            };
            json!({ "title": link.title, "url": url, "external": external })
        })
        .collect();
    globals.insert("nav", &nav);
    globals.insert(
        "build",
        &json!({ "drafts": site.selection.drafts, "preview": preview }),
    );
    globals
}

/// What lists and the page itself share.
pub(crate) fn card_json(view: &SiteView, i: usize) -> Json {
    let page = view.page(i);
    let front = &page.doc.front;
    let urls = &view.config().urls;
    let body = page.body.as_ref();
    let word_count = body.map_or(0, |b| b.word_count);
    let link = |p: Option<usize>| {
        p.map(|p| {
            let (title, path) = view.page_ref(p);
            json!({ "title": title, "url": urls.path(path) })
        })
    };
    let section_ref = (page.section != 0).then(|| {
        let (title, path) = view.section_ref(page.section);
        json!({ "title": title, "url": urls.path(path) })
    });
    json!({
        "title": front.title.0,
        "description": front.description,
        "url": urls.path(&page.path),
        "permalink": urls.absolute(&page.path),
        "date": front.date.map(|d| d.iso()).unwrap_or_default(),
        "date_display": front.date.map(|d| d.display()).unwrap_or_default(),
        // The day alone (`2025-03-04`), for search results.
        "day": front.date.map(|d| d.at.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        "updated": front.updated.map(|d| d.iso()).unwrap_or_default(),
        "updated_display": front.updated.map(|d| d.display()).unwrap_or_default(),
        "summary": summary_html(page),
        "reading_time": word_count.div_ceil(WORDS_PER_MINUTE).max(1),
        "word_count": word_count,
        "draft": front.draft,
        "tags": page.tags.iter().map(|&t| tag_ref(view, t)).collect::<Vec<_>>(),
        "section": section_ref,
        "prev": link(page.prev),
        "next": link(page.next),
        "extra": front.extra.as_ref().map_or_else(|| json!({}), crate::yaml::to_json),
        "show_toc": front.toc,
        "search": front.search,
        "worksheet": page.worksheet.as_ref().map(|w| worksheet_json(view, i, w)),
    })
}

/// What templates know of a worksheet: enough to load the script and link the results.
fn worksheet_json(view: &SiteView, i: usize, sheet: &crate::worksheet::Worksheet) -> Json {
    let page_path = &view.page(i).path;
    let urls = &view.config().urls;
    let results: Vec<Json> = sheet
        .results
        .iter()
        .map(|r| {
            let path = crate::model::bodies::result_path(page_path, &r.key);
            json!({ "key": r.key, "title": r.title, "url": urls.path(&path) })
        })
        .collect();
    json!({
        "id": sheet.id,
        "version": sheet.version,
        "by": sheet.by.as_str(),
        "questions": sheet.questions,
        "results": results,
    })
}

pub(crate) fn tag_ref(view: &SiteView, t: usize) -> Json {
    let (name, slug) = view.tag_ref(t);
    json!({ "name": name, "slug": slug, "url": view.config().urls.path(&tag_path(slug)) })
}

pub(crate) fn tag_path(slug: &str) -> String {
    format!("/tags/{slug}/")
}

/// The page's own context: its card plus content, TOC and its place in a series.
pub(crate) fn page_value(view: &SiteView, i: usize) -> Value {
    let page = view.page(i);
    let mut card = card_json(view, i);
    if let Some(body) = &page.body {
        card["content"] = Json::String(body.html.as_str().into_owned());
        card["toc"] = serde_json::to_value(&body.toc).unwrap_or(Json::Null);
    }
    card["series"] = page.series.map_or(Json::Null, |s| series_json(view, s, i));
    Value::from_serializable(&card)
}

/// `page.series`: the series' name and URLs, which part page `i` is, and every part. Only
/// the page itself shows it, so lists' cards do not depend on other pages' series.
fn series_json(view: &SiteView, s: usize, i: usize) -> Json {
    let series = view.series(s);
    let urls = &view.config().urls;
    let path = series_path(&series.slug);
    let parts: Vec<Json> = series
        .pages
        .iter()
        .map(|&p| {
            let (title, path) = view.page_ref(p);
            json!({ "title": title, "url": urls.path(path), "current": p == i })
        })
        .collect();
    json!({
        "name": series.name,
        "slug": series.slug,
        "url": urls.path(&path),
        "feed_url": urls.path(&format!("{path}rss.xml")),
        "part": series.pages.iter().position(|&p| p == i).map_or(0, |n| n + 1),
        "total": series.pages.len(),
        "parts": parts,
    })
}

/// Summary HTML: the part before `<!-- more -->`, else the description, else the first
/// paragraph. Plain text is escaped here because templates print summaries unescaped.
pub(crate) fn summary_html(page: &Page) -> String {
    let body = page.body.as_ref();
    if let Some(summary) = body.and_then(|b| b.summary_html.clone()) {
        return summary;
    }
    let text = if !page.doc.front.description.is_empty() {
        page.doc.front.description.clone()
    } else {
        body.and_then(|b| b.first_paragraph.clone())
            .unwrap_or_default()
    };
    if text.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", escape(&text))
    }
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing to a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Social and search metadata for one output page (DESIGN section 5).
pub(crate) struct Meta<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: &'a str,
    pub og_type: &'a str,
    pub published: String,
    pub modified: String,
    /// The page's social image.
    pub image: Image<'a>,
}

impl<'a> Meta<'a> {
    /// The meta of a page that is no article (a list, an index, a redirect): a website
    /// with the site's default card, no dates.
    pub(crate) fn website(title: &'a str, description: &'a str, path: &'a str) -> Meta<'a> {
        Meta {
            title,
            description,
            path,
            og_type: "website",
            published: String::new(),
            modified: String::new(),
            image: Image::Default,
        }
    }
}

/// What the meta tags say of a social image.
struct ImageMeta {
    url: String,
    alt: String,
    /// Width and height in pixels, when known.
    size: Option<(u32, u32)>,
}

fn image_meta(view: &SiteView, image: &Image, page_title: &str) -> ImageMeta {
    let config = view.config();
    let urls = &config.urls;
    match image {
        Image::Given(image, size) => ImageMeta {
            url: if image.starts_with("https://") || image.starts_with("http://") {
                image.to_string()
            } else {
                urls.absolute(image)
            },
            // What an author's own picture shows is unknown; the page it stands for is not.
            alt: if page_title.is_empty() {
                config.title.clone()
            } else {
                page_title.to_string()
            },
            size: *size,
        },
        Image::Generated(card) => ImageMeta {
            url: urls.absolute(&social::card_path(card)),
            alt: social::card_alt(card),
            size: Some(crate::cards::SIZE),
        },
        Image::Default => ImageMeta {
            url: urls.absolute(DEFAULT_CARD),
            alt: format!("{} — {}", config.title, config.description)
                .trim_end_matches(" — ")
                .to_string(),
            size: Some(crate::cards::SIZE),
        },
    }
}

pub(crate) fn meta_json(view: &SiteView, meta: Meta) -> Json {
    let config = view.config();
    let urls = &config.urls;
    let full_title = if meta.title == config.title || meta.title.is_empty() {
        config.title.clone()
    } else {
        format!("{} — {}", meta.title, config.title)
    };
    let description = if meta.description.is_empty() {
        &config.description
    } else {
        meta.description
    };
    let image = image_meta(view, &meta.image, meta.title);
    json!({
        "title": full_title,
        "page_title": meta.title,
        "description": description,
        "canonical": urls.absolute(meta.path),
        "og_type": meta.og_type,
        "image": image.url,
        "image_alt": image.alt,
        "image_width": image.size.map(|s| s.0),
        "image_height": image.size.map(|s| s.1),
        "site_name": config.title,
        "locale": config.language.replace('-', "_"),
        "published": meta.published,
        "modified": meta.modified,
        "feed_rss": urls.absolute("/rss.xml"),
        "feed_atom": urls.absolute("/atom.xml"),
        "feed_json": urls.absolute("/feed.json"),
        "share": share_links(&urls.absolute(meta.path), meta.title),
    })
}

/// Share links that need no third-party script: plain links to LinkedIn's and X's share
/// pages with the page's URL (and, for X, its title) encoded into the query.
fn share_links(url: &str, title: &str) -> Json {
    let url_q = encode_query(url);
    json!({
        "url": url,
        "linkedin": format!("https://www.linkedin.com/sharing/share-offsite/?url={url_q}"),
        "x": format!("https://x.com/intent/tweet?url={url_q}&text={}", encode_query(title)),
    })
}

/// Percent-encodes a query value: everything but unreserved characters (RFC 3986).
fn encode_query(value: &str) -> String {
    const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, QUERY).to_string()
}

/// The site-wide social card shipped with the theme (1200x627).
pub(crate) const DEFAULT_CARD: &str = "/card.png";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_encode_the_url_and_title() {
        let links = share_links("https://example.org/a b/?x=1&y=2", "Less & more #1");
        assert_eq!(
            links["linkedin"],
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fexample.org%2Fa%20b%2F%3Fx%3D1%26y%3D2"
        );
        assert_eq!(
            links["x"],
            "https://x.com/intent/tweet?url=https%3A%2F%2Fexample.org%2Fa%20b%2F%3Fx%3D1%26y%3D2&text=Less%20%26%20more%20%231"
        );
    }
}
