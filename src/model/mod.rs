//! Stage 2: the site model, everything templates and feeds are computed from.
//!
//! Built once from the loaded documents: URLs, sections and their order, prev/next, tags.
//! Every list (section, tag, home, feed) is derived from this model, and any single page can
//! be re-rendered from it without the rest, which is what live preview builds on.

pub mod bodies;
pub mod slug;
pub mod tags;
pub mod urls;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::fields::SortBy;
use crate::load::{self, ContentFile, Loaded, PageDoc, SectionDoc};
use crate::markdown::Rendered;
use slug::slugify;
use tags::{Tag, collect_tags};

/// Which pages a build includes.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    pub now: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Page {
    pub doc: PageDoc,
    /// Site path without the base path: `/essays/foo/`.
    pub path: String,
    /// The section that lists this page.
    pub section: usize,
    pub tags: Vec<usize>,
    /// Chronologically previous (older) in date-sorted sections, else the one before.
    pub prev: Option<usize>,
    pub next: Option<usize>,
    pub body: Option<Rendered>,
    /// Set when the page is a worksheet that rendered.
    pub worksheet: Option<crate::worksheet::Worksheet>,
}

#[derive(Debug)]
pub struct Section {
    /// `None` for a home page the site does not define (its title is the site's).
    pub doc: Option<SectionDoc>,
    pub title: String,
    /// Folder relative to content/: `essays`, or `` for the home page.
    pub rel_dir: String,
    pub path: String,
    pub sort_by: SortBy,
    /// Pages in display order.
    pub pages: Vec<usize>,
    pub parent: Option<usize>,
    pub subsections: Vec<usize>,
    pub body: Option<Rendered>,
}

/// What a content path (`essays/foo.md`) became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(usize),
    Section(usize),
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub selection: Selection,
    pub pages: Vec<Page>,
    /// Index 0 is always the home page.
    pub sections: Vec<Section>,
    pub tags: Vec<Tag>,
    /// Non-Markdown files in content/, copied beside their pages.
    pub files: Vec<ContentFile>,
    /// The site's static/ folder, copied to the output root as is.
    pub statics: Vec<ContentFile>,
    pub by_source: HashMap<String, Target>,
    /// Content-relative paths of `files`, for resolving relative image and file links.
    file_paths: std::collections::HashSet<String>,
    /// Alias site paths and the page each redirects to.
    pub aliases: Vec<(String, usize)>,
}

impl Site {
    /// Dated pages, newest first: the home page's "latest" list and the feeds.
    pub fn dated_pages(&self) -> Vec<usize> {
        let mut dated: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].doc.front.date.is_some())
            .collect();
        dated.sort_by(|&a, &b| newest_first(&self.pages[a], &self.pages[b]));
        dated
    }

    pub fn page_url(&self, page: usize) -> String {
        self.config.urls.path(&self.pages[page].path)
    }

    /// The URL path of a content file (`essays/pic.png`), if there is such a file.
    pub fn content_file_url(&self, rel: &str) -> Option<String> {
        self.file_paths
            .contains(rel)
            .then(|| self.config.urls.path(&encode_path(&content_file_path(rel))))
    }
}

/// Where a content file goes in the output: its folder slugified like page URLs, its name
/// kept (`My Essays/pic 1.png` → `my-essays/pic 1.png`).
pub fn content_file_path(rel: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let mut path = dir_path(dir).trim_start_matches('/').to_string();
    path.push_str(name);
    path
}

/// Percent-encodes what may not stand in a URL path (spaces, quotes, non-ASCII).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Assembles the model. Errors (duplicate URLs, missing dates, bad aliases) are collected;
/// the model is still returned so later stages can report their own problems too.
pub fn assemble(config: Config, loaded: Loaded, selection: Selection) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut sections = build_sections(&config, loaded.sections, &mut diagnostics);
    let docs: Vec<PageDoc> = loaded
        .pages
        .into_iter()
        .filter(|p| is_selected(p, &selection))
        .collect();
    let mut pages = Vec::with_capacity(docs.len());
    for doc in docs {
        match page_path(&doc) {
            Ok(path) => {
                let section = owning_section(&sections, parent_dir(&doc.source.rel));
                pages.push(Page {
                    doc,
                    path,
                    section,
                    tags: Vec::new(),
                    prev: None,
                    next: None,
                    body: None,
                    worksheet: None,
                });
            }
            Err(d) => diagnostics.push(d),
        }
    }
    check_unique_paths(&pages, &sections, &mut diagnostics);
    order_sections(&mut sections, &mut pages, &mut diagnostics);

    let mut dated: Vec<usize> = (0..pages.len()).collect();
    dated.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
    let tagged = dated.iter().flat_map(|&i| {
        pages[i]
            .doc
            .front
            .tags
            .iter()
            .map(move |t| (i, t.0.as_str()))
    });
    let tags = collect_tags(tagged);
    for (t, tag) in tags.iter().enumerate() {
        for &p in &tag.pages {
            pages[p].tags.push(t);
        }
    }

    let mut by_source = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        by_source.insert(p.doc.source.rel.clone(), Target::Page(i));
    }
    for (i, s) in sections.iter().enumerate() {
        if let Some(doc) = &s.doc {
            by_source.insert(doc.source.rel.clone(), Target::Section(i));
        }
    }
    let aliases = collect_aliases(&pages, &sections, &mut diagnostics);
    let file_paths = loaded.files.iter().map(|f| f.rel.clone()).collect();
    let site = Site {
        config,
        selection,
        pages,
        sections,
        tags,
        files: loaded.files,
        statics: loaded.statics,
        by_source,
        file_paths,
        aliases,
    };
    (site, diagnostics)
}

fn is_selected(page: &PageDoc, selection: &Selection) -> bool {
    let front = &page.front;
    let draft_ok = !front.draft || selection.drafts;
    let date_ok = selection.future || front.date.is_none_or(|d| !d.is_after(selection.now));
    draft_ok && date_ok
}

fn newest_first(a: &Page, b: &Page) -> std::cmp::Ordering {
    let date = |p: &Page| p.doc.front.date.map(|d| d.at);
    date(b)
        .cmp(&date(a))
        .then_with(|| a.doc.front.title.0.cmp(&b.doc.front.title.0))
        .then_with(|| a.path.cmp(&b.path))
}

fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// `/essays/` for a folder `essays`; every segment slugified so paths are always safe.
fn dir_path(rel_dir: &str) -> String {
    let mut path = String::from("/");
    for segment in rel_dir.split('/').filter(|s| !s.is_empty()) {
        path.push_str(&slugify(segment));
        path.push('/');
    }
    path
}

fn page_path(doc: &PageDoc) -> Result<String, Diagnostic> {
    let rel = &doc.source.rel;
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let slug = match &doc.front.slug {
        Some(slug) => slug.0.clone(),
        None => slugify(stem),
    };
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make a URL from the file name `{stem}.md`"))
                .at(Location::file_only(&doc.source.shown))
                .help("add `slug: some-name` to the front matter"),
        );
    }
    Ok(format!("{}{}/", dir_path(parent_dir(rel)), slug))
}

fn build_sections(
    config: &Config,
    docs: Vec<SectionDoc>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut by_dir: BTreeMap<String, SectionDoc> = BTreeMap::new();
    for doc in docs {
        let dir = parent_dir(&doc.source.rel).to_string();
        by_dir.insert(dir, doc);
    }
    let home = by_dir.remove("");
    let mut sections = vec![Section {
        title: home
            .as_ref()
            .map_or_else(|| config.title.clone(), |d| d.front.title.0.clone()),
        sort_by: home
            .as_ref()
            .and_then(|d| d.front.sort_by)
            .unwrap_or(SortBy::Weight),
        doc: home,
        rel_dir: String::new(),
        path: "/".into(),
        pages: Vec::new(),
        parent: None,
        subsections: Vec::new(),
        body: None,
    }];
    for (dir, doc) in by_dir {
        let path = dir_path(&dir);
        if path == "/" {
            diagnostics.push(
                Diagnostic::error("cannot make a URL from this folder name")
                    .at(Location::file_only(&doc.source.shown))
                    .help("rename the folder using letters or digits"),
            );
            continue;
        }
        sections.push(Section {
            title: doc.front.title.0.clone(),
            sort_by: doc.front.sort_by.unwrap_or(SortBy::Date),
            doc: Some(doc),
            rel_dir: dir,
            path,
            pages: Vec::new(),
            parent: None,
            subsections: Vec::new(),
            body: None,
        });
    }
    for i in 1..sections.len() {
        let parent = owning_section(&sections, parent_dir(&sections[i].rel_dir));
        sections[i].parent = Some(parent);
        sections[parent].subsections.push(i);
    }
    sections
}

/// The nearest section at or above `dir`.
fn owning_section(sections: &[Section], dir: &str) -> usize {
    let mut dir = dir;
    loop {
        if let Some(i) = sections.iter().position(|s| s.rel_dir == dir) {
            return i;
        }
        if dir.is_empty() {
            return 0;
        }
        dir = parent_dir(dir);
    }
}

/// Two documents may not share a URL. The error points at the `slug:` that caused the
/// clash when there is one, else at the start of the later file.
fn check_unique_paths(pages: &[Page], sections: &[Section], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Option<&Page>> = HashMap::new();
    let mut shown: HashMap<&str, &std::path::Path> = HashMap::new();
    for s in sections {
        if let Some(doc) = &s.doc {
            seen.insert(&s.path, None);
            shown.insert(&s.path, &doc.source.shown);
        }
    }
    for p in pages {
        let Some(first) = seen.insert(&p.path, Some(p)) else {
            shown.insert(&p.path, &p.doc.source.shown);
            continue;
        };
        let first_shown = shown.get(p.path.as_str()).copied();
        let (blamed, other) = match first {
            Some(first) if first.doc.front.slug.is_some() && p.doc.front.slug.is_none() => {
                (first, Some(p.doc.source.shown.as_path()))
            }
            _ => (p, first_shown),
        };
        let location = match blamed.doc.front.slug {
            Some(_) => load::locate_key(&blamed.doc.source, &blamed.doc.yaml, "slug"),
            None => Location::at_offset(&blamed.doc.source.shown, &blamed.doc.source.text, 0, 3),
        };
        let other = other.map(|o| o.display().to_string()).unwrap_or_default();
        diagnostics.push(
            Diagnostic::error(format!("two pages have the URL `{}`", p.path))
                .at(location)
                .label(format!("also the URL of {other}"))
                .help("give one of them a different file name or `slug:` (file names differing only in case or punctuation make the same URL)"),
        );
    }
}

fn order_sections(sections: &mut [Section], pages: &mut [Page], diagnostics: &mut Vec<Diagnostic>) {
    for (i, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(i);
    }
    for section in sections.iter_mut() {
        let sort_by = section.sort_by;
        if sort_by == SortBy::Date {
            for &i in &section.pages {
                let doc = &pages[i].doc;
                if doc.front.date.is_none() {
                    let index = section
                        .doc
                        .as_ref()
                        .map_or("content/_index.md".into(), |d| {
                            d.source.shown.display().to_string()
                        });
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "this page has no date, but its section `{}` is sorted by date",
                            section.title
                        ))
                        .at(load::locate_key(&doc.source, &doc.yaml, "title"))
                        .help(format!(
                            "add `date: 2025-03-01` here, or set `sort_by: weight` in {index}"
                        )),
                    );
                }
            }
        }
        let by_title = |a: &Page, b: &Page| {
            a.doc
                .front
                .title
                .0
                .to_lowercase()
                .cmp(&b.doc.front.title.0.to_lowercase())
        };
        section.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            match sort_by {
                SortBy::Date => newest_first(pa, pb),
                SortBy::Weight => pa
                    .doc
                    .front
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pb.doc.front.weight.unwrap_or(i64::MAX))
                    .then_with(|| by_title(pa, pb)),
                SortBy::Title => by_title(pa, pb).then_with(|| pa.path.cmp(&pb.path)),
            }
        });
        let order = &section.pages;
        for (pos, &i) in order.iter().enumerate() {
            let before = pos.checked_sub(1).map(|p| order[p]);
            let after = order.get(pos + 1).copied();
            let (prev, next) = if sort_by == SortBy::Date {
                (after, before)
            } else {
                (before, after)
            };
            pages[i].prev = prev;
            pages[i].next = next;
        }
    }
    let weights: Vec<(i64, String)> = sections
        .iter()
        .map(|s| {
            (
                s.doc
                    .as_ref()
                    .and_then(|d| d.front.weight)
                    .unwrap_or(i64::MAX),
                s.title.to_lowercase(),
            )
        })
        .collect();
    for section in sections.iter_mut() {
        section
            .subsections
            .sort_by(|&a, &b| weights[a].cmp(&weights[b]));
    }
}

/// Validates `aliases:` and returns (site path, page) pairs. An alias is a site path like
/// `/old/url/` or `/old.html`; it may not climb out of the site or shadow a real page.
fn collect_aliases(
    pages: &[Page],
    sections: &[Section],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, usize)> {
    let mut taken: HashMap<String, String> = sections
        .iter()
        .map(|s| (s.path.clone(), s.title.clone()))
        .collect();
    taken.extend(
        pages
            .iter()
            .map(|p| (p.path.clone(), p.doc.front.title.0.clone())),
    );
    let mut aliases = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for alias in &page.doc.front.aliases {
            let location = || load::locate_key(&page.doc.source, &page.doc.yaml, "aliases");
            let Some(path) = normalize_alias(alias) else {
                diagnostics.push(
                    Diagnostic::error(format!("invalid alias `{alias}`"))
                        .at(location())
                        .help("write an old site path such as `/old/url/` or `/old-page.html`: letters, digits, `-`, `_`, `.`, no `..`"),
                );
                continue;
            };
            if let Some(owner) = taken.insert(path.clone(), page.doc.front.title.0.clone()) {
                diagnostics.push(
                    Diagnostic::error(format!("alias `{alias}` is already the URL of `{owner}`"))
                        .at(location())
                        .help("remove the alias or pick another path"),
                );
                continue;
            }
            aliases.push((path, i));
        }
    }
    aliases
}

fn normalize_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    let ok_segment = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    };
    if !trimmed.split('/').all(ok_segment) {
        return None;
    }
    Some(if trimmed.ends_with(".html") {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_confined() {
        assert_eq!(normalize_alias("/old/url"), Some("/old/url/".into()));
        assert_eq!(normalize_alias("old.html"), Some("/old.html".into()));
        assert_eq!(normalize_alias("/../etc/"), None);
        assert_eq!(normalize_alias("/"), None);
        assert_eq!(normalize_alias("/a b/"), None);
    }

    #[test]
    fn content_files_keep_their_names_in_slugified_folders() {
        assert_eq!(
            content_file_path("My Essays/pic 1.png"),
            "my-essays/pic 1.png"
        );
        assert_eq!(content_file_path("a.png"), "a.png");
        assert_eq!(encode_path("my-essays/pic 1.png"), "my-essays/pic%201.png");
        assert_eq!(encode_path("é"), "%C3%A9");
    }

    #[test]
    fn folder_names_become_safe_paths() {
        assert_eq!(dir_path("My Essays/Ünï"), "/my-essays/uni/");
        assert_eq!(dir_path(""), "/");
    }
}
