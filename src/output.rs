//! What a build produces before it touches the disk: output files by path, their bytes
//! shared or copied from a source file. Every stage after rendering (write, serve, link
//! checking) speaks in these, so they live below all of them.

use std::path::PathBuf;

use crate::packed::Packed;

/// A file to write into the output, by path relative to the output root.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Shared, so a file reused by the live preview's next rebuild is not copied.
    Bytes(bytes::Bytes),
    /// Compressed in memory ([`OutputFile::pack`]): the live preview keeps every page of
    /// the site this way.
    Packed(Packed),
    /// Copied from disk at write time (content images, site static files).
    Copy(PathBuf),
}

impl Contents {
    /// The bytes, unpacked if need be; `None` for a file copied from disk.
    pub fn bytes(&self) -> Option<bytes::Bytes> {
        match self {
            Contents::Bytes(bytes) => Some(bytes.clone()),
            Contents::Packed(packed) => Some(packed.unpack().into()),
            Contents::Copy(_) => None,
        }
    }
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Its bytes, or the source file to copy.
    pub contents: Contents,
}

impl OutputFile {
    /// Packs a text file (HTML, XML, JSON, CSS, JavaScript, SVG, plain text) held in
    /// memory when that makes it smaller; pictures are compressed already.
    pub(crate) fn pack(&mut self) {
        const TEXT: [&str; 8] = [
            ".html",
            ".xml",
            ".json",
            ".css",
            ".js",
            ".svg",
            ".txt",
            ".webmanifest",
        ];
        if let Contents::Bytes(bytes) = &self.contents
            && TEXT.iter().any(|ext| self.path.ends_with(ext))
            && let Some(packed) = Packed::pack(bytes)
        {
            self.contents = Contents::Packed(packed);
        }
    }
}

/// The output folder of generated cards (with its slash: a prefix of their paths).
pub(crate) const CARDS_DIR: &str = "cards/";

/// The output file of a site path: `/essays/foo/` → `essays/foo/index.html`; `/old.html`
/// stays a file.
pub fn html_path(site_path: &str) -> String {
    let trimmed = site_path.trim_start_matches('/');
    if trimmed.ends_with(".html") {
        trimmed.to_string()
    } else {
        format!("{trimmed}index.html")
    }
}
