//! Rendered copies kept between builds in `.sheaf-cache/images/`, one file per copy, so a
//! warm build decodes and encodes nothing.
//!
//! A copy's key is a BLAKE3 hash of the source's bytes, its [`VariantSpec`] (size, format and
//! quality, crop: everything the settings decide) and [`IMAGE_PIPELINE_VERSION`]; a change to
//! any of them is a new key, never a stale copy. Each file is a magic number, the copy, and
//! a BLAKE3 checksum of both and the key, written to a temporary file and renamed into place
//! (`atomic::replace_file`): a reader sees a whole entry or none, and one that is damaged,
//! truncated, from another version or moved to another key's name fails the checksum and is
//! made again, never trusted.
//!
//! `&ImageCache` is shared by rayon's threads. Two threads (or two builds) making the same
//! copy at once both make it; the rename makes that harmless. [`ImageCache::prune`] deletes
//! what this build did not use, after a build that asked for every image: like the
//! highlight cache, the folder holds what the site uses and never outgrows it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use super::render::{decode, resize_and_encode};
use super::{IMAGE_PIPELINE_VERSION, ImageError, OutputFormat, VariantSpec};

/// The first bytes of every entry: what it is and which layout follows.
const MAGIC: &[u8; 8] = b"sheafim1";
/// A temporary file older than this was left by a build that was killed: prune removes it.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// A copy, and whether this call made it (rather than read it from the cache).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// `true` when it was rendered now.
    pub rendered: bool,
}

/// A folder of rendered copies. Share one between threads (`&ImageCache` is enough).
#[derive(Debug)]
pub struct ImageCache {
    dir: PathBuf,
    /// The keys asked for since the cache was opened: what [`ImageCache::prune`] keeps.
    used: Mutex<HashSet<String>>,
    renders: AtomicUsize,
    found: AtomicUsize,
    /// The first failure to store a copy. The cache only saves time, so a folder that cannot
    /// be written (a read-only checkout) must not fail the build: copies are still returned,
    /// and the caller reports this once as a warning.
    store_error: Mutex<Option<String>>,
}

impl ImageCache {
    /// The cache of the site in `site_root`: `<site_root>/.sheaf-cache/images/`, made when
    /// the first copy is stored.
    pub fn open(site_root: &Path) -> ImageCache {
        Self::in_dir(site_root.join(".sheaf-cache").join("images"))
    }

    /// A cache in `dir` itself.
    pub fn in_dir(dir: impl Into<PathBuf>) -> ImageCache {
        ImageCache {
            dir: dir.into(),
            used: Mutex::new(HashSet::new()),
            renders: AtomicUsize::new(0),
            found: AtomicUsize::new(0),
            store_error: Mutex::new(None),
        }
    }

    /// The key of `spec` made from a source whose BLAKE3 hash is `source`: 32 hex digits.
    pub fn key(source: &blake3::Hash, spec: &VariantSpec) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"sheaf image variant\0");
        hasher.update(IMAGE_PIPELINE_VERSION.as_bytes());
        hasher.update(source.as_bytes());
        let (tag, quality) = match spec.format {
            OutputFormat::Webp { quality } => (0u8, quality),
            OutputFormat::Jpeg { quality } => (1, quality),
            OutputFormat::Png => (2, 0),
        };
        hasher.update(&spec.width.to_le_bytes());
        hasher.update(&spec.height.to_le_bytes());
        hasher.update(&[tag, quality, u8::from(spec.crop)]);
        // The suffix names the file, not its pixels; it is left out so a renamed setting
        // that makes the same copy reuses it.
        hasher.finalize().to_hex()[..32].to_string()
    }

    /// The copies `specs` of the image in `source`, each from the cache if a whole entry is
    /// there, else rendered (the source decoded once for all that are missing, the copies
    /// made in parallel) and stored. In `specs` order. A copy that could not be stored is
    /// still returned; see [`ImageCache::store_error`].
    pub fn get_or_render(
        &self,
        source: &[u8],
        specs: &[VariantSpec],
    ) -> Result<Vec<Rendered>, ImageError> {
        let hash = blake3::hash(source);
        let keys: Vec<String> = specs.iter().map(|s| Self::key(&hash, s)).collect();
        self.lock_used().extend(keys.iter().cloned());
        let cached: Vec<Option<Vec<u8>>> = keys.iter().map(|k| self.read(k)).collect();
        let missing = cached.iter().filter(|c| c.is_none()).count();
        self.found
            .fetch_add(specs.len() - missing, Ordering::Relaxed);
        if missing == 0 {
            return Ok(cached
                .into_iter()
                .flatten()
                .map(|bytes| Rendered {
                    bytes,
                    rendered: false,
                })
                .collect());
        }
        let pixels = decode(source)?;
        cached
            .into_par_iter()
            .zip(specs.par_iter().zip(keys.par_iter()))
            .map(|(cached, (spec, key))| match cached {
                Some(bytes) => Ok(Rendered {
                    bytes,
                    rendered: false,
                }),
                None => {
                    let bytes = resize_and_encode(&pixels, spec)?;
                    self.renders.fetch_add(1, Ordering::Relaxed);
                    self.store(key, &bytes);
                    Ok(Rendered {
                        bytes,
                        rendered: true,
                    })
                }
            })
            .collect()
    }

    /// Deletes every entry not asked for since this cache was opened, and temporary files
    /// left by killed builds. Call it only after a build that asked for every image of the
    /// site (a preview, which renders a few pages, must not). Returns how many files went.
    pub fn prune(&self) -> std::io::Result<usize> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let used = self.lock_used();
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let stale = if name.starts_with('.') && name.ends_with(".tmp") {
                entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| {
                    SystemTime::now().duration_since(t).unwrap_or_default() > STALE_TEMP
                })
            } else {
                is_key(&name) && !used.contains(name.as_ref())
            };
            if stale && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// How many copies this cache rendered (rather than read) since it was opened.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }

    /// How many copies were found in the cache since it was opened.
    pub fn found(&self) -> usize {
        self.found.load(Ordering::Relaxed)
    }

    /// The first copy that could not be stored since the cache was opened, if any.
    pub fn store_error(&self) -> Option<String> {
        self.store_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn lock_used(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The copy stored under `key`, if its entry is whole.
    fn read(&self, key: &str) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.dir.join(key)).ok()?;
        let body_len = bytes.len().checked_sub(32)?;
        let (body, checksum) = bytes.split_at(body_len);
        if !body.starts_with(MAGIC) || checksum != checksum_of(key, body).as_bytes() {
            return None;
        }
        bytes.truncate(body_len);
        bytes.drain(..MAGIC.len());
        Some(bytes)
    }

    fn store(&self, key: &str, copy: &[u8]) {
        let mut entry = Vec::with_capacity(MAGIC.len() + copy.len() + 32);
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(copy);
        let checksum = checksum_of(key, &entry);
        entry.extend_from_slice(checksum.as_bytes());
        let path = self.dir.join(key);
        if let Err(e) = crate::atomic::replace_file(&path, &entry) {
            let mut first = self.store_error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert_with(|| format!("image cache: {}: {e}", path.display()));
        }
    }
}

/// The checksum of an entry's magic number and copy, bound to its key.
fn checksum_of(key: &str, body: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(key.as_bytes());
    hasher.update(body);
    hasher.finalize()
}

/// Whether a file name is an entry's (32 lowercase hex digits): prune touches nothing else.
fn is_key(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
