//! The candidates, each as "encode RGB at a quality" and "decode back", and the metric.

use fast_image_resize as fir;
use image::{ImageEncoder, RgbImage};
use rgb::FromSlice;

pub struct Codec {
    pub name: &'static str,
    pub encode: fn(&RgbImage, u8) -> Vec<u8>,
    pub decode: fn(&[u8]) -> RgbImage,
    pub lossless: bool,
    pub avif: bool,
}

pub fn all() -> Vec<Codec> {
    vec![
        lossy("webp: libwebp (webp 0.3, C), method 4", libwebp, decode),
        lossy(
            "webp: zenwebp 0.4 (pure Rust, AGPL), method 4",
            zenwebp,
            decode,
        ),
        lossless(
            "webp: image-webp 0.2 lossless (pure Rust)",
            image_webp_lossless,
        ),
        lossless("webp: libwebp lossless", libwebp_lossless),
        lossy("jpeg: image 0.25 (pure Rust)", image_jpeg, decode),
        lossy(
            "jpeg: jpeg-encoder 0.7 progressive (pure Rust)",
            jpeg_encoder,
            decode,
        ),
        lossy("jpeg: mozjpeg 0.10 (C + nasm)", mozjpeg, decode),
        lossless("png: image 0.25 default", image_png),
        Codec {
            avif: true,
            ..lossy("avif: ravif 0.13 speed 6 (rav1e, nasm)", ravif, avifdec)
        },
    ]
}

fn lossy(
    name: &'static str,
    encode: fn(&RgbImage, u8) -> Vec<u8>,
    decode: fn(&[u8]) -> RgbImage,
) -> Codec {
    Codec {
        name,
        encode,
        decode,
        lossless: false,
        avif: false,
    }
}

fn lossless(name: &'static str, encode: fn(&RgbImage, u8) -> Vec<u8>) -> Codec {
    Codec {
        lossless: true,
        ..lossy(name, encode, decode)
    }
}

fn decode(bytes: &[u8]) -> RgbImage {
    image::load_from_memory(bytes)
        .expect("own output decodes")
        .to_rgb8()
}

fn avifdec(bytes: &[u8]) -> RgbImage {
    let dir = std::env::temp_dir().join(format!("sheaf-image-codecs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (avif, png) = (dir.join("x.avif"), dir.join("x.png"));
    std::fs::write(&avif, bytes).expect("write avif");
    let status = std::process::Command::new("avifdec")
        .arg(&avif)
        .arg(&png)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("avifdec runs");
    assert!(status.success(), "avifdec failed");
    image::open(&png).expect("avifdec's png").to_rgb8()
}

fn libwebp(img: &RgbImage, q: u8) -> Vec<u8> {
    webp::Encoder::from_rgb(img.as_raw(), img.width(), img.height())
        .encode(f32::from(q))
        .to_vec()
}

fn libwebp_lossless(img: &RgbImage, _: u8) -> Vec<u8> {
    webp::Encoder::from_rgb(img.as_raw(), img.width(), img.height())
        .encode_lossless()
        .to_vec()
}

fn zenwebp(img: &RgbImage, q: u8) -> Vec<u8> {
    let config = zenwebp::LossyConfig::new()
        .with_quality(f32::from(q))
        .with_method(4);
    zenwebp::EncodeRequest::lossy(
        &config,
        img.as_raw(),
        zenwebp::PixelLayout::Rgb8,
        img.width(),
        img.height(),
    )
    .encode()
    .expect("zenwebp encodes")
}

fn image_webp_lossless(img: &RgbImage, _: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(
            img.as_raw(),
            img.width(),
            img.height(),
            image_webp::ColorType::Rgb8,
        )
        .expect("image-webp encodes");
    out
}

fn image_jpeg(img: &RgbImage, q: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("image encodes jpeg");
    out
}

fn jpeg_encoder(img: &RgbImage, q: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, q);
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    encoder
        .encode(
            img.as_raw(),
            img.width() as u16,
            img.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("jpeg-encoder encodes");
    out
}

fn mozjpeg(img: &RgbImage, q: u8) -> Vec<u8> {
    let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    c.set_size(img.width() as usize, img.height() as usize);
    c.set_quality(f32::from(q));
    let mut started = c.start_compress(Vec::new()).expect("mozjpeg starts");
    started
        .write_scanlines(img.as_raw())
        .expect("mozjpeg writes");
    started.finish().expect("mozjpeg finishes")
}

fn image_png(img: &RgbImage, _: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("png encodes");
    out
}

fn ravif(img: &RgbImage, q: u8) -> Vec<u8> {
    let pixels = img.as_raw().as_rgb();
    ravif::Encoder::new()
        .with_quality(f32::from(q.max(1)))
        .with_speed(6)
        .with_num_threads(Some(1))
        .encode_rgb(imgref::Img::new(
            pixels,
            img.width() as usize,
            img.height() as usize,
        ))
        .expect("ravif encodes")
        .avif_file
}

/// `image`'s own `fast_image_resize` counterpart: convolution with `filter`, RGB8.
pub fn fir(img: &RgbImage, w: u32, h: u32, filter: fir::FilterType) -> RgbImage {
    let src = fir::images::ImageRef::new(
        img.width(),
        img.height(),
        img.as_raw(),
        fir::PixelType::U8x3,
    )
    .expect("source view");
    let mut dst = fir::images::Image::new(w, h, fir::PixelType::U8x3);
    fir::Resizer::new()
        .resize(
            &src,
            &mut dst,
            &fir::ResizeOptions::new().resize_alg(fir::ResizeAlg::Convolution(filter)),
        )
        .expect("resizes");
    RgbImage::from_raw(w, h, dst.into_vec()).expect("sized")
}

/// DSSIM against one reference image, prepared once.
pub struct Metric {
    dssim: dssim_core::Dssim,
    reference: dssim_core::DssimImage<f32>,
}

impl Metric {
    pub fn new(reference: &RgbImage) -> Metric {
        let dssim = dssim_core::Dssim::new();
        let reference = dssim
            .create_image_rgb(
                reference.as_raw().as_rgb(),
                reference.width() as usize,
                reference.height() as usize,
            )
            .expect("reference image");
        Metric { dssim, reference }
    }

    pub fn dssim(&self, other: &RgbImage) -> f64 {
        let other = self
            .dssim
            .create_image_rgb(
                other.as_raw().as_rgb(),
                other.width() as usize,
                other.height() as usize,
            )
            .expect("compared image");
        f64::from(self.dssim.compare(&self.reference, other).0)
    }
}
