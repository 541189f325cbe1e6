//! What the fuzz targets share: turning fuzz bytes into a document, and a link table in
//! which some `.md` paths exist, so link rewriting takes both its found and broken paths.

use std::path::PathBuf;
use std::sync::Arc;

use sheaf::testing::{self as load, Document, Source};
use sheaf::testing::LinkResolver;

/// Fuzz bytes as text, the way `load::read_source` takes a file: invalid UTF-8 is refused
/// (that path is a plain `String::from_utf8`), a BOM is dropped.
pub fn text(data: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(data).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// A source file at `content/<rel>`.
pub fn source(rel: &str, text: &str) -> Arc<Source> {
    Arc::new(Source::new(
        rel.to_string(),
        PathBuf::from("content").join(rel),
        text.to_string(),
    ))
}

/// Parses `text` as the page `essays/fuzz.md`; `None` when its front matter is refused.
pub fn page(text: &str) -> Option<Arc<load::PageDoc>> {
    match load::parse_document(source("essays/fuzz.md", text)) {
        Ok(Document::Page(page)) => Some(page),
        _ => None,
    }
}

/// A site of a few pages: `essays/a.md`, `essays/fuzz.md`, `index.md`, `docs/b.md`, and one
/// content file, `essays/pic.png`. Everything else is a broken link.
pub struct Links;

impl LinkResolver for Links {
    fn page_url(&self, content_path: &str) -> Option<String> {
        let page = match content_path {
            "essays/a.md" => "essays/a",
            "essays/fuzz.md" => "essays/fuzz",
            "docs/b.md" => "docs/b",
            "_index.md" => "",
            _ => return None,
        };
        Some(format!("/base/{page}/").replace("//", "/"))
    }

    fn file_url(&self, content_path: &str) -> Option<String> {
        (content_path == "essays/pic.png").then(|| "/base/essays/pic.png".to_string())
    }
}
