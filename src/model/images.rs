//! The site's pictures: every image file of `content/` and `static/`, probed once per model
//! (its header only) for its displayed size and the resized copies a build makes of it, so
//! Markdown can write `width`, `height` and `srcset` without reading a file.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::content_file_path;
use crate::diagnostic::{Diagnostic, Location};
use crate::images::{self, ImageInfo, ImageSettings, VariantSpec};
use crate::load::ContentFile;
use crate::markdown::ImageRef;

/// One image file of the site.
#[derive(Debug, Clone)]
pub struct SiteImage {
    /// Its site path (`/essays/foo/chart.png`), decoded.
    pub site_path: String,
    /// The file to read when making copies.
    pub source: PathBuf,
    /// Which file of the site it is.
    pub origin: Origin,
    pub info: ImageInfo,
    /// The resized copies a build writes beside it (none for SVG, GIF, AVIF, animations).
    pub variants: Vec<VariantSpec>,
}

/// Where an image file is among the site's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `site.files[i]`, in `content/`.
    Content(usize),
    /// `site.statics[i]`, in `static/`.
    Static(usize),
}

/// Extensions probed as images.
const EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "apng"];

fn is_image(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Probes every image among content files and static files, in parallel. A file that is
/// not the image its name says is a warning at the file: it is still published as it is.
pub(super) fn probe_all(
    files: &[ContentFile],
    statics: &[ContentFile],
    content_shown: &str,
) -> (Vec<SiteImage>, Vec<Diagnostic>) {
    let settings = ImageSettings::default();
    let candidates: Vec<(String, &ContentFile, String, Origin)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| is_image(&f.rel))
        .map(|(i, f)| {
            let shown = format!("{content_shown}/{}", f.rel);
            let path = format!("/{}", content_file_path(&f.rel));
            (path, f, shown, Origin::Content(i))
        })
        .chain(
            statics
                .iter()
                .enumerate()
                .filter(|(_, f)| is_image(&f.rel))
                .map(|(i, f)| {
                    let shown = format!("static/{}", f.rel);
                    (format!("/{}", f.rel), f, shown, Origin::Static(i))
                }),
        )
        .collect();
    let probed: Vec<Result<SiteImage, Diagnostic>> = candidates
        .into_par_iter()
        .map(|(site_path, file, shown, origin)| {
            let info = images::probe_file(&file.path).map_err(|e| {
                Diagnostic::warning(format!("`{shown}` cannot be read as an image: {e}"))
                    .at(Location::file_only(std::path::Path::new(&shown)))
                    .help("it is published as it is, without a size or smaller copies; re-export it from an image editor, or give the file the extension of its format")
            })?;
            Ok(SiteImage {
                site_path,
                source: file.path.clone(),
                origin,
                variants: images::variant_plan(&info, &settings),
                info,
            })
        })
        .collect();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for result in probed {
        match result {
            Ok(image) => found.push(image),
            Err(d) => problems.push(d),
        }
    }
    (found, problems)
}

impl SiteImage {
    /// Where the copy `spec` is published (`/essays/foo/chart.w480.webp`).
    pub fn variant_path(&self, spec: &VariantSpec) -> String {
        spec.file_name(&self.site_path)
    }

    /// What a page needs to show it: the size and the copies' URLs, `url` encoding a site
    /// path under the base path.
    pub(super) fn reference(&self, url: impl Fn(&str) -> String) -> ImageRef {
        ImageRef {
            width: self.info.width,
            height: self.info.height,
            webp: self
                .variants
                .iter()
                .map(|v| (v.width, url(&self.variant_path(v))))
                .collect(),
        }
    }
}

/// The images by site path.
pub(super) fn index(images: &[SiteImage]) -> HashMap<String, usize> {
    images
        .iter()
        .enumerate()
        .map(|(i, image)| (image.site_path.clone(), i))
        .collect()
}
