//! The default theme's scripts as the minifier makes them, made when sheaf is built
//! rather than on every cold build (oxc took 3 to 4 ms of CPU there, a twentieth of a
//! 100-page build). A theme's script is looked up by its whole text: only a script
//! byte-identical to the default theme's gets its premade copy, any other (a site's own
//! theme, an edited copy) is minified as before. The test below keeps every copy equal to
//! what `minify` makes of its source today, so the two cannot drift apart; after editing
//! a script, `SHEAF_UPDATE_PREMADE=1 cargo test premade` writes the copies again.

/// `(source, minified copy)` of the theme's script `name`.
macro_rules! premade {
    ($name:literal) => {
        (
            include_str!(concat!("../../themes/default/static/", $name)),
            include_str!(concat!("premade_scripts/", $name)),
        )
    };
}

/// Each default script's source, as the theme folder holds it, and its minified copy.
const PREMADE: &[(&str, &str)] = &[
    premade!("theme.js"),
    premade!("share.js"),
    premade!("search.js"),
    premade!("search-pagefind.js"),
    premade!("workbook.js"),
    premade!("worksheet.js"),
];

/// The minified copy of `source`, if it is one of the default theme's scripts.
pub(super) fn premade(source: &str) -> Option<&'static str> {
    PREMADE
        .iter()
        .find(|(original, _)| original.len() == source.len() && *original == source)
        .map(|(_, minified)| *minified)
}

#[cfg(test)]
mod tests {
    use super::super::minify::minify_now;

    /// Every script of the default theme has a premade copy, and each copy is what the
    /// minifier makes of the theme's script now.
    #[test]
    fn premade_copies_are_what_the_minifier_makes() {
        let root = env!("CARGO_MANIFEST_DIR");
        let update = std::env::var_os("SHEAF_UPDATE_PREMADE").is_some();
        let folder = std::fs::read_dir(format!("{root}/themes/default/static")).unwrap();
        let mut scripts = 0;
        for entry in folder {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "js") {
                continue;
            }
            scripts += 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let source = std::fs::read_to_string(&path).unwrap();
            let made = minify_now(&source).unwrap_or_else(|| panic!("{name} does not minify"));
            if update {
                // The copies compiled into this test are the old ones: written, not checked.
                std::fs::write(format!("{root}/src/render/premade_scripts/{name}"), &made).unwrap();
                continue;
            }
            let premade = super::premade(&source)
                .unwrap_or_else(|| panic!("{name} has no premade copy: list it in PREMADE"));
            assert!(
                premade == made,
                "src/render/premade_scripts/{name} is not what the minifier makes of the \
                 theme's {name}: run `SHEAF_UPDATE_PREMADE=1 cargo test premade` and commit it"
            );
        }
        assert_eq!(scripts, super::PREMADE.len(), "a premade copy of no script");
        assert_eq!(super::premade("/* a site's own script */"), None);
    }
}
