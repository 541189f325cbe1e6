//! The site's `static/` folder: files copied to the output root as they are.
//!
//! Hidden files and editor temp files are left out, except `.well-known/` at the top, which
//! GitHub Pages domain verification, `security.txt` and app links need published. Links are
//! followed only inside `static/` (see `paths`).

use std::path::Path;

use super::paths::{link_out_of, relative_name, resolves_inside, source_folder};
use super::{ContentFile, is_ignored, shown_path};
use crate::diagnostic::{Diagnostic, Location};

/// The one hidden folder of `static/` that is published.
const WELL_KNOWN: &str = ".well-known";

/// Whether a `static/` entry at `depth` (1: directly in `static/`) is left out.
fn is_skipped(name: &std::ffi::OsStr, depth: usize) -> bool {
    if depth == 1 && name == WELL_KNOWN {
        return false;
    }
    is_ignored(name)
}

/// Lists `root/static`: every file except hidden and editor temp files.
pub(crate) fn load_static(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<ContentFile> {
    let dir = root.join("static");
    let mut files = Vec::new();
    let canonical = match source_folder(root, &dir) {
        Ok(Some(canonical)) => canonical,
        Ok(None) => return files,
        Err(d) => {
            diagnostics.push(d);
            return files;
        }
    };
    let mut walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.file_name(), e.depth()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let what = if err.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it".to_string()
                } else {
                    format!("cannot read: {err}")
                };
                diagnostics.push(
                    Diagnostic::error(what)
                        .at(Location::file_only(
                            err.path()
                                .map(|p| shown_path(root, p))
                                .unwrap_or_else(|| "static".into()),
                        ))
                        .help("fix the permissions or remove the link; the file is skipped"),
                );
                continue;
            }
        };
        if entry.depth() > 0
            && entry.path_is_symlink()
            && !resolves_inside(entry.path(), &canonical)
        {
            diagnostics.push(link_out_of(root, entry.path(), "static"));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let rel = match relative_name(root, &dir, entry.path()) {
            Ok(rel) => rel,
            Err(d) => {
                diagnostics.push(d);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        };
        if entry.file_type().is_file() {
            files.push(ContentFile {
                rel,
                path: entry.path().to_path_buf(),
            });
        }
    }
    files
}
