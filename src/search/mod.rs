//! Site search: the rendered pages indexed in process by Pagefind (its `api` module), and
//! its bundle written under `<base path>pagefind/` with the rest of the site.
//!
//! What is indexed: every page of the site (essays, docs, worksheets) unless its front
//! matter says `search: false`. Lists, tag pages, the home page, result pages, aliases, the
//! 404 page and feeds are not pages of the model, so they are never sent. Within a page
//! the theme marks what counts (`data-pagefind-body` on the article, `-ignore` on share
//! rows, `-meta`/`-filter`/`-sort` for title, description, date and tags); see
//! `document.rs` for what sheaf changes before Pagefind reads a page.
//!
//! Pagefind parses one page at a time behind a lock and holds every page until the index is
//! written, so the [`Indexer`] runs on a thread of its own, fed as the build renders: the
//! parsing overlaps rendering instead of following it.

mod bundle;
pub(crate) mod child;
mod document;

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread::JoinHandle;

use bundle::Priority;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::{Contents, OutputFile, html_path};

/// A page to index: its site-relative URL (the browser adds the base path) and its HTML as
/// rendered (shared, not copied; packed as the preview keeps it, and unpacked one page at a
/// time on the indexing thread, where `document::for_index` makes what Pagefind reads).
#[derive(Clone)]
pub(crate) struct Document {
    url: String,
    html: Contents,
    worksheet: bool,
    /// The page's source, to locate a problem.
    source: String,
}

/// What the indexing thread hands back: the bundle, and pages it could not read.
pub(crate) type Outcome = Result<(Vec<OutputFile>, Vec<Diagnostic>), Diagnostic>;

/// Indexes pages on its own thread as they are handed over; [`Indexer::finish`] writes the
/// index and returns its files.
pub(crate) struct Indexer {
    /// Output path of each indexed page's HTML → the page.
    pages: HashMap<String, usize>,
    sender: Option<mpsc::Sender<Document>>,
    worker: Option<JoinHandle<Outcome>>,
}

/// Output path of every page the index holds → the page: all pages but those with
/// `search: false`.
fn indexed_pages(site: &Site) -> HashMap<String, usize> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.doc.front.search)
        .map(|(i, p)| (html_path(&p.path), i))
        .collect()
}

impl Indexer {
    /// An indexer for `site`, or `None` when the site has search turned off.
    pub(crate) fn start(site: &Site) -> Option<Indexer> {
        if !site.config.search.enabled {
            return None;
        }
        let (sender, receiver) = mpsc::channel::<Document>();
        let language = index_language(&site.config.language);
        let worker = std::thread::Builder::new()
            .name("search index".into())
            .spawn(move || bundle::index(language, receiver, Priority::Normal));
        // No thread: `finish` reports it.
        let worker = worker.ok();
        Some(Indexer {
            pages: indexed_pages(site),
            sender: Some(sender),
            worker,
        })
    }

    /// Hands the indexed pages among `files` to the indexing thread (other files are
    /// ignored; a later file of a path replaces the earlier, as on disk).
    pub(crate) fn add(&mut self, site: &Site, files: &[OutputFile]) {
        let Some(sender) = &self.sender else {
            return;
        };
        for document in files.iter().filter_map(|f| document(site, &self.pages, f)) {
            if sender.send(document).is_err() {
                // The thread ended early; `finish` says why.
                self.sender = None;
                return;
            }
        }
    }

    /// Waits for the indexing thread and returns the bundle's files (under `pagefind/`)
    /// and warnings for pages Pagefind could not read.
    pub(crate) fn finish(mut self) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Diagnostic> {
        drop(self.sender.take());
        let Some(worker) = self.worker.take() else {
            return Err(failed("could not start a thread to index the site"));
        };
        match worker.join() {
            Ok(outcome) => outcome,
            Err(_) => Err(failed("the search indexer stopped unexpectedly")),
        }
    }
}

/// `file` as a page to index, if it is the HTML of one of `pages` (see [`indexed_pages`]).
fn document(site: &Site, pages: &HashMap<String, usize>, file: &OutputFile) -> Option<Document> {
    match (&file.contents, pages.get(&file.path)) {
        (Contents::Bytes(_) | Contents::Packed(_), Some(&page)) => {
            Some(Document::new(site, page, &file.contents))
        }
        _ => None,
    }
}

impl Document {
    fn new(site: &Site, page: usize, html: &Contents) -> Document {
        let page = &site.pages[page];
        Document {
            url: page.path.clone(),
            html: html.clone(),
            worksheet: page.worksheet.is_some(),
            source: page.doc.source.shown.display().to_string(),
        }
    }
}

/// A whole site's pages to index, for [`index`].
pub(crate) struct Pages {
    language: String,
    documents: Vec<Document>,
}

impl Pages {
    /// How many pages there are to index.
    pub(crate) fn len(&self) -> usize {
        self.documents.len()
    }
}

/// The pages to index among `files` (a whole site's output, as the live preview holds it);
/// `None` when the site has search turned off. Cheap: the pages' bytes are shared.
pub(crate) fn pages<'f>(site: &Site, files: impl Iterator<Item = &'f OutputFile>) -> Option<Pages> {
    if !site.config.search.enabled {
        return None;
    }
    let pages = indexed_pages(site);
    let documents = files.filter_map(|f| document(site, &pages, f)).collect();
    Some(Pages {
        language: index_language(&site.config.language),
        documents,
    })
}

/// Indexes `pages` on the calling thread, at the lowest CPU priority, and returns the
/// bundle's files and warnings for pages Pagefind could not read: the preview's index when
/// no child process can make it (`child/`).
pub(crate) fn index(pages: &Pages) -> Outcome {
    let (sender, receiver) = mpsc::channel();
    for document in &pages.documents {
        let _ = sender.send(document.clone());
    }
    drop(sender);
    bundle::index(pages.language.clone(), receiver, Priority::Background)
}

/// The language Pagefind indexes in (its stemmer, and part of its file names): the site's
/// `language` when it looks like a language tag (`en`, `pt-BR`), else `unknown` (no
/// stemming). Pagefind cuts its file names from a hash at the language's length, so a long
/// or odd value, which `config.yaml` allows, must never reach it (it panicked on one).
fn index_language(language: &str) -> String {
    let mut parts = language.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    match primary_ok && rest_ok && language.len() <= 16 {
        true => language.to_ascii_lowercase(),
        false => "unknown".to_string(),
    }
}

/// A problem with the index as a whole: the build fails (the old site stays), and the
/// author can turn search off to publish without it.
fn failed(why: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(format!("the search index could not be built: {why}"))
        .at(Location::file_only("config.yaml"))
        .help("this is a bug in sheaf or Pagefind; to publish without search meanwhile, set `search: { enabled: false }` in config.yaml")
}

#[cfg(test)]
mod tests {
    use super::index_language;

    #[test]
    fn only_language_tags_reach_pagefind() {
        for (written, used) in [
            ("en", "en"),
            ("pt-BR", "pt-br"),
            ("zh-Hant-TW", "zh-hant-tw"),
            ("", "unknown"),
            ("english", "unknown"),
            ("en\"><script>alert(1)</script>", "unknown"),
            ("en-abcdefghijklmnopqrstuvwxyz", "unknown"),
            ("e1", "unknown"),
        ] {
            assert_eq!(index_language(written), used, "{written:?}");
        }
    }
}
