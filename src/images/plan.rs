//! Which copies of an image to make, decided from its [`ImageInfo`] alone.
//!
//! - A `srcset` of WebP copies: each of [`ImageSettings::widths`] strictly below the image's own
//!   width (never enlarged), and the image's own width. No resized copies in the original's
//!   format: every browser in use decodes WebP (Safari since 14, in 2020), and the rare one
//!   that does not gets the original through `<img src>`, which is always published. A
//!   second set would double the encoding time and the output for almost no reader.
//! - For a page's `image:`, one copy of exactly [`SOCIAL_SIZE`], cover-cropped around the
//!   centre, in JPEG (link-preview sites do not all take WebP, and a PNG of a photo is a
//!   megabyte).
//!
//! Copies are named after the original with a suffix before the extension that an author is
//! unlikely to use: `pic.png` → `pic.w480.webp`, `pic.social.png`.

use super::{Format, ImageInfo};

/// The size of a link-preview image (Open Graph, Twitter's `summary_large_image`): the
/// size of sheaf's generated cards too.
pub const SOCIAL_SIZE: (u32, u32) = (1200, 627);

/// The largest width or height a WebP can have.
const WEBP_MAX_SIDE: u32 = 16383;

/// How copies are made; part of every cache key through the specs it yields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// The `srcset` widths, in pixels; only those below an image's own width are used.
    pub widths: Vec<u32>,
    /// libwebp's quality (0-100) for copies of photos (JPEG or lossy WebP sources).
    pub photo_quality: u8,
    /// libwebp's quality for copies of exact sources (PNG, GIF, lossless WebP):
    /// screenshots and charts. Measured, the same 80 leaves them further from their
    /// source (DSSIM) than photos, so the default is the same; it is apart so a site of
    /// screenshots can raise it alone.
    pub graphic_quality: u8,
    /// The JPEG quality of the link-preview copy.
    pub social_quality: u8,
}

impl Default for ImageSettings {
    /// The widths of issue #18 and the qualities chosen in notes-images-choice.md.
    fn default() -> ImageSettings {
        ImageSettings {
            widths: vec![480, 960, 1600],
            photo_quality: 80,
            graphic_quality: 80,
            social_quality: 85,
        }
    }
}

/// The format of a copy, with what its encoder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// Lossy WebP at a libwebp quality (0-100).
    Webp {
        /// libwebp's quality factor.
        quality: u8,
    },
    /// Baseline JPEG (alpha is flattened onto white).
    Jpeg {
        /// The JPEG quality (1-100).
        quality: u8,
    },
    /// PNG, lossless.
    Png,
}

impl OutputFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Webp { .. } => "webp",
            OutputFormat::Jpeg { .. } => "jpg",
            OutputFormat::Png => "png",
        }
    }

    /// The MIME type, for `<source type=…>`.
    pub fn mime(self) -> &'static str {
        match self {
            OutputFormat::Webp { .. } => "image/webp",
            OutputFormat::Jpeg { .. } => "image/jpeg",
            OutputFormat::Png => "image/png",
        }
    }
}

/// One copy to make of an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VariantSpec {
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// Its format.
    pub format: OutputFormat,
    /// `true`: cover-crop to exactly `width`×`height` around the centre; `false`: the whole
    /// image, scaled (the plan keeps the aspect ratio).
    pub crop: bool,
    /// What replaces the original's extension: `w480.webp`, `social.jpg`.
    pub suffix: String,
}

impl VariantSpec {
    /// The copy's file name beside `original` (a file name or a `/`-separated path):
    /// `img/pic.png` → `img/pic.w480.webp`. A name without an extension gets the suffix
    /// after a dot.
    pub fn file_name(&self, original: &str) -> String {
        let name_start = original.rfind('/').map_or(0, |i| i + 1);
        let stem = match original[name_start..].rfind('.') {
            // `.hidden` has no extension to replace.
            Some(dot) if dot > 0 => &original[..name_start + dot],
            _ => original,
        };
        format!("{stem}.{}", self.suffix)
    }
}

/// The `srcset` copies of an image, narrowest first: WebP at each of `settings.widths`
/// strictly below its width, then at its own width (unless it is a WebP already). Empty
/// for what is published as it is: SVG, AVIF, animations.
pub fn variant_plan(info: &ImageInfo, settings: &ImageSettings) -> Vec<VariantSpec> {
    if info.animated || !info.format.is_resizable() {
        return Vec::new();
    }
    let quality = if info.format.is_lossy() {
        settings.photo_quality
    } else {
        settings.graphic_quality
    };
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < info.width)
        .collect();
    if !matches!(info.format, Format::WebpLossy | Format::WebpLossless) {
        widths.push(info.width);
    }
    widths.sort_unstable();
    widths.dedup();
    widths
        .into_iter()
        .map(|width| (width, scaled_height(info, width)))
        .filter(|&(w, h)| w <= WEBP_MAX_SIDE && h <= WEBP_MAX_SIDE)
        .map(|(width, height)| VariantSpec {
            width,
            height,
            format: OutputFormat::Webp { quality },
            crop: false,
            suffix: format!("w{width}.webp"),
        })
        .collect()
}

/// The height of `info` scaled to `width`, rounded, at least 1.
fn scaled_height(info: &ImageInfo, width: u32) -> u32 {
    let h = (u64::from(info.height) * u64::from(width) * 2 + u64::from(info.width))
        / (2 * u64::from(info.width));
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// A page image's link-preview copy.
#[derive(Debug, Clone, PartialEq)]
pub struct SocialPlan {
    /// Always [`SOCIAL_SIZE`], cropped: the size link previews lay out, which the page's
    /// `og:image:width`/`height` then state.
    pub spec: VariantSpec,
    /// How much the source is enlarged when it is smaller than [`SOCIAL_SIZE`] (e.g. 1.9).
    /// The copy is still made (a preview card needs its size, and sites show a small image
    /// as a thumbnail instead of a card), but it will look soft: the pipeline warns, so
    /// this never happens silently.
    pub enlarged: Option<f64>,
}

/// The link-preview copy of a page's `image:`: cover-cropped around the centre to exactly
/// [`SOCIAL_SIZE`], in JPEG whatever the source: a PNG copy of a photo stored as PNG was
/// 1.1 MB (`cargo bench --bench images`), and preview sites re-encode to JPEG anyway.
/// `None` for what sheaf does not decode (SVG, AVIF); an animation gives its first frame.
pub fn social_plan(info: &ImageInfo, settings: &ImageSettings) -> Option<SocialPlan> {
    if !info.format.is_resizable() {
        return None;
    }
    let (width, height) = SOCIAL_SIZE;
    let scale = f64::max(
        f64::from(width) / f64::from(info.width),
        f64::from(height) / f64::from(info.height),
    );
    let format = OutputFormat::Jpeg {
        quality: settings.social_quality,
    };
    Some(SocialPlan {
        spec: VariantSpec {
            width,
            height,
            format,
            crop: true,
            suffix: format!("social.{}", format.extension()),
        },
        enlarged: (scale > 1.0).then_some(scale),
    })
}
