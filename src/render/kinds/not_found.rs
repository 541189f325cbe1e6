//! `404.html`, which static hosts serve for any missing path.

use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, social};

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
        let meta = meta_json(
            view,
            Meta {
                title: "Page not found",
                description: "",
                path: "/404.html",
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: social::Image::Default,
            },
        );
        let ctx = renderer.context(view, meta);
        let html = renderer.templates.render("404.html", &ctx)?;
        Ok(vec![renderer.html_file(view, "/404.html", html)])
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the 404 page".into()
    }
}
