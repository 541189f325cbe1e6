//! Plain text out of inline events: word counts and the first-paragraph summary.

use pulldown_cmark::{Tag, TagEnd};

/// The prose of a page as it streams by: its word count and its first top-level paragraph.
#[derive(Default)]
pub(super) struct Prose {
    words: WordCounter,
    /// Inside an image: its alt text is not prose.
    image_depth: usize,
    /// The first top-level paragraph's text, while it is being read.
    paragraph: Option<String>,
    first_paragraph: Option<String>,
}

impl Prose {
    /// Takes text readers see; returns false for text that is not prose (image alt text).
    pub(super) fn text(&mut self, text: &str) -> bool {
        if self.image_depth > 0 {
            return false;
        }
        self.words.text(text);
        if let Some(paragraph) = &mut self.paragraph {
            paragraph.push_str(text);
        }
        true
    }

    /// A word ends here (a block starts or ends).
    pub(super) fn boundary(&mut self) {
        self.words.boundary();
    }

    /// A formula, as written with its delimiters: one word, and its TeX in the first paragraph.
    pub(super) fn formula(&mut self, written: &str) {
        if self.image_depth > 0 {
            return;
        }
        self.words.boundary();
        self.words.count += 1;
        if let Some(paragraph) = &mut self.paragraph {
            paragraph.push_str(written);
        }
    }

    /// Inside an image, whose alt text is not prose.
    pub(super) fn in_image(&self) -> bool {
        self.image_depth > 0
    }

    pub(super) fn image(&mut self, entering: bool) {
        if entering {
            self.image_depth += 1;
        } else {
            self.image_depth = self.image_depth.saturating_sub(1);
        }
    }

    pub(super) fn start_paragraph(&mut self, top_level: bool) {
        if top_level && self.first_paragraph.is_none() {
            self.paragraph = Some(String::new());
        }
    }

    /// An empty paragraph (just an image, say) leaves the search for the first one open.
    pub(super) fn end_paragraph(&mut self) {
        if let Some(text) = self.paragraph.take() {
            self.first_paragraph = Some(collapse_whitespace(&text)).filter(|t| !t.is_empty());
        }
    }

    /// The word count and the first paragraph.
    pub(super) fn finish(self) -> (usize, Option<String>) {
        (self.words.total(), self.first_paragraph)
    }
}

/// Counts words across text pieces. pulldown-cmark splits one word over several events
/// (`don`, `’`, `t` with smart punctuation; `a*b*` around emphasis), so a word only ends at
/// whitespace or at an explicit [`WordCounter::boundary`] (line break, block end).
#[derive(Default)]
pub(super) struct WordCounter {
    count: usize,
    /// The current run of non-space characters has a letter or digit (lone dashes and
    /// bullets are not words).
    in_word: bool,
}

impl WordCounter {
    pub(super) fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_ascii() {
                // The common case, without Unicode table lookups.
                if c.is_ascii_whitespace() {
                    self.boundary();
                } else if c.is_ascii_alphanumeric() {
                    self.in_word = true;
                }
            } else if c.is_whitespace() {
                self.boundary();
            } else if is_cjk(c) {
                // Chinese and Japanese are written without spaces: count each character.
                self.boundary();
                self.count += 1;
            } else if c.is_alphanumeric() {
                self.in_word = true;
            }
        }
    }

    pub(super) fn boundary(&mut self) {
        if self.in_word {
            self.count += 1;
            self.in_word = false;
        }
    }

    pub(super) fn total(mut self) -> usize {
        self.boundary();
        self.count
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B and later
}

/// Whitespace runs collapsed to single spaces and the ends trimmed.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Inline tags do not end a word (`a*b*c` is one word); block tags do.
pub(super) fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

pub(super) fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(pieces: &[&str]) -> usize {
        let mut counter = WordCounter::default();
        for piece in pieces {
            counter.text(piece);
        }
        counter.total()
    }

    #[test]
    fn words_span_events() {
        assert_eq!(count(&["Don", "’", "t stop"]), 2);
        assert_eq!(count(&["a", "b", " c"]), 2);
        assert_eq!(count(&["one — two - three"]), 3);
        assert_eq!(count(&["日本語 text"]), 4);
        assert_eq!(count(&["", "  "]), 0);
    }

    #[test]
    fn collapses_whitespace() {
        assert_eq!(collapse_whitespace("  a \n b\tc "), "a b c");
    }
}
