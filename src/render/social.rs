//! Social cards in a build: which pages get a generated card (`crate::cards` draws it),
//! what it says, where it is published, and what each page's `og:image` names.
//!
//! A card is published at `/cards/<key>.png`, where the key hashes the card's text and
//! look. The name changes exactly when the picture does, which matters because LinkedIn,
//! X and chat apps cache a preview image by URL for days.

use super::reads::{Front, SiteView};
use crate::cards::{self, Card, CardCache};
use crate::config::{Cards as Policy, Config};
use crate::diagnostic::Diagnostic;
use crate::output::{CARDS_DIR, Contents, OutputFile};

/// A page's social image, as its meta tags name it.
pub(crate) enum Image<'a> {
    /// The page's own `image:` (a site path or an absolute URL), with its size when known.
    Given(&'a str, Option<(u32, u32)>),
    /// A card generated for the page.
    Generated(Card),
    /// The theme's site-wide card.
    Default,
}

/// The image of page `i`: its own `image:`, else its generated card, else the default.
pub(crate) fn page_image<'s>(view: &SiteView<'_, 's>, i: usize) -> Image<'s> {
    let front = view.page_front(i);
    match front.image {
        Some(image) => Image::Given(&image.url, image.size),
        None => page_card(view.config(), &front).map_or(Image::Default, Image::Generated),
    }
}

/// The image of result `r` of worksheet page `i`: its own card (the result page exists to
/// be posted, "I got Connector"), unless cards are off.
pub(crate) fn result_image<'s>(view: &SiteView<'_, 's>, i: usize, r: usize) -> Image<'s> {
    let front = view.page_front(i);
    match result_card(view.config(), &front, r) {
        Some(card) => Image::Generated(card),
        None => match front.image {
            Some(image) => Image::Given(&image.url, image.size),
            None => Image::Default,
        },
    }
}

/// Every card a page publishes: its own (if any), then one per worksheet result.
/// `config` and `front` come from a `SiteView` when rendering, from the site when planning.
pub(crate) fn cards_of(config: &Config, front: &Front) -> Vec<Card> {
    let results = front.results.map_or(0, <[_]>::len);
    page_card(config, front)
        .into_iter()
        .chain((0..results).filter_map(|r| result_card(config, front, r)))
        .collect()
}

/// Where `card` is published, as a site path.
pub(crate) fn card_path(card: &Card) -> String {
    let key = CardCache::key(card);
    // 64 bits of the 256-bit key: unique enough for the cards of one site, and short.
    format!("/{CARDS_DIR}{}.png", &key[..16])
}

/// The alternative text of a generated card: what it says, in the order it shows it.
pub(crate) fn card_alt(card: &Card) -> String {
    let mut alt = card.title.clone();
    if !card.line.is_empty() {
        alt.push_str(" — ");
        alt.push_str(&card.line);
    }
    if !card.site.is_empty() {
        alt.push_str(" (");
        alt.push_str(&card.site);
        alt.push(')');
    }
    alt
}

/// Renders `cards` to output files, through `cache` when there is one. In parallel: a
/// worksheet's result cards are most of a small site's build time.
pub(crate) fn render(
    cache: Option<&CardCache>,
    cards: &[Card],
) -> Result<Vec<OutputFile>, Diagnostic> {
    use rayon::prelude::*;
    cards
        .par_iter()
        .map(|card| {
            let png = match cache {
                Some(cache) => cache.get_or_render(card).map(|(png, _)| png),
                None => cards::render_png(card),
            }
            .map_err(|e| {
                Diagnostic::error(format!("{e} (card “{}”)", card.title)).help(
                    "this is a bug in sheaf; set `cards: none` in config.yaml to build without generated cards",
                )
            })?;
            Ok(OutputFile {
                path: card_path(card).trim_start_matches('/').to_string(),
                contents: Contents::Bytes(png.into()),
            })
        })
        .collect()
}

/// A page's own card: worksheets, and every page with `cards: all`; never a page with
/// its own `image:`.
fn page_card(config: &Config, front: &Front) -> Option<Card> {
    let wanted = match config.cards {
        Policy::None => false,
        Policy::Worksheets => front.results.is_some(),
        Policy::All => true,
    };
    (wanted && front.front.image.is_none()).then(|| Card {
        title: front.front.title.0.clone(),
        site: config.title.clone(),
        line: front.front.description.clone(),
    })
}

/// The card of result `r` of a worksheet page, unless cards are off.
fn result_card(config: &Config, front: &Front, r: usize) -> Option<Card> {
    if config.cards == Policy::None {
        return None;
    }
    let result = front.results?.get(r)?;
    Some(Card {
        title: result.title.clone(),
        site: config.title.clone(),
        line: format!(
            "A result of “{}”. Take the worksheet to find yours.",
            front.front.title.0
        ),
    })
}
