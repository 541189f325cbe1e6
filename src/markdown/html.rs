//! A rendered body's HTML, kept packed once it is stored (issue #19's memory goal).
//!
//! Every page's body is rendered before any page is written (anchors, worksheet cards and
//! feeds need them all), so a build holds every body at once: at 50,000 pages that was the
//! largest part of its peak memory. A stored body is read again only a few times (its page,
//! the feeds it is an item of, a section's own text), so it is kept compressed
//! ([`crate::packed`]) and expanded for each of those reads.

use std::borrow::Cow;
use std::fmt;

use crate::packed::Packed;

/// HTML as rendered ([`Html::new`]) or compressed by [`Html::pack`]; read it with
/// [`Html::as_str`].
#[derive(Clone, PartialEq, Eq)]
pub struct Html(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Plain(String),
    /// Packed from valid UTF-8.
    Packed(Packed),
}

impl Html {
    /// HTML as rendered, not packed.
    pub fn new(html: String) -> Html {
        Html(Repr::Plain(html))
    }

    /// `html` packed at once (see [`Html::pack`]).
    pub fn packed(html: String) -> Html {
        let mut packed = Html::new(html);
        packed.pack();
        packed
    }

    /// How the HTML is held, for storing it as it is: `(false, text)` or `(true, block)`.
    pub(crate) fn parts(&self) -> (bool, &[u8]) {
        match &self.0 {
            Repr::Plain(html) => (false, html.as_bytes()),
            Repr::Packed(packed) => (true, packed.block()),
        }
    }

    /// HTML from what [`Html::parts`] gave; `None` when plain bytes are not UTF-8.
    pub(crate) fn from_parts(packed: bool, bytes: &[u8]) -> Option<Html> {
        Some(Html(match packed {
            true => Repr::Packed(Packed::from_block(bytes)),
            false => Repr::Plain(std::str::from_utf8(bytes).ok()?.to_owned()),
        }))
    }

    /// The HTML text: borrowed when plain, expanded when packed.
    pub fn as_str(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Plain(html) => Cow::Borrowed(html),
            // Packed from a `String`: the lossy path is never taken, and stands in for a panic.
            Repr::Packed(packed) => Cow::Owned(
                String::from_utf8(packed.unpack())
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }

    /// Compresses the HTML in place when that saves memory; reading it stays the same.
    pub fn pack(&mut self) {
        if let Repr::Plain(html) = &self.0
            && let Some(packed) = Packed::pack(html.as_bytes())
        {
            self.0 = Repr::Packed(packed);
        }
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
    fn packed_html_reads_as_it_was_written() {
        let text = "<p>A <code>span</code> and <em>more</em> &amp; é 😀.</p>\n".repeat(200);
        let mut html = Html::new(text.clone());
        html.pack();
        assert!(matches!(html.0, Repr::Packed(_)));
        assert_eq!(html.as_str(), text);
        assert_eq!(html.to_string(), text);
        let mut short = Html::new("<p>hi</p>".into());
        short.pack();
        assert!(matches!(short.0, Repr::Plain(_)));
        assert_eq!(short.as_str(), "<p>hi</p>");
    }
}
