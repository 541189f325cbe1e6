//! The theme's assets, fingerprinted, and the syntax stylesheet (compiled with the theme).

use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::reads::SiteView;

pub(super) struct Assets;

impl Kind for Assets {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    /// Known only to the compiled theme (see `claimed`); the job is cheap, so it is never
    /// pending anyway.
    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        Vec::new()
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        view.global();
        Ok(renderer.asset_files.to_vec())
    }

    fn cheap(&self) -> bool {
        true
    }

    fn claimed(&self, _site: &Site, _id: usize, assets: &[OutputFile]) -> Vec<String> {
        assets.iter().map(|file| file.path.clone()).collect()
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "a theme asset".into()
    }
}
