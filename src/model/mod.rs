//! Stage 2: the site model, everything templates and feeds are computed from.
//!
//! Built once from the loaded documents: URLs, sections and their order, prev/next, tags.
//! Every list (section, tag, home, feed) is derived from this model, and any single page can
//! be re-rendered from it without the rest, which is what live preview builds on.

mod aliases;
pub(crate) use aliases::locate_alias;
mod anchors;
pub(crate) mod bodies;
mod body_cache;
mod images;
pub(crate) mod link_table;
mod lookups;
mod nav;
pub(crate) mod pagination;
pub(crate) mod related;
mod resolver;
mod site_paths;
pub(crate) use images::{GivenImage, Origin, SiteImage};
pub(crate) use nav::{NavHref, NavLink};
mod sections;
pub(crate) mod series;
mod slugs;
pub(crate) mod tags;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::fields::SortBy;
use crate::load::{self, ContentFile, Loaded, PageDoc, SectionDoc};
use crate::markdown::Rendered;
use crate::slug::{self, slugify};
use aliases::collect_aliases;
use sections::{build_sections, order_sections, owning_section};
use series::{PartKey, Series, collect_series};
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
    pub doc: Arc<PageDoc>,
    /// Site path without the base path: `/essays/foo/`.
    pub path: String,
    /// The section that lists this page.
    pub section: usize,
    pub tags: Vec<usize>,
    /// The series the page is a part of (an index into the site's series).
    pub series: Option<usize>,
    /// Chronologically previous (older) in date-sorted sections, else the one before.
    pub prev: Option<usize>,
    pub next: Option<usize>,
    pub body: Option<Arc<Rendered>>,
    /// Set when the page is a worksheet that rendered.
    pub worksheet: Option<Arc<crate::worksheet::Worksheet>>,
    /// The page's own `image:`, resolved (see `images::resolve_page_images`).
    pub image: Option<images::GivenImage>,
    /// Changes whenever `body` was rendered anew (see `bodies::BodyCache`), so outputs
    /// can tell a reused body from a fresh one without comparing HTML.
    pub body_version: u64,
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
    pub body: Option<Arc<Rendered>>,
    pub body_version: u64,
    /// Entries per list page (`paginate_by` of its `_index.md`, else the site's; `0`: one
    /// page). The home page's list is the latest pages.
    pub paginate_by: usize,
}

/// What a content path (`essays/foo.md`) became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(usize),
    Section(usize),
}

/// The whole site as the model sees it: config, pages, sections, tags and aliases, with
/// every URL decided.
#[derive(Debug)]
pub struct Site {
    /// The site settings as loaded.
    pub config: Config,
    /// Which pages were left out (drafts, future dates).
    pub selection: Selection,
    /// Published pages, in source order.
    pub pages: Vec<Page>,
    /// Index 0 is always the home page.
    pub sections: Vec<Section>,
    /// Tags, each with the pages that carry it.
    pub tags: Vec<Tag>,
    /// Series, each with its parts in order.
    pub series: Vec<Series>,
    /// Non-Markdown files in content/, copied beside their pages.
    pub files: Vec<ContentFile>,
    /// The site's static/ folder, copied to the output root as is.
    pub statics: Vec<ContentFile>,
    /// What each source file became, by its path under `content/`.
    pub by_source: HashMap<String, Target>,
    /// Content-relative paths of `files`, for resolving relative image and file links.
    file_paths: std::collections::HashSet<String>,
    /// Alias site paths and the page each redirects to.
    pub aliases: Vec<(String, Target)>,
    /// Pages with a date, newest first.
    dated: Vec<usize>,
    /// Pages left out for being dated in the future (they appear once their time comes).
    scheduled: Vec<Arc<PageDoc>>,
    /// Pages left out of this build (drafts, future-dated) by source path, with why.
    left_out: HashMap<String, crate::markdown::Missing>,
    /// Pages and sections by site path, built when first asked for (the live preview's
    /// open pages); paths never change in a model, even a patched one.
    by_path: std::sync::OnceLock<HashMap<String, Target>>,
    /// Every image file of `content/` and `static/`, probed.
    pub images: Vec<images::SiteImage>,
    /// `images` by site path.
    image_index: HashMap<String, usize>,
    /// Every path of the built site a link may name, built when first asked for.
    pub(super) site_paths: std::sync::OnceLock<site_paths::SitePaths>,
    /// The navigation: `menu:` resolved, or the top-level sections.
    pub nav: Vec<NavLink>,
    /// Each page's related reading, made when first asked for (`related.rs`); kept by
    /// `patch`, since tags, dates and titles are front matter.
    related: related::Related,
    /// What page links are answered from, made when first asked for (`link_table.rs`);
    /// paths never change in a model, even a patched one.
    link_table: std::sync::OnceLock<Arc<link_table::LinkTable>>,
}

impl Site {
    /// Dated pages, newest first: the home page's "latest" list and the feeds.
    pub fn dated_pages(&self) -> &[usize] {
        &self.dated
    }

    /// What the page links of bodies are answered from (made once per model).
    pub(crate) fn link_table(&self) -> &Arc<link_table::LinkTable> {
        self.link_table
            .get_or_init(|| Arc::new(link_table::LinkTable::of(self)))
    }

    /// Page `p`'s related reading, best first (see `related.rs`): empty when it shares no
    /// tag with another page or `related:` is off.
    pub fn related(&self, p: usize) -> &[usize] {
        self.related.of(self, p)
    }

    /// How many pages this selection left out: drafts, and pages dated in the future
    /// (not drafts), for the build's summary line.
    pub fn left_out(&self) -> (usize, usize) {
        let drafts = self
            .left_out
            .values()
            .filter(|why| matches!(why, crate::markdown::Missing::Draft))
            .count();
        (drafts, self.left_out.len() - drafts)
    }

    /// The size and copies of the image at `site_path` (decoded), if it is one.
    pub fn image_ref(&self, site_path: &str) -> Option<crate::markdown::ImageRef> {
        let image = &self.images[*self.image_index.get(site_path)?];
        Some(image.reference(|path| self.config.urls.path(&encode_path(path))))
    }

    /// The page or section at a site path (`/essays/foo/`).
    pub fn target_at(&self, site_path: &str) -> Option<Target> {
        let index = self.by_path.get_or_init(|| {
            let pages = self.pages.iter().enumerate();
            let sections = self.sections.iter().enumerate();
            pages
                .map(|(i, p)| (p.path.clone(), Target::Page(i)))
                .chain(sections.map(|(s, sec)| (sec.path.clone(), Target::Section(s))))
                .collect()
        });
        index.get(site_path).copied()
    }

    /// The URL of page `page`, under the base path.
    pub fn page_url(&self, page: usize) -> String {
        self.config.urls.path(&self.pages[page].path)
    }

    /// Why no page has the source path `rel` (`essays/foo.md`): left out of this build,
    /// failed to load (its file is there), or no such file (with the closest page's path).
    pub fn missing_page(&self, rel: &str) -> crate::markdown::Missing {
        use crate::markdown::Missing;
        if let Some(why) = self.left_out.get(rel) {
            return why.clone();
        }
        if rel.ends_with(".md") && self.config.content_root.join(rel).is_file() {
            return Missing::HasErrors;
        }
        let hint = crate::diagnostic::did_you_mean(rel, self.by_source.keys().map(String::as_str));
        Missing::NoSuchPage {
            did_you_mean: hint.map(str::to_string),
        }
    }

    /// The URL path of a content file (`essays/pic.png`), if there is such a file.
    pub fn content_file_url(&self, rel: &str) -> Option<String> {
        self.file_paths
            .contains(rel)
            .then(|| self.config.urls.path(&encode_path(&content_file_path(rel))))
    }
}

/// What related reading is scored from: the model's pages, tags and dates.
impl related::Corpus for Site {
    fn pages(&self) -> usize {
        self.pages.len()
    }

    fn tags_of(&self, p: usize) -> &[usize] {
        &self.pages[p].tags
    }

    fn pages_of(&self, t: usize) -> &[usize] {
        &self.tags[t].pages
    }

    fn date(&self, p: usize) -> Option<i64> {
        self.pages[p].doc.front.date.map(|d| d.at.timestamp())
    }

    fn title(&self, p: usize) -> &str {
        &self.pages[p].doc.front.title.0
    }

    fn path(&self, p: usize) -> &str {
        &self.pages[p].path
    }

    fn date_range(&self) -> Option<(i64, i64)> {
        let (newest, oldest) = (self.dated.first()?, self.dated.last()?);
        Some((self.date(*oldest)?, self.date(*newest)?))
    }
}

/// Where a content file goes in the output: its folder slugified like page URLs, its name
/// kept (`My Essays/pic 1.png` → `my-essays/pic 1.png`).
pub(crate) fn content_file_path(rel: &str) -> String {
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
pub(crate) fn assemble(
    config: Config,
    loaded: Loaded,
    selection: Selection,
) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut sections = build_sections(&config, loaded.sections, &mut diagnostics);
    let (docs, left_out): (Vec<Arc<PageDoc>>, Vec<Arc<PageDoc>>) = loaded
        .pages
        .into_iter()
        .partition(|p| is_selected(p, &selection));
    let left_out_why = left_out
        .iter()
        .map(|p| {
            let why = match p.front.date {
                Some(d) if !p.front.draft || selection.drafts => {
                    crate::markdown::Missing::Future(d.at.format("%Y-%m-%d").to_string())
                }
                _ => crate::markdown::Missing::Draft,
            };
            (p.source.rel.clone(), why)
        })
        .collect();
    let scheduled = left_out
        .into_iter()
        .filter(|p| p.front.date.is_some() && (!p.front.draft || selection.drafts))
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
                    series: None,
                    prev: None,
                    next: None,
                    body: None,
                    worksheet: None,
                    body_version: 0,
                    image: None,
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
    dated.retain(|&i| pages[i].doc.front.date.is_some());
    for (t, tag) in tags.iter().enumerate() {
        for &p in &tag.pages {
            pages[p].tags.push(t);
        }
    }
    let series = collect_series(
        pages
            .iter()
            .enumerate()
            .filter_map(|(i, page)| {
                let front = &page.doc.front;
                Some(PartKey {
                    page: i,
                    name: &front.series.as_ref()?.0,
                    weight: front.weight,
                    date: front.date.map(|d| d.at),
                    title: &front.title.0,
                    path: &page.path,
                })
            })
            .collect(),
    );
    for (s, one) in series.iter().enumerate() {
        for &p in &one.pages {
            pages[p].series = Some(s);
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
    let (site_images, image_problems) =
        images::probe_all(&loaded.files, &loaded.statics, "content");
    diagnostics.extend(image_problems);
    let image_index = images::index(&site_images);
    let (page_count, related_limit) = (pages.len(), config.related.shown());
    let mut site = Site {
        config,
        selection,
        pages,
        sections,
        tags,
        series,
        files: loaded.files,
        statics: loaded.statics,
        by_source,
        file_paths,
        aliases,
        dated,
        scheduled,
        left_out: left_out_why,
        by_path: Default::default(),
        site_paths: Default::default(),
        images: site_images,
        image_index,
        nav: Vec::new(),
        related: related::Related::new(page_count, related_limit),
        link_table: Default::default(),
    };
    site.nav = nav::resolve(&site, &mut diagnostics);
    images::resolve_page_images(&mut site, &mut diagnostics);
    aliases::check_redirects(&site, &mut diagnostics);
    (site, diagnostics)
}

/// Puts edited pages into the model in place of their old versions, when nothing the model
/// is made of changed: the same front matter (so the same URL, date, tags, order), and no
/// scheduled page due yet. Returns the indices of the replaced pages, or `None`, changing
/// nothing, when a full `assemble` is needed. This is the live preview's common case: a
/// writer editing an essay's text.
pub(crate) fn patch(
    site: &mut Site,
    edited: &[Arc<PageDoc>],
    now: DateTime<Utc>,
) -> Option<Vec<usize>> {
    let selection = Selection {
        now,
        ..site.selection
    };
    if site.scheduled.iter().any(|d| is_selected(d, &selection)) {
        return None;
    }
    let mut replace = Vec::with_capacity(edited.len());
    for doc in edited {
        let Some(&Target::Page(i)) = site.by_source.get(&doc.source.rel) else {
            return None;
        };
        let old = &site.pages[i].doc;
        let same_front = old.yaml == doc.yaml
            && old.source.text()[old.yaml.clone()] == doc.source.text()[doc.yaml.clone()];
        if !same_front {
            return None;
        }
        replace.push((i, doc.clone()));
    }
    let indices = replace.iter().map(|(i, _)| *i).collect();
    for (i, doc) in replace {
        site.pages[i].doc = doc;
    }
    site.selection = selection;
    Some(indices)
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
///
/// A folder whose name has nothing to slugify (` `, `---`, a zero-width space) gets
/// `dir-` and a short hash of its name: an empty segment would make URLs with `//` in
/// them, which static hosts do not all serve, and would merge `a/ /x.md` with `a/x.md`.
fn dir_path(rel_dir: &str) -> String {
    let mut path = String::from("/");
    for segment in rel_dir.split('/').filter(|s| !s.is_empty()) {
        let name = slugify(segment);
        if name.is_empty() {
            path.push_str("dir-");
            path.push_str(&slug::short_hash(segment));
        } else {
            path.push_str(&name);
        }
        path.push('/');
    }
    path
}

fn page_path(doc: &PageDoc) -> Result<String, Diagnostic> {
    doc.site_path
        .get_or_init(|| work_out_page_path(doc))
        .clone()
}

fn work_out_page_path(doc: &PageDoc) -> Result<String, Diagnostic> {
    if let Some(path) = &doc.front.path {
        return Ok(path.0.clone());
    }
    let rel = &doc.source.rel;
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    // A page bundle, `essays/foo/index.md` with its pictures beside it, is the page
    // `/essays/foo/`: the folder names it, and `slug:` renames the folder's URL.
    let dir = parent_dir(rel);
    let (dir, stem) = match (stem, dir.rsplit_once('/')) {
        ("index", Some((outer, folder))) => (outer, folder),
        ("index", None) if !dir.is_empty() => ("", dir),
        _ => (dir, stem),
    };
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
    Ok(format!("{}{}/", dir_path(dir), slug))
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
        // The key that chose the URL is to blame: `path:` before `slug:` before a file name.
        let chosen_by = |page: &Page| match (&page.doc.front.path, &page.doc.front.slug) {
            (Some(_), _) => Some("path"),
            (None, Some(_)) => Some("slug"),
            (None, None) => None,
        };
        let rank = |page: &Page| match chosen_by(page) {
            Some("path") => 2,
            Some(_) => 1,
            None => 0,
        };
        let (blamed, other) = match first {
            Some(first) if rank(first) > rank(p) => (first, Some(p.doc.source.shown.as_path())),
            _ => (p, first_shown),
        };
        let location = match chosen_by(blamed) {
            Some(key) => load::locate_key(&blamed.doc.source, &blamed.doc.yaml, key),
            None => Location::at_offset(&blamed.doc.source.shown, &blamed.doc.source.text(), 0, 3),
        };
        let other = other.map(|o| o.display().to_string()).unwrap_or_default();
        diagnostics.push(
            Diagnostic::error(format!("two pages have the URL `{}`", p.path))
                .at(location)
                .label(format!("also the URL of {other}"))
                .help("give one of them a different file name, `slug:` or `path:` (file names differing only in case or punctuation make the same URL)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Regression (src/properties.rs): a folder named ` ` made `/e//`.
        let spaced = dir_path("é/ ");
        assert!(
            spaced.starts_with("/e/dir-") && !spaced.contains("//"),
            "{spaced}"
        );
    }
}
