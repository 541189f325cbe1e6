//! `config.yaml`'s text, kept with the [`super::Config`] parsed from it, so any stage can
//! point at one of its keys without reading the file again (it may have changed since).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Location;
use crate::yaml::{KeyPath, Locator};

/// The text a `Config` was parsed from, and the name it is shown under.
#[derive(Clone)]
pub struct ConfigSource {
    shown: PathBuf,
    /// The whole file, a byte-order mark included (locations are in the file as saved).
    text: Arc<str>,
    /// Length of the byte-order mark the YAML starts after (0 or 3).
    bom: usize,
}

/// Prints no text: `Config`'s `Debug` is the session's fingerprint of the settings, and
/// an edited comment or a moved key is no new setting (nothing would need rendering again).
impl fmt::Debug for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("ConfigSource")
    }
}

impl ConfigSource {
    pub(crate) fn new(shown: &Path, text: &str) -> Self {
        let yaml = text.strip_prefix('\u{feff}').unwrap_or(text);
        ConfigSource {
            shown: shown.to_path_buf(),
            text: text.into(),
            bom: text.len() - yaml.len(),
        }
    }

    fn locator(&self) -> Locator<'_> {
        Locator::new(&self.text[self.bom..])
    }

    /// The last key of `path` itself (`theme`, `url` of `author.url`); the file's first
    /// character when the key is not written.
    pub(crate) fn key(&self, path: &KeyPath) -> Location {
        let span = self.locator().key(path);
        self.at(span.unwrap_or(0..1))
    }

    /// The value at `path` when it is written on its key's line, else the key: where the
    /// fix is typed. The file's first character when the key is not written.
    pub(crate) fn value(&self, path: &KeyPath) -> Location {
        let span = self.locator().value_or_key(path);
        self.at(span.unwrap_or(0..1))
    }

    /// Where the node at `path` starts (a list item's `{` or first key), else its nearest
    /// written ancestor: for a problem with a whole entry rather than one of its values.
    pub(crate) fn node(&self, path: &KeyPath) -> Location {
        let start = self.locator().nearest(path);
        let len = self.text[start..].chars().next().map_or(0, char::len_utf8);
        self.at(start..start + len)
    }

    fn at(&self, span: std::ops::Range<usize>) -> Location {
        let start = self.bom + span.start;
        Location::at_offset(&self.shown, &self.text, start, span.len())
    }
}
