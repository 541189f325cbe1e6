//! syntect's bundled colour themes, loaded once per process. Below `config` (which checks
//! `highlight.light`/`dark` against these names) and `markdown` (which colours code with
//! them), so neither depends on the other for the list.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;

static THEMES: OnceLock<ThemeSet> = OnceLock::new();

pub(crate) fn themes() -> &'static ThemeSet {
    THEMES.get_or_init(ThemeSet::load_defaults)
}

/// Every syntect theme name that `highlight:` accepts, sorted.
pub(crate) fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}
