//! AVIF: an ISO-BMFF file (`ftyp` brand `avif`, or `avis` for a sequence). The size is the
//! primary item's `ispe` property, found through `meta` → `pitm` (which item) and `iprp`
//! → `ipco` (the properties) + `ipma` (which properties belong to which item); an `irot` of
//! a quarter turn swaps it, as browsers apply it.

use super::{Bytes, ProbeError, advance, still};
use crate::images::{Format, ImageInfo};

pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let b = Bytes(bytes);
    let (ftyp, after_ftyp) = read_box(b, 0, bytes.len())?;
    let brands = b.slice(ftyp.body, ftyp.end.saturating_sub(ftyp.body))?;
    let has = |brand: &[u8]| brands.chunks(4).any(|c| c == brand);
    if !has(b"avif") && !has(b"avis") {
        return Err(ProbeError::Unsupported);
    }
    // The major brand says what the file is first of all; a still `avif` may also list
    // `avis` among its compatible brands.
    let animated = brands.get(..4) == Some(b"avis");
    let meta = find(b, after_ftyp, usize::MAX, b"meta")?.ok_or_else(|| malformed("no meta box"))?;
    // `meta` is a full box: 4 bytes of version and flags before its children.
    let (start, end) = (meta.body + 4, meta.end);
    let primary = match find(b, start, end, b"pitm")? {
        Some(pitm) if b.u8(pitm.body)? == 0 => Some(u32::from(b.be16(pitm.body + 4)?)),
        Some(pitm) => Some(b.be32(pitm.body + 4)?),
        None => None,
    };
    let iprp = find(b, start, end, b"iprp")?.ok_or_else(|| malformed("no item properties"))?;
    let ipco = find(b, iprp.body, iprp.end, b"ipco")?.ok_or_else(|| malformed("no ipco box"))?;
    let properties = children(b, ipco.body, ipco.end)?;
    let associated = match (primary, find(b, iprp.body, iprp.end, b"ipma")?) {
        (Some(item), Some(ipma)) => associations(b, ipma, item)?,
        _ => Vec::new(),
    };
    // The primary item's properties; without that mapping, the largest `ispe`.
    let mine: Vec<&Mp4Box> = if associated.is_empty() {
        properties.iter().collect()
    } else {
        associated
            .iter()
            .filter_map(|&i| properties.get(usize::from(i).checked_sub(1)?))
            .collect()
    };
    let mut size: Option<(u32, u32)> = None;
    let mut quarter_turn = false;
    for p in mine {
        match &p.kind {
            b"ispe" => {
                let (w, h) = (b.be32(p.body + 4)?, b.be32(p.body + 8)?);
                if size.is_none_or(|(sw, sh)| {
                    u64::from(w) * u64::from(h) > u64::from(sw) * u64::from(sh)
                }) {
                    size = Some((w, h));
                }
            }
            b"irot" => quarter_turn = b.u8(p.body)? & 1 == 1,
            _ => {}
        }
    }
    let (width, height) = size.ok_or_else(|| malformed("no image size (ispe)"))?;
    let mut info = if quarter_turn {
        still(Format::Avif, height, width)
    } else {
        still(Format::Avif, width, height)
    };
    info.animated = animated;
    Ok(info)
}

/// One box: its type, where its body starts and where it ends.
struct Mp4Box {
    kind: [u8; 4],
    body: usize,
    end: usize,
}

/// The box at `at` and the offset after it; a box may not run past `limit`.
fn read_box(b: Bytes<'_>, at: usize, limit: usize) -> Result<(Mp4Box, usize), ProbeError> {
    let size = b.be32(at)?;
    let kind: [u8; 4] = b.slice(at + 4, 4)?.try_into().unwrap_or_default();
    let (body, end) = match size {
        // To the end of the file (or of the enclosing box).
        0 => (at + 8, limit.min(b.0.len())),
        1 => (at + 16, advance(at, b.be64(at + 8)?)?),
        n => (at + 8, advance(at, u64::from(n))?),
    };
    if end < body || end > limit {
        return Err(malformed("a box is larger than what holds it"));
    }
    Ok((Mp4Box { kind, body, end }, end))
}

/// The first box of type `kind` among those from `at` to `end`.
fn find(
    b: Bytes<'_>,
    mut at: usize,
    end: usize,
    kind: &[u8; 4],
) -> Result<Option<Mp4Box>, ProbeError> {
    while at < end {
        if end == usize::MAX && at >= b.0.len() {
            // The top level ends with the file; a prefix may just be too short.
            return Err(ProbeError::Truncated);
        }
        let (found, next) = read_box(b, at, end)?;
        if &found.kind == kind {
            return Ok(Some(found));
        }
        at = next;
    }
    Ok(None)
}

/// The boxes from `at` to `end`, in order.
fn children(b: Bytes<'_>, mut at: usize, end: usize) -> Result<Vec<Mp4Box>, ProbeError> {
    let mut out = Vec::new();
    while at < end {
        let (child, next) = read_box(b, at, end)?;
        out.push(child);
        at = next;
    }
    Ok(out)
}

/// The 1-based `ipco` indices of the properties that `ipma` associates with `item`.
fn associations(b: Bytes<'_>, ipma: Mp4Box, item: u32) -> Result<Vec<u16>, ProbeError> {
    let version = b.u8(ipma.body)?;
    let wide_index = b.u8(ipma.body + 3)? & 1 == 1;
    let count = b.be32(ipma.body + 4)?;
    let mut at = ipma.body + 8;
    for _ in 0..count {
        if at >= ipma.end {
            break;
        }
        let id = if version < 1 {
            let id = u32::from(b.be16(at)?);
            at += 2;
            id
        } else {
            let id = b.be32(at)?;
            at += 4;
            id
        };
        let n = usize::from(b.u8(at)?);
        at += 1;
        let mut indices = Vec::with_capacity(n);
        for _ in 0..n {
            if wide_index {
                indices.push(b.be16(at)? & 0x7FFF);
                at += 2;
            } else {
                indices.push(u16::from(b.u8(at)? & 0x7F));
                at += 1;
            }
        }
        if id == item {
            return Ok(indices);
        }
    }
    Ok(Vec::new())
}

fn malformed(reason: &'static str) -> ProbeError {
    ProbeError::Malformed {
        format: "AVIF",
        reason,
    }
}
