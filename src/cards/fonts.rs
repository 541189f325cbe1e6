//! The two fonts every card is set in, embedded in the binary, and the text measurement
//! that line wrapping relies on.
//!
//! Cards must look the same on every machine that builds the site, so nothing is looked
//! up on the system: the font database holds exactly these two faces. Both are Inter
//! (SIL Open Font License 1.1, see `fonts/LICENSE.txt`): Inter Display Bold, drawn for
//! large sizes, for the title and site name; Inter Regular for the short line.
//!
//! Widths are measured with harfrust, the shaper usvg itself uses to lay out SVG text,
//! on the same font bytes with the same default features (kerning, ligatures), so a line
//! measured to fit is a line that is drawn to fit.

use std::sync::{Arc, OnceLock};

use harfrust::{FontRef, GlyphBuffer, ShapeOptions, ShaperData, UnicodeBuffer};
use resvg::usvg::fontdb;

const TITLE_BYTES: &[u8] = include_bytes!("fonts/InterDisplay-Bold.otf");
const TEXT_BYTES: &[u8] = include_bytes!("fonts/Inter-Regular.otf");

/// The family names in the fonts' name tables, used by the SVG's `font-family`.
pub(super) const TITLE_FAMILY: &str = "Inter Display";
pub(super) const TEXT_FAMILY: &str = "Inter";

/// Drawn for characters the fonts do not have (U+25A1 WHITE SQUARE, which they do).
pub(super) const MISSING: char = '□';

/// One embedded face, ready to measure text.
pub(super) struct Face {
    font: FontRef<'static>,
    data: ShaperData,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Face {
        // The bytes are compiled in and checked by the tests: failing here is a build bug.
        let font = FontRef::new(bytes).expect("embedded card font parses");
        let data = ShaperData::new(&font);
        let shaper = data.shaper(&font).build();
        let units_per_em = shaper.units_per_em() as f32;
        Face {
            font,
            data,
            units_per_em,
        }
    }

    fn shape(&self, text: &str) -> GlyphBuffer {
        let shaper = self.data.shaper(&self.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        shaper.shape(buffer, ShapeOptions::new())
    }

    /// The advance width of `text` set on one line at `size` px.
    pub(super) fn measure(&self, text: &str, size: f32) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let units: i64 = self
            .shape(text)
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// `text` with every character the font cannot draw (each cluster that shapes to the
    /// missing glyph) replaced by [`MISSING`]. Inter's own missing glyph is a full-height
    /// hatched block that turns a title in another script into a black slab; a white
    /// square at text size reads as what it is, a character this font lacks.
    pub(super) fn replace_missing(&self, text: &str) -> String {
        let output = self.shape(text);
        let infos = output.glyph_infos();
        if infos.iter().all(|g| g.glyph_id != 0) {
            return text.to_string();
        }
        // Cluster values are byte offsets into `text`; a cluster runs to the next one.
        let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let missing: Vec<usize> = infos
            .iter()
            .filter(|g| g.glyph_id == 0)
            .map(|g| g.cluster as usize)
            .collect();
        let mut out = String::with_capacity(text.len());
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            match text.get(start..end) {
                Some(_) if missing.contains(&start) => out.push(MISSING),
                Some(cluster) => out.push_str(cluster),
                None => {}
            }
        }
        out
    }
}

/// The face titles and site names are set in.
pub(super) fn title() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| Face::load(TITLE_BYTES))
}

/// The face the short line is set in.
pub(super) fn text() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| Face::load(TEXT_BYTES))
}

/// A font database with the two embedded faces and nothing else. Generic families
/// (`sans-serif`, ...) all resolve to Inter, so no name can reach for a system font.
pub(super) fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(TITLE_BYTES)));
        db.load_font_source(fontdb::Source::Binary(Arc::new(TEXT_BYTES)));
        db.set_sans_serif_family(TEXT_FAMILY);
        db.set_serif_family(TEXT_FAMILY);
        db.set_monospace_family(TEXT_FAMILY);
        db.set_cursive_family(TEXT_FAMILY);
        db.set_fantasy_family(TEXT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// A hash of the font files, part of every cache key: new fonts mean new cards.
pub(super) fn fingerprint() -> &'static [u8; 32] {
    static HASH: OnceLock<[u8; 32]> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        for bytes in [TITLE_BYTES, TEXT_BYTES] {
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        *hasher.finalize().as_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_holds_only_the_embedded_faces() {
        let db = database();
        let families: Vec<String> = db
            .faces()
            .map(|f| format!("{} {}", f.families[0].0, f.weight.0))
            .collect();
        assert_eq!(families, ["Inter Display 700", "Inter 400"]);
    }

    #[test]
    fn measures_grow_with_text_and_size() {
        let face = title();
        let short = face.measure("Hello", 64.0);
        assert!(short > 100.0 && short < 250.0, "{short}");
        assert!(face.measure("Hello world", 64.0) > short);
        assert!((face.measure("Hello", 128.0) - 2.0 * short).abs() < 0.01);
        assert_eq!(face.measure("", 64.0), 0.0);
    }

    #[test]
    fn characters_without_glyphs_become_squares() {
        for face in [title(), text()] {
            assert_eq!(face.replace_missing("Ça va, Ελλάδα?"), "Ça va, Ελλάδα?");
            assert_eq!(face.replace_missing("日本 ok"), "□□ ok");
            assert_eq!(face.replace_missing("שלום!"), "□□□□!");
            assert_eq!(face.replace_missing("e\u{301}"), "e\u{301}");
            assert_eq!(face.replace_missing(""), "");
            assert!(face.measure("□", 64.0) > 0.0);
            assert_eq!(face.replace_missing("□"), "□");
        }
    }
}
