//! Rendered cards kept on disk between builds, keyed by what they are made from, so a
//! build renders only the cards whose text (or look, or fonts) changed.
//!
//! Each entry is `<dir>/<key>.png`. Entries are written to a temporary file in the same
//! folder and renamed into place, which is atomic on one filesystem: two builds sharing
//! the folder may both render a card, but a reader sees either no file or a whole one.
//! An entry that is not a whole 1200x627 PNG (damaged, truncated, or something else
//! entirely) is treated as missing and rendered again. Nothing is ever deleted here: old
//! entries are small (tens of KB) and the folder can be removed at any time.

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Card, CardError, RENDERER_VERSION, SIZE, fonts, render_png};

/// A folder of rendered cards. Share one between threads (`&CardCache` is enough).
#[derive(Debug)]
pub struct CardCache {
    dir: PathBuf,
    renders: AtomicUsize,
    /// The first failure to store a card. The cache only saves time, so a folder that
    /// cannot be written (a read-only checkout) must not fail the build: cards are still
    /// returned, and the caller reports this once as a warning.
    store_error: Mutex<Option<CardError>>,
}

impl CardCache {
    /// A cache in `dir` (e.g. `<site>/.sheaf-cache/cards`), created when the first card
    /// is stored.
    pub fn new(dir: impl Into<PathBuf>) -> CardCache {
        CardCache {
            dir: dir.into(),
            renders: AtomicUsize::new(0),
            store_error: Mutex::new(None),
        }
    }

    /// The card's cache key: a hex BLAKE3 hash of its text, [`RENDERER_VERSION`] and the
    /// embedded fonts. It changes exactly when the image may, so it also makes a good
    /// cache-busting file name for the published card (social sites cache images by URL).
    pub fn key(card: &Card) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"sheaf social card\0");
        hasher.update(&RENDERER_VERSION.to_le_bytes());
        hasher.update(fonts::fingerprint());
        for field in [&card.title, &card.site, &card.line] {
            hasher.update(&(field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    /// Where the card's PNG is (or will be) stored.
    pub fn path(&self, card: &Card) -> PathBuf {
        self.dir.join(format!("{}.png", Self::key(card)))
    }

    /// The card's PNG, from the cache if a good copy is there, else rendered and stored.
    /// The flag says whether it was rendered by this call. A card that could not be
    /// stored is still returned; see [`CardCache::store_error`].
    pub fn get_or_render(&self, card: &Card) -> Result<(Vec<u8>, bool), CardError> {
        let path = self.path(card);
        if let Ok(bytes) = std::fs::read(&path)
            && is_whole_card(&bytes)
        {
            return Ok((bytes, false));
        }
        let png = render_png(card)?;
        self.renders.fetch_add(1, Ordering::Relaxed);
        if let Err(source) = crate::atomic::replace_file(&path, &png) {
            let mut first = self.store_error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert(CardError::Cache { path, source });
        }
        Ok((png, true))
    }

    /// The first card that could not be stored since the cache was made, if any.
    pub fn store_error(&self) -> Option<String> {
        let error = self.store_error.lock().unwrap_or_else(|e| e.into_inner());
        error.as_ref().map(ToString::to_string)
    }

    /// How many cards this cache has rendered (rather than read) since it was made.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }
}

/// Renders (or reads from `cache`) every card, in parallel; results are in `cards` order.
pub fn render_all(cache: &CardCache, cards: &[Card]) -> Vec<Result<(Vec<u8>, bool), CardError>> {
    cards
        .par_iter()
        .map(|card| cache.get_or_render(card))
        .collect()
}

/// A PNG of the card size whose last chunk is IEND: rules out other files and truncated
/// ones without decoding the pixels. (Damage inside the image data is not detected; the
/// rename makes that a disk fault, not something a build can cause.)
fn is_whole_card(bytes: &[u8]) -> bool {
    const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
    if !bytes.ends_with(&IEND) {
        return false;
    }
    match png::Decoder::new(Cursor::new(bytes)).read_info() {
        Ok(reader) => {
            let info = reader.info();
            (info.width, info.height) == SIZE
        }
        Err(_) => false,
    }
}
