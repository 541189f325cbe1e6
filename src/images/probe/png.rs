//! PNG: the size is in IHDR, the first chunk; an `acTL` chunk before the first `IDAT` makes
//! it an APNG (animated when it has more than one frame).

use super::{Bytes, ProbeError, advance, still};
use crate::images::{Format, ImageInfo};

pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let b = Bytes(bytes);
    if b.slice(12, 4)? != b"IHDR" {
        return Err(malformed("the first chunk is not IHDR"));
    }
    let mut info = still(Format::Png, b.be32(16)?, b.be32(20)?);
    // Walk the chunks (length, type, data, CRC) to the image data.
    let mut at = 8;
    loop {
        let len = b.be32(at)?;
        let kind = b.slice(at + 4, 4)?;
        match kind {
            b"acTL" => {
                info.animated = b.be32(at + 8)? > 1;
                return Ok(info);
            }
            b"IDAT" | b"IEND" => return Ok(info),
            _ => at = advance(at, u64::from(len) + 12)?,
        }
    }
}

fn malformed(reason: &'static str) -> ProbeError {
    ProbeError::Malformed {
        format: "PNG",
        reason,
    }
}
