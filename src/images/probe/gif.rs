//! GIF: the size is the logical screen's (what browsers lay out); it is animated when a
//! second image follows the first, which takes walking the blocks (often the whole file).

use super::{Bytes, ProbeError, still};
use crate::images::{Format, ImageInfo};

pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let b = Bytes(bytes);
    let mut info = still(Format::Gif, u32::from(b.le16(6)?), u32::from(b.le16(8)?));
    let mut at = 13 + colour_table(b.u8(10)?);
    let mut images = 0;
    loop {
        match b.u8(at)? {
            // Extension: label, then sub-blocks.
            0x21 => at = skip_sub_blocks(b, at + 2)?,
            // Image descriptor (9 bytes after the separator), local colour table, LZW code
            // size, then the data's sub-blocks.
            0x2C => {
                images += 1;
                if images > 1 {
                    info.animated = true;
                    return Ok(info);
                }
                let table = colour_table(b.u8(at + 9)?);
                at = skip_sub_blocks(b, at + 10 + table + 1)?;
            }
            0x3B => return Ok(info),
            _ => {
                return Err(ProbeError::Malformed {
                    format: "GIF",
                    reason: "unknown block",
                });
            }
        }
    }
}

/// The bytes of the colour table that the packed field `flags` announces.
fn colour_table(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 0x07) + 1)
    }
}

/// The offset after the sub-blocks starting at `at` (each a length byte and that many
/// bytes; a zero length ends them).
fn skip_sub_blocks(b: Bytes<'_>, mut at: usize) -> Result<usize, ProbeError> {
    loop {
        let len = usize::from(b.u8(at)?);
        at += 1;
        if len == 0 {
            return Ok(at);
        }
        at += len;
    }
}
