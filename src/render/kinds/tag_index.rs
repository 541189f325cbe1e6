//! `/tags/`: every tag with its count.

use super::tag::tag_summary;
use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path};

pub(super) struct TagIndex;

impl Kind for TagIndex {
    fn name(&self) -> &'static str {
        "tag index"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec![html_path("/tags/")]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let meta = meta_json(view, Meta::website("Tags", "", "/tags/"));
        let mut ctx = renderer.context(view, meta);
        let tags: Vec<serde_json::Value> = (0..view.tags()).map(|t| tag_summary(view, t)).collect();
        ctx.insert("tags", &tags);
        let html = renderer.templates.render("tags.html", &ctx)?;
        Ok(vec![renderer.html_file(view, "/tags/", html)])
    }

    fn at_path(&self, _site: &Site, site_path: &str) -> Option<usize> {
        (site_path == "/tags/").then_some(0)
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the tag index".into()
    }
}
