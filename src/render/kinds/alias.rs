//! A redirect page at an old URL (a page's `aliases:`).

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Site, Target};
use crate::output::OutputFile;
use crate::render::reads::SiteView;
use crate::render::redirect::redirect;
use crate::render::{Renderer, html_path};

pub(super) struct Alias;

impl Kind for Alias {
    fn name(&self) -> &'static str {
        "alias"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.aliases.len())
    }

    fn outputs(&self, site: &Site, a: usize) -> Vec<String> {
        vec![html_path(&site.aliases[a].0)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        a: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let (alias, target) = view.alias(a);
        let (title, target_path) = match target {
            Target::Page(p) => view.page_ref(p),
            Target::Section(s) => view.section_ref(s),
        };
        Ok(vec![redirect(renderer, view, alias, target_path, title)?])
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let file = html_path(site_path);
        site.aliases
            .iter()
            .position(|(alias, _)| html_path(alias) == file)
    }

    fn rank(&self) -> u8 {
        4
    }

    fn describe(&self, site: &Site, a: usize) -> String {
        format!("the alias `{}`", site.aliases[a].0)
    }

    fn locate(&self, site: &Site, a: usize) -> Location {
        let (path, target) = &site.aliases[a];
        crate::model::locate_alias(&site.pages, &site.sections, *target, path)
    }

    fn clash_message(&self, site: &Site, a: usize, _what: &str, other: &str) -> String {
        format!("alias `{}` would replace {other}", site.aliases[a].0)
    }

    fn clash_help(&self) -> &'static str {
        "an alias only makes a redirect page at an old URL that nothing else uses; remove it or pick another path"
    }
}
