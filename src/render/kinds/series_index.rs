//! `/series/`: every series with its number of parts; written only when the site has one,
//! so a site without series has no empty page to link to.

use super::series::series_summary;
use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::model::series::SERIES_INDEX;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path};

pub(super) struct SeriesIndex;

impl Kind for SeriesIndex {
    fn name(&self) -> &'static str {
        "series index"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        if site.series.is_empty() {
            Vec::new()
        } else {
            one()
        }
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec![html_path(SERIES_INDEX)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let meta = meta_json(view, Meta::website("Series", "", SERIES_INDEX));
        let mut ctx = renderer.context(view, meta);
        let all: Vec<serde_json::Value> = (0..view.all_series())
            .map(|s| series_summary(view, s))
            .collect();
        ctx.insert("series_list", &all);
        let html = renderer.templates.render("series_list.html", &ctx)?;
        Ok(vec![renderer.html_file(view, SERIES_INDEX, html)])
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        (site_path == SERIES_INDEX && !site.series.is_empty()).then_some(0)
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the series index".into()
    }
}
