//! `rss.xml`, `atom.xml` and `feed.json`: the latest dated pages of the whole site (`render::feeds`),
//! and their copies at an old site's feed paths (`feeds.copies`).

use super::{Bodies, Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::reads::SiteView;
use crate::render::{Renderer, feeds};

pub(super) struct SiteFeeds;

impl Kind for SiteFeeds {
    fn name(&self) -> &'static str {
        "site feeds"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    fn outputs(&self, site: &Site, _id: usize) -> Vec<String> {
        let mut outputs = vec!["rss.xml".into(), "atom.xml".into(), "feed.json".into()];
        outputs.extend(site.config.feeds.site_copies().map(|(p, _)| p.to_string()));
        outputs
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        Ok(feeds::site_feeds(view, &renderer.feed_html))
    }

    /// The latest pages' bodies: the feeds carry their full text.
    fn bodies(&self, site: &Site, _id: usize) -> Bodies {
        Bodies::pages(feeds::shown::latest(site))
    }

    fn at_file(&self, site: &Site, file: &str) -> Option<usize> {
        super::instance_writing(self, site, file)
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the site's feeds".into()
    }
}
