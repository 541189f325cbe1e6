//! Worksheet errors point at nodes by path; where a path is, `yaml::Locator` answers.

use crate::yaml::Locator;

pub(super) use crate::yaml::KeyPath as YPath;

/// Byte offset in `text` of the node at `path`, or of its closest existing ancestor.
pub(super) fn locate_nearest(text: &str, path: &YPath) -> usize {
    Locator::new(text).nearest(path)
}
