//! Byte offsets in the body to user-facing file locations.
//!
//! `Location::at_offset` counts lines from the start of the file, which is fine for one error
//! but quadratic for a page that records thousands of links. A line table built on first use
//! finds the line start by binary search; `at_offset` then only looks at that one line, so the
//! column, width and line text rules stay exactly the diagnostic module's.

use std::path::Path;

use crate::diagnostic::Location;

pub(super) struct Locator<'a> {
    file: &'a Path,
    source: &'a str,
    /// Where the body starts in `source`; offsets given to [`Locator::at`] are body-relative.
    body_offset: usize,
    /// Byte offset of the start of every line of `source`, built lazily.
    line_starts: Option<Vec<usize>>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(file: &'a Path, source: &'a str, body_offset: usize) -> Self {
        Locator {
            file,
            source,
            body_offset,
            line_starts: None,
        }
    }

    /// The location of `len` bytes at body offset `offset`.
    pub(super) fn at(&mut self, offset: usize, len: usize) -> Location {
        self.at_source(self.body_offset.saturating_add(offset), len)
    }

    /// The location of `len` bytes at offset `offset` of the whole file.
    pub(super) fn at_source(&mut self, offset: usize, len: usize) -> Location {
        let source = self.source;
        let starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(source.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = offset.min(source.len());
        // Index of the last line start <= offset; there is always one (0).
        let line_index = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let line_start = starts.get(line_index).copied().unwrap_or(0);
        let mut loc =
            Location::at_offset(self.file, &source[line_start..], offset - line_start, len);
        loc.line = line_index + 1;
        loc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_diagnostic_module_everywhere() {
        let text = "---\r\ntitle: Ünï\r\n---\r\nbody ü line\nlast";
        let mut locator = Locator::new(Path::new("a.md"), text, 0);
        for offset in 0..=text.len() + 2 {
            for len in [0, 1, 3, 100] {
                assert_eq!(
                    locator.at_source(offset, len),
                    Location::at_offset("a.md", text, offset, len),
                    "offset {offset} len {len}"
                );
            }
        }
    }

    #[test]
    fn body_offsets_are_shifted() {
        let text = "---\nx: 1\n---\nhello";
        let mut locator = Locator::new(Path::new("a.md"), text, 13);
        let loc = locator.at(0, 5);
        assert_eq!((loc.line, loc.column, loc.width), (4, 1, 5));
    }
}
