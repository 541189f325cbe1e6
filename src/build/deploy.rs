//! Checks on the finished output that matter once it is published (GitHub Pages' limits,
//! HTTPS, link previews). They are warnings: the site is still written.
//!
//! - a file over 100 MB (GitHub rejects it) or a site over 1 GB (GitHub Pages' limit);
//! - a page that loads a script, stylesheet, image or frame over `http://`: browsers block
//!   or flag it on an HTTPS site;
//! - a social image (`image:`) over 5 MB, which LinkedIn does not show.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::{Contents, OutputFile};

const MAX_FILE: u64 = 100 * 1024 * 1024;
const MAX_SITE: u64 = 1024 * 1024 * 1024;
const MAX_CARD: u64 = 5 * 1024 * 1024;

/// Attributes whose URL the browser loads as part of the page (links to other sites are
/// fine over HTTP; these are not).
const LOADED: [&str; 5] = [
    "src=\"http://",
    "srcset=\"http://",
    "poster=\"http://",
    "data=\"http://",
    "href=\"http://",
];

/// The checks over a whole site's files, given at once.
pub(super) fn check(site: &Site, files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut check = DeployCheck::default();
    check.add(site, files);
    check.finish(site)
}

/// The checks, fed batch by batch as a streaming build writes: sizes are kept per path
/// (a later file of a path replaces the earlier, as on disk), pages are scanned as they
/// come, and nothing else of a file is kept.
#[derive(Default)]
pub(super) struct DeployCheck {
    /// Size of each output path, and for files over the limit, where they come from.
    sizes: HashMap<String, (u64, Option<String>)>,
    /// Output path of each page's HTML → the page, to locate `http://` loads.
    pages: Option<HashMap<String, usize>>,
    insecure: Vec<Diagnostic>,
}

impl DeployCheck {
    pub(super) fn add(&mut self, site: &Site, files: &[OutputFile]) {
        for file in files {
            let bytes = size(file);
            let source = (bytes > MAX_FILE).then(|| source_of(file));
            self.sizes.insert(file.path.clone(), (bytes, source));
        }
        let pages = self.pages.get_or_insert_with(|| {
            (0..site.pages.len())
                .map(|i| (crate::render::html_path(&site.pages[i].path), i))
                .collect()
        });
        let found: Vec<Diagnostic> = files
            .par_iter()
            .flat_map_iter(|file| insecure_loads(site, pages, file))
            .collect();
        self.insecure.extend(found);
    }

    pub(super) fn finish(self, site: &Site) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        let mut total = 0;
        let mut big: Vec<(&String, u64, &String)> = self
            .sizes
            .iter()
            .filter_map(|(path, (bytes, source))| source.as_ref().map(|s| (path, *bytes, s)))
            .collect();
        big.sort();
        for (path, bytes, source) in big {
            warnings.push(
                Diagnostic::warning(format!(
                    "`{path}` is {} MB; GitHub refuses files over 100 MB",
                    bytes / (1024 * 1024)
                ))
                .at(Location::file_only(source))
                .help("host large files elsewhere and link to them"),
            );
        }
        for (bytes, _) in self.sizes.values() {
            total += bytes;
        }
        if total > MAX_SITE {
            warnings.push(
                Diagnostic::warning(format!(
                    "the site is {} MB; GitHub Pages sites may be at most 1 GB",
                    total / (1024 * 1024)
                ))
                .help("move large downloads and media to other hosting"),
            );
        }
        warnings.extend(self.insecure);
        warnings.extend(large_cards(site, &self.sizes));
        warnings
    }
}

fn size(file: &OutputFile) -> u64 {
    match &file.contents {
        Contents::Bytes(bytes) => bytes.len() as u64,
        Contents::Packed(packed) => packed.unpack().len() as u64,
        Contents::Copy(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
    }
}

fn source_of(file: &OutputFile) -> String {
    match &file.contents {
        Contents::Copy(path) => path.display().to_string(),
        Contents::Bytes(_) | Contents::Packed(_) => format!("public/{}", file.path),
    }
}

/// `http://` resources loaded by one page, reported where the author wrote them when the
/// page's Markdown contains the URL, else at the page.
fn insecure_loads(
    site: &Site,
    pages: &HashMap<String, usize>,
    file: &OutputFile,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if !file.path.ends_with(".html") {
        return warnings;
    }
    let Some(bytes) = file.contents.bytes() else {
        return warnings;
    };
    // Most pages load nothing over http://; finding that out needs no UTF-8 check.
    if memchr::memmem::find(&bytes, b"=\"http://").is_none() {
        return warnings;
    }
    let html = String::from_utf8_lossy(&bytes);
    for tag in html.split('<').filter(|t| is_loading_tag(t)) {
        let Some(url) = LOADED
            .iter()
            .find_map(|attr| tag.find(attr).map(|at| &tag[at + attr.len() - 7..]))
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let location = match pages.get(&file.path).map(|&i| &site.pages[i].doc.source) {
            Some(source) => {
                let text = source.text();
                match text.find(url) {
                    Some(at) => Location::at_offset(&source.shown, &text, at, url.len()),
                    None => Location::file_only(&source.shown),
                }
            }
            None => Location::file_only(format!("public/{}", file.path)),
        };
        warnings.push(
            Diagnostic::warning(format!("`{url}` is loaded over http://"))
                .at(location)
                .help("use https://: browsers block or flag http:// resources on an HTTPS site such as GitHub Pages"),
        );
    }
    warnings
}

/// Tags that make the browser fetch a URL: `<img>`, `<script>`, `<iframe>`, `<source>`, ...,
/// and `<link>` for stylesheets and icons (not `<a>`, whose links are only followed).
fn is_loading_tag(tag: &str) -> bool {
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "img" | "script" | "iframe" | "source" | "video" | "audio" | "embed" | "object"
        | "track" | "input" => true,
        "link" => {
            let lower = tag.to_ascii_lowercase();
            ["stylesheet", "icon", "preload", "manifest"]
                .iter()
                .any(|rel| lower.contains(rel))
        }
        _ => false,
    }
}

/// Pages whose `image:` is a local file over LinkedIn's 5 MB.
fn large_cards(site: &Site, sizes: &HashMap<String, (u64, Option<String>)>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for page in &site.pages {
        let Some(image) = page.doc.front.image.as_deref() else {
            continue;
        };
        if image.starts_with("http://") || image.starts_with("https://") {
            continue;
        }
        let Some(&(bytes, _)) = sizes.get(image.trim_start_matches('/')) else {
            continue;
        };
        if bytes > MAX_CARD {
            warnings.push(
                Diagnostic::warning(format!(
                    "the social image `{image}` is {} MB; LinkedIn shows no preview for images over 5 MB",
                    bytes / (1024 * 1024)
                ))
                .at(crate::load::locate_key(&page.doc.source, &page.doc.yaml, "image"))
                .help("use a 1200x627 PNG or JPEG, well under 5 MB"),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tags_that_load_count() {
        assert!(is_loading_tag("img src=\"http://x/a.png\">"));
        assert!(is_loading_tag(
            "link rel=\"stylesheet\" href=\"http://x/a.css\">"
        ));
        assert!(!is_loading_tag("a href=\"http://x/\">"));
        assert!(!is_loading_tag(
            "link rel=\"alternate\" href=\"http://x/feed\">"
        ));
    }
}
