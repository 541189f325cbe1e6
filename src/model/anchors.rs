//! Every `#fragment` in a link must name an id on its target page.
//!
//! Checked once all bodies are rendered (a link may point at any page). The index remembers
//! which documents link into which, so after an edit the live preview re-checks only the
//! edited pages' own links and the links from other pages into them.

use std::collections::{BTreeSet, HashMap};

use super::{Site, Target};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::markdown::Rendered;

#[derive(Default)]
pub(super) struct AnchorIndex {
    /// Broken anchors by the document whose link they are in (only documents with some).
    problems: HashMap<String, Vec<Diagnostic>>,
    /// For each document, the documents whose links carry a `#fragment` into it.
    linked_from: HashMap<String, BTreeSet<String>>,
    /// For each document, the documents its `#fragment` links point into.
    links_to: HashMap<String, BTreeSet<String>>,
    /// Ids the theme's templates write on pages (`theme::ThemeFiles::page_ids`).
    theme_ids: std::sync::Arc<BTreeSet<String>>,
}

impl AnchorIndex {
    /// The ids the theme writes on pages, which links may point at.
    pub(super) fn theme_ids(&self) -> &BTreeSet<String> {
        &self.theme_ids
    }

    /// Sets the theme's ids; the caller re-checks (a new body cache does).
    pub(super) fn set_theme_ids(&mut self, ids: BTreeSet<String>) {
        self.theme_ids = std::sync::Arc::new(ids);
    }

    /// Checks every document's links.
    pub(super) fn check_all(&mut self, site: &Site) {
        *self = AnchorIndex {
            theme_ids: self.theme_ids.clone(),
            ..AnchorIndex::default()
        };
        let pages = site.pages.iter().map(|p| p.doc.source.rel.as_str());
        let sections = site
            .sections
            .iter()
            .filter_map(|s| s.doc.as_ref().map(|d| d.source.rel.as_str()));
        for rel in pages.chain(sections) {
            self.check(site, rel);
        }
    }

    /// Checks what an edit of `pages` (indices into the site) can have changed.
    pub(super) fn check_patched(&mut self, site: &Site, pages: &[usize]) {
        let mut sources = BTreeSet::new();
        for &i in pages {
            let rel = &site.pages[i].doc.source.rel;
            sources.insert(rel.clone());
            if let Some(from) = self.linked_from.get(rel) {
                sources.extend(from.iter().cloned());
            }
        }
        for rel in &sources {
            self.check(site, rel);
        }
    }

    /// Checks the links of these documents alone (the preview's requested pages, whose
    /// targets' bodies are rendered; `check_all` follows once every body is).
    pub(super) fn check_documents(&mut self, site: &Site, rels: &[&str]) {
        for rel in rels {
            self.check(site, rel);
        }
    }

    /// The broken anchors in these documents' links.
    pub(super) fn problems_of<'a>(
        &'a self,
        rels: &'a [&'a str],
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        rels.iter()
            .filter_map(|rel| self.problems.get(*rel))
            .flatten()
    }

    pub(super) fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems.values().flatten()
    }

    /// (Re)checks the links of the document `rel`.
    fn check(&mut self, site: &Site, rel: &str) {
        for target in self.links_to.remove(rel).unwrap_or_default() {
            if let Some(from) = self.linked_from.get_mut(&target) {
                from.remove(rel);
            }
        }
        self.problems.remove(rel);
        let Some(body) = site.by_source.get(rel).and_then(|&t| body_of(site, t)) else {
            return;
        };
        let mut problems = Vec::new();
        let mut targets = BTreeSet::new();
        // Each target's ids as a set, made once per check: a page with thousands of links
        // into one with thousands of headings stays linear.
        let mut id_sets: std::collections::HashMap<&str, std::collections::HashSet<&str>> =
            std::collections::HashMap::new();
        for link in &body.links {
            let fragment = &link.fragment;
            let target_rel = link.target.as_deref().unwrap_or(rel);
            targets.insert(target_rel.to_string());
            let Some(target) = site.by_source.get(target_rel) else {
                continue;
            };
            let Some(ids) = body_of(site, *target).map(|b| &b.heading_ids) else {
                continue;
            };
            let set = id_sets
                .entry(target_rel)
                .or_insert_with(|| ids.iter().map(String::as_str).collect());
            // `#top` is the top of any page (HTML's "scroll to the fragment"), unless an
            // element has that id, which the set holds then.
            if set.contains(fragment.as_str())
                || fragment.eq_ignore_ascii_case("top")
                || self.theme_ids.contains(fragment.as_str())
            {
                continue;
            }
            let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
            known.truncate(12);
            let mut d = Diagnostic::error(format!(
                "broken anchor `#{fragment}`: `{target_rel}` has no heading with this id"
            ))
            .at(link.location.clone())
            .internal_link()
            .help(if known.is_empty() {
                "the target page has no headings; link to the page without `#...`".to_string()
            } else {
                format!("ids on that page: {}", known.join(", "))
            });
            if let Some(hint) = did_you_mean(fragment, known.iter().copied()) {
                d = d.label(format!("did you mean `#{hint}`?"));
            }
            problems.push(d);
        }
        for target in &targets {
            self.linked_from
                .entry(target.clone())
                .or_default()
                .insert(rel.to_string());
        }
        if !targets.is_empty() {
            self.links_to.insert(rel.to_string(), targets);
        }
        if !problems.is_empty() {
            self.problems.insert(rel.to_string(), problems);
        }
    }
}

fn body_of(site: &Site, target: Target) -> Option<&Rendered> {
    match target {
        Target::Page(i) => site.pages[i].body.as_deref(),
        Target::Section(s) => site.sections[s].body.as_deref(),
    }
}
