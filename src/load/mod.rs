//! Stage 1: read `content/` into parsed documents.
//!
//! Files are read and their front matter parsed in parallel. Every problem becomes a located
//! diagnostic and the file is skipped, so one bad essay never hides the others' errors.

pub mod fields;
pub mod front_matter;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location};
use crate::yaml;
use fields::{PageFront, SectionFront};
use front_matter::SplitError;

pub const CONTENT_DIR: &str = "content";

/// A Markdown file's text, with its path relative to `content/` (`/`-separated) and the path
/// shown to users (`content/essays/foo.md`).
#[derive(Debug)]
pub struct Source {
    pub rel: String,
    pub shown: PathBuf,
    /// The text, with a leading BOM removed.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct PageDoc {
    pub source: Arc<Source>,
    pub front: PageFront,
    /// Where the YAML sits in `source.text`, for locating later errors.
    pub yaml: std::ops::Range<usize>,
    pub body_offset: usize,
}

#[derive(Debug, Clone)]
pub struct SectionDoc {
    pub source: Arc<Source>,
    pub front: SectionFront,
    pub yaml: std::ops::Range<usize>,
    pub body_offset: usize,
}

#[derive(Debug, Clone)]
pub enum Document {
    Page(Box<PageDoc>),
    Section(SectionDoc),
}

/// A non-Markdown file in `content/`, copied beside the pages (images and the like).
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub rel: String,
    pub path: PathBuf,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<PageDoc>,
    pub sections: Vec<SectionDoc>,
    pub files: Vec<ContentFile>,
    /// Files under the site's `static/`, copied to the output root as they are.
    pub statics: Vec<ContentFile>,
}

/// Lists `root/static`: every file except hidden and editor temp files.
fn load_static(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<ContentFile> {
    let dir = root.join("static");
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let Ok(rel) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.push(ContentFile {
                    rel,
                    path: entry.path().to_path_buf(),
                });
            }
            Ok(_) => {}
            Err(err) => diagnostics.push(
                Diagnostic::error(format!("cannot read: {err}"))
                    .at(Location::file_only(
                        err.path()
                            .map(|p| shown_path(root, p))
                            .unwrap_or_else(|| "static".into()),
                    ))
                    .help("fix the permissions; the file is skipped"),
            ),
        }
    }
    files
}

/// Reads every file under `root/content`.
pub fn load_content(root: &Path) -> (Loaded, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let mut markdown = Vec::new();
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error("there is no content/ folder")
                .at(Location::file_only(CONTENT_DIR))
                .help("create content/_index.md (the home page), or run `sheaf init`"),
        );
        return (loaded, diagnostics);
    }
    let canonical_root = content.canonicalize().unwrap_or_else(|_| content.clone());
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let shown = err
                    .path()
                    .map(|p| shown_path(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                let what = if err.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it".to_string()
                } else {
                    format!("cannot read: {err}")
                };
                diagnostics.push(
                    Diagnostic::error(what)
                        .at(Location::file_only(shown))
                        .help("fix the permissions or remove the link; the file is skipped"),
                );
                continue;
            }
        };
        if entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical_root));
            if !inside {
                diagnostics.push(
                    Diagnostic::error("a symbolic link points outside content/")
                        .at(Location::file_only(shown_path(root, entry.path())))
                        .help("copy the file into content/ instead; links out of the site are not followed"),
                );
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&content) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.ends_with(".md") {
            markdown.push((rel, entry.path().to_path_buf()));
        } else {
            loaded.files.push(ContentFile {
                rel,
                path: entry.path().to_path_buf(),
            });
        }
    }
    let parsed: Vec<Result<Document, Vec<Diagnostic>>> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let shown = shown_path(root, &path);
            read_source(&path, rel, shown).and_then(|s| parse_document(Arc::new(s)))
        })
        .collect();
    loaded.statics = load_static(root, &mut diagnostics);
    for result in parsed {
        match result {
            Ok(Document::Page(page)) => loaded.pages.push(*page),
            Ok(Document::Section(section)) => loaded.sections.push(section),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    (loaded, diagnostics)
}

/// Hidden files, editor swap/backup files and temp files are never content.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads a file as UTF-8, dropping a BOM. Invalid UTF-8 is located at its line.
pub fn read_source(path: &Path, rel: String, shown: PathBuf) -> Result<Source, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(format!("cannot read file: {e}"))
                .at(Location::file_only(&shown))
                .help("check the file's permissions"),
        ]
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let offset = String::from_utf8_lossy(&err.as_bytes()[..valid]).len();
            return Err(vec![
                Diagnostic::error("the file is not valid UTF-8")
                    .at(Location::at_offset(&shown, &lossy, offset, 1))
                    .label("invalid byte here")
                    .help("save the file with UTF-8 encoding"),
            ]);
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(Source { rel, shown, text })
}

/// Splits and parses front matter. `_index.md` is a section, anything else a page.
pub fn parse_document(source: Arc<Source>) -> Result<Document, Vec<Diagnostic>> {
    let text = &source.text;
    let parts = front_matter::split(text).map_err(|e| {
        let d = match e {
            SplitError::Missing => Diagnostic::error("the file has no front matter")
                .at(Location::at_offset(&source.shown, text, 0, 3))
                .help("start the file with a `---` line, `title: ...`, and a closing `---` line"),
            SplitError::Unclosed => Diagnostic::error("the front matter is not closed")
                .at(Location::at_offset(&source.shown, text, 0, 3))
                .label("opened here")
                .help("add a line with just `---` after the last front-matter key"),
        };
        vec![d]
    })?;
    let yaml_text = &text[parts.yaml.clone()];
    let is_section = source.rel == "_index.md" || source.rel.ends_with("/_index.md");
    let locate = |errors: Vec<yaml::YamlError>| {
        errors
            .iter()
            .map(|e| e.to_diagnostic(&source.shown, text, parts.yaml.start, "front-matter"))
            .collect::<Vec<_>>()
    };
    if is_section {
        let front: SectionFront = yaml::from_str_all(yaml_text).map_err(locate)?;
        Ok(Document::Section(SectionDoc {
            source: source.clone(),
            front,
            yaml: parts.yaml,
            body_offset: parts.body_offset,
        }))
    } else {
        let front: PageFront = yaml::from_str_all(yaml_text).map_err(locate)?;
        Ok(Document::Page(Box::new(PageDoc {
            source: source.clone(),
            front,
            yaml: parts.yaml,
            body_offset: parts.body_offset,
        })))
    }
}

/// The location of `key:` inside a document's front matter, for errors found after parsing.
pub fn locate_key(source: &Source, yaml: &std::ops::Range<usize>, key: &str) -> Location {
    let region = &source.text[yaml.clone()];
    let offset = region
        .match_indices(key)
        .find(|(i, _)| {
            let line_start = region[..*i].rfind('\n').map_or(0, |n| n + 1);
            region[line_start..*i].trim().is_empty()
                && region[i + key.len()..].trim_start().starts_with(':')
        })
        .map_or(0, |(i, _)| yaml.start + i);
    Location::at_offset(&source.shown, &source.text, offset, key.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rel: &str, text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse_document(Arc::new(Source {
            rel: rel.into(),
            shown: PathBuf::from("content").join(rel),
            text: text.into(),
        }))
    }

    #[test]
    fn page_and_section_are_told_apart() {
        assert!(matches!(
            doc("a.md", "---\ntitle: A\n---\n"),
            Ok(Document::Page(_))
        ));
        assert!(matches!(
            doc("s/_index.md", "---\ntitle: S\n---\n"),
            Ok(Document::Section(_))
        ));
    }

    #[test]
    fn errors_are_located() {
        let e = doc("a.md", "---\ntitle: A\ndate: 2025-02-30\n---\n").unwrap_err();
        assert_eq!(e[0].location.as_ref().unwrap().line, 3, "{}", e[0]);
        assert!(e[0].message.contains("invalid date"), "{}", e[0]);
        let e = doc("a.md", "---\ndate: 2025-02-03\n---\n").unwrap_err();
        assert!(e[0].message.contains("missing field `title`"), "{}", e[0]);
        let e = doc("a.md", "---\ntitle: A\nslug: ../../x\n---\n").unwrap_err();
        assert_eq!(e[0].location.as_ref().unwrap().line, 3, "{}", e[0]);
        let e = doc("a.md", "---\ntitle: A\n").unwrap_err();
        assert!(e[0].message.contains("not closed"));
        let e = doc("a.md", "").unwrap_err();
        assert!(e[0].message.contains("no front matter"));
    }

    #[test]
    fn non_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.md");
        std::fs::write(&path, b"---\ntitle: A\n---\nok\nbad \xff here\n").unwrap();
        let e = read_source(&path, "bad.md".into(), "content/bad.md".into()).unwrap_err();
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (5, 5), "{}", e[0]);
    }

    #[test]
    fn key_location_skips_values() {
        let source = Source {
            rel: "a.md".into(),
            shown: "content/a.md".into(),
            text: "---\ntitle: template\ntemplate: x.html\n---\n".into(),
        };
        let loc = locate_key(&source, &(4..36), "template");
        assert_eq!(loc.line, 3);
    }
}
