//! The resized WebP copies of each picture of the site (`model::images`), made in parallel
//! with the other jobs and kept in `.sheaf-cache/images/`, so a warm build decodes and
//! encodes nothing. In the live preview they are not the open page's, so they are made
//! after the reload.

use super::Kind;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::render::Renderer;
use crate::render::reads::SiteView;

pub(super) struct Images;

impl Kind for Images {
    fn name(&self) -> &'static str {
        "image copies"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        (0..site.images.len())
            .filter(|&i| !site.images[i].variants.is_empty())
            .collect()
    }

    fn outputs(&self, site: &Site, i: usize) -> Vec<String> {
        let image = &site.images[i];
        image
            .variants
            .iter()
            .map(|v| image.variant_path(v).trim_start_matches('/').to_string())
            .collect()
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        i: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let image = view.image(i);
        let shown = image.source.display().to_string();
        let fail = |message: String| {
            Diagnostic::error(message)
                .at(Location::file_only(&image.source))
                .help("re-export the picture from an image editor; the page shows it without resized copies until then")
        };
        let source = std::fs::read(&image.source)
            .map_err(|e| fail(format!("cannot read `{shown}`: {e}")))?;
        let rendered = match renderer.image_cache {
            Some(cache) => cache.get_or_render(&source, &image.variants),
            None => crate::images::render_set(&source, &image.variants).map(|all| {
                all.into_iter()
                    .map(|bytes| crate::images::Rendered {
                        bytes,
                        rendered: true,
                    })
                    .collect()
            }),
        }
        .map_err(|e| fail(format!("cannot make smaller copies of `{shown}`: {e}")))?;
        Ok(image
            .variants
            .iter()
            .zip(rendered)
            .map(|(spec, copy)| OutputFile {
                path: image.variant_path(spec).trim_start_matches('/').to_string(),
                contents: Contents::Bytes(copy.bytes.into()),
            })
            .collect())
    }

    fn describe(&self, site: &Site, i: usize) -> String {
        format!("a resized copy of `{}`", site.images[i].site_path)
    }

    fn locate(&self, site: &Site, i: usize) -> Location {
        Location::file_only(&site.images[i].source)
    }
}
