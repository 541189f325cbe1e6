//! A rendered body's HTML, kept compressed once it is stored (issue #19's memory goal).
//!
//! Every page's body is rendered before any page is written (anchors, worksheet cards and
//! feeds need them all), so a build holds every body at once: at 50,000 pages that was most
//! of its peak memory. A stored body is read again only a few times (its page, the feeds it
//! is an item of, a section's own text), so it is kept LZ4-compressed (`lz4_flex`, about
//! a fifth of the bytes for highlighted HTML) and expanded for each of those reads, which
//! costs microseconds against the milliseconds the page's template takes.

use std::borrow::Cow;
use std::fmt;

/// HTML as rendered ([`Html::new`]) or compressed by [`Html::pack`]; read it with
/// [`Html::as_str`].
#[derive(Clone, PartialEq, Eq)]
pub struct Html(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Plain(String),
    /// LZ4 block with the original length in front (`lz4_flex::compress_prepend_size`).
    Packed(Box<[u8]>),
}

/// Below this the compressed block would not be much smaller than the text.
const PACK_FROM: usize = 256;

impl Html {
    pub fn new(html: String) -> Html {
        Html(Repr::Plain(html))
    }

    /// `html` packed at once (see [`Html::pack`]).
    pub fn packed(html: String) -> Html {
        let mut packed = Html::new(html);
        packed.pack();
        packed
    }

    /// The HTML text: borrowed when plain, expanded when packed.
    pub fn as_str(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Plain(html) => Cow::Borrowed(html),
            Repr::Packed(block) => Cow::Owned(unpack(block)),
        }
    }

    /// Compresses the HTML in place when that saves memory; reading it stays the same.
    pub fn pack(&mut self) {
        let Repr::Plain(html) = &self.0 else { return };
        if html.len() < PACK_FROM {
            return;
        }
        let block = lz4_flex::compress_prepend_size(html.as_bytes());
        if block.len() < html.len() {
            self.0 = Repr::Packed(block.into_boxed_slice());
        }
    }

    /// Bytes held in memory for the HTML (what [`Html::pack`] saves shows here).
    pub fn held_bytes(&self) -> usize {
        match &self.0 {
            Repr::Plain(html) => html.len(),
            Repr::Packed(block) => block.len(),
        }
    }
}

/// The text of a block [`Html::pack`] made. Only this module makes blocks, from valid
/// UTF-8, so the fallbacks (an empty or lossy text) cannot be reached; they stand in for
/// a panic.
fn unpack(block: &[u8]) -> String {
    match lz4_flex::decompress_size_prepended(block) {
        Ok(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(_) => String::new(),
    }
}

impl Default for Html {
    fn default() -> Html {
        Html::new(String::new())
    }
}

impl From<String> for Html {
    fn from(html: String) -> Html {
        Html::new(html)
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl fmt::Debug for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_the_text_and_holds_fewer_bytes() {
        let text = "<p>A <code>span</code> and <em>more</em> &amp; é 😀.</p>\n".repeat(200);
        let mut html = Html::new(text.clone());
        html.pack();
        assert_eq!(html.as_str(), text);
        assert!(html.held_bytes() * 4 < text.len(), "{}", html.held_bytes());
        let mut again = html.clone();
        again.pack();
        assert_eq!(again.as_str(), text);
    }

    #[test]
    fn short_text_stays_plain_and_any_text_reads_back() {
        let mut short = Html::new("<p>hi</p>".into());
        short.pack();
        assert!(matches!(short.0, Repr::Plain(_)));
        // A text LZ4 cannot shrink: every 4-byte window differs.
        let noise: String = (0..4096u32)
            .map(|i| char::from_u32(0x4E00 + (i.wrapping_mul(2_654_435_761) % 20_000)).unwrap_or('x'))
            .collect();
        let mut html = Html::new(noise.clone());
        html.pack();
        assert_eq!(html.as_str(), noise);
    }

    #[test]
    fn a_damaged_block_reads_as_text_without_panicking() {
        assert_eq!(unpack(&[255, 255, 255, 127, 1, 2]), "");
        assert_eq!(unpack(&[]), "");
    }
}
