//! A file of the site's `static/`, copied to the output root; it wins over a generated
//! file of its name (a hand-written `robots.txt`), but never over an alias.

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::render::Renderer;
use crate::render::reads::SiteView;

pub(super) struct StaticFile;

impl Kind for StaticFile {
    fn name(&self) -> &'static str {
        "static file"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.statics.len())
    }

    fn outputs(&self, site: &Site, f: usize) -> Vec<String> {
        vec![site.statics[f].rel.clone()]
    }

    fn render(
        &self,
        _renderer: &Renderer,
        view: &SiteView,
        f: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let file = view.static_file(f);
        Ok(vec![OutputFile {
            path: file.rel.clone(),
            contents: Contents::Copy(file.path.clone()),
        }])
    }

    fn cheap(&self) -> bool {
        true
    }

    fn rank(&self) -> u8 {
        3
    }

    fn replaces_generated(&self) -> bool {
        true
    }

    fn describe(&self, site: &Site, f: usize) -> String {
        format!("the file `static/{}`", site.statics[f].rel)
    }

    fn locate(&self, site: &Site, f: usize) -> Location {
        Location::file_only(format!("static/{}", site.statics[f].rel).as_str())
    }

    fn clash_help(&self) -> &'static str {
        "rename or move the file"
    }
}
