//! `.nojekyll`, empty: tells GitHub Pages to publish the files as they are.

use super::{Kind, one, text_file};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::reads::SiteView;

pub(super) struct NoJekyll;

impl Kind for NoJekyll {
    fn name(&self) -> &'static str {
        "nojekyll"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec![".nojekyll".into()]
    }

    fn render(
        &self,
        _renderer: &Renderer,
        _view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        Ok(vec![text_file(".nojekyll", String::new())])
    }

    fn cheap(&self) -> bool {
        true
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        ".nojekyll".into()
    }
}
