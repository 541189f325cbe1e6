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

/// How the indexing threads share the machine with the rest of sheaf.
#[derive(Clone, Copy)]
pub(super) enum Priority {
    /// `sheaf build`: the index is part of the build, as urgent as the pages.
    Normal,
    /// The live preview's index: every rebuild goes first (see [`lower_this_thread`]).
    Background,
}

/// Runs on the indexing thread until the sender is dropped.
pub(super) fn index(language: String, pages: Receiver<Document>, priority: Priority) -> Outcome {
    // Pagefind reads the working folder when it starts (and panics without one).
    if let Err(e) = std::env::current_dir() {
        return Err(failed(format!("the working folder is gone ({e})")));
    }
    let mut builder = tokio::runtime::Builder::new_current_thread();
    if let Priority::Background = priority {
        // This thread parses the pages; Pagefind's `spawn_blocking` threads index them.
        lower_this_thread();
        builder.on_thread_start(lower_this_thread);
    }
    let runtime = builder
        .build()
        .map_err(|e| failed(format!("no async runtime ({e})")))?;
    runtime.block_on(async move {
        let config = PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
        let mut warnings = Vec::new();
        while let Ok(page) = pages.recv() {
            let bytes = page.html.bytes().unwrap_or_default();
            let html = super::document::for_index(&String::from_utf8_lossy(&bytes), page.worksheet);
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

/// Gives the calling thread the lowest CPU priority (nice 19), so that on a busy machine a
/// preview rebuild takes the cores from an index of the previous one: at 10,000 pages the
/// index takes seconds of CPU, and a save made meanwhile waited for it. Linux only, where a
/// thread's nice value is its own; elsewhere threads keep their priority.
fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take and return plain integers; a failure (not
    // allowed, say) leaves the priority as it was, which is only slower. The raw syscall,
    // since not every libc (musl, of the static release builds) wraps gettid.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid);
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 19);
    }
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::lower_this_thread;

    /// The calling thread's nice value, from /proc (getpriority's return value is ambiguous).
    fn nice() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // Fields after the command's closing parenthesis; nice is field 19 of the line.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        after.split(' ').nth(16).unwrap().parse().unwrap()
    }

    #[test]
    fn only_the_indexing_thread_is_lowered_not_the_process() {
        let before = nice();
        let lowered = std::thread::spawn(|| {
            lower_this_thread();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, 19);
        assert_eq!(nice(), before, "the calling thread keeps its priority");
        let sibling = std::thread::spawn(nice).join().unwrap();
        assert_eq!(sibling, before, "a new thread is not lowered either");
    }
}
