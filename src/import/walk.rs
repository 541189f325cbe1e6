//! Listing and reading SOURCE safely: links are not followed out of SOURCE (a cloned site
//! must not make the importer copy the machine's files), names must be UTF-8 (a lossy name
//! could merge two files), and files over sheaf's own size limit are not read.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::model::{Note, Site};

/// One file found under a folder of SOURCE.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Absolute path.
    pub path: PathBuf,
    /// Relative to the folder walked, `/`-separated.
    pub rel: String,
    /// Relative to SOURCE, for the report.
    pub shown: PathBuf,
}

/// Every file under `dir` (a folder of `source`), sorted, with `skip_dir` deciding which
/// sub-folders (by their relative path) are not entered. Links inside SOURCE are read as
/// the file they point at; links out of it, and folders reached by a link, are skipped and
/// noted.
pub(crate) fn files(
    source: &Path,
    dir: &Path,
    site: &mut Site,
    skip_dir: &dyn Fn(&str) -> bool,
) -> Vec<File> {
    let canonical_source = source
        .canonicalize()
        .unwrap_or_else(|_| source.to_path_buf());
    let mut out = Vec::new();
    // The folder itself may be a link (`static -> ~/.ssh` in a cloned site): walkdir follows
    // a root link, so it is checked here, like every link below it.
    let dir_inside = dir
        .canonicalize()
        .is_ok_and(|d| d.starts_with(&canonical_source));
    if !dir.exists() {
        // A site without `static/` (or another optional folder): nothing to say.
        return out;
    }
    if !dir_inside {
        site.skipped.push(Note {
            at: shown(source, dir).display().to_string(),
            message: "a symbolic link out of the source site; not followed".into(),
        });
        return out;
    }
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            let skipped = e.file_type().is_dir()
                && e.path()
                    .strip_prefix(dir)
                    .ok()
                    .and_then(Path::to_str)
                    .is_some_and(|rel| skip_dir(&rel.replace('\\', "/")));
            !hidden && !skipped
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().map(|p| shown(source, p)).unwrap_or_default();
                site.skipped.push(Note {
                    at: at.display().to_string(),
                    message: format!("not read: {e}"),
                });
                continue;
            }
        };
        let path = entry.path();
        let shown_path = shown(source, path);
        if entry.path_is_symlink() {
            let inside = path
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical_source));
            if !inside || !path.is_file() {
                site.skipped.push(Note {
                    at: shown_path.display().to_string(),
                    message:
                        "a symbolic link out of the source site (or to a folder); not followed"
                            .into(),
                });
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = path.strip_prefix(dir).ok().and_then(Path::to_str) else {
            site.skipped.push(Note {
                at: shown_path.display().to_string(),
                message: "its name is not UTF-8; rename it to import it".into(),
            });
            continue;
        };
        out.push(File {
            path: path.to_path_buf(),
            rel: rel.replace('\\', "/"),
            shown: shown_path,
        });
    }
    out
}

fn shown(source: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(source).unwrap_or(path).to_path_buf()
}

/// A text file's contents, or a note saying why it is not imported (too large, not UTF-8).
pub(crate) fn read_text(file: &File, site: &mut Site) -> Option<String> {
    let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
    if size > crate::load::MAX_FILE_BYTES {
        site.skipped.push(Note {
            at: file.shown.display().to_string(),
            message: format!(
                "larger than sheaf's limit for a content file ({} MiB); not imported",
                crate::load::MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
        return None;
    }
    match std::fs::read(&file.path).map(String::from_utf8) {
        Ok(Ok(text)) => Some(text),
        Ok(Err(_)) => {
            site.skipped.push(Note {
                at: file.shown.display().to_string(),
                message: "not UTF-8 text; convert it to UTF-8 to import it".into(),
            });
            None
        }
        Err(e) => {
            site.skipped.push(Note {
                at: file.shown.display().to_string(),
                message: format!("not read: {e}"),
            });
            None
        }
    }
}

/// Whether a file name is Markdown.
pub(crate) fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdown")
}

/// The file name without its folder and extension.
pub(crate) fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The folder part of a relative path (`` at the top).
pub(crate) fn parent(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// `rel` with its extension made `.md`.
pub(crate) fn with_md(rel: &str) -> String {
    let dir = parent(rel);
    let stem = stem(rel);
    if dir.is_empty() {
        format!("{stem}.md")
    } else {
        format!("{dir}/{stem}.md")
    }
}

/// The language of a translation file (`index.fr.md`, `post.pt-br.md`): Zola and Hugo name
/// translations so. sheaf sites have one language, so these are reported, not imported.
pub(crate) fn translation(rel: &str) -> Option<&str> {
    let stem = stem(rel);
    let (_, lang) = stem.rsplit_once('.')?;
    let ok = (2..=7).contains(&lang.len())
        && lang
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
        && lang.chars().take(2).all(|c| c.is_ascii_alphabetic());
    ok.then_some(lang)
}
