//! Tests of the images module, on images made here in code (and a few real encoders'
//! files in `testdata/`, see its README).

mod cache;
mod hostile;
mod plan;
mod probe;
mod render;

use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

/// A gradient with a marked top-left corner (red), so orientation can be checked.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        if x < width / 4 && y < height / 4 {
            Rgb([255, 0, 0])
        } else {
            Rgb([
                (x * 255 / width.max(1)) as u8,
                (y * 255 / height.max(1)) as u8,
                96,
            ])
        }
    })
}

fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn png_rgba(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(img)
        .unwrap();
    out
}

/// Writers of a 16- and a 32-bit number in one byte order.
type Writers = (fn(u16) -> [u8; 2], fn(u32) -> [u8; 4]);

/// `jpeg` with an EXIF block (APP1) giving `orientation`, in either byte order.
fn jpeg_with_orientation(img: &RgbImage, orientation: u16, big_endian: bool) -> Vec<u8> {
    let plain = jpeg(img);
    let mut tiff = Vec::new();
    let (u16b, u32b): Writers = if big_endian {
        tiff.extend_from_slice(b"MM\0*");
        (u16::to_be_bytes, u32::to_be_bytes)
    } else {
        tiff.extend_from_slice(b"II*\0");
        (u16::to_le_bytes, u32::to_le_bytes)
    };
    tiff.extend_from_slice(&u32b(8));
    // Two entries: an unrelated one (ImageWidth, LONG) first, then Orientation.
    tiff.extend_from_slice(&u16b(2));
    tiff.extend_from_slice(&u16b(0x0100));
    tiff.extend_from_slice(&u16b(4));
    tiff.extend_from_slice(&u32b(1));
    tiff.extend_from_slice(&u32b(img.width()));
    tiff.extend_from_slice(&u16b(0x0112));
    tiff.extend_from_slice(&u16b(3));
    tiff.extend_from_slice(&u32b(1));
    tiff.extend_from_slice(&u16b(orientation));
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&u32b(0));
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn gif(frames: usize, width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        let frames = (0..frames).map(|i| {
            let buffer = RgbaImage::from_pixel(width, height, Rgba([i as u8 * 80, 10, 10, 255]));
            image::Frame::new(buffer)
        });
        encoder.encode_frames(frames).unwrap();
    }
    out
}

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/src/images/testdata/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}
