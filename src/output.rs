//! What a build produces before it touches the disk: output files by path, their bytes
//! shared or copied from a source file. Every stage after rendering (write, serve, link
//! checking) speaks in these, so they live below all of them.

use std::path::PathBuf;

/// A file to write into the output, by path relative to the output root.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Shared, so a file reused by the live preview's next rebuild is not copied.
    Bytes(bytes::Bytes),
    /// Copied from disk at write time (content images, site static files).
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Its bytes, or the source file to copy.
    pub contents: Contents,
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
