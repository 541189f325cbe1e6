//! Social cards: the 1200x627 PNG that link previews (Open Graph `og:image`, Twitter
//! `summary_large_image`, LinkedIn, Mastodon, chat apps) show for a worksheet or a
//! worksheet result page.
//!
//! The module is private to the crate (the library's facade is `lib.rs`), so this example
//! is not compiled as a doctest; `cards::tests` makes the same calls.
//!
//! ```ignore
//! use sheaf::cards::{Card, CardCache};
//!
//! let card = Card {
//!     title: "What's my priority today?".into(),
//!     site: "Small Steps".into(),
//!     line: "Three minutes to choose between messages, networking and the algorithm.".into(),
//! };
//! let png: Vec<u8> = sheaf::cards::render_png(&card)?;
//!
//! // Or through a cache on disk, which skips cards rendered by an earlier build:
//! let cache = CardCache::new("site/.sheaf-cache/cards");
//! let (png, rendered) = cache.get_or_render(&card)?;
//! # Ok::<(), sheaf::cards::CardError>(())
//! ```
//!
//! # How a card is made
//!
//! The text is measured and wrapped here (`layout.rs`, `fonts.rs`), then written
//! into an SVG document (`design.rs`) that resvg renders. Measuring uses harfrust, the
//! shaper usvg itself lays SVG text out with, on the same font bytes, so what was measured
//! to fit is drawn to fit; resvg does the drawing (shaping, bidi, outlines,
//! anti-aliasing), so no glyph is placed by hand. The title is tried at 84, 76, 68 and
//! 64 px and set at the first size that fits in three lines; past that it keeps three
//! lines at 64 px and ends in an ellipsis. The short line gets two lines, the site name
//! one.
//!
//! # Fonts and scripts
//!
//! Cards are set in Inter (OFL 1.1, `fonts/LICENSE.txt`), embedded in the binary (about
//! 520 KB for the two faces); no system font is ever looked up, so every machine renders
//! the same card. Inter covers Latin (with Vietnamese and most European accents), Greek
//! and Cyrillic. Anything else (CJK, Arabic, Hebrew, Devanagari, emoji) is drawn as the
//! font's "missing glyph" box: the card still renders, with the right number of boxes
//! and the site name and other text intact. Right-to-left text is reordered by resvg's
//! bidi support but always starts at the left margin.
//!
//! # Cost
//!
//! About 10 ms for one card in a release build (7-17 ms by text length; `cargo bench
//! --bench cards`): text layout 0.2-2 ms, SVG to outlines about 1 ms, drawing 1-3 ms, and
//! PNG compression the rest. [`render_all`] spreads a site's cards over rayon's threads
//! and [`CardCache`] skips unchanged ones. A PNG is 15-55 KB.

mod cache;
mod design;
mod fonts;
mod layout;
#[cfg(test)]
mod tests;

use resvg::{tiny_skia, usvg};

pub use cache::{CardCache, render_all};

/// Bump when the card's look changes (layout, colours, sizes, renderer upgrades that draw
/// differently): it is part of every cache key, so cached cards of the old look are not
/// reused. Changing the fonts needs no bump, their bytes are hashed into the key too.
pub(crate) const RENDERER_VERSION: u32 = 1;

/// Width and height of every card, in pixels (the size Open Graph consumers ask for).
pub(crate) const SIZE: (u32, u32) = (design::WIDTH, design::HEIGHT);

/// What a card says. All three are plain text (no Markdown, no HTML): any Unicode is
/// fine, markup characters are shown as typed, and any of them may be empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Card {
    /// The page's title, the big text.
    pub title: String,
    /// The site's name, shown small at the top with the theme's mark.
    pub site: String,
    /// One short sentence under the title, e.g. the worksheet's description or
    /// "Result: Connector — take the worksheet". The caller decides.
    pub line: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The generated SVG did not parse: a bug here, not a problem with the card's text.
    #[error("social card: generated SVG is invalid ({0})")]
    Svg(String),
    #[error("social card: could not encode the PNG ({0})")]
    Encode(String),
    /// The cache folder or file could not be written.
    #[error("social card cache: {}: {source}", path.display())]
    Cache {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Renders `card` to a 1200x627 PNG (8-bit RGB).
pub fn render_png(card: &Card) -> Result<Vec<u8>, CardError> {
    let svg = design::svg(&design::lay_out(card));
    let options = usvg::Options {
        fontdb: fonts::database(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| CardError::Svg(e.to_string()))?;
    let (width, height) = SIZE;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).expect("card size is not zero");
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

/// PNG without the alpha channel: the background is opaque, so RGBA would only add a
/// quarter more data to compress. The png crate's default (balanced) compression takes
/// two thirds of a card's time; its `Fast` level would cut a card to about 4 ms but make
/// files 2.2 times larger, and cards are rendered once (then cached) but downloaded by
/// every link preview, so size wins.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, CardError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let error = |e: png::EncodingError| CardError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(error)?;
    writer.write_image_data(&rgb).map_err(error)?;
    writer.finish().map_err(error)?;
    Ok(out)
}
