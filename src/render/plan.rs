//! What a site's output consists of, as jobs, and what each job depends on, as a fingerprint.
//!
//! Every output file comes from one [`Job`]. A job's key hashes everything its files are
//! rendered from: the site-wide inputs (config, theme, navigation) and the fingerprints of the
//! pages it shows. The live preview keeps the files of the last build by key and renders only
//! the jobs whose key it has not seen, so editing one essay re-renders that page, its
//! neighbours, its section, its tags, the home page, feeds and sitemap, and nothing else.
//! A clean build runs the same plan with nothing kept.

use std::path::Path;

use std::collections::HashSet;

use crate::fingerprint::Fingerprint;
use crate::model::{Page, Site, Target};

/// One unit of rendering; indices are into the current `Site`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Job {
    Page(usize),
    /// A section page, or the home page for section 0.
    Section(usize),
    Tag(usize),
    TagIndex,
    NotFound,
    Alias(usize),
    /// Every result page of one worksheet.
    Results(usize),
    /// The generated social cards of one page: its own and its results' (`social`).
    Cards(usize),
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
pub(crate) struct Planned {
    pub job: Job,
    pub key: u64,
}

/// The jobs of a site in output order (later files win a path), with their keys, and the
/// page fingerprints they were computed from. `global` fingerprints what every output
/// depends on (see [`global_fingerprint`]).
pub(crate) fn plan(site: &Site, global: u64) -> (Vec<Planned>, Vec<u64>) {
    let pages = page_fingerprints(site);
    let planned = jobs(site)
        .into_iter()
        .map(|job| Planned {
            job,
            key: key_of(site, global, job, &|i| pages[i]),
        })
        .collect();
    (planned, pages)
}

/// Every job of the site, in output order.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::with_capacity(site.pages.len() * 2 + site.tags.len() * 2 + 16);
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..site.sections.len()).map(Job::Section));
    jobs.extend((0..site.tags.len()).map(Job::Tag));
    jobs.extend([Job::TagIndex, Job::NotFound]);
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    jobs.extend(
        (0..site.pages.len())
            .filter(|&p| site.pages[p].worksheet.is_some())
            .map(Job::Results),
    );
    jobs.extend(
        (0..site.pages.len())
            .filter(|&p| super::social::has_cards(site, p))
            .map(Job::Cards),
    );
    jobs.push(Job::SiteFeeds);
    jobs.extend((0..site.tags.len()).map(Job::TagFeed));
    jobs.extend([Job::Sitemap, Job::Robots, Job::NoJekyll, Job::Assets]);
    jobs.extend((0..site.files.len()).map(Job::ContentFile));
    jobs.extend((0..site.statics.len()).map(Job::Static));
    jobs
}

/// The jobs that make `files` (output paths such as `essays/a/index.html`), plus the cheap
/// ones (see [`is_cheap`]) a freshly rendered page may need.
pub(crate) fn jobs_for_files(site: &Site, files: &HashSet<String>) -> Vec<Job> {
    let mut jobs: Vec<Job> = vec![Job::Assets, Job::Robots, Job::NoJekyll];
    jobs.extend((0..site.files.len()).map(Job::ContentFile));
    jobs.extend((0..site.statics.len()).map(Job::Static));
    for file in files {
        let Some(dir) = file.strip_suffix("index.html") else {
            continue;
        };
        let site_path = format!("/{dir}");
        if let Some(target) = site.target_at(&site_path) {
            jobs.push(match target {
                Target::Page(i) => Job::Page(i),
                Target::Section(s) => Job::Section(s),
            });
        } else if let Some(t) = site
            .tags
            .iter()
            .position(|t| super::context::tag_path(&t.slug) == site_path)
        {
            jobs.push(Job::Tag(t));
        } else if site_path == "/tags/" {
            jobs.push(Job::TagIndex);
        } else if let Some((owner, _)) = site_path.split_once("result/")
            && let Some(Target::Page(p)) = site.target_at(owner)
        {
            jobs.push(Job::Results(p));
        }
    }
    jobs
}

/// Jobs whose templates get page cards (lists of other pages).
pub(crate) fn shows_cards(job: Job) -> bool {
    matches!(job, Job::Section(_) | Job::Tag(_))
}

/// One job's key. `page` gives page fingerprints ([`page_fingerprints`], or
/// [`page_fingerprint`] one at a time when only a few jobs are wanted).
pub(crate) fn key_of(site: &Site, global: u64, job: Job, page: &dyn Fn(usize) -> u64) -> u64 {
    let list = |ids: &[usize]| -> Vec<u64> { ids.iter().map(|&p| page(p)).collect() };
    let tag_fingerprint = |t: usize| {
        let tag = &site.tags[t];
        Fingerprint::new()
            .with(&tag.name)
            .with(&tag.slug)
            .with(&list(&tag.pages))
            .finish()
    };
    let mut parts = Fingerprint::new();
    match job {
        Job::Page(i) => parts.with("page").with(&page(i)),
        Job::Section(s) => {
            let section = &site.sections[s];
            parts
                .with("section")
                .with(&section_fingerprint(site, s))
                .with(&list(&section.pages));
            if s == 0 {
                // The home page lists the latest pages, the worksheets and every section.
                let sections: Vec<u64> = (0..site.sections.len())
                    .map(|s| section_fingerprint(site, s))
                    .collect();
                let all: Vec<usize> = (0..site.pages.len()).collect();
                parts.with(&list(&all)).with(&sections);
            }
            &mut parts
        }
        Job::Tag(t) => parts.with("tag").with(&tag_fingerprint(t)),
        Job::TagIndex => {
            let tags: Vec<u64> = (0..site.tags.len()).map(tag_fingerprint).collect();
            parts.with("tags").with(&tags)
        }
        Job::NotFound => parts.with("404"),
        Job::Alias(a) => {
            let (alias, target) = &site.aliases[a];
            parts.with("alias").with(alias).with(&page(*target))
        }
        Job::Results(p) => parts.with("results").with(&page(p)),
        // A card is its text and look, both in its path; nothing global.
        Job::Cards(p) => {
            let paths: Vec<String> = super::social::cards_of(site, p)
                .iter()
                .map(super::social::card_path)
                .collect();
            return Fingerprint::new().with("cards").with(&paths).finish();
        }
        Job::SiteFeeds => parts
            .with("feeds")
            .with(&list(&super::feeds::latest_pages(site))),
        Job::TagFeed(t) => {
            let tag = &site.tags[t];
            parts
                .with("tag feed")
                .with(&tag.name)
                .with(&tag.slug)
                .with(&list(&super::feeds::tag_feed_pages(site, t)))
        }
        Job::Sitemap => sitemap_fingerprint(site, &mut parts),
        Job::Robots => parts.with("robots"),
        // The same bytes whatever the site: no global part.
        Job::NoJekyll => return Fingerprint::new().with("nojekyll").finish(),
        Job::Assets => parts.with("assets"),
        // Copies depend on the file alone.
        Job::ContentFile(f) => {
            let file = &site.files[f];
            return Fingerprint::new()
                .with("file")
                .with(&file.rel)
                .with(&file_stamp(&file.path))
                .finish();
        }
        Job::Static(f) => {
            let file = &site.statics[f];
            return Fingerprint::new()
                .with("static")
                .with(&file.rel)
                .with(&file_stamp(&file.path))
                .finish();
        }
    };
    parts.with(&global).finish()
}

/// The output files a job writes, known without rendering it (the live preview holds
/// requests for these while the job is pending).
pub(crate) fn output_paths(site: &Site, job: Job) -> Vec<String> {
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
        Job::Cards(p) => super::social::cards_of(site, p)
            .iter()
            .map(|card| {
                super::social::card_path(card)
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect(),
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

/// What every output depends on: the config as loaded, the theme's files, the navigation,
/// and how the build was asked for (`extra` carries the caller's own inputs).
pub(crate) fn global_fingerprint(site: &Site, theme: u64, extra: &str) -> u64 {
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

/// Every page's fingerprint (see [`page_fingerprint`]).
pub(crate) fn page_fingerprints(site: &Site) -> Vec<u64> {
    let own: Vec<u64> = site.pages.iter().map(own_fingerprint).collect();
    (0..site.pages.len())
        .map(|i| combine(site, i, &|p| own[p]))
        .collect()
}

/// A page's fingerprint: everything its card and its own page are made from. Neighbours and
/// tags are included because the page shows their titles and links.
pub(crate) fn page_fingerprint(site: &Site, i: usize) -> u64 {
    combine(site, i, &|p| own_fingerprint(&site.pages[p]))
}

fn combine(site: &Site, i: usize, own: &dyn Fn(usize) -> u64) -> u64 {
    let page = &site.pages[i];
    let tags: Vec<(&str, &str)> = page
        .tags
        .iter()
        .map(|&t| (site.tags[t].name.as_str(), site.tags[t].slug.as_str()))
        .collect();
    let section = &site.sections[page.section];
    Fingerprint::new()
        .with(&own(i))
        .with(&page.prev.map(own))
        .with(&page.next.map(own))
        .with(&tags)
        .with(&page.section)
        .with(&section.title)
        .with(&section.path)
        .finish()
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
fn sitemap_fingerprint<'p>(site: &Site, parts: &'p mut Fingerprint) -> &'p mut Fingerprint {
    parts.with("sitemap");
    for section in &site.sections {
        parts.with(&section.path).with(&section.pages);
    }
    for page in &site.pages {
        let front = &page.doc.front;
        parts
            .with(&page.path)
            .with(&front.date.map(|d| d.at))
            .with(&front.updated.map(|d| d.at));
        if let Some(sheet) = &page.worksheet {
            for result in &sheet.results {
                parts.with(&result.key);
            }
        }
    }
    for tag in &site.tags {
        parts.with(&tag.slug);
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
