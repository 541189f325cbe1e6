//! Link lookups recorded while a body renders: what the body cache checks to know a body
//! is still right after other pages moved, appeared or went.

use std::sync::Mutex;

use super::Site;
use crate::markdown::{LinkResolver, Missing, SitePath};

/// One link lookup a body made while rendering, and the answer it got.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Lookup {
    Page(String, Option<String>),
    File(String, Option<crate::markdown::SiteLink>),
    SitePath(String, SitePath),
    /// A page's card for a component, as JSON text.
    PageCard(String, Option<String>),
    /// Why a page was missing: the message a broken link got depends on it.
    Missing(String, Missing),
}

impl Lookup {
    /// Whether the answer follows from the link table alone (each document's URL by its
    /// content path: `link_table.rs`), so a path whose entry is unchanged means an
    /// unchanged answer. Only a page's URL does: a card shows front matter, a site
    /// path may be a tag's or a series' page, a file's link carries a picture's size, and
    /// why a page is missing depends on its flags.
    pub(super) fn follows_table(&self) -> bool {
        matches!(self, Lookup::Page(..))
    }

    /// Whether the site would give the same answer now.
    pub(super) fn holds(&self, site: &Site) -> bool {
        match self {
            Lookup::Page(rel, answer) => LinkResolver::page_url(site, rel) == *answer,
            Lookup::File(rel, answer) => site.file(rel) == *answer,
            Lookup::SitePath(path, answer) => site.site_path(path) == *answer,
            Lookup::PageCard(rel, answer) => {
                site.page_card(rel).map(|card| card.to_string()) == *answer
            }
            Lookup::Missing(rel, answer) => site.why_missing(rel) == *answer,
        }
    }
}

/// Answers link lookups from the site and writes each one down, so the cache knows exactly
/// which pages and files a body's links depend on (found or not: a link that was broken
/// must be rendered again when its target appears).
pub(super) struct Recorder<'a> {
    site: &'a Site,
    lookups: Mutex<Vec<Lookup>>,
}

impl<'a> Recorder<'a> {
    pub(super) fn new(site: &'a Site) -> Self {
        Recorder {
            site,
            lookups: Mutex::new(Vec::new()),
        }
    }

    pub(super) fn into_lookups(self) -> Vec<Lookup> {
        let mut lookups = self.lookups.into_inner().unwrap_or_else(|e| e.into_inner());
        lookups.sort();
        lookups.dedup();
        lookups
    }

    fn note(&self, lookup: Lookup) {
        self.lookups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(lookup);
    }
}

impl LinkResolver for Recorder<'_> {
    fn page_url(&self, content_path: &str) -> Option<String> {
        let answer = LinkResolver::page_url(self.site, content_path);
        self.note(Lookup::Page(content_path.to_string(), answer.clone()));
        answer
    }

    fn why_missing(&self, content_path: &str) -> Missing {
        let answer = self.site.why_missing(content_path);
        self.note(Lookup::Missing(content_path.to_string(), answer.clone()));
        answer
    }

    fn file(&self, content_path: &str) -> Option<crate::markdown::SiteLink> {
        let answer = self.site.file(content_path);
        self.note(Lookup::File(content_path.to_string(), answer.clone()));
        answer
    }

    fn page_card(&self, content_path: &str) -> Option<serde_json::Value> {
        let answer = self.site.page_card(content_path);
        let text = answer.as_ref().map(|card| card.to_string());
        self.note(Lookup::PageCard(content_path.to_string(), text));
        answer
    }

    fn site_path(&self, site_path: &str) -> SitePath {
        let answer = self.site.site_path(site_path);
        self.note(Lookup::SitePath(site_path.to_string(), answer.clone()));
        answer
    }
}
