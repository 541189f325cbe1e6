//! Stage 1: read `content/` into parsed documents.
//!
//! Files are read and their front matter parsed in parallel. Every problem becomes a located
//! diagnostic and the file is skipped, so one bad essay never hides the others' errors.

pub(crate) mod fields;
pub mod front_matter;
mod paths;
mod source;
mod statics;
mod tree;

pub(crate) use paths::{link_out_of, relative_name, resolves_inside, source_folder};
pub(crate) use source::PACK_SOURCES_FROM;
pub use source::Source;
pub(crate) use tree::{ContentTree, Refreshed};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::yaml;
use fields::{PageFront, SectionFront};
use front_matter::SplitError;

pub(crate) const CONTENT_DIR: &str = "content";

/// At most this many tags on one page. Every list that shows the page (each of its tag
/// pages and tag feeds among them) shows all its tags, so the output grows with the square
/// of one page's tag count: 5,000 tags made 2.2 GB of output and 10,000 took 9 GB of
/// memory (tests/it/adversarial.rs). No real essay comes near this.
pub(crate) const MAX_TAGS_PER_PAGE: usize = 100;

/// A page's file, parsed: its front matter checked, its body not yet rendered.
#[derive(Debug, Clone)]
pub struct PageDoc {
    /// The file as read.
    pub source: Arc<Source>,
    /// The front matter, every key checked.
    pub front: PageFront,
    /// Where the YAML sits in the source's text, for locating later errors.
    pub yaml: std::ops::Range<usize>,
    /// Where the body starts in the source's text.
    pub body_offset: usize,
    /// A hash of the front matter's text: what the preview's reads compare for a page's
    /// front matter, without unpacking a packed source for it.
    pub front_hash: u64,
    /// The page's site path, worked out once by the model (`model::page_path`) and kept
    /// with the document, so a rebuild does not slugify 10,000 unchanged file names again.
    pub site_path: std::sync::OnceLock<Result<String, Diagnostic>>,
}

#[derive(Debug, Clone)]
pub struct SectionDoc {
    pub source: Arc<Source>,
    pub front: SectionFront,
    pub yaml: std::ops::Range<usize>,
    pub body_offset: usize,
}

/// A content file parsed: a page, or a section's `_index.md`.
#[derive(Debug, Clone)]
pub enum Document {
    /// An essay, a guide page or a worksheet.
    Page(Arc<PageDoc>),
    /// A section's own page (`_index.md`).
    Section(Box<SectionDoc>),
}

/// A non-Markdown file in `content/`, copied beside the pages (images and the like).
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub rel: String,
    pub path: PathBuf,
}

#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub pages: Vec<Arc<PageDoc>>,
    pub sections: Vec<SectionDoc>,
    pub files: Vec<ContentFile>,
    /// Files under the site's `static/`, copied to the output root as they are.
    pub statics: Vec<ContentFile>,
}

/// Hidden files, editor swap/backup files and temp files are never content.
pub(crate) fn is_ignored(name: &std::ffi::OsStr) -> bool {
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

/// Largest Markdown file read, in bytes (10 MiB). Building a page takes about 30 times
/// its size in memory (a 100 MB file peaked at 3 GB) and the page is copied into several
/// outputs; the longest real essays are well under 1 MB, and a whole novel is about 3 MB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads a file as UTF-8, dropping a BOM. Invalid UTF-8 is located at its line; a file
/// over [`MAX_FILE_BYTES`] is refused without being read whole.
pub(crate) fn read_source(
    path: &Path,
    rel: String,
    shown: PathBuf,
) -> Result<Source, Vec<Diagnostic>> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        vec![
            Diagnostic::error(format!("cannot read file: {e}"))
                .at(Location::file_only(&shown))
                .help("check the file's permissions"),
        ]
    };
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let expected = file.metadata().map_or(0, |m| m.len());
    if expected > MAX_FILE_BYTES {
        return Err(vec![too_big(&mut file, &shown, expected)]);
    }
    // At most one byte more than the limit, in case the file grew since `metadata`.
    let mut bytes = Vec::with_capacity(expected as usize);
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![too_big(&mut file, &shown, bytes.len() as u64)]);
    }
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
    Ok(Source::new(rel, shown, text))
}

/// The error for a file over [`MAX_FILE_BYTES`], at its first line (read only that far).
fn too_big(file: &mut std::fs::File, shown: &Path, len: u64) -> Diagnostic {
    use std::io::{Read, Seek};
    let mut head = Vec::new();
    let _ = file.rewind();
    let _ = file.take(200).read_to_end(&mut head);
    let head = String::from_utf8_lossy(&head);
    let mb = |n: u64| n as f64 / (1024.0 * 1024.0);
    Diagnostic::error(format!(
        "the file is {:.1} MB; a content file may be at most {:.0} MB",
        mb(len),
        mb(MAX_FILE_BYTES)
    ))
    .at(Location::at_offset(shown, &head, 0, 1))
    .label("the whole file is skipped")
    .help("split it into several pages (a section can hold them), or put large data in a file beside it, which is copied as is")
}

/// Splits and parses front matter. `_index.md` is a section, anything else a page.
pub fn parse_document(source: Arc<Source>) -> Result<Document, Vec<Diagnostic>> {
    let text = source.text();
    let text = &*text;
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
        Ok(Document::Section(Box::new(SectionDoc {
            source: source.clone(),
            front,
            yaml: parts.yaml,
            body_offset: parts.body_offset,
        })))
    } else {
        let front: PageFront = yaml::from_str_all(yaml_text).map_err(locate)?;
        if front.tags.len() > MAX_TAGS_PER_PAGE {
            return Err(vec![
                Diagnostic::error(format!(
                    "this page has {} tags; at most {MAX_TAGS_PER_PAGE} are allowed",
                    front.tags.len()
                ))
                .at(locate_key(&source, &parts.yaml, "tags"))
                .help("keep the few tags readers would browse by; every tag gets its own page and feed"),
            ]);
        }
        Ok(Document::Page(Arc::new(PageDoc {
            source: source.clone(),
            front,
            front_hash: crate::fingerprint::of(&text[parts.yaml.clone()]),
            yaml: parts.yaml,
            body_offset: parts.body_offset,
            site_path: Default::default(),
        })))
    }
}

/// The location of the top-level `key` of a document's front matter (`yaml` is where the
/// front matter is in the file), for errors found after parsing; the file's start when the
/// key is not there.
pub(crate) fn locate_key(source: &Source, yaml: &std::ops::Range<usize>, key: &str) -> Location {
    let text = source.text();
    let front = &text[yaml.clone()];
    let (at, len) = yaml::Locator::new(front)
        .key(&yaml::KeyPath::root().at(key))
        .map_or((0, key.len()), |span| (yaml.start + span.start, span.len()));
    Location::at_offset(&source.shown, &text, at, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rel: &str, text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse_document(Arc::new(Source::new(
            rel.into(),
            PathBuf::from("content").join(rel),
            text.into(),
        )))
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

    /// Regression (tests/it/adversarial.rs): 100,000 tags on one page ran out of memory.
    #[test]
    fn too_many_tags_are_refused_at_the_key() {
        let tags = |n: usize| {
            (0..n)
                .map(|i| format!("t{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ok = format!("---\ntitle: A\ntags: [{}]\n---\n", tags(MAX_TAGS_PER_PAGE));
        assert!(doc("a.md", &ok).is_ok());
        let many = format!(
            "---\ntitle: A\ntags: [{}]\n---\n",
            tags(MAX_TAGS_PER_PAGE + 1)
        );
        let e = doc("a.md", &many).unwrap_err();
        let at = e[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (3, 1), "{}", e[0]);
        assert!(e[0].message.contains("101 tags; at most 100"), "{}", e[0]);
    }

    /// Same class (issue #13): the key was looked for by searching back to the line start
    /// from every occurrence of its name, quadratic on a long line full of it.
    #[test]
    fn too_many_tags_named_tags_are_located_in_linear_time() {
        let many = format!(
            "---\ntitle: A\ntags: [{}]\n---\n",
            vec!["tags"; 200_000].join(", ")
        );
        let started = std::time::Instant::now();
        let e = doc("a.md", &many).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        let at = e[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (3, 1), "{}", e[0]);
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

    /// Regression (issue #13): a 100 MB Markdown file was read whole and peaked at 3 GB;
    /// past the limit the file is refused with an error at its first line.
    #[test]
    fn files_over_the_size_limit_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let mut text = "---\ntitle: Big\n---\n".to_string();
        let ok_len = MAX_FILE_BYTES as usize - text.len();
        text.push_str(&"x".repeat(ok_len));
        std::fs::write(&path, &text).unwrap();
        let source = read_source(&path, "big.md".into(), "content/big.md".into()).unwrap();
        assert_eq!(
            source.text().len() as u64,
            MAX_FILE_BYTES,
            "exactly the limit is read"
        );
        text.push('x');
        std::fs::write(&path, &text).unwrap();
        let e = read_source(&path, "big.md".into(), "content/big.md".into()).unwrap_err();
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (1, 1), "{}", e[0]);
        assert_eq!(loc.line_text, "---");
        assert_eq!(
            e[0].message,
            "the file is 10.0 MB; a content file may be at most 10 MB"
        );
        assert!(
            e[0].help.as_deref().unwrap().contains("split it"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn key_location_skips_values() {
        let source = Source::new(
            "a.md".into(),
            "content/a.md".into(),
            "---\ntitle: template\ntemplate: x.html\n---\n".into(),
        );
        let loc = locate_key(&source, &(4..36), "template");
        assert_eq!(loc.line, 3);
        // Only a top-level key counts: not one in `extra`, nor one in a comment.
        let text = "---\r\n# slug: no\r\nextra: {slug: no}\r\ntitle: Ü\r\n'slug': yes\r\n---\r\n";
        let source = Source::new("a.md".into(), "content/a.md".into(), text.into());
        let loc = locate_key(&source, &(5..text.len() - 5), "slug");
        assert_eq!((loc.line, loc.column, loc.width), (5, 1, 6));
    }
}
