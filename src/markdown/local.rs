//! Where a destination inside the site leads: a page (by its Markdown file), a file beside
//! the page, or any path of the built site, and why it leads nowhere when it does not.
//!
//! Authors write three kinds of local destination, and each must work on a project site
//! (`/<repo>/`) as well as at a domain's root, in summaries shown on other pages as well as
//! on the page itself. So every one is resolved here and written back as a URL under the
//! base path:
//! - `../essays/foo.md#x`: the Markdown file, relative to this file's folder (as on GitHub);
//! - `pic.png`, `../images/a.png`: a file in `content/`, relative to this file's folder;
//!   failing that, a path relative to the page's URL (`../other/` from `/essays/foo/` is
//!   `/essays/other/`), as a browser would read it; failing that, a site path relative to
//!   the file's folder (`bundle/` in `essays/flat.md` is `/essays/bundle/`);
//! - `/essays/x/`, `/images/a.png`, `/essays/foo.md`: relative to the site's root.

use super::links::resolve;
use super::{LinkResolver, Missing, SiteLink, SitePath};

/// Where the page being rendered is: what relative destinations start from.
#[derive(Clone, Copy)]
pub(crate) struct Place<'a> {
    /// Content-relative folder of the Markdown file, `/`-separated (`essays`, `` at the root).
    pub page_dir: &'a str,
    /// Site path of the page without the base path (`/essays/foo/`).
    pub page_path: &'a str,
    pub links: &'a dyn LinkResolver,
}

/// Why a local destination leads nowhere.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Broken {
    /// More `../` than there are folders.
    Outside,
    /// A `.md` destination whose page is not in the site (content path, and why).
    Page(String, Missing),
    /// Nothing in the site at this path (with base path, as the browser would ask for it),
    /// and how it was found from what was written.
    Nothing {
        site_path: String,
        from: From,
        did_you_mean: Option<String>,
    },
    /// The author wrote the base path into a root-absolute link; `fixed` is the link
    /// without it.
    WithBasePath { fixed: String },
}

/// How a missing path was worked out, for the message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum From {
    /// `/…`: from the site's root.
    Root,
    /// Relative to the page's URL, after no content file matched (which is named).
    PageUrl { content_file: Option<String> },
}

impl Place<'_> {
    /// Resolves a decoded local path (no query or fragment) to the URL to write.
    /// `from_root` is true for `/…` destinations.
    pub(crate) fn resolve(&self, path: &str, from_root: bool) -> Result<SiteLink, Broken> {
        if path.ends_with(".md") {
            return self.page(path, from_root);
        }
        if from_root {
            let site_path = resolve("", path).ok_or(Broken::Outside)?;
            return self.site_path(&site_path, is_folder(path), From::Root);
        }
        let content_file = resolve(self.page_dir, path);
        if let Some(link) = content_file.as_deref().and_then(|rel| self.links.file(rel)) {
            return Ok(link);
        }
        let url_dir = self.page_path.trim_matches('/');
        let site_path = resolve(url_dir, path).ok_or(Broken::Outside)?;
        let by_url = self.site_path(
            &site_path,
            is_folder(path),
            From::PageUrl {
                content_file: content_file.clone(),
            },
        );
        // `bundle/` written in `essays/flat.md` (published at `/essays/flat/`) means the
        // folder beside the file to someone reading the source: if the browser's reading
        // leads nowhere, the source's is taken.
        match (&by_url, &content_file) {
            (Err(Broken::Nothing { .. }), Some(beside)) if beside.as_str() != site_path => self
                .site_path(beside, is_folder(path), From::Root)
                .or(by_url),
            _ => by_url,
        }
    }

    fn page(&self, path: &str, from_root: bool) -> Result<SiteLink, Broken> {
        let dir = if from_root { "" } else { self.page_dir };
        let target = resolve(dir, path).ok_or(Broken::Outside)?;
        match self.links.page_url(&target) {
            Some(url) => Ok(SiteLink {
                url,
                document: Some(target),
                image: None,
            }),
            None => {
                let why = self.links.why_missing(&target);
                Err(Broken::Page(target, why))
            }
        }
    }

    /// `joined` is a normalised path without leading or trailing `/` (`essays/other`);
    /// `folder` when the destination named a folder (`other/`, `..`).
    fn site_path(&self, joined: &str, folder: bool, from: From) -> Result<SiteLink, Broken> {
        let mut site_path = format!("/{joined}");
        if folder && !site_path.ends_with('/') {
            site_path.push('/');
        }
        match self.links.site_path(&site_path) {
            SitePath::Found(link) => Ok(link),
            SitePath::WithBasePath(fixed) => Err(Broken::WithBasePath { fixed }),
            SitePath::Nothing { did_you_mean } => Err(Broken::Nothing {
                site_path,
                from,
                did_you_mean,
            }),
        }
    }
}

/// Whether a path names a folder: `other/`, `.`, `..`, `a/..`, or nothing at all.
fn is_folder(path: &str) -> bool {
    path.is_empty() || path.ends_with('/') || matches!(path.rsplit('/').next(), Some("." | ".."))
}

/// A written destination split into path, query and fragment (all as written).
pub(crate) struct Parts<'d> {
    pub path: &'d str,
    /// `?…#…` as written, appended to the resolved URL.
    pub suffix: &'d str,
}

pub(crate) fn split(dest: &str) -> Parts<'_> {
    let cut = dest.find(['?', '#']).unwrap_or(dest.len());
    Parts {
        path: &dest[..cut],
        suffix: &dest[cut..],
    }
}
