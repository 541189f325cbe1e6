//! Sizes, formats, animation and orientation from headers.

use super::*;
use crate::images::{Format, ProbeError, probe};

fn size(bytes: &[u8]) -> (u32, u32, Format, bool) {
    let info = probe(bytes).unwrap();
    (info.width, info.height, info.format, info.animated)
}

#[test]
fn png_jpeg_gif_sizes() {
    let img = picture(37, 21);
    assert_eq!(size(&png(&img)), (37, 21, Format::Png, false));
    assert_eq!(size(&jpeg(&img)), (37, 21, Format::Jpeg, false));
    assert_eq!(size(&gif(1, 37, 21)), (37, 21, Format::Gif, false));
    assert_eq!(size(&gif(3, 37, 21)), (37, 21, Format::Gif, true));
}

#[test]
fn webp_and_avif_from_real_encoders() {
    assert_eq!(
        size(&testdata("lossy-64x48.webp")),
        (64, 48, Format::WebpLossy, false)
    );
    assert_eq!(
        size(&testdata("animated-64x48.webp")),
        (64, 48, Format::WebpLossy, true)
    );
    assert_eq!(
        size(&testdata("still-64x48.avif")),
        (64, 48, Format::Avif, false)
    );
    // `irot` a quarter turn: displayed on its side, as browsers show it.
    assert_eq!(
        size(&testdata("irot-64x48.avif")),
        (48, 64, Format::Avif, false)
    );
}

#[test]
fn lossless_webp_from_our_own_encoder() {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(picture(9, 7).as_raw(), 9, 7, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert_eq!(size(&out), (9, 7, Format::WebpLossless, false));
}

#[test]
fn apng_is_animated_only_with_more_than_one_frame() {
    let plain = png(&picture(8, 8));
    let idat = plain.windows(4).position(|w| w == b"IDAT").unwrap() - 4;
    for (frames, animated) in [(1u32, false), (2, true)] {
        let mut actl = 8u32.to_be_bytes().to_vec();
        actl.extend_from_slice(b"acTL");
        actl.extend_from_slice(&frames.to_be_bytes());
        actl.extend_from_slice(&0u32.to_be_bytes());
        actl.extend_from_slice(&[0; 4]); // CRC, not checked by the probe
        let mut apng = plain[..idat].to_vec();
        apng.extend_from_slice(&actl);
        apng.extend_from_slice(&plain[idat..]);
        assert_eq!(probe(&apng).unwrap().animated, animated);
    }
}

#[test]
fn exif_orientation_swaps_the_displayed_size_for_quarter_turns() {
    let img = picture(40, 30);
    for big_endian in [false, true] {
        for orientation in 1..=8u16 {
            let info = probe(&jpeg_with_orientation(&img, orientation, big_endian)).unwrap();
            assert_eq!(info.orientation, orientation as u8);
            let expected = if orientation >= 5 { (30, 40) } else { (40, 30) };
            assert_eq!(
                (info.width, info.height),
                expected,
                "orientation {orientation}"
            );
        }
    }
    // Out of range: as stored.
    let info = probe(&jpeg_with_orientation(&img, 9, false)).unwrap();
    assert_eq!((info.width, info.height, info.orientation), (40, 30, 1));
}

#[test]
fn svg_sizes() {
    let svg = |s: &str| probe(s.as_bytes()).map(|i| (i.width, i.height, i.format));
    let ok = |w, h| Ok((w, h, Format::Svg));
    assert_eq!(svg(r#"<svg width="120" height="80"/>"#), ok(120, 80));
    assert_eq!(
        svg(r#"<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80.4px"></svg>"#),
        ok(120, 80)
    );
    assert_eq!(svg(r#"<svg viewBox="0 0 300 150"/>"#), ok(300, 150));
    assert_eq!(svg(r#"<svg viewBox="-10,-10, 30.5,20"/>"#), ok(31, 20));
    // Relative sizes fall back to the viewBox.
    assert_eq!(
        svg(r#"<svg width="100%" height="2em" viewBox="0 0 40 30"/>"#),
        ok(40, 30)
    );
    // One size and a viewBox: the other by its aspect ratio.
    assert_eq!(
        svg(r#"<svg width="200" viewBox="0 0 40 30"/>"#),
        ok(200, 150)
    );
    assert_eq!(svg(r#"<svg height="60" viewBox="0 0 40 30"/>"#), ok(80, 60));
    // Absolute units in CSS pixels.
    assert_eq!(svg(r#"<svg width="1in" height="72pt"/>"#), ok(96, 96));
    // A prolog, a BOM, a doctype, comments and a namespace prefix.
    let long = "\u{feff}<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<!-- hi -->\n<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\" width=\"5\" height=\"6\"/>";
    assert_eq!(svg(long), ok(5, 6));
}

#[test]
fn hostile_svg_sizes_are_refused_or_ignored_never_trusted() {
    let svg = |s: &str| probe(s.as_bytes());
    for bad in [
        r#"<svg width="1e400" height="10"/>"#,
        r#"<svg width="-5" height="10"/>"#,
        r#"<svg width="NaN" height="10"/>"#,
        r#"<svg width="inf" height="inf"/>"#,
        r#"<svg width="" height=""/>"#,
        r#"<svg viewBox="0 0 0 10"/>"#,
        r#"<svg viewBox="0 0 1e300 10"/>"#,
        r#"<svg viewBox="0 0 10"/>"#,
        r#"<svg viewBox="nope"/>"#,
        r#"<svg width="&huge;" height="1"/>"#,
        "<svg/>",
    ] {
        assert!(
            matches!(svg(bad), Err(ProbeError::Svg(_))),
            "{bad}: {:?}",
            svg(bad)
        );
    }
    // Hostile width, usable viewBox: the viewBox wins.
    assert_eq!(
        svg(r#"<svg width="-1" height="NaN" viewBox="0 0 8 4"/>"#)
            .unwrap()
            .width,
        8
    );
    assert!(matches!(svg("<html/>"), Err(ProbeError::Svg(_))));
    assert!(matches!(
        svg("<svg width='1' width='2'/>"),
        Err(ProbeError::Svg(_))
    ));
    // Entity expansion ("billion laughs") is never attempted.
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg width="&b;" viewBox="0 0 3 2"/>"#;
    assert_eq!(svg(laughs).unwrap().width, 3);
}

#[test]
fn a_prefix_that_ends_in_the_header_asks_for_more() {
    let jpeg = jpeg_with_orientation(&picture(16, 16), 6, false);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    assert_eq!(probe(&jpeg[..sof + 4]), Err(ProbeError::Truncated));
    assert_eq!(
        probe(&png(&picture(4, 4))[..20]),
        Err(ProbeError::Truncated)
    );
    assert_eq!(
        probe(b"<?xml version='1.0'?><!-- a long comment"),
        Err(ProbeError::Truncated)
    );
    assert_eq!(probe(&gif(2, 4, 4)[..30]), Err(ProbeError::Truncated));
}

#[test]
fn probe_file_reads_past_the_prefix_when_the_header_needs_it() {
    // An SVG whose root element starts after PROBE_BYTES of comment.
    let mut svg = format!("<!--{}-->", "x".repeat(crate::images::PROBE_BYTES));
    svg.push_str(r#"<svg width="3" height="2"/>"#);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.svg");
    std::fs::write(&path, &svg).unwrap();
    let info = crate::images::probe_file(&path).unwrap();
    assert_eq!((info.width, info.height), (3, 2));
    let missing = crate::images::probe_file(&dir.path().join("nope.png"));
    assert!(matches!(missing, Err(ProbeError::Io(_))));
}

#[test]
fn other_files_are_unsupported() {
    assert_eq!(
        probe(b"%PDF-1.7 and some more bytes"),
        Err(ProbeError::Unsupported)
    );
    assert_eq!(
        probe(b"BM\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
        Err(ProbeError::Unsupported)
    );
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert_eq!(probe(heic), Err(ProbeError::Unsupported));
}

#[test]
fn zero_sizes_are_malformed() {
    let mut png = png(&picture(4, 4));
    png[16..20].copy_from_slice(&0u32.to_be_bytes());
    assert!(matches!(
        probe(&png),
        Err(ProbeError::Malformed { format: "PNG", .. })
    ));
}
