//! Pixels to file bytes, one function per output format. See notes-images-choice.md for why
//! these encoders: libwebp's lossy WebP (the pure-Rust encoders are lossless only, or AGPL),
//! `jpeg-encoder` (pure Rust, progressive with optimised Huffman tables) and `image`'s PNG.

use image::{ExtendedColorType, ImageEncoder, RgbImage, RgbaImage};

use super::{ImageError, OutputFormat};

/// Decoded pixels, with or without alpha, 8 bits per channel.
pub(super) enum Pixels {
    Rgb(RgbImage),
    Rgba(RgbaImage),
}

impl Pixels {
    pub(super) fn dimensions(&self) -> (u32, u32) {
        match self {
            Pixels::Rgb(p) => p.dimensions(),
            Pixels::Rgba(p) => p.dimensions(),
        }
    }
}

pub(super) fn encode(pixels: &Pixels, format: OutputFormat) -> Result<Vec<u8>, ImageError> {
    match format {
        OutputFormat::Webp { quality } => webp(pixels, quality),
        OutputFormat::Jpeg { quality } => jpeg(pixels, quality),
        OutputFormat::Png => png(pixels),
    }
}

fn webp(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, ImageError> {
    let (w, h) = pixels.dimensions();
    let encoder = match pixels {
        Pixels::Rgb(p) => webp::Encoder::from_rgb(p.as_raw(), w, h),
        Pixels::Rgba(p) => webp::Encoder::from_rgba(p.as_raw(), w, h),
    };
    let memory = encoder
        .encode_simple(false, f32::from(quality.min(100)))
        .map_err(|e| ImageError::Encode {
            format: "WebP",
            reason: format!("{e:?}"),
        })?;
    Ok(memory.to_vec())
}

fn jpeg(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, ImageError> {
    let flat;
    let rgb = match pixels {
        Pixels::Rgb(p) => p,
        Pixels::Rgba(p) => {
            flat = on_white(p);
            &flat
        }
    };
    let (Ok(w), Ok(h)) = (u16::try_from(rgb.width()), u16::try_from(rgb.height())) else {
        return Err(ImageError::Encode {
            format: "JPEG",
            reason: "wider or taller than 65,535 pixels".into(),
        });
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    encoder
        .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| ImageError::Encode {
            format: "JPEG",
            reason: e.to_string(),
        })?;
    Ok(out)
}

fn png(pixels: &Pixels) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new(&mut out);
    let (w, h) = pixels.dimensions();
    let result = match pixels {
        Pixels::Rgb(p) => encoder.write_image(p.as_raw(), w, h, ExtendedColorType::Rgb8),
        Pixels::Rgba(p) => encoder.write_image(p.as_raw(), w, h, ExtendedColorType::Rgba8),
    };
    result.map_err(|e| ImageError::Encode {
        format: "PNG",
        reason: e.to_string(),
    })?;
    Ok(out)
}

/// The image over a white background: JPEG has no alpha, and white is what a transparent
/// image shows on most pages and preview cards.
fn on_white(rgba: &RgbaImage) -> RgbImage {
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y);
        let a = u32::from(p[3]);
        let over = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([over(p[0]), over(p[1]), over(p[2])])
    })
}
