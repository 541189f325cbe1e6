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
    pub(super) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

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
}

/// Which page lookups a cached body asks again (every other lookup is always asked: see
/// `Lookup::follows_table`). Each body is stamped with the fingerprint of the table it was
/// last checked against: a body checked against `now` asks none, one checked against the
/// table the cache knows asks those whose path differs since, any other asks them all.
/// (A body can be checked against another table than the cache's: a run that rendered it
/// was stopped before its whole-site pass, and the next run's table may be the cache's
/// again.)
#[derive(Debug, Clone)]
pub(crate) struct Recheck {
    /// The fingerprint of the site's table.
    now: u64,
    /// The table the cache was checked against, with the content paths whose answer
    /// differs from `now` (documents that came, went or moved), when the base path is the
    /// same.
    since: Option<(u64, Arc<HashSet<String>>)>,
}

impl Recheck {
    /// What bodies must ask again on a site whose table is `now`, the cache having been
    /// checked against `checked`.
    pub(crate) fn between(checked: Option<&LinkTable>, now: &LinkTable) -> Recheck {
        let since = checked
            .filter(|c| c.fingerprint != now.fingerprint && c.base == now.base)
            .map(|checked| {
                let moved = now
                    .urls
                    .iter()
                    .filter(|(rel, url)| checked.urls.get(*rel) != Some(url))
                    .map(|(rel, _)| rel);
                let gone = checked
                    .urls
                    .keys()
                    .filter(|rel| !now.urls.contains_key(*rel));
                let paths = moved.chain(gone).cloned().collect();
                (checked.fingerprint, Arc::new(paths))
            });
        Recheck {
            now: now.fingerprint,
            since,
        }
    }

    /// The fingerprint a body checked now is stamped with.
    pub(super) fn now(&self) -> u64 {
        self.now
    }

    /// Whether a cached body last checked against the table `checked` asks `lookup` again.
    pub(super) fn asks(&self, lookup: &Lookup, checked: u64) -> bool {
        if !lookup.follows_table() {
            return true;
        }
        if checked == self.now {
            return false;
        }
        match (&self.since, lookup) {
            (Some((since, paths)), Lookup::Page(rel, _)) if *since == checked => {
                paths.contains(rel)
            }
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
        let Some((_, paths)) = &recheck.since else {
            panic!("{recheck:?}");
        };
        let mut paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        paths.sort();
        assert_eq!(paths, ["b.md", "c.md", "new.md"]);
        let at = before.fingerprint;
        assert!(!recheck.asks(&page("a.md"), at));
        assert!(recheck.asks(&page("new.md"), at), "a link that was broken");
        assert!(recheck.asks(&page("c.md"), at), "a link that breaks");
        // Lookups that do not follow from the table are always asked.
        let missing = Lookup::Missing("a.md".into(), crate::markdown::Missing::Draft);
        assert!(recheck.asks(&missing, at));
        assert!(recheck.asks(&missing, now.fingerprint));
        // A body checked against `now` asks no page lookup; one checked against a third
        // table (a stopped run's) asks them all.
        assert!(!recheck.asks(&page("b.md"), now.fingerprint));
        assert!(recheck.asks(&page("a.md"), at ^ 1));
    }

    #[test]
    fn a_body_checked_against_another_table_than_the_caches_asks_everything() {
        // A page deleted, a body re-rendered without it, the run stopped; the page back.
        let cached = table("/", &[("a.md", "/a/"), ("x.md", "/x/")]);
        let stopped = table("/", &[("a.md", "/a/")]);
        let now = table("/", &[("a.md", "/a/"), ("x.md", "/x/")]);
        let recheck = Recheck::between(Some(&cached), &now);
        assert!(!recheck.asks(&page("x.md"), cached.fingerprint));
        assert!(recheck.asks(&page("x.md"), stopped.fingerprint));
    }

    #[test]
    fn no_table_or_another_base_asks_every_body_checked_before() {
        let docs = [("a.md", "/a/")];
        let first = Recheck::between(None, &table("/", &docs));
        assert!(first.asks(&page("a.md"), 0));
        let (old, new) = (table("/", &docs), table("/sub/", &docs));
        let moved = Recheck::between(Some(&old), &new);
        assert!(moved.asks(&page("a.md"), old.fingerprint));
        assert!(!moved.asks(&page("a.md"), new.fingerprint));
    }
}
