//! JPEG: walk the marker segments to the frame header (SOFn), which holds the size; an EXIF
//! block (APP1) on the way may hold the orientation.

use super::{Bytes, ProbeError, exif, still};
use crate::images::{Format, ImageInfo};

pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let b = Bytes(bytes);
    let mut orientation = 1;
    let mut at = 2;
    loop {
        if b.u8(at)? != 0xFF {
            return Err(malformed("expected a marker"));
        }
        let marker = b.u8(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => at += 2,
            0xD8..=0xDA => return Err(malformed("no frame header before the image data")),
            _ => {
                let len = usize::from(b.be16(at + 2)?);
                if len < 2 {
                    return Err(malformed("a segment length is below 2"));
                }
                let body = at + 4;
                match marker {
                    // Every SOFn except DHT (C4), JPG (C8) and DAC (CC).
                    0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                        let height = u32::from(b.be16(body + 1)?);
                        let width = u32::from(b.be16(body + 3)?);
                        let mut info = still(Format::Jpeg, width, height);
                        info.orientation = orientation;
                        if (5..=8).contains(&orientation) {
                            (info.width, info.height) = (height, width);
                        }
                        return Ok(info);
                    }
                    0xE1 => {
                        let segment = b.slice(body, len - 2)?;
                        if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                            orientation = exif::orientation(tiff).unwrap_or(1);
                        }
                    }
                    _ => {}
                }
                at += 2 + len;
            }
        }
    }
}

fn malformed(reason: &'static str) -> ProbeError {
    ProbeError::Malformed {
        format: "JPEG",
        reason,
    }
}
