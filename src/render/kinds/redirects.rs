//! A redirect page at each old path of `redirects:` in `config.yaml`: URLs of a moved site
//! that no page or section owns (a renamed tag's list, a category's page), sent on to the
//! path that has them now.

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::reads::SiteView;
use crate::render::redirect::redirect;
use crate::render::{Renderer, html_path};
use crate::yaml::KeyPath;

pub(super) struct Redirects;

impl Kind for Redirects {
    fn name(&self) -> &'static str {
        "redirect"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.config.redirects.len())
    }

    fn outputs(&self, site: &Site, r: usize) -> Vec<String> {
        vec![html_path(&site.config.redirects[r].from)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        r: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let redirect_entry = &view.config().redirects[r];
        let (from, to) = (&redirect_entry.from, &redirect_entry.to);
        Ok(vec![redirect(renderer, view, from, to, to)?])
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let file = html_path(site_path);
        site.config
            .redirects
            .iter()
            .position(|r| html_path(&r.from) == file)
    }

    fn rank(&self) -> u8 {
        4
    }

    fn describe(&self, site: &Site, r: usize) -> String {
        format!("the redirect `{}`", site.config.redirects[r].from)
    }

    fn locate(&self, site: &Site, r: usize) -> Location {
        let written = &site.config.redirects[r].written;
        site.config
            .source
            .key(&KeyPath::root().at("redirects").at(written))
    }

    fn clash_message(&self, site: &Site, r: usize, _what: &str, other: &str) -> String {
        format!(
            "the redirect `{}` would replace {other}",
            site.config.redirects[r].from
        )
    }

    fn clash_help(&self) -> &'static str {
        "a redirect only makes a page at an old URL that nothing else uses; remove it from `redirects:`"
    }
}
