//! A Markdown file as read: its paths, its text (held plain, or packed in a large site)
//! and the hash the live preview compares.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::packed::Packed;

/// A Markdown file's text, with its path relative to `content/` (`/`-separated) and the path
/// shown to users (`content/essays/foo.md`).
#[derive(Debug)]
pub struct Source {
    /// Path under `content/`, `/`-separated.
    pub rel: String,
    /// The path shown in messages.
    pub shown: PathBuf,
    /// The text, with a leading BOM removed: read it with [`Source::text`].
    text: SourceText,
    /// A hash of the text: what the live preview compares to tell an edited file from one
    /// that was only touched.
    pub hash: u64,
}

/// A source's text as held: plain, or LZ4-packed in a large site (see
/// [`PACK_SOURCES_FROM`]), where the sources are the largest thing a run keeps.
#[derive(Debug)]
enum SourceText {
    Plain(String),
    Packed(Packed),
}

/// From this many Markdown files on, a content tree holds its sources packed: at 50,000
/// pages their 400 MB of text were the largest part of a build's and the preview's
/// memory, and packed they take about three fifths of it. A source is read whole when its
/// body renders, which unpacks it once; below this, a site keeps the CPU.
pub(crate) const PACK_SOURCES_FROM: usize = 16_384;

impl Source {
    /// A source from its text (hash computed here).
    pub fn new(rel: String, shown: PathBuf, text: String) -> Self {
        let hash = crate::fingerprint::of(&text);
        Source {
            rel,
            shown,
            text: SourceText::Plain(text),
            hash,
        }
    }

    /// The same source with its text packed (when packing makes it smaller): same text,
    /// same hash, a fraction of the memory.
    pub(crate) fn packed(self) -> Self {
        let text = match self.text {
            SourceText::Plain(text) => match Packed::pack(text.as_bytes()) {
                Some(packed) => SourceText::Packed(packed),
                None => SourceText::Plain(text),
            },
            packed => packed,
        };
        Source { text, ..self }
    }

    /// Whether the text is held packed.
    #[cfg(test)]
    pub(crate) fn is_packed(&self) -> bool {
        matches!(self.text, SourceText::Packed(_))
    }

    /// The text, unpacked if it is held packed. Packed text was a `String`, so it is
    /// UTF-8; a damaged block (which packing cannot make) would read as empty.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.text {
            SourceText::Plain(text) => Cow::Borrowed(text),
            SourceText::Packed(packed) => {
                Cow::Owned(String::from_utf8(packed.unpack()).unwrap_or_default())
            }
        }
    }
}
