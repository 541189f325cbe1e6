//! Content images (issue #18): every raster image's intrinsic size, and the resized copies
//! a page's `srcset` offers, made once and kept in `.sheaf-cache/images/`.
//!
//! Four steps, each usable alone, so the pipeline can call them where it needs them:
//!
//! 1. [`probe`] reads a header (PNG, JPEG, GIF, WebP, AVIF, SVG) for the displayed width and
//!    height, the format and whether it is animated: cheap enough for every image at load
//!    time ([`probe_file`] reads [`PROBE_BYTES`], and the rest only when the header goes on).
//! 2. [`variant_plan`] and [`social_plan`] decide, from that alone, which copies to make:
//!    their sizes, formats and file names. No pixels are touched, so the plan (and the
//!    HTML that names the copies) is known before anything is rendered.
//! 3. [`render`] makes one copy: decode (with limits), apply the EXIF orientation, resize
//!    (Lanczos3, by `fast_image_resize`), encode.
//! 4. [`ImageCache`] keeps every rendered copy under a hash of the source bytes, the spec and
//!    [`IMAGE_PIPELINE_VERSION`], so a warm build decodes nothing; it is shared by rayon's
//!    threads, and drops what a build did not use.
//!
//! The crates were chosen by measurement (notes-images-choice.md, and the program in
//! `benches/image-codecs/`): lossy WebP by libwebp through the `webp` crate, JPEG by
//! `jpeg-encoder`, PNG and decoding by `image`, resizing by `fast_image_resize`; no AVIF.
//!
//! This module is a leaf above `atomic` and `fingerprint`: it knows nothing of pages or
//! output paths. Which images a page uses, the `<img>`/`<picture>` markup and the output
//! files are the pipeline's.

mod cache;
mod encode;
mod error;
mod plan;
mod probe;
mod render;
#[cfg(test)]
mod tests;

pub use cache::{ImageCache, Rendered};
pub use error::{ImageError, ProbeError};
pub use plan::{
    ImageSettings, OutputFormat, SOCIAL_SIZE, SocialPlan, VariantSpec, social_plan, variant_plan,
};
pub use probe::{PROBE_BYTES, probe, probe_file};
pub use render::{render, render_set};

/// Changes whenever a rendered copy of the same source and spec may differ: a new release of
/// a crate that decodes, resizes or encodes, or a change to how this module uses them.
/// Part of every cache key; `tests` holds the versions named here to `Cargo.lock`.
pub const IMAGE_PIPELINE_VERSION: &str = "sheaf images 1, image 0.25.10, fast_image_resize 6.1.0, \
     webp 0.3.1, libwebp-sys 0.9.6, jpeg-encoder 0.7.1, png 0.18.1";

/// The most pixels [`render`] decodes (100 million: a 12,000 × 8,000 photo). A file's
/// header can claim any size in a few bytes, so this is checked before decoding.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The most memory a decoder may allocate (`image::Limits::max_alloc`), 1 GiB: a
/// [`MAX_PIXELS`] image in RGBA with room for the decoder's own buffers.
pub const MAX_ALLOC: u64 = 1 << 30;

/// What [`probe`] tells about an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageInfo {
    /// Width in pixels as displayed: after the EXIF orientation, so orientations 5-8 (a
    /// quarter turn) swap it with the height. For SVG, in CSS pixels, rounded.
    pub width: u32,
    /// Height in pixels as displayed.
    pub height: u32,
    /// The file's format.
    pub format: Format,
    /// An animated GIF, WebP, APNG or AVIF sequence: published as it is, since resizing
    /// would keep only the first frame.
    pub animated: bool,
    /// The EXIF orientation (1-8; 1 is "as stored"). Read for JPEG only: it is where
    /// cameras and phones write it, and where every browser applies it.
    pub orientation: u8,
}

/// The formats [`probe`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// PNG or APNG.
    Png,
    /// JPEG (JFIF or EXIF).
    Jpeg,
    /// GIF.
    Gif,
    /// WebP with a lossy (VP8) bitstream, and every animated WebP.
    WebpLossy,
    /// WebP with a lossless (VP8L) bitstream.
    WebpLossless,
    /// AVIF: measured, published as it is (decoding it would need the C dav1d).
    Avif,
    /// SVG: measured, published as it is.
    Svg,
}

impl Format {
    /// The name an author knows it by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::WebpLossy | Format::WebpLossless => "WebP",
            Format::Avif => "AVIF",
            Format::Svg => "SVG",
        }
    }

    /// Whether the pixels already went through a lossy encoder (a photo, most likely),
    /// rather than being exact (a screenshot, chart or drawing, most likely).
    pub fn is_lossy(self) -> bool {
        matches!(self, Format::Jpeg | Format::WebpLossy | Format::Avif)
    }

    /// Whether [`render`] can decode and resize it.
    pub fn is_resizable(self) -> bool {
        matches!(
            self,
            Format::Png | Format::Jpeg | Format::Gif | Format::WebpLossy | Format::WebpLossless
        )
    }
}
