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
    let probed: Vec<Result<SiteImage, Option<Diagnostic>>> = candidates
        .into_par_iter()
        .map(|(site_path, file, shown, origin)| {
            let info = images::probe_file(&file.path).map_err(|e| {
                // An SVG in `static/` is often not a picture at all (an SVG web font of a
                // slide deck's theme): it is published as it is, and only a page showing it
                // needs its size.
                let svg_asset = matches!(origin, Origin::Static(_))
                    && file.rel.to_ascii_lowercase().ends_with(".svg");
                (!svg_asset).then(|| {
                    Diagnostic::warning(format!("`{shown}` cannot be read as an image: {e}"))
                        .at(Location::file_only(std::path::Path::new(&shown)))
                        .help("it is published as it is, without a size or smaller copies; re-export it from an image editor, or give the file the extension of its format")
                })
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
            Err(d) => problems.extend(d),
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
                // The link-preview copy (cropped) is not a size of the same picture.
                .filter(|v| !v.crop)
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

/// A page's own `image:` as its link previews name it: a site path (its 1200×627 copy
/// when sheaf can make one) or an outside URL, with the size when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenImage {
    /// A site path (`/essays/foo/cover.social.jpg`) or an `https://` URL.
    pub url: String,
    pub size: Option<(u32, u32)>,
}

/// Resolves every page's `image:` like a Markdown image (beside the page, or from the
/// site's root), located at the key when it leads nowhere; a raster picture gets its
/// 1200×627 copy for link previews, made with the picture's other copies.
pub(super) fn resolve_page_images(site: &mut super::Site, diagnostics: &mut Vec<Diagnostic>) {
    let settings = ImageSettings::default();
    let mut social: Vec<(usize, VariantSpec)> = Vec::new();
    let mut given = Vec::new();
    for (p, page) in site.pages.iter().enumerate() {
        let Some(written) = page.doc.front.image.as_deref() else {
            continue;
        };
        let rel = &page.doc.source.rel;
        let page_dir = rel.rfind('/').map_or("", |i| &rel[..i]);
        let resolved = crate::markdown::resolve_image(written, (page_dir, &page.path), &*site);
        let link = match resolved {
            Ok(None) => {
                given.push((
                    p,
                    GivenImage {
                        url: written.to_string(),
                        size: None,
                    },
                ));
                continue;
            }
            Ok(Some(link)) => link,
            Err(broken) => {
                let location = crate::load::locate_key(&page.doc.source, &page.doc.yaml, "image");
                diagnostics.push(broken.diagnostic(location));
                continue;
            }
        };
        // The site path of the file, from its URL under the base path.
        let base = site.config.urls.base_path();
        let site_path = crate::markdown::percent_decode(&format!(
            "/{}",
            link.url.strip_prefix(base).unwrap_or(&link.url)
        ))
        .into_owned();
        let image = site
            .image_index
            .get(&site_path)
            .map(|&i| (i, &site.images[i]));
        let plan =
            image.and_then(|(i, image)| Some((i, images::social_plan(&image.info, &settings)?)));
        match (image, plan) {
            (Some((_, image)), Some((i, plan))) => {
                given.push((
                    p,
                    GivenImage {
                        url: image.variant_path(&plan.spec),
                        size: Some((plan.spec.width, plan.spec.height)),
                    },
                ));
                social.push((i, plan.spec));
            }
            (Some((_, image)), None) => given.push((
                p,
                GivenImage {
                    url: site_path.clone(),
                    size: Some((image.info.width, image.info.height)),
                },
            )),
            _ => given.push((
                p,
                GivenImage {
                    url: site_path,
                    size: None,
                },
            )),
        }
    }
    for (p, image) in given {
        site.pages[p].image = Some(image);
    }
    let added = !social.is_empty();
    for (i, spec) in social {
        let variants = &mut site.images[i].variants;
        if !variants.contains(&spec) {
            variants.push(spec);
        }
    }
    if added {
        // The paths a link may name now include the link-preview copies.
        site.site_paths = Default::default();
    }
}
