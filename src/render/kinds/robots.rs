//! `robots.txt`: everything allowed, and where the sitemap is.

use super::{Kind, one, text_file};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::reads::SiteView;

pub(super) struct Robots;

impl Kind for Robots {
    fn name(&self) -> &'static str {
        "robots"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec!["robots.txt".into()]
    }

    fn render(
        &self,
        _renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let sitemap = view.config().urls.absolute("/sitemap.xml");
        let text = format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n");
        Ok(vec![text_file("robots.txt", text)])
    }

    fn cheap(&self) -> bool {
        true
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "robots.txt".into()
    }
}
