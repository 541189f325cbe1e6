//! SVG: the size is the root element's `width` and `height` (in px, unitless or another
//! absolute unit); where either is missing or relative (`%`, `em`), it comes from the
//! `viewBox`, keeping its aspect ratio, as a browser sizes an `<img>`.
//!
//! Only the XML up to the root start tag is read, with quick-xml, which expands no entity
//! it was not told about (no "billion laughs") and never builds a tree. A hostile value
//! (huge, negative, NaN, not a number) counts as missing.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Decoder, Reader, XmlVersion};

use super::{ProbeError, still};
use crate::images::{Format, ImageInfo};

/// Larger than any real drawing's size in CSS pixels; a value past it is taken as missing.
const MAX_SIZE: f64 = 1_000_000.0;

/// Whether `bytes` start like an XML document (after a UTF-8 byte order mark and white
/// space): what is not PNG, JPEG, GIF, WebP or AVIF is tried as SVG only then.
pub(super) fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = Reader::from_reader(bytes);
    loop {
        match reader.read_event() {
            Ok(Event::Start(root) | Event::Empty(root)) => return size(&root, reader.decoder()),
            Ok(Event::Eof) => return Err(ProbeError::Truncated),
            Ok(Event::Text(t)) if t.iter().all(u8::is_ascii_whitespace) => {}
            Ok(Event::Decl(_) | Event::Comment(_) | Event::DocType(_) | Event::PI(_)) => {}
            Ok(_) => return Err(ProbeError::Svg("text before the <svg> element")),
            // Every syntax error is input that ended inside some markup.
            Err(quick_xml::Error::Syntax(_)) => return Err(ProbeError::Truncated),
            Err(_) => return Err(ProbeError::Svg("not well-formed XML")),
        }
    }
}

fn size(root: &BytesStart<'_>, decoder: Decoder) -> Result<ImageInfo, ProbeError> {
    if root.local_name().as_ref() != b"svg" {
        return Err(ProbeError::Svg("the root element is not <svg>"));
    }
    let (mut width, mut height, mut view_box) = (None, None, None);
    for attr in root.attributes() {
        let attr = attr.map_err(|_| ProbeError::Svg("not well-formed XML"))?;
        // A value with an unknown entity is as good as missing.
        let Ok(value) = attr.decoded_and_normalized_value(XmlVersion::Implicit1_0, decoder) else {
            continue;
        };
        match attr.key.as_ref() {
            b"width" => width = length(&value),
            b"height" => height = length(&value),
            b"viewBox" => view_box = parse_view_box(&value),
            _ => {}
        }
    }
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(view_box)) => view_box,
        _ => {
            return Err(ProbeError::Svg(
                "no usable width and height, and no viewBox to size it by",
            ));
        }
    };
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 && w <= MAX_SIZE && h <= MAX_SIZE) {
        return Err(ProbeError::Svg("its size from the viewBox is out of range"));
    }
    Ok(still(Format::Svg, css_pixels(w), css_pixels(h)))
}

/// Rounded to whole pixels, at least 1 (an `<img>` attribute takes whole numbers).
fn css_pixels(v: f64) -> u32 {
    v.round().max(1.0) as u32
}

/// A length in CSS pixels: a number with no unit, `px` or an absolute unit. Relative ones
/// (`%`, `em`, `ex`, ...) and anything out of range are `None`.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| (c.is_ascii_alphabetic() && c != 'e' && c != 'E') || c == '%')
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let px_per_unit = match unit {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    let v = number.parse::<f64>().ok()? * px_per_unit;
    (v.is_finite() && v > 0.0 && v <= MAX_SIZE).then_some(v)
}

/// The width and height of a `viewBox` ("min-x min-y width height", separated by white
/// space and/or commas), if both are positive and in range.
fn parse_view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok())
        .collect::<Option<_>>()?;
    let [x, y, w, h] = numbers[..] else {
        return None;
    };
    let ok = |v: f64| v.is_finite() && v > 0.0 && v <= MAX_SIZE;
    (x.is_finite() && y.is_finite() && ok(w) && ok(h)).then_some((w, h))
}
