//! Whole-file replacement for the caches in `.sheaf-cache/` (highlighted code, social
//! cards): below every stage that keeps a cache, so none of them depends on `write`.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `bytes` to `path` through a temporary file in the same folder (made if missing)
/// and a rename, which is atomic on one filesystem: a reader, or another build doing the
/// same, sees the old file or the new one, never a part. For the caches in `.sheaf-cache/`.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_file_with(path, |file| file.write_all(bytes))
}

/// [`replace_file`] with the contents written by `write` as they are made, so a large file
/// (every highlighted block of a 50,000-page site) is never held whole in memory.
pub(crate) fn replace_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&temp).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.flush()
    });
    let result = written.and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        // Best effort: the error being reported is the write's, not this one's.
        let _ = std::fs::remove_file(&temp);
    }
    result
}
