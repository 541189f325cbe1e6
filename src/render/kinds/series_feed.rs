//! `series/<slug>/rss.xml`: one series' parts (`render::feeds::series_feed`).

use super::series::series_location;
use super::{Bodies, Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::model::series::series_path;
use crate::output::OutputFile;
use crate::render::reads::SiteView;
use crate::render::{Renderer, feeds};

pub(super) struct SeriesFeed;

impl Kind for SeriesFeed {
    fn name(&self) -> &'static str {
        "series feed"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.series.len())
    }

    fn outputs(&self, site: &Site, s: usize) -> Vec<String> {
        vec![format!(
            "{}rss.xml",
            series_path(&site.series[s].slug).trim_start_matches('/')
        )]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        s: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        Ok(vec![feeds::series_feed(view, &renderer.feed_html, s)])
    }

    /// The bodies of the parts the feed shows: it carries their full text.
    fn bodies(&self, site: &Site, s: usize) -> Bodies {
        Bodies::pages(feeds::shown::series(site, s))
    }

    fn at_file(&self, site: &Site, file: &str) -> Option<usize> {
        super::instance_writing(self, site, file)
    }

    fn describe(&self, site: &Site, s: usize) -> String {
        format!("the feed of the series `{}`", site.series[s].name)
    }

    fn locate(&self, site: &Site, s: usize) -> Location {
        series_location(site, s)
    }
}
