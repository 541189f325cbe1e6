//! A non-Markdown file of `content/`, copied beside its pages.

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Site, content_file_path};
use crate::output::{Contents, OutputFile};
use crate::render::Renderer;
use crate::render::reads::SiteView;

pub(super) struct ContentFile;

impl Kind for ContentFile {
    fn name(&self) -> &'static str {
        "content file"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.files.len())
    }

    fn outputs(&self, site: &Site, f: usize) -> Vec<String> {
        vec![content_file_path(&site.files[f].rel)]
    }

    fn render(
        &self,
        _renderer: &Renderer,
        view: &SiteView,
        f: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let file = view.file(f);
        Ok(vec![OutputFile {
            path: content_file_path(&file.rel),
            contents: Contents::Copy(file.path.clone()),
        }])
    }

    fn cheap(&self) -> bool {
        true
    }

    fn rank(&self) -> u8 {
        2
    }

    fn describe(&self, site: &Site, f: usize) -> String {
        format!("the file `content/{}`", site.files[f].rel)
    }

    fn locate(&self, site: &Site, f: usize) -> Location {
        Location::file_only(format!("content/{}", site.files[f].rel).as_str())
    }

    fn clash_help(&self) -> &'static str {
        "rename or move the file"
    }
}
