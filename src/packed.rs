//! Bytes held LZ4-compressed in memory (`lz4_flex`), for what a run keeps whole but reads
//! rarely: every rendered body until its page and feeds are written, every highlighted
//! block until the cache is stored, and every output file the live preview serves.
//! Highlighted HTML packs to about a fifth; unpacking runs at gigabytes a second, so a read
//! costs microseconds against the milliseconds rendering or sending the bytes takes.

use bytes::Bytes;

/// Compressed bytes with their length in front (`lz4_flex::compress_prepend_size`).
/// Cloning shares them.
#[derive(Clone, PartialEq, Eq)]
pub struct Packed(Bytes);

/// Below this a block would not be much smaller than what it holds.
const PACK_FROM: usize = 256;

impl Packed {
    /// `bytes` packed, or `None` when they are short or packing would not make them smaller.
    pub fn pack(bytes: &[u8]) -> Option<Packed> {
        if bytes.len() < PACK_FROM {
            return None;
        }
        let block = lz4_flex::compress_prepend_size(bytes);
        (block.len() < bytes.len()).then(|| Packed(Bytes::from(block)))
    }

    /// The bytes as they were. Only [`Packed::pack`] makes blocks, so a damaged one cannot
    /// occur; it would read as empty rather than panic.
    pub fn unpack(&self) -> Vec<u8> {
        lz4_flex::decompress_size_prepended(&self.0).unwrap_or_default()
    }

    /// The compressed block, to be kept elsewhere (the highlight cache's file) and made a
    /// `Packed` again with [`Packed::from_block`].
    pub(crate) fn block(&self) -> &[u8] {
        &self.0
    }

    /// A block [`Packed::block`] gave. Bytes that are not one read as empty, never panic;
    /// the caller checks the file they came from (a checksum) before trusting them.
    pub(crate) fn from_block(block: &[u8]) -> Packed {
        Packed(Bytes::copy_from_slice(block))
    }

    /// Whether `self` and `other` are the same block in memory (not only equal bytes).
    pub fn same_block(&self, other: &Packed) -> bool {
        self.0.as_ptr() == other.0.as_ptr() && self.0.len() == other.0.len()
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_the_bytes_and_holds_fewer() {
        let text = "<p>A <code>span</code> and <em>more</em> &amp; é 😀.</p>\n".repeat(200);
        let packed = Packed::pack(text.as_bytes()).expect("repetitive text packs");
        assert_eq!(packed.unpack(), text.as_bytes());
        assert!(
            packed.block().len() * 4 < text.len(),
            "{}",
            packed.block().len()
        );
        assert!(packed.same_block(&packed.clone()));
        assert!(!packed.same_block(&Packed::pack(text.as_bytes()).unwrap()));
    }

    #[test]
    fn short_or_incompressible_bytes_are_not_packed() {
        assert!(Packed::pack(b"<p>hi</p>").is_none());
        // Every 4-byte window differs: LZ4 finds nothing to refer back to.
        let noise: Vec<u8> = (0..4096u32)
            .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
            .collect();
        assert!(Packed::pack(&noise).is_none());
    }

    #[test]
    fn a_damaged_block_reads_as_empty_without_panicking() {
        let damaged = Packed(Bytes::from_static(&[255, 255, 255, 127, 1, 2]));
        assert!(damaged.unpack().is_empty());
        assert!(Packed(Bytes::new()).unpack().is_empty());
    }
}
