//! Highlighted code blocks kept between builds, in one file under the site's
//! `.sheaf-cache/`.
//!
//! Highlighting is most of a build's work (syntect runs dozens of regexes at every token),
//! and a writer's next build, or the CI deploy after a one-page change, highlights the same
//! blocks again. Each block's HTML is stored under a hash of everything it is made from:
//! the language, the code, the theme pair, and the highlighter's version
//! ([`HIGHLIGHTER_VERSION`], which names the syntect release too).
//!
//! The file is read whole on the first lookup and written whole by [`HighlightCache::store`]
//! (a temporary file renamed into place: a reader sees the old file or the new one), holding
//! exactly the blocks this build used, so it never outgrows the site. A file that is damaged,
//! truncated or from another version fails its checksum and is ignored: the cache only saves
//! time, and nothing in it is trusted unless it is whole.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{OnceLock, RwLock};

use super::Html;

/// Changes whenever highlighted HTML for the same input may differ: a new syntect release
/// (its syntaxes and themes), or a change to how tokens become classes (`code_theme.rs`).
/// `tests` checks that the syntect version here is the one in `Cargo.lock`.
pub(crate) const HIGHLIGHTER_VERSION: &str = "sheaf classes 1, syntect 5.3.0";

/// The file's first bytes: what it is and which layout follows.
/// Version 2 keeps each block as memory holds it: LZ4-packed (a fifth of the bytes), or
/// plain when short; version 1 files are ignored, costing one build's highlighting.
const MAGIC: &[u8; 16] = b"sheaf-highlight2";
/// A preview session, which never stores, keeps at most this many blocks beyond what it
/// loaded (every save of an edited block adds one), then starts over.
const PREVIEW_LIMIT: usize = 4096;

/// A block's key: the first 16 bytes of a BLAKE3 hash.
pub(super) type BlockKey = [u8; 16];

/// Highlighted blocks by key. Share one between threads (`&HighlightCache` is enough).
pub struct HighlightCache {
    /// `None`: kept in memory only.
    file: Option<PathBuf>,
    /// Whether the memory it takes is bounded ([`PREVIEW_LIMIT`]).
    bounded: bool,
    table: OnceLock<Table>,
    highlighted: AtomicUsize,
    found: AtomicUsize,
}

#[derive(Default)]
struct Table {
    blocks: RwLock<HashMap<BlockKey, Block>>,
    loaded: usize,
}

struct Block {
    /// Packed (see `markdown::Html`): a build holds every block of the site until it
    /// stores them.
    html: Html,
    /// Whether this process asked for the block: only those are stored.
    used: AtomicBool,
}

impl HighlightCache {
    /// A build's cache, kept in `file` (e.g. `<site>/.sheaf-cache/highlight`): read when
    /// first needed, written by [`HighlightCache::store`].
    pub fn for_build(file: impl Into<PathBuf>) -> HighlightCache {
        Self::new(Some(file.into()), false)
    }

    /// A live preview's cache: read from `file` like a build's, then kept in memory only,
    /// bounded, for the blocks of pages edited while serving.
    pub fn for_preview(file: impl Into<PathBuf>) -> HighlightCache {
        Self::new(Some(file.into()), true)
    }

    /// A cache that lives as long as this value (tests, fuzzing).
    pub fn in_memory() -> HighlightCache {
        Self::new(None, false)
    }

    fn new(file: Option<PathBuf>, bounded: bool) -> HighlightCache {
        HighlightCache {
            file,
            bounded,
            table: OnceLock::new(),
            highlighted: AtomicUsize::new(0),
            found: AtomicUsize::new(0),
        }
    }

    /// The key of `code` in language `token`, coloured for the themes named `light` and
    /// `dark`.
    pub fn key(token: &str, code: &str, (light, dark): (&str, &str)) -> BlockKey {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"sheaf highlighted block\0");
        hasher.update(HIGHLIGHTER_VERSION.as_bytes());
        for part in [light, dark, token, code] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let mut key = [0; 16];
        key.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        key
    }

    /// The block's HTML from the cache, else from `highlight` (stored for next time).
    /// `None` when `highlight` gives none (unknown language): nothing is stored.
    pub fn get_or_highlight(
        &self,
        key: BlockKey,
        highlight: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let table = self.table();
        if let Some(block) = table.read().get(&key) {
            block.used.store(true, Ordering::Relaxed);
            self.found.fetch_add(1, Ordering::Relaxed);
            return Some(block.html.as_str().into_owned());
        }
        let html = highlight()?;
        self.highlighted.fetch_add(1, Ordering::Relaxed);
        let mut blocks = table.write();
        if self.bounded && blocks.len() >= table.loaded + PREVIEW_LIMIT {
            blocks.clear();
        }
        blocks.insert(
            key,
            Block {
                html: Html::packed(html.clone()),
                used: AtomicBool::new(true),
            },
        );
        Some(html)
    }

    /// How many blocks this process highlighted rather than found.
    pub fn highlighted(&self) -> usize {
        self.highlighted.load(Ordering::Relaxed)
    }

    /// How many lookups found their block.
    pub fn found(&self) -> usize {
        self.found.load(Ordering::Relaxed)
    }

    /// Writes the blocks used since this cache was made, if that is not what the file
    /// already holds. An error only means the next build highlights again.
    pub fn store(&self) -> std::io::Result<()> {
        let (Some(file), Some(table), false) = (&self.file, self.table.get(), self.bounded) else {
            return Ok(());
        };
        let blocks = table.read();
        let mut used: Vec<(&BlockKey, &Block)> = blocks
            .iter()
            .filter(|(_, b)| b.used.load(Ordering::Relaxed))
            .collect();
        // Nothing new and nothing dropped: the file already holds exactly these.
        if self.highlighted() == 0 && used.len() == table.loaded {
            return Ok(());
        }
        used.sort_unstable_by_key(|(key, _)| *key);
        // Written block by block, as held: the whole file made in memory, unpacked, was the
        // peak of a 50,000-page build.
        crate::atomic::replace_file_with(file, |out| {
            let mut hasher = blake3::Hasher::new();
            let mut put = |bytes: &[u8]| {
                hasher.update(bytes);
                out.write_all(bytes)
            };
            put(MAGIC)?;
            for (key, block) in used {
                let (packed, bytes) = block.html.parts();
                let Ok(len) = u32::try_from(bytes.len()) else {
                    continue;
                };
                put(key)?;
                put(&[u8::from(packed)])?;
                put(&len.to_le_bytes())?;
                put(bytes)?;
            }
            out.write_all(hasher.finalize().as_bytes())
        })
    }

    fn table(&self) -> &Table {
        self.table.get_or_init(|| {
            let blocks = self
                .file
                .as_deref()
                .and_then(|f| std::fs::read(f).ok())
                .and_then(|bytes| parse(&bytes))
                .unwrap_or_default();
            Table {
                loaded: blocks.len(),
                blocks: RwLock::new(blocks),
            }
        })
    }
}

impl Table {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<BlockKey, Block>> {
        self.blocks.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<BlockKey, Block>> {
        self.blocks.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The blocks of a whole, valid file; `None` for anything else.
fn parse(bytes: &[u8]) -> Option<HashMap<BlockKey, Block>> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if blake3::hash(body).as_bytes() != checksum {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC.as_slice())?;
    let mut blocks = HashMap::new();
    while !rest.is_empty() {
        let (key, after) = rest.split_first_chunk::<16>()?;
        let (&[held], after) = after.split_first_chunk::<1>()?;
        let packed = match held {
            0 => false,
            1 => true,
            _ => return None,
        };
        let (len, after) = after.split_first_chunk::<4>()?;
        let (html, after) = after.split_at_checked(u32::from_le_bytes(*len) as usize)?;
        let block = Block {
            html: Html::from_parts(packed, html)?,
            used: AtomicBool::new(false),
        };
        blocks.insert(*key, block);
        rest = after;
    }
    Some(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const THEMES: (&str, &str) = ("InspiredGitHub", "base16-ocean.dark");

    fn html(cache: &HighlightCache, code: &str) -> Option<String> {
        let key = HighlightCache::key("rust", code, THEMES);
        cache.get_or_highlight(key, || Some(format!("<b>{code}</b>")))
    }

    #[test]
    fn a_stored_file_gives_back_every_block_without_highlighting() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".sheaf-cache/highlight");
        let first = HighlightCache::for_build(&file);
        assert_eq!(html(&first, "a").as_deref(), Some("<b>a</b>"));
        assert_eq!(html(&first, "b ü").as_deref(), Some("<b>b ü</b>"));
        assert_eq!(first.highlighted(), 2);
        first.store().unwrap();

        let second = HighlightCache::for_build(&file);
        let key = HighlightCache::key("rust", "b ü", THEMES);
        let got = second.get_or_highlight(key, || panic!("must come from the file"));
        assert_eq!(got.as_deref(), Some("<b>b ü</b>"));
        assert_eq!((second.highlighted(), second.found()), (0, 1));
    }

    #[test]
    fn long_blocks_are_stored_packed_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight");
        let code = "let x = 1;\n".repeat(500);
        let first = HighlightCache::for_build(&file);
        let made = html(&first, &code).unwrap();
        first.store().unwrap();
        assert!(std::fs::metadata(&file).unwrap().len() * 4 < made.len() as u64);
        let second = HighlightCache::for_build(&file);
        let key = HighlightCache::key("rust", &code, THEMES);
        let got = second.get_or_highlight(key, || panic!("must come from the file"));
        assert_eq!(got.as_deref(), Some(made.as_str()));
    }

    #[test]
    fn the_file_keeps_only_what_the_last_build_used() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight");
        let first = HighlightCache::for_build(&file);
        html(&first, "old");
        html(&first, "kept");
        first.store().unwrap();
        let second = HighlightCache::for_build(&file);
        html(&second, "kept");
        second.store().unwrap();
        let third = HighlightCache::for_build(&file);
        html(&third, "old");
        assert_eq!(third.highlighted(), 1, "`old` was dropped");
    }

    #[test]
    fn an_unchanged_cache_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight");
        let first = HighlightCache::for_build(&file);
        html(&first, "x");
        first.store().unwrap();
        use std::os::unix::fs::MetadataExt;
        let before = std::fs::metadata(&file).unwrap().ino();
        let second = HighlightCache::for_build(&file);
        html(&second, "x");
        second.store().unwrap();
        assert_eq!(
            std::fs::metadata(&file).unwrap().ino(),
            before,
            "not replaced"
        );
    }

    #[test]
    fn damaged_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight");
        let first = HighlightCache::for_build(&file);
        html(&first, "x");
        first.store().unwrap();
        let whole = std::fs::read(&file).unwrap();
        let mut flipped = whole.clone();
        flipped[20] ^= 1;
        let damaged: [&[u8]; 5] = [
            &whole[..whole.len() - 1],
            &flipped,
            b"",
            b"garbage",
            &whole[..40],
        ];
        for bytes in damaged {
            std::fs::write(&file, bytes).unwrap();
            let cache = HighlightCache::for_build(&file);
            assert_eq!(html(&cache, "x").as_deref(), Some("<b>x</b>"));
            assert_eq!(cache.highlighted(), 1, "highlighted again");
        }
        assert!(parse(&whole).is_some());
    }

    #[test]
    fn keys_differ_by_language_code_and_theme() {
        let key = HighlightCache::key;
        assert_ne!(key("rust", "x", THEMES), key("python", "x", THEMES));
        assert_ne!(key("rust", "x", THEMES), key("rust", "y", THEMES));
        assert_ne!(key("rust", "x", THEMES), key("rust", "x", ("a", "b")));
        assert_ne!(key("rust", "x", ("a", "b")), key("rust", "x", ("b", "a")));
        assert_ne!(key("ab", "c", THEMES), key("a", "bc", THEMES));
    }

    #[test]
    fn unknown_languages_are_not_kept() {
        let cache = HighlightCache::in_memory();
        assert!(cache.get_or_highlight([0; 16], || None).is_none());
        assert_eq!(cache.highlighted(), 0);
    }

    #[test]
    fn a_preview_never_writes_and_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight");
        let cache = HighlightCache::for_preview(&file);
        for i in 0..PREVIEW_LIMIT + 10 {
            html(&cache, &i.to_string());
        }
        assert!(cache.table().read().len() <= PREVIEW_LIMIT);
        cache.store().unwrap();
        assert!(!file.exists());
    }

    #[test]
    fn the_version_names_the_syntect_in_cargo_lock() {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
        let at = lock.find("name = \"syntect\"\nversion = \"").unwrap();
        let version = lock[at..].split('"').nth(3).unwrap();
        assert!(
            HIGHLIGHTER_VERSION.ends_with(&format!("syntect {version}")),
            "update HIGHLIGHTER_VERSION to syntect {version}: cached blocks from the old \
             syntaxes must not be reused"
        );
    }
}
