//! What a site's output consists of, as jobs, and what each job depends on, as a fingerprint.
//!
//! Every output file comes from one [`Job`]. A job's key hashes everything its files are
//! rendered from: the site-wide inputs (config, theme, navigation) and the fingerprints of the
//! pages it shows. The live preview keeps the files of the last build by key and renders only
//! the jobs whose key it has not seen, so editing one essay re-renders that page, its
//! neighbours, its section, its tags, the home page, feeds and sitemap, and nothing else.
//! A clean build runs the same plan with nothing kept.

use std::path::Path;

use crate::fingerprint::{self, Fingerprint};
use crate::model::{Page, Site};

/// One unit of rendering; indices are into the current `Site`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Page(usize),
    /// A section page, or the home page for section 0.
    Section(usize),
    Tag(usize),
    TagIndex,
    NotFound,
    Alias(usize),
    /// Every result page of one worksheet.
    Results(usize),
    SiteFeeds,
    TagFeed(usize),
    Sitemap,
    Robots,
    NoJekyll,
    /// The theme's assets, fingerprinted, and the syntax stylesheet.
    Assets,
    /// A non-Markdown file of `content/`, copied.
    ContentFile(usize),
    /// A file of the site's `static/`, copied (it wins over a generated file of its name).
    Static(usize),
}

/// A job with its key.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub job: Job,
    pub key: u64,
}

/// The jobs of a site in output order (later files win a path), with their keys.
/// `global` fingerprints what every output depends on (see [`global_fingerprint`]).
pub fn plan(site: &Site, global: u64) -> (Vec<Planned>, Vec<u64>) {
    let pages = page_fingerprints(site);
    let sections: Vec<u64> = (0..site.sections.len())
        .map(|s| section_fingerprint(site, s))
        .collect();
    let key = |parts: Fingerprint| parts.with(&global).finish();
    let list = |ids: &[usize]| -> Vec<u64> { ids.iter().map(|&p| pages[p]).collect() };
    let mut jobs = Vec::with_capacity(site.pages.len() * 2 + site.tags.len() * 2 + 16);
    let mut push = |job: Job, key: u64| jobs.push(Planned { job, key });

    for (i, fp) in pages.iter().enumerate() {
        push(Job::Page(i), key(Fingerprint::new().with("page").with(fp)));
    }
    let all_pages = fingerprint::of(&pages);
    let all_sections = fingerprint::of(&sections);
    for (s, section) in site.sections.iter().enumerate() {
        let mut parts = Fingerprint::new()
            .with("section")
            .with(&sections[s])
            .with(&list(&section.pages));
        if s == 0 {
            // The home page lists the latest pages, the worksheets and every section.
            parts = parts.with(&all_pages).with(&all_sections);
        }
        push(Job::Section(s), key(parts));
    }
    let tag_pages: Vec<u64> = site
        .tags
        .iter()
        .map(|t| {
            Fingerprint::new()
                .with(&t.name)
                .with(&t.slug)
                .with(&list(&t.pages))
                .finish()
        })
        .collect();
    for (t, fp) in tag_pages.iter().enumerate() {
        push(Job::Tag(t), key(Fingerprint::new().with("tag").with(fp)));
    }
    push(
        Job::TagIndex,
        key(Fingerprint::new().with("tags").with(&tag_pages)),
    );
    push(Job::NotFound, key(Fingerprint::new().with("404")));
    for (a, (alias, page)) in site.aliases.iter().enumerate() {
        push(
            Job::Alias(a),
            key(Fingerprint::new()
                .with("alias")
                .with(alias)
                .with(&pages[*page])),
        );
    }
    for (p, page) in site.pages.iter().enumerate() {
        if page.worksheet.is_some() {
            push(
                Job::Results(p),
                key(Fingerprint::new().with("results").with(&pages[p])),
            );
        }
    }
    let latest = super::feeds::latest_pages(site);
    push(
        Job::SiteFeeds,
        key(Fingerprint::new().with("feeds").with(&list(&latest))),
    );
    for t in 0..site.tags.len() {
        let shown = super::feeds::tag_feed_pages(site, t);
        let tag = &site.tags[t];
        push(
            Job::TagFeed(t),
            key(Fingerprint::new()
                .with("tag feed")
                .with(&tag.name)
                .with(&tag.slug)
                .with(&list(&shown))),
        );
    }
    push(Job::Sitemap, key(sitemap_fingerprint(site)));
    push(Job::Robots, key(Fingerprint::new().with("robots")));
    push(Job::NoJekyll, Fingerprint::new().with("nojekyll").finish());
    push(Job::Assets, key(Fingerprint::new().with("assets")));
    for (f, file) in site.files.iter().enumerate() {
        push(
            Job::ContentFile(f),
            Fingerprint::new()
                .with("file")
                .with(&file.rel)
                .with(&file_stamp(&file.path))
                .finish(),
        );
    }
    for (f, file) in site.statics.iter().enumerate() {
        push(
            Job::Static(f),
            Fingerprint::new()
                .with("static")
                .with(&file.rel)
                .with(&file_stamp(&file.path))
                .finish(),
        );
    }
    (jobs, pages)
}

/// The output files a job writes, known without rendering it (the live preview holds
/// requests for these while the job is pending).
pub fn output_paths(site: &Site, job: Job) -> Vec<String> {
    use super::context::tag_path;
    use super::html_path;
    match job {
        Job::Page(i) => vec![html_path(&site.pages[i].path)],
        Job::Section(s) => vec![html_path(&site.sections[s].path)],
        Job::Tag(t) => vec![html_path(&tag_path(&site.tags[t].slug))],
        Job::TagIndex => vec![html_path("/tags/")],
        Job::NotFound => vec!["404.html".into()],
        Job::Alias(a) => vec![html_path(&site.aliases[a].0)],
        Job::Results(p) => {
            let page = &site.pages[p];
            page.worksheet
                .iter()
                .flat_map(|w| &w.results)
                .map(|r| html_path(&crate::model::bodies::result_path(&page.path, &r.key)))
                .collect()
        }
        Job::SiteFeeds => vec!["rss.xml".into(), "atom.xml".into()],
        Job::TagFeed(t) => vec![format!(
            "{}rss.xml",
            tag_path(&site.tags[t].slug).trim_start_matches('/')
        )],
        Job::Sitemap => vec!["sitemap.xml".into()],
        Job::Robots => vec!["robots.txt".into()],
        Job::NoJekyll => vec![".nojekyll".into()],
        // Known only to the compiled theme; see `is_cheap`.
        Job::Assets => Vec::new(),
        Job::ContentFile(f) => vec![crate::model::content_file_path(&site.files[f].rel)],
        Job::Static(f) => vec![site.statics[f].rel.clone()],
    }
}

/// Jobs that cost next to nothing (copies, the theme's assets): never worth deferring, and
/// a page rendered first may need them (a stylesheet under a new fingerprint).
pub fn is_cheap(job: Job) -> bool {
    matches!(
        job,
        Job::Assets | Job::ContentFile(_) | Job::Static(_) | Job::Robots | Job::NoJekyll
    )
}

/// What every output depends on: the config as loaded, the theme's files, the navigation,
/// and how the build was asked for (`extra` carries the caller's own inputs).
pub fn global_fingerprint(site: &Site, theme: u64, extra: &str) -> u64 {
    let nav: Vec<(&str, &str)> = site.sections[0]
        .subsections
        .iter()
        .map(|&s| {
            (
                site.sections[s].title.as_str(),
                site.sections[s].path.as_str(),
            )
        })
        .collect();
    Fingerprint::new()
        .with(&format!("{:?}", site.config))
        .with(&site.selection.drafts)
        .with(&site.selection.future)
        .with(&theme)
        .with(&nav)
        .with(extra)
        .finish()
}

/// A page's fingerprint: everything its card and its own page are made from. Neighbours and
/// tags are included because the page shows their titles and links.
pub fn page_fingerprints(site: &Site) -> Vec<u64> {
    let own: Vec<u64> = site.pages.iter().map(own_fingerprint).collect();
    site.pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let tags: Vec<(&str, &str)> = page
                .tags
                .iter()
                .map(|&t| (site.tags[t].name.as_str(), site.tags[t].slug.as_str()))
                .collect();
            let section = &site.sections[page.section];
            Fingerprint::new()
                .with(&own[i])
                .with(&page.prev.map(|p| own[p]))
                .with(&page.next.map(|p| own[p]))
                .with(&tags)
                .with(&page.section)
                .with(&section.title)
                .with(&section.path)
                .finish()
        })
        .collect()
}

/// The page alone: its source, URL and rendered body.
fn own_fingerprint(page: &Page) -> u64 {
    Fingerprint::new()
        .with(&page.doc.source.rel)
        .with(&page.doc.source.hash)
        .with(&page.path)
        .with(&page.body_version)
        .finish()
}

fn section_fingerprint(site: &Site, s: usize) -> u64 {
    let section = &site.sections[s];
    let subsections: Vec<(&str, &str, usize)> = section
        .subsections
        .iter()
        .map(|&c| {
            let child = &site.sections[c];
            (child.title.as_str(), child.path.as_str(), child.pages.len())
        })
        .collect();
    Fingerprint::new()
        .with(&section.doc.as_ref().map(|d| d.source.hash))
        .with(&section.title)
        .with(&section.path)
        .with(&section.body_version)
        .with(&subsections)
        .finish()
}

/// What the sitemap shows: URLs and dates only, so editing an essay's text leaves it be.
fn sitemap_fingerprint(site: &Site) -> Fingerprint {
    let mut parts = Fingerprint::new().with("sitemap");
    for section in &site.sections {
        parts = parts.with(&section.path).with(&section.pages);
    }
    for page in &site.pages {
        let front = &page.doc.front;
        parts = parts
            .with(&page.path)
            .with(&front.date.map(|d| d.at))
            .with(&front.updated.map(|d| d.at));
        if let Some(sheet) = &page.worksheet {
            for result in &sheet.results {
                parts = parts.with(&result.key);
            }
        }
    }
    for tag in &site.tags {
        parts = parts.with(&tag.slug);
    }
    parts
}

/// Size and modification time: a copied file changed when either did.
fn file_stamp(path: &Path) -> (u64, Option<std::time::SystemTime>) {
    match std::fs::metadata(path) {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(_) => (0, None),
    }
}
