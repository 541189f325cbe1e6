//! The pages the feeds show, chosen as `feeds::latest_pages`, `feeds::tag_feed_pages` and
//! `feeds::series_feed` do but unrecorded, from the site: which bodies a feed job needs
//! (`Kind::bodies`), known before it renders.

use crate::model::Site;

pub(crate) fn latest(site: &Site) -> Vec<usize> {
    let limit = site.config.feeds.limit;
    site.dated_pages().iter().copied().take(limit).collect()
}

pub(crate) fn tag(site: &Site, t: usize) -> Vec<usize> {
    let limit = site.config.feeds.limit;
    site.tags[t]
        .pages
        .iter()
        .copied()
        .filter(|&p| site.pages[p].doc.front.date.is_some())
        .take(limit)
        .collect()
}

pub(crate) fn series(site: &Site, s: usize) -> Vec<usize> {
    let limit = site.config.feeds.limit;
    site.series[s]
        .pages
        .iter()
        .rev()
        .take(limit)
        .copied()
        .collect()
}
