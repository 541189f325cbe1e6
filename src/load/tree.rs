//! The content folder as last read, one entry per file, so the live preview re-reads only the
//! files that changed. A clean build is a [`ContentTree::scan`]; the preview then applies the
//! watcher's paths with [`ContentTree::refresh`]. Both use the same walk and the same per-file
//! reader, which is what makes an incremental rebuild equal to a clean one.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::paths::{escaped, link_out_of, relative_name, resolves_inside};
use super::{
    CONTENT_DIR, ContentFile, Document, Loaded, PACK_SOURCES_FROM, PageDoc, is_ignored,
    parse_document, read_source, shown_path,
};
use crate::diagnostic::{Diagnostic, Location};

/// A path relative to `content/`, ordered folder by folder like a sorted walk (`a/x.md`
/// before `a-b.md`), so pages come out in the same order however they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RelPath(String);

impl Ord for RelPath {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.split('/').cmp(other.0.split('/'))
    }
}

impl PartialOrd for RelPath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What one path in `content/` holds.
#[derive(Debug, Clone)]
enum Entry {
    Markdown(Result<Document, Vec<Diagnostic>>),
    File(ContentFile),
    /// It could not be read (or is a link out of the folder).
    Problem(Diagnostic),
}

/// What [`ContentTree::refresh`] found.
#[derive(Debug, Default)]
pub(crate) struct Refreshed {
    /// Markdown files that were there before and still are (edited in place or replaced).
    pub edited: Vec<String>,
    /// Something came, went or changed kind: the site's shape may differ.
    pub structural: bool,
}

#[derive(Debug)]
pub(crate) struct ContentTree {
    root: PathBuf,
    entries: BTreeMap<RelPath, Entry>,
    /// From how many Markdown files on the sources are held packed ([`PACK_SOURCES_FROM`];
    /// lower in tests).
    pack_from: usize,
}

impl ContentTree {
    /// Reads every file under `root/content`, Markdown in parallel.
    pub(crate) fn scan(root: &Path) -> ContentTree {
        Self::scan_packing_from(root, PACK_SOURCES_FROM)
    }

    fn scan_packing_from(root: &Path, pack_from: usize) -> ContentTree {
        let mut tree = ContentTree {
            root: root.to_path_buf(),
            entries: BTreeMap::new(),
            pack_from,
        };
        let content = root.join(CONTENT_DIR);
        if !content.is_dir() {
            tree.entries.insert(
                RelPath(String::new()),
                Entry::Problem(
                    Diagnostic::error("there is no content/ folder")
                        .at(Location::file_only(CONTENT_DIR))
                        .help("create content/_index.md (the home page), or run `sheaf init`"),
                ),
            );
            return tree;
        }
        if let Err(d) = super::paths::source_folder(root, &content) {
            tree.entries
                .insert(RelPath(String::new()), Entry::Problem(d));
            return tree;
        }
        tree.read_folder(&content);
        tree
    }

    /// Brings the tree up to date with `paths` (absolute, as the watcher reports them):
    /// changed files are re-read, deleted ones dropped, new folders walked.
    pub(crate) fn refresh(&mut self, paths: &[PathBuf]) -> Refreshed {
        let content = self.root.join(CONTENT_DIR);
        let canonical = content.canonicalize().unwrap_or_else(|_| content.clone());
        let mut refreshed = Refreshed::default();
        for path in paths {
            let Ok(inside) = path
                .strip_prefix(&canonical)
                .or_else(|_| path.strip_prefix(&content))
            else {
                continue;
            };
            let Some(rel) = inside.to_str().map(|r| r.replace('\\', "/")) else {
                // A name that is not UTF-8 (rare): read everything again, which reports it.
                *self = ContentTree::scan_packing_from(&self.root, self.pack_from);
                return Refreshed {
                    edited: Vec::new(),
                    structural: true,
                };
            };
            if rel.is_empty() || !content.is_dir() {
                // The folder itself came or went: read it all again.
                *self = ContentTree::scan_packing_from(&self.root, self.pack_from);
                return Refreshed {
                    edited: Vec::new(),
                    structural: true,
                };
            }
            if rel.split('/').any(|c| is_ignored(c.as_ref())) {
                continue;
            }
            let key = RelPath(rel.clone());
            let was_file = matches!(self.entries.get(&key), Some(Entry::Markdown(_)));
            let below = self.remove_below(&rel);
            let before = self.entries.remove(&key).is_some() || below;
            // Whatever the path is now: a folder (walked), a file (read) or gone (dropped).
            let here = content.join(&rel);
            if here.is_dir() {
                self.read_folder(&here);
                refreshed.structural = true;
            } else if here.symlink_metadata().is_ok() {
                self.read_paths(vec![(rel.clone(), here)]);
                let is_file = matches!(self.entries.get(&key), Some(Entry::Markdown(_)));
                if was_file && is_file {
                    refreshed.edited.push(rel);
                } else {
                    refreshed.structural = true;
                }
            } else if before {
                refreshed.structural = true;
            }
        }
        refreshed.edited.sort();
        refreshed.edited.dedup();
        refreshed
    }

    /// Drops every entry inside the folder `rel`; whether there was any.
    fn remove_below(&mut self, rel: &str) -> bool {
        let prefix = format!("{rel}/");
        let inside: Vec<RelPath> = self
            .entries
            .range(RelPath(rel.to_string())..)
            .map(|(k, _)| k)
            .skip_while(|k| k.0 == rel)
            .take_while(|k| k.0.starts_with(&prefix))
            .cloned()
            .collect();
        for key in &inside {
            self.entries.remove(key);
        }
        !inside.is_empty()
    }

    /// The page that `rel` holds now, if it is one that parsed.
    pub(crate) fn page(&self, rel: &str) -> Option<&Arc<PageDoc>> {
        match self.entries.get(&RelPath(rel.to_string())) {
            Some(Entry::Markdown(Ok(Document::Page(page)))) => Some(page),
            _ => None,
        }
    }

    /// Everything that loaded, in walk order, and every problem found.
    pub(crate) fn loaded(&self) -> (Loaded, Vec<Diagnostic>) {
        let mut loaded = Loaded::default();
        let mut diagnostics = Vec::new();
        for entry in self.entries.values() {
            match entry {
                Entry::Markdown(Ok(Document::Page(page))) => loaded.pages.push(page.clone()),
                Entry::Markdown(Ok(Document::Section(section))) => {
                    loaded.sections.push(super::SectionDoc::clone(section))
                }
                Entry::Markdown(Err(errors)) => diagnostics.extend(errors.iter().cloned()),
                Entry::File(file) => loaded.files.push(file.clone()),
                Entry::Problem(d) => diagnostics.push(d.clone()),
            }
        }
        loaded.statics = super::statics::load_static(&self.root, &mut diagnostics);
        (loaded, diagnostics)
    }

    /// Walks `dir` (inside `content/`) and reads what it finds. A link out of `content/`
    /// is reported and not entered; a name that is not UTF-8 is reported and skipped (with
    /// everything under it, for a folder).
    fn read_folder(&mut self, dir: &Path) {
        let content = self.root.join(CONTENT_DIR);
        let canonical_content = content.canonicalize().unwrap_or_else(|_| content.clone());
        let mut walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
        let mut files = Vec::new();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(dir).to_path_buf();
                    let what = if err.loop_ancestor().is_some() {
                        "a symbolic link loops back to a folder above it".to_string()
                    } else {
                        format!("cannot read: {err}")
                    };
                    let d = Diagnostic::error(what)
                        .at(Location::file_only(shown_path(&self.root, &path)))
                        .help("fix the permissions or remove the link; the file is skipped");
                    self.insert_problem(&content, &path, d);
                    continue;
                }
            };
            let skip = |walker: &mut walkdir::FilterEntry<_, _>| {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            };
            if entry.path_is_symlink() && !resolves_inside(entry.path(), &canonical_content) {
                let d = link_out_of(&self.root, entry.path(), CONTENT_DIR);
                self.insert_problem(&content, entry.path(), d);
                skip(&mut walker);
                continue;
            }
            let rel = match relative_name(&self.root, &content, entry.path()) {
                Ok(rel) => rel,
                Err(d) => {
                    self.insert_problem(&content, entry.path(), d);
                    skip(&mut walker);
                    continue;
                }
            };
            if entry.file_type().is_file() {
                files.push((rel, entry.path().to_path_buf()));
            }
        }
        self.read_paths(files);
    }

    /// Reads files (Markdown parsed in parallel) into the tree; packs their text when the
    /// tree is that large (see [`PACK_SOURCES_FROM`]).
    fn read_paths(&mut self, files: Vec<(String, PathBuf)>) {
        let markdown = |rel: &str| rel.ends_with(".md");
        let held = self
            .entries
            .values()
            .filter(|e| matches!(e, Entry::Markdown(_)))
            .count();
        let pack = held + files.iter().filter(|(rel, _)| markdown(rel)).count() >= self.pack_from;
        let content = self.root.join(CONTENT_DIR);
        let canonical_content = content.canonicalize().unwrap_or_else(|_| content.clone());
        let root = &self.root;
        let read: Vec<(String, Entry)> = files
            .into_par_iter()
            .filter_map(|(rel, path)| {
                let is_link = path
                    .symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_symlink());
                let entry = if is_link && !resolves_inside(&path, &canonical_content) {
                    Entry::Problem(link_out_of(root, &path, CONTENT_DIR))
                } else if path.is_dir() {
                    // A link to a folder met as a single path: nothing to read here.
                    return None;
                } else if markdown(&rel) {
                    let shown = shown_path(root, &path);
                    let source = read_source(&path, rel.clone(), shown)
                        .map(|s| if pack { s.packed() } else { s });
                    Entry::Markdown(source.and_then(|s| parse_document(Arc::new(s))))
                } else {
                    Entry::File(ContentFile {
                        rel: rel.clone(),
                        path,
                    })
                };
                Some((rel, entry))
            })
            .collect();
        for (rel, entry) in read {
            self.entries.insert(RelPath(rel), entry);
        }
    }

    fn insert_problem(&mut self, content: &Path, path: &Path, d: Diagnostic) {
        // Escaped, not lossy: two names that are not UTF-8 keep one problem each.
        let rel = path
            .strip_prefix(content)
            .map(|r| escaped(r.as_os_str()).replace('\\', "/"))
            .unwrap_or_default();
        self.entries.insert(RelPath(rel), Entry::Problem(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_folder_by_folder() {
        let mut v = [
            RelPath("a-b.md".into()),
            RelPath("a/x.md".into()),
            RelPath("_index.md".into()),
            RelPath("a/_index.md".into()),
        ];
        v.sort();
        let names: Vec<&str> = v.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["_index.md", "a/_index.md", "a/x.md", "a-b.md"]);
    }

    /// A site folder whose `content/` holds a home page with `home` and an empty `essays/`.
    fn site(home: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("essays")).unwrap();
        std::fs::write(content.join("_index.md"), home).unwrap();
        (dir, content)
    }

    #[test]
    fn refresh_follows_edits_adds_and_deletes() {
        let (dir, content) = site("---\ntitle: Home\n---\n");
        let root = dir.path();
        std::fs::write(content.join("essays/a.md"), "---\ntitle: A\n---\n").unwrap();
        let mut tree = ContentTree::scan(root);
        assert_eq!(tree.loaded().0.pages.len(), 1);

        std::fs::write(content.join("essays/a.md"), "---\ntitle: A2\n---\n").unwrap();
        std::fs::create_dir_all(content.join("notes/deep")).unwrap();
        std::fs::write(content.join("notes/deep/b.md"), "---\ntitle: B\n---\n").unwrap();
        std::fs::write(content.join("essays/.a.md.swp"), "junk").unwrap();
        let refreshed = tree.refresh(&[
            content.join("essays/a.md"),
            content.join("notes"),
            content.join("essays/.a.md.swp"),
        ]);
        assert_eq!(refreshed.edited, ["essays/a.md"]);
        assert!(refreshed.structural, "a new folder");
        std::fs::write(content.join("essays/a.md"), "---\ntitle: A3\n---\n").unwrap();
        let refreshed = tree.refresh(&[content.join("essays/a.md")]);
        assert_eq!(refreshed.edited, ["essays/a.md"]);
        assert!(!refreshed.structural, "an edit in place");
        std::fs::write(content.join("essays/a.md"), "---\ntitle: A2\n---\n").unwrap();
        tree.refresh(&[content.join("essays/a.md")]);
        let (loaded, errors) = tree.loaded();
        assert!(errors.is_empty());
        let titles: Vec<&str> = loaded
            .pages
            .iter()
            .map(|p| p.front.title.0.as_str())
            .collect();
        assert_eq!(titles, ["A2", "B"]);

        std::fs::remove_dir_all(content.join("notes")).unwrap();
        let refreshed = tree.refresh(&[content.join("notes/deep/b.md"), content.join("notes")]);
        assert!(refreshed.structural, "a deleted folder");
        assert_eq!(tree.loaded().0.pages.len(), 1);
        let clean = ContentTree::scan(root);
        assert_eq!(clean.entries.len(), tree.entries.len());
    }

    /// A tree as large as `PACK_SOURCES_FROM` holds its sources packed, files read later
    /// too, and every reader gets the same text, ranges and front matter as from a small
    /// tree's plain sources.
    #[test]
    fn a_large_trees_sources_are_packed_and_read_the_same() {
        let (dir, content) = site("---\ntitle: Home\n---\nWelcome home.\n");
        let root = dir.path();
        let essay = |n: usize| {
            let para = format!("A paragraph about connection number {n}, long enough to pack. ");
            format!(
                "---\ntitle: Essay {n}\ntags: [a, b]\n---\n\n## Why ü\n\n{}\n",
                para.repeat(12)
            )
        };
        for n in 0..3 {
            std::fs::write(content.join(format!("essays/e{n}.md")), essay(n)).unwrap();
        }
        let plain = ContentTree::scan_packing_from(root, usize::MAX);
        let mut packed = ContentTree::scan_packing_from(root, 4);
        std::fs::write(content.join("essays/e3.md"), essay(3)).unwrap();
        packed.refresh(&[content.join("essays/e3.md")]);
        let mut plain_after = plain;
        plain_after.refresh(&[content.join("essays/e3.md")]);

        let (a, b) = (plain_after.loaded().0, packed.loaded().0);
        assert_eq!(a.pages.len(), 4);
        for (x, y) in a.pages.iter().zip(&b.pages) {
            assert!(!x.source.is_packed());
            assert!(y.source.is_packed(), "{} is held plain", y.source.rel);
            assert_eq!(x.source.text(), y.source.text());
            assert_eq!(x.source.hash, y.source.hash);
            assert_eq!(
                (&x.yaml, x.body_offset, x.front_hash),
                (&y.yaml, y.body_offset, y.front_hash)
            );
            assert_eq!(format!("{:?}", x.front), format!("{:?}", y.front));
        }
        let (x, y) = (&a.sections[0], &b.sections[0]);
        assert_eq!(x.source.text(), y.source.text());
    }
}
