//! `404.html`, which static hosts serve for any missing path.

use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;

pub(super) struct NotFound;

impl Kind for NotFound {
    fn name(&self) -> &'static str {
        "404"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec!["404.html".into()]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let meta = meta_json(view, Meta::website("Page not found", "", "/404.html"));
        let ctx = renderer.context(view, meta);
        let html = renderer.templates.render("404.html", &ctx)?;
        Ok(vec![renderer.html_file(view, "/404.html", html)])
    }

    fn at_path(&self, _site: &Site, site_path: &str) -> Option<usize> {
        (site_path == "/404.html").then_some(0)
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the 404 page".into()
    }
}
