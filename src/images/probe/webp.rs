//! WebP: a RIFF container whose first chunk is the bitstream (`VP8 ` lossy, `VP8L`
//! lossless) or `VP8X`, the extended header with the canvas size and an animation flag.

use super::{Bytes, ProbeError, advance, still};
use crate::images::{Format, ImageInfo};

pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let b = Bytes(bytes);
    match b.slice(12, 4)? {
        b"VP8 " => {
            // Frame tag (3 bytes), start code, then 14-bit width and height.
            if b.slice(23, 3)? != [0x9D, 0x01, 0x2A] {
                return Err(malformed("no VP8 start code"));
            }
            let width = u32::from(b.le16(26)? & 0x3FFF);
            let height = u32::from(b.le16(28)? & 0x3FFF);
            Ok(still(Format::WebpLossy, width, height))
        }
        b"VP8L" => {
            if b.u8(20)? != 0x2F {
                return Err(malformed("no VP8L signature"));
            }
            let bits = b.le32(21)?;
            let width = (bits & 0x3FFF) + 1;
            let height = ((bits >> 14) & 0x3FFF) + 1;
            Ok(still(Format::WebpLossless, width, height))
        }
        b"VP8X" => {
            let flags = b.u8(20)?;
            let width = b.le24(24)? + 1;
            let height = b.le24(27)? + 1;
            let animated = flags & 0x02 != 0;
            let format = if animated {
                Format::WebpLossy
            } else {
                bitstream_after_vp8x(b)?
            };
            let mut info = still(format, width, height);
            info.animated = animated;
            Ok(info)
        }
        _ => Err(malformed("unknown first chunk")),
    }
}

/// Whether the still image after a `VP8X` header is lossy (`VP8 `, perhaps with an `ALPH`
/// chunk before it) or lossless (`VP8L`): the chunks between are skipped.
fn bitstream_after_vp8x(b: Bytes<'_>) -> Result<Format, ProbeError> {
    let mut at = 12;
    loop {
        let kind = b.slice(at, 4)?;
        match kind {
            b"VP8 " => return Ok(Format::WebpLossy),
            b"VP8L" => return Ok(Format::WebpLossless),
            _ => {
                // Chunks are padded to an even length.
                let len = u64::from(b.le32(at + 4)?);
                at = advance(at, 8 + len + (len & 1))?;
            }
        }
    }
}

fn malformed(reason: &'static str) -> ProbeError {
    ProbeError::Malformed {
        format: "WebP",
        reason,
    }
}
