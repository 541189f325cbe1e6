//! Rendering: sizes, orientation, crop, alpha, limits and errors.

use super::*;
use crate::images::{
    ImageError, ImageSettings, OutputFormat, ProbeError, VariantSpec, probe, render, render_set,
    social_plan, variant_plan,
};

fn spec(width: u32, height: u32, format: OutputFormat, crop: bool) -> VariantSpec {
    VariantSpec {
        width,
        height,
        format,
        crop,
        suffix: "test".into(),
    }
}

fn decoded(bytes: &[u8]) -> image::RgbaImage {
    image::load_from_memory(bytes).unwrap().to_rgba8()
}

#[test]
fn every_planned_copy_has_the_planned_size_and_format() {
    let source = jpeg(&picture(2000, 1000));
    let info = probe(&source).unwrap();
    let specs = variant_plan(&info, &ImageSettings::default());
    let copies = render_set(&source, &specs).unwrap();
    for (spec, bytes) in specs.iter().zip(&copies) {
        let copy = probe(bytes).unwrap();
        assert_eq!((copy.width, copy.height), (spec.width, spec.height));
        assert_eq!(copy.format, crate::images::Format::WebpLossy);
    }
    // One at a time gives the same bytes.
    assert_eq!(render(&source, &specs[0]).unwrap(), copies[0]);
}

#[test]
fn copies_are_turned_upright_by_the_exif_orientation() {
    // Stored 40×30 with the red mark top-left; orientation 6 shows it turned a quarter
    // clockwise: 30×40 with the mark top-right.
    let source = jpeg_with_orientation(&picture(40, 30), 6, false);
    let info = probe(&source).unwrap();
    assert_eq!((info.width, info.height), (30, 40));
    let out = render(&source, &spec(30, 40, OutputFormat::Png, false)).unwrap();
    let img = decoded(&out);
    assert_eq!(img.dimensions(), (30, 40));
    let red = |p: &image::Rgba<u8>| p[0] > 200 && p[1] < 60 && p[2] < 60;
    assert!(red(img.get_pixel(27, 2)), "mark top-right");
    assert!(!red(img.get_pixel(2, 2)), "not top-left");
}

#[test]
fn social_copy_is_exactly_the_card_size_even_from_a_small_source() {
    for (w, h) in [(3000, 1000), (500, 900), (1200, 627)] {
        let source = png(&picture(w, h));
        let plan = social_plan(&probe(&source).unwrap(), &ImageSettings::default()).unwrap();
        let out = render(&source, &plan.spec).unwrap();
        let copy = probe(&out).unwrap();
        assert_eq!((copy.width, copy.height), (1200, 627), "from {w}×{h}");
    }
}

#[test]
fn cover_crop_keeps_the_centre() {
    // Left third red, middle green, right third blue: a square crop keeps the green.
    let source = png(&RgbImage::from_fn(300, 100, |x, _| match x / 100 {
        0 => Rgb([255, 0, 0]),
        1 => Rgb([0, 255, 0]),
        _ => Rgb([0, 0, 255]),
    }));
    let out = decoded(&render(&source, &spec(50, 50, OutputFormat::Png, true)).unwrap());
    for x in [2, 25, 47] {
        let p = out.get_pixel(x, 25);
        assert!(p[1] > 200 && p[0] < 40 && p[2] < 40, "{x}: {p:?}");
    }
}

#[test]
fn alpha_is_kept_in_webp_and_png_and_flattened_on_white_in_jpeg() {
    let source = png_rgba(&RgbaImage::from_pixel(64, 64, Rgba([0, 0, 0, 0])));
    let webp = decoded(
        &render(
            &source,
            &spec(32, 32, OutputFormat::Webp { quality: 80 }, false),
        )
        .unwrap(),
    );
    assert_eq!(webp.get_pixel(16, 16)[3], 0);
    let png_out = decoded(&render(&source, &spec(32, 32, OutputFormat::Png, false)).unwrap());
    assert_eq!(png_out.get_pixel(16, 16)[3], 0);
    let jpeg_out = decoded(
        &render(
            &source,
            &spec(32, 32, OutputFormat::Jpeg { quality: 85 }, false),
        )
        .unwrap(),
    );
    assert!(jpeg_out.get_pixel(16, 16)[0] > 245, "white");
}

#[test]
fn formats_that_are_published_as_they_are_say_so() {
    let s = spec(10, 10, OutputFormat::Png, false);
    for (bytes, name) in [
        (testdata("still-64x48.avif"), "AVIF"),
        (br#"<svg width="4" height="4"/>"#.to_vec(), "SVG"),
    ] {
        assert_eq!(render(&bytes, &s), Err(ImageError::NotResizable(name)));
    }
    assert!(matches!(
        render(b"definitely not an image", &s),
        Err(ImageError::Probe(ProbeError::Unsupported))
    ));
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    // A PNG header claiming 20,000 × 20,000 (400 million pixels) in a few bytes.
    let mut bomb = png(&picture(4, 4));
    bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
    let err = render(&bomb, &spec(10, 10, OutputFormat::Png, false)).unwrap_err();
    assert!(matches!(
        err,
        ImageError::TooLarge {
            width: 20_000,
            height: 20_000,
            limit: 100
        }
    ));
    assert!(err.to_string().contains("20000×20000"), "{err}");
}

#[test]
fn damaged_pixel_data_is_a_decode_error() {
    let mut broken = png(&picture(64, 64));
    let idat = broken.windows(4).position(|w| w == b"IDAT").unwrap();
    for b in &mut broken[idat + 8..idat + 40] {
        *b ^= 0x5A;
    }
    let err = render(&broken, &spec(10, 10, OutputFormat::Png, false)).unwrap_err();
    assert!(matches!(err, ImageError::Decode(_)), "{err:?}");
}
