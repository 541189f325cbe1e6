//! syntect's bundled colour themes, loaded once per process. Below `config` (which checks
//! `highlight.light`/`dark` against these names) and `markdown` (which colours code with
//! them), so neither depends on the other for the list.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;

static THEMES: OnceLock<ThemeSet> = OnceLock::new();

pub(crate) fn themes() -> &'static ThemeSet {
    THEMES.get_or_init(ThemeSet::load_defaults)
}

/// Every syntect theme name that `highlight:` accepts, sorted: the names of
/// [`ThemeSet::load_defaults`], written out so that checking a config does not load the
/// themes (about a millisecond on every command's serial path, before any thread starts;
/// a build that highlights loads them later, in parallel with other work). A test keeps
/// the list equal to the set.
pub(crate) const THEME_NAMES: [&str; 7] = [
    "InspiredGitHub",
    "Solarized (dark)",
    "Solarized (light)",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "base16-ocean.dark",
    "base16-ocean.light",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_names_are_the_bundled_themes() {
        let bundled: Vec<&str> = themes().themes.keys().map(String::as_str).collect();
        assert_eq!(bundled, THEME_NAMES);
    }
}
