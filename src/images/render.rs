//! Making a copy: decode within limits, turn upright, resize, encode.
//!
//! Decoding is `image`'s (zune-jpeg, png, gif, image-webp: all pure Rust), limited to
//! [`MAX_PIXELS`] by the header before it starts and to [`MAX_ALLOC`] while it runs, so a
//! small file claiming a huge size fails with [`ImageError::TooLarge`] instead of taking the
//! machine's memory. Resizing is `fast_image_resize`'s Lanczos3 convolution (SIMD, 10-25
//! times faster than `image::imageops` for the same pixels; see notes-images-choice.md),
//! with alpha premultiplied so transparent edges do not darken.

use std::io::Cursor;

use fast_image_resize as fir;
use image::{ImageFormat, ImageReader, Limits};
use rayon::prelude::*;

use super::encode::{Pixels, encode};
use super::{Format, ImageError, MAX_ALLOC, MAX_PIXELS, VariantSpec, probe};

/// One copy of the image in `source`, as `spec` says.
pub fn render(source: &[u8], spec: &VariantSpec) -> Result<Vec<u8>, ImageError> {
    let pixels = decode(source)?;
    resize_and_encode(&pixels, spec)
}

/// Several copies of one image: decoded once, made in parallel. In `specs` order.
pub fn render_set(source: &[u8], specs: &[VariantSpec]) -> Result<Vec<Vec<u8>>, ImageError> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let pixels = decode(source)?;
    specs
        .par_iter()
        .map(|spec| resize_and_encode(&pixels, spec))
        .collect()
}

/// The upright pixels of `source`.
pub(super) fn decode(source: &[u8]) -> Result<Pixels, ImageError> {
    let info = probe(source)?;
    let format = match info.format {
        Format::Png => ImageFormat::Png,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Gif => ImageFormat::Gif,
        Format::WebpLossy | Format::WebpLossless => ImageFormat::WebP,
        Format::Avif | Format::Svg => return Err(ImageError::NotResizable(info.format.name())),
    };
    let pixels = u64::from(info.width) * u64::from(info.height);
    if pixels > MAX_PIXELS {
        return Err(ImageError::TooLarge {
            width: info.width,
            height: info.height,
            limit: MAX_PIXELS / 1_000_000,
        });
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(source), format);
    reader.limits(limits);
    let mut image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => ImageError::TooLarge {
            width: info.width,
            height: info.height,
            limit: MAX_PIXELS / 1_000_000,
        },
        e => ImageError::Decode(e.to_string()),
    })?;
    if let Some(orientation) = image::metadata::Orientation::from_exif(info.orientation) {
        image.apply_orientation(orientation);
    }
    Ok(if image.color().has_alpha() {
        Pixels::Rgba(image.into_rgba8())
    } else {
        Pixels::Rgb(image.into_rgb8())
    })
}

/// `pixels` resized (and cropped) to the spec's size, then encoded.
pub(super) fn resize_and_encode(
    pixels: &Pixels,
    spec: &VariantSpec,
) -> Result<Vec<u8>, ImageError> {
    let (w, h) = pixels.dimensions();
    let (width, height) = (spec.width.max(1), spec.height.max(1));
    if (w, h) == (width, height) {
        return encode(pixels, spec.format);
    }
    let mut options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    if spec.crop {
        // The largest centred part of the source with the target's aspect ratio.
        let scale = f64::max(
            f64::from(width) / f64::from(w),
            f64::from(height) / f64::from(h),
        );
        let (cw, ch) = (f64::from(width) / scale, f64::from(height) / scale);
        options = options.crop((f64::from(w) - cw) / 2.0, (f64::from(h) - ch) / 2.0, cw, ch);
    }
    let resized = match pixels {
        Pixels::Rgb(p) => {
            let raw = resize(
                p.as_raw(),
                (w, h),
                (width, height),
                fir::PixelType::U8x3,
                &options,
            )?;
            Pixels::Rgb(image::RgbImage::from_raw(width, height, raw).ok_or_else(size_bug)?)
        }
        Pixels::Rgba(p) => {
            let raw = resize(
                p.as_raw(),
                (w, h),
                (width, height),
                fir::PixelType::U8x4,
                &options,
            )?;
            Pixels::Rgba(image::RgbaImage::from_raw(width, height, raw).ok_or_else(size_bug)?)
        }
    };
    encode(&resized, spec.format)
}

fn resize(
    raw: &[u8],
    (w, h): (u32, u32),
    (width, height): (u32, u32),
    pixel: fir::PixelType,
    options: &fir::ResizeOptions,
) -> Result<Vec<u8>, ImageError> {
    let resize_error = |reason: String| ImageError::Encode {
        format: "resized",
        reason,
    };
    let src =
        fir::images::ImageRef::new(w, h, raw, pixel).map_err(|e| resize_error(e.to_string()))?;
    let mut dst = fir::images::Image::new(width, height, pixel);
    fir::Resizer::new()
        .resize(&src, &mut dst, options)
        .map_err(|e| resize_error(e.to_string()))?;
    Ok(dst.into_vec())
}

fn size_bug() -> ImageError {
    ImageError::Encode {
        format: "resized",
        reason: "the resizer returned a buffer of the wrong size".into(),
    }
}
