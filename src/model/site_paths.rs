//! Every path of the built site a link may name (`/essays/x/`, `/images/a.png`,
//! `/tags/rust/`, `/series/habits/`, `/rss.xml`), so a root-absolute or URL-relative link is checked against
//! what the build will write, and rewritten under the base path.
//!
//! Built once per model, on the first lookup. `tests/it/links.rs` holds it to the plan:
//! every page and file a build writes is found here.

use std::collections::HashMap;

use super::pagination::{Pagination, first_page_redirect, pager_path};
use super::{Site, content_file_path, encode_path};
use crate::markdown::{SiteLink, SitePath};

/// Site paths (decoded, with a leading `/`) and what is there.
#[derive(Debug, Default)]
pub(crate) struct SitePaths {
    paths: HashMap<String, Option<String>>,
}

/// Files every build writes at fixed paths.
const GENERATED: &[&str] = &[
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/sitemap.xml",
    "/robots.txt",
    "/404.html",
];

impl SitePaths {
    fn build(site: &Site) -> Self {
        let mut paths: HashMap<String, Option<String>> = HashMap::new();
        let mut add = |path: String, document: Option<&str>| {
            paths.entry(path).or_insert(document.map(str::to_string));
        };
        for page in &site.pages {
            add(page.path.clone(), Some(&page.doc.source.rel));
        }
        for (s, section) in site.sections.iter().enumerate() {
            let document = section.doc.as_ref().map(|d| d.source.rel.as_str());
            add(section.path.clone(), document);
            for path in later_pages(&section.path, site.section_pagination(s)) {
                add(path, document);
            }
        }
        for (alias, _) in &site.aliases {
            add(alias.clone(), None);
        }
        for redirect in &site.config.redirects {
            add(redirect.from.clone(), None);
        }
        if !site.tags.is_empty() {
            add("/tags/".into(), None);
        }
        for (t, tag) in site.tags.iter().enumerate() {
            let path = format!("/tags/{}/", tag.slug);
            for later in later_pages(&path, site.tag_pagination(t)) {
                add(later, None);
            }
            add(format!("{path}rss.xml"), None);
            add(path, None);
        }
        if !site.series.is_empty() {
            add(super::series::SERIES_INDEX.into(), None);
        }
        for (s, series) in site.series.iter().enumerate() {
            let path = super::series::series_path(&series.slug);
            for later in later_pages(&path, site.series_pagination(s)) {
                add(later, None);
            }
            add(format!("{path}rss.xml"), None);
            add(path, None);
        }
        let copied = site
            .files
            .iter()
            .map(|file| format!("/{}", content_file_path(&file.rel)))
            .chain(site.statics.iter().map(|file| format!("/{}", file.rel)));
        for path in copied {
            // A copied `index.html` is served for its folder's URL by every static host
            // (a slide deck in `static/talk/`, linked as `/talk/`).
            if let Some(folder) = path.strip_suffix("/index.html") {
                add(format!("{folder}/"), None);
            }
            add(path, None);
        }
        for (copy, _) in site.config.feeds.site_copies() {
            add(format!("/{copy}"), None);
        }
        for tag in &site.tags {
            for name in site.config.feeds.tag_copies() {
                add(format!("/tags/{}/{name}", tag.slug), None);
            }
        }
        for image in &site.images {
            for spec in &image.variants {
                add(image.variant_path(spec), None);
            }
        }
        for path in GENERATED {
            add((*path).into(), None);
        }
        if site.config.search.enabled {
            add("/search/".into(), None);
        }
        if site.pages.iter().any(|p| p.doc.front.worksheet.is_some()) {
            add("/workbook/".into(), None);
        }
        SitePaths { paths }
    }

    /// What is at `path`, also as a folder (`/essays/x` is `/essays/x/`) or by its
    /// `index.html`.
    fn get(&self, path: &str) -> Option<(&str, &Option<String>)> {
        let folder = format!("{}/", path.trim_end_matches('/'));
        let without_index = path.strip_suffix("index.html");
        [Some(path), Some(folder.as_str()), without_index]
            .into_iter()
            .flatten()
            .find_map(|p| self.paths.get_key_value(p))
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// The pages of a split list after its first (`page/2/`, ...) and the `page/1/` redirect
/// of a paginated one.
fn later_pages(list_path: &str, list: Pagination) -> impl Iterator<Item = String> + '_ {
    let redirect = list
        .has_first_page_redirect()
        .then(|| first_page_redirect(list_path));
    redirect
        .into_iter()
        .chain((2..=list.pages()).map(move |n| pager_path(list_path, n)))
}

impl Site {
    /// What is at the site path `path` (decoded, no base path): see
    /// [`LinkResolver::site_path`](crate::markdown::LinkResolver::site_path).
    pub fn site_path(&self, path: &str) -> SitePath {
        let index = self.site_paths.get_or_init(|| SitePaths::build(self));
        if let Some((found, document)) = index.get(path) {
            return SitePath::Found(SiteLink {
                url: self.config.urls.path(&encode_path(found)),
                document: document.clone(),
                image: self.image_ref(found),
            });
        }
        let base = self.config.urls.base_path();
        if base != "/"
            && let Some(rest) = path.strip_prefix(base.trim_end_matches('/'))
            && rest.starts_with('/')
            && index.get(rest).is_some()
        {
            return SitePath::WithBasePath(rest.to_string());
        }
        let did_you_mean =
            crate::diagnostic::did_you_mean(path, index.paths.keys().map(String::as_str));
        SitePath::Nothing {
            did_you_mean: did_you_mean.map(str::to_string),
        }
    }
}
