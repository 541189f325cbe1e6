//! What a source file's path may be: UTF-8 (it becomes a URL), and inside the site.
//!
//! **Names.** A file name that is not UTF-8 has no URL. Converting it lossily would map
//! `caf\xE9.md` and `caf\xFF.md` to one key, and one of the two files would vanish with no
//! message; such a file is reported instead, with its bytes spelled out.
//!
//! **Symbolic links.** sheaf reads nothing outside the site folder. A repository can hold a
//! link to any path (`static/keys -> /home/runner/.ssh`), and a build in CI would publish
//! what it points at. So a source folder (`content/`, `static/`, `templates/`,
//! `themes/<name>/`) that is itself a link must resolve inside the site folder, and a link
//! inside one must resolve inside that same folder (which also keeps every file it reads
//! where `sheaf serve` watches). Other links are reported and skipped, folders included:
//! nothing under them is read.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};

/// `path` relative to `base`, `/`-separated, or why it cannot be a site path.
pub(crate) fn relative_name(root: &Path, base: &Path, path: &Path) -> Result<String, Diagnostic> {
    let rel = path.strip_prefix(base).unwrap_or(path);
    match rel.to_str() {
        Some(rel) => Ok(rel.replace('\\', "/")),
        None => Err(not_utf8(root, path)),
    }
}

fn not_utf8(root: &Path, path: &Path) -> Diagnostic {
    let shown = path.strip_prefix(root).unwrap_or(path);
    Diagnostic::error(format!(
        "the name `{}` is not valid UTF-8",
        escaped(shown.as_os_str())
    ))
    .at(Location::file_only(escaped(shown.as_os_str())))
    .help("every file becomes a URL, and URLs are UTF-8: rename it (the file is skipped)")
}

/// A file name with every byte that is not UTF-8 written as `\xNN`.
pub(crate) fn escaped(name: &std::ffi::OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

/// Whether `path` resolves (through any links) to a place inside `canonical_within`.
pub(crate) fn resolves_inside(path: &Path, canonical_within: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|t| t.starts_with(canonical_within))
}

/// The canonical path of the source folder `dir` (`root/static`, ...), or an error when it
/// is a link that leads out of the site folder. `Ok(None)` when there is no such folder.
pub(crate) fn source_folder(root: &Path, dir: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if canonical.starts_with(&canonical_root) {
        return Ok(Some(canonical));
    }
    let shown = dir.strip_prefix(root).unwrap_or(dir);
    Err(Diagnostic::error(format!(
        "`{}` is a symbolic link to `{}`, outside the site folder",
        shown.display(),
        canonical.display()
    ))
    .at(Location::file_only(shown))
    .help(
        "sheaf reads nothing outside the site folder, so that a build never publishes files \
         of the machine it runs on; copy the folder into the site instead",
    ))
}

/// The error for a link inside a source folder that leads out of it.
pub(crate) fn link_out_of(root: &Path, path: &Path, folder: &str) -> Diagnostic {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let target = std::fs::read_link(path)
        .map(|t| format!(" (to `{}`)", t.display()))
        .unwrap_or_default();
    Diagnostic::error(format!(
        "a symbolic link{target} points outside {folder}/; it is not followed"
    ))
    .at(Location::file_only(shown))
    .help(format!(
        "copy the file or folder into {folder}/ instead: links out of it are skipped, with \
         everything under them"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix only: names there are bytes, and these are not UTF-8.
    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_spelled_out() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xE9/\xFFx.md");
        assert_eq!(escaped(name), "caf\\xE9/\\xFFx.md");
        let root = Path::new("/site");
        let path = Path::new("/site/content").join(name);
        let err = relative_name(root, Path::new("/site/content"), &path).unwrap_err();
        assert!(err.to_string().contains("caf\\xE9"), "{err}");
        assert_eq!(
            relative_name(
                root,
                Path::new("/site/content"),
                Path::new("/site/content/a/b.md")
            )
            .unwrap(),
            "a/b.md"
        );
    }
}
