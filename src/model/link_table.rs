//! What a body's page links are answered from, kept between the live preview's runs: each
//! document's URL by its content path, under the site's base path. A run after a structural
//! save compares the new table with the one the cached bodies were checked against, and a
//! body asks again only the page lookups whose path now gets another answer (issue #19: one
//! new file used to mean every link of every body asked again).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Site;
use super::lookups::Lookup;
use crate::fingerprint::Fingerprint;

/// Each document's URL (fingerprinted) by its content path, under a base path.
#[derive(Debug)]
pub(crate) struct LinkTable {
    base: String,
    urls: HashMap<String, u64>,
    /// The whole table's: two runs with equal fingerprints answer every page lookup alike.
    fingerprint: u64,
}

impl LinkTable {
    /// The table of `site` (see `Site::link_table`, which makes it once per model).
    pub(super) fn of(site: &Site) -> LinkTable {
        let base = site.config.urls.base_path().to_string();
        let mut whole = Fingerprint::new();
        whole.with(&base);
        let pages = site.pages.iter().map(|p| (&p.doc.source.rel, &p.path));
        let sections = site
            .sections
            .iter()
            .filter_map(|s| Some((&s.doc.as_ref()?.source.rel, &s.path)));
        let mut urls = HashMap::with_capacity(site.pages.len() + site.sections.len());
        for (rel, path) in pages.chain(sections) {
            whole.with(rel).with(path);
            urls.insert(rel.clone(), crate::fingerprint::of(path));
        }
        LinkTable {
            base,
            urls,
            fingerprint: whole.finish(),
        }
    }

    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// Which page lookups a cached body asks again (every other lookup is always asked: see
/// `Lookup::follows_table`).
#[derive(Debug, Clone)]
pub(crate) enum Recheck {
    /// None: the table is the one the bodies were checked against.
    None,
    /// Those of these content paths: documents that came, went or moved.
    Paths(Arc<HashSet<String>>),
    /// All of them: there is no earlier table, or the base path changed.
    All,
}

impl Recheck {
    /// What bodies checked against `checked` must ask again on a site whose table is `now`.
    pub(crate) fn between(checked: Option<&LinkTable>, now: &LinkTable) -> Recheck {
        let Some(checked) = checked else {
            return Recheck::All;
        };
        if checked.fingerprint == now.fingerprint {
            return Recheck::None;
        }
        if checked.base != now.base {
            return Recheck::All;
        }
        let moved = now
            .urls
            .iter()
            .filter(|(rel, url)| checked.urls.get(*rel) != Some(url))
            .map(|(rel, _)| rel);
        let gone = checked
            .urls
            .keys()
            .filter(|rel| !now.urls.contains_key(*rel));
        Recheck::Paths(Arc::new(moved.chain(gone).cloned().collect()))
    }

    /// Whether a cached body asks `lookup` again.
    pub(super) fn asks(&self, lookup: &Lookup) -> bool {
        if !lookup.follows_table() {
            return true;
        }
        match (self, lookup) {
            (Recheck::None, _) => false,
            (Recheck::Paths(paths), Lookup::Page(rel, _)) => paths.contains(rel),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(base: &str, docs: &[(&str, &str)]) -> LinkTable {
        let mut whole = Fingerprint::new();
        whole.with(base);
        let mut urls = HashMap::new();
        for (rel, path) in docs {
            whole.with(*rel).with(*path);
            urls.insert(rel.to_string(), crate::fingerprint::of(*path));
        }
        LinkTable {
            base: base.into(),
            urls,
            fingerprint: whole.finish(),
        }
    }

    fn page(rel: &str) -> Lookup {
        Lookup::Page(rel.into(), None)
    }

    #[test]
    fn only_the_paths_that_came_went_or_moved_are_asked_again() {
        let before = table("/", &[("a.md", "/a/"), ("b.md", "/b/"), ("c.md", "/c/")]);
        let now = table(
            "/",
            &[("a.md", "/a/"), ("b.md", "/bee/"), ("new.md", "/new/")],
        );
        let recheck = Recheck::between(Some(&before), &now);
        let Recheck::Paths(paths) = &recheck else {
            panic!("{recheck:?}");
        };
        let mut paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        paths.sort();
        assert_eq!(paths, ["b.md", "c.md", "new.md"]);
        assert!(!recheck.asks(&page("a.md")));
        assert!(recheck.asks(&page("new.md")), "a link that was broken");
        assert!(recheck.asks(&page("c.md")), "a link that breaks");
        // Lookups that do not follow from the table are always asked.
        let missing = Lookup::Missing("a.md".into(), crate::markdown::Missing::Draft);
        assert!(recheck.asks(&missing));
    }

    #[test]
    fn the_same_table_asks_nothing_and_no_table_or_another_base_asks_everything() {
        let docs = [("a.md", "/a/")];
        let same = Recheck::between(Some(&table("/", &docs)), &table("/", &docs));
        assert!(matches!(same, Recheck::None), "{same:?}");
        assert!(!same.asks(&page("a.md")));
        let first = Recheck::between(None, &table("/", &docs));
        assert!(matches!(first, Recheck::All), "{first:?}");
        let moved = Recheck::between(Some(&table("/", &docs)), &table("/sub/", &docs));
        assert!(matches!(moved, Recheck::All), "{moved:?}");
        assert!(moved.asks(&page("a.md")));
    }
}
