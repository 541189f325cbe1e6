//! The live preview's rendered bodies, kept between rebuilds: a body is rendered again only
//! when its source, its URL or an answer to one of its link lookups changed.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use super::Site;
use super::anchors::AnchorIndex;
use super::bodies::PageBody;
use super::link_table::{LinkTable, Recheck};
use super::lookups::{Lookup, Recorder};
use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::markdown::{LinkResolver, Rendered};
use crate::worksheet::Worksheet;

/// From this many pages on, every rendered body is held LZ4-packed (about a fifth of its
/// bytes) until the run ends: at 50,000 pages that is what keeps a build within its memory
/// goal. A smaller site keeps them plain: packing and unpacking each body (a page, its
/// feeds and its lists read it) was 2 to 3 ms of a 100-page build's 70, for memory it
/// does not need (2,048 bodies plain are tens of MB).
const PACK_BODIES_FROM: usize = 2048;

/// A rendered body with everything it was rendered from.
pub(super) struct CachedBody {
    pub(super) source: Arc<Source>,
    /// The document's site path (worksheet result links are built from it).
    pub(super) path: String,
    pub(super) lookups: Vec<Lookup>,
    pub(super) rendered: Arc<Rendered>,
    pub(super) worksheet: Option<Arc<Worksheet>>,
    /// Problems found beyond the Markdown's own (`rendered.diagnostics`).
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) version: u64,
    /// The fingerprint of the link table its page lookups last held on (`Recheck`).
    pub(super) checked: AtomicU64,
}

impl CachedBody {
    /// Whether this body can stand for `source` at `path`. Of the lookups that follow from
    /// the link table alone (pages' URLs, most of them) only those `recheck` names are
    /// asked again; the others (cards, site paths, files, why a page is missing) are asked
    /// again whatever the table.
    pub(super) fn still_valid(
        &self,
        site: &Site,
        source: &Arc<Source>,
        path: &str,
        recheck: &Recheck,
    ) -> bool {
        let checked = self.checked.load(AtomicOrdering::Relaxed);
        let valid = Arc::ptr_eq(&self.source, source)
            && self.path == path
            && self
                .lookups
                .iter()
                .filter(|l| recheck.asks(l, checked))
                .all(|l| l.holds(site));
        if valid {
            self.checked.store(recheck.now(), AtomicOrdering::Relaxed);
        }
        valid
    }
}

/// Rendered bodies by content path, kept between the live preview's rebuilds. A body is
/// reused when its source is the same, its page kept its URL, and every link lookup it made
/// gets the same answer; otherwise it is rendered again. A clean build starts empty.
#[derive(Default)]
pub(crate) struct BodyCache {
    pub(super) bodies: HashMap<String, CachedBody>,
    /// The link table the cached bodies were checked against.
    pub(super) table: Option<Arc<LinkTable>>,
    /// The last [`Recheck`] made, with the fingerprints of the two tables it is between:
    /// a run's three passes over the bodies ask for the same one.
    pub(super) recheck: Option<((Option<u64>, u64), Recheck)>,
    /// Documents whose body has problems to report, so a run need not visit every body.
    pub(super) troubled: BTreeSet<String>,
    pub(super) anchors: AnchorIndex,
    pub(super) worksheet_ids: Vec<Diagnostic>,
}

impl BodyCache {
    /// A cache for bodies whose links may point at the theme's `ids` too; the cache is
    /// made anew when they change, so every anchor is checked against them.
    pub(crate) fn with_theme_ids(ids: BTreeSet<String>) -> BodyCache {
        let mut cache = BodyCache::default();
        cache.anchors.set_theme_ids(ids);
        cache
    }

    /// The theme's ids this cache's anchors were checked against.
    pub(crate) fn theme_ids(&self) -> &BTreeSet<String> {
        self.anchors.theme_ids()
    }

    pub(super) fn insert(&mut self, body: CachedBody) {
        let rel = body.source.rel.clone();
        if body.rendered.diagnostics.is_empty() && body.diagnostics.is_empty() {
            self.troubled.remove(&rel);
        } else {
            self.troubled.insert(rel.clone());
        }
        self.bodies.insert(rel, body);
    }

    pub(super) fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.bodies.retain(|rel, _| keep(rel));
        self.troubled.retain(|rel| keep(rel));
    }

    /// The problems of every cached body.
    pub(super) fn problems(&self) -> Vec<Diagnostic> {
        self.troubled
            .iter()
            .filter_map(|rel| self.bodies.get(rel))
            .flat_map(|b| b.rendered.diagnostics.iter().chain(&b.diagnostics))
            .cloned()
            .collect()
    }
}

/// Every body gets a version no other body ever had, across rebuilds.
pub(super) fn next_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, AtomicOrdering::Relaxed)
}

/// The body of `source` rendered anew by `render`, unless the cached one still stands for it.
pub(super) fn render_if_stale(
    cache: &BodyCache,
    site: &Site,
    source: &Arc<Source>,
    path: &str,
    recheck: &Recheck,
    render: impl FnOnce(&dyn LinkResolver) -> PageBody,
) -> Option<CachedBody> {
    if let Some(cached) = cache.bodies.get(&source.rel)
        && cached.still_valid(site, source, path, recheck)
    {
        return None;
    }
    let recorder = Recorder::new(site);
    let mut body = render(&recorder);
    if site.pages.len() >= PACK_BODIES_FROM {
        body.rendered.html.pack();
    }
    Some(CachedBody {
        source: source.clone(),
        path: path.to_string(),
        lookups: recorder.into_lookups(),
        rendered: Arc::new(body.rendered),
        worksheet: body.worksheet.map(Arc::new),
        diagnostics: body.diagnostics,
        version: next_version(),
        checked: AtomicU64::new(recheck.now()),
    })
}
