//! An image's size and kind from its header, without decoding pixels: cheap enough to run on
//! every image of a site at load time.
//!
//! Each format has its own reader (`png.rs`, `jpeg.rs`, ...). All of them read through
//! [`Bytes`], whose every access is bounds-checked and returns [`ProbeError::Truncated`] past
//! the end, so no input can make a reader index out of range or loop forever: each step
//! moves forward by at least one byte, and lengths are added with checked arithmetic.

mod avif;
mod exif;
mod gif;
mod jpeg;
mod png;
mod svg;
mod webp;

use std::io::Read;
use std::path::Path;

use super::{Format, ImageInfo, ProbeError};

/// How many bytes [`probe_file`] reads first. Enough for the header of almost every PNG,
/// WebP, AVIF and SVG (their size is in the first hundred bytes or the root element), and
/// for a JPEG with its EXIF block (at most 64 KiB, before the frame header); a GIF needs
/// its frames walked to tell whether it is animated. When the prefix is not enough, the
/// whole file is read.
pub const PROBE_BYTES: usize = 64 * 1024;

/// The size and kind of the image in `bytes`, which are the whole file or a prefix of it
/// ([`ProbeError::Truncated`] then means "read more").
///
/// Width and height are as displayed: a JPEG whose EXIF orientation turns it a quarter
/// (orientations 5-8) has them swapped, as browsers apply EXIF orientation to `<img>`.
pub fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let info = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png::probe(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg::probe(bytes)?
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        gif::probe(bytes)?
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        webp::probe(bytes)?
    } else if bytes.get(4..8) == Some(b"ftyp") {
        avif::probe(bytes)?
    } else if svg::looks_like_xml(bytes) {
        svg::probe(bytes)?
    } else if bytes.len() < 12 {
        // Too short to tell any of the signatures apart.
        return Err(ProbeError::Truncated);
    } else {
        return Err(ProbeError::Unsupported);
    };
    if info.width == 0 || info.height == 0 {
        return Err(ProbeError::Malformed {
            format: info.format.name(),
            reason: "width or height is zero",
        });
    }
    Ok(info)
}

/// [`probe`] on the file at `path`: its first [`PROBE_BYTES`], then the whole file if the
/// header goes on past them.
pub fn probe_file(path: &Path) -> Result<ImageInfo, ProbeError> {
    let io = |e: std::io::Error| ProbeError::Io(e.to_string());
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut prefix = Vec::with_capacity(PROBE_BYTES);
    (&mut file)
        .take(PROBE_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(io)?;
    match probe(&prefix) {
        Err(ProbeError::Truncated) if prefix.len() == PROBE_BYTES => {
            file.read_to_end(&mut prefix).map_err(io)?;
            probe(&prefix)
        }
        result => result,
    }
}

/// A bounds-checked view of the bytes being probed, read at absolute offsets.
#[derive(Clone, Copy)]
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn slice(self, at: usize, len: usize) -> Result<&'a [u8], ProbeError> {
        let end = at.checked_add(len).ok_or(ProbeError::Truncated)?;
        self.0.get(at..end).ok_or(ProbeError::Truncated)
    }

    fn u8(self, at: usize) -> Result<u8, ProbeError> {
        self.0.get(at).copied().ok_or(ProbeError::Truncated)
    }

    fn be16(self, at: usize) -> Result<u16, ProbeError> {
        let b = self.slice(at, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn le16(self, at: usize) -> Result<u16, ProbeError> {
        let b = self.slice(at, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn be32(self, at: usize) -> Result<u32, ProbeError> {
        let b = self.slice(at, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn le24(self, at: usize) -> Result<u32, ProbeError> {
        let b = self.slice(at, 3)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], 0]))
    }

    fn le32(self, at: usize) -> Result<u32, ProbeError> {
        let b = self.slice(at, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn be64(self, at: usize) -> Result<u64, ProbeError> {
        let b = self.slice(at, 8)?;
        Ok(u64::from_be_bytes(b.try_into().unwrap_or_default()))
    }
}

/// `at + len`, or [`ProbeError::Truncated`] when that overflows (a length no real file
/// has).
fn advance(at: usize, len: u64) -> Result<usize, ProbeError> {
    usize::try_from(len)
        .ok()
        .and_then(|len| at.checked_add(len))
        .ok_or(ProbeError::Truncated)
}

/// An image that is not rotated and not animated, of the given format.
fn still(format: Format, width: u32, height: u32) -> ImageInfo {
    ImageInfo {
        width,
        height,
        format,
        animated: false,
        orientation: 1,
    }
}
