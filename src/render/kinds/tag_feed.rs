//! `tags/<slug>/rss.xml`: one tag's latest dated pages (`render::feeds`), and its copies
//! (`feeds.copies: { /tags/*/index.xml: rss }`).

use super::tag::tag_location;
use super::{Bodies, Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context::tag_path;
use crate::render::reads::SiteView;
use crate::render::{Renderer, feeds};

pub(super) struct TagFeed;

impl Kind for TagFeed {
    fn name(&self) -> &'static str {
        "tag feed"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.tags.len())
    }

    fn outputs(&self, site: &Site, t: usize) -> Vec<String> {
        let folder = tag_path(&site.tags[t].slug);
        let folder = folder.trim_start_matches('/');
        std::iter::once("rss.xml")
            .chain(site.config.feeds.tag_copies())
            .map(|name| format!("{folder}{name}"))
            .collect()
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        t: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        Ok(feeds::tag_feed(view, &renderer.feed_html, t))
    }

    /// The bodies of the tag's latest dated pages: the feed carries their full text.
    fn bodies(&self, site: &Site, t: usize) -> Bodies {
        Bodies::pages(feeds::shown::tag(site, t))
    }

    fn at_file(&self, site: &Site, file: &str) -> Option<usize> {
        super::instance_writing(self, site, file)
    }

    fn describe(&self, site: &Site, t: usize) -> String {
        format!("the feed of the tag `{}`", site.tags[t].name)
    }

    fn locate(&self, site: &Site, t: usize) -> Location {
        tag_location(site, t)
    }
}
