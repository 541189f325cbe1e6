//! Theme and site static files, with CSS and JS fingerprinted (`style.3f9a1c2b.css`) so
//! caches (GitHub Pages keeps files 10 minutes) never serve a stale stylesheet.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::output::{Contents, OutputFile};
use crate::theme::ThemeFile;

/// Maps an asset's plain name (`style.css`) to its fingerprinted output path.
#[derive(Debug, Clone, Default)]
pub(crate) struct AssetManifest {
    names: HashMap<String, String>,
}

impl AssetManifest {
    /// The output path (no base path) for `name`, fingerprinted when it is CSS or JS.
    pub(crate) fn resolve(&self, name: &str) -> Option<&str> {
        self.names
            .get(name.trim_start_matches('/'))
            .map(String::as_str)
    }
}

/// Minifies JS and drops CSS comments (`minify.rs`), fingerprints CSS/JS, passes other theme files through, adds
/// the generated `syntax.css`.
pub(crate) fn process(
    statics: &[ThemeFile],
    syntax_css: String,
) -> (Vec<OutputFile>, AssetManifest) {
    let mut manifest = AssetManifest::default();
    let mut files = Vec::new();
    let generated = ThemeFile {
        name: "syntax.css".into(),
        shown: PathBuf::from("<generated>/syntax.css"),
        bytes: syntax_css.into_bytes(),
    };
    for file in statics.iter().chain(std::iter::once(&generated)) {
        let text = std::str::from_utf8(&file.bytes).ok();
        let minified = if file.name.ends_with(".js") {
            text.and_then(super::minify::minify_js)
        } else if file.name.ends_with(".css") {
            text.map(super::minify::strip_css_comments)
        } else {
            None
        };
        let bytes = minified.map_or_else(|| file.bytes.clone(), String::into_bytes);
        let path = fingerprinted_name(&file.name, &bytes);
        manifest.names.insert(file.name.clone(), path.clone());
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(bytes.into()),
        });
    }
    (files, manifest)
}

fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return name.to_string();
    };
    if !matches!(ext, "css" | "js") {
        return name.to_string();
    }
    let hash = blake3::hash(bytes).to_hex();
    format!("{stem}.{}.{ext}", &hash[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_and_js_are_fingerprinted_by_content() {
        let a = fingerprinted_name("style.css", b"a{}");
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style.12345678.css".len()
        );
        assert_ne!(a, fingerprinted_name("style.css", b"b{}"));
        assert_eq!(fingerprinted_name("js/app.js", b"x").split('.').count(), 3);
        assert_eq!(fingerprinted_name("favicon.png", b"x"), "favicon.png");
    }
}
