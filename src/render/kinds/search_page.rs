//! `/search/`: the full results page of site search (DESIGN §10), which the header's box
//! links to and which works from a pasted `/search/?q=…` link. The page is a frame: the
//! theme's script reads the query and asks Pagefind's index. Made only when search is on.
//!
//! An author's page or section at `/search/` is a located error at that file, as for
//! `/workbook/`: every page's search box submits to this address.

use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path};

/// The search page's site path.
pub(super) const PATH: &str = "/search/";

pub(super) struct SearchPage;

impl Kind for SearchPage {
    fn name(&self) -> &'static str {
        "search page"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        match site.config.search.enabled {
            true => one(),
            false => Vec::new(),
        }
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec![html_path(PATH)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let meta = meta_json(
            view,
            Meta::website(
                "Search",
                "Search every essay, guide and worksheet of this site.",
                PATH,
            ),
        );
        let ctx = renderer.context(view, meta);
        let html = renderer.templates.render("search.html", &ctx)?;
        Ok(vec![renderer.html_file(view, PATH, html)])
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        (site_path == PATH && site.config.search.enabled).then_some(0)
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the search page sheaf makes when search is on".into()
    }
}
