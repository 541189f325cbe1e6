//! The indexing thread: pages into Pagefind, its bundle out as output files.
//!
//! Pagefind's API is async on tokio (it parses each page in `spawn_blocking`); a
//! current-thread runtime of our own is enough, since pages come one at a time.

use std::sync::mpsc::Receiver;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Document, Outcome, failed};
use crate::diagnostic::{Diagnostic, Location};
use crate::output::{Contents, OutputFile};

/// Where the bundle goes in the output (with its slash: a prefix of its paths). Pagefind's
/// script finds its index beside itself, and derives the base path of result URLs from
/// where it was loaded, so the index holds site-relative URLs.
const BUNDLE_DIR: &str = "pagefind/";

/// Files of the bundle that sheaf's theme never loads: Pagefind's stock interfaces (sheaf
/// draws its own with the JS API) and the highlighter. About 430 KB a site does not need.
const UNUSED: [&str; 4] = [
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];

/// Runs on the indexing thread until the sender is dropped.
pub(super) fn index(language: String, pages: Receiver<Document>) -> Outcome {
    // Pagefind reads the working folder when it starts (and panics without one).
    if let Err(e) = std::env::current_dir() {
        return Err(failed(format!("the working folder is gone ({e})")));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed(format!("no async runtime ({e})")))?;
    runtime.block_on(async move {
        let config = PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
        let mut warnings = Vec::new();
        while let Ok(page) = pages.recv() {
            let html =
                super::document::for_index(&String::from_utf8_lossy(&page.html), page.worksheet);
            if let Err(e) = index
                .add_html_file(None, Some(page.url.clone()), html)
                .await
            {
                warnings.push(
                    Diagnostic::warning(format!(
                        "{} could not be indexed for search: {e}",
                        page.url
                    ))
                    .at(Location::file_only(page.source))
                    .help("the page is published but search will not find it"),
                );
            }
        }
        let files = index.get_files().await.map_err(failed)?;
        Ok((
            files.into_iter().filter_map(output_file).collect(),
            warnings,
        ))
    })
}

/// A bundle file as an output file under [`BUNDLE_DIR`], unless the theme never loads it.
fn output_file(file: pagefind::api::SyntheticFile) -> Option<OutputFile> {
    let name = file.filename.to_string_lossy().replace('\\', "/");
    if UNUSED.iter().any(|prefix| name.starts_with(prefix)) || name.starts_with("playground/") {
        return None;
    }
    Some(OutputFile {
        path: format!("{BUNDLE_DIR}{name}"),
        contents: Contents::Bytes(file.contents.into()),
    })
}
